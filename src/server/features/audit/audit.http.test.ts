import { count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { session } from '../accounts/accounts.schema.ts';
import { auditEntry } from './audit.schema.ts';
import { PASSWORD, createTestApp, problem } from '../../../../tests/setup/test-app.ts';
import { allPages } from '../../../../tests/setup/http-helpers.ts';

// behind "our own reverse proxy": the client address comes from X-Forwarded-For
const t = await createTestApp({ config: { trustProxy: true } });
const adminHeaders = { 'x-forwarded-for': '203.0.113.7', 'user-agent': 'audit-admin-agent/1.0' };
const admin = await t.signedIn('admin', { headers: adminHeaders });

type Entry = { id: string; at: string; actorId: string | null; actorEmail: string | null; action: string; entityType: string; entityId: string | null; ip: string | null; userAgent: string | null; detail: Record<string, unknown> | null };

async function entries(query = ''): Promise<Entry[]> {
  const res = await admin.get(`/api/audit?limit=200${query ? `&${query}` : ''}`);
  expect(res.status).toBe(200);
  const body = await res.json();
  expect(body.nextCursor).toBeNull();
  return body.items;
}

const ids: { staff?: string; staffSession?: string; invitation?: string; accepted?: string } = {};

beforeAll(async () => {
  // one of every write the foundation has, by the admin from a known address and browser
  const staff = await t.signedIn('staff', { headers: { 'x-forwarded-for': '198.51.100.9', 'user-agent': 'staff-agent' } });
  ids.staff = staff.user.id;
  const [s] = await t.db.select().from(session).where(eq(session.userId, staff.user.id));
  ids.staffSession = s!.id;
  expect((await admin.patch('/api/me', { timeZone: 'Asia/Amman' })).status).toBe(200);
  expect((await admin.patch(`/api/users/${staff.user.id}`, { role: 'viewer' })).status).toBe(200);
  expect((await admin.patch(`/api/users/${staff.user.id}`, { disabled: true })).status).toBe(200);
  expect((await admin.patch(`/api/users/${staff.user.id}`, { disabled: false })).status).toBe(200);
  expect((await admin.patch('/api/settings', { requireTwoFactor: false })).status).toBe(200);
  const inv = await (await admin.post('/api/invitations', { email: 'revoke.me@example.org', name: 'Revoke Me' })).json();
  ids.invitation = inv.invitation.id;
  expect((await admin.delete(`/api/invitations/${inv.invitation.id}`)).status).toBe(200);
  const inv2 = await (await admin.post('/api/invitations', { email: 'accept.me@example.org', name: 'Accept Me', role: 'viewer' })).json();
  const accepted = await t.client({ 'x-forwarded-for': '192.0.2.44', 'user-agent': 'invitee-agent' }).post('/api/invitations/accept', { token: new URL(inv2.link).searchParams.get('token'), password: PASSWORD });
  ids.accepted = (await accepted.json()).id;
  await t.client({ 'x-forwarded-for': '192.0.2.99', 'user-agent': 'guesser' }).post('/api/auth/sign-in/email', { email: 'who@example.org', password: 'guessing password' });
  const second = t.client(adminHeaders);
  await second.post('/api/auth/sign-in/email', { email: admin.user.email, password: PASSWORD });
  const mine = await (await admin.get('/api/me/sessions')).json();
  const other = mine.items.find((x: { current: boolean }) => !x.current);
  expect((await admin.delete(`/api/me/sessions/${other.id}`)).status).toBe(204);
  expect((await second.get('/api/me')).status).toBe(401);
});

describe('audit log', () => {
  it('records every write with who, what, which record, and from where', async () => {
    const all = await entries();
    const find = (action: string, entityId?: string | null) => all.filter((e) => e.action === action && (entityId === undefined || e.entityId === entityId));
    const byAdmin = { actorId: admin.user.id, actorEmail: admin.user.email, ip: '203.0.113.7', userAgent: 'audit-admin-agent/1.0' };

    expect(find('session.create', admin.user.id)[0]).toMatchObject({ ...byAdmin, entityType: 'user' });
    expect(find('session.create', ids.staff)[0]).toMatchObject({ actorId: ids.staff, ip: '198.51.100.9', userAgent: 'staff-agent' });
    expect(find('user.update_preferences', admin.user.id)[0]).toMatchObject({ ...byAdmin, entityType: 'user', detail: { timeZone: 'Asia/Amman' } });
    expect(find('user.update', ids.staff)[0]).toMatchObject({ ...byAdmin, entityType: 'user', detail: { role: 'viewer', before: { role: 'staff' } } });
    expect(find('user.disable', ids.staff)[0]).toMatchObject({ ...byAdmin, entityType: 'user', detail: { disabled: true, endedSessions: 1 } });
    expect(find('user.enable', ids.staff)[0]).toMatchObject({ ...byAdmin, entityType: 'user' });
    expect(find('settings.update')[0]).toMatchObject({ ...byAdmin, entityType: 'setting', entityId: 'install' });
    expect(find('invitation.create', ids.invitation)[0]).toMatchObject({ ...byAdmin, entityType: 'invitation', detail: { email: 'revoke.me@example.org' } });
    expect(find('invitation.revoke', ids.invitation)[0]).toMatchObject({ ...byAdmin, entityType: 'invitation' });
    expect(find('invitation.accept', ids.accepted)[0]).toMatchObject({ actorId: ids.accepted, actorEmail: 'accept.me@example.org', entityType: 'user', ip: '192.0.2.44', userAgent: 'invitee-agent' });
    expect(find('session.sign_in_failed')[0]).toMatchObject({ actorId: null, ip: '192.0.2.99', userAgent: 'guesser', detail: { email: 'who@example.org' } });
    expect(find('session.end').find((e) => e.actorId === admin.user.id)).toMatchObject({ ...byAdmin, entityType: 'session' });

    for (const e of all) {
      expect(e.at).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(e.ip).toBeTruthy();
      const detail = JSON.stringify(e.detail ?? {});
      expect(detail).not.toMatch(/"(password|token|secret)"\s*:/i);
      expect(detail).not.toContain(PASSWORD);
      expect(detail).not.toContain('guessing password');
    }
  });

  it('filters by action, actor, entity type and time', async () => {
    const all = await entries();
    const disables = await entries('action=user.disable');
    expect(disables.map((e) => e.entityId)).toEqual([ids.staff]);

    const byStaff = await entries(`actorId=${ids.staff}`);
    expect(byStaff.length).toBeGreaterThan(0);
    expect(byStaff.every((e) => e.actorId === ids.staff)).toBe(true);
    expect(byStaff.length).toBe(all.filter((e) => e.actorId === ids.staff).length);

    const invitations = await entries('entityType=invitation');
    expect(invitations.length).toBe(all.filter((e) => e.entityType === 'invitation').length);
    expect(invitations.every((e) => e.entityType === 'invitation')).toBe(true);

    const combined = await entries(`entityType=user&actorId=${admin.user.id}&action=user.update`);
    expect(combined).toHaveLength(1);

    // from/to are inclusive bounds: split the log at one entry's time
    const pivot = all[Math.floor(all.length / 2)]!.at;
    const from = await entries(`from=${encodeURIComponent(pivot)}`);
    const to = await entries(`to=${encodeURIComponent(pivot)}`);
    expect(from.map((e) => e.id).sort()).toEqual(all.filter((e) => e.at >= pivot).map((e) => e.id).sort());
    expect(to.map((e) => e.id).sort()).toEqual(all.filter((e) => e.at <= pivot).map((e) => e.id).sort());
    expect(from.length).toBeLessThan(all.length);
    expect(to.length).toBeLessThan(all.length);
    const window = await entries(`from=${encodeURIComponent(pivot)}&to=${encodeURIComponent(pivot)}`);
    expect(window.length).toBeGreaterThan(0);
    expect(window.every((e) => e.at === pivot)).toBe(true);
    expect(await entries('from=2999-01-01T00:00:00Z')).toEqual([]);

    const bad = await problem(await admin.get('/api/audit?from=yesterday&limit=5000'), 400);
    expect(bad.errors!.map((e) => e.field).sort()).toEqual(['query.from', 'query.limit']);
  });

  it('pages newest first with a cursor, with no duplicates and no gaps', async () => {
    const all = await entries();
    const { pages, items } = await allPages<Entry>(admin, '/api/audit', 2);
    expect(pages.length).toBe(Math.ceil(all.length / 2));
    expect(items.map((e) => e.id)).toEqual(all.map((e) => e.id));
    const numeric = items.map((e) => BigInt(e.id));
    for (let i = 1; i < numeric.length; i++) expect(numeric[i]! < numeric[i - 1]!).toBe(true);
    const filtered = await allPages<Entry>(admin, '/api/audit?entityType=user', 1);
    expect(filtered.items.map((e) => e.id)).toEqual(all.filter((e) => e.entityType === 'user').map((e) => e.id));
    // garbage, and well-formed cursors with forged contents, are a 400 naming the field (never a 500)
    const forged = (parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');
    for (const cursor of ['bm9wZQ', forged(['abc']), forged([{}]), forged(['1', '2'])]) {
      const p = await problem(await admin.get(`/api/audit?cursor=${cursor}`), 400);
      expect(p.errors!.map((e) => e.field)).toEqual(['query.cursor']);
    }
  });

  it('is for admins only', async () => {
    for (const role of ['staff', 'viewer'] as const) {
      const c = await t.signedIn(role);
      expect((await problem(await c.get('/api/audit'), 403)).code).toBe('forbidden');
    }
    await problem(await t.client().get('/api/audit'), 401);
  });

  it('has no route that changes or deletes entries', async () => {
    const [before] = await t.db.select({ n: count() }).from(auditEntry);
    const first = (await t.db.select().from(auditEntry).limit(1))[0]!;
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      for (const path of ['/api/audit', `/api/audit/${first.id}`, '/api/audit/1']) {
        // the list's path takes only GET (405 naming it); an entry has no path of its own (404)
        const listPath = path === '/api/audit';
        const res = await admin.request(path, { method, json: { action: 'rewritten' } });
        const p = await problem(res, listPath ? 405 : 404);
        expect(p.code).toBe(listPath ? 'method_not_allowed' : 'route_not_found');
        if (listPath) expect(res.headers.get('allow')).toBe('GET, HEAD');
      }
    }
    const [after] = await t.db.select({ n: count() }).from(auditEntry);
    expect(after!.n).toBe(before!.n);
    const [still] = await t.db.select().from(auditEntry).where(eq(auditEntry.id, first.id));
    expect(still).toEqual(first);
  });
});
