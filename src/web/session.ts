import { queryOptions, type QueryClient } from '@tanstack/react-query';
import { api, type Me } from './api.ts';

let setupNeeded = false;

/**
 * Who is signed in, or null. Asked through GET /api/session, which answers 200 either way: the browser logs no 401
 * on the sign-in page, and the same answer says whether the first administrator is still to be created.
 */
export const meQuery = queryOptions({
  queryKey: ['me'],
  queryFn: async (): Promise<Me | null> => {
    const s = await api.session();
    setupNeeded = s.needsSetup;
    return s.me;
  },
  staleTime: 60_000,
});

/** Stores the session boot.ts asked for, so that the router does not ask again. */
export function seedSession(queryClient: QueryClient, s: { me: Me | null; needsSetup: boolean }): void {
  setupNeeded = s.needsSetup;
  queryClient.setQueryData(meQuery.queryKey, s.me);
}

/** Whether this install still needs its first administrator, as the last session answer said (signed out only). */
export function needsSetup(): boolean {
  return setupNeeded;
}

/** After sign-in or sign-out nothing cached may leak from the previous user. */
export function resetSession(queryClient: QueryClient): void {
  queryClient.clear();
}

/**
 * After signing in: forget the previous user's cache and ask who is signed in before the first page is drawn, so the
 * signed-in shell is drawn once (not the signed-out one again under the new address, then replaced).
 */
export async function enterSession(queryClient: QueryClient): Promise<void> {
  queryClient.clear();
  await queryClient.fetchQuery(meQuery);
}
