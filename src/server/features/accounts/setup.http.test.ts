import { createHash } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEntry } from '../audit/audit.schema.ts';
import { setting, user } from './accounts.schema.ts';
import { createTestApp, problem } from '../../../../tests/setup/test-app.ts';

const t = await createTestApp();
const token = t.setup.token!;

const good = { name: 'First Admin', email: 'Admin@Example.org', password: 'correct horse battery', locale: 'he', timeZone: 'Asia/Jerusalem' };

async function userCount() {
  const [row] = await t.db.select({ n: count() }).from(user);
  return Number(row!.n);
}

function fields(p: { errors?: { field: string }[] }) {
  return (p.errors ?? []).map((e) => e.field).sort();
}

describe('first-run setup', () => {
  it('says setup is needed while no account exists', async () => {
    expect(token).toMatch(/^[\w-]{20,}$/);
    const res = await t.client().get('/api/setup');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ needsSetup: true });
  });

  it('rejects malformed JSON naming the body', async () => {
    const res = await t.client().request('/api/setup', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"token": "x", ' });
    const p = await problem(res, 400);
    expect(p.errors).toEqual([{ field: 'body', detail: expect.any(String) }]);
    expect(await userCount()).toBe(0);
  });

  it.each([
    ['wrong types', { token: 1, name: 2, email: true, password: 5, locale: 'fr', timeZone: 3 }, ['body.email', 'body.locale', 'body.name', 'body.password', 'body.timeZone', 'body.token']],
    ['missing fields', {}, ['body.email', 'body.name', 'body.password', 'body.token']],
    ['unknown fields', { token, ...good, role: 'viewer', isAdmin: true }, ['body.isAdmin', 'body.role']],
    [
      'over-long strings',
      { token: 'x'.repeat(201), name: 'n'.repeat(121), email: `${'a'.repeat(250)}@example.org`, password: 'p'.repeat(201), timeZone: 'Asia/Jerusalem' },
      ['body.email', 'body.name', 'body.password', 'body.token'],
    ],
    ['a bad email', { token, ...good, email: 'not-an-email' }, ['body.email']],
    ['a short password', { token, ...good, password: 'short' }, ['body.password']],
    ['a bad time zone', { token, ...good, timeZone: 'Mars/Olympus_Mons' }, ['body.timeZone']],
    ['an empty name', { token, ...good, name: '   ' }, ['body.name']],
  ])('rejects %s with 400 naming each field, and writes nothing', async (_what, body, expected) => {
    const p = await problem(await t.client().post('/api/setup', body), 400);
    expect(p.code).toBe('invalid_request');
    expect([...new Set(fields(p))]).toEqual(expected);
    for (const e of p.errors!) expect(e.detail).toBeTruthy();
    expect(await userCount()).toBe(0);
  });

  it('refuses a wrong token with 403 naming body.token, and writes nothing', async () => {
    const p = await problem(await t.client().post('/api/setup', { ...good, token: 'not-the-token' }), 403);
    expect(p.code).toBe('invalid_setup_token');
    expect(fields(p)).toEqual(['body.token']);
    expect(await userCount()).toBe(0);
    expect(await t.db.select().from(auditEntry).where(eq(auditEntry.action, 'user.setup_admin'))).toEqual([]);
  });

  it('creates the first administrator once with the right token', async () => {
    const res = await t.client({ 'user-agent': 'setup-agent/1' }).post('/api/setup', { ...good, token });
    expect(res.status).toBe(201);
    const admin = await res.json();
    expect(admin).toMatchObject({ name: 'First Admin', email: 'admin@example.org', role: 'admin', disabled: false, locale: 'he', timeZone: 'Asia/Jerusalem', twoFactorEnabled: false });
    expect(admin).not.toHaveProperty('password');

    const rows = await t.db.select().from(user);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: admin.id, role: 'admin', email: 'admin@example.org' });

    const [entry] = await t.db.select().from(auditEntry).where(eq(auditEntry.action, 'user.setup_admin'));
    expect(entry).toMatchObject({ actorId: admin.id, entityType: 'user', entityId: admin.id, userAgent: 'setup-agent/1' });
    expect(entry!.ip).toBeTruthy();

    expect(await (await t.client().get('/api/setup')).json()).toEqual({ needsSetup: false });
    expect(t.setup.token).toBeNull();

    // the administrator can sign in with the chosen password
    const c = t.client();
    expect((await c.post('/api/auth/sign-in/email', { email: good.email, password: good.password })).status).toBe(200);
    expect(await (await c.get('/api/me')).json()).toMatchObject({ id: admin.id, role: 'admin' });
  });

  it('refuses a second setup with the used link (403) and with any token once an account exists (409)', async () => {
    const again = await problem(await t.client().post('/api/setup', { ...good, email: 'second@example.org', token }), 403);
    expect(fields(again)).toEqual(['body.token']);

    // even if a token were somehow live again, an existing account blocks setup
    const live = createHash('sha256').update('a-fresh-token-for-this-test').digest('hex');
    await t.db.insert(setting).values({ key: 'setup_tokens', value: JSON.stringify([live]) });
    const p = await problem(await t.client().post('/api/setup', { ...good, email: 'second@example.org', token: 'a-fresh-token-for-this-test' }), 409);
    expect(p.code).toBe('already_set_up');
    await t.db.delete(setting).where(eq(setting.key, 'setup_tokens'));
    expect(await userCount()).toBe(1);
  });
});
