import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { AppError, isUuid, notFound, zodFieldErrors, type FieldError } from '../../core/errors.ts';
import { accessGrant } from '../../access/access.schema.ts';
import type { Actor } from '../../access/roles.ts';
import { personIdentityVisible } from '../../access/need-to-know.ts';
import { tripReader, tripRequestVisible, tripWriter } from '../../access/trips.ts';
import { user } from '../accounts/accounts.schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { assertRefs, type Ref } from '../meetings/meetings.refs.ts';
import { organisation } from '../network/network.schema.ts';
import { campaignTarget } from '../campaigns/campaigns.schema.ts';
import { campaignVisible, targetRowVisible } from '../../access/campaigns.ts';
import type {
  CreateAccessRuleInput,
  CreateExtraInput,
  CreateFixedItemInput,
  CreateOverrideInput,
  CreatePermitInput,
  CreatePlaceInput,
  CreateRequestInput,
  CreateTravellerInput,
  UpdatePlaceInput,
  UpdateFixedItemInput,
  UpdateExtraInput,
  UpdateOverrideInput,
  UpdateAccessRuleInput,
  UpdatePermitInput,
  UpdateRequestInput,
  UpdateTravellerInput,
  CreateTripInput,
  Trip,
  TripDetail,
  UpdateTripInput,
} from './trips.contract.ts';
import { CreateRequestSchema } from './trips.contract.ts';
import {
  trip,
  tripAccessRule,
  tripFixedItem,
  tripPermit,
  tripPin,
  tripPlace,
  tripPlan,
  tripRequest,
  tripRequestParty,
  tripRequestPlace,
  tripRequestTraveller,
  tripRequestWindow,
  tripTravelExtra,
  tripTraveller,
  tripTravellerNight,
  tripTravelOverride,
} from './trips.schema.ts';
import { daysBetween } from './trips.time.ts';

// Trips: the records staff enter (issue 14 items 1–5) — trips, places, travellers, travel times, fixed items,
// access rules and permits, meeting requests. The plan, pins, views and .ics are in trips.plan.service.ts.

export type TripRow = typeof trip.$inferSelect;
const iso = (v: unknown) => new Date(v as string | Date).toISOString();
const unknownRef = (errors: FieldError[]) => new AppError('unprocessable', 'unknown_reference', 'A referenced record does not exist.', errors);

/** The trip if the actor may read trips (every trip is seen by every reader of trips), else 404. */
export async function loadTrip(db: Db, id: string): Promise<TripRow> {
  if (!isUuid(id)) throw notFound('trip');
  const [row] = await db.select().from(trip).where(eq(trip.id, id));
  if (!row) throw notFound('trip');
  return row;
}

function checkPeriod(startsOn: string, endsOn: string) {
  if (endsOn < startsOn) throw new AppError('unprocessable', 'trip_period_invalid', 'The trip ends before it starts.', [{ field: 'body.endsOn', detail: 'On or after the first day' }]);
  if (daysBetween(startsOn, endsOn) > 30) throw new AppError('unprocessable', 'trip_period_invalid', 'A trip lasts at most 31 days.', [{ field: 'body.endsOn', detail: 'At most 31 days after the first day' }]);
}

// ---------- trips ----------

type TripListRow = TripRow & { traveller_count: number; request_count: number; planned_at: string | Date | null };

function toTrip(r: TripRow, counts: { travellerCount: number; requestCount: number; plannedAt: string | Date | null }): Trip {
  return {
    id: r.id,
    name: r.name,
    startsOn: r.startsOn,
    endsOn: r.endsOn,
    timeZone: r.timeZone,
    status: r.status,
    carKmh: r.carKmh,
    footKmh: r.footKmh,
    bufferMinutes: r.bufferMinutes,
    travellerCount: counts.travellerCount,
    requestCount: counts.requestCount,
    plannedAt: counts.plannedAt ? iso(counts.plannedAt) : null,
    createdAt: iso(r.createdAt),
  };
}

async function countsOf(db: Db, actor: Actor, tripId: string) {
  const [c] = await rows<{ t: number; r: number; p: string | Date | null }>(
    db,
    sql`SELECT (SELECT count(*)::int FROM trip_traveller WHERE trip_id = ${tripId}) AS t,
      (SELECT count(*)::int FROM trip_request r WHERE r.trip_id = ${tripId} AND ${tripRequestVisible(actor, { id: sql`r.id`, restricted: sql`r.restricted`, createdBy: sql`r.created_by` })}) AS r,
      (SELECT planned_at FROM trip_plan WHERE trip_id = ${tripId}) AS p`,
  );
  return { travellerCount: Number(c!.t), requestCount: Number(c!.r), plannedAt: c!.p };
}

export async function listTrips(db: Db, ctx: RequestContext): Promise<{ items: Trip[]; total: number }> {
  const actor = tripReader(ctx);
  const list = await rows<Record<string, unknown>>(
    db,
    sql`SELECT t.id, t.name, t.starts_on::text AS starts_on, t.ends_on::text AS ends_on, t.time_zone, t.status, t.car_kmh, t.foot_kmh, t.buffer_minutes, t.created_at,
        (SELECT count(*)::int FROM trip_traveller tt WHERE tt.trip_id = t.id) AS traveller_count,
        (SELECT count(*)::int FROM trip_request r WHERE r.trip_id = t.id AND ${tripRequestVisible(actor, { id: sql`r.id`, restricted: sql`r.restricted`, createdBy: sql`r.created_by` })}) AS request_count,
        (SELECT planned_at FROM trip_plan p WHERE p.trip_id = t.id) AS planned_at
      FROM trip t ORDER BY t.starts_on DESC, t.id`,
  );
  const items = list.map((r) =>
    toTrip(
      {
        id: r.id as string,
        name: r.name as string,
        startsOn: r.starts_on as string,
        endsOn: r.ends_on as string,
        timeZone: r.time_zone as string,
        status: r.status as string,
        carKmh: Number(r.car_kmh),
        footKmh: Number(r.foot_kmh),
        bufferMinutes: Number(r.buffer_minutes),
        createdAt: r.created_at as Date,
      } as TripRow,
      { travellerCount: Number(r.traveller_count), requestCount: Number(r.request_count), plannedAt: r.planned_at as string | null },
    ),
  );
  return { items, total: items.length };
}

