import { describe, expect, it } from 'vitest';
import { incompleteBeta, normalCdf, normalQuantile, tCdf, tQuantile, tTwoSidedP } from './distributions.ts';

// reference values from R (qt, pt, pnorm, qnorm; identical to scipy.stats)
const close = (actual: number, expected: number, rel = 1e-10) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(1e-300, Math.abs(expected)));

describe('t and normal distributions', () => {
  it('t quantiles match qt', () => {
    close(tQuantile(0.975, 1), 12.706204736174694);
    close(tQuantile(0.975, 2.5), 3.5746548420036817);
    close(tQuantile(0.975, 10), 2.228138851986274);
    close(tQuantile(0.975, 155), 1.9753871310551152);
    close(tQuantile(0.975, 10_000), 1.960201239890626);
    close(tQuantile(0.995, 3.7), 4.8692522532278275);
    close(tQuantile(0.8, 30), 0.8537672614712979);
    close(tQuantile(0.025, 7), -2.3646242515927844);
    close(tQuantile(1e-10, 5), -156.82559270889433, 1e-9);
    expect(tQuantile(0.5, 12)).toBe(0);
  });

  it('t CDF and two-sided p-values match pt', () => {
    close(tCdf(2, 5), 0.9490302605850708);
    close(tTwoSidedP(2, 5), 0.10193947882985835);
    close(tCdf(-1.5, 3.3), 0.11125159835964593);
    close(tTwoSidedP(-1.5, 3.3), 0.22250319671929186);
    close(tCdf(0.1, 1000), 0.539817815488198);
    close(tTwoSidedP(0.1, 1000), 0.9203643690236041);
    close(tTwoSidedP(10, 4), 0.000562003622715991);
    close(tCdf(-3, 70_000), 0.001350372916962666, 1e-9);
    close(tTwoSidedP(2.5, 1e6), 0.012419489502163254, 1e-9);
    close(tTwoSidedP(40, 20), 1.457469655431075e-20, 1e-8);
    expect(tTwoSidedP(0, 9)).toBe(1);
    // quantile and CDF are inverse
    for (const df of [1.3, 4, 27.5, 400]) for (const p of [0.01, 0.3, 0.9, 0.999]) close(tCdf(tQuantile(p, df), df), p, 1e-11);
  });

  it('normal CDF and quantile match pnorm and qnorm', () => {
    close(normalCdf(-8), 6.22096057427174e-16, 1e-9);
    close(normalCdf(-1.96), 0.024997895148220435);
    expect(normalCdf(0)).toBe(0.5);
    close(normalCdf(0.5), 0.6914624612740131);
    close(normalCdf(3), 0.9986501019683699);
    close(normalQuantile(1e-12), -7.034483825301131);
    close(normalQuantile(0.025), -1.9599639845400545);
    close(normalQuantile(0.3), -0.5244005127080409);
    close(normalQuantile(0.975), 1.959963984540054);
    close(normalQuantile(0.999999), 4.753424308817087);
  });

  it('incomplete beta has its closed forms', () => {
    close(incompleteBeta(1, 1, 0.3), 0.3);
    close(incompleteBeta(2, 1, 0.4), 0.16);
    close(incompleteBeta(0.5, 0.5, 0.5), 0.5);
  });
});
