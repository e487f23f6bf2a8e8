// The demo's trip (issue 14): the July week of docs/product.md as a trip to plan. Five travellers (two of the
// regional team, three flying in), 40 meeting requests: the group meetings in Jerusalem and in Ramallah (held
// apart), one-on-ones with members, three foundations, G7 missions in Tel Aviv and Jerusalem, and the evening event
// as a fixed item. Access rules: the Israeli traveller and one Israeli counterpart may not enter Area A; one
// Palestinian counterpart has no permit for Jerusalem, another has one for two days. Checkpoint extras between
// Jerusalem and Area A. Its own random sequence, so the rest of the demo network is unchanged by it.
import type { Db } from '../../server/db/client.ts';
import {
  trip,
  tripAccessRule,
  tripFixedItem,
  tripPermit,
  tripPlace,
  tripRequest,
  tripRequestParty,
  tripRequestPlace,
  tripRequestTraveller,
  tripRequestWindow,
  tripTravelExtra,
  tripTraveller,
} from '../../server/features/trips/trips.schema.ts';
import type { Cast } from './meetings.ts';
import { makeRng } from './rng.ts';
import type { Member, Mission, Seed } from './seed.ts';
import { addDays, day, zoned } from './time.ts';

/** Where the demo's cities are, and the area access rules speak of. */
const CITY: Record<string, { lat: number; lon: number; area: string }> = {
  Jerusalem: { lat: 31.778, lon: 35.225, area: 'Jerusalem' },
  'East Jerusalem': { lat: 31.788, lon: 35.236, area: 'Jerusalem' },
  'Tel Aviv-Yafo': { lat: 32.08, lon: 34.78, area: 'Tel Aviv' },
  Ramallah: { lat: 31.903, lon: 35.204, area: 'Ramallah – Area A' },
  Bethlehem: { lat: 31.705, lon: 35.2, area: 'Bethlehem – Area A' },
};
const AREA_A = ['Ramallah – Area A', 'Bethlehem – Area A'];

export type TripJulyCast = { members: Member[]; missions: Mission[]; foundations: string[] };

/** The first Monday of July of the next July to come (the trip is planned ahead). */
function tripMonday(now: Date): string {
  const year = now.getUTCMonth() >= 5 ? now.getUTCFullYear() + 1 : now.getUTCFullYear();
  let d = new Date(Date.UTC(year, 6, 1));
  while (d.getUTCDay() !== 1) d = addDays(d, 1);
  return day(d);
}

