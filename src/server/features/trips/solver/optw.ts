// The Orienteering Problem with Time Windows (OPTW / TOPTW with several routes): an iterated local search after
// Vansteenwegen, Souffriau, Vanden Berghe & Van Oudheusden (2009), "Iterated local search for the team
// orienteering problem with time windows", with a randomised insertion and a replace move of our own.
//
// - Insertion keeps, per visit, its wait and its "maxShift" (how much later its service may start without making
//   any later visit or the return to the depot late), so that a candidate insertion is checked in O(1):
//   shift = t(i,j) + wait_j + d_j + t(j,k) - t(i,k) must not exceed wait_k + maxShift_k.
//   Candidates are ranked by profit² / shift, perturbed by a random factor (a GRASP-like choice).
// - Local search: a visited vertex is replaced by an unvisited one of higher profit when that fits.
// - Shake: a random run of consecutive visits is removed from each route; the schedule moves earlier.
// - The best solution is restored after a run of shakes that found nothing better.
// Deterministic for a seed and an iteration count; with a time limit, the number of iterations depends on speed.
import type { OptwInstance } from './optw-format.ts';
import { below, seeded } from './random.ts';

export interface OptwSolution {
  score: number;
  /** Visits per route, in order, depot excluded. */
  routes: number[][];
}

export interface OptwOptions {
  paths?: number;
  timeLimitMs?: number;
  /** Stop after this many shakes (for reproducible runs regardless of speed). */
  maxIterations?: number;
  seed?: number;
  /** Stop as soon as this score is reached (e.g. a known optimum, for benches). */
  target?: number;
}

interface Schedule {
  start: number[];
  wait: number[];
  maxShift: number[];
  /** Arrival back at the depot. */
  back: number;
}

function schedule(inst: OptwInstance, route: number[]): Schedule | undefined {
  const N = inst.n + 1;
  const T = inst.travel;
  const L = route.length;
  const start = new Array<number>(L);
  const wait = new Array<number>(L);
  const maxShift = new Array<number>(L);
  let prev = 0;
  let end = inst.service[0]!; // leaves the depot at 0, after its (zero) service
  for (let p = 0; p < L; p++) {
    const v = route[p]!;
    const a = end + T[prev * N + v]!;
    const s = a > inst.open[v]! ? a : inst.open[v]!;
    if (s > inst.close[v]!) return undefined;
    start[p] = s;
    wait[p] = s - a;
    end = s + inst.service[v]!;
    prev = v;
  }
  const back = end + T[prev * N]!;
  if (back > inst.tmax) return undefined;
  let nextSlack = inst.tmax - back; // wait (0) + maxShift of the return
  for (let p = L - 1; p >= 0; p--) {
    const v = route[p]!;
    const ms = Math.min(inst.close[v]! - start[p]!, nextSlack);
    maxShift[p] = ms;
    nextSlack = wait[p]! + ms;
  }
  return { start, wait, maxShift, back };
}

export function scoreOf(inst: OptwInstance, routes: number[][]): number {
  let s = 0;
  for (const r of routes) for (const v of r) s += inst.profit[v]!;
  return s;
}

