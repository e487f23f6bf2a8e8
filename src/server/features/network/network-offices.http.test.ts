import { and, count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEntry } from '../audit/audit.schema.ts';
import { office, staffOffice } from './network.schema.ts';
import { createTestApp, problem, type TestClient } from '../../../../tests/setup/test-app.ts';

const t = await createTestApp();
const admin = await t.signedIn('admin', { name: 'Alma Admin' });
const staff = await t.signedIn('staff', { name: 'Basel Staff' });
const viewer = await t.signedIn('viewer', { name: 'Chen Viewer' });

type Office = { id: string; name: string; city: string; timeZone: string; staffCount: number };
type Staff = { id: string; name: string; email: string; role: string; disabled: boolean; office: { id: string; name: string; city: string; timeZone: string } | null };

// the test client has no put(): PUT through request()
function put(client: TestClient, path: string, json: unknown) {
  return client.request(path, { method: 'PUT', json });
}

async function auditOf(action: string, entityId: string) {
  return t.db.select().from(auditEntry).where(and(eq(auditEntry.action, action), eq(auditEntry.entityId, entityId)));
}

describe('offices', () => {
  it('admins create and edit offices; everyone signed in lists them', async () => {
    const res = await admin.post('/api/offices', { name: 'Ramallah', city: 'Ramallah', timeZone: 'Asia/Hebron' });
    expect(res.status).toBe(201);
    const ramallah: Office = await res.json();
    expect(ramallah).toMatchObject({ name: 'Ramallah', city: 'Ramallah', timeZone: 'Asia/Hebron', staffCount: 0 });
    expect((await admin.post('/api/offices', { name: 'Berlin', city: 'Berlin', timeZone: 'Europe/Berlin' })).status).toBe(201);

    const edited = await admin.patch(`/api/offices/${ramallah.id}`, { name: 'Ramallah office', timeZone: 'Asia/Gaza' });
    expect(edited.status).toBe(200);
    expect(await edited.json()).toMatchObject({ id: ramallah.id, name: 'Ramallah office', city: 'Ramallah', timeZone: 'Asia/Gaza' });

    for (const who of [viewer, staff]) {
      const list = await who.get('/api/offices');
      expect(list.status).toBe(200);
      expect(((await list.json()).items as Office[]).map((o) => o.name)).toEqual(['Berlin', 'Ramallah office']);
    }

    const [created] = await auditOf('office.create', ramallah.id);
    expect(created).toMatchObject({ actorId: admin.user.id, entityType: 'office', detail: { name: 'Ramallah', timeZone: 'Asia/Hebron' } });
    const [updated] = await auditOf('office.update', ramallah.id);
    expect(updated).toMatchObject({ actorId: admin.user.id, detail: { name: 'Ramallah office', before: { name: 'Ramallah', timeZone: 'Asia/Hebron' } } });
  });

  it('only admins write offices; anonymous is 401', async () => {
    const before = (await t.db.select({ n: count() }).from(office))[0]!.n;
    await problem(await staff.post('/api/offices', { name: 'Paris', city: 'Paris', timeZone: 'Europe/Paris' }), 403);
    await problem(await viewer.post('/api/offices', { name: 'Paris', city: 'Paris', timeZone: 'Europe/Paris' }), 403);
    const [any] = await t.db.select().from(office);
    await problem(await staff.patch(`/api/offices/${any!.id}`, { name: 'Hijacked' }), 403);
    await problem(await t.client().get('/api/offices'), 401);
    await problem(await t.client().get('/api/staff'), 401);
    await problem(await t.client().post('/api/offices', { name: 'Paris', city: 'Paris', timeZone: 'Europe/Paris' }), 401);
    expect((await t.db.select({ n: count() }).from(office))[0]!.n).toBe(before);
    expect((await t.db.select().from(office).where(eq(office.id, any!.id)))[0]!.name).not.toBe('Hijacked');
  });

  it('rejects bad input field by field, duplicate names and unknown ids, writing nothing', async () => {
    const before = (await t.db.select({ n: count() }).from(office))[0]!.n;
    const bad = await problem(await admin.post('/api/offices', { name: '', city: 'x'.repeat(121), timeZone: 'Mars/Olympus', floor: 3 }), 400);
    expect(bad.errors!.map((e) => e.field).sort()).toEqual(['body.city', 'body.floor', 'body.name', 'body.timeZone']);
    const dup = await problem(await admin.post('/api/offices', { name: 'berlin', city: 'Berlin', timeZone: 'Europe/Berlin' }), 409);
    expect(dup.errors).toEqual([{ field: 'body.name', detail: 'Already taken' }]);
    await problem(await admin.patch('/api/offices/00000000-0000-4000-8000-000000000000', { name: 'Nowhere' }), 404);
    await problem(await admin.patch('/api/offices/not-a-uuid', { name: 'Nowhere' }), 404);
    expect((await t.db.select({ n: count() }).from(office))[0]!.n).toBe(before);
  });
});

