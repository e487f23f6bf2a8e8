import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type Database } from './client.ts';

// Database.quiet on the embedded database: long background work waits for it between transactions, so that a
// request's queries go first. It resolves only after the queries in flight have ended (or at its limit).

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-quiet-'));
let database: Database;
beforeAll(async () => {
  database = await openDatabase({ kind: 'pglite', dataDir: dir });
}, 60_000);
afterAll(async () => {
  await database?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('waits for the queries and transactions in flight to end', async () => {
  let queryDone = false;
  let txDone = false;
  const query = database.db.execute(sql`SELECT pg_sleep(0.2)`).then(() => (queryDone = true));
  const tx = database.db.transaction(async (t) => {
    await t.execute(sql`SELECT pg_sleep(0.2)`);
    txDone = true;
  });
  await database.quiet(60_000);
  expect(queryDone).toBe(true);
  expect(txDone).toBe(true);
  await Promise.all([query, tx]);
});

it('gives up at its limit while others keep the database busy', async () => {
  let stop = false;
  // one query after another, each arriving as requests do (from the event loop, not in the same microtask run)
  const busy = (async () => {
    while (!stop) {
      await database.db.execute(sql`SELECT pg_sleep(0.01)`);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  })();
  await database.quiet(100); // resolves although the database never rests
  stop = true;
  await busy;
});
