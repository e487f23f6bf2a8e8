import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../db/client.ts';
import { memberHealth } from '../features/insights/health.service.ts';
import { meetingVisible, sharedItemVisible } from '../access/need-to-know.ts';
import type { Actor } from '../access/roles.ts';
import { buildFollowUp, buildGrant, buildMeeting, buildOrganisation, buildSharedItem, daysAgo } from '../../../tests/setup/network-factories.ts';
import { createTestApp } from '../../../tests/setup/test-app.ts';

// The per-reader read models of member health: read_model.reader_activity (per reader and organisation,
// what the reader's restricted records add) and read_model.member_health (per reader key and organisation, the
// figures that reader sees, read in the page's order). After every kind of write the triggers' rows must equal a rebuild
// from scratch, and every reader's member health, paged with a cursor and filtered, must equal a recount by the
// need-to-know rule itself (visibility.ts), now and at other instants (where the rows do not hold).

const t = await createTestApp();
const admin = await t.signedIn('admin');
const staffA = await t.signedIn('staff');
const staffB = await t.signedIn('staff');
const viewer = await t.signedIn('viewer');
const readers = { admin, staffA, staffB, viewer };

const org1 = await buildOrganisation(t.db, { name: 'Olive Grove Collective', area: 'Galilee', country: 'IL', tags: ['youth'], ownerId: staffA.user.id });
const org2 = await buildOrganisation(t.db, { name: 'Two Rivers Forum', area: 'West Bank', country: 'PS', tags: ['youth', 'women'] });
const org3 = await buildOrganisation(t.db, { name: 'Third Bridge Circle', kind: 'partner' });
// never met, and not active
await buildOrganisation(t.db, { name: 'Quiet Quarter', status: 'prospective', area: 'Galilee', tags: ['youth'] });

const actorOf = (c: typeof admin): Actor => ({
  id: c.user.id,
  email: c.user.email,
  name: c.user.name,
  role: c.user.role as Actor['role'],
  locale: 'en',
  timeZone: 'UTC',
  twoFactorEnabled: false,
  sessionId: 'test',
  createdAt: new Date().toISOString(),
});
const ctxOf = (c: typeof admin) => ({ actor: actorOf(c), ip: '127.0.0.1', userAgent: 'test' });

type Figures = { lastMeetingAt: string | null; meetingsLast90Days: number; openConcerns: number; openFollowUps: number };

/** The figures by the rule: every visible record counted from the tables, at this instant. */
async function recount(c: typeof admin, organisationId: string, at: Date): Promise<Figures> {
  const actor = actorOf(c);
  const since = new Date(at.getTime() - 90 * 86_400_000);
  const [r] = await rows<{ last: string | null; n90: number; concerns: number; follow_ups: number }>(
    t.db,
    sql`SELECT
      (SELECT to_char(max(mo.starts_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') FROM meeting_organisation mo
        WHERE mo.organisation_id = ${organisationId} AND mo.starts_at <= ${at} AND ${meetingVisible(actor, sql`mo.meeting_id`)}) AS last,
      (SELECT count(*) FROM meeting_organisation mo
        WHERE mo.organisation_id = ${organisationId} AND mo.starts_at >= ${since} AND mo.starts_at <= ${at} AND ${meetingVisible(actor, sql`mo.meeting_id`)})::int AS n90,
      (SELECT count(*) FROM shared_item s
        WHERE s.organisation_id = ${organisationId} AND s.kind = 'concern' AND s.status = 'open' AND ${sharedItemVisible(actor, sql`s.id`)})::int AS concerns,
      (SELECT count(*) FROM follow_up f
        WHERE f.organisation_id = ${organisationId} AND f.status = 'open' AND (f.meeting_id IS NULL OR ${meetingVisible(actor, sql`f.meeting_id`)}))::int AS follow_ups`,
  );
  return { lastMeetingAt: r!.last, meetingsLast90Days: r!.n90, openConcerns: r!.concerns, openFollowUps: r!.follow_ups };
}

