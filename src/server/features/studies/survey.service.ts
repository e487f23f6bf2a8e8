import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { AppError, type FieldError } from '../../core/errors.ts';
import { chooseLanguage, localized } from '../../public/language.ts';
import { addressKey, enforce } from '../../public/limits.ts';
import type { Limit, RateLimits } from '../../runtime/rate-limits.ts';
import type { LocalizedText } from '../dialogues/dialogues.schema.ts';
import type { SurveyAnswerInput, SurveyQuestionView, SurveyState, SurveyStep } from './survey.contract.ts';
import { blockAssignment, simpleAssignment } from './survey.assignment.ts';
import { newRespondentToken, respondentHash } from './survey.token.ts';
import { study, studyArm, studyInvite, studyPopulation, studyQuestion, studyResponse } from './studies.schema.ts';

// Answering a study's survey, for the JSON API and the public pages alike. A respondent is a study_response row
// found by the SHA-256 of the token in their cookie; nothing else about them is kept but their answers. The
// condition is assigned on the server when they consent and never changes.

export type SurveyLanguage = 'he' | 'ar' | 'en';
type StudyRow = typeof study.$inferSelect;
type PopulationRow = typeof studyPopulation.$inferSelect;
type ArmRow = typeof studyArm.$inferSelect;
type QuestionRow = typeof studyQuestion.$inferSelect;
type Role = 'covariate' | 'outcome' | 'attention';

export type SurveyContext = {
  /** the random part of the link, /s/{link} */
  link: string;
  study: StudyRow;
  population: PopulationRow;
  /** by position, then key: the order block randomization deals them in */
  arms: ArmRow[];
  /** covariates, outcomes, then the attention check; each by position */
  questions: QuestionRow[];
  /** the population's languages (those the study offers), in its order */
  languages: SurveyLanguage[];
};

export type Respondent = { id: string; armId: string; language: SurveyLanguage; status: string; tokenHash: string };

const ROLES: Role[] = ['covariate', 'outcome', 'attention'];
const STEP_OF: Record<Role, SurveyStep> = { covariate: 'covariates', outcome: 'outcomes', attention: 'attention' };
const STEP_ORDER: SurveyStep[] = ['consent', 'covariates', 'outcomes', 'attention', 'complete'];
const LANGS = ['he', 'ar', 'en'];

// ------------------------------------------------------------------------------------------------ limits

// Counted in the database (runtime/rate-limits.ts), so they hold across every app server on one database: starts
// per address (a keyed hash, never stored), answers per respondent.
export const SURVEY_LIMITS = {
  /** many respondents share an address (mobile carriers, a panel vendor's office): generous */
  starts: { name: 'survey.starts', max: 200, windowMs: 60 * 60_000 },
  /** a respondent posts four or five times; a script posting in a loop is stopped */
  answers: { name: 'survey.answers', max: 60, windowMs: 10 * 60_000 },
} as const satisfies Record<string, Limit>;

/** What answering a survey needs of the app's public runtime (public/runtime.ts): the rate limits. */
export type SurveyRuntime = { limits: RateLimits };

// ------------------------------------------------------------------------------------------------ the link

const invalid = (errors: FieldError[]) => new AppError('invalid', 'invalid_request', 'The request has invalid fields.', errors);

