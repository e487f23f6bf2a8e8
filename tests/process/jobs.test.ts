import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { afterAll, describe, expect, it } from 'vitest';
import { withDatabase } from '../setup/global-setup.ts';
import type { ServerProcess } from '../setup/server-process.ts';
import { startSmtpServer } from '../setup/smtp.ts';
import { waitFor } from '../setup/wait.ts';
import { createFirstAdmin, originOf, signIn, trackProcesses } from './process-helpers.ts';

// A server killed (SIGKILL) in the middle of a background job: the job is not lost. On the embedded database the
// same data folder, started again, hands it back and runs it; on PostgreSQL another server running beside it
// notices the dead server's job (its advisory lock went with its connection) and runs it.
//
// The job: an invitation's email, held in flight by a mail server that never answers the message.

const procs = trackProcesses();

/** A mail server that takes the connection and the envelope, then never answers the message: the send hangs. */
async function stallingSmtp() {
  let onData!: () => void;
  const reached = new Promise<void>((r) => (onData = r));
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream) {
      stream.resume();
      onData();
      // no callback: the client waits for an answer that never comes
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  return { port, reached };
}

const good = await startSmtpServer();
const smtpEnv = (port: number) => ({ SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), SMTP_FROM: 'Convene <c@example.org>' });

async function invite(s: ServerProcess, cookie: string, email: string) {
  const res = await fetch(`${s.url}/api/invitations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: originOf(s), cookie },
    body: JSON.stringify({ email, name: 'Crash Invitee', role: 'staff' }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { invitation: { id: string }; link: string; emailed: boolean };
}

async function emailJob(s: ServerProcess, cookie: string) {
  const res = await fetch(`${s.url}/api/jobs?name=accounts.invitation-email`, { headers: { cookie } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: { state: string; attempts: number; error: string | null; subject: string }[] }).items;
}

describe('a server killed in the middle of a background job', () => {
  it('runs the job again when the embedded database starts again', { timeout: 120_000 }, async () => {
    const stall = await stallingSmtp();
    const dataDir = procs.dataDir();
    const first = await procs.start({ dataDir, env: smtpEnv(stall.port) });
    await createFirstAdmin(first);
    const cookie = await signIn(first);
    const email = `embedded-${randomBytes(3).toString('hex')}@example.org`;
    const created = await invite(first, cookie, email);
    expect(created.emailed).toBe(true);
    await stall.reached; // the job is running: its email is on the wire
    expect((await emailJob(first, cookie)).map((j) => j.state)).toEqual(['active']);
    await first.kill('SIGKILL');

    const second = await procs.start({ dataDir, env: smtpEnv(good.port) });
    const cookie2 = await signIn(second);
    const mails = await waitFor(
      'the email, sent after the restart',
      () => {
        const m = good.messages.filter((x) => x.to.includes(email));
        return m.length ? m : null;
      },
      { timeoutMs: 60_000 },
    );
    expect(mails[0]!.text).toContain(created.link);
    const [job] = await waitFor('the job completed', async () => {
      const jobs = await emailJob(second, cookie2);
      return jobs[0]?.state === 'completed' ? jobs : null;
    });
    // the interrupted try counts, the second one sent it
    expect(job).toMatchObject({ state: 'completed', attempts: 2, subject: email });
    expect(good.messages.filter((m) => m.to.includes(email))).toHaveLength(1);
  });

  // two servers need PostgreSQL: with TEST_DATABASE_URL set (the embedded variant above always runs)
  const url = process.env.TEST_DATABASE_URL;
  if (url) it('is taken over by another server on PostgreSQL', { timeout: 120_000 }, async () => {
    const name = `convene_jobs_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    try {
      const env = { DATABASE_URL: withDatabase(url, name) };
      const stall = await stallingSmtp();
      const a = await procs.start({ dataDir: procs.dataDir(), env: { ...env, ...smtpEnv(stall.port) } });
      await createFirstAdmin(a);
      const cookieA = await signIn(a);
      const email = `postgres-${randomBytes(3).toString('hex')}@example.org`;
      const created = await invite(a, cookieA, email);
      await stall.reached;
      // a second server beside it, with a working mail server; it leaves the live server's job alone
      const b = await procs.start({ dataDir: procs.dataDir(), env: { ...env, ...smtpEnv(good.port) } });
      const cookieB = await signIn(b);
      expect((await emailJob(b, cookieB)).map((j) => j.state)).toEqual(['active']);
      await a.kill('SIGKILL');

      const mails = await waitFor('the email, sent by the other server', () => {
        const m = good.messages.filter((x) => x.to.includes(email));
        return m.length ? m : null;
      }, { timeoutMs: 60_000 });
      expect(mails[0]!.text).toContain(created.link);
      const [job] = await waitFor('the job completed', async () => {
        const jobs = await emailJob(b, cookieB);
        return jobs[0]?.state === 'completed' ? jobs : null;
      });
      expect(job).toMatchObject({ state: 'completed', attempts: 2 });
      expect(good.messages.filter((m) => m.to.includes(email))).toHaveLength(1);
      await b.stop();
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
