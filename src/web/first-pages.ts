// The pages people most often open first, as data: the staff app starts loading the one at the address as soon as it
// knows who is signed in (first-page.ts), and the server names its files in the page shell so that they download from
// the very start (server/http/first-page-preloads.ts). Modules are named as Vite's manifest names them (from src/web).

export const FIRST_PAGES: readonly { path: RegExp; module: string }[] = [
  { path: /^\/$/, module: 'features/pillars/home.page.tsx' },
  { path: /^\/network\/?$/, module: 'features/network/organisations.page.tsx' },
  { path: /^\/network\/people\/?$/, module: 'features/network/network-people.page.tsx' },
  { path: /^\/network\/meetings\/?$/, module: 'features/meetings/meetings-list.page.tsx' },
  { path: /^\/network\/organisations\/[^/]+\/?$/, module: 'features/network/organisation.page.tsx' },
  { path: /^\/network\/meetings\/(?!new\/?$)[^/]+\/?$/, module: 'features/meetings/meeting.page.tsx' },
];

/** What every signed-in page needs, and what the page needs when nobody is signed in. */
export const SHELL_MODULE = 'features/shell/app-shell.tsx';
export const SIGN_IN_MODULE = 'features/accounts/sign-in.page.tsx';
/** Each language's catalog (language-choice.ts loads one). */
export const CATALOG_MODULE = { en: '../i18n/catalog-en.ts', he: '../i18n/catalog-he.ts', ar: '../i18n/catalog-ar.ts' } as const;

/** The first page's module at `pathname`, if it is one of them. */
export function firstPageModule(pathname: string): string | undefined {
  return FIRST_PAGES.find((p) => p.path.test(pathname))?.module;
}
