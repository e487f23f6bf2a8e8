#!/usr/bin/env node
// Builds the staff web app (dist/web) when it is missing or older than its sources. Used by `npm start`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const built = path.join(root, 'dist/web/index.html');
const sources = ['src/web', 'src/i18n', 'src/web/index.html', 'vite.config.ts'].map((p) => path.join(root, p));

function newest(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const entry of fs.readdirSync(p)) max = Math.max(max, newest(path.join(p, entry)));
  return max;
}

export function webBuildIsStale() {
  if (!fs.existsSync(built)) return true;
  const builtAt = fs.statSync(built).mtimeMs;
  return sources.some((s) => newest(s) > builtAt);
}

export function ensureWebBuild() {
  if (!webBuildIsStale()) return;
  console.log('Building the staff web app (dist/web)…');
  const vite = path.join(root, 'node_modules/.bin/vite');
  // a NODE_ENV inherited from a test runner (test) or a shell (development) would give React's slow, large development build
  const opts = { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } };
  const res = fs.existsSync(vite)
    ? spawnSync(vite, ['build', '--logLevel', 'warn'], opts)
    : spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], opts);
  if (res.status !== 0) throw new Error(`vite build failed (exit ${res.status})`);
  // a build that changed nothing keeps old mtimes on unchanged files; mark it fresh
  const now = new Date();
  fs.utimesSync(built, now, now);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    ensureWebBuild();
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
