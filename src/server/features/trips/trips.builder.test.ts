import { describe, expect, it } from 'vitest';
import { buildProblem, haversineKm, intersect, mayReach, travelExtra, travelFunction, type PlaceRecord, type TripRecords } from './trips.builder.ts';
import { holidaysBetween, islamicDate, orthodoxEaster, westernEaster, daysOff } from './trips.calendars.ts';
import { planTrip } from './trips.plan.ts';
import { toInstant, toMinute } from './trips.time.ts';

// The builder's hard parts (issue 14 items 3–5): reachability with permits, the checkpoint extras, the calendars,
// wall-clock minutes across a clock change, and the reasons it already knows.

const place = (id: string, area: string | null, lat: number | null = 31.77, lon: number | null = 35.21, kind: PlaceRecord['kind'] = 'venue'): PlaceRecord => ({
  id,
  name: id,
  kind,
  lat,
  lon,
  area,
  organisationId: null,
});
const jerusalem = place('jlm', 'Jerusalem', 31.778, 35.235);
const ramallah = place('rml', 'Ramallah – Area A', 31.9038, 35.2034);
const telAviv = place('tlv', 'Tel Aviv', 32.0853, 34.7818);
const online = place('online', null, null, null, 'online');

// Monday 29 June – Sunday 5 July 2026, Asia/Jerusalem
const base = (over: Partial<TripRecords> = {}): TripRecords => ({
  startsOn: '2026-06-29',
  endsOn: '2026-07-05',
  timeZone: 'Asia/Jerusalem',
  carKmh: 40,
  footKmh: 4.5,
  bufferMinutes: 15,
  places: [jerusalem, ramallah, telAviv, online],
  travellers: [{ id: 'T1', workFrom: 540, workTo: 1140, weekend: 'fri_sat', holidays: [], basePlaceId: 'jlm', nights: {} }],
  requests: [],
  fixed: [],
  rules: [],
  overrides: [],
  extras: [],
  pins: [],
  ...over,
});
const at = (local: string) => toInstant(toMinuteOfLocal(local), 'Asia/Jerusalem', '2026-06-29');
/** "2026-07-01T10:00" → minutes from the epoch */
function toMinuteOfLocal(s: string) {
  const day = Math.round((Date.parse(`${s.slice(0, 10)}T00:00:00Z`) - Date.parse('2026-06-29T00:00:00Z')) / 86_400_000);
  return day * 1440 + Number(s.slice(11, 13)) * 60 + Number(s.slice(14, 16));
}

