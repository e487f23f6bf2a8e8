import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { installJobQueues } from '../../src/server/app.ts';
import { openDatabase } from '../../src/server/db/client.ts';
import { ensureServerBuild } from './server-process.ts';

/**
 * Builds dist/server when stale. Migrates one database per run and hands its location to the test files, which each copy it:
 * a PGlite data-folder dump, or (TEST_DATABASE_URL set) a PostgreSQL template database.
 */
export default async function setup(project: TestProject) {
  // the process and command tests run the built server and command: build them once, before the files run in parallel
  ensureServerBuild();
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const templateName = `convene_tpl_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${templateName}`);
    await admin.query(`CREATE DATABASE ${templateName}`);
    const templateUrl = withDatabase(url, templateName);
    const database = await openDatabase({ kind: 'postgres', url: templateUrl, max: 1 });
    await database.migrate();
    await installJobQueues(database.db, database.kind);
    await database.close();
    project.provide('testDb', { kind: 'postgres', url, templateName });
    return async () => {
      // test files drop their own copies; remove what is left and the template
      const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'convene_t_${process.pid}_%'`);
      for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
      await admin.query(`DROP DATABASE IF EXISTS ${templateName} WITH (FORCE)`);
      await admin.end();
    };
  }
  const database = await openDatabase({ kind: 'pglite' });
  await database.migrate();
  // the background jobs' tables and queues, as the app's first start makes them (0.4 s less per test file)
  await installJobQueues(database.db, database.kind);
  const dump = await (database as unknown as { pglite: { dumpDataDir(c: 'none'): Promise<Blob> } }).pglite.dumpDataDir('none');
  await database.close();
  const dir = path.resolve('.test-tmp');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `template-${process.pid}.tar`);
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('testDb', { kind: 'pglite', templateFile: file });
  return () => fs.rmSync(file, { force: true });
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

declare module 'vitest' {
  export interface ProvidedContext {
    testDb: { kind: 'pglite'; templateFile: string } | { kind: 'postgres'; url: string; templateName: string };
  }
}
