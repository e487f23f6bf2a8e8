import { nameForReader } from '../../../web/features/network/reader-name.ts';
import { and, count, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEntry } from '../audit/audit.schema.ts';
import {
  affiliation,
  organisation,
  organisationLink,
  organisationName,
  organisationStatusChange,
  person,
} from './network.schema.ts';
import { accessGrant } from '../../access/access.schema.ts';
import { meeting, meetingOrganisation } from '../meetings/meetings.schema.ts';
import { createOrganisation, findOrganisationsByName } from './organisations.service.ts';
import { createTestApp, problem } from '../../../../tests/setup/test-app.ts';
import { allPages } from '../../../../tests/setup/http-helpers.ts';

const t = await createTestApp();
const admin = await t.signedIn('admin');
const staff = await t.signedIn('staff');
const viewer = await t.signedIn('viewer');

type Org = {
  id: string;
  kind: string;
  status: string | null;
  name: string;
  names: { id: string; name: string; script: string; kind: string }[];
  country: string | null;
  area: string | null;
  city: string | null;
  website: string | null;
  languages: string[];
  tags: string[];
  ownerId: string | null;
};
type Link = { id: string; kind: string; direction: string; otherId: string; otherName: string; fromId: string; toId: string; startDate: string | null };
type Detail = Org & {
  statusHistory: { status: string; since: string; note: string | null; recordedBy: string | null }[];
  links: Link[];
  people: { personId: string; displayName: string; title: string | null }[];
};

async function create(body: Record<string, unknown>, as = staff): Promise<Org> {
  const res = await as.post('/api/organisations', body);
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return res.json();
}
async function detail(id: string, as = viewer): Promise<Detail> {
  const res = await as.get(`/api/organisations/${id}`);
  expect(res.status).toBe(200);
  return res.json();
}
async function list(query: string, as = viewer): Promise<{ items: Org[]; nextCursor: string | null; total: number }> {
  const res = await as.get(`/api/organisations?${query}`);
  expect(res.status).toBe(200);
  return res.json();
}
async function audits(action: string, entityId: string) {
  return t.db.select().from(auditEntry).where(and(eq(auditEntry.action, action), eq(auditEntry.entityId, entityId)));
}
async function rowCounts() {
  const [o] = await t.db.select({ n: count() }).from(organisation);
  const [n] = await t.db.select({ n: count() }).from(organisationName);
  const [s] = await t.db.select({ n: count() }).from(organisationStatusChange);
  const [l] = await t.db.select({ n: count() }).from(organisationLink);
  return { orgs: o!.n, names: n!.n, statuses: s!.n, links: l!.n };
}

// one organisation named in three scripts
const parents = await create({
  kind: 'member',
  status: 'active',
  statusSince: '2021-05-01',
  names: [
    { name: 'Parents Circle – Families Forum' },
    { name: 'פורום המשפחות השכולות', kind: 'official' },
    { name: 'منتدى العائلات الثكلى', kind: 'official' },
    { name: 'PCFF', kind: 'short' },
  ],
  country: 'il',
  area: 'Galilee',
  city: 'Tel Aviv',
  website: 'https://www.theparentscircle.org',
  languages: ['he', 'ar', 'en', 'he'],
  description: 'Bereaved families, Israeli and Palestinian.',
  tags: [' dialogue ', 'Bereaved', 'dialogue', 'bereaved'],
  ownerId: staff.user.id,
});

