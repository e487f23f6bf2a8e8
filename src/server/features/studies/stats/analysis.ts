// Each message against control, per population (and pooled on request), as R's estimatr computes it.
//
// Which estimatr call: each arm is compared with control on the control + arm rows only, i.e.
//   lm_robust(y ~ treat, data = subset(d, treat %in% c(control, arm)), se_type = se, clusters = cluster)
//   lm_robust(y ~ treat + x1 + x2, data = <same subset>, ...)             (adjustment "additive")
//   lm_lin(y ~ treat, covariates = ~ x1 + x2, data = <same subset>, ...)   (adjustment "lin": covariates centred
//                                                                            on the subset's means, × treatment)
// Unadjusted with HC2, the estimate and standard error equal those of one regression on all arms,
// lm_robust(y ~ factor(treat)) (HC2 of a saturated dummy model is the Neyman variance s²_arm/n_arm + s²_c/n_c);
// only its df (n_all − number of arms) differs. With covariates or clusters the two differ; the subset form keeps
// each comparison's covariate model and clusters to the people in it, and is the subset estimatr's
// difference_in_means(condition1 = control, condition2 = arm) analyses. Degrees of freedom: n − k for HC*,
// estimatr's Satterthwaite (Bell–McCaffrey) df for CR2.
// Intervals are t-based, two-sided, at 1 − α.
import { differenceOfEffects, type EffectDifference } from './compare.ts';
import { differenceInMeansCr2 } from './difference-in-means.ts';
import { tQuantile, tTwoSidedP } from './distributions.ts';
import { benjaminiHochberg, holm } from './multiplicity.ts';
import { fitOls, type SeType } from './ols.ts';
import { shrinkEffects, type ShrunkEffect } from './shrinkage.ts';
import type { StudyData } from './study-data.ts';
import { type Verdict, verdictFor } from './verdict.ts';

export type Adjustment = 'none' | 'additive' | 'lin';

export type AnalysisOptions = {
  /** the treatment label of the control condition */
  control: string;
  /** default HC2, or CR2 when the data is clustered; a clustered study needs CR2 */
  se?: SeType;
  /** covariate adjustment when the data has covariates (default "lin"); "none" ignores them */
  adjustment?: Adjustment;
  /** significance level for intervals, adjusted p-values and verdicts (default 0.05) */
  alpha?: number;
  /** also analyse all populations together */
  pooled?: boolean;
};

export type ArmEffect = {
  arm: string;
  /** respondents in this arm with an outcome (and covariates) */
  n: number;
  mean: number;
  /** left out: no outcome */
  missing: number;
  /** left out: a covariate missing */
  missingCovariates: number;
  /** the effect against control and its standard error (NaN when fewer than 2 people in the arm or control) */
  estimate: number;
  se: number;
  df: number;
  ciLow: number;
  ciHigh: number;
  p: number;
  /** p adjusted across the arms of this population: Holm (family-wise) and Benjamini–Hochberg (false discovery rate) */
  pHolm: number;
  pBH: number;
  /** empirical-Bayes shrunken effect (see shrinkage.ts) */
  shrunk: ShrunkEffect;
  /** CR2: clusters in the comparison */
  clusters?: number;
};

export type PopulationAnalysis = {
  name: string;
  control: { n: number; mean: number; missing: number; missingCovariates: number };
  arms: ArmEffect[];
  shrinkage: { applied: boolean; method: 'REML'; mean: number; tau2: number };
};

export type PopulationDifference = { populations: [string, string] } & EffectDifference;

export type MessageSummary = {
  arm: string;
  verdict: Verdict;
  /** the effect in the first population minus the effect in the second, for each pair of populations */
  differences: PopulationDifference[];
};

export type StudyAnalysis = {
  control: string;
  se: SeType;
  adjustment: Adjustment;
  covariates: string[];
  alpha: number;
  populations: PopulationAnalysis[];
  pooled?: PopulationAnalysis;
  messages: MessageSummary[];
  /** rows without a treatment, population or cluster label */
  unlabelled: number;
};

/** A problem with the options for this data (unknown control label, an se type that does not fit). */
export class AnalysisError extends Error {}

const naturalOrder = new Intl.Collator('en', { numeric: true }).compare;

