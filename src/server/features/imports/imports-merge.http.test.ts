import { and, eq, inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEntry } from '../audit/audit.schema.ts';
import { followUp, meetingOrganisation, meetingPerson, sharedItem } from '../meetings/meetings.schema.ts';
import {
  affiliation,
  organisation,
  organisationLink,
  organisationName,
  organisationStatusChange,
  person,
  personContact,
  personName,
} from '../network/network.schema.ts';
import { accessGrant } from '../../access/access.schema.ts';
import { buildMeeting, buildOrganisation, buildOrganisationLink, buildPerson } from '../../../../tests/setup/network-factories.ts';
import { createTestApp, problem, type TestClient } from '../../../../tests/setup/test-app.ts';

// Merging duplicates through HTTP: every link moves to the kept record, without self-links or duplicates.

const t = await createTestApp();
let staff: TestClient & { user: { id: string } };
let admin: TestClient & { user: { id: string } };
let viewer: TestClient;

beforeAll(async () => {
  staff = (await t.signedIn('staff')) as never;
  admin = (await t.signedIn('admin')) as never;
  viewer = await t.signedIn('viewer');
});

describe('POST /api/organisations/merge', () => {
  it('moves names, history, links (both ways), affiliations, meetings, shared items and follow-ups; deletes the duplicate; audits', async () => {
    const keep = await buildOrganisation(t.db, {
      names: ['Bridges', 'גשרים'],
      tags: ['youth'],
      city: 'Haifa',
      statusHistory: [{ status: 'active', since: '2020-01-01' }],
    });
    const dup = await buildOrganisation(t.db, {
      names: ['BRIDGES', 'جسور'],
      tags: ['Youth', 'dialogue'],
      website: 'https://bridges.example.org',
      statusHistory: [{ status: 'prospective', since: '2019-01-01' }],
    });
    const other = await buildOrganisation(t.db, { names: ['Funder'] , kind: 'funder' });
    const third = await buildOrganisation(t.db, { names: ['Third'] });
    await buildOrganisationLink(t.db, { fromId: dup.id, toId: keep.id, kind: 'partner_of' }); // would be a self-link
    await buildOrganisationLink(t.db, { fromId: keep.id, toId: other.id, kind: 'funded_by' });
    await buildOrganisationLink(t.db, { fromId: dup.id, toId: other.id, kind: 'funded_by' }); // duplicate of the one above
    await buildOrganisationLink(t.db, { fromId: third.id, toId: dup.id, kind: 'co_organiser_of' }); // incoming: moves
    const both = await buildPerson(t.db, { name: 'Both', affiliations: [{ organisationId: keep.id, title: 'Chair' }, { organisationId: dup.id, title: 'Chair' }] });
    const only = await buildPerson(t.db, { name: 'Only Dup', affiliations: [{ organisationId: dup.id, title: 'Director' }] });
    const m1 = await buildMeeting(t.db, { organisations: [keep.id, dup.id], people: [{ personId: only.id, organisationId: dup.id }] });
    const m2 = await buildMeeting(t.db, {
      organisations: [dup.id],
      sharedItems: [{ organisationId: dup.id, body: 'Checkpoint closures' }],
      followUps: [{ ownerId: staff.user.id, organisationId: dup.id, title: 'Send report' }],
    });

    const res = await staff.post('/api/organisations/merge', { keepId: keep.id, mergeId: dup.id });
    expect(res.status).toBe(200);
    const out = (await res.json()) as { keptId: string; moved: Record<string, number> };
    expect(out.keptId).toBe(keep.id);
    expect(out.moved).toMatchObject({ names: 1, statusHistory: 1, links: 1, affiliations: 1 });

    const [gone] = await t.db.select().from(organisation).where(eq(organisation.id, dup.id));
    expect(gone).toBeUndefined();
    const names = await t.db.select().from(organisationName).where(eq(organisationName.organisationId, keep.id));
    expect(names.map((n) => n.name).sort()).toEqual(['Bridges', 'גשרים', 'جسور'].sort());
    const history = await t.db.select().from(organisationStatusChange).where(eq(organisationStatusChange.organisationId, keep.id));
    expect(history.map((h) => h.status).sort()).toEqual(['active', 'prospective']);
    const links = await t.db.select().from(organisationLink).where(inArray(organisationLink.fromId, [keep.id, third.id, dup.id]));
    expect(links.map((l) => `${l.fromId === keep.id ? 'keep' : 'third'}>${l.toId === keep.id ? 'keep' : 'other'}:${l.kind}`).sort()).toEqual([
      'keep>other:funded_by',
      'third>keep:co_organiser_of',
    ]);
    const affs = await t.db.select().from(affiliation).where(inArray(affiliation.personId, [both.id, only.id]));
    expect(affs.every((a) => a.organisationId === keep.id)).toBe(true);
    expect(affs).toHaveLength(2);
    const mos = await t.db.select().from(meetingOrganisation).where(inArray(meetingOrganisation.meetingId, [m1.id, m2.id]));
    expect(mos.map((x) => `${x.meetingId === m1.id ? 'm1' : 'm2'}:${x.organisationId === keep.id}`).sort()).toEqual(['m1:true', 'm2:true']);
    const [mp] = await t.db.select().from(meetingPerson).where(eq(meetingPerson.meetingId, m1.id));
    expect(mp!.organisationId).toBe(keep.id);
    const [si] = await t.db.select().from(sharedItem).where(eq(sharedItem.meetingId, m2.id));
    expect(si!.organisationId).toBe(keep.id);
    const [fu] = await t.db.select().from(followUp).where(eq(followUp.meetingId, m2.id));
    expect(fu!.organisationId).toBe(keep.id);
    const [kept] = await t.db.select().from(organisation).where(eq(organisation.id, keep.id));
    expect(kept!.tags).toEqual(['youth', 'dialogue']);
    expect(kept!.website).toBe('https://bridges.example.org');
    expect(kept!.city).toBe('Haifa');

    const [audit] = await t.db.select().from(auditEntry).where(eq(auditEntry.action, 'organisation.merge'));
    expect(audit).toMatchObject({ entityType: 'organisation', entityId: keep.id, actorId: staff.user.id });
    expect(audit!.detail).toMatchObject({ mergedId: dup.id, merged: { name: 'BRIDGES', names: expect.arrayContaining([{ name: 'جسور', kind: 'official' }]) } });
  });

  it('422 when both ids are the same, 404 when either is missing, 400 for a bad id; nothing changes', async () => {
    const a = await buildOrganisation(t.db);
    const same = await problem(await staff.post('/api/organisations/merge', { keepId: a.id, mergeId: a.id }), 422);
    expect(same.errors).toEqual([{ field: 'body.mergeId', detail: 'Must differ from keepId' }]);
    await problem(await staff.post('/api/organisations/merge', { keepId: a.id, mergeId: '00000000-0000-4000-8000-000000000000' }), 404);
    const bad = await problem(await staff.post('/api/organisations/merge', { keepId: 'x', mergeId: a.id }), 400);
    expect(bad.errors!.map((e) => e.field)).toEqual(['body.keepId']);
    const [still] = await t.db.select().from(organisation).where(eq(organisation.id, a.id));
    expect(still).toBeDefined();
  });

  it('viewers may not merge (403); anonymous callers 401', async () => {
    const a = await buildOrganisation(t.db);
    const b = await buildOrganisation(t.db);
    await problem(await viewer.post('/api/organisations/merge', { keepId: a.id, mergeId: b.id }), 403);
    await problem(await viewer.post('/api/people/merge', { keepId: a.id, mergeId: b.id }), 403);
    await problem(await t.client().post('/api/organisations/merge', { keepId: a.id, mergeId: b.id }), 401);
    const rows = await t.db.select().from(organisation).where(inArray(organisation.id, [a.id, b.id]));
    expect(rows).toHaveLength(2);
  });
});

