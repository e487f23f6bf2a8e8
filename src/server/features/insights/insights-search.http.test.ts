import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEntry } from '../audit/audit.schema.ts';
import { buildMeeting, buildOrganisation, buildPerson } from '../../../../tests/setup/network-factories.ts';
import { createTestApp, problem } from '../../../../tests/setup/test-app.ts';

// One search box: three scripts, typos, transliterations, pseudonyms, and need-to-know.

const t = await createTestApp();
const admin = await t.signedIn('admin');
const viewer = await t.signedIn('viewer');
const granted = await t.signedIn('staff');

const women = await buildOrganisation(t.db, {
  names: ['Women for Peace Association', 'נשים למען השלום', { name: 'جمعية نساء من أجل السلام', kind: 'official' }, { name: 'WfP', kind: 'short' }],
  city: 'Haifa',
});
const other = await buildOrganisation(t.db, { names: ['Green Olive Cooperative', 'تعاونية الزيتون الأخضر'] });
const mohammed = await buildPerson(t.db, {
  name: 'Mohammed Haddad',
  names: ['محمد حداد'],
  transliterations: ['Muhammad Haddad', 'Muhammed Haddad'],
  affiliations: [{ organisationId: women.id, title: 'Director' }],
});
const official = await buildPerson(t.db, { name: 'Yael Katzir', identityRestricted: true, pseudonym: 'Official A, ministry of foreign affairs' });
const secret = await buildPerson(t.db, { name: 'Samir Secretperson', restricted: true, grantedTo: [granted.user.id] });
const openMeeting = await buildMeeting(t.db, {
  title: 'Quarterly members meeting in Ramallah',
  organisations: [women.id, other.id],
  sharedItems: [
    { organisationId: women.id, body: 'Checkpoint closures are delaying the trauma counsellors' },
    { organisationId: other.id, body: 'Olive harvest access denied near Burin', restricted: true, grantedTo: [granted.user.id] },
  ],
});
const hidden = await buildMeeting(t.db, {
  title: 'Confidential talks with the embassy',
  restricted: true,
  staffIds: [granted.user.id],
  organisations: [women.id],
  sharedItems: [{ organisationId: women.id, body: 'Embassy offers emergency visas' }],
});

type Hit = { type: string; id: string; title: string; subtitle: string | null; score: number; matched: string };
async function find(client: typeof admin, q: string, extra = ''): Promise<Hit[]> {
  const res = await client.get(`/api/search?q=${encodeURIComponent(q)}${extra}`);
  expect(res.status).toBe(200);
  return (await res.json()).items;
}

