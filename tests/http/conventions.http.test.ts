import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { invitation, session, user } from '../../src/server/features/accounts/accounts.schema.ts';
import { auditEntry } from '../../src/server/features/audit/audit.schema.ts';
import { ORIGIN, createTestApp, problem } from '../setup/test-app.ts';

const t = await createTestApp();
const admin = await t.signedIn('admin');

/** Every route the HTTP suite exercises, by its full path. */
const ROUTES: [string, string][] = [
  ['get', '/health'],
  ['get', '/ready'],
  ['get', '/setup'],
  ['post', '/setup'],
  ['post', '/auth/sign-in/email'],
  ['post', '/auth/sign-out'],
  ['post', '/auth/two-factor/enable'],
  ['post', '/auth/two-factor/disable'],
  ['post', '/auth/two-factor/verify-totp'],
  ['post', '/auth/two-factor/verify-backup-code'],
  ['post', '/auth/two-factor/generate-backup-codes'],
  ['get', '/me'],
  ['get', '/session'],
  ['patch', '/me'],
  ['get', '/me/sessions'],
  ['delete', '/me/sessions/{id}'],
  ['get', '/users'],
  ['patch', '/users/{id}'],
  ['get', '/invitations'],
  ['post', '/invitations'],
  ['delete', '/invitations/{id}'],
  ['post', '/invitations/lookup'],
  ['post', '/invitations/accept'],
  ['get', '/settings'],
  ['patch', '/settings'],
  ['get', '/audit'],
];

