// The planner's model as a mixed-integer programme, solved exactly by HiGHS (npm `highs`, WebAssembly), for small
// trips: to prove the iterated local search right on them (planner.milp.test.ts) and to give 'optimal' plans.
//
// Starts on a grid of `step` minutes (15 by default): every window, duration, buffer and travel time must be a
// multiple of it, and travel must not depend on the time of day (checked at every grid time of every lane). On such
// data every plan can be moved onto the grid without changing its objective, so the grid loses nothing.
// Fixed items, pinned items, online places and `previous` are not modelled: a problem with any is refused.
//
// Per lane (a traveller's working day) a path through an event network, from a source to a sink:
//   A(p, τ)   ready at place p at τ, for each start τ of a meeting the lane may hold at p
//   D(p, e)   a meeting at p has just ended at e
//   source -> A(p, τ)                 leave the day's start place at τ − T(start, p)     (cost T(start, p))
//   A(p, τ) -> A(p, τ')               wait for the next start at p                        (cost τ' − τ)
//   A(p, t) -> D(p, t + d)            hold request r at option o from t: the meeting arc  (cost 0)
//   D(p, e) -> A(q, τ)                buffer, travel and wait: τ the first start at q with τ >= e + buffer + T(p, q)
//                                     (q = p included: a buffer only)                     (cost τ − e)
//   D(p, e) -> sink                   the day's last item, then travel to the end place   (cost T(p, end))
//   source -> sink                    a day with nothing in it                            (cost 0)
// Travel is direct between consecutive items (as in the planner: no detour through a third place), and the arcs'
// lengths add up to the day's span less the minutes in meetings: Σ cost = travel + idle, as in the planner.
//
// z[r,o,t] (binary) says r is held at option o from t; Σ_o,t z <= 1 per request. A must-attendee's meeting arc is
// z itself; a may-attendee's is a binary y <= z; between minTravellers·z and maxTravellers·z travellers attend.
// Only meetings the lane can reach are generated: t >= the window's start + travel from the start place, and
// t + d + travel to the end place <= the window's end; a z exists only when every must-attendee has such an arc
// and enough travellers may attend. The flow arcs are continuous: with the meeting arcs integral, the flow of a
// lane is a unit flow in a DAG whose every path holds exactly the meetings chosen, so any optimal flow has the
// cost of an integral one. They are continuous in the first solve (its LP bound is usually the optimum already) and
// binary in the second (HiGHS then cuts on them: half the time on the 12-request cases).
//
// Lexicographic, in two solves, with no big-M: (1) maximise the priority held; (2) with Σ priority·z >= that
// optimum as a constraint, minimise travel + idle. Identical travellers (the same days, places and buffer, and the
// same part in every request) are ordered: the first holds at least as many meetings as the second (swapping two
// identical travellers' days gives a plan with the same objective, so one optimum always satisfies it).
import type { PlanningProblem } from './model.ts';

export interface ExactResult {
  status: 'optimal' | 'infeasible' | 'other';
  priorityHeld: number;
  /** travel + idle minutes */
  cost: number;
  /** Request ids held, with start and travellers. */
  held: Array<{ requestId: string; place: number; start: number; travellerIds: string[] }>;
  seconds: number;
  /** Seconds of each solve: the priority, then travel + idle. */
  phases: number[];
  variables: number;
  binaries: number;
  constraints: number;
}

export class ExactModelError extends Error {}

type Highs = { solve: (lp: string, options?: Record<string, unknown>) => HighsSolution };
type HighsSolution = { Status: string; ObjectiveValue: number; Columns: Record<string, { Primal: number }> };

let loaded: Promise<Highs> | undefined;
async function highs(): Promise<Highs> {
  loaded ??= import('highs').then(async (m) => {
    const load = (m as unknown as { default: (o?: object) => Promise<Highs> }).default;
    return load();
  });
  return loaded;
}

interface Lane {
  id: number;
  traveller: number;
  ws: number;
  we: number;
  start: number;
  end: number;
  buffer: number;
  /** meeting arcs: variable, place, start, end */
  meetings: Array<{ v: string; p: number; t: number; e: number }>;
}

export interface ExactModel {
  /** Constraints common to both solves (LP format rows, without names). */
  rows: string[];
  /** Σ priority · z */
  priority: string[];
  /** Σ cost · flow */
  cost: string[];
  binaries: string[];
  continuous: string[];
  zs: Array<{ name: string; r: number; o: number; t: number; place: number }>;
  /** z name + '|' + traveller index -> the variable that says the traveller attends */
  attend: Map<string, string>;
  symmetryRows: number;
}

