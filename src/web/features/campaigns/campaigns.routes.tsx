import { createRoute, lazyRouteComponent, type AnyRoute } from '@tanstack/react-router';

/** The Campaigns pillar under /campaigns: the list (and a new campaign), one campaign (its grid, targets, asks, coverage). */
export function campaignsRoutes(appRoute: AnyRoute): AnyRoute[] {
  const page = (path: string, load: () => Promise<Record<string, unknown>>, name: string) =>
    createRoute({ getParentRoute: () => appRoute, path, component: lazyRouteComponent(load as never, name as never) }) as unknown as AnyRoute;
  return [page('/campaigns', () => import('./campaigns-list.page.tsx'), 'CampaignsPage'), page('/campaigns/$id', () => import('./campaign.page.tsx'), 'CampaignPage')];
}
