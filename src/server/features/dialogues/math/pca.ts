// PCA of the vote matrix by power iteration, as polismath.math.pca does it, without ever building the
// dense matrix. Pol.is fills a missing vote with its statement's mean vote and then centres each column
// on that same mean, so after centring every missing entry is exactly 0: the centred matrix is as sparse
// as the votes, and X^T X v is two passes over the votes.
import { seededRandom } from './stats.ts';
import { rowEndOf, type VoteMatrix } from './vote-matrix.ts';

export type PcaResult = {
  /** mean vote per statement (0 for statements excluded or never voted on) */
  center: Float64Array;
  /** the first two principal directions, unit length, one weight per statement */
  components: [Float64Array, Float64Array];
  /** power-iteration steps each component took (both are found together: the same count) */
  iterations: [number, number];
};

export type PcaOptions = {
  /** power-iteration steps per component (Pol.is: 100) */
  iterations?: number;
  seed?: number;
  /** warm start: the components of the previous run (Pol.is passes the last PCA's) */
  startVectors?: readonly (ArrayLike<number> | undefined)[];
  /**
   * powerIterationPca only: what a missing vote counts as. 'mean' (Pol.is since October 2017, commit 90b5b9e6
   * "Use column/comment averages instead of 0s for missing votes"): its statement's mean, so it is 0 once centred;
   * 'zero' (Pol.is before): 0, and the column is then centred on the mean over every participant, missing ones
   * included, so a missing vote sits at minus that mean.
   */
  missingVotes?: 'mean' | 'zero';
  /**
   * stop once an iteration changes little (a history replay's warm starts, which begin next to the answer): sparsePca
   * when the plane moves by less than this (1 - cos² of the angle; default 1e-14), powerIterationPca when the
   * eigenvalue estimate changes by less than this fraction of itself (default: only when it repeats exactly, as
   * Pol.is's power-iteration stops)
   */
  tolerance?: number;
};

/** Centred value of every stored vote; 0 where the statement is excluded (moderated out). */
export function centredValues(m: VoteMatrix, excluded: Uint8Array): { center: Float64Array; centred: Float64Array; activeColumns: number } {
  const sum = new Float64Array(m.statementCount);
  const count = new Int32Array(m.statementCount);
  const rowEnd = rowEndOf(m);
  // (a matrix without room to grow: every stored vote, in one pass)
  const rows = m.rowEnd ? m.participantCount : 1;
  for (let p = 0; p < rows; p++) {
    for (let k = m.rowEnd ? m.rowStart[p] : 0, to = m.rowEnd ? rowEnd[p] : m.statement.length; k < to; k++) {
      sum[m.statement[k]] += m.value[k];
      count[m.statement[k]]++;
    }
  }
  const center = new Float64Array(m.statementCount);
  let activeColumns = 0;
  for (let s = 0; s < m.statementCount; s++) {
    center[s] = excluded[s] || count[s] === 0 ? 0 : sum[s] / count[s];
    if (!excluded[s] && count[s] > 0) activeColumns++;
  }
  const centred = new Float64Array(m.statement.length);
  for (let p = 0; p < rows; p++) {
    for (let k = m.rowEnd ? m.rowStart[p] : 0, to = m.rowEnd ? rowEnd[p] : m.statement.length; k < to; k++) {
      const s = m.statement[k];
      centred[k] = excluded[s] ? 0 : m.value[k] - center[s];
    }
  }
  return { center, centred, activeColumns };
}

