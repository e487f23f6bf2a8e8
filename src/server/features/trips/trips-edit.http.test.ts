import { and, count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { accessGrant } from '../../access/access.schema.ts';
import { auditEntry } from '../audit/audit.schema.ts';
import { createTestApp, problem, type TestClient } from '../../../../tests/setup/test-app.ts';
import { buildPerson } from '../../../../tests/setup/network-factories.ts';
import { tripRequest, tripTravellerNight } from './trips.schema.ts';

// Trips: changing what was entered (a request, a traveller's bases per night) and sharing a restricted request with
// another user (a need-to-know grant: only by someone who sees it and writes trips; audited; gone with the request).

const t = await createTestApp();
const admin = await t.signedIn('admin');
const planner = await t.signedIn('staff', { name: 'Planner' });
const colleague = await t.signedIn('staff', { name: 'Colleague' });
const viewer = await t.signedIn('viewer', { name: 'Viewer' });
const anonymous = t.client();
const secret = await buildPerson(t.db, { name: 'Secret Source', restricted: true });
const open = await buildPerson(t.db, { name: 'Open Counterpart' });

async function created(res: Response): Promise<{ id: string }> {
  const text = await res.text();
  if (res.status !== 201) throw new Error(`expected 201, got ${res.status}: ${text}`);
  return JSON.parse(text);
}

async function aTrip(c: TestClient = planner) {
  const id = (await created(await c.post('/api/trips', { name: 'Edit week', startsOn: '2026-06-29', endsOn: '2026-07-03', timeZone: 'Asia/Jerusalem' }))).id;
  const place = async (body: Record<string, unknown>) => (await created(await c.post(`/api/trips/${id}/places`, body))).id;
  const hotel = await place({ name: 'Hotel', lat: 31.7767, lon: 35.2345, area: 'Jerusalem' });
  const office = await place({ name: 'Office', kind: 'ours', lat: 31.7857, lon: 35.2271, area: 'Jerusalem' });
  const t1 = (await created(await c.post(`/api/trips/${id}/travellers`, { userId: planner.user.id, basePlaceId: hotel }))).id;
  const req = (await created(await c.post(`/api/trips/${id}/requests`, { title: 'Backchannel', durationMinutes: 60, restricted: true, travellers: [{ travellerId: t1, must: true }], placeIds: [office] }))).id;
  return { id, hotel, office, t1, req };
}

const audits = async (entityId: string) => (await t.db.select({ action: auditEntry.action }).from(auditEntry).where(eq(auditEntry.entityId, entityId))).map((a) => a.action);

describe('trips: changing records', () => {
  it('a request changes field by field; the whole is checked as a new one; audited', async () => {
    const tr = await aTrip();
    const res = await planner.patch(`/api/trips/${tr.id}/requests/${tr.req}`, { title: 'Backchannel, moved', durationMinutes: 90, personIds: [open.id], allowOnline: true });
    expect(res.status, await res.clone().text()).toBe(200);
    const r = await res.json();
    expect(r).toMatchObject({ title: 'Backchannel, moved', durationMinutes: 90, allowOnline: true, restricted: true, placeIds: [tr.office], travellers: [{ travellerId: tr.t1, must: true }] });
    expect(r.people.map((p: { name: string }) => p.name)).toEqual(['Open Counterpart']);
    expect(await audits(tr.req)).toContain('trip.request.update');
    // the merged request is checked as a new one would be: nothing written when it fails
    const bad = await problem(await planner.patch(`/api/trips/${tr.id}/requests/${tr.req}`, { title: 'Changed', travellers: [] }), 400);
    expect(bad.errors!.map((e: { field: string }) => e.field)).toContain('body.travellers');
    const tooLong = await problem(await planner.patch(`/api/trips/${tr.id}/requests/${tr.req}`, { windows: [{ startsAt: '2026-06-30T07:00:00Z', endsAt: '2026-06-30T07:30:00Z' }] }), 400);
    expect(tooLong.errors!.map((e: { field: string }) => e.field)).toContain('body.durationMinutes');
    await problem(await planner.patch(`/api/trips/${tr.id}/requests/${tr.req}`, { personIds: [secret.id] }), 422);
    await problem(await planner.patch(`/api/trips/${tr.id}/requests/${tr.req}`, { placeIds: ['00000000-0000-4000-8000-000000000000'] }), 422);
    await problem(await planner.patch(`/api/trips/${tr.id}/requests/${tr.req}`, { nope: 1 }), 400);
    const [row] = await t.db.select().from(tripRequest).where(eq(tripRequest.id, tr.req));
    expect(row!.title).toBe('Backchannel, moved');
  });

  it("a traveller's bases per night are set (replacing the old ones) and hours changed; bad input names the field", async () => {
    const tr = await aTrip();
    const res = await planner.patch(`/api/trips/${tr.id}/travellers/${tr.t1}`, {
      workFrom: 480,
      nights: [
        { night: '2026-06-29', placeId: tr.hotel },
        { night: '2026-06-30', placeId: tr.office },
      ],
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ workFrom: 480, workTo: 1140, nights: [{ night: '2026-06-29', placeId: tr.hotel }, { night: '2026-06-30', placeId: tr.office }] });
    await planner.patch(`/api/trips/${tr.id}/travellers/${tr.t1}`, { nights: [{ night: '2026-07-01', placeId: tr.office }] });
    const nights = await t.db.select().from(tripTravellerNight).where(eq(tripTravellerNight.travellerId, tr.t1));
    expect(nights.map((n) => n.night)).toEqual(['2026-07-01']);
    expect(await audits(tr.id)).toContain('trip.traveller.update');
    const e1 = await problem(await planner.patch(`/api/trips/${tr.id}/travellers/${tr.t1}`, { workTo: 300 }), 400);
    expect(e1.errors![0]!.field).toBe('body.workTo');
    const e2 = await problem(await planner.patch(`/api/trips/${tr.id}/travellers/${tr.t1}`, { nights: [{ night: '2026-07-01', placeId: '00000000-0000-4000-8000-000000000000' }] }), 422);
    expect(e2.errors![0]!.field).toBe('body.nights.0.placeId');
    await problem(await planner.patch(`/api/trips/${tr.id}/travellers/nope`, { workFrom: 480 }), 404);
  });
});

describe('trips: changing a fixed item and a travel extra in place', () => {
  it('a fixed item changes field by field (times, place, travellers); ends before it starts names the field; nothing written; audited', async () => {
    const tr = await aTrip();
    const t2 = (await created(await planner.post(`/api/trips/${tr.id}/travellers`, { userId: colleague.user.id, basePlaceId: tr.hotel }))).id;
    const item = (await created(await planner.post(`/api/trips/${tr.id}/fixed-items`, { title: 'Flight in', placeId: tr.hotel, startsAt: '2026-06-29T06:00:00Z', endsAt: '2026-06-29T08:00:00Z', travellerIds: [tr.t1] }))).id;
    const res = await planner.patch(`/api/trips/${tr.id}/fixed-items/${item}`, { title: 'Evening event', placeId: tr.office, startsAt: '2026-07-01T15:00:00Z', endsAt: '2026-07-01T18:00:00Z', travellerIds: [tr.t1, t2, t2] });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ id: item, title: 'Evening event', placeId: tr.office, startsAt: '2026-07-01T15:00:00.000Z', endsAt: '2026-07-01T18:00:00.000Z', travellerIds: [tr.t1, t2] });
    expect(await audits(tr.id)).toContain('trip.fixed_item.update');
    // one end alone: checked against the stored other end
    const early = await problem(await planner.patch(`/api/trips/${tr.id}/fixed-items/${item}`, { endsAt: '2026-07-01T14:00:00Z' }), 400);
    expect(early.errors![0]!.field).toBe('body.endsAt');
    const late = await problem(await planner.patch(`/api/trips/${tr.id}/fixed-items/${item}`, { startsAt: '2026-07-01T19:00:00Z' }), 400);
    expect(late.errors![0]!.field).toBe('body.startsAt');
    const stranger = await problem(await planner.patch(`/api/trips/${tr.id}/fixed-items/${item}`, { travellerIds: ['00000000-0000-4000-8000-000000000000'] }), 422);
    expect(stranger.errors![0]!.field).toBe('body.travellerIds.0');
    await problem(await planner.patch(`/api/trips/${tr.id}/fixed-items/${item}`, { travellerIds: [] }), 400);
    await problem(await planner.patch(`/api/trips/${tr.id}/fixed-items/${item}`, { startsAt: 'tomorrow' }), 400);
    await problem(await planner.patch(`/api/trips/${tr.id}/fixed-items/${item}`, { nope: 1 }), 400);
    const d = await (await planner.get(`/api/trips/${tr.id}`)).json();
    expect(d.fixedItems).toEqual([expect.objectContaining({ id: item, title: 'Evening event', startsAt: '2026-07-01T15:00:00.000Z', travellerIds: [tr.t1, t2] })]);
  });

  it('a travel extra changes in place: minutes, hours (both or neither, as stored after), all day; audited', async () => {
    const tr = await aTrip();
    const extra = (await created(await planner.post(`/api/trips/${tr.id}/travel-extras`, { label: 'Qalandia', areaA: 'Jerusalem', areaB: 'Ramallah – Area A', extraMinutes: 30 }))).id;
    let res = await planner.patch(`/api/trips/${tr.id}/travel-extras/${extra}`, { extraMinutes: 90, fromMinute: 420, toMinute: 540 });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ id: extra, label: 'Qalandia', extraMinutes: 90, fromMinute: 420, toMinute: 540 });
    expect(await audits(tr.id)).toContain('trip.travel_extra.update');
    const one = await problem(await planner.patch(`/api/trips/${tr.id}/travel-extras/${extra}`, { fromMinute: null }), 400);
    expect(one.errors![0]!.field).toBe('body.fromMinute');
    const backwards = await problem(await planner.patch(`/api/trips/${tr.id}/travel-extras/${extra}`, { toMinute: 400 }), 400);
    expect(backwards.errors![0]!.field).toBe('body.toMinute');
    await problem(await planner.patch(`/api/trips/${tr.id}/travel-extras/${extra}`, { extraMinutes: -5 }), 400);
    await problem(await planner.patch(`/api/trips/${tr.id}/travel-extras/${extra}`, { fromMinute: 2000 }), 400);
    res = await planner.patch(`/api/trips/${tr.id}/travel-extras/${extra}`, { fromMinute: null, toMinute: null, label: 'Qalandia, all day' });
    expect(await res.json()).toMatchObject({ label: 'Qalandia, all day', extraMinutes: 90, fromMinute: null, toMinute: null });
    const d = await (await planner.get(`/api/trips/${tr.id}`)).json();
    expect(d.extras).toEqual([expect.objectContaining({ id: extra, extraMinutes: 90, fromMinute: null })]);
  });

  it('who may not: a viewer (403), the signed-out (401), an item of another trip or none (404); nothing changes', async () => {
    const tr = await aTrip();
    const other = await aTrip(colleague);
    const item = (await created(await planner.post(`/api/trips/${tr.id}/fixed-items`, { title: 'Flight in', placeId: tr.hotel, startsAt: '2026-06-29T06:00:00Z', endsAt: '2026-06-29T08:00:00Z', travellerIds: [tr.t1] }))).id;
    const extra = (await created(await planner.post(`/api/trips/${tr.id}/travel-extras`, { label: 'Qalandia', areaA: 'Jerusalem', areaB: 'Ramallah – Area A', extraMinutes: 30 }))).id;
    for (const path of [`fixed-items/${item}`, `travel-extras/${extra}`]) {
      const body = path.startsWith('fixed') ? { title: 'Changed' } : { label: 'Changed' };
      await problem(await viewer.patch(`/api/trips/${tr.id}/${path}`, body), 403);
      await problem(await anonymous.patch(`/api/trips/${tr.id}/${path}`, body), 401);
      await problem(await planner.patch(`/api/trips/${other.id}/${path}`, body), 404);
    }
    await problem(await planner.patch(`/api/trips/${tr.id}/fixed-items/nope`, { title: 'x' }), 404);
    await problem(await planner.patch(`/api/trips/${tr.id}/travel-extras/00000000-0000-4000-8000-000000000000`, { label: 'x' }), 404);
    const d = await (await planner.get(`/api/trips/${tr.id}`)).json();
    expect(d.fixedItems[0].title).toBe('Flight in');
    expect(d.extras[0].label).toBe('Qalandia');
    expect((await audits(tr.id)).filter((a) => a.endsWith('.update'))).toEqual([]);
  });
});

