import { AppError } from '../../core/errors.ts';
import type { FixedItem, Interval, PlanningPlace, PlanningProblem, PlanningRequest, PlanningTraveller, PreviousPlacement, RequestOption, TravelTime, UnplannedReason } from './solver/model.ts';
import { daysOff, holidaysBetween, type Holiday } from './trips.calendars.ts';
import { addDays, daysBetween, toMinute, weekday } from './trips.time.ts';

// The builder (issue 14, docs/trips.md "## The records"): a trip's records → the solver's PlanningProblem
// (solver/model.ts). Pure: the service loads the records (trips.service.ts); nothing here reads the database.
// Every rule that does not depend on the solver's choices is resolved here: travel times (coordinates, overrides,
// time-of-day extras), who may reach which place on which day (areas, rules, permits), the counterparts' windows
// minus their weekend, the travellers' working hours minus weekends and the holidays they keep.

export interface PlaceRecord {
  id: string;
  name: string;
  kind: 'venue' | 'ours' | 'online';
  lat: number | null;
  lon: number | null;
  area: string | null;
  organisationId: string | null;
}
export interface TravellerRecord {
  id: string;
  workFrom: number;
  workTo: number;
  weekend: 'fri_sat' | 'sat_sun' | 'none';
  holidays: string[];
  basePlaceId: string | null;
  /** night (local date) → place id */
  nights: Record<string, string>;
}
export interface RequestRecord {
  id: string;
  durationMinutes: number;
  priority: number;
  format: 'one_on_one' | 'group';
  allowTheirOffice: boolean;
  allowOurs: boolean;
  allowOnline: boolean;
  counterpartWeekend: 'fri_sat' | 'sat_sun' | 'none';
  organisationIds: string[];
  personIds: string[];
  travellers: Array<{ travellerId: string; must: boolean }>;
  placeIds: string[];
  windows: Array<{ startsAt: Date; endsAt: Date }>;
}
export interface AccessRuleRecord {
  /** a traveller id or a Network person id */
  subjectId: string;
  area: string;
  permits: Array<{ validFrom: string; validTo: string }>;
}
export interface TravelOverrideRecord {
  fromPlaceId: string;
  toPlaceId: string;
  mode: 'car' | 'foot';
  minutes: number;
  symmetric: boolean;
}
export interface TravelExtraRecord {
  areaA: string;
  areaB: string;
  extraMinutes: number;
  fromMinute: number | null;
  toMinute: number | null;
}
export interface TripRecords {
  startsOn: string;
  endsOn: string;
  timeZone: string;
  carKmh: number;
  footKmh: number;
  bufferMinutes: number;
  places: PlaceRecord[];
  travellers: TravellerRecord[];
  requests: RequestRecord[];
  fixed: Array<{ id: string; placeId: string; startsAt: Date; endsAt: Date; travellerIds: string[] }>;
  rules: AccessRuleRecord[];
  overrides: TravelOverrideRecord[];
  extras: TravelExtraRecord[];
  pins: Array<{ requestId: string; placeId: string; startsAt: Date; travellerIds: string[] }>;
  previous?: Array<{ requestId: string; placeId: string; startsAt: Date; travellerIds: string[] }>;
  /** durations in minutes between places by car from a routing engine (OSRM), place id → place id → minutes */
  roadMinutes?: Record<string, Record<string, number>>;
}

export interface BuiltProblem {
  problem: PlanningProblem;
  /** place index → place id */
  placeIds: string[];
  holidays: Holiday[];
  days: string[];
}

/** Straight-line distance in km between two coordinates (haversine). */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const R = 6371.0088;
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Roads are not straight: the distance travelled is the straight line times this. */
export const DETOUR_FACTOR = 1.3;

/** The extra minutes for leaving an area for another at a time of day: the largest extra that applies. */
export function travelExtra(extras: TravelExtraRecord[], fromArea: string | null, toArea: string | null, minuteOfDay: number): number {
  if (!fromArea || !toArea || fromArea === toArea) return 0;
  let best = 0;
  for (const x of extras) {
    const pair = (x.areaA === fromArea && x.areaB === toArea) || (x.areaA === toArea && x.areaB === fromArea);
    if (!pair) continue;
    const inHours = x.fromMinute == null || x.toMinute == null || (minuteOfDay >= x.fromMinute && minuteOfDay < x.toMinute);
    if (inHours && x.extraMinutes > best) best = x.extraMinutes;
  }
  return best;
}

