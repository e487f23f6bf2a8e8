// An independent check of a trip plan (tests of src/server/features/trips/solver/): shares no code with the solver.
import type { Plan, PlanningProblem } from '../../src/server/features/trips/solver/model.ts';

/**
 * An independent check of a plan against its problem, minute by minute (no memo, no shortcut of the solver's):
 * windows, attendees, access (the option's travellers), working days, no overlaps, travel and buffers between
 * consecutive items, reaching the first item from the day's start place and the end place after the last,
 * pinned items kept, every request either planned or given a reason, and the priority held.
 */
export function checkPlan(problem: PlanningProblem, plan: Plan): string[] {
  const problems: string[] = [];
  const requests = new Map(problem.requests.map((r) => [r.id, r]));
  const online = (p: number) => problem.places[p]?.online === true;
  const seen = new Set<string>();
  type Item = { id: string; start: number; end: number; place: number; planned: boolean };
  const perTraveller = new Map<string, Item[]>(problem.travellers.map((t) => [t.id, []]));
  let priority = 0;
  for (const item of plan.items) {
    const r = requests.get(item.requestId);
    if (!r) {
      problems.push(`${item.requestId}: not a request`);
      continue;
    }
    if (seen.has(r.id)) problems.push(`${r.id}: planned twice`);
    seen.add(r.id);
    priority += r.priority;
    if (item.end - item.start !== r.durationMinutes) problems.push(`${r.id}: lasts ${item.end - item.start}, not ${r.durationMinutes}`);
    const pin = problem.pinned.find((p) => p.requestId === r.id);
    if (pin) {
      if (!item.pinned || pin.start !== item.start || pin.place !== item.place || [...pin.travellerIds].sort().join() !== [...item.travellerIds].sort().join()) problems.push(`${r.id}: pinned item moved`);
    } else {
      const option = r.options.find((o) => o.place === item.place && o.windows.some((w) => w.start <= item.start && item.end <= w.end) && item.travellerIds.every((t) => o.travellerIds.includes(t)));
      if (!option) problems.push(`${r.id}: no option holds it at place ${item.place} from ${item.start} with ${item.travellerIds}`);
      for (const t of r.mustAttend) if (!item.travellerIds.includes(t)) problems.push(`${r.id}: must-attendee ${t} missing`);
      for (const t of item.travellerIds) if (!r.mustAttend.includes(t) && !r.mayAttend.includes(t)) problems.push(`${r.id}: ${t} may not attend`);
      if (item.travellerIds.length < r.minTravellers || item.travellerIds.length > r.maxTravellers) problems.push(`${r.id}: ${item.travellerIds.length} travellers`);
      if (new Set(item.travellerIds).size !== item.travellerIds.length) problems.push(`${r.id}: a traveller twice`);
      for (const t of item.travellerIds) {
        const day = problem.travellers.find((x) => x.id === t)?.days.find((d) => d.window.start <= item.start && item.end <= d.window.end);
        if (!day) problems.push(`${r.id}: ${t} does not work then`);
      }
    }
    for (const t of item.travellerIds) perTraveller.get(t)?.push({ id: r.id, start: item.start, end: item.end, place: item.place, planned: !pin });
  }
  for (const p of problem.pinned) if (requests.has(p.requestId) && !seen.has(p.requestId)) problems.push(`${p.requestId}: pinned but not in the plan`);
  for (const f of problem.fixed) for (const t of f.travellerIds) perTraveller.get(t)?.push({ id: f.id, start: f.interval.start, end: f.interval.end, place: f.place, planned: false });
  // can one leave `from` at some minute in [ready, by] and be at `to` by `by`?
  const reach = (from: number, to: number, ready: number, by: number) => {
    if (from === to || online(from) || online(to)) return ready <= by;
    for (let d = ready; d <= by; d++) if (d + problem.travel(from, to, d) <= by) return true;
    return false;
  };
  for (const tr of problem.travellers) {
    const buffer = tr.bufferMinutes ?? 0;
    for (const day of tr.days) {
      const items = perTraveller.get(tr.id)!.filter((i) => i.start < day.window.end && i.end > day.window.start).sort((a, b) => a.start - b.start);
      let place = day.startPlace;
      let prev: Item | undefined;
      for (const i of items) {
        const here = online(i.place) ? place : i.place;
        const checked = i.planned || prev?.planned;
        if (checked) {
          if (prev && i.start < prev.end) problems.push(`${tr.id}: ${prev.id} and ${i.id} overlap`);
          const ready = prev ? prev.end + buffer : day.window.start;
          if (!reach(place, here, ready, i.start)) problems.push(`${tr.id}: cannot reach ${i.id} (place ${here}) by ${i.start} from place ${place} after ${ready}`);
        }
        place = here;
        prev = i;
      }
      if (prev?.planned && !reach(place, day.endPlace, prev.end, day.window.end)) problems.push(`${tr.id}: cannot get back to place ${day.endPlace} by ${day.window.end} after ${prev.id}`);
    }
  }
  for (const r of problem.requests) {
    if (seen.has(r.id)) continue;
    const u = plan.unplanned.find((x) => x.requestId === r.id);
    if (!u || u.reasons.length === 0) problems.push(`${r.id}: left out without a reason`);
  }
  if (plan.objective.priorityHeld !== priority) problems.push(`priorityHeld ${plan.objective.priorityHeld}, items hold ${priority}`);
  return problems;
}

