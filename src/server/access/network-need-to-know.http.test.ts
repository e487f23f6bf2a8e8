import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEntry } from '../features/audit/audit.schema.ts';
import { meetingStaff } from '../features/meetings/meetings.schema.ts';
import { buildMeeting, buildOrganisation, buildPerson, buildTopic, daysAgo, isoDay } from '../../../tests/setup/network-factories.ts';
import { createTestApp, problem, type TestClient } from '../../../tests/setup/test-app.ts';

// The acceptance, in one place: a viewer (and a staff member) who was not granted a restricted
// meeting cannot learn of it through any list, search, count, dashboard, feed, export or URL. Each check is
// made for someone who may see it too, so that every check can fail.

const t = await createTestApp();
const admin = await t.signedIn('admin');
const present = await t.signedIn('staff', { name: 'Present Staff' });
const viewer = await t.signedIn('viewer');
const otherStaff = await t.signedIn('staff');

const org = await buildOrganisation(t.db, { names: ['Olive Branch Forum', 'منتدى غصن الزيتون'], city: 'Ramallah', country: 'PS' });
const official = await buildPerson(t.db, { names: ['Quillon Marwick'] });
const topic = await buildTopic(t.db, { key: 'g7', nameEn: 'G7 campaign', nameHe: 'קמפיין G7', nameAr: 'حملة مجموعة السبع' });
const open = await buildMeeting(t.db, { title: 'Open group meeting', kind: 'group', startsAt: daysAgo(30), organisations: [org.id], city: 'Ramallah' });
const secret = await buildMeeting(t.db, {
  title: 'Zephyrine consultation',
  kind: 'diplomatic',
  restricted: true,
  startsAt: daysAgo(3),
  city: 'Jerusalem',
  organisations: [org.id],
  people: [official.id],
  staffIds: [present.user.id],
  topicIds: [topic.id],
  sharedItems: [{ organisationId: org.id, kind: 'concern', body: 'Quasarwind permits concern', topicId: topic.id }],
  followUps: [{ title: 'Nebulight follow-up', ownerId: present.user.id, dueDate: isoDay(-2), organisationId: org.id }],
});

const text = async (c: TestClient, path: string) => {
  const res = await c.get(path);
  expect(res.status, path).toBe(200);
  return res.text();
};
const json = async (c: TestClient, path: string) => JSON.parse(await text(c, path));
const SECRET_WORDS = ['Zephyrine', 'Quasarwind', 'Nebulight'];
const leaks = (body: string) => SECRET_WORDS.filter((w) => body.includes(w)).concat(body.includes(secret.id) ? [secret.id] : []);

