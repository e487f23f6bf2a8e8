import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { invitation } from './accounts.schema.ts';
import { createMailer } from '../../mail.ts';
import { startSmtpServer } from '../../../../tests/setup/smtp.ts';
import { createTestApp } from '../../../../tests/setup/test-app.ts';
import { waitFor } from '../../../../tests/setup/wait.ts';

// The mail server is down: the invitation stands and its link is returned at once; the email is a background
// job that fails, is retried with backoff, and shows its error on the admin jobs page.

const down = await startSmtpServer();
const port = down.port;
await down.close();
const t = await createTestApp({ mailer: createMailer({ host: '127.0.0.1', port, secure: false, from: 'Convene <c@example.org>' }) });
const admin = await t.signedIn('admin');

describe('invitations when the mail server is unreachable', () => {
  it('keep the invitation and its link, and leave a job waiting to retry with the error', { timeout: 30_000 }, async () => {
    const res = await admin.post('/api/invitations', { email: 'nobody.gets.mail@example.org', name: 'No Mail' });
    expect(res.status).toBe(201);
    const created = await res.json();
    expect(created.emailed).toBe(true);
    expect(created.link).toMatch(/\/invitation\?token=/);
    expect(created.invitation.emailedAt).toBeNull();
    expect(await t.db.select().from(invitation).where(eq(invitation.id, created.invitation.id))).toHaveLength(1);

    const job = await waitFor('the email job to fail its first try', async () => {
      const list = await (await admin.get('/api/jobs?name=accounts.invitation-email')).json();
      return list.items.find((j: { state: string }) => j.state === 'retry');
    });
    expect(job).toMatchObject({ subject: 'nobody.gets.mail@example.org', attempts: 1, maxAttempts: 9 });
    expect(job.error).toMatch(/ECONNREFUSED|connect/i);
    // the job's data (which holds the link) is never shown
    expect(JSON.stringify(job)).not.toContain(new URL(created.link).searchParams.get('token'));
    const [row] = await t.db.select().from(invitation).where(eq(invitation.id, created.invitation.id));
    expect(row!.emailedAt).toBeNull();
  });
});
