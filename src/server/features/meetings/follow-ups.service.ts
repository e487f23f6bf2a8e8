import { and, asc, count, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { decodeCursor, paginate } from '../../core/pagination.ts';
import { AppError } from '../../core/errors.ts';
import type { Actor } from '../../access/roles.ts';
import { user } from '../accounts/accounts.schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { organisation } from '../network/network.schema.ts';
import { isUuid, notFound } from '../../core/errors.ts';
import { auditRestrictedReads, meetingVisible, reader, writer } from '../../access/need-to-know.ts';
import type { CreateFollowUpInput, FollowUp, FollowUpListQuery, UpdateFollowUpInput } from './meetings.contract.ts';
import { followUp, meeting } from './meetings.schema.ts';
import { assertRefs, grant, loadVisibleMeeting, type Ref } from './meetings.service.ts';

// Follow-ups: what we owe members after a meeting. A follow-up of a meeting the actor may not see is
// invisible to them; so whoever is made the owner of one on a restricted meeting is granted the meeting.

/** Today's date (YYYY-MM-DD) where the user is: "overdue" turns at their midnight, not the server's. */
export function todayIn(timeZone: string, now = new Date()): string {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  } catch {
    parts = new Intl.DateTimeFormat('en', { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  }
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

const owner = alias(user, 'follow_up_owner');

function selectFollowUps(db: Db, today: string) {
  return db
    .select({
      f: followUp,
      ownerName: owner.name,
      meetingTitle: meeting.title,
      meetingRestricted: meeting.restricted,
      organisationName: organisation.name,
      overdue: sql<boolean>`(${followUp.status} = 'open' AND ${followUp.dueDate} < ${today}::date)`,
    })
    .from(followUp)
    .innerJoin(owner, eq(owner.id, followUp.ownerId))
    .leftJoin(meeting, eq(meeting.id, followUp.meetingId))
    .leftJoin(organisation, eq(organisation.id, followUp.organisationId));
}

type Row = Awaited<ReturnType<ReturnType<typeof selectFollowUps>['execute']>>[number];

function toDto(r: Row): FollowUp {
  const f = r.f;
  return {
    id: f.id,
    title: f.title,
    ownerId: f.ownerId,
    ownerName: r.ownerName,
    dueDate: f.dueDate,
    status: f.status as FollowUp['status'],
    overdue: !!r.overdue,
    meetingId: f.meetingId,
    meetingTitle: r.meetingTitle,
    organisationId: f.organisationId,
    organisationName: r.organisationName,
    createdBy: f.createdBy,
    createdAt: f.createdAt.toISOString(),
    completedAt: f.completedAt ? f.completedAt.toISOString() : null,
  };
}

/** Follow-ups the actor may see: those without a meeting, and those of meetings they may see. */
function followUpVisible(actor: Actor): SQL {
  return actor.role === 'admin' ? sql`true` : sql`(${followUp.meetingId} IS NULL OR ${meetingVisible(actor, followUp.meetingId)})`;
}

// open first, overdue first, then by due date (none last)
const statusRank = sql<number>`(CASE ${followUp.status} WHEN 'open' THEN 0 WHEN 'done' THEN 1 ELSE 2 END)`;
const overdueRank = (today: string) => sql<number>`(CASE WHEN ${followUp.status} = 'open' AND ${followUp.dueDate} < ${today}::date THEN 0 ELSE 1 END)`;
const dueKey = sql<string>`COALESCE(${followUp.dueDate}, '9999-12-31'::date)`;

/** The follow-ups of one meeting (the caller has checked the meeting). */
export async function listFollowUpsOfMeeting(db: Db, actor: Actor, meetingId: string): Promise<FollowUp[]> {
  const today = todayIn(actor.timeZone);
  const rows = await selectFollowUps(db, today)
    .where(eq(followUp.meetingId, meetingId))
    .orderBy(statusRank, overdueRank(today), dueKey, asc(followUp.id));
  return rows.map(toDto);
}

type NewFollowUp = { title: string; ownerId: string; dueDate?: string | null; organisationId?: string | null; status?: string };

/** Inserts follow-ups inside the caller's transaction (references already checked). */
export async function insertFollowUps(tx: Db, ctx: RequestContext, m: { id: string; restricted: boolean } | null, items: NewFollowUp[]): Promise<string[]> {
  const ids: string[] = [];
  for (const f of items) {
    const status = f.status ?? 'open';
    const [row] = await tx
      .insert(followUp)
      .values({
        title: f.title,
        ownerId: f.ownerId,
        dueDate: f.dueDate ?? null,
        status,
        meetingId: m?.id ?? null,
        organisationId: f.organisationId ?? null,
        createdBy: ctx.actor?.id ?? null,
        completedAt: status === 'open' ? null : new Date(),
      })
      .returning({ id: followUp.id });
    await recordAudit(tx, ctx, {
      action: 'follow_up.create',
      entityType: 'follow_up',
      entityId: row!.id,
      detail: { ownerId: f.ownerId, meetingId: m?.id ?? null, dueDate: f.dueDate ?? null },
    });
    if (m?.restricted) await grantOwner(tx, ctx, m.id, f.ownerId);
    ids.push(row!.id);
  }
  return ids;
}

/** The owner of a follow-up on a restricted meeting must be able to see it. */
async function grantOwner(tx: Db, ctx: RequestContext, meetingId: string, ownerId: string) {
  if (await grant(tx, ctx.actor, 'meeting', meetingId, ownerId))
    await recordAudit(tx, ctx, { action: 'meeting.grant', entityType: 'meeting', entityId: meetingId, detail: { userId: ownerId, reason: 'follow_up_owner' } });
}

async function readFollowUp(db: Db, actor: Actor, id: string): Promise<FollowUp> {
  if (!isUuid(id)) throw notFound('follow_up');
  const [row] = await selectFollowUps(db, todayIn(actor.timeZone)).where(and(eq(followUp.id, id), followUpVisible(actor)));
  if (!row) throw notFound('follow_up');
  return toDto(row);
}

function refs(input: { ownerId?: string; organisationId?: string | null }) {
  return {
    users: input.ownerId ? [{ field: 'body.ownerId', id: input.ownerId }] : [],
    organisations: input.organisationId ? [{ field: 'body.organisationId', id: input.organisationId }] : ([] as Ref[]),
  };
}

export async function createFollowUp(db: Db, ctx: RequestContext, input: CreateFollowUpInput): Promise<FollowUp> {
  const actor = writer(ctx);
  const id = await db.transaction(async (tx) => {
    let m: { id: string; restricted: boolean } | null = null;
    if (input.meetingId) {
      try {
        m = await loadVisibleMeeting(tx, actor, input.meetingId);
      } catch {
        throw new AppError('unprocessable', 'unknown_reference', 'A referenced record does not exist.', [{ field: 'body.meetingId', detail: 'No such record' }]);
      }
    }
    await assertRefs(tx, actor, refs(input));
    const [created] = await insertFollowUps(tx, ctx, m, [input]);
    return created!;
  });
  return readFollowUp(db, actor, id);
}

export async function updateFollowUp(db: Db, ctx: RequestContext, id: string, input: UpdateFollowUpInput): Promise<FollowUp> {
  const actor = writer(ctx);
  await db.transaction(async (tx) => {
    const before = await readFollowUp(tx, actor, id);
    await assertRefs(tx, actor, refs(input));
    const completedAt = input.status === undefined || input.status === before.status ? undefined : input.status === 'open' ? null : new Date();
    await tx
      .update(followUp)
      .set({ ...input, ...(completedAt !== undefined ? { completedAt } : {}) })
      .where(eq(followUp.id, id));
    if (input.ownerId && input.ownerId !== before.ownerId && before.meetingId) {
      const [m] = await tx.select({ restricted: meeting.restricted }).from(meeting).where(eq(meeting.id, before.meetingId));
      if (m?.restricted) await grantOwner(tx, ctx, before.meetingId, input.ownerId);
    }
    await recordAudit(tx, ctx, {
      action: 'follow_up.update',
      entityType: 'follow_up',
      entityId: id,
      detail: { fields: Object.keys(input), ...(input.status ? { status: input.status } : {}), ...(input.ownerId ? { ownerId: input.ownerId } : {}) },
    });
  });
  return readFollowUp(db, actor, id);
}

/** The WHERE of a follow-up list for the actor: need-to-know first, then the filter. */
export function followUpListWhere(actor: Actor, f: Omit<FollowUpListQuery, 'limit' | 'cursor'>, today: string): SQL {
  const overdue = sql`(${followUp.status} = 'open' AND ${followUp.dueDate} IS NOT NULL AND ${followUp.dueDate} < ${today}::date)`;
  return and(
    followUpVisible(actor),
    f.mine ? eq(followUp.ownerId, actor.id) : undefined,
    f.ownerId ? eq(followUp.ownerId, f.ownerId) : undefined,
    f.status ? eq(followUp.status, f.status) : undefined,
    f.overdue === true ? overdue : f.overdue === false ? sql`NOT ${overdue}` : undefined,
    f.meetingId ? eq(followUp.meetingId, f.meetingId) : undefined,
    f.organisationId ? eq(followUp.organisationId, f.organisationId) : undefined,
  )!;
}

/** Follow-ups the actor may see: open first, overdue first, then by due date (none last). */
export async function listFollowUps(db: Db, ctx: RequestContext, f: FollowUpListQuery) {
  const actor = reader(ctx);
  const today = todayIn(actor.timeZone);
  const where = followUpListWhere(actor, f, today);
  const cur = decodeCursor(
    f.cursor,
    4,
    ([s, o, d, id]) =>
      typeof s === 'number' && typeof o === 'number' && typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d) && typeof id === 'string' && isUuid(id),
  );
  const keyset = cur
    ? sql`(${statusRank}, ${overdueRank(today)}, ${dueKey}, ${followUp.id}) > (${cur[0]}::int, ${cur[1]}::int, ${cur[2]}::date, ${cur[3]}::uuid)`
    : undefined;
  const rows = await selectFollowUps(db, today)
    .where(and(where, keyset))
    .orderBy(statusRank, overdueRank(today), dueKey, asc(followUp.id))
    .limit(f.limit + 1);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(followUp).where(where);
  const rank = (st: string) => (st === 'open' ? 0 : st === 'done' ? 1 : 2);
  const page = paginate(rows, f.limit, (r) => [rank(r.f.status), r.overdue ? 0 : 1, r.f.dueDate ?? '9999-12-31', r.f.id]);
  await auditRestrictedReads(
    db,
    ctx,
    page.items.filter((r) => r.meetingRestricted && r.f.meetingId).map((r) => ({ entityType: 'meeting', entityId: r.f.meetingId! })),
  );
  return { items: page.items.map(toDto), nextCursor: page.nextCursor, total: Number(n) };
}

/** Follow-ups by id that the actor may see, in the order given (the home page's "given to you"). */
export async function followUpsByIds(db: Db, ctx: RequestContext, ids: string[]): Promise<FollowUp[]> {
  const actor = reader(ctx);
  if (!ids.length) return [];
  const rows = await selectFollowUps(db, todayIn(actor.timeZone)).where(and(followUpVisible(actor), inArray(followUp.id, ids)));
  await auditRestrictedReads(
    db,
    ctx,
    rows.filter((r) => r.meetingRestricted && r.f.meetingId).map((r) => ({ entityType: 'meeting', entityId: r.f.meetingId! })),
  );
  const byId = new Map(rows.map((r) => [r.f.id, toDto(r)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