describe('reachability: areas, rules and permits', () => {
  const rules = [{ subjectId: 'P', area: 'Jerusalem', permits: [{ validFrom: '2026-07-02', validTo: '2026-07-03' }] }];
  it('a rule keeps the person out of the area except on the days of a permit (inclusive)', () => {
    expect(mayReach(rules, 'P', jerusalem, '2026-07-01')).toBe(false);
    expect(mayReach(rules, 'P', jerusalem, '2026-07-02')).toBe(true);
    expect(mayReach(rules, 'P', jerusalem, '2026-07-03')).toBe(true);
    expect(mayReach(rules, 'P', jerusalem, '2026-07-04')).toBe(false);
  });
  it('other areas, other people, online places and places without an area are not affected', () => {
    expect(mayReach(rules, 'P', ramallah, '2026-07-01')).toBe(true);
    expect(mayReach(rules, 'Q', jerusalem, '2026-07-01')).toBe(true);
    expect(mayReach(rules, 'P', { ...jerusalem, kind: 'online' }, '2026-07-01')).toBe(true);
    expect(mayReach(rules, 'P', { ...jerusalem, area: null }, '2026-07-01')).toBe(true);
  });
  it('two rules on the same area: both must be lifted', () => {
    const two = [...rules, { subjectId: 'P', area: 'Jerusalem', permits: [] }];
    expect(mayReach(two, 'P', jerusalem, '2026-07-02')).toBe(false);
  });

  it('a request with a counterpart barred from Jerusalem gets options in Jerusalem only on the permit days', () => {
    const built = buildProblem(
      base({
        rules,
        requests: [
          {
            id: 'R',
            durationMinutes: 60,
            priority: 5,
            format: 'group',
            allowTheirOffice: false,
            allowOurs: false,
            allowOnline: false,
            counterpartWeekend: 'none',
            organisationIds: [],
            personIds: ['P'],
            travellers: [{ travellerId: 'T1', must: true }],
            placeIds: ['jlm', 'rml'],
            windows: [],
          },
        ],
      }),
    );
    const r = built.problem.requests[0]!;
    const covered = (place: number) =>
      r.options.filter((o) => o.place === place).flatMap((o) => o.windows.flatMap((w) => Array.from({ length: Math.ceil(w.end / 1440) - Math.floor(w.start / 1440) }, (_, i) => Math.floor(w.start / 1440) + i)));
    const jlmDays = covered(0);
    expect(jlmDays).toEqual([3, 4]); // 2 and 3 July
    const rmlDays = covered(1);
    expect(rmlDays).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('an Israeli traveller who must attend and may not enter Area A leaves Ramallah out; with nowhere else, the reason names them and the day', () => {
    const built = buildProblem(
      base({
        rules: [{ subjectId: 'T1', area: 'Ramallah – Area A', permits: [] }],
        requests: [
          {
            id: 'R',
            durationMinutes: 60,
            priority: 5,
            format: 'group',
            allowTheirOffice: false,
            allowOurs: false,
            allowOnline: false,
            counterpartWeekend: 'none',
            organisationIds: [],
            personIds: [],
            travellers: [{ travellerId: 'T1', must: true }],
            placeIds: ['rml'],
            windows: [{ startsAt: at('2026-07-01T10:00'), endsAt: at('2026-07-01T12:00') }],
          },
        ],
      }),
    );
    expect(built.problem.requests[0]!.options).toEqual([]);
    expect(built.problem.excluded!.R).toContainEqual({ kind: 'no_reachable_venue', personId: 'T1', day: 0 });
    const { plan } = planTrip(built.problem);
    expect(plan.items).toEqual([]);
    expect(plan.unplanned).toEqual([{ requestId: 'R', reasons: built.problem.excluded!.R }]);
  });
});

describe('travel: coordinates, overrides, checkpoint extras', () => {
  it('haversine: Jerusalem – Tel Aviv is about 54 km in a straight line', () => {
    expect(haversineKm(31.778, 35.235, 32.0853, 34.7818)).toBeGreaterThan(50);
    expect(haversineKm(31.778, 35.235, 32.0853, 34.7818)).toBeLessThan(58);
  });
  const extras = [
    { areaA: 'Jerusalem', areaB: 'Ramallah – Area A', extraMinutes: 30, fromMinute: null, toMinute: null },
    { areaA: 'Jerusalem', areaB: 'Ramallah – Area A', extraMinutes: 90, fromMinute: 7 * 60, toMinute: 9 * 60 },
    { areaA: 'Jerusalem', areaB: 'Ramallah – Area A', extraMinutes: 90, fromMinute: 16 * 60, toMinute: 19 * 60 },
  ];
  it('a checkpoint adds 30 minutes, 90 at 7–9 and 16–19, both ways, never within one area', () => {
    expect(travelExtra(extras, 'Jerusalem', 'Ramallah – Area A', 12 * 60)).toBe(30);
    expect(travelExtra(extras, 'Ramallah – Area A', 'Jerusalem', 7 * 60)).toBe(90);
    expect(travelExtra(extras, 'Jerusalem', 'Ramallah – Area A', 8 * 60 + 59)).toBe(90);
    expect(travelExtra(extras, 'Jerusalem', 'Ramallah – Area A', 9 * 60)).toBe(30);
    expect(travelExtra(extras, 'Jerusalem', 'Ramallah – Area A', 18 * 60 + 30)).toBe(90);
    expect(travelExtra(extras, 'Jerusalem', 'Ramallah – Area A', 19 * 60)).toBe(30);
    expect(travelExtra(extras, 'Jerusalem', 'Tel Aviv', 8 * 60)).toBe(0);
    expect(travelExtra(extras, 'Jerusalem', 'Jerusalem', 8 * 60)).toBe(0);
  });
  it('the travel function adds the extra for the time of day of departure, on every day of the trip', () => {
    const places = [jerusalem, ramallah, telAviv, online];
    const travel = travelFunction({ carKmh: 40, footKmh: 4.5, overrides: [], extras }, places);
    const noon = travel(0, 1, 12 * 60);
    const rush = travel(0, 1, 2 * 1440 + 8 * 60);
    expect(rush - noon).toBe(60);
    expect(travel(1, 0, 3 * 1440 + 17 * 60)).toBe(noon + 60);
    expect(travel(0, 0, 8 * 60)).toBe(0);
    expect(travel(0, 3, 8 * 60)).toBe(0); // online
  });
  it('an override replaces the computed time for its mode, both ways when symmetric; the faster of car and foot wins', () => {
    const places = [jerusalem, ramallah, telAviv];
    const travel = travelFunction({ carKmh: 40, footKmh: 4.5, overrides: [{ fromPlaceId: 'jlm', toPlaceId: 'tlv', mode: 'car', minutes: 55, symmetric: true }], extras: [] }, places);
    expect(travel(0, 2, 600)).toBe(55);
    expect(travel(2, 0, 600)).toBe(55);
    const near = [jerusalem, { ...jerusalem, id: 'jlm2', lat: 31.779 }];
    const walk = travelFunction({ carKmh: 40, footKmh: 4.5, overrides: [{ fromPlaceId: 'jlm', toPlaceId: 'jlm2', mode: 'car', minutes: 20, symmetric: true }], extras: [] }, near);
    expect(walk(0, 1, 600)).toBeLessThan(20); // 145 m on foot
  });
  it('a place with neither coordinates nor travel times is an error naming it', () => {
    const nowhere = place('x', 'Tel Aviv', null, null);
    expect(() => buildProblem(base({ places: [jerusalem, nowhere] }))).toThrowError(expect.objectContaining({ errors: [expect.objectContaining({ field: 'places.x.lat' })] }));
    // with a travel time set it is fine, and unknown pairs are unreachable
    const built = buildProblem(base({ places: [jerusalem, nowhere, telAviv], overrides: [{ fromPlaceId: 'jlm', toPlaceId: 'x', mode: 'car', minutes: 40, symmetric: true }] }));
    expect(built.problem.travel(0, 1, 600)).toBe(40);
    expect(built.problem.travel(2, 1, 600)).toBe(Infinity);
  });
});

describe('calendars', () => {
  it('Easter, Western and Orthodox, computed', () => {
    expect(westernEaster(2024)).toBe('2024-03-31');
    expect(westernEaster(2026)).toBe('2026-04-05');
    expect(orthodoxEaster(2024)).toBe('2024-05-05');
    expect(orthodoxEaster(2026)).toBe('2026-04-12');
    expect(westernEaster(2025)).toBe(orthodoxEaster(2025)); // 20 April 2025, the same day
  });
  it('Jewish holidays in Israel from hebcal (one day of Shavuot), Muslim ones from the umalqura calendar', () => {
    const h = holidaysBetween('2026-05-15', '2026-06-01');
    expect(h.filter((x) => x.calendar === 'jewish' && x.dayOff).map((x) => x.date)).toEqual(['2026-05-22']);
    expect(h.find((x) => x.key === 'shavuot')?.names?.he).toMatch(/שָׁבוּעוֹת/);
    expect(h.filter((x) => x.key === 'eid_al_adha').map((x) => x.date)[0]).toBe('2026-05-27');
    expect(islamicDate('2026-03-20')).toEqual({ month: 10, day: 1 }); // Eid al-Fitr 1447
  });
  it('a traveller keeps only the calendars they keep; weekends are per person', () => {
    const h = holidaysBetween('2026-09-20', '2026-09-22');
    expect(daysOff(h, ['jewish']).has('2026-09-21')).toBe(true); // Yom Kippur
    expect(daysOff(h, ['muslim']).has('2026-09-21')).toBe(false);
    const built = buildProblem(
      base({
        startsOn: '2026-09-17',
        endsOn: '2026-09-23',
        travellers: [
          { id: 'A', workFrom: 540, workTo: 1080, weekend: 'fri_sat', holidays: ['jewish'], basePlaceId: 'jlm', nights: {} },
          { id: 'B', workFrom: 540, workTo: 1080, weekend: 'sat_sun', holidays: [], basePlaceId: 'jlm', nights: {} },
        ],
      }),
    );
    // 17 Thu … 23 Wed; A: no Fri 18, Sat 19, Mon 21 (Yom Kippur); B: no Sat 19, Sun 20
    expect(built.problem.travellers[0]!.days.map((d) => d.day)).toEqual([0, 3, 5, 6]);
    expect(built.problem.travellers[1]!.days.map((d) => d.day)).toEqual([0, 1, 4, 5, 6]);
    expect(built.problem.travellers[0]!.days[0]!.window).toEqual({ start: 540, end: 1080 });
  });
});

describe('time, windows and bases', () => {
  it('minutes are wall-clock from the first day, across the autumn clock change in Jerusalem', () => {
    // Israel leaves summer time on Sunday 25 October 2026 at 02:00
    const epoch = '2026-10-24';
    const after = new Date('2026-10-25T08:00:00Z'); // 10:00 local (UTC+2)
    expect(toMinute(after, 'Asia/Jerusalem', epoch)).toBe(1440 + 600);
    expect(toInstant(1440 + 600, 'Asia/Jerusalem', epoch).toISOString()).toBe(after.toISOString());
    expect(toInstant(600, 'Asia/Jerusalem', epoch).toISOString()).toBe('2026-10-24T07:00:00.000Z');
  });
  it('intersects sorted intervals', () => {
    expect(intersect([{ start: 0, end: 10 }, { start: 20, end: 30 }], [{ start: 5, end: 25 }])).toEqual([
      { start: 5, end: 10 },
      { start: 20, end: 25 },
    ]);
  });
  it("a day starts at the night before's base and ends at that night's; the counterpart's weekend and a window too short say why", () => {
    const built = buildProblem(
      base({
        travellers: [{ id: 'T1', workFrom: 540, workTo: 1140, weekend: 'none', holidays: [], basePlaceId: 'jlm', nights: { '2026-06-30': 'rml' } }],
        requests: [
          { id: 'W', durationMinutes: 60, priority: 1, format: 'one_on_one', allowTheirOffice: false, allowOurs: false, allowOnline: true, counterpartWeekend: 'fri_sat', organisationIds: [], personIds: [], travellers: [{ travellerId: 'T1', must: false }], placeIds: [], windows: [{ startsAt: at('2026-07-03T10:00'), endsAt: at('2026-07-04T18:00') }] },
          { id: 'S', durationMinutes: 90, priority: 1, format: 'one_on_one', allowTheirOffice: false, allowOurs: false, allowOnline: true, counterpartWeekend: 'none', organisationIds: [], personIds: [], travellers: [{ travellerId: 'T1', must: false }], placeIds: [], windows: [{ startsAt: at('2026-07-01T10:00'), endsAt: at('2026-07-01T11:00') }] },
        ],
      }),
    );
    const days = built.problem.travellers[0]!.days;
    expect(days[1]).toMatchObject({ day: 1, startPlace: 0, endPlace: 1 });
    expect(days[2]).toMatchObject({ day: 2, startPlace: 1, endPlace: 0 });
    expect(built.problem.excluded!.W).toEqual([{ kind: 'no_common_availability' }]);
    expect(built.problem.excluded!.S).toEqual([{ kind: 'duration_exceeds_windows' }]);
  });
});

describe('the planner on the model', () => {
  it('holds requests by priority, with travel and buffers between them, keeps pins', () => {
    const req = (id: string, priority: number, placeIds: string[]) => ({
      id,
      durationMinutes: 120,
      priority,
      format: 'group' as const,
      allowTheirOffice: false,
      allowOurs: false,
      allowOnline: false,
      counterpartWeekend: 'none' as const,
      organisationIds: [],
      personIds: [],
      travellers: [{ travellerId: 'T1', must: true }],
      placeIds,
      windows: [{ startsAt: at('2026-06-29T09:00'), endsAt: at('2026-06-29T14:00') }],
    });
    const records = base({ requests: [req('low', 1, ['tlv']), req('high', 9, ['jlm']), req('pinned', 2, ['rml'])], pins: [{ requestId: 'pinned', placeId: 'rml', startsAt: at('2026-06-29T12:00'), travellerIds: ['T1'] }] });
    const { plan } = planTrip(buildProblem(records).problem);
    expect(plan.items.map((i) => [i.requestId, i.pinned])).toEqual([
      ['high', false],
      ['pinned', true],
    ]);
    const [high, pinned] = plan.items;
    expect(pinned!.start).toBe(720);
    // within its window, and over in time to travel to the pinned meeting (the planner may start later to idle less)
    expect(high!.start).toBeGreaterThanOrEqual(540);
    const toPinned = plan.legs.find((l) => l.from === high!.place && l.to === pinned!.place)!;
    expect(toPinned.depart).toBeGreaterThanOrEqual(high!.end);
    expect(toPinned.arrive).toBeLessThanOrEqual(720);
    // the low one fits neither before the high one nor beside the pinned one: a reason naming either
    expect(plan.unplanned.map((u) => u.requestId)).toEqual(['low']);
    expect(plan.unplanned[0]!.reasons.map((r) => r.kind)).toEqual([expect.stringMatching(/^(displaced_by|pinned_conflict)$/)]);
    expect(plan.legs.some((l) => l.from === 0 && l.to === 1)).toBe(true);
  });
});
