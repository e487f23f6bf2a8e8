// The trip planner: `PlanningProblem` -> `Plan` (docs/trips.md "The solver").
//
// Each traveller's working day is a lane: it starts at the day's start place no earlier than the window opens and
// ends at the day's end place no later than it closes. A request is held at one of its options (a place and
// windows), at one start time, by a set of travellers (every must-attendee, and may-attendees up to the request's
// bounds), all at the same time and place: tracks split and rejoin by construction. Fixed items and pinned items
// are "given" entries: kept as they are, planned items are placed around them with travel and buffers.
//
// The objective, compared in this order:
//   1. the sum of the priorities of the requests held (larger is better);
//   2. on a re-plan, the number of the previous placements changed (fewer is better);
//   3. travel + idle minutes: per lane that holds anything, from the latest departure from the start place that
//      reaches the first item, to the arrival at the end place after the last one, less the minutes in items
//      (buffers count as idle). A lane with nothing in it costs nothing.
//
// The search is the OPTW core's iterated local search carried over: insertion at the cheapest feasible start
// (windows on a grid and "tight" starts right after or before what is already there), a shake that takes a few
// requests out, a reinsertion in priority order with noise, and a relocation local search; the best plan is kept.
import type {
  Interval,
  Minute,
  Plan,
  PlannedItem,
  PlanningProblem,
  TravelLeg,
  UnplannedReason,
} from './model.ts';
import { type Random, below, seeded } from './random.ts';
import { Travel } from './travel.ts';

export class PlanningInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

interface Lane {
  id: number;
  traveller: number;
  window: Interval;
  startPlace: number;
  endPlace: number;
  buffer: number;
  entries: Entry[];
}

interface Entry {
  start: Minute;
  end: Minute;
  place: number;
  online: boolean;
  /** Fixed and pinned items: kept as they are. */
  given: boolean;
  /** The request's index, or -1 for a fixed item. */
  request: number;
}

interface Option {
  place: number;
  online: boolean;
  windows: Interval[];
  /** Traveller indices who may attend here (must-attendees first). */
  eligible: number[];
  /** Attendee sets (traveller indices) within the request's bounds. */
  subsets: number[][];
  /** Starts on a grid within the windows. */
  grid: Minute[];
}

interface Request {
  index: number;
  id: string;
  priority: number;
  duration: number;
  must: number[];
  options: Option[];
  pinned: boolean;
  previous?: { place: number; start: Minute; travellers: number[] };
}

interface Placement {
  option: number;
  start: Minute;
  travellers: number[];
  lanes: number[];
}

interface Score {
  priority: number;
  changed: number;
  cost: number;
}

function better(a: Score, b: Score): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.changed !== b.changed) return a.changed < b.changed;
  return a.cost < b.cost - 1e-9;
}

const MAX_SUBSETS = 64;

function combinations(items: number[], size: number, out: number[][], prefix: number[] = [], from = 0) {
  if (out.length >= MAX_SUBSETS) return;
  if (prefix.length === size) {
    out.push([...prefix]);
    return;
  }
  for (let i = from; i < items.length; i++) {
    prefix.push(items[i]!);
    combinations(items, size, out, prefix, i + 1);
    prefix.pop();
  }
}

function validate(problem: PlanningProblem) {
  const P = problem.places.length;
  const place = (v: number, field: string) => {
    if (!Number.isInteger(v) || v < 0 || v >= P) throw new PlanningInputError(field, `place ${v} is not one of the ${P} places`);
  };
  const interval = (i: Interval, field: string) => {
    if (!(Number.isFinite(i.start) && Number.isFinite(i.end)) || i.end < i.start) throw new PlanningInputError(field, `the interval ends (${i.end}) before it starts (${i.start})`);
  };
  const travellers = new Set(problem.travellers.map((t) => t.id));
  problem.travellers.forEach((t, i) =>
    t.days.forEach((d, j) => {
      interval(d.window, `travellers[${i}].days[${j}].window`);
      place(d.startPlace, `travellers[${i}].days[${j}].startPlace`);
      place(d.endPlace, `travellers[${i}].days[${j}].endPlace`);
    }),
  );
  problem.fixed.forEach((f, i) => {
    interval(f.interval, `fixed[${i}].interval`);
    place(f.place, `fixed[${i}].place`);
  });
  problem.requests.forEach((r, i) => {
    if (!(Number.isInteger(r.durationMinutes) && r.durationMinutes > 0)) throw new PlanningInputError(`requests[${i}].durationMinutes`, 'must be a positive whole number of minutes');
    if (!(r.priority > 0)) throw new PlanningInputError(`requests[${i}].priority`, 'must be positive');
    for (const id of [...r.mustAttend, ...r.mayAttend]) if (!travellers.has(id)) throw new PlanningInputError(`requests[${i}]`, `traveller ${id} is not one of the trip's travellers`);
    r.options.forEach((o, j) => {
      place(o.place, `requests[${i}].options[${j}].place`);
      o.windows.forEach((w, k) => interval(w, `requests[${i}].options[${j}].windows[${k}]`));
    });
  });
  problem.pinned.forEach((p, i) => place(p.place, `pinned[${i}].place`));
}

