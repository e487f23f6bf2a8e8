import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readResponsesCsv } from '../../src/server/features/studies/responses-csv.ts';
import { analyzeStudy } from '../../src/server/features/studies/stats/analysis.ts';
import { seededRandom } from '../../src/server/features/studies/stats/random.ts';

const root = path.resolve(import.meta.dirname, '../..');
const ALO = path.join(root, 'tests/fixtures/estimatr/alo_star_men.csv');

type Result = { code: number | null; stdout: string; stderr: string };

/** `convene study analyze …` as an analyst runs it: no database, no configuration. */
function analyze(args: string[]): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/convene.ts', 'study', 'analyze', ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-study-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type Arm = { arm: string; n: number; mean: number; estimate: number; se: number; ciLow: number; ciHigh: number; p: number; df: number; pHolm: number; missing: number };
type Output = { populations: { name: string; control: { n: number; mean: number; missing: number }; arms: Arm[] }[]; messages: { arm: string; verdict: string }[] };

describe('convene study analyze', { timeout: 120_000 }, () => {
  // Lin (2013) Table 2 through the command: outcome GPA_year1, treatment sfsp, all 157 rows
  const cases = [
    { name: 'unadjusted', args: [], estimate: '-0.036', HC0: '0.158', HC2: '0.159' },
    { name: 'additive', args: ['--covariates', 'gpa0', '--adjust', 'additive'], estimate: '-0.083', HC0: '0.146', HC2: '0.148' },
    { name: 'Lin', args: ['--covariates', 'gpa0'], estimate: '-0.081', HC0: '0.146', HC2: '0.148' },
  ];
  for (const c of cases) {
    it(`reproduces the ${c.name} estimate of alo_star_men with HC0 and HC2 (the default)`, async () => {
      const base = ['--csv', ALO, '--outcome', 'GPA_year1', '--treatment', 'sfsp', '--control', '0', ...c.args, '--json'];
      const [hc0, hc2] = await Promise.all([analyze([...base, '--se', 'HC0']), analyze(base)]);
      for (const [run, se] of [
        [hc0, c.HC0],
        [hc2, c.HC2],
      ] as const) {
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        const out = JSON.parse(run.stdout) as Output;
        expect(out.populations).toHaveLength(1);
        const [population] = out.populations;
        expect(population.name).toBe('all');
        expect(population.control.n + population.arms[0].n).toBe(157);
        const [arm] = population.arms;
        expect(Object.keys(arm)).toEqual(expect.arrayContaining(['arm', 'n', 'mean', 'estimate', 'se', 'ciLow', 'ciHigh', 'p']));
        expect(arm.estimate.toFixed(3)).toBe(c.estimate);
        expect(arm.se.toFixed(3)).toBe(se);
        expect(arm.ciLow).toBeLessThan(arm.estimate);
        expect(arm.ciHigh).toBeGreaterThan(arm.estimate);
      }
    });
  }

  it('analyses two populations with household clusters (CR2) and prints what the library computes', async () => {
    const random = seededRandom(5);
    const lines = ['respondent,population,household,condition,agrees,age'];
    let id = 0;
    for (const population of ['Israel', 'Palestine'])
      for (let h = 0; h < 120; h++) {
        const size = 1 + random.int(3);
        for (let i = 0; i < size; i++) {
          const condition = ['control', 'horizon', 'nonviolence'][random.int(3)];
          const lift = condition === 'horizon' ? 0.15 : condition === 'nonviolence' && population === 'Israel' ? 0.2 : 0;
          const agrees = random.uniform() < 0.35 + lift ? 'Yes' : 'no';
          const age = 18 + random.int(60);
          lines.push(`${++id},${population},${population}-${h}, ${condition} ,${id % 50 === 0 ? 'NA' : agrees},${age}`);
        }
      }
    const csv = path.join(dir, 'two-populations.csv');
    fs.writeFileSync(csv, lines.join('\n'));
    const args = ['--csv', csv, '--outcome', 'agrees', '--treatment', 'condition', '--control', 'control', '--population', 'population', '--cluster', 'household', '--covariates', 'age'];
    const run = await analyze([...args, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as Output;
    const expected = analyzeStudy(await readResponsesCsv(csv, { outcome: 'agrees', treatment: 'condition', population: 'population', cluster: 'household', covariates: ['age'] }), {
      control: 'control',
    });
    expect(out.populations.map((p) => p.name)).toEqual(['Israel', 'Palestine']);
    for (const [i, p] of out.populations.entries()) {
      expect(p.arms.map((a) => a.arm)).toEqual(['horizon', 'nonviolence']);
      for (const [j, a] of p.arms.entries()) {
        const e = expected.populations[i].arms[j];
        expect(a.estimate).toBeCloseTo(e.estimate, 12);
        expect(a.se).toBeCloseTo(e.se, 12);
        expect(a.df).toBeCloseTo(e.df, 9);
        expect(a.df).toBeLessThan(a.n + p.control.n - 4); // CR2's degrees of freedom, not n − k
      }
    }
    const missing = out.populations.flatMap((p) => [p.control.missing, ...p.arms.map((a) => a.missing)]).reduce((s, m) => s + m, 0);
    expect(missing).toBe(Math.floor(id / 50));
    expect(out.messages.map((m) => m.arm)).toEqual(['horizon', 'nonviolence']);

    const text = await analyze(args);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('CR2 standard errors');
    expect(text.stdout).toMatch(/Population Israel: control n = \d+/);
    expect(text.stdout).toContain('Verdict rule:');
  });

  it('fails with one line and exit code 2 for an unknown column, a missing control label, a bad --se', async () => {
    const base = ['--csv', ALO, '--treatment', 'sfsp'];
    const [column, control, se, clusterSe] = await Promise.all([
      analyze([...base, '--outcome', 'GPA_year3', '--control', '0', '--json']),
      analyze([...base, '--outcome', 'GPA_year1', '--control', 'placebo', '--json']),
      analyze([...base, '--outcome', 'GPA_year1', '--control', '0', '--se', 'HC7', '--json']),
      analyze([...base, '--outcome', 'GPA_year1', '--control', '0', '--se', 'HC2', '--cluster', 'ssp', '--json']),
    ]);
    for (const run of [column, control, se, clusterSe]) {
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
    expect(column.stderr).toContain('no column "GPA_year3"');
    expect(control.stderr).toContain('control label "placebo"');
    expect(se.stderr).toContain('--se must be one of HC0, HC1, HC2, HC3, CR2');
    expect(clusterSe.stderr).toContain('CR2');
  });
});
