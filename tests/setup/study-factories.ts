import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../src/server/db/client.ts';
import type { LocalizedText } from '../../src/server/features/dialogues/dialogues.schema.ts';
import {
  study,
  studyArm,
  studyInvite,
  studyPopulation,
  studyQuestion,
  studyResponse,
} from '../../src/server/features/studies/studies.schema.ts';

// `build*` factories for message tests: rows straight through Drizzle (no HTTP, no validation), so a test sets up
// exactly the world it needs. Keys name populations, arms, questions and invites inside one build; every id comes
// back in the result.
//
//   const s = await buildStudy(t.db, { status: 'open', invites: [{ key: 'il', population: 'israelis' }] });
//   await buildResponses(t.db, s, [{ population: 'israelis', arm: 'control', answers: { support: 4 } }, …]);
//   // s.id, s.populations.israelis, s.arms['message-1'], s.questions.support, s.invites.il (the /s/{token} part)

export type StudyQuestionSpec = {
  key: string;
  role: 'outcome' | 'covariate' | 'attention';
  kind: 'scale' | 'yes_no' | 'choice';
  prompt?: LocalizedText;
  scaleMin?: number;
  scaleMax?: number;
  options?: { id: string; label: LocalizedText }[];
  correctOption?: string;
  primary?: boolean;
};

export type BuildStudyInput = {
  title?: string;
  status?: 'draft' | 'open' | 'closed';
  languages?: ('he' | 'ar' | 'en')[];
  randomization?: 'simple' | 'block';
  blockRepeats?: number;
  consent?: LocalizedText;
  thanks?: LocalizedText;
  brief?: string | null;
  /** default: israelis (he, en) and palestinians (ar, en) */
  populations?: { key: string; name?: LocalizedText; languages?: string[]; targetN?: number | null }[];
  /** default: control, message-1, message-2 */
  arms?: { key: string; control?: boolean; text?: LocalizedText }[];
  /** default: support (outcome, scale 1–7, primary) and attention (choice; right answer "blue") */
  questions?: StudyQuestionSpec[];
  /** population: a population key */
  invites?: { key: string; population: string; revoked?: boolean; label?: string }[];
};

export type BuiltStudy = {
  id: string;
  assignmentSeed: string;
  populations: Record<string, string>;
  arms: Record<string, string>;
  questions: Record<string, string>;
  /** invite tokens (the /s/{token} part) per invite key */
  invites: Record<string, string>;
  inviteIds: Record<string, string>;
};

const text = (en: string, he: string, ar: string): LocalizedText => ({ en, he, ar });

export const DEFAULT_QUESTIONS: StudyQuestionSpec[] = [
  {
    key: 'support',
    role: 'outcome',
    kind: 'scale',
    scaleMin: 1,
    scaleMax: 7,
    primary: true,
    prompt: text('How much do you support a diplomatic agreement?', 'עד כמה את/ה תומך/ת בהסכם מדיני?', 'إلى أي مدى تؤيد اتفاقًا سياسيًا؟'),
  },
  {
    key: 'attention',
    role: 'attention',
    kind: 'choice',
    prompt: text('To show you are reading, choose "blue".', 'כדי להראות שאת/ה קורא/ת, בחר/י "כחול".', 'لتُظهر أنك تقرأ، اختر "أزرق".'),
    options: [
      { id: 'red', label: text('Red', 'אדום', 'أحمر') },
      { id: 'blue', label: text('Blue', 'כחול', 'أزرق') },
    ],
    correctOption: 'blue',
  },
];

let seq = 0;

export function studyInviteToken(): string {
  return randomBytes(12).toString('base64url');
}

export async function buildStudy(db: Db, input: BuildStudyInput = {}): Promise<BuiltStudy> {
  const n = ++seq;
  const languages = input.languages ?? ['he', 'ar', 'en'];
  const assignmentSeed = randomBytes(32).toString('base64url');
  const [s] = await db
    .insert(study)
    .values({
      title: input.title ?? `Message test ${n}`,
      status: input.status ?? 'draft',
      languages,
      randomization: input.randomization ?? 'block',
      blockRepeats: input.blockRepeats ?? 2,
      assignmentSeed,
      consent: input.consent ?? text('You are invited to a short survey.', 'את/ה מוזמן/ת לסקר קצר.', 'أنت مدعو إلى استطلاع قصير.'),
      thanks: input.thanks ?? text('Thank you!', 'תודה!', 'شكرًا!'),
      brief: input.brief ?? null,
    })
    .returning({ id: study.id });
  const out: BuiltStudy = { id: s!.id, assignmentSeed, populations: {}, arms: {}, questions: {}, invites: {}, inviteIds: {} };

  const populations = input.populations ?? [
    { key: 'israelis', name: text('Israelis', 'ישראלים', 'إسرائيليون'), languages: ['he', 'en'] },
    { key: 'palestinians', name: text('Palestinians', 'פלסטינים', 'فلسطينيون'), languages: ['ar', 'en'] },
  ];
  for (const [i, p] of populations.entries()) {
    const [row] = await db
      .insert(studyPopulation)
      .values({ studyId: out.id, key: p.key, name: p.name ?? { en: p.key }, languages: p.languages ?? languages, targetN: p.targetN ?? null, position: i })
      .returning({ id: studyPopulation.id });
    out.populations[p.key] = row!.id;
  }
  const arms = input.arms ?? [
    { key: 'control', control: true, text: {} },
    { key: 'message-1', text: text('Both peoples have a right to live in safety and dignity.', 'לשני העמים יש זכות לחיות בביטחון ובכבוד.', 'لكلا الشعبين الحق في العيش بأمان وكرامة.') },
    { key: 'message-2', text: text('Non-violent protest is stronger than any weapon.', 'מחאה לא אלימה חזקה מכל נשק.', 'الاحتجاج السلمي أقوى من أي سلاح.') },
  ];
  for (const [i, a] of arms.entries()) {
    const [row] = await db
      .insert(studyArm)
      .values({ studyId: out.id, key: a.key, control: a.control ?? false, text: a.text ?? { en: `Message ${a.key}` }, position: i })
      .returning({ id: studyArm.id });
    out.arms[a.key] = row!.id;
  }
  for (const [i, q] of (input.questions ?? DEFAULT_QUESTIONS).entries()) {
    const [row] = await db
      .insert(studyQuestion)
      .values({
        studyId: out.id,
        key: q.key,
        role: q.role,
        kind: q.kind,
        prompt: q.prompt ?? { en: `Question ${q.key}?` },
        scaleMin: q.kind === 'scale' ? (q.scaleMin ?? 1) : null,
        scaleMax: q.kind === 'scale' ? (q.scaleMax ?? 7) : null,
        options: q.options ?? [],
        correctOption: q.correctOption ?? null,
        primary: q.primary ?? false,
        position: i,
      })
      .returning({ id: studyQuestion.id });
    out.questions[q.key] = row!.id;
  }
  for (const inv of input.invites ?? []) {
    const populationId = out.populations[inv.population];
    if (!populationId) throw new Error(`buildStudy: no population "${inv.population}"`);
    const token = studyInviteToken();
    const [row] = await db
      .insert(studyInvite)
      .values({ studyId: out.id, populationId, token, label: inv.label ?? inv.key, revokedAt: inv.revoked ? new Date() : null })
      .returning({ id: studyInvite.id });
    out.invites[inv.key] = token;
    out.inviteIds[inv.key] = row!.id;
  }
  return out;
}