describe('a restricted meeting leaves no trace for those not granted it', () => {
  it('direct links answer 404', async () => {
    for (const c of [viewer, otherStaff]) {
      for (const path of [`/api/meetings/${secret.id}`, `/api/meetings/${secret.id}/ics`, `/api/meetings/${secret.id}/grants`]) {
        await problem(await c.get(path), 404);
      }
    }
    expect((await present.get(`/api/meetings/${secret.id}`)).status).toBe(200);
  });

  it('lists and their totals', async () => {
    for (const [c, seen] of [[viewer, false], [otherStaff, false], [present, true], [admin, true]] as const) {
      const meetings = await json(c, `/api/meetings?organisationId=${org.id}`);
      expect(meetings.total).toBe(seen ? 2 : 1);
      expect(leaks(JSON.stringify(meetings)).length > 0).toBe(seen);
      const items = await json(c, `/api/shared-items?organisationId=${org.id}`);
      expect(items.total).toBe(seen ? 1 : 0);
      const followUps = await json(c, `/api/follow-ups?organisationId=${org.id}`);
      expect(followUps.total).toBe(seen ? 1 : 0);
      const byPerson = await json(c, `/api/meetings?personId=${official.id}`);
      expect(byPerson.total).toBe(seen ? 1 : 0);
    }
  });

  it('search', async () => {
    for (const [c, seen] of [[viewer, false], [otherStaff, false], [present, true]] as const) {
      for (const q of ['Zephyrine consultation', 'Quasarwind permits']) {
        const { items } = await json(c, `/api/search?q=${encodeURIComponent(q)}`);
        expect(items.length > 0, q).toBe(seen);
      }
    }
  });

  it('timelines of the organisation and the person', async () => {
    for (const [c, seen] of [[viewer, false], [otherStaff, false], [present, true]] as const) {
      expect(leaks(await text(c, `/api/organisations/${org.id}/timeline`)).length > 0).toBe(seen);
      expect(leaks(await text(c, `/api/people/${official.id}/timeline`)).length > 0).toBe(seen);
    }
  });

  it('member health: the last meeting, the counts and the open concerns', async () => {
    for (const [c, seen] of [[viewer, false], [present, true]] as const) {
      const { items } = await json(c, '/api/member-health?limit=500');
      const row = items.find((r: { id: string }) => r.id === org.id);
      expect(row.lastMeetingAt).toBe((seen ? secret.startsAt : open.startsAt).toISOString());
      expect(row.meetingsLast90Days).toBe(seen ? 2 : 1);
      expect(row.openConcerns).toBe(seen ? 1 : 0);
      expect(row.openFollowUps).toBe(seen ? 1 : 0);
    }
  });

  it('the dashboard', async () => {
    for (const [c, seen] of [[viewer, false], [present, true]] as const) {
      const d = await json(c, `/api/dashboard?from=${isoDay(-40)}&to=${isoDay(0)}`);
      expect(d.meetings.total).toBe(seen ? 2 : 1);
      expect(d.meetings.byKind.some((k: { kind: string }) => k.kind === 'diplomatic')).toBe(seen);
      expect(d.meetings.byTopic.some((k: { topicId: string }) => k.topicId === topic.id)).toBe(seen);
      expect(d.openConcernsByWeek.length > 0).toBe(seen);
      expect(d.overdueFollowUps.count).toBe(seen ? 1 : 0);
    }
  });

  it('CSV exports', async () => {
    for (const list of ['meetings', 'follow-ups', 'member-health', 'people', 'organisations']) {
      expect(leaks(await text(viewer, `/api/exports/${list}.csv`)), list).toEqual([]);
      expect(leaks(await text(otherStaff, `/api/exports/${list}.csv`)), list).toEqual([]);
    }
    expect(leaks(await text(present, '/api/exports/meetings.csv'))).toContain('Zephyrine');
    expect(leaks(await text(present, '/api/exports/follow-ups.csv'))).toContain('Nebulight');
  });

  it("calendar feeds: in its staff member's feed, gone from it once they are no longer granted", async () => {
    const created = await present.post('/api/calendar/feeds', {});
    expect(created.status).toBe(201);
    const { url } = await created.json();
    const path = new URL(url).pathname;
    expect(leaks(await text(t.client(), path))).toContain('Zephyrine');
    await t.db.delete(meetingStaff).where(and(eq(meetingStaff.meetingId, secret.id), eq(meetingStaff.userId, present.user.id)));
    expect(leaks(await text(t.client(), path))).toEqual([]);
    await t.db.insert(meetingStaff).values({ meetingId: secret.id, userId: present.user.id });
  });

  it('every read by those who may see it is audited', async () => {
    await admin.get(`/api/meetings/${secret.id}`);
    const reads = await t.db
      .select()
      .from(auditEntry)
      .where(and(eq(auditEntry.action, 'record.read'), eq(auditEntry.entityType, 'meeting'), eq(auditEntry.entityId, secret.id)));
    expect(reads.map((r) => r.actorId)).toEqual(expect.arrayContaining([admin.user.id, present.user.id]));
    expect(reads.map((r) => r.actorId)).not.toContain(viewer.user.id);
  });
});
