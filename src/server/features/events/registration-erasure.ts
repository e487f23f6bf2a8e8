import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';

// The one statement that erases registrants' personal data, used by the event's retention (retention.service.ts) and
// by Network's erasure on request of a person made from a registration (network/erasure.service.ts): name '', the
// email replaced by a placeholder unique per registration (the event's unique index on email stays satisfied),
// answers emptied, `erased_at` set. Tickets, waitlist places, scans, the consents' purposes and times, the language
// and the referring co-host stay, so every figure stays. Imports nothing but the database client, so that Network
// can call it without depending on the rest of Events.

/** Erases the registrations whose ids `ids` (a subquery) selects and that are not erased yet; answers their ids. */
export async function eraseRegistrations(db: Db, ids: SQL, now = new Date()): Promise<string[]> {
  const done = await rows<{ id: string }>(
    db,
    sql`UPDATE registration SET name = '', email = 'erased:' || id::text, answers = '{}'::jsonb, erased_at = ${now.toISOString()}::timestamptz, updated_at = ${now.toISOString()}::timestamptz
        WHERE id IN (${ids}) AND erased_at IS NULL
        RETURNING id`,
  );
  return done.map((r) => r.id);
}

/** The registrations a Network person was made from (retention.service.ts `toNetwork`): a subquery of ids. */
export const registrationsOfPerson = (personId: string): SQL => sql`SELECT registration_id FROM registration_person WHERE person_id = ${personId}::uuid`;
