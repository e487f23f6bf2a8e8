import type { Plan, PlanningProblem } from './solver/model.ts';
import { solvePlan } from './solver/planner.ts';

/** The one call site of the planner (docs/trips.md, "The solver"). */
export function planTrip(problem: PlanningProblem): { plan: Plan; solver: string } {
  return { plan: solvePlan(problem), solver: 'ils' };
}
