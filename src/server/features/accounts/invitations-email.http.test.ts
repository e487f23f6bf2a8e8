import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { invitation } from './accounts.schema.ts';
import { createMailer } from '../../mail.ts';
import { translate } from '../../../i18n/catalogs.ts';
import { startSmtpServer } from '../../../../tests/setup/smtp.ts';
import { createTestApp } from '../../../../tests/setup/test-app.ts';
import { waitFor } from '../../../../tests/setup/wait.ts';

const smtp = await startSmtpServer();
const t = await createTestApp({ mailer: createMailer({ host: '127.0.0.1', port: smtp.port, secure: false, from: 'Convene <c@example.org>' }) });
const admin = await t.signedIn('admin', { name: 'Dana Admin' });

describe('invitations by email', () => {
  it.each([
    ['he', 'staff', 'hebrew.reader@example.org'],
    ['ar', 'viewer', 'arabic.reader@example.org'],
  ] as const)('emails the link in the invitee\'s language (%s)', async (locale, role, email) => {
    const before = smtp.messages.length;
    const res = await admin.post('/api/invitations', { email, name: 'Invitee Name', role, locale });
    expect(res.status).toBe(201);
    const created = await res.json();
    // queued: the email leaves in the background (a job)
    expect(created.emailed).toBe(true);

    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail!.to).toEqual([email]);
    expect(mail!.from).toBe('c@example.org');
    expect(mail!.headers.to).toContain(email);
    expect(mail!.subject).toBe(translate(locale, 'email.invitation.subject', { inviter: 'Dana Admin' }));
    // the subject really is in the invitee's script, not English
    expect(mail!.subject).toMatch(locale === 'he' ? /[\u0590-\u05FF]/ : /[\u0600-\u06FF]/);
    expect(mail!.subject).not.toBe(translate('en', 'email.invitation.subject', { inviter: 'Dana Admin' }));
    expect(mail!.text).toContain(created.link);
    expect(mail!.text).toContain('Invitee Name');
    expect(mail!.text).toContain(translate(locale, `roles.${role}`));
    // one Message-ID per invitation, the same for every try (a second copy would be recognisable as the same message)
    expect(mail!.headers['message-id']).toBe(`<invitation.${created.invitation.id}@localhost>`);

    const row = await waitFor('emailedAt recorded', async () => {
      const [r] = await t.db.select().from(invitation).where(eq(invitation.id, created.invitation.id));
      return r?.emailedAt ? r : null;
    });
    expect(row.emailedAt).toBeInstanceOf(Date);
    const listed = (await (await admin.get('/api/invitations')).json()).items.find((i: { id: string }) => i.id === created.invitation.id);
    expect(listed.emailedAt).toEqual(expect.any(String));
    expect(await (await admin.get('/api/me')).json()).toMatchObject({ emailConfigured: true });

    // the emailed link works
    const token = new URL(created.link).searchParams.get('token');
    expect(await (await t.client().post('/api/invitations/lookup', { token })).json()).toMatchObject({ email, role, locale });
  });

  it('sends nothing when its job runs again after the email left (at least once: the server died before the job was recorded complete)', async () => {
    const email = 'twice.asked@example.org';
    const before = smtp.messages.length;
    const created = await (await admin.post('/api/invitations', { email, name: 'Asked Twice', role: 'staff' })).json();
    await smtp.waitFor(before + 1);
    await waitFor('emailedAt recorded', async () => {
      const [r] = await t.db.select().from(invitation).where(eq(invitation.id, created.invitation.id));
      return r?.emailedAt;
    });
    // the same job run again, as pg-boss does when the server that ran it died before recording it complete
    const again = (await t.jobs.enqueue(t.db, 'accounts.invitation-email', { invitationId: created.invitation.id, email, link: created.link }))!;
    const job = await waitFor('the second run to complete', async () => {
      const j = await (await admin.get(`/api/jobs/${again}`)).json();
      return j.state === 'completed' ? j : null;
    });
    expect(job.result).toEqual({ sent: false, reason: 'already sent' });
    expect(smtp.messages.slice(before).filter((m) => m.to.includes(email))).toHaveLength(1);
  });
});
