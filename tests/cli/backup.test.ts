import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appliedMigrations, backupDatabase, BackupError, readBackupHeader, restoreDatabase } from '../../src/server/db/backup.ts';
import { openDatabase, type Database, type Db } from '../../src/server/db/client.ts';
import { recordAudit } from '../../src/server/features/audit/audit.service.ts';
import { Jobs } from '../../src/server/jobs/jobs.ts';
import { createTestApp, PASSWORD } from '../setup/test-app.ts';
import { freshDatabase } from '../setup/test-db.ts';
import { tempDataDir } from '../setup/server-process.ts';

// With TEST_DATABASE_URL the test databases are PostgreSQL; plain in-memory PGlite legs are added so the
// chain proves PostgreSQL → PGlite → PostgreSQL → PGlite in that run.
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
const dir = tempDataDir('convene-backup-test-');
const opened: Database[] = [];
afterAll(async () => {
  for (const d of opened) await d.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function plainPglite(): Promise<Database> {
  const d = await openDatabase({ kind: 'pglite' });
  await d.migrate();
  opened.push(d);
  return d;
}
async function fresh(): Promise<Database> {
  const d = await freshDatabase();
  opened.push(d);
  return d;
}

async function rowsOf<T>(db: Db, q: ReturnType<typeof sql>): Promise<T[]> {
  const r = (await db.execute(q)) as unknown as { rows: T[] };
  return r.rows;
}

/** Every application table's rows as PostgreSQL renders them, sorted. rate_limit holds
 * counters of the last minutes (runtime state, not records), so a backup leaves it out. */
async function snapshot(db: Db): Promise<Record<string, string[]>> {
  const tables = await rowsOf<{ name: string }>(
    db,
    sql`SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'rate_limit' ORDER BY 1`,
  );
  const out: Record<string, string[]> = {};
  for (const { name } of tables) {
    const rows = await rowsOf<{ j: string }>(db, sql`SELECT row_to_json(t)::text AS j FROM ${sql.identifier(name)} t ORDER BY 1`);
    out[name] = rows.map((r) => r.j);
  }
  return out;
}

async function maxAuditId(db: Db): Promise<bigint> {
  const [r] = await rowsOf<{ m: string | null }>(db, sql`SELECT max(id)::text AS m FROM audit_entry`);
  return BigInt(r?.m ?? 0);
}

describe('backup and restore', () => {
  let source: Db;
  let expected: Record<string, string[]>;

  beforeAll(async () => {
    const t = await createTestApp();
    source = t.db;
    const admin = await t.signedIn('admin', { name: 'מנהלת ראשית' });
    const invited = await admin.post('/api/invitations', { email: 'staff@example.org', name: 'سلمى العربية', role: 'staff', locale: 'ar' });
    expect(invited.status).toBe(201);
    const { link } = (await invited.json()) as { link: string };
    const token = new URL(link).searchParams.get('token') ?? link.split('token=')[1]!;
    const accepted = await t.client().post('/api/invitations/accept', { token, password: PASSWORD, timeZone: 'Asia/Hebron' });
    expect(accepted.status).toBe(201);
    const staff = t.client();
    expect((await staff.post('/api/auth/sign-in/email', { email: 'staff@example.org', password: PASSWORD })).status).toBe(200);
    const pending = await admin.post('/api/invitations', { email: 'viewer@example.org', name: 'צופה', role: 'viewer', locale: 'he' });
    expect(pending.status).toBe(201);
    expect((await admin.patch('/api/settings', { requireTwoFactor: false })).status).toBe(200);
    expect((await admin.patch('/api/me', { locale: 'he', timeZone: 'Asia/Jerusalem' })).status).toBe(200);

    const ctx = { actor: null, ip: '203.0.113.7', userAgent: 'backup test' };
    await recordAudit(t.db, ctx, {
      action: 'test.details',
      entityType: 'test',
      entityId: 'עברית-عربي',
      detail: { he: 'שלום, עולם', ar: 'مرحبا بالعالم', nested: { list: [1, 2.5, 'x', null, true], big: 123456789012345678901234567890 }, quote: 'a "b" \\ c\nd' },
    });
    // microseconds, a leap day and a time far from now survive the trip
    await t.db.execute(
      sql`INSERT INTO audit_entry (at, action, entity_type, detail) VALUES ('2024-02-29 23:59:59.123456+00', 'test.micro', 'test', '{"t": "2024-02-29T23:59:59.123456Z"}'), ('1999-12-31 22:00:00.000001+02', 'test.micro', 'test', NULL)`,
    );
    // more rows than one batch, so cursor batches and insert batches both turn over
    await t.db.execute(
      sql`INSERT INTO audit_entry (at, action, entity_type, entity_id, detail)
          SELECT now() - g * interval '1 microsecond', 'test.bulk', 'test', g::text, jsonb_build_object('n', g, 'he', 'שורה ' || g, 'ar', 'سطر ' || g)
          FROM generate_series(1, 2500) g`,
    );
    expected = await snapshot(source);
    expect(expected.user!.length).toBe(2);
    expect(expected.invitation!.length).toBe(2);
    expect(expected.session!.length).toBeGreaterThanOrEqual(2);
    expect(expected.setting!.length).toBeGreaterThanOrEqual(2);
    expect(expected.audit_entry!.length).toBeGreaterThan(2500);
    expect(expected.account!.length).toBe(2);
  });

  it('writes a header naming the migrations and tables, then the rows', async () => {
    const file = path.join(dir, 'header.jsonl.gz');
    const { header } = await backupDatabase(source, file);
    expect(header.format).toBe('convene-backup');
    expect(header.version).toBe(1);
    expect(header.database).toBe(onPostgres ? 'postgres' : 'pglite');
    expect(header.migrations).toEqual(await appliedMigrations(source));
    expect(header.migrations.length).toBeGreaterThan(0);
    expect(header.tables.map((x) => x.name).sort()).toEqual(Object.keys(expected).sort());
    expect(await readBackupHeader(file)).toEqual(header);
    const lines = gunzipSync(fs.readFileSync(file)).toString('utf8').trimEnd().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toEqual({ end: true });
    expect(lines.length).toBe(1 + header.tables.length + Object.values(expected).flat().length + 1);
    // parents come before the tables that point to them
    const order = header.tables.map((x) => x.name);
    expect(order.indexOf('user')).toBeLessThan(order.indexOf('session'));
    expect(order.indexOf('user')).toBeLessThan(order.indexOf('invitation'));
    expect(fs.statSync(file).mode & 0o077).toBe(0);
  });

  it(`restores identical data across databases (${onPostgres ? 'PostgreSQL → PGlite → PostgreSQL → PGlite' : 'PGlite → PGlite → PGlite'}), and the audit sequence continues`, { timeout: 180_000 }, async () => {
    const targets = onPostgres ? [await plainPglite(), await fresh(), await plainPglite()] : [await fresh(), await fresh()];
    const highest = await maxAuditId(source);
    let from = source;
    for (const [i, target] of targets.entries()) {
      // something to be replaced
      await recordAudit(target.db, { actor: null, ip: 'x', userAgent: 'x' }, { action: 'test.to_be_replaced', entityType: 'test' });
      const file = path.join(dir, `leg-${i}.jsonl.gz`);
      await backupDatabase(from, file);
      const result = await restoreDatabase(target.db, file);
      expect(Object.fromEntries(result.tables.map((x) => [x.name, x.rows]))).toEqual(
        Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, v.length])),
      );
      expect(await snapshot(target.db)).toEqual(expected);
      from = target.db;
    }
    // new audit entries continue after the restored ones on every target (checked after the chain,
    // so each leg copies exactly the source's rows)
    for (const target of targets) {
      await recordAudit(target.db, { actor: null, ip: 'x', userAgent: 'x' }, { action: 'test.after_restore', entityType: 'test' });
      const [row] = await rowsOf<{ id: string }>(target.db, sql`SELECT id::text AS id FROM audit_entry WHERE action = 'test.after_restore'`);
      expect(BigInt(row!.id)).toBeGreaterThan(highest);
    }
  });

  it('leaves the job queue out of the backup, and empties it on restore so no job acts on the restored data', async () => {
    const target = await fresh();
    const jobs = new Jobs({ db: target.db, kind: target.kind, work: false });
    jobs.define('test.before-restore', { handler: async () => {} });
    await jobs.start();
    try {
      await jobs.enqueue(target.db, 'test.before-restore', {});
      const file = path.join(dir, 'jobs.jsonl.gz');
      const { header } = await backupDatabase(source, file);
      expect(header.tables.some((x) => x.name.startsWith('pgboss') || ['job', 'queue', 'schedule', 'archive'].includes(x.name))).toBe(false);
      const result = await restoreDatabase(target.db, file);
      expect(result.jobsDropped).toBe(1);
      expect(await rowsOf(target.db, sql`SELECT id FROM pgboss.job`)).toEqual([]);
      // the queues themselves stay, ready for new jobs
      expect(await jobs.enqueue(target.db, 'test.before-restore', {})).toEqual(expect.any(String));
    } finally {
      await jobs.stop();
    }
  });

  describe('a bad file fails clearly and leaves the data as it was', () => {
    let target: Database;
    let before: Record<string, string[]>;
    let good: string;
    beforeAll(async () => {
      target = await fresh();
      good = path.join(dir, 'good.jsonl.gz');
      await backupDatabase(source, good);
      await restoreDatabase(target.db, good);
      before = await snapshot(target.db);
    });
    const write = (name: string, content: Buffer | string) => {
      const f = path.join(dir, name);
      fs.writeFileSync(f, content);
      return f;
    };
    const lines = () => gunzipSync(fs.readFileSync(good)).toString('utf8').trimEnd().split('\n');
    const gz = (ls: string[]) => gzipSync(Buffer.from(`${ls.join('\n')}\n`));

    const cases: [string, () => string, RegExp][] = [
      ['a missing file', () => path.join(dir, 'nope.gz'), /no such file/],
      ['random bytes', () => write('random.gz', Buffer.from('this is not gzip at all, just text')), /not a Convene backup/],
      ['gzip of something else', () => write('other.gz', gzipSync('{"hello": "world"}\n1,2,3\n')), /not a Convene backup/],
      ['a truncated backup', () => {
        const bytes = fs.readFileSync(good);
        return write('truncated.gz', bytes.subarray(0, Math.floor(bytes.length * 0.6)));
      }, /damaged|incomplete/],
      ['a backup missing its end', () => write('noend.gz', gz(lines().slice(0, -1))), /incomplete/],
      ['a broken row in the last table', () => {
        const ls = lines();
        // the file's last row, after other tables' rows went in
        const i = ls.findLastIndex((l, n) => n > 0 && !l.startsWith('{"table"') && !l.startsWith('{"end"'));
        expect(ls.slice(1, i).filter((l) => !l.startsWith('{"table"')).length).toBeGreaterThan(0);
        ls[i] = '{"id": "broken", ';
        return write('broken-row.gz', gz(ls));
      }, /failed, nothing was changed/],
      ['a backup from a newer Convene', () => {
        const ls = lines();
        const h = JSON.parse(ls[0]!);
        h.migrations.push('f'.repeat(64));
        ls[0] = JSON.stringify(h);
        return write('newer.gz', gz(ls));
      }, /newer Convene.*Upgrade Convene/s],
      ['an unknown format version', () => {
        const ls = lines();
        ls[0] = JSON.stringify({ ...JSON.parse(ls[0]!), version: 99 });
        return write('v99.gz', gz(ls));
      }, /format version 99/],
    ];
    for (const [what, make, message] of cases) {
      it(what, async () => {
        const file = make();
        const err = await restoreDatabase(target.db, file).then(
          () => null,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(BackupError);
        expect((err as Error).message).toMatch(message);
        expect(await snapshot(target.db)).toEqual(before);
      });
    }
  });
});

declare module '../../src/server/jobs/jobs.ts' {
  interface JobPayloads {
    'test.before-restore': Record<string, never>;
  }
}