/** The study and population behind a survey link: 404 when unknown, 410 when withdrawn. Open or not is checked apart. */
export async function loadSurvey(db: Db, link: string): Promise<SurveyContext> {
  const [inv] = await db.select().from(studyInvite).where(eq(studyInvite.token, link)).limit(1);
  if (!inv) throw new AppError('not_found', 'survey_not_found', 'There is no survey at this link.');
  if (inv.revokedAt) throw new AppError('gone', 'survey_link_revoked', 'This survey link has been withdrawn.');
  const [[s], [population], arms, questions] = await Promise.all([
    db.select().from(study).where(eq(study.id, inv.studyId)).limit(1),
    db.select().from(studyPopulation).where(eq(studyPopulation.id, inv.populationId)).limit(1),
    db.select().from(studyArm).where(eq(studyArm.studyId, inv.studyId)).orderBy(asc(studyArm.position), asc(studyArm.key)),
    db.select().from(studyQuestion).where(eq(studyQuestion.studyId, inv.studyId)).orderBy(asc(studyQuestion.position), asc(studyQuestion.key)),
  ]);
  if (!s || !population) throw new AppError('not_found', 'survey_not_found', 'There is no survey at this link.');
  questions.sort((a, b) => ROLES.indexOf(a.role as Role) - ROLES.indexOf(b.role as Role));
  const offered = (population.languages.length ? population.languages : s.languages).filter((l) => LANGS.includes(l) && s.languages.includes(l));
  const languages = (offered.length ? offered : s.languages.filter((l) => LANGS.includes(l))) as SurveyLanguage[];
  return { link, study: s, population, arms, questions, languages: languages.length ? languages : ['en'] };
}

/** Draft: 404 (not yet); closed: 410 (no longer). */
export function requireOpen(ctx: Pick<SurveyContext, 'study'>) {
  if (ctx.study.status === 'open') return;
  if (ctx.study.status === 'closed') throw new AppError('gone', 'survey_closed', 'This survey has closed.');
  throw new AppError('not_found', 'survey_not_open', 'This survey is not open yet.');
}

/**
 * The rule for every respondent write (starting, answering), judged inside the transaction that stores it:
 * the study row and the link are locked FOR SHARE and read again, so staff closing the study or withdrawing the
 * link (an UPDATE of the same row) is either wholly before the write (refused: 410 survey_closed or
 * survey_link_revoked, nothing stored) or waits until the write is stored.
 */
async function requireOpenNow(tx: Db, ctx: SurveyContext): Promise<void> {
  const [s] = await tx.select({ status: study.status }).from(study).where(eq(study.id, ctx.study.id)).for('share');
  const [inv] = await tx.select({ revokedAt: studyInvite.revokedAt }).from(studyInvite).where(eq(studyInvite.token, ctx.link)).for('share');
  if (!s || !inv) throw new AppError('not_found', 'survey_not_found', 'There is no survey at this link.');
  if (inv.revokedAt) throw new AppError('gone', 'survey_link_revoked', 'This survey link has been withdrawn.');
  requireOpen({ study: { ...ctx.study, status: s.status } });
}

export function readerLanguage(ctx: SurveyContext, wanted: string | null | undefined): SurveyLanguage {
  return chooseLanguage(ctx.languages, wanted);
}

const questionsOf = (ctx: SurveyContext, role: Role) => ctx.questions.filter((q) => q.role === role);

// ------------------------------------------------------------------------------------------------ respondents

/** The respondent holding this token, if they answer this link's study and population. */
export async function respondentOf(db: Db, ctx: SurveyContext, token: string | null): Promise<Respondent | null> {
  if (!token) return null;
  const h = respondentHash(token);
  const [r] = await db
    .select({ id: studyResponse.id, armId: studyResponse.armId, language: studyResponse.language, status: studyResponse.status, studyId: studyResponse.studyId, populationId: studyResponse.populationId })
    .from(studyResponse)
    .where(eq(studyResponse.tokenHash, h))
    .limit(1);
  if (!r || r.studyId !== ctx.study.id || r.populationId !== ctx.population.id) return null;
  return { id: r.id, armId: r.armId, language: readerLanguage(ctx, r.language), status: r.status, tokenHash: h };
}

/**
 * Consenting: creates the response and assigns its condition, once. Someone who already holds a response
 * (the back button, a second tab, a resubmitted form) keeps theirs: `token` is then null.
 *
 * The population row is locked while the next sequence number is taken, so concurrent consents get distinct,
 * gap-free sequences and block randomization deals each block exactly once.
 */
