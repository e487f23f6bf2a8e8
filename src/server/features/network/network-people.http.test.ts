import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEntry } from '../audit/audit.schema.ts';
import { affiliation, organisation, person, personContact, personName } from './network.schema.ts';
import { findPeopleByEmail, findPeopleByNameAndOrganisation } from './people.service.ts';
import { normalizeName } from './names.ts';
import { buildMeeting } from '../../../../tests/setup/network-factories.ts';
import { createTestApp, problem } from '../../../../tests/setup/test-app.ts';
import { allPages } from '../../../../tests/setup/http-helpers.ts';

const t = await createTestApp();
const admin = await t.signedIn('admin');
const staff = await t.signedIn('staff');
const viewer = await t.signedIn('viewer');

type PersonDto = {
  id: string;
  displayName: string;
  identityHidden: boolean;
  names: { id: string; name: string; script: string; kind: string }[];
  contacts: { id: string; kind: string; value: string; label: string | null }[];
  affiliations: { id: string; organisationId: string; organisationName: string; organisationKind: string; title: string | null; startDate: string | null; endDate: string | null; current: boolean }[];
  tags: string[];
  preferredLanguage: string | null;
};
type Page = { items: PersonDto[]; nextCursor: string | null; total: number };

const [mission] = await t.db.insert(organisation).values({ kind: 'mission', name: 'Embassy of Ruritania' }).returning();
const [member] = await t.db.insert(organisation).values({ kind: 'member', status: 'active', name: 'Sulha Women Forum' }).returning();

async function audits(action: string, entityId: string) {
  return t.db.select().from(auditEntry).where(and(eq(auditEntry.action, action), eq(auditEntry.entityId, entityId)));
}

async function create(body: unknown): Promise<PersonDto> {
  const res = await staff.post('/api/people', body);
  if (res.status !== 201) throw new Error(`${res.status} ${await res.text()}`);
  return (await res.json()) as PersonDto;
}