describe('search', () => {
  it('finds an organisation by its Arabic name typed with a typo, by its Hebrew name and by its Latin name', async () => {
    // a dropped letter (نسا for نساء) and a swapped pair (السالم -> السلام with the alef moved)
    for (const q of ['جمعية نسا من اجل السلام', 'جمعيه نساء من أجل السالم', 'نساء السلام']) {
      const hits = await find(viewer, q);
      expect(hits[0], q).toMatchObject({ type: 'organisation', id: women.id, title: 'Women for Peace Association', matched: 'جمعية نساء من أجل السلام' });
    }
    const he = await find(viewer, 'נשים למען השלום');
    expect(he[0]).toMatchObject({ type: 'organisation', id: women.id, matched: 'נשים למען השלום' });
    expect(he[0]!.score).toBeGreaterThan(2);
    // Hebrew typo: a letter dropped
    expect((await find(viewer, 'נשים למען השלם'))[0]).toMatchObject({ id: women.id });
    const latin = await find(viewer, 'women for peace');
    expect(latin[0]).toMatchObject({ type: 'organisation', id: women.id, subtitle: 'member · Haifa' });
    expect((await find(viewer, 'Wemen for Paece'))[0]).toMatchObject({ id: women.id });
  });

  it('finds a person by any recorded transliteration and names the spelling that matched', async () => {
    const hits = await find(viewer, 'Muhammad');
    expect(hits[0]).toMatchObject({ type: 'person', id: mohammed.id, title: 'Mohammed Haddad', matched: 'Muhammad Haddad', subtitle: 'Women for Peace Association' });
    expect((await find(viewer, 'Muhamad Hadad'))[0]).toMatchObject({ id: mohammed.id });
    expect((await find(viewer, 'محمد'))[0]).toMatchObject({ id: mohammed.id, matched: 'محمد حداد' });
  });

  it('ranks substring matches above fuzzy ones and respects types and limit', async () => {
    const hits = await find(viewer, 'olive');
    expect(hits[0]).toMatchObject({ type: 'organisation', id: other.id });
    const onlyMeetings = await find(viewer, 'ramallah', '&types=meeting');
    expect(onlyMeetings.map((h) => h.id)).toEqual([openMeeting.id]);
    expect(onlyMeetings[0]!.matched).toBe('Quarterly members meeting in Ramallah');
    expect((await find(viewer, 'a', '&limit=2')).length).toBeLessThanOrEqual(2);
    const bad = await problem(await viewer.get('/api/search?q=x&types=organisation,planet'), 400);
    expect(bad.errors?.map((e) => e.field)).toContain('query.types');
    const tooMany = await problem(await viewer.get('/api/search?q=x&limit=51'), 400);
    expect(tooMany.errors?.map((e) => e.field)).toContain('query.limit');
    expect((await problem(await viewer.get('/api/search?q='), 400)).errors?.map((e) => e.field)).toContain('query.q');
  });

  it('finds an identity-restricted person only by pseudonym unless the identity is visible', async () => {
    expect(await find(viewer, 'Yael Katzir')).toEqual([]);
    const byPseudonym = await find(viewer, 'Official A ministry');
    expect(byPseudonym[0]).toMatchObject({ type: 'person', id: official.id, title: 'Official A, ministry of foreign affairs', matched: 'Official A, ministry of foreign affairs' });
    expect((await find(admin, 'Yael Katzir'))[0]).toMatchObject({ id: official.id, matched: 'Yael Katzir' });
  });

  it('never shows restricted meetings, people or shared items to a viewer who was not granted them', async () => {
    for (const q of ['Confidential talks', 'Samir Secretperson', 'Olive harvest Burin', 'emergency visas']) {
      expect(await find(viewer, q), q).toEqual([]);
    }
    // the open item in the same meeting is found
    expect((await find(viewer, 'checkpoint closures'))[0]).toMatchObject({ type: 'shared_item', subtitle: expect.stringContaining('Women for Peace Association'), meetingId: openMeeting.id });
  });

  it('shows them to the granted staff member and to admins, and audits the read', async () => {
    expect((await find(granted, 'Confidential talks'))[0]).toMatchObject({ type: 'meeting', id: hidden.id });
    expect((await find(granted, 'Samir Secretperson'))[0]).toMatchObject({ type: 'person', id: secret.id });
    expect((await find(granted, 'Olive harvest Burin'))[0]).toMatchObject({ type: 'shared_item', id: openMeeting.sharedItems[1]!.id });
    expect((await find(admin, 'emergency visas'))[0]).toMatchObject({ type: 'shared_item', id: hidden.sharedItems[0]!.id });
    const reads = await t.db
      .select()
      .from(auditEntry)
      .where(and(eq(auditEntry.action, 'record.read'), eq(auditEntry.actorId, granted.user.id)));
    expect(reads.map((r) => `${r.entityType}:${r.entityId}`).sort()).toEqual(
      [`meeting:${hidden.id}`, `person:${secret.id}`, `shared_item:${openMeeting.sharedItems[1]!.id}`].sort(),
    );
    const viewerReads = await t.db.select().from(auditEntry).where(and(eq(auditEntry.action, 'record.read'), eq(auditEntry.actorId, viewer.user.id)));
    expect(viewerReads).toEqual([]);
  });

  it('answers 401 to anonymous callers', async () => {
    await problem(await t.client().get('/api/search?q=peace'), 401);
  });
});
