import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.ts';
import { createUserWithPassword } from '../../src/server/features/accounts/accounts.service.ts';
import { createTestApp, PASSWORD, TestClient } from '../setup/test-app.ts';
import { enableTwoFactor } from '../setup/http-helpers.ts';

// Two app servers on one database, as behind a load balancer: what one server changes holds on the other at once —
// sessions, accounts and settings that each caches, and the rate limits each counts. (On PostgreSQL the second
// server's caches are dropped by a NOTIFY it LISTENs to; on the embedded database the same mechanism runs in-process.)

const t = await createTestApp({ config: { signInRateLimit: 5 } });
const other = await createApp({ db: t.db, kind: t.database.kind, config: t.config, listen: t.database.listen });
const admin = await t.signedIn('admin');

/** Asks until `ok` holds, for at most `ms`: how long a change takes to reach the other server. */
async function within(ms: number, ask: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await ask()) return performance.now() - started;
    if (performance.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function signedInOnOther(role: 'staff' | 'viewer') {
  const email = `${role}-${Math.random().toString(36).slice(2, 8)}@example.org`;
  const u = await createUserWithPassword(t.db, { name: role, email, password: PASSWORD, role, locale: 'en', timeZone: 'Asia/Jerusalem' });
  const c = new TestClient(other.app);
  expect((await c.post('/api/auth/sign-in/email', { email, password: PASSWORD })).status).toBe(200);
  // the other server has now cached who this session is
  expect((await c.get('/api/me')).status).toBe(200);
  return Object.assign(c, { user: u });
}

describe('a change made through one server holds on the other within a second', () => {
  it('a disabled account is refused by the other server', async () => {
    const staff = await signedInOnOther('staff');
    expect((await admin.patch(`/api/users/${staff.user.id}`, { disabled: true })).status).toBe(200);
    const ms = await within(1000, async () => (await staff.get('/api/me')).status === 401);
    expect(ms).toBeLessThan(1000);
  });

  it('a new role is used by the other server', async () => {
    const viewer = await signedInOnOther('viewer');
    expect((await viewer.get('/api/me').then((r) => r.json())).role).toBe('viewer');
    expect((await admin.patch(`/api/users/${viewer.user.id}`, { role: 'staff' })).status).toBe(200);
    await within(1000, async () => (await viewer.get('/api/me').then((r) => r.json())).role === 'staff');
    expect((await viewer.post('/api/topics', { key: `t-${Date.now()}`, nameEn: 'B', nameHe: 'ב', nameAr: 'ب' })).status).toBe(201);
  });

  it('requiring two-factor takes effect on the other server', async () => {
    const staff = await signedInOnOther('staff');
    expect((await staff.get('/api/organisations')).status).toBe(200);
    // only an administrator who uses two-factor may require it
    await enableTwoFactor(admin, PASSWORD);
    expect((await admin.patch('/api/settings', { requireTwoFactor: true })).status).toBe(200);
    try {
      await within(1000, async () => (await staff.get('/api/organisations')).status === 403);
    } finally {
      expect((await admin.patch('/api/settings', { requireTwoFactor: false })).status).toBe(200);
    }
  });

  it('a session ended on one server is gone on the other', async () => {
    const email = `both-${Math.random().toString(36).slice(2, 8)}@example.org`;
    await createUserWithPassword(t.db, { name: 'Both', email, password: PASSWORD, role: 'staff', locale: 'en', timeZone: 'Asia/Jerusalem' });
    const here = t.client();
    expect((await here.post('/api/auth/sign-in/email', { email, password: PASSWORD })).status).toBe(200);
    const there = new TestClient(other.app);
    there.cookies = new Map(here.cookies);
    expect((await there.get('/api/me')).status).toBe(200);
    expect((await here.post('/api/auth/sign-out', {})).status).toBe(200);
    await within(1000, async () => (await there.get('/api/me')).status === 401);
  });
});

describe('rate limits are counted once for all servers', () => {
  it('failed sign-ins through both servers add up to one limit', async () => {
    const limit = t.config.signInRateLimit;
    const email = `limited-${Math.random().toString(36).slice(2, 8)}@example.org`;
    await createUserWithPassword(t.db, { name: 'Limited', email, password: PASSWORD, role: 'staff', locale: 'en', timeZone: 'Asia/Jerusalem' });
    const servers = [t.client(), new TestClient(other.app)];
    const statuses: number[] = [];
    for (let i = 0; i < limit + 2; i++) statuses.push((await servers[i % 2]!.post('/api/auth/sign-in/email', { email, password: 'wrong password!' })).status);
    // every failed attempt counts, whichever server took it: after `limit` of them, both servers answer 429
    expect(statuses.slice(0, limit).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(limit)).toEqual([429, 429]);
    for (const s of servers) expect((await s.post('/api/auth/sign-in/email', { email, password: PASSWORD })).status).toBe(429);
  });
});
