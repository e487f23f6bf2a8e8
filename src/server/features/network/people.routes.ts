import type { FeatureDeps } from '../../http/context.ts';
import { newRouter } from '../../http/openapi.ts';

/** People: names and transliterations, contacts, affiliations, pseudonyms. */
export function peopleRoutes(_deps: FeatureDeps) {
  return newRouter();
}
