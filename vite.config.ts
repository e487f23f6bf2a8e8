import react from '@vitejs/plugin-react';
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { precompress } from './scripts/precompress.mjs';

const outDir = path.join(import.meta.dirname, 'dist/web');

/** Brotli and gzip copies of every text file, written once the bundle is (the server sends them as they are). */
function precompressed(): Plugin {
  return {
    name: 'convene-precompress',
    apply: 'build',
    closeBundle() {
      precompress(outDir);
    },
  };
}

/**
 * index.html starts only the small first script (main.tsx), which imports the app (app.tsx) once it has asked who is
 * signed in; the app's files are listed in the page as modulepreload and stylesheet links, so they download from the
 * start, in parallel with that question, instead of after it.
 */
function preloadApp(): Plugin {
  return {
    name: 'convene-preload-app',
    apply: 'build',
    enforce: 'post',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle) return [];
        const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
        const app = chunks.find((c) => c.facadeModuleId?.endsWith('/src/web/app.tsx'));
        if (!app) throw new Error('convene-preload-app: no chunk for src/web/app.tsx');
        const js = new Set<string>();
        const css = new Set<string>();
        const visit = (file: string) => {
          if (js.has(file)) return;
          js.add(file);
          const chunk = bundle[file];
          if (chunk?.type !== 'chunk') return;
          for (const c of chunk.viteMetadata?.importedCss ?? []) css.add(c);
          for (const dep of chunk.imports) visit(dep);
        };
        visit(app.fileName);
        // what Vite already links (main.tsx's own imports) is not linked twice
        const linked = (f: string) => html.includes(`/${f}"`);
        return [
          ...[...css].filter((f) => !linked(f)).map((f) => ({ tag: 'link', attrs: { rel: 'stylesheet', crossorigin: true, href: `/${f}` }, injectTo: 'head' as const })),
          ...[...js].filter((f) => !linked(f)).map((f) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${f}` }, injectTo: 'head' as const })),
        ];
      },
    },
  };
}

// The staff web app: built into dist/web, which the server serves (hashed files under /assets).
export default defineConfig({
  root: path.join(import.meta.dirname, 'src/web'),
  base: '/',
  publicDir: false,
  plugins: [react(), preloadApp(), precompressed()],
  build: {
    outDir,
    emptyOutDir: true,
    // which files each page needs, for the server to name them in the page shell (http/first-page-preloads.ts)
    manifest: true,
    assetsDir: 'assets',
    // the CSP forbids inline scripts; keep the module preload helper out of the page
    modulePreload: { polyfill: false },
    // the budget that matters is initial JS <= 250 KB gzipped (see the e2e test); raw size of the main chunk is ~540 KB
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // what every page runs first, in one file instead of dozens: React, the router, queries, i18next
            {
              name: 'framework',
              test: /[\\/]node_modules[\\/](react|react-dom|scheduler|@tanstack|i18next|react-i18next|html-parse-stringify|void-elements|use-sync-external-store)[\\/]/,
              priority: 2,
            },
          ],
        },
      },
    },
  },
  server: {
    proxy: { '/api': 'http://localhost:3000' },
  },
});
