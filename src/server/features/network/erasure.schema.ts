import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { user } from '../accounts/accounts.schema.ts';

// Erasure on request (docs/erasure.md): a person or an organisation whose names, contacts, notes and affiliations
// are replaced by a tombstone everywhere they are stored. One row per request and per erasure carried out; it holds
// ids, the tombstone's reference and who did what, never what was erased. The rows are kept (and backed up) so that
// erasures can be re-applied after restoring a backup made before them.

/** A place of free text outside the erased record itself: which record, and which of its texts. */
export type ErasurePlace = { kind: string; id: string };

/** A place of free text that named the erased record when it was erased; redacted or left for review. */
export type ErasureMention = ErasurePlace & {
  /** the page that shows the place: a meeting, a person, an organisation (none for a saved segment) */
  link: { type: 'meeting' | 'person' | 'organisation' | 'campaign'; id: string } | null;
  redacted: boolean;
};

export const erasure = pgTable(
  'erasure',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** person | organisation */
    recordType: text('record_type').notNull(),
    /** the record stays (meetings keep their attendees); no foreign key so that the row outlives a deletion */
    recordId: uuid('record_id').notNull(),
    /** short random reference shown in the tombstone, e.g. 7F3K */
    reference: text('reference').notNull(),
    /** the name the record carries once erased, e.g. "Erased person · 7F3K" */
    tombstone: text('tombstone').notNull(),
    /**
     * pending (waits for a second administrator) | done | cancelled | expired. `erasing` exists only inside the
     * transaction that erases: the audit log's trigger lets that transaction rewrite details (drizzle/0013).
     */
    status: text('status').notNull(),
    /** why, as the requester wrote it (checked not to name the record) */
    reason: text('reason'),
    /** places of free text the requester chose to have the record's names replaced in */
    redact: jsonb('redact').$type<ErasurePlace[]>().notNull().default(sql`'[]'::jsonb`),
    /** once erased: every place of free text that named the record, redacted or to review */
    mentions: jsonb('mentions').$type<ErasureMention[]>(),
    requestedBy: text('requested_by').references(() => user.id, { onDelete: 'set null' }),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    /** a pending request lapses at this instant */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    /** the administrator who erased (the second one when a second is required); null when re-applied by the command */
    erasedBy: text('erased_by').references(() => user.id, { onDelete: 'set null' }),
    erasedAt: timestamp('erased_at', { withTimezone: true }),
    cancelledBy: text('cancelled_by').references(() => user.id, { onDelete: 'set null' }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('erasure_reference_unique').on(t.reference),
    // one open request or erasure per record
    uniqueIndex('erasure_record_open_unique')
      .on(t.recordType, t.recordId)
      .where(sql`${t.status} IN ('pending', 'erasing', 'done')`),
    index('erasure_status_idx').on(t.status, t.requestedAt),
  ],
);
