import { and, asc, eq, gt, or } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { decodeCursor, paginate } from '../../core/pagination.ts';
import { AppError } from '../../core/errors.ts';
import { can, type Actor } from '../../access/roles.ts';
import { user } from '../accounts/accounts.schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { segment } from '../meetings/meetings.schema.ts';
import { UuidSchema } from '../network/common.contract.ts';
import { notFound } from '../../core/errors.ts';
import { reader } from '../../access/need-to-know.ts';
import { SEGMENT_FILTER_KEYS, type SegmentList } from './insights.contract.ts';

// Saved segments: a list's filter under a name. Anyone signed in may save their own; staff and admins may
// share one with everybody. A user sees their own and the shared ones; only the owner or an admin changes
// or deletes one (others get 403 on a shared segment, 404 on a private one they cannot see).

type SegmentRow = typeof segment.$inferSelect;

export type SegmentDto = {
  id: string;
  name: string;
  list: SegmentList;
  filter: Record<string, unknown>;
  shared: boolean;
  ownerId: string;
  ownerName: string | null;
  editable: boolean;
  createdAt: string;
};

function toDto(actor: Actor, row: SegmentRow, ownerName: string | null): SegmentDto {
  return {
    id: row.id,
    name: row.name,
    list: row.list as SegmentList,
    filter: row.filter,
    shared: row.shared,
    ownerId: row.ownerId,
    ownerName,
    editable: row.ownerId === actor.id || actor.role === 'admin',
    createdAt: row.createdAt.toISOString(),
  };
}

/** A filter may only use the keys its list understands: 422 naming each unknown key. */
export function validateFilter(list: SegmentList, filter: Record<string, unknown>): void {
  const allowed = SEGMENT_FILTER_KEYS[list];
  const bad = Object.keys(filter).filter((k) => !allowed.includes(k));
  if (bad.length) {
    throw new AppError(
      'unprocessable',
      'unknown_filter_key',
      `The ${list} list has no filter ${bad.join(', ')}; it understands ${allowed.join(', ')}.`,
      bad.map((k) => ({ field: `body.filter.${k}`, detail: `Not a filter of the ${list} list` })),
    );
  }
}

function mayShare(actor: Actor, shared: boolean | undefined) {
  if (shared && !can(actor, 'pillars.write')) throw new AppError('forbidden', 'forbidden', 'Only staff and admins may share a segment.');
}

const visibleTo = (actor: Actor) => or(eq(segment.ownerId, actor.id), eq(segment.shared, true));

export async function listSegments(db: Db, ctx: RequestContext, input: { list?: SegmentList; limit: number; cursor?: string }) {
  const actor = reader(ctx);
  const cursor = decodeCursor(input.cursor, 2, ([name, id]) => typeof name === 'string' && UuidSchema.safeParse(id).success);
  const found = await db
    .select({ s: segment, ownerName: user.name })
    .from(segment)
    .leftJoin(user, eq(user.id, segment.ownerId))
    .where(
      and(
        visibleTo(actor),
        input.list ? eq(segment.list, input.list) : undefined,
        cursor ? or(gt(segment.name, String(cursor[0])), and(eq(segment.name, String(cursor[0])), gt(segment.id, String(cursor[1])))) : undefined,
      ),
    )
    .orderBy(asc(segment.name), asc(segment.id))
    .limit(input.limit + 1);
  const page = paginate(found, input.limit, (r) => [r.s.name, r.s.id]);
  return { items: page.items.map((r) => toDto(actor, r.s, r.ownerName)), nextCursor: page.nextCursor };
}

export async function createSegment(db: Db, ctx: RequestContext, input: { name: string; list: SegmentList; filter: Record<string, unknown>; shared: boolean }) {
  const actor = reader(ctx);
  mayShare(actor, input.shared);
  validateFilter(input.list, input.filter);
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(segment).values({ name: input.name, list: input.list, filter: input.filter, shared: input.shared, ownerId: actor.id }).returning();
    await recordAudit(tx, ctx, { action: 'segment.create', entityType: 'segment', entityId: row!.id, detail: { name: row!.name, list: row!.list, shared: row!.shared } });
    return toDto(actor, row!, actor.name);
  });
}

/** The segment, if the actor may see it, and a 403 if they may see but not change it. */
async function editable(db: Db, actor: Actor, id: string): Promise<SegmentRow> {
  if (!UuidSchema.safeParse(id).success) throw notFound('segment');
  const [row] = await db.select().from(segment).where(and(eq(segment.id, id), visibleTo(actor)));
  if (!row) throw notFound('segment');
  if (row.ownerId !== actor.id && actor.role !== 'admin') throw new AppError('forbidden', 'not_segment_owner', 'Only its owner or an admin may change this segment.');
  return row;
}

export async function updateSegment(
  db: Db,
  ctx: RequestContext,
  id: string,
  input: { name?: string; list?: SegmentList; filter?: Record<string, unknown>; shared?: boolean },
) {
  const actor = reader(ctx);
  const current = await editable(db, actor, id);
  mayShare(actor, input.shared);
  const list = input.list ?? (current.list as SegmentList);
  validateFilter(list, input.filter ?? current.filter);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(segment)
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.list !== undefined ? { list: input.list } : {}),
        ...(input.filter !== undefined ? { filter: input.filter } : {}),
        ...(input.shared !== undefined ? { shared: input.shared } : {}),
      })
      .where(eq(segment.id, id))
      .returning();
    await recordAudit(tx, ctx, { action: 'segment.update', entityType: 'segment', entityId: id, detail: { fields: Object.keys(input) } });
    const [owner] = await tx.select({ name: user.name }).from(user).where(eq(user.id, row!.ownerId));
    return toDto(actor, row!, owner?.name ?? null);
  });
}

export async function deleteSegment(db: Db, ctx: RequestContext, id: string): Promise<void> {
  const actor = reader(ctx);
  const current = await editable(db, actor, id);
  await db.transaction(async (tx) => {
    await tx.delete(segment).where(eq(segment.id, id));
    await recordAudit(tx, ctx, { action: 'segment.delete', entityType: 'segment', entityId: id, detail: { name: current.name, list: current.list } });
  });
}
