// The planner's model as a mixed-integer programme, solved exactly by HiGHS (npm `highs`, WebAssembly), for small
// trips: to prove the iterated local search right on them (planner.milp.test.ts) and to give 'optimal' plans.
//
// Time-indexed on a grid of `step` minutes (15 by default): every window, duration, buffer and travel time must
// be a multiple of it, and travel must not depend on the time of day (checked at every grid time). On such data
// every plan can be moved onto the grid without changing its objective, so the grid loses nothing.
// Fixed items, pinned items, online places and `previous` are not modelled: a problem with any is refused.
//
// Per lane (a traveller's working day) a path in a time-expanded network from a source to a sink:
//   nodes (place p, time τ) for τ on the grid of the lane's window;
//   source -> (start place, τ)         leaving the base at τ
//   (end place, τ) -> sink             back at the base at τ
//   source -> sink                     a day with nothing in it (cost 0)
//   (p, τ) -> (p, τ + step)            waiting (cost step)
//   (p, τ) -> (q, τ + T(p, q))         travel (cost T)
//   (p, t) -> (p, t + d + b)           request r held at option o (place p) from t, then a buffer b (cost b)
//   (p, t) -> sink                     the same as the day's last item, then travel home (cost T(p, end))
// The arcs' lengths add up to the day's span, so Σ cost = span − minutes in meetings = travel + idle, as in
// the planner. z[r,o,t] says r is held at o from t: Σ z <= 1 per request; a must-attendee's meeting arcs
// equal z, a may-attendee's are at most z, and between minTravellers·z and maxTravellers·z travellers attend.
// Objective: maximise M · (priority held) − (travel + idle), with M above any day's cost: lexicographic.
import type { PlanningProblem } from './model.ts';

