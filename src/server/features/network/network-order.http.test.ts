import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../../db/client.ts';
import { NAME_ORDER_LOCALES, nameOrderKey, type NameOrderLanguage } from '../../core/name-order.ts';
import { createTestApp, problem, type TestClient } from '../../../../tests/setup/test-app.ts';
import { allPages } from '../../../../tests/setup/http-helpers.ts';
import { buildOrganisation, buildPerson } from '../../../../tests/setup/network-factories.ts';
import { demoNames, generatedNames, nearNames } from '../../../../tests/setup/name-corpus.ts';
import { nameForReader, personNameForReader } from '../../../web/features/network/reader-name.ts';
import { organisation } from './network.schema.ts';
import type { OrganisationDto } from './organisations.contract.ts';
import type { Person } from './people.contract.ts';

// The network's lists in the reader's order (docs/network.md, "Order"): for each language, the server's order is
// Intl.Collator's order of the name the staff app shows that reader (then the id), on PGlite and on PostgreSQL, and
// paging page by page gives the same order as one big page.

const t = await createTestApp();
const viewer = await t.signedIn('viewer');
const LANGS = Object.keys(NAME_ORDER_LOCALES) as NameOrderLanguage[];

// a corpus of names: the demo network's, names built to sit close to each other, and generated ones
const corpus = [...new Set([...demoNames(), ...nearNames(), ...generatedNames(120, 7)])];
const pick = (i: number) => corpus[(i * 7919) % corpus.length]!;

// organisations with names in one, two or three scripts, of every kind, the display name in any of them
for (let i = 0; i < 150; i++) {
  const own = [pick(i), pick(i + 1000), pick(i + 2000)].slice(0, 1 + (i % 3));
  const kinds = ['official', 'short', 'transliteration', 'former'] as const;
  await buildOrganisation(t.db, {
    kind: 'other',
    name: own[i % own.length],
    names: own.map((name, k) => ({ name, kind: k === 0 ? 'official' : kinds[(i + k) % 4] })),
  });
}
// the same name twice (ties go by id), and one a reader of each script finds under a name of their own script
for (let i = 0; i < 3; i++) await buildOrganisation(t.db, { kind: 'other', names: ['Peace Now Forum', 'פורום שלום עכשיו', 'منتدى السلام الآن'] });

// people with a primary name and alternates or transliterations; some whose identity is restricted (the viewer sees the pseudonym)
for (let i = 0; i < 90; i++) {
  const restricted = i % 9 === 0;
  await buildPerson(t.db, {
    name: pick(i + 3000),
    names: i % 2 ? [pick(i + 4000)] : [],
    transliterations: i % 3 ? [pick(i + 5000)] : [],
    identityRestricted: restricted,
    pseudonym: restricted ? pick(i + 6000) : null,
  });
}

function assertInReaderOrder<T extends { id: string }>(items: T[], lang: NameOrderLanguage, shown: (x: T) => string) {
  const collator = new Intl.Collator(NAME_ORDER_LOCALES[lang], { sensitivity: 'base', numeric: true });
  const wrong: string[] = [];
  for (let i = 1; i < items.length; i++) {
    const [a, b] = [items[i - 1]!, items[i]!];
    const byName = collator.compare(shown(a), shown(b));
    if (!(byName < 0 || (byName === 0 && a.id < b.id))) wrong.push(`${JSON.stringify(shown(a))} before ${JSON.stringify(shown(b))} (${byName})`);
  }
  expect(wrong.slice(0, 5), lang).toEqual([]);
}

