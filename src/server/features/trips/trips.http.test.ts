import { and, count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEntry } from '../audit/audit.schema.ts';
import { meeting, meetingStaff } from '../meetings/meetings.schema.ts';
import { createTestApp, problem, type TestClient } from '../../../../tests/setup/test-app.ts';
import { buildOrganisation, buildPerson } from '../../../../tests/setup/network-factories.ts';
import { campaign, campaignTarget } from '../campaigns/campaigns.schema.ts';
import { trip, tripRequest } from './trips.schema.ts';

// Trips through the API (issue 14 items 1–5, 8–10): the records, the bad input the issue names (each a 4xx naming
// the field, nothing written), who may not, a plan that keeps the access rules, pins and re-plans, the .ics, making
// meetings, and need-to-know on requests.

const t = await createTestApp();
const admin = await t.signedIn('admin');
const planner = await t.signedIn('staff', { name: 'Planner' });
const colleague = await t.signedIn('staff', { name: 'Colleague' });
const travellerUser = await t.signedIn('staff', { name: 'Traveller Two' });
const viewer = await t.signedIn('viewer', { name: 'Viewer' });
const anonymous = t.client();

const ngo = await buildOrganisation(t.db, { name: 'Ramallah Youth Forum', kind: 'member' });
const ministry = await buildOrganisation(t.db, { name: 'A ministry', kind: 'mission' });
const palestinian = await buildPerson(t.db, { name: 'Counterpart Without Permit' });
const israeli = await buildPerson(t.db, { name: 'Israeli Counterpart' });
const secret = await buildPerson(t.db, { name: 'Secret Source', restricted: true });

const tripCount = async () => (await t.db.select({ n: count() }).from(trip))[0]!.n;
const requestCount = async () => (await t.db.select({ n: count() }).from(tripRequest))[0]!.n;

async function created(res: Response): Promise<{ id: string }> {
  const text = await res.text();
  if (res.status !== 201) throw new Error(`expected 201, got ${res.status}: ${text}`);
  return JSON.parse(text);
}

// Monday 29 June – Friday 3 July 2026, Asia/Jerusalem (+03:00)
async function demoTrip(c: TestClient = planner) {
  const tr = await created(await c.post('/api/trips', { name: 'July week', startsOn: '2026-06-29', endsOn: '2026-07-03', timeZone: 'Asia/Jerusalem', bufferMinutes: 15 }));
  const id = tr.id;
  const place = async (body: Record<string, unknown>) => (await created(await c.post(`/api/trips/${id}/places`, body))).id;
  const hotel = await place({ name: 'Hotel, Jerusalem', lat: 31.7767, lon: 35.2345, area: 'Jerusalem' });
  const jlmOffice = await place({ name: 'Our Jerusalem office', kind: 'ours', lat: 31.7857, lon: 35.2271, area: 'Jerusalem' });
  const rmlOffice = await place({ name: 'Forum office, Ramallah', lat: 31.9038, lon: 35.2034, area: 'Ramallah – Area A', organisationId: ngo.id });
  const tlv = await place({ name: 'Café, Tel Aviv', lat: 32.0853, lon: 34.7818, area: 'Tel Aviv' });
  const online = await place({ name: 'Online', kind: 'online' });
  const t1 = (await created(await c.post(`/api/trips/${id}/travellers`, { userId: planner.user.id, basePlaceId: hotel, holidays: ['jewish'] }))).id;
  const t2 = (await created(await c.post(`/api/trips/${id}/travellers`, { userId: travellerUser.user.id, basePlaceId: hotel, weekend: 'sat_sun' }))).id;
  await created(await c.post(`/api/trips/${id}/travel-extras`, { label: 'Qalandiya', areaA: 'Jerusalem', areaB: 'Ramallah – Area A', extraMinutes: 30 }));
  await created(await c.post(`/api/trips/${id}/travel-extras`, { label: 'Qalandiya, morning', areaA: 'Jerusalem', areaB: 'Ramallah – Area A', extraMinutes: 90, fromMinute: 420, toMinute: 540 }));
  await created(await c.post(`/api/trips/${id}/access-rules`, { personId: palestinian.id, area: 'Jerusalem', permits: [{ validFrom: '2026-07-01', validTo: '2026-07-01' }] }));
  await created(await c.post(`/api/trips/${id}/access-rules`, { personId: israeli.id, area: 'Ramallah – Area A' }));
  return { id, hotel, jlmOffice, rmlOffice, tlv, online, t1, t2 };
}