export async function start(db: Db, rt: SurveyRuntime, ctx: SurveyContext, input: { language: string }, ip: string, existing: Respondent | null) {
  if (existing) return { token: null, respondent: existing };
  requireOpen(ctx);
  if (!ctx.languages.includes(input.language as SurveyLanguage)) throw invalid([{ field: 'body.language', detail: `Not a language of this survey (${ctx.languages.join(', ')})` }]);
  await enforce(rt.limits, SURVEY_LIMITS.starts, addressKey(rt.limits, ip), 'surveys started from this address');
  if (ctx.arms.length < 2 || !questionsOf(ctx, 'outcome').length) throw new AppError('conflict', 'survey_not_ready', 'This survey has no conditions or no outcome questions.');
  const token = newRespondentToken();
  const tokenHash = respondentHash(token);
  const { study: s, population: p, arms } = ctx;
  const row = await db.transaction(async (tx) => {
    await requireOpenNow(tx, ctx);
    await tx.select({ id: studyPopulation.id }).from(studyPopulation).where(eq(studyPopulation.id, p.id)).for('update');
    const [last] = await tx
      .select({ n: sql<number>`coalesce(max(${studyResponse.sequence}), 0)` })
      .from(studyResponse)
      .where(eq(studyResponse.populationId, p.id));
    const sequence = Number(last?.n ?? 0) + 1;
    const arm = arms[s.randomization === 'simple' ? simpleAssignment(arms.length) : blockAssignment(s.assignmentSeed, p.id, sequence, arms.length, Math.max(1, s.blockRepeats))]!;
    const [inserted] = await tx
      .insert(studyResponse)
      .values({ studyId: s.id, populationId: p.id, armId: arm.id, source: 'survey', language: input.language, status: 'consented', sequence, tokenHash })
      .returning({ id: studyResponse.id });
    return { id: inserted!.id, armId: arm.id };
  });
  return { token, respondent: { ...row, language: input.language as SurveyLanguage, status: 'consented', tokenHash } satisfies Respondent };
}

export async function setLanguage(db: Db, ctx: SurveyContext, r: Respondent, language: string): Promise<Respondent> {
  if (!ctx.languages.includes(language as SurveyLanguage)) throw invalid([{ field: 'body.language', detail: 'Not a language of this survey' }]);
  await db.update(studyResponse).set({ language }).where(eq(studyResponse.id, r.id));
  return { ...r, language: language as SurveyLanguage };
}

export function notStarted(): AppError {
  return new AppError('unauthenticated', 'survey_not_started', 'Start the survey first (POST …/start).');
}

// ------------------------------------------------------------------------------------------------ steps

function stepAfter(ctx: SurveyContext, answered: Set<string>): SurveyStep {
  for (const role of ROLES) if (questionsOf(ctx, role).some((q) => !answered.has(q.id))) return STEP_OF[role];
  return 'complete';
}

async function storedAnswers(db: Db, responseId: string): Promise<Record<string, number | string>> {
  const [row] = await db.select({ answers: studyResponse.answers }).from(studyResponse).where(eq(studyResponse.id, responseId));
  return row?.answers ?? {};
}

async function answeredIds(db: Db, responseId: string): Promise<Set<string>> {
  return new Set(Object.keys(await storedAnswers(db, responseId)));
}

export async function currentStep(db: Db, ctx: SurveyContext, r: Respondent | null): Promise<SurveyStep> {
  if (!r) return 'consent';
  if (r.status === 'complete') return 'complete';
  return stepAfter(ctx, await answeredIds(db, r.id));
}

// ------------------------------------------------------------------------------------------------ answers

export type ParsedAnswer = { question: QuestionRow; value: number | null; choice: string | null };
export type AnswerError = { index: number; key: string; field: string; detail: string };

const YES = new Set(['yes', 'true', '1']);
const NO = new Set(['no', 'false', '0']);