async function onePage<T>(path: string, client: TestClient = viewer): Promise<T[]> {
  const res = await client.get(`${path}&limit=200`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { items: T[]; nextCursor: string | null };
  expect(body.nextCursor).toBeNull();
  return body.items;
}

describe('the keys', () => {
  it('read_model.name_order_key_<lang> makes the key nameOrderKey makes, for every name of the corpus', async () => {
    const names = [...corpus, ...generatedNames(2000, 11), '', ' ', '0', 'ﻻ', 'ﷲ', 'Ⅻ', '①', '😀 x', 'e\u0301', 'é'];
    for (const lang of LANGS) {
      const found = await rows<{ n: string; k: string }>(
        t.db,
        sql`SELECT n, read_model.name_order_key(${lang}, n) AS k FROM json_array_elements_text(${JSON.stringify(names)}::json) n`,
      );
      const wrong = found.filter((r) => r.k !== nameOrderKey(lang, r.n)).map((r) => r.n);
      expect(wrong.slice(0, 5), lang).toEqual([]);
      expect(found).toHaveLength(names.length);
    }
  });
});

describe('the organisation list', () => {
  for (const lang of LANGS) {
    it(`is in the ${lang} reader's order of the names shown, page after page as in one page`, async () => {
      const { items } = await allPages<OrganisationDto>(viewer, `/api/organisations?lang=${lang}`, 7);
      expect(items).toHaveLength(153);
      assertInReaderOrder(items, lang, (o) => nameForReader(o, lang));
      expect(items.map((o) => o.id)).toEqual((await onePage<OrganisationDto>(`/api/organisations?lang=${lang}`)).map((o) => o.id));
    });
  }

  it('puts the reader’s script first', async () => {
    const first = async (lang: string) => ((await (await viewer.get(`/api/organisations?lang=${lang}&q=peace%20now%20forum&limit=1`)).json()) as { items: OrganisationDto[] }).items;
    expect(nameForReader((await first('he'))[0]!, 'he')).toBe('פורום שלום עכשיו');
    expect(nameForReader((await first('ar'))[0]!, 'ar')).toBe('منتدى السلام الآن');
  });

  it('follows a new name at once: an organisation given a Hebrew name moves to it in the Hebrew order', async () => {
    const staff = await t.signedIn('staff');
    const o = await buildOrganisation(t.db, { kind: 'partner', names: ['Zzz Late Name'] });
    const hebrew = async () => ((await (await viewer.get('/api/organisations?lang=he&kind=partner&limit=200')).json()) as { items: OrganisationDto[] }).items;
    const res = await staff.post(`/api/organisations/${o.id}/names`, { name: 'אאא שם ראשון', kind: 'official' });
    expect(res.status).toBeLessThan(300);
    const items = await hebrew();
    expect(items[0]!.id).toBe(o.id);
    const [card] = await rows<{ k: string }>(t.db, sql`SELECT key_he AS k FROM read_model.organisation_card WHERE organisation_id = ${o.id}`);
    expect(card!.k).toBe(nameOrderKey('he', 'אאא שם ראשון'));
    await t.db.delete(organisation).where(eq(organisation.id, o.id));
  });

  it('orders for the account’s language when none is asked, and refuses a cursor of another language’s order', async () => {
    const reader = await t.signedIn('viewer');
    expect((await reader.patch('/api/me', { locale: 'ar' })).status).toBe(200);
    const asked = await onePage<OrganisationDto>('/api/organisations?lang=ar&kind=other');
    const own = await onePage<OrganisationDto>('/api/organisations?kind=other', reader);
    expect(own.map((o) => o.id)).toEqual(asked.map((o) => o.id));
    const page = (await (await viewer.get('/api/organisations?lang=he&limit=5')).json()) as { nextCursor: string };
    await problem(await viewer.get(`/api/organisations?lang=en&cursor=${encodeURIComponent(page.nextCursor)}`), 400);
    const bad = await problem(await viewer.get('/api/organisations?lang=fr'), 400);
    expect(bad.errors!.map((e) => e.field)).toEqual(['query.lang']);
  });
});

describe('the people list', () => {
  for (const lang of LANGS) {
    it(`is in the ${lang} reader's order of the names shown (a hidden identity by its pseudonym), page after page as in one page`, async () => {
      const { items } = await allPages<Person>(viewer, `/api/people?lang=${lang}`, 7);
      expect(items).toHaveLength(90);
      assertInReaderOrder(items, lang, (p) => personNameForReader(p, lang));
      expect(items.map((p) => p.id)).toEqual((await onePage<Person>(`/api/people?lang=${lang}`)).map((p) => p.id));
    });
  }
});

describe('the whole lists', () => {
  it('offices, staff and an organisation’s people come in the order of the account’s language', async () => {
    const admin = await t.signedIn('admin');
    for (const [name, city] of [['Berlin office', 'Berlin'], ['משרד ירושלים', 'Jerusalem'], ['مكتب رام الله', 'Ramallah'], ['Amman office', 'Amman']]) {
      expect((await admin.post('/api/offices', { name, city, timeZone: 'Asia/Jerusalem' })).status).toBe(201);
    }
    const org = await buildOrganisation(t.db, { kind: 'partner', names: ['Olive Tree Partners'] });
    for (const name of ['Zaid Khoury', 'אבי כהן', 'أحمد منصور', 'Beth Levi']) await buildPerson(t.db, { name, affiliations: [{ organisationId: org.id }] });
    const reader = await t.signedIn('viewer');
    const expected: Record<NameOrderLanguage, { offices: string[]; people: string[] }> = {
      en: { offices: ['Amman office', 'Berlin office', 'משרד ירושלים', 'مكتب رام الله'], people: ['Beth Levi', 'Zaid Khoury', 'אבי כהן', 'أحمد منصور'] },
      he: { offices: ['משרד ירושלים', 'Amman office', 'Berlin office', 'مكتب رام الله'], people: ['אבי כהן', 'Beth Levi', 'Zaid Khoury', 'أحمد منصور'] },
      ar: { offices: ['مكتب رام الله', 'Amman office', 'Berlin office', 'משרד ירושלים'], people: ['أحمد منصور', 'Beth Levi', 'Zaid Khoury', 'אבי כהן'] },
    };
    for (const lang of LANGS) {
      expect((await reader.patch('/api/me', { locale: lang })).status).toBe(200);
      const offices = ((await (await reader.get('/api/offices')).json()) as { items: { name: string }[] }).items.map((o) => o.name);
      expect(offices, lang).toEqual(expected[lang].offices);
      const people = ((await (await reader.get(`/api/organisations/${org.id}`)).json()) as { people: { displayName: string }[] }).people.map((p) => p.displayName);
      expect(people, lang).toEqual(expected[lang].people);
      const staff = ((await (await reader.get('/api/staff')).json()) as { items: { name: string }[] }).items.map((u) => u.name);
      assertInReaderOrder(staff.map((name, i) => ({ id: String(i).padStart(4, '0'), name })), lang, (u) => u.name);
    }
  });
});
