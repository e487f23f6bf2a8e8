import { and, asc, eq, ne } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { isUuid, notFound } from '../../core/errors.ts';
import { reader, writer } from '../../access/need-to-know.ts';
import type { CreateTopicInput, Topic, UpdateTopicInput } from './meetings.contract.ts';
import { topic } from './meetings.schema.ts';

type TopicRow = typeof topic.$inferSelect;

export function toTopicDto(t: TopicRow): Topic {
  return { id: t.id, key: t.key, nameEn: t.nameEn, nameHe: t.nameHe, nameAr: t.nameAr, archived: t.archived, createdAt: t.createdAt.toISOString() };
}

export async function listTopics(db: Db, ctx: RequestContext, q: { includeArchived?: boolean } = {}) {
  reader(ctx);
  const rows = await db
    .select()
    .from(topic)
    .where(q.includeArchived ? undefined : eq(topic.archived, false))
    .orderBy(asc(topic.archived), asc(topic.nameEn), asc(topic.id));
  return { items: rows.map(toTopicDto) };
}

async function assertKeyFree(db: Db, key: string, exceptId?: string) {
  const [taken] = await db
    .select({ id: topic.id })
    .from(topic)
    .where(and(eq(topic.key, key), exceptId ? ne(topic.id, exceptId) : undefined));
  if (taken) throw new AppError('conflict', 'topic_key_taken', 'Another topic has this key.', [{ field: 'body.key', detail: 'Already taken' }]);
}

export async function createTopic(db: Db, ctx: RequestContext, input: CreateTopicInput): Promise<Topic> {
  writer(ctx);
  return db.transaction(async (tx) => {
    await assertKeyFree(tx, input.key);
    const [row] = await tx
      .insert(topic)
      .values({ key: input.key, nameEn: input.nameEn, nameHe: input.nameHe, nameAr: input.nameAr, archived: input.archived ?? false })
      .returning();
    await recordAudit(tx, ctx, { action: 'topic.create', entityType: 'topic', entityId: row!.id, detail: { key: row!.key } });
    return toTopicDto(row!);
  });
}

export async function updateTopic(db: Db, ctx: RequestContext, id: string, input: UpdateTopicInput): Promise<Topic> {
  writer(ctx);
  return db.transaction(async (tx) => {
    if (!isUuid(id)) throw notFound('topic');
    const [existing] = await tx.select().from(topic).where(eq(topic.id, id));
    if (!existing) throw notFound('topic');
    if (input.key && input.key !== existing.key) await assertKeyFree(tx, input.key, id);
    const [row] = await tx.update(topic).set(input).where(eq(topic.id, id)).returning();
    await recordAudit(tx, ctx, { action: 'topic.update', entityType: 'topic', entityId: id, detail: { fields: Object.keys(input) } });
    return toTopicDto(row!);
  });
}
