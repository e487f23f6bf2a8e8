// Small statistics shared by the opinion-group analysis: Wilson intervals, Pol.is's proportion tests,
// the adjusted Rand index, and a seeded random number generator (the analysis never calls Math.random).

export type Interval = { low: number; high: number };

/**
 * The Wilson score interval for a binomial proportion (successes out of n), z = 1.96 for 95%.
 * With n = 0 nothing is known: [0, 1].
 */
export function wilsonInterval(successes: number, n: number, z = 1.96): Interval {
  if (n <= 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * Pol.is's one-proportion z-test against 1/2, with a +1 pseudo-count on both sides
 * (polismath.math.stats/prop-test).
 */
export function propTest(successes: number, n: number): number {
  const s = successes + 1;
  const m = n + 1;
  return 2 * Math.sqrt(m) * (s / m - 0.5);
}

/**
 * Pol.is's two-proportion z-test of "in the group" against "outside it", every count +1
 * (polismath.math.stats/two-prop-test). Returns 0 when the pooled proportion is 1.
 */
export function twoPropTest(succIn: number, succOut: number, popIn: number, popOut: number): number {
  const s1 = succIn + 1;
  const s2 = succOut + 1;
  const n1 = popIn + 1;
  const n2 = popOut + 1;
  const pi1 = s1 / n1;
  const pi2 = s2 / n2;
  const piHat = (s1 + s2) / (n1 + n2);
  if (piHat === 1) return 0;
  return (pi1 - pi2) / Math.sqrt(piHat * (1 - piHat) * (1 / n1 + 1 / n2));
}

/** z above the one-sided 90% critical value (polismath.math.stats/z-sig-90?). */
export const zSig90 = (z: number) => z > 1.2816;

/**
 * Adjusted Rand index (Hubert & Arabie 1985) of two labelings of the same items: 1 for identical
 * partitions (whatever the label names), about 0 for chance agreement. Labels may be any values.
 */
export function adjustedRandIndex<A, B>(labelsA: readonly A[], labelsB: readonly B[]): number {
  if (labelsA.length !== labelsB.length) throw new Error('adjustedRandIndex: the labelings differ in length');
  const n = labelsA.length;
  if (n < 2) return 1;
  const table = new Map<A, Map<B, number>>();
  const rowSums = new Map<A, number>();
  const colSums = new Map<B, number>();
  for (let i = 0; i < n; i++) {
    const a = labelsA[i];
    const b = labelsB[i];
    let row = table.get(a);
    if (!row) table.set(a, (row = new Map()));
    row.set(b, (row.get(b) ?? 0) + 1);
    rowSums.set(a, (rowSums.get(a) ?? 0) + 1);
    colSums.set(b, (colSums.get(b) ?? 0) + 1);
  }
  const pairs = (x: number) => (x * (x - 1)) / 2;
  let index = 0;
  for (const row of table.values()) for (const c of row.values()) index += pairs(c);
  let sumA = 0;
  for (const c of rowSums.values()) sumA += pairs(c);
  let sumB = 0;
  for (const c of colSums.values()) sumB += pairs(c);
  const expected = (sumA * sumB) / pairs(n);
  const max = (sumA + sumB) / 2;
  // both partitions put everything together (or everything apart): they agree completely
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}

/** mulberry32: a small, fast, seeded generator of floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
