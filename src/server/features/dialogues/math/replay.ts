/*
 * A conversation's history replayed the way Pol.is updates its math as votes arrive (issue 11, item 2). The import
 * replays an export that shows its history with it (polis-replay.ts) and analyses the dialogue from its last state;
 * bench/polis-fidelity.ts --replay measures it at other schedules.
 *
 * Pol.is (math/src/polismath/conv_man.clj polls new votes and calls conversation.clj conv-update on each batch)
 * carries from one update to the next: the clustered set (:in-conv, once in stays in), the PCA components (the
 * power iteration starts from the last ones), the base clusters and each k's group clustering (k-means starts from
 * the last centres: clusters.clj clean-start-clusters), and the group-k smoother (a new best k takes over after
 * winning :group-k-buffer updates in a row). So its final groups depend on the order the votes came in, which the
 * final votes alone do not tell; votes.csv's timestamps do.
 *
 * Here: the votes, sorted by time, are cut into updates: an update takes every vote up to the first vote at least
 * `updateMs` after the previous update's last vote (Pol.is's poller takes what has arrived since it last looked;
 * the export does not say when it looked). When that makes more than `maxUpdates` updates, consecutive ones are
 * merged evenly so the replay stays bounded. Each update runs analyzeOpinions on every vote so far (a later vote of
 * a pair replacing the earlier), starting from the previous update's state (nextRun), with Pol.is's single
 * warm-started k-means per k (groupRestarts 0: extra cold starts would overrule the history the replay is for).
 * Incrementally: the vote matrix and the counts per statement grow in place (an update writes only the votes it
 * takes), and the PCA, warm-started from the last components, stops once converged (pcaTolerance) instead of running
 * Pol.is's fixed 100 steps.
 * Moderation is taken as it stands at the end (the export does not say when a comment was moderated out).
 */
import type { StatementCounts, VoteMatrix } from './vote-matrix.ts';
import { analyzeOpinions, nextRun, polisRowOrder, type OpinionAnalysis, type OpinionOptions, type PreviousRun } from './opinion-groups.ts';

export type ReplayVote = { participant: number; statement: number; value: number; /** epoch ms */ at: number };

export type ReplayOptions = {
  /** the least time between two updates, in milliseconds */
  updateMs?: number;
  /** the most updates run; more are merged evenly */
  maxUpdates?: number;
  /** passed to every update (groupRestarts defaults to 0 here) */
  opinion?: Omit<OpinionOptions, 'previous'>;
  /**
   * give each update the row order Pol.is's matrix would have after these batches (opinion-groups.ts polisRowOrder),
   * so the first update's cold base clustering starts where Pol.is's would
   */
  polisRowOrder?: boolean;
  /** the last update's analysis in full (counts, representative statements...); false: the clustering only, as every other update */
  finalAnalysis?: boolean;
  /** the state to start from (e.g. participants kept clustered) */
  start?: PreviousRun;
  /** called after each update with its analysis, and the votes it took (indices into the sorted votes: [from, to)) */
  onUpdate?: (analysis: OpinionAnalysis, step: ReplayStep, taken: { from: number; to: number; participant: Int32Array }) => void;
};

export type ReplayStep = { at: number; votes: number; bestK: number; k: number };

export const REPLAY_DEFAULTS = { updateMs: 60_000, maxUpdates: 200, pcaTolerance: 1e-6 } as const;

/** Where the updates end: indices into the sorted votes, each the end (exclusive) of one update. */
export function updateBoundaries(sortedAt: readonly number[], updateMs: number, maxUpdates: number): number[] {
  const ends: number[] = [];
  let i = 0;
  while (i < sortedAt.length) {
    const from = sortedAt[i]!;
    let j = i + 1;
    while (j < sortedAt.length && sortedAt[j]! < from + updateMs) j++;
    ends.push(j);
    i = j;
  }
  if (ends.length <= maxUpdates) return ends;
  // keep maxUpdates of them, evenly spread, always the last
  const kept: number[] = [];
  for (let u = 1; u <= maxUpdates; u++) kept.push(ends[Math.round((u * ends.length) / maxUpdates) - 1]!);
  return [...new Set(kept)];
}

/**
 * Replays `votes` (any order: sorted here by time, then participant, statement and value, so the row order of a
 * file never matters) update by update; returns the last update's analysis, what each update chose, and the state
 * to continue from.
 */
