import { createRoute, lazyRouteComponent, type AnyRoute } from '@tanstack/react-router';
import { loadResearchCatalog } from '../../i18n.ts';

export const DIALOGUE_TABS = ['setup', 'moderation', 'statements', 'analysis', 'summaries', 'export'] as const;
export type DialogueTab = (typeof DIALOGUE_TABS)[number];
export type DialogueSearch = { tab?: DialogueTab; statement?: string };

const dialogueSearch = (s: Record<string, unknown>): DialogueSearch => ({
  tab: (DIALOGUE_TABS as readonly unknown[]).includes(s.tab) ? (s.tab as DialogueTab) : undefined,
  statement: typeof s.statement === 'string' && /^[0-9a-f-]{36}$/i.test(s.statement) ? s.statement : undefined,
});

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