export function sparsePca(m: VoteMatrix, excluded: Uint8Array, opts: PcaOptions = {}): PcaResult {
  const iterations = opts.iterations ?? 100;
  const random = seededRandom(opts.seed ?? 1);
  const { center, centred, activeColumns } = centredValues(m, excluded);
  const d = m.statementCount;
  const { rowStart, statement } = m;
  const rowEnd = rowEndOf(m);

  let activeRows = 0;
  for (let p = 0; p < m.participantCount; p++) if (rowEnd[p] > rowStart[p]) activeRows++;
  const nComps = Math.min(2, activeRows, activeColumns);
  if (nComps === 0) return { center, components: [new Float64Array(d), new Float64Array(d)], iterations: [0, 0] };

  // Both directions at once (subspace iteration): one pass over the votes serves both vectors, and the
  // pair converges to the top-two eigenspace even when the two eigenvalues are close, where one-at-a-time
  // power iteration crawls. A 2 × 2 Rayleigh-Ritz step at the end orders them as Pol.is's would be.
  const q1 = new Float64Array(d);
  const q2 = new Float64Array(d);
  const z1 = new Float64Array(d);
  const z2 = new Float64Array(d);
  for (const [c, q] of [q1, q2].entries()) {
    const start = opts.startVectors?.[c];
    let warm = false;
    if (start && start.length > 0) {
      for (let s = 0; s < d; s++) q[s] = s < start.length ? start[s] : 1;
      warm = q.some((x) => x !== 0);
    }
    if (!warm) for (let s = 0; s < d; s++) q[s] = random() - 0.5;
  }
  const dot = (a: Float64Array, b: Float64Array) => {
    let t = 0;
    for (let s = 0; s < d; s++) t += a[s] * b[s];
    return t;
  };
  // Gram-Schmidt in place; false when the first vector vanished
  const orthonormalize = (a: Float64Array, b: Float64Array): boolean => {
    const na = Math.sqrt(dot(a, a));
    if (na === 0) return false;
    for (let s = 0; s < d; s++) a[s] /= na;
    const ab = dot(a, b);
    for (let s = 0; s < d; s++) b[s] -= ab * a[s];
    const nb = Math.sqrt(dot(b, b));
    if (nb === 0) b.fill(0);
    else for (let s = 0; s < d; s++) b[s] /= nb;
    return true;
  };
  // z = X^T X q for both vectors, in two passes over the votes
  const multiply = () => {
    z1.fill(0);
    z2.fill(0);
    for (let p = 0; p < m.participantCount; p++) {
      const from = rowStart[p];
      const to = rowEnd[p];
      let u1 = 0;
      let u2 = 0;
      for (let k = from; k < to; k++) {
        const c = centred[k];
        const s = statement[k];
        u1 += c * q1[s];
        u2 += c * q2[s];
      }
      if (u1 === 0 && u2 === 0) continue;
      for (let k = from; k < to; k++) {
        const c = centred[k];
        const s = statement[k];
        z1[s] += c * u1;
        z2[s] += c * u2;
      }
    }
  };

  if (!orthonormalize(q1, q2)) return { center, components: [new Float64Array(d), new Float64Array(d)], iterations: [0, 0] };
  const old1 = new Float64Array(d);
  const old2 = new Float64Array(d);
  let step = 0;
  for (; step < iterations; step++) {
    old1.set(q1);
    old2.set(q2);
    multiply();
    q1.set(z1);
    q2.set(z2);
    if (!orthonormalize(q1, q2)) break;
    // how far the spanned plane moved: the part of the old basis outside the new plane
    let moved = 0;
    for (const o of [old1, old2]) {
      const a = dot(o, q1);
      const b = dot(o, q2);
      moved = Math.max(moved, Math.abs(1 - (a * a + b * b)));
    }
    if (moved < (opts.tolerance ?? 1e-14)) break;
  }
  // Rayleigh-Ritz: the eigenvectors of Q^T (X^T X) Q, largest first
  multiply();
  const a11 = dot(q1, z1);
  const a12 = dot(q1, z2);
  const a22 = dot(q2, z2);
  const theta = 0.5 * Math.atan2(2 * a12, a11 - a22);
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const pc1 = new Float64Array(d);
  const pc2 = new Float64Array(d);
  for (let s = 0; s < d; s++) {
    pc1[s] = cos * q1[s] + sin * q2[s];
    pc2[s] = -sin * q1[s] + cos * q2[s];
  }
  if (nComps < 2) pc2.fill(0);
  return { center, components: [pc1, pc2], iterations: [step + 1, step + 1] };
}

