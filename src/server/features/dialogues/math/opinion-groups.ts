/*
 * Opinion groups from votes, the way Pol.is computes them
 * ========================================================
 *
 * This follows the Clojure math of Pol.is (github.com/compdemocracy/polis, folder math/src/polismath/math/):
 *   conversation.clj  https://github.com/compdemocracy/polis/blob/edge/math/src/polismath/math/conversation.clj
 *   pca.clj           https://github.com/compdemocracy/polis/blob/edge/math/src/polismath/math/pca.clj
 *   clusters.clj      https://github.com/compdemocracy/polis/blob/edge/math/src/polismath/math/clusters.clj
 *   repness.clj       https://github.com/compdemocracy/polis/blob/edge/math/src/polismath/math/repness.clj
 *   stats.clj         https://github.com/compdemocracy/polis/blob/edge/math/src/polismath/math/stats.clj
 *   named_matrix.clj  https://github.com/compdemocracy/polis/blob/edge/math/src/polismath/math/named_matrix.clj
 * Votes here are 1 agree, -1 disagree, 0 pass. (Pol.is stores agree as -1 internally; PCA and k-means do not
 * care about the sign, and the counts below are named, so nothing depends on it.)
 *
 * 1. The vote matrix. One row per participant who voted, one column per statement with at least one vote;
 *    a participant's later vote on a statement replaces the earlier one. Moderated-out statements stay as
 *    columns but are zeroed for everyone (named-matrix zero-out-columns): they add nothing to the PCA, and
 *    they count as a "vote" of every participant in the projection scaling (step 3), as in Pol.is.
 *
 * 2. Who is included in the clustering (conversation.clj :in-conv). Everyone who voted is projected, but only
 *    participants with at least min(7, number of statements) votes (moderated-out ones count) are clustered.
 *    If that leaves fewer than 15, the most active of the rest are added until there are 15 (the greedy
 *    top-up). In Pol.is a participant once in stays in; pass `previous.included` to keep that rule across runs
 *    (an imported conversation's 'history' rule passes the participants Pol.is kept: inclusion.ts).
 *
 * 3. PCA with missing votes (pca.clj). A missing vote is filled with its statement's mean vote and each column
 *    is centred on that mean, so after centring a missing entry is exactly 0 and the centred matrix is as
 *    sparse as the votes: X^T X v is two passes over the votes, never a dense participants × statements
 *    matrix. Pol.is finds the first direction by power iteration (at most 100 steps, random start) and the
 *    second by power iteration after projecting the first out (factor-matrix). We iterate both at once
 *    (subspace iteration: the same products, orthonormalised each step, at most 100 steps, stopping when the
 *    plane they span stops moving) and order them with a 2 × 2 Rayleigh-Ritz step: the same two principal
 *    directions once converged, in far fewer passes when the top two eigenvalues are close (three equal-sized
 *    groups make them so). The start is seeded, or the previous run's components (Pol.is's warm start).
 *    Projection scaling (sparsity-aware-project-ptpt): a participant's position is the dot product of their
 *    centred votes with each component, over the statements they voted on only, multiplied by
 *    sqrt(statements / votes cast), which pushes those who voted on few statements out from the centre
 *    instead of leaving them bunched in the middle.
 *    Option `pca: 'power'` runs Pol.is's own one-at-a-time power iteration instead (pca.ts
 *    powerIterationPca), and with it `missingVotes: 'zero'` Pol.is's math before October 2017, which filled a
 *    missing vote with 0 (an imported export showing 2017 history: polis-format.ts detectMissingVotes).
 *
 * 4. Base clusters (clusters.clj kmeans, :base-k 100). k-means with k = 100 on the included participants'
 *    2-D positions, started from the first 100 distinct positions in participant order (or, given the last
 *    run's base clusters, from those recentred, as clean-start-clusters does), at most 100 steps, stopping
 *    when no centre moves by 0.01; clusters that lose every member are dropped.
 *    Option `rowOrder` gives the order the points are taken in; Pol.is's matrix holds participants in the order
 *    they first appear in the votes it was given (polisRowOrder), which only a cold start depends on.
 *
 * 5. Opinion groups. k-means again, on the base-cluster centres weighted by their sizes, for every k from 2
 *    to min(5, 2 + floor(base clusters / 12)), at most 20 steps (Pol.is passes its 100 group-iters under a
 *    name kmeans does not read, so 20 is what runs). Pol.is starts each k from the first k distinct centres,
 *    or from its last run's clustering for that k. We do the same and, in addition, from 25 seeded k-means++
 *    starts, keeping the clustering with the lowest weighted sum of squares (option groupRestarts; 0 is
 *    Pol.is's single start). Why: Pol.is reaches its groups through thousands of warm-started runs over a
 *    conversation's life, while a single cold run from the first k centres can stop in a poorer local
 *    optimum (the Seattle conversation: sum of squares 391 against 386, adjusted Rand index against Pol.is's
 *    own groups 0.56 against 0.88-1.0).
 *    The silhouette of each clustering is computed on the distances between base-cluster centres,
 *    unweighted, a member alone in its cluster scoring 0. The k with the highest silhouette wins (ties: the
 *    larger k). Smoothing (group-k-smoother): the k in use changes only once a new best k has won
 *    group-k-buffer (4) runs in a row; pass `previous.kSmoother` to carry that state from run to run. With
 *    no state, this run's best k is used, as in Pol.is's first run. The number of groups always comes from
 *    the votes (an imported conversation's summary.csv is never an input). A group's members are the members
 *    of its base clusters.
 *
 * 6. Counts. Per statement (everyone who voted) and per group × statement (group members): agree, disagree,
 *    pass and seen (= all three), from the latest vote of each participant.
 *
 * 7. Representative statements (repness.clj). For group g and statement s: na, nd, ns = its agrees, disagrees,
 *    votes seen; pa = (na + 1) / (ns + 2) (pd likewise); pat = 2 sqrt(ns + 1) ((na + 1)/(ns + 1) - 1/2), the
 *    one-proportion z-test against 1/2 with pseudo-counts; ra = pa / ((1 + na_rest) / (2 + ns_rest)) with
 *    "rest" summing the other groups; rat = the two-proportion z-test (every count + 1) of the group against
 *    the rest. A statement is representative of a group for agreement when rat > 1.2816 and pat > 1.2816
 *    (90% one-sided), for disagreement likewise with rdt and pdt; agree or disagree is whichever of rat, rdt
 *    is larger. The group's list: its best "agree" statement first, then the others by
 *    ra × rat × pa × pat, at most 5, agrees before disagrees; a group with no statement that passes gets its
 *    single best. Moderated-out statements are never representative.
 *
 * 8. Consensus (conversation.clj :group-aware-consensus). For every statement, the product over groups of
 *    (agree + 1) / (seen + 2), where seen includes passes. consensus.ts applies the same formula to any
 *    grouping (segmentConsensus), e.g. a dialogue's self-identified segments.
 *
 * 9. Bridging and divisive statements (ours, not Pol.is's; consensus.ts classifyStatements):
 *    bridging = every group voted on it, and in every group the smoothed agree probability is above 1/2 and
 *    the 95% Wilson interval of the agree rate (agrees / votes, passes included) lies above 0.4;
 *    divisive = the highest group agree rate minus the lowest is at least 0.5 and those two groups' 95%
 *    Wilson intervals do not overlap. Both thresholds are options.
 *
 * Everything is deterministic: the same votes give the same groups (an import numbers participants and
 * statements by Pol.is id whatever the order of the rows: polis-format.ts polisNumbering).
 */
