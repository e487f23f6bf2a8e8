// `convene study analyze`: message-test estimates from a responses CSV, for analysts (no database needed).
import { parseArgs } from 'node:util';
import { ColumnNotFoundError, readResponsesCsv, ResponsesCsvError } from '../server/features/studies/responses-csv.ts';
import { type Adjustment, AnalysisError, analyzeStudy, type PopulationAnalysis, type StudyAnalysis } from '../server/features/studies/stats/analysis.ts';
import { SE_TYPES, type SeType } from '../server/features/studies/stats/ols.ts';
import { VERDICT_RULE } from '../server/features/studies/stats/verdict.ts';
import { CliError } from './cli-error.ts';

export const STUDY_HELP = `Usage: convene study analyze --csv FILE --outcome COL --treatment COL --control LABEL [options]

Estimates each message's effect against control from a CSV of responses (one row per respondent), as R's
estimatr does: difference in means with HC2 standard errors and t-based 95% intervals (lm_robust), CR2
cluster-robust errors when a cluster column is given, Lin's (2013) covariate adjustment (lm_lin) when
covariates are given. Per population, with Holm and Benjamini–Hochberg adjusted p-values, empirical-Bayes
shrunken effects, the difference between populations and a verdict per message.

Outcome values may be numbers or yes/no/true/false (any case); empty, NA and NaN are missing: those rows are
left out and counted. Labels are trimmed.

Options:
  --csv FILE           the responses (comma or semicolon separated, UTF-8)
  --outcome COL        the outcome column
  --treatment COL      the column naming each respondent's condition
  --control LABEL      the control condition's label in that column
  --population COL     analyse each population separately (default: one population, "all")
  --cluster COL        households or other clusters (standard errors become CR2)
  --covariates A,B     pre-treatment covariates to adjust for
  --adjust lin|additive  how to adjust for covariates (default lin: centred and interacted with treatment)
  --se TYPE            HC0, HC1, HC2 or HC3 (default HC2); CR2 with --cluster (its default)
  --alpha A            significance level (default 0.05)
  --pooled             also analyse all populations together
  --json               print JSON: { "populations": [ { "name", "control": { "n", "mean" }, "arms": [ { "arm",
                       "n", "mean", "estimate", "se", "ciLow", "ciHigh", "p", … } ] } ], … }`;

function fail(message: string): never {
  throw new CliError(`convene study analyze: ${message}`, 2);
}

export async function study(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (!sub || sub === '--help' || sub === '-h' || sub === 'help') {
    console.log(STUDY_HELP);
    return;
  }
  if (sub !== 'analyze') throw new CliError(`Unknown study command "${sub}".\n\n${STUDY_HELP}`, 2);
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        csv: { type: 'string' },
        outcome: { type: 'string' },
        treatment: { type: 'string' },
        control: { type: 'string' },
        population: { type: 'string' },
        cluster: { type: 'string' },
        covariates: { type: 'string' },
        adjust: { type: 'string' },
        se: { type: 'string' },
        alpha: { type: 'string' },
        pooled: { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  if (values.help) {
    console.log(STUDY_HELP);
    return;
  }
  const s = (k: string) => values[k] as string | undefined;
  for (const required of ['csv', 'outcome', 'treatment', 'control']) if (!s(required)) fail(`--${required} is required (see --help)`);
  const seOption = s('se')?.toUpperCase();
  if (seOption !== undefined && !SE_TYPES.includes(seOption as SeType)) fail(`--se must be one of ${SE_TYPES.join(', ')}, not "${s('se')}"`);
  const se = seOption as SeType | undefined;
  if (se === 'CR2' && !s('cluster')) fail('--se CR2 needs --cluster');
  if (se && se !== 'CR2' && s('cluster')) fail(`with --cluster the standard errors are CR2, not ${se}`);
  const adjust = s('adjust');
  if (adjust !== undefined && adjust !== 'lin' && adjust !== 'additive') fail(`--adjust must be lin or additive, not "${adjust}"`);
  const alpha = s('alpha') === undefined ? 0.05 : Number(s('alpha'));
  if (!(alpha > 0 && alpha < 1)) fail(`--alpha must be between 0 and 1, not "${s('alpha')}"`);
  const covariates = (s('covariates') ?? '')
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);

  let result: StudyAnalysis;
  try {
    const data = await readResponsesCsv(s('csv')!, {
      outcome: s('outcome')!,
      treatment: s('treatment')!,
      population: s('population'),
      cluster: s('cluster'),
      covariates,
    });
    result = analyzeStudy(data, { control: s('control')!, se, adjustment: adjust as Adjustment | undefined, alpha, pooled: values.pooled === true });
  } catch (err) {
    if (err instanceof ColumnNotFoundError || err instanceof AnalysisError) fail(err.message);
    if (err instanceof ResponsesCsvError) throw new CliError(`convene study analyze: ${err.message}`, 1);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') fail(`cannot read ${s('csv')}: ${(err as Error).message}`);
    throw err;
  }
  console.log(values.json ? JSON.stringify(toJson(result), null, 2) : formatTable(result));
}

