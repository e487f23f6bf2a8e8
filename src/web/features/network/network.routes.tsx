import type { AnyRoute } from '@tanstack/react-router';

/** The Network pillar's pages (organisations, people, search, member health, import), under /network. */
export function networkRoutes(_appRoute: AnyRoute): AnyRoute[] {
  return [];
}
