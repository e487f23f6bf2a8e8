import type { FeatureDeps } from '../../http/context.ts';
import { newRouter } from '../../http/openapi.ts';

/** Offices and which office each staff member belongs to. */
export function officesRoutes(_deps: FeatureDeps) {
  return newRouter();
}
