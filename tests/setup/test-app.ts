import { afterAll } from 'vitest';
import { createApp, type AppDeps } from '../../src/server/app.ts';
import { loadConfig, type Config } from '../../src/server/config.ts';
import type { Database } from '../../src/server/db/client.ts';
import { createUserWithPassword } from '../../src/server/features/accounts/accounts.service.ts';
import type { Mailer } from '../../src/server/mail.ts';
import type { Role } from '../../src/server/access/roles.ts';
import { freshDatabase } from './test-db.ts';

export const ORIGIN = 'http://localhost:3000';
export const PASSWORD = 'a long enough password';

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/**
 * A Convene app on a fresh database of its own, closed after the file's tests.
 * Requests go through app.request(): real routing, middleware and database, no socket.
 */
export async function createTestApp(opts: { config?: Partial<Config>; mailer?: Mailer; jobs?: AppDeps['jobs'] } = {}) {
  const database: Database = await freshDatabase();
  await database.migrate();
  // every app.request() comes from one address ('unknown'): a file fails more sign-ins than the default limit allows
  const config: Config = { ...loadConfig({ PUBLIC_URL: ORIGIN, LOG_LEVEL: 'silent' }), signInRateLimit: 1000, ...opts.config };
  // background jobs look for due retries every second in tests (new jobs wake them at once)
  const created = await createApp({ db: database.db, kind: database.kind, config, mailer: opts.mailer, jobs: { pollingIntervalSeconds: 1, ...opts.jobs }, listen: database.listen });
  afterAll(async () => {
    await created.jobs.stop({ timeoutMs: 1000 });
    await database.close();
  });
  let n = 0;

  const t = {
    ...created,
    db: database.db,
    database,
    config,
    /** A client that keeps its cookies and sends our Origin, like the web app does. */
    client: (headers?: Record<string, string>) => new TestClient(created.app, headers),
    /** Creates an account directly (no invitation) and returns a signed-in client for it. */
    async signedIn(role: Role, fields: { email?: string; name?: string; headers?: Record<string, string> } = {}) {
      n++;
      const email = fields.email ?? `${role}${n}-${Math.random().toString(36).slice(2, 8)}@example.org`;
      const u = await createUserWithPassword(database.db, {
        name: fields.name ?? `${role} ${n}`,
        email,
        password: PASSWORD,
        role,
        locale: 'en',
        timeZone: 'Asia/Jerusalem',
      });
      const client = t.client(fields.headers);
      const res = await client.post('/api/auth/sign-in/email', { email, password: PASSWORD });
      if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
      return Object.assign(client, { user: u });
    },
  };
  return t;
}

export class TestClient {
  cookies = new Map<string, string>();
  constructor(
    private app: { request: (path: string, init?: RequestInit) => Response | Promise<Response> },
    /** sent with every request unless the request sets them (e.g. user-agent, x-forwarded-for) */
    private defaultHeaders: Record<string, string> = {},
  ) {}

  /** The Cookie header this client would send. */
  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    for (const [k, v] of Object.entries(this.defaultHeaders)) if (!headers.has(k)) headers.set(k, v);
    if (!headers.has('origin')) headers.set('origin', ORIGIN);
    if (this.cookies.size) headers.set('cookie', this.cookieHeader);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    }
    const res = await this.app.request(path, { ...init, headers, body });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i).trim();
      const value = pair!.slice(i + 1).trim();
      const expired = attrs.some((a) => /max-age=0\b/i.test(a.trim())) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
  get(path: string, init: RequestInit = {}) {
    return this.request(path, { ...init, method: 'GET' });
  }
  post(path: string, json?: unknown, init: RequestInit = {}) {
    return this.request(path, { ...init, method: 'POST', json: json ?? {} });
  }
  put(path: string, json?: unknown, init: RequestInit = {}) {
    return this.request(path, { ...init, method: 'PUT', json: json ?? {} });
  }
  patch(path: string, json?: unknown, init: RequestInit = {}) {
    return this.request(path, { ...init, method: 'PATCH', json: json ?? {} });
  }
  delete(path: string, init: RequestInit = {}) {
    return this.request(path, { ...init, method: 'DELETE' });
  }
}

/** Asserts an RFC 9457 problem and returns it. */
export async function problem(res: Response, status: number) {
  const text = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${text}`);
  if (!res.headers.get('content-type')?.startsWith('application/problem+json')) throw new Error(`not problem+json: ${res.headers.get('content-type')}`);
  return JSON.parse(text) as { type: string; title: string; status: number; code: string; detail?: string; errors?: { field: string; detail: string }[] };
}
