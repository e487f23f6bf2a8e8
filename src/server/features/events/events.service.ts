import { randomBytes } from 'node:crypto';
import { and, asc, count, desc, eq, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { decodeCursor, paginate } from '../../core/pagination.ts';
import { AppError, isUuid, notFound } from '../../core/errors.ts';
import { authorize, type Actor } from '../../access/roles.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { assertNotErased } from '../network/erasure.service.ts';
import { organisation } from '../network/network.schema.ts';
import {
  MAX_EVENT_DAYS,
  type CohostDto,
  type CreateEventInput,
  type CreateQuestionInput,
  type CreateReferralLinkInput,
  type CreateTicketTypeInput,
  type EventDto,
  type EventListQuery,
  type EventSummary,
  type EventTotals,
  type PutCohostInput,
  type QuestionDto,
  type RegistrationDto,
  type ReferralLinkDto,
  type TicketTypeDto,
  type UpdateEventInput,
  type UpdateQuestionInput,
  type UpdateTicketTypeInput,
} from './events.contract.ts';
import { event, eventCohost, eventSigningKey, referralLink, registration, registrationQuestion, ticket, ticketType, waitlistEntry } from './events.schema.ts';
import { generateEventKeys } from './ticket-code.ts';
import { translate } from '../../../i18n/catalogs.ts';
import { LOCALES } from '../../../i18n/locales.ts';
import { offerFreedPlaces, type WaitlistJobs } from './waitlist.service.ts';

// Staff verbs on events: who may is decided first (roles.ts: events.read, events.manage), every write audited in
// its transaction. Viewers read events and totals; registrants' contacts are never part of these answers.

type EventRow = typeof event.$inferSelect;
type TicketTypeRow = typeof ticketType.$inferSelect;
type QuestionRow = typeof registrationQuestion.$inferSelect;

function eventReader(ctx: RequestContext): Actor {
  authorize(ctx.actor, 'events.read');
  return ctx.actor;
}
function eventManager(ctx: RequestContext): Actor {
  authorize(ctx.actor, 'events.manage');
  return ctx.actor;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const compact = <T extends Record<string, string | undefined>>(v: T | undefined) =>
  Object.fromEntries(Object.entries(v ?? {}).filter(([, s]) => typeof s === 'string' && s.length > 0)) as Record<string, string>;

function invalid(field: string, detail: string): AppError {
  return new AppError('invalid', 'invalid_request', 'The request has invalid fields.', [{ field, detail }]);
}

function checkTimes(startsAt: Date, endsAt: Date) {
  if (endsAt <= startsAt) throw new AppError('invalid', 'event_ends_before_start', 'The event must end after it starts.', [{ field: 'body.endsAt', detail: 'Must be after the start' }]);
  if (endsAt.getTime() - startsAt.getTime() > MAX_EVENT_DAYS * 86_400_000) {
    throw new AppError('invalid', 'event_too_long', `An event lasts at most ${MAX_EVENT_DAYS} days.`, [{ field: 'body.endsAt', detail: `At most ${MAX_EVENT_DAYS} days after the start` }]);
  }
}

function checkSalesWindow(start: Date | null, end: Date | null, prefix: string) {
  if (start && end && end <= start) throw new AppError('invalid', 'sales_window_invalid', 'Sales must end after they start.', [{ field: `${prefix}.salesEndAt`, detail: 'Must be after the sales start' }]);
}

// ---------- reading ----------

export function ticketTypeDto(t: TicketTypeRow): TicketTypeDto {
  return {
    id: t.id,
    name: t.name as Record<string, string>,
    description: t.description as Record<string, string>,
    capacity: t.capacity,
    taken: t.taken,
    priceCents: t.priceCents,
    salesStartAt: iso(t.salesStartAt),
    salesEndAt: iso(t.salesEndAt),
    perPersonLimit: t.perPersonLimit,
    position: t.position,
  };
}

export function questionDto(q: QuestionRow): QuestionDto {
  return {
    id: q.id,
    kind: q.kind as QuestionDto['kind'],
    consentPurpose: (q.consentPurpose as QuestionDto['consentPurpose']) ?? null,
    label: q.label as Record<string, string>,
    help: q.help as Record<string, string>,
    options: q.options.map((o) => ({ id: o.id, label: o.label as Record<string, string> })),
    required: q.required,
    position: q.position,
  };
}

export async function ticketTypesOf(db: Db, eventId: string): Promise<TicketTypeRow[]> {
  return db.select().from(ticketType).where(eq(ticketType.eventId, eventId)).orderBy(asc(ticketType.position), asc(ticketType.createdAt), asc(ticketType.id));
}

export async function questionsOf(db: Db, eventId: string): Promise<QuestionRow[]> {
  return db
    .select()
    .from(registrationQuestion)
    .where(eq(registrationQuestion.eventId, eventId))
    .orderBy(asc(registrationQuestion.position), asc(registrationQuestion.createdAt), asc(registrationQuestion.id));
}

async function cohostsOf(db: Db, eventId: string): Promise<CohostDto[]> {
  const rows = await db
    .select({ organisationId: eventCohost.organisationId, organisationName: organisation.name, role: eventCohost.role, sharingMode: eventCohost.sharingMode, createdAt: eventCohost.createdAt })
    .from(eventCohost)
    .innerJoin(organisation, eq(organisation.id, eventCohost.organisationId))
    .where(eq(eventCohost.eventId, eventId))
    .orderBy(sql`CASE ${eventCohost.role} WHEN 'lead' THEN 0 WHEN 'cohost' THEN 1 ELSE 2 END`, asc(organisation.name));
  return rows.map((r) => ({ ...r, role: r.role as CohostDto['role'], sharingMode: r.sharingMode as CohostDto['sharingMode'], createdAt: r.createdAt.toISOString() }));
}

async function loadEvent(db: Db, id: string, opts: { lock?: boolean } = {}): Promise<EventRow> {
  if (!isUuid(id)) throw notFound('event');
  const q = db.select().from(event).where(eq(event.id, id));
  const [e] = opts.lock ? await q.for('update') : await q;
  if (!e) throw notFound('event');
  return e;
}

async function readEvent(db: Db, e: EventRow): Promise<EventDto> {
  const [key] = await db.select({ publicKey: eventSigningKey.publicKey }).from(eventSigningKey).where(eq(eventSigningKey.eventId, e.id));
  return {
    id: e.id,
    slug: e.slug,
    title: e.title as Record<string, string>,
    description: e.description as Record<string, string>,
    practicalInfo: e.practicalInfo as Record<string, string>,
    accessibility: e.accessibility as Record<string, string>,
    venueName: e.venueName,
    venueAddress: e.venueAddress,
    mapUrl: e.mapUrl,
    startsAt: e.startsAt.toISOString(),
    endsAt: e.endsAt.toISOString(),
    timeZone: e.timeZone,
    languages: e.languages,
    gates: e.gates,
    status: e.status as EventDto['status'],
    waitlistOfferHours: e.waitlistOfferHours,
    retentionDays: e.retentionDays,
    keptRetentionDays: e.keptRetentionDays,
    publicKey: key?.publicKey ?? '',
    ticketTypes: (await ticketTypesOf(db, e.id)).map(ticketTypeDto),
    cohosts: await cohostsOf(db, e.id),
    questions: (await questionsOf(db, e.id)).map(questionDto),
    createdBy: e.createdBy,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}

export async function getEvent(db: Db, ctx: RequestContext, id: string): Promise<EventDto> {
  eventReader(ctx);
  return readEvent(db, await loadEvent(db, id));
}

export async function listEvents(db: Db, ctx: RequestContext, q: EventListQuery): Promise<{ items: EventSummary[]; nextCursor: string | null }> {
  eventReader(ctx);
  const after = decodeCursor(q.cursor, 2, ([t, id]) => typeof t === 'string' && !Number.isNaN(Date.parse(t)) && typeof id === 'string' && isUuid(id));
  const where: SQL[] = [];
  if (q.status) where.push(eq(event.status, q.status));
  if (after) {
    const [t, id] = after as [string, string];
    where.push(or(lt(event.startsAt, new Date(t)), and(eq(event.startsAt, new Date(t)), lt(event.id, id)))!);
  }
  const rows = await db
    .select({
      e: event,
      capacity: sql<number>`(SELECT COALESCE(sum(tt.capacity), 0)::int FROM ticket_type tt WHERE tt.event_id = "event"."id")`,
      tickets: sql<number>`(SELECT count(*)::int FROM ticket tk WHERE tk.event_id = "event"."id" AND tk.status = 'valid')`,
      waiting: sql<number>`(SELECT count(*)::int FROM waitlist_entry w WHERE w.event_id = "event"."id" AND w.status IN ('waiting', 'offered'))`,
    })
    .from(event)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(event.startsAt), desc(event.id))
    .limit(q.limit + 1);
  const page = paginate(rows, q.limit, (r) => [r.e.startsAt.toISOString(), r.e.id]);
  return {
    nextCursor: page.nextCursor,
    items: page.items.map(({ e, capacity, tickets, waiting }) => ({
      id: e.id,
      slug: e.slug,
      title: e.title as Record<string, string>,
      startsAt: e.startsAt.toISOString(),
      endsAt: e.endsAt.toISOString(),
      timeZone: e.timeZone,
      venueName: e.venueName,
      status: e.status as EventSummary['status'],
      capacity: Number(capacity),
      tickets: Number(tickets),
      waiting: Number(waiting),
      createdAt: e.createdAt.toISOString(),
    })),
  };
}

// ---------- events ----------

async function assertSlugFree(db: Db, slug: string, exceptId?: string) {
  const [other] = await db.select({ id: event.id }).from(event).where(eq(event.slug, slug));
  if (other && other.id !== exceptId) {
    throw new AppError('conflict', 'slug_taken', 'Another event already has this address.', [{ field: 'body.slug', detail: 'Already taken' }]);
  }
}

/** A ticket type created without a name is “General” in every language the catalogs have (not in one only). */
export const defaultTicketTypeName = (): Record<string, string> => Object.fromEntries(LOCALES.map((l) => [l, translate(l, 'events.staff.ticketTypes.general')]));

function ticketTypeValues(eventId: string, t: CreateTicketTypeInput, i: number) {
  const salesStartAt = t.salesStartAt ? new Date(t.salesStartAt) : null;
  const salesEndAt = t.salesEndAt ? new Date(t.salesEndAt) : null;
  return {
    eventId,
    name: t.name ? compact(t.name) : defaultTicketTypeName(),
    description: compact(t.description),
    capacity: t.capacity,
    priceCents: 0,
    salesStartAt,
    salesEndAt,
    perPersonLimit: t.perPersonLimit ?? 1,
    position: t.position ?? i,
  };
}

export async function createEvent(db: Db, ctx: RequestContext, input: CreateEventInput): Promise<EventDto> {
  const actor = eventManager(ctx);
  const startsAt = new Date(input.startsAt);
  const endsAt = new Date(input.endsAt);
  checkTimes(startsAt, endsAt);
  (input.ticketTypes ?? []).forEach((t, i) =>
    checkSalesWindow(t.salesStartAt ? new Date(t.salesStartAt) : null, t.salesEndAt ? new Date(t.salesEndAt) : null, `body.ticketTypes.${i}`),
  );
  const keys = generateEventKeys();
  return db.transaction(async (tx) => {
    await assertSlugFree(tx, input.slug);
    const [e] = await tx
      .insert(event)
      .values({
        slug: input.slug,
        title: compact(input.title),
        description: compact(input.description),
        practicalInfo: compact(input.practicalInfo),
        accessibility: compact(input.accessibility),
        venueName: input.venueName || null,
        venueAddress: input.venueAddress || null,
        mapUrl: input.mapUrl || null,
        startsAt,
        endsAt,
        timeZone: input.timeZone,
        languages: input.languages ?? [],
        gates: input.gates ?? [],
        status: input.status ?? 'draft',
        waitlistOfferHours: input.waitlistOfferHours ?? 24,
        retentionDays: input.retentionDays ?? 90,
        keptRetentionDays: keptDays(input.retentionDays ?? 90, input.keptRetentionDays, KEPT_DEFAULT_DAYS),
        createdBy: actor.id,
      })
      .returning();
    await tx.insert(eventSigningKey).values({ eventId: e!.id, ...keys });
    if (input.ticketTypes?.length) await tx.insert(ticketType).values(input.ticketTypes.map((t, i) => ticketTypeValues(e!.id, t, i)));
    await recordAudit(tx, ctx, { action: 'event.create', entityType: 'event', entityId: e!.id, detail: { slug: e!.slug, ticketTypes: input.ticketTypes?.length ?? 0 } });
    return readEvent(tx, e!);
  });
}

/** Two years, unless the event's first deadline is later. */
const KEPT_DEFAULT_DAYS = 730;

/**
 * The second retention deadline (those who agreed to hear again): never before the first. Given below it, 400 naming
 * the field; not given, the current (or default) one, raised to the first deadline when that is later.
 */
function keptDays(retentionDays: number, given: number | undefined, current: number): number {
  if (given === undefined) return Math.max(current, retentionDays);
  if (given < retentionDays) throw invalid('body.keptRetentionDays', `At least the days registrants' data is kept (${retentionDays})`);
  return given;
}

export async function updateEvent(db: Db, ctx: RequestContext, id: string, input: UpdateEventInput): Promise<EventDto> {
  eventManager(ctx);
  return db.transaction(async (tx) => {
    const e = await loadEvent(tx, id, { lock: true });
    const startsAt = input.startsAt ? new Date(input.startsAt) : e.startsAt;
    const endsAt = input.endsAt ? new Date(input.endsAt) : e.endsAt;
    if (input.startsAt || input.endsAt) checkTimes(startsAt, endsAt);
    if (input.slug && input.slug !== e.slug) await assertSlugFree(tx, input.slug, e.id);
    const set: Partial<typeof event.$inferInsert> = { updatedAt: new Date() };
    if (input.slug !== undefined) set.slug = input.slug;
    if (input.title !== undefined) set.title = compact(input.title);
    if (input.description !== undefined) set.description = compact(input.description);
    if (input.practicalInfo !== undefined) set.practicalInfo = compact(input.practicalInfo);
    if (input.accessibility !== undefined) set.accessibility = compact(input.accessibility);
    if (input.venueName !== undefined) set.venueName = input.venueName || null;
    if (input.venueAddress !== undefined) set.venueAddress = input.venueAddress || null;
    if (input.mapUrl !== undefined) set.mapUrl = input.mapUrl || null;
    if (input.startsAt !== undefined) set.startsAt = startsAt;
    if (input.endsAt !== undefined) set.endsAt = endsAt;
    if (input.timeZone !== undefined) set.timeZone = input.timeZone;
    if (input.languages !== undefined) set.languages = input.languages;
    if (input.gates !== undefined) set.gates = input.gates;
    if (input.status !== undefined) set.status = input.status;
    if (input.waitlistOfferHours !== undefined) set.waitlistOfferHours = input.waitlistOfferHours;
    if (input.retentionDays !== undefined) set.retentionDays = input.retentionDays;
    if (input.retentionDays !== undefined || input.keptRetentionDays !== undefined) {
      set.keptRetentionDays = keptDays(input.retentionDays ?? e.retentionDays, input.keptRetentionDays, e.keptRetentionDays);
    }
    const [updated] = await tx.update(event).set(set).where(eq(event.id, e.id)).returning();
    await recordAudit(tx, ctx, { action: 'event.update', entityType: 'event', entityId: e.id, detail: { fields: Object.keys(input) } });
    return readEvent(tx, updated!);
  });
}

export async function deleteEvent(db: Db, ctx: RequestContext, id: string): Promise<void> {
  eventManager(ctx);
  await db.transaction(async (tx) => {
    const e = await loadEvent(tx, id, { lock: true });
    const [r] = await tx.select({ n: count() }).from(registration).where(eq(registration.eventId, e.id));
    if (r!.n > 0) {
      throw new AppError('conflict', 'event_has_registrations', 'People have registered for this event: close it instead of deleting it.');
    }
    await tx.delete(event).where(eq(event.id, e.id));
    await recordAudit(tx, ctx, { action: 'event.delete', entityType: 'event', entityId: e.id, detail: { slug: e.slug } });
  });
}

// ---------- ticket types ----------

async function loadTicketType(db: Db, eventId: string, typeId: string): Promise<TicketTypeRow> {
  if (!isUuid(typeId)) throw notFound('ticket_type');
  const [t] = await db.select().from(ticketType).where(and(eq(ticketType.id, typeId), eq(ticketType.eventId, eventId))).for('update');
  if (!t) throw notFound('ticket_type');
  return t;
}

export async function createTicketType(db: Db, ctx: RequestContext, eventId: string, input: CreateTicketTypeInput): Promise<TicketTypeDto> {
  eventManager(ctx);
  const values = ticketTypeValues(eventId, input, 0);
  checkSalesWindow(values.salesStartAt, values.salesEndAt, 'body');
  return db.transaction(async (tx) => {
    const e = await loadEvent(tx, eventId, { lock: true });
    const [{ n }] = (await tx.select({ n: count() }).from(ticketType).where(eq(ticketType.eventId, e.id))) as [{ n: number }];
    if (n >= 20) throw new AppError('conflict', 'too_many_ticket_types', 'An event has at most 20 ticket types.');
    const [t] = await tx
      .insert(ticketType)
      .values({ ...values, position: input.position ?? n })
      .returning();
    await recordAudit(tx, ctx, { action: 'event.ticket_type.create', entityType: 'event', entityId: e.id, detail: { ticketTypeId: t!.id, capacity: t!.capacity } });
    return ticketTypeDto(t!);
  });
}

export async function updateTicketType(
  db: Db,
  ctx: RequestContext,
  deps: WaitlistJobs,
  eventId: string,
  typeId: string,
  input: UpdateTicketTypeInput,
): Promise<TicketTypeDto> {
  eventManager(ctx);
  return db.transaction(async (tx) => {
    const e = await loadEvent(tx, eventId);
    const t = await loadTicketType(tx, e.id, typeId);
    const salesStartAt = input.salesStartAt !== undefined ? (input.salesStartAt ? new Date(input.salesStartAt) : null) : t.salesStartAt;
    const salesEndAt = input.salesEndAt !== undefined ? (input.salesEndAt ? new Date(input.salesEndAt) : null) : t.salesEndAt;
    checkSalesWindow(salesStartAt, salesEndAt, 'body');
    if (input.capacity !== undefined && input.capacity < t.taken) {
      throw new AppError('conflict', 'capacity_below_taken', `${t.taken} places are taken or held: the capacity cannot be lower.`, [
        { field: 'body.capacity', detail: `At least ${t.taken}` },
      ]);
    }
    const set: Partial<typeof ticketType.$inferInsert> = { updatedAt: new Date(), salesStartAt, salesEndAt };
    if (input.name !== undefined) set.name = compact(input.name);
    if (input.description !== undefined) set.description = compact(input.description);
    if (input.capacity !== undefined) set.capacity = input.capacity;
    if (input.perPersonLimit !== undefined) set.perPersonLimit = input.perPersonLimit;
    if (input.position !== undefined) set.position = input.position;
    const [updated] = await tx.update(ticketType).set(set).where(eq(ticketType.id, t.id)).returning();
    await recordAudit(tx, ctx, {
      action: 'event.ticket_type.update',
      entityType: 'event',
      entityId: e.id,
      detail: { ticketTypeId: t.id, fields: Object.keys(input), ...(input.capacity !== undefined ? { capacityFrom: t.capacity, capacityTo: input.capacity } : {}) },
    });
    // a raised capacity frees places: the waitlist's next people get offers (a job, in this transaction)
    if (input.capacity !== undefined && input.capacity > t.capacity) await offerFreedPlaces(tx, deps, t.id);
    return ticketTypeDto(updated!);
  });
}

export async function deleteTicketType(db: Db, ctx: RequestContext, eventId: string, typeId: string): Promise<void> {
  eventManager(ctx);
  await db.transaction(async (tx) => {
    const e = await loadEvent(tx, eventId);
    const t = await loadTicketType(tx, e.id, typeId);
    const [used] = await tx.select({ n: count() }).from(ticket).where(eq(ticket.ticketTypeId, t.id));
    const [waiting] = await tx.select({ n: count() }).from(waitlistEntry).where(eq(waitlistEntry.ticketTypeId, t.id));
    if (used!.n > 0 || waiting!.n > 0) {
      throw new AppError('conflict', 'ticket_type_in_use', 'Tickets of this type exist (or people wait for one): set its capacity instead of deleting it.');
    }
    await tx.delete(ticketType).where(eq(ticketType.id, t.id));
    await recordAudit(tx, ctx, { action: 'event.ticket_type.delete', entityType: 'event', entityId: e.id, detail: { ticketTypeId: t.id } });
  });
}

// ---------- co-hosts ----------

/** An organisation of Network the actor may see, or 404 (and 409 record_erased for one erased on request). */
async function visibleOrganisation(db: Db, organisationId: string, field = 'organisationId') {
  if (!isUuid(organisationId)) throw notFound('organisation');
  const [o] = await db.select({ id: organisation.id, name: organisation.name }).from(organisation).where(eq(organisation.id, organisationId));
  if (!o) throw new AppError('not_found', 'organisation_not_found', 'No such organisation.', [{ field, detail: 'No such organisation' }]);
  await assertNotErased(db, 'organisation', o.id);
  return o;
}

export async function putCohost(db: Db, ctx: RequestContext, eventId: string, organisationId: string, input: PutCohostInput): Promise<CohostDto> {
  eventManager(ctx);
  return db.transaction(async (tx) => {
    const e = await loadEvent(tx, eventId, { lock: true });
    const o = await visibleOrganisation(tx, organisationId, 'path.organisationId');
    const [before] = await tx
      .select()
      .from(eventCohost)
      .where(and(eq(eventCohost.eventId, e.id), eq(eventCohost.organisationId, o.id)));
    const [row] = await tx
      .insert(eventCohost)
      .values({ eventId: e.id, organisationId: o.id, role: input.role, sharingMode: input.sharingMode })
      .onConflictDoUpdate({ target: [eventCohost.eventId, eventCohost.organisationId], set: { role: input.role, sharingMode: input.sharingMode } })
      .returning();
    await recordAudit(tx, ctx, {
      action: before ? 'event.cohost.update' : 'event.cohost.add',
      entityType: 'event',
      entityId: e.id,
      detail: { organisationId: o.id, role: input.role, sharingMode: input.sharingMode, ...(before ? { roleFrom: before.role, sharingModeFrom: before.sharingMode } : {}) },
    });
    return { organisationId: o.id, organisationName: o.name, role: row!.role as CohostDto['role'], sharingMode: row!.sharingMode as CohostDto['sharingMode'], createdAt: row!.createdAt.toISOString() };
  });
}

export async function deleteCohost(db: Db, ctx: RequestContext, eventId: string, organisationId: string): Promise<void> {
  eventManager(ctx);
  await db.transaction(async (tx) => {
    const e = await loadEvent(tx, eventId, { lock: true });
    if (!isUuid(organisationId)) throw notFound('cohost');
    const [c] = await tx
      .select()
      .from(eventCohost)
      .where(and(eq(eventCohost.eventId, e.id), eq(eventCohost.organisationId, organisationId)));
    if (!c) throw notFound('cohost');
    const [used] = await tx
      .select({ n: count() })
      .from(registration)
      .where(and(eq(registration.eventId, e.id), eq(registration.referrerOrganisationId, organisationId)));
    if (used!.n > 0) {
      throw new AppError('conflict', 'cohost_has_registrations', 'People registered through this co-host’s links: revoke its links instead of removing it.');
    }
    await tx.delete(eventCohost).where(and(eq(eventCohost.eventId, e.id), eq(eventCohost.organisationId, organisationId)));
    await recordAudit(tx, ctx, { action: 'event.cohost.remove', entityType: 'event', entityId: e.id, detail: { organisationId } });
  });
}

// ---------- referral links ----------

function linkDto(publicUrl: string, slug: string, l: typeof referralLink.$inferSelect, registrations: number): ReferralLinkDto {
  return {
    id: l.id,
    organisationId: l.organisationId,
    code: l.code,
    url: `${publicUrl.replace(/\/+$/, '')}/e/${slug}?ref=${l.code}`,
    channel: l.channel,
    createdAt: l.createdAt.toISOString(),
    revokedAt: iso(l.revokedAt),
    registrations,
  };
}

export async function listReferralLinks(db: Db, ctx: RequestContext, publicUrl: string, eventId: string): Promise<{ items: ReferralLinkDto[] }> {
  eventReader(ctx);
  const e = await loadEvent(db, eventId);
  const rows = await db
    .select({ l: referralLink, n: sql<number>`(SELECT count(*)::int FROM registration r WHERE r.referral_link_id = "referral_link"."id")` })
    .from(referralLink)
    .where(eq(referralLink.eventId, e.id))
    .orderBy(asc(referralLink.createdAt), asc(referralLink.id));
  return { items: rows.map((r) => linkDto(publicUrl, e.slug, r.l, Number(r.n))) };
}

export async function createReferralLink(db: Db, ctx: RequestContext, publicUrl: string, eventId: string, input: CreateReferralLinkInput): Promise<ReferralLinkDto> {
  const actor = eventManager(ctx);
  return db.transaction(async (tx) => {
    const e = await loadEvent(tx, eventId);
    await visibleOrganisation(tx, input.organisationId, 'body.organisationId');
    const [c] = await tx
      .select()
      .from(eventCohost)
      .where(and(eq(eventCohost.eventId, e.id), eq(eventCohost.organisationId, input.organisationId)));
    if (!c) {
      throw new AppError('unprocessable', 'not_a_cohost', 'This organisation does not co-host the event: add it as a co-host first.', [
        { field: 'body.organisationId', detail: 'Not a co-host of this event' },
      ]);
    }
    const [l] = await tx
      .insert(referralLink)
      .values({ eventId: e.id, organisationId: input.organisationId, code: randomBytes(16).toString('base64url'), channel: input.channel ?? null, createdBy: actor.id })
      .returning();
    await recordAudit(tx, ctx, { action: 'event.referral_link.create', entityType: 'event', entityId: e.id, detail: { referralLinkId: l!.id, organisationId: l!.organisationId, channel: l!.channel } });
    return linkDto(publicUrl, e.slug, l!, 0);
  });
}

export async function revokeReferralLink(db: Db, ctx: RequestContext, publicUrl: string, eventId: string, linkId: string): Promise<ReferralLinkDto> {
  eventManager(ctx);
  return db.transaction(async (tx) => {
    const e = await loadEvent(tx, eventId);
    if (!isUuid(linkId)) throw notFound('referral_link');
    const [l] = await tx
      .select()
      .from(referralLink)
      .where(and(eq(referralLink.id, linkId), eq(referralLink.eventId, e.id)))
      .for('update');
    if (!l) throw notFound('referral_link');
    let row = l;
    if (!l.revokedAt) {
      [row] = (await tx.update(referralLink).set({ revokedAt: new Date() }).where(eq(referralLink.id, l.id)).returning()) as [typeof l];
      await recordAudit(tx, ctx, { action: 'event.referral_link.revoke', entityType: 'event', entityId: e.id, detail: { referralLinkId: l.id } });
    }
    const [n] = await tx.select({ n: count() }).from(registration).where(eq(registration.referralLinkId, l.id));
    return linkDto(publicUrl, e.slug, row, n!.n);
  });
}

// ---------- questions ----------

function checkQuestion(kind: string, consentPurpose: string | null | undefined, options: unknown[] | undefined) {
  if (kind === 'consent' && !consentPurpose) throw invalid('body.consentPurpose', 'Required for a consent question');
  if (kind !== 'consent' && consentPurpose) throw invalid('body.consentPurpose', 'Only consent questions have a purpose');
  const choice = kind === 'single' || kind === 'multiple';
  if (choice && (options?.length ?? 0) < 2) throw invalid('body.options', 'At least 2 options');
  if (!choice && options?.length) throw invalid('body.options', 'Only single and multiple choice questions have options');
}

export async function createQuestion(db: Db, ctx: RequestContext, eventId: string, input: CreateQuestionInput): Promise<QuestionDto> {
  eventManager(ctx);
  checkQuestion(input.kind, input.consentPurpose, input.options);
  return db.transaction(async (tx) => {
    const e = await loadEvent(tx, eventId, { lock: true });
    const [{ n }] = (await tx.select({ n: count() }).from(registrationQuestion).where(eq(registrationQuestion.eventId, e.id))) as [{ n: number }];
    if (n >= 50) throw new AppError('conflict', 'too_many_questions', 'An event has at most 50 registration questions.');
    if (input.consentPurpose) await assertPurposeFree(tx, e.id, input.consentPurpose);
    const [q] = await tx
      .insert(registrationQuestion)
      .values({
        eventId: e.id,
        kind: input.kind,
        consentPurpose: input.consentPurpose ?? null,
        label: compact(input.label),
        help: compact(input.help),
        options: (input.options ?? []).map((o) => ({ id: o.id, label: compact(o.label) })),
        // agreeing to the event's terms is what registering means
        required: input.consentPurpose === 'terms' ? true : (input.required ?? false),
        position: input.position ?? n,
      })
      .returning();
    await recordAudit(tx, ctx, { action: 'event.question.create', entityType: 'event', entityId: e.id, detail: { questionId: q!.id, kind: q!.kind } });
    return questionDto(q!);
  });
}

async function assertPurposeFree(db: Db, eventId: string, purpose: string, exceptId?: string) {
  const [other] = await db
    .select({ id: registrationQuestion.id })
    .from(registrationQuestion)
    .where(and(eq(registrationQuestion.eventId, eventId), eq(registrationQuestion.consentPurpose, purpose)));
  if (other && other.id !== exceptId) {
    throw new AppError('conflict', 'consent_purpose_taken', 'The event already asks for this consent.', [{ field: 'body.consentPurpose', detail: 'Already asked' }]);
  }
}

async function loadQuestion(db: Db, eventId: string, questionId: string): Promise<QuestionRow> {
  if (!isUuid(questionId)) throw notFound('question');
  const [q] = await db
    .select()
    .from(registrationQuestion)
    .where(and(eq(registrationQuestion.id, questionId), eq(registrationQuestion.eventId, eventId)))
    .for('update');
  if (!q) throw notFound('question');
  return q;
}

export async function updateQuestion(db: Db, ctx: RequestContext, eventId: string, questionId: string, input: UpdateQuestionInput): Promise<QuestionDto> {
  eventManager(ctx);
  return db.transaction(async (tx) => {
    const e = await loadEvent(tx, eventId, { lock: true });
    const q = await loadQuestion(tx, e.id, questionId);
    const consentPurpose = input.consentPurpose !== undefined ? input.consentPurpose : q.consentPurpose;
    checkQuestion(q.kind, consentPurpose, input.options ?? q.options);
    if (consentPurpose && consentPurpose !== q.consentPurpose) await assertPurposeFree(tx, e.id, consentPurpose, q.id);
    const set: Partial<typeof registrationQuestion.$inferInsert> = { updatedAt: new Date(), consentPurpose: consentPurpose ?? null };
    if (input.label !== undefined) set.label = compact(input.label);
    if (input.help !== undefined) set.help = compact(input.help);
    if (input.options !== undefined) set.options = input.options.map((o) => ({ id: o.id, label: compact(o.label) }));
    if (input.required !== undefined) set.required = input.required;
    if (consentPurpose === 'terms') set.required = true;
    if (input.position !== undefined) set.position = input.position;
    const [updated] = await tx.update(registrationQuestion).set(set).where(eq(registrationQuestion.id, q.id)).returning();
    await recordAudit(tx, ctx, { action: 'event.question.update', entityType: 'event', entityId: e.id, detail: { questionId: q.id, fields: Object.keys(input) } });
    return questionDto(updated!);
  });
}

export async function deleteQuestion(db: Db, ctx: RequestContext, eventId: string, questionId: string): Promise<void> {
  eventManager(ctx);
  await db.transaction(async (tx) => {
    const e = await loadEvent(tx, eventId, { lock: true });
    const q = await loadQuestion(tx, e.id, questionId);
    // answers already given stay in the registrations (under the question's id) until retention erases them
    await tx.delete(registrationQuestion).where(eq(registrationQuestion.id, q.id));
    await recordAudit(tx, ctx, { action: 'event.question.delete', entityType: 'event', entityId: e.id, detail: { questionId: q.id } });
  });
}

// ---------- registrations ----------

/** Who registered, newest first: names and contacts, so staff and admins only (events.contacts; never viewers). */
export async function listRegistrations(db: Db, ctx: RequestContext, eventId: string, q: { limit: number; cursor?: string }): Promise<{ items: RegistrationDto[]; nextCursor: string | null }> {
  authorize(ctx.actor, 'events.contacts');
  const e = await loadEvent(db, eventId);
  const after = decodeCursor(q.cursor, 2, ([t, id]) => typeof t === 'string' && !Number.isNaN(Date.parse(t)) && typeof id === 'string' && isUuid(id));
  const where: SQL[] = [eq(registration.eventId, e.id), isNull(registration.erasedAt)];
  if (after) {
    const [t, id] = after as [string, string];
    where.push(or(lt(registration.createdAt, new Date(t)), and(eq(registration.createdAt, new Date(t)), lt(registration.id, id)))!);
  }
  const rows = await db
    .select({
      r: registration,
      referrerName: organisation.name,
      tickets: sql<number>`(SELECT count(*)::int FROM ticket tk WHERE tk.registration_id = "registration"."id" AND tk.status = 'valid')`,
      validTickets: sql<{ id: string; ticketTypeId: string }[] | string>`(SELECT COALESCE(json_agg(json_build_object('id', tk.id, 'ticketTypeId', tk.ticket_type_id) ORDER BY tk.created_at, tk.id), '[]'::json) FROM ticket tk WHERE tk.registration_id = "registration"."id" AND tk.status = 'valid')`,
      waitlist: sql<string | null>`(SELECT w.status FROM waitlist_entry w WHERE w.registration_id = "registration"."id" ORDER BY w.created_at DESC LIMIT 1)`,
    })
    .from(registration)
    .leftJoin(organisation, eq(organisation.id, registration.referrerOrganisationId))
    .where(and(...where))
    .orderBy(desc(registration.createdAt), desc(registration.id))
    .limit(q.limit + 1);
  const page = paginate(rows, q.limit, (x) => [x.r.createdAt.toISOString(), x.r.id]);
  return {
    nextCursor: page.nextCursor,
    items: page.items.map(({ r, referrerName, tickets, validTickets, waitlist }) => ({
      id: r.id,
      name: r.name,
      email: r.email,
      language: r.language,
      consents: Object.keys(r.consents) as RegistrationDto['consents'],
      referrerOrganisationId: r.referrerOrganisationId,
      referrerName: referrerName ?? null,
      tickets: Number(tickets),
      validTickets: typeof validTickets === 'string' ? JSON.parse(validTickets) : validTickets,
      waitlist: waitlist ?? null,
      createdAt: r.createdAt.toISOString(),
    })),
  };
}

// ---------- totals ----------

/** Figures only: no name, email or answer of any registrant (viewers read them). */
export async function eventTotals(db: Db, ctx: RequestContext, eventId: string): Promise<EventTotals> {
  eventReader(ctx);
  const e = await loadEvent(db, eventId);
  const types = await ticketTypesOf(db, e.id);
  const byType = await db
    .select({
      ticketTypeId: ticketType.id,
      tickets: sql<number>`(SELECT count(*)::int FROM ticket tk WHERE tk.ticket_type_id = "ticket_type"."id" AND tk.status = 'valid')`,
      cancelled: sql<number>`(SELECT count(*)::int FROM ticket tk WHERE tk.ticket_type_id = "ticket_type"."id" AND tk.status = 'cancelled')`,
      waiting: sql<number>`(SELECT count(*)::int FROM waitlist_entry w WHERE w.ticket_type_id = "ticket_type"."id" AND w.status IN ('waiting', 'offered'))`,
    })
    .from(ticketType)
    .where(eq(ticketType.eventId, e.id));
  const counts = new Map(byType.map((r) => [r.ticketTypeId, r]));
  const [regs] = await db.select({ n: count() }).from(registration).where(eq(registration.eventId, e.id));
  const byCohost = await db
    .select({
      organisationId: registration.referrerOrganisationId,
      organisationName: organisation.name,
      registrations: sql<number>`count(*)::int`,
      tickets: sql<number>`(SELECT count(*)::int FROM ticket tk JOIN registration r2 ON r2.id = tk.registration_id
        WHERE r2.event_id = ${e.id} AND tk.status = 'valid' AND r2.referrer_organisation_id IS NOT DISTINCT FROM "registration"."referrer_organisation_id")`,
    })
    .from(registration)
    .leftJoin(organisation, eq(organisation.id, registration.referrerOrganisationId))
    .where(eq(registration.eventId, e.id))
    .groupBy(registration.referrerOrganisationId, organisation.name)
    .orderBy(asc(organisation.name));
  const rows = types.map((t) => {
    const c = counts.get(t.id);
    return {
      ticketTypeId: t.id,
      name: t.name as Record<string, string>,
      capacity: t.capacity,
      taken: t.taken,
      tickets: Number(c?.tickets ?? 0),
      cancelled: Number(c?.cancelled ?? 0),
      waiting: Number(c?.waiting ?? 0),
    };
  });
  return {
    registrations: regs!.n,
    capacity: rows.reduce((s, r) => s + r.capacity, 0),
    tickets: rows.reduce((s, r) => s + r.tickets, 0),
    cancelled: rows.reduce((s, r) => s + r.cancelled, 0),
    waiting: rows.reduce((s, r) => s + r.waiting, 0),
    byTicketType: rows,
    byCohost: byCohost.map((r) => ({ organisationId: r.organisationId, organisationName: r.organisationName, registrations: Number(r.registrations), tickets: Number(r.tickets) })),
  };
}

