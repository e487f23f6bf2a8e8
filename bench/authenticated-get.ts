// An authenticated GET under load: GET /api/me with a signed-in admin's session cookie, 50 connections
// for ~10 s (autocannon), on the embedded database and, when BENCH_DATABASE_URL or TEST_DATABASE_URL is
// set, on PostgreSQL. Target: p95 <= 10 ms and no errors.
import autocannon, { type Options, type Result } from 'autocannon';
import { createFirstAdmin, type Figure, freshPostgresDatabase, isMain, ms, percentile, postgresUrl, printFigures, removeDir, signIn, startServer, tempDir } from './lib.ts';

const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const TARGET_P95_MS = 10;

/** Runs autocannon and keeps every response time, so percentiles are exact (its histogram has no p95). */
async function load(opts: Options): Promise<{ times: number[]; result: Result }> {
  const times: number[] = [];
  const inst = autocannon(opts);
  inst.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => times.push(responseTime));
  const result = await inst;
  times.sort((a, b) => a - b);
  return { times, result };
}

async function measure(label: string, env: Record<string, string>): Promise<Figure[]> {
  const dataDir = tempDir();
  const s = await startServer({ dataDir, env });
  try {
    await createFirstAdmin(s);
    const cookie = await signIn(s);
    const check = await fetch(`${s.url}/api/me`, { headers: { cookie } });
    if (check.status !== 200) throw new Error(`GET /api/me answered ${check.status}: ${await check.text()}`);
    await check.arrayBuffer();

    const opts = { url: `${s.url}/api/me`, connections: CONNECTIONS, headers: { cookie }, timeout: 10 };
    // a short warm-up so that JIT and caches are not what is measured
    await autocannon({ ...opts, duration: 2 });

    const { times, result: r } = await load({ ...opts, duration: SECONDS });
    const p50 = percentile(times, 50);
    const p95 = percentile(times, 95);
    const p99 = percentile(times, 99);
    const rps = times.length / r.duration;
    const failures = r.errors + r.timeouts + r.non2xx;
    console.log(`  ${label}: ${times.length} responses in ${r.duration} s = ${rps.toFixed(0)} requests/s`);
    console.log(`    latency p50 ${ms(p50)}, p95 ${ms(p95)}, p99 ${ms(p99)}, max ${ms(times[times.length - 1] ?? NaN)} (exact, from every response)`);
    console.log(`    autocannon's histogram: p50 ${r.latency.p50} ms, p97.5 ${r.latency.p97_5} ms, p99 ${r.latency.p99} ms`);
    console.log(`    errors ${r.errors}, timeouts ${r.timeouts}, non-2xx ${r.non2xx}; status codes ${JSON.stringify(Object.fromEntries(Object.entries(r.statusCodeStats).map(([k, v]) => [k, v.count])))}`);

    // One connection: what one request costs the server with no queue in front of it. (autocannon's
    // overallRate is no help here: it lets every connection fire its share at the start of each second.)
    const { times: single, result: r3 } = await load({ ...opts, connections: 1, duration: 3 });
    console.log(`    (with ${CONNECTIONS} connections always busy, mean latency = ${CONNECTIONS} / throughput: ${ms((CONNECTIONS / rps) * 1000)} here; a ${TARGET_P95_MS} ms p95 needs well over ${(CONNECTIONS * 1000) / TARGET_P95_MS} requests/s)`);
    console.log(`    one connection (3 s, no queueing): ${(single.length / r3.duration).toFixed(0)} requests/s, p50 ${ms(percentile(single, 50))}, p95 ${ms(percentile(single, 95))}, p99 ${ms(percentile(single, 99))}`);
    return [
      { bench: `GET /api/me ${label}`, metric: 'requests/s', value: rps.toFixed(0) },
      { bench: `GET /api/me ${label}`, metric: 'p50 / p99', value: `${ms(p50)} / ${ms(p99)}` },
      { bench: `GET /api/me ${label}`, metric: 'p95', value: ms(p95), target: `<= ${TARGET_P95_MS} ms`, met: p95 <= TARGET_P95_MS },
      { bench: `GET /api/me ${label}`, metric: 'errors + non-2xx', value: String(failures), target: '0', met: failures === 0 },
      { bench: `GET /api/me ${label}`, metric: 'p95, one connection', value: ms(percentile(single, 95)) },
    ];
  } finally {
    await s.stop();
    removeDir(dataDir);
  }
}

export async function run(): Promise<Figure[]> {
  console.log(`\n## Authenticated GET /api/me: ${CONNECTIONS} connections, ${SECONDS} s`);
  const figures = await measure('(PGlite)', {});
  const url = postgresUrl();
  if (url) {
    const db = await freshPostgresDatabase(url);
    try {
      figures.push(...(await measure('(PostgreSQL)', { DATABASE_URL: db.url })));
    } finally {
      await db.drop();
    }
  } else {
    console.log('  (BENCH_DATABASE_URL / TEST_DATABASE_URL not set: no PostgreSQL run)');
  }
  return figures;
}

if (isMain(import.meta.url)) printFigures(await run());
