/*
 * An imported Pol.is conversation's history, replayed at the import (issue 11, item 2): when the export shows its
 * history (the 'history' inclusion rule: votes.csv, and someone clustered with fewer final votes than Pol.is's
 * threshold, polis-format.ts detectInclusion), its groups are the last of Pol.is's incremental updates, each
 * warm-started from the one before. math/replay.ts replays them from votes.csv's timestamps; its final state is
 * stored with the dialogue (analysis_state.polis.replay, and as its run) and every analysis continues from it, with
 * Pol.is's single warm-started k-means per k (groupRestarts 0: cold restarts would overrule the history).
 *
 * An export clustered on its final votes (the 'votes' rule: Seattle as exported, and every export without votes.csv)
 * is not replayed: Pol.is recomputed those from scratch when it made the export, and a replay moves them away from
 * Pol.is's groups (Seattle: adjusted Rand index 0.563 replayed, 0.884 in one run).
 */
import { replayHistory, type ReplayVote } from './math/replay.ts';
import type { PreviousRun } from './math/opinion-groups.ts';
import { polisMathOptions, polisOpinionInput, type PolisExport, type PolisInclusion, type PolisMissingVotes } from './polis-format.ts';

/**
 * The replay's schedule: an update takes every vote until a minute after its first (Pol.is's poller looked every
 * second, and an update waited for the previous one to finish computing; the export does not say when each ran),
 * every update run (none merged: merging is what broke Brexit's number of groups, docs/research.md).
 */
export const IMPORT_REPLAY = { updateMs: 60_000, maxUpdates: Infinity } as const;

export type PolisReplay = { run: PreviousRun; updates: number; updateMs: number };

/** The replay of an export's history (indices as polisNumbering numbers them), or undefined when it is not replayed. */
export function polisReplay(ex: PolisExport, inclusion: PolisInclusion, missingVotes: PolisMissingVotes): PolisReplay | undefined {
  if (inclusion !== 'history' || !ex.voteTimes || ex.history.length === 0) return undefined;
  const { input, participantIds, comments } = polisOpinionInput(ex);
  const pIndex = new Map(participantIds.map((id, i) => [id, i]));
  const sIndex = new Map(comments.map((c, i) => [c.sourceId, i]));
  const votes: ReplayVote[] = [];
  for (const v of ex.history) {
    const statement = sIndex.get(v.statementSourceId);
    if (statement !== undefined) votes.push({ participant: pIndex.get(v.participantSourceId)!, statement, value: v.value, at: v.at });
  }
  const r = replayHistory(
    { participantCount: input.participantCount, statementCount: input.statementCount, votes, excludedStatements: input.excludedStatements },
    { ...IMPORT_REPLAY, opinion: polisMathOptions(missingVotes), polisRowOrder: true, finalAnalysis: false },
  );
  return r.next ? { run: r.next, updates: r.steps.length, updateMs: IMPORT_REPLAY.updateMs } : undefined;
}

/** What an analysis of a replayed import starts from: the replay's state, also keeping everyone :in-conv kept. */
export function replayedPrevious(run: PreviousRun, inConv: readonly number[] | undefined): PreviousRun {
  return { ...run, included: [...(run.included ?? []), ...(inConv ?? [])] };
}
