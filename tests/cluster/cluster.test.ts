import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { chromium, type Browser } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, rows, type Database } from '../../src/server/db/client.ts';
import { createUserWithPassword } from '../../src/server/features/accounts/accounts.service.ts';
import { dialogue, dialogueInvite, dialogueParticipant, dialogueQuestion, dialogueSession, dialogueStatement } from '../../src/server/features/dialogues/dialogues.schema.ts';
import { PARTICIPANT_COOKIE, newParticipantToken, newResumeCode, resumeCodeHash, tokenHash } from '../../src/server/features/dialogues/participation.token.ts';
import { HAPROXY, startHaproxy, type Balancer } from '../setup/haproxy.ts';
import { freePort, startServer, tempDataDir, type ServerProcess } from '../setup/server-process.ts';
import { parseMessage } from '../setup/smtp.ts';

// Three app servers on one PostgreSQL behind HAProxy (Debian's package), as docs/deploying.md describes. Through the
// balancer: 200 participants vote and an administrator writes while one server is killed (SIGKILL) and another is
// stopped and started again; every acknowledged vote and write is stored, and every invitation is emailed (a
// background job) once — not lost with the killed server, not sent twice. A rate limit holds across the servers, a
// disabled account is refused by every server within a second, and a browser attached through the balancer sees the
// analysis keep updating.

const root = path.resolve(import.meta.dirname, '../..');
const PG_URL = process.env.TEST_DATABASE_URL;
const CHROMIUM = '/usr/bin/chromium';
const PARTICIPANTS = 200;
const STATEMENTS = 40;
const SIGN_IN_LIMIT = 6;
const ADMIN = { name: 'Ada Admin', email: 'admin@example.org', password: 'correct horse battery staple' };
const STAFF_PASSWORD = 'another long password here';

if (!PG_URL) throw new Error('The cluster test needs PostgreSQL: set TEST_DATABASE_URL (.ci/run does).');
if (!HAPROXY) throw new Error('The cluster test needs HAProxy: apt-get install haproxy (.ci/run does).');