export function replayHistory(
  input: { participantCount: number; statementCount: number; votes: readonly ReplayVote[]; excludedStatements?: Iterable<number> },
  options: ReplayOptions = {},
): { analysis: OpinionAnalysis | null; steps: ReplayStep[]; next: PreviousRun | undefined } {
  const updateMs = options.updateMs ?? REPLAY_DEFAULTS.updateMs;
  const maxUpdates = options.maxUpdates ?? REPLAY_DEFAULTS.maxUpdates;
  const sorted = [...input.votes].sort((a, b) => a.at - b.at || a.participant - b.participant || a.statement - b.statement || a.value - b.value);
  const n = sorted.length;
  const participant = new Int32Array(n);
  const statement = new Int32Array(n);
  const value = new Int8Array(n);
  sorted.forEach((v, i) => {
    participant[i] = v.participant;
    statement[i] = v.statement;
    value[i] = v.value;
  });
  const excluded = [...(input.excludedStatements ?? [])];
  // The vote matrix grows in place, update by update: each participant's row has room for every statement they will
  // have voted on, in the order they first voted on them (the order buildVoteMatrix would give the votes so far), and
  // an update only writes the votes it takes and moves the ends of their rows; the counts per statement likewise.
  const P = input.participantCount;
  const S = input.statementCount;
  for (let i = 0; i < n; i++) {
    if (!(participant[i]! >= 0 && participant[i]! < P && statement[i]! >= 0 && statement[i]! < S)) throw new Error(`votes[${i}]: participant or statement out of range`);
    if (value[i] !== 1 && value[i] !== -1 && value[i] !== 0) throw new Error(`votes[${i}]: value ${value[i]} is not 1, -1 or 0`);
  }
  const slot = new Int32Array(n);
  const first = new Uint8Array(n);
  const rowStart = new Int32Array(P + 1);
  const slotOfPair = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = participant[i]! * S + statement[i]!;
    if (!slotOfPair.has(key)) {
      slotOfPair.set(key, rowStart[participant[i]! + 1]!++);
      first[i] = 1;
    }
  }
  for (let p = 0; p < P; p++) rowStart[p + 1]! += rowStart[p]!;
  for (let i = 0; i < n; i++) slot[i] = rowStart[participant[i]!]! + slotOfPair.get(participant[i]! * S + statement[i]!)!;
  slotOfPair.clear();
  const matrix: VoteMatrix = { participantCount: P, statementCount: S, rowStart, rowEnd: rowStart.slice(0, P), statement: new Int32Array(rowStart[P]!), value: new Int8Array(rowStart[P]!) };
  for (let i = 0; i < n; i++) matrix.statement[slot[i]!] = statement[i]!;
  const totals: StatementCounts = { agree: new Int32Array(S), disagree: new Int32Array(S), pass: new Int32Array(S) };
  const tally = (s: number, v: number, by: number) => {
    if (v === 1) totals.agree[s]! += by;
    else if (v === -1) totals.disagree[s]! += by;
    else totals.pass[s]! += by;
  };
  let previous = options.start;
  let analysis: OpinionAnalysis | null = null;
  const steps: ReplayStep[] = [];
  let from = 0;
  const ends = updateBoundaries(sorted.map((v) => v.at), updateMs, maxUpdates);
  const rowOrder: number[] = [];
  const inRows = new Set<number>();
  for (const [u, end] of ends.entries()) {
    if (options.polisRowOrder) {
      for (const p of polisRowOrder({ participant: participant.subarray(from, end), statement: statement.subarray(from, end) })) {
        if (inRows.has(p)) continue;
        inRows.add(p);
        rowOrder.push(p);
      }
    }
    for (let i = from; i < end; i++) {
      const k = slot[i]!;
      if (first[i]) matrix.rowEnd![participant[i]!]!++;
      else tally(statement[i]!, matrix.value[k]!, -1);
      matrix.value[k] = value[i]!;
      tally(statement[i]!, value[i]!, 1);
    }
    const last = u === ends.length - 1;
    analysis = analyzeOpinions(
      {
        participantCount: input.participantCount,
        statementCount: input.statementCount,
        votes: { participant: participant.subarray(0, end), statement: statement.subarray(0, end), value: value.subarray(0, end) },
        excludedStatements: excluded,
        matrix,
        totals,
      },
      { groupRestarts: 0, pcaTolerance: REPLAY_DEFAULTS.pcaTolerance, ...options.opinion, ...(options.polisRowOrder ? { rowOrder } : {}), clusteringOnly: !(last && options.finalAnalysis !== false) && !options.onUpdate, previous },
    );
    previous = nextRun(analysis);
    const step = { at: sorted[end - 1]!.at, votes: end, bestK: analysis.bestK, k: analysis.kSmoother.smoothedK };
    steps.push(step);
    options.onUpdate?.(analysis, step, { from, to: end, participant });
    from = end;
  }
  return { analysis, steps, next: previous };
}
