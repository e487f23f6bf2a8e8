// Consensus across any grouping (Pol.is opinion groups, or the self-identified segments of a dialogue),
// and the bridging / divisive classification built on it.
import type { GroupCounts } from './repness.ts';
import { type Interval, wilsonInterval } from './stats.ts';

/**
 * Pol.is's group-informed consensus (conversation.clj, :group-aware-consensus): for each statement the
 * product over groups of (agree + 1) / (seen + 2), where seen counts every vote the group cast on it,
 * passes included. 1 means every group agreed unanimously; a group that has not voted on it contributes
 * 1/2. Returns one value per statement.
 */
export function segmentConsensus(groups: readonly GroupCounts[], statementCount: number): Float64Array {
  const out = new Float64Array(statementCount);
  for (let s = 0; s < statementCount; s++) {
    let product = 1;
    for (const g of groups) product *= (g.agree[s] + 1) / (g.agree[s] + g.disagree[s] + g.pass[s] + 2);
    out[s] = groups.length ? product : 0;
  }
  return out;
}

export type ClassifyOptions = {
  /** z of the Wilson intervals (1.96: 95%) */
  z?: number;
  /** bridging: every group's Wilson lower bound of its agree rate must exceed this */
  bridgingLowerBound?: number;
  /** divisive: the highest minus the lowest group agree rate must reach this */
  divisiveSpread?: number;
  /** groups with fewer votes than this on a statement are left out of its classification */
  minVotes?: number;
};

export type GroupFigure = {
  agree: number;
  disagree: number;
  pass: number;
  seen: number;
  /** agree / seen (passes count in the denominator, as in Pol.is) */
  agreeRate: number;
  agreeInterval: Interval;
  /** Laplace-smoothed (agree + 1) / (seen + 2), Pol.is's pa */
  agreeProbability: number;
};

export type StatementClass = {
  statement: number;
  kind: 'bridging' | 'divisive' | 'neither';
  /** group-informed consensus over these groups */
  consensus: number;
  /** highest minus lowest agree rate among the groups that count */
  spread: number;
  /** per group, in the order given (null when the group cast fewer than minVotes votes on it) */
  groups: (GroupFigure | null)[];
};

export const CLASSIFY_DEFAULTS = { z: 1.96, bridgingLowerBound: 0.4, divisiveSpread: 0.5, minVotes: 1 } as const;

/**
 * Bridging and divisive statements over any grouping.
 *
 * - bridging: every group voted on it (at least minVotes each), in every group agreement is the more
 *   likely outcome (smoothed agree probability > 0.5) and the 95% Wilson interval of its agree rate lies
 *   above bridgingLowerBound (0.4 by default: three of three who all agreed qualify, two of two do not).
 * - divisive: at least two groups voted, the spread between the highest and lowest group agree rates is
 *   at least divisiveSpread (0.5), and the two groups' Wilson intervals do not overlap (the difference is
 *   not chance at 95%).
 * A statement is at most one of the two. Sort bridging statements by consensus, divisive ones by spread.
 */
export function classifyStatements(groups: readonly GroupCounts[], statementCount: number, options: ClassifyOptions = {}, excluded?: Uint8Array): StatementClass[] {
  const { z, bridgingLowerBound, divisiveSpread, minVotes } = { ...CLASSIFY_DEFAULTS, ...options };
  const consensus = segmentConsensus(groups, statementCount);
  const out: StatementClass[] = [];
  for (let s = 0; s < statementCount; s++) {
    const figures = groups.map((g): GroupFigure | null => {
      const agree = g.agree[s];
      const disagree = g.disagree[s];
      const pass = g.pass[s];
      const seen = agree + disagree + pass;
      if (seen < Math.max(1, minVotes)) return null;
      return { agree, disagree, pass, seen, agreeRate: agree / seen, agreeInterval: wilsonInterval(agree, seen, z), agreeProbability: (agree + 1) / (seen + 2) };
    });
    const present = figures.filter((f): f is GroupFigure => f !== null);
    let spread = 0;
    let kind: StatementClass['kind'] = 'neither';
    if (present.length > 0 && !excluded?.[s]) {
      let hi = present[0];
      let lo = present[0];
      for (const f of present) {
        if (f.agreeRate > hi.agreeRate) hi = f;
        if (f.agreeRate < lo.agreeRate) lo = f;
      }
      spread = hi.agreeRate - lo.agreeRate;
      if (present.length === groups.length && groups.length > 0 && present.every((f) => f.agreeProbability > 0.5 && f.agreeInterval.low > bridgingLowerBound)) kind = 'bridging';
      else if (present.length >= 2 && spread >= divisiveSpread && hi.agreeInterval.low > lo.agreeInterval.high) kind = 'divisive';
    }
    out.push({ statement: s, kind, consensus: consensus[s], spread, groups: figures });
  }
  return out;
}
