import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { session, setting, user } from './accounts.schema.ts';
import { auditEntry } from '../audit/audit.schema.ts';
import { PASSWORD, createTestApp, problem } from '../../../../tests/setup/test-app.ts';
import { enableTwoFactor, totpCode } from '../../../../tests/setup/http-helpers.ts';

const t = await createTestApp();

async function actions(userId: string) {
  const rows = await t.db.select().from(auditEntry).where(eq(auditEntry.actorId, userId));
  return rows.map((r) => r.action);
}

describe('two-factor', () => {
  const ctx: { email?: string; id?: string; totpURI?: string; backupCodes?: string[]; used: Set<string> } = { used: new Set() };

  it('enable needs the password, and is not on until a code is verified', async () => {
    const staff = await t.signedIn('staff');
    ctx.email = staff.user.email;
    ctx.id = staff.user.id;

    const wrong = await problem(await staff.post('/api/auth/two-factor/enable', { password: 'not my password!' }), 400);
    expect(wrong.code).toBe('invalid_password');

    const res = await staff.post('/api/auth/two-factor/enable', { password: PASSWORD });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.totpURI).toMatch(/^otpauth:\/\/totp\/Convene:/);
    expect(new URL(body.totpURI).searchParams.get('secret')).toMatch(/^[A-Z2-7]+$/);
    expect(body.backupCodes.length).toBeGreaterThanOrEqual(5);
    ctx.totpURI = body.totpURI;
    ctx.backupCodes = body.backupCodes;
    expect(await (await staff.get('/api/me')).json()).toMatchObject({ twoFactorEnabled: false });

    const bad = await problem(await staff.post('/api/auth/two-factor/verify-totp', { code: '000000' === (await totpCode(body.totpURI)) ? '111111' : '000000' }), 401);
    expect(bad.code).toBe('invalid_code');
    expect(await (await staff.get('/api/me')).json()).toMatchObject({ twoFactorEnabled: false });

    const ok = await staff.post('/api/auth/two-factor/verify-totp', { code: await totpCode(body.totpURI, ctx.used) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).not.toHaveProperty('token');
    const me = await staff.get('/api/me');
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ twoFactorEnabled: true });
    const [row] = await t.db.select().from(user).where(eq(user.id, staff.user.id));
    expect(row!.twoFactorEnabled).toBe(true);
    expect(await actions(staff.user.id)).toEqual(expect.arrayContaining(['two_factor.start', 'two_factor.verify']));
  });

  it('a new sign-in then asks for the second factor and gives no session until a good code', async () => {
    const sessions = async () => (await t.db.select().from(session).where(eq(session.userId, ctx.id!))).length;
    const before = await sessions();
    const c = t.client();
    const res = await c.post('/api/auth/sign-in/email', { email: ctx.email, password: PASSWORD });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ twoFactorRedirect: true });
    expect(await sessions()).toBe(before);
    expect([...c.cookies.keys()].some((k) => k.includes('session_token'))).toBe(false);
    await problem(await c.get('/api/me'), 401);

    const wrong = await problem(await c.post('/api/auth/two-factor/verify-totp', { code: '12345x' }), 401);
    expect(wrong.code).toBe('invalid_code');
    await problem(await c.get('/api/me'), 401);

    // the code that turned two-factor on is spent: the same code again is refused
    const [spent] = [...ctx.used];
    const replay = await problem(await c.post('/api/auth/two-factor/verify-totp', { code: spent }), 401);
    expect(replay.code).toBe('code_already_used');
    await problem(await c.get('/api/me'), 401);

    const ok = await c.post('/api/auth/two-factor/verify-totp', { code: await totpCode(ctx.totpURI!, ctx.used) });
    expect(ok.status).toBe(200);
    const body = await ok.json();
    expect(body).not.toHaveProperty('token');
    expect(body.user).toMatchObject({ id: ctx.id });
    expect([...c.cookies.keys()].some((k) => k.includes('session_token'))).toBe(true);
    expect(await sessions()).toBe(before + 1);
    expect(await (await c.get('/api/me')).json()).toMatchObject({ id: ctx.id, twoFactorEnabled: true });
  });

  it('without the sign-in step a code is refused', async () => {
    await problem(await t.client().post('/api/auth/two-factor/verify-totp', { code: '123456' }), 401);
    const p = await problem(await t.client().post('/api/auth/two-factor/verify-totp', { code: '1', extra: true }), 400);
    expect(p.errors!.map((e) => e.field).sort()).toEqual(['body.code', 'body.extra']);
  });

  it('a backup code works once', async () => {
    const code = ctx.backupCodes![0]!;
    const c1 = t.client();
    expect(await (await c1.post('/api/auth/sign-in/email', { email: ctx.email, password: PASSWORD })).json()).toMatchObject({ twoFactorRedirect: true });
    const ok = await c1.post('/api/auth/two-factor/verify-backup-code', { code });
    expect(ok.status).toBe(200);
    expect(await (await c1.get('/api/me')).json()).toMatchObject({ id: ctx.id });

    const c2 = t.client();
    expect(await (await c2.post('/api/auth/sign-in/email', { email: ctx.email, password: PASSWORD })).json()).toMatchObject({ twoFactorRedirect: true });
    await problem(await c2.post('/api/auth/two-factor/verify-backup-code', { code }), 401);
    await problem(await c2.get('/api/me'), 401);
    expect(await actions(ctx.id!)).toContain('two_factor.backup_code_used');
  });

  it('disable needs the password; afterwards sign-in needs no code', async () => {
    const c = t.client();
    await c.post('/api/auth/sign-in/email', { email: ctx.email, password: PASSWORD });
    await c.post('/api/auth/two-factor/verify-totp', { code: await totpCode(ctx.totpURI!, ctx.used) });
    expect((await c.get('/api/me')).status).toBe(200);

    await problem(await c.post('/api/auth/two-factor/disable', { password: 'not my password!' }), 400);
    expect(await (await c.get('/api/me')).json()).toMatchObject({ twoFactorEnabled: true });

    const res = await c.post('/api/auth/two-factor/disable', { password: PASSWORD });
    expect(res.status).toBe(200);
    expect(await (await c.get('/api/me')).json()).toMatchObject({ twoFactorEnabled: false });
    expect(await actions(ctx.id!)).toContain('two_factor.disable');

    const again = t.client();
    const body = await (await again.post('/api/auth/sign-in/email', { email: ctx.email, password: PASSWORD })).json();
    expect(body.twoFactorRedirect).toBeUndefined();
    expect((await again.get('/api/me')).status).toBe(200);
  });
});

