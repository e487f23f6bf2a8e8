import { createRoute, lazyRouteComponent, type AnyRoute } from '@tanstack/react-router';

/** The Events pillar under /events: the list, a new event, one event (its settings, tickets, co-hosts, totals). */
export function eventsRoutes(appRoute: AnyRoute): AnyRoute[] {
  const page = (path: string, load: () => Promise<Record<string, unknown>>, name: string) =>
    createRoute({ getParentRoute: () => appRoute, path, component: lazyRouteComponent(load as never, name as never) }) as unknown as AnyRoute;
  return [
    page('/events', () => import('./events-list.page.tsx'), 'EventsPage'),
    page('/events/new', () => import('./event-new.page.tsx'), 'NewEventPage'),
    page('/events/$id', () => import('./event.page.tsx'), 'EventPage'),
    page('/events/$id/report', () => import('./report.page.tsx'), 'EventReportPage'),
    page('/events/$id/cohosts/$organisationId', () => import('./cohost.page.tsx'), 'CohostViewPage'),
  ];
}