type Filter = Partial<Record<'kind' | 'status' | 'area' | 'country' | 'tag' | 'ownerId', string>>;
type Item = Figures & { id: string; name: string; ownerName: string | null; tags: string[] };
const figuresOf = (h: Item): Figures => ({
  lastMeetingAt: h.lastMeetingAt,
  meetingsLast90Days: h.meetingsLast90Days,
  openConcerns: h.openConcerns,
  openFollowUps: h.openFollowUps,
});

/** The organisations member health lists for this reader and filter, in its order, by the rule. */
async function expectedIds(c: typeof admin, f: Filter, at: Date): Promise<string[]> {
  const actor = actorOf(c);
  const kind = f.kind ?? 'member';
  const status = f.status ?? 'active';
  const found = await rows<{ id: string }>(
    t.db,
    sql`SELECT o.id FROM organisation o
      WHERE ${kind === 'any' ? sql`true` : sql`o.kind = ${kind}`} AND ${status === 'any' ? sql`true` : sql`o.status = ${status}`}
        AND ${f.area ? sql`o.area = ${f.area}` : sql`true`} AND ${f.country ? sql`o.country = ${f.country}` : sql`true`}
        AND ${f.tag ? sql`${f.tag} = ANY (o.tags)` : sql`true`} AND ${f.ownerId ? sql`o.owner_id = ${f.ownerId}` : sql`true`}
      ORDER BY coalesce((SELECT max(mo.starts_at) FROM meeting_organisation mo
        WHERE mo.organisation_id = o.id AND mo.starts_at <= ${at} AND ${meetingVisible(actor, sql`mo.meeting_id`)}), '-infinity'), o.name, o.id`,
  );
  return found.map((r) => r.id);
}

/** Member health two at a time, page after page, for this reader and filter. */
async function paged(c: typeof admin, f: Filter, limit = 2): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ ...f, limit: String(limit), ...(cursor ? { cursor } : {}) });
    const res = await c.get(`/api/member-health?${query}`);
    expect(res.status).toBe(200);
    const page = (await res.json()) as { items: Item[]; nextCursor: string | null };
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** The pages hold the organisations the rule lists, in its order, each with the figures the rule counts. */
async function expectPages(c: typeof admin, f: Filter, step: string) {
  const items = await paged(c, f);
  const now = new Date();
  const who = `${step}: ${c.user.role} ${c.user.name}, ${JSON.stringify(f)}`;
  expect(items.map((i) => i.id), who).toEqual(await expectedIds(c, f, now));
  for (const i of items) expect(figuresOf(i), `${who}: ${i.name}`).toEqual(await recount(c, i.id, now));
}

async function healthOverHttp(c: typeof admin): Promise<Map<string, Figures>> {
  const res = await c.get('/api/member-health?status=any&kind=any&limit=500');
  expect(res.status).toBe(200);
  const items = ((await res.json()) as { items: (Figures & { id: string })[] }).items;
  return new Map(items.map((h) => [h.id, { lastMeetingAt: h.lastMeetingAt, meetingsLast90Days: h.meetingsLast90Days, openConcerns: h.openConcerns, openFollowUps: h.openFollowUps }]));
}

const READER_FIGURES = sql`user_id, organisation_id, last_at, n90, open_concerns, open_follow_ups, valid_until`;

/** What the per-reader read models hold (src/server/read-models/reader-activity.sql, member-health.sql). */
async function readModels() {
  return {
    readers: await rows<Record<string, unknown>>(t.db, sql`SELECT ${READER_FIGURES} FROM read_model.reader_activity ORDER BY user_id, organisation_id`),
    health: await rows<Record<string, unknown>>(t.db, sql`SELECT * FROM read_model.member_health ORDER BY reader, organisation_id`),
  };
}

/** The triggers' rows equal a rebuild from scratch. */
async function expectKept(step: string) {
  const kept = await readModels();
  await t.db.execute(sql`SELECT read_model.rebuild()`);
  expect(kept, step).toEqual(await readModels());
}

