import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { deleteInChunks } from '../../db/chunked.ts';
import { inOrder, rows, type Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { decodeCursor, paginate } from '../../core/pagination.ts';
import { AppError, type FieldError } from '../../core/errors.ts';
import { authorize } from '../../access/roles.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { researchReader, researchWriter } from '../../access/research.ts';
import { isUuid, notFound } from '../../core/errors.ts';
import type {
  ArmInput,
  CreateStudyInput,
  PopulationInput,
  QuestionInput,
  Study,
  StudyLanguage,
  StudyText,
  UpdateArmInput,
  UpdatePopulationInput,
  UpdateQuestionInput,
  UpdateStudyInput,
} from './studies.contract.ts';
import { study, studyArm, studyInvite, studyPopulation, studyQuestion, studyResponse } from './studies.schema.ts';

type Tx = Db;
type StudyRow = typeof study.$inferSelect;
type QuestionRow = typeof studyQuestion.$inferSelect;

export { researchReader, researchWriter };

const LANGUAGE_NAMES: Record<string, string> = { he: 'Hebrew', ar: 'Arabic', en: 'English' };

export function surveyUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/s/${token}`;
}

/** Drops empty strings so that "no text in Arabic" is stored as a missing key, not as "". */
export function cleanText(text: StudyText | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(text ?? {}).filter(([, v]) => typeof v === 'string' && v.trim() !== '')) as Record<string, string>;
}

function invalid(errors: FieldError[], message = 'The study has invalid fields.'): never {
  throw new AppError('invalid', 'invalid_study', message, errors);
}

/** Each language of `languages` the text lacks, as a field error on `<field>.<language>`. */
function requireLanguages(errors: FieldError[], text: StudyText | Record<string, string> | undefined, languages: readonly string[], field: string, reader: string) {
  const t = cleanText(text);
  for (const l of languages) if (!t[l]) errors.push({ field: `${field}.${l}`, detail: `Required in ${LANGUAGE_NAMES[l] ?? l} (${reader})` });
}

/**
 * A staff-facing name (a population's): one language is enough, the others show it (the pages fall back to another
 * language); the error names the first language the population reads.
 */
function requireSomeLanguage(errors: FieldError[], text: StudyText | Record<string, string> | undefined, languages: readonly string[], field: string) {
  const t = cleanText(text);
  if (!Object.keys(t).length) errors.push({ field: `${field}.${languages[0] ?? 'en'}`, detail: 'Required in at least one language' });
}

function duplicateKeys(errors: FieldError[], keys: string[], field: (i: number) => string) {
  keys.forEach((k, i) => {
    if (keys.indexOf(k) !== i) errors.push({ field: field(i), detail: 'Already used in this study' });
  });
}

/** One question's own rules: scale bounds, choice options, the attention check's answer, texts in every study language. */
function checkQuestion(errors: FieldError[], q: QuestionInput, languages: readonly string[], at: string) {
  requireLanguages(errors, q.prompt, languages, `${at}.prompt`, 'every language of the study');
  if (q.kind === 'scale') {
    if (q.scaleMin === undefined) errors.push({ field: `${at}.scaleMin`, detail: 'Required for a scale (0–10)' });
    if (q.scaleMax === undefined) errors.push({ field: `${at}.scaleMax`, detail: 'Required for a scale (0–10)' });
    if (q.scaleMin !== undefined && q.scaleMax !== undefined && q.scaleMin >= q.scaleMax) errors.push({ field: `${at}.scaleMax`, detail: 'Must be greater than scaleMin' });
    for (const end of ['min', 'max'] as const) {
      const label = q.scaleLabels?.[end];
      if (label && Object.keys(cleanText(label)).length) requireLanguages(errors, label, languages, `${at}.scaleLabels.${end}`, 'every language of the study');
    }
  } else if (q.scaleMin !== undefined || q.scaleMax !== undefined) {
    errors.push({ field: `${at}.${q.scaleMin !== undefined ? 'scaleMin' : 'scaleMax'}`, detail: 'Only a scale has a range' });
  }
  if (q.kind === 'choice') {
    const options = q.options ?? [];
    if (options.length < 2) errors.push({ field: `${at}.options`, detail: 'A choice needs at least two options' });
    duplicateKeys(errors, options.map((o) => o.id), (i) => `${at}.options.${i}.id`);
    options.forEach((o, i) => requireLanguages(errors, o.label, languages, `${at}.options.${i}.label`, 'every language of the study'));
  } else if (q.options?.length) {
    errors.push({ field: `${at}.options`, detail: 'Only a choice has options' });
  }
  if (q.role === 'attention') {
    if (q.kind !== 'choice') errors.push({ field: `${at}.kind`, detail: 'An attention check is a choice' });
    else if (!q.correctOption) errors.push({ field: `${at}.correctOption`, detail: 'Required: the id of the right option' });
    else if (!(q.options ?? []).some((o) => o.id === q.correctOption)) errors.push({ field: `${at}.correctOption`, detail: 'Must be one of the option ids' });
  } else if (q.correctOption) {
    errors.push({ field: `${at}.correctOption`, detail: 'Only an attention check has a right answer' });
  }
  if (q.role === 'outcome' && q.kind === 'choice') errors.push({ field: `${at}.kind`, detail: 'An outcome is a scale or yes/no (it is analysed as a number)' });
  if (q.primary && q.role !== 'outcome') errors.push({ field: `${at}.primary`, detail: 'Only an outcome can be primary' });
}

/** The index of the primary outcome: the one marked, else the first outcome. */
function primaryIndex(errors: FieldError[], questions: QuestionInput[], at: (i: number) => string): number {
  const marked = questions.flatMap((q, i) => (q.primary ? [i] : []));
  if (marked.length > 1) errors.push({ field: `${at(marked[1])}.primary`, detail: 'Only one outcome is primary' });
  if (marked.length) return marked[0];
  return questions.findIndex((q) => q.role === 'outcome');
}

function checkArms(errors: FieldError[], arms: ArmInput[], languages: readonly string[]) {
  const controls = arms.flatMap((a, i) => (a.control ? [i] : []));
  if (controls.length === 0) errors.push({ field: 'body.arms', detail: 'Mark exactly one arm as the control' });
  if (controls.length > 1) errors.push({ field: `body.arms.${controls[1]}.control`, detail: 'Only one arm is the control' });
  duplicateKeys(errors, arms.map((a) => a.key), (i) => `body.arms.${i}.key`);
  arms.forEach((a, i) => {
    // a control may show nothing; whatever it shows is in every language
    if (a.control && Object.keys(cleanText(a.text)).length === 0) return;
    requireLanguages(errors, a.text, languages, `body.arms.${i}.text`, 'every language of the study');
  });
}

function checkPopulation(errors: FieldError[], p: PopulationInput | (UpdatePopulationInput & { languages: StudyLanguage[] }), languages: readonly string[], at: string) {
  p.languages.forEach((l, i) => {
    if (!languages.includes(l)) errors.push({ field: `${at}.languages.${i}`, detail: `Not a language of the study (${languages.join(', ')})` });
  });
  if (p.name) requireSomeLanguage(errors, p.name, p.languages, `${at}.name`);
}

function checkStudyTexts(errors: FieldError[], input: { consent?: StudyText; thanks?: StudyText }, languages: readonly string[]) {
  for (const f of ['consent', 'thanks'] as const) {
    const text = input[f];
    if (text && Object.keys(cleanText(text)).length) requireLanguages(errors, text, languages, `body.${f}`, 'every language of the study');
  }
}

// ------------------------------------------------------------------------------------------------ reading

export async function loadStudyRow(db: Tx, id: string, lock = false): Promise<StudyRow | undefined> {
  if (!isUuid(id)) return undefined;
  const q = db.select().from(study).where(eq(study.id, id));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function requireStudy(db: Tx, id: string, lock = false): Promise<StudyRow> {
  const row = await loadStudyRow(db, id, lock);
  if (!row) throw notFound('study');
  return row;
}

export async function hasResponses(db: Tx, studyId: string): Promise<boolean> {
  const [r] = await rows<{ one: number }>(db, sql`SELECT 1 AS one FROM study_response WHERE study_id = ${studyId} LIMIT 1`);
  return !!r;
}

function assertNoResponses(has: boolean) {
  if (has)
    throw new AppError(
      'conflict',
      'study_has_responses',
      'People have already answered this study: its populations, conditions and questions can no longer change (text corrections still can).',
    );
}

async function touch(db: Tx, id: string) {
  await db.update(study).set({ updatedAt: new Date() }).where(eq(study.id, id));
}

export function questionDto(q: QuestionRow): Study['questions'][number] {
  return {
    id: q.id,
    key: q.key,
    role: q.role as Study['questions'][number]['role'],
    prompt: q.prompt as Record<string, string>,
    kind: q.kind as Study['questions'][number]['kind'],
    scaleMin: q.scaleMin,
    scaleMax: q.scaleMax,
    scaleLabels: q.scaleLabels as { min?: Record<string, string>; max?: Record<string, string> },
    options: q.options.map((o) => ({ id: o.id, label: o.label as Record<string, string> })),
    correctOption: q.correctOption,
    primary: q.primary,
    position: q.position,
  };
}

export async function studyParts(db: Tx, studyId: string) {
  const [populations, arms, questions] = await inOrder(
    db.select().from(studyPopulation).where(eq(studyPopulation.studyId, studyId)).orderBy(asc(studyPopulation.position), asc(studyPopulation.key)),
    db.select().from(studyArm).where(eq(studyArm.studyId, studyId)).orderBy(asc(studyArm.position), asc(studyArm.key)),
    db.select().from(studyQuestion).where(eq(studyQuestion.studyId, studyId)).orderBy(asc(studyQuestion.position), asc(studyQuestion.key)),
  );
  return { populations, arms, questions };
}

export async function studyDto(db: Tx, s: StudyRow, publicUrl: string): Promise<Study> {
  const { populations, arms, questions } = await studyParts(db, s.id);
  const [invites, counts] = await inOrder(
    db.select().from(studyInvite).where(eq(studyInvite.studyId, s.id)).orderBy(asc(studyInvite.createdAt), asc(studyInvite.id)),
    rows<{ population_id: string; arm_id: string; n: number | string; complete: number | string; imported: number | string }>(
      db,
      sql`SELECT population_id, arm_id, count(*) AS n, count(*) FILTER (WHERE status = 'complete') AS complete, count(*) FILTER (WHERE source = 'import') AS imported
          FROM study_response WHERE study_id = ${s.id} GROUP BY population_id, arm_id`,
    ),
  );
  const cells = counts.map((c) => ({ populationId: c.population_id, armId: c.arm_id, n: Number(c.n), complete: Number(c.complete), imported: Number(c.imported) }));
  const sum = (f: (c: (typeof cells)[number]) => boolean, v: (c: (typeof cells)[number]) => number) => cells.filter(f).reduce((t, c) => t + v(c), 0);
  return {
    id: s.id,
    title: s.title,
    description: s.description,
    status: s.status as Study['status'],
    languages: s.languages as StudyLanguage[],
    randomization: s.randomization as Study['randomization'],
    blockRepeats: s.blockRepeats,
    consent: s.consent as Record<string, string>,
    thanks: s.thanks as Record<string, string>,
    brief: s.brief,
    dialogueId: s.dialogueId,
    populations: populations.map((p) => ({
      id: p.id,
      key: p.key,
      name: p.name as Record<string, string>,
      languages: p.languages as StudyLanguage[],
      targetN: p.targetN,
      responses: sum((c) => c.populationId === p.id, (c) => c.n),
      completed: sum((c) => c.populationId === p.id, (c) => c.complete),
    })),
    arms: arms.map((a) => ({
      id: a.id,
      key: a.key,
      control: a.control,
      text: a.text as Record<string, string>,
      sourceStatementId: a.sourceStatementId,
      responses: sum((c) => c.armId === a.id, (c) => c.n),
    })),
    questions: questions.map(questionDto),
    invites: invites.map((i) => ({ id: i.id, populationId: i.populationId, url: surveyUrl(publicUrl, i.token), label: i.label, revoked: !!i.revokedAt, createdAt: i.createdAt.toISOString() })),
    responses: {
      total: sum(() => true, (c) => c.n),
      complete: sum(() => true, (c) => c.complete),
      imported: sum(() => true, (c) => c.imported),
      byPopulationArm: cells.map(({ populationId, armId, n, complete }) => ({ populationId, armId, n, complete })),
    },
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

export async function listStudies(db: Db, ctx: RequestContext, q: { limit: number; cursor?: string }) {
  researchReader(ctx);
  const after = decodeCursor(q.cursor, 2, ([t, id]) => typeof t === 'string' && !Number.isNaN(Date.parse(t)) && typeof id === 'string' && isUuid(id));
  const found = await db
    .select({
      s: study,
      populations: sql<number>`(SELECT count(*) FROM study_population p WHERE p.study_id = "study"."id")`.mapWith(Number),
      arms: sql<number>`(SELECT count(*) FROM study_arm a WHERE a.study_id = "study"."id")`.mapWith(Number),
      responses: sql<number>`(SELECT count(*) FROM study_response r WHERE r.study_id = "study"."id")`.mapWith(Number),
    })
    .from(study)
    .where(after ? sql`(${study.updatedAt}, ${study.id}) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined)
    .orderBy(desc(study.updatedAt), desc(study.id))
    .limit(q.limit + 1);
  const page = paginate(found, q.limit, (r) => [r.s.updatedAt.toISOString(), r.s.id]);
  return {
    items: page.items.map((r) => ({
      id: r.s.id,
      title: r.s.title,
      status: r.s.status as Study['status'],
      populations: r.populations,
      arms: r.arms,
      responses: r.responses,
      createdAt: r.s.createdAt.toISOString(),
      updatedAt: r.s.updatedAt.toISOString(),
    })),
    nextCursor: page.nextCursor,
  };
}