import { type ClassifyOptions, type StatementClass, classifyStatements, segmentConsensus } from './consensus.ts';
import { type Cluster, type NamedCluster, distanceMatrix, inertia, kmeans, kmeansPlusPlusCenters, silhouette } from './kmeans.ts';
import { type PcaResult, powerIterationPca, projectParticipants, projectStatements, sparsePca } from './pca.ts';
import { seededRandom } from './stats.ts';
import { type GroupCounts, type RepresentativeStatement, representativeStatements } from './repness.ts';
import { type StatementCounts, type VoteColumns, type VoteMatrix, type VoteTriples, buildVoteMatrix, countVotes, rowEndOf } from './vote-matrix.ts';

export type { VoteColumns, VoteTriples } from './vote-matrix.ts';
export type { GroupCounts, RepresentativeStatement } from './repness.ts';
export type { StatementClass, ClassifyOptions } from './consensus.ts';
export type { NamedCluster } from './kmeans.ts';

export type OpinionInput = {
  participantCount: number;
  statementCount: number;
  /** participant and statement are 0-based indices; a later vote replaces an earlier one of the same pair */
  votes: VoteColumns | VoteTriples;
  /** statements moderated out (or meta): excluded from the map, never representative */
  excludedStatements?: Iterable<number>;
  /**
   * the votes as a matrix already built (then `votes` is not read), and its counts per statement when known: a
   * history replay keeps both up to date in place instead of building them again at every update (replay.ts)
   */
  matrix?: VoteMatrix;
  totals?: StatementCounts;
};

