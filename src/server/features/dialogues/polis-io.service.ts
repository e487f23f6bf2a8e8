import { titleFromInput } from './dialogue-title.ts';
import { randomBytes } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import type { RequestContext } from '../../http/context.ts';
import { AppError } from '../../http/problem.ts';
import { detectLanguage } from '../../ai/language.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { computeAnalysis, loadDialogueVotes } from './analysis.service.ts';
import type { DialogueLanguage } from './dialogues.contract.ts';
import { dialogue, dialogueParticipant, dialogueQuestion, dialogueSegment, dialogueSession, dialogueStatement, dialogueVote } from './dialogues.schema.ts';
import { requireDialogue, researchReader, researchWriter } from './dialogues.service.ts';
import { settledKSmoother } from './math/opinion-groups.ts';
import {
  parsePolisExport,
  PolisFormatError,
  writePolisComments,
  writePolisParticipantsVotes,
  writePolisVotes,
  type PolisComment,
  type PolisFiles,
  type PolisVote,
} from './polis-format.ts';

const BATCH = 1000;
const byNumber = (a: string, b: string) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0);
const random = () => randomBytes(16).toString('hex');

export type PolisImportInput = { title: string; languages: DialogueLanguage[]; files: PolisFiles };

/**
 * A Pol.is export folder as a dialogue: one closed session with one open question; comments become
 * statements (moderated -1 rejected, 1 accepted, 0 pending) keeping their comment-id; every voter and author
 * becomes an anonymous participant keeping their Pol.is id; the latest vote of each pair stands. Statements
 * and participants are numbered in ascending Pol.is id order, as Pol.is's math numbers them. One transaction.
 */
export async function importPolis(db: Db, ctx: RequestContext, input: PolisImportInput): Promise<{ id: string; statements: number; participants: number; votes: number }> {
  let ex;
  try {
    ex = parsePolisExport(input.files);
  } catch (e) {
    if (e instanceof PolisFormatError) {
      const field = e.file.startsWith('participants') ? 'participantsVotes' : e.file.startsWith('votes') ? 'votes' : e.file.startsWith('summary') ? 'summary' : 'comments';
      throw new AppError('unprocessable', 'polis_format', e.message, [{ field: `body.${field}`, detail: e.message }]);
    }
    throw e;
  }
  const comments = [...ex.comments].sort((a, b) => byNumber(a.sourceId, b.sourceId));
  const known = new Set(comments.map((c) => c.sourceId));
  const orphan = ex.votes.find((v) => !known.has(v.statementSourceId));
  if (orphan)
    throw new AppError('unprocessable', 'polis_format', `votes.csv names comment ${orphan.statementSourceId}, which comments.csv does not have.`, [
      { field: 'body.votes', detail: `Unknown comment-id ${orphan.statementSourceId}` },
    ]);
  const participantIds = [
    ...new Set([...ex.votes.map((v) => v.participantSourceId), ...comments.map((c) => c.authorSourceId), ...(ex.participants ?? []).map((p) => p.sourceId)]),
  ].sort(byNumber);

  return db.transaction(async (tx) => {
    const [d] = await tx
      .insert(dialogue)
      .values({
        title: titleFromInput(input.title),
        description: ex.summary?.['conversation-description'] ?? ex.summary?.topic ?? null,
        languages: input.languages,
        moderation: 'post',
        // Pol.is changes its number of groups only after a new one wins several runs in a row: continue from the one it showed
        analysisState: ex.groupCount ? { kSmoother: settledKSmoother(ex.groupCount) } : {},
        createdBy: ctx.actor?.id ?? null,
      })
      .returning();
    const [session] = await tx.insert(dialogueSession).values({ dialogueId: d!.id, title: 'Pol.is', status: 'closed' }).returning();
    const [question] = await tx
      .insert(dialogueQuestion)
      .values({ sessionId: session!.id, dialogueId: d!.id, kind: 'open', prompt: { [input.languages[0]!]: ex.summary?.topic || input.title } })
      .returning();

    // participants in Pol.is id order (created_at keeps that order for the analysis)
    const base = Date.now() - participantIds.length;
    const participantUuid = new Map<string, string>();
    for (let i = 0; i < participantIds.length; i += BATCH) {
      const chunk = participantIds.slice(i, i + BATCH);
      const inserted = await tx
        .insert(dialogueParticipant)
        .values(chunk.map((sourceId, j) => ({ dialogueId: d!.id, language: input.languages[0]!, tokenHash: random(), resumeHash: random(), sourceId, createdAt: new Date(base + i + j) })))
        .returning({ id: dialogueParticipant.id, sourceId: dialogueParticipant.sourceId });
      for (const p of inserted) participantUuid.set(p.sourceId!, p.id);
    }

    // statements in comment-id order, with their own times made strictly increasing in that order
    const statementUuid = new Map<string, string>();
    let last = 0;
    const times = comments.map((c) => (last = Math.max(c.createdAt || 0, last + 1)));
    for (let i = 0; i < comments.length; i += BATCH) {
      const chunk = comments.slice(i, i + BATCH);
      const inserted = await tx
        .insert(dialogueStatement)
        .values(
          chunk.map((c, j) => {
            const lang = detectLanguage(c.body);
            return {
              questionId: question!.id,
              dialogueId: d!.id,
              participantId: participantUuid.get(c.authorSourceId) ?? null,
              body: c.body.slice(0, 5000) || '—',
              language: lang === 'other' ? input.languages[0]! : lang,
              status: c.moderated === -1 ? 'rejected' : c.moderated === 1 ? 'accepted' : 'pending',
              sourceId: c.sourceId,
              createdAt: new Date(times[i + j]!),
            };
          }),
        )
        .returning({ id: dialogueStatement.id, sourceId: dialogueStatement.sourceId });
      for (const s of inserted) statementUuid.set(s.sourceId!, s.id);
    }

    for (let i = 0; i < ex.votes.length; i += BATCH * 5) {
      await tx.insert(dialogueVote).values(
        ex.votes.slice(i, i + BATCH * 5).map((v) => ({
          participantId: participantUuid.get(v.participantSourceId)!,
          statementId: statementUuid.get(v.statementSourceId)!,
          dialogueId: d!.id,
          value: v.value,
          votedAt: new Date(v.at || Date.now()),
        })),
      );
    }
    await recordAudit(tx, ctx, {
      action: 'dialogue.import_polis',
      entityType: 'dialogue',
      entityId: d!.id,
      detail: { title: input.title, statements: comments.length, participants: participantIds.length, votes: ex.votes.length, voteLines: ex.voteLines },
    });
    return { id: d!.id, statements: comments.length, participants: participantIds.length, votes: ex.votes.length };
  });
}

export async function importPolisChecked(db: Db, ctx: RequestContext, input: PolisImportInput) {
  researchWriter(ctx);
  return importPolis(db, ctx, input);
}

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
    d.analysisState.kSmoother ? { kSmoother: d.analysisState.kSmoother } : undefined,
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
