import { createRoute, lazyRouteComponent, type AnyRoute } from '@tanstack/react-router';
import { loadResearchCatalog } from '../../i18n.ts';
import { studySearch } from './study.search.ts';

/** Message tests, in the Research pillar under /research/studies; each page loaded when opened. */
export function studiesRoutes(appRoute: AnyRoute): AnyRoute[] {
  return [
    createRoute({
      getParentRoute: () => appRoute,
      beforeLoad: () => loadResearchCatalog(),
      path: '/research/studies',
      component: lazyRouteComponent(() => import('./studies-list.page.tsx'), 'StudiesPage'),
    }),
    createRoute({
      getParentRoute: () => appRoute,
      beforeLoad: () => loadResearchCatalog(),
      path: '/research/studies/$id',
      validateSearch: studySearch,
      component: lazyRouteComponent(() => import('./study.page.tsx'), 'StudyPage'),
    }),
  ] as unknown as AnyRoute[];
}
