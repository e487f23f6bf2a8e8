import type { FeatureDeps } from '../../http/context.ts';
import { newRouter } from '../../http/openapi.ts';

/** Meetings, topics, what members shared, follow-ups, need-to-know grants. */
export function meetingsRoutes(_deps: FeatureDeps) {
  return newRouter();
}