export function solvePlan(problem: PlanningProblem): Plan {
  const t0 = performance.now();
  validate(problem);
  const planner = new Planner(problem);
  // the search stops at 85% of the budget: the rest is for the reasons and the legs
  planner.search(t0 + 0.85 * (problem.timeLimitMs ?? 3000));
  const plan = planner.plan();
  plan.seconds = Math.round(performance.now() - t0) / 1000;
  return plan;
}

export class Planner {
  readonly travel: Travel;
  readonly lanes: Lane[] = [];
  readonly lanesOf: Lane[][];
  readonly requests: Request[];
  readonly travellerIndex = new Map<string, number>();
  readonly placements: (Placement | null)[];
  readonly laneCost: number[];
  readonly random: Random;
  /** Requests left out before the search, with their reasons. */
  readonly rejected = new Map<number, UnplannedReason[]>();
  private best: { score: Score; placements: (Placement | null)[] } | undefined;
  private deadline = Infinity;
  /** The shake after which the best plan was last improved (0: the first construction), and the shakes made. */
  improvedAt = 0;
  shakes = 0;
  /**
   * On a re-plan, the lanes the change touched (pinned items, previous placements that no longer fit) and every lane
   * the search has placed something in since: the local searches look at the requests held there only (the rest of
   * the previous plan stays, as the objective prefers). Null on a first plan: every request.
   */
  private focus: Set<number> | null = null;

  private inFocus(r: Request): boolean {
    if (!this.focus) return true;
    const p = this.placements[r.index];
    return !p || p.lanes.some((l) => this.focus!.has(l));
  }

  constructor(readonly problem: PlanningProblem) {
    this.random = seeded(problem.seed ?? 1);
    const online = (p: number) => problem.places[p]?.online === true;
    this.travel = new Travel(problem.travel, problem.places.length, online);
    problem.travellers.forEach((t, i) => this.travellerIndex.set(t.id, i));
    this.lanesOf = problem.travellers.map(() => []);
    problem.travellers.forEach((t, k) => {
      for (const d of [...t.days].sort((a, b) => a.window.start - b.window.start)) {
        const lane: Lane = { id: this.lanes.length, traveller: k, window: d.window, startPlace: d.startPlace, endPlace: d.endPlace, buffer: t.bufferMinutes ?? 0, entries: [] };
        this.lanes.push(lane);
        this.lanesOf[k]!.push(lane);
      }
    });
    for (const f of problem.fixed)
      for (const id of f.travellerIds) {
        const k = this.travellerIndex.get(id);
        const lane = k === undefined ? undefined : this.laneAround(k, f.interval.start, f.interval.end);
        if (lane) this.add(lane, { start: f.interval.start, end: f.interval.end, place: f.place, online: online(f.place), given: true, request: -1 });
      }

    const previous = new Map((problem.previous ?? []).map((p) => [p.requestId, p]));
    const pinnedIds = new Set(problem.pinned.map((p) => p.requestId));
    this.requests = problem.requests.map((r, index) => {
      const must = r.mustAttend.map((id) => this.travellerIndex.get(id)!);
      const may = r.mayAttend.map((id) => this.travellerIndex.get(id)!).filter((k) => !must.includes(k));
      const options: Option[] = [];
      for (const o of r.options) {
        const allowed = new Set(o.travellerIds.map((id) => this.travellerIndex.get(id)).filter((k): k is number => k !== undefined));
        if (!must.every((k) => allowed.has(k))) continue;
        const extras = may.filter((k) => allowed.has(k));
        const eligible = [...must, ...extras];
        const lo = Math.max(r.minTravellers, must.length, 1);
        const hi = Math.min(r.maxTravellers, eligible.length);
        const subsets: number[][] = [];
        for (let size = lo; size <= hi; size++) {
          const more: number[][] = [];
          combinations(extras, size - must.length, more);
          for (const m of more) if (subsets.length < MAX_SUBSETS) subsets.push([...must, ...m]);
        }
        if (subsets.length === 0) continue;
        const windows = o.windows.filter((w) => w.end - w.start >= r.durationMinutes);
        if (windows.length === 0) continue;
        options.push({ place: o.place, online: online(o.place), windows, eligible, subsets, grid: grid(windows, r.durationMinutes) });
      }
      const prev = previous.get(r.id);
      return {
        index,
        id: r.id,
        priority: r.priority,
        duration: r.durationMinutes,
        must,
        options,
        pinned: pinnedIds.has(r.id),
        previous: prev && { place: prev.place, start: prev.start, travellers: prev.travellerIds.map((id) => this.travellerIndex.get(id) ?? -1).sort((a, b) => a - b) },
      };
    });
    this.placements = this.requests.map(() => null);
    // pinned items: given entries, held whatever else happens
    const requestIndex = new Map(this.requests.map((r) => [r.id, r.index]));
    for (const p of problem.pinned) {
      const r = requestIndex.get(p.requestId);
      if (r === undefined || this.placements[r]) continue;
      const req = this.requests[r]!;
      const travellers: number[] = [];
      const lanes: number[] = [];
      for (const id of p.travellerIds) {
        const k = this.travellerIndex.get(id);
        if (k === undefined) continue;
        travellers.push(k);
        const lane = this.laneAround(k, p.start, p.start + req.duration);
        if (lane) {
          lanes.push(lane.id);
          this.add(lane, { start: p.start, end: p.start + req.duration, place: p.place, online: online(p.place), given: true, request: r });
        } else lanes.push(-1);
      }
      this.placements[r] = { option: -1 - p.place, start: p.start, travellers, lanes };
    }
    this.laneCost = this.lanes.map((l) => this.evaluate(l, null));
  }

