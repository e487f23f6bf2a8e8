import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { afterEach } from 'vitest';
import { type ServerProcess, startServer, tempDataDir } from '../setup/server-process.ts';

export const ADMIN = { name: 'Ada Admin', email: 'admin@example.org', password: 'correct horse battery staple' };

/**
 * Servers and data folders made by one test file, ended and removed after each test whatever happened.
 * Call once at the top of a test file.
 */
export function trackProcesses() {
  const servers: ServerProcess[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.kill('SIGKILL');
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  return {
    dataDir(): string {
      const d = tempDataDir('convene-process-');
      dirs.push(d);
      return d;
    },
    async start(opts: Parameters<typeof startServer>[0]): Promise<ServerProcess> {
      const s = await startServer(opts);
      servers.push(s);
      return s;
    },
  };
}

/** The Origin a browser on this server's pages would send: the PUBLIC_URL the helper sets. */
export function originOf(s: ServerProcess): string {
  return `http://localhost:${s.port}`;
}

export async function createFirstAdmin(s: ServerProcess): Promise<void> {
  const link = s.setupLink();
  if (!link) throw new Error(`the server printed no setup link:\n${s.output()}`);
  const token = new URL(link).searchParams.get('token');
  const res = await fetch(`${s.url}/api/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: originOf(s) },
    body: JSON.stringify({ token, ...ADMIN }),
  });
  if (res.status !== 201) throw new Error(`setup answered ${res.status}: ${await res.text()}`);
}

/** Signs in and returns the Cookie header value to send on later requests. */
export async function signIn(s: ServerProcess, who: { email: string; password: string } = ADMIN): Promise<string> {
  const res = await fetch(`${s.url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: originOf(s) },
    body: JSON.stringify({ email: who.email, password: who.password }),
  });
  if (res.status !== 200) throw new Error(`sign-in answered ${res.status}: ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  if (!cookie.includes('session_token')) throw new Error('sign-in set no session cookie');
  return cookie;
}

/** Follows nextCursor until the last page and returns every item. */
export async function fetchAllPages<T>(s: ServerProcess, cookie: string, pathAndQuery: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  const sep = pathAndQuery.includes('?') ? '&' : '?';
  for (let page = 0; page < 10_000; page++) {
    const res = await fetch(`${s.url}${pathAndQuery}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: { cookie } });
    if (res.status !== 200) throw new Error(`${pathAndQuery} answered ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as { items: T[]; nextCursor: string | null };
    items.push(...body.items);
    cursor = body.nextCursor;
    if (!cursor) return items;
  }
  throw new Error(`${pathAndQuery}: pagination did not end`);
}

/** The pid of a process that has already exited (for a stale lock file). */
export async function deadPid(): Promise<number> {
  const p = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  const pid = p.pid!;
  await new Promise((resolve) => p.once('exit', resolve));
  return pid;
}
