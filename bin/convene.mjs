#!/usr/bin/env node
// The `convene` command: runs the built command (dist/server/convene.js) in this process, wherever it is called
// from; builds it first when it is missing or older than its sources (scripts/ensure-build.mjs: esbuild, ~1 s).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureServerBuild, serverDir } from '../scripts/ensure-build.mjs';

try {
  await ensureServerBuild();
} catch (err) {
  console.error(`convene: could not build the command: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
}
// (stack traces name the TypeScript files and lines: the build's launcher maps them when they are formatted)
// the command reads its arguments from process.argv.slice(2), which are this script's
await import(pathToFileURL(path.join(serverDir, 'convene.js')).href);