  /** The lane of traveller k whose window holds [start, end), or for a given item the lane of that day. */
  private laneAround(k: number, start: Minute, end: Minute): Lane | undefined {
    const lanes = this.lanesOf[k]!;
    return lanes.find((l) => l.window.start <= start && end <= l.window.end) ?? lanes.find((l) => start < l.window.end && l.window.start < end) ?? lanes.find((l) => Math.floor(l.window.start / 1440) === Math.floor(start / 1440));
  }

  private laneFor(k: number, start: Minute, end: Minute): Lane | undefined {
    for (const l of this.lanesOf[k]!) if (l.window.start <= start && end <= l.window.end) return l;
    return undefined;
  }

  private add(lane: Lane, e: Entry) {
    let i = lane.entries.length;
    while (i > 0 && lane.entries[i - 1]!.start > e.start) i--;
    lane.entries.splice(i, 0, e);
  }

  /**
   * A lane's cost (travel + idle minutes) with `extra` added, or -1 when that is infeasible. With `legs`, the
   * travel legs are written out. `ignoreTravel` answers "would it fit if travel took no time?" (for reasons).
   */
  evaluate(lane: Lane, extra: Entry | null, legs?: { travellerId: string; out: TravelLeg[] }, ignoreTravel = false): number {
    const entries = lane.entries;
    const count = entries.length + (extra ? 1 : 0);
    if (count === 0) return 0;
    const w = lane.window;
    const T = this.travel;
    let phys = lane.startPlace;
    let prevEnd = w.start;
    let prevAnchor = true;
    let prevGiven = false;
    let first = true;
    let firstDepart = 0;
    let busy = 0;
    let i = 0;
    let extraDone = extra === null;
    for (;;) {
      let e: Entry;
      if (!extraDone && (i >= entries.length || extra!.start < entries[i]!.start)) {
        e = extra!;
        extraDone = true;
      } else if (i < entries.length) e = entries[i++]!;
      else break;
      const place = e.online ? phys : e.place;
      const check = !(e.given && (prevAnchor || prevGiven));
      const ready = prevAnchor ? w.start : prevEnd + lane.buffer;
      if (check) {
        if (e.start < prevEnd) return -1;
        if (ready > e.start) return -1;
        if (!ignoreTravel && place !== phys && T.arrive(phys, place, ready) > e.start) return -1;
      }
      if (first) {
        first = false;
        firstDepart = e.start;
        if (place !== phys && !ignoreTravel) {
          const d = T.latestDeparture(phys, place, e.start);
          if (Number.isFinite(d)) firstDepart = d;
          if (legs && Number.isFinite(d)) legs.out.push({ travellerId: legs.travellerId, from: phys, to: place, depart: d, arrive: d + T.time(phys, place, d) });
        }
      } else if (legs && place !== phys && !ignoreTravel) {
        const d = T.departure(phys, place, ready);
        if (Number.isFinite(d)) legs.out.push({ travellerId: legs.travellerId, from: phys, to: place, depart: d, arrive: d + T.time(phys, place, d) });
      }
      busy += e.end - e.start;
      phys = place;
      prevEnd = Math.max(prevEnd, e.end);
      prevAnchor = false;
      prevGiven = e.given;
    }
    if (first) return 0;
    let endArrive = prevEnd;
    if (phys !== lane.endPlace && !ignoreTravel) {
      const d = T.departure(phys, lane.endPlace, prevEnd);
      const a = Number.isFinite(d) ? d + T.time(phys, lane.endPlace, d) : Infinity;
      if (!prevGiven && a > w.end) return -1;
      if (Number.isFinite(a)) {
        endArrive = a;
        if (legs) legs.out.push({ travellerId: legs.travellerId, from: phys, to: lane.endPlace, depart: d, arrive: a });
      }
    } else if (!prevGiven && prevEnd > w.end) return -1;
    return endArrive - firstDepart - busy;
  }

  score(): Score {
    let priority = 0;
    let changed = 0;
    let cost = 0;
    for (const r of this.requests) {
      const p = this.placements[r.index];
      if (p) priority += r.priority;
      if (r.previous && this.differs(r, p)) changed++;
    }
    for (const c of this.laneCost) {
      if (c < 0) return { priority: -1, changed, cost: Infinity }; // never better than a feasible plan
      cost += c;
    }
    return { priority, changed, cost };
  }

