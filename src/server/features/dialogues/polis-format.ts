// The Pol.is export format (what pol.is's "export" gives, as written by polismath.darwin.export): reading a
// folder's CSV texts into plain data, and writing a dialogue back out in the same shape. No database here.
//
// Files:
//   comments.csv            timestamp, datetime, comment-id, author-id, agrees, disagrees, moderated, comment-body
//   votes.csv               timestamp, datetime, comment-id, voter-id, vote       (1 agree, -1 disagree, 0 pass)
//   participants-votes.csv  participant, group-id, n-comments, n-votes, n-agree, n-disagree, <one column per comment>
//   summary.csv             key,value lines: topic, url, views, voters, voters-in-conv, commenters, comments, groups, ...
//
// Sign convention. Pol.is stores agree as -1 in its database and flips the sign when it exports votes.csv;
// participants-votes.csv is built from the same flipped votes in the current exporter, but older exports
// were written before the flip was fixed upstream (the exporter's own comments say so), so its sign can
// differ. What we found in the two conversations in tests/fixtures/polis (Seattle $15/hour, 2014; Brexit
// consensus, 2017): every one of their 2,872 and 5,303 filled cells equals the latest votes.csv vote of
// that participant on that comment, same sign (1 = agree), and n-agree counts the 1s. parsePolisExport
// does not trust this: it compares the two files and flips participants-votes.csv when most of its cells
// have the opposite sign (reported as participantsVotesSign).
//
// comments.csv's agrees / disagrees count every vote row, superseded ones included, so they can exceed the
// latest-vote counts (21 of 54 comments in the Seattle file, 8 of 50 in Brexit). Use the votes instead.
//
// Cells are written by Convene's one CSV writer (imports/csv.ts), which defuses text a spreadsheet would run as a
// formula (a comment "=HYPERLINK(…)" is written '=HYPERLINK(…)), and read back with that undone, so a dialogue
// exported here imports back with its statements unchanged.
import { giveWayEvery, mapGivingWay } from '../../core/give-way.ts';
import { csvLine, csvRecords, undefuseCells } from '../imports/csv.ts';
import type { OpinionInput } from './math/opinion-groups.ts';

export type VoteValue = 1 | -1 | 0;

export type PolisComment = {
  sourceId: string;
  authorSourceId: string;
  body: string;
  /** -1 moderated out (hidden), 0 not moderated yet, 1 accepted */
  moderated: -1 | 0 | 1;
  /** epoch milliseconds */
  createdAt: number;
};

export type PolisVote = {
  statementSourceId: string;
  participantSourceId: string;
  value: VoteValue;
  /** epoch milliseconds */
  at: number;
};

export type PolisParticipant = {
  sourceId: string;
  /** the opinion group Pol.is assigned; null when it did not cluster the participant */
  groupId: number | null;
  nComments: number;
  nVotes: number;
  nAgree: number;
  nDisagree: number;
  /** the filled cells of the row, sign already matched to votes.csv (1 agree) */
  votes: { statementSourceId: string; value: VoteValue }[];
};

export type PolisExport = {
  comments: PolisComment[];
  /** one per participant and comment: the latest by timestamp (a tie: the later line of the file) */
  votes: PolisVote[];
  /** vote lines in votes.csv, superseded ones included */
  voteLines: number;
  /** when participants-votes.csv was given */
  participants?: PolisParticipant[];
  /** how participants-votes.csv's signs compare with votes.csv's: 'same', 'flipped' (and corrected), or 'unknown' (no overlap) */
  participantsVotesSign?: 'same' | 'flipped' | 'unknown';
  /** summary.csv's key/value lines, when given */
  summary?: Record<string, string>;
  /** summary.csv's `groups`, when given */
  groupCount?: number;
};

export type PolisFiles = {
  comments: string;
  votes: string;
  participantsVotes?: string;
  summary?: string;
};

export class PolisFormatError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'PolisFormatError';
  }
}

// A million votes take seconds to read: reading gives other requests a turn every few milliseconds (core/give-way.ts).

async function records(file: string, text: string): Promise<string[][]> {
  try {
    return await csvRecords(text, { bom: true, relax_column_count: true, skip_empty_lines: true });
  } catch (err) {
    throw new PolisFormatError(file, err instanceof Error ? err.message : String(err));
  }
}

