import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import type { Mailer } from '../../mail.ts';
import { waitlistEntry } from './events.schema.ts';

// Asking for a registrant's email: a job in the caller's transaction, only when SMTP is configured
// (registration.email.ts writes and sends it).

export type EmailKind = 'confirmation' | 'waitlisted' | 'offer' | 'reminder_day_before' | 'reminder_day_of';

declare module '../../jobs/jobs.ts' {
  interface JobPayloads {
    /** one email about a registration: its ticket, its waitlist place, or an offer of a place */
    'events.registration-email': { registrationId: string; kind: EmailKind; entryId?: string };
  }
}

/** Asks for an email about the registration (nothing when email is not configured), in `tx`'s transaction. */
export async function enqueueRegistrationEmail(tx: Db, deps: { jobs: Jobs; mailer?: Pick<Mailer, 'configured'> }, registrationId: string, kind: EmailKind, entryId?: string): Promise<void> {
  if (!deps.mailer?.configured) return;
  await deps.jobs.enqueue(tx, 'events.registration-email', { registrationId, kind, ...(entryId ? { entryId } : {}) });
}

/** The confirmation (or waitlist) email again, for someone registering a second time with the same address. */
export async function resendConfirmation(db: Db, deps: { jobs: Jobs; mailer?: Pick<Mailer, 'configured'> }, registrationId: string): Promise<boolean> {
  if (!deps.mailer?.configured) return false;
  const [w] = await db.select({ status: waitlistEntry.status }).from(waitlistEntry).where(eq(waitlistEntry.registrationId, registrationId));
  await enqueueRegistrationEmail(db, deps, registrationId, w && w.status === 'waiting' ? 'waitlisted' : 'confirmation');
  return true;
}

