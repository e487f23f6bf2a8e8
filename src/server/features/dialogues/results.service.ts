import { randomUUID } from 'node:crypto';
import { and, asc, count, desc, eq, ne, sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import type { AiProvider } from '../../ai/provider.ts';
import { keywordThemes } from '../../ai/keyword-themes.ts';
import type { RequestContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { translate } from '../../../i18n/catalogs.ts';
import type { Locale } from '../../../i18n/locales.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { BOM, csvLine, type Cell } from '../imports/csv.ts';
import { isUuid, notFound } from '../../core/errors.ts';
import { getAnalysis } from './analysis.service.ts';
import type { DialogueLanguage } from './dialogues.contract.ts';
import { dialogueQuestion, dialogueSegment, dialogueSession, dialogueStatement, dialogueSummary } from './dialogues.schema.ts';
import { researchReader, researchWriter } from '../../access/research.ts';
import { requireDialogue, requireQuestion } from './dialogues.service.ts';
import { wilsonInterval } from './math/stats.ts';
import { translationsOf } from './translations.service.ts';

// ------------------------------------------------------------------------------------------------ polls

/** A poll's answers, for everyone and per segment: choice counts with Wilson intervals, or the scale's mean with a t interval. */
export async function pollResults(db: Db, ctx: RequestContext, questionId: string) {
  researchReader(ctx);
  const q = await requireQuestion(db, questionId);
  if (q.kind !== 'poll' || !q.pollMode) throw new AppError('conflict', 'not_a_poll', 'This question is not a poll.');
  const segments = await db.select().from(dialogueSegment).where(eq(dialogueSegment.dialogueId, q.dialogueId)).orderBy(asc(dialogueSegment.position));
  const answers = await rows<{ segment_id: string | null; choices: string[]; scale: number | null }>(
    db,
    sql`SELECT p.segment_id, a.choices, a.scale FROM dialogue_poll_answer a JOIN dialogue_participant p ON p.id = a.participant_id WHERE a.question_id = ${questionId}`,
  );
  const optionIds = q.pollMode === 'scale' ? Array.from({ length: (q.scaleMax ?? 5) - (q.scaleMin ?? 1) + 1 }, (_, i) => String((q.scaleMin ?? 1) + i)) : q.options.map((o) => o.id);
  const summarise = (segmentId: string | null, list: typeof answers) => {
    const n = list.length;
    const counts = new Map(optionIds.map((id) => [id, 0]));
    let sum = 0;
    let sumSq = 0;
    for (const a of list) {
      if (q.pollMode === 'scale') {
        if (a.scale === null) continue;
        counts.set(String(a.scale), (counts.get(String(a.scale)) ?? 0) + 1);
        sum += a.scale;
        sumSq += a.scale * a.scale;
      } else for (const c of a.choices ?? []) if (counts.has(c)) counts.set(c, counts.get(c)! + 1);
    }
    const mean = q.pollMode === 'scale' && n > 0 ? sum / n : null;
    const sd = mean !== null && n > 1 ? Math.sqrt((sumSq - n * mean * mean) / (n - 1)) : null;
    // 1.96 is close enough for the interval of a mean on a handful of answers or more; with fewer, no interval
    const half = sd !== null && n >= 5 ? (1.96 * sd) / Math.sqrt(n) : null;
    return {
      segmentId,
      respondents: n,
      options: optionIds.map((id) => {
        const c = counts.get(id) ?? 0;
        const w = n ? wilsonInterval(c, n) : null;
        return { id, count: c, rate: n ? c / n : null, low: w?.low ?? null, high: w?.high ?? null };
      }),
      mean,
      meanLow: mean !== null && half !== null ? mean - half : null,
      meanHigh: mean !== null && half !== null ? mean + half : null,
    };
  };
  return {
    questionId,
    pollMode: q.pollMode as 'single' | 'multiple' | 'scale',
    groups: [summarise(null, answers), ...segments.map((s) => summarise(s.id, answers.filter((a) => a.segment_id === s.id)))],
  };
}

// ------------------------------------------------------------------------------------------------ summaries

type SummaryRow = typeof dialogueSummary.$inferSelect;

async function summaryDtos(db: Db, list: SummaryRow[]) {
  const validation = list.length
    ? await db
        .select({ id: dialogueQuestion.id, summaryId: dialogueQuestion.summaryId })
        .from(dialogueQuestion)
        .where(sql`${dialogueQuestion.summaryId} IN ${list.map((s) => s.id)}`)
    : [];
  return list.map((s) => ({
    id: s.id,
    questionId: s.questionId,
    segmentId: s.segmentId,
    method: s.method as 'ai' | 'keywords',
    language: s.language,
    model: s.model,
    themes: s.themes,
    validationQuestionId: validation.find((v) => v.summaryId === s.id)?.id ?? null,
    createdAt: s.createdAt.toISOString(),
  }));
}

export async function listSummaries(db: Db, ctx: RequestContext, questionId: string) {
  researchReader(ctx);
  await requireQuestion(db, questionId);
  const list = await db.select().from(dialogueSummary).where(eq(dialogueSummary.questionId, questionId)).orderBy(desc(dialogueSummary.createdAt));
  return { items: await summaryDtos(db, list) };
}

/**
 * Themes of an open question's statements (one segment's, or everyone's), in the language asked, each
 * citing the statements it rests on. With an AI provider it writes them; without one (or when it fails)
 * a keyword grouping is made instead, labelled as such (method 'keywords').
 */
export async function createSummary(
  db: Db,
  ctx: RequestContext,
  questionId: string,
  input: { segmentId: string | null; language: DialogueLanguage; maxThemes: number },
  ai: AiProvider | null,
) {
  const actor = researchWriter(ctx);
  const q = await requireQuestion(db, questionId);
  if (q.kind !== 'open') throw new AppError('conflict', 'not_an_open_question', 'Only an open question has statements to summarise.');
  if (input.segmentId !== null) {
    const [seg] = isUuid(input.segmentId)
      ? await db.select().from(dialogueSegment).where(and(eq(dialogueSegment.id, input.segmentId), eq(dialogueSegment.dialogueId, q.dialogueId)))
      : [];
    if (!seg) throw new AppError('unprocessable', 'segment_not_found', 'No such segment in this dialogue.', [{ field: 'body.segmentId', detail: 'No such segment in this dialogue' }]);
  }
  const statements = await db
    .select({ id: dialogueStatement.id, body: dialogueStatement.body, language: dialogueStatement.language })
    .from(dialogueStatement)
    .where(
      and(
        eq(dialogueStatement.questionId, questionId),
        ne(dialogueStatement.status, 'rejected'),
        input.segmentId ? eq(dialogueStatement.segmentId, input.segmentId) : undefined,
      ),
    )
    .orderBy(asc(dialogueStatement.createdAt));
  if (statements.length === 0) throw new AppError('conflict', 'no_statements', 'There are no statements to summarise yet.');
  // each statement in the summary's language where a translation exists, so themes group across languages
  const translations = await translationsOf(db, statements.map((s) => s.id));
  const texts = statements.map((s) => ({
    id: s.id,
    text: s.language === input.language ? s.body : (translations.get(s.id)?.find((t) => t.language === input.language)?.body ?? s.body),
  }));
  const prompt = (q.prompt as Record<string, string>)[input.language] ?? Object.values(q.prompt as Record<string, string>)[0] ?? '';

  let method: 'ai' | 'keywords' = 'keywords';
  let model: string | null = null;
  let themes: { title: string; summary: string; statementIds: string[] }[];
  try {
    if (!ai) throw new Error('no provider');
    // a small local model cannot take thousands of statements at once: the most recent 400 are enough for themes
    themes = await ai.summarizeThemes({ question: prompt, language: input.language, statements: texts.slice(-400), maxThemes: input.maxThemes });
    method = 'ai';
    model = ai.describe().model;
  } catch {
    themes = keywordThemes(texts, { maxThemes: input.maxThemes }).map((t) => ({ title: t.title, summary: t.summary, statementIds: t.statementIds }));
  }
  return db.transaction(async (tx) => {
    const [s] = await tx
      .insert(dialogueSummary)
      .values({ questionId, segmentId: input.segmentId, method, language: input.language, model, themes, createdBy: actor.id })
      .returning();
    await recordAudit(tx, ctx, { action: 'dialogue.summary.create', entityType: 'dialogue', entityId: q.dialogueId, detail: { summaryId: s!.id, method, themes: themes.length } });
    const [dto] = await summaryDtos(tx, [s!]);
    return dto!;
  });
}

/** The answers of a validation poll; their labels are participate.validation.<id> in the catalogs. */
const VALIDATION_OPTIONS = ['yes', 'partly', 'no'] as const;

/** Asks a session's participants whether a summary reflects their view (a single-choice poll; results per segment). */
export async function createValidationPoll(db: Db, ctx: RequestContext, summaryId: string, sessionId: string) {
  researchWriter(ctx);
  return db.transaction(async (tx) => {
    const [s] = isUuid(summaryId) ? await tx.select().from(dialogueSummary).where(eq(dialogueSummary.id, summaryId)) : [];
    if (!s) throw notFound('summary');
    const q = await requireQuestion(tx, s.questionId);
    const [session] = isUuid(sessionId)
      ? await tx.select().from(dialogueSession).where(and(eq(dialogueSession.id, sessionId), eq(dialogueSession.dialogueId, q.dialogueId)))
      : [];
    if (!session) throw new AppError('unprocessable', 'dialogue_session_not_found', 'No such session in this dialogue.', [{ field: 'body.sessionId', detail: 'No such session in this dialogue' }]);
    const [existing] = await tx.select({ id: dialogueQuestion.id }).from(dialogueQuestion).where(eq(dialogueQuestion.summaryId, summaryId));
    if (existing) throw new AppError('conflict', 'validation_exists', 'This summary already has a validation poll.');
    const d = await requireDialogue(tx, q.dialogueId);
    const themeList = s.themes.map((t, i) => `${i + 1}. ${t.title}`).join('\n');
    const prompt = Object.fromEntries(d.languages.map((l) => [l, `${translate(l as Locale, 'participate.validation.prompt')}\n${themeList}`]));
    const [{ n }] = (await tx.select({ n: count() }).from(dialogueQuestion).where(eq(dialogueQuestion.sessionId, sessionId))) as [{ n: number }];
    const [created] = await tx
      .insert(dialogueQuestion)
      .values({
        sessionId,
        dialogueId: q.dialogueId,
        kind: 'poll',
        pollMode: 'single',
        prompt,
        options: VALIDATION_OPTIONS.map((id) => ({ id, label: Object.fromEntries(d.languages.map((l) => [l, translate(l as Locale, `participate.validation.${id}`)])) })),
        summaryId,
        position: Number(n),
      })
      .returning();
    await recordAudit(tx, ctx, { action: 'dialogue.summary.validation', entityType: 'dialogue', entityId: q.dialogueId, detail: { summaryId, questionId: created!.id } });
    return { questionId: created!.id, dialogueId: q.dialogueId };
  });
}

// ------------------------------------------------------------------------------------------------ exports

/** Figures to four decimals; the cell itself is written by Convene's one CSV writer (quoting, formulas defused). */
function figure(v: string | number | boolean | null | undefined): Cell {
  return typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(4) : v;
}

/** Statements with their figures overall and per segment, one row each (UTF-8 with a byte-order mark for Excel). */
export async function statementsCsv(db: Db, ctx: RequestContext, dialogueId: string): Promise<string> {
  const a = await getAnalysis(db, ctx, dialogueId);
  const segHeads = a.segments.flatMap((s) => ['agree', 'disagree', 'pass', 'agree_rate', 'agree_low', 'agree_high'].map((k) => `${s.key}_${k}`));
  const header = ['statement_id', 'polis_id', 'language', 'status', 'seed', 'author_segment', 'body', 'agree', 'disagree', 'pass', 'agree_rate', 'agree_low', 'agree_high', ...segHeads, 'group_consensus', 'segment_consensus', 'bridging', 'divisive', 'divisiveness'];
  const keyOf = new Map(a.segments.map((s) => [s.id, s.key]));
  const lines = a.statements.map((s) =>
    [
      s.id,
      s.sourceId,
      s.language,
      s.status,
      s.seed,
      s.segmentId ? keyOf.get(s.segmentId) : '',
      s.body,
      s.overall.agree,
      s.overall.disagree,
      s.overall.pass,
      s.overall.agreeRate,
      s.overall.agreeLow,
      s.overall.agreeHigh,
      ...s.bySegment.flatMap((t) => [t.agree, t.disagree, t.pass, t.agreeRate, t.agreeLow, t.agreeHigh]),
      s.groupConsensus,
      s.segmentConsensus,
      s.bridging,
      s.divisive,
      s.divisiveness,
    ].map(figure),
  );
  return BOM + csvLine(header) + lines.map((l) => csvLine(l)).join('');
}
