import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEntry } from '../audit/audit.schema.ts';
import { campaign, campaignMeeting } from '../campaigns/campaigns.schema.ts';
import { checkinScan } from '../events/events.schema.ts';
import { trip, tripRequest } from '../trips/trips.schema.ts';
import { post } from './updates.schema.ts';
import { numbersIn } from './draft.service.ts';
import type { PostDto } from './updates.contract.ts';
import { buildMeeting, buildOrganisation } from '../../../../tests/setup/network-factories.ts';
import { buildOpenEvent, staffContext } from '../../../../tests/setup/event-factories.ts';
import { buildTickets, nonce } from '../../../../tests/setup/checkin-factories.ts';
import { startAiStandIn } from '../../../../tests/setup/ai-stand-in.ts';
import { createTestApp, problem, type TestApp } from '../../../../tests/setup/test-app.ts';

// "Draft from data" (issue 15 item 4): POST /api/posts/draft-from-data. The figures are those of a staff member
// with no need-to-know grants, whoever drafts: equal to the dashboard's for such a reader, and a restricted meeting
// (or trip request, or campaign) changes none of them, nor any word. Each figure lists the records it counts. With
// the AI stand-in the wording is polished and the numbers checked; a changed number keeps the template.

const WEEK = { kind: 'period', from: '2024-07-01', to: '2024-07-05' } as const;
const at = (day: string, hour = '10:00') => new Date(`${day}T${hour}:00+03:00`);

/** A week of meetings: members met in Jerusalem and Ramallah, one in Haifa, a diplomatic meeting, and a restricted one. */
async function seedWeek(t: TestApp, grantedId: string) {
  const m1 = await buildOrganisation(t.db, { name: 'Member One' });
  const m2 = await buildOrganisation(t.db, { name: 'Member Two' });
  const m3 = await buildOrganisation(t.db, { name: 'Member Three' });
  const hidden = await buildOrganisation(t.db, { name: 'Hidden Member' });
  const partner = await buildOrganisation(t.db, { name: 'Partner Foundation', kind: 'partner' });
  const mission = await buildOrganisation(t.db, { name: 'Embassy of Somewhere', kind: 'mission' });
  const jerusalem = await buildMeeting(t.db, { kind: 'group', title: 'Members in Jerusalem', city: 'Jerusalem', startsAt: at('2024-07-02'), organisations: [m1.id, partner.id] });
  const ramallah = await buildMeeting(t.db, { kind: 'group', title: 'Members in Ramallah', city: 'Ramallah', startsAt: at('2024-07-03'), organisations: [m2.id] });
  await buildMeeting(t.db, { kind: 'one_on_one', title: 'One-on-one in Haifa', city: 'Haifa', startsAt: at('2024-07-04'), organisations: [m3.id] });
  await buildMeeting(t.db, { kind: 'diplomatic', title: 'At the embassy', city: 'Tel Aviv-Yafo', startsAt: at('2024-07-04', '15:00'), organisations: [mission.id] });
  const secret = await buildMeeting(t.db, {
    kind: 'diplomatic',
    title: 'Off the record with Official A',
    city: 'Jerusalem',
    startsAt: at('2024-07-05', '18:00'),
    restricted: true,
    staffIds: [grantedId],
    organisations: [hidden.id],
  });
  // outside the week
  await buildMeeting(t.db, { kind: 'group', title: 'The week after', city: 'Jerusalem', startsAt: at('2024-07-08'), organisations: [m3.id] });
  return { m1, m2, m3, hidden, partner, mission, jerusalem, ramallah, secret };
}

const t = await createTestApp({ jobs: { work: false } });
const staff = await t.signedIn('staff'); // no grants
const granted = await t.signedIn('staff'); // present at the restricted meeting
const admin = await t.signedIn('admin');
const viewer = await t.signedIn('viewer');
const week = await seedWeek(t, granted.user.id);

async function draft(client: typeof staff, source: Record<string, unknown>): Promise<PostDto> {
  const res = await client.post('/api/posts/draft-from-data', { source });
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json();
}
const fig = (p: PostDto, key: string, about: string | null = null) => p.dataDraft!.figures.find((f) => f.key === key && f.about === about);
const text = (p: PostDto, l: string) => p.versions.find((v) => v.language === l)!;
const dashboardMembers = async (client: typeof staff, query: string) => {
  const res = await client.get(`/api/dashboard?${query}`);
  expect(res.status).toBe(200);
  return (await res.json()).memberOrganisationsMet as number;
};