/** The arm index of the control label: exact match, else the one label numerically equal ("0" finds "0.0"). */
export function findControl(data: StudyData, control: string): number {
  const wanted = control.trim();
  const exact = data.armLabels.indexOf(wanted);
  if (exact >= 0) return exact;
  const x = Number(wanted);
  if (wanted !== '' && Number.isFinite(x)) {
    const numeric = data.armLabels.flatMap((l, i) => (l.trim() !== '' && Number(l) === x ? [i] : []));
    if (numeric.length === 1) return numeric[0];
  }
  const found = [...data.armLabels].sort(naturalOrder).slice(0, 20).map((l) => `"${l}"`).join(', ');
  throw new AnalysisError(`the control label "${control}" is not among the treatment labels (${found || 'none'})`);
}

export function analyzeStudy(data: StudyData, options: AnalysisOptions): StudyAnalysis {
  const alpha = options.alpha ?? 0.05;
  const clustered = data.cluster !== null;
  const se = options.se ?? (clustered ? 'CR2' : 'HC2');
  if (clustered && se !== 'CR2') throw new AnalysisError(`with clusters the standard errors are CR2, not ${se}`);
  if (!clustered && se === 'CR2') throw new AnalysisError('CR2 standard errors need a cluster column');
  const adjustment: Adjustment = data.covariates.length === 0 ? 'none' : (options.adjustment ?? 'lin');
  const control = findControl(data, options.control);
  const arms = data.armLabels.map((_, i) => i).filter((i) => i !== control).sort((a, b) => naturalOrder(data.armLabels[a], data.armLabels[b]));
  const populationOrder = data.populationLabels.map((_, i) => i).sort((a, b) => naturalOrder(data.populationLabels[a], data.populationLabels[b]));

  // row indices per population and arm, in one pass
  const counts = data.populationLabels.map(() => new Int32Array(data.armLabels.length));
  for (let i = 0; i < data.n; i++) counts[data.population[i]][data.arm[i]]++;
  const rows = counts.map((c) => Array.from(c, (m) => new Int32Array(m)));
  const fill = counts.map((c) => new Int32Array(c.length));
  for (let i = 0; i < data.n; i++) {
    const p = data.population[i];
    const a = data.arm[i];
    rows[p][a][fill[p][a]++] = i;
  }
  const settings = { se, adjustment, alpha, control, arms };
  const populations = populationOrder.map((p) =>
    analyzePopulation(data, data.populationLabels[p], rows[p], data.missing[p], data.missingCovariates[p], settings),
  );
  let pooled: PopulationAnalysis | undefined;
  if (options.pooled) {
    const all = data.armLabels.map((_, a) => concat(rows.map((r) => r[a])));
    const sum = (grid: number[][]) => data.armLabels.map((_, a) => grid.reduce((s, row) => s + (row[a] ?? 0), 0));
    pooled = analyzePopulation(data, 'pooled', all, sum(data.missing), sum(data.missingCovariates), settings);
  }

  const messages: MessageSummary[] = arms.map((_, j) => {
    const effects = populations.map((p) => p.arms[j]);
    const differences: PopulationDifference[] = [];
    for (let x = 0; x < populations.length; x++)
      for (let y = x + 1; y < populations.length; y++)
        differences.push({ populations: [populations[x].name, populations[y].name], ...differenceOfEffects(effects[x], effects[y], alpha) });
    return { arm: data.armLabels[arms[j]], verdict: verdictFor(effects, alpha), differences };
  });
  return { control: data.armLabels[control], se, adjustment, covariates: adjustment === 'none' ? [] : data.covariateNames, alpha, populations, pooled, messages, unlabelled: data.unlabelled };
}

