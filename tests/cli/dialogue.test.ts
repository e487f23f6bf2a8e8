// `convene dialogue import-polis DIR` and `convene dialogue analyze ID --json` as an analyst runs them: the real
// command in a child process, on the embedded database, and on PostgreSQL when TEST_DATABASE_URL is set.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { adjustedRandIndex } from '../../src/server/features/dialogues/math/stats.ts';
import { parsePolisExport } from '../../src/server/features/dialogues/polis-format.ts';
import { withDatabase } from '../setup/global-setup.ts';

// each test starts the real command several times, as a process: slow on a busy two-core machine
vi.setConfig({ testTimeout: 120_000 });

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/convene.mjs');
const FIXTURES = path.join(root, 'tests/fixtures/polis');

function convene(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

async function environment(kind: 'pglite' | 'postgres'): Promise<Record<string, string>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-dialogue-cli-'));
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  if (kind === 'pglite') return { CONVENE_DATA_DIR: dir, DATABASE_URL: '' };
  const url = process.env.TEST_DATABASE_URL!;
  const name = `convene_cli_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  cleanups.push(async () => {
    const a = new pg.Client({ connectionString: url });
    await a.connect();
    await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await a.end();
  });
  return { CONVENE_DATA_DIR: dir, DATABASE_URL: withDatabase(url, name) };
}

const engines = process.env.TEST_DATABASE_URL ? (['postgres'] as const) : (['pglite'] as const);

describe.each(engines)('convene dialogue (%s)', (kind) => {
  it.each(['brexit-consensus', '15-per-hour-seattle'])('%s: import, then analyze --json matches Pol.is', async (conv) => {
    const env = await environment(kind);
    const dir = path.join(FIXTURES, conv);
    const imported = await convene(['dialogue', 'import-polis', dir], env);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const { id } = JSON.parse(imported.stdout) as { id: string };
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const analyzed = await convene(['dialogue', 'analyze', id, '--json'], env);
    expect(analyzed.code).toBe(0);
    const out = JSON.parse(analyzed.stdout) as {
      groups: { participants: string[] }[];
      statements: { sourceId: string; agree: number; disagree: number; pass: number; consensus: number | null }[];
    };
    const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
    const ref = await parsePolisExport({ comments: read('comments.csv'), votes: read('votes.csv'), participantsVotes: read('participants-votes.csv'), summary: read('summary.csv') });

    // counts: one vote per participant and statement, the latest standing, as participants-votes.csv has them
    expect(out.statements.map((s) => s.sourceId).sort()).toEqual(ref.comments.map((c) => c.sourceId).sort());
    for (const s of out.statements) {
      const cells = ref.participants!.flatMap((p) => p.votes.filter((v) => v.statementSourceId === s.sourceId));
      expect([s.agree, s.disagree, s.pass], s.sourceId).toEqual([cells.filter((v) => v.value === 1).length, cells.filter((v) => v.value === -1).length, cells.filter((v) => v.value === 0).length]);
      expect(s.consensus).toBeGreaterThan(0);
      expect(s.consensus).toBeLessThanOrEqual(1);
    }
    // groups
    expect(out.groups).toHaveLength(ref.groupCount!);
    const mine = new Map(out.groups.flatMap((g, i) => g.participants.map((p) => [p, i] as const)));
    const clustered = ref.participants!.filter((p) => p.groupId !== null);
    const ari = adjustedRandIndex(
      clustered.map((p) => p.groupId),
      clustered.map((p) => mine.get(p.sourceId) ?? -1),
    );
    expect(ari).toBeGreaterThanOrEqual(0.8);

    const readable = await convene(['dialogue', 'analyze', id], env);
    expect(readable.stdout).toMatch(/opinion groups/);
  });

  it('explains its mistakes', async () => {
    const env = await environment(kind);
    const missing = await convene(['dialogue', 'import-polis', path.join(root, 'tests/fixtures')], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/comments\.csv and votes\.csv/);
    const unknown = await convene(['dialogue', 'analyze', '00000000-0000-4000-8000-000000000000', '--json'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No dialogue/);
    const usage = await convene(['dialogue', 'summon'], env);
    expect(usage.code).toBe(2);
  });
});