  private placeOf(r: Request, p: Placement): number {
    return p.option >= 0 ? r.options[p.option]!.place : -1 - p.option;
  }

  private differs(r: Request, p: Placement | null | undefined, option?: number, start?: number, travellers?: number[]): boolean {
    const prev = r.previous;
    if (!prev) return false;
    const place = p ? this.placeOf(r, p) : option !== undefined ? r.options[option]!.place : undefined;
    const s = p ? p.start : start;
    const t = p ? p.travellers : travellers;
    if (place === undefined || s === undefined || !t) return true;
    if (place !== prev.place || s !== prev.start || t.length !== prev.travellers.length) return true;
    const sorted = [...t].sort((a, b) => a - b);
    return sorted.some((k, i) => k !== prev.travellers[i]);
  }

  /** Starts worth trying for option o besides its grid: right after and right before what its travellers hold. */
  private tightStarts(r: Request, o: Option, out: Set<number>) {
    const d = r.duration;
    const who = r.must.length > 0 ? r.must : o.eligible;
    for (const k of who)
      for (const lane of this.lanesOf[k]!) {
        const T = this.travel;
        const after = (place: number, ready: number) => (o.online ? ready : T.arrive(place, o.place, ready));
        const before = (place: number, by: number) => (o.online ? by - d : T.latestDeparture(o.place, place, by) - d);
        out.add(after(lane.startPlace, lane.window.start));
        out.add(before(lane.endPlace, lane.window.end));
        for (const e of lane.entries) {
          out.add(after(e.place, e.end + lane.buffer));
          out.add(before(e.place, e.start - lane.buffer));
        }
      }
    if (r.previous) out.add(r.previous.start);
  }

  /** Request r's previous placement as it was (place, start, travellers), when it still fits among what is held. */
  private previousPlacement(r: Request): Placement | null {
    const prev = r.previous;
    if (!prev || prev.travellers.some((k) => k < 0)) return null;
    const same = (s: number[]) => s.length === prev.travellers.length && prev.travellers.every((k) => s.includes(k));
    for (let oi = 0; oi < r.options.length; oi++) {
      const o = r.options[oi]!;
      if (o.place !== prev.place || !o.windows.some((w) => w.start <= prev.start && prev.start + r.duration <= w.end)) continue;
      const S = o.subsets.find(same);
      if (!S) continue;
      const entry: Entry = { start: prev.start, end: prev.start + r.duration, place: o.place, online: o.online, given: false, request: r.index };
      const lanes: number[] = [];
      for (const k of S) {
        const lane = this.laneFor(k, entry.start, entry.end);
        if (!lane || this.evaluate(lane, entry) < 0) break;
        lanes.push(lane.id);
      }
      if (lanes.length === S.length) return { option: oi, start: prev.start, travellers: S, lanes };
    }
    return null;
  }

  /** The cheapest feasible placement of request r now, or null. */
  bestInsertion(r: Request, ignoreTravel = false, noise = 0): (Placement & { delta: number; changed: boolean }) | null {
    let best: (Placement & { delta: number; changed: boolean }) | null = null;
    const d = r.duration;
    const starts = new Set<number>();
    for (let oi = 0; oi < r.options.length; oi++) {
      const o = r.options[oi]!;
      starts.clear();
      for (const s of o.grid) starts.add(s);
      this.tightStarts(r, o, starts);
      for (const t of starts) {
        if (!Number.isFinite(t) || !o.windows.some((w) => w.start <= t && t + d <= w.end)) continue;
        const entry: Entry = { start: t, end: t + d, place: o.place, online: o.online, given: false, request: r.index };
        const delta = new Map<number, { lane: number; delta: number } | null>();
        const deltaOf = (k: number) => {
          let v = delta.get(k);
          if (v === undefined) {
            const lane = this.laneFor(k, t, t + d);
            const c = lane ? this.evaluate(lane, entry, undefined, ignoreTravel) : -1;
            v = lane && c >= 0 ? { lane: lane.id, delta: c - this.laneCost[lane.id]! } : null;
            delta.set(k, v);
          }
          return v;
        };
        if (r.must.some((k) => deltaOf(k) === null)) continue;
        for (const S of o.subsets) {
          let sum = 0;
          let ok = true;
          for (const k of S) {
            const v = deltaOf(k);
            if (!v) {
              ok = false;
              break;
            }
            sum += v.delta;
          }
          if (!ok) continue;
          const changed = this.differs(r, null, oi, t, S);
          if (noise > 0) sum += noise * 60 * this.random();
          if (!best || (best.changed && !changed) || (best.changed === changed && sum < best.delta - 1e-9)) {
            best = { option: oi, start: t, travellers: S, lanes: S.map((k) => deltaOf(k)!.lane), delta: sum, changed };
          }
        }
      }
    }
    return best;
  }

  place(r: Request, p: Placement) {
    const o = r.options[p.option]!;
    for (const laneId of p.lanes) {
      const lane = this.lanes[laneId]!;
      this.add(lane, { start: p.start, end: p.start + r.duration, place: o.place, online: o.online, given: false, request: r.index });
      this.laneCost[laneId] = this.evaluate(lane, null);
    }
    this.placements[r.index] = { option: p.option, start: p.start, travellers: p.travellers, lanes: p.lanes };
    if (this.focus) for (const l of p.lanes) this.focus.add(l);
  }

