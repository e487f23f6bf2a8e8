import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { userVisit } from './accounts.schema.ts';

// "Since you last came": a visit is a run of signed-in requests with no pause longer than VISIT_GAP_MINUTES.
// Each server notes a user's activity at most once a minute (the database keeps the same pace across servers);
// when a request comes after a longer pause, the visit before it is over, and its last request is where the home
// page's "what changed" starts. Only the user's own times are stored: no pages, no addresses.

export const VISIT_GAP_MINUTES = 30;
const NOTE_EVERY_MS = 60_000;

/** Notes that the user is active now: starts a new visit after a pause, else extends the current one. */
export async function noteActivity(db: Db, userId: string, now = new Date()): Promise<void> {
  const at = now.toISOString();
  await db.execute(sql`INSERT INTO user_visit (user_id, started_at, last_active_at) VALUES (${userId}, ${at}::timestamptz, ${at}::timestamptz)
    ON CONFLICT (user_id) DO UPDATE SET
      previous_ended_at = CASE WHEN user_visit.last_active_at < ${at}::timestamptz - make_interval(mins => ${VISIT_GAP_MINUTES})
        THEN user_visit.last_active_at ELSE user_visit.previous_ended_at END,
      started_at = CASE WHEN user_visit.last_active_at < ${at}::timestamptz - make_interval(mins => ${VISIT_GAP_MINUTES})
        THEN ${at}::timestamptz ELSE user_visit.started_at END,
      last_active_at = ${at}::timestamptz
    WHERE user_visit.last_active_at <= ${at}::timestamptz - make_interval(secs => ${NOTE_EVERY_MS / 1000})`);
}

/** The user's visit as stored; undefined before their first signed-in request. */
export async function readVisit(db: Db, userId: string) {
  const [row] = await db.select().from(userVisit).where(eq(userVisit.userId, userId));
  return row;
}

/**
 * Per server: who was noted in the last minute, so that a page's dozen requests write once. Bounded: forgets
 * everyone when it holds too many (the database's own once-a-minute rule still holds).
 */
export class ActivityNotes {
  private noted = new Map<string, number>();

  /** Whether this user's activity should be written now (and remembers that it was). */
  due(userId: string, nowMs = Date.now()): boolean {
    const last = this.noted.get(userId);
    if (last !== undefined && nowMs - last < NOTE_EVERY_MS) return false;
    if (this.noted.size > 10_000) this.noted.clear();
    this.noted.set(userId, nowMs);
    return true;
  }

  /** After a failed write: try again at the next request. */
  forget(userId: string): void {
    this.noted.delete(userId);
  }
}
