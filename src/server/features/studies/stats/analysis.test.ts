import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResponsesCsv } from '../responses-csv.ts';
import { AnalysisError, analyzeStudy, type Adjustment } from './analysis.ts';
import { seededRandom } from './random.ts';
import { StudyDataBuilder } from './study-data.ts';

const ALO = path.resolve(import.meta.dirname, '../../../../../tests/fixtures/estimatr/alo_star_men.csv');

// Lin (2013), Table 2, as estimatr's own replication test and the fixture's README state them
const LIN_2013: { adjustment: Adjustment; covariates: string[]; estimate: number; HC0: number; HC2: number }[] = [
  { adjustment: 'none', covariates: [], estimate: -0.036, HC0: 0.158, HC2: 0.159 },
  { adjustment: 'additive', covariates: ['gpa0'], estimate: -0.083, HC0: 0.146, HC2: 0.148 },
  { adjustment: 'lin', covariates: ['gpa0'], estimate: -0.081, HC0: 0.146, HC2: 0.148 },
];

describe('message effects reproduce estimatr', () => {
  for (const row of LIN_2013) {
    it(`alo_star_men, ${row.adjustment}: ${row.estimate} (HC0 ${row.HC0}, HC2 ${row.HC2})`, async () => {
      const data = await readResponsesCsv(ALO, { outcome: 'GPA_year1', treatment: 'sfsp', covariates: row.covariates });
      expect(data.n).toBe(157);
      for (const se of ['HC0', 'HC2'] as const) {
        const result = analyzeStudy(data, { control: '0', se, adjustment: row.adjustment });
        expect(result.populations).toHaveLength(1);
        const [population] = result.populations;
        expect(population.name).toBe('all');
        expect(population.control.n).toBe(99);
        const [arm] = population.arms;
        expect(arm.n).toBe(58);
        expect(arm.estimate.toFixed(3)).toBe(row.estimate.toFixed(3));
        expect(arm.se.toFixed(3)).toBe(row[se].toFixed(3));
        expect(arm.df).toBe(157 - (row.adjustment === 'none' ? 2 : row.adjustment === 'additive' ? 3 : 4));
      }
    });
  }

  it('gives intervals and p-values from the t distribution (values from estimatr / R)', async () => {
    const data = await readResponsesCsv(ALO, { outcome: 'GPA_year1', treatment: 'sfsp', covariates: ['gpa0'] });
    const [arm] = analyzeStudy(data, { control: '0', se: 'HC2' }).populations[0].arms;
    // lm_lin(GPA_year1 ~ sfsp, ~ gpa0, data = alo_star_men): -0.08122, se 0.147868, df 153, p 0.58362, CI -0.37335 … 0.21091
    expect(arm.estimate).toBeCloseTo(-0.08122, 5);
    expect(arm.se).toBeCloseTo(0.147868, 6);
    expect(arm.p).toBeCloseTo(0.58362, 5);
    expect(arm.ciLow).toBeCloseTo(-0.37335, 5);
    expect(arm.ciHigh).toBeCloseTo(0.21091, 4);
    const hc1 = analyzeStudy(data, { control: '0', se: 'HC1', adjustment: 'additive' }).populations[0].arms[0];
    expect(hc1.se).toBeCloseTo(0.14791, 5);
    const hc3 = analyzeStudy(data, { control: '0', se: 'HC3', adjustment: 'none' }).populations[0].arms[0];
    expect(hc3.se).toBeCloseTo(0.159867, 6);
  });

  it('refuses a control label that is not there and an se type that does not fit', async () => {
    const data = await readResponsesCsv(ALO, { outcome: 'GPA_year1', treatment: 'sfsp' });
    expect(() => analyzeStudy(data, { control: 'placebo' })).toThrow(AnalysisError);
    expect(() => analyzeStudy(data, { control: '0', se: 'CR2' })).toThrow(/cluster/);
  });
});

