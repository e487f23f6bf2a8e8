import { index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Rate-limit counters, shared by every server on the database (runtime/rate-limits.ts): one row per limit and key,
 * counting the hits of a fixed window that started at `windowStart`. Keys are keyed hashes of addresses, accounts
 * or participants, never the address itself; rows are pruned once their window is over.
 */
export const rateLimit = pgTable(
  'rate_limit',
  {
    name: text('name').notNull(),
    key: text('key').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    hits: integer('hits').notNull(),
  },
  (t) => [primaryKey({ columns: [t.name, t.key] }), index('rate_limit_window_idx').on(t.windowStart)],
);
