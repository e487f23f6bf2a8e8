import type { AnyRoute } from '@tanstack/react-router';

/** Meetings, follow-ups, the dashboard and calendar feeds, under /network. */
export function meetingsRoutes(_appRoute: AnyRoute): AnyRoute[] {
  return [];
}
