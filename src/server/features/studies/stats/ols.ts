// Ordinary least squares with the robust variances of R's estimatr::lm_robust (src/lm_robust_helper.cpp):
// HC0–HC3, and CR2 (Bell & McCaffrey 2002, as Pustejovsky & Tipton 2018 / clubSandwich with an identity
// working model) with estimatr's Satterthwaite degrees of freedom per coefficient.
//
// CR2 is computed per cluster, never as n×n or J×J matrices. A cluster of at most k rows is done as estimatr does
// it, with its s×s (I − H_jj)^(−1/2); a larger one in coefficient space (k×k). With M = (XᵀX)⁻¹ = L Lᵀ and a
// cluster's C = X_jᵀX_j, the eigen-decomposition S = Lᵀ C L = V Λ Vᵀ (k×k) gives everything estimatr builds
// from the cluster's len×len (I − H_jj)^(−1/2), because X_jᵀ f(X_j M X_jᵀ) = f(C M) X_jᵀ and C M = L⁻ᵀ S Lᵀ:
//   meat term     M X_jᵀ A_j e_j      = W f(Λ) Wᵀ X_jᵀ e_j        (W = L V, f(λ) = (1 − λ)^(−1/2), 0 when 1 − λ ≤ 1e-12)
//   dof's P_diag  ‖(M X_jᵀ A_j)_t‖²   = Σ_c W_tc² f_c² λ_c
//   dof's H rows  (M X_jᵀ A_j X_j L)_t = Σ_c W_tc f_c λ_c V_·c
// and estimatr's J×J matrix P = D − G Gᵀ has trace Σp − Σ‖g‖² and ‖P‖²_F = Σp² − 2 Σ p‖g‖² + ‖GᵀG‖²_F,
// so the degrees of freedom (tr P)² / ‖P‖²_F need O(J k²) work.
import { aliasedColumns, cholesky, invertSpd, jacobiEigen } from './linear-algebra.ts';

export type SeType = 'HC0' | 'HC1' | 'HC2' | 'HC3' | 'CR2';
export const SE_TYPES: readonly SeType[] = ['HC0', 'HC1', 'HC2', 'HC3', 'CR2'];

export type OlsInput = {
  /** the design matrix, row-major n×k (include the intercept column yourself) */
  x: Float64Array;
  y: Float64Array;
  n: number;
  k: number;
  se: SeType;
  /** CR2 only: a non-negative cluster code per row; rows need not be sorted */
  clusters?: Int32Array;
  /** CR2 only: the coefficients to compute degrees of freedom for (default all) */
  dfFor?: number[];
};

export type OlsFit = {
  /** NaN for an aliased column (a linear combination of earlier ones), as lm() reports NA */
  coefficients: Float64Array;
  /** row-major k×k; NaN in the rows and columns of aliased coefficients */
  vcov: Float64Array;
  /** per coefficient: n − rank for HC*, estimatr's Satterthwaite df for CR2 (NaN where not computed) */
  df: Float64Array;
  n: number;
  rank: number;
  aliased: boolean[];
  /** CR2: the number of clusters */
  clusters?: number;
};

export function fitOls(input: OlsInput): OlsFit {
  const { x, y, n, k } = input;
  const xtx = new Float64Array(k * k);
  const xty = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const o = i * k;
    const yi = y[i];
    for (let a = 0; a < k; a++) {
      const xa = x[o + a];
      if (xa === 0) continue;
      xty[a] += xa * yi;
      for (let b = 0; b <= a; b++) xtx[a * k + b] += xa * x[o + b];
    }
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) xtx[b * k + a] = xtx[a * k + b];

  const aliased = aliasedColumns(xtx, k);
  if (aliased.some(Boolean)) return fitWithoutAliased(input, aliased);

  const m = invertSpd(xtx, k);
  if (!m) throw new Error('the design matrix is singular');
  const beta = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    let s = 0;
    for (let b = 0; b < k; b++) s += m[a * k + b] * xty[b];
    beta[a] = s;
  }
  const e = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let fit = 0;
    for (let a = 0; a < k; a++) fit += x[i * k + a] * beta[a];
    e[i] = y[i] - fit;
  }
  const fit: OlsFit = { coefficients: beta, vcov: new Float64Array(k * k), df: new Float64Array(k).fill(n - k), n, rank: k, aliased };
  if (input.se === 'CR2') {
    if (!input.clusters) throw new Error('CR2 needs clusters');
    const cr2 = cr2Variance(x, e, n, k, m, input.clusters, input.dfFor ?? Array.from({ length: k }, (_, i) => i));
    fit.vcov = cr2.vcov;
    fit.df = cr2.df;
    fit.clusters = cr2.clusters;
  } else {
    fit.vcov = hcVariance(x, e, n, k, m, input.se);
  }
  return fit;
}

