// One arm against control without covariates, with CR2 standard errors: what fitOls (ols.ts) computes for the
// design X = [1, t] (t = 1 in the arm, 0 in control), in closed form, in one pass over the rows and one over the
// clusters, with no per-cluster matrix. Same estimatr quantities (lm_robust(y ~ t, clusters = …, se_type = "CR2")).
//
// With n0 control and n1 arm rows: M = (XᵀX)⁻¹ = [[1/n0, −1/n0], [−1/n0, 1/n0 + 1/n1]], the estimate is ȳ1 − ȳ0
// and each row's residual is e = y − (its group's mean). Within cluster j, with c0 control and c1 arm rows:
//   H_jj = X_j M X_jᵀ is 1/n0 between two control rows, 1/n1 between two arm rows, 0 across, so it is block
//   diagonal with blocks J/n_b (J all ones, c_b × c_b). (I − H_jj)^(−1/2) multiplies the ones vector of block b by
//   f_b = (1 − c_b/n_b)^(−1/2) (0 when 1 − c_b/n_b ≤ 1e-12, as ols.ts does) and leaves what is orthogonal to it.
//   Row 1 (the effect) of M X_jᵀ is −1/n0 on control rows and 1/n1 on arm rows: constant on each block, so
//   row 1 of M X_jᵀ A_j is −f0/n0 on control rows and f1/n1 on arm rows. Hence, with E_b the sum of the
//   cluster's residuals in block b, α = c0 f0/n0 and β = c1 f1/n1:
//     meat term   (M X_jᵀ A_j e_j)_1 = f1 E1/n1 − f0 E0/n0          variance = Σ_j (meat term)²
//     dof's p_j   ‖row 1 of M X_jᵀ A_j‖² = c0 f0²/n0² + c1 f1²/n1²
//     dof's g_j   (row 1 of M X_jᵀ A_j) X_j L = v_j L with v_j = (β − α, β) and L Lᵀ = M, so
//                 ‖g_j‖² = v_j M v_jᵀ = α²/n0 + β²/n1, and ‖Σ_j g_jᵀ g_j‖²_F = tr(V M V M) with V = Σ v_jᵀ v_j,
//                 which in the coordinates (α, β) (where M becomes diag(1/n0, 1/n1)) is
//                 (Σα²)²/n0² + 2 (Σαβ)²/(n0 n1) + (Σβ²)²/n1²
//   and estimatr's Satterthwaite df = (Σp − Σ‖g‖²)² / (Σp² − 2 Σ p‖g‖² + ‖Σ gᵀg‖²_F), as in ols.ts.

export type DifferenceInMeans = { estimate: number; variance: number; df: number; clusters: number };

/**
 * The arm's mean minus control's with its CR2 variance and degrees of freedom. `clusterCount` bounds the cluster
 * codes; both groups need at least one row.
 */
export function differenceInMeansCr2(
  y: Float64Array,
  cluster: Int32Array,
  clusterCount: number,
  controlRows: Int32Array,
  armRows: Int32Array,
): DifferenceInMeans {
  const n0 = controlRows.length;
  const n1 = armRows.length;
  let sum0 = 0;
  for (let i = 0; i < n0; i++) sum0 += y[controlRows[i]];
  let sum1 = 0;
  for (let i = 0; i < n1; i++) sum1 += y[armRows[i]];
  const mean0 = sum0 / n0;
  const mean1 = sum1 / n1;

  // per cluster: rows and residual sums in each group, and the clusters met, in order of meeting
  const c0 = new Int32Array(clusterCount);
  const c1 = new Int32Array(clusterCount);
  const e0 = new Float64Array(clusterCount);
  const e1 = new Float64Array(clusterCount);
  const met = new Int32Array(Math.min(clusterCount, n0 + n1));
  let clusters = 0;
  for (let i = 0; i < n0; i++) {
    const row = controlRows[i];
    const j = cluster[row];
    if (c0[j] === 0 && c1[j] === 0) met[clusters++] = j;
    c0[j]++;
    e0[j] += y[row] - mean0;
  }
  for (let i = 0; i < n1; i++) {
    const row = armRows[i];
    const j = cluster[row];
    if (c0[j] === 0 && c1[j] === 0) met[clusters++] = j;
    c1[j]++;
    e1[j] += y[row] - mean1;
  }

  const f = (c: number, n: number) => {
    const rest = 1 - c / n;
    return rest > 1e-12 ? 1 / Math.sqrt(rest) : 0;
  };
  let variance = 0;
  let sumP = 0;
  let sumG2 = 0;
  let sumP2 = 0;
  let sumPG2 = 0;
  let aa = 0; // Σα²
  let ab = 0; // Σαβ
  let bb = 0; // Σβ²
  for (let m = 0; m < clusters; m++) {
    const j = met[m];
    const f0 = c0[j] === 0 ? 0 : f(c0[j], n0);
    const f1 = c1[j] === 0 ? 0 : f(c1[j], n1);
    const meat = (f1 * e1[j]) / n1 - (f0 * e0[j]) / n0;
    variance += meat * meat;
    const p = (c0[j] * f0 * f0) / (n0 * n0) + (c1[j] * f1 * f1) / (n1 * n1);
    const alpha = (c0[j] * f0) / n0;
    const beta = (c1[j] * f1) / n1;
    const g2 = (alpha * alpha) / n0 + (beta * beta) / n1;
    sumP += p;
    sumG2 += g2;
    sumP2 += p * p;
    sumPG2 += p * g2;
    aa += alpha * alpha;
    ab += alpha * beta;
    bb += beta * beta;
  }
  const frob = (aa * aa) / (n0 * n0) + (2 * ab * ab) / (n0 * n1) + (bb * bb) / (n1 * n1);
  const trace = sumP - sumG2;
  return { estimate: mean1 - mean0, variance, df: (trace * trace) / (sumP2 - 2 * sumPG2 + frob), clusters };
}
