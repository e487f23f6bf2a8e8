import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { meetingPerson } from '../features/meetings/meetings.schema.ts';
import { accessGrant } from './access.schema.ts';
import { buildMeeting, buildOrganisation, buildPerson, daysAgo } from '../../../tests/setup/network-factories.ts';
import { createTestApp, problem, type TestClient } from '../../../tests/setup/test-app.ts';

// The writes an attacker with a staff account tried against need-to-know (issue "Need-to-know under attack",
// findings 1–6): each one as it was reproduced, and what must hold instead. Every check is made for someone who may
// do it too, so that each can fail.

const t = await createTestApp();
const admin = await t.signedIn('admin');
const present = await t.signedIn('staff', { name: 'Present Staff' });
const nosy = await t.signedIn('staff', { name: 'Nosy Staff' });
const colleague = await t.signedIn('staff', { name: 'Colleague' });

const org = await buildOrganisation(t.db, { names: ['Cedar Circle'] });
const other = await buildOrganisation(t.db, { names: ['Juniper Circle'] });
const visiblePerson = await buildPerson(t.db, { name: 'Orla Visible' });
const hiddenPerson = await buildPerson(t.db, { name: 'Ysolde Hidden', restricted: true });
const pseudonymous = await buildPerson(t.db, { name: 'Tamsin Realname', identityRestricted: true, pseudonym: 'Source K' });

const json = async (c: TestClient, path: string) => {
  const res = await c.get(path);
  expect(res.status, path).toBe(200);
  return res.json();
};

/** An unrestricted meeting with restricted notes and a restricted shared item; `present` is its staff. */
async function meetingWithSecrets() {
  return buildMeeting(t.db, {
    title: 'Open meeting with secrets',
    startsAt: daysAgo(5),
    organisations: [org.id],
    people: [visiblePerson.id, { personId: hiddenPerson.id, organisationId: org.id }, { personId: pseudonymous.id, organisationId: other.id, role: 'speaker' }],
    notes: 'Marrowglen notes nobody else may read',
    notesRestricted: true,
    staffIds: [present.user.id],
    sharedItems: [
      { organisationId: org.id, body: 'Open concern' },
      { organisationId: org.id, body: 'Thistlewick restricted concern', restricted: true },
    ],
  });
}

