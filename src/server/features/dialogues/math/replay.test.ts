import { describe, expect, it } from 'vitest';
import { analyzeOpinions, nextRun, type OpinionAnalysis, type PreviousRun } from './opinion-groups.ts';
import { REPLAY_DEFAULTS, replayHistory, updateBoundaries, type ReplayVote } from './replay.ts';
import { seededRandom } from './stats.ts';

/** Camps of participants voting on 10 statements: A agrees with the even ones, B with the odd ones, C with all. */
function camps(spec: { camp: 'A' | 'B' | 'C'; people: number; from: number; at: number }[]): ReplayVote[] {
  const random = seededRandom(7);
  const votes: ReplayVote[] = [];
  for (const { camp, people, from, at } of spec) {
    for (let p = from; p < from + people; p++) {
      for (let s = 0; s < 10; s++) {
        const agree = camp === 'C' || (camp === 'A') === (s % 2 === 0);
        // one vote in six goes the other way or is a pass, so that positions differ
        const r = random();
        const value = r < 0.1 ? 0 : r < 0.17 ? (agree ? -1 : 1) : agree ? 1 : -1;
        votes.push({ participant: p, statement: s, value, at: at + p * 1000 + s });
      }
    }
  }
  return votes;
}

describe('updateBoundaries', () => {
  it('an update takes every vote until updateMs after its first; too many are merged evenly, the last kept', () => {
    expect(updateBoundaries([0, 10, 20, 100, 105, 300], 50, 10)).toEqual([3, 5, 6]);
    expect(updateBoundaries([0, 10, 20, 100, 105, 300], 50, 2)).toEqual([5, 6]);
    expect(updateBoundaries([], 50, 2)).toEqual([]);
  });
});

describe('replayHistory', () => {
  const early = camps([
    { camp: 'A', people: 40, from: 0, at: 0 },
    { camp: 'B', people: 40, from: 40, at: 0 },
  ]);
  // a third camp arrives all at once (within a second), at the very end
  const late = camps([{ camp: 'C', people: 40, from: 80, at: 0 }]).map((v) => ({ ...v, at: 10_000_000 + v.statement }));
  const input = { participantCount: 120, statementCount: 10, votes: [...early, ...late] };

  it('keeps the number of groups it settled on when a new best k wins only the last update (the smoother)', () => {
    const cold = analyzeOpinions({ participantCount: 120, statementCount: 10, votes: input.votes.map((v) => [v.participant, v.statement, v.value] as [number, number, number]) });
    expect(cold.groups).toHaveLength(3);
    const replay = replayHistory(input, { updateMs: 10_000 });
    expect(replay.steps.length).toBeGreaterThan(4);
    expect(replay.steps.at(-1)!.bestK).toBe(3);
    expect(replay.steps.at(-1)!.k).toBe(2);
    expect(replay.analysis!.groups).toHaveLength(2);
    // the last update counted every vote
    expect(replay.steps.at(-1)!.votes).toBe(input.votes.length);
    expect(replay.analysis!.statements.reduce((n, s) => n + s.seen, 0)).toBe(input.votes.length);
  });

  it('gives the same result whatever the order of the votes it is handed', () => {
    const a = replayHistory(input, { updateMs: 10_000 });
    const random = seededRandom(3);
    const shuffled = [...input.votes];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const b = replayHistory({ ...input, votes: shuffled }, { updateMs: 10_000 });
    expect(b.steps).toEqual(a.steps);
    expect(b.analysis!.groups.map((g) => g.members)).toEqual(a.analysis!.groups.map((g) => g.members));
  });

  it('each update, on the matrix it grows in place, is the analysis of every vote so far built afresh, from the update before', () => {
    // votes changed along the way too: a third of the early camps change their vote on statement 0 late on
    const changed = early.filter((v) => v.statement === 0 && v.participant % 3 === 0).map((v) => ({ ...v, value: -v.value, at: 9_000_000 + v.participant }));
    const votes = [...input.votes, ...changed];
    const seen: OpinionAnalysis[] = [];
    const ends: number[] = [];
    replayHistory({ ...input, votes }, { updateMs: 5_000, maxUpdates: Infinity, onUpdate: (a, _step, taken) => (seen.push(a), ends.push(taken.to)) });
    expect(seen.length).toBeGreaterThan(10);
    const sorted = [...votes].sort((a, b) => a.at - b.at || a.participant - b.participant || a.statement - b.statement || a.value - b.value);
    let previous: PreviousRun | undefined;
    ends.forEach((end, u) => {
      const fresh = analyzeOpinions(
        { participantCount: 120, statementCount: 10, votes: sorted.slice(0, end).map((v) => [v.participant, v.statement, v.value] as [number, number, number]) },
        { groupRestarts: 0, pcaTolerance: REPLAY_DEFAULTS.pcaTolerance, previous },
      );
      previous = nextRun(fresh);
      const a = seen[u]!;
      expect(a.included).toEqual(fresh.included);
      expect(a.pca.components.map((c) => Array.from(c))).toEqual(fresh.pca.components.map((c) => Array.from(c)));
      expect(a.groups.map((g) => g.members)).toEqual(fresh.groups.map((g) => g.members));
      expect(a.statements).toEqual(fresh.statements);
    });
  });

  it('a later vote of a pair replaces the earlier one; nothing to replay gives nothing', () => {
    const r = replayHistory({
      participantCount: 1,
      statementCount: 1,
      votes: [
        { participant: 0, statement: 0, value: -1, at: 5 },
        { participant: 0, statement: 0, value: 1, at: 1 },
      ],
    });
    expect(r.analysis!.statements[0]).toMatchObject({ agree: 0, disagree: 1 });
    expect(replayHistory({ participantCount: 0, statementCount: 0, votes: [] })).toEqual({ analysis: null, steps: [], next: undefined });
  });
});
