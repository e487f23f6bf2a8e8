import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * Starts compiling the embedded database's WebAssembly (9 MB) on V8's background threads, and returns at once. The
 * server calls it first thing and loads the application meanwhile; PGlite, left to itself, would read and compile it
 * only once its own module and the application's are loaded and evaluated, after them (docs/decisions/008). This
 * module imports nothing else, so that it is the first thing a start evaluates.
 */
export function compilePgliteWasm(): Promise<WebAssembly.Module> {
  const dist = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  const compiled = WebAssembly.compile(fs.readFileSync(path.join(dist, 'pglite.wasm')));
  // a failure is reported when PGlite is given the module
  compiled.catch(() => {});
  return compiled;
}