function concat(parts: Int32Array[]): Int32Array {
  const out = new Int32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function mean(y: Float64Array, idx: Int32Array): number {
  let s = 0;
  for (let i = 0; i < idx.length; i++) s += y[idx[i]];
  return idx.length ? s / idx.length : NaN;
}

function analyzePopulation(
  data: StudyData,
  name: string,
  rowsByArm: Int32Array[],
  missing: number[],
  missingCovariates: number[],
  s: { se: SeType; adjustment: Adjustment; alpha: number; control: number; arms: number[] },
): PopulationAnalysis {
  const controlRows = rowsByArm[s.control];
  const raw = s.arms.map((a) => {
    const armRows = rowsByArm[a];
    const effect = estimateEffect(data, controlRows, armRows, s.se, s.adjustment, s.alpha);
    return {
      arm: data.armLabels[a],
      n: armRows.length,
      mean: mean(data.outcome, armRows),
      missing: missing[a] ?? 0,
      missingCovariates: missingCovariates[a] ?? 0,
      ...effect,
    };
  });
  const pHolm = holm(raw.map((r) => r.p));
  const pBH = benjaminiHochberg(raw.map((r) => r.p));
  const shrinkage = shrinkEffects(
    raw.map((r) => r.estimate),
    raw.map((r) => r.se),
    s.alpha,
  );
  return {
    name,
    control: { n: controlRows.length, mean: mean(data.outcome, controlRows), missing: missing[s.control] ?? 0, missingCovariates: missingCovariates[s.control] ?? 0 },
    arms: raw.map((r, j) => ({ ...r, pHolm: pHolm[j], pBH: pBH[j], shrunk: shrinkage.effects[j] })),
    shrinkage: { applied: shrinkage.applied, method: shrinkage.method, mean: shrinkage.mean, tau2: shrinkage.tau2 },
  };
}

export type EffectEstimate = { estimate: number; se: number; df: number; ciLow: number; ciHigh: number; p: number; clusters?: number };

const NOT_ESTIMABLE: EffectEstimate = { estimate: NaN, se: NaN, df: NaN, ciLow: NaN, ciHigh: NaN, p: NaN };

/** One arm against control (see the header for the estimatr call it reproduces). */
export function estimateEffect(
  data: StudyData,
  controlRows: Int32Array,
  armRows: Int32Array,
  se: SeType,
  adjustment: Adjustment,
  alpha = 0.05,
): EffectEstimate {
  if (controlRows.length < 2 || armRows.length < 2) return NOT_ESTIMABLE;
  const n = controlRows.length + armRows.length;
  const covs = adjustment === 'none' ? [] : data.covariates;
  if (covs.length === 0 && se === 'CR2') {
    // no covariates: the same regression in closed form, without a design matrix (difference-in-means.ts)
    const d = differenceInMeansCr2(data.outcome, data.cluster!, data.clusterCount, controlRows, armRows);
    return effectEstimate(d.estimate, Math.sqrt(d.variance), d.df, alpha, d.clusters);
  }
  const q = covs.length;
  const k = 2 + (adjustment === 'lin' ? 2 * q : q);
  const x = new Float64Array(n * k);
  const y = new Float64Array(n);
  const clusters = se === 'CR2' ? new Int32Array(n) : undefined;
  const means = covs.map((c) => {
    let sum = 0;
    for (let i = 0; i < controlRows.length; i++) sum += c[controlRows[i]];
    for (let i = 0; i < armRows.length; i++) sum += c[armRows[i]];
    return sum / n;
  });
  let r = 0;
  const put = (idx: Int32Array, treated: number) => {
    for (let i = 0; i < idx.length; i++, r++) {
      const row = idx[i];
      const o = r * k;
      x[o] = 1;
      x[o + 1] = treated;
      for (let c = 0; c < q; c++) {
        const centred = covs[c][row] - means[c];
        x[o + 2 + c] = centred;
        if (adjustment === 'lin') x[o + 2 + q + c] = treated * centred;
      }
      y[r] = data.outcome[row];
      if (clusters) clusters[r] = data.cluster![row];
    }
  };
  put(controlRows, 0);
  put(armRows, 1);
  const fit = fitOls({ x, y, n, k, se, clusters, dfFor: [1] });
  return effectEstimate(fit.coefficients[1], Math.sqrt(fit.vcov[k + 1]), fit.df[1], alpha, fit.clusters);
}

function effectEstimate(estimate: number, seHat: number, df: number, alpha: number, clusters: number | undefined): EffectEstimate {
  if (!Number.isFinite(estimate) || !Number.isFinite(seHat) || !(df > 0)) return NOT_ESTIMABLE;
  const half = tQuantile(1 - alpha / 2, df) * seHat;
  return { estimate, se: seHat, df, ciLow: estimate - half, ciHigh: estimate + half, p: tTwoSidedP(estimate / seHat, df), clusters };
}
