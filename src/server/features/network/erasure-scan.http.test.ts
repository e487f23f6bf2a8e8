import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../../db/client.ts';
import { SearchIndex } from '../insights/search-index.ts';
import { normalizeName } from './names.ts';
import { dumpDatabase, findIn, needlesOf } from '../../../../tests/setup/erasure-scan.ts';
import { createTestApp, type TestClient } from '../../../../tests/setup/test-app.ts';

// The test that makes "erased data left somewhere" impossible to miss: a person (then an organisation) whose names
// are distinctive strings in three scripts is written into every place the app stores text (through the API, so the
// audit log names them too), then erased; afterwards every table of every schema is dumped as text and none of the
// strings may appear, in any case or folded as search folds them. Search (the app's index and a second one standing
// in for another server), exports and calendar feeds find nothing; meetings keep their attendees and counts; the
// read models equal a rebuild.

const t = await createTestApp();
const admin = await t.signedIn('admin', { name: 'Rana Admin' });
const staff = await t.signedIn('staff', { name: 'Noa Staff' });

type Json = Record<string, any>;
async function ok(res: Response | Promise<Response>, status = [200, 201]): Promise<Json> {
  const r = await res;
  const text = await r.text();
  if (!status.includes(r.status)) throw new Error(`expected ${status.join('/')}, got ${r.status}: ${text}`);
  return text ? (JSON.parse(text) as Json) : {};
}
const body = (res: Response | Promise<Response>) => ok(res);

/** Index internals (what a server holds in memory): every word and every document text, alive or dead. */
function indexTexts(index: SearchIndex): string {
  const { words, texts } = index.held();
  return `${words.join(' ')}\n${texts.join('\n')}`;
}

async function readModels() {
  return {
    // (as_of says when a row was computed: a rebuild computes them all again)
    activity: await rows(
      t.db,
      sql`SELECT organisation_id, last_at, n90, open_concerns, open_follow_ups, last_at_all, n90_all, open_concerns_all, open_follow_ups_all, valid_until
        FROM read_model.organisation_activity ORDER BY organisation_id`,
    ),
    readers: await rows(t.db, sql`SELECT user_id, meeting_id FROM read_model.meeting_reader ORDER BY meeting_id, user_id`),
    cards: await rows(t.db, sql`SELECT organisation_id, card::text AS card FROM read_model.organisation_card ORDER BY organisation_id`),
    readerActivity: await rows(
      t.db,
      sql`SELECT user_id, organisation_id, last_at, n90, open_concerns, open_follow_ups, valid_until FROM read_model.reader_activity ORDER BY user_id, organisation_id`,
    ),
    health: await rows(t.db, sql`SELECT * FROM read_model.member_health ORDER BY reader, organisation_id`),
  };
}

/** What the triggers left equals a rebuild from the tables. */
async function expectReadModelsRebuilt() {
  const kept = await readModels();
  await t.db.execute(sql`SELECT read_model.rebuild()`);
  expect(kept).toEqual(await readModels());
}

async function text(client: TestClient, path: string): Promise<string> {
  const res = await client.get(path);
  expect(res.status, path).toBe(200);
  return res.text();
}

async function searchHits(client: TestClient, q: string, types?: string) {
  const res = await client.get(`/api/search?q=${encodeURIComponent(q)}${types ? `&types=${types}` : ''}&limit=50`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: { type: string; id: string; title: string }[] }).items;
}

/** Erases with every place of free text that names the record redacted. */
async function eraseWithEveryPlace(client: TestClient, path: string, confirmName: string) {
  const preview = await body(client.get(`${path}/preview`));
  const redact = preview.mentions.map((m: Json) => ({ kind: m.kind, id: m.id }));
  const out = await ok(client.post(path, { confirmName, reason: 'Asked by phone; ticket 41', redact }), [200]);
  expect(out.done).toBe(true);
  return { preview, erasure: out.erasure };
}