export async function getStudy(db: Db, ctx: RequestContext, id: string, publicUrl: string): Promise<Study> {
  researchReader(ctx);
  return studyDto(db, await requireStudy(db, id), publicUrl);
}

// ------------------------------------------------------------------------------------------------ writing

function questionValues(studyId: string, q: QuestionInput, position: number, primary: boolean) {
  return {
    studyId,
    key: q.key,
    role: q.role,
    prompt: cleanText(q.prompt),
    kind: q.kind,
    scaleMin: q.kind === 'scale' ? (q.scaleMin ?? null) : null,
    scaleMax: q.kind === 'scale' ? (q.scaleMax ?? null) : null,
    scaleLabels: q.kind === 'scale' ? { ...(q.scaleLabels?.min ? { min: cleanText(q.scaleLabels.min) } : {}), ...(q.scaleLabels?.max ? { max: cleanText(q.scaleLabels.max) } : {}) } : {},
    options: q.kind === 'choice' ? (q.options ?? []).map((o) => ({ id: o.id, label: cleanText(o.label) })) : [],
    correctOption: q.role === 'attention' ? (q.correctOption ?? null) : null,
    primary,
    position,
  };
}

/** Inserts a whole study (used by POST /studies and "test these statements"); the caller validated it. */
export async function insertStudy(
  tx: Tx,
  ctx: RequestContext,
  input: Omit<CreateStudyInput, 'arms'> & { arms: (ArmInput & { sourceStatementId?: string | null })[]; dialogueId?: string | null },
  primary: number,
  action = 'study.create',
): Promise<StudyRow> {
  const [s] = await tx
    .insert(study)
    .values({
      title: input.title,
      description: input.description ?? null,
      languages: input.languages,
      randomization: input.randomization,
      blockRepeats: input.blockRepeats ?? 2,
      assignmentSeed: randomBytes(32).toString('base64url'),
      consent: cleanText(input.consent),
      thanks: cleanText(input.thanks),
      brief: input.brief ?? null,
      dialogueId: input.dialogueId ?? null,
      createdBy: ctx.actor?.id ?? null,
    })
    .returning();
  const id = s!.id;
  await tx.insert(studyPopulation).values(
    input.populations.map((p, i) => ({ studyId: id, key: p.key, name: cleanText(p.name), languages: p.languages, targetN: p.targetN ?? null, position: i })),
  );
  await tx.insert(studyArm).values(
    input.arms.map((a, i) => ({ studyId: id, key: a.key, control: a.control, text: cleanText(a.text), sourceStatementId: a.sourceStatementId ?? null, position: i })),
  );
  await tx.insert(studyQuestion).values(input.questions.map((q, i) => questionValues(id, q, i, i === primary)));
  await recordAudit(tx, ctx, {
    action,
    entityType: 'study',
    entityId: id,
    detail: { title: input.title, populations: input.populations.map((p) => p.key), arms: input.arms.map((a) => a.key), questions: input.questions.map((q) => q.key) },
  });
  return s!;
}

