// PCA of the vote matrix by power iteration, as polismath.math.pca does it, without ever building the
// dense matrix. Pol.is fills a missing vote with its statement's mean vote and then centres each column
// on that same mean, so after centring every missing entry is exactly 0: the centred matrix is as sparse
// as the votes, and X^T X v is two passes over the votes.
import { seededRandom } from './stats.ts';
import type { VoteMatrix } from './vote-matrix.ts';

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
};

/** Centred value of every stored vote; 0 where the statement is excluded (moderated out). */
export function centredValues(m: VoteMatrix, excluded: Uint8Array): { center: Float64Array; centred: Float64Array; activeColumns: number } {
  const sum = new Float64Array(m.statementCount);
  const count = new Int32Array(m.statementCount);
  for (let k = 0; k < m.statement.length; k++) {
    sum[m.statement[k]] += m.value[k];
    count[m.statement[k]]++;
  }
  const center = new Float64Array(m.statementCount);
  let activeColumns = 0;
  for (let s = 0; s < m.statementCount; s++) {
    center[s] = excluded[s] || count[s] === 0 ? 0 : sum[s] / count[s];
    if (!excluded[s] && count[s] > 0) activeColumns++;
  }
  const centred = new Float64Array(m.statement.length);
  for (let k = 0; k < m.statement.length; k++) {
    const s = m.statement[k];
    centred[k] = excluded[s] ? 0 : m.value[k] - center[s];
  }
  return { center, centred, activeColumns };
}

export function sparsePca(m: VoteMatrix, excluded: Uint8Array, opts: PcaOptions = {}): PcaResult {
  const iterations = opts.iterations ?? 100;
  const random = seededRandom(opts.seed ?? 1);
  const { center, centred, activeColumns } = centredValues(m, excluded);
  const d = m.statementCount;
  const { rowStart, statement } = m;

  let activeRows = 0;
  for (let p = 0; p < m.participantCount; p++) if (rowStart[p + 1] > rowStart[p]) activeRows++;
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
      const to = rowStart[p + 1];
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
    if (moved < 1e-14) break;
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
  for (let p = 0; p < m.participantCount; p++) {
    let x = 0;
    let y = 0;
    let n = extraVotes;
    for (let k = m.rowStart[p]; k < m.rowStart[p + 1]; k++) {
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
