import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../http/problem.ts';
import { RateLimiter } from '../../http/security.ts';

// Rate limits for taking part. Per participant: votes and statements. Per address: joins and resume attempts
// (the address is kept only as a salted hash, in memory, never stored). Per dialogue: failed resume codes,
// so guessing codes from many addresses is capped too.

export const LIMITS = {
  /** a person reading statements casts well under one vote a second; bursts are fine */
  votes: { max: 300, windowMs: 5 * 60_000 },
  statements: { max: 20, windowMs: 60 * 60_000 },
  /** many people share an address (mobile carriers, a community centre): generous */
  joins: { max: 120, windowMs: 60 * 60_000 },
  resumeAttempts: { max: 20, windowMs: 15 * 60_000 },
  resumeFailuresPerDialogue: { max: 300, windowMs: 60 * 60_000 },
} as const;

export class ParticipationLimits {
  private salt = randomBytes(16);
  readonly votes = new RateLimiter(LIMITS.votes.max, LIMITS.votes.windowMs);
  readonly statements = new RateLimiter(LIMITS.statements.max, LIMITS.statements.windowMs);
  readonly joins = new RateLimiter(LIMITS.joins.max, LIMITS.joins.windowMs);
  readonly resumeAttempts = new RateLimiter(LIMITS.resumeAttempts.max, LIMITS.resumeAttempts.windowMs);
  readonly resumeFailures = new RateLimiter(LIMITS.resumeFailuresPerDialogue.max, LIMITS.resumeFailuresPerDialogue.windowMs);

  /** A client address as a rate-limit key: salted (salt made at start, kept in memory) and hashed. */
  addressKey(ip: string): string {
    return createHash('sha256').update(this.salt).update(ip).digest('base64url').slice(0, 22);
  }

  /** Counts a hit; throws 429 with Retry-After when over the limit. */
  static enforce(limiter: RateLimiter, key: string, what: string) {
    const wait = limiter.hit(key);
    if (wait > 0) throw slowDown(wait, what);
  }

  static check(limiter: RateLimiter, key: string, what: string) {
    const wait = limiter.check(key);
    if (wait > 0) throw slowDown(wait, what);
  }
}

export function slowDown(retryAfter: number, what: string): AppError {
  return new AppError('rate_limited', 'rate_limited', `Too many ${what}. Wait a while and try again.`, undefined, { 'retry-after': String(retryAfter) });
}
