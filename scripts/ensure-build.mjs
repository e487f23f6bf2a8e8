#!/usr/bin/env node
// Builds what Convene runs when it is missing or stale, and only then:
//   - the server and the `convene` command (dist/server/: src/server/main.ts, src/cli/convene.ts and src/cli/demo.ts
//     bundled by esbuild, each into one CommonJS script with its dependencies but for those in EXTERNAL, with source
//     maps), so that no start transpiles TypeScript, and none resolves and loads the ~1,000 files of node_modules it
//     would otherwise import one by one (better-auth and kysely, drizzle, zod: ~0.3 s of a start); main.js, convene.js
//     and demo.js run them with V8's code cache (scripts/code-cache.mjs, copied into the build as launch.mjs);
//   - the staff web app (dist/web/, by vite).
// `npm start` and `npm run demo` run it first (both), bin/convene.mjs calls ensureServerBuild() (the server only).
// `node scripts/ensure-build.mjs [--server] [--web] [--force]` builds what is named (both without either), when stale
// or, with --force, anyway (`npm run build`).
//
// The server build is stale when a file of src/ it was built from (esbuild's list of inputs, kept in the build's
// manifest.json), package.json, package-lock.json, node_modules/.package-lock.json (which npm rewrites at every
// install) or this script differs in time or size from what it was at the build, or when it is missing. Checking
// costs ~200 stat() calls, a few ms.
//
// Processes that start at once (test files, several `convene` commands) may all find the build stale. A lock file
// makes one of them build while the others wait, then find it fresh; and the build itself is atomic whatever
// happens: each build is written to a folder of its own (dist/server-builds/<id>/) and dist/server is a symbolic
// link that is switched to it by one rename(). A process already running keeps the files it started from: the
// build before the current one is kept, older ones are removed.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');
/** the link to the current server build: dist/server/main.js, convene.js, demo.js */
export const serverDir = path.join(dist, 'server');
const buildsDir = path.join(dist, 'server-builds');
const ENTRIES = ['src/server/main.ts', 'src/cli/convene.ts', 'src/cli/demo.ts'];
/** besides esbuild's inputs from src/: what decides how the bundle is made and which dependencies it holds */
const BUILD_INPUTS = ['package.json', 'package-lock.json', 'node_modules/.package-lock.json', 'scripts/ensure-build.mjs', 'scripts/code-cache.mjs'];
/**
 * Dependencies left to Node's require() instead of bundled: those that find files next to their own modules
 * (through import.meta.url, __dirname or a require() of a computed name), which the bundle, living in dist/, would not
 * find: PGlite (its WebAssembly and data files), pg (optional native code), sharp (its libvips binary), highs and
 * zxing-wasm (WebAssembly). Node 20.19 require()s the ES modules among them. Everything else is bundled: hono, zod and
 * @hono/zod-openapi (one copy each in each bundle, evaluated in order), better-auth (with kysely, jose, …),
 * drizzle-orm, nodemailer, csv-parse and the rest.
 */
const EXTERNAL = ['@electric-sql/pglite', '@electric-sql/pglite/*', 'pg', 'pg-native', 'sharp', 'highs', 'zxing-wasm', 'zxing-wasm/*'];
/** the launcher each build holds a copy of (launch.mjs): runs a bundle with V8's code cache */
const LAUNCHER = 'scripts/code-cache.mjs';

const webBuilt = path.join(dist, 'web/index.html');
const webSources = ['src/web', 'src/i18n', 'src/web/index.html', 'vite.config.ts'].map((p) => path.join(root, p));

// ---------------------------------------------------------------------------------------------------- the server

/** [mtimeMs, size] of a file of the project, or null when it does not exist */
function stamp(rel) {
  try {
    const st = fs.statSync(path.join(root, rel));
    return [st.mtimeMs, st.size];
  } catch {
    return null;
  }
}

/** Every file under a folder of the project, as paths relative to the root with forward slashes (as esbuild names them). */
function filesUnder(rel) {
  let entries;
  try {
    entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isDirectory() ? filesUnder(`${rel}/${e.name}`) : [`${rel}/${e.name}`]));
}

/** Why the server build must be made again, or null when it is fresh. */
export function serverBuildStaleness() {
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(serverDir, 'manifest.json'), 'utf8'));
  } catch {
    return 'no server build yet';
  }
  for (const [rel, was] of Object.entries(manifest.inputs ?? {})) {
    const now = stamp(rel);
    if (now === null ? was !== null : was === null || now[0] !== was[0] || now[1] !== was[1]) return `${rel} changed`;
  }
  for (const entry of ENTRIES) if (!fs.existsSync(path.join(serverDir, `${path.basename(entry, '.ts')}.js`))) return 'the server build is incomplete';
  return null;
}