export async function createStudy(db: Db, ctx: RequestContext, input: CreateStudyInput, publicUrl: string): Promise<Study> {
  researchWriter(ctx);
  const errors: FieldError[] = [];
  const langs = input.languages;
  duplicateKeys(errors, input.populations.map((p) => p.key), (i) => `body.populations.${i}.key`);
  input.populations.forEach((p, i) => checkPopulation(errors, p, langs, `body.populations.${i}`));
  checkArms(errors, input.arms, langs);
  duplicateKeys(errors, input.questions.map((q) => q.key), (i) => `body.questions.${i}.key`);
  input.questions.forEach((q, i) => checkQuestion(errors, q, langs, `body.questions.${i}`));
  if (!input.questions.some((q) => q.role === 'outcome')) errors.push({ field: 'body.questions', detail: 'At least one question is an outcome' });
  const primary = primaryIndex(errors, input.questions, (i) => `body.questions.${i}`);
  checkStudyTexts(errors, input, langs);
  if (errors.length) invalid(errors);
  return db.transaction(async (tx) => studyDto(tx, await insertStudy(tx, ctx, input, primary), publicUrl));
}

/** Before a study opens, every text respondents will read must exist in the languages they read. */
async function checkReadyToOpen(tx: Tx, s: StudyRow) {
  const { populations, arms, questions } = await studyParts(tx, s.id);
  const errors: FieldError[] = [];
  const langs = s.languages;
  if (arms.length < 2 || !arms.some((a) => a.control)) errors.push({ field: 'arms', detail: 'A control and at least one message' });
  if (!questions.some((q) => q.role === 'outcome')) errors.push({ field: 'questions', detail: 'At least one outcome' });
  populations.forEach((p, i) => requireSomeLanguage(errors, p.name, p.languages, `populations.${i}.name`));
  arms.forEach((a, i) => {
    if (a.control && Object.keys(cleanText(a.text)).length === 0) return;
    requireLanguages(errors, a.text, langs, `arms.${i}.text`, 'every language of the study');
  });
  questions.forEach((q, i) => {
    requireLanguages(errors, q.prompt, langs, `questions.${i}.prompt`, 'every language of the study');
    q.options.forEach((o, j) => requireLanguages(errors, o.label, langs, `questions.${i}.options.${j}.label`, 'every language of the study'));
  });
  if (errors.length)
    throw new AppError('unprocessable', 'study_not_ready', 'The study cannot open yet: some texts are missing in a language respondents read.', errors);
}

