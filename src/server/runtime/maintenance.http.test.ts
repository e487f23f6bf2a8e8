import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../db/client.ts';
import { createTestApp } from '../../../tests/setup/test-app.ts';
import { waitFor } from '../../../tests/setup/wait.ts';
import { maintainTables, tablesDue } from './maintenance.ts';

// The embedded database's autovacuum (src/server/runtime/maintenance.ts): tables whose size moved since their
// statistics were taken get VACUUM (ANALYZE), by a job scheduled on the embedded database only (PostgreSQL has its
// own autovacuum, and the job is not defined there).

const t = await createTestApp();
const admin = await t.signedIn('admin');

const stats = async (table: string) => {
  const [r] = await rows<{ relpages: number; reltuples: number; pages: number }>(
    t.db,
    sql`SELECT relpages::int AS relpages, reltuples::float8 AS reltuples, (pg_relation_size(oid) / 8192)::int AS pages FROM pg_class WHERE oid = ${table}::regclass`,
  );
  return r!;
};

let batch = 0;
async function grow(n: number) {
  const prefix = `b${++batch}-`;
  await t.db.execute(sql`INSERT INTO rate_limit (name, key, window_start, hits)
    SELECT 'test.maintenance', ${prefix} || g, now(), 1 FROM generate_series(1, ${n}::int) g`);
}

describe('maintenance of the embedded database', () => {
  it('is scheduled every ten minutes on the embedded database, and not defined on PostgreSQL (autovacuum)', async () => {
    const found = await rows<{ name: string; cron: string }>(t.db, sql`SELECT name, cron FROM pgboss.schedule WHERE name = 'platform.maintenance'`);
    const list = await (await admin.get('/api/jobs')).json();
    if (t.database.kind === 'pglite') {
      expect(found).toEqual([{ name: 'platform.maintenance', cron: '*/10 * * * *' }]);
      expect(list.names).toContain('platform.maintenance');
    } else {
      expect(found).toEqual([]);
      expect(list.names).not.toContain('platform.maintenance');
    }
  });

  it('analyses and vacuums a table that grew, and leaves it alone until it moves again', { timeout: 60_000 }, async () => {
    await maintainTables(t.db);
    expect((await tablesDue(t.db)).due.map((d) => d.rel)).not.toContain('public.rate_limit');

    await grow(20_000);
    const grown = await stats('rate_limit');
    expect(grown.pages).toBeGreaterThan(grown.relpages + 8);
    expect((await tablesDue(t.db)).due.map((d) => d.rel)).toContain('public.rate_limit');

    const first = await maintainTables(t.db);
    expect(first.maintained).toContain('public.rate_limit');
    const after = await stats('rate_limit');
    expect(after.relpages).toBe(after.pages);
    expect(after.reltuples).toBeGreaterThanOrEqual(20_000);

    // nothing moved: nothing to do
    const second = await maintainTables(t.db);
    expect(second.maintained).not.toContain('public.rate_limit');

    // a few rows more are not worth a pass; a fifth more are
    await grow(50);
    expect((await tablesDue(t.db)).due.map((d) => d.rel)).not.toContain('public.rate_limit');
    await t.db.execute(sql`DELETE FROM rate_limit WHERE name = 'test.maintenance'`);
    await grow(30_000);
    expect((await tablesDue(t.db)).due.map((d) => d.rel)).toContain('public.rate_limit');
  });

  it('gives the planner statistics it never had: a table nothing analysed is planned from its real size afterwards', async () => {
    await t.db.execute(sql`CREATE TABLE maintenance_probe (id int PRIMARY KEY, v text)`);
    await t.db.execute(sql`INSERT INTO maintenance_probe SELECT g, 'x' || g FROM generate_series(1, 5000) g`);
    const estimate = async () => {
      const [plan] = await rows<{ 'QUERY PLAN': string }>(t.db, sql`EXPLAIN SELECT * FROM maintenance_probe WHERE v LIKE 'x%'`);
      return Number(/rows=(\d+)/.exec(plan!['QUERY PLAN'])![1]);
    };
    expect((await tablesDue(t.db)).due.map((d) => d.rel)).toContain('public.maintenance_probe');
    await maintainTables(t.db);
    expect(await estimate()).toBeGreaterThan(4_000);
    expect((await tablesDue(t.db)).due.map((d) => d.rel)).not.toContain('public.maintenance_probe');
  });

  it('runs as a job and says what it maintained (embedded database)', { timeout: 60_000 }, async () => {
    if (t.database.kind !== 'pglite') {
      await expect(t.jobs.enqueue(t.db, 'platform.maintenance', {})).rejects.toThrow();
      return;
    }
    await t.db.execute(sql`CREATE TABLE maintenance_job_probe AS SELECT g AS id FROM generate_series(1, 10000) g`);
    const jobId = (await t.jobs.enqueue(t.db, 'platform.maintenance', {}))!;
    const done = await waitFor('the maintenance job to complete', async () => {
      const j = await (await admin.get(`/api/jobs/${jobId}`)).json();
      return j.state === 'completed' || j.state === 'failed' ? j : null;
    });
    expect(done.state).toBe('completed');
    expect(done.result.maintained).toContain('public.maintenance_job_probe');
    expect((await stats('maintenance_job_probe')).reltuples).toBe(10_000);
    expect(done.result.examined).toBeGreaterThan(20);
  });
});
