import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import type { Mailer } from '../../mail.ts';
import { translate } from '../../../i18n/catalogs.ts';
import { isLocale, type Locale } from '../../../i18n/locales.ts';
import { event, registration, ticket, waitlistEntry } from './events.schema.ts';
import { manageToken } from './registration.token.ts';
import { enqueueRegistrationEmail, type EmailKind } from './registration.notify.ts';
import { instantText, text, whenText } from './registration.views.ts';
import { defineWaitlistJobs } from './waitlist.service.ts';
import { defineEventSweeps } from './reminders.service.ts';
import { defineRetentionJob } from './retention.service.ts';

// The emails of a registration, in the registrant's language, sent by a job (enqueued in the registration's
// transaction, retried with backoff) when SMTP is configured; without it the ticket page is the confirmation. The
// link in each is the registration's ticket link, derived again from the install's secret (the job's data holds no
// token).

export type EventJobsDeps = { db: Db; mailer: Mailer; secret: string; publicUrl: string };

/** Subject and text of one email, or null when the registration is gone or erased. */
export async function composeEmail(db: Db, deps: Omit<EventJobsDeps, 'mailer'>, data: { registrationId: string; kind: EmailKind; entryId?: string }) {
  const [r] = await db.select().from(registration).where(eq(registration.id, data.registrationId));
  if (!r || r.erasedAt) return null;
  const [e] = await db.select().from(event).where(eq(event.id, r.eventId));
  if (!e) return null;
  const lang: Locale = isLocale(r.language) ? r.language : 'en';
  const link = `${deps.publicUrl.replace(/\/+$/, '')}/e/${e.slug}/t/${manageToken(deps.secret, r.id)}`;
  const vars: Record<string, string> = {
    name: r.name,
    event: text(e, e.title as Record<string, string>, lang),
    when: whenText(e, lang),
    where: [e.venueName, e.venueAddress].filter(Boolean).join(', '),
    link,
  };
  if (data.kind === 'reminder_day_before' || data.kind === 'reminder_day_of') {
    // a reminder only for a ticket still valid, before the event
    const [valid] = await db.select({ id: ticket.id }).from(ticket).where(and(eq(ticket.registrationId, r.id), eq(ticket.status, 'valid'))).limit(1);
    if (!valid || e.startsAt <= new Date()) return null;
  }
  if (data.kind === 'offer') {
    const [w] = data.entryId ? await db.select().from(waitlistEntry).where(eq(waitlistEntry.id, data.entryId)) : [];
    if (!w || w.status !== 'offered' || !w.offerExpiresAt) return null;
    vars.until = instantText(w.offerExpiresAt, e.timeZone, lang);
  }
  return {
    to: r.email,
    subject: translate(lang, `events.email.${data.kind}.subject`, vars),
    text: translate(lang, `events.email.${data.kind}.body`, vars),
  };
}

/** The events' jobs: waitlist offers and expiries, and the registrants' emails. */
export function defineEventJobs(jobs: Jobs, deps: EventJobsDeps): void {
  const onOffered = async (tx: Db, entryIds: string[]) => {
    if (!deps.mailer.configured) return;
    const rows = entryIds.length ? await tx.select({ id: waitlistEntry.id, registrationId: waitlistEntry.registrationId }).from(waitlistEntry).where(inArray(waitlistEntry.id, entryIds)) : [];
    for (const r of rows) await enqueueRegistrationEmail(tx, { jobs, mailer: deps.mailer }, r.registrationId, 'offer', r.id);
  };
  defineWaitlistJobs(jobs, { db: deps.db, onOffered });
  // reminders and the sweep of due offers (reminders.service.ts), retention (retention.service.ts)
  defineEventSweeps(jobs, { db: deps.db, mailer: deps.mailer, waitlist: { onOffered } });
  defineRetentionJob(jobs, { db: deps.db });
  jobs.define('events.registration-email', {
    handler: async (data, run) => {
      const mail = await composeEmail(deps.db, deps, data);
      if (!mail) return { sent: false };
      await deps.mailer.send({ ...mail, messageId: `event-registration.${run.id}@${new URL(deps.publicUrl).hostname || 'convene.invalid'}` });
      return { sent: true };
    },
    retryLimit: 8,
    retryDelaySeconds: 10,
    expireInSeconds: 5 * 60,
    subject: (d) => `${d.kind} ${d.registrationId}`,
  });
}
