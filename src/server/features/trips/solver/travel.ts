// Travel between places as the solver uses it, memoised: time-dependent (a checkpoint at rush hour), and a traveller
// may wait before leaving when leaving later arrives earlier (the extras need not be FIFO).
import type { Minute, TravelTime } from './model.ts';

/** Departures are tried every STEP minutes when looking for a better time to leave. */
export const DEPARTURE_STEP = 5;

// memos per pair of places, keyed by the minute (small integers hash fast; one key for pair and minute did not fit
// in a small integer and was the planner's hottest spot)
type Memo = Array<Map<number, number> | undefined>;

export class Travel {
  private readonly raw: Memo = [];
  private readonly best: Memo = [];
  private readonly latest: Memo = [];
  constructor(
    private readonly fn: TravelTime,
    private readonly places: number,
    private readonly online: (place: number) => boolean,
  ) {}

  private memo(memo: Memo, from: number, to: number): Map<number, number> {
    const pair = from * this.places + to;
    let m = memo[pair];
    if (!m) {
      m = new Map();
      memo[pair] = m;
    }
    return m;
  }

  /** Door-to-door minutes leaving `from` for `to` at `at`; 0 when either is online or they are the same. */
  time(from: number, to: number, at: Minute): number {
    if (from === to || this.online(from) || this.online(to)) return 0;
    const memo = this.memo(this.raw, from, to);
    let v = memo.get(at);
    if (v === undefined) {
      v = this.fn(from, to, at);
      if (!(v >= 0)) v = Infinity; // NaN, negative or Infinity: no way
      memo.set(at, v);
    }
    return v;
  }

  /** The departure at or after `ready` that arrives first (Infinity when there is no way). */
  departure(from: number, to: number, ready: Minute): Minute {
    if (from === to) return ready;
    const bestOf = this.memo(this.best, from, to);
    const memo = bestOf.get(ready);
    if (memo !== undefined) return memo;
    let bestDepart = ready;
    let bestArrive = ready + this.time(from, to, ready);
    if (!Number.isFinite(bestArrive)) bestArrive = ready + 24 * 60; // look a day ahead for a way
    for (let d = Math.floor(ready / DEPARTURE_STEP) * DEPARTURE_STEP + DEPARTURE_STEP; d < bestArrive; d += DEPARTURE_STEP) {
      const a = d + this.time(from, to, d);
      if (a < bestArrive) {
        bestArrive = a;
        bestDepart = d;
      }
    }
    const result = Number.isFinite(ready + this.time(from, to, bestDepart === ready ? ready : bestDepart)) ? bestDepart : Infinity;
    bestOf.set(ready, result);
    return result;
  }

  /** The earliest arrival at `to` leaving `from` at or after `ready`. */
  arrive(from: number, to: number, ready: Minute): Minute {
    if (from === to) return ready;
    const d = this.departure(from, to, ready);
    return Number.isFinite(d) ? d + this.time(from, to, d) : Infinity;
  }

  /** The latest departure from `from` that reaches `to` by `by` (-Infinity when none within a day). */
  latestDeparture(from: number, to: number, by: Minute): Minute {
    if (from === to) return by;
    const latestOf = this.memo(this.latest, from, to);
    const memo = latestOf.get(by);
    if (memo !== undefined) return memo;
    let d = by - this.time(from, to, by);
    if (Number.isFinite(d)) {
      let guard = 0;
      while (d + this.time(from, to, d) > by && guard++ < 288) d -= DEPARTURE_STEP;
      if (guard >= 288) d = -Infinity;
      else while (d + DEPARTURE_STEP + this.time(from, to, d + DEPARTURE_STEP) <= by && d + DEPARTURE_STEP <= by) d += DEPARTURE_STEP;
    } else {
      d = -Infinity;
      for (let t = Math.floor(by / DEPARTURE_STEP) * DEPARTURE_STEP; t > by - 24 * 60; t -= DEPARTURE_STEP)
        if (t + this.time(from, to, t) <= by) {
          d = t;
          break;
        }
    }
    latestOf.set(by, d);
    return d;
  }
}
