import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { backupDatabase, restoreDatabase } from '../db/backup.ts';
import { migrationsFolder, openDatabase, rows, type Db } from '../db/client.ts';
import { createUserWithPassword } from '../features/accounts/accounts.service.ts';
import { applyReadModels, readModelsFolder, rebuildReadModels } from './apply.ts';
import { handlerOf, READ_MODELS, SHARED_FILES } from './registry.ts';
import { followedTables } from './wiring.ts';
import { withDatabase } from '../../../tests/setup/global-setup.ts';
import { buildDerivedWorld, readModelSnapshot } from '../../../tests/setup/read-models.ts';
import { tempDataDir } from '../../../tests/setup/server-process.ts';
import { createTestApp } from '../../../tests/setup/test-app.ts';
import { freshDatabase } from '../../../tests/setup/test-db.ts';

// Derived data's home (src/server/read-models/, docs/architecture.md "Derived data"): the files and the registry are the
// only definition, applied after the migrations behind a hash; `convene rebuild-read-models` rebuilds everything from
// the tables and must find what the triggers left; a restore rebuilds from the restored rows.

const t = await createTestApp();
const staff = await t.signedIn('staff');
const other = await t.signedIn('staff');
await buildDerivedWorld(t.db, { staff: staff.user.id, other: other.user.id });
const dir = tempDataDir('convene-read-models-test-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const original = (file: string) => fs.readFileSync(path.join(readModelsFolder, file), 'utf8');
/** the files as they are, but for one */
const changing = (file: string, change: (text: string) => string) => (f: string) => (f === file ? change(original(f)) : original(f));

async function generation(db: Db) {
  const [s] = await rows<{ g: string }>(db, sql`SELECT generation::text AS g FROM read_model.search_state`);
  return Number(s!.g);
}

/** What the database defines for derived data: every read_model function, every trigger, the read_model tables' columns. */
async function catalog(db: Db) {
  const functions = await rows<{ d: string }>(
    db,
    sql`SELECT pg_get_functiondef(p.oid) AS d FROM pg_proc p WHERE p.pronamespace = 'read_model'::regnamespace ORDER BY 1`,
  );
  const triggers = await rows<{ d: string }>(db, sql`SELECT pg_get_triggerdef(oid) AS d FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1`);
  const columns = await rows<{ c: string }>(
    db,
    sql`SELECT table_name || '.' || column_name || ' ' || data_type AS c FROM information_schema.columns WHERE table_schema = 'read_model' ORDER BY 1`,
  );
  return { functions: functions.map((r) => r.d), triggers: triggers.map((r) => r.d), columns: columns.map((r) => r.c) };
}

describe('derived data, applied from src/server/read-models/', () => {
  it('convene rebuild-read-models (rebuildReadModels) finds every read model as the triggers left it', async () => {
    const kept = await readModelSnapshot(t.db);
    // every read model has something to compare
    for (const [table, found] of Object.entries(kept)) expect(found.length, table).toBeGreaterThan(0);
    const before = await generation(t.db);
    const result = await rebuildReadModels(t.db);
    expect(result).toMatchObject({ applied: true, rebuilt: READ_MODELS.map((m) => m.key) });
    expect(await readModelSnapshot(t.db)).toEqual(kept);
    // every server's search index is told to read the tables again
    expect(await generation(t.db)).toBe(before + 1);
  });

  it('applying the files twice changes nothing: the same rows, functions, triggers and columns', async () => {
    const before = { rows: await readModelSnapshot(t.db), catalog: await catalog(t.db) };
    await applyReadModels(t.db, { force: true });
    const once = { rows: await readModelSnapshot(t.db), catalog: await catalog(t.db) };
    await applyReadModels(t.db, { force: true });
    expect(once).toEqual(before);
    expect({ rows: await readModelSnapshot(t.db), catalog: await catalog(t.db) }).toEqual(once);
    // and when the database holds them already, applying does nothing at all
    expect(await applyReadModels(t.db)).toMatchObject({ applied: false, rebuilt: [] });
  });

  it('a changed file is applied at start: its read model and those that depend on it are rebuilt, its table follows the file', async () => {
    const kept = await readModelSnapshot(t.db);
    await t.db.execute(sql`UPDATE read_model.dialogue_votes SET votes = votes + 40`);
    const added = changing('dialogue-votes.sql', (s) => s.replace('votes bigint NOT NULL DEFAULT 0', 'votes bigint NOT NULL DEFAULT 0,\n  counted_at timestamptz'));
    expect(await applyReadModels(t.db, { read: added })).toMatchObject({ applied: true, rebuilt: ['dialogue_votes'] });
    const parsed = (xs: string[] | undefined) => (xs ?? []).map((j) => JSON.parse(j) as Record<string, unknown>);
    expect(parsed((await readModelSnapshot(t.db))['read_model.dialogue_votes'])).toEqual(
      parsed(kept['read_model.dialogue_votes']).map((r) => ({ ...r, counted_at: null })),
    );
    expect((await catalog(t.db)).columns).toContain('dialogue_votes.counted_at timestamp with time zone');

    // the server starts with the files as they are: the hash differs again, the file is applied, the column goes
    const { readModels } = await t.database.migrate();
    expect(readModels).toMatchObject({ applied: true, rebuilt: ['dialogue_votes'] });
    expect((await catalog(t.db)).columns).not.toContain('dialogue_votes.counted_at timestamp with time zone');
    expect(await readModelSnapshot(t.db)).toEqual(kept);

    // a model that others read: they are rebuilt after it; a function a file no longer defines does not linger
    const extra = changing('organisation-card.sql', (s) => `${s}\nCREATE FUNCTION read_model.left_behind() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n`);
    expect(await applyReadModels(t.db, { read: extra })).toMatchObject({ rebuilt: ['organisation_card', 'member_health'] });
    expect((await catalog(t.db)).functions.some((f) => f.includes('read_model.left_behind()'))).toBe(true);
    expect((await t.database.migrate()).readModels.rebuilt).toEqual(['organisation_card', 'member_health']);
    expect((await catalog(t.db)).functions.some((f) => f.includes('read_model.left_behind()'))).toBe(false);

    // what every read model shares: all of them
    const shared = changing(SHARED_FILES[0]!, (s) => `${s}\n-- a comment changes the hash too\n`);
    expect((await applyReadModels(t.db, { read: shared })).rebuilt).toEqual(READ_MODELS.map((m) => m.key));
    expect((await t.database.migrate()).readModels.rebuilt).toEqual(READ_MODELS.map((m) => m.key));
    expect(await readModelSnapshot(t.db)).toEqual(kept);

    // a file that fails leaves everything as it was (one transaction)
    const broken = changing('dialogue-votes.sql', (s) => `${s}\nSELECT no_such_function();\n`);
    await expect(applyReadModels(t.db, { read: broken })).rejects.toThrow(/dialogue-votes\.sql, the statement at line \d+: .*no_such_function/);
    expect(await applyReadModels(t.db)).toMatchObject({ applied: false });
    expect(await readModelSnapshot(t.db)).toEqual(kept);
  });

  it('the registry names every file, read model table, function and statement trigger of derived data', async () => {
    const files = fs.readdirSync(readModelsFolder).filter((f) => f.endsWith('.sql'));
    expect(files.sort()).toEqual([...SHARED_FILES, ...READ_MODELS.map((m) => m.file)].sort());
    // read models come after the ones they read
    for (const [i, m] of READ_MODELS.entries()) for (const d of m.dependsOn) expect(READ_MODELS.findIndex((x) => x.key === d), `${m.key} after ${d}`).toBeLessThan(i);

    const tables = await rows<{ t: string }>(t.db, sql`SELECT 'read_model.' || tablename AS t FROM pg_tables WHERE schemaname = 'read_model' ORDER BY 1`);
    const byMigrations = ['read_model.applied', 'read_model.search_change', 'read_model.search_state', 'read_model.state'];
    expect(tables.map((r) => r.t)).toEqual([...READ_MODELS.flatMap((m) => m.owns), ...byMigrations].sort());

    const functions = new Set(
      (await rows<{ f: string }>(t.db, sql`SELECT 'read_model.' || proname AS f FROM pg_proc WHERE pronamespace = 'read_model'::regnamespace`)).map((r) => r.f),
    );
    for (const m of READ_MODELS) {
      expect(functions, m.rebuild).toContain(m.rebuild);
      for (const f of m.follows) expect(functions, `${m.key} follows ${f.table}`).toContain(handlerOf(m, f));
    }

    // one statement trigger per table and event for derived data, calling read_model.after_<table>: no order rests on a name
    const statementTriggers = await rows<{ tbl: string; name: string; fn: string; events: number }>(
      t.db,
      sql`SELECT CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END AS tbl, tg.tgname AS name,
          tg.tgfoid::regproc::text AS fn, (tg.tgtype & 28)::int AS events
        FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE NOT tg.tgisinternal AND tg.tgtype & 1 = 0 AND tg.tgtype & 2 = 0 AND tg.tgtype & 32 = 0 AND tg.tgconstraint = 0`,
    );
    const followed = followedTables();
    for (const r of statementTriggers) {
      expect(followed.has(r.tbl), `${r.tbl} ${r.name}`).toBe(true);
      expect(r.fn).toBe(`read_model.after_${r.tbl.replace(/^read_model\./, '')}`);
      // one event each (INSERT 4, DELETE 8, UPDATE 16)
      expect([4, 8, 16]).toContain(r.events);
    }
    for (const [table, calls] of followed) {
      const events = new Set(calls.flatMap((c) => c.events));
      const found = statementTriggers.filter((r) => r.tbl === table);
      expect(found.map((r) => r.events).sort(), table).toEqual([...events].map((e) => ({ INSERT: 4, DELETE: 8, UPDATE: 16 })[e]).sort());
    }
  });

  it('no migration defines derived data any more; the audit log guard (a constraint) is the only trigger in them', () => {
    for (const m of fs.readdirSync(migrationsFolder).filter((f) => f.endsWith('.sql'))) {
      const text = fs.readFileSync(path.join(migrationsFolder, m), 'utf8').replace(/--[^\n]*/g, '');
      const defined = [...text.matchAll(/CREATE\s+(?:OR\s+REPLACE\s+)?(?:CONSTRAINT\s+)?(TRIGGER|FUNCTION)\s+([\w."]+)/gi)].map((x) => x[2]);
      expect(
        defined.every((name) => name === 'audit_entry_append_only' || name === 'audit_entry_append_only()'),
        `${m}: ${defined.join(', ')}`,
      ).toBe(true);
    }
  });

  it('a restore rebuilds the read models from the restored rows', async () => {
    const file = path.join(dir, 'derived.jsonl.gz');
    await backupDatabase(t.db, file);
    const target = await freshDatabase();
    try {
      await target.migrate();
      await restoreDatabase(target.db, file);
      const restored = await readModelSnapshot(target.db);
      expect(restored).toEqual(await readModelSnapshot(t.db));
      const [state] = await rows<{ pending: boolean }>(target.db, sql`SELECT rebuild_pending AS pending FROM read_model.state`);
      expect(state!.pending).toBe(false);
    } finally {
      await target.close();
    }
  });

  it('a backup made by a database migrated before the read models moved out of the migrations still restores', async () => {
    const file = path.join(dir, 'older.jsonl.gz');
    await backupDatabase(t.db, file);
    // such a database recorded the first hash of each rewritten migration: 0005 stands for them here
    const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
    const now0005 = readMigrationFiles({ migrationsFolder })[journal.entries.findIndex((e) => e.tag === '0005_network_read_models')]!.hash;
    const lines = gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n');
    const header = JSON.parse(lines[0]!) as { migrations: string[] };
    expect(header.migrations).toContain(now0005);
    header.migrations = header.migrations.map((h) => (h === now0005 ? '10537039876a23e1818873331b9fd36c6ab7fb6b06f348fb0589e292bfe11e23' : h));
    lines[0] = JSON.stringify(header);
    const older = path.join(dir, 'older-hashes.jsonl.gz');
    fs.writeFileSync(older, gzipSync(lines.join('\n')));
    const target = await freshDatabase();
    try {
      await target.migrate();
      await restoreDatabase(target.db, older);
      expect(await readModelSnapshot(target.db)).toEqual(await readModelSnapshot(t.db));
      // a hash no migration here ever had is still refused
      header.migrations.push('f'.repeat(64));
      lines[0] = JSON.stringify(header);
      fs.writeFileSync(older, gzipSync(lines.join('\n')));
      await expect(restoreDatabase(target.db, older)).rejects.toThrow(/newer Convene/);
    } finally {
      await target.close();
    }
  });

  // Two servers need two connections to one database: PostgreSQL only.
  if (t.database.kind === 'postgres') {
    it('two servers starting at once on one PostgreSQL apply the files once', async () => {
      const testDb = inject('testDb');
      if (testDb.kind !== 'postgres') throw new Error('PostgreSQL expected');
      const name = `convene_t_${testDb.templateName.split('_').pop()}_${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: testDb.url });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${testDb.templateName}`);
      const url = withDatabase(testDb.url, name);
      const servers = [await openDatabase({ kind: 'postgres', url, max: 2 }), await openDatabase({ kind: 'postgres', url, max: 2 })];
      try {
        const [first] = servers;
        const user = (n: number) => createUserWithPassword(first!.db, { name: `Staff ${n}`, email: `staff${n}@example.org`, password: 'a long enough password', role: 'staff', locale: 'en', timeZone: 'UTC' });
        await buildDerivedWorld(first!.db, { staff: (await user(1)).id, other: (await user(2)).id });
        // as after an upgrade that changed every file
        await first!.db.execute(sql`DELETE FROM read_model.applied`);
        const results = await Promise.all(servers.map((s) => s.migrate()));
        expect(results.map((r) => r.readModels.applied).sort()).toEqual([false, true]);
        const [stored] = await rows<{ n: number }>(first!.db, sql`SELECT count(*)::int AS n FROM read_model.applied`);
        expect(stored!.n).toBe(READ_MODELS.length + 1);
        const kept = await readModelSnapshot(first!.db);
        await rebuildReadModels(first!.db);
        expect(await readModelSnapshot(first!.db)).toEqual(kept);
      } finally {
        for (const s of servers) await s.close();
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      }
    });
  }
});