const request = (tr: Awaited<ReturnType<typeof demoTrip>>, body: Record<string, unknown> = {}) => ({
  title: 'Meeting',
  durationMinutes: 60,
  priority: 5,
  travellers: [{ travellerId: tr.t1, must: true }],
  placeIds: [tr.jlmOffice, tr.rmlOffice, tr.tlv],
  ...body,
});

describe('trips: the records', () => {
  it('creates a trip with its records; every write is audited; the detail shows them', async () => {
    const tr = await demoTrip();
    const res = await planner.get(`/api/trips/${tr.id}`);
    expect(res.status).toBe(200);
    const d = await res.json();
    expect(d).toMatchObject({ name: 'July week', timeZone: 'Asia/Jerusalem', travellerCount: 2, requestCount: 0 });
    expect(d.places.map((p: { name: string }) => p.name)).toContain('Forum office, Ramallah');
    expect(d.places.find((p: { id: string }) => p.id === tr.rmlOffice)).toMatchObject({ organisationName: 'Ramallah Youth Forum', area: 'Ramallah – Area A' });
    expect(d.travellers.map((x: { name: string }) => x.name)).toEqual(['Planner', 'Traveller Two']);
    expect(d.rules.find((r: { personId: string }) => r.personId === palestinian.id).permits).toEqual([expect.objectContaining({ validFrom: '2026-07-01', validTo: '2026-07-01' })]);
    const audits = await t.db.select({ action: auditEntry.action }).from(auditEntry).where(eq(auditEntry.entityId, tr.id));
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['trip.create', 'trip.place.create', 'trip.traveller.create', 'trip.travel_extra.create', 'trip.access_rule.create']));
    const list = await (await viewer.get('/api/trips')).json();
    expect(list.items.some((x: { id: string }) => x.id === tr.id)).toBe(true);
  });

  it('bad input: each a 4xx naming the field, nothing written', async () => {
    const before = await tripCount();
    const p1 = await problem(await planner.post('/api/trips', { name: 'x', startsOn: '2026-07-05', endsOn: '2026-07-01', timeZone: 'Asia/Jerusalem' }), 422);
    expect(p1.errors).toEqual([expect.objectContaining({ field: 'body.endsOn' })]);
    const p2 = await problem(await planner.post('/api/trips', { name: 'x', startsOn: '2026-07-01', endsOn: '2026-07-05', timeZone: 'Mars/Olympus' }), 400);
    expect(p2.errors!.map((e) => e.field)).toEqual(['body.timeZone']);
    expect(await tripCount()).toBe(before);

    const tr = await demoTrip();
    const before2 = await requestCount();
    const noAttendee = await problem(await planner.post(`/api/trips/${tr.id}/requests`, request(tr, { travellers: [] })), 400);
    expect(noAttendee.errors!.map((e) => e.field)).toEqual(['body.travellers']);
    const backwards = await problem(await planner.post(`/api/trips/${tr.id}/requests`, request(tr, { windows: [{ startsAt: '2026-06-30T12:00:00+03:00', endsAt: '2026-06-30T10:00:00+03:00' }] })), 400);
    expect(backwards.errors!.map((e) => e.field)).toEqual(['body.windows.0.endsAt']);
    const tooLong = await problem(await planner.post(`/api/trips/${tr.id}/requests`, request(tr, { durationMinutes: 120, windows: [{ startsAt: '2026-06-30T10:00:00+03:00', endsAt: '2026-06-30T11:00:00+03:00' }] })), 400);
    expect(tooLong.errors!.map((e) => e.field)).toEqual(['body.durationMinutes']);
    const noVenue = await problem(await planner.post(`/api/trips/${tr.id}/requests`, request(tr, { placeIds: [] })), 400);
    expect(noVenue.errors!.map((e) => e.field)).toEqual(['body.placeIds']);
    const otherTrip = await demoTrip();
    const foreign = await problem(await planner.post(`/api/trips/${tr.id}/requests`, request(tr, { placeIds: [otherTrip.tlv] })), 422);
    expect(foreign.errors).toEqual([{ field: 'body.placeIds.0', detail: 'No such record in this trip' }]);
    const hiddenPerson = await problem(await planner.post(`/api/trips/${tr.id}/requests`, request(tr, { personIds: [secret.id] })), 422);
    expect(hiddenPerson.errors).toEqual([{ field: 'body.personIds.0', detail: 'No such record' }]);
    // a target of a restricted campaign the planner is not granted answers as one that does not exist
    const [hiddenCampaign] = await t.db.insert(campaign).values({ name: { en: 'Restricted' }, restricted: true, ownerId: colleague.user.id }).returning();
    const mission = await buildOrganisation(t.db, { name: 'A mission', kind: 'mission' });
    const [hiddenTarget] = await t.db.insert(campaignTarget).values({ campaignId: hiddenCampaign!.id, organisationId: mission.id }).returning();
    for (const id of [hiddenTarget!.id, '00000000-0000-4000-8000-000000000000']) {
      const refused = await problem(await planner.post(`/api/trips/${tr.id}/requests`, request(tr, { campaignTargetId: id })), 422);
      expect(refused.errors).toEqual([{ field: 'body.campaignTargetId', detail: 'No such record' }]);
    }
    expect(await requestCount()).toBe(before2);

    const rules = (await (await planner.get(`/api/trips/${tr.id}`)).json()).rules;
    const permit = await problem(await planner.post(`/api/trips/${tr.id}/access-rules/${rules[0].id}/permits`, { validFrom: '2026-07-03', validTo: '2026-07-02' }), 400);
    expect(permit.errors!.map((e) => e.field)).toEqual(['body.validTo']);
    const rulePermit = await problem(await planner.post(`/api/trips/${tr.id}/access-rules`, { personId: israeli.id, area: 'Jerusalem', permits: [{ validFrom: '2026-07-03', validTo: '2026-07-02' }] }), 400);
    expect(rulePermit.errors!.map((e) => e.field)).toEqual(['body.permits.0.validTo']);
    const halfCoords = await problem(await planner.post(`/api/trips/${tr.id}/places`, { name: 'Somewhere', lat: 31.5 }), 400);
    expect(halfCoords.errors!.map((e) => e.field)).toEqual(['body.lon']);
    const hours = await problem(await planner.post(`/api/trips/${tr.id}/travellers`, { userId: colleague.user.id, workFrom: 600, workTo: 500 }), 400);
    expect(hours.errors!.map((e) => e.field)).toEqual(['body.workTo']);
    const twice = await problem(await planner.post(`/api/trips/${tr.id}/travellers`, { userId: planner.user.id }), 409);
    expect(twice.errors!.map((e) => e.field)).toEqual(['body.userId']);
    const extra = await problem(await planner.post(`/api/trips/${tr.id}/travel-extras`, { label: 'x', areaA: 'A', areaB: 'B', extraMinutes: 10, fromMinute: 600 }), 400);
    expect(extra.errors!.map((e) => e.field)).toEqual(['body.toMinute']);
    await problem(await planner.post(`/api/trips/${tr.id}/places`, { name: 'x'.repeat(10_000) }), 400);
    await problem(await planner.post(`/api/trips/${tr.id}/places`, { name: 'ok', unknown: 1 }), 400);
  });

  it('a place without coordinates nor travel times: planning answers 422 naming it; a trip that holds nothing still gets an empty plan with reasons', async () => {
    const tr = await demoTrip();
    const nowhere = (await created(await planner.post(`/api/trips/${tr.id}/places`, { name: 'Nowhere', area: 'Tel Aviv' }))).id;
    const p = await problem(await planner.post(`/api/trips/${tr.id}/plan`), 422);
    expect(p.code).toBe('trip_not_plannable');
    expect(p.errors).toEqual([expect.objectContaining({ field: `places.${nowhere}.lat` })]);
    await created(await planner.post(`/api/trips/${tr.id}/travel-overrides`, { fromPlaceId: nowhere, toPlaceId: tr.tlv, minutes: 10 }));
    // only on the weekend of both counterparts and travellers: nothing can be held
    await created(await planner.post(`/api/trips/${tr.id}/requests`, request(tr, { title: 'On Saturday', windows: [{ startsAt: '2026-07-04T10:00:00+03:00', endsAt: '2026-07-04T12:00:00+03:00' }] })));
    const res = await planner.post(`/api/trips/${tr.id}/plan`);
    expect(res.status).toBe(200);
    const plan = await res.json();
    expect(plan.items).toEqual([]);
    expect(plan.unplanned).toEqual([{ requestId: expect.any(String), title: 'On Saturday', reasons: [{ kind: 'no_common_availability' }] }]);
  });
});

