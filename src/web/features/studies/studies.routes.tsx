import { createRoute, lazyRouteComponent, type AnyRoute } from '@tanstack/react-router';
import { loadResearchCatalog } from '../../i18n.ts';

export const STUDY_TABS = ['overview', 'import', 'analysis', 'export'] as const;
export type StudyTab = (typeof STUDY_TABS)[number];
export type StudySearch = { tab?: StudyTab };

const studySearch = (s: Record<string, unknown>): StudySearch => ({
  tab: (STUDY_TABS as readonly unknown[]).includes(s.tab) ? (s.tab as StudyTab) : undefined,
});

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
