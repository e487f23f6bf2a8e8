// Start-up time: from spawning the server to its first 200 on /api/health, on a data folder that already
// holds data (an admin, ~1,000 invitations and their ~1,000 audit entries), and on an empty folder (cold:
// the migrations run). The server runs from its build (dist/server, as `npm start` runs it); the same start
// through tsx (TypeScript transpiled at every start, as before the build and as `npm run dev` still does) is
// measured beside it, and so is `npm start` as typed (npm itself, the build check, then the server).
// Then the `convene` command as whole processes: `convene --help`, and `convene dialogue analyze ID --json` on a
// 2,000-participant, 50,000-vote dialogue (CPU time and peak memory from /usr/bin/time when the machine has it).
// Targets (issue 17): start-up with existing data <= 0.5 s; `dialogue analyze` <= 1 s CPU and <= 250 MB.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { seedDialogueVotes } from './dialogue-analysis-db.ts';
import { openBenchDatabase } from './generate-network.ts';
import {
  createFirstAdmin,
  ensureServerBuilt,
  type Figure,
  freePort,
  isMain,
  median,
  ms,
  printFigures,
  removeDir,
  root,
  signIn,
  startServer,
  type StartVia,
  tempDir,
} from './lib.ts';

const RUNS = 5;
const INVITATIONS = 1_000;
const TARGET_MS = 500;
const COMMAND = { participants: 2_000, statements: 200, votes: 50_000 };
const COMMAND_CPU_TARGET_MS = 1_000;
const COMMAND_RSS_TARGET_MB = 250;

