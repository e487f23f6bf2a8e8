import { createRoute, lazyRouteComponent, type AnyRoute } from '@tanstack/react-router';
import { AdminOnly } from '../shell/guards.tsx';

const searchQ = (s: Record<string, unknown>) => ({ q: typeof s.q === 'string' ? s.q : '' });

/** The Network pillar's pages (organisations, people, search, member health, import, offices), under /network; each loaded when opened. */
export function networkRoutes(appRoute: AnyRoute): AnyRoute[] {
  const page = (path: string, load: () => Promise<Record<string, unknown>>, name: string) =>
    createRoute({ getParentRoute: () => appRoute, path, component: lazyRouteComponent(load as never, name as never) });
  const offices = createRoute({ getParentRoute: () => appRoute, path: '/network/offices', component: AdminOnly });
  const officesIndex = createRoute({
    getParentRoute: () => offices,
    path: '/',
    component: lazyRouteComponent(() => import('./offices.page.tsx'), 'OfficesPage'),
  });
  return [
    page('/network', () => import('./organisations.page.tsx'), 'OrganisationsPage'),
    page('/network/organisations/$id', () => import('./organisation.page.tsx'), 'OrganisationPage'),
    page('/network/people', () => import('./network-people.page.tsx'), 'NetworkPeoplePage'),
    page('/network/people/$id', () => import('./person.page.tsx'), 'PersonPage'),
    createRoute({
      getParentRoute: () => appRoute,
      path: '/network/search',
      validateSearch: searchQ,
      component: lazyRouteComponent(() => import('./search.page.tsx'), 'SearchPage'),
    }),
    page('/network/health', () => import('./health.page.tsx'), 'HealthPage'),
    page('/network/import', () => import('./import.page.tsx'), 'ImportPage'),
    offices.addChildren([officesIndex]),
  ] as AnyRoute[];
}
