// The six Pol.is conversations in tests/fixtures/polis, read as the import reads them and computed with the import's
// numbering (polisOpinionInput; the HTTP and command-line tests check the database gives the math the same input):
// counts, the number of groups without summary.csv, the same groups from shuffled rows, the inclusion rule detected,
// and how close the groups come to Pol.is's own (bench/polis-fidelity.ts prints the same figures).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectInclusion, detectMissingVotes, latestVotes, parsePolisExport, polisMathOptions, type PolisExport, type PolisVote } from './polis-format.ts';
import { POLIS_CONVERSATIONS, POLIS_FIXTURES, fidelity, readFolder, shuffleRows } from '../../../../tests/setup/polis-fixtures.ts';

/**
 * What each conversation reaches as the import analyses it, under the inclusion rule and the Pol.is math (missing
 * votes as 0 before October 2017) detected from the export, the two that show their history (Brexit, Scoop) replayed
 * from votes.csv first (polis-replay.ts): the rule, the math, the number of groups, and a floor under the adjusted
 * Rand index a little below what it measures.
 */
const EXPECTED: Record<string, { rule: 'votes' | 'history'; missingVotes: 'mean' | 'zero'; groups: number; ariAtLeast: number }> = {
  '15-per-hour-seattle': { rule: 'votes', missingVotes: 'mean', groups: 2, ariAtLeast: 0.85 },
  'american-assembly.bowling-green': { rule: 'votes', missingVotes: 'mean', groups: 2, ariAtLeast: 0.42 }, // 0.450: not reached
  'austria-climate.2vkxcncppn.2022-07-07': { rule: 'votes', missingVotes: 'mean', groups: 2, ariAtLeast: 0.85 },
  'austria-climate.7z7ejpbmv5.2022-08-08': { rule: 'votes', missingVotes: 'mean', groups: 2, ariAtLeast: 0.8 }, // 0.818: not reached
  // Pol.is's 2 groups (5 with today's math); replayed 0.790 (a single run on the final votes: 0.845): not reached
  'brexit-consensus': { rule: 'history', missingVotes: 'zero', groups: 2, ariAtLeast: 0.77 },
  // replayed 0.966 (a single run on the final votes: 0.932)
  'scoop-hivemind.biodiversity': { rule: 'history', missingVotes: 'mean', groups: 2, ariAtLeast: 0.95 },
};

describe.each(POLIS_CONVERSATIONS)('the Pol.is conversation %s', (conv) => {
  const folder = path.join(POLIS_FIXTURES, conv);

  it('counts equal participants-votes.csv; groups from the votes alone, whatever the row order; the rule the export shows', async () => {
    const files = readFolder(folder);
    const reference = await parsePolisExport(files);
    const bare = await parsePolisExport({ ...files, summary: undefined });
    expect(bare.groupCount).toBeUndefined();
    // the rule is the test's own choice per conversation (written above), never read from the reference's answer;
    // that the export's group-id column shows the same rule is checked apart
    const rule = EXPECTED[conv]!.rule;
    expect(detectInclusion(bare)).toBe(rule);
    const r = fidelity(bare, reference, rule);
    expect(r.missingVotes).toBe(EXPECTED[conv]!.missingVotes);
    expect(r.countsEqual).toBe(true);
    // summary.csv read or not: the same groups
    const withSummary = fidelity(reference, reference, rule);
    expect([...withSummary.groupsOf]).toEqual([...r.groupsOf]);

    // every file's rows shuffled (three different orders), no summary.csv: the same votes, the same groups
    for (const seed of [1, 2]) {
      const shuffled = await parsePolisExport({
        comments: shuffleRows(files.comments, seed)!,
        votes: shuffleRows(files.votes, seed + 10),
        participantsVotes: shuffleRows(files.participantsVotes, seed + 20),
      });
      expect(shuffled.votes).toEqual(bare.votes);
      expect(detectInclusion(shuffled)).toBe(rule);
      const s = fidelity(shuffled, reference, rule);
      expect(new Map([...s.groupsOf].sort())).toEqual(new Map([...r.groupsOf].sort()));
    }

    // the history is replayed exactly when the export shows it
    expect(r.replayUpdates !== null).toBe(rule === 'history');
    console.log(`${conv}: rule ${rule}, replayed ${r.replayUpdates ?? 'no'}, ${r.groups} groups (Pol.is ${r.polisGroups}), ${r.clustered} clustered (Pol.is ${r.polisClustered}), adjusted Rand index ${r.ari.toFixed(3)}`);
    expect(r.groups).toBe(EXPECTED[conv]!.groups);
    expect(r.ari).toBeGreaterThanOrEqual(EXPECTED[conv]!.ariAtLeast);
  }, 300_000); // the whole math on a real conversation, four times, with the history replayed (Scoop: ~30 s on a busy 2-core machine)
});

