import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEntry } from '../audit/audit.schema.ts';
import { study, studyResponse } from './studies.schema.ts';
import { buildDialogue, buildTranslation } from '../../../../tests/setup/dialogue-factories.ts';
import { buildResponses, buildStudy } from '../../../../tests/setup/study-factories.ts';
import { createTestApp, problem } from '../../../../tests/setup/test-app.ts';

const t = await createTestApp();
const admin = await t.signedIn('admin');
const staff = await t.signedIn('staff');
const viewer = await t.signedIn('viewer');
const anonymous = t.client();

const tri = (en: string) => ({ en, he: `${en} (he)`, ar: `${en} (ar)` });

function studyBody(over: Record<string, unknown> = {}) {
  return {
    title: 'Non-violence messages',
    languages: ['he', 'ar', 'en'],
    populations: [
      { key: 'israelis', name: { he: 'ישראלים', en: 'Israelis' }, languages: ['he', 'en'], targetN: 900 },
      { key: 'palestinians', name: { ar: 'فلسطينيون', en: 'Palestinians' }, languages: ['ar', 'en'], targetN: 900 },
    ],
    arms: [
      { key: 'control', control: true, text: {} },
      { key: 'safety', text: tri('Both peoples have a right to live in safety.') },
      { key: 'protest', text: tri('Non-violent protest is stronger than any weapon.') },
    ],
    questions: [
      { key: 'age', role: 'covariate', kind: 'scale', scaleMin: 0, scaleMax: 10, prompt: tri('Age group?') },
      { key: 'support', role: 'outcome', kind: 'scale', scaleMin: 1, scaleMax: 7, prompt: tri('Support?'), scaleLabels: { min: tri('Not at all'), max: tri('Fully') } },
      { key: 'vote', role: 'outcome', kind: 'yes_no', prompt: tri('Would you vote for it?') },
      { key: 'check', role: 'attention', kind: 'choice', prompt: tri('Choose blue'), options: [{ id: 'red', label: tri('Red') }, { id: 'blue', label: tri('Blue') }], correctOption: 'blue' },
    ],
    ...over,
  };
}

type StudyDto = {
  id: string;
  title: string;
  status: string;
  randomization: string;
  blockRepeats: number;
  populations: { id: string; key: string; responses: number; completed: number }[];
  arms: { id: string; key: string; control: boolean; text: Record<string, string>; sourceStatementId: string | null; responses: number }[];
  questions: { id: string; key: string; role: string; primary: boolean; prompt: Record<string, string> }[];
  invites: { id: string; populationId: string; url: string; revoked: boolean }[];
  responses: { total: number; complete: number; imported: number };
};

async function created(body = studyBody()): Promise<StudyDto> {
  const res = await staff.post('/api/studies', body);
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as StudyDto;
}

const fields = async (res: Response, status = 400) => (await problem(res, status)).errors?.map((e) => e.field) ?? [];

