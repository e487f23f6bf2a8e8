import { and, asc, count, desc, eq, gt, inArray, lt, notInArray, sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { decodeCursor, paginate } from '../../core/pagination.ts';
import { AppError, zodFieldErrors } from '../../core/errors.ts';
import type { Actor } from '../../access/roles.ts';
import { user } from '../accounts/accounts.schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { normalizeName } from '../network/names.ts';
import { organisation, organisationName, person } from '../network/network.schema.ts';
import { accessGrant } from '../../access/access.schema.ts';
import { isUuid, notFound } from '../../core/errors.ts';
import { auditRestrictedReads, meetingSight, meetingRowVisible, personIdentityVisible, personVisible, reader, sharedItemVisible, writer } from '../../access/need-to-know.ts';
import { insertFollowUps, listFollowUpsOfMeeting } from './follow-ups.service.ts';
import {
  CreateMeetingSchema,
  MAX_MEETING_DAYS,
  MAX_RANGE_DAYS,
  UpdateMeetingSchema,
  type CreateMeetingInput,
  type Meeting,
  type MeetingSummary,
  type UpdateMeetingInput,
} from './meetings.contract.ts';
import { followUp, meeting, meetingOrganisation, meetingPerson, meetingStaff, meetingTopic, sharedItem, topic } from './meetings.schema.ts';
import { assertRefs, grant, loadVisibleMeeting, type Ref, type Refs } from './meetings.refs.ts';
import { insertSharedItems, sharedItemsOfMeeting } from './shared-items.service.ts';

type MeetingRow = typeof meeting.$inferSelect;

function parseOr400<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: any } }, input: unknown): T {
  const r = schema.safeParse(input);
  if (!r.success) throw new AppError('invalid', 'invalid_request', 'The request has invalid fields.', zodFieldErrors(r.error, 'body'));
  return r.data;
}

// ---------- reading ----------

type Related = {
  organisations: Map<string, MeetingSummary['organisations']>;
  staff: Map<string, MeetingSummary['staff']>;
  topics: Map<string, MeetingSummary['topics']>;
};

async function loadRelated(db: Db, ids: string[]): Promise<Related> {
  const rel: Related = { organisations: new Map(), staff: new Map(), topics: new Map() };
  if (!ids.length) return rel;
  const push = <T>(m: Map<string, T[]>, k: string, v: T) => {
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
  };
  const orgs = await db
    .select({ meetingId: meetingOrganisation.meetingId, organisationId: meetingOrganisation.organisationId, role: meetingOrganisation.role, name: organisation.name })
    .from(meetingOrganisation)
    .innerJoin(organisation, eq(organisation.id, meetingOrganisation.organisationId))
    .where(inArray(meetingOrganisation.meetingId, ids))
    .orderBy(asc(organisation.name));
  const names = new Map<string, MeetingSummary['organisations'][number]['names']>();
  const orgIds = [...new Set(orgs.map((o) => o.organisationId))];
  if (orgIds.length) {
    const all = await db
      .select({ organisationId: organisationName.organisationId, id: organisationName.id, name: organisationName.name, script: organisationName.script, kind: organisationName.kind })
      .from(organisationName)
      .where(inArray(organisationName.organisationId, orgIds))
      .orderBy(asc(organisationName.name));
    for (const { organisationId, ...n } of all) push(names, organisationId, n as never);
  }
  for (const o of orgs) push(rel.organisations, o.meetingId, { organisationId: o.organisationId, name: o.name, names: names.get(o.organisationId) ?? [], role: o.role as never });
  const staff = await db
    .select({ meetingId: meetingStaff.meetingId, userId: meetingStaff.userId, name: user.name })
    .from(meetingStaff)
    .innerJoin(user, eq(user.id, meetingStaff.userId))
    .where(inArray(meetingStaff.meetingId, ids))
    .orderBy(asc(user.name));
  for (const s of staff) push(rel.staff, s.meetingId, { userId: s.userId, name: s.name });
  const topics = await db
    .select({ meetingId: meetingTopic.meetingId, id: topic.id, key: topic.key, nameEn: topic.nameEn, nameHe: topic.nameHe, nameAr: topic.nameAr })
    .from(meetingTopic)
    .innerJoin(topic, eq(topic.id, meetingTopic.topicId))
    .where(inArray(meetingTopic.meetingId, ids))
    .orderBy(asc(topic.nameEn));
  for (const { meetingId, ...t } of topics) push(rel.topics, meetingId, t);
  return rel;
}