/** The triggers' rows equal a rebuild from scratch, and each reader sees exactly what the rule lets them see. */
async function expectRight(step: string) {
  await expectKept(step);
  await expectCardsRight(step);
  for (const c of Object.values(readers)) {
    await expectPages(c, { kind: 'any', status: 'any' }, step);
    await expectPages(c, {}, step);
  }
}

const patch = async (path: string, body: unknown) => expect((await admin.patch(path, body)).status).toBe(200);

/** How many rows the user's own reader key has in read_model.member_health (0: the user reads the '*' rows). */
async function keyRows(c: typeof admin) {
  const [r] = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM read_model.member_health WHERE reader = ${c.user.id}`);
  return r!.n;
}
async function organisations() {
  const [r] = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM organisation`);
  return r!.n;
}

/** Every card the triggers left equals one built now from the tables. */
async function expectCardsRight(step: string) {
  const [wrong] = await rows<{ n: number; cards: number; orgs: number }>(
    t.db,
    sql`SELECT (SELECT count(*)::int FROM organisation o LEFT JOIN read_model.organisation_card c ON c.organisation_id = o.id
        WHERE c.card::text IS DISTINCT FROM read_model.organisation_card_of(o.id)::text) AS n,
      (SELECT count(*)::int FROM read_model.organisation_card) AS cards, (SELECT count(*)::int FROM organisation) AS orgs`,
  );
  expect(wrong, step).toEqual({ n: 0, cards: wrong!.orgs, orgs: wrong!.orgs });
}

type Listed = { id: string; name: string; names: unknown[]; status: string | null; tags: string[]; updatedAt: string };

describe('organisation cards (read_model.organisation_card)', () => {
  it('follow creating, editing, naming, status, deleting and merging, and the list shows what the record holds', async () => {
    const created = await admin.post('/api/organisations', { kind: 'member', names: [{ name: 'Card Table Society' }, { name: 'جمعية الطاولة' }], tags: ['one'] });
    expect(created.status).toBe(201);
    const id = ((await created.json()) as { id: string }).id;
    await expectCardsRight('created');
    const listedIs = async (step: string) => {
      const res = await admin.get(`/api/organisations?limit=200&q=${encodeURIComponent('card table')}`);
      const item = ((await res.json()) as { items: Listed[] }).items.find((i) => i.id === id);
      const one = (await (await admin.get(`/api/organisations/${id}`)).json()) as Listed;
      expect(item, step).toEqual({ ...(Object.fromEntries(Object.keys(item!).map((k) => [k, one[k as keyof Listed]])) as Listed) });
      await expectCardsRight(step);
    };
    await listedIs('listed');
    await patch(`/api/organisations/${id}`, { tags: ['two', 'Three'], city: 'Jaffa' });
    await listedIs('edited');
    const named = await admin.post(`/api/organisations/${id}/names`, { name: 'Card Table', kind: 'short' });
    expect(named.status).toBe(201);
    await listedIs('name added');
    const nameId = ((await named.json()) as { names: { id: string; name: string }[] }).names.find((n) => n.name === 'جمعية الطاولة')!.id;
    expect((await admin.delete(`/api/organisations/${id}/names/${nameId}`)).status).toBe(200);
    await listedIs('name removed');
    expect((await admin.post(`/api/organisations/${id}/status`, { status: 'suspended' })).status).toBe(201);
    await listedIs('status');
    const other = await buildOrganisation(t.db, { name: 'Card Table Annex', names: ['אגף'] });
    expect((await admin.post('/api/organisations/merge', { keepId: id, mergeId: other.id })).status).toBe(200);
    await listedIs('merged');
    expect((await admin.delete(`/api/organisations/${id}`)).status).toBe(204);
    await expectCardsRight('deleted');
  });
});

