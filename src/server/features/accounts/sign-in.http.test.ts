import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { session, user } from './accounts.schema.ts';
import { createUserWithPassword } from './accounts.service.ts';
import { auditEntry } from '../audit/audit.schema.ts';
import { PASSWORD, createTestApp, problem } from '../../../../tests/setup/test-app.ts';

const t = await createTestApp();
const admin = await t.signedIn('admin');

describe('sign-in', () => {
  it('sets an httpOnly SameSite session cookie and keeps the token out of the body', async () => {
    const staff = await t.signedIn('staff');
    const c = t.client();
    const res = await c.post('/api/auth/sign-in/email', { email: staff.user.email, password: PASSWORD });
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().find((s) => /session_token=/.test(s));
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=(Lax|Strict)/i);
    expect(cookie).toMatch(/;\s*Path=\//i);

    const text = await res.text();
    const body = JSON.parse(text);
    expect(body).not.toHaveProperty('token');
    const tokenValue = decodeURIComponent(cookie!.split(';')[0]!.split('=').slice(1).join('=')).split('.')[0]!;
    expect(text).not.toContain(tokenValue);
    expect(body.user).toMatchObject({ id: staff.user.id, email: staff.user.email });

    const me = await c.get('/api/me');
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ id: staff.user.id, role: 'staff', twoFactorEnabled: false, twoFactorRequired: false });
  });

  it('gives a wrong password, an unknown account and a disabled account the identical answer', async () => {
    const viewer = { user: await createUserWithPassword(t.db, { name: 'Disabled', email: 'disabled@example.org', password: PASSWORD, role: 'viewer', locale: 'en', timeZone: 'UTC' }) };
    await t.db.update(user).set({ disabled: true }).where(eq(user.id, viewer.user.id));

    const answers = [];
    for (const creds of [
      { email: admin.user.email, password: 'not the password at all' },
      { email: 'nobody-here@example.org', password: 'not the password at all' },
      { email: viewer.user.email, password: PASSWORD },
    ]) {
      const c = t.client();
      const res = await c.post('/api/auth/sign-in/email', creds);
      answers.push({ status: res.status, type: res.headers.get('content-type'), body: await res.text(), cookies: c.cookies.size });
    }
    expect(answers[0]!.status).toBe(401);
    expect(answers[0]!.type).toMatch(/^application\/problem\+json/);
    expect(answers[0]!.cookies).toBe(0);
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);

    // no session was made for the disabled account, and each failure is in the audit log
    expect(await t.db.select().from(session).where(eq(session.userId, viewer.user.id))).toHaveLength(0);
    const failed = await t.db.select().from(auditEntry).where(eq(auditEntry.action, 'session.sign_in_failed'));
    expect(failed.map((f) => f.detail?.email)).toEqual(expect.arrayContaining([admin.user.email, 'nobody-here@example.org', viewer.user.email]));
  });

  it('rejects bad input to sign-in naming the fields', async () => {
    const p = await problem(await t.client().post('/api/auth/sign-in/email', { email: 'x', password: '', extra: 1 }), 400);
    expect(p.errors!.map((e) => e.field).sort()).toEqual(['body.email', 'body.extra', 'body.password']);
  });

  it('signs out: the old cookie no longer works', async () => {
    const staff = await t.signedIn('staff');
    const cookie = staff.cookieHeader;
    const res = await staff.post('/api/auth/sign-out');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ success: true });
    await problem(await staff.get('/api/me'), 401);
    // replaying the cookie by hand does not work either
    await problem(await t.app.request('/api/me', { headers: { cookie } }), 401);
    expect(await t.db.select().from(session).where(eq(session.userId, staff.user.id))).toHaveLength(0);
    const [entry] = await t.db.select().from(auditEntry).where(and(eq(auditEntry.action, 'session.end'), eq(auditEntry.actorId, staff.user.id)));
    expect(entry?.detail).toMatchObject({ signOut: true });
  });
});

describe('my sessions', () => {
  it('lists my sessions with the current one marked, and ends another of mine', async () => {
    const staff = await t.signedIn('staff', { headers: { 'user-agent': 'laptop-browser' } });
    const phone = t.client({ 'user-agent': 'phone-browser' });
    expect((await phone.post('/api/auth/sign-in/email', { email: staff.user.email, password: PASSWORD })).status).toBe(200);

    const res = await staff.get('/api/me/sessions');
    expect(res.status).toBe(200);
    const { items } = await res.json();
    expect(items).toHaveLength(2);
    const current = items.filter((s: { current: boolean }) => s.current);
    expect(current).toHaveLength(1);
    expect(current[0].userAgent).toBe('laptop-browser');
    const other = items.find((s: { current: boolean }) => !s.current);
    expect(other.userAgent).toBe('phone-browser');
    expect(JSON.stringify(items)).not.toMatch(/token/i);

    const del = await staff.delete(`/api/me/sessions/${other.id}`);
    expect(del.status).toBe(204);
    await problem(await phone.get('/api/me'), 401);
    expect((await staff.get('/api/me')).status).toBe(200);
    const after = await (await staff.get('/api/me/sessions')).json();
    expect(after.items.map((s: { id: string }) => s.id)).not.toContain(other.id);

    const [entry] = await t.db.select().from(auditEntry).where(and(eq(auditEntry.action, 'session.end'), eq(auditEntry.entityId, other.id)));
    expect(entry).toMatchObject({ actorId: staff.user.id, entityType: 'session', userAgent: 'laptop-browser' });
  });

  it("answers 404 for someone else's session and leaves it alone", async () => {
    const a = await t.signedIn('staff');
    const b = await t.signedIn('viewer');
    const [bSession] = await t.db.select().from(session).where(eq(session.userId, b.user.id));
    const p = await problem(await a.delete(`/api/me/sessions/${bSession!.id}`), 404);
    expect(p.code).toBe('session_not_found');
    expect((await b.get('/api/me')).status).toBe(200);
    await problem(await a.delete('/api/me/sessions/no-such-session'), 404);
  });

  it('refuses anonymous callers', async () => {
    await problem(await t.client().get('/api/me/sessions'), 401);
    await problem(await t.client().delete('/api/me/sessions/x'), 401);
  });
});

describe('preferences', () => {
  it('changes my language and time zone, audited; rejects a bad time zone and unknown fields', async () => {
    const staff = await t.signedIn('staff');
    const res = await staff.patch('/api/me', { locale: 'ar', timeZone: 'Asia/Hebron', name: 'Renamed' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ locale: 'ar', timeZone: 'Asia/Hebron', name: 'Renamed' });
    const [row] = await t.db.select().from(user).where(eq(user.id, staff.user.id));
    expect(row).toMatchObject({ locale: 'ar', timeZone: 'Asia/Hebron', name: 'Renamed' });
    const [entry] = await t.db.select().from(auditEntry).where(and(eq(auditEntry.action, 'user.update_preferences'), eq(auditEntry.actorId, staff.user.id)));
    expect(entry?.detail).toMatchObject({ locale: 'ar' });

    const p = await problem(await staff.patch('/api/me', { timeZone: 'Nowhere/Else', locale: 'fr', role: 'admin' }), 400);
    expect(p.errors!.map((e) => e.field).sort()).toEqual(['body.locale', 'body.role', 'body.timeZone']);
    const [unchanged] = await t.db.select().from(user).where(eq(user.id, staff.user.id));
    expect(unchanged).toMatchObject({ locale: 'ar', timeZone: 'Asia/Hebron', role: 'staff' });
  });
});
