import { randomBytes } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows, type Db } from '../../db/client.ts';
import type { LocalizedText } from '../dialogues/dialogues.schema.ts';
import { study, studyArm, studyInvite, studyPopulation, studyQuestion, studyResponse } from './studies.schema.ts';
import { respondentHash } from './survey.token.ts';
import { ANSWER_ROWS } from '../../../../tests/setup/study-factories.ts';
import { createTestApp } from '../../../../tests/setup/test-app.ts';

// The acceptance: "400 responses submitted through the public survey over HTTP" for a study with two populations
// and three messages. Each simulated respondent comes from an address of its own, consents, answers the covariate,
// reads the message it was given, answers the outcomes (with a known effect per message and population) and the
// attention check (about one in ten fails it). Then the stored data are checked. ~2,000 requests: 7 s on an idle
// machine, so the timeout is generous for a busy one.

const t = await createTestApp({ config: { trustProxy: true } });

const POPULATIONS = [
  { key: 'ji', languages: ['he', 'en'], name: { en: 'Jewish Israelis', he: 'יהודים ישראלים', ar: 'يهود إسرائيليون' } },
  { key: 'pal', languages: ['ar', 'en'], name: { en: 'Palestinians', he: 'פלסטינים', ar: 'فلسطينيون' } },
];
const MESSAGES: LocalizedText[] = [
  { en: 'Violence has never brought either people safety.', he: 'האלימות מעולם לא הביאה ביטחון לאף אחד מהעמים.', ar: 'لم يجلب العنف الأمان لأي من الشعبين.' },
  { en: 'A diplomatic horizon is the only way out.', he: 'אופק מדיני הוא הדרך היחידה החוצה.', ar: 'الأفق الدبلوماسي هو المخرج الوحيد.' },
  { en: 'Our children deserve a future without fear.', he: 'לילדים שלנו מגיע עתיד בלי פחד.', ar: 'يستحق أطفالنا مستقبلًا بلا خوف.' },
];
/** true effect on the 1–7 outcome, by population and message (m1 persuades both, m2 one, m3 backfires in pal) */
const EFFECT: Record<string, number[]> = { ji: [0, 1.2, 1.0, 0], pal: [0, 1.0, 0, -1.0] };
const N_PER_POPULATION = 200;
const BLOCK_REPEATS = 2;

async function buildStudy(db: Db, randomization: 'simple' | 'block') {
  const [s] = await db
    .insert(study)
    .values({ title: 'Non-violence messages', languages: ['he', 'ar', 'en'], status: 'open', randomization, blockRepeats: BLOCK_REPEATS, assignmentSeed: randomBytes(32).toString('hex') })
    .returning();
  const links: Record<string, string> = {};
  const popIds: Record<string, string> = {};
  for (const [i, p] of POPULATIONS.entries()) {
    const [row] = await db.insert(studyPopulation).values({ studyId: s!.id, key: p.key, name: p.name, languages: p.languages, targetN: N_PER_POPULATION, position: i }).returning();
    links[p.key] = randomBytes(12).toString('base64url');
    popIds[p.key] = row!.id;
    await db.insert(studyInvite).values({ studyId: s!.id, populationId: row!.id, token: links[p.key]! });
  }
  const arms = await db
    .insert(studyArm)
    .values([{ key: 'control', control: true, text: {} }, ...MESSAGES.map((text, i) => ({ key: `m${i + 1}`, control: false, text }))].map((a, i) => ({ ...a, studyId: s!.id, position: i })))
    .returning();
  const L = (en: string, he: string, ar: string) => ({ en, he, ar });
  await db.insert(studyQuestion).values([
    { studyId: s!.id, role: 'covariate', key: 'age', kind: 'choice', prompt: L('Your age', 'גילך', 'عمرك'), options: [{ id: 'under40', label: L('Under 40', 'מתחת ל־40', 'أقل من 40') }, { id: 'over40', label: L('40 or over', '40 ומעלה', '40 أو أكثر') }], position: 0 },
    { studyId: s!.id, role: 'outcome', key: 'agree', kind: 'scale', scaleMin: 1, scaleMax: 7, prompt: L('How much do you agree?', 'עד כמה את/ה מסכים/ה?', 'إلى أي مدى توافق؟'), primary: true, position: 1 },
    { studyId: s!.id, role: 'outcome', key: 'share', kind: 'yes_no', prompt: L('Would you share it?', 'היית משתף/ת את זה?', 'هل ستشاركها؟'), position: 2 },
    { studyId: s!.id, role: 'attention', key: 'check', kind: 'choice', prompt: L('Choose "blue"', 'בחרו "כחול"', 'اختر "أزرق"'), options: [{ id: 'red', label: L('Red', 'אדום', 'أحمر') }, { id: 'blue', label: L('Blue', 'כחול', 'أزرق') }], correctOption: 'blue', position: 3 },
  ]);
  return { id: s!.id, links, popIds, arms };
}