describe('trips: changing a travel time, an access rule and a permit in place', () => {
  it('a travel time set by hand: minutes and both ways change; the pair stays; audited; bad input and who may not', async () => {
    const tr = await aTrip();
    const other = await aTrip(colleague);
    const o = (await created(await planner.post(`/api/trips/${tr.id}/travel-overrides`, { fromPlaceId: tr.hotel, toPlaceId: tr.office, minutes: 20 }))).id;
    const res = await planner.patch(`/api/trips/${tr.id}/travel-overrides/${o}`, { minutes: 35, symmetric: false });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ id: o, fromPlaceId: tr.hotel, toPlaceId: tr.office, minutes: 35, symmetric: false });
    expect(await audits(tr.id)).toContain('trip.travel_override.update');
    await problem(await planner.patch(`/api/trips/${tr.id}/travel-overrides/${o}`, { minutes: 1.5 }), 400);
    await problem(await planner.patch(`/api/trips/${tr.id}/travel-overrides/${o}`, { toPlaceId: tr.hotel }), 400);
    await problem(await viewer.patch(`/api/trips/${tr.id}/travel-overrides/${o}`, { minutes: 1 }), 403);
    await problem(await anonymous.patch(`/api/trips/${tr.id}/travel-overrides/${o}`, { minutes: 1 }), 401);
    await problem(await planner.patch(`/api/trips/${other.id}/travel-overrides/${o}`, { minutes: 1 }), 404);
    const d = await (await planner.get(`/api/trips/${tr.id}`)).json();
    expect(d.overrides).toEqual([expect.objectContaining({ id: o, minutes: 35 })]);
  });

  it('an access rule: area and note change; a permit: its days, checked as stored after; audited; who may not', async () => {
    const tr = await aTrip();
    const other = await aTrip(colleague);
    const rule = (await created(await planner.post(`/api/trips/${tr.id}/access-rules`, { travellerId: tr.t1, area: 'Ramallah – Area A', permits: [{ validFrom: '2026-06-30', validTo: '2026-06-30' }] }))).id;
    let d = await (await planner.get(`/api/trips/${tr.id}`)).json();
    const permit = d.rules[0].permits[0].id as string;
    let res = await planner.patch(`/api/trips/${tr.id}/access-rules/${rule}`, { area: 'Jerusalem', note: 'No entry without escort' });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ id: rule, travellerId: tr.t1, area: 'Jerusalem', note: 'No entry without escort' });
    res = await planner.patch(`/api/trips/${tr.id}/permits/${permit}`, { validTo: '2026-07-02' });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toEqual({ id: permit, validFrom: '2026-06-30', validTo: '2026-07-02' });
    expect(await audits(tr.id)).toEqual(expect.arrayContaining(['trip.access_rule.update', 'trip.permit.update']));
    const before = await problem(await planner.patch(`/api/trips/${tr.id}/permits/${permit}`, { validTo: '2026-06-29' }), 400);
    expect(before.errors![0]!.field).toBe('body.validTo');
    const after = await problem(await planner.patch(`/api/trips/${tr.id}/permits/${permit}`, { validFrom: '2026-07-03' }), 400);
    expect(after.errors![0]!.field).toBe('body.validFrom');
    await problem(await planner.patch(`/api/trips/${tr.id}/permits/${permit}`, { validFrom: '30/06/2026' }), 400);
    await problem(await planner.patch(`/api/trips/${tr.id}/access-rules/${rule}`, { personId: open.id }), 400);
    for (const path of [`access-rules/${rule}`, `permits/${permit}`]) {
      const body = path.startsWith('access') ? { area: 'Tel Aviv' } : { validFrom: '2026-06-29' };
      await problem(await viewer.patch(`/api/trips/${tr.id}/${path}`, body), 403);
      await problem(await anonymous.patch(`/api/trips/${tr.id}/${path}`, body), 401);
      await problem(await planner.patch(`/api/trips/${other.id}/${path}`, body), 404);
    }
    d = await (await planner.get(`/api/trips/${tr.id}`)).json();
    expect(d.rules).toEqual([expect.objectContaining({ id: rule, area: 'Jerusalem', permits: [{ id: permit, validFrom: '2026-06-30', validTo: '2026-07-02' }] })]);
  });

  it('a rule on a person the actor may not see answers 404 (it and its permits), and is left as it was', async () => {
    const tr = await aTrip();
    const rule = (await created(await admin.post(`/api/trips/${tr.id}/access-rules`, { personId: secret.id, area: 'Jerusalem', permits: [{ validFrom: '2026-06-30', validTo: '2026-06-30' }] }))).id;
    const permit = (await (await admin.get(`/api/trips/${tr.id}`)).json()).rules.find((r: { id: string }) => r.id === rule).permits[0].id as string;
    await problem(await planner.patch(`/api/trips/${tr.id}/access-rules/${rule}`, { area: 'Tel Aviv' }), 404);
    await problem(await planner.patch(`/api/trips/${tr.id}/permits/${permit}`, { validTo: '2026-07-03' }), 404);
    const d = await (await admin.get(`/api/trips/${tr.id}`)).json();
    expect(d.rules.find((r: { id: string }) => r.id === rule)).toMatchObject({ area: 'Jerusalem', permits: [{ id: permit, validTo: '2026-06-30' }] });
    // nor may they remove it or its permit
    await problem(await planner.delete(`/api/trips/${tr.id}/permits/${permit}`), 404);
    await problem(await planner.delete(`/api/trips/${tr.id}/access-rules/${rule}`), 404);
    expect((await (await admin.get(`/api/trips/${tr.id}`)).json()).rules.map((r: { id: string }) => r.id)).toContain(rule);
    expect((await audits(tr.id)).filter((a) => a.endsWith('.update') || a.endsWith('.remove') || a.endsWith('.delete'))).toEqual([]);
    // the admin, who sees the person, may
    const res = await admin.patch(`/api/trips/${tr.id}/permits/${permit}`, { validTo: '2026-07-01' });
    expect(res.status, await res.clone().text()).toBe(200);
  });
});

