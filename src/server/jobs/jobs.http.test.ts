import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { installJobQueues } from '../app.ts';
import { openDatabase, rows, type Database, type Db } from '../db/client.ts';
import { Jobs, type JobDefinition } from './jobs.ts';
import { createTestApp, problem } from '../../../tests/setup/test-app.ts';
import { waitFor } from '../../../tests/setup/wait.ts';

// Durable background jobs (src/server/jobs) through the admin API: who may see them, what a rolled-back
// transaction leaves (nothing), what a handler that always fails leaves (a failed job with its error, after its
// retries), one run per job with two servers on one database, and servers starting at once on a new database.

declare module './jobs.ts' {
  interface JobPayloads {
    'test.record': { n: number };
    'test.always-fails': { why: string };
    'test.parked': { n: number };
    'test.once': { n: number };
  }
}

const t = await createTestApp();
const admin = await t.signedIn('admin');
const staff = await t.signedIn('staff');
const viewer = await t.signedIn('viewer');

// a second server's connections: on PostgreSQL a pool of its own, on the embedded database the same one
const url = t.database.kind === 'postgres' ? (t.db as unknown as { $client: { options: { connectionString: string } } }).$client.options.connectionString : null;
const otherDb = url ? await openDatabase({ kind: 'postgres', url, max: 3 }) : null;
if (otherDb) afterAll(() => otherDb.close());

/** Another job runner on the test's database, like a second server's (stopped after the file). */
async function runner(db: Db, define: (jobs: Jobs) => void, work = true): Promise<Jobs> {
  const jobs = new Jobs({ db, kind: t.database.kind, work, pollingIntervalSeconds: 0.5, orphanGraceSeconds: 2, log: () => {} });
  define(jobs);
  await jobs.start();
  afterAll(() => jobs.stop({ timeoutMs: 1000 }));
  return jobs;
}

const recorded: number[] = [];
const failing: JobDefinition<{ why: string }> = {
  handler: async ({ why }) => {
    throw new Error(`the provider refused: ${why}`);
  },
  retryLimit: 2,
  retryDelaySeconds: 1,
};
const worker = await runner(t.db, (jobs) => {
  jobs.define('test.record', {
    handler: async ({ n }) => {
      recorded.push(n);
      return { n };
    },
  });
  jobs.define('test.always-fails', failing);
});
// a queue nobody works: its jobs stay queued
const parked = await runner(t.db, (jobs) => jobs.define('test.parked', { handler: async () => {} }), false);

async function job(id: string) {
  const res = await admin.get(`/api/jobs/${id}`);
  expect(res.status).toBe(200);
  return res.json();
}

