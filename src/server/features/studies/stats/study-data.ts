// The responses of a study, column by column in typed arrays (hundreds of thousands of rows stay compact and
// fast to scan), with labels coded as small integers. Built row by row from a CSV or from the database.

/** An answer as it arrives: a number, a yes/no/true/false word in any case, or a missing value. */
export type RawValue = string | number | boolean | null | undefined;

export type StudyData = {
  /** rows kept: an outcome, a treatment and population label, a cluster when clustered, every covariate */
  n: number;
  outcome: Float64Array;
  /** index into armLabels */
  arm: Int32Array;
  /** index into populationLabels */
  population: Int32Array;
  /** cluster code per row (0 … clusterCount − 1), or null when the study is not clustered */
  cluster: Int32Array | null;
  clusterCount: number;
  /** one column per covariateNames entry */
  covariates: Float64Array[];
  covariateNames: string[];
  armLabels: string[];
  populationLabels: string[];
  /** rows left out because the outcome was missing (empty, NA, NaN), by [population][arm] */
  missing: number[][];
  /** rows left out because a covariate was missing (the outcome was present), by [population][arm] */
  missingCovariates: number[][];
  /** rows left out because the treatment, population or cluster label was empty */
  unlabelled: number;
};

/** A value that is neither a number, a yes/no/true/false word, nor missing. */
export class InvalidValueError extends Error {
  constructor(readonly value: string) {
    super(`"${value}" is not a number, yes/no, true/false or a missing value (empty, NA, NaN)`);
  }
}

/**
 * An outcome or covariate value as a number: yes/true = 1, no/false = 0 (any case, surrounding spaces ignored);
 * null when missing (empty, NA, NaN in any case). Throws InvalidValueError otherwise.
 */
export function parseValue(value: RawValue): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isNaN(value) ? null : Number.isFinite(value) ? value : invalid(String(value));
  if (typeof value === 'boolean') return value ? 1 : 0;
  const t = value.trim();
  if (t === '') return null;
  const c = t.charCodeAt(0);
  // digits, sign or point: the common case, without lower-casing
  if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46) {
    const x = Number(t);
    if (Number.isFinite(x) && !/^[+-]?0[xob]/i.test(t)) return x;
    return invalid(value);
  }
  switch (t.toLowerCase()) {
    case 'na':
    case 'nan':
      return null;
    case 'yes':
    case 'true':
      return 1;
    case 'no':
    case 'false':
      return 0;
  }
  return invalid(value);
}

function invalid(value: string): never {
  throw new InvalidValueError(value);
}

class GrowableFloat64 {
  data = new Float64Array(1024);
  push(i: number, x: number) {
    if (i >= this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[i] = x;
  }
}
class GrowableInt32 {
  data = new Int32Array(1024);
  push(i: number, x: number) {
    if (i >= this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[i] = x;
  }
}

class Labels {
  readonly codes = new Map<string, number>();
  readonly names: string[] = [];
  // the last label and its code: rows of a household usually follow each other, and comparing two short strings
  // is cheaper than hashing one for the map
  private last: string | null = null;
  private lastCode = -1;
  code(name: string): number {
    if (name === this.last) return this.lastCode;
    this.last = name;
    let c = this.codes.get(name);
    if (c === undefined) {
      c = this.names.length;
      this.codes.set(name, c);
      this.names.push(name);
    }
    this.lastCode = c;
    return c;
  }
}

/** Collects responses one at a time; `build()` returns the StudyData. */
export class StudyDataBuilder {
  private n = 0;
  private readonly outcome = new GrowableFloat64();
  private readonly arm = new GrowableInt32();
  private readonly population = new GrowableInt32();
  private readonly cluster: GrowableInt32 | null;
  private readonly covariates: GrowableFloat64[];
  private readonly covariateValues: Float64Array;
  private readonly arms = new Labels();
  private readonly populations = new Labels();
  private readonly clusters = new Labels();
  private readonly missing: number[][] = [];
  private readonly missingCovariates: number[][] = [];
  private unlabelled = 0;

  constructor(private readonly options: { covariates?: string[]; clustered?: boolean } = {}) {
    this.cluster = options.clustered ? new GrowableInt32() : null;
    this.covariates = (options.covariates ?? []).map(() => new GrowableFloat64());
    this.covariateValues = new Float64Array(this.covariates.length);
  }

  /**
   * One response. Labels are trimmed; a response without a treatment or population label (or cluster, when
   * clustered) is left out and counted in `unlabelled`; one with a missing outcome or covariate is left out and
   * counted by population and arm. Throws InvalidValueError for a value that is not a number or yes/no word.
   */
  add(outcome: RawValue, arm: string, population = 'all', cluster?: string, covariates?: readonly RawValue[]): void {
    const armName = arm.trim();
    const populationName = population.trim();
    const clusterName = this.cluster ? (cluster ?? '').trim() : '';
    if (armName === '' || populationName === '' || (this.cluster && clusterName === '')) {
      this.unlabelled++;
      return;
    }
    const a = this.arms.code(armName);
    const p = this.populations.code(populationName);
    const y = parseValue(outcome);
    if (y === null) {
      bump(this.missing, p, a);
      return;
    }
    for (let c = 0; c < this.covariates.length; c++) {
      const x = parseValue(covariates?.[c]);
      if (x === null) {
        bump(this.missingCovariates, p, a);
        return;
      }
      this.covariateValues[c] = x;
    }
    const i = this.n++;
    this.outcome.push(i, y);
    this.arm.push(i, a);
    this.population.push(i, p);
    if (this.cluster) this.cluster.push(i, this.clusters.code(clusterName));
    for (let c = 0; c < this.covariates.length; c++) this.covariates[c].push(i, this.covariateValues[c]);
  }

  build(): StudyData {
    const n = this.n;
    const grid = (counts: number[][]) =>
      this.populations.names.map((_, p) => this.arms.names.map((_, a) => counts[p]?.[a] ?? 0));
    return {
      n,
      outcome: this.outcome.data.slice(0, n),
      arm: this.arm.data.slice(0, n),
      population: this.population.data.slice(0, n),
      cluster: this.cluster ? this.cluster.data.slice(0, n) : null,
      clusterCount: this.clusters.names.length,
      covariates: this.covariates.map((c) => c.data.slice(0, n)),
      covariateNames: [...(this.options.covariates ?? [])],
      armLabels: [...this.arms.names],
      populationLabels: [...this.populations.names],
      missing: grid(this.missing),
      missingCovariates: grid(this.missingCovariates),
      unlabelled: this.unlabelled,
    };
  }
}

function bump(counts: number[][], p: number, a: number) {
  const row = (counts[p] ??= []);
  row[a] = (row[a] ?? 0) + 1;
}