describe('people: names, contacts, affiliations', () => {
  it('records names in three scripts with transliterations; norm and script are written', async () => {
    const p = await create({
      names: [
        { name: 'Mohammed Khalil', kind: 'primary' },
        { name: 'محمد خليل', kind: 'alternate' },
        { name: 'מוחמד ח׳ליל', kind: 'alternate' },
        { name: 'Muhammad Khalil', kind: 'transliteration' },
        { name: 'Muhammed Khalil', kind: 'transliteration' },
      ],
      preferredLanguage: 'ar',
      tags: ['youth', 'youth', 'galilee'],
    });
    expect(p.displayName).toBe('Mohammed Khalil');
    expect(p.identityHidden).toBe(false);
    expect(p.tags).toEqual(['youth', 'galilee']);
    expect(p.names[0]).toMatchObject({ name: 'Mohammed Khalil', kind: 'primary', script: 'latin' });
    expect(p.names.map((n) => [n.name, n.script, n.kind]).sort()).toEqual(
      [
        ['Mohammed Khalil', 'latin', 'primary'],
        ['محمد خليل', 'arabic', 'alternate'],
        ['מוחמד ח׳ליל', 'hebrew', 'alternate'],
        ['Muhammad Khalil', 'latin', 'transliteration'],
        ['Muhammed Khalil', 'latin', 'transliteration'],
      ].sort(),
    );
    const rows = await t.db.select().from(personName).where(eq(personName.personId, p.id));
    expect(rows).toHaveLength(5);
    for (const r of rows) expect(r.norm).toBe(normalizeName(r.name));
    expect(rows.filter((r) => r.kind === 'transliteration')).toHaveLength(2);

    // found by any script and by a recorded transliteration
    for (const q of ['muhammed', 'محمد', 'מוחמד', 'KHALIL']) {
      const page = (await (await viewer.get(`/api/people?q=${encodeURIComponent(q)}`)).json()) as Page;
      expect(page.items.map((i) => i.id), q).toContain(p.id);
    }
    expect(await audits('person.create', p.id)).toHaveLength(1);
  });

  it('records contacts: emails lower-cased, phones kept; adds and removes them, audited', async () => {
    const p = await create({
      names: [{ name: 'Dana Levi', kind: 'primary' }],
      contacts: [
        { kind: 'email', value: '  Dana.Levi@Example.ORG ', label: 'work' },
        { kind: 'phone', value: '+972 (52) 555-0101' },
      ],
    });
    expect(p.contacts).toEqual([
      { id: expect.any(String), kind: 'email', value: 'dana.levi@example.org', label: 'work' },
      { id: expect.any(String), kind: 'phone', value: '+972 (52) 555-0101', label: null },
    ]);
    const added = await staff.post(`/api/people/${p.id}/contacts`, { kind: 'email', value: 'DANA@home.example' });
    expect(added.status).toBe(201);
    const after = (await added.json()) as PersonDto;
    expect(after.contacts.map((c) => c.value)).toContain('dana@home.example');
    // the same contact twice is a conflict
    await problem(await staff.post(`/api/people/${p.id}/contacts`, { kind: 'email', value: 'dana@HOME.example' }), 409);

    expect((await findPeopleByEmail(t.db, 'Dana.Levi@example.org')).map((m) => m.id)).toEqual([p.id]);

    const work = after.contacts.find((c) => c.value === 'dana.levi@example.org')!;
    const del = await staff.delete(`/api/people/${p.id}/contacts/${work.id}`);
    expect(del.status).toBe(200);
    expect(((await del.json()) as PersonDto).contacts.map((c) => c.value)).not.toContain('dana.levi@example.org');
    expect(await t.db.select().from(personContact).where(eq(personContact.id, work.id))).toHaveLength(0);
    expect(await audits('person.add_contact', p.id)).toHaveLength(1);
    expect(await audits('person.remove_contact', p.id)).toHaveLength(1);
    expect(await findPeopleByEmail(t.db, 'dana.levi@example.org')).toEqual([]);
  });

  it('affiliates a diplomat with a mission; filters the list by current affiliation; ends and removes affiliations', async () => {
    const p = await create({
      names: [{ name: 'Anna Weber', kind: 'primary' }],
      affiliations: [
        { organisationId: mission!.id, title: 'Deputy head of mission', startDate: '2023-09-01' },
        { organisationId: member!.id, title: 'Board member', startDate: '2015-01-01', endDate: '2019-12-31' },
      ],
    });
    expect(p.affiliations).toEqual([
      { id: expect.any(String), organisationId: mission!.id, organisationName: 'Embassy of Ruritania', organisationNames: [], organisationKind: 'mission', title: 'Deputy head of mission', startDate: '2023-09-01', endDate: null, current: true },
      { id: expect.any(String), organisationId: member!.id, organisationName: 'Sulha Women Forum', organisationNames: [], organisationKind: 'member', title: 'Board member', startDate: '2015-01-01', endDate: '2019-12-31', current: false },
    ]);
    const atMission = (await (await viewer.get(`/api/people?organisationId=${mission!.id}`)).json()) as Page;
    expect(atMission.items.map((i) => i.id)).toEqual([p.id]);
    expect(atMission.total).toBe(1);
    // a past affiliation is not a current one
    const atMember = (await (await viewer.get(`/api/people?organisationId=${member!.id}`)).json()) as Page;
    expect(atMember.items.map((i) => i.id)).not.toContain(p.id);

    expect((await findPeopleByNameAndOrganisation(t.db, normalizeName('ANNA  Wéber'), mission!.id)).map((m) => m.id)).toEqual([p.id]);
    expect(await findPeopleByNameAndOrganisation(t.db, normalizeName('Anna Weber'), member!.id)).toHaveLength(1);

    const aff = p.affiliations[0]!;
    const ended = await staff.patch(`/api/affiliations/${aff.id}`, { endDate: '2024-06-30' });
    expect(ended.status).toBe(200);
    expect(((await ended.json()) as PersonDto).affiliations[0]).toMatchObject({ id: aff.id, endDate: '2024-06-30', current: false });
    const bad = await problem(await staff.patch(`/api/affiliations/${aff.id}`, { endDate: '2020-01-01' }), 400);
    expect(bad.errors).toEqual([{ field: 'body.endDate', detail: 'Ends before it starts' }]);
    expect((await viewer.get(`/api/people?organisationId=${mission!.id}`).then((r) => r.json()) as Page).total).toBe(0);

    const added = await staff.post(`/api/people/${p.id}/affiliations`, { organisationId: member!.id, title: 'Adviser' });
    expect(added.status).toBe(201);
    const adviser = ((await added.json()) as PersonDto).affiliations.find((a) => a.title === 'Adviser')!;
    expect((await staff.delete(`/api/affiliations/${adviser.id}`)).status).toBe(200);
    expect(await t.db.select().from(affiliation).where(eq(affiliation.id, adviser.id))).toHaveLength(0);
    expect(await audits('person.update_affiliation', p.id)).toHaveLength(1);
    expect(await audits('person.add_affiliation', p.id)).toHaveLength(1);
    expect(await audits('person.remove_affiliation', p.id)).toHaveLength(1);
    await problem(await staff.delete(`/api/affiliations/${adviser.id}`), 404);
  });

  it('adds and removes names; the display name moves to another primary; the last name stays', async () => {
    const p = await create({ names: [{ name: 'Yossi Cohen', kind: 'primary' }] });
    const res = await staff.post(`/api/people/${p.id}/names`, { name: 'יוסי כהן', kind: 'primary' });
    expect(res.status).toBe(201);
    const withHe = (await res.json()) as PersonDto;
    expect(withHe.displayName).toBe('Yossi Cohen');
    const he = withHe.names.find((n) => n.script === 'hebrew')!;
    await problem(await staff.post(`/api/people/${p.id}/names`, { name: 'יוסי כהן', kind: 'primary' }), 409);
    const first = withHe.names.find((n) => n.name === 'Yossi Cohen')!;
    const del = await staff.delete(`/api/people/${p.id}/names/${first.id}`);
    expect(del.status).toBe(200);
    expect(((await del.json()) as PersonDto).displayName).toBe('יוסי כהן');
    expect((await problem(await staff.delete(`/api/people/${p.id}/names/${he.id}`), 409)).code).toBe('last_name');
    expect(await audits('person.add_name', p.id)).toHaveLength(1);
    expect(await audits('person.remove_name', p.id)).toHaveLength(1);
  });

  it('updates and deletes a person, audited', async () => {
    const p = await create({ names: [{ name: 'Temp Person', kind: 'primary' }], tags: ['a'] });
    const res = await staff.patch(`/api/people/${p.id}`, { tags: ['b', 'c'], notes: 'Met at the Haifa forum', preferredLanguage: 'he' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ tags: ['b', 'c'], notes: 'Met at the Haifa forum', preferredLanguage: 'he' });
    const [entry] = await audits('person.update', p.id);
    expect(entry!.detail).toMatchObject({ tags: ['b', 'c'], before: { tags: ['a'] } });
    expect((await staff.delete(`/api/people/${p.id}`)).status).toBe(204);
    await problem(await staff.get(`/api/people/${p.id}`), 404);
    expect(await t.db.select().from(person).where(eq(person.id, p.id))).toHaveLength(0);
    expect(await audits('person.delete', p.id)).toHaveLength(1);
  });

  it('refuses to delete a person who appears in recorded meetings (merge instead)', async () => {
    const p = await create({ names: [{ name: 'Attended Once', kind: 'primary' }] });
    const m = await buildMeeting(t.db, { people: [p.id] });
    expect((await problem(await staff.delete(`/api/people/${p.id}`), 409)).code).toBe('person_has_history');
    expect((await staff.get(`/api/people/${p.id}`)).status).toBe(200);
    expect((await staff.get(`/api/meetings/${m.id}`)).status).toBe(200);
  });
});

