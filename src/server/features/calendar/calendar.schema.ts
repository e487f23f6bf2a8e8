import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { user } from '../accounts/accounts.schema.ts';

// Calendar feeds, read and written by calendar.service.ts.

/** A staff member's private iCalendar feed; the URL's token is stored hashed and can be revoked. */
export const calendarFeed = pgTable('calendar_feed', {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: text('user_id')
    .notNull()
    .references(() => user.id, { onDelete: 'cascade' }),
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});