describe('erasing a person leaves none of their data anywhere', () => {
  it('names in three scripts, transliterations, contacts, notes, tags, affiliation and every mention are gone from every table', async () => {
    const P = {
      latin: 'Zebulon Quixotewright',
      translit: 'Zevulun Kwixotright',
      hebrew: 'זבולון קוויקסוטרייט',
      arabic: 'زبولون كويكسوترايت',
      added: 'Zebulun Quixotraight',
      duplicate: 'Zebby Quixotewrighte',
      imported: 'Zebulun Qwixotrite',
      email: 'zq.orrery@example.org',
      email2: 'zebby.dup@example.org',
      phone: '+972 2 555 7391',
      notes: 'Keeps pigeons near the Quillfeatherby market',
      tag: 'vexhallian-circle',
      title: 'Chief Orrerymaker',
      role: 'Keynote pigeonkeeper',
    };
    const forum = await body(admin.post('/api/organisations', { kind: 'member', status: 'active', name: 'Seagrass Forum', names: [{ name: 'Seagrass Forum' }, { name: 'פורום עשב ים' }, { name: 'منتدى عشب البحر' }] }));
    const other = await body(admin.post('/api/organisations', { kind: 'member', status: 'prospective', name: 'Lantern Fund', names: [{ name: 'Lantern Fund' }], description: `Funded after a talk by ${P.latin}.` }));
    const person = await body(
      staff.post('/api/people', {
        names: [{ name: P.latin }, { name: P.hebrew, kind: 'alternate' }, { name: P.arabic, kind: 'alternate' }, { name: P.translit, kind: 'transliteration' }],
        contacts: [{ kind: 'email', value: P.email }, { kind: 'phone', value: P.phone, label: 'mobile' }],
        affiliations: [{ organisationId: forum.id, title: P.title, startDate: '2021-03-01' }],
        tags: [P.tag],
        notes: P.notes,
        preferredLanguage: 'he',
      }),
    );
    await body(staff.post(`/api/people/${person.id}/names`, { name: P.added, kind: 'transliteration' }));
    await body(staff.patch(`/api/people/${person.id}`, { notes: `${P.notes}; reachable on ${P.phone}`, tags: [P.tag, 'youth'] }));
    // a duplicate record of the same person, merged into it: the merge's audit entry keeps the duplicate whole
    const duplicate = await body(staff.post('/api/people', { names: [{ name: P.duplicate }], contacts: [{ kind: 'email', value: P.email2 }] }));
    await body(staff.post('/api/people/merge', { keepId: person.id, mergeId: duplicate.id }));
    // an import that matches them by email and adds a spelling
    await body(staff.post('/api/imports/commit', { list: 'people', csv: `Email,Transliterations,Tags\n${P.email},${P.imported},imported\n` }));
    // another person whose notes, affiliation title and pseudonym-free record name them
    const colleague = await body(
      staff.post('/api/people', {
        names: [{ name: 'Tamar Oren' }],
        notes: `Introduced by ${P.latin} at the fair.`,
        affiliations: [{ organisationId: forum.id, title: `Assistant to ${P.latin}` }],
      }),
    );
    const meeting = await body(
      staff.post('/api/meetings', {
        kind: 'one_on_one',
        title: `Tea with ${P.latin}`,
        startsAt: new Date(Date.now() + 86_400_000).toISOString(),
        endsAt: new Date(Date.now() + 90_000_000).toISOString(),
        timeZone: 'Asia/Jerusalem',
        venue: `${P.latin}'s garden`,
        notes: `פגישה עם ${P.hebrew} בבית. He said ${P.email} is safe.`,
        organisations: [{ organisationId: forum.id }],
        people: [{ personId: person.id, organisationId: forum.id, role: P.role }, { personId: colleague.id }],
        staffIds: [admin.user.id, staff.user.id],
        sharedItems: [{ organisationId: forum.id, kind: 'concern', body: `قال ${P.arabic} إن التصاريح متأخرة` }],
        followUps: [{ title: `Send ${P.latin} the report`, ownerId: staff.user.id, organisationId: forum.id }],
      }),
    );
    await body(admin.post(`/api/organisations/${other.id}/links`, { toId: forum.id, kind: 'partner_of', note: `Through ${P.latin}` }));
    await body(admin.post(`/api/organisations/${other.id}/status`, { status: 'active', since: '2024-01-01', note: `Vouched for by ${P.latin}` }));
    await body(staff.post('/api/segments', { name: `${P.latin} circle`, list: 'people', filter: { q: P.latin } }));
    // a campaign (issue 13): the person as an official target; a statement quoting them, a judgement and a note naming
    // them, a reference document titled after them with a passage quoting them
    const embassy = await body(admin.post('/api/organisations', { kind: 'mission', name: 'Embassy of Examplestan', names: [{ name: 'Embassy of Examplestan' }] }));
    const g7 = await body(staff.post('/api/campaigns', { name: { en: 'Day after' }, asks: [{ en: 'A role for civil society' }] }));
    const mission = await body(staff.post(`/api/campaigns/${g7.id}/targets`, { organisationId: embassy.id }));
    const official = await body(staff.post(`/api/campaigns/${g7.id}/targets`, { personId: person.id }));
    const doc = await body(
      staff.post(`/api/campaigns/${g7.id}/documents`, { title: `Letter from ${P.latin}`, url: 'https://example.org/letter', passages: [{ quote: `${P.hebrew} כתב שהוא תומך.`, locator: 'p. 1' }] }),
    );
    const asOf = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    await body(
      staff.post(`/api/campaigns/${g7.id}/stances`, {
        targetId: mission.id,
        askId: g7.asks[0].id,
        value: 'supportive',
        asOf,
        evidence: { kind: 'statement', url: 'https://example.org/speech', quote: `As ${P.arabic} told the press, we support it.` },
        note: `Confirmed by ${P.latin} by phone.`,
      }),
    );
    await body(
      staff.post(`/api/campaigns/${g7.id}/stances`, { targetId: official.id, askId: g7.asks[0].id, value: 'champion', asOf, evidence: { kind: 'judgement', reason: `${P.translit} argued for it twice.` } }),
    );
    await body(staff.post(`/api/campaigns/${g7.id}/stances`, { targetId: mission.id, askId: g7.asks[0].id, value: 'champion', asOf, evidence: { kind: 'document_passage', passageId: doc.passages[0].id } }));
    // a news post (Updates) naming them in three scripts, with an earlier revision
    const news = await body(
      staff.post('/api/posts', {
        versions: {
          en: { slug: 'scan-news', title: `A talk by ${P.latin}`, summary: `Write to ${P.email}`, body: `${P.translit} spoke.` },
          he: { slug: 'scan-news-he', title: 'הרצאה', summary: '', body: `${P.hebrew} דיבר.` },
          ar: { slug: 'scan-news-ar', title: 'محاضرة', summary: '', body: `تحدث ${P.arabic}.` },
        },
      }),
    );
    await body(staff.put(`/api/posts/${news.id}/versions/en`, { slug: 'scan-news', title: `A talk by ${P.latin}`, summary: '', body: `${P.latin} and ${P.translit} spoke.` }));
    const feed = await body(admin.post('/api/calendar/feeds'));
    const feedPath = new URL(feed.url).pathname;

    // ---- before: every surface shows them
    expect((await searchHits(staff, P.arabic, 'person')).map((h) => h.id)).toContain(person.id);
    expect((await searchHits(staff, P.translit, 'person')).map((h) => h.id)).toContain(person.id);
    expect(await text(staff, '/api/exports/people.csv')).toContain(P.latin);
    expect(await text(staff, '/api/exports/meetings.csv')).toContain(P.latin);
    expect(await text(admin, feedPath)).toContain(P.latin);
    const secondServer = new SearchIndex();
    await secondServer.sync(t.db);
    expect(secondServer.search(P.hebrew, new Set(['person']), 5).get('person')?.map((h) => h.recordId)).toContain(person.id);
    const needles = needlesOf(Object.values(P));
    const before = findIn(await dumpDatabase(t.db), needles);
    // the distinctive strings really are in the tables, the read models' neighbours and the audit log
    for (const where of ['public.person_name', 'public.person_contact', 'public.affiliation', 'public.person', 'public.audit_entry', 'public.meeting', 'public.shared_item', 'public.follow_up', 'public.segment', 'public.post_version', 'public.post_revision', 'public.campaign_stance', 'public.campaign_document', 'public.campaign_document_passage']) {
      expect(before.some((f) => f.startsWith(`${where}:`)), where).toBe(true);
    }
    const attendeesBefore = (await body(admin.get(`/api/meetings/${meeting.id}`))).people.length;
    const healthBefore = (await body(staff.get('/api/member-health?status=any&kind=any&limit=500'))).items.find((h: Json) => h.id === forum.id);

    // ---- the erasure
    const { preview, erasure } = await eraseWithEveryPlace(admin, `/api/people/${person.id}/erasure`, P.latin.toUpperCase());
    expect(preview.erases).toMatchObject({ names: 7, contacts: 3, affiliations: 1, tags: 3, notes: true, posts: 1 });
    expect(preview.keeps.meetings).toBe(1);
    expect(preview.mentions.map((m: Json) => m.kind).sort()).toEqual(
      ['affiliation_title', 'follow_up', 'meeting_notes', 'meeting_title', 'meeting_venue', 'organisation_description', 'person_notes', 'segment', 'shared_item', 'status_note', 'link_note', 'campaign_stance', 'campaign_stance', 'campaign_document', 'campaign_passage'].sort(),
    );
    expect(erasure).toMatchObject({ status: 'done', recordId: person.id, recordName: `Erased person · ${erasure.reference}` });
    expect(erasure.reference).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(erasure.mentions.every((m: Json) => m.redacted)).toBe(true);

    // ---- after: nothing of them anywhere
    const after = await dumpDatabase(t.db);
    expect(findIn(after, needles)).toEqual([]);
    // the tombstone stands where the names were
    const shown = await body(admin.get(`/api/people/${person.id}`));
    expect(shown).toMatchObject({ displayName: erasure.tombstone, names: [], contacts: [], affiliations: [], tags: [], notes: null, pseudonym: null });
    const m = await body(admin.get(`/api/meetings/${meeting.id}`));
    expect(m.people.length).toBe(attendeesBefore);
    expect(m.title).toBe(`Tea with [${erasure.tombstone}]`);
    expect(m.people.find((p: Json) => p.personId === person.id)).toBeDefined();
    const healthAfter = (await body(staff.get('/api/member-health?status=any&kind=any&limit=500'))).items.find((h: Json) => h.id === forum.id);
    expect(healthAfter).toEqual(healthBefore);
    await expectReadModelsRebuilt();

    // search (the app's index and another server's), lists, merge candidates, import matching, exports, feeds
    for (const q of [P.latin, P.hebrew, P.arabic, P.translit, P.added, P.imported, P.duplicate, 'Quixotewright']) {
      expect(await searchHits(staff, q), q).toEqual([]);
      expect((await body(admin.get(`/api/people?q=${encodeURIComponent(q)}`))).total, q).toBe(0);
    }
    await secondServer.sync(t.db);
    expect(secondServer.search(P.hebrew, new Set(['person']), 5).get('person') ?? []).toEqual([]);
    const held = indexTexts(secondServer);
    expect(needles.filter((n) => held.includes(normalizeName(n)) && normalizeName(n).length > 0)).toEqual([]);
    const preview2 = await body(staff.post('/api/imports/preview', { list: 'people', csv: `Email,Name\n${P.email},Someone\n` }));
    expect(preview2.actions).toEqual({ create: 1, update: 0 });
    for (const path of ['/api/exports/people.csv', '/api/exports/meetings.csv', '/api/exports/follow-ups.csv', '/api/exports/organisations.csv', feedPath, `/api/meetings/${meeting.id}/ics`]) {
      const out = (await text(admin, path)).toLowerCase();
      expect(needles.filter((n) => out.includes(n)), path).toEqual([]);
    }

    // the audit: who erased, when, which record and the reference, nothing of what was erased
    const audit = await body(admin.get(`/api/audit?action=person.erase&entityId=${person.id}`));
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({ actorId: admin.user.id, entityType: 'person', entityId: person.id, detail: { reference: erasure.reference, erasureId: erasure.id } });
    const earlier = await body(admin.get(`/api/audit?entityType=person&entityId=${person.id}&limit=200`));
    expect(earlier.items.map((e: Json) => e.action)).toEqual(expect.arrayContaining(['person.create', 'person.add_name', 'person.update', 'person.merge', 'person.erase']));
    for (const e of earlier.items.filter((x: Json) => x.action !== 'person.erase')) expect(e.detail.erased, e.action).toBe(erasure.tombstone);
  });
});

