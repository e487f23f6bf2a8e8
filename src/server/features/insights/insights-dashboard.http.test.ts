import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEntry } from '../audit/audit.schema.ts';
import { segment } from './segments.schema.ts';
import { buildFollowUp, buildMeeting, buildOrganisation, buildTopic, daysAgo, isoDay as utcDay } from '../../../../tests/setup/network-factories.ts';
import { createTestApp, problem } from '../../../../tests/setup/test-app.ts';

// The dashboard's figures (and that a restricted meeting changes none of them for a viewer), and saved
// segments: who sees, who changes, which filters are accepted.

const t = await createTestApp();
// the test users live in Asia/Jerusalem, and the dashboard counts days there
const isoDay = (days: number) => utcDay(days, 'Asia/Jerusalem');
const admin = await t.signedIn('admin');
const viewer = await t.signedIn('viewer');
const granted = await t.signedIn('staff');
const staff = await t.signedIn('staff');

const ceasefire = await buildTopic(t.db, { key: 'ceasefire-hostages', nameEn: 'Ceasefire and hostages', nameHe: 'הפסקת אש וחטופים', nameAr: 'وقف إطلاق النار والرهائن' });
const dayAfter = await buildTopic(t.db, { key: 'day-after', nameEn: 'Day-after plans' });
const m1 = await buildOrganisation(t.db, { name: 'Member One' });
const m2 = await buildOrganisation(t.db, { name: 'Member Two' });
const m3 = await buildOrganisation(t.db, { name: 'Member Three' });
const partner = await buildOrganisation(t.db, { name: 'Partner Foundation', kind: 'partner' });

const ramallah = await buildMeeting(t.db, {
  kind: 'group',
  city: 'Ramallah',
  startsAt: daysAgo(3),
  organisations: [m1.id, m2.id, partner.id],
  topicIds: [ceasefire.id],
  sharedItems: [
    { organisationId: m1.id, topicId: ceasefire.id, kind: 'concern', body: 'Families not informed' },
    { organisationId: m2.id, topicId: ceasefire.id, kind: 'concern', body: 'Already handled', status: 'closed' },
    { organisationId: m2.id, topicId: dayAfter.id, kind: 'update', body: 'New plan drafted' },
  ],
  followUps: [{ title: 'Send the list', ownerId: staff.user.id, dueDate: isoDay(-2), organisationId: m1.id }],
});
await buildMeeting(t.db, { kind: 'one_on_one', city: 'Jerusalem', startsAt: daysAgo(5), organisations: [m2.id], topicIds: [dayAfter.id] });
const secret = await buildMeeting(t.db, {
  kind: 'diplomatic',
  city: 'Berlin',
  startsAt: daysAgo(1),
  restricted: true,
  staffIds: [granted.user.id],
  organisations: [m3.id],
  topicIds: [ceasefire.id],
  sharedItems: [{ organisationId: m3.id, topicId: ceasefire.id, kind: 'concern', body: 'Quiet channel at risk' }],
  followUps: [{ title: 'Brief the ambassador', ownerId: granted.user.id, dueDate: isoDay(-30) }],
});
await buildMeeting(t.db, { kind: 'group', city: 'Haifa', startsAt: daysAgo(60), organisations: [m3.id] });
const late = await buildFollowUp(t.db, { title: 'Answer the funder', ownerId: staff.user.id, dueDate: isoDay(-10), organisationId: partner.id });
await buildFollowUp(t.db, { title: 'Done already', ownerId: staff.user.id, dueDate: isoDay(-20), status: 'done' });
await buildFollowUp(t.db, { title: 'Not yet due', ownerId: staff.user.id, dueDate: isoDay(3) });

type Dashboard = {
  from: string;
  to: string;
  timeZone: string;
  meetings: { total: number; byKind: { kind: string; count: number }[]; byCity: { city: string | null; count: number }[]; byTopic: { topicId: string; key: string; nameAr: string; count: number }[] };
  memberOrganisationsMet: number;
  organisationsMet: number;
  openConcernsByWeek: { week: string; weekStart: string; topicId: string | null; count: number }[];
  overdueFollowUps: { count: number; items: { id: string; title: string; daysOverdue: number; ownerName: string | null; organisationName: string | null }[] };
};
async function dashboard(client: typeof admin, query = ''): Promise<Dashboard> {
  const res = await client.get(`/api/dashboard${query}`);
  expect(res.status).toBe(200);
  return res.json();
}

