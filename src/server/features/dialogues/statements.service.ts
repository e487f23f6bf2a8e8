import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { decodeCursor, paginate } from '../../core/pagination.ts';
import { AppError } from '../../core/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { isUuid, notFound } from '../../core/errors.ts';
import type { StatementTranslator } from './deps.ts';
import type { Statement } from './dialogues.contract.ts';
import { dialogueStatement, dialogueVote } from './dialogues.schema.ts';
import { researchReader, researchWriter } from '../../access/research.ts';
import { requireDialogue, requireQuestion } from './dialogues.service.ts';
import { putHumanTranslation, translateStatements, translationsOf, type RequestTranslations } from './translations.service.ts';

type StatementRow = typeof dialogueStatement.$inferSelect;

async function toDtos(db: Db, rows: StatementRow[]): Promise<Statement[]> {
  const ids = rows.map((r) => r.id);
  const [translations, counts] = [
    await translationsOf(db, ids),
    ids.length
      ? await db
          .select({
            id: dialogueVote.statementId,
            agree: sql<number>`count(*) FILTER (WHERE ${dialogueVote.value} = 1)`.mapWith(Number),
            disagree: sql<number>`count(*) FILTER (WHERE ${dialogueVote.value} = -1)`.mapWith(Number),
            pass: sql<number>`count(*) FILTER (WHERE ${dialogueVote.value} = 0)`.mapWith(Number),
          })
          .from(dialogueVote)
          .where(inArray(dialogueVote.statementId, ids))
          .groupBy(dialogueVote.statementId)
      : [],
  ];
  return rows.map((r) => {
    const c = counts.find((x) => x.id === r.id);
    return {
      id: r.id,
      questionId: r.questionId,
      segmentId: r.segmentId,
      seed: r.seed,
      body: r.body,
      language: r.language,
      status: r.status as Statement['status'],
      rejectReason: r.rejectReason,
      translations: translations.get(r.id) ?? [],
      sourceId: r.sourceId,
      agree: c?.agree ?? 0,
      disagree: c?.disagree ?? 0,
      pass: c?.pass ?? 0,
      createdAt: r.createdAt.toISOString(),
    };
  });
}

