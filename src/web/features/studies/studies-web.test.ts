import { describe, expect, it } from 'vitest';
import { CreateStudySchema } from '../../../server/features/studies/studies.contract.ts';
import { sharedDomain, ticks } from './plot-scale.ts';
import { DEFAULT_POWER, localPower } from './power-figures.ts';
import type { Analysis } from './studies.api.ts';
import { initialDraft, toCreateBody } from './study-draft.ts';

describe('the wizard', () => {
  it('turns a filled draft into a body the contract accepts: one control, the first outcome primary, the attention check last', () => {
    const d = initialDraft();
    d.title = '  Horizon  ';
    d.populations[0] = { ...d.populations[0]!, key: 'jewish-israelis', name: { he: 'יהודים ישראלים', en: 'Jewish Israelis', ar: ' ' }, languages: ['he', 'en'] };
    d.populations[1] = { ...d.populations[1]!, key: 'palestinians', name: { ar: 'فلسطينيون', en: 'Palestinians' }, languages: ['ar', 'en'], targetN: null };
    d.messages[0]!.text = { he: 'א', ar: 'ب', en: 'c' };
    d.attention = true;
    const body = toCreateBody(d);
    expect(CreateStudySchema.safeParse(body).success).toBe(true);
    expect(body.title).toBe('Horizon');
    expect(body.arms.filter((a) => a.control)).toHaveLength(1);
    expect(body.arms[0]!.text).toEqual({}); // an empty control shows nothing
    expect(body.populations[0]!.name).toEqual({ he: 'יהודים ישראלים', en: 'Jewish Israelis' }); // blank texts left out
    expect(body.populations[1]).not.toHaveProperty('targetN');
    expect(body.questions.map((q) => [q.key, q.role, q.primary])).toEqual([
      ['agreement', 'outcome', true],
      ['attention', 'attention', undefined],
    ]);
    expect(body.questions[1]!.correctOption).toBe('blue');
  });
});

describe('the power calculator in the browser', () => {
  const populations = [
    { id: 'a', name: { en: 'A' }, targetN: 200 },
    { id: 'b', name: { en: 'B' }, targetN: 400 },
  ];

  it('divides each target among the conditions and gives the smallest detectable effect (R power.t.test: 0.566 for 50 per arm, sd 1)', () => {
    const r = localPower(populations, 4, { ...DEFAULT_POWER, sd: 1 });
    expect(r.perPopulation.map((p) => p.nPerArm)).toEqual([50, 100]);
    expect(r.perPopulation[0]!.mde).toBeCloseTo(0.5659, 3);
    expect(r.difference!.mde!).toBeGreaterThan(r.perPopulation[0]!.mde!);
  });

  it('answers the people per condition for a target effect (R: 64 per arm for d = 0.5)', () => {
    const r = localPower(populations, 4, { ...DEFAULT_POWER, sd: 1, mode: 'n', mde: 0.5 });
    expect(r.perPopulation.map((p) => p.nPerArm)).toEqual([64, 64]);
    expect(r.difference!.nPerArm).toBeGreaterThan(120);
  });
});

describe('the coefficient plot scale', () => {
  const arm = (estimate: number, lo: number, hi: number) => ({ estimate, ciLow: lo, ciHigh: hi, shrunk: { estimate, se: 0.1, ciLow: lo, ciHigh: hi } });
  it('is shared by the populations, includes zero, and has round ticks', () => {
    const a = { populations: [{ arms: [arm(1.1, 0.6, 1.6)] }, { arms: [arm(-1.5, -1.98, -1.02), { estimate: null, ciLow: null, ciHigh: null, shrunk: { estimate: null, ciLow: null, ciHigh: null } }] }] } as unknown as Analysis;
    const d = sharedDomain(a);
    expect(d[0]).toBeLessThanOrEqual(-1.98);
    expect(d[1]).toBeGreaterThanOrEqual(1.6);
    expect(ticks(d)).toContain(0);
    expect(ticks([-2, 2])).toEqual([-2, -1, 0, 1, 2]);
  });
});
