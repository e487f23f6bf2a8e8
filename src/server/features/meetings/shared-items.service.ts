import { and, count, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { decodeCursor, paginate } from '../../core/pagination.ts';
import type { Actor } from '../../access/roles.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { normalizeName } from '../network/names.ts';
import { accessGrant, organisation } from '../network/network.schema.ts';
import { isUuid, notFound } from '../../core/errors.ts';
import { auditRestrictedReads, reader, sharedItemVisible, writer } from '../../access/need-to-know.ts';
import type { SharedItem, SharedItemInput, SharedItemListQuery, UpdateSharedItemInput } from './meetings.contract.ts';
import { meeting, sharedItem, topic } from './meetings.schema.ts';
import { assertRefs, grant, loadVisibleMeeting, type Ref } from './meetings.service.ts';
import { toTopicDto } from './topics.service.ts';

// What members shared in meetings: concerns, updates, requests, opportunities. An item is seen by whoever
// sees its meeting, unless it is restricted itself (then: admins, the meeting's staff, granted users).

function selectItems(db: Db) {
  return db
    .select({ item: sharedItem, meetingTitle: meeting.title, meetingStartsAt: meeting.startsAt, meetingRestricted: meeting.restricted, organisationName: organisation.name, topic })
    .from(sharedItem)
    .innerJoin(meeting, eq(meeting.id, sharedItem.meetingId))
    .innerJoin(organisation, eq(organisation.id, sharedItem.organisationId))
    .leftJoin(topic, eq(topic.id, sharedItem.topicId));
}

type ItemRow = Awaited<ReturnType<ReturnType<typeof selectItems>['execute']>>[number];

function toDto(r: ItemRow): SharedItem {
  const i = r.item;
  return {
    id: i.id,
    meetingId: i.meetingId,
    meetingTitle: r.meetingTitle,
    meetingStartsAt: r.meetingStartsAt.toISOString(),
    organisationId: i.organisationId,
    organisationName: r.organisationName,
    topicId: i.topicId,
    topic: r.topic ? toTopicDto(r.topic) : null,
    kind: i.kind as SharedItem['kind'],
    body: i.body,
    status: i.status as SharedItem['status'],
    restricted: i.restricted,
    createdBy: i.createdBy,
    createdAt: i.createdAt.toISOString(),
    updatedAt: i.updatedAt.toISOString(),
  };
}

/** The shared items of one meeting the actor may see (the caller has checked the meeting). */
export async function sharedItemsOfMeeting(db: Db, actor: Actor, meetingId: string): Promise<SharedItem[]> {
  const rows = await selectItems(db)
    .where(and(eq(sharedItem.meetingId, meetingId), sharedItemVisible(actor, sharedItem.id)))
    .orderBy(sharedItem.createdAt, sharedItem.id);
  return rows.map(toDto);
}

function itemRefs(input: { organisationId?: string; topicId?: string | null }, prefix: string) {
  return {
    organisations: input.organisationId ? [{ field: `${prefix}organisationId`, id: input.organisationId }] : [],
    topics: input.topicId ? [{ field: `${prefix}topicId`, id: input.topicId }] : ([] as Ref[]),
  };
}

/** Inserts items for a meeting inside the caller's transaction (references already checked). */
export async function insertSharedItems(tx: Db, ctx: RequestContext, m: { id: string }, items: SharedItemInput[]): Promise<string[]> {
  const ids: string[] = [];
  for (const s of items) {
    const [row] = await tx
      .insert(sharedItem)
      .values({
        meetingId: m.id,
        organisationId: s.organisationId,
        topicId: s.topicId ?? null,
        kind: s.kind,
        body: s.body,
        bodyNorm: normalizeName(s.body),
        status: s.status ?? 'open',
        restricted: s.restricted ?? false,
        createdBy: ctx.actor?.id ?? null,
      })
      .returning({ id: sharedItem.id });
    if (s.restricted && ctx.actor) await grant(tx, ctx.actor, 'shared_item', row!.id, ctx.actor.id);
    await recordAudit(tx, ctx, {
      action: 'shared_item.create',
      entityType: 'shared_item',
      entityId: row!.id,
      detail: { meetingId: m.id, kind: s.kind, organisationId: s.organisationId, restricted: s.restricted ?? false },
    });
    ids.push(row!.id);
  }
  return ids;
}

async function readItem(db: Db, actor: Actor, id: string): Promise<SharedItem> {
  if (!isUuid(id)) throw notFound('shared_item');
  const [row] = await selectItems(db).where(and(eq(sharedItem.id, id), sharedItemVisible(actor, sharedItem.id)));
  if (!row) throw notFound('shared_item');
  return toDto(row);
}

export async function createSharedItem(db: Db, ctx: RequestContext, meetingId: string, input: SharedItemInput): Promise<SharedItem> {
  const actor = writer(ctx);
  const id = await db.transaction(async (tx) => {
    const m = await loadVisibleMeeting(tx, actor, meetingId);
    await assertRefs(tx, actor, itemRefs(input, 'body.'));
    const [itemId] = await insertSharedItems(tx, ctx, m, [input]);
    return itemId!;
  });
  return readItem(db, actor, id);
}

export async function updateSharedItem(db: Db, ctx: RequestContext, id: string, input: UpdateSharedItemInput): Promise<SharedItem> {
  const actor = writer(ctx);
  await db.transaction(async (tx) => {
    const before = await readItem(tx, actor, id);
    await assertRefs(tx, actor, itemRefs(input, 'body.'));
    await tx
      .update(sharedItem)
      .set({ ...input, ...(input.body !== undefined ? { bodyNorm: normalizeName(input.body) } : {}), updatedAt: new Date() })
      .where(eq(sharedItem.id, id));
    if (input.restricted && !before.restricted) await grant(tx, actor, 'shared_item', id, actor.id);
    await recordAudit(tx, ctx, {
      action: 'shared_item.update',
      entityType: 'shared_item',
      entityId: id,
      detail: { fields: Object.keys(input), ...(input.status ? { status: input.status } : {}) },
    });
  });
  return readItem(db, actor, id);
}

export async function deleteSharedItem(db: Db, ctx: RequestContext, id: string): Promise<void> {
  const actor = writer(ctx);
  await db.transaction(async (tx) => {
    const before = await readItem(tx, actor, id);
    await tx.delete(sharedItem).where(eq(sharedItem.id, id));
    await tx.delete(accessGrant).where(and(eq(accessGrant.recordType, 'shared_item'), eq(accessGrant.recordId, id)));
    await recordAudit(tx, ctx, {
      action: 'shared_item.delete',
      entityType: 'shared_item',
      entityId: id,
      detail: { meetingId: before.meetingId, kind: before.kind, restricted: before.restricted },
    });
  });
}

/** The WHERE of a shared-item list for the actor: need-to-know first, then the filter. */
export function sharedItemListWhere(actor: Actor, f: Omit<SharedItemListQuery, 'limit' | 'cursor'>): SQL {
  return and(
    sharedItemVisible(actor, sharedItem.id),
    f.kind ? eq(sharedItem.kind, f.kind) : undefined,
    f.status ? eq(sharedItem.status, f.status) : undefined,
    f.topicId ? eq(sharedItem.topicId, f.topicId) : undefined,
    f.organisationId ? eq(sharedItem.organisationId, f.organisationId) : undefined,
    f.meetingId ? eq(sharedItem.meetingId, f.meetingId) : undefined,
  )!;
}

/** Visible shared items, those of the latest meetings first. */
export async function listSharedItems(db: Db, ctx: RequestContext, f: SharedItemListQuery) {
  const actor = reader(ctx);
  const where = sharedItemListWhere(actor, f);
  const cur = decodeCursor(f.cursor, 2, ([at, id]) => typeof at === 'string' && !Number.isNaN(Date.parse(at)) && typeof id === 'string' && isUuid(id));
  const rows = await selectItems(db)
    .where(and(where, cur ? sql`(${meeting.startsAt}, ${sharedItem.id}) < (${cur[0]}::timestamptz, ${cur[1]}::uuid)` : undefined))
    .orderBy(desc(meeting.startsAt), desc(sharedItem.id))
    .limit(f.limit + 1);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(sharedItem).where(where);
  const page = paginate(rows, f.limit, (r) => [r.meetingStartsAt.toISOString(), r.item.id]);
  await auditRestrictedReads(db, ctx, [
    ...page.items.filter((r) => r.item.restricted).map((r) => ({ entityType: 'shared_item', entityId: r.item.id })),
    ...page.items.filter((r) => r.meetingRestricted).map((r) => ({ entityType: 'meeting', entityId: r.item.meetingId })),
  ]);
  return { items: page.items.map(toDto), nextCursor: page.nextCursor, total: Number(n) };
}