describe('dashboard', () => {
  it('counts the last 30 days of visible meetings by kind, city and topic, and the members met', async () => {
    const d = await dashboard(viewer);
    expect(d.timeZone).toBe('Asia/Jerusalem');
    expect(d.meetings.total).toBe(2);
    expect(d.meetings.byKind).toEqual([
      { kind: 'group', count: 1 },
      { kind: 'one_on_one', count: 1 },
    ]);
    expect(d.meetings.byCity.map((c) => c.city).sort()).toEqual(['Jerusalem', 'Ramallah']);
    expect(d.meetings.byTopic.map((x) => [x.key, x.count]).sort()).toEqual([
      ['ceasefire-hostages', 1],
      ['day-after', 1],
    ]);
    expect(d.meetings.byTopic.find((x) => x.key === 'ceasefire-hostages')!.nameAr).toBe('وقف إطلاق النار والرهائن');
    expect(d.memberOrganisationsMet).toBe(2);
    expect(d.organisationsMet).toBe(3);
    expect(d.openConcernsByWeek.reduce((n, w) => n + w.count, 0)).toBe(1);
    expect(d.openConcernsByWeek[0]).toMatchObject({ topicId: ceasefire.id, week: expect.stringMatching(/^\d{4}-W\d{2}$/) });
  });

  it('lists overdue follow-ups, most overdue first, without those of meetings the viewer may not see', async () => {
    const d = await dashboard(viewer);
    expect(d.overdueFollowUps.count).toBe(2);
    expect(d.overdueFollowUps.items.map((i) => [i.id, i.daysOverdue])).toEqual([
      [late.id, 10],
      [ramallah.followUps[0]!.id, 2],
    ]);
    expect(d.overdueFollowUps.items[0]).toMatchObject({ ownerName: staff.user.name, organisationName: 'Partner Foundation' });
  });

  it('includes the restricted meeting for its staff and for admins', async () => {
    for (const client of [granted, admin]) {
      const d = await dashboard(client);
      expect(d.meetings.total).toBe(3);
      expect(d.meetings.byKind.find((k) => k.kind === 'diplomatic')?.count).toBe(1);
      expect(d.meetings.byCity.map((c) => c.city)).toContain('Berlin');
      expect(d.meetings.byTopic.find((x) => x.key === 'ceasefire-hostages')?.count).toBe(2);
      expect(d.memberOrganisationsMet).toBe(3);
      expect(d.openConcernsByWeek.reduce((n, w) => n + w.count, 0)).toBe(2);
      expect(d.overdueFollowUps.count).toBe(3);
      expect(d.overdueFollowUps.items[0]).toMatchObject({ title: 'Brief the ambassador', daysOverdue: 30 });
    }
    const viewerText = JSON.stringify(await dashboard(viewer));
    expect(viewerText).not.toMatch(/Berlin|diplomatic|ambassador/);
    expect(secret.restricted).toBe(true);
  });

  it('takes a period of up to 400 days and names bad bounds', async () => {
    const d = await dashboard(viewer, `?from=${isoDay(-90)}&to=${isoDay(0)}`);
    expect(d).toMatchObject({ from: isoDay(-90), to: isoDay(0) });
    expect(d.meetings.total).toBe(3);
    expect(d.meetings.byCity.map((c) => c.city)).toContain('Haifa');
    expect((await dashboard(viewer, `?from=${isoDay(-60)}&to=${isoDay(-59)}`)).meetings.total).toBe(1);
    expect((await problem(await viewer.get(`/api/dashboard?from=${isoDay(0)}&to=${isoDay(-1)}`), 400)).errors?.[0]?.field).toBe('query.to');
    expect((await problem(await viewer.get(`/api/dashboard?from=${isoDay(-400)}&to=${isoDay(0)}`), 400)).code).toBe('range_too_long');
    expect((await problem(await viewer.get('/api/dashboard?from=2024-02-30'), 400)).errors?.[0]?.field).toBe('query.from');
    await problem(await t.client().get('/api/dashboard'), 401);
  });
});

type Segment = { id: string; name: string; list: string; filter: Record<string, unknown>; shared: boolean; ownerId: string; editable: boolean };

