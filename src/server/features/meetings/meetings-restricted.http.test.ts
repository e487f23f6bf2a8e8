import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEntry } from '../audit/audit.schema.ts';
import { normalizeName } from '../network/names.ts';
import { organisation, organisationName, person } from '../network/network.schema.ts';
import { accessGrant } from '../../access/access.schema.ts';
import { createTestApp, problem, type TestClient } from '../../../../tests/setup/test-app.ts';

// Need-to-know: a restricted meeting is seen by admins, its staff and the users granted it; nobody else
// can learn of it through a list, a count, a filter or its URL. Every read of it is audited.

const t = await createTestApp();
const admin = await t.signedIn('admin');
const recorder = await t.signedIn('staff', { name: 'Recorder' });
const present = await t.signedIn('staff', { name: 'Present' });
const followUpOwner = await t.signedIn('staff', { name: 'Owner' });
const outsider = await t.signedIn('staff', { name: 'Outsider' });
const viewer = await t.signedIn('viewer', { name: 'Viewer' });

const [mission] = await t.db.insert(organisation).values({ kind: 'mission', name: 'Embassy of Examplestan' }).returning();
await t.db.insert(organisationName).values({ organisationId: mission!.id, name: mission!.name, script: 'latin', norm: normalizeName(mission!.name) });

let secretId = '';
let notesId = '';

async function reads(entityType: string, entityId: string, actorId: string) {
  return t.db
    .select()
    .from(auditEntry)
    .where(and(eq(auditEntry.action, 'record.read'), eq(auditEntry.entityType, entityType), eq(auditEntry.entityId, entityId), eq(auditEntry.actorId, actorId)));
}

async function seesNothing(c: TestClient) {
  await problem(await c.get(`/api/meetings/${secretId}`), 404);
  await problem(await c.get(`/api/meetings/${secretId}/grants`), 404);
  const all = await (await c.get('/api/meetings')).json();
  expect(all.items.map((m: { id: string }) => m.id)).not.toContain(secretId);
  expect(all.total).toBe(1); // only the meeting with restricted notes
  const byOrg = await (await c.get(`/api/meetings?organisationId=${mission!.id}`)).json();
  expect(byOrg).toMatchObject({ total: 1 });
  const week = await (await c.get(`/api/meetings?from=${encodeURIComponent('2024-07-08T00:00:00Z')}&to=${encodeURIComponent('2024-07-15T00:00:00Z')}`)).json();
  expect(week.items.map((m: { id: string }) => m.id)).toEqual([notesId]);
  const items = await (await c.get(`/api/shared-items?organisationId=${mission!.id}`)).json();
  expect(items.items.map((i: { body: string }) => i.body)).toEqual(['Open concern in the notes meeting']);
  expect(items.total).toBe(1);
  expect((await (await c.get(`/api/shared-items?meetingId=${secretId}`)).json()).total).toBe(0);
  const fus = await (await c.get(`/api/follow-ups?ownerId=${followUpOwner.user.id}`)).json();
  expect(fus).toMatchObject({ items: [], total: 0 });
  expect((await (await c.get(`/api/follow-ups?meetingId=${secretId}`)).json()).total).toBe(0);
}

beforeAll(async () => {
  const res = await recorder.post('/api/meetings', {
    kind: 'diplomatic',
    title: 'Quiet talk with the Examplestan ambassador',
    startsAt: '2024-07-10T09:00:00+03:00',
    endsAt: '2024-07-10T10:00:00+03:00',
    timeZone: 'Asia/Jerusalem',
    city: 'Tel Aviv',
    restricted: true,
    notes: 'Who said what',
    organisations: [{ organisationId: mission!.id, role: 'subject' }],
    staffIds: [present.user.id],
    sharedItems: [{ organisationId: mission!.id, kind: 'request', body: 'Asked for the hostage families list' }],
    followUps: [{ title: 'Send the list', ownerId: followUpOwner.user.id, dueDate: '2024-07-12' }],
  });
  expect(res.status).toBe(201);
  secretId = (await res.json()).id;
  const notes = await recorder.post('/api/meetings', {
    kind: 'call',
    title: 'Call with the mission',
    startsAt: '2024-07-11T09:00:00Z',
    endsAt: '2024-07-11T09:30:00Z',
    timeZone: 'Europe/Berlin',
    online: true,
    notes: 'Sensitive details',
    notesRestricted: true,
    organisations: [{ organisationId: mission!.id, role: 'participant' }],
    staffIds: [present.user.id],
    sharedItems: [
      { organisationId: mission!.id, kind: 'concern', body: 'Open concern in the notes meeting' },
      { organisationId: mission!.id, kind: 'update', body: 'Restricted update', restricted: true },
    ],
  });
  expect(notes.status).toBe(201);
  notesId = (await notes.json()).id;
});