describe('draft from data: a period', () => {
  it('writes a draft in en, he and ar with the figures a reader without grants sees, equal to the dashboard’s, each with its records', async () => {
    const p = await draft(granted, { ...WEEK, cities: ['Jerusalem', 'Ramallah'] });
    expect(p.state).toBe('draft');
    expect(p.versions.map((v) => v.language)).toEqual(['en', 'he', 'ar']);
    expect(text(p, 'en').summary).toBe('We met 2 member organisations in Jerusalem and Ramallah.');
    expect(text(p, 'en').body).toContain('We met 2 member organisations in Jerusalem and Ramallah.');
    expect(text(p, 'he').summary).toBe('נפגשנו עם 2 ארגונים חברים בירושלים ורמאללה.');
    expect(text(p, 'ar').summary).toContain('القدس ورام الله');
    expect(text(p, 'en').title).toMatch(/^Our work, 1\s–\s5 July 2024$/);

    const n = fig(p, 'member_organisations_met')!;
    expect(n.value).toBe(2);
    expect(n.records.map((r) => r.id).sort()).toEqual([week.m1.id, week.m2.id].sort());
    expect(n.records.every((r) => r.type === 'organisation')).toBe(true);
    // the dashboard of a staff member with no grants says the same; the drafter's own dashboard counts the restricted meeting
    expect(await dashboardMembers(staff, 'from=2024-07-01&to=2024-07-05&city=Jerusalem&city=Ramallah')).toBe(n.value);
    expect(await dashboardMembers(granted, 'from=2024-07-01&to=2024-07-05&city=Jerusalem&city=Ramallah')).toBe(3);
    expect(fig(p, 'meetings')!.records.map((r) => r.id).sort()).toEqual([week.jerusalem.id, week.ramallah.id].sort());
    expect(fig(p, 'meetings_by_city', 'Jerusalem')!.value).toBe(1);
    expect(p.dataDraft).toMatchObject({ wording: 'template', aiProblem: null, source: { kind: 'period', from: '2024-07-01', to: '2024-07-05', cities: ['Jerusalem', 'Ramallah'] } });

    // the restricted meeting leaves no trace: not its title, its organisation, its kind in Jerusalem
    const all = JSON.stringify(p);
    for (const s of [week.secret.id, week.hidden.id, 'Official A', 'Hidden Member']) expect(all).not.toContain(s);
    expect(fig(p, 'diplomatic_meetings')!.value).toBe(0);

    const audits = (await t.db.select().from(auditEntry).where(eq(auditEntry.entityId, p.id))).map((a) => a.action).sort();
    expect(audits).toEqual(['post.create', 'post.draft_from_data']);
  });

  it('without cities: every city where members were met, meetings by kind, diplomatic meetings, and the dashboard’s figure', async () => {
    const p = await draft(staff, WEEK);
    expect(fig(p, 'member_organisations_met')!.value).toBe(3);
    expect(await dashboardMembers(staff, 'from=2024-07-01&to=2024-07-05')).toBe(3);
    expect(text(p, 'en').summary).toBe('We met 3 member organisations in Haifa, Jerusalem and Ramallah.');
    expect(fig(p, 'meetings')!.value).toBe(4);
    expect(fig(p, 'meetings_by_kind', 'group')!.value).toBe(2);
    expect(fig(p, 'diplomatic_meetings')!.value).toBe(1);
    expect(fig(p, 'organisations_met')!.value).toBe(5);
    expect(text(p, 'en').body).toContain('- Diplomatic meetings: 1');
    expect(text(p, 'en').body).toContain('- Tel Aviv-Yafo: 1');
    expect(text(p, 'ar').body).toContain('- تل أبيب - يافا: 1');
  });

  it('tested both ways: a restricted meeting added to the week changes no figure; a visible one does', async () => {
    const before = fig(await draft(staff, { ...WEEK, cities: ['Jerusalem', 'Ramallah'] }), 'member_organisations_met')!.value;
    const newcomer = await buildOrganisation(t.db, { name: 'Newcomer Member' });
    await buildMeeting(t.db, { kind: 'group', title: 'Quiet meeting', city: 'Ramallah', startsAt: at('2024-07-03', '16:00'), restricted: true, staffIds: [granted.user.id], organisations: [newcomer.id] });
    const after = await draft(granted, { ...WEEK, cities: ['Jerusalem', 'Ramallah'] });
    expect(fig(after, 'member_organisations_met')!.value).toBe(before);
    expect(JSON.stringify(after)).not.toContain('Newcomer');
    expect(await dashboardMembers(staff, 'from=2024-07-01&to=2024-07-05&city=Jerusalem&city=Ramallah')).toBe(before);

    await buildMeeting(t.db, { kind: 'one_on_one', title: 'Open meeting', city: 'Jerusalem', startsAt: at('2024-07-04', '09:00'), organisations: [newcomer.id] });
    const visible = await draft(staff, { ...WEEK, cities: ['Jerusalem', 'Ramallah'] });
    expect(fig(visible, 'member_organisations_met')!.value).toBe(before + 1);
    expect(text(visible, 'en').summary).toBe(`We met ${before + 1} member organisations in Jerusalem and Ramallah.`);
    expect(await dashboardMembers(staff, 'from=2024-07-01&to=2024-07-05&city=Jerusalem&city=Ramallah')).toBe(before + 1);
  });

  it('a period with no records, or only restricted ones, is 422 draft_no_records; nothing is written', async () => {
    const count = async () => (await t.db.select().from(post)).length;
    const posts = await count();
    const empty = await problem(await staff.post('/api/posts/draft-from-data', { source: { kind: 'period', from: '2020-01-01', to: '2020-01-31' } }), 422);
    expect(empty.code).toBe('draft_no_records');
    expect(empty.errors?.[0]?.field).toBe('body.source');
    await buildMeeting(t.db, { kind: 'diplomatic', title: 'Alone and restricted', city: 'Jerusalem', startsAt: at('2021-03-03'), restricted: true, staffIds: [granted.user.id], organisations: [week.m1.id] });
    expect((await problem(await granted.post('/api/posts/draft-from-data', { source: { kind: 'period', from: '2021-03-01', to: '2021-03-07' } }), 422)).code).toBe('draft_no_records');
    expect((await problem(await admin.post('/api/posts/draft-from-data', { source: { kind: 'period', from: '2021-03-01', to: '2021-03-07' } }), 422)).code).toBe('draft_no_records');
    expect(await count()).toBe(posts);
  });

  it('bad input is named; who may not write may not draft', async () => {
    expect((await problem(await staff.post('/api/posts/draft-from-data', { source: { kind: 'period', from: '2024-07-05', to: '2024-07-01' } }), 400)).errors?.[0]?.field).toBe('body.source.to');
    expect((await problem(await staff.post('/api/posts/draft-from-data', { source: { kind: 'period', from: '2022-01-01', to: '2024-07-01' } }), 400)).code).toBe('range_too_long');
    await problem(await staff.post('/api/posts/draft-from-data', { source: { kind: 'period', from: '1 July', to: '2024-07-05' } }), 400);
    await problem(await staff.post('/api/posts/draft-from-data', { source: { kind: 'planet', id: 'x' } }), 400);
    await problem(await staff.post('/api/posts/draft-from-data', { source: { ...WEEK, cities: Array.from({ length: 21 }, (_, i) => `City ${i}`) } }), 400);
    await problem(await staff.post('/api/posts/draft-from-data', { source: WEEK, extra: true }), 400);
    await problem(await staff.post('/api/posts/draft-from-data', { source: { ...WEEK, cities: ['x'.repeat(5000)] } }), 400);
    await problem(await staff.post('/api/posts/draft-from-data', { source: { kind: 'trip', id: 'not-a-uuid' } }), 404);
    await problem(await staff.post('/api/posts/draft-from-data', { source: { kind: 'event', id: crypto.randomUUID() } }), 404);
    await problem(await viewer.post('/api/posts/draft-from-data', { source: WEEK }), 403);
    await problem(await t.client().post('/api/posts/draft-from-data', { source: WEEK }), 401);
  });
});