export async function updateStudy(db: Db, ctx: RequestContext, id: string, input: UpdateStudyInput, publicUrl: string): Promise<Study> {
  researchWriter(ctx);
  return db.transaction(async (tx) => {
    const before = await requireStudy(tx, id, true);
    const errors: FieldError[] = [];
    checkStudyTexts(errors, input, before.languages);
    if (errors.length) invalid(errors);
    const designChange =
      (input.randomization !== undefined && input.randomization !== before.randomization) || (input.blockRepeats !== undefined && input.blockRepeats !== before.blockRepeats);
    if (designChange) assertNoResponses(await hasResponses(tx, id));
    if (input.status === 'open' && before.status !== 'open') await checkReadyToOpen(tx, before);
    const [after] = await tx
      .update(study)
      .set({
        ...input,
        consent: input.consent ? cleanText(input.consent) : undefined,
        thanks: input.thanks ? cleanText(input.thanks) : undefined,
        updatedAt: new Date(),
      })
      .where(eq(study.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'study.update',
      entityType: 'study',
      entityId: id,
      detail: { changed: Object.keys(input), before: { title: before.title, status: before.status, randomization: before.randomization, blockRepeats: before.blockRepeats } },
    });
    return studyDto(tx, after!, publicUrl);
  });
}

export async function deleteStudy(db: Db, ctx: RequestContext, id: string): Promise<void> {
  authorize(ctx.actor, 'research.delete');
  // its responses (350,000 for a large panel) in short transactions first, so that the embedded database is not held
  // for the whole delete; the start is audited first, the rest goes in the final transaction below
  const started = await requireStudy(db, id);
  const [{ n }] = await rows<{ n: number | string }>(db, sql`SELECT count(*) AS n FROM study_response WHERE study_id = ${id}`);
  await db.transaction((tx) => recordAudit(tx, ctx, { action: 'study.delete_start', entityType: 'study', entityId: id, detail: { title: started.title, responses: Number(n) } }));
  await deleteInChunks(db, sql`study_response`, sql`study_id = ${id}`);
  await db.transaction(async (tx) => {
    const s = await requireStudy(tx, id, true);
    // responses first: they restrict the deletion of their population and arm
    await tx.delete(studyResponse).where(eq(studyResponse.studyId, id));
    await tx.delete(study).where(eq(study.id, id));
    await recordAudit(tx, ctx, { action: 'study.delete', entityType: 'study', entityId: id, detail: { title: s.title, responses: Number(n) } });
  });
}