describe('the order of vote lines', () => {
  const v = (p: string, s: string, value: 1 | -1 | 0, at: number): PolisVote => ({ participantSourceId: p, statementSourceId: s, value, at });

  it('the latest by time stands; of equal times, agree over pass over disagree, in any order of the lines', () => {
    const lines = [v('2', '0', 1, 5), v('2', '0', -1, 5), v('2', '0', 0, 5), v('10', '0', -1, 9), v('10', '0', 1, 3), v('1', '3', 0, 1)];
    const expected = [v('1', '3', 0, 1), v('2', '0', 1, 5), v('10', '0', -1, 9)];
    for (let k = 0; k < 6; k++) {
      const rotated = [...lines.slice(k), ...lines.slice(0, k)];
      expect(latestVotes(rotated)).toEqual(expected);
      expect(latestVotes([...rotated].reverse())).toEqual(expected);
    }
  });

  it('the history of votes.csv is sorted by time, then participant and comment id (numerically), then value', async () => {
    const header = 'timestamp,datetime,comment-id,voter-id,vote\n';
    const comments = 'timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n1,x,0,0,0,0,1,A\n1,x,10,0,0,0,1,B\n';
    const a = await parsePolisExport({ comments, votes: `${header}7,x,10,2,1\n7,x,0,10,1\n7,x,0,2,-1\n` });
    const b = await parsePolisExport({ comments, votes: `${header}7,x,0,2,-1\n7,x,10,2,1\n7,x,0,10,1\n` });
    const ids = (ex: PolisExport) => ex.history.map((h) => `${h.participantSourceId}/${h.statementSourceId}`);
    expect(ids(a)).toEqual(['2/0', '2/10', '10/0']);
    expect(ids(b)).toEqual(ids(a));
  });
});

describe('the Pol.is math an export shows (detectMissingVotes)', () => {
  const comments = 'timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n1,x,0,0,0,0,1,A\n1,x,1,0,0,0,1,B\n';
  const header = 'timestamp,datetime,comment-id,voter-id,vote\n';
  const cutoff = Date.UTC(2017, 9, 22);

  it("missing votes as 0 only for history whose last vote is before Pol.is's change of October 2017", async () => {
    const before = await parsePolisExport({ comments, votes: `${header}${cutoff - 5},x,0,1,1\n${cutoff - 1},x,1,1,-1\n` });
    const after = await parsePolisExport({ comments, votes: `${header}${cutoff - 5},x,0,1,1\n${cutoff},x,1,1,-1\n` });
    expect(detectMissingVotes(before, 'history')).toBe('zero');
    expect(detectMissingVotes(after, 'history')).toBe('mean');
    // clustered on its final votes: recomputed when exported, by newer math
    expect(detectMissingVotes(before, 'votes')).toBe('mean');
    // no votes.csv: no times, no history
    const noTimes = await parsePolisExport({ comments, participantsVotes: 'participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n1,0,0,2,1,1,1,-1\n' });
    expect(detectMissingVotes(noTimes, 'history')).toBe('mean');
    expect(polisMathOptions('zero')).toEqual({ pca: 'power', missingVotes: 'zero' });
    expect(polisMathOptions('mean')).toEqual({});
  });
});
