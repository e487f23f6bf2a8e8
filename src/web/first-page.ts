// The pages people most often open first: boot.ts starts loading the sign-in page (nobody signed in), or the signed-in
// app's shell and the page at the address, as soon as it knows who is signed in, while React and the router are still
// downloading (the router imports the same modules later and finds them loaded). Other pages load when opened.

const pages: [RegExp, () => Promise<unknown>][] = [
  [/^\/$/, () => import('./features/pillars/home.page.tsx')],
  [/^\/network\/?$/, () => import('./features/network/organisations.page.tsx')],
  [/^\/network\/people\/?$/, () => import('./features/network/network-people.page.tsx')],
  [/^\/network\/meetings\/?$/, () => import('./features/meetings/meetings-list.page.tsx')],
  [/^\/network\/organisations\/[^/]+\/?$/, () => import('./features/network/organisation.page.tsx')],
  [/^\/network\/meetings\/(?!new\/?$)[^/]+\/?$/, () => import('./features/meetings/meeting.page.tsx')],
];

/** The sign-in page's module (the router's too): boot.ts starts it when nobody is signed in. */
export const signInPage = () => import('./features/accounts/sign-in.page.tsx');

/** Starts loading the signed-in shell and the page at `pathname` (when it is one of the first pages above). */
export function preloadFirstPage(pathname: string): void {
  const swallow = () => {}; // a failure shows when the router loads the page itself
  import('./features/shell/app-shell.tsx').catch(swallow);
  pages.find(([path]) => path.test(pathname))?.[1]().catch(swallow);
}