describe('1. a staff member cannot grant themselves what is restricted in a meeting they can see', () => {
  it('adding oneself to the staff is refused, and nothing is revealed', async () => {
    const m = await meetingWithSecrets();
    const before = await json(nosy, `/api/meetings/${m.id}`);
    expect(before).toMatchObject({ notes: null, notesHidden: true, mayChangeStaff: false });
    expect(before.sharedItems.map((s: { body: string }) => s.body)).toEqual(['Open concern']);
    const refused = await problem(await nosy.patch(`/api/meetings/${m.id}`, { staffIds: [present.user.id, nosy.user.id] }), 403);
    expect(refused).toMatchObject({ code: 'staff_restricted', errors: [{ field: 'body.staffIds' }] });
    // nor by replacing the list, nor by removing the one who is there
    await problem(await nosy.patch(`/api/meetings/${m.id}`, { staffIds: [nosy.user.id] }), 403);
    await problem(await nosy.patch(`/api/meetings/${m.id}`, { staffIds: [] }), 403);
    const after = await json(nosy, `/api/meetings/${m.id}`);
    expect(after.notes).toBeNull();
    expect(after.sharedItems).toHaveLength(1);
    expect(after.staff.map((s: { userId: string }) => s.userId)).toEqual([present.user.id]);
    await problem(await nosy.post(`/api/meetings/${m.id}/grants`, { userId: colleague.user.id }), 403);
    // sending the staff list unchanged (as the web form does) with another change is fine
    expect((await nosy.patch(`/api/meetings/${m.id}`, { staffIds: [present.user.id], venue: 'Community hall' })).status).toBe(200);
  });

  it('the meeting staff and admins may change the staff list', async () => {
    const m = await meetingWithSecrets();
    expect((await json(present, `/api/meetings/${m.id}`)).mayChangeStaff).toBe(true);
    expect((await present.patch(`/api/meetings/${m.id}`, { staffIds: [present.user.id, colleague.user.id] })).status).toBe(200);
    const seen = await json(colleague, `/api/meetings/${m.id}`);
    expect(seen.notes).toContain('Marrowglen');
    expect(seen.sharedItems).toHaveLength(2);
    expect((await admin.patch(`/api/meetings/${m.id}`, { staffIds: [present.user.id] })).status).toBe(200);
    expect((await json(colleague, `/api/meetings/${m.id}`)).notes).toBeNull();
  });

  it('restricting (which grants the one who restricts) and unrestricting leaves no access behind', async () => {
    const m = await meetingWithSecrets();
    await problem(await nosy.patch(`/api/meetings/${m.id}`, { restricted: true }), 403);
    await problem(await nosy.patch(`/api/meetings/${m.id}`, { restricted: false, notesRestricted: false }), 403);
    const grants = await t.db.select().from(accessGrant).where(and(eq(accessGrant.recordId, m.id), eq(accessGrant.userId, nosy.user.id)));
    expect(grants).toEqual([]);
    expect((await json(nosy, `/api/meetings/${m.id}`)).notes).toBeNull();
    // who may read the notes may restrict it, and keeps sight of it
    const [notesMeeting] = [await buildMeeting(t.db, { title: 'Plain meeting', notes: 'Plain notes', organisations: [org.id] })];
    expect((await nosy.patch(`/api/meetings/${notesMeeting!.id}`, { restricted: true })).status).toBe(200);
    expect((await json(nosy, `/api/meetings/${notesMeeting!.id}`)).restricted).toBe(true);
    await problem(await colleague.get(`/api/meetings/${notesMeeting!.id}`), 404);
  });
});

describe('2. editing keeps what the editor cannot see', () => {
  it('a restricted attendee, and whom a pseudonymous attendee came for, survive an edit of the attendee list', async () => {
    const m = await meetingWithSecrets();
    const seen = await json(nosy, `/api/meetings/${m.id}`);
    // the editor sees two attendees: one of them under a pseudonym, with whom they came for hidden
    expect(seen.people.map((p: { personId: string; organisationId: string | null }) => [p.personId, p.organisationId])).toEqual(
      expect.arrayContaining([
        [visiblePerson.id, null],
        [pseudonymous.id, null],
      ]),
    );
    expect(seen.people).toHaveLength(2);
    // they send the list back as they see it, with the role of one changed and another attendee removed
    const res = await nosy.patch(`/api/meetings/${m.id}`, {
      people: [{ personId: pseudonymous.id, organisationId: null, role: 'panelist' }],
    });
    expect(res.status).toBe(200);
    const rows = await t.db.select().from(meetingPerson).where(eq(meetingPerson.meetingId, m.id));
    const byPerson = new Map(rows.map((r) => [r.personId, r]));
    expect([...byPerson.keys()].sort()).toEqual([hiddenPerson.id, pseudonymous.id].sort());
    expect(byPerson.get(hiddenPerson.id)).toMatchObject({ organisationId: org.id, role: 'participant' });
    expect(byPerson.get(pseudonymous.id)).toMatchObject({ organisationId: other.id, role: 'panelist' });
    // an admin sees all of it
    const full = await json(admin, `/api/meetings/${m.id}`);
    expect(full.people).toHaveLength(2);
  });

  it('someone who sees everything can still remove any attendee', async () => {
    const m = await meetingWithSecrets();
    expect((await admin.patch(`/api/meetings/${m.id}`, { people: [] })).status).toBe(200);
    expect(await t.db.select().from(meetingPerson).where(eq(meetingPerson.meetingId, m.id))).toEqual([]);
  });

  it('a meeting holding what the deleter may not see is not deleted', async () => {
    const m = await meetingWithSecrets();
    const refused = await problem(await nosy.delete(`/api/meetings/${m.id}`), 409);
    expect(refused.code).toBe('meeting_has_protected_records');
    expect(refused.detail).not.toMatch(/Ysolde|Thistlewick|Marrowglen/);
    expect((await json(admin, `/api/meetings/${m.id}`)).sharedItems).toHaveLength(2);
    // the staff present see the notes and the restricted item, but not the restricted attendee
    await problem(await present.delete(`/api/meetings/${m.id}`), 409);
    expect((await admin.delete(`/api/meetings/${m.id}`)).status).toBe(204);
    const plain = await buildMeeting(t.db, { title: 'Nothing hidden here', organisations: [org.id], people: [visiblePerson.id] });
    expect((await nosy.delete(`/api/meetings/${plain.id}`)).status).toBe(204);
  });
});

