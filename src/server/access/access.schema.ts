import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { user } from '../features/accounts/accounts.schema.ts';

// Need-to-know grants, beside the predicates that read them (need-to-know.ts).

/** Need-to-know: a user granted one restricted record (a meeting, a person, a shared item, a meeting's notes). */
export const accessGrant = pgTable(
  'access_grant',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** meeting | person | shared_item */
    recordType: text('record_type').notNull(),
    recordId: uuid('record_id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    grantedBy: text('granted_by').references(() => user.id, { onDelete: 'set null' }),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('access_grant_unique').on(t.recordType, t.recordId, t.userId), index('access_grant_user_idx').on(t.userId, t.recordType)],
);