  remove(r: Request) {
    const p = this.placements[r.index];
    if (!p || r.pinned) return;
    this.placements[r.index] = null;
    for (const laneId of p.lanes) {
      const lane = this.lanes[laneId]!;
      lane.entries = lane.entries.filter((e) => e.request !== r.index);
      this.laneCost[laneId] = this.evaluate(lane, null);
    }
    // Taking an item out can break a day when travel has no triangle inequality or an online item now follows
    // another place: take out what no longer fits, least important first.
    for (const laneId of p.lanes) {
      const lane = this.lanes[laneId]!;
      while (this.laneCost[laneId]! < 0) {
        const movable = lane.entries.filter((e) => !e.given && e.request >= 0).map((e) => this.requests[e.request]!);
        if (movable.length === 0) break;
        const single = movable
          .filter((q) => this.evaluate({ ...lane, entries: lane.entries.filter((e) => e.request !== q.index) }, null) >= 0)
          .sort((a, b) => a.priority - b.priority)[0];
        this.remove(single ?? movable[movable.length - 1]!);
      }
    }
  }

  private snapshot() {
    return { score: this.score(), placements: this.placements.map((p) => p && { ...p }) };
  }

  private restore(s: { placements: (Placement | null)[] }) {
    for (const r of this.requests) if (!r.pinned && this.placements[r.index]) this.remove(r);
    for (const r of this.requests) {
      const p = s.placements[r.index];
      if (p && !r.pinned) this.place(r, p);
    }
  }

  /** Insert the requests left out, most important first (with noise), each at its cheapest feasible place. */
  private fill(noise: number) {
    const out = this.requests.filter((r) => !this.placements[r.index] && !this.rejected.has(r.index) && r.options.length > 0);
    const key = new Map(out.map((r) => [r.index, r.priority * (1 + noise * this.random()) + (r.previous ? 1e-6 : 0)]));
    out.sort((a, b) => key.get(b.index)! - key.get(a.index)!);
    for (const r of out) {
      const p = this.bestInsertion(r, false, this.random() < 0.3 ? noise : 0);
      if (p) this.place(r, p);
    }
  }

  /** Take each held request out and put it back at its cheapest place, while that improves the plan. */
  private relocate() {
    for (let pass = 0; pass < 3; pass++) {
      let improved = false;
      for (const r of this.requests) {
        const p = this.placements[r.index];
        if (!p || r.pinned || !this.inFocus(r)) continue;
        if (performance.now() > this.deadline) return;
        const before = this.score();
        const saved = this.placements.map((x) => x && { ...x });
        this.remove(r);
        const q = this.bestInsertion(r);
        if (q) this.place(r, q);
        if (better(this.score(), before)) improved = true;
        else if (!q || better(before, this.score())) this.restore({ placements: saved });
      }
      if (!improved) break;
    }
  }

  /**
   * Move request r by delta minutes, and with it whatever it would then run into (through every attendee's day,
   * so group meetings move their other travellers' items too): a block of items slides together. True when done.
   */
  private shift(r: Request, delta: number): boolean {
    const cluster: Request[] = [r];
    const saved = new Map<number, Placement>();
    for (let attempt = 0; attempt < 8; attempt++) {
      for (const q of cluster) if (!saved.has(q.index)) saved.set(q.index, this.placements[q.index]!);
      for (const q of cluster) this.remove(q);
      const order = [...cluster].sort((a, b) => (delta > 0 ? saved.get(b.index)!.start - saved.get(a.index)!.start : saved.get(a.index)!.start - saved.get(b.index)!.start));
      let blocker: Request | null | undefined;
      const placed: Request[] = [];
      for (const q of order) {
        const p = saved.get(q.index)!;
        const start = p.start + delta;
        const o = q.options[p.option]!;
        if (!o.windows.some((w) => w.start <= start && start + q.duration <= w.end)) {
          blocker = null;
          break;
        }
        const entry: Entry = { start, end: start + q.duration, place: o.place, online: o.online, given: false, request: q.index };
        for (const laneId of p.lanes) {
          const lane = this.lanes[laneId]!;
          if (!(lane.window.start <= start && start + q.duration <= lane.window.end) || this.evaluate(lane, entry) < 0) {
            // the neighbour in the direction of the move is in the way
            const ns = lane.entries.filter((e) => (delta > 0 ? e.start >= p.start + q.duration : e.end <= p.start));
            const n = delta > 0 ? ns[0] : ns[ns.length - 1];
            blocker = n && !n.given && n.request >= 0 && !cluster.some((c) => c.index === n.request) ? this.requests[n.request]! : null;
            break;
          }
        }
        if (blocker !== undefined) break;
        this.place(q, { ...p, start });
        placed.push(q);
      }
      if (blocker === undefined) return true;
      for (const q of placed) this.remove(q);
      for (const q of cluster) this.place(q, saved.get(q.index)!);
      if (!blocker || this.requests[blocker.index]!.pinned) return false;
      cluster.push(blocker);
    }
    return false;
  }