describe('a restricted meeting', () => {
  it('grants its recorder, and its follow-up owner', async () => {
    const grants = await t.db.select().from(accessGrant).where(and(eq(accessGrant.recordType, 'meeting'), eq(accessGrant.recordId, secretId)));
    expect(grants.map((g) => g.userId).sort()).toEqual([recorder.user.id, followUpOwner.user.id].sort());
  });

  it('is invisible to staff and viewers not granted: 404, absent from lists, filters and totals', async () => {
    await seesNothing(outsider);
    await seesNothing(viewer);
    // nor can they write to it or through it
    await problem(await outsider.patch(`/api/meetings/${secretId}`, { title: 'x' }), 404);
    await problem(await outsider.delete(`/api/meetings/${secretId}`), 404);
    await problem(await outsider.post(`/api/meetings/${secretId}/shared-items`, { organisationId: mission!.id, kind: 'update', body: 'x' }), 404);
    await problem(await outsider.post(`/api/meetings/${secretId}/grants`, { userId: outsider.user.id }), 404);
    const fu = await problem(await outsider.post('/api/follow-ups', { title: 'x', ownerId: outsider.user.id, meetingId: secretId }), 422);
    expect(fu.errors).toEqual([{ field: 'body.meetingId', detail: expect.any(String) }]);
    expect(await reads('meeting', secretId, outsider.user.id)).toHaveLength(0);
  });

  it('is visible to its staff, its follow-up owner and admins, and each read is audited', async () => {
    const res = await present.get(`/api/meetings/${secretId}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ restricted: true, notes: 'Who said what', sharedItems: [{ kind: 'request' }], followUps: [{ title: 'Send the list' }] });
    expect(await reads('meeting', secretId, present.user.id)).toHaveLength(1);

    const mine = await (await followUpOwner.get('/api/follow-ups?mine=true')).json();
    expect(mine.items.map((f: { meetingId: string }) => f.meetingId)).toEqual([secretId]);
    expect(await reads('meeting', secretId, followUpOwner.user.id)).toHaveLength(1);

    const list = await (await admin.get('/api/meetings')).json();
    expect(list.total).toBe(2);
    expect((await admin.get(`/api/meetings/${secretId}`)).status).toBe(200);
    expect((await reads('meeting', secretId, admin.user.id)).length).toBeGreaterThanOrEqual(2);
    await admin.get(`/api/shared-items?meetingId=${secretId}`);
    expect((await reads('meeting', secretId, admin.user.id)).length).toBeGreaterThanOrEqual(3);
  });

  it('can be granted by its staff, then seen by the grantee (audited), and revoked', async () => {
    expect((await (await present.get(`/api/meetings/${secretId}/grants`)).json()).staff).toEqual([{ userId: present.user.id, name: 'Present' }]);
    // the outsider may not grant it; a viewer may not write at all
    await problem(await viewer.post(`/api/meetings/${secretId}/grants`, { userId: viewer.user.id }), 403);
    const unknown = await problem(await present.post(`/api/meetings/${secretId}/grants`, { userId: 'ghost' }), 422);
    expect(unknown.errors).toEqual([{ field: 'body.userId', detail: expect.any(String) }]);

    const res = await present.post(`/api/meetings/${secretId}/grants`, { userId: viewer.user.id });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ userId: viewer.user.id, name: 'Viewer', grantedBy: present.user.id });
    expect(await t.db.select().from(auditEntry).where(and(eq(auditEntry.action, 'meeting.grant'), eq(auditEntry.entityId, secretId), eq(auditEntry.actorId, present.user.id)))).toHaveLength(1);

    expect((await viewer.get(`/api/meetings/${secretId}`)).status).toBe(200);
    expect((await (await viewer.get('/api/meetings')).json()).total).toBe(2);
    expect(await reads('meeting', secretId, viewer.user.id)).toHaveLength(2);
    // granted, but still a viewer: reads only
    await problem(await viewer.post(`/api/meetings/${secretId}/grants`, { userId: outsider.user.id }), 403);

    // a granted staff member may pass it on
    expect((await recorder.post(`/api/meetings/${secretId}/grants`, { userId: outsider.user.id })).status).toBe(201);
    expect((await outsider.get(`/api/meetings/${secretId}`)).status).toBe(200);
    expect((await recorder.delete(`/api/meetings/${secretId}/grants/${outsider.user.id}`)).status).toBe(204);
    expect((await present.delete(`/api/meetings/${secretId}/grants/${viewer.user.id}`)).status).toBe(204);
    await problem(await present.delete(`/api/meetings/${secretId}/grants/${viewer.user.id}`), 404);
    await seesNothing(viewer);
    await seesNothing(outsider);
  });

  it('reassigning its follow-up grants the new owner the meeting', async () => {
    const fu = (await (await present.get(`/api/meetings/${secretId}`)).json()).followUps[0];
    expect((await present.patch(`/api/follow-ups/${fu.id}`, { ownerId: outsider.user.id })).status).toBe(200);
    expect((await outsider.get(`/api/meetings/${secretId}`)).status).toBe(200);
    expect((await (await outsider.get('/api/follow-ups?mine=true')).json()).items.map((f: { id: string }) => f.id)).toEqual([fu.id]);
  });
});

describe('restricted notes and shared items', () => {
  it('hides restricted notes (null, notesHidden) from those not granted, and lets them not overwrite them', async () => {
    const m = await (await viewer.get(`/api/meetings/${notesId}`)).json();
    expect(m).toMatchObject({ notes: null, notesHidden: true, notesRestricted: true });
    expect(JSON.stringify(m)).not.toContain('Sensitive details');
    expect(await reads('meeting_notes', notesId, viewer.user.id)).toHaveLength(0);
    await problem(await outsider.patch(`/api/meetings/${notesId}`, { notes: 'overwritten' }), 403);
    // but they may still change the meeting's other fields
    expect((await outsider.patch(`/api/meetings/${notesId}`, { venue: 'Zoom' })).status).toBe(200);

    const staffView = await (await present.get(`/api/meetings/${notesId}`)).json();
    expect(staffView).toMatchObject({ notes: 'Sensitive details', notesHidden: false });
    expect(await reads('meeting_notes', notesId, present.user.id)).toHaveLength(1);
  });

  it('hides a restricted shared item from those not granted, shows it to the recorder and the staff, audited', async () => {
    const m = await (await viewer.get(`/api/meetings/${notesId}`)).json();
    expect(m.sharedItems.map((s: { body: string }) => s.body)).toEqual(['Open concern in the notes meeting']);
    const list = await (await viewer.get(`/api/meetings?organisationId=${mission!.id}`)).json();
    expect(list.items[0].sharedItemCount).toBe(1);

    const items = await (await recorder.get(`/api/shared-items?meetingId=${notesId}`)).json();
    expect(items.total).toBe(2);
    const restricted = items.items.find((i: { restricted: boolean }) => i.restricted);
    expect(await reads('shared_item', restricted.id, recorder.user.id)).toHaveLength(1);
    await problem(await outsider.patch(`/api/shared-items/${restricted.id}`, { status: 'closed' }), 404);
    expect((await present.patch(`/api/shared-items/${restricted.id}`, { status: 'closed' })).status).toBe(200);
  });
});

describe('people at meetings', () => {
  it('shows a pseudonym for a restricted identity, hides a restricted person, and does not let a filter reveal them', async () => {
    const [open] = await t.db.insert(person).values({ displayName: 'Dana Open' }).returning();
    const [pseudo] = await t.db.insert(person).values({ displayName: 'Official A, ministry of foreign affairs', pseudonym: 'Official A, ministry of foreign affairs', identityRestricted: true }).returning();
    const [hidden] = await t.db.insert(person).values({ displayName: 'Hidden Person', restricted: true }).returning();
    // the outsider cannot refer to a person they may not see
    const refused = await problem(await outsider.patch(`/api/meetings/${notesId}`, { people: [{ personId: hidden!.id }] }), 422);
    expect(refused.errors).toEqual([{ field: 'body.people.0.personId', detail: expect.any(String) }]);
    const res = await admin.patch(`/api/meetings/${notesId}`, {
      people: [
        { personId: open!.id, organisationId: mission!.id, role: 'speaker' },
        { personId: pseudo!.id, organisationId: mission!.id, role: 'diplomat' },
        { personId: hidden!.id, role: 'participant' },
      ],
    });
    expect(res.status).toBe(200);
    expect((await res.json()).people).toHaveLength(3);

    const seen = (await (await outsider.get(`/api/meetings/${notesId}`)).json()).people;
    expect(seen).toEqual([
      { personId: open!.id, displayName: 'Dana Open', organisationId: mission!.id, role: 'speaker' },
      { personId: pseudo!.id, displayName: 'Official A, ministry of foreign affairs', organisationId: null, role: 'diplomat' },
    ]);
    expect((await (await outsider.get(`/api/meetings?personId=${hidden!.id}`)).json()).total).toBe(0);
    expect((await (await admin.get(`/api/meetings?personId=${hidden!.id}`)).json()).total).toBe(1);
    expect((await (await outsider.get(`/api/meetings?personId=${open!.id}`)).json()).total).toBe(1);
  });

  it('restricting a meeting later keeps it in sight of whoever restricted it and of its follow-up owners', async () => {
    const fu = await outsider.post('/api/follow-ups', { title: 'Write up the call', ownerId: viewer.user.id, meetingId: notesId });
    expect(fu.status).toBe(201);
    // restricting grants whoever restricts the meeting, notes included: only those who may read the notes may
    const refused = await problem(await outsider.patch(`/api/meetings/${notesId}`, { restricted: true }), 403);
    expect(refused).toMatchObject({ code: 'notes_restricted', errors: [{ field: 'body.restricted' }] });
    expect(await (await outsider.get(`/api/meetings/${notesId}`)).json()).toMatchObject({ restricted: false, notesHidden: true });
    expect((await present.patch(`/api/meetings/${notesId}`, { restricted: true })).status).toBe(200);
    expect((await present.get(`/api/meetings/${notesId}`)).status).toBe(200);
    expect((await viewer.get(`/api/meetings/${notesId}`)).status).toBe(200);
    await problem(await outsider.get(`/api/meetings/${notesId}`), 404);
    await problem(await followUpOwner.get(`/api/meetings/${notesId}`), 404);
  });
});