/** Pol.is's k smoothing state, carried from one run to the next. */
export type KSmoother = { lastK: number; lastKCount: number; smoothedK: number };

export type OpinionOptions = {
  /** Pol.is :base-k */
  baseK?: number;
  /** Pol.is :max-k */
  maxK?: number;
  /** votes needed to be clustered (with fewer statements than this, all of them) */
  minVotes?: number;
  /** the greedy top-up: fill the clustered set up to this many */
  greedyN?: number;
  pcaIterations?: number;
  baseIterations?: number;
  groupIterations?: number;
  /** extra seeded k-means++ starts per k for the group clustering; the lowest weighted sum of squares wins (0: Pol.is's single start) */
  groupRestarts?: number;
  /** runs a new best k must win in a row before it replaces the current one (Pol.is :group-k-buffer) */
  groupKBuffer?: number;
  /** stop the PCA's iteration early once it has converged to this (pca.ts PcaOptions.tolerance); for warm starts */
  pcaTolerance?: number;
  /** seed of the PCA start vectors */
  seed?: number;
  /**
   * 'subspace' (default): both components at once (sparsePca); 'power': Pol.is's own one-at-a-time power iteration
   * (powerIterationPca), which need not converge in its 100 steps and then keeps something of its start
   */
  pca?: 'subspace' | 'power';
  /** with pca 'power': what a missing vote counts as ('mean', Pol.is since October 2017, or 'zero' before: pca.ts) */
  missingVotes?: 'mean' | 'zero';
  /**
   * The order in which the base clustering sees the participants (participant indices; the clustered ones are
   * taken in this order, any not listed after them in index order). Pol.is's cold base clustering starts from the
   * first 100 distinct positions in its matrix's row order, the order participants first appear in the votes it was
   * given (polisRowOrder). Default: participant index order.
   */
  rowOrder?: ArrayLike<number>;
  /** how many representative statements per group */
  representativeLimit?: number;
  classify?: ClassifyOptions;
  /** state of the previous run, for the stability Pol.is gets from updating a conversation incrementally */
  previous?: PreviousRun;
  /**
   * only the clustering (steps 1-5): no placements, counts per group, representative statements, consensus or
   * classification (participants, groupVotes, representative, statements and classification come back empty). For the
   * intermediate updates of a history replay, whose only use is the state they hand to the next.
   */
  clusteringOnly?: boolean;
};

/** What one run hands to the next (all of it is in OpinionAnalysis; see nextRun). */
export type PreviousRun = {
  included?: Iterable<number>;
  kSmoother?: KSmoother;
  pcaComponents?: readonly ArrayLike<number>[];
  /** members are participant indices */
  baseClusters?: readonly NamedCluster[];
  /** per k, members are base-cluster ids */
  groupClusterings?: readonly { k: number; clusters: readonly NamedCluster[] }[];
};