  /**
   * Add a may-attendee to a held meeting when that lowers the cost (a meeting in place of idle time), pushing the
   * next item of their day later (or the previous one earlier) when it is in the way: a move neither relocation
   * (which cannot push) nor the slide (whose first step alone costs more) makes.
   */
  private join() {
    const T = this.travel;
    const step = (v: number) => Math.ceil(v / 5) * 5;
    for (const r of this.requests) {
      const p = this.placements[r.index];
      if (!p || r.pinned || p.option < 0 || !this.inFocus(r)) continue;
      const o = r.options[p.option]!;
      if (p.travellers.length >= this.problem.requests[r.index]!.maxTravellers) continue;
      for (const k of o.eligible) {
        if (performance.now() > this.deadline) return;
        const held = this.placements[r.index]!;
        if (held.travellers.includes(k)) continue;
        const S = [...held.travellers, k];
        if (!o.subsets.some((s) => s.length === S.length && S.every((x) => s.includes(x)))) continue;
        const lane = this.laneFor(k, held.start, held.start + r.duration);
        if (!lane) continue;
        const before = this.score();
        const saved = this.placements.map((x) => x && { ...x });
        const entry: Entry = { start: held.start, end: held.start + r.duration, place: o.place, online: o.online, given: false, request: r.index };
        if (this.evaluate(lane, entry) < 0) {
          const next = lane.entries.find((e) => e.start >= entry.start);
          const prev = [...lane.entries].reverse().find((e) => e.start < entry.start);
          let pushed = false;
          if (next && !next.given && next.request >= 0) {
            const ready = entry.end + lane.buffer;
            const need = (o.online || next.online ? ready : T.arrive(o.place, next.place, ready)) - next.start;
            if (need > 0 && need <= 180) pushed = this.shift(this.requests[next.request]!, step(need));
          }
          if (!pushed && prev && !prev.given && prev.request >= 0) {
            const ready = prev.end + lane.buffer;
            const need = (o.online || prev.online ? ready : T.arrive(prev.place, o.place, ready)) - entry.start;
            if (need > 0 && need <= 180) pushed = this.shift(this.requests[prev.request]!, -step(need));
          }
          if (!pushed) continue; // shift() undoes itself when it fails
          const now = this.placements[r.index];
          if (!now || now.start !== held.start || this.evaluate(lane, entry) < 0) {
            this.restore({ placements: saved });
            continue;
          }
        }
        const now = this.placements[r.index]!;
        this.remove(r);
        this.place(r, { option: now.option, start: now.start, travellers: S, lanes: [...now.lanes, lane.id] });
        if (!better(this.score(), before)) this.restore({ placements: saved });
      }
    }
  }

  /** Slide each held request (and what it pushes) a step earlier or later while that lowers the cost. */
  private slide() {
    for (let pass = 0; pass < 4; pass++) {
      let improved = false;
      for (const r of this.requests) {
        if (!this.placements[r.index] || r.pinned || !this.inFocus(r)) continue;
        if (performance.now() > this.deadline) return;
        for (const delta of [-15, 15, -5, 5]) {
          const before = this.score();
          const saved = this.placements.map((p) => p && { ...p });
          if (!this.shift(r, delta)) continue;
          if (better(this.score(), before)) {
            improved = true;
            break;
          }
          this.restore({ placements: saved });
        }
      }
      if (!improved) break;
    }
  }

  private shake() {
    const held = this.requests.filter((r) => this.placements[r.index] && !r.pinned);
    const open = this.requests.filter((r) => !this.placements[r.index] && !this.rejected.has(r.index) && r.options.length > 0);
    const roll = this.random();
    if (open.length > 0 && (roll < 0.5 || held.length === 0)) {
      // make room for a request left out: at a random option and start, take out what is in its way, put it in
      let total = 0;
      for (const r of open) total += r.priority;
      let pick = this.random() * total;
      const r = open.find((q) => (pick -= q.priority) < 0) ?? open[open.length - 1]!;
      const oi = below(this.random, r.options.length);
      const o = r.options[oi]!;
      const w = o.windows[below(this.random, o.windows.length)]!;
      const slots = Math.floor((w.end - r.duration - w.start) / 15) + 1;
      const t = Math.min(w.start + 15 * below(this.random, slots), w.end - r.duration);
      const S = o.subsets[below(this.random, o.subsets.length)]!;
      for (const k of S) {
        const lane = this.laneFor(k, t, t + r.duration);
        if (!lane) continue;
        for (const e of [...lane.entries]) {
          if (e.given || e.request < 0) continue;
          const after = e.end + lane.buffer + this.travel.time(e.place, o.place, e.end) > t;
          const before = e.start < t + r.duration + lane.buffer + this.travel.time(o.place, e.place, t + r.duration);
          if (after && before) this.remove(this.requests[e.request]!);
        }
      }
      const q = this.bestInsertion(r);
      if (q) this.place(r, q);
      return;
    }
    if (held.length === 0) return;
    if (roll < 0.75) {
      // a few at random
      const n = 1 + below(this.random, Math.min(4, held.length));
      for (let i = 0; i < n; i++) this.remove(held[below(this.random, held.length)]!);
    } else {
      // everything one traveller holds in a stretch of one day
      const lane = this.lanes[this.placements[held[below(this.random, held.length)]!.index]!.lanes[0]!]!;
      const span = lane.window.end - lane.window.start;
      const from = lane.window.start + this.random() * span;
      const to = from + span * (0.2 + 0.4 * this.random());
      for (const e of [...lane.entries]) if (!e.given && e.start < to && e.end > from && e.request >= 0) this.remove(this.requests[e.request]!);
    }
  }

