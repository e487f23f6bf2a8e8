import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../db/client.ts';
import type { Jobs } from '../jobs/jobs.ts';
import { pruneRateLimits } from './rate-limits.ts';

// Retention: rows that matter only for a while, deleted once they no longer do, by a durable job scheduled every
// five minutes (pg-boss's cron enqueues it once across all servers; docs/deploying.md, "Background jobs"):
//   - rate-limit counters a day after their window started (longer than any limit's window: rate-limits.ts);
//   - sign-in sessions past their expiry (better-auth refuses them already; they would pile up forever);
//   - verification values past their expiry (better-auth's short-lived tokens, e.g. two-factor sign-in steps).
// Not here: import runs drop their stored input (personal data) in the transaction that ends them (imports/runs.ts);
// pg-boss archives and drops its own finished jobs (jobs.ts); the audit log is kept.

declare module '../jobs/jobs.ts' {
  interface JobPayloads {
    /** scheduled: prune what has expired (no data) */
    'platform.retention': Record<string, never>;
  }
}

export type RetentionResult = { rateLimits: number; sessions: number; verifications: number };

/** Rows deleted per statement: the embedded database has one connection, and others go first between batches. */
const BATCH = 2_000;

/** Deletes the rows of `table` matching `expired`, a batch at a time; how many in all. */
async function pruneBatched(db: Db, table: SQL, expired: SQL, signal?: AbortSignal): Promise<number> {
  let total = 0;
  for (;;) {
    const [r] = await rows<{ n: number }>(
      db,
      sql`WITH d AS (DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} WHERE ${expired} LIMIT ${BATCH}) RETURNING 1) SELECT count(*)::int AS n FROM d`,
    );
    const n = r?.n ?? 0;
    total += n;
    if (n < BATCH || signal?.aborted) return total;
  }
}

/** Deletes every row that has expired (by the database's clock); how many of each. */
export async function pruneExpired(db: Db, signal?: AbortSignal): Promise<RetentionResult> {
  const rateLimits = await pruneRateLimits(db);
  const sessions = await pruneBatched(db, sql`"session"`, sql`expires_at < now()`, signal);
  const verifications = await pruneBatched(db, sql`verification`, sql`expires_at < now()`, signal);
  return { rateLimits, sessions, verifications };
}

export function defineRetentionJobs(jobs: Jobs, deps: { db: Db }): void {
  jobs.define('platform.retention', {
    handler: async (_data, run) => pruneExpired(deps.db, run.signal),
    schedule: '*/5 * * * *',
    // the next run, five minutes later, is the retry
    retryLimit: 0,
    expireInSeconds: 5 * 60,
  });
}
