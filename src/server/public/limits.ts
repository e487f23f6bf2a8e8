import type { Db } from '../db/client.ts';
import { AppError } from '../core/errors.ts';
import type { Limit, RateLimits } from '../runtime/rate-limits.ts';

// Rate limits of the public pages (taking part, surveys), counted in the database through RateLimits, so that
// every app server on one database counts against the same limit. Keys are keyed hashes (RateLimits.key): a
// client address is never stored.

/** The key under which a client address is counted. */
export function addressKey(limits: RateLimits, ip: string): string {
  return limits.key(`ip:${ip}`);
}

/** 429 rate_limited with Retry-After: what the JSON API answers and what the pages show in the reader's language. */
export function slowDown(retryAfter: number, what: string): AppError {
  return new AppError('rate_limited', 'rate_limited', `Too many ${what}. Wait a while and try again.`, undefined, { 'retry-after': String(retryAfter) });
}

/** Counts a hit; throws 429 when the limit is now passed. */
export async function enforce(limits: RateLimits, limit: Limit, key: string, what: string, db?: Db): Promise<void> {
  const wait = await limits.hit(limit, key, 1, db);
  if (wait > 0) throw slowDown(wait, what);
}

/** Throws 429 when the key is already at its limit, without counting a hit. */
export async function refuseIfAtLimit(limits: RateLimits, limit: Limit, key: string, what: string): Promise<void> {
  const wait = await limits.check(limit, key);
  if (wait > 0) throw slowDown(wait, what);
}