/**
 * Pol.is's own PCA, step for step (pca.clj powerit-pca and power-iteration): one component at a time, each by
 * power iteration on the centred matrix with the components before it factored out (factor-matrix: every row minus
 * its projection on them), at most `iterations` + 1 products, stopping early only when the length of the product
 * (the eigenvalue estimate) is exactly the previous one. The start is the previous run's component (a zero one
 * counts as none, as wrapped-pca has it; a column that had no votes then starts at 1, as power-iteration pads new
 * columns) or, cold, a uniform random number in [0, 1) per column (rand-starting-vec; seeded here, so the same votes
 * give the same result, where Pol.is's is unseeded). Unlike sparsePca's subspace iteration it does not necessarily
 * converge in 100 steps when the top two eigenvalues are close: then, like Pol.is, the result carries its start.
 */
export function powerIterationPca(m: VoteMatrix, excluded: Uint8Array, opts: PcaOptions = {}): PcaResult {
  const iterations = opts.iterations ?? 100;
  const random = seededRandom(opts.seed ?? 1);
  const meanCentred = centredValues(m, excluded);
  let { center, centred } = meanCentred;
  const { activeColumns } = meanCentred;
  const d = m.statementCount;
  const { rowStart, statement } = m;
  const rowEnd = rowEndOf(m);
  let activeRows = 0;
  for (let p = 0; p < m.participantCount; p++) if (rowEnd[p] > rowStart[p]) activeRows++;
  const zeroFilled = opts.missingVotes === 'zero';
  if (zeroFilled) {
    // the mean over the rows of Pol.is's matrix (everyone with a vote), a missing vote counting 0
    center = new Float64Array(d);
    for (let p = 0; p < m.participantCount; p++) for (let k = rowStart[p]; k < rowEnd[p]; k++) if (!excluded[statement[k]]) center[statement[k]] += m.value[k];
    for (let s = 0; s < d; s++) center[s] = activeRows ? center[s] / activeRows : 0;
    centred = new Float64Array(statement.length);
    for (let p = 0; p < m.participantCount; p++) for (let k = rowStart[p]; k < rowEnd[p]; k++) centred[k] = excluded[statement[k]] ? 0 : m.value[k] - center[statement[k]];
  }
  const components: [Float64Array, Float64Array] = [new Float64Array(d), new Float64Array(d)];
  const steps: [number, number] = [0, 0];
  const nComps = Math.min(2, activeRows, activeColumns);
  // columns with votes (Pol.is's matrix holds only those): start entries and random numbers go to them only
  const voted = new Uint8Array(d);
  for (let p = 0; p < m.participantCount; p++) for (let k = rowStart[p]; k < rowEnd[p]; k++) voted[statement[k]] = 1;
  const dot = (a: Float64Array, b: Float64Array) => {
    let t = 0;
    for (let s = 0; s < d; s++) t += a[s] * b[s];
    return t;
  };
  const z = new Float64Array(d);
  const w = new Float64Array(d);
  // z = P X^T X P v, with P the projection off the components found so far
  const multiply = (v: Float64Array, factored: Float64Array[]) => {
    w.set(v);
    for (const f of factored) {
      const ff = dot(f, f);
      if (ff === 0) continue;
      const c = dot(f, w) / ff;
      for (let s = 0; s < d; s++) w[s] -= c * f[s];
    }
    z.fill(0);
    // zero-filled: row p of the centred matrix is (its votes - center) where it voted, -center elsewhere, i.e.
    // sparse part c_p plus the dense -center: (c_p - center)·w = c_p·w - center·w, spread back the same way
    const cw = zeroFilled ? dot(center, w) : 0;
    let spread = 0;
    for (let p = 0; p < m.participantCount; p++) {
      if (zeroFilled && rowEnd[p] === rowStart[p]) continue;
      let u = -cw;
      // c_p holds (vote - center) at voted entries; the dense -center covers them too, so add center back there
      for (let k = rowStart[p]; k < rowEnd[p]; k++) u += (centred[k] + (zeroFilled ? center[statement[k]] : 0)) * w[statement[k]];
      if (u === 0) continue;
      for (let k = rowStart[p]; k < rowEnd[p]; k++) z[statement[k]] += (centred[k] + (zeroFilled ? center[statement[k]] : 0)) * u;
      spread += u;
    }
    if (zeroFilled) for (let s = 0; s < d; s++) z[s] -= center[s] * spread;
    for (const f of factored) {
      const ff = dot(f, f);
      if (ff === 0) continue;
      const c = dot(f, z) / ff;
      for (let s = 0; s < d; s++) z[s] -= c * f[s];
    }
  };
  for (let c = 0; c < nComps; c++) {
    const v = new Float64Array(d);
    const start = opts.startVectors?.[c];
    const warm = !!start && Array.from(start as ArrayLike<number>).some((x) => x !== 0);
    for (let s = 0; s < d; s++) {
      if (!voted[s]) continue;
      if (warm) v[s] = s >= start!.length ? 1 : start![s] !== 0 || excluded[s] ? start![s] : 1;
      else v[s] = random();
    }
    let last = 0;
    for (let left = iterations; ; left--) {
      multiply(v, components.slice(0, c));
      steps[c]++;
      const eig = Math.sqrt(dot(z, z));
      if (eig === 0) {
        v.fill(0);
        break;
      }
      for (let s = 0; s < d; s++) v[s] = z[s] / eig;
      if (left === 0 || eig === last || (opts.tolerance !== undefined && Math.abs(eig - last) <= opts.tolerance * eig)) break;
      last = eig;
    }
    components[c] = v;
  }
  return { center, components, iterations: steps };
}

