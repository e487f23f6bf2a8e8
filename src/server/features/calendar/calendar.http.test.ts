import { and, eq } from 'drizzle-orm';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { auditEntry } from '../audit/audit.schema.ts';
import { meeting } from '../meetings/meetings.schema.ts';
import { calendarFeed } from './calendar.schema.ts';
import { buildMeeting, buildOrganisation, buildTopic, daysAgo } from '../../../../tests/setup/network-factories.ts';
import { createTestApp, ORIGIN, problem } from '../../../../tests/setup/test-app.ts';

const t = await createTestApp();
const staff = await t.signedIn('staff', { name: 'Noa Barak' });
const other = await t.signedIn('staff');
const viewer = await t.signedIn('viewer');
const admin = await t.signedIn('admin');
const anonymous = t.client();

// meetings in the future (next calendar year), so they are in the 90-days-back window whatever today is
const Y = new Date().getUTCFullYear() + 1;

const orgA = await buildOrganisation(t.db, { names: ['Women Lawyers for Justice, Jerusalem', 'נשים משפטניות למען צדק', 'محاميات من أجل العدالة'] });
const orgB = await buildOrganisation(t.db, { names: ['Roots; Shorashim', 'שורשים', 'جذور'] });
const ceasefire = await buildTopic(t.db, { nameEn: 'Ceasefire and hostages' });

const summer = await buildMeeting(t.db, {
  title: 'פגישה קבוצתית עם ארגונים, ירושלים; סבב קיץ',
  startsAt: `${Y}-07-08T11:00:00+03:00`,
  endsAt: `${Y}-07-08T13:30:00+03:00`,
  timeZone: 'Asia/Jerusalem',
  city: 'Jerusalem',
  venue: 'YMCA, King David St.',
  notes: 'Members asked for\nshared messaging; more next week.',
  organisations: [orgA.id, orgB.id],
  topicIds: [ceasefire.id],
  staffIds: [staff.user.id],
});
const winter = await buildMeeting(t.db, {
  title: 'Winter review',
  startsAt: `${Y}-01-14T09:00:00+02:00`,
  endsAt: `${Y}-01-14T10:00:00+02:00`,
  timeZone: 'Asia/Jerusalem',
  online: true,
  notes: 'Secret notes about who said what',
  notesRestricted: true,
  staffIds: [staff.user.id, other.user.id],
});
const arabicTitle = 'اجتماع المجموعة في رام الله مع المؤسسات الأعضاء حول خطط اليوم التالي والدعم الشعبي لوقف إطلاق النار';
const hebron = await buildMeeting(t.db, {
  title: arabicTitle,
  kind: 'group',
  startsAt: `${Y}-07-09T10:00:00+03:00`,
  endsAt: `${Y}-07-09T12:00:00+03:00`,
  timeZone: 'Asia/Hebron',
  city: 'Ramallah',
  venue: 'Community centre',
  organisations: [orgA.id],
  staffIds: [staff.user.id],
});
// restricted, with the owner present: in the feed, but only title, time and place
const restrictedMine = await buildMeeting(t.db, {
  title: 'Embassy meeting',
  kind: 'diplomatic',
  startsAt: `${Y}-07-10T08:00:00Z`,
  timeZone: 'Asia/Jerusalem',
  city: 'Tel Aviv',
  restricted: true,
  notes: 'who said what',
  organisations: [orgB.id],
  staffIds: [staff.user.id],
});
// restricted, the owner neither present nor granted
const restrictedOther = await buildMeeting(t.db, {
  title: 'Meeting with Official A',
  kind: 'diplomatic',
  startsAt: `${Y}-07-11T08:00:00Z`,
  restricted: true,
  staffIds: [other.user.id],
});
// too old for the feed, and someone else's
const old = await buildMeeting(t.db, { title: 'Long ago', startsAt: daysAgo(200), staffIds: [staff.user.id] });
await buildMeeting(t.db, { title: 'Not mine', startsAt: `${Y}-07-12T08:00:00Z`, staffIds: [other.user.id] });

function parse(text: string) {
  const comp = new ICAL.Component(ICAL.parse(text));
  for (const tz of comp.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  const events = comp.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
  return { comp, events, byUid: new Map(events.map((e) => [e.uid, e])) };
}

async function createFeed(client = staff) {
  const res = await client.post('/api/calendar/feeds');
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; url: string; createdAt: string };
}

const feedPath = (url: string) => new URL(url).pathname;