describe('API conventions', () => {
  it('/api/health answers 200 without sign-in', async () => {
    const res = await t.app.request('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: t.database.kind, databaseOk: true, version: expect.any(String) });
  });

  it('/api/ready answers 200 while the server takes requests, 503 (and closes connections) once it is stopping', async () => {
    const ready = await t.app.request('/api/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true });
    expect(ready.headers.get('connection')).toBeNull();
    t.lifecycle.draining = true;
    try {
      const draining = await t.app.request('/api/ready');
      expect(draining.status).toBe(503);
      expect(await draining.json()).toEqual({ ready: false, reason: 'draining' });
      expect(draining.headers.get('connection')).toBe('close');
      // the server still answers what it is asked, and says to reconnect (to another server) after
      const me = await admin.get('/api/me');
      expect(me.status).toBe(200);
      expect(me.headers.get('connection')).toBe('close');
    } finally {
      t.lifecycle.draining = false;
    }
  });

  it('/api/ready answers 503 `starting` while a server that listens still sets up its background jobs; /api/health answers 200 meanwhile', async () => {
    t.lifecycle.starting = true;
    try {
      const starting = await t.app.request('/api/ready');
      expect(starting.status).toBe(503);
      expect(await starting.json()).toEqual({ ready: false, reason: 'starting' });
      expect((await t.app.request('/api/health')).status).toBe(200);
    } finally {
      t.lifecycle.starting = false;
    }
    expect((await t.app.request('/api/ready')).status).toBe(200);
  });

  it('serves OpenAPI 3.1 with a path for every route', async () => {
    const res = await t.app.request('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    for (const [method, path] of ROUTES) {
      const op = doc.paths[`/api${path}`]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(op.responses, `${method} ${path}`).toBeDefined();
    }
    // a write with a body documents its schema and its 400 problem
    const post = doc.paths['/api/invitations'].post;
    expect(post.requestBody.content['application/json'].schema).toBeDefined();
    expect(post.responses['400'].content['application/problem+json']).toBeDefined();
    expect(doc.components.schemas.Problem).toBeDefined();
  });

  it('OpenAPI paths resolve against its servers to the real routes', async () => {
    const doc = await (await t.app.request('/api/openapi.json')).json();
    const base = (doc.servers?.[0]?.url ?? '').replace(/\/$/, '');
    for (const [path, ops] of Object.entries<Record<string, unknown>>(doc.paths)) {
      if (!('get' in ops) || path.includes('{')) continue;
      // per OpenAPI, a client calls servers[0].url + path
      const res = await admin.get(`${base}${path}`);
      const body = res.headers.get('content-type')?.includes('problem') ? await res.json() : {};
      expect(body.code, `GET ${base}${path}`).not.toBe('route_not_found');
    }
  });

  it('serves a readable HTML reference listing the routes, with nothing third-party', async () => {
    const res = await t.app.request('/api/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/i);
    const doc = await (await t.app.request('/api/openapi.json')).json();
    for (const [method, path] of ROUTES) {
      // each operation's section is named by its operationId (a path is no element id: slashes, braces)
      expect(html, `${method} ${path}`).toContain(`id="${doc.paths[`/api${path}`][method].operationId}"`);
      expect(html).toContain(`<code>/api${path}</code>`);
    }
    expect(html).not.toContain('/api/api/');
    const ids = [...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]!);
    expect(ids.filter((id) => !/^[A-Za-z][\w-]*$/.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [, target] of html.matchAll(/href="#([^"]*)"/g)) expect(ids).toContain(target);
    expect(html).not.toMatch(/<script|https?:\/\/(?!localhost)/i);
  });

  it('answers an unknown /api route with 404 problem+json naming the request', async () => {
    for (const [method, path] of [['GET', '/api/nope'], ['POST', '/api/users/x/y'], ['GET', '/api/auth/list-sessions'], ['PATCH', '/api/setup/x']]) {
      const p = await problem(await admin.request(path!, { method }), 404);
      expect(p).toMatchObject({ type: '/problems/route_not_found', status: 404, code: 'route_not_found', title: expect.any(String), instance: path });
    }
  });

  it('answers a method a path does not take with 405 and Allow, on every API path', { timeout: 180_000 }, async () => {
    const doc = await (await t.app.request('/api/openapi.json')).json();
    const all = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
    let checked = 0;
    for (const [path, ops] of Object.entries<Record<string, unknown>>(doc.paths)) {
      const takes = Object.keys(ops).map((m) => m.toUpperCase());
      const sample = path.replace(/\{[^}]+\}/g, 'x0');
      // what else routes this sample path (/api/people/merge is also /api/people/{id})
      const others = Object.entries<Record<string, unknown>>(doc.paths)
        .filter(([p]) => p !== path && new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(sample))
        .flatMap(([, o]) => Object.keys(o).map((m) => m.toUpperCase()));
      const allowed = new Set([...takes, ...others]);
      for (const method of all.filter((m) => !allowed.has(m))) {
        const res = await admin.request(sample, { method, headers: { 'content-type': 'application/json' }, body: method === 'GET' ? undefined : '{}' });
        const p = await problem(res, 405);
        expect(p, `${method} ${sample}`).toMatchObject({ type: '/problems/method_not_allowed', code: 'method_not_allowed', instance: sample });
        const allow = res.headers.get('allow')!.split(', ');
        expect(new Set(allow), `${method} ${sample}`).toEqual(new Set([...allowed, ...(allowed.has('GET') ? ['HEAD'] : [])]));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(400);
    // the plain routes beside the document are paths too
    const res = await admin.request('/api/openapi.json', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect((await problem(res, 405)).code).toBe('method_not_allowed');
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });

  it('sends Cache-Control: no-store and the security headers on every /api answer', async () => {
    const anon = t.client();
    const responses = [
      await t.app.request('/api/health'),
      await t.app.request('/api/setup'),
      await t.app.request('/api/openapi.json'),
      await t.app.request('/api/docs'),
      await t.app.request('/api/nope'),
      await t.app.request('/api/me'),
      await admin.get('/api/me'),
      await admin.get('/api/users'),
      await admin.patch('/api/me', { name: 'Admin' }),
      await admin.post('/api/users', {}),
      await anon.post('/api/auth/sign-in/email', { email: 'no@example.org', password: 'x'.repeat(12) }),
      await anon.post('/api/setup', {}),
    ];
    for (const res of responses) {
      const where = `${res.status} ${res.url}`;
      expect(res.headers.get('cache-control'), where).toBe('no-store');
      expectSecurityHeaders(res.headers);
    }
  });

  it('sends the security headers outside /api too', async () => {
    const res = await t.app.request('/');
    expectSecurityHeaders(res.headers);
    expect(res.headers.get('cache-control')).not.toBe('no-store');
  });
});

function expectSecurityHeaders(h: Headers) {
  const csp = h.get('content-security-policy') ?? '';
  expect(csp).toMatch(/(^|;)\s*default-src 'self'/);
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(h.get('x-content-type-options')).toBe('nosniff');
  expect(h.get('x-frame-options') === 'DENY' || /frame-ancestors 'none'/.test(csp)).toBe(true);
  expect(h.get('referrer-policy')).toBeTruthy();
}

describe('CSRF', () => {
  it('refuses cookie-authenticated writes from a foreign origin, and writes nothing', async () => {
    const evil = { origin: 'https://evil.example' };
    const before = (await t.db.select().from(user).where(eq(user.id, admin.user.id)))[0]!;
    const auditBefore = (await t.db.select().from(auditEntry)).length;

    expect((await problem(await admin.patch('/api/me', { name: 'Hacked' }, { headers: evil }), 403)).code).toBe('csrf_rejected');
    expect((await problem(await admin.post('/api/invitations', { email: 'csrf@example.org', name: 'C' }, { headers: evil }), 403)).code).toBe('csrf_rejected');
    expect((await problem(await admin.patch('/api/settings', { requireTwoFactor: true }, { headers: evil }), 403)).code).toBe('csrf_rejected');
    const [mine] = await t.db.select().from(session).where(eq(session.userId, admin.user.id));
    await problem(await admin.delete(`/api/me/sessions/${mine!.id}`, { headers: evil }), 403);
    await problem(await admin.post('/api/auth/sign-out', {}, { headers: evil }), 403);
    // a sibling subdomain or another port is foreign too
    await problem(await admin.patch('/api/me', { name: 'Hacked' }, { headers: { origin: 'http://localhost:3001' } }), 403);
    await problem(await admin.patch('/api/me', { name: 'Hacked' }, { headers: { origin: 'null' } }), 403);

    const after = (await t.db.select().from(user).where(eq(user.id, admin.user.id)))[0]!;
    expect(after.name).toBe(before.name);
    expect(await t.db.select().from(invitation)).toEqual([]);
    expect(await t.db.select().from(session).where(eq(session.id, mine!.id))).toHaveLength(1);
    expect((await t.db.select().from(auditEntry)).length).toBe(auditBefore);
    expect((await admin.get('/api/me')).status).toBe(200);
  });

  it('refuses a cookie-authenticated write with no Origin and no Sec-Fetch-Site; accepts same-origin', async () => {
    const send = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
      t.app.request(path, {
        method,
        headers: { cookie: admin.cookieHeader, 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const [mine] = await t.db.select().from(session).where(eq(session.userId, admin.user.id));
    await problem(await send('PATCH', '/api/me', {}, { name: 'No Origin' }), 403);
    await problem(await send('DELETE', `/api/me/sessions/${mine!.id}`, {}), 403);
    await problem(await send('POST', '/api/invitations', {}, { email: 'no-origin@example.org', name: 'N' }), 403);
    await problem(await send('PATCH', '/api/me', { 'sec-fetch-site': 'cross-site' }, { name: 'Cross Site' }), 403);
    expect((await t.db.select().from(user).where(eq(user.id, admin.user.id)))[0]!.name).not.toMatch(/Origin|Cross/);
    expect(await t.db.select().from(invitation)).toEqual([]);
    expect(await t.db.select().from(session).where(eq(session.id, mine!.id))).toHaveLength(1);

    // what the web app sends
    const ok = await send('PATCH', '/api/me', { 'sec-fetch-site': 'same-origin' }, { name: 'Same Site' });
    expect(ok.status).toBe(200);
    const ok2 = await send('PATCH', '/api/me', { origin: ORIGIN }, { name: 'Same Origin' });
    expect(await ok2.json()).toMatchObject({ name: 'Same Origin' });
    // reads need no Origin
    expect((await send('GET', '/api/me', {})).status).toBe(200);
  });
});