// ---------- populations

async function requirePopulation(db: Tx, id: string) {
  const [p] = isUuid(id) ? await db.select().from(studyPopulation).where(eq(studyPopulation.id, id)) : [];
  if (!p) throw notFound('study_population');
  return p;
}

export async function addPopulation(db: Db, ctx: RequestContext, studyId: string, input: PopulationInput, publicUrl: string): Promise<Study> {
  researchWriter(ctx);
  return db.transaction(async (tx) => {
    const s = await requireStudy(tx, studyId, true);
    const errors: FieldError[] = [];
    checkPopulation(errors, input, s.languages, 'body');
    const existing = await tx.select({ key: studyPopulation.key, position: studyPopulation.position }).from(studyPopulation).where(eq(studyPopulation.studyId, studyId));
    if (existing.some((p) => p.key === input.key)) errors.push({ field: 'body.key', detail: 'Already used in this study' });
    if (errors.length) invalid(errors);
    assertNoResponses(await hasResponses(tx, studyId));
    const position = existing.reduce((m, p) => Math.max(m, p.position + 1), 0);
    const [p] = await tx
      .insert(studyPopulation)
      .values({ studyId, key: input.key, name: cleanText(input.name), languages: input.languages, targetN: input.targetN ?? null, position })
      .returning({ id: studyPopulation.id });
    await touch(tx, studyId);
    await recordAudit(tx, ctx, { action: 'study.population.create', entityType: 'study', entityId: studyId, detail: { populationId: p!.id, key: input.key } });
    return studyDto(tx, s, publicUrl);
  });
}

