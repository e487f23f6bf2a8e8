// Generated trips for the solver's tests and bench (bench/trips.ts): seeded, so every case can be reproduced.
import type { Interval, PlanningProblem, PlanningRequest, TravelTime } from './model.ts';
import { below, seeded } from './random.ts';

export interface GenerateOptions {
  seed: number;
  travellers: number;
  days: number;
  requests: number;
  /** Venues besides the base (place 0). */
  venues: number;
  /** Travel a multiple of 15 minutes and the same at every hour (what the MILP's grid is exact for). */
  constantTravel?: boolean;
  bufferMinutes?: number;
  /** Fixed items, pinned items and an online place (the property tests; the MILP models none of them). */
  extras?: boolean;
}

/**
 * Travel from coordinates on a grid: 15 minutes per step of the L1 distance, a metric (no detour is ever shorter);
 * with rush hours, +30 min at 7–9 and 16–19 between the two areas.
 */
export function gridTravel(xy: Array<[number, number]>, area: number[], rushHours: boolean): TravelTime {
  return (a, b, at) => {
    if (a === b) return 0;
    const [xa, ya] = xy[a]!;
    const [xb, yb] = xy[b]!;
    const base = 15 * (Math.abs(xa - xb) + Math.abs(ya - yb));
    if (!rushHours || area[a] === area[b]) return base;
    const h = (((at % 1440) + 1440) % 1440) / 60;
    return base + ((h >= 7 && h < 9) || (h >= 16 && h < 19) ? 30 : 0);
  };
}

export function generateTrip(o: GenerateOptions): PlanningProblem {
  const random = seeded(o.seed);
  const places = [{ id: 'base' }, ...Array.from({ length: o.venues }, (_, i) => ({ id: `venue-${i + 1}` }))];
  const xy: Array<[number, number]> = places.map((_, i) => (i === 0 ? [2, 2] : [below(random, 5), below(random, 5)]));
  const area = xy.map(([x]) => (x < 2 ? 0 : 1));
  if (o.extras) places.push({ id: 'online', online: true } as { id: string; online?: boolean });
  const travel = gridTravel(xy.concat(o.extras ? [[0, 0]] : []), area.concat(o.extras ? [0] : []), !o.constantTravel);
  const travellerIds = Array.from({ length: o.travellers }, (_, i) => `t${i + 1}`);
  const travellers = travellerIds.map((id) => ({
    id,
    bufferMinutes: o.bufferMinutes ?? 0,
    days: Array.from({ length: o.days }, (_, d) => {
      const startHour = 8 + below(random, 2);
      return { day: d, window: { start: d * 1440 + startHour * 60, end: d * 1440 + (16 + below(random, 3)) * 60 }, startPlace: 0, endPlace: 0 };
    }),
  }));
  const requests: PlanningRequest[] = [];
  for (let i = 0; i < o.requests; i++) {
    const duration = [30, 45, 60, 90][below(random, 4)]!;
    const shuffled = [...travellerIds].sort(() => random() - 0.5);
    const nMust = random() < 0.25 ? 0 : random() < 0.8 ? 1 : 2;
    const mustAttend = shuffled.slice(0, Math.min(nMust, travellerIds.length));
    const mayAttend = shuffled.slice(mustAttend.length).filter(() => random() < 0.6);
    const pool = mustAttend.length + mayAttend.length;
    if (pool === 0) mayAttend.push(shuffled[0]!);
    const minTravellers = Math.max(1, mustAttend.length);
    const maxTravellers = random() < 0.5 ? minTravellers : Math.max(minTravellers, mustAttend.length + mayAttend.length);
    const nOptions = 1 + below(random, 2);
    const options = Array.from({ length: nOptions }, () => {
      const windows: Interval[] = [];
      const day = below(random, o.days);
      const start = day * 1440 + (8 + below(random, 7)) * 60 + 15 * below(random, 4);
      windows.push({ start, end: Math.min(start + duration + 15 * (2 + below(random, 14)), day * 1440 + 19 * 60) });
      if (o.days > 1 && random() < 0.3) {
        const d2 = (day + 1) % o.days;
        const s2 = d2 * 1440 + (9 + below(random, 6)) * 60;
        windows.push({ start: s2, end: s2 + duration + 15 * (1 + below(random, 8)) });
        windows.sort((a, b) => a.start - b.start);
      }
      // access rules: now and then one traveller who is not a must-attendee may not reach the place
      const barred = random() < 0.3 ? shuffled.find((t) => !mustAttend.includes(t)) : undefined;
      const place = o.extras && random() < 0.1 ? places.length - 1 : 1 + below(random, o.venues);
      return { place, windows, travellerIds: travellerIds.filter((t) => t !== barred) };
    });
    requests.push({ id: `r${i + 1}`, priority: 1 + below(random, 5), durationMinutes: duration, mustAttend, mayAttend, minTravellers, maxTravellers, options });
  }
  const fixed = o.extras
    ? [{ id: 'f1', travellerIds: [travellerIds[0]!], place: 1 + below(random, o.venues), interval: { start: 12 * 60, end: 13 * 60 } }]
    : [];
  return { places, travel, travellers, fixed, requests, pinned: [], seed: o.seed };
}