describe('calendar feeds', () => {
  it('makes a private feed: the url is shown once, only a hash of its token is kept, creation audited', async () => {
    const feed = await createFeed();
    expect(feed.url).toMatch(new RegExp(`^${ORIGIN}/api/calendar/feed/[A-Za-z0-9_-]{43}\\.ics$`));
    const token = feed.url.match(/feed\/([^.]+)\.ics$/)![1]!;
    const [row] = await t.db.select().from(calendarFeed).where(eq(calendarFeed.id, feed.id));
    expect(row!.userId).toBe(staff.user.id);
    expect(row!.tokenHash).not.toContain(token);
    const list = await staff.get('/api/calendar/feeds');
    expect(list.status).toBe(200);
    const body = await list.json();
    expect(body.items.map((f: { id: string }) => f.id)).toContain(feed.id);
    expect(JSON.stringify(body)).not.toContain(token);
    expect(JSON.stringify(body)).not.toMatch(/url|token/i);
    // nobody else's list shows it
    expect((await (await other.get('/api/calendar/feeds')).json()).items).toEqual([]);
    const audit = await t.db.select().from(auditEntry).where(and(eq(auditEntry.action, 'calendar.feed_create'), eq(auditEntry.entityId, feed.id)));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorId).toBe(staff.user.id);
  });

  it("serves the owner's meetings from 90 days back with the right instants in Asia/Jerusalem (summer and winter) and Asia/Hebron", async () => {
    const feed = await createFeed();
    const res = await anonymous.get(feedPath(feed.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    // every line at most 75 octets, CRLF endings
    for (const line of text.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(text.split('\r\n').length).toBeGreaterThan(20);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);

    const { events, byUid, comp } = parse(text);
    const host = new URL(ORIGIN).host;
    expect(events.map((e) => e.uid).sort()).toEqual([summer.id, winter.id, hebron.id, restrictedMine.id].map((id) => `${id}@${host}`).sort());
    expect(comp.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid')).sort()).toEqual(['Asia/Hebron', 'Asia/Jerusalem']);

    const s = byUid.get(`${summer.id}@${host}`)!;
    expect(s.startDate.zone!.tzid).toBe('Asia/Jerusalem');
    expect(s.startDate.toString()).toBe(`${Y}-07-08T11:00:00`);
    expect(s.startDate.toJSDate().toISOString()).toBe(`${Y}-07-08T08:00:00.000Z`);
    expect(s.endDate.toJSDate().toISOString()).toBe(`${Y}-07-08T10:30:00.000Z`);
    expect(s.summary).toBe('פגישה קבוצתית עם ארגונים, ירושלים; סבב קיץ');
    expect(s.location).toBe('YMCA, King David St., Jerusalem');
    expect(s.description).toContain('Women Lawyers for Justice, Jerusalem');
    expect(s.description).toContain('Roots; Shorashim');
    expect(s.description).toContain('Ceasefire and hostages');
    expect(s.description).toContain('Members asked for\nshared messaging; more next week.');
    expect(s.description).toContain(`/network/meetings/${summer.id}`);

    const w = byUid.get(`${winter.id}@${host}`)!;
    expect(w.startDate.toString()).toBe(`${Y}-01-14T09:00:00`);
    expect(w.startDate.toJSDate().toISOString()).toBe(`${Y}-01-14T07:00:00.000Z`);
    expect(w.location).toBe('Online');
    expect(w.description).not.toContain('Secret notes');

    const h = byUid.get(`${hebron.id}@${host}`)!;
    expect(h.startDate.zone!.tzid).toBe('Asia/Hebron');
    expect(h.startDate.toJSDate().toISOString()).toBe(`${Y}-07-09T07:00:00.000Z`);
    expect(h.summary).toBe(arabicTitle);

    const r = byUid.get(`${restrictedMine.id}@${host}`)!;
    expect(r.component.getFirstPropertyValue('class')).toBe('CONFIDENTIAL');
    expect(r.description).not.toContain('who said what');
    expect(r.description).not.toContain('Roots');

    expect(text).not.toContain('Meeting with Official A');
    expect(text).not.toContain('Long ago');
    expect(text).not.toContain('Not mine');
    expect(text).not.toContain(old.id);
    expect(text).not.toContain(restrictedOther.id);
    // no people, no emails
    expect(text).not.toMatch(/ATTENDEE|ORGANIZER|@example\.org/);

    const reads = await t.db.select().from(auditEntry).where(and(eq(auditEntry.action, 'calendar.feed_read'), eq(auditEntry.entityId, feed.id)));
    expect(reads).toHaveLength(1);
    expect(reads[0]!.actorId).toBe(staff.user.id);
    expect(reads[0]!.detail).toMatchObject({ events: 4, restrictedMeetingIds: [restrictedMine.id] });
  });

  it('applies need-to-know at every fetch: a meeting restricted later vanishes for an owner without access', async () => {
    const feed = await createFeed(viewer);
    const m = await buildMeeting(t.db, { title: 'Site visit in Hebron', startsAt: `${Y}-03-03T08:00:00Z`, timeZone: 'Asia/Hebron', kind: 'site_visit', staffIds: [viewer.user.id] });
    expect(await (await anonymous.get(feedPath(feed.url))).text()).toContain('Site visit in Hebron');
    // restricted later and the viewer taken off its staff: gone from the feed
    await t.db.update(meeting).set({ restricted: true }).where(eq(meeting.id, m.id));
    const { meetingStaff } = await import('../meetings/meetings.schema.ts');
    await t.db.delete(meetingStaff).where(eq(meetingStaff.meetingId, m.id));
    expect(await (await anonymous.get(feedPath(feed.url))).text()).not.toContain('Site visit in Hebron');
  });

  it('revoking a feed makes its url 404; unknown tokens and other people\'s feeds are 404', async () => {
    const feed = await createFeed();
    expect((await anonymous.get(feedPath(feed.url))).status).toBe(200);
    // someone else cannot revoke it
    await problem(await other.delete(`/api/calendar/feeds/${feed.id}`), 404);
    expect((await staff.delete(`/api/calendar/feeds/${feed.id}`)).status).toBe(204);
    await problem(await anonymous.get(feedPath(feed.url)), 404);
    await problem(await staff.delete(`/api/calendar/feeds/${feed.id}`), 404);
    expect((await (await staff.get('/api/calendar/feeds')).json()).items.map((f: { id: string }) => f.id)).not.toContain(feed.id);
    const revoked = await t.db.select().from(auditEntry).where(and(eq(auditEntry.action, 'calendar.feed_revoke'), eq(auditEntry.entityId, feed.id)));
    expect(revoked).toHaveLength(1);
    await problem(await anonymous.get(`/api/calendar/feed/${'x'.repeat(43)}.ics`), 404);
    await problem(await anonymous.get('/api/calendar/feed/short.ics'), 404);
    await problem(await anonymous.get(`/api/calendar/feed/${feed.url.match(/feed\/([^.]+)\.ics$/)![1]}`), 404);
  });

  it('needs a session to make, list or revoke feeds', async () => {
    await problem(await anonymous.post('/api/calendar/feeds'), 401);
    await problem(await anonymous.get('/api/calendar/feeds'), 401);
    await problem(await anonymous.delete(`/api/calendar/feeds/${crypto.randomUUID()}`), 401);
  });
});

describe('one meeting as .ics', () => {
  it('downloads a visible meeting with its zone', async () => {
    const res = await viewer.get(`/api/meetings/${hebron.id}/ics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="meeting-.*\.ics"$/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { events } = parse(await res.text());
    expect(events).toHaveLength(1);
    expect(events[0]!.summary).toBe(arabicTitle);
    expect(events[0]!.startDate.toJSDate().toISOString()).toBe(`${Y}-07-09T07:00:00.000Z`);
  });

  it('is 404 for a restricted meeting the reader may not see, 401 without a session; an admin read of it is audited', async () => {
    await problem(await staff.get(`/api/meetings/${restrictedOther.id}/ics`), 404);
    await problem(await viewer.get(`/api/meetings/${restrictedOther.id}/ics`), 404);
    await problem(await staff.get(`/api/meetings/${crypto.randomUUID()}/ics`), 404);
    await problem(await anonymous.get(`/api/meetings/${summer.id}/ics`), 401);
    expect((await other.get(`/api/meetings/${restrictedOther.id}/ics`)).status).toBe(200);
    const res = await admin.get(`/api/meetings/${restrictedOther.id}/ics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Meeting with Official A');
    const reads = await t.db.select().from(auditEntry).where(and(eq(auditEntry.action, 'record.read'), eq(auditEntry.entityId, restrictedOther.id)));
    expect(reads.map((r) => r.actorId).sort()).toEqual([admin.user.id, other.user.id].sort());
  });
});