function baseDto(m: MeetingRow, rel: Related) {
  return {
    id: m.id,
    kind: m.kind as Meeting['kind'],
    title: m.title,
    startsAt: m.startsAt.toISOString(),
    endsAt: m.endsAt.toISOString(),
    timeZone: m.timeZone,
    city: m.city,
    venue: m.venue,
    online: m.online,
    notesRestricted: m.notesRestricted,
    restricted: m.restricted,
    organisations: rel.organisations.get(m.id) ?? [],
    staff: rel.staff.get(m.id) ?? [],
    topics: rel.topics.get(m.id) ?? [],
    createdBy: m.createdBy,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}

/** The whole meeting as the actor may see it; `audit: false` after a write that returns what it wrote. */
async function readMeeting(db: Db, ctx: RequestContext, actor: Actor, id: string, opts: { audit: boolean }): Promise<Meeting> {
  const m = await loadVisibleMeeting(db, actor, id);
  const sight = await meetingSight(db, actor, id);
  const notesVisible = sight.notes;
  const rel = await loadRelated(db, [id]);
  const identityVisible = personIdentityVisible(actor, person.id);
  const people = await db
    .select({
      personId: meetingPerson.personId,
      displayName: sql<string>`CASE WHEN ${identityVisible} THEN ${person.displayName} ELSE COALESCE(${person.pseudonym}, '—') END`,
      organisationId: sql<string | null>`CASE WHEN ${identityVisible} THEN ${meetingPerson.organisationId} ELSE NULL END`,
      role: meetingPerson.role,
    })
    .from(meetingPerson)
    .innerJoin(person, eq(person.id, meetingPerson.personId))
    .where(and(eq(meetingPerson.meetingId, id), personVisible(actor, person.id)))
    .orderBy(asc(person.displayName));
  const sharedItems = await sharedItemsOfMeeting(db, actor, id);
  const followUps = await listFollowUpsOfMeeting(db, actor, id);
  if (opts.audit) {
    const reads: { entityType: string; entityId: string }[] = [];
    if (m.restricted) reads.push({ entityType: 'meeting', entityId: m.id });
    if (m.notesRestricted && notesVisible && m.notes) reads.push({ entityType: 'meeting_notes', entityId: m.id });
    for (const s of sharedItems) if (s.restricted) reads.push({ entityType: 'shared_item', entityId: s.id });
    await auditRestrictedReads(db, ctx, reads);
  }
  return {
    ...baseDto(m, rel),
    notes: notesVisible ? m.notes : null,
    notesHidden: !notesVisible,
    mayChangeStaff: sight.manageAccess,
    people: people.map((p) => ({ ...p, organisationId: p.organisationId ?? null })),
    sharedItems,
    followUps,
  };
}

export async function getMeeting(db: Db, ctx: RequestContext, id: string): Promise<Meeting> {
  const actor = reader(ctx);
  return readMeeting(db, ctx, actor, id, { audit: true });
}

export type MeetingFilter = {
  from?: string;
  to?: string;
  kind?: string;
  city?: string;
  topicId?: string;
  organisationId?: string;
  personId?: string;
  staffId?: string;
  q?: string;
  limit?: number;
  cursor?: string;
};

const DAY = 86_400_000;

/** The WHERE of a meeting list for the actor: need-to-know first, then the filter. */
export function meetingListWhere(actor: Actor, f: MeetingFilter): SQL {
  const where: (SQL | undefined)[] = [meetingRowVisible(actor, meeting.restricted, meeting.id)];
  if (f.from) where.push(gt(meeting.endsAt, new Date(f.from)));
  if (f.to) where.push(lt(meeting.startsAt, new Date(f.to)));
  if (f.kind) where.push(eq(meeting.kind, f.kind));
  if (f.city) where.push(sql`lower(${meeting.city}) = lower(${f.city})`);
  if (f.topicId) where.push(sql`EXISTS (SELECT 1 FROM meeting_topic ft WHERE ft.meeting_id = ${meeting.id} AND ft.topic_id = ${f.topicId})`);
  if (f.organisationId)
    where.push(sql`EXISTS (SELECT 1 FROM meeting_organisation fo WHERE fo.meeting_id = ${meeting.id} AND fo.organisation_id = ${f.organisationId})`);
  if (f.personId)
    where.push(
      sql`EXISTS (SELECT 1 FROM meeting_person fp WHERE fp.meeting_id = ${meeting.id} AND fp.person_id = ${f.personId})`,
      // a person the actor may not see must not be discoverable through the meetings they attended
      personVisible(actor, sql`${f.personId}::uuid`),
    );
  if (f.staffId) where.push(sql`EXISTS (SELECT 1 FROM meeting_staff fs WHERE fs.meeting_id = ${meeting.id} AND fs.user_id = ${f.staffId})`);
  if (f.q) {
    const norm = normalizeName(f.q).replace(/[\\%_]/g, (c) => `\\${c}`);
    if (norm) where.push(sql`${meeting.titleNorm} LIKE ${`%${norm}%`}`);
  }
  return and(...where)!;
}

/** Meetings the actor may see, newest first, or oldest first from `from` (the week calendar). */
export async function listMeetings(db: Db, ctx: RequestContext, f: MeetingFilter) {
  const actor = reader(ctx);
  const limit = f.limit ?? 50;
  if (f.from && f.to) {
    const span = Date.parse(f.to) - Date.parse(f.from);
    if (span <= 0) throw new AppError('invalid', 'invalid_range', 'The range ends before it starts.', [{ field: 'query.to', detail: 'Must be after from' }]);
    if (span > MAX_RANGE_DAYS * DAY)
      throw new AppError('invalid', 'range_too_long', `A range spans at most ${MAX_RANGE_DAYS} days.`, [
        { field: 'query.to', detail: `At most ${MAX_RANGE_DAYS} days after from` },
      ]);
  }
  const ascending = !!f.from;
  const filterWhere = meetingListWhere(actor, f);
  const cur = decodeCursor(f.cursor, 2, ([at, id]) => typeof at === 'string' && !Number.isNaN(Date.parse(at)) && typeof id === 'string' && isUuid(id));
  const keyset = cur
    ? ascending
      ? sql`(${meeting.startsAt}, ${meeting.id}) > (${cur[0]}::timestamptz, ${cur[1]}::uuid)`
      : sql`(${meeting.startsAt}, ${meeting.id}) < (${cur[0]}::timestamptz, ${cur[1]}::uuid)`
    : undefined;
  const order = ascending ? [asc(meeting.startsAt), asc(meeting.id)] : [desc(meeting.startsAt), desc(meeting.id)];
  const rows = await db
    .select()
    .from(meeting)
    .where(and(filterWhere, keyset))
    .orderBy(...order)
    .limit(limit + 1);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(meeting).where(filterWhere);
  const page = paginate(rows, limit, (r) => [r.startsAt.toISOString(), r.id]);
  const ids = page.items.map((m) => m.id);
  const rel = await loadRelated(db, ids);
  const itemCounts = new Map<string, number>();
  const followCounts = new Map<string, number>();
  if (ids.length) {
    for (const r of await db
      .select({ meetingId: sharedItem.meetingId, n: count() })
      .from(sharedItem)
      .where(and(inArray(sharedItem.meetingId, ids), sharedItemVisible(actor, sharedItem.id)))
      .groupBy(sharedItem.meetingId))
      itemCounts.set(r.meetingId, Number(r.n));
    for (const r of await db
      .select({ meetingId: followUp.meetingId, n: count() })
      .from(followUp)
      .where(inArray(followUp.meetingId, ids))
      .groupBy(followUp.meetingId))
      if (r.meetingId) followCounts.set(r.meetingId, Number(r.n));
  }
  await auditRestrictedReads(
    db,
    ctx,
    page.items.filter((m) => m.restricted).map((m) => ({ entityType: 'meeting', entityId: m.id })),
  );
  return {
    items: page.items.map((m) => ({ ...baseDto(m, rel), sharedItemCount: itemCounts.get(m.id) ?? 0, followUpCount: followCounts.get(m.id) ?? 0 })),
    nextCursor: page.nextCursor,
    total: Number(n),
  };
}

// ---------- writing ----------

type ListsInput = Pick<UpdateMeetingInput, 'organisations' | 'people' | 'staffIds' | 'topicIds'>;

function listRefs(v: ListsInput): Refs {
  const organisations: Ref[] = (v.organisations ?? []).map((o, i) => ({ field: `body.organisations.${i}.organisationId`, id: o.organisationId }));
  for (const [i, p] of (v.people ?? []).entries())
    if (p.organisationId) organisations.push({ field: `body.people.${i}.organisationId`, id: p.organisationId });
  return {
    organisations,
    people: (v.people ?? []).map((p, i) => ({ field: `body.people.${i}.personId`, id: p.personId })),
    users: (v.staffIds ?? []).map((id, i) => ({ field: `body.staffIds.${i}`, id })),
    topics: (v.topicIds ?? []).map((id, i) => ({ field: `body.topicIds.${i}`, id })),
  };
}

function mergeRefs(...all: Refs[]): Refs {
  const out: Required<Refs> = { organisations: [], people: [], users: [], topics: [] };
  for (const r of all) for (const k of Object.keys(out) as (keyof Refs)[]) out[k].push(...(r[k] ?? []));
  return out;
}

/**
 * Replaces whichever of the meeting's lists the input gives, as the writer sees them: attendees the writer may not
 * see stay, and so does the organisation an attendee came for when the writer may not see who they are (it is part
 * of their identity, shown to the writer as null). Returns whether what every reader of the meeting sees changed.
 */
async function writeLists(tx: Db, actor: Actor, meetingId: string, v: ListsInput): Promise<boolean> {
  let publicChange = false;
  const same = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
  if (v.organisations) {
    const before = await tx.select().from(meetingOrganisation).where(eq(meetingOrganisation.meetingId, meetingId));
    publicChange ||= !same(before.map((o) => `${o.organisationId}:${o.role}`), v.organisations.map((o) => `${o.organisationId}:${o.role}`));
    await tx.delete(meetingOrganisation).where(eq(meetingOrganisation.meetingId, meetingId));
    if (v.organisations.length)
      await tx.insert(meetingOrganisation).values(v.organisations.map((o) => ({ meetingId, organisationId: o.organisationId, role: o.role })));
  }
  if (v.people) {
    const before = await tx
      .select({
        personId: meetingPerson.personId,
        organisationId: meetingPerson.organisationId,
        role: meetingPerson.role,
        restricted: person.restricted,
        identityRestricted: person.identityRestricted,
        visible: sql<boolean>`${personVisible(actor, meetingPerson.personId)}`,
        identityVisible: sql<boolean>`${personIdentityVisible(actor, meetingPerson.personId)}`,
      })
      .from(meetingPerson)
      .innerJoin(person, eq(person.id, meetingPerson.personId))
      .where(eq(meetingPerson.meetingId, meetingId));
    const keptOrganisation = new Map(before.filter((p) => p.visible && !p.identityVisible).map((p) => [p.personId, p.organisationId]));
    const next = v.people.map((p) => ({
      meetingId,
      personId: p.personId,
      organisationId: keptOrganisation.has(p.personId) ? keptOrganisation.get(p.personId)! : (p.organisationId ?? null),
      role: p.role,
    }));
    // what every reader sees: the attendees who are not restricted, and whom they came for unless that is hidden
    const flags = new Map(before.map((p) => [p.personId, p]));
    if (next.some((p) => !flags.has(p.personId))) {
      for (const p of await tx.select({ id: person.id, restricted: person.restricted, identityRestricted: person.identityRestricted }).from(person).where(inArray(person.id, next.map((x) => x.personId))))
        if (!flags.has(p.id)) flags.set(p.id, { ...p, personId: p.id, organisationId: null, role: '', visible: true, identityVisible: true });
    }
    const signature = (list: { personId: string; organisationId: string | null; role: string }[]) =>
      list.flatMap((p) => {
        const f = flags.get(p.personId);
        if (!f || f.restricted) return [];
        return [`${p.personId}:${p.role}:${f.identityRestricted ? '' : (p.organisationId ?? '')}`];
      });
    publicChange ||= !same(signature(before), signature(next));
    const hidden = before.filter((p) => !p.visible).map((p) => p.personId);
    await tx
      .delete(meetingPerson)
      .where(and(eq(meetingPerson.meetingId, meetingId), hidden.length ? notInArray(meetingPerson.personId, hidden) : undefined));
    if (next.length) await tx.insert(meetingPerson).values(next);
  }
  if (v.staffIds) {
    const before = await tx.select({ userId: meetingStaff.userId }).from(meetingStaff).where(eq(meetingStaff.meetingId, meetingId));
    const ids = [...new Set(v.staffIds)];
    publicChange ||= !same(before.map((s) => s.userId), ids);
    await tx.delete(meetingStaff).where(eq(meetingStaff.meetingId, meetingId));
    if (ids.length) await tx.insert(meetingStaff).values(ids.map((userId) => ({ meetingId, userId })));
  }
  if (v.topicIds) {
    const before = await tx.select({ topicId: meetingTopic.topicId }).from(meetingTopic).where(eq(meetingTopic.meetingId, meetingId));
    const ids = [...new Set(v.topicIds)];
    publicChange ||= !same(before.map((t) => t.topicId), ids);
    await tx.delete(meetingTopic).where(eq(meetingTopic.meetingId, meetingId));
    if (ids.length) await tx.insert(meetingTopic).values(ids.map((topicId) => ({ meetingId, topicId })));
  }
  return publicChange;
}

/** Records a meeting with what was shared and the follow-ups, all or nothing. */
export async function createMeeting(db: Db, ctx: RequestContext, input: CreateMeetingInput): Promise<Meeting> {
  const actor = writer(ctx);
  const v = parseOr400(CreateMeetingSchema, input);
  const id = await db.transaction(async (tx) => {
    await assertRefs(
      tx,
      actor,
      mergeRefs(
        listRefs(v),
        {
          organisations: v.sharedItems.map((s, i) => ({ field: `body.sharedItems.${i}.organisationId`, id: s.organisationId })),
          topics: v.sharedItems.flatMap((s, i) => (s.topicId ? [{ field: `body.sharedItems.${i}.topicId`, id: s.topicId }] : [])),
        },
        {
          users: v.followUps.map((f, i) => ({ field: `body.followUps.${i}.ownerId`, id: f.ownerId })),
          organisations: v.followUps.flatMap((f, i) => (f.organisationId ? [{ field: `body.followUps.${i}.organisationId`, id: f.organisationId }] : [])),
        },
      ),
    );
    const [m] = await tx
      .insert(meeting)
      .values({
        kind: v.kind,
        title: v.title,
        titleNorm: normalizeName(v.title),
        startsAt: new Date(v.startsAt),
        endsAt: new Date(v.endsAt),
        timeZone: v.timeZone,
        city: v.city ?? null,
        venue: v.venue ?? null,
        online: v.online,
        notes: v.notes ?? null,
        notesRestricted: v.notesRestricted ?? false,
        restricted: v.restricted ?? false,
        createdBy: actor.id,
      })
      .returning();
    await writeLists(tx, actor, m!.id, v);
    // nobody loses sight of what they just wrote: a restricted meeting, or restricted notes, stay visible to their
    // author even when the author is not among its staff
    if (m!.restricted || (m!.notesRestricted && actor.role !== 'admin' && !v.staffIds.includes(actor.id))) await grant(tx, actor, 'meeting', m!.id, actor.id);
    await recordAudit(tx, ctx, {
      action: 'meeting.create',
      entityType: 'meeting',
      entityId: m!.id,
      detail: {
        title: m!.title,
        kind: m!.kind,
        restricted: m!.restricted,
        organisations: v.organisations.length,
        people: v.people.length,
        sharedItems: v.sharedItems.length,
        followUps: v.followUps.length,
      },
    });
    await insertSharedItems(tx, ctx, m!, v.sharedItems);
    await insertFollowUps(tx, ctx, m!, v.followUps);
    return m!.id;
  });
  return readMeeting(db, ctx, actor, id, { audit: false });
}

/** Scalar fields of a meeting that every reader of it sees (notes only while they are not restricted). */
const PUBLIC_FIELDS = ['kind', 'title', 'startsAt', 'endsAt', 'timeZone', 'city', 'venue', 'online', 'restricted', 'notesRestricted'] as const;

/**
 * Changes a meeting as the actor sees it. A change may not reveal to anyone more than the actor sees, nor touch what
 * the actor may not see: the staff list (whose members see everything restricted to the meeting) is changed only by
 * admins and the meeting's staff; notes, their restriction and the meeting's restriction (which grants the actor the
 * meeting, notes included) only by those who may read the notes; attendees hidden from the actor stay. `updatedAt`
 * moves only when something every reader of the meeting sees changed, so that a restricted change leaves no trace.
 */
export async function updateMeeting(db: Db, ctx: RequestContext, id: string, input: UpdateMeetingInput): Promise<Meeting> {
  const actor = writer(ctx);
  const v = parseOr400(UpdateMeetingSchema, input);
  await db.transaction(async (tx) => {
    const m = await loadVisibleMeeting(tx, actor, id);
    const sight = await meetingSight(tx, actor, id);
    const touches = (k: keyof UpdateMeetingInput) => v[k] !== undefined;
    if (!sight.notes && (touches('notes') || touches('notesRestricted') || (touches('restricted') && v.restricted !== m.restricted))) {
      const field = touches('notes') ? 'body.notes' : touches('notesRestricted') ? 'body.notesRestricted' : 'body.restricted';
      throw new AppError('forbidden', 'notes_restricted', 'The notes of this meeting are restricted; you may not change them or who may read them.', [
        { field, detail: 'Restricted' },
      ]);
    }
    if (v.staffIds && !sight.manageAccess) {
      const current = await tx.select({ userId: meetingStaff.userId }).from(meetingStaff).where(eq(meetingStaff.meetingId, id));
      const wanted = new Set(v.staffIds);
      if (current.length !== wanted.size || current.some((s) => !wanted.has(s.userId)))
        throw new AppError('forbidden', 'staff_restricted', "Only admins and the meeting's staff may change who of the team was present: they see what is restricted to the meeting.", [
          { field: 'body.staffIds', detail: 'Only admins and the meeting\'s staff' },
        ]);
    }
    const startsAt = v.startsAt ? new Date(v.startsAt) : m.startsAt;
    const endsAt = v.endsAt ? new Date(v.endsAt) : m.endsAt;
    if (endsAt <= startsAt)
      throw new AppError('invalid', 'invalid_request', 'The meeting ends before it starts.', [{ field: v.endsAt ? 'body.endsAt' : 'body.startsAt', detail: 'Must be before the end' }]);
    if (endsAt.getTime() - startsAt.getTime() > MAX_MEETING_DAYS * DAY)
      throw new AppError('invalid', 'invalid_request', `A meeting lasts at most ${MAX_MEETING_DAYS} days.`, [{ field: v.endsAt ? 'body.endsAt' : 'body.startsAt', detail: `At most ${MAX_MEETING_DAYS} days long` }]);
    await assertRefs(tx, actor, listRefs(v));
    const { organisations: _o, people: _p, staffIds: _s, topicIds: _t, ...fields } = v;
    const next = { ...m, ...fields, startsAt, endsAt };
    const value = (x: unknown) => (x instanceof Date ? x.getTime() : (x ?? null));
    let publicChange = PUBLIC_FIELDS.some((k) => value(next[k]) !== value(m[k]));
    if (!m.notesRestricted && !next.notesRestricted && (next.notes ?? null) !== (m.notes ?? null)) publicChange = true;
    publicChange = (await writeLists(tx, actor, id, v)) || publicChange;
    await tx
      .update(meeting)
      .set({
        ...fields,
        ...(v.title !== undefined ? { titleNorm: normalizeName(v.title) } : {}),
        startsAt,
        endsAt,
        ...(publicChange ? { updatedAt: new Date() } : {}),
      })
      .where(eq(meeting.id, id));
    // whoever restricts the meeting or its notes keeps sight of them (they could read the notes: checked above)
    const isStaff = v.staffIds ? v.staffIds.includes(actor.id) : sight.manageAccess;
    if (actor.role !== 'admin' && !isStaff && ((next.restricted && !m.restricted) || (next.notesRestricted && !m.notesRestricted)))
      await grant(tx, actor, 'meeting', id, actor.id);
    if (next.restricted && !m.restricted) {
      // and so do the owners of its follow-ups, who would otherwise lose sight of what they owe
      const owners = await tx.selectDistinct({ ownerId: followUp.ownerId }).from(followUp).where(eq(followUp.meetingId, id));
      for (const o of owners) await grant(tx, actor, 'meeting', id, o.ownerId);
    }
    await recordAudit(tx, ctx, { action: 'meeting.update', entityType: 'meeting', entityId: id, detail: { fields: Object.keys(v) } });
  });
  return readMeeting(db, ctx, actor, id, { audit: false });
}

/**
 * Deletes a meeting with everything recorded in it. Someone from whom part of it is hidden (a restricted shared item,
 * an attendee, restricted notes) may not delete it: that would destroy what they may not see. They are told only that
 * the meeting holds protected records, never which.
 */
export async function deleteMeeting(db: Db, ctx: RequestContext, id: string): Promise<void> {
  const actor = writer(ctx);
  await db.transaction(async (tx) => {
    const m = await loadVisibleMeeting(tx, actor, id);
    if ((await meetingSight(tx, actor, id)).hiddenParts)
      throw new AppError('conflict', 'meeting_has_protected_records', 'This meeting holds records that are need-to-know. Ask an administrator to delete it.');
    // a meeting cited as a campaign stance's evidence stays, for everyone: the stance's history is kept (docs/campaigns.md)
    const [cited] = await rows<{ one: number }>(tx, sql`SELECT 1 AS one FROM campaign_stance WHERE meeting_id = ${id} LIMIT 1`);
    if (cited) throw new AppError('conflict', 'meeting_is_evidence', 'This meeting is the evidence of a recorded campaign stance, whose history is kept.');
    const items = await tx.select({ id: sharedItem.id }).from(sharedItem).where(eq(sharedItem.meetingId, id));
    await tx.delete(meeting).where(eq(meeting.id, id));
    // grants point at records without a foreign key: remove those of the meeting and its shared items
    await tx.delete(accessGrant).where(and(eq(accessGrant.recordType, 'meeting'), eq(accessGrant.recordId, id)));
    if (items.length)
      await tx.delete(accessGrant).where(and(eq(accessGrant.recordType, 'shared_item'), inArray(accessGrant.recordId, items.map((i) => i.id))));
    await recordAudit(tx, ctx, { action: 'meeting.delete', entityType: 'meeting', entityId: id, detail: { title: m.title, restricted: m.restricted } });
  });
}

// ---------- grants ----------

/** Admins, the meeting's staff and users granted it may pass it on. */
async function assertMayGrant(db: Db, actor: Actor, meetingId: string) {
  if (actor.role === 'admin') return;
  const [staff] = await db
    .select({ u: meetingStaff.userId })
    .from(meetingStaff)
    .where(and(eq(meetingStaff.meetingId, meetingId), eq(meetingStaff.userId, actor.id)));
  if (staff) return;
  const [granted] = await db
    .select({ id: accessGrant.id })
    .from(accessGrant)
    .where(and(eq(accessGrant.recordType, 'meeting'), eq(accessGrant.recordId, meetingId), eq(accessGrant.userId, actor.id)));
  if (granted) return;
  throw new AppError('forbidden', 'not_granted', "Only admins, the meeting's staff and users granted it may grant it.");
}

export async function listMeetingGrants(db: Db, ctx: RequestContext, meetingId: string) {
  const actor = reader(ctx);
  const m = await loadVisibleMeeting(db, actor, meetingId);
  if (m.restricted) await auditRestrictedReads(db, ctx, [{ entityType: 'meeting', entityId: m.id }]);
  const rows = await db
    .select({ userId: accessGrant.userId, name: user.name, email: user.email, grantedBy: accessGrant.grantedBy, grantedAt: accessGrant.grantedAt })
    .from(accessGrant)
    .innerJoin(user, eq(user.id, accessGrant.userId))
    .where(and(eq(accessGrant.recordType, 'meeting'), eq(accessGrant.recordId, meetingId)))
    .orderBy(asc(user.name));
  const rel = await loadRelated(db, [meetingId]);
  return { items: rows.map((r) => ({ ...r, grantedAt: r.grantedAt.toISOString() })), staff: rel.staff.get(meetingId) ?? [] };
}

export async function grantMeeting(db: Db, ctx: RequestContext, meetingId: string, userId: string) {
  const actor = writer(ctx);
  return db.transaction(async (tx) => {
    await loadVisibleMeeting(tx, actor, meetingId);
    await assertMayGrant(tx, actor, meetingId);
    await assertRefs(tx, actor, { users: [{ field: 'body.userId', id: userId }] });
    const created = await grant(tx, actor, 'meeting', meetingId, userId);
    if (created) await recordAudit(tx, ctx, { action: 'meeting.grant', entityType: 'meeting', entityId: meetingId, detail: { userId } });
    const [row] = await tx
      .select({ userId: accessGrant.userId, name: user.name, email: user.email, grantedBy: accessGrant.grantedBy, grantedAt: accessGrant.grantedAt })
      .from(accessGrant)
      .innerJoin(user, eq(user.id, accessGrant.userId))
      .where(and(eq(accessGrant.recordType, 'meeting'), eq(accessGrant.recordId, meetingId), eq(accessGrant.userId, userId)));
    return { grant: { ...row!, grantedAt: row!.grantedAt.toISOString() }, created };
  });
}

export async function revokeMeetingGrant(db: Db, ctx: RequestContext, meetingId: string, userId: string) {
  const actor = writer(ctx);
  await db.transaction(async (tx) => {
    await loadVisibleMeeting(tx, actor, meetingId);
    await assertMayGrant(tx, actor, meetingId);
    const gone = await tx
      .delete(accessGrant)
      .where(and(eq(accessGrant.recordType, 'meeting'), eq(accessGrant.recordId, meetingId), eq(accessGrant.userId, userId)))
      .returning({ id: accessGrant.id });
    if (!gone.length) throw notFound('grant');
    await recordAudit(tx, ctx, { action: 'meeting.revoke_grant', entityType: 'meeting', entityId: meetingId, detail: { userId } });
  });
}
