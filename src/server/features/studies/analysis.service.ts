// A study's responses read from the database into StudyData, analysed (stats/analysis.ts), and shaped for the
// API: per population and message, differences between populations, verdicts, the AI's predictions apart from
// the measured results and how well they did. Also the power calculator and the tidy CSV of estimates.
import { BOM, csvLine } from '../imports/csv.ts';
import { asc, eq, sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { AnalysisError, analyzeStudy, type Adjustment, type StudyAnalysis } from './stats/analysis.ts';
import type { SeType } from './stats/ols.ts';
import { designEffect, minimumDetectableDifference, minimumDetectableEffect, sampleSizePerArm, sampleSizePerArmForDifference } from './stats/power.ts';
import type { StudyData } from './stats/study-data.ts';
import { VERDICT_RULE } from './stats/verdict.ts';
import type { StudyAnalysisDto } from './studies.contract.ts';
import { studyPrediction } from './studies.schema.ts';
import { requireStudy, researchReader, studyParts } from './studies.service.ts';

type Parts = Awaited<ReturnType<typeof studyParts>>;
type QuestionRow = Parts['questions'][number];

/** A finite number, or null (JSON has no NaN). */
export const num = (x: number | undefined): number | null => (x !== undefined && Number.isFinite(x) ? x : null);

/** Questions analysed as numbers: scales and yes/no (1/0). */
export const isNumeric = (q: QuestionRow) => q.kind === 'scale' || q.kind === 'yes_no';

/** Separates cluster labels in the aggregated text; imports replace it in labels (clusterLabel in imports.service.ts). */
const UNIT_SEPARATOR = sql.raw(`E'\\x1f'`);

export type LoadedResponses = {
  data: StudyData;
  clustered: boolean;
  /** clusters per population (null when not clustered) */
  clustersByPopulation: (number | null)[];
  attention: { passed: number; failed: number };
};

/**
 * The complete responses that did not fail the attention check, in one query: every column aggregated into one
 * text value, so 350,000 responses cross the wire as one row (all aggregates of one query level read the rows in
 * the same order). Populations and arms are numbered in the order given; responses without a cluster become
 * clusters of one.
 */
export async function loadResponses(
  db: Db,
  studyId: string,
  populationIds: string[],
  armIds: string[],
  outcome: QuestionRow,
  covariates: QuestionRow[],
): Promise<LoadedResponses> {
  // answers are numbers in the response's answers object (by question id); one row per response, no join
  const covariateCols = covariates.map((c, i) => sql`, string_agg(coalesce(r.answers ->> ${c.id}::text, ''), ',') FILTER (WHERE r.attention_passed IS NOT FALSE) AS ${sql.raw(`x${i}`)}`);
  const popIndex = sql.raw(`CASE r.population_id ${populationIds.map((id, i) => `WHEN '${id}' THEN '${i}'`).join(' ')} END`);
  const armIndex = sql.raw(`CASE r.arm_id ${armIds.map((id, i) => `WHEN '${id}' THEN '${i}'`).join(' ')} END`);
  const [row] = await rows<Record<string, string | null> & { clusters: string | null; passed: number | string; failed: number | string }>(
    db,
    sql`SELECT
          count(*) FILTER (WHERE r.attention_passed) AS passed,
          count(*) FILTER (WHERE r.attention_passed = false) AS failed,
          string_agg(${popIndex}, ',') FILTER (WHERE r.attention_passed IS NOT FALSE) AS pops,
          string_agg(${armIndex}, ',') FILTER (WHERE r.attention_passed IS NOT FALSE) AS arms,
          string_agg(coalesce(r.answers ->> ${outcome.id}::text, ''), ',') FILTER (WHERE r.attention_passed IS NOT FALSE) AS y,
          CASE WHEN bool_or(r.cluster IS NOT NULL) THEN string_agg(coalesce(r.cluster, ''), ${UNIT_SEPARATOR}) FILTER (WHERE r.attention_passed IS NOT FALSE) END AS clusters
          ${sql.join(covariateCols, sql``)}
        FROM study_response r
        WHERE r.study_id = ${studyId} AND r.status = 'complete'`,
  );
  const split = (s: string | null | undefined) => (s ? s.split(',') : []);
  const pops = split(row?.pops);
  const arms = split(row?.arms);
  const ys = split(row?.y);
  const xs = covariates.map((_, i) => split(row?.[`x${i}`]));
  const clusterList = typeof row?.clusters === 'string' ? row.clusters.split('\x1f') : null;
  const clustered = clusterList !== null && clusterList.some((c) => c !== '');

  const total = pops.length;
  const P = populationIds.length;
  const A = armIds.length;
  const outcomeCol = new Float64Array(total);
  const armCol = new Int32Array(total);
  const popCol = new Int32Array(total);
  const clusterCol = clustered ? new Int32Array(total) : null;
  const covCols = covariates.map(() => new Float64Array(total));
  const missing = Array.from({ length: P }, () => new Array<number>(A).fill(0));
  const missingCovariates = Array.from({ length: P }, () => new Array<number>(A).fill(0));
  const clusterCodes = new Map<string, number>();
  const clusterSets = Array.from({ length: P }, () => new Set<number>());
  let n = 0;
  let singletons = 0;
  rows: for (let i = 0; i < total; i++) {
    const p = Number(pops[i]);
    const a = Number(arms[i]);
    if (ys[i] === '') {
      missing[p][a]++;
      continue;
    }
    for (let c = 0; c < xs.length; c++) {
      if (xs[c][i] === '') {
        missingCovariates[p][a]++;
        continue rows;
      }
    }
    outcomeCol[n] = Number(ys[i]);
    armCol[n] = a;
    popCol[n] = p;
    for (let c = 0; c < xs.length; c++) covCols[c][n] = Number(xs[c][i]);
    if (clusterCol) {
      const label = clusterList![i];
      let code: number;
      if (label === '') code = -1 - singletons++;
      else {
        code = clusterCodes.get(label) ?? clusterCodes.size;
        if (code === clusterCodes.size) clusterCodes.set(label, code);
      }
      clusterCol[n] = code;
    }
    n++;
  }
  // responses without a cluster (taken through the survey) are clusters of one, numbered after the labelled ones
  if (clusterCol) {
    const base = clusterCodes.size;
    for (let i = 0; i < n; i++) {
      if (clusterCol[i] < 0) clusterCol[i] = base + (-1 - clusterCol[i]);
      clusterSets[popCol[i]].add(clusterCol[i]);
    }
  }
  const data: StudyData = {
    n,
    outcome: outcomeCol.slice(0, n),
    arm: armCol.slice(0, n),
    population: popCol.slice(0, n),
    cluster: clusterCol ? clusterCol.slice(0, n) : null,
    clusterCount: clusterCodes.size + singletons,
    covariates: covCols.map((c) => c.slice(0, n)),
    covariateNames: covariates.map((c) => c.key),
    armLabels: armIds.map((_, i) => label(i)),
    populationLabels: populationIds.map((_, i) => label(i)),
    missing,
    missingCovariates,
    unlabelled: 0,
  };
  return {
    data,
    clustered,
    clustersByPopulation: clusterSets.map((s) => (clustered ? s.size : null)),
    attention: { passed: Number(row?.passed ?? 0), failed: Number(row?.failed ?? 0) },
  };
}

/**
 * Populations and arms are labelled by their position ("0000", "0001"…): the statistics order them by label, so
 * the results come in the study's order and each difference between populations is the earlier one minus the later.
 */
export const label = (i: number) => String(i).padStart(4, '0');

export type AnalysisRequest = { outcome?: string; se?: SeType; adjust?: Adjustment };

/** Spearman's rank correlation (ties get their average rank). */
export function spearman(x: readonly number[], y: readonly number[]): number {
  const rank = (v: readonly number[]) => {
    const order = v.map((_, i) => i).sort((a, b) => v[a] - v[b]);
    const r = new Array<number>(v.length);
    for (let i = 0; i < order.length; ) {
      let j = i;
      while (j + 1 < order.length && v[order[j + 1]] === v[order[i]]) j++;
      for (let k = i; k <= j; k++) r[order[k]] = (i + j) / 2 + 1;
      i = j + 1;
    }
    return r;
  };
  const rx = rank(x);
  const ry = rank(y);
  const mean = (v: number[]) => v.reduce((s, a) => s + a, 0) / v.length;
  const mx = mean(rx);
  const my = mean(ry);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < rx.length; i++) {
    sxy += (rx[i] - mx) * (ry[i] - my);
    sxx += (rx[i] - mx) ** 2;
    syy += (ry[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** The analysis of one outcome, as the API returns it. Reads need only research.read. */
export async function getStudyAnalysis(db: Db, ctx: RequestContext, studyId: string, q: AnalysisRequest): Promise<StudyAnalysisDto> {
  researchReader(ctx);
  const s = await requireStudy(db, studyId);
  const parts = await studyParts(db, s.id);
  return analyzeParts(db, s.id, parts, q);
}

export async function analyzeParts(db: Db, studyId: string, parts: Parts, q: AnalysisRequest, raw?: (a: StudyAnalysis) => void): Promise<StudyAnalysisDto> {
  const { populations, arms, questions } = parts;
  const outcomes = questions.filter((x) => x.role === 'outcome' && isNumeric(x));
  const outcome = q.outcome === undefined ? (outcomes.find((x) => x.primary) ?? outcomes[0]) : outcomes.find((x) => x.key === q.outcome);
  if (!outcome) {
    if (q.outcome !== undefined) throw new AppError('invalid', 'unknown_outcome', `"${q.outcome}" is not an outcome of this study.`, [{ field: 'query.outcome', detail: `One of ${outcomes.map((o) => o.key).join(', ') || 'no outcomes'}` }]);
    throw new AppError('conflict', 'study_has_no_outcome', 'The study has no outcome to analyse.');
  }
  const control = arms.find((a) => a.control);
  if (!control) throw new AppError('conflict', 'study_has_no_control', 'The study has no control condition to compare the messages with.');
  const covariateQuestions = questions.filter((x) => x.role === 'covariate' && isNumeric(x));
  const adjustment: Adjustment = q.adjust ?? (covariateQuestions.length ? 'lin' : 'none');
  const covariates = adjustment === 'none' ? [] : covariateQuestions;
  const loaded = await loadResponses(
    db,
    studyId,
    populations.map((p) => p.id),
    arms.map((a) => a.id),
    outcome,
    covariates,
  );
  if (q.se === 'CR2' && !loaded.clustered)
    throw new AppError('invalid', 'no_clusters', 'CR2 standard errors need clusters: no response of this study has one.', [{ field: 'query.se', detail: 'No clusters: use HC2' }]);
  if (q.se && q.se !== 'CR2' && loaded.clustered)
    throw new AppError('invalid', 'clustered', 'The responses of this study come in clusters (households): their standard errors are CR2.', [
      { field: 'query.se', detail: 'Clustered responses: use CR2' },
    ]);
  let a: StudyAnalysis;
  try {
    a = analyzeStudy(loaded.data, { control: label(arms.indexOf(control)), se: q.se ?? (loaded.clustered ? 'CR2' : 'HC2'), adjustment });
  } catch (err) {
    if (err instanceof AnalysisError) throw new AppError('invalid', 'analysis_not_possible', err.message, [{ field: 'query.se', detail: err.message }]);
    throw err;
  }
  raw?.(a);
  const messages = arms.filter((x) => !x.control);
  const byPopulation = new Map(a.populations.map((p) => [populations[Number(p.name)].id, p]));
  const armId = (l: string) => arms[Number(l)].id;
  const popDtos = populations.map((p, pi) => {
    const result = byPopulation.get(p.id)!;
    const effects = new Map(result.arms.map((e) => [armId(e.arm), e]));
    const missing = loaded.data.missing[pi].reduce((t, m) => t + m, 0) + loaded.data.missingCovariates[pi].reduce((t, m) => t + m, 0);
    return {
      populationId: p.id,
      key: p.key,
      name: p.name as Record<string, string>,
      control: { n: result.control.n, mean: num(result.control.mean) },
      missing,
      clusters: loaded.clustersByPopulation[pi],
      arms: messages.map((m) => {
        const e = effects.get(m.id)!;
        return {
          armId: m.id,
          key: m.key,
          n: e.n,
          mean: num(e.mean),
          estimate: num(e.estimate),
          se: num(e.se),
          ciLow: num(e.ciLow),
          ciHigh: num(e.ciHigh),
          p: num(e.p),
          pHolm: num(e.pHolm),
          pBH: num(e.pBH),
          df: num(e.df),
          shrunk: { estimate: num(e.shrunk.estimate), se: num(e.shrunk.se), ciLow: num(e.shrunk.ciLow), ciHigh: num(e.shrunk.ciHigh) },
        };
      }),
    };
  });
  const summaries = new Map(a.messages.map((m) => [armId(m.arm), m]));
  const predictions = await db
    .select()
    .from(studyPrediction)
    .where(eq(studyPrediction.studyId, studyId))
    .orderBy(asc(studyPrediction.createdAt), asc(studyPrediction.id));
  const accuracy = popDtos.flatMap((p) => {
    const pairs = p.arms.flatMap((e) => {
      const pred = predictions.find((x) => x.populationId === p.populationId && x.armId === e.armId);
      return pred && e.estimate !== null ? [[pred.score, e.estimate] as const] : [];
    });
    if (pairs.length < 3) return [];
    const rho = spearman(
      pairs.map((x) => x[0]),
      pairs.map((x) => x[1]),
    );
    return Number.isFinite(rho) ? [{ populationId: p.populationId, spearman: rho, messages: pairs.length }] : [];
  });
  return {
    outcome: outcome.key,
    se: a.se,
    adjustment: a.adjustment,
    covariates: a.adjustment === 'none' ? [] : covariates.map((c) => c.key),
    alpha: a.alpha,
    populations: popDtos,
    differences: messages.flatMap((m) =>
      (summaries.get(m.id)?.differences ?? []).map((d) => ({
        armId: m.id,
        populations: d.populations.map((l) => populations[Number(l)].id) as [string, string],
        estimate: num(d.estimate),
        se: num(d.se),
        ciLow: num(d.ciLow),
        ciHigh: num(d.ciHigh),
        p: num(d.p),
      })),
    ),
    verdicts: messages.map((m) => ({ armId: m.id, verdict: summaries.get(m.id)?.verdict ?? 'inconclusive' })),
    verdictRule: VERDICT_RULE,
    attention: { ...loaded.attention, excluded: questions.some((x) => x.role === 'attention') || loaded.attention.failed > 0 },
    predictions: predictions.map((x) => ({ armId: x.armId, populationId: x.populationId, score: x.score, rationale: x.rationale, model: x.model })),
    predictionAccuracy: accuracy.length ? accuracy : null,
  };
}

// ------------------------------------------------------------------------------------------------ power

export async function studyPower(
  db: Db,
  ctx: RequestContext,
  studyId: string,
  q: { sd: number; alpha: number; power: number; nPerArm?: number; mde?: number; clusterSize?: number; icc?: number },
) {
  researchReader(ctx);
  const s = await requireStudy(db, studyId);
  const { populations, arms } = await studyParts(db, s.id);
  const de = q.clusterSize !== undefined && q.icc !== undefined ? designEffect(q.clusterSize, q.icc) : undefined;
  const settings = { alpha: q.alpha, power: q.power, designEffect: de ?? 1 };
  const conditions = Math.max(arms.length, 2);
  const perPopulation = populations.map((p) => {
    if (q.mde !== undefined) {
      const n = sampleSizePerArm({ mde: q.mde, sd: q.sd, ...settings });
      return { populationId: p.id, nPerArm: num(n), mde: q.mde };
    }
    const n = q.nPerArm ?? (p.targetN ? Math.floor(p.targetN / conditions) : undefined);
    return { populationId: p.id, nPerArm: n ?? null, mde: n === undefined ? null : num(minimumDetectableEffect({ nPerArm: n, sd: q.sd, ...settings })) };
  });
  let difference: { nPerArm: number | null; mde: number | null } | null = null;
  if (populations.length >= 2) {
    if (q.mde !== undefined) difference = { nPerArm: num(sampleSizePerArmForDifference({ mde: q.mde, sds: [q.sd, q.sd], ...settings })), mde: q.mde };
    else {
      const [a, b] = perPopulation;
      difference =
        a.nPerArm !== null && b.nPerArm !== null
          ? { nPerArm: Math.min(a.nPerArm, b.nPerArm), mde: num(minimumDetectableDifference({ populations: [{ nPerArm: a.nPerArm, sd: q.sd }, { nPerArm: b.nPerArm, sd: q.sd }], ...settings })) }
          : { nPerArm: null, mde: null };
    }
  }
  return { perPopulation, difference, ...(de !== undefined ? { designEffect: de } : {}) };
}

// ------------------------------------------------------------------------------------------------ export

/** One row per population × condition × outcome (the control with its n and mean only), UTF-8 with a BOM. */
export async function estimatesCsv(db: Db, ctx: RequestContext, studyId: string): Promise<string> {
  researchReader(ctx);
  const s = await requireStudy(db, studyId);
  const parts = await studyParts(db, s.id);
  const header = ['population', 'arm', 'outcome', 'n', 'mean', 'estimate', 'se', 'ci_low', 'ci_high', 'p', 'p_holm', 'p_bh', 'shrunk_estimate', 'verdict'];
  const lines = [csvLine(header)];
  const control = parts.arms.find((x) => x.control);
  for (const outcome of parts.questions.filter((x) => x.role === 'outcome' && isNumeric(x))) {
    const a = await analyzeParts(db, s.id, parts, { outcome: outcome.key });
    const verdicts = new Map(a.verdicts.map((v) => [v.armId, v.verdict]));
    const keyOf = new Map(parts.arms.map((x) => [x.id, x.key]));
    for (const p of a.populations) {
      if (control) lines.push(csvLine([p.key, control.key, outcome.key, p.control.n, p.control.mean, null, null, null, null, null, null, null, null, null]));
      for (const e of p.arms)
        lines.push(csvLine([p.key, keyOf.get(e.armId) ?? e.key, outcome.key, e.n, e.mean, e.estimate, e.se, e.ciLow, e.ciHigh, e.p, e.pHolm, e.pBH, e.shrunk.estimate, verdicts.get(e.armId) ?? null]));
    }
  }
  // the shared CSV writer (imports/csv.ts): quoting, and text that a spreadsheet would run as a formula defused
  return BOM + lines.join('');
}
