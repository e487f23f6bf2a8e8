// Events, registration burst (issue 12): 6,000 registrations from 200 concurrent clients into a ticket type of
// capacity 5,500, through the public form (POST /e/{slug}, as a browser sends it), on the embedded database and, when
// BENCH_DATABASE_URL or TEST_DATABASE_URL is set, on PostgreSQL. Each registration comes from its own address (6,000
// people; the per-address limit is not what is measured). Targets: 0 errors, exactly 5,500 tickets and 500 waiting,
// p99 <= 200 ms. BENCH_EVENT_REGISTRATIONS=600 for a quick run (capacity scales with it).
import { cpuMsOf, createFirstAdmin, type Figure, freshPostgresDatabase, isMain, ms, percentile, postgresUrl, printFigures, removeDir, signIn, startServer, tempDir } from './lib.ts';

const N = Number(process.env.BENCH_EVENT_REGISTRATIONS ?? 6_000);
const CAPACITY = Math.round((N * 5_500) / 6_000);
const CLIENTS = Math.min(200, N);
const TARGET_P99_MS = 200;

async function measure(label: string, env: Record<string, string>): Promise<Figure[]> {
  const dataDir = tempDir();
  const s = await startServer({ dataDir, env: { TRUST_PROXY: 'true', ...env }, via: process.env.BENCH_VIA === 'tsx' ? 'tsx' : 'built' });
  try {
    await createFirstAdmin(s);
    const cookie = await signIn(s);
    const starts = new Date(Date.now() + 30 * 86_400_000);
    const created = await fetch(`${s.url}/api/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: s.origin, cookie },
      body: JSON.stringify({
        slug: 'burst',
        title: { en: 'Time is Now' },
        startsAt: starts.toISOString(),
        endsAt: new Date(starts.getTime() + 5 * 3_600_000).toISOString(),
        timeZone: 'Asia/Jerusalem',
        status: 'published',
        ticketTypes: [{ name: { en: 'General' }, capacity: CAPACITY }],
      }),
    });
    if (created.status !== 201) throw new Error(`creating the event answered ${created.status}: ${await created.text()}`);
    const e = (await created.json()) as { id: string; ticketTypes: { id: string }[] };
    const typeId = e.ticketTypes[0]!.id;

    const times: number[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    let failures = 0;
    // BENCH_WARM=1: the clients' connections opened before the burst (apart from opening 200 connections to a busy server)
    if (process.env.BENCH_WARM) await Promise.all(Array.from({ length: CLIENTS }, async () => (await fetch(`${s.url}/api/health`)).arrayBuffer()));
    const cpu0 = cpuMsOf(s.proc.pid!);
    const t0 = performance.now();
    const client = async () => {
      for (;;) {
        const i = next++;
        if (i >= N) return;
        const body = new URLSearchParams({ language: 'en', ticketTypeId: typeId, name: `Person ${i}`, email: `person${i}@example.org` });
        const a = performance.now();
        try {
          const res = await fetch(`${s.url}/e/burst`, {
            method: 'POST',
            body,
            redirect: 'manual',
            headers: { 'content-type': 'application/x-www-form-urlencoded', origin: s.origin, 'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
          });
          await res.arrayBuffer();
          times.push(performance.now() - a);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status !== 303) failures++;
        } catch {
          failures++;
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    const seconds = (performance.now() - t0) / 1000;
    // the server's CPU time per registration (its database's too on PGlite): steadier than latency on a loaded machine
    const cpu1 = cpuMsOf(s.proc.pid!);
    const cpuPer = cpu0 !== undefined && cpu1 !== undefined ? (cpu1 - cpu0) / N : undefined;
    times.sort((a, b) => a - b);
    const totals = (await (await fetch(`${s.url}/api/events/${e.id}/totals`, { headers: { cookie } })).json()) as { registrations: number; tickets: number; waiting: number };
    const p50 = percentile(times, 50);
    const p99 = percentile(times, 99);
    const exact = totals.tickets === CAPACITY && totals.waiting === N - CAPACITY && totals.registrations === N;
    console.log(`  ${label}: ${N} registrations from ${CLIENTS} clients in ${seconds.toFixed(1)} s = ${(N / seconds).toFixed(0)}/s; statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    if (cpuPer !== undefined) console.log(`    server CPU ${cpuPer.toFixed(2)} ms per registration`);
    console.log(`    latency p50 ${ms(p50)}, p99 ${ms(p99)}, max ${ms(times[times.length - 1] ?? NaN)}; tickets ${totals.tickets} of ${CAPACITY}, waiting ${totals.waiting}, registrations ${totals.registrations}`);
    const bench = `registration burst ${label}`;
    return [
      { bench, metric: 'registrations/s', value: (N / seconds).toFixed(0) },
      { bench, metric: 'errors (not 303)', value: String(failures), target: '0', met: failures === 0 },
      { bench, metric: 'tickets / waiting', value: `${totals.tickets} / ${totals.waiting}`, target: `${CAPACITY} / ${N - CAPACITY}`, met: exact },
      { bench, metric: 'p50', value: ms(p50) },
      ...(cpuPer !== undefined ? [{ bench, metric: 'server CPU per registration', value: `${cpuPer.toFixed(2)} ms` }] : []),
      { bench, metric: 'p99', value: ms(p99), target: `<= ${TARGET_P99_MS} ms`, met: p99 <= TARGET_P99_MS },
    ];
  } finally {
    await s.stop();
    removeDir(dataDir);
  }
}

export async function run(): Promise<Figure[]> {
  console.log(`\n## Events: registration burst (${N} registrations, ${CLIENTS} clients, capacity ${CAPACITY})`);
  // BENCH_EVENTS_DB=pglite or postgres: one of the two only (to profile one)
  const only = process.env.BENCH_EVENTS_DB;
  const figures = only === 'postgres' ? [] : await measure('(PGlite)', {});
  const url = postgresUrl();
  if (url && only !== 'pglite') {
    const pg = await freshPostgresDatabase(url);
    try {
      figures.push(...(await measure('(PostgreSQL)', { DATABASE_URL: pg.url })));
    } finally {
      await pg.drop();
    }
  }
  return figures;
}

if (isMain(import.meta.url)) printFigures(await run());
