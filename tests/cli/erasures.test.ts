import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.ts';
import { loadConfig } from '../../src/server/config.ts';
import { openDatabase } from '../../src/server/db/client.ts';
import { createUserWithPassword } from '../../src/server/features/accounts/accounts.service.ts';
import { dumpDatabase, findIn, needlesOf } from '../setup/erasure-scan.ts';
import { tempDataDir } from '../setup/server-process.ts';
import { ORIGIN, PASSWORD, TestClient } from '../setup/test-app.ts';

// The real `convene` command: `restore` of a backup made before an erasure re-applies it; `erasures list --json`
// writes the list to keep beside the backups; `erasures reapply FILE` applies it to a database restored without it.

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/convene.mjs');

type Result = { code: number | null; stdout: string; stderr: string };
function convene(args: string[], dataDir: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, CONVENE_DATA_DIR: dataDir, DATABASE_URL: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end('');
  });
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
function newDir() {
  const d = tempDataDir('convene-erasures-cli-');
  dirs.push(d);
  return d;
}

/** Opens the data folder as the server would, runs `fn` with a signed-in administrator, closes it. */
async function withApp<T>(dataDir: string, fn: (client: TestClient, db: import('../../src/server/db/client.ts').Db) => Promise<T>): Promise<T> {
  const database = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
  try {
    await database.migrate();
    const config = { ...loadConfig({ PUBLIC_URL: ORIGIN, LOG_LEVEL: 'silent' }), signInRateLimit: 1000 };
    const { app } = await createApp({ db: database.db, kind: 'pglite', config });
    const email = `admin-${Math.random().toString(36).slice(2, 8)}@example.org`;
    await createUserWithPassword(database.db, { name: 'Admin', email, password: PASSWORD, role: 'admin', locale: 'en', timeZone: 'UTC' });
    const client = new TestClient(app);
    expect((await client.post('/api/auth/sign-in/email', { email, password: PASSWORD })).status).toBe(200);
    return await fn(client, database.db);
  } finally {
    await database.close();
  }
}

const N = { latin: 'Oswin Pelltrakker', hebrew: 'אוסווין פלטרקר', arabic: 'أوسوين بلتراكر', email: 'oswin.pelltrakker@example.org' };
const needles = needlesOf(Object.values(N));

describe('convene erasures', { timeout: 300_000 }, () => {
  it('restore re-applies erasures; list --json and reapply FILE cover a database restored without them', async () => {
    const dataDir = newDir();
    const files = newDir();
    const backup = path.join(files, 'before.jsonl.gz');
    const listFile = path.join(files, 'erasures.jsonl');

    const personId = await withApp(dataDir, async (c) => {
      const res = await c.post('/api/people', { names: [{ name: N.latin }, { name: N.hebrew, kind: 'alternate' }, { name: N.arabic, kind: 'alternate' }], contacts: [{ kind: 'email', value: N.email }] });
      expect(res.status).toBe(201);
      return ((await res.json()) as { id: string }).id;
    });
    expect((await convene(['backup', backup], dataDir)).code).toBe(0);
    const tombstone = await withApp(dataDir, async (c) => {
      const res = await c.post(`/api/people/${personId}/erasure`, { confirmName: N.latin });
      expect(res.status).toBe(200);
      return ((await res.json()) as { erasure: { tombstone: string } }).erasure.tombstone;
    });

    const list = await convene(['erasures', 'list', '--json'], dataDir);
    expect(list.stderr).toBe('');
    expect(list.code).toBe(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ recordType: 'person', recordId: personId, tombstone });
    expect(needles.filter((n) => list.stdout.toLowerCase().includes(n))).toEqual([]);
    fs.writeFileSync(listFile, list.stdout);

    // restoring the older backup here: the erasure is applied again in the same transaction
    const restored = await convene(['restore', backup, '--yes'], dataDir);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain('Erasures re-applied: 1; already erased: 0; records not in the database: 0.');
    await withApp(dataDir, async (c, db) => {
      expect(findIn(await dumpDatabase(db), needles)).toEqual([]);
      expect(((await (await c.get(`/api/people/${personId}`)).json()) as { displayName: string }).displayName).toBe(tombstone);
    });

    // a fresh install restored from the same backup holds the person again, until the kept list is re-applied
    const other = newDir();
    expect((await convene(['restore', backup, '--yes'], other)).stdout).not.toContain('Erasures re-applied');
    await withApp(other, async (_c, db) => expect(findIn(await dumpDatabase(db), needles).length).toBeGreaterThan(0));
    const reapplied = await convene(['erasures', 'reapply', listFile], other);
    expect(reapplied.stderr).toBe('');
    expect(reapplied.stdout).toContain('Erasures re-applied: 1;');
    await withApp(other, async (_c, db) => expect(findIn(await dumpDatabase(db), needles)).toEqual([]));
    expect((await convene(['erasures', 'reapply'], other)).stdout).toContain('Erasures re-applied: 0; already erased: 1;');

    const bad = path.join(files, 'bad.jsonl');
    fs.writeFileSync(bad, '{"id": "nope"}\n');
    const refused = await convene(['erasures', 'reapply', bad], other);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('entry 1: not an erasure');
  });
});