export async function updatePopulation(db: Db, ctx: RequestContext, id: string, input: UpdatePopulationInput, publicUrl: string): Promise<Study> {
  researchWriter(ctx);
  return db.transaction(async (tx) => {
    const p = await requirePopulation(tx, id);
    const s = await requireStudy(tx, p.studyId, true);
    const languages = (input.languages ?? p.languages) as StudyLanguage[];
    const errors: FieldError[] = [];
    checkPopulation(errors, { languages, name: input.name ?? (p.name as StudyText) }, s.languages, 'body');
    if (errors.length) invalid(errors);
    const designChange = (input.languages !== undefined && input.languages.join() !== p.languages.join()) || (input.targetN !== undefined && input.targetN !== p.targetN);
    // a name is a text correction; who the population is (its languages) is not. The target sample may still change.
    if (input.languages !== undefined && input.languages.join() !== p.languages.join()) assertNoResponses(await hasResponses(tx, p.studyId));
    await tx
      .update(studyPopulation)
      .set({ name: input.name ? cleanText(input.name) : p.name, languages, targetN: input.targetN !== undefined ? input.targetN : p.targetN })
      .where(eq(studyPopulation.id, id));
    await touch(tx, p.studyId);
    await recordAudit(tx, ctx, {
      action: 'study.population.update',
      entityType: 'study',
      entityId: p.studyId,
      detail: { populationId: id, changed: Object.keys(input), designChange, before: { name: p.name, languages: p.languages, targetN: p.targetN } },
    });
    return studyDto(tx, s, publicUrl);
  });
}

export async function deletePopulation(db: Db, ctx: RequestContext, id: string): Promise<void> {
  researchWriter(ctx);
  await db.transaction(async (tx) => {
    const p = await requirePopulation(tx, id);
    await requireStudy(tx, p.studyId, true);
    assertNoResponses(await hasResponses(tx, p.studyId));
    const [{ n }] = await rows<{ n: number | string }>(tx, sql`SELECT count(*) AS n FROM study_population WHERE study_id = ${p.studyId}`);
    if (Number(n) <= 1) throw new AppError('conflict', 'study_needs_population', 'A study needs at least one population.');
    await tx.delete(studyPopulation).where(eq(studyPopulation.id, id));
    await touch(tx, p.studyId);
    await recordAudit(tx, ctx, { action: 'study.population.delete', entityType: 'study', entityId: p.studyId, detail: { populationId: id, key: p.key } });
  });
}

// ---------- arms

async function requireArm(db: Tx, id: string) {
  const [a] = isUuid(id) ? await db.select().from(studyArm).where(eq(studyArm.id, id)) : [];
  if (!a) throw notFound('study_arm');
  return a;
}

export async function addArm(db: Db, ctx: RequestContext, studyId: string, input: ArmInput, publicUrl: string): Promise<Study> {
  researchWriter(ctx);
  return db.transaction(async (tx) => {
    const s = await requireStudy(tx, studyId, true);
    const existing = await tx.select({ key: studyArm.key, control: studyArm.control, position: studyArm.position }).from(studyArm).where(eq(studyArm.studyId, studyId));
    const errors: FieldError[] = [];
    if (existing.some((a) => a.key === input.key)) errors.push({ field: 'body.key', detail: 'Already used in this study' });
    if (input.control && existing.some((a) => a.control)) errors.push({ field: 'body.control', detail: 'The study already has a control' });
    if (!(input.control && Object.keys(cleanText(input.text)).length === 0)) requireLanguages(errors, input.text, s.languages, 'body.text', 'every language of the study');
    if (errors.length) invalid(errors);
    assertNoResponses(await hasResponses(tx, studyId));
    const position = existing.reduce((m, a) => Math.max(m, a.position + 1), 0);
    const [a] = await tx.insert(studyArm).values({ studyId, key: input.key, control: input.control, text: cleanText(input.text), position }).returning({ id: studyArm.id });
    await touch(tx, studyId);
    await recordAudit(tx, ctx, { action: 'study.arm.create', entityType: 'study', entityId: studyId, detail: { armId: a!.id, key: input.key, control: input.control } });
    return studyDto(tx, s, publicUrl);
  });
}

export async function updateArm(db: Db, ctx: RequestContext, id: string, input: UpdateArmInput, publicUrl: string): Promise<Study> {
  researchWriter(ctx);
  return db.transaction(async (tx) => {
    const a = await requireArm(tx, id);
    const s = await requireStudy(tx, a.studyId, true);
    const errors: FieldError[] = [];
    if (input.text && !(a.control && Object.keys(cleanText(input.text)).length === 0)) requireLanguages(errors, input.text, s.languages, 'body.text', 'every language of the study');
    if (input.key !== undefined && input.key !== a.key) {
      const [clash] = await tx.select({ id: studyArm.id }).from(studyArm).where(and(eq(studyArm.studyId, a.studyId), eq(studyArm.key, input.key)));
      if (clash) errors.push({ field: 'body.key', detail: 'Already used in this study' });
    }
    if (errors.length) invalid(errors);
    // the text is a correction (allowed and audited); the key names the condition in exports and imports
    if (input.key !== undefined && input.key !== a.key) assertNoResponses(await hasResponses(tx, a.studyId));
    await tx
      .update(studyArm)
      .set({ key: input.key ?? a.key, text: input.text ? cleanText(input.text) : a.text })
      .where(eq(studyArm.id, id));
    await touch(tx, a.studyId);
    await recordAudit(tx, ctx, { action: 'study.arm.update', entityType: 'study', entityId: a.studyId, detail: { armId: id, changed: Object.keys(input), before: { key: a.key, text: a.text } } });
    return studyDto(tx, s, publicUrl);
  });
}