function fitWithoutAliased(input: OlsInput, aliased: boolean[]): OlsFit {
  const { x, n, k } = input;
  const keep = aliased.flatMap((a, i) => (a ? [] : [i]));
  const r = keep.length;
  if (r === 0) throw new Error('the design matrix has no usable column');
  const xr = new Float64Array(n * r);
  for (let i = 0; i < n; i++) for (let c = 0; c < r; c++) xr[i * r + c] = x[i * k + keep[c]];
  const dfFor = input.dfFor?.flatMap((t) => (aliased[t] ? [] : [keep.indexOf(t)]));
  const sub = fitOls({ ...input, x: xr, k: r, dfFor });
  const coefficients = new Float64Array(k).fill(NaN);
  const vcov = new Float64Array(k * k).fill(NaN);
  const df = new Float64Array(k).fill(NaN);
  for (let a = 0; a < r; a++) {
    coefficients[keep[a]] = sub.coefficients[a];
    df[keep[a]] = sub.df[a];
    for (let b = 0; b < r; b++) vcov[keep[a] * k + keep[b]] = sub.vcov[a * r + b];
  }
  return { ...sub, coefficients, vcov, df, aliased };
}

function sandwich(m: Float64Array, meat: Float64Array, k: number, scale = 1): Float64Array {
  const tmp = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let b = 0; b < k; b++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += m[a * k + c] * meat[c * k + b];
      tmp[a * k + b] = s;
    }
  const v = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let b = 0; b < k; b++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += tmp[a * k + c] * m[c * k + b];
      v[a * k + b] = s * scale;
    }
  return v;
}

function hcVariance(x: Float64Array, e: Float64Array, n: number, k: number, m: Float64Array, se: SeType): Float64Array {
  const meat = new Float64Array(k * k);
  const needsLeverage = se === 'HC2' || se === 'HC3';
  for (let i = 0; i < n; i++) {
    const o = i * k;
    let w = e[i] * e[i];
    if (needsLeverage) {
      let h = 0;
      for (let a = 0; a < k; a++) {
        const xa = x[o + a];
        if (xa === 0) continue;
        let s = 0;
        for (let b = 0; b < k; b++) s += m[a * k + b] * x[o + b];
        h += xa * s;
      }
      w = se === 'HC2' ? w / (1 - h) : w / ((1 - h) * (1 - h));
    }
    if (w === 0) continue;
    for (let a = 0; a < k; a++) {
      const wa = w * x[o + a];
      if (wa === 0) continue;
      for (let b = 0; b <= a; b++) meat[a * k + b] += wa * x[o + b];
    }
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) meat[b * k + a] = meat[a * k + b];
  return sandwich(m, meat, k, se === 'HC1' ? n / (n - k) : 1);
}