function withDatabase(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

const dbName = `convene_cluster_${randomBytes(4).toString('hex')}`;
const dbUrl = withDatabase(PG_URL, dbName);
let database: Database;
let balancer: Balancer;
const servers: ServerProcess[] = [];
const ports: number[] = [];
const dataDirs: string[] = [];
let browser: Browser | undefined;
let origin = '';
/** when the first server started (its schedules with it) */
let firstStart = 0;

/**
 * A real SMTP server (the servers' mail relay) that can hold every message at its end: the message has arrived but
 * is not answered until release(). A message whose sender's connection closed before the answer is not delivered
 * (what a mail server does: RFC 5321 §4.1.1.4, the message is the server's only once acknowledged).
 */
async function holdingSmtp() {
  const delivered: { messageId: string; to: string[] }[] = [];
  const held = new Set<string>();
  const gone = new Set<string>();
  let gate: Promise<void> | null = null;
  let open = () => {};
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onClose: (session) => void gone.add(session.id),
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const to = session.envelope.rcptTo.map((a) => a.address);
        const { headers } = parseMessage(Buffer.concat(chunks).toString('utf8'));
        if (gate) {
          held.add(session.id);
          await gate;
          held.delete(session.id);
        }
        if (gone.has(session.id)) return; // its sender died before the answer: not delivered
        delivered.push({ messageId: headers['message-id'] ?? '', to });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as { port: number }).port,
    delivered,
    /** messages arrived and waiting for their answer */
    get held() {
      return held.size;
    },
    hold() {
      gate = new Promise((r) => (open = r));
    },
    release() {
      gate = null;
      open();
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
let smtp: Awaited<ReturnType<typeof holdingSmtp>>;

function serverEnv(): Record<string, string> {
  return {
    DATABASE_URL: dbUrl,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtp.port),
    SMTP_FROM: 'Convene <convene@example.org>',
    TRUST_PROXY: '1',
    PUBLIC_URL: origin,
    SIGN_IN_RATE_LIMIT: String(SIGN_IN_LIMIT),
    SHUTDOWN_DRAIN_SECONDS: '1',
  };
}

async function startAt(i: number): Promise<ServerProcess> {
  const s = await startServer({ port: ports[i], dataDir: dataDirs[i], env: serverEnv(), timeoutMs: 120_000 });
  servers[i] = s;
  return s;
}

async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await get().catch((e: unknown) => e as T);
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms (last: ${v instanceof Error ? v.message : JSON.stringify(v)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const status = (url: string, init?: RequestInit) => fetch(url, init).then(async (r) => (await r.arrayBuffer(), r.status));

async function signIn(url: string, who: { email: string; password: string }): Promise<{ status: number; cookie: string }> {
  const res = await fetch(`${url}/api/auth/sign-in/email`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify({ email: who.email, password: who.password }) });
  await res.arrayBuffer();
  return { status: res.status, cookie: res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') };
}

type Seeded = { dialogueId: string; invite: string; statements: string[]; tokens: string[] };

async function seedDialogue(): Promise<Seeded> {
  const db = database.db;
  const [d] = await db.insert(dialogue).values({ title: { en: 'Cluster dialogue' }, languages: ['he', 'ar', 'en'], moderation: 'post' }).returning({ id: dialogue.id });
  const [s] = await db.insert(dialogueSession).values({ dialogueId: d!.id, title: 'Joint', status: 'open' }).returning({ id: dialogueSession.id });
  const [q] = await db.insert(dialogueQuestion).values({ dialogueId: d!.id, sessionId: s!.id, kind: 'open', prompt: { en: 'What would make you feel safe?' } }).returning({ id: dialogueQuestion.id });
  const statements = (
    await db
      .insert(dialogueStatement)
      .values(Array.from({ length: STATEMENTS }, (_, i) => ({ questionId: q!.id, dialogueId: d!.id, seed: true, body: `Statement ${i + 1}: we want our children to grow up safe.`, language: 'en', status: 'accepted' })))
      .returning({ id: dialogueStatement.id })
  ).map((r) => r.id);
  const tokens = Array.from({ length: PARTICIPANTS }, () => newParticipantToken());
  await db.insert(dialogueParticipant).values(tokens.map((t) => ({ dialogueId: d!.id, language: 'en', tokenHash: tokenHash(t), resumeHash: resumeCodeHash(newResumeCode())! })));
  const invite = `cluster${randomBytes(5).toString('hex')}`;
  await db.insert(dialogueInvite).values({ dialogueId: d!.id, token: invite });
  return { dialogueId: d!.id, invite, statements, tokens };
}

beforeAll(async () => {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  smtp = await holdingSmtp();
  for (let i = 0; i < 3; i++) {
    ports.push(await freePort());
    dataDirs.push(tempDataDir('convene-cluster-'));
  }
  balancer = await startHaproxy(ports);
  origin = `http://localhost:${balancer.port}`;
  // the first makes the database (migrations, read models, the job queue's schema); the other two then start at once.
  // Three servers starting together on an empty database can meet a deadlock while creating the job queue's schema
  // (seen once, the server exits and its supervisor starts it again): docs/deploying.md says to start one first.
  firstStart = Date.now();
  await startAt(0);
  await Promise.all([1, 2].map((i) => startAt(i)));
  await until('the balancer sees a ready server', () => status(`${balancer.url}/api/ready`), (s) => s === 200);
  database = await openDatabase({ kind: 'postgres', url: dbUrl, max: 4 });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  for (const s of servers) await s?.kill('SIGKILL');
  await balancer?.stop();
  await smtp?.close();
  await database?.close();
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
  for (const d of dataDirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('three servers on one PostgreSQL behind HAProxy', () => {
  let adminCookie = '';
  let seeded: Seeded;

  it('the first administrator is made through the balancer, whichever server printed the link', async () => {
    const link = servers.map((s) => s.setupLink()).find(Boolean);
    expect(link).toBeTruthy();
    const token = new URL(link!).searchParams.get('token');
    const res = await fetch(`${balancer.url}/api/setup`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify({ token, ...ADMIN }) });
    expect(res.status).toBe(201);
    const s = await signIn(balancer.url, ADMIN);
    expect(s.status).toBe(200);
    adminCookie = s.cookie;
    // the session works on every server
    for (const p of ports) expect(await status(`http://127.0.0.1:${p}/api/me`, { headers: { cookie: adminCookie } })).toBe(200);
  });

  it('200 participants vote and an administrator writes and invites while one server is killed and another restarted: every acknowledged vote and write is stored, every invitation emailed once', { timeout: 600_000 }, async () => {
    seeded = await seedDialogue();
    const invited: string[] = [];
    let invitationsAsked = 0;
    /** an invitation through the balancer (a new address each time: a second one for an address replaces the first) */
    const invite = async () => {
      const n = invitationsAsked++;
      try {
        const res = await fetch(`${balancer.url}/api/invitations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin, cookie: adminCookie },
          body: JSON.stringify({ email: `invitee-${n}-${randomBytes(3).toString('hex')}@example.org`, name: `Invitee ${n}`, role: 'staff' }),
        });
        const body = (await res.json()) as { invitation?: { id: string }; emailed?: boolean };
        if (res.status === 201) invited.push(`${body.invitation!.id}${body.emailed ? '' : ' (not emailed)'}`);
      } catch {
        /* not acknowledged */
      }
    };
    const acknowledged: { token: string; statementId: string }[] = [];
    const topics: string[] = [];
    let failures = 0;
    const refused = new Map<string, number>();
    const note = (why: string) => refused.set(why, (refused.get(why) ?? 0) + 1);
    let phase: 'before' | 'after' = 'before';
    const voter = async (p: number) => {
      const token = seeded.tokens[p]!;
      for (let k = 0; k < 12; k++) {
        const statementId = seeded.statements[(p * 7 + k) % STATEMENTS]!;
        for (let attempt = 0; attempt < 5; attempt++) {
          try {
            const res = await fetch(`${balancer.url}/api/participate/${seeded.invite}/votes`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', origin, cookie: `${PARTICIPANT_COOKIE}=${token}` },
              body: JSON.stringify({ statementId, value: (k % 3) - 1 }),
            });
            await res.arrayBuffer();
            if (res.status === 200 || res.status === 201) {
              acknowledged.push({ token, statementId });
              break;
            }
            failures++;
            note(String(res.status));
          } catch {
            failures++; // the connection went down with its server: not acknowledged, asked again
            note('connection');
          }
        }
      }
    };
    const writer = async () => {
      for (let n = 0; phase === 'before' || n < 40; n++) {
        const key = `cluster-${n}-${randomBytes(3).toString('hex')}`;
        try {
          const res = await fetch(`${balancer.url}/api/topics`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', origin, cookie: adminCookie },
            body: JSON.stringify({ key, nameEn: `Topic ${n}`, nameHe: `נושא ${n}`, nameAr: `موضوع ${n}` }),
          });
          await res.arrayBuffer();
          if (res.status === 201) topics.push(key);
        } catch {
          /* not acknowledged */
        }
      }
    };
    const writing = writer();
    const inviting = (async () => {
      for (let i = 0; i < 10; i++) await invite();
    })();
    const voting = Promise.all(Array.from({ length: PARTICIPANTS }, (_, p) => voter(p)));
    // mid-way: one server dies outright, another is stopped and started again
    await until('a third of the votes', async () => acknowledged.length, (n) => n >= (PARTICIPANTS * 12) / 3, 300_000);
    await inviting;
    // each server is sending an invitation's email when the kill comes: the mail server holds the messages unanswered
    // (each server sends one at a time); the killed server's message is never acknowledged, so never delivered
    smtp.hold();
    for (let i = 0; i < 6; i++) await invite();
    await until('every server sending an email', async () => smtp.held, (n) => n === 3);
    const activeAtKill = await rows<{ id: string }>(database.db, sql`SELECT id::text AS id FROM pgboss.job WHERE name = 'accounts.invitation-email' AND state = 'active'`);
    expect(activeAtKill).toHaveLength(3);
    await servers[1]!.kill('SIGKILL');
    smtp.release();
    await servers[2]!.stop();
    await startAt(2);
    phase = 'after';
    // more invitations while the participants go on voting, one server down
    for (let i = 0; i < 10; i++) await invite();
    await Promise.all([voting, writing]);

    console.log(`cluster: ${acknowledged.length} votes acknowledged, ${failures} attempts not acknowledged (${[...refused].map(([k, v]) => `${k}: ${v}`).join(', ')}), ${topics.length} topics written`);
    expect(acknowledged.length).toBeGreaterThan(PARTICIPANTS * 12 * 0.9);
    const stored = await rows<{ token_hash: string; statement_id: string }>(
      database.db,
      sql`SELECT p.token_hash, v.statement_id FROM dialogue_vote v JOIN dialogue_participant p ON p.id = v.participant_id WHERE v.dialogue_id = ${seeded.dialogueId}`,
    );
    const have = new Set(stored.map((r) => `${r.token_hash}:${r.statement_id}`));
    const missing = acknowledged.filter((a) => !have.has(`${tokenHash(a.token)}:${a.statementId}`));
    expect(missing).toEqual([]);
    const keys = new Set((await rows<{ key: string }>(database.db, sql`SELECT key FROM topic`)).map((r) => r.key));
    expect(topics.filter((k) => !keys.has(k))).toEqual([]);
    // every write has its audit entry
    const audited = await rows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM audit_entry WHERE action = 'topic.create'`);
    expect(audited[0]!.n).toBeGreaterThanOrEqual(topics.length);
    await startAt(1);

    // every invitation stored (the acknowledged ones and any whose answer was lost) is emailed: its job completed
    // (the killed server's job handed back to another server), its delivery recorded, its message delivered
    const ids = new Set((await rows<{ id: string }>(database.db, sql`SELECT id FROM invitation`)).map((r) => r.id));
    expect(invited.length).toBeGreaterThanOrEqual(20);
    expect(invited.filter((id) => !ids.has(id))).toEqual([]);
    type EmailJob = { id: string; invitation_id: string; state: string; retry_count: number };
    const emailJobs = await until(
      'every invitation email job completed',
      () => rows<EmailJob>(database.db, sql`SELECT id::text AS id, data->>'invitationId' AS invitation_id, state::text AS state, retry_count FROM pgboss.job WHERE name = 'accounts.invitation-email'`),
      (js) => Array.isArray(js) && js.length === ids.size && js.every((j) => j.state === 'completed'),
      90_000,
    );
    expect(new Set(emailJobs.map((j) => j.invitation_id))).toEqual(ids);
    expect(await rows<{ id: string }>(database.db, sql`SELECT id FROM invitation WHERE emailed_at IS NULL`)).toEqual([]);
    // one message per invitation, known by its Message-ID. pg-boss runs a job at least once: a server that dies
    // between the mail server's answer and recording the delivery leaves the next try to send it again, so a second
    // copy is allowed only for a job that was running on the killed server and was tried again
    const copies = new Map<string, number>();
    for (const m of smtp.delivered) copies.set(m.messageId, (copies.get(m.messageId) ?? 0) + 1);
    const host = new URL(origin).hostname;
    const messageIdOf = (id: string) => `<invitation.${id}@${host}>`;
    expect(emailJobs.filter((j) => !copies.has(messageIdOf(j.invitation_id)))).toEqual([]);
    expect([...copies.keys()].filter((m) => !emailJobs.some((j) => messageIdOf(j.invitation_id) === m))).toEqual([]);
    const killedJobs = new Set(activeAtKill.map((j) => j.id));
    const twice = emailJobs.filter((j) => copies.get(messageIdOf(j.invitation_id))! > 1);
    expect(twice.filter((j) => !(killedJobs.has(j.id) && j.retry_count >= 1 && copies.get(messageIdOf(j.invitation_id)) === 2))).toEqual([]);
    expect(twice.length).toBeLessThanOrEqual(1);
    // the job on the killed server was tried again (by another server); no other email job needed a second try
    const retried = emailJobs.filter((j) => j.retry_count > 0);
    expect(retried).toHaveLength(1);
    expect(killedJobs.has(retried[0]!.id)).toBe(true);
    console.log(`cluster: ${ids.size} invitations emailed, ${smtp.delivered.length} messages delivered, ${twice.length} twice; the killed server's email job completed after ${retried[0]!.retry_count + 1} tries`);

    // nothing left behind in the queue: every job completed, but a scheduled run may be waiting or running now, and a
    // scheduled run (tried once; the next run is its retry) that was running on the killed server ends failed, handed back
    const SCHEDULED = new Set(['insights.refresh-health', 'platform.retention']);
    const HANDED_BACK = 'The server running this job stopped before it finished; it will be tried again.';
    const all = await rows<{ name: string; state: string; error: string | null; recent: boolean }>(
      database.db,
      sql`SELECT name, state::text AS state, output->>'message' AS error, coalesce(started_on, created_on) > now() - interval '2 minutes' AS recent
          FROM pgboss.job WHERE name NOT LIKE '\\_\\_pgboss\\_\\_%'`,
    );
    const stuck = all.filter(
      (j) =>
        j.state !== 'completed' &&
        !(SCHEDULED.has(j.name) && ((j.state === 'created' || j.state === 'active') && j.recent)) &&
        !(SCHEDULED.has(j.name) && j.state === 'failed' && j.error === HANDED_BACK),
    );
    expect(stuck).toEqual([]);
    // a schedule runs once across the three servers: member health's refresh (every minute) at most once for each
    // minute of the clock since the first server started, not once per server (pg-boss's cron sends each minute's job once)
    const minutes = Math.floor(Date.now() / 60_000) - Math.floor(firstStart / 60_000) + 1;
    const refreshes = all.filter((j) => j.name === 'insights.refresh-health').length;
    // on a fast machine the test may end before the schedule's first minute comes round: only a run that spans
    // three clock minutes must have seen one
    if (minutes >= 3) expect(refreshes).toBeGreaterThan(0);
    expect(refreshes).toBeLessThanOrEqual(minutes);
  });

  it('a sign-in limit holds across the three servers', async () => {
    const who = { email: 'nobody-here@example.org', password: 'not the password at all' };
    const answers: number[] = [];
    for (let i = 0; i < SIGN_IN_LIMIT + 3; i++) answers.push((await signIn(balancer.url, who)).status);
    // round robin spreads them over the servers; together they allow the limit, not three times it
    expect(answers.slice(0, SIGN_IN_LIMIT).every((s) => s === 401)).toBe(true);
    expect(answers.slice(SIGN_IN_LIMIT)).toEqual([429, 429, 429]);
    for (const p of ports) expect((await signIn(`http://127.0.0.1:${p}`, who)).status).toBe(429);
  });

  it('a disabled account is refused by every server within a second', async () => {
    const email = `staff-${randomBytes(3).toString('hex')}@example.org`;
    const u = await createUserWithPassword(database.db, { name: 'Staff', email, password: STAFF_PASSWORD, role: 'staff', locale: 'en', timeZone: 'Asia/Jerusalem' });
    const staff = await signIn(balancer.url, { email, password: STAFF_PASSWORD });
    expect(staff.status).toBe(200);
    // every server has the session in its cache
    for (const p of ports) expect(await status(`http://127.0.0.1:${p}/api/me`, { headers: { cookie: staff.cookie } })).toBe(200);
    const res = await fetch(`${balancer.url}/api/users/${u.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json', origin, cookie: adminCookie }, body: JSON.stringify({ disabled: true }) });
    expect(res.status).toBe(200);
    const t0 = performance.now();
    const took = await Promise.all(
      ports.map(async (p) => {
        await until(`server on ${p} refuses`, () => status(`http://127.0.0.1:${p}/api/me`, { headers: { cookie: staff.cookie } }), (s) => s === 401, 5000);
        return performance.now() - t0;
      }),
    );
    console.log(`cluster: disabled account refused after ${took.map((x) => `${Math.round(x)} ms`).join(', ')}`);
    for (const ms of took) expect(ms).toBeLessThan(1000);
  });

  it('a browser attached through the balancer sees the analysis keep updating while participants vote', { timeout: 240_000 }, async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
    const context = await browser.newContext({ baseURL: balancer.url, locale: 'en-GB' });
    const signedIn = await context.request.post(`${balancer.url}/api/auth/sign-in/email`, { data: { email: ADMIN.email, password: ADMIN.password }, headers: { origin } });
    expect(signedIn.status()).toBe(200);
    const page = await context.newPage();
    await page.goto(`${balancer.url}/research/dialogues/${seeded.dialogueId}?tab=analysis`);
    const analysisTab = page.getByRole('tab', { name: 'Analysis' });
    if ((await analysisTab.getAttribute('aria-selected')) !== 'true') await analysisTab.click();
    const voters = async () => Number((await page.getByTestId('fig-voters').textContent())?.replace(/\D/g, '') || NaN);
    const before = await until('the analysis shows the voters', voters, (n) => n > 0);
    // more participants vote (through the balancer, so through every server)
    const more = Array.from({ length: 15 }, () => newParticipantToken());
    await database.db.insert(dialogueParticipant).values(more.map((t) => ({ dialogueId: seeded.dialogueId, language: 'en', tokenHash: tokenHash(t), resumeHash: resumeCodeHash(newResumeCode())! })));
    for (const t of more) {
      const res = await fetch(`${balancer.url}/api/participate/${seeded.invite}/votes`, { method: 'POST', headers: { 'content-type': 'application/json', origin, cookie: `${PARTICIPANT_COOKIE}=${t}` }, body: JSON.stringify({ statementId: seeded.statements[0], value: 1 }) });
      expect(res.status).toBeLessThan(300);
    }
    const after = await until('the page shows the new voters by itself', voters, (n) => n === before + more.length, 60_000);
    expect(after).toBe(before + more.length);
  });
});