/** Checks each answer against its question's kind: a whole number within the scale, yes/no as 1/0, a choice among the options. */
export function validateAnswers(ctx: SurveyContext, answers: SurveyAnswerInput[]): { parsed: ParsedAnswer[]; errors: AnswerError[] } {
  const byKey = new Map(ctx.questions.map((q) => [q.key, q]));
  const parsed: ParsedAnswer[] = [];
  const errors: AnswerError[] = [];
  const seen = new Set<string>();
  answers.forEach((a, index) => {
    const err = (field: 'questionKey' | 'value' | 'choice', detail: string) => errors.push({ index, key: a.questionKey, field: `body.answers.${index}.${field}`, detail });
    const q = byKey.get(a.questionKey);
    if (!q) return err('questionKey', 'Not a question of this survey');
    if (seen.has(q.key)) return err('questionKey', 'Answered twice');
    seen.add(q.key);
    if (q.kind === 'scale') {
      const min = q.scaleMin ?? 1;
      const max = q.scaleMax ?? 7;
      if (typeof a.value !== 'number' || !Number.isInteger(a.value) || a.value < min || a.value > max) return err('value', `A whole number from ${min} to ${max}`);
      parsed.push({ question: q, value: a.value, choice: null });
    } else if (q.kind === 'yes_no') {
      const raw = a.value !== undefined ? String(a.value === true ? 1 : a.value === false ? 0 : a.value) : (a.choice ?? '').trim().toLowerCase();
      if (!YES.has(raw) && !NO.has(raw)) return err(a.value !== undefined ? 'value' : 'choice', 'Yes (1) or no (0)');
      parsed.push({ question: q, value: YES.has(raw) ? 1 : 0, choice: null });
    } else {
      if (!a.choice || !q.options.some((o) => o.id === a.choice)) return err('choice', `One of: ${q.options.map((o) => o.id).join(', ')}`);
      parsed.push({ question: q, value: null, choice: a.choice });
    }
  });
  return { parsed, errors };
}

function isCorrect(q: QuestionRow, a: { value: number | null; choice: string | null }): boolean {
  const want = (q.correctOption ?? '').trim().toLowerCase();
  if (q.kind === 'choice') return a.choice === q.correctOption;
  if (q.kind === 'yes_no') return a.value === (YES.has(want) ? 1 : NO.has(want) ? 0 : NaN);
  return a.value !== null && String(a.value) === want;
}

/**
 * Stores the answers of the current step (all of its questions at once) and moves on. One call may carry several
 * steps in order (covariates, then outcomes, then the attention check). A step already passed cannot be answered
 * again (409 survey_step_passed: covariates are pre-treatment, and outcomes are not revised after the check);
 * a later one not before its turn (409 survey_step_not_reached). All or nothing.
 * When the last step is stored the response is complete; attentionPassed says whether every attention
 * question was answered as its correctOption (null when the study has none).
 */
export async function answer(db: Db, rt: SurveyRuntime, ctx: SurveyContext, r: Respondent, answers: SurveyAnswerInput[]): Promise<SurveyStep> {
  requireOpen(ctx);
  await enforce(rt.limits, SURVEY_LIMITS.answers, rt.limits.key(`respondent:${r.id}`), 'answers');
  const { parsed, errors } = validateAnswers(ctx, answers);
  if (errors.length) throw invalid(errors.map(({ field, detail }) => ({ field, detail })));
  return db.transaction(async (tx) => {
    await requireOpenNow(tx, ctx);
    const [locked] = await tx.select({ status: studyResponse.status }).from(studyResponse).where(eq(studyResponse.id, r.id)).for('update');
    if (!locked) throw new AppError('not_found', 'survey_not_found', 'This response no longer exists.');
    const answered = await answeredIds(tx, r.id);
    let step: SurveyStep = locked.status === 'complete' ? 'complete' : stepAfter(ctx, answered);
    const stored: ParsedAnswer[] = [];
    for (const role of ROLES) {
      const group = parsed.filter((a) => a.question.role === role);
      if (!group.length) continue;
      const roleStep = STEP_OF[role];
      if (step !== roleStep) {
        if (STEP_ORDER.indexOf(roleStep) < STEP_ORDER.indexOf(step)) throw new AppError('conflict', 'survey_step_passed', `The ${roleStep} step is already answered; answers cannot change.`);
        throw new AppError('conflict', 'survey_step_not_reached', `Answer the ${step} step first.`);
      }
      const given = new Set(group.map((a) => a.question.id));
      const missing = questionsOf(ctx, role).filter((q) => !given.has(q.id));
      if (missing.length) throw invalid(missing.map((q) => ({ field: 'body.answers', detail: `Missing an answer to ${q.key}` })));
      // a number (scale, yes = 1 / no = 0) or a choice's id, by question id; the step is answered once
      const values = Object.fromEntries(group.map((a) => [a.question.id, a.value ?? a.choice ?? '']));
      await tx
        .update(studyResponse)
        .set({ answers: sql`${JSON.stringify(values)}::jsonb || ${studyResponse.answers}` })
        .where(eq(studyResponse.id, r.id));
      for (const a of group) answered.add(a.question.id);
      stored.push(...group);
      step = stepAfter(ctx, answered);
    }
    if (step === 'complete' && locked.status !== 'complete') {
      const checks = questionsOf(ctx, 'attention').filter((q) => q.correctOption !== null);
      let attentionPassed: boolean | null = null;
      if (checks.length) {
        const mine = await storedAnswers(tx, r.id);
        attentionPassed = checks.every((q) => {
          const a = mine[q.id];
          return a !== undefined && isCorrect(q, typeof a === 'number' ? { value: a, choice: null } : { value: null, choice: a });
        });
      }
      await tx.update(studyResponse).set({ status: 'complete', completedAt: new Date(), attentionPassed }).where(eq(studyResponse.id, r.id));
    }
    return step;
  });
}

