import { describe, expect, it } from 'vitest';
import { createTestApp, PASSWORD } from '../../../../tests/setup/test-app.ts';
import { enableTwoFactor } from '../../../../tests/setup/http-helpers.ts';

// GET /api/session: what the web app asks first on every page. Signed out is an answer (200, me null), so the sign-in
// page logs no 401; the same answer says whether the first administrator is still to be created.

const t = await createTestApp();

describe('GET /api/session', () => {
  it('says nobody is signed in and that setup is needed, before any account exists', async () => {
    const res = await t.client().get('/api/session');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('no-store');
    expect(await res.json()).toEqual({ me: null, needsSetup: true });
  });

  it('says who is signed in (as /api/me does), and that setup is done', async () => {
    const admin = await t.signedIn('admin', { name: 'Dana Levi' });
    const me = await (await admin.get('/api/me')).json();
    const res = await admin.get('/api/session');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ me, needsSetup: false });
    expect(me).toMatchObject({ name: 'Dana Levi', role: 'admin', locale: 'en' });
    expect(await (await t.client().get('/api/session')).json()).toEqual({ me: null, needsSetup: false });
  });

  it('answers after sign-out with nobody, and answers a user whom two-factor is required of', async () => {
    const admin = await t.signedIn('admin');
    const staff = await t.signedIn('staff');
    await enableTwoFactor(admin, PASSWORD);
    expect((await admin.patch('/api/settings', { requireTwoFactor: true })).status).toBe(200);
    // staff has two-factor off: the pillars refuse them, their session still answers (as /api/me does)
    expect((await staff.get('/api/organisations')).status).toBe(403);
    const res = await staff.get('/api/session');
    expect(res.status).toBe(200);
    expect((await res.json()).me).toMatchObject({ id: staff.user.id, twoFactorRequired: true });
    expect((await staff.post('/api/auth/sign-out')).status).toBe(200);
    expect(await (await staff.get('/api/session')).json()).toEqual({ me: null, needsSetup: false });
    expect((await admin.patch('/api/settings', { requireTwoFactor: false })).status).toBe(200);
  });
});
