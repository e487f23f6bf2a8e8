import fs from 'node:fs';
import path from 'node:path';
import { type SQL, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { paths } from '../paths.ts';

// Whether the database lacks a migration of this version, decided as Drizzle's migrator decides it (a migration is
// applied when the newest row of drizzle.__drizzle_migrations is at least as recent as the migration's folder time),
// but from the journal alone: the migrator reads and hashes every migration file, creates its schema and table if
// missing and opens a transaction, at every start of the server and of every `convene` command (~70 ms on the
// embedded database). Started on an up-to-date database, the server skips all of that.

let newestMigration: number | undefined;

/** the newest migration's folder time (`when` in drizzle/meta/_journal.json), read once */
function newestInJournal(): number {
  if (newestMigration === undefined) {
    const journal = JSON.parse(fs.readFileSync(path.join(paths.migrations, 'meta/_journal.json'), 'utf8')) as { entries: { when: number }[] };
    newestMigration = Math.max(...journal.entries.map((e) => e.when));
  }
  return newestMigration;
}

type AnyDb = PgDatabase<PgQueryResultHKT, Record<string, unknown>>;

/** rows of a raw query, whichever driver answers (as client.ts's rows(), which imports this file) */
async function rows<T>(db: AnyDb, query: SQL): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows?: T[] } | T[];
  return Array.isArray(res) ? res : (res.rows ?? []);
}

export async function migrationsPending(db: AnyDb): Promise<boolean> {
  const [table] = await rows<{ present: boolean }>(db, sql`SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS present`);
  if (!table?.present) return true;
  const [last] = await rows<{ created_at: string | number | null }>(db, sql`SELECT created_at FROM drizzle.__drizzle_migrations ORDER BY created_at DESC LIMIT 1`);
  return last?.created_at == null || Number(last.created_at) < newestInJournal();
}
