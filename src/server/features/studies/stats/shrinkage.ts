// Empirical-Bayes shrinkage of the message effects within one population, so that the best-looking message is
// not oversold (the winner's curse). Normal–normal model: estimate_i ~ N(θ_i, se_i²), θ_i ~ N(μ, τ²).
// τ² is estimated by REML (the fixed-point iteration of Viechtbauer 2005, started from DerSimonian–Laird),
// μ by the precision-weighted mean. The shrunken estimate is μ + (1 − B_i)(estimate_i − μ) with
// B_i = se_i² / (se_i² + τ²); its standard error sqrt(se_i²(1 − B_i) + B_i² Var(μ̂)) counts the uncertainty of μ̂
// but not of τ̂² (Morris 1983), and its interval is normal (± z). With fewer than three messages τ² cannot be
// estimated usefully: the estimates are returned unchanged (`applied: false`).
import { normalQuantile } from './distributions.ts';

export type ShrunkEffect = { estimate: number; se: number; ciLow: number; ciHigh: number };
export type Shrinkage = {
  applied: boolean;
  method: 'REML';
  /** the estimated mean of the message effects (μ̂) */
  mean: number;
  /** the estimated between-message variance (τ̂²) */
  tau2: number;
  effects: ShrunkEffect[];
};

export const MIN_ARMS_FOR_SHRINKAGE = 3;

export function shrinkEffects(estimates: readonly number[], ses: readonly number[], alpha = 0.05): Shrinkage {
  const z = normalQuantile(1 - alpha / 2);
  const usable = estimates.map((_, i) => i).filter((i) => Number.isFinite(estimates[i]) && ses[i] > 0 && Number.isFinite(ses[i]));
  const unchanged = (i: number): ShrunkEffect => ({ estimate: estimates[i], se: ses[i], ciLow: estimates[i] - z * ses[i], ciHigh: estimates[i] + z * ses[i] });
  if (usable.length < MIN_ARMS_FOR_SHRINKAGE) return { applied: false, method: 'REML', mean: NaN, tau2: NaN, effects: estimates.map((_, i) => unchanged(i)) };

  const y = usable.map((i) => estimates[i]);
  const v = usable.map((i) => ses[i] * ses[i]);
  const k = y.length;
  const weightedMean = (w: number[]) => w.reduce((s, wi, i) => s + wi * y[i], 0) / w.reduce((s, wi) => s + wi, 0);

  // DerSimonian–Laird start
  const w0 = v.map((vi) => 1 / vi);
  const mu0 = weightedMean(w0);
  const q = w0.reduce((s, wi, i) => s + wi * (y[i] - mu0) ** 2, 0);
  const sw = w0.reduce((s, wi) => s + wi, 0);
  const sw2 = w0.reduce((s, wi) => s + wi * wi, 0);
  let tau2 = Math.max(0, (q - (k - 1)) / (sw - sw2 / sw));
  for (let iter = 0; iter < 1000; iter++) {
    const w = v.map((vi) => 1 / (vi + tau2));
    const mu = weightedMean(w);
    const sumW = w.reduce((s, wi) => s + wi, 0);
    const sumW2 = w.reduce((s, wi) => s + wi * wi, 0);
    const num = w.reduce((s, wi, i) => s + wi * wi * ((y[i] - mu) ** 2 - v[i]), 0);
    const next = Math.max(0, num / sumW2 + 1 / sumW);
    const done = Math.abs(next - tau2) <= 1e-12 * Math.max(1e-12, tau2);
    tau2 = next;
    if (done) break;
  }
  const w = v.map((vi) => 1 / (vi + tau2));
  const mean = weightedMean(w);
  const varMean = 1 / w.reduce((s, wi) => s + wi, 0);
  const effects = estimates.map((_, i) => {
    if (!usable.includes(i)) return unchanged(i);
    const vi = ses[i] * ses[i];
    const b = vi / (vi + tau2);
    const estimate = mean + (1 - b) * (estimates[i] - mean);
    const se = Math.sqrt(vi * (1 - b) + b * b * varMean);
    return { estimate, se, ciLow: estimate - z * se, ciHigh: estimate + z * se };
  });
  return { applied: true, method: 'REML', mean, tau2, effects };
}
