import type { Db } from '../db/client.ts';
import type { RateLimits } from '../runtime/rate-limits.ts';
import { ParticipationRuntime } from '../features/dialogues/participation.runtime.ts';
import type { SurveyRuntime } from '../features/studies/survey.service.ts';

/**
 * What the public pages and their JSON API keep while an app server runs: one object, made by createApp and
 * passed to the routers through their deps (no module-level state). Rate limits are counted in the database
 * (`limits`), so they hold across servers; what is held in memory (the vote writer's queue, caches of a second
 * or three) is described in participation.runtime.ts.
 */
export type PublicRuntime = {
  limits: RateLimits;
  participation: ParticipationRuntime;
  survey: SurveyRuntime;
  /** Resolves when every vote accepted so far is stored (or refused). */
  drain(): Promise<void>;
  /** At shutdown: takes no more votes (503), then drains; call before closing the database. */
  stop(): Promise<void>;
};

export function createPublicRuntime(db: Db, limits: RateLimits): PublicRuntime {
  const participation = new ParticipationRuntime(db, limits);
  return {
    limits,
    participation,
    survey: { limits },
    drain: () => participation.writer.drain(),
    stop: () => participation.writer.stop(),
  };
}