export async function deleteArm(db: Db, ctx: RequestContext, id: string): Promise<void> {
  researchWriter(ctx);
  await db.transaction(async (tx) => {
    const a = await requireArm(tx, id);
    await requireStudy(tx, a.studyId, true);
    assertNoResponses(await hasResponses(tx, a.studyId));
    if (a.control) throw new AppError('conflict', 'control_required', 'The control condition cannot be removed: every message is compared with it.');
    const [{ n }] = await rows<{ n: number | string }>(tx, sql`SELECT count(*) AS n FROM study_arm WHERE study_id = ${a.studyId}`);
    if (Number(n) <= 2) throw new AppError('conflict', 'study_needs_message', 'A study needs a control and at least one message.');
    await tx.delete(studyArm).where(eq(studyArm.id, id));
    await touch(tx, a.studyId);
    await recordAudit(tx, ctx, { action: 'study.arm.delete', entityType: 'study', entityId: a.studyId, detail: { armId: id, key: a.key } });
  });
}

// ---------- questions

async function requireQuestion(db: Tx, id: string) {
  const [q] = isUuid(id) ? await db.select().from(studyQuestion).where(eq(studyQuestion.id, id)) : [];
  if (!q) throw notFound('study_question');
  return q;
}

function asInput(q: QuestionRow): QuestionInput {
  return {
    key: q.key,
    role: q.role as QuestionInput['role'],
    prompt: q.prompt as StudyText,
    kind: q.kind as QuestionInput['kind'],
    scaleMin: q.scaleMin ?? undefined,
    scaleMax: q.scaleMax ?? undefined,
    scaleLabels: q.scaleLabels as QuestionInput['scaleLabels'],
    options: q.options.map((o) => ({ id: o.id, label: o.label as StudyText })),
    correctOption: q.correctOption ?? undefined,
    primary: q.primary,
  };
}

export async function addQuestion(db: Db, ctx: RequestContext, studyId: string, input: QuestionInput, publicUrl: string): Promise<Study> {
  researchWriter(ctx);
  return db.transaction(async (tx) => {
    const s = await requireStudy(tx, studyId, true);
    const existing = await tx.select().from(studyQuestion).where(eq(studyQuestion.studyId, studyId));
    const errors: FieldError[] = [];
    checkQuestion(errors, input, s.languages, 'body');
    if (existing.some((q) => q.key === input.key)) errors.push({ field: 'body.key', detail: 'Already used in this study' });
    if (errors.length) invalid(errors);
    assertNoResponses(await hasResponses(tx, studyId));
    const hasPrimary = existing.some((q) => q.primary);
    const primary = input.role === 'outcome' && (!!input.primary || !hasPrimary);
    if (primary && hasPrimary) await tx.update(studyQuestion).set({ primary: false }).where(eq(studyQuestion.studyId, studyId));
    const position = existing.reduce((m, q) => Math.max(m, q.position + 1), 0);
    const [q] = await tx.insert(studyQuestion).values(questionValues(studyId, input, position, primary)).returning({ id: studyQuestion.id });
    await touch(tx, studyId);
    await recordAudit(tx, ctx, { action: 'study.question.create', entityType: 'study', entityId: studyId, detail: { questionId: q!.id, key: input.key, role: input.role } });
    return studyDto(tx, s, publicUrl);
  });
}

const TEXT_FIELDS = new Set(['prompt', 'scaleLabels', 'options']);

