// Generated trips as records (what staff enter), planned through the real builder (trips.builder.ts): the hard cases
// of the exact comparison (planner.milp.test.ts). Areas and access rules (an Israeli traveller barred from Area A,
// West Bank counterparts barred from Jerusalem), permits that lift a rule on one day only, requests that compete for
// the same narrow window of the same traveller, several windows, several venues, group meetings with must and may
// attendees, buffers. Travel is set per pair (overrides, a multiple of 15 minutes, no time-of-day extra), which is
// what the exact model's grid is exact for. Seeded: every case can be reproduced.
import { buildProblem, type TripRecords } from '../trips.builder.ts';
import { addDays, toInstant } from '../trips.time.ts';
import type { PlanningProblem } from './model.ts';
import { below, seeded } from './random.ts';

export interface RecordsOptions {
  seed: number;
  requests: number;
  days: number;
  /** Venues besides the hotel (default 3). */
  venues?: number;
  travellers?: number;
}

const AREAS = ['Jerusalem', 'Tel Aviv', 'Ramallah – Area A'] as const;

export function generateTripRecords(o: RecordsOptions): TripRecords {
  const random = seeded(o.seed * 7919 + 17);
  const zone = 'Asia/Jerusalem';
  const startsOn = '2026-07-06'; // a Monday
  const endsOn = addDays(startsOn, o.days - 1);
  const at = (minute: number) => toInstant(minute, zone, startsOn);
  const nVenues = o.venues ?? 3;
  const nTravellers = o.travellers ?? 3;
  const places: TripRecords['places'] = [{ id: 'hotel', name: 'Hotel', kind: 'ours', lat: null, lon: null, area: 'Jerusalem', organisationId: null }];
  const xy: Array<[number, number]> = [[2, 2]];
  for (let i = 0; i < nVenues; i++) {
    const area = AREAS[i % AREAS.length]!;
    // Jerusalem near the hotel, Tel Aviv west, Ramallah north
    const [x, y] = area === 'Jerusalem' ? [1 + below(random, 3), 1 + below(random, 3)] : area === 'Tel Aviv' ? [below(random, 2), below(random, 4)] : [2 + below(random, 3), 4 + below(random, 2)];
    places.push({ id: `venue-${i + 1}`, name: `Venue ${i + 1}`, kind: 'venue', lat: null, lon: null, area, organisationId: null });
    xy.push([x, y]);
  }
  // every pair: 15 minutes per step of the L1 distance (at least 15), both ways
  const overrides: TripRecords['overrides'] = [];
  for (let a = 0; a < places.length; a++)
    for (let b = a + 1; b < places.length; b++) {
      const steps = Math.abs(xy[a]![0] - xy[b]![0]) + Math.abs(xy[a]![1] - xy[b]![1]);
      overrides.push({ fromPlaceId: places[a]!.id, toPlaceId: places[b]!.id, mode: 'car', minutes: 15 * Math.max(1, steps), symmetric: true });
    }
  const travellers: TripRecords['travellers'] = Array.from({ length: nTravellers }, (_, k) => ({
    id: `t${k + 1}`,
    // now and then two travellers with the same hours (identical travellers: the symmetry the exact model breaks)
    workFrom: (8 + (random() < 0.5 ? 0 : 1)) * 60,
    workTo: (16 + below(random, 3)) * 60,
    weekend: 'none' as const,
    holidays: [],
    basePlaceId: 'hotel',
    nights: {},
  }));
  // access rules: t1 is an Israeli citizen (no Area A); counterparts c1, c2 from the West Bank (no Jerusalem), c2
  // holding a permit for the second day only (or the first, on one-day trips: the rule then never bites)
  const rules: TripRecords['rules'] = [
    { subjectId: 't1', area: 'Ramallah – Area A', permits: [] },
    { subjectId: 'c1', area: 'Jerusalem', permits: [] },
    { subjectId: 'c2', area: 'Jerusalem', permits: [{ validFrom: addDays(startsOn, Math.min(1, o.days - 1)), validTo: addDays(startsOn, Math.min(1, o.days - 1)) }] },
  ];
  if (random() < 0.5) rules.push({ subjectId: 't2', area: 'Ramallah – Area A', permits: [{ validFrom: startsOn, validTo: startsOn }] });
  const requests: TripRecords['requests'] = [];
  // a narrow slot several requests of the same traveller compete for
  const hotDay = below(random, o.days);
  const hot = hotDay * 1440 + (10 + below(random, 4)) * 60;
  const hotTraveller = `t${1 + below(random, nTravellers)}`;
  for (let i = 0; i < o.requests; i++) {
    const duration = [30, 45, 60, 90][below(random, 4)]!;
    const ids = travellers.map((t) => t.id).sort(() => random() - 0.5);
    const competing = i < 3;
    const nMust = competing ? 1 : random() < 0.2 ? 0 : random() < 0.8 ? 1 : 2;
    const must = competing ? [hotTraveller] : ids.slice(0, nMust);
    const may = ids.filter((t) => !must.includes(t) && random() < 0.5);
    if (must.length + may.length === 0) may.push(ids[0]!);
    const group = must.length > 1 || random() < 0.4;
    const windows: Array<{ startsAt: Date; endsAt: Date }> = [];
    if (competing) windows.push({ startsAt: at(hot), endsAt: at(hot + duration + 15 * below(random, 3)) });
    else {
      const day = below(random, o.days);
      const s = day * 1440 + (8 + below(random, 8)) * 60 + 15 * below(random, 4);
      windows.push({ startsAt: at(s), endsAt: at(Math.min(s + duration + 15 * (1 + below(random, 12)), day * 1440 + 19 * 60)) });
      if (o.days > 1 && random() < 0.3) {
        const d2 = (day + 1) % o.days;
        const s2 = d2 * 1440 + (9 + below(random, 6)) * 60;
        windows.push({ startsAt: at(s2), endsAt: at(s2 + duration + 15 * (1 + below(random, 8))) });
      }
    }
    // with whom: now and then a counterpart under an access rule
    const roll = random();
    const personIds = roll < 0.25 ? ['c1'] : roll < 0.5 ? ['c2'] : ['c3'];
    const nPlaces = 1 + below(random, 2);
    const placeIds = [...new Set(Array.from({ length: nPlaces }, () => `venue-${1 + below(random, nVenues)}`))];
    requests.push({
      id: `r${i + 1}`,
      durationMinutes: duration,
      priority: 1 + below(random, 5),
      format: group ? 'group' : 'one_on_one',
      allowTheirOffice: false,
      allowOurs: random() < 0.2,
      allowOnline: false,
      counterpartWeekend: 'none',
      organisationIds: [],
      personIds,
      travellers: [...must.map((t) => ({ travellerId: t, must: true })), ...may.map((t) => ({ travellerId: t, must: false }))],
      placeIds,
      windows,
    });
  }
  return {
    startsOn,
    endsOn,
    timeZone: zone,
    carKmh: 40,
    footKmh: 4.5,
    bufferMinutes: o.seed % 3 === 0 ? 15 : 0,
    places,
    travellers,
    requests,
    fixed: [],
    rules,
    overrides,
    extras: [],
    pins: [],
  };
}

/** A generated trip's records through the builder: the problem both the planner and the exact model see. */
export function generateHardTrip(o: RecordsOptions): PlanningProblem {
  return buildProblem(generateTripRecords(o), { seed: o.seed }).problem;
}
