import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOptw, travelHundredths } from './optw-format.ts';
import { solveOptw } from './optw.ts';

const c101 = fs.readFileSync(path.resolve(import.meta.dirname, '../../../../../tests/fixtures/optw/c101.txt'), 'utf8');

describe('the OPTW core', () => {
  it('travel is the distance rounded down to one decimal, exactly (in hundredths)', () => {
    expect(travelHundredths(300, 400, 1)).toBe(500); // 3-4-5
    expect(travelHundredths(100, 100, 1)).toBe(140); // 1.414… -> 1.4
    expect(travelHundredths(100, 100, 2)).toBe(141);
    expect(travelHundredths(0, 0, 1)).toBe(0);
  });

  it('reads c101: 100 customers, Tmax 1236, windows and profits in hundredths', () => {
    const inst = parseOptw(c101);
    expect(inst.n).toBe(100);
    expect(inst.tmax).toBe(123600);
    expect([inst.open[1], inst.close[1], inst.service[1], inst.profit[1]]).toEqual([91200, 96700, 9000, 10]);
  });

  it('is deterministic for a seed and an iteration count', () => {
    const inst = parseOptw(c101);
    const a = solveOptw(inst, { seed: 5, maxIterations: 300, timeLimitMs: 60_000 });
    const b = solveOptw(inst, { seed: 5, maxIterations: 300, timeLimitMs: 60_000 });
    expect(a).toEqual(b);
  });

  it('an instance where nothing fits gives an empty route, score 0', () => {
    const text = '1 1 2 1\n0 200\n0 0 0 0 0 0 0 0 10\n1 50 0 5 10 1 1 1 0 100\n2 0 60 5 10 1 1 1 0 100\n';
    expect(solveOptw(parseOptw(text), { timeLimitMs: 50 })).toEqual({ score: 0, routes: [[]] });
  });
});