export async function updateQuestion(db: Db, ctx: RequestContext, id: string, input: UpdateQuestionInput, publicUrl: string): Promise<Study> {
  researchWriter(ctx);
  return db.transaction(async (tx) => {
    const q = await requireQuestion(tx, id);
    const s = await requireStudy(tx, q.studyId, true);
    const before = asInput(q);
    const merged: QuestionInput = { ...before, ...input, primary: input.primary ?? before.primary };
    if (input.kind !== undefined && input.kind !== before.kind) {
      // a new kind starts from what the request gives, not from the old kind's range or options
      merged.scaleMin = input.scaleMin;
      merged.scaleMax = input.scaleMax;
      merged.scaleLabels = input.scaleLabels;
      merged.options = input.options;
      merged.correctOption = input.correctOption;
    }
    const errors: FieldError[] = [];
    checkQuestion(errors, merged, s.languages, 'body');
    if (input.key !== undefined && input.key !== q.key) {
      const [clash] = await tx.select({ id: studyQuestion.id }).from(studyQuestion).where(and(eq(studyQuestion.studyId, q.studyId), eq(studyQuestion.key, input.key)));
      if (clash) errors.push({ field: 'body.key', detail: 'Already used in this study' });
    }
    if (errors.length) invalid(errors);
    // once people answered, only the wording may change: options keep their ids (answers refer to them)
    const sameOptions = !input.options || input.options.map((o) => o.id).join('\u0000') === q.options.map((o) => o.id).join('\u0000');
    const changesDesign =
      Object.entries(input).some(([k, v]) => !TEXT_FIELDS.has(k) && JSON.stringify(v) !== JSON.stringify((before as Record<string, unknown>)[k])) || !sameOptions;
    if (changesDesign) assertNoResponses(await hasResponses(tx, q.studyId));
    if (input.primary && !q.primary) await tx.update(studyQuestion).set({ primary: false }).where(eq(studyQuestion.studyId, q.studyId));
    const values = questionValues(q.studyId, merged, q.position, merged.primary === true);
    await tx.update(studyQuestion).set(values).where(eq(studyQuestion.id, id));
    await touch(tx, q.studyId);
    await recordAudit(tx, ctx, {
      action: 'study.question.update',
      entityType: 'study',
      entityId: q.studyId,
      detail: { questionId: id, changed: Object.keys(input), before: { key: q.key, prompt: q.prompt, kind: q.kind, options: q.options } },
    });
    return studyDto(tx, s, publicUrl);
  });
}

export async function deleteQuestion(db: Db, ctx: RequestContext, id: string): Promise<void> {
  researchWriter(ctx);
  await db.transaction(async (tx) => {
    const q = await requireQuestion(tx, id);
    await requireStudy(tx, q.studyId, true);
    assertNoResponses(await hasResponses(tx, q.studyId));
    const outcomes = await tx
      .select({ id: studyQuestion.id })
      .from(studyQuestion)
      .where(and(eq(studyQuestion.studyId, q.studyId), eq(studyQuestion.role, 'outcome')))
      .orderBy(asc(studyQuestion.position), asc(studyQuestion.key));
    if (q.role === 'outcome' && outcomes.length <= 1) throw new AppError('conflict', 'study_needs_outcome', 'A study needs at least one outcome.');
    await tx.delete(studyQuestion).where(eq(studyQuestion.id, id));
    // the next outcome becomes primary
    if (q.primary) {
      const next = outcomes.find((o) => o.id !== id);
      if (next) await tx.update(studyQuestion).set({ primary: true }).where(eq(studyQuestion.id, next.id));
    }
    await touch(tx, q.studyId);
    await recordAudit(tx, ctx, { action: 'study.question.delete', entityType: 'study', entityId: q.studyId, detail: { questionId: id, key: q.key, prompt: q.prompt } });
  });
}

// ---------- invites

export async function createInvite(db: Db, ctx: RequestContext, studyId: string, input: { populationId: string; label?: string | null }, publicUrl: string): Promise<Study> {
  researchWriter(ctx);
  return db.transaction(async (tx) => {
    const s = await requireStudy(tx, studyId, true);
    const [p] = isUuid(input.populationId)
      ? await tx.select({ id: studyPopulation.id }).from(studyPopulation).where(and(eq(studyPopulation.id, input.populationId), eq(studyPopulation.studyId, studyId)))
      : [];
    if (!p) throw new AppError('unprocessable', 'population_not_found', 'No such population in this study.', [{ field: 'body.populationId', detail: 'No such population in this study' }]);
    const token = randomBytes(12).toString('base64url');
    const [i] = await tx.insert(studyInvite).values({ studyId, populationId: p.id, token, label: input.label ?? null }).returning({ id: studyInvite.id });
    await touch(tx, studyId);
    await recordAudit(tx, ctx, { action: 'study.invite.create', entityType: 'study', entityId: studyId, detail: { inviteId: i!.id, populationId: p.id } });
    return studyDto(tx, s, publicUrl);
  });
}

export async function revokeInvite(db: Db, ctx: RequestContext, id: string): Promise<void> {
  researchWriter(ctx);
  await db.transaction(async (tx) => {
    const [i] = isUuid(id) ? await tx.select().from(studyInvite).where(eq(studyInvite.id, id)) : [];
    if (!i) throw notFound('study_invite');
    if (!i.revokedAt) await tx.update(studyInvite).set({ revokedAt: new Date() }).where(eq(studyInvite.id, id));
    await touch(tx, i.studyId);
    await recordAudit(tx, ctx, { action: 'study.invite.revoke', entityType: 'study', entityId: i.studyId, detail: { inviteId: id } });
  });
}