/** A dialogue's statements for staff (the moderation queue with status=pending), oldest first. */
export async function listStatements(db: Db, ctx: RequestContext, dialogueId: string, q: { questionId?: string; status?: string; limit: number; cursor?: string }) {
  researchReader(ctx);
  await requireDialogue(db, dialogueId);
  const after = decodeCursor(q.cursor, 2, ([t, id]) => typeof t === 'string' && typeof id === 'string' && isUuid(id));
  if (q.questionId && !isUuid(q.questionId)) return { items: [], nextCursor: null };
  const rows = await db
    .select()
    .from(dialogueStatement)
    .where(
      and(
        eq(dialogueStatement.dialogueId, dialogueId),
        q.questionId ? eq(dialogueStatement.questionId, q.questionId) : undefined,
        q.status ? eq(dialogueStatement.status, q.status) : undefined,
        after ? sql`(${dialogueStatement.createdAt}, ${dialogueStatement.id}) > (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined,
      ),
    )
    .orderBy(asc(dialogueStatement.createdAt), asc(dialogueStatement.id))
    .limit(q.limit + 1);
  const page = paginate(rows, q.limit, (r) => [r.createdAt.toISOString(), r.id]);
  return { items: await toDtos(db, page.items), nextCursor: page.nextCursor };
}

async function requireStatement(db: Db, id: string, lock = false) {
  if (!isUuid(id)) throw notFound('statement');
  const query = db.select().from(dialogueStatement).where(eq(dialogueStatement.id, id));
  const [s] = lock ? await query.for('update') : await query;
  if (!s) throw notFound('statement');
  return s;
}

export async function getStatement(db: Db, ctx: RequestContext, id: string): Promise<Statement> {
  researchReader(ctx);
  const [dto] = await toDtos(db, [await requireStatement(db, id)]);
  return dto!;
}

/** A seed statement written by staff: accepted at once. */
export async function createSeed(
  db: Db,
  ctx: RequestContext,
  questionId: string,
  input: { body: string; language: string },
  translate: RequestTranslations,
): Promise<Statement> {
  const actor = researchWriter(ctx);
  const row = await db.transaction(async (tx) => {
    const q = await requireQuestion(tx, questionId);
    if (q.kind !== 'open') throw new AppError('conflict', 'not_an_open_question', 'Only an open question has statements.');
    const d = await requireDialogue(tx, q.dialogueId);
    if (!d.languages.includes(input.language))
      throw new AppError('invalid', 'language_not_in_dialogue', 'The statement must be in one of the dialogue’s languages.', [{ field: 'body.language', detail: `One of ${d.languages.join(', ')}` }]);
    const [s] = await tx
      .insert(dialogueStatement)
      .values({ questionId, dialogueId: q.dialogueId, seed: true, body: input.body, language: input.language, status: 'accepted', createdBy: actor.id })
      .returning();
    await recordAudit(tx, ctx, { action: 'dialogue.statement.seed', entityType: 'dialogue_statement', entityId: s!.id, detail: { dialogueId: q.dialogueId, questionId } });
    // translated in the background (a job that exists only if the statement does)
    if (translate) await translate(tx, [s!.id]);
    return s!;
  });
  const [dto] = await toDtos(db, [row]);
  return dto!;
}

/** Accept or reject; a rejected statement is never shown to participants (and its votes leave the analysis). */
export async function moderateStatement(db: Db, ctx: RequestContext, id: string, input: { decision: 'accept' | 'reject'; reason?: string }): Promise<Statement> {
  const actor = researchWriter(ctx);
  const row = await db.transaction(async (tx) => {
    const before = await requireStatement(tx, id, true);
    const status = input.decision === 'accept' ? 'accepted' : 'rejected';
    const [s] = await tx
      .update(dialogueStatement)
      .set({ status, rejectReason: status === 'rejected' ? (input.reason ?? null) : null, moderatedBy: actor.id, moderatedAt: new Date() })
      .where(eq(dialogueStatement.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: `dialogue.statement.${input.decision}`,
      entityType: 'dialogue_statement',
      entityId: id,
      detail: { dialogueId: before.dialogueId, before: before.status, reason: input.reason ?? null },
    });
    return s!;
  });
  const [dto] = await toDtos(db, [row]);
  return dto!;
}

export async function setHumanTranslation(db: Db, ctx: RequestContext, id: string, language: string, body: string): Promise<Statement> {
  const actor = researchWriter(ctx);
  await db.transaction(async (tx) => {
    const s = await requireStatement(tx, id, true);
    const d = await requireDialogue(tx, s.dialogueId);
    if (!d.languages.includes(language) || language === s.language)
      throw new AppError('invalid', 'language_not_in_dialogue', 'Translate into another of the dialogue’s languages.', [
        { field: 'param.language', detail: `One of ${d.languages.filter((l) => l !== s.language).join(', ')}` },
      ]);
    await putHumanTranslation(tx, id, language, body, actor.id);
    await recordAudit(tx, ctx, { action: 'dialogue.statement.translate', entityType: 'dialogue_statement', entityId: id, detail: { language, source: 'human' } });
  });
  return getStatement(db, ctx, id);
}

/** Asks the AI provider now for the missing translations of a dialogue's statements (all, or those given). */
export async function translateMissing(db: Db, ctx: RequestContext, dialogueId: string, ai: StatementTranslator | null): Promise<{ translated: number }> {
  researchWriter(ctx);
  await requireDialogue(db, dialogueId);
  if (!ai) throw new AppError('conflict', 'ai_not_configured', 'No AI provider is configured (CONVENE_AI_BASE_URL); enter translations by hand.');
  const ids = (
    await db
      .select({ id: dialogueStatement.id })
      .from(dialogueStatement)
      .where(and(eq(dialogueStatement.dialogueId, dialogueId), sql`${dialogueStatement.status} <> 'rejected'`))
  ).map((r) => r.id);
  let translated = 0;
  try {
    for (let i = 0; i < ids.length; i += 50) translated += await translateStatements(db, ai, ids.slice(i, i + 50));
  } catch (e) {
    throw new AppError('unavailable', 'ai_unavailable', `The AI provider did not answer: ${(e as Error).message}`.slice(0, 300));
  }
  await db.transaction((tx) => recordAudit(tx, ctx, { action: 'dialogue.translate', entityType: 'dialogue', entityId: dialogueId, detail: { translated } }));
  return { translated };
}