describe('trips: who may not', () => {
  it('viewers may read but write nothing; the signed-out nothing at all; nothing written', async () => {
    const tr = await demoTrip();
    const writes: Array<[string, string, unknown]> = [
      ['post', '/api/trips', { name: 'x', startsOn: '2026-07-01', endsOn: '2026-07-02', timeZone: 'Asia/Jerusalem' }],
      ['patch', `/api/trips/${tr.id}`, { name: 'y' }],
      ['delete', `/api/trips/${tr.id}`, undefined],
      ['post', `/api/trips/${tr.id}/places`, { name: 'x' }],
      ['post', `/api/trips/${tr.id}/travellers`, { userId: colleague.user.id }],
      ['post', `/api/trips/${tr.id}/travel-overrides`, { fromPlaceId: tr.hotel, toPlaceId: tr.tlv, minutes: 10 }],
      ['post', `/api/trips/${tr.id}/travel-extras`, { label: 'x', areaA: 'A', areaB: 'B', extraMinutes: 10 }],
      ['post', `/api/trips/${tr.id}/fixed-items`, { title: 'Flight', placeId: tr.hotel, startsAt: '2026-06-29T08:00:00Z', endsAt: '2026-06-29T09:00:00Z', travellerIds: [tr.t1] }],
      ['post', `/api/trips/${tr.id}/access-rules`, { personId: israeli.id, area: 'Jerusalem' }],
      ['post', `/api/trips/${tr.id}/requests`, request(tr)],
      ['delete', `/api/trips/${tr.id}/places/${tr.tlv}`, undefined],
      ['post', `/api/trips/${tr.id}/plan`, undefined],
      ['put', `/api/trips/${tr.id}/requests/${tr.tlv}/pin`, { placeId: tr.tlv, startsAt: '2026-06-29T08:00:00Z', travellerIds: [tr.t1] }],
      ['delete', `/api/trips/${tr.id}/requests/${tr.tlv}/pin`, undefined],
      ['post', `/api/trips/${tr.id}/make-meetings`, undefined],
    ];
    const auditsBefore = (await t.db.select({ n: count() }).from(auditEntry).where(eq(auditEntry.entityId, tr.id)))[0]!.n;
    for (const [method, path, body] of writes) {
      const call = (c: TestClient) => (method === 'delete' ? c.delete(path) : (c as unknown as Record<string, (p: string, b: unknown) => Promise<Response>>)[method]!.call(c, path, body));
      expect((await call(viewer)).status, `viewer ${method} ${path}`).toBe(403);
      expect((await call(anonymous)).status, `anonymous ${method} ${path}`).toBe(401);
    }
    expect((await anonymous.get(`/api/trips/${tr.id}`)).status).toBe(401);
    expect((await anonymous.get(`/api/trips/${tr.id}/travellers/${tr.t1}/itinerary.ics`)).status).toBe(401);
    expect((await t.db.select({ n: count() }).from(auditEntry).where(eq(auditEntry.entityId, tr.id)))[0]!.n).toBe(auditsBefore);
    expect((await viewer.get(`/api/trips/${tr.id}`)).status).toBe(200);
  });

  it('unknown ids are 404, never a database error', async () => {
    await problem(await planner.get('/api/trips/not-a-uuid'), 404);
    await problem(await planner.get('/api/trips/00000000-0000-4000-8000-000000000000'), 404);
    const tr = await demoTrip();
    await problem(await planner.delete(`/api/trips/${tr.id}/places/nope`), 404);
    await problem(await planner.delete(`/api/trips/${tr.id}/requests/00000000-0000-4000-8000-000000000000`), 404);
    await problem(await planner.get(`/api/trips/${tr.id}/travellers/nope/itinerary`), 404);
    await problem(await planner.post(`/api/trips/${tr.id}/access-rules/nope/permits`, { validFrom: '2026-07-01', validTo: '2026-07-01' }), 404);
  });
});

