import fs from 'node:fs';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { translate } from '../../../i18n/catalogs.ts';
import { LOCALES } from '../../../i18n/locales.ts';
import { auditEntry } from '../audit/audit.schema.ts';
import { STUDY_IMPORT_ERROR_CODES } from './studies.contract.ts';
import { studyPrediction, studyResponse } from './studies.schema.ts';
import { startAiStandIn } from '../../../../tests/setup/ai-stand-in.ts';
import { buildResponses, buildStudy, simulatedResponses } from '../../../../tests/setup/study-factories.ts';
import { createTestApp, problem } from '../../../../tests/setup/test-app.ts';

const standIn = await startAiStandIn();
const t = await createTestApp({ config: { ai: { baseUrl: standIn.baseUrl, model: standIn.model, timeoutMs: 5000, maxConcurrency: 2 } } });
const plain = await createTestApp(); // no AI provider configured
const staff = await t.signedIn('staff');
const viewer = await t.signedIn('viewer');
const plainStaff = await plain.signedIn('staff');

const ALO = fs.readFileSync(path.resolve(import.meta.dirname, '../../../../tests/fixtures/estimatr/alo_star_men.csv'), 'utf8');

type Effect = { armId: string; key: string; n: number; mean: number | null; estimate: number | null; se: number | null; ciLow: number | null; ciHigh: number | null; p: number | null; pHolm: number | null; pBH: number | null; df: number | null; shrunk: { estimate: number | null } };
type Analysis = {
  outcome: string;
  se: string;
  adjustment: string;
  covariates: string[];
  populations: { populationId: string; key: string; control: { n: number; mean: number | null }; missing: number; clusters: number | null; arms: Effect[] }[];
  differences: { armId: string; populations: [string, string]; estimate: number | null; se: number | null; p: number | null }[];
  verdicts: { armId: string; verdict: string }[];
  verdictRule: string;
  attention: { passed: number; failed: number; excluded: boolean };
  predictions: { armId: string; populationId: string | null; score: number; rationale: string | null; model: string }[];
  predictionAccuracy: { populationId: string; spearman: number; messages: number }[] | null;
};

const tri = (en: string) => ({ en, he: `${en} (he)`, ar: `${en} (ar)` });