  search(deadline: number) {
    this.deadline = deadline;
    // a re-plan starts from the previous plan where it still holds
    const prev = this.requests.filter((r) => r.previous && !r.pinned && r.options.length > 0).sort((a, b) => b.priority - a.priority);
    for (const r of prev) {
      const p = this.previousPlacement(r);
      if (p) this.place(r, p);
    }
    if (prev.length > 0) {
      // what the change touched: the lanes of the pinned items and of the previous placements that no longer fit
      this.focus = new Set();
      for (const r of this.requests) {
        const p = this.placements[r.index];
        if (r.pinned && p) for (const l of p.lanes) if (l >= 0) this.focus.add(l);
        if (r.previous && !p && !r.pinned)
          for (const k of r.previous.travellers) {
            const lane = k >= 0 ? this.laneFor(k, r.previous.start, r.previous.start + r.duration) : undefined;
            if (lane) this.focus.add(lane.id);
          }
      }
    }
    this.fill(0);
    this.relocate();
    this.join();
    this.slide();
    this.best = this.snapshot();
    const open = this.requests.filter((r) => !r.pinned && r.options.length > 0).length;
    if (open === 0) return;
    const stall = 2000 + 40 * open;
    let since = 0;
    for (let it = 0; since < stall; it++) {
      if (performance.now() > deadline) break;
      this.shakes = it + 1;
      const current = this.snapshot();
      this.shake();
      this.fill(this.random());
      this.relocate();
      this.join();
      this.slide();
      const s = this.score();
      if (better(s, this.best.score)) {
        this.best = this.snapshot();
        this.improvedAt = it + 1;
        since = 0;
      } else {
        since++;
        if (better(current.score, s) && this.random() > 0.02) this.restore(current);
      }
      if (since > 0 && since % 100 === 0) this.restore(this.best);
    }
    this.restore(this.best);
  }

  /** Why request r is not in the plan. */
  reasons(r: Request): UnplannedReason[] {
    const given = this.problem.excluded?.[r.id];
    if (given && given.length > 0 && r.options.length === 0) return given;
    const source = this.problem.requests[r.index]!;
    if (source.options.length === 0) return given ?? [{ kind: 'no_common_availability' }];
    if (source.options.every((o) => o.windows.every((w) => w.end - w.start < r.duration))) return [{ kind: 'duration_exceeds_windows' }];
    if (r.options.length === 0) {
      const missing = source.mustAttend.find((id) => source.options.every((o) => !o.travellerIds.includes(id)));
      return [{ kind: 'no_traveller_available', ...(missing ? { travellerId: missing } : {}) }];
    }
    // a must-attendee who works on none of the windows
    for (const k of r.must) {
      const works = r.options.some((o) => o.windows.some((w) => this.lanesOf[k]!.some((l) => Math.max(l.window.start, w.start) + r.duration <= Math.min(l.window.end, w.end))));
      if (!works) return [{ kind: 'no_traveller_available', travellerId: this.problem.travellers[k]!.id }];
    }
    if (!r.options.some((o) => o.windows.some((w) => o.eligible.some((k) => this.lanesOf[k]!.some((l) => Math.max(l.window.start, w.start) + r.duration <= Math.min(l.window.end, w.end))))))
      return [{ kind: 'no_common_availability' }];
    // would it fit among what is held, if the requests planned (not pinned) were taken out?
    const held = this.requests.filter((q) => this.placements[q.index] && !q.pinned);
    const saved = this.snapshot();
    for (const q of held) this.remove(q);
    const alone = this.bestInsertion(r);
    let result: UnplannedReason[];
    if (!alone) {
      result = this.whyNotAlone(r);
      this.restore(saved);
      return result;
    }
    this.restore(saved);
    // which single held request, taken out, lets it in
    const blockers: Request[] = [];
    const eligible = new Set(r.options.flatMap((o) => o.eligible));
    const near = (q: Request) => {
      const p = this.placements[q.index]!;
      // only what its travellers hold within a few hours of its windows can be in its way
      return r.options.some((o) => o.windows.some((w) => p.start < w.end + 240 && p.start + q.duration > w.start - 240));
    };
    for (const q of held) {
      if (!this.placements[q.index]!.travellers.some((k) => eligible.has(k)) || !near(q)) continue;
      const p = this.placements[q.index]!;
      const heldBefore = this.placements.filter(Boolean).length;
      const saved = this.placements.map((x) => x && { ...x });
      this.remove(q);
      const cascaded = this.placements.filter(Boolean).length !== heldBefore - 1;
      if (this.bestInsertion(r)) blockers.push(q);
      if (cascaded) this.restore({ placements: saved });
      else this.place(q, p);
    }
    if (blockers.length === 0) {
      // several together hold its slots: the most important of those its travellers hold on its days
      for (const q of held) {
        const p = this.placements[q.index]!;
        if (p.travellers.some((k) => eligible.has(k)) && r.options.some((o) => o.windows.some((w) => p.start < w.end && p.start + q.duration > w.start))) blockers.push(q);
      }
    }
    blockers.sort((a, b) => b.priority - a.priority || a.index - b.index);
    result = blockers.slice(0, 3).map((q) => ({ kind: 'displaced_by', requestId: q.id }));
    return result.length > 0 ? result : [{ kind: 'no_common_availability' }];
  }