describe('trips: changing a place', () => {
  it('name, coordinates and area change; one coordinate alone is refused naming it; audited; who may not', async () => {
    const tr = await aTrip();
    const res = await planner.patch(`/api/trips/${tr.id}/places/${tr.office}`, { name: 'Office, moved', lat: 31.9038, lon: 35.2034, area: 'Ramallah – Area A' });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ id: tr.office, name: 'Office, moved', lat: 31.9038, lon: 35.2034, area: 'Ramallah – Area A', kind: 'ours' });
    expect(await audits(tr.id)).toContain('trip.place.update');
    const bad = await problem(await planner.patch(`/api/trips/${tr.id}/places/${tr.office}`, { lat: null }), 400);
    expect(bad.errors![0]!.field).toBe('body.lat');
    await problem(await planner.patch(`/api/trips/${tr.id}/places/${tr.office}`, { lat: 91 }), 400);
    await problem(await planner.patch(`/api/trips/${tr.id}/places/nope`, { name: 'x' }), 404);
    await problem(await viewer.patch(`/api/trips/${tr.id}/places/${tr.office}`, { name: 'x' }), 403);
    await problem(await anonymous.patch(`/api/trips/${tr.id}/places/${tr.office}`, { name: 'x' }), 401);
    const d = await (await planner.get(`/api/trips/${tr.id}`)).json();
    expect(d.places.find((p: { id: string }) => p.id === tr.office).name).toBe('Office, moved');
  });
});

