import { queryOptions, type QueryClient } from '@tanstack/react-query';
import { api, ApiError, type Me } from './api.ts';

export const meQuery = queryOptions({
  queryKey: ['me'],
  queryFn: async (): Promise<Me | null> => {
    try {
      return await api.me();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return null;
      throw err;
    }
  },
  staleTime: 60_000,
});

/** After sign-in or sign-out nothing cached may leak from the previous user. */
export function resetSession(queryClient: QueryClient): void {
  queryClient.clear();
}