export async function seedTripJuly(tx: Db, seed: Seed, cast: Cast, { members, missions, foundations }: TripJulyCast): Promise<{ tripId: string; requests: number }> {
  const rng = makeRng(20260706);
  const zone = 'Asia/Jerusalem';
  const monday = tripMonday(seed.now);
  const dayOf = (n: number) => day(addDays(new Date(`${monday}T12:00:00Z`), n));
  const at = (n: number, hhmm: string) => zoned(`${dayOf(n)}T${hhmm}`, zone);
  const users = [...new Set([cast.noa, cast.rana, cast.lena, cast.oliver, cast.james, cast.camille, ...seed.writers])].filter((u): u is string => !!u).slice(0, 5);
  // a network seeded with fewer staff accounts (as some tests do) gets no trip: it needs an Israeli and a Palestinian traveller
  if (users.length < 2) return { tripId: '', requests: 0 };

  const tripId = rng.uuid();
  await tx.insert(trip).values({ id: tripId, name: 'July week: Jerusalem, Ramallah, Tel Aviv', startsOn: monday, endsOn: dayOf(4), timeZone: zone, status: 'planning', bufferMinutes: 15, createdBy: cast.rana });

  // places
  const places: (typeof tripPlace.$inferInsert)[] = [];
  const place = (name: string, city: string, extra: Partial<typeof tripPlace.$inferInsert> = {}) => {
    const c = CITY[city]!;
    const id = rng.uuid();
    places.push({ id, tripId, name, kind: 'venue', lat: c.lat + (rng() - 0.5) * 0.02, lon: c.lon + (rng() - 0.5) * 0.02, area: c.area, ...extra });
    return id;
  };
  const hotel = place('Hotel, Jerusalem', 'Jerusalem');
  const oursJerusalem = place('Alliance office, Jerusalem', 'Jerusalem', { kind: 'ours' });
  const oursRamallah = place('Alliance office, Ramallah', 'Ramallah', { kind: 'ours' });
  const eventVenue = place('Evening event venue, Jerusalem', 'Jerusalem');
  const online = rng.uuid();
  places.push({ id: online, tripId, name: 'Online', kind: 'online' });
  const memberCity = (m: Member) => (m.names.place.area === 'East Jerusalem' ? 'East Jerusalem' : m.names.place.city in CITY ? m.names.place.city : null);
  const nearMembers = members.filter((m) => m.status === 'active' && memberCity(m) && m.people.length);
  const officeOf = new Map<string, string>();
  const officeFor = (m: Member) => {
    let id = officeOf.get(m.id);
    if (!id) officeOf.set(m.id, (id = place(`${m.names.en}, ${m.names.place.names[0]}`, memberCity(m)!, { organisationId: m.id })));
    return id;
  };
  for (const ms of missions) officeOf.set(ms.id, place(`Mission ${ms.country}, ${ms.city === 'Jerusalem' ? 'Jerusalem' : 'Tel Aviv'}`, ms.city, { organisationId: ms.id }));

  // travellers: the first two of the regional team keep the regional weekend; the others fly in
  const travellers = users.map((userId, i) => ({
    id: rng.uuid(),
    tripId,
    userId,
    workFrom: i < 2 ? 480 : 540,
    workTo: i < 2 ? 1140 : 1110,
    weekend: i < 2 ? 'fri_sat' : 'sat_sun',
    holidays: i === 0 ? ['jewish'] : i === 1 ? ['muslim'] : ['christian_western'],
    basePlaceId: i < 2 ? oursJerusalem : hotel,
  }));
  const [israeliTraveller, palestinianTraveller, ...abroad] = travellers;

  const wb = nearMembers.filter((m) => m.country === 'PS' && m.names.place.area === 'West Bank');
  const il = nearMembers.filter((m) => m.country === 'IL');
  const palestinianNoPermit = wb[0]!.people[0]!;
  const palestinianWithPermit = wb[1]?.people[0] ?? wb[0]!.people[1]!;
  const israeliCounterpart = il[0]!.people[0]!;

  // access rules
  const rules: (typeof tripAccessRule.$inferInsert)[] = [];
  const permits: (typeof tripPermit.$inferInsert)[] = [];
  for (const area of AREA_A) {
    rules.push({ id: rng.uuid(), tripId, travellerId: israeliTraveller!.id, area, note: 'Israeli citizen: may not enter Area A' });
    rules.push({ id: rng.uuid(), tripId, personId: israeliCounterpart, area, note: 'Israeli citizen: may not enter Area A' });
  }
  rules.push({ id: rng.uuid(), tripId, personId: palestinianNoPermit, area: 'Jerusalem', note: 'No permit for Jerusalem' });
  const permitted = rng.uuid();
  rules.push({ id: permitted, tripId, personId: palestinianWithPermit, area: 'Jerusalem', note: 'Permit for two days' });
  permits.push({ ruleId: permitted, validFrom: dayOf(1), validTo: dayOf(2) });

  // requests
  const requests: (typeof tripRequest.$inferInsert)[] = [];
  const parties: (typeof tripRequestParty.$inferInsert)[] = [];
  const who: (typeof tripRequestTraveller.$inferInsert)[] = [];
  const allowed: (typeof tripRequestPlace.$inferInsert)[] = [];
  const windows: (typeof tripRequestWindow.$inferInsert)[] = [];
  const add = (r: { title: string; minutes: number; priority: number; format?: 'group' | 'one_on_one'; orgs?: string[]; people?: string[]; must: typeof travellers; may?: typeof travellers; places?: string[]; theirs?: boolean; ours?: boolean; online?: boolean; days?: number[]; restricted?: boolean }) => {
    const id = rng.uuid();
    requests.push({ id, tripId, title: r.title, durationMinutes: r.minutes, priority: r.priority, format: r.format ?? 'group', allowTheirOffice: !!r.theirs, allowOurs: !!r.ours, allowOnline: !!r.online, restricted: !!r.restricted, createdBy: cast.rana });
    for (const o of r.orgs ?? []) parties.push({ requestId: id, organisationId: o });
    for (const p of r.people ?? []) parties.push({ requestId: id, personId: p });
    for (const t of r.must) who.push({ requestId: id, travellerId: t.id, must: true });
    for (const t of r.may ?? []) if (!r.must.includes(t)) who.push({ requestId: id, travellerId: t.id, must: false });
    for (const p of r.places ?? []) allowed.push({ requestId: id, placeId: p });
    for (const d of r.days ?? []) windows.push({ requestId: id, startsAt: at(d, rng.pick(['09:00', '10:00', '11:00'])), endsAt: at(d, rng.pick(['15:00', '17:00', '18:00'])) });
  };
  add({ title: 'Group meeting, Jerusalem: Israeli and East Jerusalem members', minutes: 180, priority: 10, orgs: il.slice(0, 6).map((m) => m.id), must: [israeliTraveller!], may: travellers, places: [oursJerusalem], days: [1, 2] });
  add({ title: 'Group meeting, Ramallah: West Bank members', minutes: 180, priority: 10, orgs: wb.slice(0, 6).map((m) => m.id), must: [palestinianTraveller!], may: travellers, places: [oursRamallah], days: [1, 2, 3] });
  add({ title: 'One-on-one: a member without a Jerusalem permit', minutes: 60, priority: 8, format: 'one_on_one', orgs: [wb[0]!.id], people: [palestinianNoPermit], must: [], may: [palestinianTraveller!, ...abroad], places: [oursJerusalem, oursRamallah], theirs: true, days: [0, 1, 2, 3] });
  add({ title: 'One-on-one: a member with a permit for two days', minutes: 60, priority: 7, format: 'one_on_one', people: [palestinianWithPermit], must: [], may: [palestinianTraveller!, ...abroad], places: [oursJerusalem], days: [0, 1, 2, 3, 4] });
  add({ title: 'One-on-one: an Israeli member', minutes: 60, priority: 8, format: 'one_on_one', orgs: [il[0]!.id], people: [israeliCounterpart], must: [], may: travellers, places: [oursRamallah, oursJerusalem], theirs: true, days: [0, 1, 2, 3] });
  for (const [i, f] of foundations.slice(0, 3).entries())
    add({ title: `Partner foundation ${i + 1}: the year's grants`, minutes: 90, priority: 7, orgs: [f], must: [abroad[i % abroad.length]!], may: [palestinianTraveller!], places: [oursJerusalem], online: true, days: [0, 1, 2, 3, 4] });
  const g7 = missions.slice(0, 12);
  for (const ms of g7) add({ title: `G7: ${ms.country} mission after the communiqué`, minutes: 60, priority: rng.int(5, 8), orgs: [ms.id], people: ms.diplomats.slice(0, 1), must: [rng.pick(abroad)], may: abroad, theirs: true, days: rng.sample([0, 1, 2, 3, 4], 3).sort() });
  const oneOnOnes = rng.shuffle(nearMembers.filter((m) => m.people[0] !== palestinianNoPermit && m.people[0] !== palestinianWithPermit && m.people[0] !== israeliCounterpart));
  for (const m of oneOnOnes) {
    if (requests.length >= 40) break;
    const ps = m.country === 'PS';
    add({ title: `One-on-one: ${m.names.en}`, minutes: rng.pick([45, 60, 90]), priority: rng.int(2, 7), format: 'one_on_one', orgs: [m.id], people: [m.people[0]!], must: [], may: ps ? [palestinianTraveller!, ...abroad] : [israeliTraveller!, ...abroad], theirs: true, ours: true, places: [], days: rng.sample([0, 1, 2, 3, 4], rng.int(2, 4)).sort() });
    officeFor(m);
  }
  for (const r of requests) if (r.allowTheirOffice) for (const p of parties.filter((x) => x.requestId === r.id && x.organisationId)) if (!officeOf.has(p.organisationId!)) officeFor(members.find((m) => m.id === p.organisationId) ?? members[0]!);

  await tx.insert(tripPlace).values(places);
  await tx.insert(tripTraveller).values(travellers);
  await tx.insert(tripTravelExtra).values(
    AREA_A.flatMap((a) => [
      { tripId, label: 'Checkpoint', areaA: 'Jerusalem', areaB: a, extraMinutes: 30 },
      { tripId, label: 'Checkpoint, morning rush', areaA: 'Jerusalem', areaB: a, extraMinutes: 90, fromMinute: 420, toMinute: 540 },
      { tripId, label: 'Checkpoint, evening rush', areaA: 'Jerusalem', areaB: a, extraMinutes: 90, fromMinute: 960, toMinute: 1140 },
    ]),
  );
  await tx.insert(tripFixedItem).values({ tripId, title: 'The evening event', placeId: eventVenue, startsAt: at(2, '19:00'), endsAt: at(2, '21:30'), travellerIds: travellers.map((t) => t.id) });
  await tx.insert(tripAccessRule).values(rules);
  await tx.insert(tripPermit).values(permits);
  await tx.insert(tripRequest).values(requests);
  if (parties.length) await tx.insert(tripRequestParty).values(parties);
  await tx.insert(tripRequestTraveller).values(who);
  if (allowed.length) await tx.insert(tripRequestPlace).values(allowed);
  if (windows.length) await tx.insert(tripRequestWindow).values(windows);
  return { tripId, requests: requests.length };
}
