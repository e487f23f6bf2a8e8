import '@mantine/core/styles.css';
import { DirectionProvider, MantineProvider, useDirection } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import { isLocale, localeInfo } from '../i18n/locales.ts';
import { ApiError } from './api.ts';
import type { Boot } from './boot.ts';
import { dismissFirstPaint, firstPaintPath } from './first-paint.ts';
import { startI18n } from './i18n.ts';
import { createAppRouter } from './router.tsx';
import { seedSession } from './session.ts';
import { cssVariablesResolver, theme } from './theme.ts';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (count, err) => !(err instanceof ApiError && err.status > 0 && err.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});
const router = createAppRouter(queryClient);
// the server's first paint stands for one page: gone at once when the router settles elsewhere (a redirect), and in
// any case soon after it settles (the page removes it itself as it renders; this is for a page that failed)
router.subscribe('onResolved', ({ toLocation }) => {
  if (firstPaintPath() !== toLocation.pathname.replace(/(.)\/$/, '$1')) dismissFirstPaint();
  else setTimeout(dismissFirstPaint, 3_000);
});

/** Mantine's direction follows the interface language (i18n.ts sets <html lang dir>). */
function DirectionSync() {
  const { i18n } = useTranslation();
  const { setDirection } = useDirection();
  useEffect(() => {
    setDirection(localeInfo[isLocale(i18n.language) ? i18n.language : 'en'].dir);
  }, [i18n.language, setDirection]);
  return null;
}

/** Renders the app once boot.ts knows who is signed in and has the first language's catalog. */
export async function render(b: Boot): Promise<void> {
  if (!b.sessionFailed) seedSession(queryClient, b);
  await startI18n(b.lang, b.catalog);
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <DirectionProvider initialDirection={document.documentElement.dir === 'rtl' ? 'rtl' : 'ltr'} detectDirection={false}>
        <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} forceColorScheme="light">
          <DirectionSync />
          <QueryClientProvider client={queryClient}>
            <RouterProvider router={router} />
          </QueryClientProvider>
        </MantineProvider>
      </DirectionProvider>
    </StrictMode>,
  );
}
