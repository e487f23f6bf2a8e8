// Power and minimum detectable effects for the design screen. Two-arm comparison (a message against
// control) with equal arms: se = sd·sqrt(2·DE / n), MDE = (t₁₋α/₂ + t_power)·se on n_control + n_arm − 2
// degrees of freedom (Bloom 1995; within 0.1% of R's power.t.test for n ≥ 20 per arm). DE is the design
// effect of clustering, 1 + (m − 1)·ICC for clusters of m people. For the difference of one message's effect
// between two populations, se = sqrt(se₁² + se₂²) with Welch–Satterthwaite degrees of freedom.
import { tQuantile } from './distributions.ts';

export type PowerSettings = { alpha?: number; power?: number; designEffect?: number };
export type PopulationDesign = { nPerArm: number; sd: number };

export function designEffect(clusterSize: number, icc: number): number {
  return 1 + (clusterSize - 1) * icc;
}

function multiplier(df: number, alpha: number, power: number): number {
  return tQuantile(1 - alpha / 2, df) + tQuantile(power, df);
}

/** The smallest true effect a message-versus-control comparison detects with the given power. */
export function minimumDetectableEffect(input: PopulationDesign & PowerSettings): number {
  const { nPerArm, sd, alpha = 0.05, power = 0.8, designEffect: de = 1 } = input;
  if (!(nPerArm > 1)) return NaN;
  return multiplier(2 * nPerArm - 2, alpha, power) * sd * Math.sqrt((2 * de) / nPerArm);
}

/** The smallest difference between two populations' effects of one message that is detected with the given power. */
export function minimumDetectableDifference(input: { populations: readonly [PopulationDesign, PopulationDesign] } & PowerSettings): number {
  const { populations, alpha = 0.05, power = 0.8, designEffect: de = 1 } = input;
  if (!populations.every((p) => p.nPerArm > 1)) return NaN;
  const v = populations.map((p) => (2 * de * p.sd * p.sd) / p.nPerArm);
  const df = (v[0] + v[1]) ** 2 / ((v[0] * v[0]) / (2 * populations[0].nPerArm - 2) + (v[1] * v[1]) / (2 * populations[1].nPerArm - 2));
  return multiplier(df, alpha, power) * Math.sqrt(v[0] + v[1]);
}

function smallestN(mdeAt: (n: number) => number, target: number): number {
  if (!(target > 0)) return NaN;
  let hi = 2;
  while (mdeAt(hi) > target) {
    hi *= 2;
    if (hi > 1e12) return Infinity;
  }
  let lo = Math.max(2, Math.floor(hi / 2));
  if (mdeAt(lo) <= target) return lo;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (mdeAt(mid) <= target) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** People needed in each arm (control and each message) to detect `mde` against control. */
export function sampleSizePerArm(input: { mde: number; sd: number } & PowerSettings): number {
  return smallestN((n) => minimumDetectableEffect({ ...input, nPerArm: n }), input.mde);
}

/** People needed in each arm of each of two populations (equal sizes) to detect a difference `mde` in one message's effect. */
export function sampleSizePerArmForDifference(input: { mde: number; sds: readonly [number, number] } & PowerSettings): number {
  const [sd1, sd2] = input.sds;
  return smallestN((n) => minimumDetectableDifference({ ...input, populations: [{ nPerArm: n, sd: sd1 }, { nPerArm: n, sd: sd2 }] }), input.mde);
}
