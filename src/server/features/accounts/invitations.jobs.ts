import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import type { Mailer } from '../../mail.ts';
import type { Role } from '../../access/roles.ts';
import { translate } from '../../../i18n/catalogs.ts';
import { isLocale, localeInfo, type Locale } from '../../../i18n/locales.ts';
import { invitation, user } from './accounts.schema.ts';

declare module '../../jobs/jobs.ts' {
  interface JobPayloads {
    /**
     * The invitation's email. It carries the link (its token is stored only hashed): the jobs API never shows a
     * job's data, and the job is archived a day after it is sent, then dropped.
     */
    'accounts.invitation-email': { invitationId: string; email: string; link: string };
  }
}

/**
 * Invitations are emailed in the background: the admin gets the link at once (to pass on by hand if need be),
 * the mail server is tried again with backoff for about an hour, and invitation.emailedAt says when it left.
 * A revoked, accepted or expired invitation is not sent.
 *
 * Sent once: invitation.emailedAt records the delivery as soon as the mail server has taken the message, and a
 * try that finds it set sends nothing (a job retried after its email left: its server died before pg-boss
 * recorded the job complete, or an administrator retried it). Jobs are at least once (pg-boss, docs/decisions/
 * 003-durable-jobs.md): only a server that dies between the mail server's answer and that record — milliseconds —
 * leaves the next try to send the email again. Every try sends the same Message-ID (invitation.ID@host), so
 * that second copy is the same message to mail clients, and recognisable as such.
 */
export function defineInvitationJobs(jobs: Jobs, deps: { db: Db; mailer: Mailer }): void {
  jobs.define('accounts.invitation-email', {
    handler: async ({ invitationId, link }) => {
      const [inv] = await deps.db.select().from(invitation).where(eq(invitation.id, invitationId));
      if (!inv) return { sent: false, reason: 'gone' };
      if (inv.acceptedAt || inv.revokedAt || inv.expiresAt <= new Date()) return { sent: false, reason: 'not pending' };
      if (inv.emailedAt) return { sent: false, reason: 'already sent' };
      const [inviter] = inv.invitedBy ? await deps.db.select({ name: user.name }).from(user).where(eq(user.id, inv.invitedBy)) : [];
      const locale = (isLocale(inv.locale) ? inv.locale : 'en') as Locale;
      const expires = new Intl.DateTimeFormat(localeInfo[locale].intl, { dateStyle: 'long', timeZone: 'UTC' }).format(inv.expiresAt);
      const vars = { name: inv.name, inviter: inviter?.name ?? '', role: translate(locale, `roles.${inv.role as Role}`), link, expires };
      await deps.mailer.send({
        to: inv.email,
        subject: translate(locale, 'email.invitation.subject', vars),
        text: translate(locale, 'email.invitation.body', vars),
        messageId: invitationMessageId(invitationId, link),
      });
      await deps.db.update(invitation).set({ emailedAt: new Date() }).where(and(eq(invitation.id, invitationId), isNull(invitation.emailedAt)));
      return { sent: true };
    },
    // 10 s, 20 s, 40 s… about an hour in all
    retryLimit: 8,
    retryDelaySeconds: 10,
    expireInSeconds: 5 * 60,
    subject: (d) => d.email,
  });
}

/** The Message-ID of an invitation's email (without angle brackets): one per invitation, at the install's host. */
export function invitationMessageId(invitationId: string, link: string): string {
  let host = 'convene.invalid';
  try {
    host = new URL(link).hostname || host;
  } catch {
    /* a link is always a URL; the fallback keeps the id well-formed */
  }
  return `invitation.${invitationId}@${host}`;
}
