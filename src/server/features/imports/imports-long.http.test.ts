import { count, eq, like, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../../db/client.ts';
import { auditEntry } from '../audit/audit.schema.ts';
import { importRun } from './imports.schema.ts';
import { SYNC_MAX_ROWS } from './import.service.ts';
import { dialogue, dialogueVote } from '../dialogues/dialogues.schema.ts';
import { personContact } from '../network/network.schema.ts';
import { buildOrganisation } from '../../../../tests/setup/network-factories.ts';
import { createTestApp, problem, type TestClient } from '../../../../tests/setup/test-app.ts';
import { waitFor } from '../../../../tests/setup/wait.ts';

// Long imports (docs/network.md, "Long imports"): checked whole, then written by a background job in short
// transactions, so that on the embedded database (one connection) other requests are not held for the whole
// import; progress is committed with each chunk; a run that the data changed under stops and says which rows
// were written.

const t = await createTestApp();
const staff = await t.signedIn('staff');
const admin = await t.signedIn('admin');
const other = await t.signedIn('staff');

type Run = {
  id: string;
  kind: string;
  state: string;
  total: number;
  done: number;
  created: number;
  updated: number;
  result: Record<string, unknown> | null;
  error: Record<string, unknown> | null;
  written: { row: number; id: string; action: string }[] | null;
};

function peopleCsv(n: number, org: (i: number) => string, tag: string): string {
  const lines = ['Name,Arabic name,Email,Organisation,Title'];
  for (let i = 0; i < n; i++) lines.push(`${tag} Person ${i},شخص ${tag} ${i},${tag}-${i}@import.example,${org(i)},Volunteer`);
  return lines.join('\n');
}

async function start(client: TestClient, body: unknown): Promise<Run> {
  const res = await client.post('/api/imports/commit', body);
  expect(res.status).toBe(202);
  const run = (await res.json()) as Run;
  expect(res.headers.get('location')).toBe(`/api/imports/${run.id}`);
  return run;
}

async function read(client: TestClient, id: string): Promise<Run> {
  const res = await client.get(`/api/imports/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Run;
}

const ended = (client: TestClient, id: string) =>
  waitFor(
    'the import to end',
    async () => {
      const r = await read(client, id);
      return r.state === 'done' || r.state === 'failed' ? r : null;
    },
    { timeoutMs: 180_000, everyMs: 200 },
  );

describe('a long Network import', () => {
  it('lets a one-row read through while it runs, then has written every row exactly once', { timeout: 240_000 }, async () => {
    const orgs = [await buildOrganisation(t.db, { names: ['Harbour Collective'] }), await buildOrganisation(t.db, { names: ['Olive Table'] })];
    const N = 6_000; // dozens of chunks of about 100 ms each (runs.ts CHUNK_MS); bench/import-under-load.ts runs 50,000
    const run = await start(staff, { list: 'people', csv: peopleCsv(N, (i) => (i % 2 ? 'Harbour Collective' : 'Olive Table'), 'long') });
    expect(run).toMatchObject({ kind: 'network', state: 'queued', total: N, done: 0 });

    // the job has written some chunks and not all
    // (the job checks the whole file again before its first chunk: seconds for thousands of rows on a busy machine)
    await waitFor(
      'the job to be writing',
      async () => {
        const r = await read(staff, run.id);
        return r.state === 'running' && r.done > 0 ? r : null;
      },
      { timeoutMs: 120_000, everyMs: 20 },
    );
    // a read of one record, issued now, answers while the import is still being written: it did not wait for it
    const res = await staff.get(`/api/organisations/${orgs[0]!.id}`);
    expect(res.status).toBe(200);
    const [atRead] = await t.db.select({ state: importRun.state, done: importRun.done }).from(importRun).where(eq(importRun.id, run.id));
    expect(atRead!.state).toBe('running');
    expect(atRead!.done).toBeLessThan(N);

    const done = await ended(staff, run.id);
    expect(done).toMatchObject({ state: 'done', done: N, created: N, updated: 0, error: null, written: null });
    const ids = done.result!.ids as { row: number; id: string; action: string }[];
    expect(ids).toHaveLength(N);
    expect(new Set(ids.map((x) => x.id)).size).toBe(N);
    expect(ids.map((x) => x.row)).toEqual(Array.from({ length: N }, (_, i) => i + 2));
    // each row's person exactly once
    const [{ n, distinct }] = await rows<{ n: number; distinct: number }>(
      t.db,
      sql`SELECT count(*)::int AS n, count(DISTINCT value)::int AS distinct FROM person_contact WHERE value LIKE 'long-%@import.example'`,
    );
    expect({ n, distinct }).toEqual({ n: N, distinct: N });
    // the input (personal data) is gone once the run has ended; the import is audited once, as the importer
    const [stored] = await t.db.select({ input: importRun.input }).from(importRun).where(eq(importRun.id, run.id));
    expect(stored!.input).toBeNull();
    const commits = await t.db.select().from(auditEntry).where(eq(auditEntry.action, 'import.commit'));
    expect(commits.filter((c) => (c.detail as { runId?: string }).runId === run.id).map((c) => [c.actorId, (c.detail as { created: number }).created])).toEqual([
      [staff.user.id, N],
    ]);
  });

  it('is answered at once (200) up to SYNC_MAX_ROWS rows, and by a job beyond', { timeout: 240_000 }, async () => {
    await buildOrganisation(t.db, { names: ['Small Steps'] });
    const small = await staff.post('/api/imports/commit', { list: 'people', csv: peopleCsv(SYNC_MAX_ROWS, () => 'Small Steps', 'small') });
    expect(small.status).toBe(200);
    expect(await small.json()).toMatchObject({ created: SYNC_MAX_ROWS });
    const large = await start(staff, { list: 'people', csv: peopleCsv(SYNC_MAX_ROWS + 1, () => 'Small Steps', 'large') });
    expect((await ended(staff, large.id)).created).toBe(SYNC_MAX_ROWS + 1);
  });

  it('is seen only by the account that started it and by admins', { timeout: 240_000 }, async () => {
    await buildOrganisation(t.db, { names: ['Quiet Garden'] });
    const run = await start(staff, { list: 'people', csv: peopleCsv(SYNC_MAX_ROWS + 5, () => 'Quiet Garden', 'seen') });
    expect((await problem(await other.get(`/api/imports/${run.id}`), 404)).code).toBe('import_not_found');
    expect((await admin.get(`/api/imports/${run.id}`)).status).toBe(200);
    await problem(await t.client().get(`/api/imports/${run.id}`), 401);
    await problem(await staff.get('/api/imports/not-a-run'), 404);
    await ended(staff, run.id);
  });

  it('stops when the data changes under it, keeping and naming the rows written before', { timeout: 240_000 }, async () => {
    await buildOrganisation(t.db, { names: ['Stays Here'] });
    const goes = await buildOrganisation(t.db, { names: ['Goes Away'] });
    const N = 6_000; // dozens of chunks of about 100 ms each (runs.ts CHUNK_MS); bench/import-under-load.ts runs 50,000
    // only the middle row points to the organisation that will be deleted (the job is far from it when it goes)
    const gone = N / 2;
    const run = await start(staff, { list: 'people', csv: peopleCsv(N, (i) => (i === gone ? 'Goes Away' : 'Stays Here'), 'changed') });
    // (the job checks the whole file again before its first chunk: seconds for thousands of rows on a busy machine)
    await waitFor(
      'the job to be writing',
      async () => {
        const r = await read(staff, run.id);
        return r.state === 'running' && r.done > 0 ? r : null;
      },
      { timeoutMs: 120_000, everyMs: 20 },
    );
    expect((await admin.delete(`/api/organisations/${goes.id}`)).status).toBe(204);

    const failed = await ended(staff, run.id);
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatchObject({ code: 'record_gone', row: gone + 2 });
    expect(String(failed.error!.message)).toContain(`Row ${gone + 2}`);
    expect(failed.done).toBeLessThanOrEqual(gone);
    // exactly the rows before the failing chunk were written, in file order, and they stay
    expect(failed.written!.map((w) => w.row)).toEqual(Array.from({ length: failed.done }, (_, i) => i + 2));
    const [c] = await t.db.select({ n: count() }).from(personContact).where(like(personContact.value, 'changed-%@import.example'));
    expect(Number(c!.n)).toBe(failed.done);
    const [fail] = await t.db.select().from(auditEntry).where(eq(auditEntry.entityId, run.id));
    expect(fail).toBeDefined();
  });
});

describe('a long Pol.is import', () => {
  it('is checked, answered 202 with its dialogue, and written by a job', { timeout: 240_000 }, async () => {
    const comments = ['timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body'];
    for (let c = 0; c < 40; c++) comments.push(`${1_600_000_000_000 + c},x,${c},${c},0,0,1,Statement number ${c}`);
    const votes = ['timestamp,datetime,comment-id,voter-id,vote'];
    for (let p = 0; p < 400; p++) for (let c = 0; c < 40; c++) votes.push(`${1_600_000_100_000 + p * 40 + c},x,${c},${p},${(p + c) % 3 === 0 ? -1 : (p * c) % 2 === 0 ? 1 : 0}`);
    const res = await staff.post('/api/dialogues/import/polis', { title: 'Long Pol.is', comments: comments.join('\n'), votes: votes.join('\n') });
    expect(res.status).toBe(202);
    const run = (await res.json()) as Run & { target: string };
    expect(run).toMatchObject({ kind: 'polis', total: 400 + 40 + 16_000 });
    const done = await ended(staff, run.id);
    expect(done).toMatchObject({ state: 'done', done: run.total, result: { id: run.target, statements: 40, participants: 400, votes: 16_000 } });
    const [v] = await t.db.select({ n: count() }).from(dialogueVote).where(eq(dialogueVote.dialogueId, run.target));
    expect(Number(v!.n)).toBe(16_000);
    expect((await staff.get(`/api/dialogues/${run.target}`)).status).toBe(200);
  });

  it('a broken file is still a 422 and writes nothing', async () => {
    const before = (await t.db.select({ n: count() }).from(dialogue))[0]!.n;
    const votes = ['timestamp,datetime,comment-id,voter-id,vote'];
    for (let p = 0; p < 20_000; p++) votes.push(`1,x,99,${p},1`);
    const p = await problem(await staff.post('/api/dialogues/import/polis', { title: 'x', comments: 'timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n1,x,1,1,0,0,1,Hi', votes: votes.join('\n') }), 422);
    expect(p.code).toBe('polis_format');
    expect((await t.db.select({ n: count() }).from(dialogue))[0]!.n).toBe(before);
    expect(await t.db.select().from(importRun).where(eq(importRun.kind, 'polis'))).toHaveLength(1);
  });
});
