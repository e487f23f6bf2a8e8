import { describe, expect, it } from 'vitest';
import { analyzeOpinions } from './opinion-groups.ts';
import { replayInclusion } from './inclusion.ts';

const votes = (pairs: [number, number][]) => pairs.map(([participant, statement]) => ({ participant, statement }));

describe('replayInclusion (Pol.is :in-conv replayed vote by vote)', () => {
  it('the first 15 voters are in whatever they did (greedy-n), and stay in', () => {
    // 20 participants each vote once on statement 0, in order
    const out = replayInclusion(20, votes(Array.from({ length: 20 }, (_, p) => [p, 0])));
    // with one statement, min(7, 1) = 1 vote is enough: everyone
    expect(out).toHaveLength(20);
    // with 10 statements voted early by participant 19, the threshold is 7: a late single vote is not enough
    const early: [number, number][] = Array.from({ length: 10 }, (_, s) => [19, s]);
    const late: [number, number][] = Array.from({ length: 19 }, (_, p) => [p, 0]);
    const out2 = replayInclusion(20, votes([...early, ...late]));
    // 19 is in by its votes; the greedy top-up fills to 15 with the first voters, who then stay in
    expect(out2).toHaveLength(15);
    expect(out2).toContain(19);
    expect(out2).toEqual([...Array.from({ length: 14 }, (_, p) => p), 19]);
  });

  it('someone who qualified while there were few statements stays in after the threshold rises', () => {
    const pairs: [number, number][] = [];
    // 16 participants vote on the 2 first statements: all qualify at min(7, 2) = 2
    for (let p = 0; p < 16; p++) pairs.push([p, 0], [p, 1]);
    // then 10 more statements, and participant 20 votes on only 2 of them: not in (threshold 7 by then)
    for (let s = 2; s < 12; s++) for (let p = 0; p < 16; p++) pairs.push([p, s]);
    pairs.push([20, 3], [20, 4]);
    const out = replayInclusion(21, votes(pairs));
    expect(out).toEqual(Array.from({ length: 16 }, (_, p) => p));
    // the final-votes rule gives the same here (all 16 have 12 votes): the difference shows with early leavers
    const leaver: [number, number][] = [[17, 0], [17, 1]];
    const out2 = replayInclusion(21, votes([...pairs.slice(0, 32), ...leaver, ...pairs.slice(32)]));
    expect(out2).toContain(17);
    expect(out2).not.toContain(20);
  });

  it('a repeated vote of a pair counts once; the result does not depend on how the participants are spread over the input', () => {
    expect(replayInclusion(3, votes([[0, 0], [0, 0], [0, 0]]), { greedyN: 0, minVotes: 2 })).toEqual([0]);
    expect(replayInclusion(3, votes([[0, 0], [1, 1], [0, 0]]), { greedyN: 0, minVotes: 2 })).toEqual([0]);
  });

  it('analyzeOpinions keeps those participants clustered (previous.included), beside those with enough final votes', () => {
    const triples: [number, number, number][] = [];
    for (let p = 0; p < 30; p++) for (let s = 0; s < 10; s++) triples.push([p, s, (p < 15) === (s % 2 === 0) ? 1 : -1]);
    triples.push([30, 0, 1]);
    const plain = analyzeOpinions({ participantCount: 31, statementCount: 10, votes: triples });
    expect(plain.included).not.toContain(30);
    const kept = analyzeOpinions({ participantCount: 31, statementCount: 10, votes: triples }, { previous: { included: [30] } });
    expect(kept.included).toContain(30);
    expect(kept.participants.find((p) => p.participant === 30)!.group).toBeGreaterThanOrEqual(0);
  });
});
