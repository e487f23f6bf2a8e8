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
  /**
   * one per participant and comment: the latest by timestamp (of equal timestamps with different votes, the
   * highest value: agree over pass over disagree, so the row order of the file never matters), sorted by
   * participant id then comment id (numerically). Without votes.csv: participants-votes.csv's cells, timed
   * at their comment's timestamp (the time of the vote is not in the export).
   */
  votes: PolisVote[];
  /** vote lines in votes.csv, superseded ones included (without votes.csv: the cells of participants-votes.csv) */
  voteLines: number;
  /** votes.csv was given: the votes carry their time, and the history of the conversation can be replayed */
  voteTimes: boolean;
  /** every line of votes.csv, superseded ones included, sorted by (timestamp, participant id, comment id, value); empty without votes.csv */
  history: PolisVote[];
  /** when participants-votes.csv was given */
  participants?: PolisParticipant[];
  /** how participants-votes.csv's signs compare with votes.csv's: 'same', 'flipped' (and corrected), or 'unknown' (no overlap) */
  participantsVotesSign?: 'same' | 'flipped' | 'unknown';
  /** summary.csv's key/value lines, when given */
  summary?: Record<string, string>;
  /** summary.csv's `groups`, when given: for display and comparison only, never an input to the clustering */
  groupCount?: number;
};