export type ParticipantPlacement = {
  participant: number;
  x: number;
  y: number;
  /** counted in the clustering (enough votes) */
  included: boolean;
  /** index into baseClusters, -1 when not included */
  baseCluster: number;
  /** index into groups, -1 when not included */
  group: number;
};

export type BaseCluster = { id: number; members: number[]; center: [number, number] };

export type OpinionGroup = {
  /** 0-based, in Pol.is's order (group ids follow its k-means ids) */
  id: number;
  /** participant indices */
  members: number[];
  /** indices into baseClusters */
  baseClusters: number[];
  /** weighted centre of its base clusters on the map */
  center: [number, number];
};

export type StatementFigures = {
  statement: number;
  agree: number;
  disagree: number;
  pass: number;
  seen: number;
  excluded: boolean;
  /** group-informed consensus over the opinion groups (0 when there are no groups) */
  consensus: number;
  /** distance of the statement from the centre of the map (Pol.is's comment extremity) */
  extremity: number;
};

export type OpinionAnalysis = {
  /** every participant who voted, by participant index */
  participants: ParticipantPlacement[];
  /** participant indices counted in the clustering, ascending */
  included: number[];
  baseClusters: BaseCluster[];
  groups: OpinionGroup[];
  /** per group (same order as groups): counts per statement */
  groupVotes: (GroupCounts & { seen: Int32Array })[];
  /** per group: its representative statements, best first */
  representative: RepresentativeStatement[][];
  statements: StatementFigures[];
  /** bridging / divisive over the opinion groups */
  classification: StatementClass[];
  /** the silhouette of every k tried */
  silhouettes: { k: number; silhouette: number }[];
  /** the group clustering for every k tried (members: base-cluster ids), for the next run's warm start */
  groupClusterings: { k: number; clusters: NamedCluster[] }[];
  /** the k whose clustering won this run, and the smoothing state to pass to the next */
  bestK: number;
  kSmoother: KSmoother;
  pca: PcaResult;
};

export const OPINION_DEFAULTS = {
  baseK: 100,
  maxK: 5,
  minVotes: 7,
  greedyN: 15,
  pcaIterations: 100,
  baseIterations: 100,
  groupIterations: 20,
  groupRestarts: 25,
  groupKBuffer: 4,
  seed: 1,
  representativeLimit: 5,
} as const;

