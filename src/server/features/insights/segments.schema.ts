import { boolean, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { user } from '../accounts/accounts.schema.ts';

// Saved filters, read and written by segments.service.ts.

/** A saved filter ("segment"): any list's filter under a name. */
export const segment = pgTable('segment', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  /** organisations | people | meetings | member_health */
  list: text('list').notNull(),
  filter: jsonb('filter').$type<Record<string, unknown>>().notNull(),
  ownerId: text('owner_id')
    .notNull()
    .references(() => user.id, { onDelete: 'cascade' }),
  /** shown to every staff member, not only its owner */
  shared: boolean('shared').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