export type PolisFiles = {
  comments: string;
  /** absent in some exports: participants-votes.csv then holds each participant's final votes */
  votes?: string;
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
  if (missing.length)
    throw new PolisFormatError(file, `line 1: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (is this a Pol.is export? its header is "${header.slice(0, 8).join(',').slice(0, 120)}")`);
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

/** Pol.is numbers its groups from 0 (at most a handful) */
function groupId(file: string, line: number, text: string): number {
  const n = integer(file, line, 'group-id', text);
  if (!Number.isInteger(n) || n < 0 || n > 1000) throw new PolisFormatError(file, `line ${line}: group-id "${text}" is not a group number`);
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

/** Pol.is ids in numeric order (ids that are not numbers after those, by code point). */
export function byPolisId(a: string, b: string): number {
  const x = idNumber(a);
  const y = idNumber(b);
  return x !== y ? (x < y ? -1 : 1) : a < b ? -1 : a > b ? 1 : 0;
}

/** A Pol.is id's number (Infinity when it is not all digits); no regular expression: sorts call it millions of times. */
function idNumber(id: string): number {
  if (id.length === 0 || id.length > 15) return Infinity;
  let n = 0;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return Infinity;
    n = n * 10 + c;
  }
  return n;
}

/**
 * The order of vote lines that does not depend on the file: by timestamp, then participant id, comment id
 * (numerically), then value (disagree, pass, agree), so that of two votes of a pair at the same millisecond
 * the agree is taken as the later.
 */
export function byVoteTime(a: PolisVote, b: PolisVote): number {
  return a.at - b.at || byPolisId(a.participantSourceId, b.participantSourceId) || byPolisId(a.statementSourceId, b.statementSourceId) || a.value - b.value;
}

/**
 * One vote per participant and statement: the latest by timestamp stands; of equal timestamps, the highest
 * value (agree over pass over disagree), whatever the order of the lines. Sorted by participant id, then
 * comment id.
 */
export function latestVotes(lines: readonly PolisVote[]): PolisVote[] {
  const latest = new Map<string, PolisVote>();
  for (const v of lines) {
    const key = `${v.participantSourceId}\u0000${v.statementSourceId}`;
    const had = latest.get(key);
    if (!had || v.at > had.at || (v.at === had.at && v.value > had.value)) latest.set(key, v);
  }
  return [...latest.values()].sort((a, b) => byPolisId(a.participantSourceId, b.participantSourceId) || byPolisId(a.statementSourceId, b.statementSourceId));
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
      groupId: g === '' ? null : groupId(f, i + 2, g),
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

/**
 * Without votes.csv there is nothing to compare participants-votes.csv's signs with but comments.csv's
 * agrees / disagrees (every vote line, superseded ones included, so at least the final counts): the sign
 * under which the cells' agree and disagree counts lie closer to those columns wins; it is flipped in place
 * when that is the opposite one.
 */
export function matchParticipantsVotesSignToComments(participants: PolisParticipant[], comments: readonly PolisComment[], agreesOf: ReadonlyMap<string, { agrees: number; disagrees: number }>): 'same' | 'flipped' | 'unknown' {
  const cells = new Map<string, { plus: number; minus: number }>();
  for (const p of participants) {
    for (const c of p.votes) {
      const t = cells.get(c.statementSourceId) ?? { plus: 0, minus: 0 };
      if (c.value === 1) t.plus++;
      else if (c.value === -1) t.minus++;
      cells.set(c.statementSourceId, t);
    }
  }
  let same = 0;
  let opposite = 0;
  for (const c of comments) {
    const t = cells.get(c.sourceId);
    const a = agreesOf.get(c.sourceId);
    if (!t || !a) continue;
    same += Math.abs(a.agrees - t.plus) + Math.abs(a.disagrees - t.minus);
    opposite += Math.abs(a.agrees - t.minus) + Math.abs(a.disagrees - t.plus);
  }
  if (same === opposite) return 'unknown';
  if (same < opposite) return 'same';
  for (const p of participants) {
    for (const c of p.votes) c.value = -c.value as VoteValue;
    [p.nAgree, p.nDisagree] = [p.nDisagree, p.nAgree];
  }
  return 'flipped';
}

/** comments.csv's agrees / disagrees columns, when it has them. */
async function commentTallies(text: string): Promise<Map<string, { agrees: number; disagrees: number }>> {
  const [header, ...rows] = await records('comments.csv', text);
  const names = (header ?? []).map((h) => h.trim().toLowerCase());
  const [id, a, d] = ['comment-id', 'agrees', 'disagrees'].map((n) => names.indexOf(n));
  const out = new Map<string, { agrees: number; disagrees: number }>();
  if (id < 0 || a < 0 || d < 0) return out;
  for (const r of rows) {
    const agrees = Number(r[a]);
    const disagrees = Number(r[d]);
    if (Number.isFinite(agrees) && Number.isFinite(disagrees)) out.set((r[id] ?? '').trim(), { agrees, disagrees });
  }
  return out;
}

export async function parsePolisExport(files: PolisFiles): Promise<PolisExport> {
  const comments = await parsePolisComments(files.comments);
  let out: PolisExport;
  if (files.votes !== undefined) {
    const lines = await parsePolisVoteLines(files.votes);
    const votes = latestVotes(lines);
    out = { comments, votes, voteLines: lines.length, voteTimes: true, history: [...lines].sort(byVoteTime) };
    if (files.participantsVotes !== undefined) {
      out.participants = await parsePolisParticipantsVotes(files.participantsVotes);
      out.participantsVotesSign = matchParticipantsVotesSign(out.participants, votes);
    }
  } else {
    if (files.participantsVotes === undefined) throw new PolisFormatError('votes.csv', 'the export has neither votes.csv nor participants-votes.csv: there are no votes to import');
    const participants = await parsePolisParticipantsVotes(files.participantsVotes);
    const sign = matchParticipantsVotesSignToComments(participants, comments, await commentTallies(files.comments));
    const at = new Map(comments.map((c) => [c.sourceId, c.createdAt]));
    const votes: PolisVote[] = [];
    for (const p of participants) for (const c of p.votes) votes.push({ participantSourceId: p.sourceId, statementSourceId: c.statementSourceId, value: c.value, at: at.get(c.statementSourceId) ?? 0 });
    out = { comments, votes: latestVotes(votes), voteLines: votes.length, voteTimes: false, history: [], participants, participantsVotesSign: sign };
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

/** The export as the math's input, numbered as the import numbers it (polisOpinionInput), with the ids of both sides. */
export function polisToOpinionInput(ex: PolisExport): { input: OpinionInput; participantIds: string[]; statementIds: string[] } {
  const { input, participantIds, comments } = polisOpinionInput(ex);
  return { input, participantIds, statementIds: comments.map((c) => c.sourceId) };
}

// Numbering ----------------------------------------------------------------------------------------------

/**
 * How an import numbers a conversation for the math, whatever the order of the rows in its files: statements by
 * comment-id, participants by participant id (numerically; byPolisId), participants being every voter, every author
 * and every row of participants-votes.csv. The import writes them in this order (created_at follows it), and
 * loadDialogueVotes numbers them by (created_at, id): the same indices.
 */
export function polisNumbering(ex: PolisExport): { comments: PolisComment[]; participantIds: string[] } {
  const comments = [...ex.comments].sort((a, b) => byPolisId(a.sourceId, b.sourceId));
  const participantIds = [
    ...new Set([...ex.votes.map((v) => v.participantSourceId), ...comments.map((c) => c.authorSourceId), ...(ex.participants ?? []).map((p) => p.sourceId)]),
  ].sort(byPolisId);
  return { comments, participantIds };
}

/** The export as the math's input, numbered as polisNumbering does (moderated-out comments excluded). */
export function polisOpinionInput(ex: PolisExport): { participantIds: string[]; comments: PolisComment[]; input: OpinionInput; history: { participant: number; statement: number }[] } {
  const { comments, participantIds } = polisNumbering(ex);
  const pIndex = new Map(participantIds.map((id, i) => [id, i]));
  const sIndex = new Map(comments.map((c, i) => [c.sourceId, i]));
  const participant = new Int32Array(ex.votes.length);
  const statement = new Int32Array(ex.votes.length);
  const value = new Int8Array(ex.votes.length);
  ex.votes.forEach((v, i) => {
    participant[i] = pIndex.get(v.participantSourceId)!;
    statement[i] = sIndex.get(v.statementSourceId) ?? -1;
    value[i] = v.value;
  });
  const history = ex.history.map((v) => ({ participant: pIndex.get(v.participantSourceId)!, statement: sIndex.get(v.statementSourceId) ?? -1 }));
  return {
    participantIds,
    comments,
    history,
    input: {
      participantCount: participantIds.length,
      statementCount: comments.length,
      votes: { participant, statement, value },
      excludedStatements: comments.flatMap((c, i) => (c.moderated === -1 ? [i] : [])),
    },
  };
}

/**
 * What Pol.is's math counted a missing vote as when it computed the groups an export shows. Since October 2017
 * (compdemocracy/polis commit 90b5b9e6, 2017-10-21, "Use column/comment averages instead of 0s for missing votes";
 * conversation.clj :mat) a statement's mean vote; before, 0 (pca.ts powerIterationPca). An export that shows its
 * conversation's history (detectInclusion 'history': the stored math state, updated as votes arrived) carries the
 * math of the time its votes came in: 'zero' when its last vote is before that commit. An export clustered on its
 * final votes ('votes') was recomputed when it was made, by newer math: 'mean'; so is one without votes.csv.
 */
export type PolisMissingVotes = 'mean' | 'zero';
export const POLIS_MEAN_IMPUTATION_SINCE = Date.UTC(2017, 9, 22);

export function detectMissingVotes(ex: PolisExport, inclusion: PolisInclusion): PolisMissingVotes {
  if (inclusion !== 'history' || !ex.voteTimes || ex.history.length === 0) return 'mean';
  let last = -Infinity;
  for (const v of ex.history) if (v.at > last) last = v.at;
  return last < POLIS_MEAN_IMPUTATION_SINCE ? 'zero' : 'mean';
}

/** The options of analyzeOpinions that follow an imported conversation's Pol.is math (nothing for today's). */
export function polisMathOptions(missingVotes: PolisMissingVotes | undefined): { pca?: 'power'; missingVotes?: PolisMissingVotes } {
  return missingVotes === 'zero' ? { pca: 'power', missingVotes: 'zero' } : {};
}

/** Which of Pol.is's inclusion rules (who is clustered) an analysis of the conversation follows; see math/inclusion.ts. */
export type PolisInclusion = 'votes' | 'history';
export const POLIS_INCLUSIONS = ['votes', 'history'] as const;

/**
 * The inclusion rule an export shows. Pol.is clusters whoever has voted on min(7, comments with votes) comments,
 * topping up to 15, and keeps whoever was once in (conversation.clj :in-conv). When the export's group-id column
 * shows a participant clustered with fewer final votes than that, the clustered set carried the conversation's
 * history: 'history' (replayed from votes.csv's timestamps; without votes.csv there is no history to replay, and
 * the rule on final votes is the nearest). Otherwise the export was clustered on its final votes: 'votes'. With 15
 * or fewer clustered the greedy top-up explains anyone, so 'votes'. Only whether a participant has a group-id is
 * read, never which group.
 */
export function detectInclusion(ex: PolisExport): PolisInclusion {
  if (!ex.voteTimes || !ex.participants) return 'votes';
  const columns = new Set(ex.votes.map((v) => v.statementSourceId)).size;
  const threshold = Math.min(7, columns);
  const count = new Map<string, number>();
  for (const v of ex.votes) count.set(v.participantSourceId, (count.get(v.participantSourceId) ?? 0) + 1);
  const clustered = ex.participants.filter((p) => p.groupId !== null);
  if (clustered.length <= 15) return 'votes';
  return clustered.some((p) => (count.get(p.sourceId) ?? 0) < threshold) ? 'history' : 'votes';
}