describe('3. deleting does not tell whether the history is hidden', () => {
  it('an organisation or person whose only history is a hidden meeting answers as one with visible history', async () => {
    const quiet = await buildOrganisation(t.db, { names: ['Quiet Org'] });
    const loud = await buildOrganisation(t.db, { names: ['Loud Org'] });
    const quietPerson = await buildPerson(t.db, { name: 'Quiet Person' });
    const loudPerson = await buildPerson(t.db, { name: 'Loud Person' });
    await buildMeeting(t.db, { title: 'Hidden history', restricted: true, organisations: [quiet.id], people: [quietPerson.id] });
    await buildMeeting(t.db, { title: 'Visible history', organisations: [loud.id], people: [loudPerson.id] });
    const strip = (p: Record<string, unknown>) => ({ ...p, instance: undefined });
    const a = await problem(await nosy.delete(`/api/organisations/${quiet.id}`), 409);
    const b = await problem(await nosy.delete(`/api/organisations/${loud.id}`), 409);
    expect(strip(a)).toEqual(strip(b));
    expect(a.code).toBe('organisation_has_history');
    const c = await problem(await nosy.delete(`/api/people/${quietPerson.id}`), 409);
    const d = await problem(await nosy.delete(`/api/people/${loudPerson.id}`), 409);
    expect(strip(c)).toEqual(strip(d));
    expect(c.code).toBe('person_has_history');
  });

  it('history that would be changed by the delete counts: whom an attendee came for, follow-ups, affiliations', async () => {
    const cameFor = await buildOrganisation(t.db, { names: ['Came For Org'] });
    await buildMeeting(t.db, { title: 'Secret visit', restricted: true, people: [{ personId: visiblePerson.id, organisationId: cameFor.id }] });
    await problem(await nosy.delete(`/api/organisations/${cameFor.id}`), 409);
    const affiliated = await buildOrganisation(t.db, { names: ['Affiliated Org'] });
    await buildPerson(t.db, { name: 'Hidden Member', restricted: true, affiliations: [{ organisationId: affiliated.id }] });
    await problem(await nosy.delete(`/api/organisations/${affiliated.id}`), 409);
    const fresh = await buildOrganisation(t.db, { names: ['Fresh Org'] });
    expect((await nosy.delete(`/api/organisations/${fresh.id}`)).status).toBe(204);
  });

  it('the 409 answers are in the OpenAPI document', async () => {
    const doc = await json(t.client(), '/api/openapi.json');
    for (const path of ['/api/organisations/{id}', '/api/people/{id}', '/api/meetings/{id}']) expect(Object.keys(doc.paths[path].delete.responses), path).toContain('409');
  });
});

