import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const fixture = (name: string) => path.join(root, 'tests/fixtures/optw', `${name}.txt`);

type Result = { code: number | null; stdout: string; stderr: string };

/** `convene trip solve-optw …` as a researcher runs it: no database, no configuration. */
function solve(args: string[]): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/convene.ts', 'trip', 'solve-optw', ...args], {
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

// An independent reading of the TOPTW format and an independent feasibility check (floating point with a small
// tolerance, unlike the solver's integer hundredths), so that a bug in the solver's parser or schedule cannot hide.
interface Vertex {
  x: number;
  y: number;
  service: number;
  profit: number;
  open: number;
  close: number;
}
function readInstance(file: string): Vertex[] {
  const rows = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => l.split(/\s+/).map(Number));
  const n = rows[0]![2]!;
  return rows.slice(2, n + 3).map((r) => ({ x: r[1]!, y: r[2]!, service: r[3]!, profit: r[4]!, open: r[r.length - 2]!, close: r[r.length - 1]! }));
}
function check(vertices: Vertex[], routes: number[][]): { score: number; problems: string[] } {
  const problems: string[] = [];
  const travel = (a: Vertex, b: Vertex) => Math.floor(Math.hypot(a.x - b.x, a.y - b.y) * 10 + 1e-7) / 10;
  const tmax = vertices[0]!.close;
  const seen = new Set<number>();
  let score = 0;
  for (const route of routes) {
    let t = 0;
    let at = vertices[0]!;
    for (const v of route) {
      if (!Number.isInteger(v) || v < 1 || v >= vertices.length) {
        problems.push(`vertex ${v} does not exist`);
        continue;
      }
      if (seen.has(v)) problems.push(`vertex ${v} visited twice`);
      seen.add(v);
      const to = vertices[v]!;
      t = Math.max(t + travel(at, to), to.open);
      if (t > to.close + 1e-6) problems.push(`vertex ${v} starts at ${t}, after its window closes at ${to.close}`);
      t += to.service;
      score += to.profit;
      at = to;
    }
    t += travel(at, vertices[0]!);
    if (t > tmax + 1e-6) problems.push(`route back at ${t}, after Tmax ${tmax}`);
  }
  return { score, problems };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-optw-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('convene trip solve-optw', { timeout: 60_000 }, () => {
  // proven one-route optima (Righini & Salani 2009), written here: the command never sees them
  const optima = { c101: 320, r101: 198, rc101: 219 };
  for (const [name, optimum] of Object.entries(optima)) {
    it(`${name}, one route: within 2% of the optimum ${optimum} in at most 2 s, and feasible`, async () => {
      const run = await solve([fixture(name), '--paths', '1', '--json']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const out = JSON.parse(run.stdout) as { score: number; routes: number[][]; seconds: number };
      expect(Object.keys(out).sort()).toEqual(['routes', 'score', 'seconds']);
      expect(out.routes).toHaveLength(1);
      const { score, problems } = check(readInstance(fixture(name)), out.routes);
      expect(problems).toEqual([]);
      expect(out.score).toBe(score);
      expect(score).toBeGreaterThanOrEqual(optimum * 0.98);
      expect(score).toBeLessThanOrEqual(optimum); // more than the proven optimum would mean a wrong checker or parser
      expect(out.seconds).toBeLessThanOrEqual(2);
    });
  }

  it('two routes on c101: feasible, no vertex twice, more than one route can hold', async () => {
    const run = await solve([fixture('c101'), '--paths', '2', '--time-limit', '0.5', '--json']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { score: number; routes: number[][] };
    expect(out.routes).toHaveLength(2);
    const { score, problems } = check(readInstance(fixture('c101')), out.routes);
    expect(problems).toEqual([]);
    expect(out.score).toBe(score);
    expect(score).toBeGreaterThan(320);
  });

  it('a file that is not in the format: a clear error naming the line, exit code 1', async () => {
    const lines = fs.readFileSync(fixture('c101'), 'utf8').split('\n');
    const cases: Array<[string, string, RegExp]> = [
      ['empty', '', /line 1: the file is empty/],
      ['no-n', 'hello\n', /line 1: expected "k v N t"/],
      ['bad-field', [...lines.slice(0, 5), lines[5]!.replace('42.00', 'forty-two'), ...lines.slice(6)].join('\n'), /line 6: x \(field 2\) must be a number, found "forty-two"/],
      ['short', lines.slice(0, 50).join('\n'), /expected 101 vertex lines/],
      ['window', [...lines.slice(0, 3), lines[3]!.replace(/912 967$/, '967 912'), ...lines.slice(4)].join('\n'), /line 4: the time window closes \(912\) before it opens \(967\)/],
      ['order', [lines[0], lines[1], lines[3], lines[2], ...lines.slice(4)].join('\n'), /line 3: expected vertex 0, found "1"/],
    ];
    for (const [name, text, message] of cases) {
      const file = path.join(dir, `${name}.txt`);
      fs.writeFileSync(file, text);
      const run = await solve([file, '--json']);
      expect(run.code, name).toBe(1);
      expect(run.stdout, name).toBe('');
      expect(run.stderr, name).toMatch(/is not a TOPTW instance/);
      expect(run.stderr, name).toMatch(message);
    }
  });

  it('usage errors: exit code 2 with the help', async () => {
    for (const args of [[], ['--paths', '0', fixture('c101')], ['--time-limit', 'soon', fixture('c101')], ['--decimals', '3', fixture('c101')], ['--frobnicate', fixture('c101')]]) {
      const run = await solve(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(/convene trip solve-optw: /);
    }
    const missing = await solve([path.join(dir, 'nope.txt')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*nope\.txt: ENOENT/);
  });

  it('--help explains the format and the options', async () => {
    const run = await solve(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/TOPTW text format/);
    expect(run.stdout).toMatch(/--time-limit S/);
  });
});