  /** r does not fit even with nothing else planned: pinned items, travel, or fixed items in the way. */
  private whyNotAlone(r: Request): UnplannedReason[] {
    // without the pinned items?
    const pinned = this.requests.filter((q) => q.pinned && this.placements[q.index]);
    const blockers: string[] = [];
    for (const q of pinned) {
      const saved = new Map<number, Entry[]>();
      for (const laneId of this.placements[q.index]!.lanes) {
        if (laneId < 0) continue;
        const lane = this.lanes[laneId]!;
        saved.set(laneId, lane.entries);
        lane.entries = lane.entries.filter((e) => e.request !== q.index);
        this.laneCost[laneId] = this.evaluate(lane, null);
      }
      if (this.bestInsertion(r)) blockers.push(q.id);
      for (const [laneId, entries] of saved) {
        this.lanes[laneId]!.entries = entries;
        this.laneCost[laneId] = this.evaluate(this.lanes[laneId]!, null);
      }
    }
    if (blockers.length > 0) return blockers.map((id) => ({ kind: 'pinned_conflict', requestId: id }));
    if (this.bestInsertion(r, true)) {
      // travel is what keeps it out: name the leg from where its travellers' days start
      const o = r.options.find((o) => !o.online) ?? r.options[0]!;
      const k = r.must[0] ?? o.eligible[0]!;
      const lane = this.lanesOf[k]!.find((l) => o.windows.some((w) => w.start < l.window.end && l.window.start < w.end)) ?? this.lanesOf[k]![0];
      return [{ kind: 'travel_too_long', fromPlace: lane ? lane.startPlace : o.place, toPlace: o.place }];
    }
    const k = r.must[0];
    return [{ kind: 'no_traveller_available', ...(k !== undefined ? { travellerId: this.problem.travellers[k]!.id } : {}) }];
  }

  plan(): Plan {
    const items: PlannedItem[] = [];
    const unplanned: Plan['unplanned'] = [];
    for (const r of this.requests) {
      const p = this.placements[r.index];
      if (p) {
        items.push({
          requestId: r.id,
          travellerIds: p.travellers.map((k) => this.problem.travellers[k]!.id),
          place: this.placeOf(r, p),
          start: p.start,
          end: p.start + r.duration,
          pinned: r.pinned,
        });
      }
    }
    for (const r of this.requests) if (!this.placements[r.index]) unplanned.push({ requestId: r.id, reasons: this.reasons(r) });
    // requests the builder left out entirely (not in `requests`)
    const known = new Set(this.requests.map((r) => r.id));
    for (const [id, reasons] of Object.entries(this.problem.excluded ?? {})) if (!known.has(id)) unplanned.push({ requestId: id, reasons });
    const legs: TravelLeg[] = [];
    let idle = 0;
    let travel = 0;
    for (const lane of this.lanes) {
      const out: TravelLeg[] = [];
      const cost = this.evaluate(lane, null, { travellerId: this.problem.travellers[lane.traveller]!.id, out });
      let t = 0;
      for (const l of out) t += l.arrive - l.depart;
      travel += t;
      idle += Math.max(0, cost) - t;
      legs.push(...out);
    }
    items.sort((a, b) => a.start - b.start || a.requestId.localeCompare(b.requestId));
    const s = this.score();
    return {
      items,
      legs,
      unplanned,
      objective: { priorityHeld: s.priority, travelMinutes: travel, idleMinutes: idle, changedFromPrevious: s.changed },
      status: 'heuristic',
      seconds: 0,
    };
  }
}

/** Starts on a grid within the windows: every 15 minutes, coarser when the windows are long. */
export function grid(windows: Interval[], duration: number): Minute[] {
  let total = 0;
  for (const w of windows) total += Math.max(0, w.end - duration - w.start);
  let step = 15;
  while (total / step > 160) step *= 2;
  const out: Minute[] = [];
  for (const w of windows) {
    const last = w.end - duration;
    if (last < w.start) continue;
    out.push(w.start);
    for (let t = Math.ceil((w.start + 1) / step) * step; t < last; t += step) out.push(t);
    if (last > w.start) out.push(last);
  }
  return out;
}
