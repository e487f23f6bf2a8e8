import { foreignKey, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { user } from '../accounts/accounts.schema.ts';
import { eventCohost } from './events.schema.ts';

/**
 * A co-host's secret view link (/e/{slug}/cohost/{token}): co-hosts are Network organisations, not accounts, so
 * each reaches its own figures (and, in "contacts" mode, its consenting registrants) by a link staff hand it. The
 * token is HMAC(install secret, id), so staff can copy the link again; only its SHA-256 is stored, to find the link
 * by it. A link expires by itself (`expires_at`); revoking is for good (a new link is a new row); removing the co-host
 * removes its links.
 */
export const cohostViewLink = pgTable(
  'cohost_view_link',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id').notNull(),
    organisationId: uuid('organisation_id').notNull(),
    /** SHA-256 of the token, base64url */
    tokenHash: text('token_hash').notNull().unique(),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** a revoked link answers 404 */
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /** the link answers 404 from then on, by itself (null, links made before links expired: 30 days after the event ends) */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
  },
  (t) => [
    foreignKey({ columns: [t.eventId, t.organisationId], foreignColumns: [eventCohost.eventId, eventCohost.organisationId], name: 'cohost_view_link_cohost_fk' }).onDelete('cascade'),
    index('cohost_view_link_cohost_idx').on(t.eventId, t.organisationId),
  ],
);
