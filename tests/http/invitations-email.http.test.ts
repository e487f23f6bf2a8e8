import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { invitation } from '../../src/server/features/accounts/accounts.schema.ts';
import { createApp } from '../../src/server/app.ts';
import { createMailer } from '../../src/server/mail.ts';
import { translate } from '../../src/i18n/catalogs.ts';
import { startSmtpServer } from '../setup/smtp.ts';
import { PASSWORD, TestClient, createTestApp } from '../setup/test-app.ts';

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
    expect(created.emailed).toBe(true);
    expect(created.invitation.emailedAt).toEqual(expect.any(String));

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

    const [row] = await t.db.select().from(invitation).where(eq(invitation.id, created.invitation.id));
    expect(row!.emailedAt).toBeInstanceOf(Date);
    expect(await (await admin.get('/api/me')).json()).toMatchObject({ emailConfigured: true });

    // the emailed link works
    const token = new URL(created.link).searchParams.get('token');
    expect(await (await t.client().post('/api/invitations/lookup', { token })).json()).toMatchObject({ email, role, locale });
  });

  it('keeps the invitation and returns the link when the mail server is unreachable', async () => {
    const down = await startSmtpServer();
    const port = down.port;
    await down.close();
    // a second app on the same database whose mailer points at a closed port
    const { app } = await createApp({ db: t.db, kind: t.database.kind, config: t.config, mailer: createMailer({ host: '127.0.0.1', port, secure: false, from: 'Convene <c@example.org>' }) });
    const admin2 = new TestClient(app);
    expect((await admin2.post('/api/auth/sign-in/email', { email: admin.user.email, password: PASSWORD })).status).toBe(200);
    const res = await admin2.post('/api/invitations', { email: 'nobody.gets.mail@example.org', name: 'No Mail' });
    expect(res.status).toBe(201);
    const created = await res.json();
    expect(created.emailed).toBe(false);
    expect(created.link).toMatch(/\/invitation\?token=/);
    expect(created.invitation.emailedAt).toBeNull();
    expect(await t.db.select().from(invitation).where(eq(invitation.id, created.invitation.id))).toHaveLength(1);
  });
});
