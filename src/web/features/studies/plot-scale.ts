import type { Analysis } from './studies.api.ts';

// The horizontal scale of the coefficient plots.

export type Domain = [number, number];

/** One scale for every population of an outcome, so the plots side by side can be compared by eye. */
export function sharedDomain(a: Analysis): Domain {
  const values = [0];
  for (const p of a.populations)
    for (const arm of p.arms) {
      for (const v of [arm.ciLow, arm.ciHigh, arm.estimate, arm.shrunk?.ciLow, arm.shrunk?.ciHigh]) if (typeof v === 'number' && Number.isFinite(v)) values.push(v);
    }
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (hi - lo < 1e-9) [lo, hi] = [lo - 1, hi + 1];
  const step = niceStep((hi - lo) / 5);
  return [Math.floor(lo / step) * step, Math.ceil(hi / step) * step];
}

function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10) * p;
}

export function ticks([lo, hi]: Domain): number[] {
  const step = niceStep((hi - lo) / 5);
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-6; v += step) out.push(Math.abs(v) < step * 1e-6 ? 0 : Number(v.toPrecision(12)));
  return out;
}