async function buildServer() {
  const esbuild = await import('esbuild');
  fs.mkdirSync(buildsDir, { recursive: true });
  const id = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const tmp = path.join(buildsDir, `.tmp-${process.pid}-${id}`);
  const out = path.join(buildsDir, id);
  // the inputs' times are taken before esbuild reads them: a file saved during the build leaves the build stale
  const before = new Map([...BUILD_INPUTS, ...filesUnder('src')].map((rel) => [rel, stamp(rel)]));
  const result = await bundle(esbuild, { absWorkingDir: root, entryPoints: ENTRIES, outdir: tmp });
  const inputs = {};
  // the dependencies' own files are covered by npm's lock files (a few hundred stat() calls less at every check)
  const sources = Object.keys(result.metafile.inputs).filter((rel) => !rel.split('/').includes('node_modules'));
  for (const rel of [...BUILD_INPUTS, ...sources.sort()]) inputs[rel] = before.has(rel) ? before.get(rel) : stamp(rel);
  fs.writeFileSync(path.join(tmp, 'manifest.json'), `${JSON.stringify({ built: new Date().toISOString(), entries: ENTRIES, inputs })}\n`);
  fs.renameSync(tmp, out);
  switchLink(id);
  removeOldBuilds(id);
}

/**
 * Bundles `entryPoints` into `outdir` as the server build does: <name>.bundle.cjs (+ .map) per entry, launch.mjs, and
 * <name>.js, the launcher that runs the bundle with V8's code cache. (tests/process/code-cache.test.ts builds a small
 * entry with it.)
 */
export async function bundle(esbuild, { absWorkingDir, entryPoints, outdir }) {
  // One CommonJS script per entry, no code splitting: each is compiled by one vm.Script with V8's code cache
  // (launch.mjs). A subcommand of `convene` is in the same script; V8 compiles a function when it first runs, and the
  // cache holds what a run compiled.
  const result = await esbuild.build({
    absWorkingDir,
    entryPoints,
    outdir,
    entryNames: '[name].bundle',
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20.19',
    external: EXTERNAL,
    // import() of what is not bundled becomes require(): Node 20 loses a vm.Script's import() callback when the script
    // comes from the code cache ("A dynamic import callback was not specified")
    supported: { 'dynamic-import': false },
    // launch.mjs wraps the bundle as Node wraps a CommonJS module, with one more parameter: the bundle's URL
    define: { 'import.meta.url': '__conveneImportMetaUrl', 'import.meta.dirname': '__dirname', 'import.meta.filename': '__filename' },
    // less for V8 to read and hash at every start; names are kept (and the source maps map every line back)
    minifyWhitespace: true,
    minifySyntax: true,
    // the maps are read only when a stack trace is formatted (launch.mjs), not at every start
    sourcemap: 'external',
    // stack traces need the mappings, not the sources
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
  });
  if (result.errors.length) throw new Error('esbuild failed');
  fs.copyFileSync(path.join(root, LAUNCHER), path.join(outdir, 'launch.mjs'));
  for (const entry of entryPoints) {
    const name = path.basename(entry, '.ts');
    const hash = createHash('sha256').update(fs.readFileSync(path.join(outdir, `${name}.bundle.cjs`))).digest('hex');
    // the `convene` command keeps a cache per subcommand (what one compiles, another may not)
    const variant = name === 'convene' ? "process.argv[2] ?? ''" : "''";
    fs.writeFileSync(
      path.join(outdir, `${name}.js`),
      `// ${entry}, bundled in ${name}.bundle.cjs: run with V8's code cache (scripts/code-cache.mjs)\nimport { runBundle } from './launch.mjs';\nrunBundle(import.meta.url, '${name}', '${hash}', ${variant});\n`,
    );
  }
  return result;
}

