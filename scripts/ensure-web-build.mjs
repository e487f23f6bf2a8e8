#!/usr/bin/env node
// Kept for callers of the old name: builds the staff web app when stale. scripts/ensure-build.mjs does it all.
import { ensureWebBuild } from './ensure-build.mjs';

try {
  await ensureWebBuild();
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
