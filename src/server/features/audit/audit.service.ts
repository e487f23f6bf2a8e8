import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { decodeCursor, paginate } from '../../core/pagination.ts';
import { authorize } from '../../access/roles.ts';
import { auditRecords } from './audit.records.ts';
import { auditEntry } from './audit.schema.ts';

export type AuditInput = {
  action: string;
  entityType: string;
  entityId?: string | null;
  detail?: Record<string, unknown>;
  /** when the actor is not (yet) the request's actor, e.g. the account just created at sign-up */
  actorId?: string | null;
  actorEmail?: string | null;
};

/** Call inside the same transaction as the write it records, so neither exists without the other. */
export async function recordAudit(db: Db, ctx: RequestContext, input: AuditInput): Promise<void> {
  await db.insert(auditEntry).values({
    actorId: input.actorId !== undefined ? input.actorId : (ctx.actor?.id ?? null),
    actorEmail: input.actorEmail !== undefined ? input.actorEmail : (ctx.actor?.email ?? null),
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId ?? null,
    ip: ctx.ip,
    userAgent: ctx.userAgent.slice(0, 500),
    detail: input.detail ?? null,
  });
}

/**
 * Many entries of one action at once (one insert per 500), e.g. the restricted records a list shows: each with the
 * request's actor, address and agent.
 */
export async function recordAuditMany(db: Db, ctx: RequestContext, inputs: AuditInput[]): Promise<void> {
  const rows = inputs.map((input) => ({
    actorId: input.actorId !== undefined ? input.actorId : (ctx.actor?.id ?? null),
    actorEmail: input.actorEmail !== undefined ? input.actorEmail : (ctx.actor?.email ?? null),
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId ?? null,
    ip: ctx.ip,
    userAgent: ctx.userAgent.slice(0, 500),
    detail: input.detail ?? null,
  }));
  for (let i = 0; i < rows.length; i += 500) await db.insert(auditEntry).values(rows.slice(i, i + 500));
}

export type AuditFilter = {
  actorId?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  from?: Date;
  to?: Date;
  limit: number;
  cursor?: string;
};

export async function listAuditEntries(db: Db, ctx: RequestContext, f: AuditFilter) {
  authorize(ctx.actor, 'audit.read');
  const where: (SQL | undefined)[] = [
    f.actorId ? eq(auditEntry.actorId, f.actorId) : undefined,
    f.action ? eq(auditEntry.action, f.action) : undefined,
    f.entityType ? eq(auditEntry.entityType, f.entityType) : undefined,
    f.entityId ? eq(auditEntry.entityId, f.entityId) : undefined,
    f.from ? gte(auditEntry.at, f.from) : undefined,
    // stored times have microseconds, shown ones milliseconds: "to" a shown time includes that whole millisecond
    f.to ? lt(auditEntry.at, new Date(f.to.getTime() + 1)) : undefined,
  ];
  const cur = decodeCursor(f.cursor, 1, ([id]) => /^\d{1,19}$/.test(String(id)));
  // ids grow with time, so the id alone is a stable newest-first keyset
  if (cur) where.push(lt(auditEntry.id, BigInt(cur[0] as string)));
  const rows = await db
    .select()
    .from(auditEntry)
    .where(and(...where))
    .orderBy(desc(auditEntry.id))
    .limit(f.limit + 1);
  const page = paginate(rows, f.limit, (r) => [r.id.toString()]);
  const records = await auditRecords(db, page.items);
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((r) => ({
      id: r.id.toString(),
      at: r.at.toISOString(),
      actorId: r.actorId,
      actorEmail: r.actorEmail,
      action: r.action,
      entityType: r.entityType,
      entityId: r.entityId,
      ip: r.ip,
      userAgent: r.userAgent,
      detail: r.detail ?? null,
      record: (r.entityId && records.get(`${r.entityType}:${r.entityId}`)) || null,
    })),
  };
}

