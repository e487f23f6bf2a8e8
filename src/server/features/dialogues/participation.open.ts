import { inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { AppError } from '../../core/errors.ts';
import { sessionIsOpen } from './dialogues.service.ts';
import { dialogueInvite, dialogueSession } from './dialogues.schema.ts';

// The one rule for everything a participant writes (votes, statements, poll answers, pairs): the question's
// session is open (sessionIsOpen) and the invite link they came through is not withdrawn, AT THE INSTANT THE
// WRITE IS STORED. The rule is judged inside the transaction that stores the write, after the session and
// invite rows are locked FOR SHARE, with the clock read after the locks are held. Staff closing a session or
// withdrawing a link lock the same row FOR UPDATE, so a close is either wholly before the write (the write is
// refused) or waits until the write is stored (it was made while the session was open). A `closesAt` passing
// is judged by that same clock reading. For votes, which are stored in groups (participation.vote-writer.ts),
// the instant is when the batch holding the vote is written, not when the request arrived, and it is recorded
// as the vote's voted_at: no stored vote has a voted_at outside its session's open time.

type SessionState = { status: string; opensAt: Date | null; closesAt: Date | null };

export type WriteTarget = { sessionId: string; inviteId: string };

export type Locked = { sessions: Map<string, SessionState>; invites: Map<string, { revokedAt: Date | null }> };

/** Locks (FOR SHARE) and reads the sessions and invites that writes go to, in one transaction. */
export async function lockTargets(tx: Db, targets: readonly WriteTarget[]): Promise<Locked> {
  const sessionIds = [...new Set(targets.map((t) => t.sessionId))];
  const inviteIds = [...new Set(targets.map((t) => t.inviteId))];
  const sessions = await tx
    .select({ id: dialogueSession.id, status: dialogueSession.status, opensAt: dialogueSession.opensAt, closesAt: dialogueSession.closesAt })
    .from(dialogueSession)
    .where(inArray(dialogueSession.id, sessionIds))
    .for('share');
  const invites = await tx
    .select({ id: dialogueInvite.id, revokedAt: dialogueInvite.revokedAt })
    .from(dialogueInvite)
    .where(inArray(dialogueInvite.id, inviteIds))
    .for('share');
  return { sessions: new Map(sessions.map(({ id, ...s }) => [id, s])), invites: new Map(invites.map(({ id, ...i }) => [id, i])) };
}

export function sessionClosed(field: string): AppError {
  return new AppError('gone', 'session_closed', 'This session has closed: it takes no more answers.', [{ field, detail: 'The session has closed' }]);
}

export function sessionNotOpen(field: string): AppError {
  return new AppError('not_found', 'session_not_open', 'This session is not open yet.', [{ field, detail: 'The session is not open yet' }]);
}

export function inviteRevoked(): AppError {
  return new AppError('gone', 'invite_revoked', 'This invite link has been withdrawn.');
}

/**
 * Why a write to this session through this invite is refused at `now`, or null when it may be stored.
 * Withdrawn link: 410 invite_revoked. Closed by hand or past closesAt (or deleted): 410 session_closed. Not open
 * yet (a draft, or scheduled before opensAt): 404 session_not_open, as a dialogue or survey not open yet answers.
 */
export function refusal(locked: Locked, target: WriteTarget, now: Date, field: string): AppError | null {
  const invite = locked.invites.get(target.inviteId);
  if (!invite || invite.revokedAt) return inviteRevoked();
  const s = locked.sessions.get(target.sessionId);
  if (s && sessionIsOpen(s, now)) return null;
  if (!s || s.status === 'closed' || (s.closesAt && now >= s.closesAt)) return sessionClosed(field);
  return sessionNotOpen(field);
}

/**
 * Runs `write` in a transaction in which the session is open and the invite not withdrawn (the rule above),
 * or throws the refusal and writes nothing. `write` gets the instant the rule was judged at.
 */
export async function inOpenSession<T>(db: Db, target: WriteTarget, field: string, write: (tx: Db, now: Date) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    const locked = await lockTargets(tx, [target]);
    const now = new Date();
    const refused = refusal(locked, target, now, field);
    if (refused) throw refused;
    return write(tx, now);
  });
}
