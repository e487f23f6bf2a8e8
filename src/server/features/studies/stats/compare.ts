// The difference of one message's effect between two populations. The samples are independent, so
// se = sqrt(se₁² + se₂²); the t reference uses the Welch–Satterthwaite degrees of freedom
// (se₁² + se₂²)² / (se₁⁴/df₁ + se₂⁴/df₂).
import { tQuantile, tTwoSidedP } from './distributions.ts';

export type Effect = { estimate: number; se: number; df: number };
export type EffectDifference = { estimate: number; se: number; df: number; ciLow: number; ciHigh: number; p: number };

/** first − second */
export function differenceOfEffects(first: Effect, second: Effect, alpha = 0.05): EffectDifference {
  const estimate = first.estimate - second.estimate;
  const v1 = first.se * first.se;
  const v2 = second.se * second.se;
  const se = Math.sqrt(v1 + v2);
  const df = (v1 + v2) ** 2 / ((v1 * v1) / first.df + (v2 * v2) / second.df);
  const half = tQuantile(1 - alpha / 2, df) * se;
  return { estimate, se, df, ciLow: estimate - half, ciHigh: estimate + half, p: tTwoSidedP(estimate / se, df) };
}
