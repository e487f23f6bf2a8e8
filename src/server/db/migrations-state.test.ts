import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../tests/setup/test-db.ts';
import { rows, type Database } from './client.ts';
import { migrationsPending } from './migrations-state.ts';
import { paths } from '../paths.ts';

// The shortcut a start takes on an up-to-date database must see every case in which Drizzle's migrator would apply
// something: no migrations table at all, and a newest applied migration older than this version's newest.

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await database?.close();
});

const journal = JSON.parse(fs.readFileSync(path.join(paths.migrations, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string; when: number }[] };

describe('migrationsPending', () => {
  it('is false on a database holding every migration of the journal', async () => {
    const [applied] = await rows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`);
    expect(applied!.n).toBe(journal.entries.length);
    expect(await migrationsPending(database.db)).toBe(false);
  });

  it('is true when the newest migration is missing, and false again once it is recorded', async () => {
    const [newest] = await rows<{ id: number; hash: string; created_at: string }>(
      database.db,
      sql`SELECT id, hash, created_at FROM drizzle.__drizzle_migrations ORDER BY created_at DESC LIMIT 1`,
    );
    expect(Number(newest!.created_at)).toBe(Math.max(...journal.entries.map((e) => e.when)));
    await database.db.execute(sql`DELETE FROM drizzle.__drizzle_migrations WHERE id = ${newest!.id}`);
    expect(await migrationsPending(database.db)).toBe(true);
    // an older migration's row alone is older than the journal's newest: still pending
    await database.db.execute(sql`INSERT INTO drizzle.__drizzle_migrations (id, hash, created_at) VALUES (${newest!.id}, ${newest!.hash}, ${Number(newest!.created_at) - 1})`);
    expect(await migrationsPending(database.db)).toBe(true);
    await database.db.execute(sql`UPDATE drizzle.__drizzle_migrations SET created_at = ${newest!.created_at} WHERE id = ${newest!.id}`);
    expect(await migrationsPending(database.db)).toBe(false);
  });

  it('is true on a database without the migrations table (never migrated)', async () => {
    await database.db.execute(sql`ALTER SCHEMA drizzle RENAME TO drizzle_elsewhere`);
    try {
      expect(await migrationsPending(database.db)).toBe(true);
    } finally {
      await database.db.execute(sql`ALTER SCHEMA drizzle_elsewhere RENAME TO drizzle`);
    }
    expect(await migrationsPending(database.db)).toBe(false);
  });
});