describe('creating and finding organisations', () => {
  it('stores names in every script with their script and norm, and the first as display name', async () => {
    expect(parents).toMatchObject({
      kind: 'member',
      status: 'active',
      name: 'Parents Circle – Families Forum',
      country: 'IL',
      website: 'https://www.theparentscircle.org',
      languages: ['he', 'ar', 'en'],
      tags: ['dialogue', 'Bereaved'],
      ownerId: staff.user.id,
    });
    const byName = Object.fromEntries(parents.names.map((n) => [n.name, n]));
    expect(byName['פורום המשפחות השכולות']!.script).toBe('hebrew');
    expect(byName['منتدى العائلات الثكلى']!.script).toBe('arabic');
    expect(byName['PCFF']).toMatchObject({ script: 'latin', kind: 'short' });
    expect(parents.names[0]!.name).toBe(parents.name);
    const stored = await t.db.select().from(organisationName).where(eq(organisationName.organisationId, parents.id));
    expect(stored.find((n) => n.name === 'PCFF')!.norm).toBe('pcff');
    expect(stored.find((n) => n.script === 'hebrew')!.norm).toBe('פורומ המשפחות השכולות');
  });

  it('finds it by any of its names with q, folding case, accents, final letters and Arabic letter forms', async () => {
    for (const q of ['families forum', 'PARENTS', 'המשפחות', 'השכולות', 'פורום', 'العائلات', 'الثكلي', 'pcff', 'Fämilies']) {
      const page = await list(`q=${encodeURIComponent(q)}`);
      expect(page.items.map((o) => o.id), q).toEqual([parents.id]);
      expect(page.total, q).toBe(1);
    }
    expect((await list(`q=${encodeURIComponent('لا يوجد')}`)).total).toBe(0);
  });

  it('takes an explicit display name and adds it to the names when missing', async () => {
    const o = await create({ kind: 'media', name: 'Local Call', names: [{ name: 'שיחה מקומית' }, { name: 'Sicha Mekomit', kind: 'transliteration' }] });
    expect(o.name).toBe('Local Call');
    expect(o.names.map((n) => n.name)).toEqual(['Local Call', 'שיחה מקומית', 'Sicha Mekomit']);
    expect(o.status).toBeNull();
  });

  it('is callable as a service by other features (imports, demo), with name matching by norm', async () => {
    const ctx = { actor: { ...admin.user, role: 'admin' as const, locale: 'en', timeZone: 'UTC', twoFactorEnabled: false, sessionId: 's', createdAt: '' }, ip: '127.0.0.1', userAgent: 'test' };
    const o = await createOrganisation(t.db, ctx, { kind: 'funder', names: [{ name: 'Stiftung Frieden' }], tags: ['germany'] });
    expect(o).toMatchObject({ kind: 'funder', name: 'Stiftung Frieden', tags: ['germany'] });
    expect((await findOrganisationsByName(t.db, 'stiftung frieden')).map((r) => r.id)).toEqual([o.id]);
    expect((await findOrganisationsByName(t.db, 'פורום המשפחות השכולות')).map((r) => r.id)).toEqual([parents.id]);
    expect(await findOrganisationsByName(t.db, 'Stiftung')).toEqual([]);
    await expect(createOrganisation(t.db, { ...ctx, actor: { ...ctx.actor, role: 'viewer' } }, { kind: 'funder', names: [{ name: 'X' }] })).rejects.toMatchObject({ status: 403 });
  });
});