export interface ExactResult {
  status: 'optimal' | 'infeasible' | 'other';
  priorityHeld: number;
  /** travel + idle minutes */
  cost: number;
  /** Request ids held, with start and travellers. */
  held: Array<{ requestId: string; place: number; start: number; travellerIds: string[] }>;
  seconds: number;
  variables: number;
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

export function buildExactModel(problem: PlanningProblem, step = 15) {
  if (problem.fixed.length > 0 || problem.pinned.length > 0 || (problem.previous?.length ?? 0) > 0) throw new ExactModelError('fixed items, pinned items and previous placements are not modelled');
  if (problem.places.some((p) => p.online)) throw new ExactModelError('online places are not modelled');
  const onGrid = (v: number, what: string) => {
    if (!Number.isInteger(v / step)) throw new ExactModelError(`${what} (${v}) is not a multiple of ${step} minutes`);
  };
  const P = problem.places.length;
  const T = (a: number, b: number) => (a === b ? 0 : problem.travel(a, b, 0));
  const travel: number[][] = [];
  for (let a = 0; a < P; a++) {
    travel.push([]);
    for (let b = 0; b < P; b++) {
      const v = T(a, b);
      if (Number.isFinite(v)) onGrid(v, `travel from ${a} to ${b}`);
      travel[a]!.push(v);
    }
  }
  const rows: string[] = [];
  const objective: string[] = [];
  const binaries: string[] = [];
  const cost = (name: string, c: number) => {
    binaries.push(name);
    if (c !== 0) objective.push(`- ${c} ${name}`);
  };
  let M = 1;
  interface LaneInfo {
    id: number;
    traveller: number;
    ws: number;
    we: number;
    start: number;
    end: number;
    buffer: number;
    inflow: Map<string, string[]>;
    outflow: Map<string, string[]>;
  }
  const lanes: LaneInfo[] = [];
  const node = (p: number, t: number) => `${p}_${t}`;
  problem.travellers.forEach((tr, k) => {
    onGrid(tr.bufferMinutes ?? 0, `travellers[${k}].bufferMinutes`);
    for (const d of tr.days) {
      onGrid(d.window.start, `travellers[${k}] window start`);
      onGrid(d.window.end, `travellers[${k}] window end`);
      lanes.push({ id: lanes.length, traveller: k, ws: d.window.start, we: d.window.end, start: d.startPlace, end: d.endPlace, buffer: tr.bufferMinutes ?? 0, inflow: new Map(), outflow: new Map() });
      M += d.window.end - d.window.start;
    }
  });
  // sample the travel function at every grid time of every lane: it must not depend on the time
  for (const l of lanes)
    for (let t = l.ws; t <= l.we; t += step)
      for (let a = 0; a < P; a++) for (let b = 0; b < P; b++) if (a !== b && problem.travel(a, b, t) !== travel[a]![b]) throw new ExactModelError(`travel from ${a} to ${b} depends on the time of day`);
  const arc = (l: LaneInfo, name: string, from: string | null, to: string | null, c: number) => {
    cost(name, c);
    if (from) (l.outflow.get(from) ?? l.outflow.set(from, []).get(from)!).push(name);
    if (to) (l.inflow.get(to) ?? l.inflow.set(to, []).get(to)!).push(name);
  };
  const source: Map<number, string[]> = new Map();
  for (const l of lanes) {
    const src: string[] = [`e${l.id}`];
    cost(`e${l.id}`, 0);
    for (let t = l.ws; t <= l.we; t += step) {
      arc(l, `s${l.id}_${t}`, null, node(l.start, t), 0);
      src.push(`s${l.id}_${t}`);
      arc(l, `k${l.id}_${t}`, node(l.end, t), null, 0);
      for (let p = 0; p < P; p++) {
        if (t + step <= l.we) arc(l, `w${l.id}_${p}_${t}`, node(p, t), node(p, t + step), step);
        for (let q = 0; q < P; q++) if (q !== p && t + travel[p]![q]! <= l.we) arc(l, `v${l.id}_${p}_${q}_${t}`, node(p, t), node(q, t + travel[p]![q]!), travel[p]![q]!);
      }
    }
    source.set(l.id, src);
  }
  const zs: Array<{ name: string; r: number; o: number; t: number }> = [];
  const attend = new Map<string, string[]>(); // z name + traveller -> meeting arcs
  problem.requests.forEach((r, ri) => {
    onGrid(r.durationMinutes, `requests[${ri}].durationMinutes`);
    const must = new Set(r.mustAttend.map((id) => problem.travellers.findIndex((t) => t.id === id)));
    const may = new Set(r.mayAttend.map((id) => problem.travellers.findIndex((t) => t.id === id)));
    const zOfRequest: string[] = [];
    r.options.forEach((o, oi) => {
      const allowed = new Set(o.travellerIds.map((id) => problem.travellers.findIndex((t) => t.id === id)));
      if (![...must].every((k) => allowed.has(k))) return;
      const eligible = [...must, ...[...may].filter((k) => allowed.has(k) && !must.has(k))];
      const starts = new Set<number>();
      for (const w of o.windows) {
        onGrid(w.start, `requests[${ri}].options[${oi}] window start`);
        onGrid(w.end, `requests[${ri}].options[${oi}] window end`);
        for (let t = w.start; t + r.durationMinutes <= w.end; t += step) starts.add(t);
      }
      for (const t of starts) {
        const end = t + r.durationMinutes;
        const laneOf = (k: number) => lanes.find((l) => l.traveller === k && l.ws <= t && end <= l.we);
        if ([...must].some((k) => !laneOf(k))) continue;
        const z = `z${ri}_${oi}_${t}`;
        const ys: string[] = [];
        const members: Array<{ k: number; arcs: string[] }> = [];
        for (const k of eligible) {
          const l = laneOf(k);
          if (!l) continue;
          const arcs: string[] = [];
          const p = o.place;
          if (end + l.buffer <= l.we) {
            arc(l, `m${ri}_${oi}_${t}_${k}_c`, node(p, t), node(p, end + l.buffer), l.buffer);
            arcs.push(`m${ri}_${oi}_${t}_${k}_c`);
          }
          if (end + travel[p]![l.end]! <= l.we) {
            arc(l, `m${ri}_${oi}_${t}_${k}_f`, node(p, t), null, travel[p]![l.end]!);
            arcs.push(`m${ri}_${oi}_${t}_${k}_f`);
          }
          if (arcs.length === 0) continue;
          members.push({ k, arcs });
          ys.push(...arcs);
        }
        if ([...must].some((k) => !members.some((m) => m.k === k))) continue;
        if (members.length < r.minTravellers) continue;
        binaries.push(z);
        objective.push(`+ ${M * r.priority} ${z}`);
        zs.push({ name: z, r: ri, o: oi, t });
        zOfRequest.push(z);
        for (const m of members) {
          rows.push(`${m.arcs.join(' + ')} - ${z} ${must.has(m.k) ? '=' : '<='} 0`);
          attend.set(`${z}|${m.k}`, m.arcs);
        }
        rows.push(`${ys.join(' + ')} - ${r.minTravellers} ${z} >= 0`);
        rows.push(`${ys.join(' + ')} - ${r.maxTravellers} ${z} <= 0`);
      }
    });
    if (zOfRequest.length > 0) rows.push(`${zOfRequest.join(' + ')} <= 1`);
  });
  for (const l of lanes) {
    rows.push(`${source.get(l.id)!.join(' + ')} = 1`);
    const nodes = new Set([...l.inflow.keys(), ...l.outflow.keys()]);
    for (const n of nodes) {
      const ins = l.inflow.get(n) ?? [];
      const outs = l.outflow.get(n) ?? [];
      rows.push(`${[...ins.map((v) => `+ ${v}`), ...outs.map((v) => `- ${v}`)].join(' ')} = 0`);
    }
  }
  const wrap = (terms: string) => terms.replace(/((?:\S+\s+){24})/g, '$1\n ');
  const lp = ['Maximize', ` obj: ${wrap(objective.join(' ') || '0 e0')}`, 'Subject To', ...rows.map((r, i) => ` c${i}: ${wrap(r)}`), 'Binary', ...binaries.map((b) => ` ${b}`), 'End'].join('\n');
  return { lp, M, zs, attend, variables: binaries.length, constraints: rows.length };
}

export async function solveExact(problem: PlanningProblem, options: { step?: number; timeLimitSeconds?: number } = {}): Promise<ExactResult> {
  const step = options.step ?? 15;
  const t0 = performance.now();
  const model = buildExactModel(problem, step);
  const solver = await highs();
  const solution = solver.solve(model.lp, { output_flag: false, mip_rel_gap: 0, mip_abs_gap: 1e-6, time_limit: options.timeLimitSeconds ?? 120 });
  const seconds = (performance.now() - t0) / 1000;
  if (solution.Status !== 'Optimal') return { status: solution.Status === 'Infeasible' ? 'infeasible' : 'other', priorityHeld: 0, cost: 0, held: [], seconds, variables: model.variables, constraints: model.constraints };
  const value = (n: string) => Math.round(solution.Columns[n]?.Primal ?? 0);
  const held: ExactResult['held'] = [];
  let priorityHeld = 0;
  for (const z of model.zs) {
    if (value(z.name) !== 1) continue;
    const r = problem.requests[z.r]!;
    priorityHeld += r.priority;
    const travellerIds = problem.travellers.filter((_, k) => (model.attend.get(`${z.name}|${k}`) ?? []).some((a) => value(a) === 1)).map((t) => t.id);
    held.push({ requestId: r.id, place: r.options[z.o]!.place, start: z.t, travellerIds });
  }
  const objective = Math.round(solution.ObjectiveValue);
  return { status: 'optimal', priorityHeld, cost: model.M * priorityHeld - objective, held, seconds, variables: model.variables, constraints: model.constraints };
}
