// Starts loading, as soon as boot.ts knows who is signed in, the sign-in page (nobody signed in), or the signed-in
// app's shell and the page at the address (first-pages.ts lists them), while React and the router are still
// downloading (the router imports the same modules later and finds them loaded). Other pages load when opened.
import { firstPageModule } from './first-pages.ts';

/** One loader per module of first-pages.ts (a test holds the two lists equal): import() needs a literal path. */
export const FIRST_PAGE_LOADERS: Record<string, () => Promise<unknown>> = {
  'features/pillars/home.page.tsx': () => import('./features/pillars/home.page.tsx'),
  'features/network/organisations.page.tsx': () => import('./features/network/organisations.page.tsx'),
  'features/network/network-people.page.tsx': () => import('./features/network/network-people.page.tsx'),
  'features/meetings/meetings-list.page.tsx': () => import('./features/meetings/meetings-list.page.tsx'),
  'features/network/organisation.page.tsx': () => import('./features/network/organisation.page.tsx'),
  'features/meetings/meeting.page.tsx': () => import('./features/meetings/meeting.page.tsx'),
};

/** The sign-in page's module (the router's too): boot.ts starts it when nobody is signed in. */
export const signInPage = () => import('./features/accounts/sign-in.page.tsx');

/** Starts loading the signed-in shell and the page at `pathname` (when it is one of the first pages). */
export function preloadFirstPage(pathname: string): void {
  const swallow = () => {}; // a failure shows when the router loads the page itself
  import('./features/shell/app-shell.tsx').catch(swallow);
  const module = firstPageModule(pathname);
  if (module) FIRST_PAGE_LOADERS[module]?.().catch(swallow);
}
