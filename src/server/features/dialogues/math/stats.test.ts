import { describe, expect, it } from 'vitest';
import { classifyStatements, segmentConsensus } from './consensus.ts';
import { kmeans, silhouette } from './kmeans.ts';
import { adjustedRandIndex, propTest, seededRandom, twoPropTest, wilsonInterval } from './stats.ts';

describe('statistics', () => {
  it('computes Wilson intervals', () => {
    // textbook values: 8 of 10 -> [0.490, 0.943]; 0 of 10 -> [0, 0.278]
    const a = wilsonInterval(8, 10);
    expect(a.low).toBeCloseTo(0.4902, 3);
    expect(a.high).toBeCloseTo(0.9433, 3);
    expect(wilsonInterval(0, 10).low).toBe(0);
    expect(wilsonInterval(0, 10).high).toBeCloseTo(0.2775, 3);
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });

  it("follows Pol.is's proportion tests", () => {
    expect(propTest(0, 0)).toBeCloseTo(1, 12); // 2 sqrt(1) (1/1 - 0.5)
    expect(propTest(9, 9)).toBeCloseTo(2 * Math.sqrt(10) * 0.5, 12);
    expect(twoPropTest(5, 5, 10, 10)).toBeCloseTo(0, 12);
    expect(twoPropTest(9, 1, 10, 10)).toBeGreaterThan(3);
    expect(twoPropTest(0, 0, 0, 0)).toBe(0);
  });

  it('computes the adjusted Rand index', () => {
    expect(adjustedRandIndex([0, 0, 1, 1], ['b', 'b', 'a', 'a'])).toBe(1);
    // scikit-learn's documented example: ARI([0,0,1,1],[0,0,1,2]) = 0.5714...
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(0.5714285714, 8);
    expect(adjustedRandIndex([0, 0, 0, 0], [0, 1, 2, 3])).toBe(0);
  });

  it('draws the same numbers from the same seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

describe('k-means and silhouette', () => {
  it('starts from the first k distinct points and separates clear clusters', () => {
    const pts = Float64Array.from([0, 0, 0, 0, 0.1, 0, 10, 10, 10.1, 10, 10, 10.2]);
    const c = kmeans(pts, 2, { maxIterations: 20 });
    expect(c.map((x) => x.members)).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(silhouette(pts, c)).toBeGreaterThan(0.9);
  });

  it('weighs points', () => {
    const pts = Float64Array.from([0, 0, 1, 0]);
    const [one] = kmeans(pts, 1, { weights: [3, 1] });
    expect(one.center[0]).toBeCloseTo(0.25, 12);
  });
});

describe('consensus over any grouping', () => {
  const groups = [
    { agree: [9, 1, 0], disagree: [0, 9, 0], pass: [1, 0, 0] },
    { agree: [8, 9, 0], disagree: [1, 0, 0], pass: [0, 1, 0] },
  ];
  it('multiplies (agree + 1) / (seen + 2) over groups', () => {
    const c = segmentConsensus(groups, 3);
    expect(c[0]).toBeCloseTo((10 / 12) * (9 / 11), 12);
    expect(c[2]).toBeCloseTo(0.25, 12);
  });
  it('calls a statement bridging or divisive with the figures behind it', () => {
    const k = classifyStatements(groups, 3);
    expect(k.map((x) => x.kind)).toEqual(['bridging', 'divisive', 'neither']);
    expect(k[1].spread).toBeCloseTo(0.9 - 0.1, 12);
    expect(k[0].groups[0]).toMatchObject({ agree: 9, seen: 10, agreeRate: 0.9 });
    expect(k[2].groups).toEqual([null, null]);
  });
});