export function analyzeOpinions(input: OpinionInput, options: OpinionOptions = {}): OpinionAnalysis {
  const o = { ...OPINION_DEFAULTS, ...options };
  const { participantCount, statementCount } = input;
  const m = input.matrix ?? buildVoteMatrix(participantCount, statementCount, input.votes);

  const excluded = new Uint8Array(statementCount);
  for (const s of input.excludedStatements ?? []) if (s >= 0 && s < statementCount) excluded[s] = 1;

  // 1. columns: statements with at least one vote
  const totals = input.totals ?? countVotes(m);
  const isColumn = new Uint8Array(statementCount);
  let columns = 0;
  let zeroedColumns = 0;
  for (let s = 0; s < statementCount; s++) {
    if (totals.agree[s] + totals.disagree[s] + totals.pass[s] > 0) {
      isColumn[s] = 1;
      columns++;
      if (excluded[s]) zeroedColumns++;
    }
  }

  // 2. who is clustered
  const voteCount = new Int32Array(participantCount);
  const rowEnd = rowEndOf(m);
  for (let p = 0; p < participantCount; p++) voteCount[p] = rowEnd[p] - m.rowStart[p];
  const includedFlag = new Uint8Array(participantCount);
  for (const p of o.previous?.included ?? []) if (p >= 0 && p < participantCount && voteCount[p] > 0) includedFlag[p] = 1;
  const threshold = Math.min(o.minVotes, columns);
  let includedCount = 0;
  for (let p = 0; p < participantCount; p++) {
    if (voteCount[p] > 0 && voteCount[p] >= threshold) includedFlag[p] = 1;
    if (includedFlag[p]) includedCount++;
  }
  if (includedCount < o.greedyN) {
    const rest: number[] = [];
    for (let p = 0; p < participantCount; p++) if (!includedFlag[p] && voteCount[p] > 0) rest.push(p);
    rest.sort((a, b) => voteCount[b] - voteCount[a] || a - b);
    for (const p of rest.slice(0, o.greedyN - includedCount)) includedFlag[p] = 1;
  }
  const included: number[] = [];
  for (let p = 0; p < participantCount; p++) if (includedFlag[p]) included.push(p);

  // 3. PCA and the projection
  const pcaOptions = { iterations: o.pcaIterations, seed: o.seed, startVectors: o.previous?.pcaComponents, missingVotes: o.missingVotes, tolerance: o.pcaTolerance };
  const pca = o.pca === 'power' ? powerIterationPca(m, excluded, pcaOptions) : sparsePca(m, excluded, pcaOptions);
  const xy = projectParticipants(m, pca, excluded, columns, zeroedColumns);
  const { extremity } = projectStatements(pca, columns, isColumn, excluded);

  // 4. base clusters over the included participants, in participant order (or rowOrder)
  const clusterOrder = o.rowOrder ? orderedSubset(included, includedFlag, o.rowOrder) : included;
  const points = new Float64Array(2 * clusterOrder.length);
  clusterOrder.forEach((p, i) => {
    points[2 * i] = xy[2 * p];
    points[2 * i + 1] = xy[2 * p + 1];
  });
  const base: Cluster[] = kmeans(points, o.baseK, { maxIterations: o.baseIterations, names: clusterOrder, previous: o.previous?.baseClusters });
  const baseClusters: BaseCluster[] = base.map((c) => ({ id: c.id, members: c.members.map((i) => clusterOrder[i]!).sort((a, b) => a - b), center: c.center }));

  // 5. groups: k-means over base-cluster centres for each k, chosen by silhouette
  const centres = new Float64Array(2 * base.length);
  const weights = new Float64Array(base.length);
  base.forEach((c, i) => {
    centres[2 * i] = c.center[0];
    centres[2 * i + 1] = c.center[1];
    weights[i] = c.members.length;
  });
  const maxK = Math.min(o.maxK, 2 + Math.floor(base.length / 12));
  const clusterings = new Map<number, Cluster[]>();
  const baseIds = base.map((c) => c.id);
  const groupClusterings: { k: number; clusters: NamedCluster[] }[] = [];
  const silhouettes: { k: number; silhouette: number }[] = [];
  let bestK = 0;
  let bestS = -Infinity;
  const distances = maxK >= 2 ? distanceMatrix(centres) : undefined;
  for (let k = 2; k <= maxK && base.length > 0; k++) {
    const previous = o.previous?.groupClusterings?.find((g) => g.k === k)?.clusters;
    let groups = kmeans(centres, k, { maxIterations: o.groupIterations, weights, names: baseIds, previous });
    let best = inertia(centres, groups, weights);
    const random = seededRandom(o.seed * 7919 + k);
    for (let r = 0; r < o.groupRestarts; r++) {
      const candidate = kmeans(centres, k, { maxIterations: o.groupIterations, weights, startCenters: kmeansPlusPlusCenters(centres, k, random, weights) });
      const score = inertia(centres, candidate, weights);
      if (score < best - 1e-9) {
        best = score;
        groups = candidate;
      }
    }
    const s = silhouette(centres, groups, distances);
    clusterings.set(k, groups);
    groupClusterings.push({ k, clusters: groups.map((g) => ({ id: g.id, members: g.members.map((i) => baseIds[i]), center: g.center })) });
    silhouettes.push({ k, silhouette: s });
    if (s >= bestS) {
      bestS = s;
      bestK = k;
    }
  }
  const kSmoother = smoothK(o.previous?.kSmoother, bestK, o.groupKBuffer);
  const chosenK = clusterings.has(kSmoother.smoothedK) ? kSmoother.smoothedK : bestK;
  // the groups keep the labels they had in the previous run, as far as their members allow (a cold restart that
  // won, or k-means' own order, would otherwise renumber them between two refreshes a watcher sees)
  const order = keepLabels(clusterings.get(chosenK) ?? [], (b) => baseClusters[b]!.members, previousLabels(o.previous));
  const chosen = order.map((i) => clusterings.get(chosenK)![i]!);
  const stored = groupClusterings.find((g) => g.k === chosenK);
  if (stored) stored.clusters = order.map((i) => stored.clusters[i]!);

  const baseToGroup = new Int32Array(base.length).fill(-1);
  const groups: OpinionGroup[] = chosen.map((g, gi) => {
    for (const b of g.members) baseToGroup[b] = gi;
    return { id: gi, members: g.members.flatMap((b) => baseClusters[b].members).sort((a, b) => a - b), baseClusters: [...g.members], center: g.center };
  });

  const placementBase = new Int32Array(participantCount).fill(-1);
  baseClusters.forEach((c, bi) => {
    for (const p of c.members) placementBase[p] = bi;
  });
  const participants: ParticipantPlacement[] = [];
  // (the intermediate updates of a replay hand on the clustering only: no placements)
  for (let p = 0; p < participantCount && !o.clusteringOnly; p++) {
    if (voteCount[p] === 0) continue;
    const b = placementBase[p];
    participants.push({ participant: p, x: xy[2 * p], y: xy[2 * p + 1], included: includedFlag[p] === 1, baseCluster: b, group: b >= 0 ? baseToGroup[b] : -1 });
  }

  if (o.clusteringOnly) return { participants, included, baseClusters, groups, groupVotes: [], representative: [], statements: [], classification: [], silhouettes, groupClusterings, bestK, kSmoother, pca };

  // 6. counts per group
  const groupVotes = groups.map((g) => {
    const c = countVotes(m, g.members);
    const seen = new Int32Array(statementCount);
    for (let s = 0; s < statementCount; s++) seen[s] = c.agree[s] + c.disagree[s] + c.pass[s];
    return { ...c, seen };
  });

  // 7, 8, 9
  const representative = representativeStatements(groupVotes, statementCount, excluded, o.representativeLimit);
  const consensus = segmentConsensus(groupVotes, statementCount);
  const classification = classifyStatements(groupVotes, statementCount, o.classify, excluded);
  const statements: StatementFigures[] = [];
  for (let s = 0; s < statementCount; s++) {
    const agree = totals.agree[s];
    const disagree = totals.disagree[s];
    const pass = totals.pass[s];
    statements.push({ statement: s, agree, disagree, pass, seen: agree + disagree + pass, excluded: excluded[s] === 1, consensus: consensus[s], extremity: extremity[s] });
  }

  return { participants, included, baseClusters, groups, groupVotes, representative, statements, classification, silhouettes, groupClusterings, bestK, kSmoother, pca };
}

