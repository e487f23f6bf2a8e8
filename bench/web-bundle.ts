// The staff app's initial JavaScript, gzipped: the files dist/web/index.html loads at once (<script src>
// and <link rel=modulepreload>), each gzipped at level 9, summed. Builds dist/web first when it is missing
// (or always with BENCH_BUILD=1). Target: <= 250 KB.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { type Figure, isMain, printFigures, root } from './lib.ts';

const TARGET_KB = 250;
const distDir = path.join(root, 'dist/web');
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function build(): boolean {
  console.log('  building the web app (npx vite build)…');
  const res = spawnSync('npx', ['vite', 'build'], { cwd: root, encoding: 'utf8', timeout: 300_000 });
  if (res.status !== 0) {
    console.log(`  THE WEB BUILD FAILED (exit ${res.status ?? res.signal}); no bundle figure. Its last lines:`);
    const tail = `${res.stdout ?? ''}${res.stderr ?? ''}`.trim().split('\n').slice(-15);
    for (const l of tail) console.log(`    ${l}`);
    return false;
  }
  return true;
}

/** The same-origin files index.html loads before anything else: module scripts and modulepreloads. */
export function initialScripts(html: string): string[] {
  const files = new Set<string>();
  for (const tag of html.match(/<script\b[^>]*>/gi) ?? []) {
    const src = tag.match(/\bsrc\s*=\s*["']([^"']+)["']/i)?.[1];
    if (src) files.add(src);
  }
  for (const tag of html.match(/<link\b[^>]*>/gi) ?? []) {
    if (!/\brel\s*=\s*["']?modulepreload\b/i.test(tag)) continue;
    const href = tag.match(/\bhref\s*=\s*["']([^"']+)["']/i)?.[1];
    if (href) files.add(href);
  }
  return [...files];
}

export async function run(): Promise<Figure[]> {
  console.log(`\n## Staff app: initial JavaScript, gzipped (level 9)`);
  const indexFile = path.join(distDir, 'index.html');
  if ((process.env.BENCH_BUILD === '1' || !fs.existsSync(indexFile)) && !build()) {
    return [{ bench: 'web bundle', metric: 'initial JS gzipped', value: 'build failed', target: `<= ${TARGET_KB} KB`, met: false }];
  }
  if (!fs.existsSync(indexFile)) {
    console.log(`  no ${path.relative(root, indexFile)} after the build`);
    return [{ bench: 'web bundle', metric: 'initial JS gzipped', value: 'no index.html', target: `<= ${TARGET_KB} KB`, met: false }];
  }
  console.log(`  (dist/web built ${fs.statSync(indexFile).mtime.toISOString()}; BENCH_BUILD=1 rebuilds it)`);
  const html = fs.readFileSync(indexFile, 'utf8');
  let raw = 0;
  let gz = 0;
  for (const src of initialScripts(html)) {
    if (/^(https?:)?\/\//i.test(src)) {
      console.log(`  ${src}: loaded from elsewhere, not counted (the app should load nothing from a third party)`);
      continue;
    }
    const file = path.join(distDir, src.replace(/^\//, '').split(/[?#]/)[0]);
    const bytes = fs.readFileSync(file);
    const zipped = zlib.gzipSync(bytes, { level: 9 }).length;
    raw += bytes.length;
    gz += zipped;
    console.log(`  ${src}: ${kb(bytes.length)} raw, ${kb(zipped)} gzipped`);
  }
  console.log(`  total: ${kb(raw)} raw, ${kb(gz)} gzipped`);
  const lazy = fs.existsSync(path.join(distDir, 'assets')) ? fs.readdirSync(path.join(distDir, 'assets')).filter((f) => f.endsWith('.js')) : [];
  console.log(`  (${lazy.length} JavaScript files in dist/web/assets in all; the rest load on demand)`);
  return [{ bench: 'web bundle', metric: 'initial JS gzipped', value: kb(gz), target: `<= ${TARGET_KB} KB`, met: gz <= TARGET_KB * 1024 }];
}

if (isMain(import.meta.url)) printFigures(await run());