describe('erasing an organisation leaves none of its data anywhere', () => {
  it('names in three scripts, website, description, place, tags, status and link notes are gone; meetings and member health figures stay', async () => {
    const O = {
      latin: 'Wrenfeather Collective',
      hebrew: 'קולקטיב רנפד׳ר',
      arabic: 'جماعة رنفيذر',
      short: 'Wrenfeathers',
      merged: 'Wrenfeather Kollektiv',
      website: 'https://wrenfeather-collective.example.org',
      description: 'We meet at the Oxbowlight cafe',
      city: 'Tirzavelle',
      area: 'Upper Gloamvale',
      tag: 'gloamvale-youth',
      statusNote: 'Joined after the Brambleton vigil',
      linkNote: 'Co-organised the Mistlehaven march',
    };
    const partner = await body(admin.post('/api/organisations', { kind: 'partner', name: 'Harbour Trust', names: [{ name: 'Harbour Trust' }] }));
    const org = await body(
      staff.post('/api/organisations', {
        kind: 'member',
        status: 'prospective',
        name: O.latin,
        names: [{ name: O.latin }, { name: O.hebrew }, { name: O.arabic }, { name: O.short, kind: 'short' }],
        website: O.website,
        description: O.description,
        city: O.city,
        area: O.area,
        country: 'PS',
        tags: [O.tag],
      }),
    );
    await body(staff.post(`/api/organisations/${org.id}/status`, { status: 'active', since: '2025-05-01', note: O.statusNote }));
    await body(staff.post(`/api/organisations/${org.id}/links`, { toId: partner.id, kind: 'partner_of', note: O.linkNote }));
    await body(staff.patch(`/api/organisations/${org.id}`, { description: `${O.description}, Thursdays`, tags: [O.tag, 'grassroots'] }));
    const dup = await body(staff.post('/api/organisations', { kind: 'member', status: 'active', name: O.merged, names: [{ name: O.merged }] }));
    await body(staff.post('/api/organisations/merge', { keepId: org.id, mergeId: dup.id }));
    await body(staff.post('/api/imports/commit', { list: 'organisations', csv: `Name,Tags\n${O.latin},imported\n` }));
    const member = await body(staff.post('/api/people', { names: [{ name: 'Yusuf Amari' }], affiliations: [{ organisationId: org.id, title: `Coordinator of ${O.latin}` }] }));
    const meeting = await body(
      staff.post('/api/meetings', {
        kind: 'group',
        title: `${O.latin} planning`,
        startsAt: new Date(Date.now() - 5 * 86_400_000).toISOString(),
        endsAt: new Date(Date.now() - 5 * 86_400_000 + 3_600_000).toISOString(),
        timeZone: 'Asia/Hebron',
        notes: `${O.arabic} طلبت دعمًا`,
        organisations: [{ organisationId: org.id }, { organisationId: partner.id }],
        people: [{ personId: member.id, organisationId: org.id }],
        staffIds: [admin.user.id],
        sharedItems: [{ organisationId: org.id, kind: 'request', body: `${O.latin} asks for a permit` }],
        followUps: [{ title: `Call ${O.short}`, ownerId: staff.user.id, organisationId: org.id }],
      }),
    );
    const restricted = await body(
      staff.post('/api/meetings', {
        kind: 'one_on_one',
        title: 'Quiet call',
        restricted: true,
        startsAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
        endsAt: new Date(Date.now() - 2 * 86_400_000 + 3_600_000).toISOString(),
        timeZone: 'Asia/Hebron',
        organisations: [{ organisationId: org.id }],
        sharedItems: [{ organisationId: org.id, kind: 'concern', body: 'Arrests in the village' }],
      }),
    );
    const feed = await body(admin.post('/api/calendar/feeds'));
    const feedPath = new URL(feed.url).pathname;
    expect(await text(admin, feedPath)).toContain(O.latin);
    expect((await searchHits(staff, O.hebrew, 'organisation')).map((h) => h.id)).toContain(org.id);
    const secondServer = new SearchIndex();
    await secondServer.sync(t.db);
    const needles = needlesOf(Object.values(O));
    expect(findIn(await dumpDatabase(t.db), needles).some((f) => f.startsWith('read_model.member_health:'))).toBe(true);

    const figures = async (client: TestClient) => {
      const h = (await body(client.get('/api/member-health?status=any&kind=any&limit=500'))).items.find((x: Json) => x.id === org.id);
      return { lastMeetingAt: h.lastMeetingAt, meetingsLast90Days: h.meetingsLast90Days, openConcerns: h.openConcerns, openFollowUps: h.openFollowUps };
    };
    const before = { admin: await figures(admin), staff: await figures(staff) };
    expect(before.admin.meetingsLast90Days).toBe(2);
    expect(before.staff.meetingsLast90Days).toBe(2);

    const kept = await body(admin.get(`/api/organisations/${org.id}`));
    const { erasure } = await eraseWithEveryPlace(admin, `/api/organisations/${org.id}/erasure`, O.latin);
    expect(erasure.tombstone).toBe(`Erased organisation · ${erasure.reference}`);
    expect(findIn(await dumpDatabase(t.db), needles)).toEqual([]);
    await expectReadModelsRebuilt();
    expect({ admin: await figures(admin), staff: await figures(staff) }).toEqual(before);
    const shown = await body(admin.get(`/api/organisations/${org.id}`));
    expect(shown).toMatchObject({ name: erasure.tombstone, names: [], website: null, description: null, city: null, area: null, tags: [], kind: 'member', status: kept.status, country: 'PS', ownerId: kept.ownerId, languages: kept.languages });
    expect((await body(admin.get(`/api/meetings/${meeting.id}`))).organisations.length).toBe(2);
    expect((await body(admin.get(`/api/meetings/${restricted.id}`))).sharedItems.length).toBe(1);
    for (const q of [O.latin, O.hebrew, O.arabic, O.short, O.merged]) expect(await searchHits(staff, q), q).toEqual([]);
    await secondServer.sync(t.db);
    const held = indexTexts(secondServer);
    expect(needles.filter((n) => normalizeName(n).length > 0 && held.includes(normalizeName(n)))).toEqual([]);
    for (const path of ['/api/exports/organisations.csv', '/api/exports/member-health.csv', '/api/exports/meetings.csv', '/api/exports/follow-ups.csv', '/api/exports/people.csv', feedPath]) {
      const out = (await text(admin, path)).toLowerCase();
      expect(needles.filter((n) => out.includes(n)), path).toEqual([]);
    }
    const orgPreview = await body(staff.post('/api/imports/preview', { list: 'organisations', csv: `Name\n${O.latin}\n` }));
    expect(orgPreview.actions).toEqual({ create: 1, update: 0 });
  });
});