describe('trips: sharing a restricted request', () => {
  it('whoever sees it and writes trips grants it; the grantee then sees it; audited; revoked; gone with the request', async () => {
    const tr = await aTrip();
    const before = await (await colleague.get(`/api/trips/${tr.id}`)).json();
    expect(before.requestCount).toBe(0);
    const g = await planner.post(`/api/trips/${tr.id}/requests/${tr.req}/grants`, { userId: colleague.user.id });
    expect(g.status, await g.clone().text()).toBe(201);
    expect(await g.json()).toMatchObject({ userId: colleague.user.id, name: 'Colleague', grantedBy: planner.user.id });
    expect((await planner.post(`/api/trips/${tr.id}/requests/${tr.req}/grants`, { userId: colleague.user.id })).status).toBe(200);
    expect(await audits(tr.req)).toEqual(expect.arrayContaining(['trip.request.grant']));
    expect((await audits(tr.req)).filter((a) => a === 'trip.request.grant')).toHaveLength(1);
    const after = await (await colleague.get(`/api/trips/${tr.id}`)).json();
    expect(after.requests.map((r: { id: string }) => r.id)).toEqual([tr.req]);
    const list = await (await colleague.get(`/api/trips/${tr.id}/requests/${tr.req}/grants`)).json();
    expect(list.items.map((x: { userId: string }) => x.userId)).toEqual([colleague.user.id]);
    // revoked: hidden again
    expect((await planner.delete(`/api/trips/${tr.id}/requests/${tr.req}/grants/${colleague.user.id}`)).status).toBe(204);
    expect((await (await colleague.get(`/api/trips/${tr.id}`)).json()).requestCount).toBe(0);
    await problem(await planner.delete(`/api/trips/${tr.id}/requests/${tr.req}/grants/${colleague.user.id}`), 404);
    expect(await audits(tr.req)).toContain('trip.request.revoke_grant');
    // the grant goes with the request
    await planner.post(`/api/trips/${tr.id}/requests/${tr.req}/grants`, { userId: colleague.user.id });
    expect((await planner.delete(`/api/trips/${tr.id}/requests/${tr.req}`)).status).toBe(204);
    expect((await t.db.select({ n: count() }).from(accessGrant).where(and(eq(accessGrant.recordType, 'trip_request'), eq(accessGrant.recordId, tr.req))))[0]!.n).toBe(0);
  });

  it('who may not: one who does not see it (404, no trace), a viewer (403), the signed-out (401); an unknown user is 422', async () => {
    const tr = await aTrip();
    const grants = () => t.db.select({ n: count() }).from(accessGrant).where(eq(accessGrant.recordId, tr.req));
    const auditsBefore = (await audits(tr.req)).length;
    // the colleague cannot see it: granting it (to themselves or anyone), listing, revoking or changing it answers as for no request
    await problem(await colleague.post(`/api/trips/${tr.id}/requests/${tr.req}/grants`, { userId: colleague.user.id }), 404);
    await problem(await colleague.get(`/api/trips/${tr.id}/requests/${tr.req}/grants`), 404);
    await problem(await colleague.delete(`/api/trips/${tr.id}/requests/${tr.req}/grants/${planner.user.id}`), 404);
    await problem(await colleague.patch(`/api/trips/${tr.id}/requests/${tr.req}`, { restricted: false }), 404);
    for (const [c, status] of [
      [viewer, 403],
      [anonymous, 401],
    ] as const) {
      await problem(await c.post(`/api/trips/${tr.id}/requests/${tr.req}/grants`, { userId: viewer.user.id }), status);
      await problem(await c.patch(`/api/trips/${tr.id}/requests/${tr.req}`, { title: 'x' }), status);
      await problem(await c.patch(`/api/trips/${tr.id}/travellers/${tr.t1}`, { workFrom: 480 }), status);
      await problem(await c.delete(`/api/trips/${tr.id}/requests/${tr.req}/grants/${planner.user.id}`), status);
    }
    expect((await grants())[0]!.n).toBe(0);
    expect((await audits(tr.req)).length).toBe(auditsBefore);
    expect((await audits(tr.id)).filter((a) => a === 'trip.traveller.update')).toHaveLength(0);
    const bad = await problem(await planner.post(`/api/trips/${tr.id}/requests/${tr.req}/grants`, { userId: 'no-such-user' }), 422);
    expect(bad.errors![0]!.field).toBe('body.userId');
    await problem(await planner.post(`/api/trips/${tr.id}/requests/${tr.req}/grants`, { userId: 'x'.repeat(5000) }), 400);
    await problem(await planner.post(`/api/trips/${tr.id}/requests/nope/grants`, { userId: colleague.user.id }), 404);
    // an open request is seen by every staff member, but shared (or made need-to-know) only by whom would see it restricted
    const openReq = (await created(await planner.post(`/api/trips/${tr.id}/requests`, { title: 'Open one', durationMinutes: 60, travellers: [{ travellerId: tr.t1, must: true }], placeIds: [tr.office] }))).id;
    expect((await problem(await colleague.post(`/api/trips/${tr.id}/requests/${openReq}/grants`, { userId: colleague.user.id }), 403)).code).toBe('trip_request_not_shareable');
    await problem(await colleague.patch(`/api/trips/${tr.id}/requests/${openReq}`, { restricted: true }), 403);
    expect((await colleague.patch(`/api/trips/${tr.id}/requests/${openReq}`, { title: 'Open one, retitled' })).status).toBe(200);
    expect((await t.db.select({ n: count() }).from(accessGrant).where(eq(accessGrant.recordId, openReq)))[0]!.n).toBe(0);
    // an admin sees every request and may share it
    expect((await admin.post(`/api/trips/${tr.id}/requests/${tr.req}/grants`, { userId: viewer.user.id })).status).toBe(201);
    expect((await (await viewer.get(`/api/trips/${tr.id}`)).json()).requests.map((r: { id: string }) => r.id).sort()).toEqual([tr.req, openReq].sort());
  });
});
