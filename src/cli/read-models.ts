import { sql } from 'drizzle-orm';
import type { Config } from '../server/config.ts';
import { rows } from '../server/db/client.ts';
import { READ_MODELS } from '../server/read-models/registry.ts';
import { describeMigrations, migrateWithReport } from './migrate.ts';
import { openForCommand } from './open-database.ts';

/**
 * `convene rebuild-read-models`: applies src/server/read-models/ again and rebuilds every read model from the
 * application's tables, in one transaction (pending migrations first). On the embedded database it refuses while a
 * server holds the data folder; on PostgreSQL, running servers wait for it (the tables it follows are locked until it
 * commits).
 */
export async function rebuildReadModelsCommand(config: Config): Promise<void> {
  const database = await openForCommand(config);
  try {
    console.log(`Rebuilding the read models of ${database.where}.`);
    const { migrations, readModels } = await migrateWithReport(database, { rebuildReadModels: true });
    if (migrations.length > 0) console.log(describeMigrations(migrations));
    const width = Math.max(...READ_MODELS.map((m) => m.key.length));
    const lines: string[] = [];
    for (const m of READ_MODELS.filter((r) => readModels.rebuilt.includes(r.key))) {
      const tables = m.keeps.filter((k) => k.startsWith('read_model.'));
      const counts: string[] = [];
      for (const t of tables) {
        const [c] = await rows<{ n: string }>(database.db, sql`SELECT count(*)::text AS n FROM ${sql.raw(t)}`);
        counts.push(`${t} ${Number(c!.n).toLocaleString('en')} rows`);
      }
      lines.push(`  ${m.key.padEnd(width)}  ${counts.length ? counts.join(', ') : m.keeps.join(', ')}`);
    }
    console.log(`Applied src/server/read-models/ and rebuilt ${readModels.rebuilt.length} read models from the tables in ${(readModels.ms / 1000).toFixed(1)} s:`);
    console.log(lines.join('\n'));
  } finally {
    await database.close();
  }
}