describe('membership status', () => {
  it('keeps a dated history, newest first; backfilled history does not overturn the current status', async () => {
    const o = await create({ kind: 'member', status: 'prospective', statusSince: '2023-01-10', names: [{ name: 'Women Wage Peace' }] });
    const set = await staff.post(`/api/organisations/${o.id}/status`, { status: 'active', since: '2024-03-01', note: 'Board approved' });
    expect(set.status).toBe(201);
    expect((await set.json()).status).toBe('active');
    // an old status recorded after the fact
    expect((await staff.post(`/api/organisations/${o.id}/status`, { status: 'prospective', since: '2020-06-01' })).status).toBe(201);
    expect((await detail(o.id)).status).toBe('active');
    // PATCH with a new status appends too
    const patched = await staff.patch(`/api/organisations/${o.id}`, { status: 'suspended', statusSince: '2024-07-01', statusNote: 'Dues' });
    expect((await patched.json()).status).toBe('suspended');
    const d = await detail(o.id);
    expect(d.statusHistory.map((h) => [h.status, h.since])).toEqual([
      ['suspended', '2024-07-01'],
      ['active', '2024-03-01'],
      ['prospective', '2023-01-10'],
      ['prospective', '2020-06-01'],
    ]);
    expect(d.statusHistory[1]).toMatchObject({ note: 'Board approved', recordedBy: staff.user.id });

    // since defaults to today
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jerusalem' }).format(new Date());
    await staff.post(`/api/organisations/${o.id}/status`, { status: 'former' });
    expect((await detail(o.id)).statusHistory[0]).toMatchObject({ status: 'former', since: today });

    const statusAudits = await audits('organisation.set_status', o.id);
    expect(statusAudits.map((a) => (a.detail as { status: string }).status)).toEqual(['active', 'prospective', 'former']);
    expect((await audits('organisation.update', o.id))[0]!.detail).toMatchObject({ status: 'suspended', before: { status: 'active' } });
  });

  it('is only for members: 422 naming body.status, and cleared when an organisation stops being a member', async () => {
    const before = await rowCounts();
    const e1 = await problem(await staff.post('/api/organisations', { kind: 'partner', status: 'active', names: [{ name: 'Not a member' }] }), 422);
    expect(e1.errors).toEqual([{ field: 'body.status', detail: 'Only for kind member' }]);
    const partner = await create({ kind: 'partner', names: [{ name: 'Friedrich Foundation' }] });
    await problem(await staff.post(`/api/organisations/${partner.id}/status`, { status: 'active' }), 422);
    await problem(await staff.patch(`/api/organisations/${partner.id}`, { status: 'active' }), 422);
    expect((await rowCounts()).statuses).toBe(before.statuses);

    const m = await create({ kind: 'member', status: 'active', names: [{ name: 'Turning member' }] });
    const changed = await (await staff.patch(`/api/organisations/${m.id}`, { kind: 'partner' })).json();
    expect(changed).toMatchObject({ kind: 'partner', status: null });
    expect((await detail(m.id)).statusHistory).toHaveLength(1);
  });
});

describe('links between organisations', () => {
  it('are typed, dated, shown from both ends, and removable; audited', async () => {
    const funder = await create({ kind: 'funder', names: [{ name: 'Peace Fund' }] });
    const res = await staff.post(`/api/organisations/${parents.id}/links`, { toId: funder.id, kind: 'funded_by', startDate: '2022-01-01', endDate: '2024-12-31', note: 'Core grant' });
    expect(res.status).toBe(201);
    const link: Link = await res.json();
    expect(link).toMatchObject({ kind: 'funded_by', direction: 'outgoing', fromId: parents.id, toId: funder.id, otherId: funder.id, otherName: 'Peace Fund', startDate: '2022-01-01' });
    const other = await create({ kind: 'member', names: [{ name: 'Combatants for Peace' }] });
    await staff.post(`/api/organisations/${other.id}/links`, { toId: parents.id, kind: 'co_organiser_of' });

    const p = await detail(parents.id);
    expect(p.links.map((l) => [l.kind, l.direction, l.otherName]).sort()).toEqual([
      ['co_organiser_of', 'incoming', 'Combatants for Peace'],
      ['funded_by', 'outgoing', 'Peace Fund'],
    ]);
    const f = await detail(funder.id);
    expect(f.links).toEqual([expect.objectContaining({ id: link.id, direction: 'incoming', otherId: parents.id, otherName: parents.name, endDate: '2024-12-31' })]);

    await problem(await staff.post(`/api/organisations/${parents.id}/links`, { toId: funder.id, kind: 'funded_by', startDate: '2022-01-01', endDate: '2024-12-31' }), 409);
    expect((await staff.delete(`/api/organisation-links/${link.id}`)).status).toBe(204);
    expect((await detail(funder.id)).links).toEqual([]);
    await problem(await staff.delete(`/api/organisation-links/${link.id}`), 404);

    expect((await audits('organisation_link.create', link.id))[0]).toMatchObject({ actorId: staff.user.id, detail: { fromId: parents.id, toId: funder.id, kind: 'funded_by' } });
    expect((await audits('organisation_link.delete', link.id))[0]).toMatchObject({ actorId: staff.user.id, detail: { fromId: parents.id, toId: funder.id } });
  });

  it('refuses self-links, missing targets and bad kinds or dates, writing nothing', async () => {
    const before = await rowCounts();
    const self = await problem(await staff.post(`/api/organisations/${parents.id}/links`, { toId: parents.id, kind: 'partner_of' }), 422);
    expect(self.errors).toEqual([{ field: 'body.toId', detail: 'The same organisation' }]);
    const missing = await problem(await staff.post(`/api/organisations/${parents.id}/links`, { toId: '00000000-0000-4000-8000-000000000000', kind: 'partner_of' }), 422);
    expect(missing.errors).toEqual([{ field: 'body.toId', detail: 'No such organisation' }]);
    const bad = await problem(await staff.post(`/api/organisations/${parents.id}/links`, { toId: 'x', kind: 'enemy_of', startDate: '2024-02-30' }), 400);
    expect(bad.errors!.map((e) => e.field).sort()).toEqual(['body.kind', 'body.startDate', 'body.toId']);
    const backwards = await problem(await staff.post(`/api/organisations/${parents.id}/links`, { toId: parents.id, kind: 'other', startDate: '2024-02-01', endDate: '2023-01-01' }), 400);
    expect(backwards.errors!.map((e) => e.field)).toEqual(['body.endDate']);
    await problem(await staff.post('/api/organisations/00000000-0000-4000-8000-000000000000/links', { toId: parents.id, kind: 'other' }), 404);
    expect(await rowCounts()).toEqual(before);
  });
});

