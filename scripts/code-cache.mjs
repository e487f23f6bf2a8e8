// Runs one of the server build's bundles (dist/server/<name>.bundle.cjs) with V8's code cache, on Node 20 (whose
// module compile cache, module.enableCompileCache(), needs Node 22). scripts/ensure-build.mjs copies this file into
// each build as launch.mjs; dist/server/main.js, convene.js and demo.js are three lines that call runBundle().
//
// A start spends a quarter of its CPU time compiling JavaScript (docs/decisions/008-start-up-time.md): the bundle is
// compiled with `new vm.Script(code, { cachedData })`, and once the process has done its work (the server: once it
// answered its first health check; a command: when it exits), the code V8 compiled meanwhile, lazily compiled
// functions included, is written with script.createCachedData() for the next start (what v8-compile-cache does).
//
// The cache file is <name>.<key>.v8cache beside the bundle (or in CONVENE_CACHE_DIR), the key made of the bundle's
// hash (taken at the build), Node's version, the architecture and the V8 options the process runs with (V8 refuses a
// cache made under other flags). The file holds the SHA-256 of what follows it: a file cut short or damaged is
// ignored and written again, and so is one V8 refuses (cachedDataRejected). Nothing fails for want of a cache: a
// folder that cannot be written just means compiling at every start.
//
// Stack traces: Node's --enable-source-maps does not apply to vm.Script, and parsing the maps at every start cost
// ~80 ms of it. Here a stack trace that passes through a bundle is mapped to the TypeScript files and lines when it is
// formatted, the bundle's source map read then (the first time only).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire, SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';

const DIGEST = 32;
/** what a process says about its cache, for tests and `CONVENE_CODE_CACHE_DEBUG=1` */
const STATUS = Symbol.for('convene.codeCache');
/** called by the server once it answered its first health check (src/server/startup-done.ts) */
const READY = Symbol.for('convene.startupDone');

/** The V8 options of this process, which a cache depends on (the rest of Node's options do not change the code). */
function v8Options() {
  const all = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].filter(Boolean);
  return all.filter((a) => !/^--(enable-source-maps|cpu-prof|heap-prof|inspect|require|import|loader|env-file|title|max-old-space-size)/.test(a)).join(' ');
}

/** The cache's file for a bundle, under this Node and these options. */
export function cachePath(bundle, bundleHash, variant = '', dir = process.env.CONVENE_CACHE_DIR || path.dirname(bundle)) {
  const key = createHash('sha256').update(`${bundleHash}\0${process.version}\0${process.arch}\0${v8Options()}`).digest('hex').slice(0, 16);
  return path.join(dir, `${path.basename(bundle, '.cjs')}${variant ? `.${variant}` : ''}.${key}.v8cache`);
}

/** The cached data in a cache file, or why there is none ('missing', 'corrupt'). */
function readCache(file) {
  let buf;
  try {
    buf = fs.readFileSync(file);
  } catch {
    return { why: 'missing' };
  }
  if (buf.length <= DIGEST) return { why: 'corrupt' };
  const data = buf.subarray(DIGEST);
  if (!createHash('sha256').update(data).digest().equals(buf.subarray(0, DIGEST))) return { why: 'corrupt' };
  return { data };
}

function writeCache(file, data) {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, Buffer.concat([createHash('sha256').update(data).digest(), data]));
    // atomic: a process starting meanwhile reads the old file, the new one or none
    fs.renameSync(tmp, file);
    return true;
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      /* the folder cannot be written at all */
    }
    return false;
  }
}

// ------------------------------------------------------------------------------------------- stack traces

const bundles = new Map(); // bundle file -> SourceMap | null (not read yet: undefined)

function sourceMapOf(file) {
  let map = bundles.get(file);
  if (map === undefined) {
    try {
      const payload = JSON.parse(fs.readFileSync(`${file}.map`, 'utf8'));
      // the sources are named relative to the map: make them paths from the project's root as Node would show them
      const dir = path.dirname(file);
      payload.sources = payload.sources.map((s) => path.resolve(dir, s));
      map = new SourceMap(payload);
    } catch {
      map = null;
    }
    bundles.set(file, map);
  }
  return map;
}

