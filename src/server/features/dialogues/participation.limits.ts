import type { Limit, RateLimits } from '../../runtime/rate-limits.ts';

// Rate limits for taking part, counted in the database (runtime/rate-limits.ts), so they hold across every app
// server on one database. Per participant: votes (counted in the vote writer's batch transaction) and statements.
// Per address: joins and resume attempts (the address only as a keyed hash, never stored). Per dialogue: failed
// resume codes, so guessing codes from many addresses is capped too.

export const LIMITS = {
  /** a person reading statements casts well under one vote a second; bursts are fine */
  votes: { name: 'participate.votes', max: 300, windowMs: 5 * 60_000 },
  statements: { name: 'participate.statements', max: 20, windowMs: 60 * 60_000 },
  /** many people share an address (mobile carriers, a community centre): generous */
  joins: { name: 'participate.joins', max: 120, windowMs: 60 * 60_000 },
  resumeAttempts: { name: 'participate.resume', max: 20, windowMs: 15 * 60_000 },
  resumeFailuresPerDialogue: { name: 'participate.resume-failures', max: 300, windowMs: 60 * 60_000 },
} as const satisfies Record<string, Limit>;

/** The key a participant's votes and statements are counted under. */
export function participantKey(limits: RateLimits, participantId: string): string {
  return limits.key(`participant:${participantId}`);
}

/** The key a dialogue's failed resume codes are counted under. */
export function dialogueKey(limits: RateLimits, dialogueId: string): string {
  return limits.key(`dialogue:${dialogueId}`);
}
