import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { session, user } from './accounts.schema.ts';
import { createUserWithPassword } from './accounts.service.ts';
import { auditEntry } from '../audit/audit.schema.ts';
import { PASSWORD, createTestApp, problem } from '../../../../tests/setup/test-app.ts';
import { allPages } from '../../../../tests/setup/http-helpers.ts';

const t = await createTestApp();
const admin = await t.signedIn('admin', { email: 'aaa-admin@example.org' });

type UserDto = { id: string; email: string; role: string; disabled: boolean };

async function auditOf(action: string, entityId: string) {
  return t.db.select().from(auditEntry).where(and(eq(auditEntry.action, action), eq(auditEntry.entityId, entityId)));
}

describe('users (admins)', () => {
  it('lists every account across pages of 2 with no duplicates and no gaps', async () => {
    for (let i = 0; i < 6; i++) {
      await createUserWithPassword(t.db, { name: `Member ${i}`, email: `member-${i}@example.org`, password: PASSWORD, role: i % 2 ? 'staff' : 'viewer', locale: 'en', timeZone: 'UTC' });
    }
    const { pages, items } = await allPages<UserDto>(admin, '/api/users', 2);
    const all = await t.db.select({ id: user.id, email: user.email }).from(user);
    expect(pages.length).toBeGreaterThanOrEqual(4);
    for (const p of pages.slice(0, -1)) expect(p).toHaveLength(2);
    const ids = items.map((u) => u.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(all.map((u) => u.id).sort());
    // ordered by email
    expect(items.map((u) => u.email)).toEqual([...items.map((u) => u.email)].sort());
    expect(JSON.stringify(items)).not.toMatch(/password|token|secret/i);
  });

  it('rejects a bad cursor and a bad limit naming the query field', async () => {
    const p = await problem(await admin.get('/api/users?cursor=not-a-cursor'), 400);
    expect(p.errors).toEqual([{ field: 'query.cursor', detail: expect.any(String) }]);
    const q = await problem(await admin.get('/api/users?limit=0'), 400);
    expect(q.errors!.map((e) => e.field)).toEqual(['query.limit']);
    const r = await problem(await admin.get('/api/users?limit=abc'), 400);
    expect(r.errors!.map((e) => e.field)).toEqual(['query.limit']);
  });

  it('changes a role, audited with before and after', async () => {
    const staff = await t.signedIn('staff');
    const res = await admin.patch(`/api/users/${staff.user.id}`, { role: 'viewer' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: staff.user.id, role: 'viewer' });
    const [row] = await t.db.select().from(user).where(eq(user.id, staff.user.id));
    expect(row!.role).toBe('viewer');
    const [entry] = await auditOf('user.update', staff.user.id);
    expect(entry).toMatchObject({ actorId: admin.user.id, entityType: 'user' });
    expect(entry!.detail).toMatchObject({ role: 'viewer', before: { role: 'staff' } });
    // the new role applies to the existing session at once
    expect((await problem(await staff.post('/api/invitations', { email: 'x@example.org', name: 'X' }), 403)).code).toBe('forbidden');
    expect(await (await staff.get('/api/me')).json()).toMatchObject({ role: 'viewer' });
  });

  it('disabling ends the user\'s sessions at once and stops sign-in; enabling lets them back', async () => {
    const staff = await t.signedIn('staff');
    expect((await staff.get('/api/me')).status).toBe(200);

    const res = await admin.patch(`/api/users/${staff.user.id}`, { disabled: true });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ disabled: true });
    await problem(await staff.get('/api/me'), 401);
    expect(await t.db.select().from(session).where(eq(session.userId, staff.user.id))).toHaveLength(0);
    const [entry] = await auditOf('user.disable', staff.user.id);
    expect(entry!.detail).toMatchObject({ disabled: true, endedSessions: 1 });

    const again = t.client();
    await problem(await again.post('/api/auth/sign-in/email', { email: staff.user.email, password: PASSWORD }), 401);
    expect(await t.db.select().from(session).where(eq(session.userId, staff.user.id))).toHaveLength(0);

    expect((await admin.patch(`/api/users/${staff.user.id}`, { disabled: false })).status).toBe(200);
    expect(await auditOf('user.enable', staff.user.id)).toHaveLength(1);
    expect((await again.post('/api/auth/sign-in/email', { email: staff.user.email, password: PASSWORD })).status).toBe(200);
    expect((await again.get('/api/me')).status).toBe(200);
  });

  it('an admin cannot disable or demote themself; the last admin cannot be demoted', async () => {
    // the only administrator so far: demoting or disabling them would leave none
    expect((await t.db.select().from(user).where(eq(user.role, 'admin'))).map((u) => u.id)).toEqual([admin.user.id]);
    const self = await problem(await admin.patch(`/api/users/${admin.user.id}`, { disabled: true }), 422);
    expect(self.code).toBe('cannot_demote_self');
    expect(self.errors!.map((e) => e.field)).toEqual(['body.disabled']);
    const demote = await problem(await admin.patch(`/api/users/${admin.user.id}`, { role: 'staff' }), 422);
    expect(demote.errors!.map((e) => e.field)).toEqual(['body.role']);
    const [row] = await t.db.select().from(user).where(eq(user.id, admin.user.id));
    expect(row).toMatchObject({ role: 'admin', disabled: false });

    // with a second admin, one may demote the other, who then cannot demote the one left
    const second = await t.signedIn('admin');
    expect(await (await second.patch(`/api/users/${admin.user.id}`, { role: 'staff' })).json()).toMatchObject({ role: 'staff' });
    expect((await problem(await second.patch(`/api/users/${second.user.id}`, { role: 'viewer' }), 422)).code).toBe('cannot_demote_self');
    expect(await (await second.patch(`/api/users/${admin.user.id}`, { role: 'admin' })).json()).toMatchObject({ role: 'admin' });
    expect(await auditOf('user.update', admin.user.id)).toHaveLength(2);
  });

  it('answers 404 for an unknown id and 400 for bad input', async () => {
    expect((await problem(await admin.patch('/api/users/no-such-user', { role: 'staff' }), 404)).code).toBe('user_not_found');
    const p = await problem(await admin.patch(`/api/users/${admin.user.id}`, { role: 'owner', disabled: 'no', email: 'x@example.org' }), 400);
    expect(p.errors!.map((e) => e.field).sort()).toEqual(['body.disabled', 'body.email', 'body.role']);
  });

  it('staff and viewers get 403 on every admin route; anonymous callers 401', async () => {
    const target = (await t.db.select().from(user).limit(1))[0]!;
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/users'],
      ['PATCH', `/api/users/${target.id}`, { role: 'admin' }],
      ['GET', '/api/invitations'],
      ['POST', '/api/invitations', { email: 'new@example.org', name: 'New' }],
      ['DELETE', '/api/invitations/some-id'],
      ['GET', '/api/audit'],
      ['GET', '/api/settings'],
      ['PATCH', '/api/settings', { requireTwoFactor: true }],
    ];
    for (const role of ['staff', 'viewer'] as const) {
      const c = await t.signedIn(role);
      for (const [method, path, json] of routes) {
        const res = await c.request(path, { method, json });
        const p = await problem(res, 403);
        expect(p.code, `${role} ${method} ${path}`).toBe('forbidden');
      }
      expect(await (await c.get('/api/me')).json()).toMatchObject({ role });
    }
    for (const [method, path, json] of routes) {
      await problem(await t.client().request(path, { method, json }), 401);
    }
    const [row] = await t.db.select().from(user).where(eq(user.id, target.id));
    expect(row!.role).toBe(target.role);
  });
});
