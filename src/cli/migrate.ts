import fs from 'node:fs';
import path from 'node:path';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { appliedMigrations } from '../server/db/backup.ts';
import { migrationsFolder, type Database } from '../server/db/client.ts';

/** Runs the pending migrations and returns the names of those it applied (empty: all were already). */
export async function migrateWithReport(database: Database): Promise<string[]> {
  const before = new Set(await appliedMigrations(database.db));
  await database.migrate();
  const after = new Set(await appliedMigrations(database.db));
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  // readMigrationFiles reads the journal in order, so its n-th migration is the journal's n-th entry
  return readMigrationFiles({ migrationsFolder })
    .map((m, i) => ({ hash: m.hash, tag: journal.entries[i]?.tag ?? m.hash.slice(0, 12) }))
    .filter((m) => after.has(m.hash) && !before.has(m.hash))
    .map((m) => m.tag);
}

export function describeMigrations(applied: string[]): string {
  if (applied.length === 0) return 'All migrations were already applied; nothing to do.';
  return `Applied ${applied.length} migration${applied.length === 1 ? '' : 's'}:\n${applied.map((t) => `  ${t}`).join('\n')}`;
}
