import type { Plan, PlannedItem, PlanningProblem, TravelLeg, UnplannedReason } from './solver/model.ts';

// A tiny greedy planner, used ONLY until the real solver (solver/, issue 14 items 6, 7, 11) is merged: requests in
// order of priority, each at its earliest feasible start (15-minute steps) in its options, pinned items first.
// It respects the same rules as the solver must (windows, working days, travel between consecutive items, buffers),
// so that the builder, the API and the staff app can be written and tested against the model. trips.plan.ts
// planTrip() is the one call site.

type Slot = { start: number; end: number; place: number; requestId?: string };

const STEP = 15;

export function planGreedy(problem: PlanningProblem): Plan {
  const t0 = performance.now();
  const diaries = new Map<string, Slot[]>(problem.travellers.map((t) => [t.id, []]));
  const travellers = new Map(problem.travellers.map((t) => [t.id, t]));
  for (const f of problem.fixed) for (const id of f.travellerIds) diaries.get(id)?.push({ start: f.interval.start, end: f.interval.end, place: f.place });

  /** Whether the traveller may hold [s, e) at the place; else the request in the way, if any. */
  const fits = (tid: string, place: number, s: number, e: number): { ok: boolean; blocker?: string; travel?: boolean } => {
    const t = travellers.get(tid);
    if (!t) return { ok: false };
    const day = t.days.find((d) => d.window.start <= s && e <= d.window.end);
    if (!day) return { ok: false };
    const buffer = t.bufferMinutes ?? 0;
    const slots = diaries.get(tid)!.filter((x) => x.end > day.window.start - 1440 && x.start < day.window.end + 1440);
    let prev: Slot = { start: day.window.start, end: day.window.start, place: day.startPlace };
    let next: Slot = { start: day.window.end, end: day.window.end, place: day.endPlace };
    let prevIsItem = false;
    let nextIsItem = false;
    for (const x of slots) {
      if (x.start < e && s < x.end) return { ok: false, blocker: x.requestId };
      if (x.end <= s && x.end >= prev.end && x.start >= day.window.start - 1) {
        prev = x;
        prevIsItem = true;
      }
      if (x.start >= e && x.start <= next.start && x.end <= day.window.end + 1) {
        next = x;
        nextIsItem = true;
      }
    }
    const there = problem.travel(prev.place, place, prev.end);
    if (prev.end + (prevIsItem ? buffer : 0) + there > s) return { ok: false, blocker: prev.requestId, travel: !prev.requestId };
    const back = problem.travel(place, next.place, e);
    if (e + (nextIsItem ? buffer : 0) + back > next.start) return { ok: false, blocker: next.requestId, travel: !next.requestId };
    return { ok: true };
  };

  const items: PlannedItem[] = [];
  const unplanned: Plan['unplanned'] = [];
  const byId = new Map(problem.requests.map((r) => [r.id, r]));
  const pinnedIds = new Set<string>();
  for (const p of problem.pinned) {
    const r = byId.get(p.requestId);
    if (!r) continue;
    const end = p.start + r.durationMinutes;
    const conflict = p.travellerIds.map((t) => fits(t, p.place, p.start, end)).find((f) => !f.ok && f.blocker);
    if (conflict?.blocker) {
      unplanned.push({ requestId: r.id, reasons: [{ kind: 'pinned_conflict', requestId: conflict.blocker }] });
      pinnedIds.add(r.id);
      continue;
    }
    // staff pinned it: it is held even where a rule says otherwise (the app shows what breaks)
    for (const t of p.travellerIds) diaries.get(t)?.push({ start: p.start, end, place: p.place, requestId: r.id });
    items.push({ requestId: r.id, travellerIds: p.travellerIds, place: p.place, start: p.start, end, pinned: true });
    pinnedIds.add(r.id);
  }

  const order = problem.requests.filter((r) => !pinnedIds.has(r.id)).sort((a, b) => b.priority - a.priority || b.durationMinutes - a.durationMinutes || a.id.localeCompare(b.id));
  for (const r of order) {
    if (problem.excluded?.[r.id]?.length) {
      unplanned.push({ requestId: r.id, reasons: problem.excluded[r.id]! });
      continue;
    }
    let placed: PlannedItem | null = null;
    let blocker: string | undefined;
    let travelBlocked = false;
    search: for (const o of r.options) {
      if (!r.mustAttend.every((m) => o.travellerIds.includes(m))) continue;
      for (const w of o.windows) {
        for (let s = Math.ceil(w.start / STEP) * STEP; s + r.durationMinutes <= w.end; s += STEP) {
          const e = s + r.durationMinutes;
          const chosen: string[] = [];
          let ok = true;
          for (const m of r.mustAttend) {
            const f = fits(m, o.place, s, e);
            if (!f.ok) {
              blocker ??= f.blocker;
              travelBlocked ||= !!f.travel;
              ok = false;
              break;
            }
            chosen.push(m);
          }
          if (!ok) continue;
          for (const t of o.travellerIds) {
            if (chosen.length >= r.minTravellers) break;
            if (chosen.includes(t)) continue;
            const f = fits(t, o.place, s, e);
            if (f.ok) chosen.push(t);
            else {
              blocker ??= f.blocker;
              travelBlocked ||= !!f.travel;
            }
          }
          if (chosen.length < r.minTravellers || chosen.length > r.maxTravellers) continue;
          placed = { requestId: r.id, travellerIds: chosen, place: o.place, start: s, end: e, pinned: false };
          break search;
        }
      }
    }
    if (placed) {
      for (const t of placed.travellerIds) diaries.get(t)!.push({ start: placed.start, end: placed.end, place: placed.place, requestId: r.id });
      items.push(placed);
    } else {
      const reason: UnplannedReason = blocker ? { kind: 'displaced_by', requestId: blocker } : travelBlocked ? { kind: 'no_traveller_available' } : { kind: 'no_common_availability' };
      unplanned.push({ requestId: r.id, reasons: [reason] });
    }
  }

  // the legs: each traveller's day from its start place through its items (and fixed items) to its end place
  const legs: TravelLeg[] = [];
  let travelMinutes = 0;
  let idleMinutes = 0;
  for (const t of problem.travellers) {
    for (const d of t.days) {
      const slots = diaries.get(t.id)!.filter((x) => x.start >= d.window.start - 1440 && x.start < d.window.end && x.end > d.window.start).sort((a, b) => a.start - b.start);
      if (!slots.some((x) => x.requestId)) continue;
      let at = { place: d.startPlace, time: Math.min(d.window.start, slots[0]!.start) };
      const path = [...slots, { start: d.window.end, end: d.window.end, place: d.endPlace }];
      for (const x of path) {
        const minutes = problem.travel(at.place, x.place, at.time);
        if (at.place !== x.place && minutes > 0 && Number.isFinite(minutes)) {
          const depart = Math.max(at.time, x.start - minutes);
          legs.push({ travellerId: t.id, from: at.place, to: x.place, depart, arrive: depart + minutes });
          travelMinutes += minutes;
          idleMinutes += Math.max(0, x.start - at.time - minutes);
        } else if (x !== path[0]) idleMinutes += Math.max(0, x.start - at.time);
        at = { place: x.place, time: Math.max(at.time, x.end) };
      }
    }
  }
  const previous = new Map((problem.previous ?? []).map((p) => [p.requestId, p]));
  let changed = 0;
  for (const i of items) {
    const p = previous.get(i.requestId);
    if (p && (p.place !== i.place || p.start !== i.start || p.travellerIds.join() !== [...i.travellerIds].join())) changed++;
  }
  for (const u of unplanned) if (previous.has(u.requestId)) changed++;
  items.sort((a, b) => a.start - b.start || a.requestId.localeCompare(b.requestId));
  return {
    items,
    legs,
    unplanned,
    objective: { priorityHeld: items.reduce((s, i) => s + byId.get(i.requestId)!.priority, 0), travelMinutes, idleMinutes, changedFromPrevious: changed },
    status: 'heuristic',
    seconds: (performance.now() - t0) / 1000,
  };
}
