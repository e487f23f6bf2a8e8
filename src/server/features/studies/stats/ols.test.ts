import { describe, expect, it } from 'vitest';
import { symmetricEigen } from './linear-algebra.ts';
import { fitOls, orderByCluster, type SeType } from './ols.ts';

// 31 rows in 12 clusters (sizes 1–5, treatment constant in some clusters and mixed in others), rows shuffled.
// Expected values: a line-by-line NumPy translation of estimatr's lm_robust_helper.cpp (lm_variance and
// lm_variance_cr2, which builds each cluster's len×len (I − H_jj)^(−1/2) and the J×J dof matrices directly).
const cluster = [11, 10, 4, 2, 4, 8, 1, 9, 4, 7, 7, 5, 6, 8, 3, 7, 3, 3, 8, 8, 10, 6, 4, 0, 3, 1, 4, 1, 2, 10, 9];
const d = [1.0, 0.0, 1.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 1.0];
const x = [0.064, -0.584, -1.267, 0.695, 0.157, -0.809, -0.93, -0.033, -0.235, -0.478, 0.113, -2.517, -0.539, -0.979, -1.842, -1.53, -0.458, -1.901, 1.061, -0.808, -0.112, -0.049, 0.271, 0.357, -1.29, 0.105, -0.187, -0.029, -1.344, 0.11, 0.884];
const y = [1.931, 0.304, 1.15, 4.853, 3.63, 0.788, 0.766, 1.298, 1.592, 3.875, 2.628, -1.189, 1.074, 1.668, -3.208, 1.679, -0.71, -2.531, 2.242, 0.866, 1.338, -1.673, 3.475, 0.372, -0.952, 2.343, 0.886, 2.22, 1.108, 1.042, 0.58];
const expected: Record<SeType, { coef: number[]; se: number[]; df: number[] }> = {
  "HC0": {
    "coef": [
      1.3087902465432237,
      0.6194536813227177,
      1.2080797322747754
    ],
    "se": [
      0.40439762561513615,
      0.47845574576593813,
      0.3058020450922655
    ],
    "df": [
      28,
      28,
      28
    ]
  },
  "HC1": {
    "coef": [
      1.3087902465432237,
      0.6194536813227177,
      1.2080797322747754
    ],
    "se": [
      0.42551064397035926,
      0.50343523205039,
      0.32176753000646796
    ],
    "df": [
      28,
      28,
      28
    ]
  },
  "HC2": {
    "coef": [
      1.3087902465432237,
      0.6194536813227177,
      1.2080797322747754
    ],
    "se": [
      0.42277478152778913,
      0.502757454880386,
      0.3269546547968272
    ],
    "df": [
      28,
      28,
      28
    ]
  },
  "HC3": {
    "coef": [
      1.3087902465432237,
      0.6194536813227177,
      1.2080797322747754
    ],
    "se": [
      0.4421622475669084,
      0.528560076005049,
      0.3497094923935388
    ],
    "df": [
      28,
      28,
      28
    ]
  },
  "CR2": {
    "coef": [
      1.3087902465432237,
      0.6194536813227177,
      1.2080797322747754
    ],
    "se": [
      0.5922908016297913,
      0.684160071237557,
      0.4271919897049327
    ],
    "df": [
      4.726630237840121,
      8.169669514745511,
      6.040706034460236
    ]
  }
};

function design() {
  const n = y.length;
  const X = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    X[i * 3] = 1;
    X[i * 3 + 1] = d[i];
    X[i * 3 + 2] = x[i];
  }
  return { x: X, y: Float64Array.from(y), n, k: 3, clusters: Int32Array.from(cluster) };
}

describe('OLS with robust variances', () => {
  for (const se of ['HC0', 'HC1', 'HC2', 'HC3', 'CR2'] as const) {
    it(`${se} matches estimatr's algorithm`, () => {
      const fit = fitOls({ ...design(), se });
      for (let a = 0; a < 3; a++) {
        expect(fit.coefficients[a]).toBeCloseTo(expected[se].coef[a], 10);
        expect(Math.sqrt(fit.vcov[a * 3 + a])).toBeCloseTo(expected[se].se[a], 10);
        expect(fit.df[a]).toBeCloseTo(expected[se].df[a], 8);
      }
      if (se === 'CR2') expect(fit.clusters).toBe(12);
    });
  }

  it('CR2 with one observation per cluster is HC2', () => {
    const base = design();
    const hc2 = fitOls({ ...base, se: 'HC2' });
    const cr2 = fitOls({ ...base, se: 'CR2', clusters: Int32Array.from(y, (_, i) => i) });
    for (let q = 0; q < 9; q++) expect(cr2.vcov[q]).toBeCloseTo(hc2.vcov[q], 12);
  });

  it('marks an aliased column NA and fits the rest, as lm() does', () => {
    const base = design();
    const n = base.n;
    const X = new Float64Array(n * 4);
    for (let i = 0; i < n; i++) {
      X.set(base.x.subarray(i * 3, i * 3 + 3), i * 4);
      X[i * 4 + 3] = 2 * x[i] - 1; // a combination of the intercept and x
    }
    const fit = fitOls({ ...base, x: X, k: 4, se: 'HC2' });
    expect(fit.aliased).toEqual([false, false, false, true]);
    expect(fit.rank).toBe(3);
    expect(fit.coefficients[1]).toBeCloseTo(expected.HC2.coef[1], 10);
    expect(Math.sqrt(fit.vcov[1 * 4 + 1])).toBeCloseTo(expected.HC2.se[1], 10);
    expect(fit.coefficients[3]).toBeNaN();
  });

  it('groups rows by cluster with a stable counting sort', () => {
    const { order, starts } = orderByCluster(Int32Array.from([5, 2, 5, 0, 2, 5]), 6);
    expect(Array.from(order)).toEqual([3, 1, 4, 0, 2, 5]);
    expect(Array.from(starts)).toEqual([0, 1, 3, 6]);
  });

  it('decomposes symmetric matrices', () => {
    const a = Float64Array.from([4, 1, 2, 1, 3, 0.5, 2, 0.5, 5]);
    const { values, vectors } = symmetricEigen(a, 3);
    for (let c = 0; c < 3; c++)
      for (let r = 0; r < 3; r++) {
        let av = 0;
        for (let q = 0; q < 3; q++) av += a[r * 3 + q] * vectors[q * 3 + c];
        expect(av).toBeCloseTo(values[c] * vectors[r * 3 + c], 12);
      }
  });
});
