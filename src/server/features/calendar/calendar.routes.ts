import type { FeatureDeps } from '../../http/context.ts';
import { newRouter } from '../../http/openapi.ts';

/** iCalendar feeds and .ics downloads. */
export function calendarRoutes(_deps: FeatureDeps) {
  return newRouter();
}
