import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, rows } from '../../src/server/db/client.ts';
import { acquireDataDirLock } from '../../src/server/db/lock.ts';
import { createUserWithPassword } from '../../src/server/features/accounts/accounts.service.ts';
import { READ_MODELS } from '../../src/server/read-models/registry.ts';
import { buildDerivedWorld, readModelSnapshot } from '../setup/read-models.ts';
import { tempDataDir } from '../setup/server-process.ts';

// The real `npx convene rebuild-read-models`, on an embedded data folder as a server leaves it: it refuses while a
// server holds the folder, and otherwise rebuilds every read model to exactly what the triggers had left.

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/convene.mjs');
const dataDir = tempDataDir('convene-rebuild-read-models-');
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function convene(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: root,
      env: { ...process.env, CONVENE_DATA_DIR: dataDir, DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const open = () => openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
let kept: Record<string, string[]>;

beforeAll(async () => {
  const d = await open();
  try {
    await d.migrate();
    const user = (n: number) =>
      createUserWithPassword(d.db, { name: `Staff ${n}`, email: `staff${n}@example.org`, password: 'a long enough password', role: 'staff', locale: 'en', timeZone: 'UTC' });
    await buildDerivedWorld(d.db, { staff: (await user(1)).id, other: (await user(2)).id });
    kept = await readModelSnapshot(d.db);
  } finally {
    await d.close();
  }
}, 120_000);

describe('convene rebuild-read-models', { timeout: 120_000 }, () => {
  it('explains itself', async () => {
    const help = await convene(['rebuild-read-models', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: convene rebuild-read-models');
    expect((await convene(['--help'])).stdout).toMatch(/rebuild-read-models\s+rebuild the derived data/);
  });

  it('refuses the data folder while a server holds it', async () => {
    const release = acquireDataDirLock(dataDir);
    try {
      const r = await convene(['rebuild-read-models']);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(`A Convene server (process ${process.pid}) is using the data folder`);
      expect(r.stderr).toContain('stop the server first');
    } finally {
      release();
    }
  });

  it('rebuilds every read model from the tables, to what the triggers had left', async () => {
    const r = await convene(['rebuild-read-models']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Rebuilding the read models of the embedded database in ${dataDir}.`);
    expect(r.stdout).toMatch(new RegExp(`rebuilt ${READ_MODELS.length} read models from the tables in [\\d.]+ s:`));
    for (const m of READ_MODELS) expect(r.stdout).toContain(m.key);
    expect(r.stdout).toMatch(/read_model\.dialogue_votes 1 rows/);

    const d = await open();
    try {
      expect(await readModelSnapshot(d.db)).toEqual(kept);
      const [applied] = await rows<{ n: number }>(d.db, sql`SELECT count(*)::int AS n FROM read_model.applied`);
      expect(applied!.n).toBe(READ_MODELS.length + 1);
      // and the next start finds nothing to apply
      expect((await d.migrate()).readModels.applied).toBe(false);
    } finally {
      await d.close();
    }
  });
});
