#!/usr/bin/env node
// `npm test`: the unit and HTTP suites on embedded PGlite; the HTTP suite again on PostgreSQL when
// TEST_DATABASE_URL is set, and the cluster test (three servers behind HAProxy); then the browser journeys.
// Ends with one plain line: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const tmp = path.resolve('.test-tmp');
fs.mkdirSync(tmp, { recursive: true });
const only = process.argv.slice(2); // e.g. `npm test -- unit pg e2e`
const want = (name) => only.length === 0 || only.includes(name);

/**
 * The second stage's files: those of tests/http and src/server (and three CLI/process ones) that open a database
 * (a test app, a fresh database, a server process). Pure computations (the math, the solver, parsers) give the same
 * answer whatever the database, so they run once, in the first stage.
 */
function databaseTests() {
  const opensDatabase = /test-app|test-db|openDatabase|PGlite|pglite|TEST_DATABASE_URL|server-process/;
  const walk = (dir) =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? walk(p) : e.name.endsWith('.test.ts') ? [p] : [];
    });
  const files = [...walk('tests/http'), ...walk('src/server')].filter((f) => opensDatabase.test(fs.readFileSync(f, 'utf8')));
  return [...files.sort(), 'tests/cli/backup.test.ts', 'tests/cli/dialogue.test.ts', 'tests/process/startup.test.ts'];
}

const runs = [];
if (want('unit')) runs.push({ name: 'unit + HTTP on PGlite', args: ['vitest', 'run'], env: { TEST_DATABASE_URL: '' } });
if (want('pg')) {
  if (process.env.TEST_DATABASE_URL) {
    runs.push({ name: 'HTTP on PostgreSQL', args: ['vitest', 'run', ...databaseTests()], env: {} });
  } else if (only.includes('pg')) {
    console.error('TEST_DATABASE_URL is not set: no PostgreSQL run.');
    process.exit(1);
  } else {
    console.log('(TEST_DATABASE_URL not set: the HTTP suite runs on PGlite only; .ci/run runs it on PostgreSQL too)');
  }
}
if (want('cluster')) {
  if (process.env.TEST_DATABASE_URL) runs.push({ name: 'cluster: three servers behind HAProxy on PostgreSQL', args: ['vitest', 'run', '-c', 'vitest.cluster.config.ts'], env: {} });
  else if (only.includes('cluster')) {
    console.error('TEST_DATABASE_URL is not set: no cluster run.');
    process.exit(1);
  }
}
if (want('e2e')) runs.push({ name: 'browser journeys', args: ['vitest', 'run', '-c', 'vitest.e2e.config.ts'], env: { TEST_DATABASE_URL: '' } });

let passed = 0;
let failed = 0;
let broken = false;
const failures = []; // named again at the end, so the tail of a CI log says what failed
for (const run of runs) {
  console.log(`\n=== ${run.name} ===`);
  const out = path.join(tmp, `results-${run.name.replace(/[^a-z0-9]+/gi, '-')}.json`);
  fs.rmSync(out, { force: true });
  const res = spawnSync('npx', [...run.args, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`], {
    stdio: 'inherit',
    env: { ...process.env, ...run.env },
  });
  if (fs.existsSync(out)) {
    const r = JSON.parse(fs.readFileSync(out, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    if (!r.success && r.numFailedTests === 0) broken = true; // a file that failed to load, or an error outside a test
    for (const file of r.testResults ?? []) {
      const where = path.relative(process.cwd(), file.name);
      if (file.status === 'failed' && (file.assertionResults ?? []).every((a) => a.status !== 'failed')) {
        failures.push(`${run.name} · ${where}: ${String(file.message ?? '').split('\n')[0].slice(0, 300)}`);
      }
      for (const a of file.assertionResults ?? []) {
        if (a.status !== 'failed') continue;
        const why = String((a.failureMessages ?? [])[0] ?? '').split('\n').slice(0, 3).join(' | ').slice(0, 400);
        failures.push(`${run.name} · ${where} > ${a.fullName}: ${why}`);
      }
    }
    if (r.numTotalTests === 0) broken = true;
  } else broken = true;
  if (res.status !== 0) broken = true;
}
if (broken && failed === 0) failed = 1;
if (failures.length > 0) {
  console.log('\nFailed:');
  for (const f of failures) console.log(`- ${f}`);
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 || broken ? 1 : 0);