/** A fixed-seed generator, so the simulated answers are the same on every run. */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

type State = { step: string; message: { text: string | null } | null; questions: { key: string }[] };

describe('400 responses through the public survey over HTTP', () => {
  it('assigns each exactly one condition, keeps blocks balanced, and stores every answer and attention failure', async () => {
    const s = await buildStudy(t.db, 'block');
    const rand = mulberry32(20240708);
    const submitted = new Map<string, { population: string; armIndex: number; agree: number; share: number; age: string; attentive: boolean }>();
    let failures = 0;

    async function respond(population: (typeof POPULATIONS)[number], i: number) {
      const c = t.client({ 'x-forwarded-for': `10.${population.key === 'ji' ? 20 : 30}.${Math.floor(i / 250)}.${i % 250}` });
      const link = s.links[population.key]!;
      const language = population.languages[i % 2]!;
      const post = async (path: string, body: unknown) => {
        const res = await c.post(`/api/survey/${link}/${path}`, body);
        const text = await res.text();
        expect(res.status, text).toBeLessThan(300);
        return JSON.parse(text) as State;
      };
      let state = await post('start', { language });
      expect(state.step).toBe('covariates');
      const age = rand() < 0.5 ? 'under40' : 'over40';
      state = await post('answers', { answers: [{ questionKey: 'age', choice: age }] });
      expect(state.step).toBe('outcomes');
      // which message this respondent read (the API never names the condition; the text tells)
      const text = state.message!.text;
      const armIndex = text === null ? 0 : 1 + MESSAGES.findIndex((m) => m[language] === text);
      expect(armIndex).toBeGreaterThanOrEqual(0);
      const y = 4 + EFFECT[population.key]![armIndex]! + (rand() + rand() + rand() - 1.5) * 2;
      const agree = Math.min(7, Math.max(1, Math.round(y)));
      const share = rand() < 0.3 + 0.1 * EFFECT[population.key]![armIndex]! ? 1 : 0;
      state = await post('answers', { answers: [{ questionKey: 'agree', value: agree }, { questionKey: 'share', value: share }] });
      expect(state.step).toBe('attention');
      const attentive = rand() >= 0.1;
      if (!attentive) failures++;
      state = await post('answers', { answers: [{ questionKey: 'check', choice: attentive ? 'blue' : 'red' }] });
      expect(state.step).toBe('complete');
      submitted.set(c.cookies.get('convene_respondent')!, { population: population.key, armIndex, agree, share, age, attentive });
    }

    // ten respondents at a time, the two populations interleaved
    const queue = Array.from({ length: N_PER_POPULATION }, (_, i) => POPULATIONS.map((p) => [p, i] as const)).flat();
    for (let at = 0; at < queue.length; at += 10) await Promise.all(queue.slice(at, at + 10).map(([p, i]) => respond(p, i)));
    expect(submitted.size).toBe(400);

    // 400 stored complete responses, each with exactly one condition, distinct sequences 1..200 per population
    const responses = await t.db
      .select({ id: studyResponse.id, populationId: studyResponse.populationId, armId: studyResponse.armId, status: studyResponse.status, sequence: studyResponse.sequence, attentionPassed: studyResponse.attentionPassed, tokenHash: studyResponse.tokenHash, source: studyResponse.source })
      .from(studyResponse)
      .where(eq(studyResponse.studyId, s.id))
      .orderBy(asc(studyResponse.sequence));
    expect(responses).toHaveLength(400);
    expect(responses.every((r) => r.status === 'complete' && r.source === 'survey' && s.arms.some((a) => a.id === r.armId))).toBe(true);
    for (const p of POPULATIONS) {
      const mine = responses.filter((r) => r.populationId === s.popIds[p.key]);
      expect(mine.map((r) => r.sequence)).toEqual(Array.from({ length: N_PER_POPULATION }, (_, i) => i + 1));
      // block randomization: after every respondent, no condition is more than blockRepeats ahead of another
      const n = new Map(s.arms.map((a) => [a.id, 0]));
      let worst = 0;
      for (const r of mine) {
        n.set(r.armId, n.get(r.armId)! + 1);
        worst = Math.max(worst, Math.max(...n.values()) - Math.min(...n.values()));
      }
      expect(worst).toBeLessThanOrEqual(BLOCK_REPEATS);
      // 200 = 25 whole blocks of 4 × 2: exactly 50 each
      expect([...n.values()]).toEqual([50, 50, 50, 50]);
    }

    // the condition stored is the one whose message the respondent read
    const byHash = new Map([...submitted].map(([token, v]) => [respondentHash(token), v]));
    for (const r of responses) {
      const sent = byHash.get(r.tokenHash!)!;
      expect(s.arms[sent.armIndex]!.id).toBe(r.armId);
      expect(r.populationId).toBe(s.popIds[sent.population]);
      expect(r.attentionPassed).toBe(sent.attentive);
    }

    // every answer stored as sent: 4 per response
    const answers = await rows<{ token_hash: string; key: string; value: number | null; choice: string | null }>(
      t.db,
      sql`select r.token_hash, q.key, a.value, a.choice from ${ANSWER_ROWS} a join study_response r on r.id = a.response_id join study_question q on q.id = a.question_id where r.study_id = ${s.id}`,
    );
    expect(answers).toHaveLength(1600);
    for (const a of answers) {
      const sent = byHash.get(a.token_hash)!;
      const want = { age: { value: null, choice: sent.age }, agree: { value: sent.agree, choice: null }, share: { value: sent.share, choice: null }, check: { value: null, choice: sent.attentive ? 'blue' : 'red' } }[a.key];
      expect({ value: a.value === null ? null : Number(a.value), choice: a.choice }).toEqual(want);
    }

    // attention failures recorded
    const [att] = await rows<{ passed: number; failed: number }>(t.db, sql`select count(*) filter (where attention_passed)::int as passed, count(*) filter (where attention_passed = false)::int as failed from study_response where study_id = ${s.id}`);
    expect(att).toEqual({ passed: 400 - failures, failed: failures });
    expect(failures).toBeGreaterThan(10);

    // the simulated effects show in the stored outcome (m1 above control in both populations)
    const means = await rows<{ population: string; arm: string; mean: number }>(
      t.db,
      sql`select p.key as population, arm.key as arm, avg(a.value)::float8 as mean from ${ANSWER_ROWS} a join study_response r on r.id = a.response_id
          join study_question q on q.id = a.question_id join study_population p on p.id = r.population_id join study_arm arm on arm.id = r.arm_id
          where r.study_id = ${s.id} and q.key = 'agree' group by 1, 2`,
    );
    const mean = (p: string, a: string) => means.find((m) => m.population === p && m.arm === a)!.mean;
    expect(mean('ji', 'm1')).toBeGreaterThan(mean('ji', 'control'));
    expect(mean('pal', 'm1')).toBeGreaterThan(mean('pal', 'control'));
    expect(mean('pal', 'm3')).toBeLessThan(mean('pal', 'control'));
  }, 180_000);

  it('simple randomization: each respondent drawn independently, the split plausible', async () => {
    const s = await buildStudy(t.db, 'simple');
    const starts = 200;
    for (let at = 0; at < starts; at += 20) {
      await Promise.all(
        Array.from({ length: 20 }, async (_, k) => {
          const res = await t.client({ 'x-forwarded-for': `10.40.0.${at + k}` }).post(`/api/survey/${s.links.ji}/start`, { language: 'he' });
          expect(res.status).toBe(201);
        }),
      );
    }
    const list = await t.db.select({ armId: studyResponse.armId, sequence: studyResponse.sequence }).from(studyResponse).where(eq(studyResponse.studyId, s.id));
    expect(list).toHaveLength(starts);
    const counts = s.arms.map((a) => list.filter((r) => r.armId === a.id).length);
    // chi-square with 3 degrees of freedom: above 27.9 happens with probability 4 in a million
    const expected = starts / s.arms.length;
    const chi2 = counts.reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(27.9);
    expect(counts.every((n) => n > 0)).toBe(true);
  }, 60_000);
});
