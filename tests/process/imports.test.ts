import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openDatabase, rows, type Db } from '../../src/server/db/client.ts';
import { withDatabase } from '../setup/global-setup.ts';
import type { ServerProcess } from '../setup/server-process.ts';
import { waitFor } from '../setup/wait.ts';
import { createFirstAdmin, originOf, signIn, trackProcesses } from './process-helpers.ts';

// A server killed (SIGKILL) in the middle of a long import: the import goes on from the last chunk that committed,
// and every row is written exactly once. Embedded database: the same data folder started again. PostgreSQL:
// another server beside it takes the job over.

const procs = trackProcesses();
const N = 10_000;

type Run = { id: string; state: string; total: number; done: number; created: number; result: { ids: { row: number; id: string }[] } | null };

async function api(s: ServerProcess, cookie: string, method: string, p: string, body?: unknown) {
  const res = await fetch(`${s.url}${p}`, {
    method,
    headers: { cookie, origin: originOf(s), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** Starts an import of N people on `s` and returns its run once the job has written part of it (not all). */
async function startImport(s: ServerProcess, cookie: string, tag: string): Promise<Run> {
  const org = await api(s, cookie, 'POST', '/api/organisations', { kind: 'member', names: [{ name: 'Crash Harbour', kind: 'official' }] });
  expect(org.status).toBe(201);
  const lines = ['Name,Email,Organisation,Title'];
  for (let i = 0; i < N; i++) lines.push(`${tag} Person ${i},${tag}-${i}@import.example,Crash Harbour,Volunteer`);
  const started = await api(s, cookie, 'POST', '/api/imports/commit', { list: 'people', csv: lines.join('\n') });
  expect(started.status).toBe(202);
  return waitFor(
    'the import to be part-written',
    async () => {
      const r = (await api(s, cookie, 'GET', `/api/imports/${started.body.id}`)).body as Run;
      return r.state === 'running' && r.done > 0 ? r : null;
    },
    { timeoutMs: 120_000, everyMs: 20 },
  );
}

async function finished(s: ServerProcess, cookie: string, id: string): Promise<Run> {
  return waitFor(
    'the import to finish',
    async () => {
      const r = (await api(s, cookie, 'GET', `/api/imports/${id}`)).body as Run;
      return r.state === 'done' || r.state === 'failed' ? r : null;
    },
    { timeoutMs: 240_000, everyMs: 250 },
  );
}

/** Every row's person exactly once, and the run's record of each row once. */
async function expectEachRowOnce(db: Db, tag: string, runId: string) {
  const [people] = await rows<{ n: number; distinct: number }>(
    db,
    sql`SELECT count(*)::int AS n, count(DISTINCT value)::int AS distinct FROM person_contact WHERE value LIKE ${`${tag}-%@import.example`}`,
  );
  expect(people).toEqual({ n: N, distinct: N });
  const [named] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM person WHERE display_name LIKE ${`${tag} Person %`}`);
  expect(named!.n).toBe(N);
  const [items] = await rows<{ n: number; distinct: number }>(db, sql`SELECT count(*)::int AS n, count(DISTINCT record_id)::int AS distinct FROM import_run_item WHERE run_id = ${runId}::uuid`);
  expect(items).toEqual({ n: N, distinct: N });
}

function expectDone(run: Run) {
  expect(run).toMatchObject({ state: 'done', total: N, done: N, created: N });
  expect(new Set(run.result!.ids.map((x) => x.id)).size).toBe(N);
}

describe('a server killed in the middle of a long import', () => {
  it('goes on from its last chunk when the embedded database starts again', { timeout: 400_000 }, async () => {
    const dataDir = procs.dataDir();
    const first = await procs.start({ dataDir });
    await createFirstAdmin(first);
    const cookie = await signIn(first);
    const run = await startImport(first, cookie, 'embedded');
    await first.kill('SIGKILL');
    console.log(`import crash test (embedded): killed with ${run.done} of ${N} rows written`);

    const second = await procs.start({ dataDir });
    const cookie2 = await signIn(second);
    const done = await finished(second, cookie2, run.id);
    expectDone(done);
    expect(second.output()).toContain(`Import ${run.id} (network): resuming after`);
    await second.stop();

    const database = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
    try {
      await expectEachRowOnce(database.db, 'embedded', run.id);
    } finally {
      await database.close();
    }
  });

  // two servers need PostgreSQL: with TEST_DATABASE_URL set (the embedded variant above always runs)
  const url = process.env.TEST_DATABASE_URL;
  if (url)
    it('is taken over by another server on PostgreSQL', { timeout: 400_000 }, async () => {
      const name = `convene_imp_${process.pid}_${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      try {
        const env = { DATABASE_URL: withDatabase(url, name) };
        const a = await procs.start({ dataDir: procs.dataDir(), env });
        const b = await procs.start({ dataDir: procs.dataDir(), env });
        await createFirstAdmin(a);
        const cookies = new Map([
          [a, await signIn(a)],
          [b, await signIn(b)],
        ]);
        const run = await startImport(a, cookies.get(a)!, 'postgres');
        // the job went to one of the two: it says so in its log; kill that one, the other must finish it
        const writer = await waitFor('a server to say it writes the import', () => [a, b].find((s) => s.output().includes(`Import ${run.id} (network): writing`)) ?? null);
        const survivor = writer === a ? b : a;
        await writer.kill('SIGKILL');
        console.log(`import crash test (PostgreSQL): killed the writing server with ${run.done} of ${N} rows written`);
        const done = await finished(survivor, cookies.get(survivor)!, run.id);
        expectDone(done);
        expect(survivor.output()).toContain(`Import ${run.id} (network): resuming after`);
        await survivor.stop();
        const database = await openDatabase({ kind: 'postgres', url: withDatabase(url, name), max: 1 });
        try {
          await expectEachRowOnce(database.db, 'postgres', run.id);
        } finally {
          await database.close();
        }
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      }
    });
});