export type ResponseSpec = {
  population: string;
  arm: string;
  /** question key → a number (scale, yes = 1 / no = 0) or { choice } */
  answers?: Record<string, number | null | { choice: string }>;
  cluster?: string | null;
  status?: 'consented' | 'complete';
  attentionPassed?: boolean | null;
  source?: 'survey' | 'import';
  language?: string;
};

/** Responses straight into the tables (complete and from the survey unless said otherwise), 1,000 rows a statement. */
export async function buildResponses(db: Db, s: BuiltStudy, responses: ResponseSpec[]): Promise<string[]> {
  const ids: string[] = [];
  const rows = responses.map((r) => {
    const id = randomUUID();
    ids.push(id);
    const populationId = s.populations[r.population];
    const armId = s.arms[r.arm];
    if (!populationId || !armId) throw new Error(`buildResponses: no population "${r.population}" or arm "${r.arm}"`);
    // the response's answers object, by question id: a number, or a choice's id
    const answers: Record<string, number | string> = {};
    for (const [key, v] of Object.entries(r.answers ?? {})) {
      const questionId = s.questions[key];
      if (!questionId) throw new Error(`buildResponses: no question "${key}"`);
      if (v === null) continue;
      answers[questionId] = typeof v === 'number' ? v : v.choice;
    }
    const status = r.status ?? 'complete';
    return {
      id,
      studyId: s.id,
      populationId,
      armId,
      source: r.source ?? 'survey',
      language: r.language ?? 'en',
      cluster: r.cluster ?? null,
      status,
      attentionPassed: r.attentionPassed === undefined ? (s.questions.attention ? true : null) : r.attentionPassed,
      completedAt: status === 'complete' ? new Date() : null,
      answers,
    };
  });
  for (let i = 0; i < rows.length; i += 1000) await db.insert(studyResponse).values(rows.slice(i, i + 1000));
  return ids;
}

/** A seeded generator of responses with known effects: effects[population][arm] is added to a 1–7 outcome around 4. */
export function simulatedResponses(opts: { perCell: number; effects: Record<string, Record<string, number>>; seed?: number; sd?: number }): ResponseSpec[] {
  let state = opts.seed ?? 1;
  const uniform = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  const out: ResponseSpec[] = [];
  for (const [population, arms] of Object.entries(opts.effects))
    for (const [arm, effect] of Object.entries(arms))
      for (let i = 0; i < opts.perCell; i++) out.push({ population, arm, answers: { support: 4 + effect + (opts.sd ?? 1) * normal() } });
  return out;
}

/**
 * The stored answers as rows, one per response and question (each response keeps its answers in one jsonb object
 * by question id: a number, or a choice's id): for tests that look at what was stored.
 */
export const ANSWER_ROWS = sql`(SELECT r.id AS response_id, r.study_id, e.key::uuid AS question_id,
  CASE WHEN jsonb_typeof(e.value) = 'number' THEN (e.value #>> '{}')::float8 END AS value,
  CASE WHEN jsonb_typeof(e.value) = 'string' THEN e.value #>> '{}' END AS choice
  FROM study_response r, jsonb_each(r.answers) e)`;

export async function answerRows(db: Db, where: { responseId?: string; studyId?: string }) {
  return rows<{ response_id: string; key: string; value: number | null; choice: string | null }>(
    db,
    sql`SELECT a.response_id, q.key, a.value, a.choice FROM ${ANSWER_ROWS} a JOIN study_question q ON q.id = a.question_id
        WHERE ${where.responseId ? sql`a.response_id = ${where.responseId}` : sql`true`} AND ${where.studyId ? sql`a.study_id = ${where.studyId}` : sql`true`}
        ORDER BY q.key`,
  );
}
