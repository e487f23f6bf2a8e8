import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, expect, inject, it } from 'vitest';
import { openDatabase, rows } from './client.ts';

// `convene dialogue analyze` opens the embedded database with smaller shared buffers: for that process only. The
// data folder keeps its configuration, so the server started next has PGlite's default again.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-buffers-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const sharedBuffers = async (database: Awaited<ReturnType<typeof openDatabase>>) =>
  (await rows<{ shared_buffers: string }>(database.db, sql`SHOW shared_buffers`))[0]!.shared_buffers;

it('sets shared_buffers for the process that asks, and leaves the data folder as it was', { timeout: 60_000 }, async () => {
  const t = inject('testDb');
  const template = t.kind === 'pglite' ? new Blob([fs.readFileSync(t.templateFile)]) : undefined;
  const first = await openDatabase({ kind: 'pglite', dataDir: dir, loadDataDir: template });
  await first.migrate();
  const byDefault = await sharedBuffers(first);
  await first.close();
  const conf = fs.readFileSync(path.join(dir, 'postgresql.conf'), 'utf8');

  const small = await openDatabase({ kind: 'pglite', dataDir: dir, sharedBuffers: '16MB' });
  expect(await sharedBuffers(small)).toBe('16MB');
  await small.close();
  expect(fs.readFileSync(path.join(dir, 'postgresql.conf'), 'utf8')).toBe(conf);

  const again = await openDatabase({ kind: 'pglite', dataDir: dir });
  expect(byDefault).not.toBe('16MB');
  expect(await sharedBuffers(again)).toBe(byDefault);
  await again.close();
});
