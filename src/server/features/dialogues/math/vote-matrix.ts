// The sparse participant × statement vote matrix the analysis runs on: compressed rows (CSR), one vote
// per participant and statement (a later vote in the input replaces an earlier one).

/** Votes as parallel arrays: participant index, statement index, value (1 agree, -1 disagree, 0 pass). */
export type VoteColumns = {
  participant: ArrayLike<number>;
  statement: ArrayLike<number>;
  value: ArrayLike<number>;
};

/** Votes as [participant index, statement index, value] triples. */
export type VoteTriples = ReadonlyArray<readonly [participant: number, statement: number, value: number]>;

export type VoteMatrix = {
  participantCount: number;
  statementCount: number;
  /** rowStart[p]..rowStart[p+1] are participant p's votes (every participant has a row, possibly empty) */
  rowStart: Int32Array;
  /**
   * when given, row p ends at rowEnd[p] instead (a matrix that grows in place: each row has room for the votes it
   * will hold, rowStart[p + 1] - rowStart[p], and holds rowEnd[p] - rowStart[p] of them so far; replay.ts)
   */
  rowEnd?: Int32Array;
  statement: Int32Array;
  value: Int8Array;
};

export function toVoteColumns(votes: VoteColumns | VoteTriples): VoteColumns {
  if (Array.isArray(votes)) {
    const triples = votes as VoteTriples;
    const participant = new Int32Array(triples.length);
    const statement = new Int32Array(triples.length);
    const value = new Int8Array(triples.length);
    for (let i = 0; i < triples.length; i++) {
      participant[i] = triples[i][0];
      statement[i] = triples[i][1];
      value[i] = triples[i][2];
    }
    return { participant, statement, value };
  }
  return votes as VoteColumns;
}

export function buildVoteMatrix(participantCount: number, statementCount: number, votes: VoteColumns | VoteTriples): VoteMatrix {
  const v = toVoteColumns(votes);
  const n = v.participant.length;
  if (v.statement.length !== n || v.value.length !== n) throw new Error('votes: participant, statement and value differ in length');
  const counts = new Int32Array(participantCount + 1);
  for (let i = 0; i < n; i++) {
    const p = v.participant[i];
    const s = v.statement[i];
    const x = v.value[i];
    if (!(p >= 0 && p < participantCount && Number.isInteger(p))) throw new Error(`votes[${i}]: participant ${p} is out of range`);
    if (!(s >= 0 && s < statementCount && Number.isInteger(s))) throw new Error(`votes[${i}]: statement ${s} is out of range`);
    if (x !== 1 && x !== -1 && x !== 0) throw new Error(`votes[${i}]: value ${x} is not 1, -1 or 0`);
    counts[p + 1]++;
  }
  for (let p = 0; p < participantCount; p++) counts[p + 1] += counts[p];
  // bucket by participant, keeping input order within a participant
  const fill = counts.slice(0, participantCount);
  const bucketStatement = new Int32Array(n);
  const bucketValue = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    const at = fill[v.participant[i]]++;
    bucketStatement[at] = v.statement[i];
    bucketValue[at] = v.value[i];
  }
  // one vote per statement and participant: the later one stands
  const slotOf = new Int32Array(statementCount).fill(-1);
  const stamp = new Int32Array(statementCount).fill(-1);
  const rowStart = new Int32Array(participantCount + 1);
  const statement = new Int32Array(n);
  const value = new Int8Array(n);
  let out = 0;
  for (let p = 0; p < participantCount; p++) {
    rowStart[p] = out;
    for (let k = counts[p]; k < counts[p + 1]; k++) {
      const s = bucketStatement[k];
      if (stamp[s] === p) {
        value[slotOf[s]] = bucketValue[k];
      } else {
        stamp[s] = p;
        slotOf[s] = out;
        statement[out] = s;
        value[out] = bucketValue[k];
        out++;
      }
    }
  }
  rowStart[participantCount] = out;
  return { participantCount, statementCount, rowStart, statement: statement.slice(0, out), value: value.slice(0, out) };
}

/** Where each row ends (rowEnd, or the next row's start). */
export function rowEndOf(m: VoteMatrix): Int32Array {
  return m.rowEnd ?? m.rowStart.subarray(1);
}

export type StatementCounts = { agree: Int32Array; disagree: Int32Array; pass: Int32Array };

/** Agree / disagree / pass counts per statement over the given participants (all when omitted). */
export function countVotes(m: VoteMatrix, participants?: ArrayLike<number>): StatementCounts {
  const agree = new Int32Array(m.statementCount);
  const disagree = new Int32Array(m.statementCount);
  const pass = new Int32Array(m.statementCount);
  const rowEnd = rowEndOf(m);
  const add = (p: number) => {
    for (let k = m.rowStart[p]; k < rowEnd[p]; k++) {
      const x = m.value[k];
      if (x === 1) agree[m.statement[k]]++;
      else if (x === -1) disagree[m.statement[k]]++;
      else pass[m.statement[k]]++;
    }
  };
  if (participants) for (let i = 0; i < participants.length; i++) add(participants[i]);
  else for (let p = 0; p < m.participantCount; p++) add(p);
  return { agree, disagree, pass };
}