describe('draft from data: an event, a trip, a campaign', () => {
  it('an event: attendance from the door and its co-hosts, by name', async () => {
    const ctx = staffContext({ id: staff.user.id });
    const { event, ticketType } = await buildOpenEvent(t.db, ctx, { capacity: 10, cohosts: [{ organisationId: week.m1.id }, { organisationId: week.partner.id }] });
    const tickets = await buildTickets(t.db, event.id, ticketType.id, ['A', 'B', 'C']);
    for (const tk of tickets.slice(0, 2)) await t.db.insert(checkinScan).values({ nonce: nonce(), eventId: event.id, ticketId: tk.id, gate: 'North', scannedAt: new Date(), result: 'admitted' });
    const p = await draft(staff, { kind: 'event', id: event.id });
    expect(fig(p, 'event_attended', event.id)!.value).toBe(2);
    expect(fig(p, 'event_cohosts', event.id)!.records.map((r) => r.label).sort()).toEqual(['Member One', 'Partner Foundation']);
    expect(text(p, 'en').body).toContain('2 people attended Time is Now. It was co-hosted with 2 organisations:');
    expect(text(p, 'he').body).toContain('2 אנשים השתתפו בהזמן הוא עכשיו.');
  });

  it('a trip: the meetings made of its requests, but not of a restricted request', async () => {
    const [tr] = await t.db.insert(trip).values({ name: 'July week', startsOn: '2024-07-01', endsOn: '2024-07-05', timeZone: 'Asia/Jerusalem' }).returning();
    await t.db.insert(tripRequest).values([
      { tripId: tr!.id, title: 'Jerusalem members', durationMinutes: 60, meetingId: week.jerusalem.id },
      { tripId: tr!.id, title: 'Quietly', durationMinutes: 60, meetingId: week.ramallah.id, restricted: true, createdBy: granted.user.id },
    ]);
    const p = await draft(granted, { kind: 'trip', id: tr!.id });
    expect(fig(p, 'meetings')!.records.map((r) => r.id)).toEqual([week.jerusalem.id]);
    expect(fig(p, 'member_organisations_met')!.value).toBe(1);
    expect(text(p, 'en').title).toBe('Our trip: July week');
  });

  it('a campaign: its tagged meetings when a reader without grants may see it; a restricted campaign counts nothing', async () => {
    const [open] = await t.db.insert(campaign).values({ name: { en: 'G7 letters', he: 'מכתבי G7', ar: 'رسائل G7' }, restricted: false }).returning();
    await t.db.insert(campaignMeeting).values([{ campaignId: open!.id, meetingId: week.jerusalem.id }, { campaignId: open!.id, meetingId: week.secret.id }]);
    const p = await draft(granted, { kind: 'campaign', id: open!.id });
    expect(fig(p, 'meetings')!.records.map((r) => r.id)).toEqual([week.jerusalem.id]);
    expect(JSON.stringify(p)).not.toContain('Official A');

    const [closed] = await t.db.insert(campaign).values({ name: { en: 'Quiet channel' }, restricted: true, ownerId: granted.user.id }).returning();
    await t.db.insert(campaignMeeting).values({ campaignId: closed!.id, meetingId: week.jerusalem.id });
    expect((await problem(await granted.post('/api/posts/draft-from-data', { source: { kind: 'campaign', id: closed!.id } }), 422)).code).toBe('draft_no_records');
    // one the drafter may not see is not there at all
    await problem(await staff.post('/api/posts/draft-from-data', { source: { kind: 'campaign', id: closed!.id } }), 404);
  });
});

