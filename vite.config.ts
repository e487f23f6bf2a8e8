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

// The staff web app: built into dist/web, which the server serves (hashed files under /assets).
export default defineConfig({
  root: path.join(import.meta.dirname, 'src/web'),
  base: '/',
  publicDir: false,
  plugins: [react(), precompressed()],
  build: {
    outDir,
    emptyOutDir: true,
    assetsDir: 'assets',
    // the CSP forbids inline scripts; keep the module preload helper out of the page
    modulePreload: { polyfill: false },
    // the budget that matters is initial JS <= 250 KB gzipped (see the e2e test); raw size of the main chunk is ~540 KB
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: { '/api': 'http://localhost:3000' },
  },
});
