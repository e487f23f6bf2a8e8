import type { FeatureDeps } from '../../http/context.ts';
import { newRouter } from '../../http/openapi.ts';

/** CSV import and export, merging duplicates. */
export function importsRoutes(_deps: FeatureDeps) {
  return newRouter();
}
