import { describe, expect, it } from 'vitest';
import { differenceOfEffects } from './compare.ts';
import { benjaminiHochberg, holm } from './multiplicity.ts';
import { designEffect, minimumDetectableDifference, minimumDetectableEffect, sampleSizePerArm, sampleSizePerArmForDifference } from './power.ts';
import { shrinkEffects } from './shrinkage.ts';
import { verdictFor, VERDICT_RULE } from './verdict.ts';

describe('multiple comparisons', () => {
  it('match p.adjust(p, "holm") and p.adjust(p, "BH")', () => {
    const p = [0.01, 0.04, 0.03, 0.005];
    holm(p).forEach((x, i) => expect(x).toBeCloseTo([0.03, 0.06, 0.06, 0.02][i], 14));
    benjaminiHochberg(p).forEach((x, i) => expect(x).toBeCloseTo([0.02, 0.04, 0.04, 0.02][i], 14));
    expect(holm([0.5, 0.9])).toEqual([1, 1]);
  });

  it('leave arms without a p-value out of the family', () => {
    const adjusted = holm([0.01, NaN, 0.04]);
    expect(adjusted[0]).toBeCloseTo(0.02, 14);
    expect(adjusted[1]).toBeNaN();
    expect(adjusted[2]).toBeCloseTo(0.04, 14);
  });
});

describe('empirical-Bayes shrinkage', () => {
  it('estimates τ² by REML and shrinks towards the weighted mean (values from a direct REML maximisation)', () => {
    const s = shrinkEffects([0.3, 0.1, -0.05, 0.5], [0.1, 0.12, 0.09, 0.15]);
    expect(s.applied).toBe(true);
    expect(s.tau2).toBeCloseTo(0.04106501466, 7);
    expect(s.mean).toBeCloseTo(0.19715012540, 7);
    [0.27985903, 0.12522242, -0.0092817, 0.39280075].forEach((x, i) => expect(s.effects[i].estimate).toBeCloseTo(x, 6));
    [0.09253196, 0.10759276, 0.08446233, 0.12742109].forEach((x, i) => expect(s.effects[i].se).toBeCloseTo(x, 6));
  });

  it('pools completely when the effects do not vary more than their noise, and leaves two arms alone', () => {
    const s = shrinkEffects([0.1, 0.12, 0.09, 0.11], [0.1, 0.12, 0.09, 0.15]);
    expect(s.tau2).toBeLessThan(1e-4);
    for (const e of s.effects) expect(e.estimate).toBeCloseTo(s.mean, 3);
    const two = shrinkEffects([0.3, 0.1], [0.1, 0.1]);
    expect(two.applied).toBe(false);
    expect(two.effects.map((e) => e.estimate)).toEqual([0.3, 0.1]);
  });
});

describe('difference between populations', () => {
  it('uses se = sqrt(se1² + se2²) and Welch–Satterthwaite df', () => {
    const d = differenceOfEffects({ estimate: 0.5, se: 0.1, df: 100 }, { estimate: 0.2, se: 0.2, df: 50 });
    expect(d.estimate).toBeCloseTo(0.3, 14);
    expect(d.se).toBeCloseTo(Math.sqrt(0.05), 14);
    expect(d.df).toBeCloseTo(0.05 ** 2 / (0.01 ** 2 / 100 + 0.04 ** 2 / 50), 10);
    expect(d.ciLow).toBeLessThan(0.3);
    expect(d.ciHigh - 0.3).toBeCloseTo(0.3 - d.ciLow, 12);
    expect(d.p).toBeGreaterThan(0.1);
  });
});

describe('verdicts', () => {
  const sig = (estimate: number) => ({ estimate, pHolm: 0.001 });
  const nul = (estimate: number) => ({ estimate, pHolm: 0.4 });
  it('follow the written rule', () => {
    expect(verdictFor([sig(0.5), sig(0.3)])).toBe('persuades_both');
    expect(verdictFor([sig(0.5), nul(-0.1)])).toBe('persuades_one');
    expect(verdictFor([nul(0.1), sig(0.5)])).toBe('persuades_one');
    expect(verdictFor([sig(0.5), sig(-0.3)])).toBe('backfires');
    expect(verdictFor([nul(0.2), sig(-0.3)])).toBe('backfires');
    expect(verdictFor([nul(0.2), nul(-0.1)])).toBe('inconclusive');
    expect(verdictFor([sig(0.5), { estimate: NaN, pHolm: NaN }])).toBe('inconclusive');
    expect(verdictFor([{ estimate: 0.5, pHolm: 0.049 }, { estimate: 0.5, pHolm: 0.05 }])).toBe('persuades_one');
    expect(VERDICT_RULE).toMatch(/Holm/);
  });
});

describe('power and minimum detectable effects', () => {
  it('agree with power.t.test (noncentral t) within 0.1%', () => {
    // power.t.test(n = 20 | 100 | 500, sd = 1, power = 0.8)$delta
    expect(minimumDetectableEffect({ nPerArm: 20, sd: 1 }) / 0.9091290327).toBeCloseTo(1, 2);
    expect(minimumDetectableEffect({ nPerArm: 100, sd: 1 }) / 0.3981381376).toBeCloseTo(1, 3);
    expect(minimumDetectableEffect({ nPerArm: 500, sd: 1 }) / 0.1773583223).toBeCloseTo(1, 3);
    // power.t.test(delta = 0.5 | 0.2, sd = 1, power = 0.8)$n: 63.77, 393.4
    expect(sampleSizePerArm({ mde: 0.5, sd: 1 })).toBe(64);
    expect(sampleSizePerArm({ mde: 0.2, sd: 1 })).toBe(394);
    expect(minimumDetectableEffect({ nPerArm: 64, sd: 1 })).toBeLessThanOrEqual(0.5);
    expect(minimumDetectableEffect({ nPerArm: 63, sd: 1 })).toBeGreaterThan(0.5);
  });

  it('scale with the design effect and for the difference between two populations', () => {
    expect(designEffect(2.5, 0.2)).toBeCloseTo(1.3, 14);
    const plain = minimumDetectableEffect({ nPerArm: 400, sd: 1.5 });
    expect(minimumDetectableEffect({ nPerArm: 400, sd: 1.5, designEffect: 1.3 }) / plain).toBeCloseTo(Math.sqrt(1.3), 12);
    const diff = minimumDetectableDifference({ populations: [{ nPerArm: 400, sd: 1.5 }, { nPerArm: 400, sd: 1.5 }] });
    expect(diff / plain).toBeCloseTo(Math.SQRT2, 2); // not exactly: twice the degrees of freedom
    const n = sampleSizePerArmForDifference({ mde: 0.3, sds: [1.5, 1.5] });
    expect(minimumDetectableDifference({ populations: [{ nPerArm: n, sd: 1.5 }, { nPerArm: n, sd: 1.5 }] })).toBeLessThanOrEqual(0.3);
    expect(minimumDetectableDifference({ populations: [{ nPerArm: n - 1, sd: 1.5 }, { nPerArm: n - 1, sd: 1.5 }] })).toBeGreaterThan(0.3);
  });
});