/** Points dist/server at builds/<id> with one rename() of a new link over the old one (atomic on POSIX). */
function switchLink(id) {
  const target = path.join('server-builds', id);
  const link = path.join(dist, `.server-link-${process.pid}-${id}`);
  // a directory junction on Windows needs no privilege; elsewhere the type is ignored
  fs.symlinkSync(process.platform === 'win32' ? path.join(dist, target) : target, link, 'junction');
  try {
    const st = fs.lstatSync(serverDir, { throwIfNoEntry: false });
    // a dist/server that is a real folder (an older Convene's layout) cannot be replaced by a rename
    if (st && !st.isSymbolicLink()) fs.rmSync(serverDir, { recursive: true, force: true });
    fs.renameSync(link, serverDir);
  } catch (err) {
    if (process.platform !== 'win32') throw err;
    fs.rmSync(serverDir, { force: true });
    fs.renameSync(link, serverDir);
  }
}

/** Keeps the current build and the one before it (a process may still be running from it). */
function removeOldBuilds(current) {
  const builds = fs
    .readdirSync(buildsDir)
    .filter((name) => !name.startsWith('.'))
    .map((name) => ({ name, at: fs.statSync(path.join(buildsDir, name)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  let kept = 0;
  for (const b of builds) {
    if (b.name === current) continue;
    if (kept++ < 1) continue;
    fs.rmSync(path.join(buildsDir, b.name), { recursive: true, force: true });
  }
  // what a builder that died left behind
  for (const name of fs.readdirSync(buildsDir)) {
    const pid = Number(/^\.tmp-(\d+)-/.exec(name)?.[1]);
    if (pid && !alive(pid)) fs.rmSync(path.join(buildsDir, name), { recursive: true, force: true });
  }
}

/** Builds the server and the command into dist/server when missing or stale. */
export async function ensureServerBuild({ force = false } = {}) {
  if (!force && !serverBuildStaleness()) return false;
  return withLock('server', async () => {
    // another process may have built it while this one waited
    const why = force ? 'asked for' : serverBuildStaleness();
    if (!why) return false;
    // on standard error: the standard output of `convene … --json` is for the answer
    console.error(`Building the server and the convene command (dist/server: ${why})…`);
    await buildServer();
    return true;
  });
}

// ---------------------------------------------------------------------------------------------------- the web app

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
  if (!fs.existsSync(webBuilt)) return true;
  const builtAt = fs.statSync(webBuilt).mtimeMs;
  return webSources.some((s) => newest(s) > builtAt);
}

/** Builds the staff web app into dist/web when missing or older than its sources. */
export async function ensureWebBuild({ force = false } = {}) {
  if (!force && !webBuildIsStale()) return false;
  return withLock('web', async () => {
    if (!force && !webBuildIsStale()) return false;
    console.log('Building the staff web app (dist/web)…');
    const vite = path.join(root, 'node_modules/.bin/vite');
    // a NODE_ENV inherited from a test runner (test) or a shell (development) would give React's slow, large development build
    const opts = { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } };
    // imported here: every `convene` command imports this file, and node:child_process costs ~20 ms to load
    const { spawnSync } = await import('node:child_process');
    const res = fs.existsSync(vite) ? spawnSync(vite, ['build', '--logLevel', 'warn'], opts) : spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], opts);
    if (res.status !== 0) throw new Error(`vite build failed (exit ${res.status})`);
    // a build that changed nothing keeps old mtimes on unchanged files; mark it fresh
    const now = new Date();
    fs.utimesSync(webBuilt, now, now);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------------- the lock

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` holding dist/.<name>-build.lock (created exclusively, holding the pid); waits while a live process holds it. */
async function withLock(name, fn) {
  fs.mkdirSync(dist, { recursive: true });
  const lock = path.join(dist, `.${name}-build.lock`);
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    let holder;
    try {
      holder = Number.parseInt(fs.readFileSync(lock, 'utf8'), 10);
    } catch (err) {
      if (err.code === 'ENOENT') continue; // released meanwhile
      throw err;
    }
    // a lock whose holder died, or one just created and not yet written (given a moment to be written)
    if (holder ? !alive(holder) : Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0) > 5_000) {
      fs.rmSync(lock, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`waited 5 minutes for process ${holder} building ${name} (${lock})`);
    await sleep(100);
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

// ---------------------------------------------------------------------------------------------------- run as a script

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  const args = process.argv.slice(2);
  const unknown = args.find((a) => !['--server', '--web', '--force'].includes(a));
  if (unknown) {
    console.error(`Usage: node scripts/ensure-build.mjs [--server] [--web] [--force] (unknown: ${unknown})`);
    process.exit(2);
  }
  const all = !args.includes('--server') && !args.includes('--web');
  const force = args.includes('--force');
  try {
    if (all || args.includes('--server')) await ensureServerBuild({ force });
    if (all || args.includes('--web')) await ensureWebBuild({ force });
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
