import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../db/client.ts';

// Rate limits counted in the database, so that ten servers on one PostgreSQL allow what one allows: each hit is one
// statement that adds to a fixed window's counter under the row's lock, with the database's clock. Keys are keyed
// hashes (HMAC with the install's secret) of what is counted — an address, an account, a participant — so the table
// holds no address, and a row is deleted a day after its window started, longer than any window (by the `platform.retention` job, runtime/retention.ts).

export type Limit = {
  /** what is counted, e.g. 'sign-in.account' */
  name: string;
  max: number;
  windowMs: number;
};

type Counted = { key: string; hits: number; retry_after: number };

export class RateLimits {
  constructor(
    private db: Db,
    private secret: string,
  ) {}

  /** The key under which `value` (an address, an email, a token) is counted: never stored as it is. */
  key(value: string): string {
    return createHmac('sha256', this.secret).update(`rate-limit:${value}`).digest('base64url').slice(0, 27);
  }

  /** Counts one hit (or `n`); answers the seconds to wait when the limit is now passed, else 0. */
  async hit(limit: Limit, key: string, n = 1, db: Db = this.db): Promise<number> {
    const [r] = await this.add(db, limit, [[key, n]]);
    return r && r.hits > limit.max ? Math.max(1, r.retry_after) : 0;
  }

  /**
   * Counts many keys at once, inside the caller's transaction (a batch of votes): answers, per key, how many of its
   * `n` hits were within the limit.
   */
  async hitMany(db: Db, limit: Limit, counts: Map<string, number>): Promise<Map<string, { allowed: number; retryAfter: number }>> {
    const out = new Map<string, { allowed: number; retryAfter: number }>();
    if (counts.size === 0) return out;
    for (const r of await this.add(db, limit, [...counts])) {
      const n = counts.get(r.key) ?? 0;
      const before = r.hits - n;
      out.set(r.key, { allowed: Math.max(0, Math.min(n, limit.max - before)), retryAfter: Math.max(1, r.retry_after) });
    }
    return out;
  }

  /** Seconds to wait if the key is already at its limit, without counting a hit. */
  async check(limit: Limit, key: string): Promise<number> {
    const [r] = await rows<{ hits: number; retry_after: number }>(
      this.db,
      sql`SELECT hits, ceil(extract(epoch FROM window_start + ${windowOf(limit)} - now()))::int AS retry_after
        FROM rate_limit WHERE name = ${limit.name} AND key = ${key} AND window_start > now() - ${windowOf(limit)}`,
    );
    return r && r.hits >= limit.max ? Math.max(1, r.retry_after) : 0;
  }

  async reset(limit: Limit, key: string): Promise<void> {
    await this.db.execute(sql`DELETE FROM rate_limit WHERE name = ${limit.name} AND key = ${key}`);
  }

  private add(db: Db, limit: Limit, counts: [string, number][]): Promise<Counted[]> {
    const window = windowOf(limit);
    const keys = counts.map(([k]) => k);
    const ns = counts.map(([, n]) => n);
    return rows<Counted>(
      db,
      sql`INSERT INTO rate_limit (name, key, window_start, hits)
        SELECT ${limit.name}, k, now(), n FROM unnest(${toArray(keys)}::text[], ${toArray(ns.map(String))}::int[]) AS x(k, n)
        ON CONFLICT (name, key) DO UPDATE SET
          hits = CASE WHEN rate_limit.window_start <= now() - ${window} THEN excluded.hits ELSE rate_limit.hits + excluded.hits END,
          window_start = CASE WHEN rate_limit.window_start <= now() - ${window} THEN now() ELSE rate_limit.window_start END
        RETURNING key, hits, ceil(extract(epoch FROM window_start + ${window} - now()))::int AS retry_after`,
    );
  }
}

/** Deletes the counters whose window is over (the longest window any limit uses bounds what is kept). */
export async function pruneRateLimits(db: Db, longestWindowMs = 24 * 3_600_000): Promise<number> {
  const gone = await rows<{ n: number }>(db, sql`WITH d AS (DELETE FROM rate_limit WHERE window_start < now() - ${`${longestWindowMs} milliseconds`}::interval RETURNING 1) SELECT count(*)::int AS n FROM d`);
  return gone[0]?.n ?? 0;
}

const windowOf = (limit: Limit) => sql`${`${limit.windowMs} milliseconds`}::interval`;

/** A PostgreSQL array literal, each element quoted (sent as one parameter). */
const toArray = (values: string[]) => `{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;
