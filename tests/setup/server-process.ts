import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
/** the server as `npm start` runs it: built once by scripts/ensure-build.mjs */
export const builtServer = path.join(root, 'dist/server/main.js');

let built = false;
/** Builds dist/server when missing or stale (once per test process; concurrent builders wait for one another). */
export function ensureServerBuild() {
  if (built) return;
  const res = spawnSync(process.execPath, [path.join(root, 'scripts/ensure-build.mjs'), '--server'], { cwd: root, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`building the server failed:\n${res.stdout}\n${res.stderr}`);
  built = true;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export function tempDataDir(prefix = 'convene-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export type ServerProcess = {
  url: string;
  port: number;
  dataDir: string;
  proc: ChildProcess;
  /** everything the process printed so far */
  output(): string;
  /** the one-time setup link printed at first start, if any */
  setupLink(): string | undefined;
  /** SIGTERM and wait for exit */
  stop(): Promise<void>;
  /** send a signal (e.g. SIGKILL) and wait for exit */
  kill(signal: NodeJS.Signals): Promise<void>;
  exited: Promise<number | null>;
};

/**
 * Starts the built server (dist/server/main.js, as `npm start` does) as its own process on a free port and waits until /api/health answers 200.
 * Pass `waitForHealth: false` to get the process as soon as it is spawned (e.g. to see it refuse to start).
 */
export async function startServer(opts: { dataDir?: string; env?: Record<string, string>; port?: number; waitForHealth?: boolean; timeoutMs?: number } = {}): Promise<ServerProcess> {
  const port = opts.port ?? (await freePort());
  const dataDir = opts.dataDir ?? tempDataDir();
  let out = '';
  ensureServerBuild();
  const proc = spawn(process.execPath, [builtServer], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', CONVENE_DATA_DIR: dataDir, DATABASE_URL: '', PUBLIC_URL: `http://localhost:${port}`, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const sp: ServerProcess = {
    url,
    port,
    dataDir,
    proc,
    output: () => out,
    setupLink: () => out.match(/(http:\/\/\S+\/setup\?token=\S+)/)?.[1],
    exited,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
    },
    kill: async (signal) => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      await exited;
    },
  };
  if (opts.waitForHealth === false) return sp;
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  let done = false;
  exited.then(() => (done = true));
  while (Date.now() < deadline) {
    if (done) throw new Error(`server exited before it was healthy:\n${out}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.status === 200) return sp;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await sp.kill('SIGKILL');
  throw new Error(`server did not become healthy in time:\n${out}`);
}