describe('names', () => {
  it('adds and removes names; the last cannot go; removing the display name shows another; audited', async () => {
    const o = await create({ kind: 'member', names: [{ name: 'Roots' }] });
    const added = await staff.post(`/api/organisations/${o.id}/names`, { name: 'شوراش', kind: 'transliteration' });
    expect(added.status).toBe(201);
    const withName: Org = await added.json();
    const arabic = withName.names.find((n) => n.script === 'arabic')!;
    expect(arabic).toMatchObject({ name: 'شوراش', kind: 'transliteration' });
    expect((await list('q=%D8%B4%D9%88%D8%B1%D8%A7%D8%B4')).items.map((x) => x.id)).toEqual([o.id]);
    await problem(await staff.post(`/api/organisations/${o.id}/names`, { name: 'ROOTS' }), 409);

    const roots = withName.names.find((n) => n.name === 'Roots')!;
    const removed = await staff.delete(`/api/organisations/${o.id}/names/${roots.id}`);
    expect(removed.status).toBe(200);
    expect(await removed.json()).toMatchObject({ name: 'شوراش', names: [{ id: arabic.id }] });
    await problem(await staff.delete(`/api/organisations/${o.id}/names/${arabic.id}`), 409);
    await problem(await staff.delete(`/api/organisations/${o.id}/names/${roots.id}`), 404);

    expect((await audits('organisation.add_name', o.id))[0]!.detail).toMatchObject({ name: 'شوراش', kind: 'transliteration' });
    expect((await audits('organisation.remove_name', o.id))[0]!.detail).toMatchObject({ name: 'Roots', displayName: 'شوراش' });
  });

  it('PATCH name picks one of its names or adds a new one', async () => {
    const o = await create({ kind: 'member', names: [{ name: 'Standing Together' }, { name: 'עומדים ביחד' }] });
    expect((await (await staff.patch(`/api/organisations/${o.id}`, { name: 'עומדים ביחד' })).json()).name).toBe('עומדים ביחד');
    const renamed: Org = await (await staff.patch(`/api/organisations/${o.id}`, { name: 'نقف معاً' })).json();
    expect(renamed.name).toBe('نقف معاً');
    expect(renamed.names).toHaveLength(3);
  });
});

