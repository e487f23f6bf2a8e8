import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../../../tests/setup/test-app.ts';
import { buildMeeting, buildOrganisation } from '../../../../tests/setup/network-factories.ts';

// The audit log names the record each entry is about, for the log to link to its page: its current name when the record
// still exists, no name (only "restricted") for a restricted one, nothing for one deleted or without a page.
const t = await createTestApp();
const admin = await t.signedIn('admin');

type Entry = { action: string; entityType: string; entityId: string | null; record: { name: string | null; restricted: boolean } | null };
async function entriesFor(entityId: string): Promise<Entry[]> {
  const res = await admin.get(`/api/audit?limit=100&entityId=${entityId}`);
  expect(res.status).toBe(200);
  return (await res.json()).items;
}

describe('the record of an audit entry', () => {
  it('is named by its current name while it exists, without a name when restricted, and null once deleted', async () => {
    const created = await admin.post('/api/organisations', { kind: 'partner', names: [{ name: 'Named Partner' }] });
    expect(created.status).toBe(201);
    const org = await created.json();
    expect((await admin.patch(`/api/organisations/${org.id}`, { names: undefined, city: 'Haifa' })).status).toBe(200);
    const orgEntries = await entriesFor(org.id);
    expect(orgEntries.map((e) => e.action).sort()).toEqual(['organisation.create', 'organisation.update']);
    for (const e of orgEntries) expect(e.record).toEqual({ name: 'Named Partner', restricted: false });

    const secret = await buildMeeting(t.db, { title: 'Secret talks', restricted: true });
    expect((await admin.get(`/api/meetings/${secret.id}`)).status).toBe(200);
    const reads = await entriesFor(secret.id);
    expect(reads.map((e) => e.action)).toEqual(['record.read']);
    expect(reads[0]!.record).toEqual({ name: null, restricted: true });
    expect(JSON.stringify(reads)).not.toContain('Secret talks');

    const gone = await buildOrganisation(t.db, { name: 'Short-lived', kind: 'partner' });
    expect((await admin.delete(`/api/organisations/${gone.id}`)).status).toBe(204);
    const deleted = await entriesFor(gone.id);
    expect(deleted.map((e) => e.action)).toEqual(['organisation.delete']);
    expect(deleted[0]!.record).toBeNull();
  });

  it('is the user for entries about accounts, and null for kinds without a page', async () => {
    const staff = await t.signedIn('staff');
    expect((await admin.patch(`/api/users/${staff.user.id}`, { role: 'viewer' })).status).toBe(200);
    const [update] = await entriesFor(staff.user.id);
    expect(update!.action).toBe('user.update');
    expect(update!.record).toEqual({ name: staff.user.name, restricted: false });
    expect((await admin.patch('/api/settings', { requireTwoFactor: false })).status).toBe(200);
    const settings = (await (await admin.get('/api/audit?limit=100&entityType=setting')).json()).items as Entry[];
    expect(settings.length).toBeGreaterThan(0);
    for (const e of settings) expect(e.record).toBeNull();
  });
});