describe('segments', () => {
  it('saves filters; a user sees their own and the shared ones', async () => {
    const mine = await staff.post('/api/segments', { name: 'Galilee youth before the trip', list: 'member_health', filter: { area: 'Galilee', tag: 'youth' } });
    expect(mine.status).toBe(201);
    const shared = await staff.post('/api/segments', { name: 'All of the West Bank', list: 'organisations', filter: { area: 'West Bank' }, shared: true });
    expect(shared.status).toBe(201);
    const own = await viewer.post('/api/segments', { name: 'My meetings in Haifa', list: 'meetings', filter: { city: 'Haifa' } });
    expect(own.status).toBe(201);
    const list = (await (await viewer.get('/api/segments')).json()).items as Segment[];
    expect(list.map((s) => [s.name, s.editable])).toEqual([
      ['All of the West Bank', false],
      ['My meetings in Haifa', true],
    ]);
    const onlyMeetings = (await (await viewer.get('/api/segments?list=meetings')).json()).items as Segment[];
    expect(onlyMeetings.map((s) => s.name)).toEqual(['My meetings in Haifa']);
    const staffList = (await (await staff.get('/api/segments')).json()).items as Segment[];
    expect(staffList.map((s) => s.name)).toEqual(['All of the West Bank', 'Galilee youth before the trip']);
    const [entry] = await t.db.select().from(auditEntry).where(and(eq(auditEntry.action, 'segment.create'), eq(auditEntry.actorId, viewer.user.id)));
    expect(entry).toMatchObject({ entityType: 'segment', entityId: (await own.json()).id });
  });

  it('lets only the owner or an admin change or delete a segment', async () => {
    const created: Segment = await (await staff.post('/api/segments', { name: 'Owner only', list: 'people', filter: { tag: 'diplomat' }, shared: true })).json();
    const hidden: Segment = await (await staff.post('/api/segments', { name: 'Private', list: 'people', filter: {} })).json();
    await problem(await viewer.patch(`/api/segments/${created.id}`, { name: 'Mine now' }), 403);
    await problem(await viewer.delete(`/api/segments/${created.id}`), 403);
    await problem(await viewer.patch(`/api/segments/${hidden.id}`, { name: 'Mine now' }), 404);
    await problem(await viewer.delete(`/api/segments/${hidden.id}`), 404);
    await problem(await viewer.delete('/api/segments/00000000-0000-4000-8000-000000000000'), 404);
    const renamed = await admin.patch(`/api/segments/${created.id}`, { name: 'Diplomats', filter: { tag: 'diplomat', organisationId: m1.id } });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({ name: 'Diplomats', ownerId: staff.user.id, filter: { tag: 'diplomat', organisationId: m1.id } });
    const unshared = await staff.patch(`/api/segments/${created.id}`, { shared: false });
    expect(await unshared.json()).toMatchObject({ shared: false, editable: true });
    expect((await staff.delete(`/api/segments/${created.id}`)).status).toBe(204);
    expect((await t.db.select().from(segment).where(eq(segment.id, created.id))).length).toBe(0);
    const [deleted] = await t.db.select().from(auditEntry).where(and(eq(auditEntry.action, 'segment.delete'), eq(auditEntry.entityId, created.id)));
    expect(deleted).toMatchObject({ actorId: staff.user.id });
  });

  it('rejects filter keys the list does not have (422 naming the key) and bad fields (400), writing nothing', async () => {
    const before = (await t.db.select().from(segment)).length;
    const bad = await problem(await staff.post('/api/segments', { name: 'Bad', list: 'member_health', filter: { area: 'Negev', planet: 'Mars' } }), 422);
    expect(bad.errors).toEqual([{ field: 'body.filter.planet', detail: expect.any(String) }]);
    const fields = await problem(await staff.post('/api/segments', { name: '', list: 'galaxies', filter: {}, extra: 1 }), 400);
    expect(fields.errors?.map((e) => e.field).sort()).toEqual(['body.extra', 'body.list', 'body.name']);
    await problem(await viewer.post('/api/segments', { name: 'Share it', list: 'people', filter: {}, shared: true }), 403);
    const s: Segment = await (await staff.post('/api/segments', { name: 'Areas', list: 'member_health', filter: { area: 'Negev' } })).json();
    const moved = await problem(await staff.patch(`/api/segments/${s.id}`, { list: 'people' }), 422);
    expect(moved.errors?.[0]?.field).toBe('body.filter.area');
    expect((await t.db.select().from(segment)).length).toBe(before + 1);
    await problem(await t.client().get('/api/segments'), 401);
  });
});