export function solveOptw(inst: OptwInstance, options: OptwOptions = {}): OptwSolution {
  const paths = Math.max(1, options.paths ?? 1);
  const timeLimitMs = options.timeLimitMs ?? 1500;
  const maxIterations = options.maxIterations ?? Infinity;
  const random = seeded(options.seed ?? 1);
  const N = inst.n + 1;
  const T = inst.travel;
  const deadline = performance.now() + timeLimitMs;

  // vertices that can be visited at all on their own
  const candidates: number[] = [];
  for (let v = 1; v <= inst.n; v++) {
    if (inst.profit[v]! <= 0) continue;
    if (schedule(inst, [v])) candidates.push(v);
  }

  const routes: number[][] = Array.from({ length: paths }, () => []);
  const schedules: Schedule[] = routes.map((r) => schedule(inst, r)!);
  const visited = new Uint8Array(N);

  /** Insert vertices while any fits, choosing among the best ratios with noise. */
  function fill(noise: number) {
    for (;;) {
      let bestRatio = -1;
      let bestV = -1;
      let bestR = -1;
      let bestP = -1;
      for (let r = 0; r < paths; r++) {
        const route = routes[r]!;
        const sch = schedules[r]!;
        const L = route.length;
        for (let p = 0; p <= L; p++) {
          const prev = p === 0 ? 0 : route[p - 1]!;
          const prevEnd = p === 0 ? inst.service[0]! : sch.start[p - 1]! + inst.service[prev]!;
          const next = p === L ? 0 : route[p]!;
          const slack = p === L ? inst.tmax - sch.back : sch.wait[p]! + sch.maxShift[p]!;
          const tpn = T[prev * N + next]!;
          for (const j of candidates) {
            if (visited[j]) continue;
            const a = prevEnd + T[prev * N + j]!;
            const s = a > inst.open[j]! ? a : inst.open[j]!;
            if (s > inst.close[j]!) continue;
            const shift = s - prevEnd + inst.service[j]! + T[j * N + next]! - tpn;
            if (shift > slack) continue;
            let ratio = (inst.profit[j]! * inst.profit[j]!) / (shift + 1);
            if (noise > 0) ratio *= 1 + noise * random();
            if (ratio > bestRatio) {
              bestRatio = ratio;
              bestV = j;
              bestR = r;
              bestP = p;
            }
          }
        }
      }
      if (bestV < 0) return;
      routes[bestR]!.splice(bestP, 0, bestV);
      visited[bestV] = 1;
      schedules[bestR] = schedule(inst, routes[bestR]!)!;
    }
  }

  /** Where `j` fits best (least shift) in route r, or -1. */
  function bestPosition(r: number, j: number): number {
    const route = routes[r]!;
    const sch = schedules[r]!;
    const L = route.length;
    let best = -1;
    let bestShift = Infinity;
    for (let p = 0; p <= L; p++) {
      const prev = p === 0 ? 0 : route[p - 1]!;
      const prevEnd = p === 0 ? inst.service[0]! : sch.start[p - 1]! + inst.service[prev]!;
      const next = p === L ? 0 : route[p]!;
      const slack = p === L ? inst.tmax - sch.back : sch.wait[p]! + sch.maxShift[p]!;
      const a = prevEnd + T[prev * N + j]!;
      const s = a > inst.open[j]! ? a : inst.open[j]!;
      if (s > inst.close[j]!) continue;
      const shift = s - prevEnd + inst.service[j]! + T[j * N + next]! - T[prev * N + next]!;
      if (shift <= slack && shift < bestShift) {
        bestShift = shift;
        best = p;
      }
    }
    return best;
  }

  /** Replace a visit by an unvisited vertex of higher profit while one fits. */
  function replace(): boolean {
    let improved = false;
    for (let again = true; again; ) {
      again = false;
      for (const u of candidates) {
        if (visited[u]) continue;
        for (let r = 0; r < paths && !again; r++) {
          const route = routes[r]!;
          for (let p = 0; p < route.length; p++) {
            const v = route[p]!;
            if (inst.profit[v]! >= inst.profit[u]!) continue;
            route.splice(p, 1);
            const sch = schedule(inst, route)!; // removing a visit never makes a route infeasible
            const saved = schedules[r]!;
            schedules[r] = sch;
            const q = bestPosition(r, u);
            if (q >= 0) {
              route.splice(q, 0, u);
              schedules[r] = schedule(inst, route)!;
              visited[u] = 1;
              visited[v] = 0;
              again = improved = true;
              break;
            }
            route.splice(p, 0, v);
            schedules[r] = saved;
          }
        }
        if (again) break;
      }
    }
    return improved;
  }

  function shake() {
    for (let r = 0; r < paths; r++) {
      const route = routes[r]!;
      if (route.length === 0) continue;
      const len = 1 + below(random, Math.max(1, Math.ceil(route.length / 2)));
      const at = below(random, route.length);
      const removed = route.splice(at, len);
      for (const v of removed) visited[v] = 0;
      schedules[r] = schedule(inst, route)!;
    }
  }

  const total = () => scoreOf(inst, routes);
  fill(0);
  replace();
  fill(0);
  let best: OptwSolution = { score: total(), routes: routes.map((r) => [...r]) };
  let current = best.score;
  let sinceBest = 0;
  for (let it = 0; it < maxIterations; it++) {
    if (options.target !== undefined && best.score >= options.target) break;
    if ((it & 7) === 0 && performance.now() > deadline) break;
    shake();
    fill(0.6);
    if (replace()) fill(0.2);
    const s = total();
    if (s > best.score) {
      best = { score: s, routes: routes.map((r) => [...r]) };
      sinceBest = 0;
    } else sinceBest++;
    current = s;
    // back to the best after a while without progress, or when far below it
    if (sinceBest > 0 && (sinceBest % 200 === 0 || current < best.score * 0.85)) {
      for (let v = 0; v < N; v++) visited[v] = 0;
      best.routes.forEach((r, i) => {
        routes[i] = [...r];
        for (const v of r) visited[v] = 1;
        schedules[i] = schedule(inst, routes[i]!)!;
      });
    }
  }
  return best;
}
