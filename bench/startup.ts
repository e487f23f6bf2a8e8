// Start-up time: from spawning the server to its first 200 on /api/health, on a data folder that already
// holds data (an admin, ~1,000 invitations and their ~1,000 audit entries), and on an empty folder (cold:
// the migrations run). Target with existing data: <= 2 s.
import { createFirstAdmin, type Figure, isMain, median, ms, printFigures, removeDir, signIn, startServer, tempDir } from './lib.ts';

const RUNS = 5;
const INVITATIONS = 1_000;
const TARGET_MS = 2_000;

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

function describe(label: string, times: number[], own: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`  ${label}: min ${ms(sorted[0])}, median ${ms(median(times))}, max ${ms(sorted[sorted.length - 1])}`);
  console.log(`    each: ${times.map((t) => ms(t)).join(', ')}`);
  if (own.length) {
    console.log(`    of which the server's own main() to listening (it prints "ready in"): median ${ms(median(own))};`);
    console.log(`    the rest, ~${ms(median(times) - median(own))}, is Node and tsx starting and loading the modules before main() runs`);
  }
}

export async function run(): Promise<Figure[]> {
  console.log(`\n## Start-up: spawn to first 200 from /api/health (${RUNS} runs each)`);

  const cold: number[] = [];
  const coldOwn: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const dir = tempDir();
    const s = await startServer({ dataDir: dir });
    cold.push(s.msToHealthy);
    if (s.ownReadyMs !== undefined) coldOwn.push(s.ownReadyMs);
    await s.stop();
    removeDir(dir);
  }

  const dataDir = tempDir();
  const t = performance.now();
  await seed(dataDir);
  console.log(`  (seeded an admin and ${INVITATIONS} invitations, so ${INVITATIONS + 2}+ audit entries, in ${ms(performance.now() - t)})`);
  const warm: number[] = [];
  const warmOwn: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const s = await startServer({ dataDir });
    warm.push(s.msToHealthy);
    if (s.ownReadyMs !== undefined) warmOwn.push(s.ownReadyMs);
    await s.stop();
  }
  removeDir(dataDir);

  describe('existing data', warm, warmOwn);
  describe('cold first start (empty folder, migrations run)', cold, coldOwn);

  return [
    { bench: 'startup', metric: 'existing data, median', value: ms(median(warm)), target: `<= ${TARGET_MS} ms`, met: median(warm) <= TARGET_MS },
    { bench: 'startup', metric: 'existing data, max', value: ms(Math.max(...warm)), target: `<= ${TARGET_MS} ms`, met: Math.max(...warm) <= TARGET_MS },
    { bench: 'startup', metric: 'cold first start, median', value: ms(median(cold)) },
  ];
}

if (isMain(import.meta.url)) printFigures(await run());
