import type { Plan, PlanningProblem } from './solver/model.ts';
import { planGreedy } from './plan-greedy.ts';

/** The one call site of the planner: the stand-in greedy planner until the real solver (solver/) is merged. */
export function planTrip(problem: PlanningProblem): { plan: Plan; solver: string } {
  return { plan: planGreedy(problem), solver: 'greedy' };
}