/** The included participants in `order` (those it does not list after them, ascending). */
function orderedSubset(included: readonly number[], flag: Uint8Array, order: ArrayLike<number>): number[] {
  const out: number[] = [];
  const taken = new Uint8Array(flag.length);
  for (let i = 0; i < order.length; i++) {
    const p = order[i]!;
    if (p >= 0 && p < flag.length && flag[p] && !taken[p]) {
      taken[p] = 1;
      out.push(p);
    }
  }
  for (const p of included) if (!taken[p]) out.push(p);
  return out;
}

/**
 * The order Pol.is's vote matrix holds participants in, given the votes in the batches its math took them in
 * (conv_man.clj: each update takes what the poller fetched, postgres.clj poll orders it by tid, pid, created;
 * named_matrix.clj update-nmat appends a participant new to the matrix in the order of first appearance). Within a
 * batch, participants new to it come by the lowest statement they voted on in that batch, then by index. `batchEnds`
 * are the ends (exclusive) of the batches in `votes`; one batch (a cold run on every vote) by default.
 */
export function polisRowOrder(votes: { participant: ArrayLike<number>; statement: ArrayLike<number> }, batchEnds: readonly number[] = [votes.participant.length]): number[] {
  const order: number[] = [];
  const seen = new Set<number>();
  let from = 0;
  for (const end of batchEnds) {
    const firstStatement = new Map<number, number>();
    for (let i = from; i < end; i++) {
      const p = votes.participant[i]!;
      if (seen.has(p)) continue;
      const s = votes.statement[i]!;
      const f = firstStatement.get(p);
      if (f === undefined || s < f) firstStatement.set(p, s);
    }
    const fresh = [...firstStatement].sort((a, b) => a[1] - b[1] || a[0] - b[0]).map(([p]) => p);
    for (const p of fresh) {
      seen.add(p);
      order.push(p);
    }
    from = end;
  }
  return order;
}

