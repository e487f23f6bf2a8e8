import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { user } from '../accounts/accounts.schema.ts';

/**
 * A long import, written in short transactions by a background job (imports.run): a Network CSV (kind network),
 * a Pol.is export (polis) or a panel vendor's CSV for a message test (study). The whole input is validated
 * before the first write; then each chunk of units (rows, participants, votes…) is written in its own
 * transaction together with `done`, so a crash resumes exactly after the last chunk that committed and never
 * writes one twice. The input (personal data) is removed when the run ends, done or failed.
 */
export const importRun = pgTable(
  'import_run',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** network | polis | study */
    kind: text('kind').notNull(),
    /** network: organisations | people; polis: the new dialogue's id; study: the study's id */
    target: text('target').notNull(),
    /** queued | running | done | failed */
    state: text('state').notNull().default('queued'),
    /** what to import, as the request gave it; null once the run has ended */
    input: jsonb('input').$type<Record<string, unknown>>(),
    /** units to write in all, and written so far (committed with each chunk) */
    total: integer('total').notNull(),
    done: integer('done').notNull().default(0),
    created: integer('created').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    /** the summary of a finished run */
    result: jsonb('result').$type<Record<string, unknown>>(),
    /** why a run failed: { code, message, rowErrors?, … } */
    error: jsonb('error').$type<Record<string, unknown>>(),
    /** who started it (the job acts as them, with their rights when it runs) and from where, for the audit log */
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('import_run_created_by_idx').on(t.createdBy, t.createdAt), index('import_run_state_idx').on(t.state)],
);

/** A Network import's record per spreadsheet row (what the result lists), written with the row's chunk. */
export const importRunItem = pgTable(
  'import_run_item',
  {
    runId: uuid('run_id')
      .notNull()
      .references(() => importRun.id, { onDelete: 'cascade' }),
    row: integer('row').notNull(),
    /** create | update */
    action: text('action').notNull(),
    recordId: uuid('record_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.row] })],
);
