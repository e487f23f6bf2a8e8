import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../../../../tests/setup/trips-plan-check.ts';
import { generateTrip } from './generate.ts';
import { buildExactModel, ExactModelError, solveExact } from './milp.ts';
import type { Plan } from './model.ts';
import { solvePlan } from './planner.ts';

// The planner's iterated local search against HiGHS on the same model (milp.ts: time-indexed on a 15-minute grid,
// constant travel, which the generated cases respect). Small trips: 3 travellers, one day, 5 requests, 2 venues
// and the base; some with 15-minute buffers; group meetings, must and may attendees, options barred to a traveller.
const CASES = 50;

describe('the planner against the exact optimum (HiGHS)', { timeout: 900_000 }, () => {
  it(`on ${CASES} generated small trips the plan's objective equals the optimum`, async () => {
    const mismatches: string[] = [];
    const unproved: number[] = [];
    let compared = 0;
    // HiGHS has 30 s per case; a case it cannot prove in that time is counted and replaced by the next seed
    for (let seed = 1; compared < CASES && seed <= CASES + 10; seed++) {
      const problem = generateTrip({ seed, travellers: 3, days: 1, requests: 5, venues: 2, constantTravel: true, bufferMinutes: seed % 3 === 0 ? 15 : 0 });
      const exact = await solveExact(problem, { timeLimitSeconds: 30 });
      if (exact.status === 'other') {
        unproved.push(seed);
        continue;
      }
      expect(exact.status, `seed ${seed}`).toBe('optimal');
      compared++;
      // the MILP's plan passes the independent check too: the two models say the same about feasibility
      const asPlan: Plan = {
        items: exact.held.map((h) => ({ ...h, end: h.start + problem.requests.find((r) => r.id === h.requestId)!.durationMinutes, pinned: false })),
        legs: [],
        unplanned: problem.requests.filter((r) => !exact.held.some((h) => h.requestId === r.id)).map((r) => ({ requestId: r.id, reasons: [{ kind: 'no_common_availability' as const }] })),
        objective: { priorityHeld: exact.priorityHeld, travelMinutes: 0, idleMinutes: 0, changedFromPrevious: 0 },
        status: 'optimal',
        seconds: exact.seconds,
      };
      expect(checkPlan(problem, asPlan), `seed ${seed}: the optimum's plan`).toEqual([]);
      // a generous budget: the search stops when it stalls, so the run is the same on a loaded machine
      const plan = solvePlan({ ...problem, timeLimitMs: 20_000 });
      expect(checkPlan(problem, plan), `seed ${seed}`).toEqual([]);
      const cost = plan.objective.travelMinutes + plan.objective.idleMinutes;
      // never better than the optimum: that would mean the two models differ
      expect(plan.objective.priorityHeld, `seed ${seed}`).toBeLessThanOrEqual(exact.priorityHeld);
      if (plan.objective.priorityHeld === exact.priorityHeld) expect(cost, `seed ${seed}`).toBeGreaterThanOrEqual(exact.cost);
      if (plan.objective.priorityHeld !== exact.priorityHeld || cost !== exact.cost)
        mismatches.push(`seed ${seed}: plan ${plan.objective.priorityHeld} / ${cost} min, optimum ${exact.priorityHeld} / ${exact.cost} min`);
    }
    expect(mismatches).toEqual([]);
    expect(compared).toBe(CASES);
    expect(unproved.length).toBeLessThanOrEqual(10);
  });

  it('refuses what the exact model does not cover, naming it', () => {
    const problem = generateTrip({ seed: 1, travellers: 2, days: 1, requests: 3, venues: 2, constantTravel: true });
    expect(() => buildExactModel({ ...problem, travel: (a, b, t) => (a === b ? 0 : t < 720 ? 15 : 30) })).toThrow(/travel from 0 to 1 depends on the time of day/);
    expect(() => buildExactModel({ ...problem, fixed: [{ id: 'f', travellerIds: ['t1'], place: 1, interval: { start: 600, end: 660 } }] })).toThrow(ExactModelError);
    const constant = generateTrip({ seed: 1, travellers: 2, days: 1, requests: 3, venues: 2, constantTravel: true });
    expect(() => buildExactModel({ ...constant, requests: [{ ...constant.requests[0]!, durationMinutes: 40 }] })).toThrow(/requests\[0\]\.durationMinutes \(40\) is not a multiple of 15/);
  });
});