describe('POST /api/people/merge', () => {
  it('moves names (by norm), contacts, affiliations, meetings and grants; keeps the stricter protection; audits', async () => {
    const org = await buildOrganisation(t.db);
    const keep = await buildPerson(t.db, {
      name: 'Mohammed Haddad',
      contacts: [{ kind: 'email', value: 'm.haddad@example.org' }],
      affiliations: [{ organisationId: org.id, title: 'Director' }],
      tags: ['speaker'],
    });
    const dup = await buildPerson(t.db, {
      name: 'Muhammad Haddad',
      names: ['محمد حداد', 'mohammed haddad'],
      contacts: [
        { kind: 'email', value: 'M.Haddad@example.org' },
        { kind: 'phone', value: '+970 59 000 0000' },
      ],
      affiliations: [{ organisationId: org.id, title: 'Director' }],
      tags: ['donor'],
      notes: 'Met in Jenin',
      grantedTo: [admin.user.id],
    });
    const m1 = await buildMeeting(t.db, { people: [keep.id, dup.id] });
    const m2 = await buildMeeting(t.db, { people: [dup.id] });

    const res = await staff.post('/api/people/merge', { keepId: keep.id, mergeId: dup.id });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { moved: Record<string, number> }).moved).toMatchObject({ names: 2, contacts: 1, affiliations: 0, grants: 1 });

    expect(await t.db.select().from(person).where(eq(person.id, dup.id))).toEqual([]);
    const names = await t.db.select().from(personName).where(eq(personName.personId, keep.id));
    expect(names.map((n) => [n.name, n.kind]).sort()).toEqual(
      [
        ['Mohammed Haddad', 'primary'],
        ['Muhammad Haddad', 'alternate'],
        ['محمد حداد', 'alternate'],
      ].sort(),
    );
    const contacts = await t.db.select().from(personContact).where(eq(personContact.personId, keep.id));
    expect(contacts.map((c) => c.value).sort()).toEqual(['+970 59 000 0000', 'm.haddad@example.org']);
    expect(await t.db.select().from(affiliation).where(eq(affiliation.personId, keep.id))).toHaveLength(1);
    const mps = await t.db.select().from(meetingPerson).where(inArray(meetingPerson.meetingId, [m1.id, m2.id]));
    expect(mps.map((x) => x.personId)).toEqual([keep.id, keep.id]);
    const grants = await t.db
      .select()
      .from(accessGrant)
      .where(and(eq(accessGrant.recordType, 'person'), eq(accessGrant.recordId, keep.id)));
    expect(grants.map((g) => g.userId)).toEqual([admin.user.id]);
    const [kept] = await t.db.select().from(person).where(eq(person.id, keep.id));
    expect(kept).toMatchObject({ displayName: 'Mohammed Haddad', tags: ['speaker', 'donor'], notes: 'Met in Jenin' });

    const [audit] = await t.db.select().from(auditEntry).where(eq(auditEntry.action, 'person.merge'));
    expect(audit!.detail).toMatchObject({
      mergedId: dup.id,
      merged: { displayName: 'Muhammad Haddad', contacts: expect.arrayContaining([{ kind: 'phone', value: '+970 59 000 0000', label: null }]) },
    });
  });

  it('a restricted person the caller may not see is 404 (the same as a missing one); an admin may merge it', async () => {
    const keep = await buildPerson(t.db, { name: 'Visible' });
    const secret = await buildPerson(t.db, { name: 'Secret', restricted: true });
    const a = await problem(await staff.post('/api/people/merge', { keepId: keep.id, mergeId: secret.id }), 404);
    const b = await problem(await staff.post('/api/people/merge', { keepId: keep.id, mergeId: '00000000-0000-4000-8000-000000000000' }), 404);
    expect(a.code).toBe(b.code);
    expect(await t.db.select().from(person).where(eq(person.id, secret.id))).toHaveLength(1);
    await problem(await staff.post('/api/people/merge', { keepId: keep.id, mergeId: keep.id }), 422);

    const res = await admin.post('/api/people/merge', { keepId: keep.id, mergeId: secret.id });
    expect(res.status).toBe(200);
    const [kept] = await t.db.select().from(person).where(eq(person.id, keep.id));
    expect(kept!.restricted).toBe(true);
  });
});