describe('4. search: a visible result is not dropped because better-matching records are hidden', () => {
  it('returns the same page as if the hidden records did not exist', async () => {
    const seen = await buildMeeting(t.db, { title: 'Wrenfold harbour quarterly review', organisations: [org.id] });
    const page = async (limit: number) => (await json(nosy, `/api/search?q=${encodeURIComponent('Wrenfold harbour')}&limit=${limit}`)).items;
    const before = await Promise.all([1, 2, 5].map(page));
    for (let i = 0; i < 14; i++) await buildMeeting(t.db, { title: `Wrenfold harbour ${i}`, restricted: true, organisations: [org.id] });
    for (const [i, limit] of [1, 2, 5].entries()) {
      const items = await page(limit);
      expect(items.map((h: { id: string }) => h.id)).toEqual([seen.id]);
      expect(items).toEqual(before[i]);
    }
    // and someone who may see them gets them, best first
    const adminItems = (await json(admin, `/api/search?q=${encodeURIComponent('Wrenfold harbour')}&limit=5&types=meeting`)).items;
    expect(adminItems).toHaveLength(5);
    expect(adminItems.map((h: { id: string }) => h.id)).not.toContain(seen.id);
  });

  it('a person whose identity is hidden is not found by name, and does not push out one who is', async () => {
    for (let i = 0; i < 14; i++) await buildPerson(t.db, { name: `Caelwyn Brightwater ${i}`, identityRestricted: true, pseudonym: `Contact ${i}` });
    const open = await buildPerson(t.db, { name: 'Caelwyn Brightwater-Ashdown' });
    const { items } = await json(nosy, `/api/search?q=${encodeURIComponent('Caelwyn Brightwater')}&limit=1`);
    expect(items.map((h: { id: string }) => h.id)).toEqual([open.id]);
  });
});

describe('5. a restricted change leaves no trace on what others see', () => {
  it("adding a restricted attendee does not move the meeting's updatedAt nor its calendar LAST-MODIFIED", async () => {
    const m = await buildMeeting(t.db, { title: 'Trace meeting', organisations: [org.id], staffIds: [present.user.id] });
    const granted = await buildPerson(t.db, { name: 'Secret Guest', restricted: true, grantedTo: [present.user.id] });
    const before = await json(nosy, `/api/meetings/${m.id}`);
    const icsBefore = await (await nosy.get(`/api/meetings/${m.id}/ics`)).text();
    const res = await present.patch(`/api/meetings/${m.id}`, { people: [{ personId: granted.id, role: 'participant' }] });
    expect(res.status).toBe(200);
    expect(await json(nosy, `/api/meetings/${m.id}`)).toEqual(before);
    const stamp = (ics: string) => ics.replace(/^DTSTAMP:.*$/m, '');
    expect(stamp(await (await nosy.get(`/api/meetings/${m.id}/ics`)).text())).toBe(stamp(icsBefore));
    // a change everyone sees moves it
    expect((await present.patch(`/api/meetings/${m.id}`, { venue: 'Town hall' })).status).toBe(200);
    expect((await json(nosy, `/api/meetings/${m.id}`)).updatedAt).not.toBe(before.updatedAt);
  });
});

describe('6. nobody loses sight of what they just wrote', () => {
  it('the creator of a meeting with restricted notes reads them, though not among its staff', async () => {
    const res = await nosy.post('/api/meetings', {
      kind: 'one_on_one',
      title: 'Quiet word',
      startsAt: '2024-07-11T09:00:00+03:00',
      endsAt: '2024-07-11T10:00:00+03:00',
      timeZone: 'Asia/Jerusalem',
      notes: 'What I heard',
      notesRestricted: true,
      staffIds: [present.user.id],
    });
    expect(res.status).toBe(201);
    const created = await res.json();
    expect(created).toMatchObject({ notes: 'What I heard', notesHidden: false });
    expect((await json(nosy, `/api/meetings/${created.id}`)).notes).toBe('What I heard');
    expect((await json(colleague, `/api/meetings/${created.id}`)).notes).toBeNull();
  });

  it('whoever restricts the notes later keeps reading them', async () => {
    const m = await buildMeeting(t.db, { title: 'Notes later restricted', notes: 'Open notes', organisations: [org.id] });
    expect((await nosy.patch(`/api/meetings/${m.id}`, { notesRestricted: true })).status).toBe(200);
    expect((await json(nosy, `/api/meetings/${m.id}`)).notes).toBe('Open notes');
    expect((await json(colleague, `/api/meetings/${m.id}`)).notes).toBeNull();
  });
});