describe('people affiliated', () => {
  it('shows current affiliations only, and never a restricted person or a hidden identity to those not granted', async () => {
    const o = await create({ kind: 'mission', names: [{ name: 'Embassy of Atlantis' }] });
    const people = await t.db
      .insert(person)
      .values([
        { displayName: 'Dana Diplomat' },
        { displayName: 'Former Attaché' },
        { displayName: 'Secret Source', restricted: true },
        { displayName: 'Official A, ministry of foreign affairs', pseudonym: 'Official A, ministry of foreign affairs', identityRestricted: true },
      ])
      .returning();
    const [dana, former, secret, official] = people;
    await t.db.insert(affiliation).values([
      { personId: dana!.id, organisationId: o.id, title: 'Deputy head of mission', startDate: '2023-01-01' },
      { personId: former!.id, organisationId: o.id, title: 'Attaché', endDate: '2020-01-01' },
      { personId: secret!.id, organisationId: o.id, title: 'Source' },
      { personId: official!.id, organisationId: o.id, title: 'Political officer', endDate: '2999-01-01' },
    ]);

    const forStaff = await detail(o.id, staff);
    expect(forStaff.people.map((p) => [p.displayName, p.title])).toEqual([['Dana Diplomat', 'Deputy head of mission']]);

    const forAdmin = await detail(o.id, admin);
    expect(forAdmin.people.map((p) => p.personId).sort()).toEqual([dana!.id, secret!.id, official!.id].sort());
    // each restricted record the admin was shown is an audited read
    const reads = await t.db.select().from(auditEntry).where(and(eq(auditEntry.action, 'record.read'), eq(auditEntry.actorId, admin.user.id)));
    expect(reads.map((r) => r.entityId).sort()).toEqual([secret!.id, official!.id].sort());

    // granted the identity-restricted person: the staff member sees the affiliation too
    await t.db.insert(accessGrant).values({ recordType: 'person', recordId: official!.id, userId: staff.user.id });
    expect((await detail(o.id, staff)).people.map((p) => p.personId).sort()).toEqual([dana!.id, official!.id].sort());
  });
});

describe('the list', () => {
  it('filters by kind, status, country, area, city, tag, owner and q, with the total', async () => {
    await create({ kind: 'member', status: 'active', names: [{ name: 'Ramallah Youth Forum' }], country: 'PS', area: 'West Bank', city: 'Ramallah', tags: ['Youth'], ownerId: admin.user.id });
    await create({ kind: 'member', status: 'suspended', names: [{ name: 'Jenin Youth Theatre' }], country: 'PS', area: 'West Bank', city: 'Jenin', tags: ['youth', 'arts'] });
    const ids = async (q: string) => (await list(q)).items.map((o) => o.name).sort();
    expect(await ids('country=ps&area=west%20bank')).toEqual(['Jenin Youth Theatre', 'Ramallah Youth Forum']);
    expect(await ids('city=ramallah')).toEqual(['Ramallah Youth Forum']);
    expect(await ids('tag=YOUTH')).toEqual(['Jenin Youth Theatre', 'Ramallah Youth Forum']);
    expect(await ids('tag=arts&status=suspended')).toEqual(['Jenin Youth Theatre']);
    expect(await ids(`ownerId=${admin.user.id}`)).toEqual(['Ramallah Youth Forum']);
    expect(await ids(`ownerId=${staff.user.id}`)).toEqual([parents.name]);
    expect(await ids('kind=member&status=active&q=youth')).toEqual(['Ramallah Youth Forum']);
    const members = await list('kind=member&limit=1');
    expect(members.items).toHaveLength(1);
    expect(members.total).toBe((await t.db.select({ n: count() }).from(organisation).where(eq(organisation.kind, 'member')))[0]!.n);
    const bad = await problem(await viewer.get('/api/organisations?kind=club&status=dormant&limit=0'), 400);
    expect(bad.errors!.map((e) => e.field).sort()).toEqual(['query.kind', 'query.limit', 'query.status']);
    await problem(await viewer.get('/api/organisations?cursor=forged'), 400);
  });

  it('pages through everything sorted by name, without gaps or repeats', async () => {
    for (const name of ['alpha Peace', 'Alpha Peace', 'Beta', 'beta', 'Gamma', 'Delta']) await create({ kind: 'other', names: [{ name }] });
    const { items, pages } = await allPages<Org>(viewer, '/api/organisations', 3);
    const [all] = await t.db.select({ n: count() }).from(organisation);
    expect(items).toHaveLength(all!.n);
    expect(new Set(items.map((o) => o.id)).size).toBe(all!.n);
    expect(pages.length).toBe(Math.ceil(all!.n / 3));
    // same name in another case: both listed, in id order
    const alphas = items.filter((o) => o.name.toLowerCase() === 'alpha peace');
    expect(alphas).toHaveLength(2);
    expect(alphas[0]!.id < alphas[1]!.id).toBe(true);
    expect(items.findIndex((o) => o.name === 'Beta') > items.findIndex((o) => o.name === 'Alpha Peace')).toBe(true);
    // the reader's order of the name shown to them (the viewer's language, English), then the id
    const collator = new Intl.Collator('en-GB', { sensitivity: 'base', numeric: true });
    for (let i = 1; i < items.length; i++) {
      const [a, b] = [items[i - 1]!, items[i]!];
      const byName = collator.compare(nameForReader(a, 'en'), nameForReader(b, 'en'));
      expect(byName < 0 || (byName === 0 && a.id < b.id), `${a.name} before ${b.name}`).toBe(true);
    }
  });
});