/** Row indices grouped by cluster code (counting sort, stable). */
export function orderByCluster(clusters: Int32Array, n: number): { order: Int32Array; starts: Int32Array } {
  let max = -1;
  for (let i = 0; i < n; i++) {
    const c = clusters[i];
    if (c < 0) throw new Error('cluster codes must be non-negative');
    if (c > max) max = c;
  }
  const counts = new Int32Array(max + 2);
  for (let i = 0; i < n; i++) counts[clusters[i] + 1]++;
  let groups = 0;
  for (let c = 1; c <= max + 1; c++) if (counts[c] > 0) groups++;
  const starts = new Int32Array(groups + 1);
  let g = 0;
  for (let c = 1; c <= max + 1; c++) {
    if (counts[c] > 0) {
      starts[g + 1] = starts[g] + counts[c];
      g++;
    }
    counts[c] += counts[c - 1];
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[counts[clusters[i]]++] = i;
  return { order, starts };
}

function cr2Variance(
  x: Float64Array,
  e: Float64Array,
  n: number,
  k: number,
  m: Float64Array,
  clusters: Int32Array,
  dfFor: number[],
): { vcov: Float64Array; df: Float64Array; clusters: number } {
  const l = cholesky(m, k);
  if (!l) throw new Error('(XᵀX)⁻¹ is not positive definite');
  const { order, starts } = orderByCluster(clusters, n);
  const groups = starts.length - 1;
  const kk = k * k;
  // workspaces, reused for every cluster (a cluster of s ≤ k rows uses s×s and s×k parts of them)
  const vcov = new Float64Array(kk);
  const c = new Float64Array(kk);
  const u = new Float64Array(k);
  const sm = new Float64Array(kk);
  const tmp = new Float64Array(kk);
  const w = new Float64Array(kk);
  const v = new Float64Array(kk);
  const values = new Float64Array(k);
  const f = new Float64Array(k);
  const lu = new Float64Array(k);
  const b = new Float64Array(k);
  const mh = new Float64Array(k);
  const g = new Float64Array(k);
  const z = new Float64Array(kk);
  const lx = new Float64Array(kk);
  const me = new Float64Array(kk);
  const ev = new Float64Array(k);
  const nd = dfFor.length;
  const pj = new Float64Array(nd);
  const gj = new Float64Array(nd * k);
  const sumP = new Float64Array(nd);
  const sumG2 = new Float64Array(nd);
  const sumP2 = new Float64Array(nd);
  const sumPG2 = new Float64Array(nd);
  const gtg = new Float64Array(nd * kk);

  for (let j = 0; j < groups; j++) {
    const first = starts[j];
    const size = starts[j + 1] - first;
    if (size <= k) {
      // small cluster: estimatr's own s×s computation, A_j = (I − X_j M X_jᵀ)^(−1/2)
      for (let a = 0; a < size; a++) {
        const o = order[first + a] * k;
        ev[a] = e[order[first + a]];
        for (let q = 0; q < k; q++) {
          let zt = 0;
          let lt = 0;
          for (let r = 0; r < k; r++) {
            const xr = x[o + r];
            zt += m[q * k + r] * xr;
            lt += l[r * k + q] * xr;
          }
          z[a * k + q] = zt;
          lx[a * k + q] = lt;
        }
      }
      for (let a = 0; a < size; a++) {
        const o = order[first + a] * k;
        for (let bb = 0; bb <= a; bb++) {
          let h = 0;
          for (let q = 0; q < k; q++) h += x[o + q] * z[bb * k + q];
          sm[a * size + bb] = h;
          sm[bb * size + a] = h;
        }
      }
      if (size === 1) {
        values[0] = sm[0];
        v[0] = 1;
      } else jacobiEigen(sm, v, values, size);
      for (let q = 0; q < size; q++) {
        const rest = 1 - values[q];
        f[q] = rest > 1e-12 ? 1 / Math.sqrt(rest) : 0;
      }
      // tmp = A_j (s×s); me = M X_jᵀ A_j (k×s)
      for (let a = 0; a < size; a++)
        for (let bb = 0; bb < size; bb++) {
          let t = 0;
          for (let q = 0; q < size; q++) t += v[a * size + q] * f[q] * v[bb * size + q];
          tmp[a * size + bb] = t;
        }
      for (let q = 0; q < k; q++)
        for (let bb = 0; bb < size; bb++) {
          let t = 0;
          for (let a = 0; a < size; a++) t += z[a * k + q] * tmp[a * size + bb];
          me[q * size + bb] = t;
        }
      for (let q = 0; q < k; q++) {
        let t = 0;
        for (let bb = 0; bb < size; bb++) t += me[q * size + bb] * ev[bb];
        mh[q] = t;
      }
      for (let d = 0; d < nd; d++) {
        const t = dfFor[d];
        let p = 0;
        for (let bb = 0; bb < size; bb++) p += me[t * size + bb] * me[t * size + bb];
        pj[d] = p;
        for (let q = 0; q < k; q++) {
          let gt = 0;
          for (let bb = 0; bb < size; bb++) gt += me[t * size + bb] * lx[bb * k + q];
          gj[d * k + q] = gt;
        }
      }
    } else {
      // large cluster: the same quantities in coefficient space (see the header)
      c.fill(0);
      u.fill(0);
      for (let p = first; p < first + size; p++) {
        const i = order[p];
        const o = i * k;
        const ei = e[i];
        for (let a = 0; a < k; a++) {
          const xa = x[o + a];
          if (xa === 0) continue;
          u[a] += xa * ei;
          for (let bb = 0; bb <= a; bb++) c[a * k + bb] += xa * x[o + bb];
        }
      }
      for (let a = 0; a < k; a++) for (let bb = 0; bb < a; bb++) c[bb * k + a] = c[a * k + bb];
      // S = Lᵀ C L
      for (let a = 0; a < k; a++)
        for (let bb = 0; bb < k; bb++) {
          let t = 0;
          for (let q = 0; q < k; q++) t += c[a * k + q] * l[q * k + bb];
          tmp[a * k + bb] = t;
        }
      for (let a = 0; a < k; a++)
        for (let bb = 0; bb < k; bb++) {
          let t = 0;
          for (let q = 0; q < k; q++) t += l[q * k + a] * tmp[q * k + bb];
          sm[a * k + bb] = t;
        }
      jacobiEigen(sm, v, values, k);
      for (let q = 0; q < k; q++) {
        const rest = 1 - values[q];
        f[q] = rest > 1e-12 ? 1 / Math.sqrt(rest) : 0;
      }
      // W = L V
      for (let a = 0; a < k; a++)
        for (let q = 0; q < k; q++) {
          let t = 0;
          for (let r = 0; r <= a; r++) t += l[a * k + r] * v[r * k + q];
          w[a * k + q] = t;
        }
      // M X_jᵀ A_j e_j = W f Wᵀ u
      for (let q = 0; q < k; q++) {
        let t = 0;
        for (let a = 0; a < k; a++) t += w[a * k + q] * u[a];
        lu[q] = t * f[q];
      }
      for (let a = 0; a < k; a++) {
        let t = 0;
        for (let q = 0; q < k; q++) t += w[a * k + q] * lu[q];
        mh[a] = t;
      }
      for (let d = 0; d < nd; d++) {
        const t = dfFor[d];
        let p = 0;
        for (let q = 0; q < k; q++) {
          const wt = w[t * k + q];
          p += wt * wt * f[q] * f[q] * values[q];
          b[q] = wt * f[q] * values[q];
        }
        pj[d] = p;
        for (let r = 0; r < k; r++) {
          let gt = 0;
          for (let q = 0; q < k; q++) gt += v[r * k + q] * b[q];
          gj[d * k + r] = gt;
        }
      }
    }

    for (let a = 0; a < k; a++) for (let bb = 0; bb < k; bb++) vcov[a * k + bb] += mh[a] * mh[bb];
    for (let d = 0; d < nd; d++) {
      const p = pj[d];
      let g2 = 0;
      for (let r = 0; r < k; r++) {
        g[r] = gj[d * k + r];
        g2 += g[r] * g[r];
      }
      sumP[d] += p;
      sumG2[d] += g2;
      sumP2[d] += p * p;
      sumPG2[d] += p * g2;
      const o = d * kk;
      for (let r = 0; r < k; r++) for (let q = 0; q < k; q++) gtg[o + r * k + q] += g[r] * g[q];
    }
  }
  const df = new Float64Array(k).fill(NaN);
  for (let d = 0; d < nd; d++) {
    let frob = 0;
    const o = d * kk;
    for (let q = 0; q < kk; q++) frob += gtg[o + q] * gtg[o + q];
    const trace = sumP[d] - sumG2[d];
    df[dfFor[d]] = (trace * trace) / (sumP2[d] - 2 * sumPG2[d] + frob);
  }
  return { vcov, df, clusters: groups };
}