export async function createTrip(db: Db, ctx: RequestContext, input: CreateTripInput): Promise<TripDetail> {
  const actor = tripWriter(ctx);
  checkPeriod(input.startsOn, input.endsOn);
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(trip)
      .values({ ...input, createdBy: actor.id })
      .returning({ id: trip.id });
    await recordAudit(tx, ctx, { action: 'trip.create', entityType: 'trip', entityId: row!.id, detail: { name: input.name } });
    return row!.id;
  });
  return getTrip(db, ctx, id);
}

export async function updateTrip(db: Db, ctx: RequestContext, id: string, input: UpdateTripInput): Promise<TripDetail> {
  tripWriter(ctx);
  const t = await loadTrip(db, id);
  checkPeriod(input.startsOn ?? t.startsOn, input.endsOn ?? t.endsOn);
  await db.transaction(async (tx) => {
    await tx
      .update(trip)
      .set({ ...input, updatedAt: new Date() })
      .where(eq(trip.id, id));
    await recordAudit(tx, ctx, { action: 'trip.update', entityType: 'trip', entityId: id, detail: { fields: Object.keys(input) } });
  });
  return getTrip(db, ctx, id);
}

export async function deleteTrip(db: Db, ctx: RequestContext, id: string): Promise<void> {
  const actor = tripWriter(ctx);
  const t = await loadTrip(db, id);
  // a trip holding requests the actor may not see is deleted only by an admin
  if (actor.role !== 'admin') {
    const [hidden] = await rows<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM trip_request r WHERE r.trip_id = ${id} AND NOT ${tripRequestVisible(actor, { id: sql`r.id`, restricted: sql`r.restricted`, createdBy: sql`r.created_by` })}`,
    );
    if (Number(hidden!.n) > 0) throw new AppError('forbidden', 'trip_has_hidden_requests', 'This trip holds requests you may not see; an admin may delete it.');
  }
  await db.transaction(async (tx) => {
    await tx.delete(accessGrant).where(and(eq(accessGrant.recordType, 'trip_request'), sql`${accessGrant.recordId} IN (SELECT r.id FROM trip_request r WHERE r.trip_id = ${id})`));
    await tx.delete(trip).where(eq(trip.id, id));
    await recordAudit(tx, ctx, { action: 'trip.delete', entityType: 'trip', entityId: id, detail: { name: t.name } });
  });
}

/** The trip with every record the actor may see. */
export async function getTrip(db: Db, ctx: RequestContext, id: string): Promise<TripDetail> {
  const actor = tripReader(ctx);
  const t = await loadTrip(db, id);
  const places = await rows<{ id: string; name: string; kind: string; lat: number | null; lon: number | null; area: string | null; organisation_id: string | null; organisation_name: string | null }>(
    db,
    sql`SELECT p.id, p.name, p.kind, p.lat, p.lon, p.area, p.organisation_id, o.name AS organisation_name
      FROM trip_place p LEFT JOIN organisation o ON o.id = p.organisation_id WHERE p.trip_id = ${id} ORDER BY p.created_at, p.id`,
  );
  const travellers = await db
    .select({ t: tripTraveller, name: user.name })
    .from(tripTraveller)
    .innerJoin(user, eq(user.id, tripTraveller.userId))
    .where(eq(tripTraveller.tripId, id))
    .orderBy(asc(tripTraveller.createdAt), asc(tripTraveller.id));
  const nights = travellers.length
    ? await db
        .select()
        .from(tripTravellerNight)
        .where(
          inArray(
            tripTravellerNight.travellerId,
            travellers.map((x) => x.t.id),
          ),
        )
        .orderBy(asc(tripTravellerNight.night))
    : [];
  const overrides = await db.select().from(tripTravelOverride).where(eq(tripTravelOverride.tripId, id)).orderBy(asc(tripTravelOverride.id));
  const extras = await db.select().from(tripTravelExtra).where(eq(tripTravelExtra.tripId, id)).orderBy(asc(tripTravelExtra.id));
  const fixed = await db.select().from(tripFixedItem).where(eq(tripFixedItem.tripId, id)).orderBy(asc(tripFixedItem.startsAt));
  const rules = await rows<{ id: string; traveller_id: string | null; person_id: string | null; person_name: string | null; area: string; note: string | null; visible: boolean }>(
    db,
    sql`SELECT r.id, r.traveller_id, r.person_id, r.area, r.note,
        (r.person_id IS NULL OR ${personIdentityVisible(actor, sql`r.person_id`)} OR EXISTS (SELECT 1 FROM person pp WHERE pp.id = r.person_id AND pp.restricted = false)) AS visible,
        (SELECT p.display_name FROM person p WHERE p.id = r.person_id) AS person_name
      FROM trip_access_rule r WHERE r.trip_id = ${id} ORDER BY r.area, r.id`,
  );
  const visibleRules = rules.filter((r) => r.visible);
  const permits = visibleRules.length
    ? await db
        .select()
        .from(tripPermit)
        .where(
          inArray(
            tripPermit.ruleId,
            visibleRules.map((r) => r.id),
          ),
        )
        .orderBy(asc(tripPermit.validFrom))
    : [];
  const requests = await loadVisibleRequests(db, actor, id);
  const counts = await countsOf(db, actor, id);
  return {
    ...toTrip(t, counts),
    places: places.map((p) => ({ id: p.id, name: p.name, kind: p.kind, lat: p.lat == null ? null : Number(p.lat), lon: p.lon == null ? null : Number(p.lon), area: p.area, organisationId: p.organisation_id, organisationName: p.organisation_name })),
    travellers: travellers.map(({ t: x, name }) => ({
      id: x.id,
      userId: x.userId,
      name,
      workFrom: x.workFrom,
      workTo: x.workTo,
      weekend: x.weekend,
      holidays: x.holidays,
      basePlaceId: x.basePlaceId,
      nights: nights.filter((n) => n.travellerId === x.id).map((n) => ({ night: n.night, placeId: n.placeId })),
    })),
    overrides: overrides.map((o) => ({ id: o.id, fromPlaceId: o.fromPlaceId, toPlaceId: o.toPlaceId, mode: o.mode, minutes: o.minutes, symmetric: o.symmetric })),
    extras: extras.map((x) => ({ id: x.id, label: x.label, areaA: x.areaA, areaB: x.areaB, extraMinutes: x.extraMinutes, fromMinute: x.fromMinute, toMinute: x.toMinute })),
    fixedItems: fixed.map((f) => ({ id: f.id, title: f.title, placeId: f.placeId, startsAt: iso(f.startsAt), endsAt: iso(f.endsAt), travellerIds: f.travellerIds })),
    rules: visibleRules.map((r) => ({
      id: r.id,
      travellerId: r.traveller_id,
      personId: r.person_id,
      personName: r.person_name,
      area: r.area,
      note: r.note,
      permits: permits.filter((p) => p.ruleId === r.id).map((p) => ({ id: p.id, validFrom: p.validFrom, validTo: p.validTo })),
    })),
    requests,
  };
}

export async function loadVisibleRequests(db: Db, actor: Actor, tripId: string, only?: string[]): Promise<TripDetail['requests']> {
  const list = await db
    .select()
    .from(tripRequest)
    .where(and(eq(tripRequest.tripId, tripId), tripRequestVisible(actor, tripRequest), only ? inArray(tripRequest.id, only.length ? only : ['00000000-0000-0000-0000-000000000000']) : undefined))
    .orderBy(asc(tripRequest.createdAt), asc(tripRequest.id));
  if (!list.length) return [];
  const ids = list.map((r) => r.id);
  const parties = await rows<{ request_id: string; organisation_id: string | null; person_id: string | null; name: string }>(
    db,
    sql`SELECT p.request_id, p.organisation_id, p.person_id, coalesce(o.name, pe.display_name) AS name
      FROM trip_request_party p LEFT JOIN organisation o ON o.id = p.organisation_id LEFT JOIN person pe ON pe.id = p.person_id
      WHERE p.request_id IN ${sql`(${sql.join(
        ids.map((i) => sql`${i}`),
        sql`, `,
      )})`} ORDER BY p.id`,
  );
  const travellers = await db.select().from(tripRequestTraveller).where(inArray(tripRequestTraveller.requestId, ids));
  const places = await db.select().from(tripRequestPlace).where(inArray(tripRequestPlace.requestId, ids));
  const windows = await db.select().from(tripRequestWindow).where(inArray(tripRequestWindow.requestId, ids)).orderBy(asc(tripRequestWindow.startsAt));
  const pins = await db.select().from(tripPin).where(inArray(tripPin.requestId, ids));
  return list.map((r) => {
    const pin = pins.find((p) => p.requestId === r.id);
    return {
      id: r.id,
      title: r.title,
      durationMinutes: r.durationMinutes,
      priority: r.priority,
      format: r.format,
      organisations: parties.filter((p) => p.request_id === r.id && p.organisation_id).map((p) => ({ id: p.organisation_id!, name: p.name })),
      people: parties.filter((p) => p.request_id === r.id && p.person_id).map((p) => ({ id: p.person_id!, name: p.name })),
      travellers: travellers.filter((t) => t.requestId === r.id).map((t) => ({ travellerId: t.travellerId, must: t.must })),
      placeIds: places.filter((p) => p.requestId === r.id).map((p) => p.placeId),
      allowTheirOffice: r.allowTheirOffice,
      allowOurs: r.allowOurs,
      allowOnline: r.allowOnline,
      counterpartWeekend: r.counterpartWeekend,
      windows: windows.filter((w) => w.requestId === r.id).map((w) => ({ startsAt: iso(w.startsAt), endsAt: iso(w.endsAt) })),
      campaignTargetId: r.campaignTargetId,
      restricted: r.restricted,
      pin: pin ? { placeId: pin.placeId, startsAt: iso(pin.startsAt), travellerIds: pin.travellerIds } : null,
    };
  });
}

// ---------- references within a trip ----------

async function assertTripRefs(db: Db, tripId: string, refs: { places?: Ref[]; travellers?: Ref[] }) {
  const errors: FieldError[] = [];
  const check = async (list: Ref[] | undefined, table: typeof tripPlace | typeof tripTraveller) => {
    if (!list?.length) return;
    const ids = [...new Set(list.map((r) => r.id))].filter(isUuid);
    const found = new Set(
      ids.length
        ? (
            await db
              .select({ id: table.id })
              .from(table)
              .where(and(eq(table.tripId, tripId), inArray(table.id, ids)))
          ).map((r) => r.id)
        : [],
    );
    for (const r of list) if (!found.has(r.id)) errors.push({ field: r.field, detail: 'No such record in this trip' });
  };
  await check(refs.places, tripPlace);
  await check(refs.travellers, tripTraveller);
  if (errors.length) throw unknownRef(errors);
}

async function writeTrip<T>(db: Db, ctx: RequestContext, tripId: string, fn: (tx: Db, actor: Actor) => Promise<T>): Promise<T> {
  const actor = tripWriter(ctx);
  await loadTrip(db, tripId);
  return db.transaction(async (tx) => {
    const out = await fn(tx, actor);
    await tx.update(trip).set({ updatedAt: new Date() }).where(eq(trip.id, tripId));
    return out;
  });
}

export async function addPlace(db: Db, ctx: RequestContext, tripId: string, input: CreatePlaceInput): Promise<{ id: string }> {
  return writeTrip(db, ctx, tripId, async (tx, actor) => {
    if (input.organisationId) await assertRefs(tx, actor, { organisations: [{ field: 'body.organisationId', id: input.organisationId }] });
    const [row] = await tx
      .insert(tripPlace)
      .values({ tripId, name: input.name, kind: input.kind, lat: input.lat ?? null, lon: input.lon ?? null, area: input.area ?? null, organisationId: input.organisationId ?? null })
      .returning({ id: tripPlace.id });
    await recordAudit(tx, ctx, { action: 'trip.place.create', entityType: 'trip', entityId: tripId, detail: { placeId: row!.id, name: input.name } });
    return { id: row!.id };
  });
}

export async function addTraveller(db: Db, ctx: RequestContext, tripId: string, input: CreateTravellerInput): Promise<{ id: string }> {
  return writeTrip(db, ctx, tripId, async (tx, actor) => {
    await assertRefs(tx, actor, { users: [{ field: 'body.userId', id: input.userId }] });
    await assertTripRefs(tx, tripId, {
      places: [...(input.basePlaceId ? [{ field: 'body.basePlaceId', id: input.basePlaceId }] : []), ...input.nights.map((n, i) => ({ field: `body.nights.${i}.placeId`, id: n.placeId }))],
    });
    const [exists] = await tx
      .select({ id: tripTraveller.id })
      .from(tripTraveller)
      .where(and(eq(tripTraveller.tripId, tripId), eq(tripTraveller.userId, input.userId)));
    if (exists) throw new AppError('conflict', 'already_travelling', 'This person is already a traveller on this trip.', [{ field: 'body.userId', detail: 'Already on this trip' }]);
    const [row] = await tx
      .insert(tripTraveller)
      .values({ tripId, userId: input.userId, workFrom: input.workFrom, workTo: input.workTo, weekend: input.weekend, holidays: input.holidays, basePlaceId: input.basePlaceId ?? null })
      .returning({ id: tripTraveller.id });
    const nights = new Map(input.nights.map((n) => [n.night, n.placeId]));
    if (nights.size) await tx.insert(tripTravellerNight).values([...nights].map(([night, placeId]) => ({ travellerId: row!.id, night, placeId })));
    await recordAudit(tx, ctx, { action: 'trip.traveller.create', entityType: 'trip', entityId: tripId, detail: { travellerId: row!.id, userId: input.userId } });
    return { id: row!.id };
  });
}

export async function addOverride(db: Db, ctx: RequestContext, tripId: string, input: CreateOverrideInput): Promise<{ id: string }> {
  return writeTrip(db, ctx, tripId, async (tx) => {
    await assertTripRefs(tx, tripId, {
      places: [
        { field: 'body.fromPlaceId', id: input.fromPlaceId },
        { field: 'body.toPlaceId', id: input.toPlaceId },
      ],
    });
    const [row] = await tx
      .insert(tripTravelOverride)
      .values({ tripId, ...input })
      .onConflictDoUpdate({ target: [tripTravelOverride.tripId, tripTravelOverride.fromPlaceId, tripTravelOverride.toPlaceId, tripTravelOverride.mode], set: { minutes: input.minutes, symmetric: input.symmetric } })
      .returning({ id: tripTravelOverride.id });
    await recordAudit(tx, ctx, { action: 'trip.travel_override.set', entityType: 'trip', entityId: tripId, detail: { ...input } });
    return { id: row!.id };
  });
}

export async function addExtra(db: Db, ctx: RequestContext, tripId: string, input: CreateExtraInput): Promise<{ id: string }> {
  return writeTrip(db, ctx, tripId, async (tx) => {
    const [row] = await tx
      .insert(tripTravelExtra)
      .values({ tripId, label: input.label, areaA: input.areaA, areaB: input.areaB, extraMinutes: input.extraMinutes, fromMinute: input.fromMinute ?? null, toMinute: input.toMinute ?? null })
      .returning({ id: tripTravelExtra.id });
    await recordAudit(tx, ctx, { action: 'trip.travel_extra.create', entityType: 'trip', entityId: tripId, detail: { ...input } });
    return { id: row!.id };
  });
}

export async function addFixedItem(db: Db, ctx: RequestContext, tripId: string, input: CreateFixedItemInput): Promise<{ id: string }> {
  return writeTrip(db, ctx, tripId, async (tx) => {
    await assertTripRefs(tx, tripId, { places: [{ field: 'body.placeId', id: input.placeId }], travellers: input.travellerIds.map((id, i) => ({ field: `body.travellerIds.${i}`, id })) });
    const [row] = await tx
      .insert(tripFixedItem)
      .values({ tripId, title: input.title, placeId: input.placeId, startsAt: new Date(input.startsAt), endsAt: new Date(input.endsAt), travellerIds: [...new Set(input.travellerIds)] })
      .returning({ id: tripFixedItem.id });
    await recordAudit(tx, ctx, { action: 'trip.fixed_item.create', entityType: 'trip', entityId: tripId, detail: { fixedItemId: row!.id, title: input.title } });
    return { id: row!.id };
  });
}

export async function addAccessRule(db: Db, ctx: RequestContext, tripId: string, input: CreateAccessRuleInput): Promise<{ id: string }> {
  return writeTrip(db, ctx, tripId, async (tx, actor) => {
    if (input.personId) await assertRefs(tx, actor, { people: [{ field: 'body.personId', id: input.personId }] });
    if (input.travellerId) await assertTripRefs(tx, tripId, { travellers: [{ field: 'body.travellerId', id: input.travellerId }] });
    const [row] = await tx
      .insert(tripAccessRule)
      .values({ tripId, travellerId: input.travellerId ?? null, personId: input.personId ?? null, area: input.area, note: input.note ?? null })
      .returning({ id: tripAccessRule.id });
    if (input.permits.length) await tx.insert(tripPermit).values(input.permits.map((p) => ({ ruleId: row!.id, validFrom: p.validFrom, validTo: p.validTo })));
    await recordAudit(tx, ctx, { action: 'trip.access_rule.create', entityType: 'trip', entityId: tripId, detail: { ruleId: row!.id, area: input.area, permits: input.permits.length } });
    return { id: row!.id };
  });
}

export async function addPermit(db: Db, ctx: RequestContext, tripId: string, ruleId: string, input: CreatePermitInput): Promise<{ id: string }> {
  return writeTrip(db, ctx, tripId, async (tx) => {
    const [rule] = isUuid(ruleId)
      ? await tx
          .select({ id: tripAccessRule.id })
          .from(tripAccessRule)
          .where(and(eq(tripAccessRule.id, ruleId), eq(tripAccessRule.tripId, tripId)))
      : [];
    if (!rule) throw notFound('access_rule');
    const [row] = await tx
      .insert(tripPermit)
      .values({ ruleId, validFrom: input.validFrom, validTo: input.validTo })
      .returning({ id: tripPermit.id });
    await recordAudit(tx, ctx, { action: 'trip.permit.create', entityType: 'trip', entityId: tripId, detail: { ruleId, ...input } });
    return { id: row!.id };
  });
}

/** The references of a request: Network records the actor may see, places and travellers of this trip, a campaign target they may see. */
async function checkRequestRefs(tx: Db, actor: Actor, tripId: string, input: CreateRequestInput) {
  await assertRefs(tx, actor, {
    organisations: input.organisationIds.map((id, i) => ({ field: `body.organisationIds.${i}`, id })),
    people: input.personIds.map((id, i) => ({ field: `body.personIds.${i}`, id })),
  });
  await assertTripRefs(tx, tripId, {
    places: input.placeIds.map((id, i) => ({ field: `body.placeIds.${i}`, id })),
    travellers: input.travellers.map((t, i) => ({ field: `body.travellers.${i}.travellerId`, id: t.travellerId })),
  });
  if (input.campaignTargetId) {
    // a target of a campaign the planner may not see (or whose official they may not see) is as if it did not exist
    const [t] = await tx
      .select({ id: campaignTarget.id })
      .from(campaignTarget)
      .where(and(eq(campaignTarget.id, input.campaignTargetId), campaignVisible(actor, campaignTarget.campaignId), targetRowVisible(actor, campaignTarget.personId)));
    if (!t) throw unknownRef([{ field: 'body.campaignTargetId', detail: 'No such record' }]);
  }
}

/** Who, who of the travellers, where and when: the rows under a request. */
async function insertRequestChildren(tx: Db, requestId: string, input: CreateRequestInput) {
  const parties = [...new Set(input.organisationIds)].map((o) => ({ requestId, organisationId: o })).concat([...new Set(input.personIds)].map((p) => ({ requestId, personId: p }) as never));
  if (parties.length) await tx.insert(tripRequestParty).values(parties);
  await tx.insert(tripRequestTraveller).values(input.travellers.map((t) => ({ requestId, travellerId: t.travellerId, must: t.must })));
  if (input.placeIds.length) await tx.insert(tripRequestPlace).values([...new Set(input.placeIds)].map((placeId) => ({ requestId, placeId })));
  if (input.windows.length) await tx.insert(tripRequestWindow).values(input.windows.map((w) => ({ requestId, startsAt: new Date(w.startsAt), endsAt: new Date(w.endsAt) })));
}

export async function addRequest(db: Db, ctx: RequestContext, tripId: string, input: CreateRequestInput): Promise<TripDetail['requests'][number]> {
  const id = await writeTrip(db, ctx, tripId, async (tx, actor) => {
    await checkRequestRefs(tx, actor, tripId, input);
    const [row] = await tx
      .insert(tripRequest)
      .values({
        tripId,
        title: input.title,
        durationMinutes: input.durationMinutes,
        priority: input.priority,
        format: input.format,
        allowTheirOffice: input.allowTheirOffice,
        allowOurs: input.allowOurs,
        allowOnline: input.allowOnline,
        counterpartWeekend: input.counterpartWeekend,
        campaignTargetId: input.campaignTargetId ?? null,
        restricted: input.restricted,
        createdBy: actor.id,
      })
      .returning({ id: tripRequest.id });
    const requestId = row!.id;
    await insertRequestChildren(tx, requestId, input);
    await recordAudit(tx, ctx, { action: 'trip.request.create', entityType: 'trip_request', entityId: requestId, detail: { tripId, restricted: input.restricted } });
    return requestId;
  });
  const actor = tripReader(ctx);
  const [r] = await loadVisibleRequests(db, actor, tripId, [id]);
  // the creator always sees what they just wrote (restricted or not); a hidden person makes it invisible only to others
  if (!r) throw notFound('trip_request');
  return r;
}

/** The request if the actor may see it (in this trip), else the same 404 as for a missing one. */
async function visibleRequest(db: Db, actor: Actor, tripId: string, requestId: string): Promise<TripDetail['requests'][number]> {
  if (!isUuid(requestId)) throw notFound('trip_request');
  const [r] = await loadVisibleRequests(db, actor, tripId, [requestId]);
  if (!r) throw notFound('trip_request');
  return r;
}

/** Changes a request: the fields sent replace the stored ones, and the whole is checked as a new request would be. */
export async function updateRequest(db: Db, ctx: RequestContext, tripId: string, requestId: string, input: UpdateRequestInput): Promise<TripDetail['requests'][number]> {
  await writeTrip(db, ctx, tripId, async (tx, actor) => {
    const cur = await visibleRequest(tx, actor, tripId, requestId);
    if (input.restricted !== undefined && input.restricted !== cur.restricted) await assertMayShare(tx, actor, requestId);
    const merged = {
      title: cur.title,
      durationMinutes: cur.durationMinutes,
      priority: cur.priority,
      format: cur.format,
      organisationIds: cur.organisations.map((o) => o.id),
      personIds: cur.people.map((p) => p.id),
      travellers: cur.travellers,
      placeIds: cur.placeIds,
      allowTheirOffice: cur.allowTheirOffice,
      allowOurs: cur.allowOurs,
      allowOnline: cur.allowOnline,
      counterpartWeekend: cur.counterpartWeekend,
      windows: cur.windows,
      campaignTargetId: cur.campaignTargetId,
      restricted: cur.restricted,
      ...input,
    };
    const parsed = CreateRequestSchema.safeParse(merged);
    if (!parsed.success) throw new AppError('invalid', 'invalid_request', 'The request has invalid fields.', zodFieldErrors(parsed.error, 'body'));
    const next = parsed.data;
    await checkRequestRefs(tx, actor, tripId, next);
    await tx
      .update(tripRequest)
      .set({
        title: next.title,
        durationMinutes: next.durationMinutes,
        priority: next.priority,
        format: next.format,
        allowTheirOffice: next.allowTheirOffice,
        allowOurs: next.allowOurs,
        allowOnline: next.allowOnline,
        counterpartWeekend: next.counterpartWeekend,
        campaignTargetId: next.campaignTargetId ?? null,
        restricted: next.restricted,
      })
      .where(eq(tripRequest.id, requestId));
    await tx.delete(tripRequestParty).where(eq(tripRequestParty.requestId, requestId));
    await tx.delete(tripRequestTraveller).where(eq(tripRequestTraveller.requestId, requestId));
    await tx.delete(tripRequestPlace).where(eq(tripRequestPlace.requestId, requestId));
    await tx.delete(tripRequestWindow).where(eq(tripRequestWindow.requestId, requestId));
    await insertRequestChildren(tx, requestId, next);
    await recordAudit(tx, ctx, { action: 'trip.request.update', entityType: 'trip_request', entityId: requestId, detail: { tripId, fields: Object.keys(input) } });
  });
  // the editor may have made it invisible to themselves (a person they may not see cannot be added, so only by
  // restricting a request they neither made, travel on nor were granted): then it answers 404 like any other
  return visibleRequest(db, tripReader(ctx), tripId, requestId);
}

type TripRecordTable = typeof tripTraveller | typeof tripPlace | typeof tripFixedItem | typeof tripTravelExtra | typeof tripTravelOverride;

/** The record `id` of one of the trip's tables, or 404 trip_record (also for an id that is not a uuid). */
async function tripRecord<T extends TripRecordTable>(tx: Db, table: T, tripId: string, id: string): Promise<T['$inferSelect']> {
  const t = table as typeof tripPlace; // the columns every such table has: id, trip_id
  const [cur] = isUuid(id) ? await tx.select().from(t).where(and(eq(t.id, id), eq(t.tripId, tripId))) : [];
  if (!cur) throw notFound('trip_record');
  return cur as T['$inferSelect'];
}

/** Changes a traveller's working hours, weekend, holidays, default base or bases per night (`nights` replaces them all). */
export async function updateTraveller(db: Db, ctx: RequestContext, tripId: string, travellerId: string, input: UpdateTravellerInput): Promise<TripDetail['travellers'][number]> {
  await writeTrip(db, ctx, tripId, async (tx) => {
    const cur = await tripRecord(tx, tripTraveller, tripId, travellerId);
    const workFrom = input.workFrom ?? cur.workFrom;
    const workTo = input.workTo ?? cur.workTo;
    if (workTo <= workFrom) throw new AppError('invalid', 'invalid_request', 'The request has invalid fields.', [{ field: 'body.workTo', detail: 'Working hours end after they start' }]);
    await assertTripRefs(tx, tripId, {
      places: [...(input.basePlaceId ? [{ field: 'body.basePlaceId', id: input.basePlaceId }] : []), ...(input.nights ?? []).map((n, i) => ({ field: `body.nights.${i}.placeId`, id: n.placeId }))],
    });
    const { nights, ...fields } = input;
    if (Object.keys(fields).length) await tx.update(tripTraveller).set(fields).where(eq(tripTraveller.id, travellerId));
    if (nights) {
      await tx.delete(tripTravellerNight).where(eq(tripTravellerNight.travellerId, travellerId));
      const byNight = new Map(nights.map((n) => [n.night, n.placeId]));
      if (byNight.size) await tx.insert(tripTravellerNight).values([...byNight].map(([night, placeId]) => ({ travellerId, night, placeId })));
    }
    await recordAudit(tx, ctx, { action: 'trip.traveller.update', entityType: 'trip', entityId: tripId, detail: { travellerId, fields: Object.keys(input) } });
  });
  const t = await getTrip(db, ctx, tripId);
  return t.travellers.find((x) => x.id === travellerId)!;
}

/** Changes a place's name, kind, coordinates or area (coordinates: both or neither once changed). */
export async function updatePlace(db: Db, ctx: RequestContext, tripId: string, placeId: string, input: UpdatePlaceInput): Promise<TripDetail['places'][number]> {
  await writeTrip(db, ctx, tripId, async (tx) => {
    const cur = await tripRecord(tx, tripPlace, tripId, placeId);
    const lat = input.lat !== undefined ? input.lat : cur.lat;
    const lon = input.lon !== undefined ? input.lon : cur.lon;
    if ((lat == null) !== (lon == null)) throw new AppError('invalid', 'invalid_request', 'The request has invalid fields.', [{ field: lat == null ? 'body.lat' : 'body.lon', detail: 'Give both coordinates or neither' }]);
    await tx.update(tripPlace).set(input).where(eq(tripPlace.id, placeId));
    await recordAudit(tx, ctx, { action: 'trip.place.update', entityType: 'trip', entityId: tripId, detail: { placeId, fields: Object.keys(input) } });
  });
  const t = await getTrip(db, ctx, tripId);
  return t.places.find((p) => p.id === placeId)!;
}

/** Changes a fixed item (title, place, times, travellers): the fields sent replace the stored ones; audited. */
export async function updateFixedItem(db: Db, ctx: RequestContext, tripId: string, fixedItemId: string, input: UpdateFixedItemInput): Promise<TripDetail['fixedItems'][number]> {
  await writeTrip(db, ctx, tripId, async (tx) => {
    const cur = await tripRecord(tx, tripFixedItem, tripId, fixedItemId);
    const startsAt = input.startsAt ? new Date(input.startsAt) : cur.startsAt;
    const endsAt = input.endsAt ? new Date(input.endsAt) : cur.endsAt;
    if (endsAt.getTime() <= startsAt.getTime()) throw new AppError('invalid', 'invalid_request', 'The request has invalid fields.', [{ field: input.endsAt ? 'body.endsAt' : 'body.startsAt', detail: 'Ends after it starts' }]);
    await assertTripRefs(tx, tripId, {
      places: input.placeId ? [{ field: 'body.placeId', id: input.placeId }] : [],
      travellers: (input.travellerIds ?? []).map((id, i) => ({ field: `body.travellerIds.${i}`, id })),
    });
    await tx
      .update(tripFixedItem)
      .set({
        ...(input.title !== undefined ? { title: input.title } : {}),
        ...(input.placeId !== undefined ? { placeId: input.placeId } : {}),
        startsAt,
        endsAt,
        ...(input.travellerIds !== undefined ? { travellerIds: [...new Set(input.travellerIds)] } : {}),
      })
      .where(eq(tripFixedItem.id, fixedItemId));
    await recordAudit(tx, ctx, { action: 'trip.fixed_item.update', entityType: 'trip', entityId: tripId, detail: { fixedItemId, fields: Object.keys(input) } });
  });
  const t = await getTrip(db, ctx, tripId);
  return t.fixedItems.find((f) => f.id === fixedItemId)!;
}

/** Changes a travel extra (label, areas, minutes, hours): the fields sent replace the stored ones; audited. */
export async function updateExtra(db: Db, ctx: RequestContext, tripId: string, extraId: string, input: UpdateExtraInput): Promise<TripDetail['extras'][number]> {
  await writeTrip(db, ctx, tripId, async (tx) => {
    const cur = await tripRecord(tx, tripTravelExtra, tripId, extraId);
    const fromMinute = input.fromMinute !== undefined ? input.fromMinute : cur.fromMinute;
    const toMinute = input.toMinute !== undefined ? input.toMinute : cur.toMinute;
    const bad = (field: string, detail: string) => new AppError('invalid', 'invalid_request', 'The request has invalid fields.', [{ field, detail }]);
    if ((fromMinute == null) !== (toMinute == null)) throw bad(fromMinute == null ? 'body.fromMinute' : 'body.toMinute', 'Give both hours or neither (all day)');
    if (fromMinute != null && toMinute! <= fromMinute) throw bad('body.toMinute', 'Ends after it starts');
    await tx.update(tripTravelExtra).set(input).where(eq(tripTravelExtra.id, extraId));
    await recordAudit(tx, ctx, { action: 'trip.travel_extra.update', entityType: 'trip', entityId: tripId, detail: { extraId, fields: Object.keys(input) } });
  });
  const t = await getTrip(db, ctx, tripId);
  return t.extras.find((x) => x.id === extraId)!;
}

/** Changes a travel time set by hand: its minutes or whether it holds both ways; audited. */
export async function updateOverride(db: Db, ctx: RequestContext, tripId: string, overrideId: string, input: UpdateOverrideInput): Promise<TripDetail['overrides'][number]> {
  await writeTrip(db, ctx, tripId, async (tx) => {
    await tripRecord(tx, tripTravelOverride, tripId, overrideId);
    if (Object.keys(input).length) await tx.update(tripTravelOverride).set(input).where(eq(tripTravelOverride.id, overrideId));
    await recordAudit(tx, ctx, { action: 'trip.travel_override.update', entityType: 'trip', entityId: tripId, detail: { overrideId, ...input } });
  });
  const t = await getTrip(db, ctx, tripId);
  return t.overrides.find((o) => o.id === overrideId)!;
}

/** An access rule of the trip the actor may see (a rule on a person whose identity they may not see answers 404). */
async function visibleRule(tx: Db, actor: Actor, tripId: string, ruleId: string): Promise<void> {
  const [rule] = isUuid(ruleId)
    ? await rows<{ id: string }>(
        tx,
        sql`SELECT r.id FROM trip_access_rule r WHERE r.id = ${ruleId} AND r.trip_id = ${tripId}
          AND (r.person_id IS NULL OR ${personIdentityVisible(actor, sql`r.person_id`)} OR EXISTS (SELECT 1 FROM person pp WHERE pp.id = r.person_id AND pp.restricted = false))`,
      )
    : [];
  if (!rule) throw notFound('access_rule');
}

/** Changes an access rule's area or note; audited. */
export async function updateAccessRule(db: Db, ctx: RequestContext, tripId: string, ruleId: string, input: UpdateAccessRuleInput): Promise<TripDetail['rules'][number]> {
  await writeTrip(db, ctx, tripId, async (tx, actor) => {
    await visibleRule(tx, actor, tripId, ruleId);
    if (Object.keys(input).length) await tx.update(tripAccessRule).set(input).where(eq(tripAccessRule.id, ruleId));
    await recordAudit(tx, ctx, { action: 'trip.access_rule.update', entityType: 'trip', entityId: tripId, detail: { ruleId, fields: Object.keys(input) } });
  });
  const t = await getTrip(db, ctx, tripId);
  return t.rules.find((r) => r.id === ruleId)!;
}

/** Changes a permit's first or last day (it ends on or after the day it starts, as stored after); audited. */
export async function updatePermit(db: Db, ctx: RequestContext, tripId: string, permitId: string, input: UpdatePermitInput): Promise<TripDetail['rules'][number]['permits'][number]> {
  await writeTrip(db, ctx, tripId, async (tx, actor) => {
    const [cur] = isUuid(permitId)
      ? await tx
          .select()
          .from(tripPermit)
          .where(and(eq(tripPermit.id, permitId), sql`${tripPermit.ruleId} IN (SELECT id FROM trip_access_rule WHERE trip_id = ${tripId})`))
      : [];
    if (!cur) throw notFound('trip_record');
    await visibleRule(tx, actor, tripId, cur.ruleId);
    const validFrom = input.validFrom ?? cur.validFrom;
    const validTo = input.validTo ?? cur.validTo;
    if (validTo < validFrom) throw new AppError('invalid', 'invalid_request', 'The request has invalid fields.', [{ field: input.validTo ? 'body.validTo' : 'body.validFrom', detail: 'A permit ends on or after the day it starts' }]);
    await tx.update(tripPermit).set({ validFrom, validTo }).where(eq(tripPermit.id, permitId));
    await recordAudit(tx, ctx, { action: 'trip.permit.update', entityType: 'trip', entityId: tripId, detail: { permitId, ruleId: cur.ruleId, validFrom, validTo } });
  });
  const t = await getTrip(db, ctx, tripId);
  return t.rules.flatMap((r) => r.permits).find((p) => p.id === permitId)!;
}

// ---------- need-to-know grants of a request ----------

/**
 * Who may share a request, or change whether it is need-to-know: those who would see it were it restricted (admins,
 * its creator, the travellers on it, users granted it). Others who see an open request may not grant it (a grant kept
 * from before it was restricted would outlive their right to see it) nor restrict it.
 */
async function assertMayShare(db: Db, actor: Actor, requestId: string) {
  if (actor.role === 'admin') return;
  const [ok] = await db
    .select({ id: tripRequest.id })
    .from(tripRequest)
    .where(and(eq(tripRequest.id, requestId), tripRequestVisible(actor, { id: tripRequest.id, restricted: sql`true`, createdBy: tripRequest.createdBy })));
  if (!ok) throw new AppError('forbidden', 'trip_request_not_shareable', 'Only admins, the request’s creator, the travellers on it and users granted it may share it or change whether it is need-to-know.');
}

async function grantsOf(db: Db, requestId: string, userId?: string) {
  const list = await db
    .select({ userId: accessGrant.userId, name: user.name, grantedBy: accessGrant.grantedBy, grantedAt: accessGrant.grantedAt })
    .from(accessGrant)
    .innerJoin(user, eq(user.id, accessGrant.userId))
    .where(and(eq(accessGrant.recordType, 'trip_request'), eq(accessGrant.recordId, requestId), userId ? eq(accessGrant.userId, userId) : undefined))
    .orderBy(asc(user.name));
  return list.map((g) => ({ ...g, grantedAt: g.grantedAt.toISOString() }));
}

/** Who was granted a request (whoever may see it and write trips may ask). */
export async function listRequestGrants(db: Db, ctx: RequestContext, tripId: string, requestId: string) {
  const actor = tripWriter(ctx);
  await loadTrip(db, tripId);
  await visibleRequest(db, actor, tripId, requestId);
  return { items: await grantsOf(db, requestId) };
}

/** Grants a user a request (need-to-know): only someone who may see it and may manage the trip; audited. */
export async function grantRequest(db: Db, ctx: RequestContext, tripId: string, requestId: string, userId: string) {
  return writeTrip(db, ctx, tripId, async (tx, actor) => {
    await visibleRequest(tx, actor, tripId, requestId);
    await assertMayShare(tx, actor, requestId);
    await assertRefs(tx, actor, { users: [{ field: 'body.userId', id: userId }] });
    const created = (
      await tx
        .insert(accessGrant)
        .values({ recordType: 'trip_request', recordId: requestId, userId, grantedBy: actor.id })
        .onConflictDoNothing()
        .returning({ id: accessGrant.id })
    ).length > 0;
    if (created) await recordAudit(tx, ctx, { action: 'trip.request.grant', entityType: 'trip_request', entityId: requestId, detail: { tripId, userId } });
    const [grant] = await grantsOf(tx, requestId, userId);
    return { grant: grant!, created };
  });
}

/** Takes a user's grant of a request away (same who-may as granting). */
export async function revokeRequestGrant(db: Db, ctx: RequestContext, tripId: string, requestId: string, userId: string) {
  await writeTrip(db, ctx, tripId, async (tx, actor) => {
    await visibleRequest(tx, actor, tripId, requestId);
    await assertMayShare(tx, actor, requestId);
    const gone = await tx
      .delete(accessGrant)
      .where(and(eq(accessGrant.recordType, 'trip_request'), eq(accessGrant.recordId, requestId), eq(accessGrant.userId, userId)))
      .returning({ id: accessGrant.id });
    if (!gone.length) throw notFound('grant');
    await recordAudit(tx, ctx, { action: 'trip.request.revoke_grant', entityType: 'trip_request', entityId: requestId, detail: { tripId, userId } });
  });
}

export const REMOVABLE = ['places', 'travellers', 'travel-overrides', 'travel-extras', 'fixed-items', 'access-rules', 'permits', 'requests'] as const;
export type Removable = (typeof REMOVABLE)[number];

/** Removes one record of a trip. A request the actor may not see answers 404, as if it did not exist. */
export async function removeRecord(db: Db, ctx: RequestContext, tripId: string, kind: Removable, itemId: string): Promise<void> {
  await writeTrip(db, ctx, tripId, async (tx, actor) => {
    if (!isUuid(itemId)) throw notFound('trip_record');
    let deleted: Array<{ id: string }> = [];
    switch (kind) {
      case 'places':
        deleted = await tx.delete(tripPlace).where(and(eq(tripPlace.id, itemId), eq(tripPlace.tripId, tripId))).returning({ id: tripPlace.id });
        break;
      case 'travellers':
        deleted = await tx.delete(tripTraveller).where(and(eq(tripTraveller.id, itemId), eq(tripTraveller.tripId, tripId))).returning({ id: tripTraveller.id });
        break;
      case 'travel-overrides':
        deleted = await tx.delete(tripTravelOverride).where(and(eq(tripTravelOverride.id, itemId), eq(tripTravelOverride.tripId, tripId))).returning({ id: tripTravelOverride.id });
        break;
      case 'travel-extras':
        deleted = await tx.delete(tripTravelExtra).where(and(eq(tripTravelExtra.id, itemId), eq(tripTravelExtra.tripId, tripId))).returning({ id: tripTravelExtra.id });
        break;
      case 'fixed-items':
        deleted = await tx.delete(tripFixedItem).where(and(eq(tripFixedItem.id, itemId), eq(tripFixedItem.tripId, tripId))).returning({ id: tripFixedItem.id });
        break;
      case 'access-rules':
        // a rule on a person the actor may not see is not there for them (404), nor are its permits
        await visibleRule(tx, actor, tripId, itemId);
        deleted = await tx.delete(tripAccessRule).where(and(eq(tripAccessRule.id, itemId), eq(tripAccessRule.tripId, tripId))).returning({ id: tripAccessRule.id });
        break;
      case 'permits': {
        const [permit] = await tx
          .select({ ruleId: tripPermit.ruleId })
          .from(tripPermit)
          .where(and(eq(tripPermit.id, itemId), sql`${tripPermit.ruleId} IN (SELECT id FROM trip_access_rule WHERE trip_id = ${tripId})`));
        if (!permit) throw notFound('trip_record');
        await visibleRule(tx, actor, tripId, permit.ruleId);
        deleted = await tx
          .delete(tripPermit)
          .where(and(eq(tripPermit.id, itemId), sql`${tripPermit.ruleId} IN (SELECT id FROM trip_access_rule WHERE trip_id = ${tripId})`))
          .returning({ id: tripPermit.id });
        break;
      }
      case 'requests':
        deleted = await tx
          .delete(tripRequest)
          .where(and(eq(tripRequest.id, itemId), eq(tripRequest.tripId, tripId), tripRequestVisible(actor, tripRequest)))
          .returning({ id: tripRequest.id });
        break;
    }
    if (!deleted.length) throw notFound('trip_record');
    if (kind === 'requests') await tx.delete(accessGrant).where(and(eq(accessGrant.recordType, 'trip_request'), eq(accessGrant.recordId, itemId)));
    await recordAudit(tx, ctx, { action: 'trip.record.delete', entityType: kind === 'requests' ? 'trip_request' : 'trip', entityId: kind === 'requests' ? itemId : tripId, detail: { kind, id: itemId } });
  });
}

/** The names of Network organisations, for the plan view and the meetings it makes. */
export async function organisationNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const list = await db.select({ id: organisation.id, name: organisation.name }).from(organisation).where(inArray(organisation.id, ids));
  return new Map(list.map((o) => [o.id, o.name]));
}