describe('setting up a study', () => {
  it('creates a study with populations, conditions and questions; the first outcome is primary; the write is audited', async () => {
    const s = await created();
    expect(s.status).toBe('draft');
    expect(s.randomization).toBe('block');
    expect(s.blockRepeats).toBe(2);
    expect(s.populations.map((p) => p.key)).toEqual(['israelis', 'palestinians']);
    expect(s.arms.map((a) => [a.key, a.control])).toEqual([
      ['control', true],
      ['safety', false],
      ['protest', false],
    ]);
    expect(s.questions.filter((q) => q.primary).map((q) => q.key)).toEqual(['support']);
    expect(s.responses).toEqual({ total: 0, complete: 0, imported: 0, byPopulationArm: [] });
    const [audit] = await t.db.select().from(auditEntry).where(and(eq(auditEntry.entityId, s.id), eq(auditEntry.action, 'study.create')));
    expect(audit?.actorId).toBe(staff.user.id);

    const got = await viewer.get(`/api/studies/${s.id}`);
    expect(got.status).toBe(200);
    expect(((await got.json()) as StudyDto).id).toBe(s.id);
  });

  it('names the exact field of every rule broken', async () => {
    const noArabic = studyBody();
    (noArabic.arms as { text: Record<string, string> }[])[1].text = { en: 'Only English', he: 'רק עברית' };
    expect(await fields(await staff.post('/api/studies', noArabic))).toContain('body.arms.1.text.ar');

    const twoControls = studyBody({ arms: [{ key: 'a', control: true }, { key: 'b', control: true }] });
    expect(await fields(await staff.post('/api/studies', twoControls))).toContain('body.arms.1.control');
    const noControl = studyBody({ arms: [{ key: 'a', text: tri('A') }, { key: 'b', text: tri('B') }] });
    expect(await fields(await staff.post('/api/studies', noControl))).toContain('body.arms');

    const noOutcome = studyBody({ questions: [{ key: 'age', role: 'covariate', kind: 'yes_no', prompt: tri('Adult?') }] });
    expect(await fields(await staff.post('/api/studies', noOutcome))).toContain('body.questions');

    const badScale = studyBody({ questions: [{ key: 'support', role: 'outcome', kind: 'scale', scaleMin: 7, scaleMax: 1, prompt: tri('S') }] });
    expect(await fields(await staff.post('/api/studies', badScale))).toContain('body.questions.0.scaleMax');
    const outOfRange = studyBody({ questions: [{ key: 'support', role: 'outcome', kind: 'scale', scaleMin: 1, scaleMax: 11, prompt: tri('S') }] });
    expect(await fields(await staff.post('/api/studies', outOfRange))).toContain('body.questions.0.scaleMax');

    const badCheck = studyBody();
    (badCheck.questions as { correctOption?: string }[])[3].correctOption = 'green';
    expect(await fields(await staff.post('/api/studies', badCheck))).toContain('body.questions.3.correctOption');
    const oneOption = studyBody();
    (oneOption.questions as { options?: unknown[]; correctOption?: string }[])[3].options = [{ id: 'blue', label: tri('Blue') }];
    expect(await fields(await staff.post('/api/studies', oneOption))).toContain('body.questions.3.options');

    const twoPrimary = studyBody();
    (twoPrimary.questions as { primary?: boolean }[])[1].primary = true;
    (twoPrimary.questions as { primary?: boolean }[])[2].primary = true;
    expect(await fields(await staff.post('/api/studies', twoPrimary))).toContain('body.questions.2.primary');

    const dupKeys = studyBody();
    (dupKeys.populations as { key: string }[])[1].key = 'israelis';
    expect(await fields(await staff.post('/api/studies', dupKeys))).toContain('body.populations.1.key');
    const badKey = studyBody();
    (badKey.arms as { key: string }[])[1].key = 'Safety Message';
    expect(await fields(await staff.post('/api/studies', badKey))).toContain('body.arms.1.key');

    // a population's name in at least one language (staff read it; a missing translation shows another); its languages among the study's
    const noName = studyBody();
    (noName.populations as unknown as { name: Record<string, string> }[])[0].name = { en: ' ' };
    expect(await fields(await staff.post('/api/studies', noName))).toContain('body.populations.0.name.he');
    const foreign = studyBody({ languages: ['he', 'en'] });
    const f = await fields(await staff.post('/api/studies', foreign));
    expect(f).toContain('body.populations.1.languages.0');

    const consent = studyBody({ consent: { en: 'Agree?' } });
    expect(await fields(await staff.post('/api/studies', consent))).toEqual(expect.arrayContaining(['body.consent.he', 'body.consent.ar']));
    const unknownField = await staff.post('/api/studies', { ...studyBody(), colour: 'red' });
    expect(await fields(unknownField)).toContain('body.colour');
  });

  it('lets viewers read but not write; signed-out people nothing; only admins delete', async () => {
    const s = await created();
    await problem(await anonymous.get('/api/studies'), 401);
    await problem(await anonymous.get(`/api/studies/${s.id}`), 401);
    expect((await viewer.get('/api/studies')).status).toBe(200);
    await problem(await viewer.post('/api/studies', studyBody()), 403);
    await problem(await viewer.patch(`/api/studies/${s.id}`, { title: 'x' }), 403);
    await problem(await viewer.post(`/api/studies/${s.id}/arms`, { key: 'more', text: tri('More') }), 403);
    await problem(await viewer.patch(`/api/study-arms/${s.arms[1].id}`, { text: tri('x') }), 403);
    await problem(await viewer.delete(`/api/study-questions/${s.questions[0].id}`), 403);
    await problem(await viewer.post(`/api/studies/${s.id}/invites`, { populationId: s.populations[0].id }), 403);
    await problem(await viewer.post(`/api/studies/${s.id}/imports/preview`, { csv: 'a,b\n1,2', mapping: { treatment: 'a', outcomes: { support: 'b' } } }), 403);
    await problem(await viewer.post(`/api/studies/${s.id}/predictions`), 403);
    await problem(await viewer.post(`/api/studies/${s.id}/draft-variants`, { count: 2 }), 403);
    await problem(await viewer.post('/api/studies/from-dialogue', { dialogueId: s.id }), 403);
    await problem(await staff.delete(`/api/studies/${s.id}`), 403);
    await problem(await viewer.delete(`/api/studies/${s.id}`), 403);

    await problem(await viewer.get('/api/studies/00000000-0000-4000-8000-000000000000'), 404);
    await problem(await viewer.get('/api/studies/not-a-uuid'), 404);
    await problem(await staff.patch('/api/study-populations/not-a-uuid', { targetN: 3 }), 404);
    await problem(await staff.delete('/api/study-invites/00000000-0000-4000-8000-000000000000'), 404);

    const b = await buildStudy(t.db);
    await buildResponses(t.db, b, [{ population: 'israelis', arm: 'control', answers: { support: 3 } }]);
    expect((await admin.delete(`/api/studies/${b.id}`)).status).toBe(204);
    await problem(await viewer.get(`/api/studies/${b.id}`), 404);
    const [audit] = await t.db.select().from(auditEntry).where(and(eq(auditEntry.entityId, b.id), eq(auditEntry.action, 'study.delete')));
    expect(audit?.detail).toMatchObject({ responses: 1 });
  });

  it('lists studies newest change first, page by page, with counts', async () => {
    const a = await buildStudy(t.db, { title: 'Listed A' });
    await buildResponses(t.db, a, [
      { population: 'israelis', arm: 'control', answers: { support: 3 } },
      { population: 'palestinians', arm: 'message-1', answers: { support: 5 } },
    ]);
    await staff.patch(`/api/studies/${a.id}`, { title: 'Listed A (renamed)' });
    const res = await viewer.get('/api/studies?limit=1');
    expect(res.status).toBe(200);
    const page = (await res.json()) as { items: { id: string; title: string; populations: number; arms: number; responses: number }[]; nextCursor: string | null };
    expect(page.items[0]).toMatchObject({ id: a.id, title: 'Listed A (renamed)', populations: 2, arms: 3, responses: 2 });
    expect(page.nextCursor).toBeTruthy();
    const next = await viewer.get(`/api/studies?limit=1&cursor=${page.nextCursor}`);
    expect(((await next.json()) as { items: { id: string }[] }).items[0]?.id).not.toBe(a.id);
    await problem(await viewer.get('/api/studies?cursor=forged'), 400);
  });

  it('changes populations, conditions and questions until someone answers; after that only their wording', async () => {
    const s = await created();
    let res = await staff.post(`/api/studies/${s.id}/arms`, { key: 'horizon', text: tri('A diplomatic horizon ends the cycle of violence.') });
    expect(res.status).toBe(201);
    expect(await fields(await staff.post(`/api/studies/${s.id}/arms`, { key: 'second-control', control: true }))).toContain('body.control');
    expect(await fields(await staff.post(`/api/studies/${s.id}/arms`, { key: 'horizon', text: tri('again') }))).toContain('body.key');
    expect(await fields(await staff.post(`/api/studies/${s.id}/arms`, { key: 'english', text: { en: 'Only English' } }))).toEqual(['body.text.he', 'body.text.ar']);

    res = await staff.post(`/api/studies/${s.id}/questions`, { key: 'trust', role: 'outcome', kind: 'scale', scaleMin: 0, scaleMax: 10, prompt: tri('Trust?'), primary: true });
    let dto = (await res.json()) as StudyDto;
    expect(res.status).toBe(201);
    expect(dto.questions.filter((q) => q.primary).map((q) => q.key)).toEqual(['trust']);
    const support = dto.questions.find((q) => q.key === 'support')!;
    res = await staff.patch(`/api/study-questions/${support.id}`, { primary: true });
    dto = (await res.json()) as StudyDto;
    expect(dto.questions.filter((q) => q.primary).map((q) => q.key)).toEqual(['support']);
    res = await staff.post(`/api/studies/${s.id}/populations`, { key: 'citizens', name: { ar: 'مواطنون', he: 'אזרחים', en: 'Citizens' }, languages: ['ar', 'he'] });
    expect(res.status).toBe(201);
    const citizens = ((await res.json()) as StudyDto).populations.find((p) => p.key === 'citizens')!;
    expect((await staff.delete(`/api/study-populations/${citizens.id}`)).status).toBe(204);

    const control = s.arms.find((a) => a.control)!;
    expect((await problem(await staff.delete(`/api/study-arms/${control.id}`), 409)).code).toBe('control_required');

    // someone answers
    await t.db.insert(studyResponse).values({
      studyId: s.id,
      populationId: s.populations[0].id,
      armId: s.arms[1].id,
      source: 'survey',
      status: 'consented',
    });
    expect((await problem(await staff.post(`/api/studies/${s.id}/arms`, { key: 'late', text: tri('Late') }), 409)).code).toBe('study_has_responses');
    await problem(await staff.delete(`/api/study-arms/${s.arms[2].id}`), 409);
    await problem(await staff.patch(`/api/study-arms/${s.arms[1].id}`, { key: 'renamed' }), 409);
    await problem(await staff.post(`/api/studies/${s.id}/questions`, { key: 'late', role: 'covariate', kind: 'yes_no', prompt: tri('Late?') }), 409);
    await problem(await staff.patch(`/api/study-questions/${support.id}`, { scaleMax: 5 }), 409);
    await problem(await staff.patch(`/api/study-questions/${dto.questions.find((q) => q.key === 'trust')!.id}`, { primary: true }), 409);
    await problem(await staff.delete(`/api/study-questions/${support.id}`), 409);
    await problem(await staff.post(`/api/studies/${s.id}/populations`, { key: 'late', name: tri('Late'), languages: ['en'] }), 409);
    await problem(await staff.patch(`/api/study-populations/${s.populations[0].id}`, { languages: ['he'] }), 409);
    await problem(await staff.patch(`/api/studies/${s.id}`, { randomization: 'simple' }), 409);

    // text corrections are allowed and audited
    res = await staff.patch(`/api/study-arms/${s.arms[1].id}`, { text: tri('Both peoples have a right to live in safety and dignity.') });
    expect(res.status).toBe(200);
    expect(((await res.json()) as StudyDto).arms[1].text.en).toBe('Both peoples have a right to live in safety and dignity.');
    res = await staff.patch(`/api/study-questions/${support.id}`, { prompt: tri('How much do you support it?') });
    expect(res.status).toBe(200);
    res = await staff.patch(`/api/study-populations/${s.populations[0].id}`, { name: { he: 'ישראלים יהודים', en: 'Jewish Israelis' }, targetN: 1000 });
    expect(res.status).toBe(200);
    const audits = await t.db.select().from(auditEntry).where(and(eq(auditEntry.entityId, s.id), eq(auditEntry.action, 'study.arm.update')));
    expect(audits.length).toBe(1);
    expect(audits[0]!.detail).toMatchObject({ before: { text: { en: 'Both peoples have a right to live in safety.' } } });
  });

  it('opens only when every text is there; survey links per population can be revoked', async () => {
    const s = await created();
    let res = await staff.post(`/api/studies/${s.id}/invites`, { populationId: s.populations[1].id, label: 'Panel A' });
    expect(res.status).toBe(201);
    const invite = ((await res.json()) as StudyDto).invites[0]!;
    expect(invite.url).toMatch(/^http:\/\/localhost:3000\/s\/[A-Za-z0-9_-]{16}$/);
    expect(invite.populationId).toBe(s.populations[1].id);
    expect(await fields(await staff.post(`/api/studies/${s.id}/invites`, { populationId: 'nope' }), 422)).toEqual(['body.populationId']);
    expect((await staff.delete(`/api/study-invites/${invite.id}`)).status).toBe(204);
    res = await staff.get(`/api/studies/${s.id}`);
    expect(((await res.json()) as StudyDto).invites[0]!.revoked).toBe(true);

    res = await staff.patch(`/api/studies/${s.id}`, { status: 'open', consent: tri('You agree to take part.') });
    expect(res.status).toBe(200);
    expect(((await res.json()) as StudyDto).status).toBe('open');

    // a draft with a message missing its Arabic text cannot open
    const d = await buildStudy(t.db, { arms: [{ key: 'control', control: true }, { key: 'm', text: { en: 'English only', he: 'עברית' } }] });
    const p = await problem(await staff.patch(`/api/studies/${d.id}`, { status: 'open' }), 422);
    expect(p.code).toBe('study_not_ready');
    expect(p.errors?.map((e) => e.field)).toContain('arms.1.text.ar');
    const [row] = await t.db.select().from(study).where(eq(study.id, d.id));
    expect(row!.status).toBe('draft');
  });

  it('"test these statements" turns a dialogue’s statements into messages with their translations', async () => {
    const d = await buildDialogue(t.db, {
      title: 'Lives side by side',
      segments: [
        { key: 'jewish-israelis', name: { en: 'Jewish Israelis', he: 'יהודים ישראלים' } },
        { key: 'palestinians', name: { en: 'Palestinians', ar: 'فلسطينيون' } },
      ],
      sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open', seeds: ['Children on both sides deserve to grow up without fear.', { body: 'מחאה לא אלימה חזקה מכל נשק.', language: 'he' }, { body: 'Off topic', status: 'rejected' }] }] }],
    });
    const [children, protest, rejected] = d.seeds.q!;
    await buildTranslation(t.db, { statementId: children!, language: 'he', body: 'לילדים משני הצדדים מגיע לגדול בלי פחד.' });
    await buildTranslation(t.db, { statementId: children!, language: 'ar', body: 'يستحق الأطفال على الجانبين أن يكبروا دون خوف.', source: 'human' });
    const res = await staff.post('/api/studies/from-dialogue', { dialogueId: d.id, statementIds: [children, protest] });
    expect(res.status, await res.clone().text()).toBe(201);
    const s = (await res.json()) as StudyDto & { dialogueId: string; languages: string[] };
    expect(s.status).toBe('draft');
    expect(s.dialogueId).toBe(d.id);
    expect(s.populations.map((p) => p.key)).toEqual(['jewish-israelis', 'palestinians']);
    expect(s.arms.map((a) => [a.control, a.sourceStatementId])).toEqual([
      [true, null],
      [false, children],
      [false, protest],
    ]);
    expect(s.arms[1]!.text).toEqual({ en: 'Children on both sides deserve to grow up without fear.', he: 'לילדים משני הצדדים מגיע לגדול בלי פחד.', ar: 'يستحق الأطفال على الجانبين أن يكبروا دون خوف.' });
    expect(s.arms[2]!.text).toEqual({ he: 'מחאה לא אלימה חזקה מכל נשק.' });
    const outcome = s.questions.find((q) => q.role === 'outcome')!;
    expect(outcome.primary).toBe(true);
    expect(Object.keys(outcome.prompt).sort()).toEqual(['ar', 'en', 'he']);

    // without a title, the study is named after the dialogue in the language of the person who asks
    expect(s.title).toBe('Message test: Lives side by side');
    const hebrewStaff = await t.signedIn('staff');
    expect((await hebrewStaff.patch('/api/me', { locale: 'he' })).status).toBe(200);
    const he = await hebrewStaff.post('/api/studies/from-dialogue', { dialogueId: d.id, statementIds: [children] });
    expect(he.status, await he.clone().text()).toBe(201);
    expect(((await he.json()) as StudyDto).title).toBe('בדיקת מסרים: Lives side by side');

    expect(await fields(await staff.post('/api/studies/from-dialogue', { dialogueId: d.id, statementIds: [rejected] }), 422)).toEqual(['body.statementIds.0']);
    expect(await fields(await staff.post('/api/studies/from-dialogue', { dialogueId: d.id }), 422)).toEqual(['body.statementIds']);
    expect(await fields(await staff.post('/api/studies/from-dialogue', { dialogueId: s.id }), 422)).toEqual(['body.dialogueId']);
    expect(await fields(await staff.post('/api/studies/from-dialogue', { dialogueId: d.id, statementIds: [] }))).toEqual(['body.statementIds']);
  });

  it('computes power: the minimum detectable effect from the target sample, and the sample for an effect', async () => {
    const s = await created();
    let res = await viewer.get(`/api/studies/${s.id}/power?sd=1.5`);
    expect(res.status).toBe(200);
    const p = (await res.json()) as { perPopulation: { populationId: string; nPerArm: number; mde: number }[]; difference: { nPerArm: number; mde: number } };
    expect(p.perPopulation.map((x) => x.nPerArm)).toEqual([300, 300]);
    // (t.975 + t.80) · sd · sqrt(2/n) on 598 df ≈ 2.803 · 1.5 · 0.08165
    expect(p.perPopulation[0]!.mde).toBeCloseTo(0.343, 2);
    expect(p.difference.mde).toBeCloseTo(0.343 * Math.SQRT2, 2);
    res = await viewer.get(`/api/studies/${s.id}/power?sd=1&mde=0.2`);
    const q = (await res.json()) as typeof p;
    expect(q.perPopulation[0]!.nPerArm).toBeGreaterThan(390);
    expect(q.perPopulation[0]!.nPerArm).toBeLessThan(396);
    expect(q.difference.nPerArm).toBeGreaterThan(2 * 390);
    res = await viewer.get(`/api/studies/${s.id}/power?sd=1&nPerArm=300&clusterSize=3&icc=0.1`);
    expect(((await res.json()) as { designEffect: number }).designEffect).toBeCloseTo(1.2, 10);
    expect(await fields(await viewer.get(`/api/studies/${s.id}/power?sd=-1`))).toEqual(['query.sd']);
  });

  it('documents every route in the OpenAPI document', async () => {
    const doc = (await (await viewer.get('/api/openapi.json')).json()) as { paths: Record<string, Record<string, { tags?: string[] }>> };
    for (const path of [
      '/api/studies',
      '/api/studies/{id}',
      '/api/studies/from-dialogue',
      '/api/studies/{id}/populations',
      '/api/study-populations/{id}',
      '/api/studies/{id}/arms',
      '/api/study-arms/{id}',
      '/api/studies/{id}/questions',
      '/api/study-questions/{id}',
      '/api/studies/{id}/invites',
      '/api/study-invites/{id}',
      '/api/studies/{id}/power',
      '/api/studies/{id}/imports/preview',
      '/api/studies/{id}/imports',
      '/api/studies/{id}/analysis',
      '/api/studies/{id}/export/estimates.csv',
      '/api/studies/{id}/report',
      '/api/studies/{id}/draft-variants',
      '/api/studies/{id}/predictions',
    ])
      expect(Object.values(doc.paths[path] ?? {}).map((op) => op.tags).flat(), path).toContain('Studies');
  });
});