export function buildExactModel(problem: PlanningProblem, step = 15, options: { symmetry?: boolean } = {}): ExactModel {
  if (problem.fixed.length > 0 || problem.pinned.length > 0 || (problem.previous?.length ?? 0) > 0) throw new ExactModelError('fixed items, pinned items and previous placements are not modelled');
  if (problem.places.some((p) => p.online)) throw new ExactModelError('online places are not modelled');
  const onGrid = (v: number, what: string) => {
    if (!Number.isInteger(v / step)) throw new ExactModelError(`${what} (${v}) is not a multiple of ${step} minutes`);
  };
  const P = problem.places.length;
  const travel: number[][] = [];
  for (let a = 0; a < P; a++) {
    travel.push([]);
    for (let b = 0; b < P; b++) {
      const v = a === b ? 0 : problem.travel(a, b, 0);
      const w = v >= 0 ? v : Infinity;
      if (Number.isFinite(w)) onGrid(w, `travel from ${a} to ${b}`);
      travel[a]!.push(w);
    }
  }
  const T = (a: number, b: number) => travel[a]![b]!;
  const lanes: Lane[] = [];
  problem.travellers.forEach((tr, k) => {
    onGrid(tr.bufferMinutes ?? 0, `travellers[${k}].bufferMinutes`);
    for (const d of tr.days) {
      onGrid(d.window.start, `travellers[${k}] window start`);
      onGrid(d.window.end, `travellers[${k}] window end`);
      lanes.push({ id: lanes.length, traveller: k, ws: d.window.start, we: d.window.end, start: d.startPlace, end: d.endPlace, buffer: tr.bufferMinutes ?? 0, meetings: [] });
    }
  });
  // travel must not depend on the time: sampled at every grid time of every lane
  for (const l of lanes)
    for (let t = l.ws; t <= l.we; t += step)
      for (let a = 0; a < P; a++)
        for (let b = 0; b < P; b++) {
          if (a === b) continue;
          const v = problem.travel(a, b, t);
          if ((v >= 0 ? v : Infinity) !== T(a, b)) throw new ExactModelError(`travel from ${a} to ${b} depends on the time of day`);
        }

  const rows: string[] = [];
  const priority: string[] = [];
  const cost: string[] = [];
  const binaries: string[] = [];
  const continuous: string[] = [];
  const zs: ExactModel['zs'] = [];
  const attend = new Map<string, string>();
  const index = new Map(problem.travellers.map((t, k) => [t.id, k]));
  const reachable = (l: Lane, p: number, t: number, e: number) => l.ws <= t && e <= l.we && l.ws + T(l.start, p) <= t && e + T(p, l.end) <= l.we;

  problem.requests.forEach((r, ri) => {
    onGrid(r.durationMinutes, `requests[${ri}].durationMinutes`);
    const must = r.mustAttend.map((id) => index.get(id)!);
    const may = r.mayAttend.map((id) => index.get(id)!).filter((k) => !must.includes(k));
    const zOfRequest: string[] = [];
    r.options.forEach((o, oi) => {
      const allowed = new Set(o.travellerIds.map((id) => index.get(id)));
      if (!must.every((k) => allowed.has(k))) return;
      const extras = may.filter((k) => allowed.has(k));
      const p = o.place;
      const starts = new Set<number>();
      for (const w of o.windows) {
        onGrid(w.start, `requests[${ri}].options[${oi}] window start`);
        onGrid(w.end, `requests[${ri}].options[${oi}] window end`);
        for (let t = w.start; t + r.durationMinutes <= w.end; t += step) starts.add(t);
      }
      for (const t of [...starts].sort((a, b) => a - b)) {
        const e = t + r.durationMinutes;
        const laneOf = (k: number) => lanes.find((l) => l.traveller === k && reachable(l, p, t, e));
        const mustLanes = must.map(laneOf);
        if (mustLanes.some((l) => !l)) continue;
        const extraLanes = extras.map((k) => ({ k, l: laneOf(k) })).filter((x) => x.l);
        if (must.length + extraLanes.length < r.minTravellers || must.length > r.maxTravellers) continue;
        const z = `z${ri}_${oi}_${t}`;
        binaries.push(z);
        priority.push(`${r.priority} ${z}`);
        zs.push({ name: z, r: ri, o: oi, t, place: p });
        zOfRequest.push(z);
        must.forEach((k, i) => {
          mustLanes[i]!.meetings.push({ v: z, p, t, e });
          attend.set(`${z}|${k}`, z);
        });
        const ys: string[] = [];
        for (const { k, l } of extraLanes) {
          const y = `y${ri}_${oi}_${t}_${k}`;
          binaries.push(y);
          ys.push(y);
          l!.meetings.push({ v: y, p, t, e });
          attend.set(`${z}|${k}`, y);
          rows.push(`${y} - ${z} <= 0`);
        }
        // between min and max travellers, must-attendees included
        if (ys.length > 0) {
          const lo = Math.max(0, r.minTravellers - must.length);
          const hi = r.maxTravellers - must.length;
          if (lo > 0) rows.push(`${ys.join(' + ')} - ${lo} ${z} >= 0`);
          if (hi < ys.length) rows.push(`${ys.join(' + ')} - ${hi} ${z} <= 0`);
        }
      }
    });
    if (zOfRequest.length > 1) rows.push(`${zOfRequest.join(' + ')} <= 1`);
  });

  // per lane, the event network
  for (const l of lanes) {
    if (l.meetings.length === 0) continue;
    const flow: Map<string, { ins: string[]; outs: string[] }> = new Map();
    const at = (n: string) => flow.get(n) ?? flow.set(n, { ins: [], outs: [] }).get(n)!;
    let arcs = 0;
    const arc = (from: string | null, to: string | null, c: number) => {
      const v = `f${l.id}_${arcs++}`;
      continuous.push(v);
      if (c !== 0) cost.push(`${c} ${v}`);
      if (from) at(from).outs.push(v);
      if (to) at(to).ins.push(v);
      return v;
    };
    const startsAt = new Map<number, number[]>(); // place -> sorted starts
    const endsAt = new Map<number, number[]>();
    for (const m of l.meetings) {
      (startsAt.get(m.p) ?? startsAt.set(m.p, []).get(m.p)!).push(m.t);
      (endsAt.get(m.p) ?? endsAt.set(m.p, []).get(m.p)!).push(m.e);
    }
    for (const [p, list] of startsAt) startsAt.set(p, [...new Set(list)].sort((a, b) => a - b));
    for (const [p, list] of endsAt) endsAt.set(p, [...new Set(list)].sort((a, b) => a - b));
    const A = (p: number, t: number) => `a${l.id}_${p}_${t}`;
    const D = (p: number, e: number) => `d${l.id}_${p}_${e}`;
    const source: string[] = [arc(null, null, 0)]; // an empty day
    for (const [p, list] of startsAt) {
      list.forEach((t, i) => {
        source.push(arc(null, A(p, t), T(l.start, p)));
        if (i + 1 < list.length) arc(A(p, t), A(p, list[i + 1]!), list[i + 1]! - t);
      });
    }
    for (const m of l.meetings) {
      at(A(m.p, m.t)).outs.push(m.v);
      at(D(m.p, m.e)).ins.push(m.v);
    }
    for (const [p, list] of endsAt)
      for (const e of list) {
        if (e + T(p, l.end) <= l.we) arc(D(p, e), null, T(p, l.end));
        for (const [q, qs] of startsAt) {
          const ready = e + l.buffer + T(p, q);
          const next = qs.find((t) => t >= ready);
          if (next !== undefined) arc(D(p, e), A(q, next), next - e);
        }
      }
    rows.push(`${source.join(' + ')} = 1`);
    for (const { ins, outs } of flow.values()) rows.push(`${[...ins.map((v) => `+ ${v}`), ...outs.map((v) => `- ${v}`)].join(' ')} = 0`);
  }

  // identical travellers: the same days and buffer, and the same part in every request and option
  let symmetryRows = 0;
  if (options.symmetry !== false) {
    const K = problem.travellers.length;
    const signature = (k: number) => {
      const t = problem.travellers[k]!;
      const id = t.id;
      const parts = [JSON.stringify(t.days.map((d) => [d.window.start, d.window.end, d.startPlace, d.endPlace])), String(t.bufferMinutes ?? 0)];
      for (const r of problem.requests) parts.push(`${r.mustAttend.includes(id) ? 'm' : r.mayAttend.includes(id) ? 'y' : '-'}${r.options.map((o) => (o.travellerIds.includes(id) ? 1 : 0)).join('')}`);
      return parts.join('|');
    };
    const groups = new Map<string, number[]>();
    for (let k = 0; k < K; k++) {
      const s = signature(k);
      (groups.get(s) ?? groups.set(s, []).get(s)!).push(k);
    }
    const held = (k: number) => lanes.filter((l) => l.traveller === k).flatMap((l) => l.meetings.map((m) => m.v));
    for (const ks of groups.values())
      for (let i = 0; i + 1 < ks.length; i++) {
        const a = held(ks[i]!);
        const b = held(ks[i + 1]!);
        if (a.length === 0) continue;
        rows.push(`${[...a.map((v) => `+ ${v}`), ...b.map((v) => `- ${v}`)].join(' ')} >= 0`);
        symmetryRows++;
      }
  }
  return { rows, priority, cost, binaries, continuous, zs, attend, symmetryRows };
}

