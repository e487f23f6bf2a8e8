import { describe, expect, it } from 'vitest';
import { differenceInMeansCr2 } from './difference-in-means.ts';
import { fitOls } from './ols.ts';
import { seededRandom } from './random.ts';

/** fitOls on the design [1, t] with CR2: the matrix computation the closed form replaces */
function withFitOls(y: number[], t: number[], cluster: number[]) {
  const n = y.length;
  const x = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    x[2 * i] = 1;
    x[2 * i + 1] = t[i];
  }
  const fit = fitOls({ x, y: Float64Array.from(y), n, k: 2, se: 'CR2', clusters: Int32Array.from(cluster), dfFor: [1] });
  return { estimate: fit.coefficients[1], variance: fit.vcov[3], df: fit.df[1], clusters: fit.clusters };
}

function closedForm(y: number[], t: number[], cluster: number[]) {
  const rows = (v: number) => Int32Array.from(t.flatMap((ti, i) => (ti === v ? [i] : [])));
  return differenceInMeansCr2(Float64Array.from(y), Int32Array.from(cluster), Math.max(...cluster) + 1, rows(0), rows(1));
}

function expectSame(a: ReturnType<typeof closedForm>, b: ReturnType<typeof withFitOls>) {
  expect(a.clusters).toBe(b.clusters);
  for (const k of ['estimate', 'variance', 'df'] as const) {
    if (Number.isNaN(b[k])) expect(a[k]).toBeNaN(); // df of two clusters that are each a whole group
    else expect(Math.abs(a[k] - b[k])).toBeLessThanOrEqual(1e-9 * Math.abs(b[k]));
  }
}

describe('difference in means with CR2 in closed form', () => {
  it('equals the regression on [1, t] for clusters of every size, mixed and not, and codes the comparison skips', () => {
    const random = seededRandom(17);
    for (let run = 0; run < 40; run++) {
      const y: number[] = [];
      const t: number[] = [];
      const cluster: number[] = [];
      const clusters = 3 + random.int(40);
      for (let j = 0; j < clusters; j++) {
        if (random.int(7) === 0) continue; // a code with no rows
        const size = 1 + random.int(run % 2 ? 3 : 9); // from one row to larger than the design (k = 2)
        const mixed = random.int(2) === 0;
        const shared = random.int(2);
        const effect = random.normal();
        for (let i = 0; i < size; i++) {
          const ti = mixed ? random.int(2) : shared;
          t.push(ti);
          y.push(effect + 0.4 * ti + random.normal());
          cluster.push(j);
        }
      }
      if (t.filter((v) => v === 0).length < 2 || t.filter((v) => v === 1).length < 2) continue;
      expectSame(closedForm(y, t, cluster), withFitOls(y, t, cluster));
    }
  });

  it('gives a whole group in one cluster no weight, as the regression does (1 − c/n = 0)', () => {
    const t = [0, 0, 0, 1, 1, 1, 1];
    const y = [1, 2, 4, 3, 5, 4, 8];
    const cluster = [0, 0, 0, 1, 1, 2, 3];
    expectSame(closedForm(y, t, cluster), withFitOls(y, t, cluster));
  });
});