describe('trips: the plan', () => {
  it('keeps the access rules: the Israeli counterpart never in Area A, the one without a permit in Jerusalem only on the permit day', async () => {
    const tr = await demoTrip();
    const withIsraeli = await created(await planner.post(`/api/trips/${tr.id}/requests`, request(tr, { title: 'Israeli', personIds: [israeli.id], placeIds: [tr.rmlOffice, tr.jlmOffice] })));
    const withPalestinian = await created(await planner.post(`/api/trips/${tr.id}/requests`, request(tr, { title: 'Palestinian', personIds: [palestinian.id], placeIds: [tr.jlmOffice], travellers: [{ travellerId: tr.t2, must: true }] })));
    const israeliOnly = await created(await planner.post(`/api/trips/${tr.id}/requests`, request(tr, { title: 'Israeli in Ramallah', personIds: [israeli.id], placeIds: [tr.rmlOffice] })));
    const plan = await (await planner.post(`/api/trips/${tr.id}/plan`)).json();
    const item = (id: string) => plan.items.find((i: { requestId: string }) => i.requestId === id);
    expect(item(withIsraeli.id).placeId).toBe(tr.jlmOffice);
    expect(item(withPalestinian.id).startsAt.slice(0, 10)).toBe('2026-07-01');
    expect(plan.unplanned.find((u: { requestId: string }) => u.requestId === israeliOnly.id).reasons[0]).toMatchObject({ kind: 'no_reachable_venue', personId: israeli.id });
    // the week shows the holidays and the travel legs
    expect(plan.days).toHaveLength(5);
    expect(plan.legs.length).toBeGreaterThan(0);
    expect(plan.objective.priorityHeld).toBe(10);
  });

  it('a request held by hand says what it breaks; re-planning keeps the pinned item and changes little else', async () => {
    const tr = await demoTrip();
    const a = await created(await planner.post(`/api/trips/${tr.id}/requests`, request(tr, { title: 'A', placeIds: [tr.tlv], priority: 8 })));
    const b = await created(await planner.post(`/api/trips/${tr.id}/requests`, request(tr, { title: 'B', placeIds: [tr.jlmOffice], priority: 5 })));
    const first = await (await planner.post(`/api/trips/${tr.id}/plan`)).json();
    const itemA = first.items.find((i: { requestId: string }) => i.requestId === a.id);
    const itemB = first.items.find((i: { requestId: string }) => i.requestId === b.id);
    // move B onto A's time, and to Ramallah where it may not be held
    const res = await planner.put(`/api/trips/${tr.id}/requests/${b.id}/pin`, { placeId: tr.rmlOffice, startsAt: itemA.startsAt, travellerIds: [tr.t1] });
    expect(res.status).toBe(200);
    const { breaks } = await res.json();
    expect(breaks.map((x: { kind: string }) => x.kind)).toEqual(expect.arrayContaining(['venue_not_allowed', 'overlaps']));
    expect(breaks.find((x: { kind: string }) => x.kind === 'overlaps').requestId).toBe(a.id);
    // a legal move: B the next day at 11:00
    const ok = await (await planner.put(`/api/trips/${tr.id}/requests/${b.id}/pin`, { placeId: tr.jlmOffice, startsAt: '2026-06-30T11:00:00+03:00', travellerIds: [tr.t1] })).json();
    expect(ok.breaks).toEqual([]);
    const second = await (await planner.post(`/api/trips/${tr.id}/plan`)).json();
    const pinned = second.items.find((i: { requestId: string }) => i.requestId === b.id);
    expect(pinned).toMatchObject({ pinned: true, placeId: tr.jlmOffice, startsAt: '2026-06-30T08:00:00.000Z' });
    expect(second.items.find((i: { requestId: string }) => i.requestId === a.id).startsAt).toBe(itemA.startsAt);
    expect(itemB).toBeTruthy();
    const audits = await t.db.select().from(auditEntry).where(and(eq(auditEntry.action, 'trip.pin'), eq(auditEntry.entityId, b.id)));
    expect(audits).toHaveLength(2);
    expect((await planner.delete(`/api/trips/${tr.id}/requests/${b.id}/pin`)).status).toBe(204);
    await problem(await planner.delete(`/api/trips/${tr.id}/requests/${b.id}/pin`), 404);
  });

  it(".ics per traveller: the traveller's items, fixed items and legs in the trip's zone", async () => {
    const tr = await demoTrip();
    await created(await planner.post(`/api/trips/${tr.id}/requests`, request(tr, { title: 'Forum; board', placeIds: [tr.rmlOffice] })));
    await created(await planner.post(`/api/trips/${tr.id}/fixed-items`, { title: 'Evening event', placeId: tr.jlmOffice, startsAt: '2026-07-01T19:00:00+03:00', endsAt: '2026-07-01T21:00:00+03:00', travellerIds: [tr.t1, tr.t2] }));
    await planner.post(`/api/trips/${tr.id}/plan`);
    const res = await viewer.get(`/api/trips/${tr.id}/travellers/${tr.t1}/itinerary.ics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
    const body = await res.text();
    expect(body).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(body).toContain('SUMMARY:Forum\\; board');
    expect(body).toContain('SUMMARY:Evening event');
    expect(body).toContain('DTSTART;TZID=Asia/Jerusalem:20260701T190000');
    expect(body).toContain('LOCATION:Forum office\\, Ramallah');
    expect(body).toMatch(/SUMMARY:Travel to /);
  });

  it('make meetings: planned items become Network meetings with attendees, place and zone, once', async () => {
    const tr = await demoTrip();
    const r = await created(await planner.post(`/api/trips/${tr.id}/requests`, request(tr, { title: 'With the forum', organisationIds: [ngo.id], personIds: [palestinian.id], placeIds: [], allowTheirOffice: true, format: 'one_on_one' })));
    await planner.post(`/api/trips/${tr.id}/plan`);
    const made = await (await planner.post(`/api/trips/${tr.id}/make-meetings`)).json();
    expect(made.created).toEqual([{ requestId: r.id, meetingId: expect.any(String) }]);
    const [m] = await t.db.select().from(meeting).where(eq(meeting.id, made.created[0].meetingId));
    expect(m).toMatchObject({ title: 'With the forum', kind: 'one_on_one', timeZone: 'Asia/Jerusalem', venue: 'Forum office, Ramallah', city: 'Ramallah – Area A' });
    const staff = await t.db.select().from(meetingStaff).where(eq(meetingStaff.meetingId, m!.id));
    expect(staff.map((s) => s.userId)).toEqual([planner.user.id]);
    const again = await (await planner.post(`/api/trips/${tr.id}/make-meetings`)).json();
    expect(again.created).toEqual([]);
  });
});

describe('trips: need-to-know', () => {
  it('a restricted request is seen by its creator, the travellers on it and admins; others see "confidential meeting" in the plan and nothing in counts', async () => {
    const tr = await demoTrip();
    const open = await created(await planner.post(`/api/trips/${tr.id}/requests`, request(tr, { title: 'Open', placeIds: [tr.tlv] })));
    const hidden = await created(await planner.post(`/api/trips/${tr.id}/requests`, request(tr, { title: 'Backchannel', restricted: true, placeIds: [tr.jlmOffice], priority: 9 })));
    await planner.post(`/api/trips/${tr.id}/plan`);
    for (const c of [colleague, viewer]) {
      const d = await (await c.get(`/api/trips/${tr.id}`)).json();
      expect(d.requestCount).toBe(1);
      expect(d.requests.map((r: { id: string }) => r.id)).toEqual([open.id]);
      const list = await (await c.get('/api/trips')).json();
      expect(list.items.find((x: { id: string }) => x.id === tr.id).requestCount).toBe(1);
      const plan = await (await c.get(`/api/trips/${tr.id}/plan`)).json();
      expect(JSON.stringify(plan)).not.toContain('Backchannel');
      expect(JSON.stringify(plan)).not.toContain(hidden.id);
      const conf = plan.items.filter((i: { confidential: boolean }) => i.confidential);
      expect(conf).toEqual([expect.objectContaining({ requestId: null, title: null, placeId: null })]);
      const ics = await (await c.get(`/api/trips/${tr.id}/travellers/${tr.t1}/itinerary.ics`)).text();
      expect(ics).toContain('SUMMARY:Confidential meeting');
      expect(ics).not.toContain('Backchannel');
    }
    await problem(await colleague.delete(`/api/trips/${tr.id}/requests/${hidden.id}`), 404);
    await problem(await colleague.put(`/api/trips/${tr.id}/requests/${hidden.id}/pin`, { placeId: tr.jlmOffice, startsAt: '2026-06-30T08:00:00Z', travellerIds: [tr.t1] }), 404);
    await problem(await colleague.delete(`/api/trips/${tr.id}`), 403);
    // the traveller on it (t1 is the planner here; make a request for t2) and an admin see it
    const forT2 = await created(await planner.post(`/api/trips/${tr.id}/requests`, request(tr, { title: 'For two', restricted: true, travellers: [{ travellerId: tr.t2, must: true }] })));
    const seenByT2 = await (await travellerUser.get(`/api/trips/${tr.id}`)).json();
    expect(seenByT2.requests.map((r: { id: string }) => r.id)).toContain(forT2.id);
    expect(seenByT2.requests.map((r: { id: string }) => r.id)).not.toContain(hidden.id);
    const seenByAdmin = await (await admin.get(`/api/trips/${tr.id}`)).json();
    expect(seenByAdmin.requestCount).toBe(3);
  });

  it('a request with a restricted person is hidden from who may not see the person', async () => {
    const tr = await demoTrip(admin);
    const r = await created(await admin.post(`/api/trips/${tr.id}/requests`, request(tr, { title: 'With the source', personIds: [secret.id] })));
    const d = await (await planner.get(`/api/trips/${tr.id}`)).json();
    expect(d.requests.map((x: { id: string }) => x.id)).not.toContain(r.id);
    expect(d.requestCount).toBe(0);
  });
});
