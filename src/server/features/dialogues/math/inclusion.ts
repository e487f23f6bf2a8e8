/*
 * Who Pol.is clusters, replayed from the order of the votes (conversation.clj :in-conv).
 *
 * Pol.is's rule has been the same since July 2014 (commits 05277780 "Take 7 if empty", 3a8d6b19 "include first 15
 * in-conv regardless of vote count"; math/src/polismath/math/conversation.clj, :in-conv, lines 240-266 at
 * 08e03eb1): at every update of the math, a participant who has voted on at least min(7, comments with votes so
 * far) comments joins the clustered set; while that set has fewer than 15, the most active of the others join
 * (greedy-n 15); and a participant once in stays in (the set is carried from update to update in :in-conv).
 * Applied to the final votes alone (analyzeOpinions' own step 2) this clusters exactly those with 7 votes or
 * more (or the top 15). Replayed over the conversation's life, it also keeps those who qualified early, when
 * the conversation had fewer than 7 comments or fewer than 15 voters: exports from Pol.is show such
 * participants clustered with one to six votes (Brexit consensus 8 of 197, Scoop Hivemind 2 of 443, Bowling
 * Green 2 of 1,581).
 *
 * Here the update is taken after every vote (Pol.is updates after each batch of new votes, so it can have
 * missed someone who qualified only between two of its updates; the export does not say when it updated).
 * Ties in the greedy top-up: fewer votes last, then the lower participant index.
 */

export type TimedVote = { participant: number; statement: number };

/**
 * The participants Pol.is's :in-conv holds after replaying `votes` in the order given (sort them by time first;
 * a later vote of the same pair adds nothing). Returns participant indices, ascending.
 */
export function replayInclusion(participantCount: number, votes: Iterable<TimedVote>, options: { minVotes?: number; greedyN?: number } = {}): number[] {
  const minVotes = options.minVotes ?? 7;
  const greedyN = options.greedyN ?? 15;
  const count = new Int32Array(participantCount);
  const seenPair = new Set<number>();
  const seenStatement = new Set<number>();
  const inConv = new Uint8Array(participantCount);
  let n = 0;
  let statements = 0;
  const voters: number[] = [];
  for (const v of votes) {
    const { participant: p, statement: s } = v;
    if (p < 0 || p >= participantCount) continue;
    if (!seenStatement.has(s)) {
      seenStatement.add(s);
      statements++;
    }
    // statement indices stay below 2^21 in any conversation this handles; the pair key is exact below 2^53
    const key = p * 2 ** 21 + s;
    if (seenPair.has(key)) continue;
    seenPair.add(key);
    if (count[p] === 0) voters.push(p);
    count[p]++;
    // the threshold only grows, so a participant can only start to meet it with a vote of their own
    if (!inConv[p] && count[p] >= Math.min(minVotes, statements)) {
      inConv[p] = 1;
      n++;
    }
    if (n < greedyN) {
      const rest = voters.filter((q) => !inConv[q]).sort((a, b) => count[b] - count[a] || a - b);
      for (const q of rest.slice(0, greedyN - n)) {
        inConv[q] = 1;
        n++;
      }
    }
  }
  const out: number[] = [];
  for (let p = 0; p < participantCount; p++) if (inConv[p]) out.push(p);
  return out;
}
