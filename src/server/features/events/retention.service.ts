import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { AppError, isUuid, notFound } from '../../core/errors.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import { authorize } from '../../access/roles.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { createPerson } from '../network/people.service.ts';
import { registrationPerson } from './after.schema.ts';
import { event, registration } from './events.schema.ts';
import { eraseRegistrations } from './registration-erasure.ts';

// Retention (issue 12, item 15): `retention_days` after an event ends, its registrants' personal data is erased:
// name, email and answers are replaced (the email by a unique placeholder), `erased_at` set; what stays is anonymous:
// the registration's language, referring co-host, consents' purposes, tickets, waitlist places and door scans, so
// every report keeps its counts. Those who agreed to hear from the alliance again (consent hear_again) are kept, and
// staff may turn them into Network people (audited, once each). The event's `personal_data_erased_at` says it is
// done. They are kept until a second deadline, `kept_retention_days` after the event (never before the first; two
// years by default): then they are erased too (a Network person made from one stays in the Network, under its own
// rules; only the registration's copy goes), `kept_data_erased_at` set, audited `event.retention.erase_kept`.
// A scheduled job (hourly) erases, a batch at a time; tests call eraseDueEvents with their own clock.

declare module '../../jobs/jobs.ts' {
  interface JobPayloads {
    /** scheduled: erase the personal data of registrants of events past their retention (no data) */
    'events.retention': Record<string, never>;
  }
}

const BATCH = 1_000;

/**
 * Erases every due event's registrants (except hear_again), then, past the second deadline, the kept ones: the events
 * done and how many registrations erased, for each deadline.
 */
export async function eraseDueEvents(db: Db, now = new Date()): Promise<{ events: number; erased: number; keptEvents: number; keptErased: number }> {
  const due = await rows<{ id: string }>(
    db,
    sql`SELECT id FROM event WHERE personal_data_erased_at IS NULL AND ends_at + make_interval(days => retention_days) <= ${now}::timestamptz ORDER BY ends_at`,
  );
  let erased = 0;
  for (const { id } of due) erased += await eraseEvent(db, id, now);
  const keptDue = await rows<{ id: string }>(
    db,
    sql`SELECT id FROM event WHERE personal_data_erased_at IS NOT NULL AND kept_data_erased_at IS NULL
        AND ends_at + make_interval(days => GREATEST(retention_days, kept_retention_days)) <= ${now}::timestamptz ORDER BY ends_at`,
  );
  let keptErased = 0;
  for (const { id } of keptDue) keptErased += await eraseKept(db, id, now);
  return { events: due.length, erased, keptEvents: keptDue.length, keptErased };
}

/** Erases the registrations `batch` selects (at most BATCH, locked), one transaction per batch, until a batch is short. */
async function eraseInBatches(db: Db, batch: SQL, now: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const n = (await db.transaction((tx) => eraseRegistrations(tx, batch, now))).length;
    total += n;
    if (n < BATCH) return total;
  }
}

/** The second deadline: every registration of the event not erased yet (those kept for hearing again), in batches. */
async function eraseKept(db: Db, eventId: string, now: Date): Promise<number> {
  const total = await eraseInBatches(db, sql`SELECT id FROM registration WHERE event_id = ${eventId} AND erased_at IS NULL LIMIT ${BATCH} FOR UPDATE`, now);
  await db.transaction(async (tx) => {
    const [inNetwork] = await rows<{ n: number }>(
      tx,
      sql`SELECT count(*)::int AS n FROM registration_person rp JOIN registration r ON r.id = rp.registration_id WHERE r.event_id = ${eventId}`,
    );
    const [marked] = await tx
      .update(event)
      .set({ keptDataErasedAt: now })
      .where(and(eq(event.id, eventId), isNull(event.keptDataErasedAt)))
      .returning({ id: event.id });
    if (marked) {
      await recordAudit(tx, { actor: null, ip: '', userAgent: 'events.retention' }, { action: 'event.retention.erase_kept', entityType: 'event', entityId: eventId, detail: { erased: total, inNetwork: Number(inNetwork?.n ?? 0) } });
    }
  });
  return total;
}

/** One event: batches of registrations erased, then the event marked, the whole audited (no actor: the schedule). */
async function eraseEvent(db: Db, eventId: string, now: Date): Promise<number> {
  const total = await eraseInBatches(
    db,
    sql`SELECT id FROM registration WHERE event_id = ${eventId} AND erased_at IS NULL AND consents ->> 'hear_again' IS NULL LIMIT ${BATCH} FOR UPDATE`,
    now,
  );
  await db.transaction(async (tx) => {
    const [kept] = await rows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM registration WHERE event_id = ${eventId} AND erased_at IS NULL`);
    const [marked] = await tx
      .update(event)
      .set({ personalDataErasedAt: now })
      .where(and(eq(event.id, eventId), isNull(event.personalDataErasedAt)))
      .returning({ id: event.id });
    if (marked) {
      await recordAudit(tx, { actor: null, ip: '', userAgent: 'events.retention' }, { action: 'event.retention.erase', entityType: 'event', entityId: eventId, detail: { erased: total, kept: Number(kept?.n ?? 0) } });
    }
  });
  return total;
}

export function defineRetentionJob(jobs: Jobs, deps: { db: Db }): void {
  jobs.define('events.retention', {
    handler: async () => eraseDueEvents(deps.db),
    schedule: '17 * * * *',
    retryLimit: 0,
    expireInSeconds: 30 * 60,
  });
}

/**
 * A registrant who agreed to hear from the alliance again becomes a Network person (their name, their email as a
 * contact, their language), once; audited with the registration. Staff and admins who may see contacts and write
 * Network records. 409 no_hear_again_consent otherwise; 409 already_in_network the second time.
 */
export async function registrationToPerson(db: Db, ctx: RequestContext, eventId: string, registrationId: string): Promise<{ personId: string }> {
  authorize(ctx.actor, 'events.contacts');
  if (!isUuid(eventId)) throw notFound('event');
  if (!isUuid(registrationId)) throw notFound('registration');
  return db.transaction(async (tx) => {
    const [r] = await tx
      .select()
      .from(registration)
      .where(and(eq(registration.id, registrationId), eq(registration.eventId, eventId)))
      .for('update');
    if (!r || r.erasedAt) throw notFound('registration');
    if (!r.consents.hear_again) throw new AppError('conflict', 'no_hear_again_consent', 'This person did not agree to hear from the alliance again.');
    const [before] = await tx.select().from(registrationPerson).where(eq(registrationPerson.registrationId, r.id));
    if (before) throw new AppError('conflict', 'already_in_network', 'This registrant is already a Network person.');
    const p = await createPerson(tx, ctx, {
      names: [{ name: r.name, kind: 'primary' }],
      contacts: [{ kind: 'email', value: r.email }],
      preferredLanguage: r.language,
      tags: [],
      identityRestricted: false,
      restricted: false,
      affiliations: [],
    });
    await tx.insert(registrationPerson).values({ registrationId: r.id, personId: p.id });
    await recordAudit(tx, ctx, { action: 'event.registration.to_network', entityType: 'event', entityId: eventId, detail: { registrationId: r.id, personId: p.id } });
    return { personId: p.id };
  });
}
