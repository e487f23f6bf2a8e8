import type { FeatureDeps } from '../../http/context.ts';
import { newRouter } from '../../http/openapi.ts';

/** Search, timelines, member health, saved segments, dashboard. */
export function insightsRoutes(_deps: FeatureDeps) {
  return newRouter();
}