function lpText(sense: 'Maximize' | 'Minimize', objective: string[], rows: string[], binaries: string[]) {
  const wrap = (terms: string) => terms.replace(/((?:\S+\s+){24})/g, '$1\n ');
  const obj = objective.length > 0 ? objective.join(' + ').replace(/\+ -/g, '- ') : '0 x_dummy';
  return [sense, ` obj: ${wrap(obj)}`, 'Subject To', ...rows.map((r, i) => ` c${i}: ${wrap(r)}`), 'Binary', ...binaries.map((b) => ` ${b}`), 'End'].join('\n');
}

export async function solveExact(problem: PlanningProblem, options: { step?: number; timeLimitSeconds?: number; symmetry?: boolean; log?: boolean } = {}): Promise<ExactResult> {
  const step = options.step ?? 15;
  const limit = options.timeLimitSeconds ?? 120;
  const t0 = performance.now();
  const model = buildExactModel(problem, step, { symmetry: options.symmetry });
  const solver = await highs();
  const settings = { output_flag: options.log === true, log_to_console: options.log === true, mip_rel_gap: 0, mip_abs_gap: 1e-6 };
  const size = { variables: model.binaries.length + model.continuous.length, binaries: model.binaries.length, constraints: model.rows.length };
  const none = (status: ExactResult['status'], phases: number[]): ExactResult => ({ status, priorityHeld: 0, cost: 0, held: [], seconds: (performance.now() - t0) / 1000, phases, ...size });
  if (model.zs.length === 0) return { ...none('optimal', [0, 0]) };
  // (1) the priority held
  let t1 = performance.now();
  const first = solver.solve(lpText('Maximize', model.priority, model.rows, model.binaries), { ...settings, time_limit: limit });
  const phase1 = (performance.now() - t1) / 1000;
  if (first.Status !== 'Optimal') return none(first.Status === 'Infeasible' ? 'infeasible' : 'other', [phase1]);
  const best = Math.round(first.ObjectiveValue);
  // (2) travel + idle, the priority held fixed
  t1 = performance.now();
  const rows = [...model.rows, `${model.priority.map((x) => `+ ${x}`).join(' ')} >= ${best}`];
  // the flow arcs binary too: the same optimum (see above), and HiGHS's cuts on them roughly halve the time here
  const second = solver.solve(lpText('Minimize', model.cost, rows, [...model.binaries, ...model.continuous]), { ...settings, time_limit: Math.max(1, limit - phase1) });
  const phase2 = (performance.now() - t1) / 1000;
  if (second.Status !== 'Optimal') return none('other', [phase1, phase2]);
  const value = (n: string) => Math.round(second.Columns[n]?.Primal ?? 0);
  const held: ExactResult['held'] = [];
  let priorityHeld = 0;
  for (const z of model.zs) {
    if (value(z.name) !== 1) continue;
    const r = problem.requests[z.r]!;
    priorityHeld += r.priority;
    const travellerIds = problem.travellers.filter((_, k) => { const v = model.attend.get(`${z.name}|${k}`); return v !== undefined && value(v) === 1; }).map((t) => t.id);
    held.push({ requestId: r.id, place: z.place, start: z.t, travellerIds });
  }
  return { status: 'optimal', priorityHeld, cost: Math.round(second.ObjectiveValue), held, seconds: (performance.now() - t0) / 1000, phases: [phase1, phase2], ...size };
}
