import { createRoute, lazyRouteComponent, type AnyRoute } from '@tanstack/react-router';

/** The Updates pillar under /updates: the posts by state, a new post, one post's editor. */
export function updatesRoutes(appRoute: AnyRoute): AnyRoute[] {
  const page = (path: string, load: () => Promise<Record<string, unknown>>, name: string) =>
    createRoute({ getParentRoute: () => appRoute, path, component: lazyRouteComponent(load as never, name as never) }) as unknown as AnyRoute;
  return [
    page('/updates', () => import('./posts-list.page.tsx'), 'PostsPage'),
    page('/updates/new', () => import('./post-new.page.tsx'), 'NewPostPage'),
    page('/updates/from-data', () => import('./post-from-data.page.tsx'), 'PostFromDataPage'),
    page('/updates/$id', () => import('./post.page.tsx'), 'PostPage'),
  ];
}