describe('the jobs API', () => {
  it('is for admins only', async () => {
    const anonymous = t.client();
    expect((await problem(await anonymous.get('/api/jobs'), 401)).code).toBe('not_signed_in');
    for (const c of [staff, viewer]) {
      await problem(await c.get('/api/jobs'), 403);
      await problem(await c.get('/api/jobs/00000000-0000-4000-8000-000000000000'), 403);
      await problem(await c.post('/api/jobs/00000000-0000-4000-8000-000000000000/retry'), 403);
      await problem(await c.delete('/api/jobs/00000000-0000-4000-8000-000000000000'), 403);
    }
    expect((await admin.get('/api/jobs')).status).toBe(200);
    expect((await problem(await admin.get('/api/jobs/00000000-0000-4000-8000-000000000000'), 404)).code).toBe('job_not_found');
    expect((await problem(await admin.get('/api/jobs/not-a-uuid'), 404)).code).toBe('job_not_found');
    await problem(await admin.get('/api/jobs?state=sleeping'), 400);
  });

  it('lists jobs by state and name, newest first, page by page, with counts per state', async () => {
    const ids: string[] = [];
    for (let n = 0; n < 5; n++) ids.push((await parked.enqueue(t.db, 'test.parked', { n }))!);
    const first = await (await admin.get('/api/jobs?name=test.parked&limit=2')).json();
    expect(first.items.map((j: { id: string }) => j.id)).toEqual([ids[4], ids[3]]);
    expect(first.items[0]).toMatchObject({ name: 'test.parked', state: 'created', attempts: 0, error: null, startedAt: null });
    expect(first.counts.created).toBe(5);
    expect(first.names).toEqual(expect.arrayContaining(['dialogues.translate', 'accounts.invitation-email', 'insights.refresh-health']));
    const second = await (await admin.get(`/api/jobs?name=test.parked&limit=2&cursor=${first.nextCursor}`)).json();
    const third = await (await admin.get(`/api/jobs?name=test.parked&limit=2&cursor=${second.nextCursor}`)).json();
    expect([...second.items, ...third.items].map((j: { id: string }) => j.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(third.nextCursor).toBeNull();
    expect((await (await admin.get('/api/jobs?name=test.parked&state=queued')).json()).items).toHaveLength(5);
    expect((await (await admin.get('/api/jobs?name=test.parked&state=completed')).json()).items).toHaveLength(0);
    await problem(await admin.get('/api/jobs?cursor=forged'), 400);
  });

  it('cancels a queued job and brings it back, each audited; refuses what is not queued', async () => {
    const id = (await parked.enqueue(t.db, 'test.parked', { n: 99 }))!;
    const cancelled = await admin.delete(`/api/jobs/${id}`);
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toMatchObject({ id, state: 'cancelled' });
    expect((await problem(await admin.delete(`/api/jobs/${id}`), 409)).code).toBe('job_not_queued');
    const back = await admin.post(`/api/jobs/${id}/retry`);
    expect(back.status).toBe(200);
    expect(await back.json()).toMatchObject({ id, state: 'created' });
    expect((await problem(await admin.post(`/api/jobs/${id}/retry`), 409)).code).toBe('job_not_failed');
    const audit = await (await admin.get(`/api/audit?entityType=job&entityId=${id}`)).json();
    expect(audit.items.map((e: { action: string }) => e.action)).toEqual(['job.retry', 'job.cancel']);
    expect(audit.items[1].detail).toMatchObject({ name: 'test.parked', before: 'created' });
  });
});

describe('scheduled jobs', () => {
  it('refresh member health every minute, once across servers (pg-boss cron)', async () => {
    const found = await rows<{ name: string; cron: string; timezone: string }>(t.db, sql`SELECT name, cron, timezone FROM pgboss.schedule`);
    expect(found).toContainEqual({ name: 'insights.refresh-health', cron: '* * * * *', timezone: 'UTC' });
  });
});

describe('a job and the transaction that asks for it', () => {
  it('never runs when the transaction rolls back, and runs when it commits', async () => {
    let rolledBackId: string | null = null;
    await expect(
      t.db.transaction(async (tx) => {
        rolledBackId = await worker.enqueue(tx, 'test.record', { n: 1 });
        throw new Error('the write failed');
      }),
    ).rejects.toThrow('the write failed');
    expect(rolledBackId).toEqual(expect.any(String));
    // enqueued after it: had the first one existed, the worker (oldest first) would have run it before this one
    const committedId = await t.db.transaction((tx) => worker.enqueue(tx, 'test.record', { n: 2 }));
    const done = await waitFor('the committed job to complete', async () => {
      const j = await job(committedId!);
      return j.state === 'completed' ? j : null;
    });
    expect(done.result).toEqual({ n: 2 });
    expect(recorded).toEqual([2]);
    await problem(await admin.get(`/api/jobs/${rolledBackId}`), 404);
    expect(await rows(t.db, sql`SELECT 1 FROM pgboss.job WHERE id = ${rolledBackId}::uuid`)).toEqual([]);
  });
});

describe('a job whose handler always fails', () => {
  it('ends failed after its retries, with its error visible to admins, and can be retried once more', { timeout: 60_000 }, async () => {
    const id = (await worker.enqueue(t.db, 'test.always-fails', { why: 'quota' }))!;
    const failed = await waitFor(
      'the job to fail for good',
      async () => {
        const j = await job(id);
        return j.state === 'failed' ? j : null;
      },
      { timeoutMs: 40_000 },
    );
    expect(failed).toMatchObject({ state: 'failed', attempts: 3, maxAttempts: 3, error: 'the provider refused: quota' });
    expect(failed.completedAt).toEqual(expect.any(String));
    const list = await (await admin.get('/api/jobs?state=failed&name=test.always-fails')).json();
    expect(list.items.map((j: { id: string }) => j.id)).toEqual([id]);
    // the list is what the admin jobs page shows: the job, failed, with its error
    expect(list.items[0]).toMatchObject({ state: 'failed', attempts: 3, error: 'the provider refused: quota' });
    expect(list.counts.failed).toBe(1);

    const retried = await admin.post(`/api/jobs/${id}/retry`);
    expect(retried.status).toBe(200);
    expect((await retried.json()).maxAttempts).toBe(4);
    const again = await waitFor(
      'the retried job to fail again',
      async () => {
        const j = await job(id);
        return j.state === 'failed' && j.attempts === 4 ? j : null;
      },
      { timeoutMs: 20_000 },
    );
    expect(again.error).toBe('the provider refused: quota');
  });
});

describe('two servers on one database', () => {
  it('run each job once', { timeout: 60_000 }, async () => {
    const runs: { server: string; n: number }[] = [];
    const once = (server: string): JobDefinition<{ n: number }> => ({
      handler: async ({ n }) => {
        runs.push({ server, n });
        await new Promise((r) => setTimeout(r, 5));
      },
      concurrency: 2,
    });
    const a = await runner(t.db, (jobs) => jobs.define('test.once', once('a')));
    await runner(otherDb?.db ?? t.db, (jobs) => jobs.define('test.once', once('b')));
    const ids: string[] = [];
    await t.db.transaction(async (tx) => {
      for (let n = 0; n < 40; n++) ids.push((await a.enqueue(tx, 'test.once', { n }))!);
    });
    await waitFor(
      'every job to complete',
      async () => {
        const [c] = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'test.once' AND state = 'completed'`);
        return c!.n === 40;
      },
      { timeoutMs: 40_000 },
    );
    expect(runs.map((r) => r.n).sort((x, y) => x - y)).toEqual([...Array(40).keys()]);
  });
});

// on the embedded database one process holds the data folder: nothing starts beside it (and an empty suite fails)
if (url) describe('servers starting at once on a new PostgreSQL database', () => {
  it('set the job queue up one after another: every queue made once, no deadlock', { timeout: 120_000 }, async () => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      // two rounds: without taking turns, three servers creating queues together deadlock more often than not
      for (let round = 0; round < 2; round++) {
        const name = `convene_jobs_start_${process.pid}_${randomBytes(4).toString('hex')}`;
        await admin.query(`CREATE DATABASE ${name}`);
        const servers: Database[] = [];
        try {
          const u = new URL(url);
          u.pathname = `/${name}`;
          const first = await openDatabase({ kind: 'postgres', url: u.toString(), max: 2 });
          servers.push(first);
          await first.migrate();
          for (let i = 0; i < 2; i++) servers.push(await openDatabase({ kind: 'postgres', url: u.toString(), max: 2 }));
          const started = await Promise.allSettled(servers.map((s) => installJobQueues(s.db, 'postgres')));
          expect(started.map((r) => (r.status === 'fulfilled' ? 'ok' : String((r.reason as Error).message)))).toEqual(['ok', 'ok', 'ok']);
          const queues = await rows<{ name: string; partitions: number }>(
            first.db,
            sql`SELECT q.name, (SELECT count(*)::int FROM pg_inherits i WHERE i.inhrelid = ('pgboss.' || q.partition_name)::regclass) AS partitions
                FROM pgboss.queue q WHERE q.name NOT LIKE '\_\_pgboss\_\_%' ORDER BY q.name`,
          );
          expect(queues).toEqual(['accounts.invitation-email', 'dialogues.translate', 'events.expire-offers', 'events.registration-email', 'events.reminders', 'events.retention', 'events.waitlist-expire', 'events.waitlist-offer', 'imports.run', 'insights.refresh-health', 'platform.retention', 'updates.publish-scheduled'].map((n) => ({ name: n, partitions: 1 })));
        } finally {
          for (const s of servers) await s.close();
          await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        }
      }
    } finally {
      await admin.end();
    }
  });
});