/** Simulated studies with known effects: the 95% intervals must cover the truth 93–97% of the time. */
describe('coverage of the 95% intervals', () => {
  const REPLICATIONS = 1000;

  it('HC2, individual randomization, unequal variances', () => {
    const random = seededRandom(20130501);
    const effects = { a: 0.3, b: -0.2 };
    let covered = 0;
    let total = 0;
    for (let rep = 0; rep < REPLICATIONS; rep++) {
      const b = new StudyDataBuilder({ covariates: ['x'] });
      for (let i = 0; i < 150; i++) {
        const arm = (['control', 'a', 'b'] as const)[random.int(3)];
        const x = random.normal();
        const sd = arm === 'control' ? 1 : 1.6; // heteroskedastic: the case HC2 is for
        const y = 0.5 * x + (arm === 'control' ? 0 : effects[arm]) + sd * random.normal();
        b.add(y, arm, 'all', undefined, [x]);
      }
      const result = analyzeStudy(b.build(), { control: 'control' });
      expect(result.se).toBe('HC2');
      for (const arm of result.populations[0].arms) {
        total++;
        const truth = effects[arm.arm as 'a' | 'b'];
        if (arm.ciLow <= truth && truth <= arm.ciHigh) covered++;
      }
    }
    const rate = covered / total;
    expect(rate).toBeGreaterThanOrEqual(0.93);
    expect(rate).toBeLessThanOrEqual(0.97);
  });

  it('CR2, 40 households randomized as a whole, household-level noise', () => {
    const random = seededRandom(424242);
    const effect = 0.4;
    let covered = 0;
    for (let rep = 0; rep < REPLICATIONS; rep++) {
      const b = new StudyDataBuilder({ clustered: true });
      for (let h = 0; h < 40; h++) {
        const treated = h % 2 === 1;
        const size = 1 + random.int(8);
        const household = random.normal(); // ICC 0.5
        for (let i = 0; i < size; i++) b.add((treated ? effect : 0) + household + random.normal(), treated ? 'message' : 'control', 'all', `h${h}`);
      }
      const [arm] = analyzeStudy(b.build(), { control: 'control' }).populations[0].arms;
      expect(arm.clusters).toBe(40);
      if (arm.ciLow <= effect && effect <= arm.ciHigh) covered++;
    }
    const rate = covered / REPLICATIONS;
    expect(rate).toBeGreaterThanOrEqual(0.93);
    expect(rate).toBeLessThanOrEqual(0.97);
  });
});

describe('a study in two populations', () => {
  function simulate() {
    const random = seededRandom(99);
    // true effects: "both" works everywhere, "one" only in the second population, "harm" backfires in the first
    const truth: Record<string, [number, number]> = { control: [0, 0], both: [0.8, 0.8], one: [0, 0.8], harm: [-0.8, 0], none: [0, 0] };
    const b = new StudyDataBuilder({ clustered: true });
    const arms = Object.keys(truth);
    for (const [p, population] of ['israel', 'palestine'].entries())
      for (let h = 0; h < 400; h++) {
        const size = 1 + random.int(3);
        const household = 0.5 * random.normal();
        for (let i = 0; i < size; i++) {
          const arm = arms[random.int(arms.length)];
          b.add(truth[arm][p] + household + random.normal(), arm, population, `${population}-${h}`);
        }
      }
    b.add('NA', 'both', 'israel', 'israel-0');
    b.add('', 'control', 'palestine', 'palestine-1');
    b.add(1, '', 'palestine', 'palestine-1');
    return b.build();
  }

  it('estimates each message in each population, adjusts p-values, shrinks, compares and gives verdicts', () => {
    const result = analyzeStudy(simulate(), { control: 'control', pooled: true });
    expect(result.se).toBe('CR2');
    expect(result.populations.map((p) => p.name)).toEqual(['israel', 'palestine']);
    expect(result.unlabelled).toBe(1);
    const israel = result.populations[0];
    expect(israel.arms.map((a) => a.arm)).toEqual(['both', 'harm', 'none', 'one']);
    expect(israel.arms[0].missing).toBe(1);
    expect(result.populations[1].control.missing).toBe(1);
    for (const p of result.populations)
      for (const a of p.arms) {
        expect(a.pHolm).toBeGreaterThanOrEqual(a.p);
        expect(a.pBH).toBeGreaterThanOrEqual(a.p);
        expect(a.pBH).toBeLessThanOrEqual(a.pHolm + 1e-15);
        expect(a.df).toBeGreaterThan(10);
        expect(a.shrunk.se).toBeLessThanOrEqual(a.se + 1e-12);
      }
    expect(israel.shrinkage.applied).toBe(true);
    const verdicts = Object.fromEntries(result.messages.map((m) => [m.arm, m.verdict]));
    expect(verdicts).toEqual({ both: 'persuades_both', harm: 'backfires', none: 'inconclusive', one: 'persuades_one' });
    const one = result.messages.find((m) => m.arm === 'one')!;
    expect(one.differences).toHaveLength(1);
    expect(one.differences[0].populations).toEqual(['israel', 'palestine']);
    expect(one.differences[0].estimate).toBeCloseTo(israel.arms[3].estimate - result.populations[1].arms[3].estimate, 12);
    expect(one.differences[0].ciHigh).toBeLessThan(0);
    expect(result.pooled?.control.n).toBe(israel.control.n + result.populations[1].control.n);
  });
});