function frame(site) {
  const file = site.getFileName();
  if (!bundles.has(file)) return site.toString();
  const map = sourceMapOf(file);
  const line = site.getLineNumber();
  const column = site.getColumnNumber();
  const entry = map && line != null && column != null ? map.findEntry(line - 1, column - 1) : undefined;
  if (!entry?.originalSource) return site.toString();
  const at = `${entry.originalSource}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  const fn = site.getFunctionName();
  const method = site.getMethodName();
  const type = site.isToplevel() ? null : site.getTypeName();
  let name = fn ?? (method ? `${type ? `${type}.` : ''}${method}` : null);
  if (site.isConstructor()) name = `new ${fn ?? '<anonymous>'}`;
  else if (site.isAsync()) name = `async ${name ?? '<anonymous>'}`;
  return name ? `${name} (${at})` : at;
}

function installStackTraces() {
  if (Error.prepareStackTrace?.[STATUS]) return;
  const previous = Error.prepareStackTrace;
  const prepare = (error, sites) => {
    if (!sites.some((s) => bundles.has(s.getFileName()))) return previous ? previous(error, sites) : defaultStack(error, sites);
    return `${header(error)}${sites.map((s) => `\n    at ${frame(s)}`).join('')}`;
  };
  prepare[STATUS] = true;
  Error.prepareStackTrace = prepare;
}

function header(error) {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return '<error>';
  }
}

const defaultStack = (error, sites) => `${header(error)}${sites.map((s) => `\n    at ${s}`).join('')}`;

// ------------------------------------------------------------------------------------------- running a bundle

/**
 * Compiles and runs `<name>.bundle.cjs` beside `launcherUrl` (a CommonJS bundle, wrapped here as Node wraps a module),
 * with the code cache when there is a good one, and writes the cache when there was none. `variant` names a cache of
 * its own for what runs different parts of one bundle (the `convene` command's subcommands): a cache holds the code
 * that the process that wrote it compiled.
 */
export function runBundle(launcherUrl, name, bundleHash, variant = '') {
  const dir = path.dirname(fileURLToPath(launcherUrl));
  const bundle = path.join(dir, `${name}.bundle.cjs`);
  const code = fs.readFileSync(bundle, 'utf8');
  const file = cachePath(bundle, bundleHash, /^[a-z][a-z-]{0,30}$/.test(variant) ? variant : '');
  const cached = process.env.CONVENE_CODE_CACHE === 'off' ? { why: 'off' } : readCache(file);
  bundles.set(bundle, undefined);
  installStackTraces();
  // the wrapper on a line of its own, so that the bundle's lines and columns are those of its source map
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, __conveneImportMetaUrl) {\n${code}\n})`, {
    filename: bundle,
    lineOffset: -1,
    cachedData: cached.data,
    // no importModuleDynamically: Node 20 does not restore it for a script from the cache, so the bundles hold no
    // import() (esbuild turns each into a require(): scripts/ensure-build.mjs)
  });
  const status = { file, used: !!cached.data && !script.cachedDataRejected, why: cached.data ? (script.cachedDataRejected ? 'rejected' : 'used') : cached.why, written: false };
  globalThis[STATUS] = status;
  if (process.env.CONVENE_CODE_CACHE_DEBUG === '1') process.stderr.write(`code cache: ${status.why} (${file})\n`);
  if (!status.used && cached.why !== 'off') {
    let done = false;
    const write = () => {
      if (done) return;
      done = true;
      delete globalThis[READY];
      status.written = writeCache(file, script.createCachedData());
      if (process.env.CONVENE_CODE_CACHE_DEBUG === '1') process.stderr.write(`code cache: ${status.written ? 'written' : 'not written'} (${file})\n`);
    };
    globalThis[READY] = write;
    process.once('exit', write);
  }
  const module = { exports: {}, filename: bundle, id: bundle };
  const fn = script.runInThisContext();
  fn.call(module.exports, module.exports, createRequire(bundle), module, bundle, dir, pathToFileURL(bundle).href);
  return module.exports;
}