describe('who may', () => {
  it('viewers read but not write (403); anonymous 401; unknown ids 404', async () => {
    const before = await rowCounts();
    await problem(await viewer.post('/api/organisations', { kind: 'member', names: [{ name: 'Nope' }] }), 403);
    await problem(await viewer.patch(`/api/organisations/${parents.id}`, { city: 'Haifa' }), 403);
    await problem(await viewer.delete(`/api/organisations/${parents.id}`), 403);
    await problem(await viewer.post(`/api/organisations/${parents.id}/names`, { name: 'Nope' }), 403);
    await problem(await viewer.post(`/api/organisations/${parents.id}/status`, { status: 'former' }), 403);
    await problem(await viewer.post(`/api/organisations/${parents.id}/links`, { toId: parents.id, kind: 'other' }), 403);
    const anon = t.client();
    await problem(await anon.get('/api/organisations'), 401);
    await problem(await anon.get(`/api/organisations/${parents.id}`), 401);
    await problem(await anon.post('/api/organisations', { kind: 'member', names: [{ name: 'Nope' }] }), 401);
    await problem(await anon.delete(`/api/organisations/${parents.id}`), 401);
    expect(await rowCounts()).toEqual(before);
    expect((await detail(parents.id)).city).toBe('Tel Aviv');

    await problem(await viewer.get('/api/organisations/00000000-0000-4000-8000-000000000000'), 404);
    await problem(await viewer.get('/api/organisations/not-an-id'), 404);
    await problem(await staff.patch('/api/organisations/00000000-0000-4000-8000-000000000000', { city: 'Haifa' }), 404);
    await problem(await staff.delete('/api/organisations/00000000-0000-4000-8000-000000000000'), 404);
  });

  it('names each bad field and writes nothing', async () => {
    const before = await rowCounts();
    const bad = await problem(
      await staff.post('/api/organisations', {
        kind: 'club',
        website: 'not a url',
        names: [{ name: 'x'.repeat(301) }, { name: '—' }],
        country: 'Israel',
        languages: ['Hebrew'],
        colour: 'blue',
      }),
      400,
    );
    expect(bad.errors!.map((e) => e.field).sort()).toEqual(['body.colour', 'body.country', 'body.kind', 'body.languages.0', 'body.names.0.name', 'body.names.1.name', 'body.website']);
    const noNames = await problem(await staff.post('/api/organisations', { kind: 'member', names: [] }), 400);
    expect(noNames.errors).toEqual([{ field: 'body.names', detail: 'At least one name' }]);
    const missing = await problem(await staff.post('/api/organisations', { kind: 'member' }), 400);
    expect(missing.errors!.map((e) => e.field)).toEqual(['body.names']);
    const owner = await problem(await staff.post('/api/organisations', { kind: 'member', names: [{ name: 'Orphan' }], ownerId: 'no-such-user' }), 422);
    expect(owner.errors).toEqual([{ field: 'body.ownerId', detail: 'No such user' }]);
    const patchOwner = await problem(await staff.patch(`/api/organisations/${parents.id}`, { ownerId: 'no-such-user', city: 'Haifa' }), 422);
    expect(patchOwner.errors).toEqual([{ field: 'body.ownerId', detail: 'No such user' }]);
    const patchBad = await problem(await staff.patch(`/api/organisations/${parents.id}`, { website: 'ftp://x.org', names: [] }), 400);
    expect(patchBad.errors!.map((e) => e.field).sort()).toEqual(['body.names', 'body.website']);
    expect(await rowCounts()).toEqual(before);
    expect((await detail(parents.id)).city).toBe('Tel Aviv');
  });
});

