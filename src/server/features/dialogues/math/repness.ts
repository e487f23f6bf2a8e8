// Representative statements per group, as polismath.math.repness computes and selects them.
import { propTest, twoPropTest, zSig90 } from './stats.ts';

/** Vote counts of one group (or segment) on every statement; seen = agree + disagree + pass. */
export type GroupCounts = {
  agree: ArrayLike<number>;
  disagree: ArrayLike<number>;
  pass: ArrayLike<number>;
};

/** Pol.is's per group × statement statistics (n = count, p = probability, r = ratio to the rest, t = z test). */
export type CommentStats = {
  na: number;
  nd: number;
  ns: number;
  /** (na + 1) / (ns + 2) */
  pa: number;
  pd: number;
  pat: number;
  pdt: number;
  /** pa over the same probability among everyone outside the group */
  ra: number;
  rd: number;
  rat: number;
  rdt: number;
};

export type RepresentativeStatement = {
  statement: number;
  /** whether the group is distinguished by agreeing or by disagreeing */
  repfulFor: 'agree' | 'disagree';
  /** votes of that kind in the group, and all its votes on the statement (passes included) */
  nSuccess: number;
  nTrials: number;
  /** (nSuccess + 1) / (nTrials + 2) */
  pSuccess: number;
  /** z of pSuccess against 1/2 */
  pTest: number;
  /** the ratio of the group's probability to the rest's */
  repness: number;
  /** z of the group against the rest */
  repnessTest: number;
  /** the statement Pol.is puts first: the group's most agreed-on distinctive statement */
  bestAgree?: boolean;
};

export function commentStats(na: number, nd: number, ns: number): Pick<CommentStats, 'na' | 'nd' | 'ns' | 'pa' | 'pd' | 'pat' | 'pdt'> {
  return { na, nd, ns, pa: (1 + na) / (2 + ns), pd: (1 + nd) / (2 + ns), pat: propTest(na, ns), pdt: propTest(nd, ns) };
}

/** Statistics of every group on one statement, each compared with the sum of the other groups. */
export function statementStats(groups: readonly GroupCounts[], s: number): CommentStats[] {
  const base = groups.map((g) => commentStats(g.agree[s], g.disagree[s], g.agree[s] + g.disagree[s] + g.pass[s]));
  let na = 0;
  let nd = 0;
  let ns = 0;
  for (const b of base) {
    na += b.na;
    nd += b.nd;
    ns += b.ns;
  }
  return base.map((b) => {
    const restA = na - b.na;
    const restD = nd - b.nd;
    const restS = ns - b.ns;
    return {
      ...b,
      ra: b.pa / ((1 + restA) / (2 + restS)),
      rd: b.pd / ((1 + restD) / (2 + restS)),
      rat: twoPropTest(b.na, restA, b.ns, restS),
      rdt: twoPropTest(b.nd, restD, b.ns, restS),
    };
  });
}

function finalize(statement: number, c: CommentStats): RepresentativeStatement {
  return c.rat > c.rdt
    ? { statement, repfulFor: 'agree', nSuccess: c.na, nTrials: c.ns, pSuccess: c.pa, pTest: c.pat, repness: c.ra, repnessTest: c.rat }
    : { statement, repfulFor: 'disagree', nSuccess: c.nd, nTrials: c.ns, pSuccess: c.pd, pTest: c.pdt, repness: c.rd, repnessTest: c.rdt };
}

const metric = (r: RepresentativeStatement) => r.repness * r.repnessTest * r.pSuccess * r.pTest;

function passesByTest(c: CommentStats): boolean {
  return (zSig90(c.rat) && zSig90(c.pat)) || (zSig90(c.rdt) && zSig90(c.pdt));
}

function beatsBestAgree(c: CommentStats, best: CommentStats | undefined): boolean {
  if (c.na === 0 && c.nd === 0) return false;
  if (best && best.ra > 1) return c.ra * c.rat * c.pa * c.pat > best.ra * best.rat * best.pa * best.pat;
  if (best) return c.pa * c.pat > best.pa * best.pat;
  return zSig90(c.pat) || (c.ra > 1 && c.pa > 0.5);
}

/**
 * Pol.is's select-rep-comments: for each group, the statements that pass both 90% tests (the group
 * differs from the rest, and the group itself leans that way), best five by repness × its z × probability
 * × its z, the group's best "agree" statement first and agrees before disagrees. A group with none that
 * pass still gets its single best statement.
 */
export function representativeStatements(groups: readonly GroupCounts[], statementCount: number, excluded: Uint8Array, limit = 5): RepresentativeStatement[][] {
  const state = groups.map(() => ({ best: undefined as RepresentativeStatement | undefined, bestAgree: undefined as (CommentStats & { s: number }) | undefined, sufficient: [] as RepresentativeStatement[] }));
  for (let s = 0; s < statementCount; s++) {
    if (excluded[s]) continue;
    let seen = 0;
    for (const g of groups) seen += g.agree[s] + g.disagree[s] + g.pass[s];
    if (seen === 0) continue;
    const stats = statementStats(groups, s);
    stats.forEach((c, gi) => {
      const st = state[gi];
      if (passesByTest(c)) st.sufficient.push(finalize(s, c));
      if (st.sufficient.length === 0 && (st.best === undefined || Math.max(c.rat, c.rdt) > st.best.repnessTest)) st.best = finalize(s, c);
      if (beatsBestAgree(c, st.bestAgree)) st.bestAgree = { ...c, s };
    });
  }
  return state.map(({ best, bestAgree, sufficient }) => {
    const head: RepresentativeStatement | undefined = bestAgree
      ? { ...finalize(bestAgree.s, bestAgree), bestAgree: true }
      : best;
    if (sufficient.length === 0) return head ? [head] : [];
    const chosen = sufficient
      .filter((r) => !bestAgree || r.statement !== bestAgree.s)
      .sort((a, b) => metric(b) - metric(a));
    const top = (bestAgree && head ? [head, ...chosen] : chosen).slice(0, limit);
    return [...top.filter((r) => r.repfulFor === 'agree'), ...top.filter((r) => r.repfulFor === 'disagree')];
  });
}
