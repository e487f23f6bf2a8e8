import { count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEntry } from '../audit/audit.schema.ts';
import { IMPORT_ERROR_CODES } from './imports.contract.ts';
import { organisation, organisationName, person, personContact } from '../network/network.schema.ts';
import { buildOrganisation, buildPerson } from '../../../../tests/setup/network-factories.ts';
import { createTestApp, problem, type TestClient } from '../../../../tests/setup/test-app.ts';
import { waitFor } from '../../../../tests/setup/wait.ts';

// CSV import through HTTP: mapping, preview with row errors, matching, all-or-nothing commit.

const t = await createTestApp();
let staff: TestClient & { user: { id: string; email: string } };
let viewer: TestClient;

type Preview = {
  columns: string[];
  mapping: Record<string, string>;
  rows: number;
  valid: number;
  skipped: number;
  errors: { row: number; field: string; column: string | null; value: string | null; detail: string; code: string; params: Record<string, string | number> }[];
  actions: { create: number; update: number };
  sample: { row: number; action: string; id: string | null; values: Record<string, unknown> }[];
};

const HE = ['גשרים', 'קול', 'אופק', 'נתיב', 'שורשים'];
const AR = ['جسور', 'صوت', 'أفق', 'طريق', 'جذور'];

/** 500 organisations with names in three scripts; rows `bad` (spreadsheet numbers) get one bad field each. */
function organisationsCsv(bad: Record<number, 'kind' | 'country' | 'website'> = {}): string {
  const lines = ['Organisation name;שם בעברית;الاسم بالعربية;Type;Status;Country;City;Website;Languages;Tags'];
  for (let i = 1; i <= 500; i++) {
    const row = i + 1;
    const kind = bad[row] === 'kind' ? 'alliance' : 'member';
    const country = bad[row] === 'country' ? 'Palestine' : i % 2 ? 'PS' : 'IL';
    const website = bad[row] === 'website' ? 'not a site' : `www.org${i}.example.org`;
    lines.push(
      [`Imported Org ${i}`, `${HE[i % 5]} ${i}`, `${AR[i % 5]} ${i}`, kind, 'active', country, i % 2 ? 'Ramallah' : 'Haifa', website, 'ar|he', `"import; batch-${i % 3}"`].join(';'),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** A 202 from commit: follows the run (GET Location) until its job has written it, and returns its result. */
async function writtenByJob(res: Response): Promise<Record<string, unknown>> {
  expect(res.status).toBe(202);
  const location = res.headers.get('location')!;
  expect(location).toMatch(/^\/api\/imports\/[0-9a-f-]{36}$/);
  expect(await res.json()).toMatchObject({ kind: 'network', state: 'queued', done: 0 });
  const run = await waitFor('the import job to finish', async () => {
    const r = await (await staff.get(location)).json();
    return r.state === 'done' || r.state === 'failed' ? r : null;
  }, { timeoutMs: 60_000 });
  expect(run).toMatchObject({ state: 'done', error: null });
  expect(run.done).toBe(run.total);
  return run.result;
}

async function organisationCount() {
  const [r] = await t.db.select({ n: count() }).from(organisation);
  return Number(r!.n);
}

beforeAll(async () => {
  staff = (await t.signedIn('staff')) as never;
  viewer = await t.signedIn('viewer');
});

describe('organisations: 500 rows, three bad', () => {
  const bad = { 42: 'kind', 137: 'country', 401: 'website' } as const;

  it('previews: suggests the mapping from the headers and names exactly the three rows and fields; writes nothing', async () => {
    const before = await organisationCount();
    const res = await staff.post('/api/imports/preview', { list: 'organisations', csv: organisationsCsv(bad) });
    expect(res.status).toBe(200);
    const p = (await res.json()) as Preview;
    expect(p.mapping).toEqual({
      'Organisation name': 'name',
      'שם בעברית': 'name_he',
      'الاسم بالعربية': 'name_ar',
      Type: 'kind',
      Status: 'status',
      Country: 'country',
      City: 'city',
      Website: 'website',
      Languages: 'languages',
      Tags: 'tags',
    });
    expect(p.rows).toBe(500);
    expect(p.valid).toBe(497);
    expect(p.errors.map((e) => [e.row, e.field, e.column, e.value])).toEqual([
      [42, 'kind', 'Type', 'alliance'],
      [137, 'country', 'Country', 'Palestine'],
      [401, 'website', 'Website', 'not a site'],
    ]);
    // a code and params to translate; the English detail as before
    expect(p.errors.map((e) => [e.code, e.params, e.detail])).toEqual([
      ['unknown_kind', {}, 'Use member, partner, funder, mission, media or other'],
      ['not_a_country', {}, 'Use a two-letter country code (IL, PS, DE …)'],
      ['not_a_url', {}, 'Not a web address'],
    ]);
    expect(p.actions).toEqual({ create: 497, update: 0 });
    expect(p.sample).toHaveLength(20);
    expect(p.sample[0]).toMatchObject({
      row: 2,
      action: 'create',
      id: null,
      values: {
        names: [
          { name: 'Imported Org 1', kind: 'official' },
          { name: 'קול 1', kind: 'official' },
          { name: 'صوت 1', kind: 'official' },
        ],
        kind: 'member',
        country: 'PS',
        website: 'https://www.org1.example.org',
        languages: ['ar', 'he'],
        tags: ['import', 'batch-1'],
      },
    });
    expect(await organisationCount()).toBe(before);
  });

  it('commit answers 422 with the same errors and the database is unchanged', async () => {
    const before = await organisationCount();
    const [audits] = await t.db.select({ n: count() }).from(auditEntry);
    const res = await staff.post('/api/imports/commit', { list: 'organisations', csv: organisationsCsv(bad) });
    const body = (await problem(res, 422)) as Awaited<ReturnType<typeof problem>> & { rowErrors: Preview['errors'] };
    expect(body.code).toBe('import_has_errors');
    expect(body.rowErrors.map((e) => [e.row, e.field, e.code])).toEqual([
      [42, 'kind', 'unknown_kind'],
      [137, 'country', 'not_a_country'],
      [401, 'website', 'not_a_url'],
    ]);
    expect(body.errors!.map((e) => e.field)).toEqual(['csv.row42.kind', 'csv.row137.country', 'csv.row401.website']);
    expect(await organisationCount()).toBe(before);
    const [after] = await t.db.select({ n: count() }).from(auditEntry);
    expect(after!.n).toBe(audits!.n);
  });

  it('with the bad rows skipped, preview and commit honour skipRows and write 497', async () => {
    const req = { list: 'organisations', csv: organisationsCsv(bad), skipRows: [42, 137, 401] };
    const p = (await (await staff.post('/api/imports/preview', req)).json()) as Preview;
    expect(p).toMatchObject({ rows: 497, skipped: 3, valid: 497, errors: [], actions: { create: 497, update: 0 } });
    const before = await organisationCount();
    // more than SYNC_MAX_ROWS rows: checked, then written by a background job (202)
    const out = (await writtenByJob(await staff.post('/api/imports/commit', req))) as {
      created: number;
      updated: number;
      skipped: number;
      ids: { row: number; id: string }[];
    };
    expect(out).toMatchObject({ created: 497, updated: 0, skipped: 3 });
    expect(await organisationCount()).toBe(before + 497);
    expect(out.ids.some((x) => x.row === 42)).toBe(false);

    // written with every name (and its norm), status history and a per-record audit entry
    const org1 = out.ids.find((x) => x.row === 2)!.id;
    const detail = (await (await staff.get(`/api/organisations/${org1}`)).json()) as {
      name: string;
      names: { name: string; script: string }[];
      status: string;
      statusHistory: unknown[];
      tags: string[];
    };
    expect(detail.name).toBe('Imported Org 1');
    expect(detail.names.map((n) => n.script).sort()).toEqual(['arabic', 'hebrew', 'latin']);
    expect(detail.status).toBe('active');
    expect(detail.statusHistory).toHaveLength(1);
    const norms = await t.db.select({ norm: organisationName.norm }).from(organisationName).where(eq(organisationName.organisationId, org1));
    expect(norms.map((n) => n.norm)).toContain('imported org 1');
    const [creates] = await t.db.select({ n: count() }).from(auditEntry).where(eq(auditEntry.action, 'organisation.create'));
    expect(Number(creates!.n)).toBeGreaterThanOrEqual(497);
    const [commit] = await t.db.select().from(auditEntry).where(eq(auditEntry.action, 'import.commit'));
    expect(commit!.actorId).toBe(staff.user.id);
    expect(commit!.detail).toMatchObject({ list: 'organisations', created: 497, updated: 0, skipped: 3 });
  });

  it('after fixing, the same names are matched: 497 updates and the 3 fixed rows created', async () => {
    const out = await writtenByJob(await staff.post('/api/imports/commit', { list: 'organisations', csv: organisationsCsv() }));
    expect(out).toMatchObject({ created: 3, updated: 497 });
    // matched by any name: the Arabic name alone finds the organisation
    const csv = 'الاسم,Tags\nجسور 5,from-arabic\n';
    const p = (await (await staff.post('/api/imports/preview', { list: 'organisations', csv })).json()) as Preview;
    expect(p.actions).toEqual({ create: 0, update: 1 });
    const [o] = await t.db.select().from(organisation).where(eq(organisation.name, 'Imported Org 5'));
    expect(p.sample[0]!.id).toBe(o!.id);
  });
});

describe('mapping and parsing', () => {
  it('reads comma-separated text without a BOM, quoted cells with commas and newlines, and a given mapping', async () => {
    const csv = 'Nom,Genre,Notes\n"Bridges, Haifa",partner,"line one\nline two"\n,,\n"Open Doors",mission,x\n';
    const res = await staff.post('/api/imports/preview', { list: 'organisations', csv, mapping: { Nom: 'name', Genre: 'kind' } });
    expect(res.status).toBe(200);
    const p = (await res.json()) as Preview & { delimiter: string };
    expect(p.delimiter).toBe(',');
    expect(p.rows).toBe(2);
    expect(p.sample.map((s) => [s.row, (s.values.names as { name: string }[])[0]!.name, s.values.kind])).toEqual([
      [2, 'Bridges, Haifa', 'partner'],
      // the quoted newline keeps row 2 one row; the empty line is row 3
      [4, 'Open Doors', 'mission'],
    ]);
  });

  it('suggests a mapping from Hebrew and Arabic headers', async () => {
    await buildOrganisation(t.db, { names: ['Kav LaOved', 'קו לעובד'] });
    const csv = 'שם,דוא"ל,ארגון,תפקיד,الهاتف\nדנה כהן,dana@example.org,קו לעובד,רכזת,+972-3-555-0000\n';
    const p = (await (await staff.post('/api/imports/preview', { list: 'people', csv })).json()) as Preview;
    expect(p.mapping).toEqual({ 'שם': 'name', 'דוא"ל': 'email', 'ארגון': 'organisation', 'תפקיד': 'title', 'الهاتف': 'phone' });
    expect(p.errors).toEqual([]);
    expect(p.sample[0]!.values).toMatchObject({ names: [{ name: 'דנה כהן', kind: 'primary' }], emails: ['dana@example.org'], phones: ['+972-3-555-0000'], title: 'רכזת' });
  });

  it('refuses a file over 10 MB and an unreadable one, naming body.csv', async () => {
    const big = `name\n${'x'.repeat(10 * 1024 * 1024)}\n`;
    const tooBig = await problem(await staff.post('/api/imports/preview', { list: 'organisations', csv: big }), 400);
    expect(tooBig.errors).toEqual([{ field: 'body.csv', detail: 'At most 10 MB' }]);
    const broken = await problem(await staff.post('/api/imports/preview', { list: 'organisations', csv: 'name\n"unclosed\n' }), 400);
    expect(broken.errors!.map((e) => e.field)).toEqual(['body.csv']);
  });

  it('rejects a mapping that does not fit, naming each entry', async () => {
    const csv = 'A,B,C\nx,y,z\n';
    const body = await problem(await staff.post('/api/imports/preview', { list: 'organisations', csv, mapping: { A: 'name', B: 'colour', D: 'city' } }), 400);
    expect(body.errors).toEqual([
      { field: 'body.mapping.B', detail: expect.stringContaining('Unknown field') },
      { field: 'body.mapping.D', detail: 'No such column in the file' },
    ]);
    const none = await problem(await staff.post('/api/imports/preview', { list: 'people', csv, mapping: { A: 'title' } }), 400);
    expect(none.errors).toEqual([{ field: 'body.mapping', detail: 'Map a column to name or email' }]);
    const list = await problem(await staff.post('/api/imports/preview', { list: 'meetings', csv }), 400);
    expect(list.errors!.map((e) => e.field)).toEqual(['body.list']);
  });

  it('flags rows naming the same organisation twice, names matching two organisations, and unknown owners', async () => {
    await buildOrganisation(t.db, { names: ['Twin A'] });
    await buildOrganisation(t.db, { names: ['Twin B'] });
    const csv = ['name,name_en,owner_email', 'Fresh One,,', 'fresh one,,', 'Twin A,Twin B,', `Owned,,${staff.user.email.toUpperCase()}`, 'Orphan,,nobody@example.org'].join('\n');
    const p = (await (await staff.post('/api/imports/preview', { list: 'organisations', csv })).json()) as Preview;
    expect(p.errors.map((e) => [e.row, e.field, e.code, e.params])).toEqual([
      [3, 'name', 'duplicate_of_row', { row: 2 }],
      [4, 'name', 'matches_several_organisations', { count: 2 }],
      [6, 'owner_email', 'no_such_user', {}],
    ]);
    expect(p.errors[0]!.detail).toBe('The same organisation as row 2');
    expect(p.sample.find((s) => s.row === 5)!.values.ownerId).toBe(staff.user.id);
  });
});

describe('row error codes', () => {
  const codes = (p: Preview) => p.errors.map((e) => [e.row, e.field, e.code, e.params]);

  it('names each organisation problem with a code and the params its message needs, beside the English detail', async () => {
    await buildOrganisation(t.db, { names: ['Existing Partner'], kind: 'partner' });
    const tags = (n: number, len = 5) => Array.from({ length: n }, (_, i) => `t${i}`.padEnd(len, 'x')).join('|');
    const csv = [
      'name,kind,status,languages,tags,description',
      `${'x'.repeat(301)},member,,,,`,
      'Good Org,member,active,en|xx1,,',
      'Partner Org,partner,active,,,',
      'Bad Status,member,dormant,,,',
      '!!!,member,,,,',
      `Long Tag,member,,,${tags(1, 61)},`,
      `Many Tags,member,,,${tags(51)},`,
      'Extra,member,,,,,surplus',
      'good org,,,,,',
      'Existing Partner,,active,,,',
      ',member,,,,',
      `Long Description,member,,,,${'d'.repeat(20_001)}`,
    ].join('\n');
    const p = (await (await staff.post('/api/imports/preview', { list: 'organisations', csv })).json()) as Preview;
    expect(codes(p)).toEqual([
      [2, 'name', 'too_long', { max: 300 }],
      [3, 'languages', 'not_a_language', { value: 'xx1' }],
      [4, 'status', 'status_for_non_member', {}],
      [5, 'status', 'unknown_status', {}],
      [6, 'name', 'no_letters', {}],
      [7, 'tags', 'tag_too_long', { max: 60 }],
      [8, 'tags', 'too_many_tags', { max: 50 }],
      [9, 'row', 'row_too_long', { cells: 7, columns: 6 }],
      [10, 'name', 'duplicate_of_row', { row: 3 }],
      [11, 'status', 'status_for_existing_non_member', { kind: 'partner' }],
      [12, 'name', 'required', {}],
      [13, 'description', 'too_long', { max: 20_000 }],
    ]);
    const detail = new Map(p.errors.map((e) => [e.row, e.detail]));
    expect(detail.get(2)).toBe('At most 300 characters');
    expect(detail.get(3)).toBe('"xx1" is not a language code such as en, he, ar');
    expect(detail.get(9)).toBe('The row has 7 cells; the header has 6 columns');
    expect(detail.get(10)).toBe('The same organisation as row 3');
    expect(detail.get(11)).toBe('Only member organisations have a membership status (this one is partner)');
    expect(p.errors.every((e) => e.code in IMPORT_ERROR_CODES)).toBe(true);
  });

  it('names each person problem, including one only the create schema catches (more than 30 names)', async () => {
    await buildOrganisation(t.db, { names: ['Same Name'] });
    await buildOrganisation(t.db, { names: ['Same Name'] });
    for (const name of ['Twin One', 'Twin Two']) await buildPerson(t.db, { name, contacts: [{ kind: 'email', value: 'twin@example.org' }] });
    const spellings = Array.from({ length: 31 }, (_, i) => `Spelling ${i}`).join('|');
    const csv = [
      'name,email,phone,organisation,title,preferred_language,transliterations',
      'Dana,Dana <dana@example.org>,,,,,',
      'Omar,,call me,,,,',
      'Rana,,,,,xx_1,',
      'Yael,,,,Director,,',
      'Noor,,,Nowhere Org,,,',
      'Dana Two,dana2@example.org,,,,,',
      'Dana Three,DANA2@example.org,,,,,',
      `Many Names,,,,,,${spellings}`,
      ',nobody@example.org,,,,,',
      'Lea,,,Same Name,,,',
      'Twin,twin@example.org,,,,,',
    ].join('\n');
    const p = (await (await staff.post('/api/imports/preview', { list: 'people', csv })).json()) as Preview;
    expect(codes(p)).toEqual([
      [2, 'email', 'not_an_email', { value: 'dana <dana@example.org>' }],
      [3, 'phone', 'not_a_phone', { value: 'call me' }],
      [4, 'preferred_language', 'not_a_language', { value: 'xx_1' }],
      [5, 'title', 'title_needs_organisation', {}],
      [6, 'organisation', 'no_such_organisation', {}],
      [8, 'email', 'duplicate_of_row', { row: 7 }],
      [9, 'name', 'too_many', { max: 30 }],
      [10, 'name', 'required_for_new_person', {}],
      [11, 'organisation', 'several_organisations', { count: 2 }],
      [12, 'email', 'matches_several_people', { count: 2 }],
    ]);
    const detail = new Map(p.errors.map((e) => [e.row, e.detail]));
    expect(detail.get(2)).toBe('"dana <dana@example.org>" is not an email address');
    expect(detail.get(8)).toBe('The same person as row 7');
    expect(detail.get(9)).toBe('At most 30 names');
    expect(detail.get(12)).toBe('Matches 2 different people; merge them first');
  });

  it('declares code and params in the OpenAPI document, listing the codes', async () => {
    const doc = (await (await t.app.request('/api/openapi.json')).json()) as {
      components: { schemas: Record<string, { required?: string[]; properties: Record<string, { description?: string }> }> };
    };
    const schema = doc.components.schemas.ImportRowError!;
    expect(schema.required).toEqual(expect.arrayContaining(['code', 'params', 'detail']));
    for (const code of Object.keys(IMPORT_ERROR_CODES)) expect(schema.properties.code!.description).toContain(code);
  });
});

describe('people', () => {
  it('matches by email, else by name and organisation; unknown organisations are row errors', async () => {
    const org = await buildOrganisation(t.db, { names: ['Mission of Norway', 'שגרירות נורווגיה', 'سفارة النرويج'], kind: 'mission' });
    const byEmail = await buildPerson(t.db, { name: 'Lina Haddad', contacts: [{ kind: 'email', value: 'lina@example.org' }] });
    const byName = await buildPerson(t.db, { name: 'Omar Said', affiliations: [{ organisationId: org.id, title: 'Attaché' }] });
    const hidden = await buildPerson(t.db, { name: 'Secret', restricted: true, contacts: [{ kind: 'email', value: 'secret@example.org' }] });
    const csv = [
      'Full name;E-mail;Phone;Organisation;Title;Transliterations;Tags',
      'Lina Haddad;LINA@example.org; +972 50 111 2222;;;Leena Haddad;donor',
      'Omar Said;;;سفارة النرويج;Counsellor;;',
      'New Person;new1@example.org|new2@example.org;;Mission of Norway;Second secretary;;g7',
      'Nobody Known;;;Atlantis Foundation;;;',
      'Not Hidden;secret@example.org;;;;;',
      ';;;;Title only;;',
    ].join('\n');
    const p = (await (await staff.post('/api/imports/preview', { list: 'people', csv })).json()) as Preview;
    expect(p.mapping).toMatchObject({ 'Full name': 'name', 'E-mail': 'email', Phone: 'phone', Organisation: 'organisation', Title: 'title', Transliterations: 'transliterations', Tags: 'tags' });
    expect(p.errors.map((e) => [e.row, e.field, e.code])).toEqual([
      [5, 'organisation', 'no_such_organisation'],
      [7, 'name', 'required_for_new_person'],
      [7, 'title', 'title_needs_organisation'],
    ]);
    const byRow = new Map(p.sample.map((s) => [s.row, s]));
    expect(byRow.get(2)).toMatchObject({ action: 'update', id: byEmail.id });
    expect(byRow.get(3)).toMatchObject({ action: 'update', id: byName.id });
    expect(byRow.get(4)).toMatchObject({ action: 'create', id: null, values: { emails: ['new1@example.org', 'new2@example.org'], organisationId: org.id } });
    // a restricted person the importer may not see is not matched (nor revealed): the row creates a new person
    expect(byRow.get(6)).toMatchObject({ action: 'create', id: null });
    expect(byRow.get(6)!.id).not.toBe(hidden.id);

    const fail = await staff.post('/api/imports/commit', { list: 'people', csv });
    await problem(fail, 422);
    const res = await staff.post('/api/imports/commit', { list: 'people', csv, skipRows: [5, 7] });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ created: 2, updated: 2 });

    const lina = (await (await staff.get(`/api/people/${byEmail.id}`)).json()) as { names: { name: string; kind: string }[]; contacts: { value: string }[]; tags: string[] };
    expect(lina.names.map((n) => [n.name, n.kind])).toContainEqual(['Leena Haddad', 'transliteration']);
    expect(lina.contacts.map((c) => c.value).sort()).toEqual(['+972 50 111 2222', 'lina@example.org']);
    expect(lina.tags).toEqual(['donor']);
    const omar = (await (await staff.get(`/api/people/${byName.id}`)).json()) as { affiliations: { title: string }[] };
    expect(omar.affiliations.map((a) => a.title)).toEqual(['Counsellor']);
    const [created] = await t.db.select({ personId: personContact.personId }).from(personContact).where(eq(personContact.value, 'new2@example.org'));
    const fresh = (await (await staff.get(`/api/people/${created!.personId}`)).json()) as { displayName: string; affiliations: { organisationId: string; title: string }[]; tags: string[] };
    expect(fresh).toMatchObject({ displayName: 'New Person', affiliations: [{ organisationId: org.id, title: 'Second secretary' }], tags: ['g7'] });
    const [still] = await t.db.select().from(person).where(eq(person.id, hidden.id));
    expect(still!.displayName).toBe('Secret');
  });
});

describe('who may import', () => {
  const body = { list: 'organisations', csv: 'name\nX\n' };
  it('viewers may not (403), anonymous callers are not signed in (401)', async () => {
    await problem(await viewer.post('/api/imports/preview', body), 403);
    await problem(await viewer.post('/api/imports/commit', body), 403);
    const anon = t.client();
    await problem(await anon.post('/api/imports/preview', body), 401);
    await problem(await anon.post('/api/imports/commit', body), 401);
    const [o] = await t.db.select().from(organisation).where(eq(organisation.name, 'X'));
    expect(o).toBeUndefined();
  });
});
