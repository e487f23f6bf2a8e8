import { createRoute, lazyRouteComponent, type AnyRoute } from '@tanstack/react-router';
import { loadResearchCatalog } from '../../i18n.ts';
import { dialogueSearch } from './dialogue.search.ts';

/** The Research pillar's pages (collective dialogues), under /research; each loaded when opened. */
export function dialoguesRoutes(appRoute: AnyRoute): AnyRoute[] {
  return [
    createRoute({
      getParentRoute: () => appRoute,
      beforeLoad: () => loadResearchCatalog(),
      path: '/research',
      component: lazyRouteComponent(() => import('./dialogues-list.page.tsx'), 'DialoguesPage'),
    }),
    createRoute({
      getParentRoute: () => appRoute,
      beforeLoad: () => loadResearchCatalog(),
      path: '/research/dialogues/$id',
      validateSearch: dialogueSearch,
      component: lazyRouteComponent(() => import('./dialogue.page.tsx'), 'DialoguePage'),
    }),
  ] as unknown as AnyRoute[];
}
