import { sql } from 'drizzle-orm';
import { rows, type Database, type Db } from '../db/client.ts';
import type { Jobs } from '../jobs/jobs.ts';

// The embedded database's autovacuum. PostgreSQL's autovacuum daemon keeps every table's planner statistics current
// and reclaims the space of deleted and updated rows; PGlite runs PostgreSQL as one single-user backend, which has no
// autovacuum and, after a restart, no activity counters (pg_stat_user_tables reads zeros). Without this job a table
// that grows is planned with the statistics of its first days (or none: a join over two unanalysed tables can become a
// nested loop taking seconds), and the rows that churn (sessions, rate-limit counters, pg-boss's jobs, read models)
// leave dead versions that nothing reclaims.
//
// So, on the embedded database only, a durable job scheduled every ten minutes compares each table's size on disk
// with the size its last VACUUM or ANALYZE recorded (pg_class.relpages) and runs VACUUM (ANALYZE) on each table never
// analysed or grown (or shrunk) by more than a fifth — autovacuum's default thresholds in spirit, measured the one way
// that survives restarts. It works one table at a time, each when the database has been quiet for a moment (requests
// go first), and stops between tables when the server stops. On PostgreSQL the job is not defined: autovacuum does it.

declare module '../jobs/jobs.ts' {
  interface JobPayloads {
    /** scheduled, embedded database only: VACUUM (ANALYZE) the tables that changed (no data) */
    'platform.maintenance': Record<string, never>;
  }
}

export type MaintenanceResult = { examined: number; maintained: string[] };

/** A table is due when never analysed, or when its size moved by more than this fraction of what was recorded… */
const GROWTH = 0.2;
/** …plus this many pages (small tables are not worth a pass for a few rows) */
const SLACK_PAGES = 8;
/** how long the database must have been idle before each table's pass, at most how long to wait for that */
const QUIET_MS = 2_000;

type Table = { rel: string; pages: number; relpages: number; reltuples: number };

/** The tables (application, read models, the job queue) whose size on disk moved since their statistics were taken. */
export async function tablesDue(db: Db): Promise<{ examined: number; due: Table[] }> {
  const all = await rows<Table>(
    db,
    sql`SELECT format('%I.%I', n.nspname, c.relname) AS rel,
               (pg_relation_size(c.oid) / current_setting('block_size')::int)::int AS pages,
               c.relpages::int AS relpages, c.reltuples::float8 AS reltuples
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'm') AND c.relpersistence = 'p'
           AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
         ORDER BY 1`,
  );
  const due = all.filter((t) => t.pages > 0 && (t.reltuples < 0 || Math.abs(t.pages - t.relpages) > SLACK_PAGES + GROWTH * t.relpages));
  return { examined: all.length, due };
}

/** VACUUM (ANALYZE) every table that is due, smallest first, one at a time after a quiet moment. */
export async function maintainTables(db: Db, opts: { quiet?: Database['quiet']; signal?: AbortSignal } = {}): Promise<MaintenanceResult> {
  const { examined, due } = await tablesDue(db);
  const maintained: string[] = [];
  for (const t of due.sort((a, b) => a.pages - b.pages || a.rel.localeCompare(b.rel))) {
    if (opts.signal?.aborted) break;
    await opts.quiet?.(QUIET_MS);
    // (VACUUM cannot run in a transaction: one statement of its own; the name comes from pg_class, quoted by format())
    await db.execute(sql.raw(`VACUUM (ANALYZE) ${t.rel}`));
    maintained.push(t.rel);
  }
  return { examined, maintained };
}

export function defineMaintenanceJobs(jobs: Jobs, deps: { db: Db; kind: 'pglite' | 'postgres'; quiet?: Database['quiet'] }): void {
  if (deps.kind !== 'pglite') return;
  jobs.define('platform.maintenance', {
    handler: async (_data, run) => maintainTables(deps.db, { quiet: deps.quiet, signal: run.signal }),
    schedule: '*/10 * * * *',
    // the next run, ten minutes later, is the retry
    retryLimit: 0,
    expireInSeconds: 30 * 60,
  });
}