describe('staff', () => {
  it('lists accounts with role and office; admins assign and clear offices, audited', async () => {
    const offices: Office[] = (await (await admin.get('/api/offices')).json()).items;
    const berlin = offices.find((o) => o.name === 'Berlin')!;

    const res = await put(admin, `/api/staff/${staff.user.id}/office`, { officeId: berlin.id });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: staff.user.id, name: 'Basel Staff', role: 'staff', office: { id: berlin.id, name: 'Berlin', timeZone: 'Europe/Berlin' } });

    const list = await viewer.get('/api/staff');
    expect(list.status).toBe(200);
    const items: Staff[] = (await list.json()).items;
    expect(items.map((s) => s.name)).toEqual(['Alma Admin', 'Basel Staff', 'Chen Viewer']);
    expect(items.find((s) => s.id === staff.user.id)).toMatchObject({ email: staff.user.email, role: 'staff', office: { id: berlin.id, city: 'Berlin' } });
    expect(items.find((s) => s.id === viewer.user.id)!.office).toBeNull();

    const inBerlin: Staff[] = (await (await viewer.get(`/api/staff?officeId=${berlin.id}`)).json()).items;
    expect(inBerlin.map((s) => s.id)).toEqual([staff.user.id]);
    const admins: Staff[] = (await (await viewer.get('/api/staff?role=admin')).json()).items;
    expect(admins.map((s) => s.id)).toEqual([admin.user.id]);
    expect(((await (await viewer.get('/api/offices')).json()).items as Office[]).find((o) => o.id === berlin.id)!.staffCount).toBe(1);

    // moving to another office replaces the assignment; null clears it
    const ramallah = offices.find((o) => o.name !== 'Berlin')!;
    expect((await put(admin, `/api/staff/${staff.user.id}/office`, { officeId: ramallah.id })).status).toBe(200);
    expect(await t.db.select().from(staffOffice).where(eq(staffOffice.userId, staff.user.id))).toEqual([{ userId: staff.user.id, officeId: ramallah.id }]);
    const cleared = await put(admin, `/api/staff/${staff.user.id}/office`, { officeId: null });
    expect((await cleared.json()).office).toBeNull();
    expect(await t.db.select().from(staffOffice).where(eq(staffOffice.userId, staff.user.id))).toEqual([]);

    const audits = await auditOf('staff.assign_office', staff.user.id);
    expect(audits.map((a) => a.detail)).toEqual([
      { officeId: berlin.id, before: null },
      { officeId: ramallah.id, before: berlin.id },
      { officeId: null, before: ramallah.id },
    ]);
    expect(audits.every((a) => a.actorId === admin.user.id && a.entityType === 'user')).toBe(true);
  });

  it('leaves disabled accounts out unless asked', async () => {
    expect((await admin.patch(`/api/users/${viewer.user.id}`, { disabled: true })).status).toBe(200);
    const active: Staff[] = (await (await admin.get('/api/staff')).json()).items;
    expect(active.map((s) => s.id)).not.toContain(viewer.user.id);
    const all: Staff[] = (await (await admin.get('/api/staff?includeDisabled=true')).json()).items;
    expect(all.find((s) => s.id === viewer.user.id)).toMatchObject({ disabled: true });
    expect((await admin.patch(`/api/users/${viewer.user.id}`, { disabled: false })).status).toBe(200);
  });

  it('refuses non-admins, unknown users and unknown offices', async () => {
    const [o] = await t.db.select().from(office);
    await problem(await put(staff, `/api/staff/${staff.user.id}/office`, { officeId: o!.id }), 403);
    await problem(await put(t.client(), `/api/staff/${staff.user.id}/office`, { officeId: o!.id }), 401);
    await problem(await put(admin, '/api/staff/no-such-user/office', { officeId: o!.id }), 404);
    const unknown = await problem(await put(admin, `/api/staff/${staff.user.id}/office`, { officeId: '00000000-0000-4000-8000-000000000000' }), 422);
    expect(unknown.errors).toEqual([{ field: 'body.officeId', detail: 'No such office' }]);
    const bad = await problem(await put(admin, `/api/staff/${staff.user.id}/office`, { officeId: 'berlin' }), 400);
    expect(bad.errors!.map((e) => e.field)).toEqual(['body.officeId']);
    expect(await t.db.select().from(staffOffice).where(eq(staffOffice.userId, staff.user.id))).toEqual([]);
  });
});