// ------------------------------------------------------------------------------------------------ what the respondent sees

export function questionView(ctx: SurveyContext, q: QuestionRow, lang: string): SurveyQuestionView {
  const order = ctx.languages;
  const label = (t: LocalizedText | undefined) => (t ? localized(t, lang, order) || null : null);
  return {
    key: q.key,
    role: q.role as Role,
    kind: q.kind as SurveyQuestionView['kind'],
    prompt: localized(q.prompt, lang, order),
    scaleMin: q.kind === 'scale' ? (q.scaleMin ?? 1) : null,
    scaleMax: q.kind === 'scale' ? (q.scaleMax ?? 7) : null,
    scaleLabels: { min: label(q.scaleLabels.min), max: label(q.scaleLabels.max) },
    options: q.options.map((o) => ({ id: o.id, label: localized(o.label, lang, order) })),
  };
}

/** The assigned condition's text in the reader's language; null when it shows nothing (a silent control). */
export function messageText(ctx: SurveyContext, r: Respondent, lang: string): string | null {
  const arm = ctx.arms.find((a) => a.id === r.armId);
  if (!arm) return null;
  const text = localized(arm.text, lang, ctx.languages).trim();
  return text || null;
}

export function surveyState(ctx: SurveyContext, r: Respondent | null, step: SurveyStep, lang: SurveyLanguage): SurveyState {
  const role = ROLES.find((x) => STEP_OF[x] === step);
  const text = (t: LocalizedText) => localized(t, lang, ctx.languages) || null;
  return {
    step,
    language: lang,
    languages: ctx.languages,
    open: ctx.study.status === 'open',
    consent: step === 'consent' ? text(ctx.study.consent) : null,
    message: step === 'outcomes' && r ? { text: messageText(ctx, r, lang) } : null,
    questions: role ? questionsOf(ctx, role).map((q) => questionView(ctx, q, lang)) : [],
    thanks: step === 'complete' ? text(ctx.study.thanks) : null,
  };
}

/** The parts a respondent goes through, for "part 2 of 5": consent, covariates, the message, outcomes, the check. */
export function surveyParts(ctx: SurveyContext, _r: Respondent | null, _lang: string): ('consent' | 'covariates' | 'outcomes' | 'attention')[] {
  // the message (read before the outcome questions, by every arm but the control) is part of the outcomes' part:
  // counting it as a part of its own would give the control arm, who never sees one, a different count after
  // consenting ("Part 1 of 4", then "Part 2 of 3") than before, when nobody's arm is known yet
  const parts: ('consent' | 'covariates' | 'outcomes' | 'attention')[] = ['consent'];
  if (questionsOf(ctx, 'covariate').length) parts.push('covariates');
  parts.push('outcomes');
  if (questionsOf(ctx, 'attention').length) parts.push('attention');
  return parts;
}
