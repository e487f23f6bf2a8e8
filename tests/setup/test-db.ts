import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/server/db/client.ts';
import { withDatabase } from './global-setup.ts';

/** A migrated, empty database of its own: a PGlite copy of the template, or a PostgreSQL database made from it. */
export async function freshDatabase(): Promise<Database> {
  const t = inject('testDb');
  if (t.kind === 'pglite') {
    const buf = fs.readFileSync(t.templateFile);
    return openDatabase({ kind: 'pglite', loadDataDir: new Blob([buf]) });
  }
  const name = `convene_t_${t.templateName.split('_').pop()}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: t.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${t.templateName}`);
  await admin.end();
  const database = await openDatabase({ kind: 'postgres', url: withDatabase(t.url, name), max: 4 });
  return {
    ...database,
    close: async () => {
      await database.close();
      const a = new pg.Client({ connectionString: t.url });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
