/*
 * A conversation's history replayed the way Pol.is updates its math as votes arrive (issue 11, item 2). Not wired
 * into the import or the analysis yet: a pure function with its tests, to be measured on the shared conversations
 * (bench/polis-fidelity.ts) before anything depends on it.
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
 * Moderation is taken as it stands at the end (the export does not say when a comment was moderated out).
 */
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
    const last = u === ends.length - 1;
    analysis = analyzeOpinions(
      {
        participantCount: input.participantCount,
        statementCount: input.statementCount,
        votes: { participant: participant.subarray(0, end), statement: statement.subarray(0, end), value: value.subarray(0, end) },
        excludedStatements: excluded,
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
