import type { FeatureDeps } from '../../http/context.ts';
import { newRouter } from '../../http/openapi.ts';

/** Organisations: names in three scripts, membership history, links. */
export function organisationsRoutes(_deps: FeatureDeps) {
  return newRouter();
}