async function seed(dataDir: string) {
  const s = await startServer({ dataDir });
  try {
    await createFirstAdmin(s);
    const cookie = await signIn(s);
    let next = 0;
    const writer = async () => {
      while (next < INVITATIONS) {
        const n = next++;
        const res = await fetch(`${s.url}/api/invitations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: s.origin, cookie },
          body: JSON.stringify({ email: `seed-${n}@example.org`, name: `Seed ${n}`, role: 'staff' }),
        });
        if (res.status !== 201) throw new Error(`seeding: POST /api/invitations answered ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
      }
    };
    await Promise.all(Array.from({ length: 8 }, writer));
  } finally {
    await s.stop();
  }
}

type Starts = { wall: number[]; own: number[]; cpu: number[] };

async function starts(dataDir: () => string, via: StartVia, runs: number, after?: (dir: string) => void): Promise<Starts> {
  const out: Starts = { wall: [], own: [], cpu: [] };
  for (let i = 0; i < runs; i++) {
    const dir = dataDir();
    const s = await startServer({ dataDir: dir, via });
    out.wall.push(s.msToHealthy);
    if (s.ownReadyMs !== undefined) out.own.push(s.ownReadyMs);
    if (s.cpuMsToHealthy !== undefined) out.cpu.push(s.cpuMsToHealthy);
    await s.stop();
    after?.(dir);
  }
  return out;
}

function describe(label: string, r: Starts) {
  const sorted = [...r.wall].sort((a, b) => a - b);
  console.log(`  ${label}: min ${ms(sorted[0]!)}, median ${ms(median(r.wall))}, max ${ms(sorted[sorted.length - 1]!)}`);
  console.log(`    each: ${r.wall.map((t) => ms(t)).join(', ')}`);
  if (r.cpu.length) console.log(`    CPU time of the server process until then (all its threads): median ${ms(median(r.cpu))}`);
  if (r.own.length) {
    console.log(`    of which the server's own main() to listening (it prints "ready in"): median ${ms(median(r.own))};`);
    console.log(`    the rest, ~${ms(median(r.wall) - median(r.own))}, is Node starting and loading the modules before main() runs, and the first request`);
  }
}

/** `npm start` as a person types it, on an existing data folder: spawn to the first 200 from /api/health. */
async function npmStart(dataDir: string): Promise<number> {
  const port = await freePort();
  const t0 = performance.now();
  // a process group of its own: npm, its shell, the build check and the server are stopped together
  const proc: ChildProcess = spawn('npm', ['start', '--silent'], {
    cwd: root,
    detached: true,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', CONVENE_DATA_DIR: dataDir, DATABASE_URL: '', PUBLIC_URL: `http://localhost:${port}` },
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const stopAll = (signal: NodeJS.Signals) => {
    try {
      process.kill(-proc.pid!, signal);
    } catch {
      /* gone */
    }
  };
  process.once('exit', () => stopAll('SIGKILL'));
  try {
    for (;;) {
      if (performance.now() - t0 > 120_000) throw new Error('npm start was not healthy within 120 s');
      if (proc.exitCode !== null) throw new Error(`npm start exited (${proc.exitCode}) before it was healthy`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/health`);
        await res.arrayBuffer();
        if (res.status === 200) return performance.now() - t0;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    stopAll('SIGTERM');
    await exited;
    // the server (a grandchild) may outlive npm by the time it takes to close the database: wait for the lock to go
    const lock = path.join(dataDir, 'convene.lock');
    for (let i = 0; i < 500 && fs.existsSync(lock); i++) await new Promise((r) => setTimeout(r, 20));
  }
}

type ProcessFigures = { wallMs: number; cpuMs?: number; maxRssMb?: number; stdout: string; code: number | null };
const GNU_TIME = '/usr/bin/time';

/** Runs node with `args` as a whole process; CPU time (user + system) and peak memory from GNU time when present. */
function timeProcess(args: string[], env: Record<string, string>): Promise<ProcessFigures> {
  const withTime = fs.existsSync(GNU_TIME);
  const report = path.join(tempDir('convene-bench-time-'), 'time.txt');
  const cmd = withTime ? GNU_TIME : process.execPath;
  const argv = withTime ? ['-f', '%e %U %S %M', '-o', report, process.execPath, ...args] : args;
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, argv, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - t0;
      if (code !== 0) return reject(new Error(`${args.join(' ')} exited ${code}:\n${stderr}`));
      if (!withTime) return resolve({ wallMs, stdout, code });
      const [, user, sys, rssKb] = fs.readFileSync(report, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
      resolve({ wallMs, cpuMs: (user! + sys!) * 1000, maxRssMb: rssKb! / 1024, stdout, code });
    });
  });
}

async function timeRuns(label: string, runs: number, args: string[], env: Record<string, string>, check?: (stdout: string) => void) {
  const all: ProcessFigures[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await timeProcess(args, env);
    check?.(r.stdout);
    all.push(r);
  }
  const wall = median(all.map((r) => r.wallMs));
  const cpu = all[0]!.cpuMs === undefined ? undefined : median(all.map((r) => r.cpuMs!));
  const rss = all[0]!.maxRssMb === undefined ? undefined : Math.max(...all.map((r) => r.maxRssMb!));
  console.log(
    `  ${label}: wall median ${ms(wall)} (each ${all.map((r) => ms(r.wallMs)).join(', ')})` +
      (cpu === undefined ? ' (no /usr/bin/time here: no CPU or memory figure)' : `; CPU median ${ms(cpu)}; peak memory max ${rss!.toFixed(0)} MB`),
  );
  return { wall, cpu, rss };
}

async function command(): Promise<Figure[]> {
  console.log(`\n## The convene command, whole processes (${RUNS} runs each)`);
  const dataDir = tempDir();
  const database = await openBenchDatabase({ dataDir });
  let dialogueId: string;
  try {
    const seeded = await seedDialogueVotes(database.db, COMMAND);
    dialogueId = seeded.dialogueId;
    console.log(`  (stored a dialogue of ${COMMAND.participants.toLocaleString('en')} participants, ${COMMAND.statements} statements and ${seeded.votes.toLocaleString('en')} votes in ${seeded.seconds.toFixed(1)} s)`);
  } finally {
    await database.close();
  }
  const env = { CONVENE_DATA_DIR: dataDir, DATABASE_URL: '' };
  const bin = path.join(root, 'bin/convene.mjs');
  const isAnalysis = (stdout: string) => {
    const a = JSON.parse(stdout) as { voters: number; votes: number };
    if (a.voters !== COMMAND.participants) throw new Error(`dialogue analyze counted ${a.voters} voters, not ${COMMAND.participants}`);
  };
  const help = await timeRuns('convene --help (built)', RUNS, [bin, '--help'], env);
  const built = await timeRuns('convene dialogue analyze ID --json (built)', RUNS, [bin, 'dialogue', 'analyze', dialogueId, '--json'], env, isAnalysis);
  const tsx = await timeRuns('the same through tsx (before the build)', RUNS, ['--import', 'tsx', path.join(root, 'src/cli/convene.ts'), 'dialogue', 'analyze', dialogueId, '--json'], env, isAnalysis);
  removeDir(dataDir);

  const bench = 'convene command';
  const figures: Figure[] = [
    { bench, metric: '--help, wall median', value: ms(help.wall) },
    { bench, metric: 'dialogue analyze --json (2,000 × 50,000), wall median', value: ms(built.wall) },
    { bench, metric: 'dialogue analyze through tsx, wall median', value: ms(tsx.wall) },
  ];
  if (built.cpu !== undefined) {
    figures.push(
      { bench, metric: 'dialogue analyze --json, CPU median', value: ms(built.cpu), target: `<= ${COMMAND_CPU_TARGET_MS} ms`, met: built.cpu <= COMMAND_CPU_TARGET_MS },
      { bench, metric: 'dialogue analyze --json, peak memory', value: `${built.rss!.toFixed(0)} MB`, target: `<= ${COMMAND_RSS_TARGET_MB} MB`, met: built.rss! <= COMMAND_RSS_TARGET_MB },
      { bench, metric: 'dialogue analyze through tsx, CPU median', value: ms(tsx.cpu!) },
    );
  }
  return figures;
}

export async function run(): Promise<Figure[]> {
  ensureServerBuilt();
  console.log(`\n## Start-up: spawn to first 200 from /api/health (${RUNS} runs each)`);

  const fresh = () => tempDir();
  const cold = await starts(fresh, 'built', RUNS, removeDir);

  const dataDir = tempDir();
  const t = performance.now();
  await seed(dataDir);
  console.log(`  (seeded an admin and ${INVITATIONS} invitations, so ${INVITATIONS + 2}+ audit entries, in ${ms(performance.now() - t)})`);
  const same = () => dataDir;
  const warm = await starts(same, 'built', RUNS);
  const warmTsx = await starts(same, 'tsx', RUNS);

  // `npm start` also checks both builds (and would build the web app when missing: not timed here)
  const ensured = spawnEnsureBuild();
  const npm: number[] = [];
  if (ensured) for (let i = 0; i < 3; i++) npm.push(await npmStart(dataDir));
  const alone = pgliteAlone(path.join(dataDir, 'pglite'), RUNS);
  removeDir(dataDir);

  describe('existing data (the build, as npm start runs it)', warm);
  describe('existing data, through tsx (before the build; npm run dev)', warmTsx);
  describe('cold first start (empty folder, migrations run)', cold);
  console.log(
    `  what bounds it: opening the embedded database alone (PGlite.create with pg_trgm on the same folder, in a process of its own): wall median ${ms(median(alone.wall))}, CPU median ${ms(median(alone.cpu))} (each ${alone.wall.map((x) => ms(x)).join(', ')})`,
  );
  if (npm.length) console.log(`  \`npm start\` as typed (npm, the build check, the server), existing data: median ${ms(median(npm))} (each ${npm.map((x) => ms(x)).join(', ')})`);

  const figures: Figure[] = [
    { bench: 'startup', metric: 'existing data, median', value: ms(median(warm.wall)), target: `<= ${TARGET_MS} ms`, met: median(warm.wall) <= TARGET_MS },
    { bench: 'startup', metric: 'existing data, max', value: ms(Math.max(...warm.wall)), target: `<= ${TARGET_MS} ms`, met: Math.max(...warm.wall) <= TARGET_MS },
  ];
  if (warm.cpu.length) figures.push({ bench: 'startup', metric: 'existing data, CPU time to ready, median', value: ms(median(warm.cpu)) });
  figures.push(
    { bench: 'startup', metric: 'existing data through tsx, median', value: ms(median(warmTsx.wall)) },
    { bench: 'startup', metric: 'cold first start, median', value: ms(median(cold.wall)) },
  );
  if (npm.length) figures.push({ bench: 'startup', metric: '`npm start` as typed, existing data, median', value: ms(median(npm)) });
  figures.push(
    { bench: 'startup', metric: 'opening the embedded database alone (the bound), wall median', value: ms(median(alone.wall)) },
    { bench: 'startup', metric: 'opening the embedded database alone, CPU median', value: ms(median(alone.cpu)) },
  );
  return [...figures, ...(await command())];
}

/**
 * The part of a start no change to Convene can remove: PGlite.create on the data folder (its WebAssembly compiled, its
 * file system bundle unpacked, PostgreSQL started, pg_trgm loaded) until its first query answers, timed inside a bare
 * process of its own (wall time from before the import, CPU time of the whole process).
 */
function pgliteAlone(pgdata: string, runs: number): { wall: number[]; cpu: number[] } {
  const script = `
    const t0 = performance.now();
    const { PGlite } = await import('@electric-sql/pglite');
    const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
    const db = await PGlite.create({ dataDir: ${JSON.stringify(pgdata)}, extensions: { pg_trgm } });
    await db.query('SELECT 1');
    const wall = performance.now() - t0;
    const u = process.cpuUsage();
    await db.close();
    console.log(JSON.stringify({ wall, cpu: (u.user + u.system) / 1000 }));`;
  const out = { wall: [] as number[], cpu: [] as number[] };
  for (let i = 0; i < runs; i++) {
    const res = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`opening PGlite alone failed:\n${res.stderr}`);
    const r = JSON.parse(res.stdout.trim().split('\n').pop()!) as { wall: number; cpu: number };
    out.wall.push(r.wall);
    out.cpu.push(r.cpu);
  }
  return out;
}

/** Both builds made beforehand, so that `npm start` is timed as every start after the first is. */
function spawnEnsureBuild(): boolean {
  const { status } = spawnSync(process.execPath, [path.join(root, 'scripts/ensure-build.mjs')], { cwd: root, stdio: 'ignore' });
  if (status !== 0) console.log('  (the builds could not be made: `npm start` not timed)');
  return status === 0;
}

if (isMain(import.meta.url)) printFigures(await run());