async function table(file: string, text: string, required: string[]): Promise<{ header: string[]; rows: string[][]; col: (name: string) => number }> {
  const [header, ...rows] = await records(file, text);
  if (!header) throw new PolisFormatError(file, 'the file is empty');
  const giveWay = giveWayEvery();
  for (const r of rows) {
    undefuseCells(r);
    await giveWay();
  }
  const names = header.map((h) => h.trim().toLowerCase());
  const col = (name: string) => names.indexOf(name);
  const missing = required.filter((r) => col(r) < 0);
  if (missing.length) throw new PolisFormatError(file, `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  // a row may leave out trailing cells (a participant without votes on the last comments), never a required one
  const needed = Math.max(...required.map(col)) + 1;
  const short = rows.findIndex((r) => r.length < needed);
  if (short >= 0) throw new PolisFormatError(file, `line ${short + 2} has ${rows[short]!.length} cells; the header has ${header.length} columns`);
  return { header: header.map((h) => h.trim()), rows, col };
}

function integer(file: string, line: number, what: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw new PolisFormatError(file, `line ${line}: ${what} "${text}" is not a number`);
  return n;
}

function voteValue(file: string, line: number, text: string): VoteValue {
  const n = Number(text);
  if (n !== 1 && n !== -1 && n !== 0) throw new PolisFormatError(file, `line ${line}: vote "${text}" is not 1, -1 or 0`);
  return n as VoteValue;
}

export async function parsePolisComments(text: string): Promise<PolisComment[]> {
  const f = 'comments.csv';
  const { rows, col } = await table(f, text, ['timestamp', 'comment-id', 'author-id', 'moderated', 'comment-body']);
  const [ts, id, author, mod, body] = ['timestamp', 'comment-id', 'author-id', 'moderated', 'comment-body'].map(col);
  return mapGivingWay(rows, (r, i) => {
    const moderated = integer(f, i + 2, 'moderated', r[mod]);
    if (moderated !== -1 && moderated !== 0 && moderated !== 1) throw new PolisFormatError(f, `line ${i + 2}: moderated "${r[mod]}" is not -1, 0 or 1`);
    return { sourceId: r[id].trim(), authorSourceId: r[author].trim(), body: r[body] ?? '', moderated, createdAt: integer(f, i + 2, 'timestamp', r[ts]) };
  });
}

/** Every vote line of votes.csv, in file order. */
export async function parsePolisVoteLines(text: string): Promise<PolisVote[]> {
  const f = 'votes.csv';
  const { rows, col } = await table(f, text, ['timestamp', 'comment-id', 'voter-id', 'vote']);
  const [ts, cid, pid, vote] = ['timestamp', 'comment-id', 'voter-id', 'vote'].map(col);
  return mapGivingWay(rows, (r, i) => ({
    statementSourceId: r[cid].trim(),
    participantSourceId: r[pid].trim(),
    value: voteValue(f, i + 2, r[vote]),
    at: integer(f, i + 2, 'timestamp', r[ts]),
  }));
}

/** One vote per participant and statement: the latest by timestamp stands; of equal timestamps, the later line. */
export function latestVotes(lines: readonly PolisVote[]): PolisVote[] {
  const latest = new Map<string, PolisVote>();
  for (const v of lines) {
    const key = `${v.participantSourceId}\u0000${v.statementSourceId}`;
    const had = latest.get(key);
    if (!had || v.at >= had.at) latest.set(key, v);
  }
  return [...latest.values()];
}

export async function parsePolisParticipantsVotes(text: string): Promise<PolisParticipant[]> {
  const f = 'participants-votes.csv';
  const { header, rows, col } = await table(f, text, ['participant', 'group-id', 'n-comments', 'n-votes', 'n-agree', 'n-disagree']);
  const fixed = ['participant', 'group-id', 'n-comments', 'n-votes', 'n-agree', 'n-disagree'].map(col);
  // comment columns: everything after the fixed ones (an export may also carry an xid column among them)
  const first = Math.max(...fixed) + 1;
  const commentCols = header.slice(first);
  const [pid, gid, nc, nv, na, nd] = fixed;
  return mapGivingWay(rows, (r, i) => {
    const votes: PolisParticipant['votes'] = [];
    for (let j = 0; j < commentCols.length; j++) {
      const cell = (r[first + j] ?? '').trim();
      if (cell !== '') votes.push({ statementSourceId: commentCols[j], value: voteValue(f, i + 2, cell) });
    }
    const g = (r[gid] ?? '').trim();
    return {
      sourceId: r[pid].trim(),
      groupId: g === '' ? null : integer(f, i + 2, 'group-id', g),
      nComments: integer(f, i + 2, 'n-comments', r[nc]),
      nVotes: integer(f, i + 2, 'n-votes', r[nv]),
      nAgree: integer(f, i + 2, 'n-agree', r[na]),
      nDisagree: integer(f, i + 2, 'n-disagree', r[nd]),
      votes,
    };
  });
}

export async function parsePolisSummary(text: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const r of (await records('summary.csv', text)).map(undefuseCells)) if (r[0] !== undefined && r[0].trim() !== '') out[r[0].trim()] = r[1] ?? '';
  return out;
}

/**
 * Compares participants-votes.csv with the latest votes of votes.csv cell by cell; flips the former in
 * place when most of the overlapping non-pass cells disagree in sign.
 */
export function matchParticipantsVotesSign(participants: PolisParticipant[], votes: readonly PolisVote[]): 'same' | 'flipped' | 'unknown' {
  const latest = new Map<string, VoteValue>();
  for (const v of votes) latest.set(`${v.participantSourceId}\u0000${v.statementSourceId}`, v.value);
  let same = 0;
  let opposite = 0;
  for (const p of participants) {
    for (const c of p.votes) {
      const v = latest.get(`${p.sourceId}\u0000${c.statementSourceId}`);
      if (v === undefined || v === 0 || c.value === 0) continue;
      if (v === c.value) same++;
      else opposite++;
    }
  }
  if (same === 0 && opposite === 0) return 'unknown';
  if (opposite <= same) return 'same';
  for (const p of participants) {
    for (const c of p.votes) c.value = -c.value as VoteValue;
    [p.nAgree, p.nDisagree] = [p.nDisagree, p.nAgree];
  }
  return 'flipped';
}

export async function parsePolisExport(files: PolisFiles): Promise<PolisExport> {
  const comments = await parsePolisComments(files.comments);
  const lines = await parsePolisVoteLines(files.votes);
  const votes = latestVotes(lines);
  const out: PolisExport = { comments, votes, voteLines: lines.length };
  if (files.participantsVotes !== undefined) {
    out.participants = await parsePolisParticipantsVotes(files.participantsVotes);
    out.participantsVotesSign = matchParticipantsVotesSign(out.participants, votes);
  }
  if (files.summary !== undefined) {
    out.summary = await parsePolisSummary(files.summary);
    const g = Number(out.summary.groups);
    if (out.summary.groups !== undefined && Number.isFinite(g)) out.groupCount = g;
  }
  return out;
}

// Writing ------------------------------------------------------------------------------------------------

/** Pol.is's files end lines with LF; the cells are Convene's (quoted where needed, formulas defused). */
const csv = (rows: (string | number | null | undefined)[][]) => rows.map((r) => csvLine(r, '\n')).join('');

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The datetime column as Pol.is writes it (Java's Date.toString), in UTC: "Sat Nov 17 05:09:36 UTC 2018". */
export function polisDatetime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

function tally(votes: readonly PolisVote[]) {
  const byStatement = new Map<string, { agree: number; disagree: number }>();
  for (const v of votes) {
    const t = byStatement.get(v.statementSourceId) ?? { agree: 0, disagree: 0 };
    if (v.value === 1) t.agree++;
    else if (v.value === -1) t.disagree++;
    byStatement.set(v.statementSourceId, t);
  }
  return byStatement;
}

/** comments.csv; agrees / disagrees are counted from `votes`. */
export function writePolisComments(comments: readonly PolisComment[], votes: readonly PolisVote[]): string {
  const t = tally(votes);
  return csv([
    ['timestamp', 'datetime', 'comment-id', 'author-id', 'agrees', 'disagrees', 'moderated', 'comment-body'],
    ...comments.map((c) => [c.createdAt, polisDatetime(c.createdAt), c.sourceId, c.authorSourceId, t.get(c.sourceId)?.agree ?? 0, t.get(c.sourceId)?.disagree ?? 0, c.moderated, c.body]),
  ]);
}

export function writePolisVotes(votes: readonly PolisVote[]): string {
  return csv([['timestamp', 'datetime', 'comment-id', 'voter-id', 'vote'], ...votes.map((v) => [v.at, polisDatetime(v.at), v.statementSourceId, v.participantSourceId, v.value])]);
}

/**
 * participants-votes.csv: one row per participant (in the order given), one column per comment (in the
 * order given), cells from the latest of `votes`, signs as in votes.csv (1 agree).
 */
export function writePolisParticipantsVotes(
  participants: readonly { sourceId: string; groupId: number | null }[],
  comments: readonly PolisComment[],
  votes: readonly PolisVote[],
): string {
  const latest = new Map<string, Map<string, VoteValue>>();
  for (const v of latestVotes(votes)) {
    let row = latest.get(v.participantSourceId);
    if (!row) latest.set(v.participantSourceId, (row = new Map()));
    row.set(v.statementSourceId, v.value);
  }
  const authored = new Map<string, number>();
  for (const c of comments) authored.set(c.authorSourceId, (authored.get(c.authorSourceId) ?? 0) + 1);
  const ids = comments.map((c) => c.sourceId);
  return csv([
    ['participant', 'group-id', 'n-comments', 'n-votes', 'n-agree', 'n-disagree', ...ids],
    ...participants.map((p) => {
      const row = latest.get(p.sourceId) ?? new Map<string, VoteValue>();
      let agree = 0;
      let disagree = 0;
      for (const v of row.values()) {
        if (v === 1) agree++;
        else if (v === -1) disagree++;
      }
      return [p.sourceId, p.groupId, authored.get(p.sourceId) ?? 0, row.size, agree, disagree, ...ids.map((id) => row.get(id))];
    }),
  ]);
}

/** summary.csv: key,value lines in Pol.is's order (keys not given are left out). */
export function writePolisSummary(summary: Record<string, string | number>): string {
  const order = ['topic', 'url', 'views', 'voters', 'voters-in-conv', 'commenters', 'comments', 'groups', 'conversation-description'];
  const keys = [...order.filter((k) => k in summary), ...Object.keys(summary).filter((k) => !order.includes(k))];
  return csv(keys.map((k) => [k, summary[k]]));
}

// To the analysis ---------------------------------------------------------------------------------------

/**
 * The analysis input for a parsed export: participants and statements numbered in ascending source-id
 * order, votes in time order, moderated-out (-1) comments excluded. `participantIds[i]` / `statementIds[j]`
 * map the indices back to the Pol.is ids.
 */
export function polisToOpinionInput(ex: PolisExport): { input: OpinionInput; participantIds: string[]; statementIds: string[] } {
  const byNumber = (a: string, b: string) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0);
  const statementIds = [...new Set([...ex.comments.map((c) => c.sourceId), ...ex.votes.map((v) => v.statementSourceId)])].sort(byNumber);
  const participantIds = [...new Set([...ex.votes.map((v) => v.participantSourceId), ...(ex.participants ?? []).map((p) => p.sourceId)])].sort(byNumber);
  const pIndex = new Map(participantIds.map((p, i) => [p, i]));
  const sIndex = new Map(statementIds.map((s, i) => [s, i]));
  const ordered = [...ex.votes].sort((a, b) => a.at - b.at);
  const participant = new Int32Array(ordered.length);
  const statement = new Int32Array(ordered.length);
  const value = new Int8Array(ordered.length);
  ordered.forEach((v, i) => {
    participant[i] = pIndex.get(v.participantSourceId)!;
    statement[i] = sIndex.get(v.statementSourceId)!;
    value[i] = v.value;
  });
  return {
    input: {
      participantCount: participantIds.length,
      statementCount: statementIds.length,
      votes: { participant, statement, value },
      excludedStatements: ex.comments.filter((c) => c.moderated === -1).map((c) => sIndex.get(c.sourceId)!),
    },
    participantIds,
    statementIds,
  };
}