describe('per-reader read models (read_model.reader_activity, read_model.member_health)', () => {
  it('follows every kind of write, for admins, staff present, users granted and viewers', async () => {
    const m1 = await buildMeeting(t.db, {
      startsAt: daysAgo(5),
      restricted: true,
      organisations: [org1.id, org2.id],
      staffIds: [staffA.user.id],
      sharedItems: [
        { organisationId: org1.id, kind: 'concern', body: 'Open to the meeting' },
        { organisationId: org2.id, kind: 'concern', body: 'Only for the staff present', restricted: true },
      ],
      followUps: [{ title: 'Call back', ownerId: admin.user.id, organisationId: org1.id }],
    });
    // only in the future: a row that exists for its clock alone
    await buildMeeting(t.db, { startsAt: new Date(Date.now() + 10 * 86_400_000), restricted: true, organisations: [org3.id], staffIds: [staffA.user.id] });
    await buildMeeting(t.db, { startsAt: daysAgo(40), organisations: [org1.id, org3.id] });
    await expectRight('recorded');
    const [future] = await rows<{ n: number }>(
      t.db,
      sql`SELECT count(*)::int AS n FROM read_model.reader_activity WHERE user_id = ${staffA.user.id} AND organisation_id = ${org3.id} AND valid_until < 'infinity'`,
    );
    expect(future!.n).toBe(1);
    // a reader key for staffA (restricted records of their own), covering every organisation; none for the others
    expect(await keyRows(staffA)).toBe(await organisations());
    expect([await keyRows(staffB), await keyRows(viewer), await keyRows(admin)]).toEqual([0, 0, 0]);

    // the meeting granted: staffB sees it, but not its restricted item
    expect((await admin.post(`/api/meetings/${m1.id}/grants`, { userId: staffB.user.id })).status).toBe(201);
    await expectRight('meeting granted');
    expect(await keyRows(staffB)).toBe(await organisations());
    // then the item granted too (a grant of one shared item)
    await buildGrant(t.db, { recordType: 'shared_item', recordId: m1.sharedItems[1]!.id, userId: staffB.user.id });
    await expectRight('item granted');

    // a restricted concern in an open meeting: staff of that meeting and users granted the item see it
    const m3 = await buildMeeting(t.db, {
      startsAt: daysAgo(2),
      organisations: [org3.id],
      staffIds: [staffB.user.id],
      sharedItems: [{ organisationId: org3.id, kind: 'concern', body: 'Quietly', restricted: true, grantedTo: [viewer.user.id] }],
      followUps: [{ title: 'Visit', ownerId: admin.user.id, organisationId: org3.id }],
    });
    await expectRight('restricted item in an open meeting');

    // that meeting restricted: the item's grantee no longer sees it, its staff still do; then opened again
    await patch(`/api/meetings/${m3.id}`, { restricted: true });
    await expectRight('meeting restricted');
    await patch(`/api/meetings/${m3.id}`, { restricted: false });
    await expectRight('meeting opened');

    // staff changed (staffA in, staffB out), the meeting moved back in time, opened and restricted again
    await patch(`/api/meetings/${m1.id}`, { staffIds: [staffB.user.id] });
    await expectRight('staff changed');
    const moved = daysAgo(120);
    await patch(`/api/meetings/${m1.id}`, { startsAt: moved.toISOString(), endsAt: new Date(moved.getTime() + 3600_000).toISOString() });
    await expectRight('meeting moved');
    await patch(`/api/meetings/${m1.id}`, { restricted: false });
    await expectRight('restricted meeting opened');
    const back = daysAgo(6);
    await patch(`/api/meetings/${m1.id}`, { restricted: true, startsAt: back.toISOString(), endsAt: new Date(back.getTime() + 3600_000).toISOString() });
    await expectRight('opened meeting restricted');

    // items and follow-ups changing status, kind, organisation, meeting and restriction
    const [c1, c2] = m1.sharedItems;
    await t.db.execute(sql`UPDATE shared_item SET status = 'addressed' WHERE id = ${c1!.id}`);
    await expectRight('concern addressed');
    await t.db.execute(sql`UPDATE shared_item SET organisation_id = ${org3.id}, restricted = false WHERE id = ${c2!.id}`);
    await expectRight('concern moved to another organisation');
    await t.db.execute(sql`UPDATE shared_item SET meeting_id = ${m3.id}, restricted = true WHERE id = ${c2!.id}`);
    await expectRight('concern moved to another meeting');
    await t.db.execute(sql`UPDATE shared_item SET kind = 'update' WHERE id = ${c2!.id}`);
    await expectRight('concern became an update');
    await buildSharedItem(t.db, { meetingId: m1.id, organisationId: org2.id, kind: 'concern', body: 'Later', restricted: true });
    await buildFollowUp(t.db, { title: 'In the restricted meeting', ownerId: admin.user.id, organisationId: org2.id, meetingId: m1.id });
    await expectRight('item and follow-up added');
    await t.db.execute(sql`UPDATE follow_up SET organisation_id = ${org2.id} WHERE id = ${m1.followUps[0]!.id}`);
    await t.db.execute(sql`UPDATE follow_up SET status = 'done' WHERE id = ${m3.followUps[0]!.id}`);
    await expectRight('follow-ups changed');

    // attendance changed by hand, a grant withdrawn, a meeting deleted
    await t.db.execute(sql`UPDATE meeting_organisation SET organisation_id = ${org3.id} WHERE meeting_id = ${m1.id} AND organisation_id = ${org2.id}`);
    await expectRight('attendance moved');
    expect((await admin.delete(`/api/meetings/${m1.id}/grants/${staffB.user.id}`)).status).toBe(204);
    await t.db.execute(sql`DELETE FROM access_grant WHERE record_type = 'shared_item' AND user_id = ${viewer.user.id}`);
    await expectRight('grants withdrawn');
    expect((await admin.delete(`/api/meetings/${m3.id}`)).status).toBe(204);
    await expectRight('meeting deleted');

    // what the list shows of an organisation and filters on: its fields, names and owner (and the owner's name)
    await patch(`/api/organisations/${org3.id}`, { kind: 'member', status: 'active', area: 'Galilee', country: 'IL', tags: ['women'], ownerId: staffB.user.id });
    await expectRight('organisation edited');
    await patch(`/api/organisations/${org3.id}`, { name: 'Third Bridge Council' });
    expect((await admin.post(`/api/organisations/${org3.id}/names`, { name: 'מעגל הגשר השלישי', kind: 'official' })).status).toBe(201);
    await expectRight('organisation renamed and named');
    await t.db.execute(sql`UPDATE "user" SET name = 'Renamed Owner' WHERE id = ${staffB.user.id}`);
    await expectKept('owner renamed');
    expect((await paged(viewer, { kind: 'any', status: 'any' })).find((i) => i.id === org3.id)?.ownerName).toBe('Renamed Owner');

    // every filter, paged, for every reader
    const filters: Filter[] = [
      {},
      { kind: 'any', status: 'any' },
      { status: 'prospective' },
      { kind: 'partner', status: 'any' },
      { kind: 'any', status: 'any', area: 'Galilee' },
      { kind: 'any', status: 'any', country: 'PS' },
      { kind: 'any', status: 'any', tag: 'youth' },
      { kind: 'any', status: 'any', ownerId: staffA.user.id },
      { area: 'Galilee', tag: 'women' },
    ];
    for (const c of Object.values(readers)) for (const f of filters) await expectPages(c, f, 'filters');

    // a user's first restricted meeting makes their key, covering every organisation; losing it removes the key
    const newcomer = await t.signedIn('staff');
    expect(await keyRows(newcomer)).toBe(0);
    const first = await buildMeeting(t.db, { startsAt: daysAgo(3), restricted: true, organisations: [org2.id], staffIds: [newcomer.user.id] });
    await expectRight('first restricted meeting');
    expect(await keyRows(newcomer)).toBe(await organisations());
    await expectPages(newcomer, { kind: 'any', status: 'any' }, 'first restricted meeting');
    expect((await admin.delete(`/api/meetings/${first.id}`)).status).toBe(204);
    await expectRight('only restricted meeting deleted');
    expect(await keyRows(newcomer)).toBe(0);
    await expectPages(newcomer, { kind: 'any', status: 'any' }, 'only restricted meeting deleted');

    // a user deleted: their key goes, the organisations they held lose their owner
    const leaving = await t.signedIn('staff');
    await buildMeeting(t.db, { startsAt: daysAgo(8), restricted: true, organisations: [org1.id], staffIds: [leaving.user.id] });
    await patch(`/api/organisations/${org2.id}`, { ownerId: leaving.user.id });
    await expectKept('user with a key');
    expect(await keyRows(leaving)).toBe(await organisations());
    await t.db.execute(sql`DELETE FROM "user" WHERE id = ${leaving.user.id}`);
    expect(await keyRows(leaving)).toBe(0);
    await expectRight('user deleted');

    // organisations merged: the merged one's rows go, its records count for the one kept
    expect((await admin.post('/api/organisations/merge', { keepId: org1.id, mergeId: org2.id })).status).toBe(200);
    const [left] = await rows<{ n: number }>(
      t.db,
      sql`SELECT (SELECT count(*) FROM read_model.reader_activity WHERE organisation_id = ${org2.id}) + (SELECT count(*) FROM read_model.member_health WHERE organisation_id = ${org2.id}) AS n`,
    );
    expect(Number(left!.n)).toBe(0);
    await expectRight('merged');
  }, 120_000); // about 25 kinds of write, each followed by a recount for every reader: long on a busy machine

  it('counts from the records at instants the rows do not hold, and refreshes rows the clock overtook', async () => {
    const o = await buildOrganisation(t.db, { name: 'Clock Tower Guild' });
    await buildMeeting(t.db, { startsAt: daysAgo(10), restricted: true, organisations: [o.id], staffIds: [staffA.user.id] });
    await buildMeeting(t.db, { startsAt: daysAgo(80), restricted: true, organisations: [o.id], staffIds: [staffA.user.id, staffB.user.id] });
    await buildMeeting(t.db, { startsAt: new Date(Date.now() + 20 * 86_400_000), restricted: true, organisations: [o.id], grantedTo: [staffB.user.id] });
    await buildMeeting(t.db, { startsAt: daysAgo(30), organisations: [o.id] });
    // before the rows were computed, a meeting ahead started, the oldest left the 90 days, all of them left
    for (const days of [-3, 25, 15, 200]) {
      const at = new Date(Date.now() + days * 86_400_000);
      for (const c of Object.values(readers)) {
        const page = await memberHealth(t.db, ctxOf(c), { status: 'any', kind: 'any', limit: 500 }, at);
        const h = page.items.find((i) => i.id === o.id)!;
        expect(
          { lastMeetingAt: h.lastMeetingAt, meetingsLast90Days: h.meetingsLast90Days, openConcerns: h.openConcerns, openFollowUps: h.openFollowUps },
          `${days} days, ${c.user.role}`,
        ).toEqual(await recount(c, o.id, at));
      }
    }

    // at those instants, every page in order too (member_health's rows hold for now only: counted from the records)
    for (const days of [-3, 25]) {
      const at = new Date(Date.now() + days * 86_400_000);
      for (const c of Object.values(readers)) {
        const items: Awaited<ReturnType<typeof memberHealth>>['items'] = [];
        let cursor: string | undefined;
        do {
          const page = await memberHealth(t.db, ctxOf(c), { status: 'any', kind: 'any', limit: 2, cursor }, at);
          items.push(...page.items);
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        expect(items.map((i) => i.id), `${days} days, ${c.user.role}`).toEqual(await expectedIds(c, { kind: 'any', status: 'any' }, at));
        for (const i of items) expect(figuresOf(i as Item), `${days} days, ${c.user.role}: ${i.name}`).toEqual(await recount(c, i.id, at));
      }
    }

    // a row that claims wrong figures but no longer holds is not believed, and is recomputed: in the per-reader
    // figures (reader_activity), and in member_health itself
    await t.db.execute(sql`UPDATE read_model.reader_activity SET last_at = NULL, n90 = 7, valid_until = now() - interval '1 second'
      WHERE user_id = ${staffA.user.id} AND organisation_id = ${o.id}`);
    expect((await healthOverHttp(staffA)).get(o.id)).toEqual(await recount(staffA, o.id, new Date()));
    const [due] = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM read_model.reader_activity WHERE valid_until <= now()`);
    expect(due!.n).toBe(0);
    for (const [c, reader] of [[staffA, staffA.user.id], [viewer, '*'], [admin, '**']] as const) {
      await t.db.execute(sql`UPDATE read_model.member_health SET last_at = NULL, n90 = 7, valid_until = now() - interval '1 second',
          item = '["' || organisation_id || '","Wrong",[],"member","active",null,null,null,[],null,null,null,7,7,7]'
        WHERE reader = ${reader} AND organisation_id = ${o.id}`);
      await expectPages(c, { kind: 'any', status: 'any' }, `${reader} row ran out`);
    }
    const [dueHealth] = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM read_model.member_health WHERE valid_until <= now()`);
    expect(dueHealth!.n).toBe(0);
    await expectKept('rows that ran out');
  });

  // Two transactions at once need two connections: PostgreSQL only (the embedded database has one).
  if (t.database.kind === 'postgres') {
    it('two writers at once: one waits for the other, and the rows count both', async () => {
      const o = await buildOrganisation(t.db, { name: 'Busy Crossing' });
      const other = await buildOrganisation(t.db, { name: 'Far Field' });
      // each round a newcomer gets a key (its rows computed from every organisation's) while another writer records a
      // meeting with `o` (every reader's row of `o` changes), one holding its transaction open until the other waits
      for (const keyFirst of [false, true]) {
        const newcomer = await t.signedIn('staff');
        let release!: () => void;
        const gate = new Promise<void>((r) => (release = r));
        const held = (write: (tx: typeof t.db) => Promise<unknown>) =>
          t.db.transaction(async (tx) => {
            await write(tx as unknown as typeof t.db);
            await gate;
          });
        const meetO = (db: typeof t.db) => buildMeeting(db, { startsAt: daysAgo(2), organisations: [o.id], followUps: [{ title: 'Write up', ownerId: admin.user.id, organisationId: o.id }] });
        const newKey = (db: typeof t.db) => buildMeeting(db, { startsAt: daysAgo(1), restricted: true, organisations: [other.id], staffIds: [newcomer.user.id] });
        const first = held(keyFirst ? newKey : meetO);
        await new Promise((r) => setTimeout(r, 300));
        let released = false;
        let waited = false;
        const second = (keyFirst ? meetO : newKey)(t.db).then(() => (waited = released));
        await new Promise((r) => setTimeout(r, 300));
        released = true;
        release();
        await Promise.all([first, second]);
        // the second writer needed a row of member_health the first held: it finished only after the first committed
        expect(waited).toBe(true);
        expect(await keyRows(newcomer)).toBe(await organisations());
        await expectKept(keyFirst ? 'key added first' : 'key added second');
        await expectPages(staffB, { kind: 'any', status: 'any' }, 'two writers');
        await expectPages(newcomer, { kind: 'any', status: 'any' }, 'two writers');
      }
    });
  }

  it('a restore (truncated source tables) rebuilds the per-reader rows at commit', async () => {
    const o = await buildOrganisation(t.db, { name: 'Restored Circle' });
    await t.db.transaction(async (tx) => {
      await tx.execute(sql`TRUNCATE follow_up`);
      const m = await buildMeeting(tx, { startsAt: daysAgo(4), restricted: true, organisations: [o.id], staffIds: [staffA.user.id] });
      await buildFollowUp(tx, { title: 'After the restore', ownerId: admin.user.id, organisationId: o.id, meetingId: m.id });
    });
    const [row] = await rows<{ n90: number; open_follow_ups: number }>(
      t.db,
      sql`SELECT n90, open_follow_ups FROM read_model.reader_activity WHERE user_id = ${staffA.user.id} AND organisation_id = ${o.id}`,
    );
    expect(row).toEqual({ n90: 1, open_follow_ups: 1 });
    expect((await healthOverHttp(staffA)).get(o.id)).toEqual(await recount(staffA, o.id, new Date()));
    await expectKept('restored');
  });
});