/**
 * Pol.is's sparsity-aware projection: each participant is projected using only the statements they voted
 * on, then pushed out from the centre by sqrt(columns / votes), so that someone who voted on few
 * statements is not pulled into the middle by the votes they never cast.
 *
 * `columns` is the number of statements in the matrix (those with at least one vote) and `extraVotes`
 * what Pol.is adds to every participant's vote count: it zeroes moderated-out columns rather than
 * dropping them, so every participant "has voted" on each of them.
 */
export function projectParticipants(
  m: VoteMatrix,
  pca: PcaResult,
  excluded: Uint8Array,
  columns: number,
  extraVotes: number,
): Float64Array {
  const out = new Float64Array(2 * m.participantCount);
  const [pc1, pc2] = pca.components;
  const rowEnd = rowEndOf(m);
  for (let p = 0; p < m.participantCount; p++) {
    let x = 0;
    let y = 0;
    let n = extraVotes;
    for (let k = m.rowStart[p]; k < rowEnd[p]; k++) {
      const s = m.statement[k];
      if (excluded[s]) continue;
      const c = m.value[k] - pca.center[s];
      x += c * pc1[s];
      y += c * pc2[s];
      n++;
    }
    const scale = Math.sqrt(columns / Math.max(n, 1));
    out[2 * p] = x * scale;
    out[2 * p + 1] = y * scale;
  }
  return out;
}

/**
 * Where each statement itself falls on the map (Pol.is's pca-project-cmnts: a lone agree on it,
 * projected as a participant would be) and its distance from the centre, the "extremity" Pol.is's
 * routing uses.
 */
export function projectStatements(pca: PcaResult, columns: number, isColumn: Uint8Array, excluded: Uint8Array): { xy: Float64Array; extremity: Float64Array } {
  const d = pca.center.length;
  const xy = new Float64Array(2 * d);
  const extremity = new Float64Array(d);
  const scale = Math.sqrt(columns);
  for (let s = 0; s < d; s++) {
    if (!isColumn[s] || excluded[s]) continue;
    const c = 1 - pca.center[s];
    xy[2 * s] = c * pca.components[0][s] * scale;
    xy[2 * s + 1] = c * pca.components[1][s] * scale;
    extremity[s] = Math.hypot(xy[2 * s], xy[2 * s + 1]);
  }
  return { xy, extremity };
}
