import fs from 'node:fs';
import path from 'node:path';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { appliedMigrations } from '../server/db/backup.ts';
import { migrationsFolder, type Database } from '../server/db/client.ts';
import type { ApplyResult } from '../server/read-models/apply.ts';

/**
 * Runs the pending migrations (then the read models' SQL where it changed, or all of it with `rebuildReadModels`) and
 * returns the names of the migrations it applied (empty: all were already) and what it did to the read models.
 */
export async function migrateWithReport(
  database: Database,
  opts: { rebuildReadModels?: boolean } = {},
): Promise<{ migrations: string[]; readModels: ApplyResult }> {
  const before = new Set(await appliedMigrations(database.db));
  const { readModels } = await database.migrate(opts);
  const after = new Set(await appliedMigrations(database.db));
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  // readMigrationFiles reads the journal in order, so its n-th migration is the journal's n-th entry
  const migrations = readMigrationFiles({ migrationsFolder })
    .map((m, i) => ({ hash: m.hash, tag: journal.entries[i]?.tag ?? m.hash.slice(0, 12) }))
    .filter((m) => after.has(m.hash) && !before.has(m.hash))
    .map((m) => m.tag);
  return { migrations, readModels };
}

export function describeMigrations(applied: string[]): string {
  if (applied.length === 0) return 'All migrations were already applied; nothing to do.';
  return `Applied ${applied.length} migration${applied.length === 1 ? '' : 's'}:\n${applied.map((t) => `  ${t}`).join('\n')}`;
}

/** What applying the read models' SQL did, or nothing when there was nothing to do. */
export function describeReadModels(r: ApplyResult): string | undefined {
  if (!r.applied) return undefined;
  return `Applied src/server/read-models/ and rebuilt ${r.rebuilt.length ? r.rebuilt.join(', ') : 'nothing'} (${(r.ms / 1000).toFixed(1)} s).`;
}