describe('editing and deleting', () => {
  it('PATCH changes fields (null clears) and normalises tags; DELETE removes everything and is audited with the names', async () => {
    const o = await create({ kind: 'member', names: [{ name: 'To Delete' }, { name: 'למחיקה' }], city: 'Haifa', tags: ['a'] });
    const patched: Org = await (await staff.patch(`/api/organisations/${o.id}`, { city: null, area: 'Carmel', tags: ['  Schools', 'schools ', 'Arts'], ownerId: admin.user.id })).json();
    expect(patched).toMatchObject({ city: null, area: 'Carmel', tags: ['Schools', 'Arts'], ownerId: admin.user.id });
    expect((await audits('organisation.update', o.id))[0]).toMatchObject({ actorId: staff.user.id, detail: { city: null, before: { city: 'Haifa', tags: ['a'] } } });

    expect((await staff.delete(`/api/organisations/${o.id}`)).status).toBe(204);
    await problem(await viewer.get(`/api/organisations/${o.id}`), 404);
    expect(await t.db.select().from(organisationName).where(eq(organisationName.organisationId, o.id))).toEqual([]);
    const [deleted] = await audits('organisation.delete', o.id);
    expect(deleted).toMatchObject({ actorId: staff.user.id, entityType: 'organisation' });
    expect((deleted!.detail as { names: string[] }).names.sort()).toEqual(['To Delete', 'למחיקה'].sort());
  });

  it('refuses to delete an organisation that appears in recorded meetings (merge instead)', async () => {
    const o = await create({ kind: 'member', names: [{ name: 'Met Before' }] });
    const [m] = await t.db
      .insert(meeting)
      .values({ kind: 'group', title: 'Group meeting', titleNorm: 'group meeting', startsAt: new Date('2024-07-09T07:00:00Z'), endsAt: new Date('2024-07-09T09:00:00Z'), timeZone: 'Asia/Hebron' })
      .returning();
    await t.db.insert(meetingOrganisation).values({ meetingId: m!.id, organisationId: o.id });
    expect((await problem(await staff.delete(`/api/organisations/${o.id}`), 409)).code).toBe('organisation_has_history');
    expect((await staff.get(`/api/organisations/${o.id}`)).status).toBe(200);
  });

  it('audits every create', async () => {
    const created = await t.db.select({ entityId: auditEntry.entityId }).from(auditEntry).where(eq(auditEntry.action, 'organisation.create'));
    const orgs = await t.db.select({ id: organisation.id }).from(organisation);
    const audited = new Set(created.map((c) => c.entityId));
    for (const o of orgs) expect(audited.has(o.id)).toBe(true);
    expect((await audits('organisation.create', parents.id))[0]).toMatchObject({ actorId: staff.user.id, detail: { kind: 'member', status: 'active' } });
  });
});
