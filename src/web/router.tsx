import type { QueryClient } from '@tanstack/react-query';
import { createRootRouteWithContext, createRoute, createRouter, lazyRouteComponent, Outlet, redirect } from '@tanstack/react-router';
import { isLocale } from '../i18n/locales.ts';
import { AdminOnly, NotFound } from './features/shell/guards.tsx';
import { signInPage } from './first-page.ts';
import { PILLARS } from './features/pillars/pillars.ts';
import { meetingsRoutes } from './features/meetings/meetings.routes.tsx';
import { networkRoutes } from './features/network/network.routes.tsx';
import { dialoguesRoutes } from './features/dialogues/dialogues.routes.tsx';
import { studiesRoutes } from './features/studies/studies.routes.tsx';
import { eventsRoutes } from './features/events/events.routes.tsx';
import { campaignsRoutes } from './features/campaigns/campaigns.routes.tsx';
import { tripsRoutes } from './features/trips/trips.routes.tsx';
import { updatesRoutes } from './features/updates/updates.routes.tsx';
import { changeLanguage, i18next } from './i18n.ts';
import { meQuery, needsSetup } from './session.ts';

export type RouterContext = { queryClient: QueryClient };

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: NotFound,
});

const tokenSearch = (s: Record<string, unknown>) => ({ token: typeof s.token === 'string' ? s.token : undefined });

// every page (and the signed-in app's shell) is a chunk of its own, loaded when opened; boot.ts starts the first one early
const setupRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/setup',
  validateSearch: tokenSearch,
  component: lazyRouteComponent(() => import('./features/accounts/setup.page.tsx'), 'SetupPage'),
});
const invitationRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/invitation',
  validateSearch: tokenSearch,
  component: lazyRouteComponent(() => import('./features/accounts/invitation.page.tsx'), 'InvitationPage'),
});
const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  beforeLoad: async ({ context }) => {
    const me = await context.queryClient.ensureQueryData(meQuery);
    if (me) throw redirect({ to: '/' });
    // nobody can sign in before the first administrator exists: explain the setup link instead
    if (needsSetup()) throw redirect({ to: '/setup', search: { token: undefined } });
  },
  component: lazyRouteComponent(signInPage, 'SignInPage'),
});

/** Everything behind sign-in. */
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: async ({ context, location }) => {
    const me = await context.queryClient.ensureQueryData(meQuery);
    if (!me) throw redirect({ to: needsSetup() ? '/setup' : '/sign-in' });
    // the language saved in the profile wins over this device's choice
    if (isLocale(me.locale) && i18next.language !== me.locale) await changeLanguage(me.locale);
    if (me.twoFactorRequired && location.pathname !== '/account') throw redirect({ to: '/account' });
    return { me };
  },
  component: lazyRouteComponent(() => import('./features/shell/app-shell.tsx'), 'AppShellLayout'),
});

const homeRoute = createRoute({ getParentRoute: () => appRoute, path: '/', component: lazyRouteComponent(() => import('./features/pillars/home.page.tsx'), 'HomePage') });
// built pillars bring their own routes (networkRoutes); the others say what they will do
const pillarRoutes = PILLARS.filter((p) => !p.built).map(({ id }) =>
  createRoute({ getParentRoute: () => appRoute, path: `/${id}`, component: lazyRouteComponent(() => import('./features/pillars/pillar.page.tsx').then((m) => ({ Page: () => <m.PillarPage pillar={id} /> })), 'Page') }),
);
const accountRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/account',
  component: lazyRouteComponent(() => import('./features/accounts/account.page.tsx'), 'AccountPage'),
});

const adminRoute = createRoute({ getParentRoute: () => appRoute, path: '/admin', component: AdminOnly });
const peopleRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: '/people',
  component: lazyRouteComponent(() => import('./features/accounts/people.page.tsx'), 'PeoplePage'),
});
const auditRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: '/audit',
  component: lazyRouteComponent(() => import('./features/audit/audit.page.tsx'), 'AuditPage'),
});
const jobsRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: '/jobs',
  component: lazyRouteComponent(() => import('./features/jobs/jobs.page.tsx'), 'JobsPage'),
});
const settingsRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: '/settings',
  component: lazyRouteComponent(() => import('./features/accounts/settings.page.tsx'), 'SettingsPage'),
});

const erasuresRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: '/erasures',
  component: lazyRouteComponent(() => import('./features/network/erasures.page.tsx'), 'ErasuresPage'),
});

const routeTree = rootRoute.addChildren([
  setupRoute,
  invitationRoute,
  signInRoute,
  appRoute.addChildren([homeRoute, ...pillarRoutes, ...networkRoutes(appRoute), ...meetingsRoutes(appRoute), ...dialoguesRoutes(appRoute), ...studiesRoutes(appRoute), ...eventsRoutes(appRoute), ...campaignsRoutes(appRoute), ...tripsRoutes(appRoute), ...updatesRoutes(appRoute), accountRoute, adminRoute.addChildren([peopleRoute, auditRoute, jobsRoute, settingsRoute, erasuresRoute])]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({ routeTree, context: { queryClient }, defaultPreload: 'intent', scrollRestoration: true });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
