import { titleFromInput } from './dialogue-title.ts';
import { randomBytes } from 'node:crypto';
import { asc, eq, sql, type SQL } from 'drizzle-orm';
import { deleteInChunks } from '../../db/chunked.ts';
import { rows, type Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import { startRun, type Importer, type RunRow, type RunSummary } from '../imports/runs.ts';
import { detectLanguage } from '../../ai/language.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { computeAnalysis, importedOptions, importedPrevious, loadDialogueVotes, storeRunFitting } from './analysis.service.ts';
import { polisReplay, type PolisReplay } from './polis-replay.ts';
import type { DialogueLanguage } from './dialogues.contract.ts';
import { dialogue, dialogueParticipant, dialogueQuestion, dialogueSegment, dialogueSession, dialogueStatement, dialogueVote } from './dialogues.schema.ts';
import { researchReader, researchWriter } from '../../access/research.ts';
import { requireDialogue } from './dialogues.service.ts';
import { replayInclusion } from './math/inclusion.ts';
import {
  detectInclusion,
  detectMissingVotes,
  parsePolisExport,
  polisNumbering,
  polisOpinionInput,
  PolisFormatError,
  type PolisInclusion,
  type PolisMissingVotes,
  writePolisComments,
  writePolisParticipantsVotes,
  writePolisVotes,
  type PolisComment,
  type PolisExport,
  type PolisFiles,
  type PolisVote,
} from './polis-format.ts';

const BATCH = 1000;
const random = () => randomBytes(16).toString('hex');

export type PolisImportInput = {
  title: string;
  languages: DialogueLanguage[];
  files: PolisFiles;
  /** which of Pol.is's inclusion rules the analysis follows; detected from the export when not given (detectInclusion) */
  inclusion?: PolisInclusion;
  /** what the export's Pol.is math counted a missing vote as; detected when not given (detectMissingVotes) */
  missingVotes?: PolisMissingVotes;
};

/** Exports of at most this many participants, statements and votes in all are imported at once (201); larger by a job (202). */
export const SYNC_MAX_UNITS = 10_000;
const VOTE_BATCH = 5_000;

/** A parsed export in the order it is written: participants, statements (comment-id order), then votes. */
type PolisPlan = {
  ex: PolisExport;
  comments: PolisComment[];
  participantIds: string[];
  /** statements' times, made strictly increasing in comment-id order */
  times: number[];
  total: number;
  /** the inclusion rule the analysis follows, and for 'history' the Pol.is ids of the participants it keeps clustered */
  inclusion: PolisInclusion;
  inclusionDetected: boolean;
  inConv?: string[];
  /** the Pol.is math the export shows (detectMissingVotes) */
  missingVotes: 'mean' | 'zero';
};

const fieldOf = (file: string) => (file.startsWith('participants') ? 'participantsVotes' : file.startsWith('votes') ? 'votes' : file.startsWith('summary') ? 'summary' : 'comments');

async function planPolis(files: PolisFiles, chosen?: PolisInclusion, chosenMissing?: PolisMissingVotes): Promise<PolisPlan> {
  let ex: PolisExport;
  try {
    ex = await parsePolisExport(files);
  } catch (e) {
    if (e instanceof PolisFormatError) throw new AppError('unprocessable', 'polis_format', e.message, [{ field: `body.${fieldOf(e.file)}`, detail: e.message }]);
    throw e;
  }
  const known = new Set(ex.comments.map((c) => c.sourceId));
  const orphan = ex.votes.find((v) => !known.has(v.statementSourceId));
  if (orphan) {
    const file = ex.voteTimes ? 'votes.csv' : 'participants-votes.csv';
    throw new AppError('unprocessable', 'polis_format', `${file} names comment ${orphan.statementSourceId}, which comments.csv does not have.`, [
      { field: `body.${fieldOf(file)}`, detail: `Unknown comment-id ${orphan.statementSourceId}` },
    ]);
  }
  if (chosen === 'history' && !ex.voteTimes)
    throw new AppError('unprocessable', 'polis_history_needs_votes', 'The history inclusion rule replays votes.csv, which this export does not have.', [
      { field: 'body.inclusion', detail: 'Needs votes.csv' },
    ]);
  // participants and statements in Pol.is id order, whatever the order of the rows (polisNumbering)
  const { comments, participantIds } = polisNumbering(ex);
  let last = 0;
  const times = comments.map((c) => (last = Math.max(c.createdAt || 0, last + 1)));
  const inclusion = chosen ?? detectInclusion(ex);
  let inConv: string[] | undefined;
  if (inclusion === 'history') {
    const { input, history } = polisOpinionInput(ex);
    inConv = replayInclusion(input.participantCount, history).map((i) => participantIds[i]!);
  }
  const missingVotes = chosenMissing ?? detectMissingVotes(ex, inclusion);
  return { ex, comments, participantIds, times, total: participantIds.length + comments.length + ex.votes.length, inclusion, inclusionDetected: chosen === undefined, inConv, missingVotes };
}

/** The dialogue, its one closed session and its open question: what the rows hang off. */
async function createPolisDialogue(tx: Db, ctx: RequestContext, input: PolisImportInput, plan: PolisPlan) {
  const { ex } = plan;
  const [d] = await tx
    .insert(dialogue)
    .values({
      title: titleFromInput(input.title),
      description: ex.summary?.['conversation-description'] ?? ex.summary?.topic ?? null,
      languages: input.languages,
      moderation: 'post',
      // the number of groups comes from the votes alone: summary.csv's `groups` is kept for comparison, never read by the analysis
      analysisState: {
        polis: {
          inclusion: plan.inclusion,
          inclusionDetected: plan.inclusionDetected,
          ...(plan.inConv ? { inConv: plan.inConv } : {}),
          ...(plan.missingVotes === 'zero' ? { missingVotes: 'zero' as const } : {}),
          ...(ex.groupCount !== undefined ? { summaryGroups: ex.groupCount } : {}),
        },
      },
      createdBy: ctx.actor?.id ?? null,
    })
    .returning();
  const [session] = await tx.insert(dialogueSession).values({ dialogueId: d!.id, title: 'Pol.is', status: 'closed' }).returning();
  const [question] = await tx
    .insert(dialogueQuestion)
    .values({ sessionId: session!.id, dialogueId: d!.id, kind: 'open', prompt: { [input.languages[0]!]: ex.summary?.topic || input.title } })
    .returning();
  return { dialogueId: d!.id, questionId: question!.id };
}

type Target = { dialogueId: string; questionId: string; language: string; base: number };
type Maps = { participants?: Map<string, string>; statements?: Map<string, string> };

/**
 * Units [from, to) of the plan: participants (in Pol.is id order; created_at keeps that order for the analysis,
 * from `base`), then statements, then votes. Ids of rows written earlier (by an earlier chunk, or before a crash)
 * are read back by their Pol.is ids.
 */
async function writePolisUnits(tx: Db, plan: PolisPlan, t: Target, maps: Maps, from: number, to: number) {
  const P = plan.participantIds.length;
  const S = plan.comments.length;
  if (from < P) {
    const hi = Math.min(to, P);
    // Pol.is's group of each participant, shown beside Convene's (polis-comparison.ts); the analysis never reads it
    const polisGroup = new Map((plan.ex.participants ?? []).map((p) => [p.sourceId, p.groupId]));
    for (let i = from; i < hi; i += BATCH) {
      const chunk = plan.participantIds.slice(i, Math.min(hi, i + BATCH));
      await tx.insert(dialogueParticipant).values(
        chunk.map((sourceId, j) => ({
          dialogueId: t.dialogueId,
          language: t.language,
          tokenHash: random(),
          resumeHash: random(),
          sourceId,
          polisGroup: polisGroup.get(sourceId) ?? null,
          createdAt: new Date(t.base + i + j),
        })),
      );
    }
  }
  if (to > P && from < P + S) {
    maps.participants ??= await idsBySource(tx, sql`dialogue_participant`, t.dialogueId);
    const lo = Math.max(from, P) - P;
    const hi = Math.min(to, P + S) - P;
    for (let i = lo; i < hi; i += BATCH) {
      const chunk = plan.comments.slice(i, Math.min(hi, i + BATCH));
      await tx.insert(dialogueStatement).values(
        chunk.map((c, j) => {
          const lang = detectLanguage(c.body);
          return {
            questionId: t.questionId,
            dialogueId: t.dialogueId,
            participantId: maps.participants!.get(c.authorSourceId) ?? null,
            body: c.body.slice(0, 5000) || '—',
            language: lang === 'other' ? t.language : lang,
            status: c.moderated === -1 ? 'rejected' : c.moderated === 1 ? 'accepted' : 'pending',
            sourceId: c.sourceId,
            createdAt: new Date(plan.times[i + j]!),
          };
        }),
      );
    }
  }
  if (to > P + S) {
    maps.participants ??= await idsBySource(tx, sql`dialogue_participant`, t.dialogueId);
    maps.statements ??= await idsBySource(tx, sql`dialogue_statement`, t.dialogueId);
    const lo = Math.max(from, P + S) - P - S;
    const hi = to - P - S;
    for (let i = lo; i < hi; i += VOTE_BATCH) {
      await tx.insert(dialogueVote).values(
        plan.ex.votes.slice(i, Math.min(hi, i + VOTE_BATCH)).map((v) => ({
          participantId: maps.participants!.get(v.participantSourceId)!,
          statementId: maps.statements!.get(v.statementSourceId)!,
          dialogueId: t.dialogueId,
          value: v.value,
          votedAt: new Date(v.at || Date.now()),
        })),
      );
    }
  }
}

async function idsBySource(tx: Db, table: SQL, dialogueId: string): Promise<Map<string, string>> {
  const found = await rows<{ id: string; source_id: string }>(tx, sql`SELECT id, source_id FROM ${table} WHERE dialogue_id = ${dialogueId} AND source_id IS NOT NULL`);
  return new Map(found.map((r) => [r.source_id, r.id]));
}

/**
 * Stores the history replayed at the import (polis-replay.ts) with the dialogue, once its rows are written: as
 * analysis_state.polis.replay (what the command line, the exports and a first analysis start from) and as its run
 * (what live analysis continues from). The participants and statements it counted are those just written.
 */
async function storeReplay(tx: Db, dialogueId: string, replay: PolisReplay | undefined) {
  if (!replay) return;
  const last = async (table: SQL) => {
    const [r] = await rows<{ n: number; last: string | null }>(
      tx,
      sql`SELECT (SELECT count(*)::int FROM ${table} WHERE dialogue_id = ${dialogueId}) AS n,
                 (SELECT id FROM ${table} WHERE dialogue_id = ${dialogueId} ORDER BY created_at DESC, id DESC LIMIT 1) AS last`,
    );
    return r!;
  };
  const p = await last(sql`dialogue_participant`);
  const s = await last(sql`dialogue_statement`);
  const run = storeRunFitting(replay.run, { participants: p.n, lastParticipant: p.last, statements: s.n, lastStatement: s.last });
  const stored = { updates: replay.updates, updateMs: replay.updateMs, run };
  await tx
    .update(dialogue)
    .set({
      analysisState: sql`jsonb_set(${dialogue.analysisState}, '{polis,replay}', ${JSON.stringify(stored)}::jsonb) || jsonb_build_object('runs', jsonb_build_object('all', ${JSON.stringify(run)}::jsonb))`,
    })
    .where(eq(dialogue.id, dialogueId));
}

function importedAudit(input: { title: string }, dialogueId: string, plan: PolisPlan, replay?: PolisReplay) {
  return {
    action: 'dialogue.import_polis',
    entityType: 'dialogue',
    entityId: dialogueId,
    detail: {
      title: input.title,
      statements: plan.comments.length,
      participants: plan.participantIds.length,
      votes: plan.ex.votes.length,
      voteLines: plan.ex.voteLines,
      inclusion: plan.inclusion,
      inclusionDetected: plan.inclusionDetected,
      missingVotes: plan.missingVotes,
      ...(replay ? { replayUpdates: replay.updates, replayUpdateMs: replay.updateMs } : {}),
    },
  };
}

/**
 * A Pol.is export folder as a dialogue: one closed session with one open question; comments become
 * statements (moderated -1 rejected, 1 accepted, 0 pending) keeping their comment-id; every voter and author
 * becomes an anonymous participant keeping their Pol.is id; the latest vote of each pair stands. Statements
 * and participants are numbered in ascending Pol.is id order, as Pol.is's math numbers them. The files are
 * checked whole first (422, nothing written). A small export is then written in one transaction; a larger one
 * (more than SYNC_MAX_UNITS participants, statements and votes) by a background job in short transactions: the
 * dialogue exists at once and fills in; a run that fails deletes it.
 */
export async function importPolis(
  db: Db,
  ctx: RequestContext,
  input: PolisImportInput,
  jobs: Jobs | null = null,
): Promise<{ id: string; statements: number; participants: number; votes: number; run?: RunSummary }> {
  const plan = await planPolis(input.files, input.inclusion, input.missingVotes);
  const counts = { statements: plan.comments.length, participants: plan.participantIds.length, votes: plan.ex.votes.length };
  const base = Date.now() - plan.participantIds.length;
  if (jobs && plan.total > SYNC_MAX_UNITS) {
    return db.transaction(async (tx) => {
      const { dialogueId, questionId } = await createPolisDialogue(tx, ctx, input, plan);
      const run = await startRun(tx, ctx, jobs, {
        kind: 'polis',
        target: dialogueId,
        input: { title: input.title, languages: input.languages, files: input.files, inclusion: input.inclusion, missingVotes: input.missingVotes, questionId, base },
        total: plan.total,
      });
      return { id: dialogueId, ...counts, run };
    });
  }
  // the history, replayed before the transaction (seconds of computing on a large conversation, no rows held)
  const replay = polisReplay(plan.ex, plan.inclusion, plan.missingVotes);
  return db.transaction(async (tx) => {
    const { dialogueId, questionId } = await createPolisDialogue(tx, ctx, input, plan);
    await writePolisUnits(tx, plan, { dialogueId, questionId, language: input.languages[0]!, base }, {}, 0, plan.total);
    await storeReplay(tx, dialogueId, replay);
    await recordAudit(tx, ctx, importedAudit(input, dialogueId, plan, replay));
    return { id: dialogueId, ...counts };
  });
}

export async function importPolisChecked(db: Db, ctx: RequestContext, input: PolisImportInput, jobs: Jobs | null) {
  researchWriter(ctx);
  return importPolis(db, ctx, input, jobs);
}

type PolisRunInput = { title: string; languages: DialogueLanguage[]; files: PolisFiles; inclusion?: PolisInclusion; missingVotes?: PolisMissingVotes; questionId: string; base: number };
type PolisPrepared = PolisPlan & { target: Target; maps: Maps; input: PolisRunInput; replay?: PolisReplay };

/** Deletes a dialogue whose votes may be many: the votes in short transactions first, then the rest at once. */
export async function deleteDialogueRows(db: Db, dialogueId: string): Promise<number> {
  const removed = await deleteInChunks(db, sql`dialogue_vote`, sql`dialogue_id = ${dialogueId}`);
  await db.delete(dialogue).where(eq(dialogue.id, dialogueId));
  return removed;
}

/** A Pol.is export as a run: participants, statements, votes, a chunk per transaction, into the dialogue made at the request. */
export const polisImporter: Importer<PolisPrepared> = {
  chunk: 2_000,
  async prepare(db, run, ctx) {
    researchWriter(ctx);
    const input = run.input as unknown as PolisRunInput;
    await requireDialogue(db, run.target);
    const plan = await planPolis(input.files, input.inclusion, input.missingVotes);
    const replay = polisReplay(plan.ex, plan.inclusion, plan.missingVotes);
    return { ...plan, replay, input, maps: {}, target: { dialogueId: run.target, questionId: input.questionId, language: input.languages[0]!, base: input.base } };
  },
  async write(tx, _run, prep, _ctx, from, to) {
    await requireDialogue(tx, prep.target.dialogueId);
    await writePolisUnits(tx, prep, prep.target, prep.maps, from, to);
    return { created: to - from };
  },
  async finish(tx, _run, prep, ctx) {
    await storeReplay(tx, prep.target.dialogueId, prep.replay);
    await recordAudit(tx, ctx, importedAudit(prep.input, prep.target.dialogueId, prep, prep.replay));
    return { id: prep.target.dialogueId, statements: prep.comments.length, participants: prep.participantIds.length, votes: prep.ex.votes.length };
  },
  async undo(db, run) {
    const [d] = await db.select({ id: dialogue.id }).from(dialogue).where(eq(dialogue.id, run.target));
    if (!d) return { dialogueDeleted: false };
    await deleteDialogueRows(db, run.target);
    return { dialogueDeleted: true };
  },
};

type ExportData = { comments: PolisComment[]; votes: PolisVote[]; participants: { sourceId: string; groupId: number | null }[] };

/**
 * The dialogue in Pol.is's format. Imported statements and participants keep their Pol.is ids; others are
 * numbered after them. Participant ids in an export are pseudonyms: nothing links them to anyone.
 */
async function exportData(db: Db, dialogueId: string): Promise<ExportData> {
  const data = await loadDialogueVotes(db, dialogueId);
  const segments = await db.select().from(dialogueSegment).where(eq(dialogueSegment.dialogueId, dialogueId)).orderBy(asc(dialogueSegment.position));
  const d = await requireDialogue(db, dialogueId);
  const { opinions } = computeAnalysis(
    data,
    segments.map((s) => ({ id: s.id, key: s.key, name: s.name as Record<string, string> })),
    importedPrevious(d.analysisState, data),
    importedOptions(d.analysisState),
  );
  const nextId = (taken: (string | null)[]) => {
    let n = Math.max(-1, ...taken.map((t) => (t && /^\d+$/.test(t) ? Number(t) : -1)));
    return () => String(++n);
  };
  const newParticipantId = nextId(data.participants.map((p) => p.sourceId));
  const pid = data.participants.map((p) => p.sourceId ?? newParticipantId());
  const newStatementId = nextId(data.statements.map((s) => s.sourceId));
  const sid = data.statements.map((s) => s.sourceId ?? newStatementId());
  const participantOf = new Map(data.participants.map((p, i) => [p.id, i]));
  const authors = await rows<{ id: string; participant_id: string | null; created_at: Date | string }>(
    db,
    sql`SELECT id, participant_id, created_at FROM dialogue_statement WHERE dialogue_id = ${dialogueId}`,
  );
  const authorOf = new Map(authors.map((a) => [a.id, a]));
  const times = await rows<{ p: string; s: string; at: Date | string }>(db, sql`SELECT participant_id AS p, statement_id AS s, voted_at AS at FROM dialogue_vote WHERE dialogue_id = ${dialogueId}`);
  const statementIndex = new Map(data.statements.map((s, i) => [s.id, i]));
  const at = new Map(times.map((t) => [`${participantOf.get(t.p)}:${statementIndex.get(t.s)}`, new Date(t.at).getTime()]));
  const comments = data.statements.map((s, i) => {
    const a = authorOf.get(s.id);
    const author = a?.participant_id ? participantOf.get(a.participant_id) : undefined;
    return {
      sourceId: sid[i]!,
      authorSourceId: author === undefined ? '' : pid[author]!,
      body: s.body,
      moderated: (s.status === 'rejected' ? -1 : s.status === 'accepted' ? 1 : 0) as -1 | 0 | 1,
      createdAt: a ? new Date(a.created_at).getTime() : 0,
    };
  });
  const { participant, statement, value } = data.votes;
  const votes: PolisVote[] = [];
  for (let i = 0; i < participant.length; i++) {
    votes.push({
      statementSourceId: sid[statement[i]!]!,
      participantSourceId: pid[participant[i]!]!,
      value: value[i] as 1 | -1 | 0,
      at: at.get(`${participant[i]}:${statement[i]}`) ?? 0,
    });
  }
  votes.sort((a, b) => a.at - b.at);
  const groupOf = new Map(opinions.participants.map((p) => [p.participant, p.group >= 0 ? p.group : null]));
  return { comments, votes, participants: data.participants.map((_, i) => ({ sourceId: pid[i]!, groupId: groupOf.get(i) ?? null })) };
}

export const POLIS_FILES = ['comments.csv', 'votes.csv', 'participants-votes.csv'] as const;
export type PolisFileName = (typeof POLIS_FILES)[number];

export async function exportPolisFile(db: Db, ctx: RequestContext, dialogueId: string, file: PolisFileName): Promise<string> {
  researchReader(ctx);
  await requireDialogue(db, dialogueId);
  const ex = await exportData(db, dialogueId);
  if (file === 'comments.csv') return writePolisComments(ex.comments, ex.votes);
  if (file === 'votes.csv') return writePolisVotes(ex.votes);
  return writePolisParticipantsVotes(ex.participants, ex.comments, ex.votes);
}