/**
 * Door-to-door minutes between places (indices into `places`), the faster of car and foot, each from the routing
 * engine's road time, else an override, else the coordinates; plus the time-of-day extra. Infinity when neither
 * an override nor coordinates say how long. Memoised per (from, to, quarter hour of departure).
 */
export function travelFunction(records: Pick<TripRecords, 'carKmh' | 'footKmh' | 'overrides' | 'extras' | 'roadMinutes'>, places: PlaceRecord[]): TravelTime {
  const index = new Map(places.map((p, i) => [p.id, i]));
  const override = new Map<string, number>();
  for (const o of records.overrides) {
    const a = index.get(o.fromPlaceId);
    const b = index.get(o.toPlaceId);
    if (a === undefined || b === undefined) continue;
    override.set(`${o.mode}:${a}:${b}`, o.minutes);
    if (o.symmetric && !override.has(`${o.mode}:${b}:${a}`)) override.set(`${o.mode}:${b}:${a}`, o.minutes);
  }
  const base = new Map<string, number>();
  const baseMinutes = (a: number, b: number): number => {
    const key = `${a}:${b}`;
    const known = base.get(key);
    if (known !== undefined) return known;
    const pa = places[a]!;
    const pb = places[b]!;
    const km = pa.lat != null && pa.lon != null && pb.lat != null && pb.lon != null ? haversineKm(pa.lat, pa.lon, pb.lat, pb.lon) * DETOUR_FACTOR : null;
    const road = records.roadMinutes?.[pa.id]?.[pb.id];
    const car = override.get(`car:${a}:${b}`) ?? road ?? (km == null ? Infinity : Math.ceil((km / records.carKmh) * 60));
    const foot = override.get(`foot:${a}:${b}`) ?? (km == null ? Infinity : Math.ceil((km / records.footKmh) * 60));
    const m = Math.min(car, foot);
    base.set(key, m);
    return m;
  };
  return (from, to, departAt) => {
    if (from === to) return 0;
    if (places[from]!.kind === 'online' || places[to]!.kind === 'online') return 0;
    const m = baseMinutes(from, to);
    if (!Number.isFinite(m)) return Infinity;
    const minuteOfDay = ((departAt % 1440) + 1440) % 1440;
    return m + travelExtra(records.extras, places[from]!.area, places[to]!.area, minuteOfDay);
  };
}

/**
 * Whether a person may be at a place on a local date: online places and places without an area always; otherwise
 * unless one of their rules names the area and no permit of that rule covers the date.
 */
export function mayReach(rules: AccessRuleRecord[], subjectId: string, place: PlaceRecord, date: string): boolean {
  if (place.kind === 'online' || !place.area) return true;
  for (const r of rules) {
    if (r.subjectId !== subjectId || r.area !== place.area) continue;
    if (!r.permits.some((p) => p.validFrom <= date && date <= p.validTo)) return false;
  }
  return true;
}

export function isWeekend(weekend: 'fri_sat' | 'sat_sun' | 'none', date: string): boolean {
  const w = weekday(date);
  if (weekend === 'fri_sat') return w === 5 || w === 6;
  if (weekend === 'sat_sun') return w === 6 || w === 0;
  return false;
}

/** Intersection of two sorted lists of disjoint intervals. */
export function intersect(a: Interval[], b: Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const s = Math.max(a[i]!.start, b[j]!.start);
    const e = Math.min(a[i]!.end, b[j]!.end);
    if (e > s) out.push({ start: s, end: e });
    if (a[i]!.end < b[j]!.end) i++;
    else j++;
  }
  return out;
}

function normalise(list: Interval[]): Interval[] {
  const sorted = [...list].filter((x) => x.end > x.start).sort((x, y) => x.start - y.start);
  const out: Interval[] = [];
  for (const x of sorted) {
    const last = out[out.length - 1];
    if (last && x.start <= last.end) last.end = Math.max(last.end, x.end);
    else out.push({ ...x });
  }
  return out;
}

const fieldError = (field: string, detail: string) => new AppError('unprocessable', 'trip_not_plannable', 'The trip cannot be planned as entered.', [{ field, detail }]);

