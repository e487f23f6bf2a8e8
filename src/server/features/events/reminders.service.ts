import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import type { Mailer } from '../../mail.ts';
import { enqueueRegistrationEmail } from './registration.notify.ts';
import { expireDueOffers, type WaitlistJobs } from './waitlist.service.ts';

// Reminders (issue 12, item 7) and the scheduled sweeps of events:
//   - "day before": from 10:00 in the venue's zone on the day before the event (until the day-of reminder is due);
//   - "on the day": from 08:00 in the venue's zone on the event's day, or three hours before the start when it starts
//     before 11:00; never once the event has started.
// Each goes to a registration holding a valid ticket, made before the reminder was due (a later one has just had its
// confirmation), in the registrant's language (the email job composes it), once: the reminder is claimed in
// event_reminder in the transaction that asks for the email. Only when SMTP is configured (nothing is claimed
// otherwise). A scheduled job runs the sweep every ten minutes; tests call sendDueReminders with their own clock.

declare module '../../jobs/jobs.ts' {
  interface JobPayloads {
    /** scheduled: ask for the reminders that are due (no data) */
    'events.reminders': Record<string, never>;
    /** scheduled: end the waitlist offers whose time is up (the safety net behind each offer's own job) */
    'events.expire-offers': Record<string, never>;
  }
}

export type ReminderKind = 'day_before' | 'day_of';
const BATCH = 500;

/** When each reminder of an event is due, as SQL on `e` (the event row). */
const dayOfDue = sql.raw(`LEAST(
  (date_trunc('day', e.starts_at AT TIME ZONE e.time_zone) + interval '8 hours') AT TIME ZONE e.time_zone,
  e.starts_at - interval '3 hours')`);
const dayBeforeDue = sql.raw(`(date_trunc('day', e.starts_at AT TIME ZONE e.time_zone) - interval '1 day' + interval '10 hours') AT TIME ZONE e.time_zone`);

/** Claims and asks for every due reminder (batches of 500); how many of each kind. */
export async function sendDueReminders(db: Db, deps: { jobs: Jobs; mailer?: Pick<Mailer, 'configured'> }, now = new Date()): Promise<Record<ReminderKind, number>> {
  const sent: Record<ReminderKind, number> = { day_before: 0, day_of: 0 };
  if (!deps.mailer?.configured) return sent;
  for (const kind of ['day_of', 'day_before'] as const) {
    const window = kind === 'day_of' ? sql`${now}::timestamptz >= ${dayOfDue}` : sql`${now}::timestamptz >= ${dayBeforeDue} AND ${now}::timestamptz < ${dayOfDue}`;
    const due = kind === 'day_of' ? dayOfDue : dayBeforeDue;
    for (;;) {
      const claimed = await db.transaction(async (tx) => {
        const ids = await rows<{ registration_id: string }>(
          tx,
          sql`INSERT INTO event_reminder (registration_id, kind)
              SELECT r.id, ${kind} FROM registration r JOIN event e ON e.id = r.event_id
              WHERE e.status = 'published' AND e.starts_at > ${now}::timestamptz AND ${window}
                AND r.erased_at IS NULL AND r.created_at < ${due}
                AND EXISTS (SELECT 1 FROM ticket tk WHERE tk.registration_id = r.id AND tk.status = 'valid')
                AND NOT EXISTS (SELECT 1 FROM event_reminder m WHERE m.registration_id = r.id AND m.kind = ${kind})
              ORDER BY r.created_at, r.id
              LIMIT ${BATCH}
              ON CONFLICT DO NOTHING
              RETURNING registration_id`,
        );
        for (const r of ids) await enqueueRegistrationEmail(tx, deps, r.registration_id, kind === 'day_of' ? 'reminder_day_of' : 'reminder_day_before');
        return ids.length;
      });
      sent[kind] += claimed;
      if (claimed < BATCH) break;
    }
  }
  return sent;
}

/** The scheduled sweeps: reminders every ten minutes, due offers every five. */
export function defineEventSweeps(jobs: Jobs, deps: { db: Db; mailer: Pick<Mailer, 'configured'>; waitlist: Omit<WaitlistJobs, 'jobs'> }): void {
  jobs.define('events.reminders', {
    handler: async () => sendDueReminders(deps.db, { jobs, mailer: deps.mailer }),
    schedule: '*/10 * * * *',
    // the next run is the retry
    retryLimit: 0,
    expireInSeconds: 10 * 60,
  });
  jobs.define('events.expire-offers', {
    handler: async () => ({ expired: await expireDueOffers(deps.db, { ...deps.waitlist, jobs }) }),
    schedule: '*/5 * * * *',
    retryLimit: 0,
    expireInSeconds: 5 * 60,
  });
}