describe('settings', () => {
  it('only admins read and change settings', async () => {
    for (const role of ['staff', 'viewer'] as const) {
      const c = await t.signedIn(role);
      expect((await problem(await c.get('/api/settings'), 403)).code).toBe('forbidden');
      expect((await problem(await c.patch('/api/settings', { requireTwoFactor: true }), 403)).code).toBe('forbidden');
    }
    await problem(await t.client().get('/api/settings'), 401);
    await problem(await t.client().patch('/api/settings', { requireTwoFactor: true }), 401);
    expect(await t.db.select().from(setting).where(eq(setting.key, 'require_two_factor'))).toEqual([]);

    const admin = await t.signedIn('admin');
    expect(await (await admin.get('/api/settings')).json()).toEqual({ requireTwoFactor: false, organisationName: {} });
    const p = await problem(await admin.patch('/api/settings', { requireTwoFactor: 'yes', other: 1 }), 400);
    expect(p.errors!.map((e) => e.field).sort()).toEqual(['body.other', 'body.requireTwoFactor']);

    // an admin whose own two-factor is off cannot lock everyone (themself included) out
    const own = await problem(await admin.patch('/api/settings', { requireTwoFactor: true }), 422);
    expect(own.errors).toEqual([{ field: 'body.requireTwoFactor', detail: 'Your own two-factor is off' }]);
    expect(await (await admin.get('/api/settings')).json()).toEqual({ requireTwoFactor: false, organisationName: {} });
  });

  it('requireTwoFactor: a user without two-factor gets 403 two_factor_required outside their account routes', async () => {
    const admin = await t.signedIn('admin');
    await enableTwoFactor(admin, PASSWORD);
    const res = await admin.patch('/api/settings', { requireTwoFactor: true });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ requireTwoFactor: true, organisationName: {} });
    const [entry] = await t.db.select().from(auditEntry).where(and(eq(auditEntry.action, 'settings.update'), eq(auditEntry.actorId, admin.user.id)));
    expect(entry?.detail).toEqual({ requireTwoFactor: true });

    const other = await t.signedIn('admin');
    for (const path of ['/api/users', '/api/audit', '/api/settings', '/api/invitations']) {
      expect((await problem(await other.get(path), 403)).code).toBe('two_factor_required');
    }
    expect((await problem(await other.post('/api/invitations', { email: 'x@example.org', name: 'X' }), 403)).code).toBe('two_factor_required');
    const me = await other.get('/api/me');
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ twoFactorEnabled: false, twoFactorRequired: true });
    expect((await other.get('/api/me/sessions')).status).toBe(200);

    // the admin with two-factor is unaffected; the other one gets in once theirs is on
    expect((await admin.get('/api/users')).status).toBe(200);
    await enableTwoFactor(other, PASSWORD);
    expect((await other.get('/api/users')).status).toBe(200);
    expect(await (await other.get('/api/me')).json()).toMatchObject({ twoFactorEnabled: true, twoFactorRequired: false });

    expect(await (await admin.patch('/api/settings', { requireTwoFactor: false })).json()).toEqual({ requireTwoFactor: false, organisationName: {} });
    const staff = await t.signedIn('staff');
    expect(await (await staff.get('/api/me')).json()).toMatchObject({ twoFactorRequired: false });
  });
});
