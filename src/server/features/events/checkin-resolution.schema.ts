import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { user } from '../accounts/accounts.schema.ts';
import { checkinScan, event } from './events.schema.ts';

/**
 * How staff resolved a door conflict (a ticket admitted online by one phone and offline by another): one row per
 * conflicting scan (checkin.service.ts `resolveConflict`). `same_person`: the holder came through twice (a re-entry,
 * a phone that lost its list); `two_people`: two people came in on one ticket (a copied code). The scan itself stays
 * as the door recorded it.
 */
export const checkinConflictResolution = pgTable(
  'checkin_conflict_resolution',
  {
    scanId: uuid('scan_id')
      .primaryKey()
      .references(() => checkinScan.id, { onDelete: 'cascade' }),
    eventId: uuid('event_id')
      .notNull()
      .references(() => event.id, { onDelete: 'cascade' }),
    resolution: text('resolution').notNull(),
    note: text('note'),
    resolvedBy: text('resolved_by').references(() => user.id, { onDelete: 'set null' }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('checkin_conflict_resolution_event_idx').on(t.eventId),
    check('checkin_conflict_resolution_kind_check', sql`${t.resolution} IN ('same_person', 'two_people')`),
  ],
);
