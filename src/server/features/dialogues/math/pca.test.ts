// Pol.is's own PCA (powerIterationPca) against a plain dense computation of the same thing, with missing votes
// counted as their statement's mean (Pol.is since October 2017) and as 0 (before); and the row order Pol.is's
// matrix holds participants in (polisRowOrder), which its cold base clustering starts from.
import { describe, expect, it } from 'vitest';
import { analyzeOpinions, polisRowOrder } from './opinion-groups.ts';
import { powerIterationPca, sparsePca } from './pca.ts';
import { seededRandom } from './stats.ts';
import { buildVoteMatrix } from './vote-matrix.ts';

/** Two camps on 12 statements, each participant voting on a random two thirds of them. */
function votes(seed: number) {
  const random = seededRandom(seed);
  const triples: [number, number, number][] = [];
  for (let p = 0; p < 60; p++) {
    for (let s = 0; s < 12; s++) {
      if (random() < 0.33) continue;
      const lean = (p < 30) === (s % 3 === 0) ? 1 : -1;
      const r = random();
      triples.push([p, s, r < 0.15 ? 0 : r < 0.3 ? -lean : lean]);
    }
  }
  return triples;
}

/** The top two eigenvectors of C^T C, C the dense centred matrix, by deflated power iteration run to the end. */
function denseReference(triples: [number, number, number][], P: number, S: number, missing: 'mean' | 'zero') {
  const cell: (number | null)[][] = Array.from({ length: P }, () => new Array<number | null>(S).fill(null));
  for (const [p, s, v] of triples) cell[p]![s] = v;
  const rows = cell.filter((r) => r.some((x) => x !== null));
  const mean = Array.from({ length: S }, (_, s) => {
    const col = rows.map((r) => r[s]);
    const present = col.filter((x): x is number => x !== null);
    return missing === 'mean' ? present.reduce((a, b) => a + b, 0) / present.length : present.reduce((a, b) => a + b, 0) / rows.length;
  });
  const C = rows.map((r) => r.map((x, s) => (x === null ? (missing === 'mean' ? 0 : -mean[s]!) : x - mean[s]!)));
  const comps: number[][] = [];
  for (let c = 0; c < 2; c++) {
    let v = Array.from({ length: S }, (_, s) => 1 + s / 10);
    for (let it = 0; it < 5000; it++) {
      for (const f of comps) {
        const d = f.reduce((a, x, s) => a + x * v[s]!, 0);
        v = v.map((x, s) => x - d * f[s]!);
      }
      const u = C.map((row) => row.reduce((a, x, s) => a + x * v[s]!, 0));
      let z = Array.from({ length: S }, (_, s) => C.reduce((a, row, i) => a + row[s]! * u[i]!, 0));
      for (const f of comps) {
        const d = f.reduce((a, x, s) => a + x * z[s]!, 0);
        z = z.map((x, s) => x - d * f[s]!);
      }
      const n = Math.hypot(...z);
      v = z.map((x) => x / n);
    }
    comps.push(v);
  }
  return { mean, comps };
}

const sameUpToSign = (a: ArrayLike<number>, b: number[]) => {
  const sign = Math.sign(Array.from(a).reduce((t, x, s) => t + x * b[s]!, 0)) || 1;
  return Math.max(...b.map((x, s) => Math.abs(sign * a[s]! - x)));
};

describe('powerIterationPca (Pol.is pca.clj powerit-pca)', () => {
  for (const missing of ['mean', 'zero'] as const) {
    it(`finds the dense matrix's two principal directions, a missing vote counted as ${missing === 'mean' ? 'the mean' : '0'}`, () => {
      const triples = votes(3);
      const m = buildVoteMatrix(60, 12, triples);
      const ours = powerIterationPca(m, new Uint8Array(12), { missingVotes: missing });
      const ref = denseReference(triples, 60, 12, missing);
      for (let s = 0; s < 12; s++) expect(ours.center[s]).toBeCloseTo(ref.mean[s]!, 12);
      expect(sameUpToSign(ours.components[0], ref.comps[0]!)).toBeLessThan(1e-6);
      expect(sameUpToSign(ours.components[1], ref.comps[1]!)).toBeLessThan(1e-6);
    });
  }

  it('with missing votes as the mean, the same directions as the subspace iteration', () => {
    const triples = votes(5);
    const m = buildVoteMatrix(60, 12, triples);
    const a = powerIterationPca(m, new Uint8Array(12));
    const b = sparsePca(m, new Uint8Array(12));
    expect(sameUpToSign(a.components[0], Array.from(b.components[0]))).toBeLessThan(1e-6);
    expect(sameUpToSign(a.components[1], Array.from(b.components[1]))).toBeLessThan(1e-6);
  });

  it('counts a moderated-out statement as nothing, and is the same from the same seed', () => {
    const triples = votes(7);
    const m = buildVoteMatrix(60, 12, triples);
    const excluded = new Uint8Array(12);
    excluded[4] = 1;
    const a = powerIterationPca(m, excluded, { missingVotes: 'zero', seed: 9 });
    expect(a.components[0][4]).toBe(0);
    expect(a.components[1][4]).toBe(0);
    expect(a.center[4]).toBe(0);
    const b = powerIterationPca(m, excluded, { missingVotes: 'zero', seed: 9 });
    expect(Array.from(b.components[0])).toEqual(Array.from(a.components[0]));
  });

  it('gives analyzeOpinions two groups for two camps either way', () => {
    const triples = votes(11);
    for (const missingVotes of ['mean', 'zero'] as const) {
      const a = analyzeOpinions({ participantCount: 60, statementCount: 12, votes: triples }, { pca: 'power', missingVotes });
      expect(a.groups).toHaveLength(2);
      const camp = (p: number) => (p < 30 ? 0 : 1);
      for (const g of a.groups) expect(new Set(g.members.map(camp)).size).toBe(1);
    }
  });
});

describe('polisRowOrder (named_matrix.clj update-nmat on votes ordered by tid, pid, created)', () => {
  it('in one batch: by the lowest statement each voted on, then by participant', () => {
    expect(polisRowOrder({ participant: [5, 2, 9, 2, 7], statement: [3, 4, 0, 1, 1] })).toEqual([9, 2, 7, 5]);
  });
  it('batch by batch: those new in a batch after everyone before it', () => {
    const v = { participant: [5, 2, 9, 2, 7], statement: [3, 4, 0, 1, 1] };
    expect(polisRowOrder(v, [2, 5])).toEqual([5, 2, 9, 7]);
  });
  it('the order analyzeOpinions takes participants in for the base clustering: index order is the default', () => {
    const triples = votes(13);
    const a = analyzeOpinions({ participantCount: 60, statementCount: 12, votes: triples }, { groupRestarts: 0 });
    const b = analyzeOpinions({ participantCount: 60, statementCount: 12, votes: triples }, { groupRestarts: 0, rowOrder: Array.from({ length: 60 }, (_, i) => i) });
    expect(b.groups.map((g) => g.members)).toEqual(a.groups.map((g) => g.members));
    // clusteringOnly: the same clustering, without the figures
    const c = analyzeOpinions({ participantCount: 60, statementCount: 12, votes: triples }, { groupRestarts: 0, clusteringOnly: true });
    expect(c.groups.map((g) => g.members)).toEqual(a.groups.map((g) => g.members));
    expect(c.statements).toEqual([]);
  });
});
