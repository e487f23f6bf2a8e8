// Shared pieces of the benchmarks: start the real server, make its first admin, sign in, and a
// throwaway PostgreSQL database. Every server and folder made here is removed when the process ends.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { freePort } from '../tests/setup/server-process.ts';

export const root = path.resolve(import.meta.dirname, '..');

let built = false;
/** Builds dist/server (the server and the `convene` command, as `npm start` does) when missing or stale. */
export function ensureServerBuilt() {
  if (built) return;
  const res = spawnSync(process.execPath, [path.join(root, 'scripts/ensure-build.mjs'), '--server'], { cwd: root, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`building the server failed:\n${res.stdout}${res.stderr}`);
  built = true;
}

/** How a benchmark starts the server: the build `npm start` runs (default), or TypeScript through tsx (`npm run dev`'s way, and every start before the build). */
export type StartVia = 'built' | 'tsx';

export function serverCommand(via: StartVia): string[] {
  if (via === 'tsx') return ['--import', 'tsx', path.join(root, 'src/server/main.ts')];
  ensureServerBuilt();
  // BENCH_SERVER_NODE_ARGS: node options for the server alone (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof")
  return [...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ') ?? []), path.join(root, 'dist/server/main.js')];
}

let clockTicks: number | undefined;
/** CPU time (user + system, all threads) a live process has used so far, in ms; undefined where /proc is missing. */
export function cpuMsOf(pid: number): number | undefined {
  try {
    // fields after the command's name (which is in parentheses and may hold spaces): utime and stime are the 12th and 13th
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    clockTicks ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
  } catch {
    return undefined;
  }
}

/** One line of the closing summary. */
export type Figure = { bench: string; metric: string; value: string; target?: string; met?: boolean };

export const ADMIN = { name: 'Bench Admin', email: 'bench-admin@example.org', password: 'correct horse battery staple' };

const live = new Set<ChildProcess>();
const dirs = new Set<string>();
function cleanUp() {
  for (const p of live) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
}
process.once('exit', cleanUp);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    cleanUp();
    process.exit(130);
  });
}

export function tempDir(prefix = 'convene-bench-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.add(d);
  return d;
}

export function removeDir(d: string) {
  fs.rmSync(d, { recursive: true, force: true });
  dirs.delete(d);
}

export { freePort };

export type Server = {
  url: string;
  origin: string;
  port: number;
  proc: ChildProcess;
  output(): string;
  /** ms from spawn to the first 200 from /api/health */
  msToHealthy: number;
  /** the "ready in N ms" the server printed: its own time from main() to listening */
  ownReadyMs?: number;
  /** CPU time the server process had used when it first answered 200 (Linux) */
  cpuMsToHealthy?: number;
  stop(): Promise<void>;
};

/**
 * Spawns the server as `npm start` does (node on the build in dist/server, built first when stale; or tsx on
 * src/server/main.ts with `via: 'tsx'`), bound to 127.0.0.1, and polls /api/health every `pollMs` until the first 200.
 */
export async function startServer(opts: { dataDir: string; env?: Record<string, string>; pollMs?: number; timeoutMs?: number; via?: StartVia }): Promise<Server> {
  const args = serverCommand(opts.via ?? 'built');
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const url = `http://127.0.0.1:${port}`;
  let out = '';
  const t0 = performance.now();
  const proc = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', CONVENE_DATA_DIR: opts.dataDir, DATABASE_URL: '', PUBLIC_URL: origin, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(proc);
  // BENCH_SERVER_LOG=1: the server's output on the bench's stderr as it comes
  proc.stdout!.on('data', (d) => ((out += d), process.env.BENCH_SERVER_LOG && process.stderr.write(d)));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  exited.then(() => live.delete(proc));
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    await exited;
  };
  const deadline = t0 + (opts.timeoutMs ?? 60_000);
  const pollMs = opts.pollMs ?? 10;
  while (performance.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`the server exited before it was healthy:\n${out}`);
    try {
      const res = await fetch(`${url}/api/health`);
      await res.arrayBuffer();
      if (res.status === 200) {
        const msToHealthy = performance.now() - t0;
        const cpuMsToHealthy = cpuMsOf(proc.pid!);
        const own = out.match(/ready in (\d+) ms/);
        return { url, origin, port, proc, output: () => out, msToHealthy, ownReadyMs: own ? Number(own[1]) : undefined, cpuMsToHealthy, stop };
      }
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  proc.kill('SIGKILL');
  await exited;
  throw new Error(`the server was not healthy within ${opts.timeoutMs ?? 60_000} ms:\n${out}`);
}

export async function createFirstAdmin(s: Server): Promise<void> {
  const link = s.output().match(/(http:\/\/\S+\/setup\?token=\S+)/)?.[1];
  if (!link) throw new Error(`the server printed no setup link:\n${s.output()}`);
  const res = await fetch(`${s.url}/api/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: s.origin },
    body: JSON.stringify({ token: new URL(link).searchParams.get('token'), ...ADMIN }),
  });
  if (res.status !== 201) throw new Error(`setup answered ${res.status}: ${await res.text()}`);
}

/** Returns the Cookie header of a fresh session. */
export async function signIn(s: Server): Promise<string> {
  const res = await fetch(`${s.url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: s.origin },
    body: JSON.stringify({ email: ADMIN.email, password: ADMIN.password }),
  });
  if (res.status !== 200) throw new Error(`sign-in answered ${res.status}: ${await res.text()}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** A fresh, empty PostgreSQL database next to the one `url` names; drop() removes it. */
export async function freshPostgresDatabase(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `convene_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

export function postgresUrl(): string | undefined {
  return process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;
}

/** Exact percentile (nearest rank) of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function median(values: number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

export const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;

/** True when this module file is the script node was started with (run on its own, not from run.ts). */
export function isMain(moduleUrl: string): boolean {
  return !!process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === moduleUrl;
}

export function printFigures(figures: Figure[]) {
  const rows = [['benchmark', 'measure', 'figure', 'target', 'within target'], ...figures.map((f) => [f.bench, f.metric, f.value, f.target ?? '', f.met === undefined ? '' : f.met ? 'yes' : 'NO'])];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  console.log(line(rows[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows.slice(1)) console.log(line(r));
}
