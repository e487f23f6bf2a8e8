// The build's launcher (scripts/code-cache.mjs, copied into each build as launch.mjs): a bundle runs with V8's code
// cache when a good one is there, writes it when none is, and ignores one that is stale, cut short, damaged or refused
// by V8; stack traces name the TypeScript files. A small entry is bundled exactly as the server's are
// (scripts/ensure-build.mjs bundle()), and run as its own process each time.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a JavaScript module of the build, without types
import { bundle } from '../../scripts/ensure-build.mjs';

type Report = { why: string; used: boolean; stack: string; url: string; answer: number };

const ENTRY = `// a small program, bundled as the server is
export function boom(): never {
  throw new Error('boom');
}

function answer(): number {
  return [1, 2, 3].reduce((a, b) => a + b, 36);
}

const status = (globalThis as Record<symbol, { why: string; used: boolean }>)[Symbol.for('convene.codeCache')]!;
let stack = '';
try {
  boom();
} catch (err) {
  stack = (err as Error).stack ?? '';
}
console.log(JSON.stringify({ why: status.why, used: status.used, stack, url: import.meta.url, answer: answer() }));
`;

let dir: string;
let cacheDir: string;

function run(env: Record<string, string> = {}): Report {
  const res = spawnSync(process.execPath, [path.join(dir, 'out/probe.js')], { encoding: 'utf8', env: { ...process.env, CONVENE_CACHE_DIR: cacheDir, ...env } });
  expect(res.stderr).toBe('');
  expect(res.status).toBe(0);
  return JSON.parse(res.stdout) as Report;
}

const cacheFiles = () => (fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir).filter((f) => f.endsWith('.v8cache')) : []);
const cacheFile = () => {
  const files = cacheFiles();
  expect(files).toHaveLength(1);
  return path.join(cacheDir, files[0]!);
};

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-code-cache-'));
  cacheDir = path.join(dir, 'cache');
  fs.mkdirSync(path.join(dir, 'src'));
  fs.mkdirSync(path.join(dir, 'out'));
  fs.writeFileSync(path.join(dir, 'src/probe.ts'), ENTRY);
  await bundle(esbuild, { absWorkingDir: dir, entryPoints: ['src/probe.ts'], outdir: path.join(dir, 'out') });
}, 60_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the code cache of a bundle', () => {
  it('is written by a run that had none, and used by the next; the program runs the same either way', () => {
    const first = run();
    expect(first).toMatchObject({ why: 'missing', used: false, answer: 42 });
    expect(first.url).toBe(`file://${path.join(dir, 'out/probe.bundle.cjs')}`);
    const file = cacheFile();
    expect(path.basename(file)).toMatch(/^probe\.bundle\.[0-9a-f]{16}\.v8cache$/);
    const second = run();
    expect(second).toMatchObject({ why: 'used', used: true, answer: 42 });
  });

  it('names the TypeScript file and line in stack traces, with the cache or without', () => {
    for (const report of [run(), run({ CONVENE_CODE_CACHE: 'off' })]) {
      expect(report.stack).toMatch(/^Error: boom\n {4}at boom \(.*src\/probe\.ts:3:9\)/);
      expect(report.stack).not.toContain('probe.bundle.cjs');
    }
  });

  it('ignores a cache that is damaged or cut short, and writes a good one again', () => {
    run();
    const file = cacheFile();
    const good = fs.readFileSync(file);
    const damaged = Buffer.from(good);
    damaged[damaged.length >> 1]! ^= 0xff;
    for (const bad of [damaged, good.subarray(0, good.length - 100), good.subarray(0, 10), Buffer.alloc(0)]) {
      fs.writeFileSync(file, bad);
      expect(run()).toMatchObject({ why: 'corrupt', used: false, answer: 42 });
      expect(run()).toMatchObject({ why: 'used', used: true });
    }
  });

  it('ignores a cache that V8 refuses (made for other code), and writes a good one again', () => {
    run();
    const file = cacheFile();
    // a well-formed file (its digest matches) holding the code cache of another script
    const other = new vm.Script('(function () { return "something else entirely" })').createCachedData();
    fs.writeFileSync(file, Buffer.concat([createHash('sha256').update(other).digest(), other]));
    expect(run()).toMatchObject({ why: 'rejected', used: false, answer: 42 });
    expect(run()).toMatchObject({ why: 'used', used: true });
  });

  it('keys the cache by the bundle: a rebuilt bundle never reads the cache of the one before', async () => {
    run();
    const before = cacheFiles();
    fs.writeFileSync(path.join(dir, 'src/probe.ts'), ENTRY.replace('36', '30'));
    await bundle(esbuild, { absWorkingDir: dir, entryPoints: ['src/probe.ts'], outdir: path.join(dir, 'out') });
    try {
      expect(run()).toMatchObject({ why: 'missing', answer: 36 });
      expect(run()).toMatchObject({ why: 'used', answer: 36 });
      expect(cacheFiles()).toHaveLength(2);
      expect(cacheFiles()).toEqual(expect.arrayContaining(before));
    } finally {
      fs.writeFileSync(path.join(dir, 'src/probe.ts'), ENTRY);
      await bundle(esbuild, { absWorkingDir: dir, entryPoints: ['src/probe.ts'], outdir: path.join(dir, 'out') });
    }
  });

  it('runs without one where none can be written, and with CONVENE_CODE_CACHE=off writes none', () => {
    const blocked = path.join(dir, 'not-a-folder');
    fs.writeFileSync(blocked, '');
    const res = spawnSync(process.execPath, [path.join(dir, 'out/probe.js')], { encoding: 'utf8', env: { ...process.env, CONVENE_CACHE_DIR: blocked } });
    expect(res.status).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ why: 'missing', answer: 42 });

    const offDir = path.join(dir, 'off');
    const off = spawnSync(process.execPath, [path.join(dir, 'out/probe.js')], { encoding: 'utf8', env: { ...process.env, CONVENE_CACHE_DIR: offDir, CONVENE_CODE_CACHE: 'off' } });
    expect(off.status).toBe(0);
    expect(JSON.parse(off.stdout)).toMatchObject({ why: 'off', used: false, answer: 42 });
    expect(fs.existsSync(offDir)).toBe(false);
  });
});