describe('people: the list', () => {
  it('pages by display name then id with a total; filters by tag', async () => {
    const made: string[] = [];
    for (const name of ['zeta Page', 'Alpha Page', 'beta Page', 'Beta Page', 'Gamma Page']) {
      made.push((await create({ names: [{ name, kind: 'primary' }], tags: ['paging'] })).id);
    }
    const { pages, items } = await allPages<PersonDto>(viewer, '/api/people?tag=paging', 2);
    expect(pages).toHaveLength(3);
    expect(items.map((i) => i.id).sort()).toEqual([...made].sort());
    const keys = items.map((i) => i.displayName.toLowerCase());
    expect(keys).toEqual([...keys].sort());
    const first = (await (await viewer.get('/api/people?tag=paging&limit=2')).json()) as Page;
    expect(first.total).toBe(5);
    expect(((await (await viewer.get('/api/people?tag=nobody')).json()) as Page)).toEqual({ items: [], nextCursor: null, total: 0 });
  });

  it('treats LIKE wildcards in q as text', async () => {
    const page = (await (await viewer.get(`/api/people?q=${encodeURIComponent('%')}`)).json()) as Page;
    expect(page.total).toBe(0);
  });
});

describe('people: who may, and bad input', () => {
  it('viewers read but cannot write; anonymous is 401', async () => {
    const p = await create({ names: [{ name: 'Read Only', kind: 'primary' }] });
    expect((await viewer.get(`/api/people/${p.id}`)).status).toBe(200);
    const before = (await t.db.select().from(person)).length;
    for (const res of [
      await viewer.post('/api/people', { names: [{ name: 'X', kind: 'primary' }] }),
      await viewer.patch(`/api/people/${p.id}`, { tags: ['x'] }),
      await viewer.delete(`/api/people/${p.id}`),
      await viewer.post(`/api/people/${p.id}/names`, { name: 'Y', kind: 'alternate' }),
      await viewer.post(`/api/people/${p.id}/contacts`, { kind: 'phone', value: '123456' }),
      await viewer.post(`/api/people/${p.id}/affiliations`, { organisationId: member!.id }),
    ]) {
      expect((await problem(res, 403)).code).toBe('forbidden');
    }
    expect(await t.db.select().from(person)).toHaveLength(before);
    const anon = t.client();
    await problem(await anon.get('/api/people'), 401);
    await problem(await anon.get(`/api/people/${p.id}`), 401);
    await problem(await anon.post('/api/people', { names: [{ name: 'X', kind: 'primary' }] }), 401);
  });

  it('names each bad field and writes nothing', async () => {
    const before = (await t.db.select().from(person)).length;
    const p = await problem(
      await staff.post('/api/people', {
        names: [{ name: ' ', kind: 'nickname' }],
        contacts: [
          { kind: 'email', value: 'not-an-email' },
          { kind: 'phone', value: 'call me maybe' },
        ],
        affiliations: [{ organisationId: 'nope', startDate: '2024-02-30' }],
        preferredLanguage: 'Arabic!',
        extra: 1,
      }),
      400,
    );
    expect(p.errors!.map((e) => e.field).sort()).toEqual(
      [
        'body.names.0.name',
        'body.names.0.kind',
        'body.contacts.0.value',
        'body.contacts.1.value',
        'body.affiliations.0.organisationId',
        'body.affiliations.0.startDate',
        'body.preferredLanguage',
        'body.extra',
      ].sort(),
    );
    const noNames = await problem(await staff.post('/api/people', { names: [] }), 400);
    expect(noNames.errors!.map((e) => e.field)).toEqual(['body.names']);
    const dates = await problem(
      await staff.post('/api/people', { names: [{ name: 'D', kind: 'primary' }], affiliations: [{ organisationId: member!.id, startDate: '2024-05-01', endDate: '2024-04-01' }] }),
      400,
    );
    expect(dates.errors).toEqual([{ field: 'body.affiliations.0.endDate', detail: 'Ends before it starts' }]);
    const missingOrg = await problem(
      await staff.post('/api/people', { names: [{ name: 'E', kind: 'primary' }], affiliations: [{ organisationId: member!.id }, { organisationId: '00000000-0000-4000-8000-000000000000' }] }),
      422,
    );
    expect(missingOrg.errors).toEqual([{ field: 'body.affiliations.1.organisationId', detail: 'No such organisation' }]);
    const pseudo = await problem(await staff.post('/api/people', { names: [{ name: 'F', kind: 'primary' }], identityRestricted: true }), 422);
    expect(pseudo.errors!.map((e) => e.field)).toEqual(['body.pseudonym']);
    expect(await t.db.select().from(person)).toHaveLength(before);

    await problem(await staff.get('/api/people/not-a-uuid'), 404);
    await problem(await staff.get('/api/people/00000000-0000-4000-8000-000000000000'), 404);
    expect((await problem(await staff.get('/api/people?cursor=garbage'), 400)).errors![0]!.field).toBe('query.cursor');
    expect((await problem(await staff.get('/api/people?organisationId=x'), 400)).errors![0]!.field).toBe('query.organisationId');
  });
});
