// Travel between places as the solver uses it, memoised: time-dependent (a checkpoint at rush hour), and a traveller
// may wait before leaving when leaving later arrives earlier (the extras need not be FIFO).
import type { Minute, TravelTime } from './model.ts';

/** Departures are tried every STEP minutes when looking for a better time to leave. */
export const DEPARTURE_STEP = 5;

const SPAN = 4_194_304; // 2^22 minutes (about 8 years) of keys per pair
const OFFSET = 2_097_152;

export class Travel {
  private readonly raw = new Map<number, number>();
  private readonly best = new Map<number, number>();
  private readonly latest = new Map<number, number>();
  constructor(
    private readonly fn: TravelTime,
    private readonly places: number,
    private readonly online: (place: number) => boolean,
  ) {}

  private key(from: number, to: number, at: Minute): number {
    return (from * this.places + to) * SPAN + (at + OFFSET);
  }

  /** Door-to-door minutes leaving `from` for `to` at `at`; 0 when either is online or they are the same. */
  time(from: number, to: number, at: Minute): number {
    if (from === to || this.online(from) || this.online(to)) return 0;
    const k = this.key(from, to, at);
    let v = this.raw.get(k);
    if (v === undefined) {
      v = this.fn(from, to, at);
      if (!(v >= 0)) v = Infinity; // NaN, negative or Infinity: no way
      this.raw.set(k, v);
    }
    return v;
  }

  /** The departure at or after `ready` that arrives first (Infinity when there is no way). */
  departure(from: number, to: number, ready: Minute): Minute {
    if (from === to) return ready;
    const k = this.key(from, to, ready);
    const memo = this.best.get(k);
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
    this.best.set(k, result);
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
    const k = this.key(from, to, by);
    const memo = this.latest.get(k);
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
    this.latest.set(k, d);
    return d;
  }
}
