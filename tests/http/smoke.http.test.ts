import { describe, expect, it } from 'vitest';
import { createTestApp, problem } from '../setup/test-app.ts';

const t = await createTestApp();

describe('smoke', () => {
  it('serves health and refuses an anonymous /me', async () => {
    const res = await t.app.request('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', databaseOk: true });
    await problem(await t.app.request('/api/me'), 401);
  });
  it('signs in an admin who can read the audit log', async () => {
    const admin = await t.signedIn('admin');
    const res = await admin.get('/api/audit');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.items[0]).toMatchObject({ action: 'session.create', actorId: admin.user.id });
  });
});