describe('draft from data with an AI provider', async () => {
  const standIn = await startAiStandIn();
  const ai = await createTestApp({ jobs: { work: false }, config: { ai: { baseUrl: standIn.baseUrl, model: 'stand-in', timeoutMs: 5000, maxConcurrency: 4 } } });
  const writer = await ai.signedIn('staff');
  const granted2 = await ai.signedIn('staff');
  await seedWeek(ai, granted2.user.id);
  const draftAi = async () => {
    const res = await writer.post('/api/posts/draft-from-data', { source: { ...WEEK, cities: ['Jerusalem', 'Ramallah'] } });
    expect(res.status).toBe(201);
    return (await res.json()) as PostDto;
  };

  it('polishes every language and keeps the figures; the figures sent are those of a reader without grants', async () => {
    const p = await draftAi();
    expect(p.dataDraft!.wording).toBe('ai');
    expect(text(p, 'en').title).toMatch(/^Our work, 1\s–\s5 July 2024 \(en, polished\)$/);
    expect(text(p, 'he').title).toContain('(he, polished)');
    expect(text(p, 'en').summary).toBe('We met 2 member organisations in Jerusalem and Ramallah.');
    const sent = standIn.requests.filter((r) => r.task === 'post_polish');
    expect(sent.map((r) => (r.data as { language: string }).language).sort()).toEqual(['ar', 'en', 'he']);
    expect(JSON.stringify(sent)).not.toContain('Official A');
  });

  it('a changed number keeps the template and says why; so does a provider that fails', async () => {
    standIn.setFailure('changed-numbers');
    const changed = await draftAi();
    expect(changed.dataDraft).toMatchObject({ wording: 'ai_rejected', aiProblem: expect.stringContaining('figures_changed') });
    expect(text(changed, 'en').title).toMatch(/^Our work, 1\s–\s5 July 2024$/);
    expect(text(changed, 'en').summary).toBe('We met 2 member organisations in Jerusalem and Ramallah.');
    standIn.setFailure('500');
    const failed = await draftAi();
    expect(failed.dataDraft).toMatchObject({ wording: 'ai_rejected', aiProblem: 'http_error' });
    expect(text(failed, 'en').summary).toBe('We met 2 member organisations in Jerusalem and Ramallah.');
    standIn.setFailure(null);
  });
});

describe('numbersIn', () => {
  it('reads digits in any script and thousands separators', () => {
    expect(numbersIn('We met 64 members; 6,000 people; ٣ cities')).toEqual(['3', '6000', '64']);
    expect(numbersIn('no numbers')).toEqual([]);
  });
});