/**
 * Each participant's group in a previous run (its label: the group's place in the stored clustering of the k it
 * showed), or nothing when that run showed no groups.
 */
export function previousLabels(previous: PreviousRun | undefined): Map<number, number> | undefined {
  const k = previous?.kSmoother?.smoothedK;
  const clusters = previous?.groupClusterings?.find((g) => g.k === k)?.clusters;
  if (!clusters || !previous?.baseClusters) return undefined;
  const baseLabel = new Map<number, number>();
  clusters.forEach((c, label) => {
    for (const b of c.members) baseLabel.set(b, label);
  });
  const labels = new Map<number, number>();
  for (const b of previous.baseClusters) {
    const label = baseLabel.get(b.id);
    if (label !== undefined) for (const p of b.members) labels.set(p, label);
  }
  return labels;
}

/**
 * The order of `groups` (as indices into it) that gives the most participants the label they had before: group
 * i of the result is labelled i. Every assignment of groups to labels is tried (k <= 5: at most 120); the first
 * best wins, so with no previous labels, or a tie, the order stays as it is.
 */
export function keepLabels(groups: readonly Cluster[], membersOfBase: (b: number) => readonly number[], before: ReadonlyMap<number, number> | undefined): number[] {
  const identity = groups.map((_, i) => i);
  if (!before || groups.length < 2) return identity;
  const k = groups.length;
  // overlap[g][label]: members of group g who had that label
  const overlap = groups.map((g) => {
    const row = new Array<number>(k).fill(0);
    for (const b of g.members) for (const p of membersOfBase(b)) {
      const label = before.get(p);
      if (label !== undefined && label < k) row[label]!++;
    }
    return row;
  });
  let best = identity;
  let bestScore = identity.reduce((sum, g, label) => sum + overlap[g]![label]!, 0);
  const permute = (prefix: number[], rest: number[]) => {
    if (rest.length === 0) {
      const score = prefix.reduce((sum, g, label) => sum + overlap[g]![label]!, 0);
      if (score > bestScore) {
        bestScore = score;
        best = prefix;
      }
      return;
    }
    for (const g of rest) permute([...prefix, g], rest.filter((x) => x !== g));
  };
  permute([], identity);
  return best;
}

/** The state of this run to pass as `previous` to the next. */
export function nextRun(a: OpinionAnalysis): PreviousRun {
  return { included: a.included, kSmoother: a.kSmoother, pcaComponents: a.pca.components, baseClusters: a.baseClusters, groupClusterings: a.groupClusterings };
}

/**
 * A smoother that has settled on k (a different k takes over only after winning `buffer` runs in a row). Not
 * for an import's summary.csv `groups`: that would hand the analysis the answer it is checked against; the
 * history replay is what gives an imported conversation its smoother state.
 */
export function settledKSmoother(k: number, buffer: number = OPINION_DEFAULTS.groupKBuffer): KSmoother {
  return { lastK: k, lastKCount: buffer, smoothedK: k };
}

/** Pol.is's group-k-smoother: switch to a new best k only after it has won `buffer` runs in a row. */
export function smoothK(previous: KSmoother | undefined, thisK: number, buffer: number): KSmoother {
  const same = previous ? previous.lastK === thisK : false;
  const count = same && previous ? previous.lastKCount + 1 : 1;
  const smoothedK = count >= buffer ? thisK : (previous?.smoothedK ?? thisK);
  return { lastK: thisK, lastKCount: count, smoothedK };
}