/** The Lin (2013) study: one population, control and sfsp, outcome GPA_year1, covariate gpa0. */
async function aloStudy() {
  const res = await staff.post('/api/studies', {
    title: 'STAR (Angrist, Lang & Oreopoulos 2009)',
    languages: ['en'],
    populations: [{ key: 'men', name: { en: 'Men' }, languages: ['en'] }],
    arms: [
      { key: 'control', control: true },
      { key: 'sfsp', text: { en: 'Support services and fellowship' } },
    ],
    questions: [
      { key: 'gpa0', role: 'covariate', kind: 'scale', scaleMin: 0, scaleMax: 10, prompt: { en: 'High-school GPA' } },
      { key: 'gpa1', role: 'outcome', kind: 'scale', scaleMin: 0, scaleMax: 10, prompt: { en: 'GPA in year 1' } },
    ],
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string; arms: { id: string; key: string }[]; populations: { id: string }[] };
}
const ALO_MAPPING = { treatment: 'sfsp', outcomes: { gpa1: 'GPA_year1' }, covariates: { gpa0: 'gpa0' }, armValues: { '0': 'control', '1': 'sfsp' } };

describe('importing responses', () => {
  it('reproduces Lin (2013) through the import and the analysis endpoint, as estimatr does', async () => {
    const s = await aloStudy();
    let res = await staff.post(`/api/studies/${s.id}/imports/preview`, { csv: ALO, mapping: ALO_MAPPING });
    expect(res.status, await res.clone().text()).toBe(200);
    const preview = (await res.json()) as { rows: number; accepted: number; missing: Record<string, number>; outOfScale: Record<string, number>; errors: unknown[]; byPopulationArm: { populationKey: string; armKey: string; n: number }[] };
    expect(preview).toMatchObject({ rows: 157, accepted: 157, missing: { gpa1: 0, gpa0: 0 }, errors: [], unknownArms: [], unknownPopulations: [] });
    expect(preview.outOfScale.gpa0).toBe(157); // high-school grades are on a 0–100 scale: a warning, imported as they are
    expect(preview.byPopulationArm.reduce((n, c) => n + c.n, 0)).toBe(157);
    expect(await t.db.select().from(studyResponse).where(eq(studyResponse.studyId, s.id))).toEqual([]);

    res = await staff.post(`/api/studies/${s.id}/imports`, { csv: ALO, mapping: ALO_MAPPING });
    expect(res.status, await res.clone().text()).toBe(201);
    const imported = (await res.json()) as { importId: string; imported: number };
    expect(imported.imported).toBe(157);
    const [audit] = await t.db.select().from(auditEntry).where(and(eq(auditEntry.entityId, s.id), eq(auditEntry.action, 'study.import')));
    expect(audit?.detail).toMatchObject({ importId: imported.importId, imported: 157 });

    const sfsp = s.arms.find((a) => a.key === 'sfsp')!.id;
    const effect = async (query: string) => {
      const r = await viewer.get(`/api/studies/${s.id}/analysis${query}`);
      expect(r.status, await r.clone().text()).toBe(200);
      const a = (await r.json()) as Analysis;
      return { a, e: a.populations[0]!.arms.find((x) => x.armId === sfsp)! };
    };
    const lin = await effect('');
    expect(lin.a).toMatchObject({ outcome: 'gpa1', se: 'HC2', adjustment: 'lin', covariates: ['gpa0'] });
    expect(lin.e.estimate!).toBeCloseTo(-0.081, 3);
    expect(lin.e.se!).toBeCloseTo(0.148, 3);
    expect(lin.a.populations[0]!.control.n + lin.e.n).toBe(157);
    const none = await effect('?adjust=none');
    expect(none.e.estimate!).toBeCloseTo(-0.036, 3);
    expect(none.e.se!).toBeCloseTo(0.159, 3);
    const hc0 = await effect('?adjust=none&se=HC0');
    expect(hc0.e.se!).toBeCloseTo(0.158, 3);
    const additive = await effect('?adjust=additive');
    expect(additive.e.estimate!).toBeCloseTo(-0.083, 3);
    expect(additive.e.se!).toBeCloseTo(0.148, 3);

    // text corrections stay possible; the design is locked
    await problem(await staff.post(`/api/studies/${s.id}/arms`, { key: 'ssp', text: { en: 'ssp' } }), 409);
  });

  it('reads yes/no/true/false in any case and NA/NaN/empty as missing, trims labels, and maps vendor values', async () => {
    const s = await buildStudy(t.db, {
      questions: [
        { key: 'support', role: 'outcome', kind: 'scale', scaleMin: 1, scaleMax: 7, primary: true },
        { key: 'vote', role: 'outcome', kind: 'yes_no' },
        { key: 'age', role: 'covariate', kind: 'scale', scaleMin: 0, scaleMax: 10 },
      ],
    });
    const csv = [
      'country;condition;household;support;vote;age',
      ' IL ;Control;h1;4;Yes;3',
      'IL;M1 ;h1;5;no;4',
      'PS;control;h2;NA;TRUE;5',
      'PS; m2;h3;nan;false;',
      'PS;m2;h4;;YES;2',
      'IL;control;h5;6;nA;1',
      '',
    ].join('\r\n');
    const mapping = {
      population: 'country',
      treatment: 'condition',
      cluster: 'household',
      outcomes: { support: 'support', vote: 'vote' },
      covariates: { age: 'age' },
      populationValues: { IL: 'israelis', PS: 'palestinians' },
      armValues: { Control: 'control', control: 'control', M1: 'message-1', m2: 'message-2' },
    };
    let res = await staff.post(`/api/studies/${s.id}/imports/preview`, { csv, mapping });
    expect(res.status, await res.clone().text()).toBe(200);
    const preview = await res.json();
    expect(preview).toMatchObject({ rows: 6, accepted: 6, missing: { support: 3, vote: 1, age: 1 }, errors: [] });
    expect(preview.byPopulationArm).toEqual([
      { populationKey: 'israelis', armKey: 'control', n: 2 },
      { populationKey: 'israelis', armKey: 'message-1', n: 1 },
      { populationKey: 'palestinians', armKey: 'control', n: 1 },
      { populationKey: 'palestinians', armKey: 'message-2', n: 2 },
    ]);
    res = await staff.post(`/api/studies/${s.id}/imports`, { csv, mapping });
    expect(res.status).toBe(201);
    const rows = await t.db.select().from(studyResponse).where(eq(studyResponse.studyId, s.id));
    expect(rows.map((r) => [r.source, r.status, r.cluster]).sort()).toContainEqual(['import', 'complete', 'h1']);
    const study = (await (await staff.get(`/api/studies/${s.id}`)).json()) as { responses: { total: number; complete: number; imported: number } };
    expect(study.responses).toMatchObject({ total: 6, complete: 6, imported: 6 });
    // clustered rows: CR2 by default, and HC2 is refused with the field named
    res = await viewer.get(`/api/studies/${s.id}/analysis?outcome=vote&adjust=none`);
    const a = (await res.json()) as Analysis;
    expect(a.se).toBe('CR2');
    expect(a.populations[0]!.clusters).toBe(1); // h1 (both rows); h5 has no vote
    expect(a.populations[1]!.clusters).toBe(3);
    expect((await problem(await viewer.get(`/api/studies/${s.id}/analysis?se=HC2`), 400)).errors?.[0]?.field).toBe('query.se');
    expect((await problem(await viewer.get(`/api/studies/${s.id}/analysis?outcome=age`), 400)).errors?.[0]?.field).toBe('query.outcome');
  });

  it('refuses the whole import, naming the mapping fields, when any row has an error or an unmapped value', async () => {
    const s = await buildStudy(t.db);
    const csv = 'pop,arm,y\nisraelis,control,4\nisraelis,message-1,lots\npalestinians,message-9,3\nsomewhere,control,2\nisraelis,,5\n';
    const mapping = { population: 'pop', treatment: 'arm', outcomes: { support: 'y' } };
    let res = await staff.post(`/api/studies/${s.id}/imports/preview`, { csv, mapping });
    const preview = await res.json();
    expect(preview).toMatchObject({ rows: 5, accepted: 1, unknownPopulations: ['somewhere'], unknownArms: ['message-9'] });
    expect(preview.errors).toEqual([
      { row: 3, column: 'y', value: 'lots', detail: expect.stringMatching(/not a number/i), code: 'not_a_number', params: { question: 'support' } },
      { row: 6, column: 'arm', value: '', detail: expect.stringMatching(/empty/i), code: 'empty_condition', params: {} },
    ]);
    res = await staff.post(`/api/studies/${s.id}/imports`, { csv, mapping });
    const p = await problem(res, 422);
    expect(p.code).toBe('import_has_errors');
    expect(p.errors?.map((e) => e.field)).toEqual(['body.mapping.populationValues', 'body.mapping.armValues', 'body.mapping.outcomes.support', 'body.mapping.treatment']);
    expect(await t.db.select().from(studyResponse).where(eq(studyResponse.studyId, s.id))).toEqual([]);

    // a mapping that does not fit the CSV or the study
    res = await staff.post(`/api/studies/${s.id}/imports/preview`, { csv, mapping: { population: 'country', treatment: 'arm', outcomes: { support: 'y', attention: 'y', nope: 'y' }, armValues: { x: 'no-such-arm' } } });
    expect((await problem(res, 422)).errors?.map((e) => e.field)).toEqual([
      'body.mapping.population',
      'body.mapping.outcomes.attention',
      'body.mapping.outcomes.nope',
      'body.mapping.armValues.x',
    ]);
    // several populations: the population column is required
    res = await staff.post(`/api/studies/${s.id}/imports/preview`, { csv, mapping: { treatment: 'arm', outcomes: { support: 'y' } } });
    expect((await problem(res, 422)).errors?.map((e) => e.field)).toEqual(['body.mapping.population']);
    res = await staff.post(`/api/studies/${s.id}/imports/preview`, { csv, mapping: { treatment: 'arm', outcomes: {} } });
    expect((await problem(res, 400)).errors?.map((e) => e.field)).toEqual(['body.mapping.outcomes']);
  });

  it('gives every row error a code and params the catalogs translate in English, Hebrew and Arabic', async () => {
    const s = await buildStudy(t.db, {
      questions: [
        { key: 'support', role: 'outcome', kind: 'scale', scaleMin: 1, scaleMax: 7, primary: true },
        { key: 'vote', role: 'outcome', kind: 'yes_no' },
      ],
    });
    const csv = 'pop,arm,y,v\n,control,4,yes\nisraelis,,4,no\nisraelis,control,much,yes\nisraelis,control,4,2\nisraelis,control,4,1\n';
    const res = await staff.post(`/api/studies/${s.id}/imports/preview`, { csv, mapping: { population: 'pop', treatment: 'arm', outcomes: { support: 'y', vote: 'v' } } });
    expect(res.status, await res.clone().text()).toBe(200);
    const preview = (await res.json()) as { accepted: number; errors: { row: number; column: string; value: string; detail: string; code: string; params: Record<string, string | number> }[] };
    expect(preview.accepted).toBe(1);
    expect(preview.errors).toEqual([
      { row: 2, column: 'pop', value: '', detail: 'Empty: every row needs a population', code: 'empty_population', params: {} },
      { row: 3, column: 'arm', value: '', detail: 'Empty: every row needs a condition', code: 'empty_condition', params: {} },
      { row: 4, column: 'y', value: 'much', detail: expect.stringMatching(/^Not a number/), code: 'not_a_number', params: { question: 'support' } },
      { row: 5, column: 'v', value: '2', detail: expect.stringMatching(/^Not yes\/no/), code: 'not_yes_no', params: { question: 'vote' } },
    ]);
    // every code the server knows has its sentence in each language, with the params it interpolates
    for (const code of Object.keys(STUDY_IMPORT_ERROR_CODES)) {
      for (const l of LOCALES) {
        const key = `studies.import.rowErrors.${code}`;
        const text = translate(l, key, { question: 'vote' });
        expect(text, `${l}: ${key}`).not.toBe(key);
        if (code.startsWith('not_')) expect(text, `${l}: ${key}`).toContain('vote');
      }
    }
  });
});

describe('analysis', () => {
  it('gives effects per population, differences between them, verdicts with the rule, and leaves out the inattentive and the unfinished', async () => {
    const s = await buildStudy(t.db);
    const effects = { israelis: { control: 0, 'message-1': 1, 'message-2': -1 }, palestinians: { control: 0, 'message-1': 1, 'message-2': 0 } };
    await buildResponses(t.db, s, simulatedResponses({ perCell: 60, effects, seed: 7, sd: 0.8 }));
    // people who failed the attention check, or never finished, would otherwise flip the verdicts
    await buildResponses(
      t.db,
      s,
      Array.from({ length: 40 }, (_, i) => ({ population: 'israelis', arm: 'message-2', answers: { support: 7 }, attentionPassed: i % 2 === 0 ? false : null, status: i % 2 === 0 ? 'complete' : 'consented' }) as const),
    );
    const res = await viewer.get(`/api/studies/${s.id}/analysis`);
    expect(res.status, await res.clone().text()).toBe(200);
    const a = (await res.json()) as Analysis;
    expect(a).toMatchObject({ outcome: 'support', se: 'HC2', adjustment: 'none', attention: { passed: 360, failed: 20, excluded: true } });
    expect(a.populations.map((p) => [p.key, p.control.n, p.arms.map((x) => x.n)])).toEqual([
      ['israelis', 60, [60, 60]],
      ['palestinians', 60, [60, 60]],
    ]);
    const [il, ps] = a.populations;
    expect(il!.arms[0]!.estimate!).toBeGreaterThan(0.6);
    expect(il!.arms[1]!.estimate!).toBeLessThan(-0.6);
    for (const e of il!.arms) {
      expect(e.ciLow!).toBeLessThan(e.estimate!);
      expect(e.pHolm!).toBeGreaterThanOrEqual(e.p!);
      expect(e.shrunk.estimate).not.toBeNull();
    }
    expect(a.verdicts).toEqual([
      { armId: s.arms['message-1'], verdict: 'persuades_both' },
      { armId: s.arms['message-2'], verdict: 'backfires' },
    ]);
    expect(a.verdictRule).toMatch(/Backfires/);
    const d = a.differences.find((x) => x.armId === s.arms['message-2'])!;
    expect(d.populations).toEqual([s.populations.israelis, s.populations.palestinians]);
    expect(d.estimate!).toBeCloseTo(il!.arms[1]!.estimate! - ps!.arms[1]!.estimate!, 10);
    expect(d.se!).toBeCloseTo(Math.hypot(il!.arms[1]!.se!, ps!.arms[1]!.se!), 10);
    expect(a.predictions).toEqual([]);
    expect(a.predictionAccuracy).toBeNull();
    await problem(await viewer.get(`/api/studies/${s.id}/analysis?se=CR2`), 400);
    await problem(await viewer.get(`/api/studies/${s.id}/analysis?se=HC9`), 400);
    await problem(await viewer.get('/api/studies/00000000-0000-4000-8000-000000000000/analysis'), 404);
    await problem(await t.client().get(`/api/studies/${s.id}/analysis`), 401);

    // the tidy CSV: one row per population × condition × outcome
    const csv = await viewer.get(`/api/studies/${s.id}/export/estimates.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).trim().split('\r\n');
    expect(lines[0]).toBe('population,arm,outcome,n,mean,estimate,se,ci_low,ci_high,p,p_holm,p_bh,shrunk_estimate,verdict');
    expect(lines).toHaveLength(1 + 2 * 3);
    expect(lines.find((l) => l.startsWith('israelis,message-2,support,60,'))).toMatch(/,backfires$/);
    expect(lines.find((l) => l.startsWith('israelis,control,support,60,'))).toMatch(/,,,,,,,,,$/);

    // the printable report, in Hebrew: right to left, plots as inline SVG, the rule, no script
    const report = await viewer.get(`/api/studies/${s.id}/report?lang=he`);
    expect(report.status).toBe(200);
    const html = await report.text();
    expect(html).toMatch(/<html lang="he" dir="rtl">/);
    expect(html.match(/<svg /g)?.length).toBe(2);
    expect(html).toContain('פועל הפוך');
    expect(html).toContain('Backfires: significantly negative');
    expect(html).not.toMatch(/<script/i);
    const en = await (await viewer.get(`/api/studies/${s.id}/report?lang=en`)).text();
    expect(en).toContain('Persuades both');
  });
  it('answers for a study nobody has answered yet: nothing estimable, every message inconclusive', async () => {
    const s = await buildStudy(t.db);
    await buildResponses(t.db, s, simulatedResponses({ perCell: 5, effects: { israelis: { control: 0, 'message-1': 1, 'message-2': 0 } }, seed: 1 }));
    const a = (await (await viewer.get(`/api/studies/${s.id}/analysis`)).json()) as Analysis;
    expect(a.populations[1]).toMatchObject({ key: 'palestinians', control: { n: 0, mean: null } });
    expect(a.populations[1]!.arms[0]).toMatchObject({ n: 0, estimate: null, se: null, p: null });
    expect(a.differences[0]).toMatchObject({ estimate: null, se: null });
    expect(a.verdicts.map((v) => v.verdict)).toEqual(['inconclusive', 'inconclusive']);
    const empty = await buildStudy(t.db);
    expect((await viewer.get(`/api/studies/${empty.id}/analysis`)).status).toBe(200);
    expect((await viewer.get(`/api/studies/${empty.id}/export/estimates.csv`)).status).toBe(200);
    expect((await viewer.get(`/api/studies/${empty.id}/report`)).status).toBe(200);
  });
});

describe('AI assist', () => {
  it('answers 409 ai_not_configured without a provider', async () => {
    const s = await buildStudy(plain.db, { brief: 'Non-violence works' });
    let p = await problem(await plainStaff.post(`/api/studies/${s.id}/draft-variants`, { count: 2 }), 409);
    expect(p.code).toBe('ai_not_configured');
    expect(p.detail).toMatch(/No AI provider is configured/);
    p = await problem(await plainStaff.post(`/api/studies/${s.id}/predictions`), 409);
    expect(p.code).toBe('ai_not_configured');
  });

  it('drafts variants in every language of the study from its brief (not stored)', async () => {
    const s = await buildStudy(t.db, { brief: 'Non-violent protest protects both peoples', languages: ['he', 'ar', 'en'] });
    const res = await staff.post(`/api/studies/${s.id}/draft-variants`, { count: 3 });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as { variants: { text: Record<string, string> }[] };
    expect(body.variants).toHaveLength(3);
    expect(Object.keys(body.variants[0]!.text).sort()).toEqual(['ar', 'en', 'he']);
    expect(body.variants[0]!.text.he).toContain('Non-violent protest protects both peoples');
    expect((await problem(await staff.post(`/api/studies/${s.id}/draft-variants`, { count: 7 }), 400)).errors?.[0]?.field).toBe('body.count');
    const noBrief = await buildStudy(t.db);
    expect((await problem(await staff.post(`/api/studies/${noBrief.id}/draft-variants`, { count: 1 }), 422)).code).toBe('brief_required');
  });

  it('stores predicted rankings per population, shown apart, and how well they did once results exist', async () => {
    // the stand-in scores a message by its length: longest first
    const s = await buildStudy(t.db, {
      arms: [
        { key: 'control', control: true },
        { key: 'short', text: tri('Peace.') },
        { key: 'medium', text: tri('Peace for both.') },
        { key: 'long', text: tri('A lasting peace for both peoples.') },
      ],
    });
    let res = await staff.post(`/api/studies/${s.id}/predictions`);
    expect(res.status, await res.clone().text()).toBe(200);
    const { items } = (await res.json()) as { items: { armId: string; populationId: string; score: number; model: string }[] };
    expect(items).toHaveLength(6);
    expect(items.find((i) => i.armId === s.arms.long && i.populationId === s.populations.israelis)!.score).toBe(100);
    expect(items[0]!.model).toBe('stand-in');
    // a second run replaces the first
    await staff.post(`/api/studies/${s.id}/predictions`);
    expect(await t.db.select().from(studyPrediction).where(eq(studyPrediction.studyId, s.id))).toHaveLength(6);

    // measured: the longer the message, the larger its effect among Israelis; the reverse among Palestinians
    const effects = { israelis: { control: 0, short: 0.2, medium: 0.5, long: 1 }, palestinians: { control: 0, short: 1, medium: 0.5, long: 0.2 } };
    await buildResponses(t.db, s, simulatedResponses({ perCell: 30, effects, seed: 3, sd: 0.3 }));
    const a = (await (await viewer.get(`/api/studies/${s.id}/analysis`)).json()) as Analysis;
    expect(a.predictions).toHaveLength(6);
    expect(a.predictionAccuracy).toEqual([
      { populationId: s.populations.israelis, spearman: 1, messages: 3 },
      { populationId: s.populations.palestinians, spearman: -1, messages: 3 },
    ]);
    const html = await (await viewer.get(`/api/studies/${s.id}/report?lang=ar`)).text();
    expect(html).toContain('ارتباط سبيرمان');
  });

  it('says when the provider fails (503), and stores nothing', async () => {
    const s = await buildStudy(t.db);
    standIn.setFailure('500');
    try {
      const p = await problem(await staff.post(`/api/studies/${s.id}/predictions`), 503);
      expect(p.code).toBe('ai_unavailable');
    } finally {
      standIn.setFailure(null);
    }
    expect(await t.db.select().from(studyPrediction).where(eq(studyPrediction.studyId, s.id))).toEqual([]);
  });
});