/** The trip's records as the solver's problem, with the reasons already known for requests no option survives. */
export function buildProblem(records: TripRecords, opts: { timeLimitMs?: number; seed?: number } = {}): BuiltProblem {
  const epoch = records.startsOn;
  const dayCount = daysBetween(records.startsOn, records.endsOn) + 1;
  const days = Array.from({ length: dayCount }, (_, d) => addDays(epoch, d));
  const holidays = holidaysBetween(records.startsOn, records.endsOn);
  const places = records.places;
  const placeIndex = new Map(places.map((p, i) => [p.id, i]));
  const idx = (id: string, field: string) => {
    const i = placeIndex.get(id);
    if (i === undefined) throw fieldError(field, 'No such place in this trip');
    return i;
  };

  // a place with neither coordinates nor any travel time set cannot be reached from anywhere
  const withOverride = new Set(records.overrides.flatMap((o) => [o.fromPlaceId, o.toPlaceId]));
  for (const p of places) {
    if (p.kind !== 'online' && (p.lat == null || p.lon == null) && !withOverride.has(p.id) && !records.roadMinutes?.[p.id])
      throw fieldError(`places.${p.id}.lat`, `"${p.name}" has no coordinates and no travel times: give either`);
  }

  const travellers: PlanningTraveller[] = records.travellers.map((t) => {
    const off = daysOff(holidays, t.holidays);
    const baseOf = (night: string | undefined) => (night && t.nights[night]) || t.basePlaceId;
    const out: PlanningTraveller = { id: t.id, days: [], bufferMinutes: records.bufferMinutes };
    days.forEach((date, d) => {
      if (isWeekend(t.weekend, date) || off.has(date)) return;
      const start = baseOf(addDays(date, -1)) ?? baseOf(date);
      const end = baseOf(date);
      if (!start || !end) throw fieldError(`travellers.${t.id}.basePlaceId`, `No base (hotel or office) for the night of ${date}`);
      out.days.push({
        day: d,
        window: { start: d * 1440 + t.workFrom, end: d * 1440 + t.workTo },
        startPlace: idx(start, `travellers.${t.id}.basePlaceId`),
        endPlace: idx(end, `travellers.${t.id}.basePlaceId`),
      });
    });
    return out;
  });
  const travellerById = new Map(records.travellers.map((t) => [t.id, t]));

  const fixed: FixedItem[] = records.fixed.map((f) => ({
    id: f.id,
    travellerIds: f.travellerIds,
    place: idx(f.placeId, `fixedItems.${f.id}.placeId`),
    interval: { start: toMinute(f.startsAt, records.timeZone, epoch), end: toMinute(f.endsAt, records.timeZone, epoch) },
  }));

  const tripSpan: Interval[] = [{ start: 0, end: dayCount * 1440 }];
  const requests: PlanningRequest[] = [];
  const excluded: Record<string, UnplannedReason[]> = {};
  for (const r of records.requests) {
    const must = r.travellers.filter((t) => t.must).map((t) => t.travellerId);
    const may = r.travellers.filter((t) => !t.must).map((t) => t.travellerId);
    const one = r.format === 'one_on_one';
    const base: Omit<PlanningRequest, 'options'> = {
      id: r.id,
      priority: r.priority,
      durationMinutes: r.durationMinutes,
      mustAttend: must,
      mayAttend: may,
      minTravellers: one ? 1 : Math.max(1, must.length),
      maxTravellers: one ? 1 : must.length + may.length,
    };
    // the counterparts' windows, minus their weekend
    let windows = r.windows.length
      ? normalise(r.windows.map((w) => ({ start: toMinute(w.startsAt, records.timeZone, epoch), end: toMinute(w.endsAt, records.timeZone, epoch) })))
      : tripSpan;
    windows = intersect(windows, tripSpan);
    if (r.counterpartWeekend !== 'none') {
      const open = normalise(days.flatMap((date, d) => (isWeekend(r.counterpartWeekend, date) ? [] : [{ start: d * 1440, end: (d + 1) * 1440 }])));
      windows = intersect(windows, open);
    }
    if (!windows.length) {
      excluded[r.id] = [{ kind: 'no_common_availability' }];
      requests.push({ ...base, options: [] });
      continue;
    }
    if (!windows.some((w) => w.end - w.start >= r.durationMinutes)) {
      excluded[r.id] = [{ kind: 'duration_exceeds_windows' }];
      requests.push({ ...base, options: [] });
      continue;
    }

    // the places allowed
    const allowed = new Set<string>(r.placeIds);
    for (const p of places) {
      if (r.allowTheirOffice && p.organisationId && r.organisationIds.includes(p.organisationId)) allowed.add(p.id);
      if (r.allowOurs && p.kind === 'ours') allowed.add(p.id);
      if (r.allowOnline && p.kind === 'online') allowed.add(p.id);
    }

    const options: RequestOption[] = [];
    const blocked: UnplannedReason[] = [];
    const candidates = [...must, ...may];
    for (const placeId of [...allowed].sort()) {
      const place = places[placeIndex.get(placeId)!]!;
      // per day: who of the counterparts and travellers may be there; days grouped by the travellers who may
      const groups = new Map<string, { travellerIds: string[]; days: number[] }>();
      days.forEach((date, d) => {
        const person = r.personIds.find((p) => !mayReach(records.rules, p, place, date));
        if (person) {
          blocked.push({ kind: 'no_reachable_venue', personId: person, day: d });
          return;
        }
        const mustBlocked = must.find((t) => !mayReach(records.rules, t, place, date));
        if (mustBlocked) {
          blocked.push({ kind: 'no_reachable_venue', personId: mustBlocked, day: d });
          return;
        }
        const who = candidates.filter((t) => travellerById.has(t) && mayReach(records.rules, t, place, date));
        if (who.length < base.minTravellers) {
          blocked.push({ kind: 'no_traveller_available' });
          return;
        }
        const key = who.join(',');
        const g = groups.get(key) ?? { travellerIds: who, days: [] };
        g.days.push(d);
        groups.set(key, g);
      });
      for (const g of groups.values()) {
        const dayWindows = normalise(g.days.map((d) => ({ start: d * 1440, end: (d + 1) * 1440 })));
        const w = intersect(windows, dayWindows).filter((x) => x.end - x.start >= r.durationMinutes);
        if (w.length) options.push({ place: placeIndex.get(placeId)!, windows: w, travellerIds: g.travellerIds });
      }
    }
    if (!options.length) {
      // one reason per person and day is enough to say why; keep the first few
      const seen = new Set<string>();
      const reasons = blocked.filter((b) => {
        const k = JSON.stringify(b);
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
      excluded[r.id] = allowed.size === 0 ? [{ kind: 'no_common_availability' }] : reasons.length ? reasons.slice(0, 7) : [{ kind: 'no_common_availability' }];
    }
    requests.push({ ...base, options });
  }

  const pinned = records.pins.map((p) => ({
    requestId: p.requestId,
    travellerIds: p.travellerIds,
    place: idx(p.placeId, `pins.${p.requestId}.placeId`),
    start: toMinute(p.startsAt, records.timeZone, epoch),
  }));
  const previous: PreviousPlacement[] | undefined = records.previous
    ?.filter((p) => placeIndex.has(p.placeId))
    .map((p) => ({ requestId: p.requestId, travellerIds: p.travellerIds, place: placeIndex.get(p.placeId)!, start: toMinute(p.startsAt, records.timeZone, epoch) }));

  const planningPlaces: PlanningPlace[] = places.map((p) => (p.kind === 'online' ? { id: p.id, online: true } : { id: p.id }));
  const problem: PlanningProblem = {
    places: planningPlaces,
    travel: travelFunction(records, places),
    travellers,
    fixed,
    requests,
    pinned,
    ...(previous ? { previous } : {}),
    excluded,
    ...(opts.timeLimitMs ? { timeLimitMs: opts.timeLimitMs } : {}),
    seed: opts.seed ?? 1,
  };
  return { problem, placeIds: places.map((p) => p.id), holidays, days };
}

/**
 * Road times by car from a routing engine the user runs (an OSRM server: TRIPS_OSRM_URL), place id → place id →
 * minutes. Never required: without the variable, or when the server does not answer, travel is computed from
 * coordinates.
 */
export async function osrmRoadMinutes(baseUrl: string | undefined, places: PlaceRecord[], timeoutMs = 5000): Promise<Record<string, Record<string, number>> | undefined> {
  const located = places.filter((p) => p.kind !== 'online' && p.lat != null && p.lon != null);
  if (!baseUrl || located.length < 2) return undefined;
  const coords = located.map((p) => `${p.lon},${p.lat}`).join(';');
  try {
    const res = await fetch(`${baseUrl.replace(/\/$/, '')}/table/v1/driving/${coords}?annotations=duration`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { code?: string; durations?: Array<Array<number | null>> };
    if (body.code !== 'Ok' || !body.durations) return undefined;
    const out: Record<string, Record<string, number>> = {};
    located.forEach((a, i) => {
      out[a.id] = {};
      located.forEach((b, j) => {
        const s = body.durations![i]?.[j];
        if (typeof s === 'number') out[a.id]![b.id] = Math.ceil(s / 60);
      });
    });
    return out;
  } catch {
    return undefined;
  }
}