/** The JSON the command prints (NaN, for what could not be estimated, becomes null). */
export function toJson(result: StudyAnalysis) {
  const population = (p: PopulationAnalysis) => ({
    name: p.name,
    control: p.control,
    arms: p.arms.map((a) => ({
      arm: a.arm,
      n: a.n,
      mean: a.mean,
      estimate: a.estimate,
      se: a.se,
      ciLow: a.ciLow,
      ciHigh: a.ciHigh,
      p: a.p,
      df: a.df,
      pHolm: a.pHolm,
      pBH: a.pBH,
      shrunk: a.shrunk,
      missing: a.missing,
      missingCovariates: a.missingCovariates,
      ...(a.clusters === undefined ? {} : { clusters: a.clusters }),
    })),
    shrinkage: p.shrinkage,
  });
  return {
    populations: result.populations.map(population),
    ...(result.pooled ? { pooled: population(result.pooled) } : {}),
    messages: result.messages,
    control: result.control,
    se: result.se,
    adjustment: result.adjustment,
    covariates: result.covariates,
    alpha: result.alpha,
    unlabelled: result.unlabelled,
  };
}

const num = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : '–');
const pValue = (p: number) => (!Number.isFinite(p) ? '–' : p < 0.001 ? '<0.001' : p.toFixed(3));

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd()).join('\n');
}

export function formatTable(result: StudyAnalysis): string {
  const level = `${Math.round((1 - result.alpha) * 100)}%`;
  const out: string[] = [];
  const adjustment = result.adjustment === 'none' ? 'no covariate adjustment' : `${result.adjustment === 'lin' ? "Lin's interacted" : 'additive'} adjustment for ${result.covariates.join(', ')}`;
  out.push(`Effects against control "${result.control}": ${result.se} standard errors, ${level} t intervals, ${adjustment}.`);
  for (const p of [...result.populations, ...(result.pooled ? [result.pooled] : [])]) {
    const missing = p.control.missing + p.arms.reduce((s, a) => s + a.missing, 0);
    const missingCovariates = p.control.missingCovariates + p.arms.reduce((s, a) => s + a.missingCovariates, 0);
    const leftOut = [missing ? `${missing} left out for a missing outcome` : '', missingCovariates ? `${missingCovariates} for a missing covariate` : ''].filter(Boolean).join(', ');
    out.push('', `Population ${p.name}: control n = ${p.control.n}, mean ${num(p.control.mean)}${leftOut ? `; ${leftOut}` : ''}`);
    const rows = [['message', 'n', 'mean', 'effect', 'se', `${level} CI`, 'p', 'p Holm', 'p BH', 'shrunk']];
    for (const a of p.arms)
      rows.push([
        a.arm,
        String(a.n),
        num(a.mean),
        num(a.estimate),
        num(a.se),
        `${num(a.ciLow)} … ${num(a.ciHigh)}`,
        pValue(a.p),
        pValue(a.pHolm),
        pValue(a.pBH),
        num(a.shrunk.estimate),
      ]);
    out.push(table(rows));
  }
  const differences = result.messages.flatMap((m) => m.differences.map((d) => ({ arm: m.arm, ...d })));
  if (differences.length) {
    out.push('', 'Difference of each effect between populations (first − second):');
    const rows = [['message', 'populations', 'difference', 'se', `${level} CI`, 'p']];
    for (const d of differences) rows.push([d.arm, `${d.populations[0]} − ${d.populations[1]}`, num(d.estimate), num(d.se), `${num(d.ciLow)} … ${num(d.ciHigh)}`, pValue(d.p)]);
    out.push(table(rows));
  }
  const armWidth = Math.max(0, ...result.messages.map((m) => m.arm.length));
  out.push('', 'Verdicts:', ...result.messages.map((m) => `  ${m.arm.padEnd(armWidth)}  ${m.verdict.replace('_', ' ')}`));
  out.push('', 'Verdict rule:', ...VERDICT_RULE.split('\n').map((l) => `  ${l}`));
  if (result.unlabelled) out.push('', `${result.unlabelled} rows without a treatment, population or cluster label were left out.`);
  return out.join('\n');
}
