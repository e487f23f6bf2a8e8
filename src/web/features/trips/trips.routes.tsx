import { createRoute, lazyRouteComponent, type AnyRoute } from '@tanstack/react-router';

/** The Trips pillar under /trips: the list (with a new trip) and one trip (its plan, week and list views). */
export function tripsRoutes(appRoute: AnyRoute): AnyRoute[] {
  const page = (path: string, load: () => Promise<Record<string, unknown>>, name: string) =>
    createRoute({ getParentRoute: () => appRoute, path, component: lazyRouteComponent(load as never, name as never) }) as unknown as AnyRoute;
  return [page('/trips', () => import('./trips-list.page.tsx'), 'TripsPage'), page('/trips/$id', () => import('./trip.page.tsx'), 'TripPage')];
}
