import { bigserial, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Append-only: the application only ever inserts here. Nothing in the app updates or deletes a row,
 * and the entries carry no foreign keys so that deleting a record never erases its history.
 */
export const auditEntry = pgTable(
  'audit_entry',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** user id of the actor, or null for the system / an anonymous request */
    actorId: text('actor_id'),
    actorEmail: text('actor_email'),
    /** e.g. user.invite, user.disable, session.create, settings.update, record.read */
    action: text('action').notNull(),
    /** kind of record: user, invitation, session, setting, … */
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    /** client address and user agent the request came from */
    ip: text('ip'),
    userAgent: text('user_agent'),
    /** what changed (never secrets) */
    detail: jsonb('detail').$type<Record<string, unknown>>(),
  },
  (t) => [
    index('audit_entry_at_idx').on(t.at),
    index('audit_entry_actor_idx').on(t.actorId, t.at),
    index('audit_entry_entity_idx').on(t.entityType, t.entityId),
  ],
);
