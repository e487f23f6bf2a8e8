// The Network pillar at scale: the generated network (bench/generate-network.ts: 2,000 organisations,
// 50,000 people, 200,000 meetings, 1,000,000 attendance links, times BENCH_SCALE), then against the real
// server process with a signed-in staff member's cookie (need-to-know conditions apply, as for most users),
// 20 connections for ~10 s each: the organisation list, searches (names in three scripts with typos, a person, a
// city, a topic; each connection types them in turn), and member
// health. Target p95 <= 50 ms. Then importing 50,000 people (x BENCH_SCALE) through POST /api/imports/commit:
// target <= 30 s. Embedded (PGlite) and, when BENCH_DATABASE_URL or TEST_DATABASE_URL is set, PostgreSQL.
import autocannon, { type Options, type Result } from 'autocannon';
import { BENCH_STAFF, FULL, type Generated, generateNetwork, openBenchDatabase, printGenerated, scaleFromEnv } from './generate-network.ts';
import { type Figure, freshPostgresDatabase, isMain, ms, percentile, postgresUrl, printFigures, removeDir, type Server, startServer, tempDir } from './lib.ts';

/** 20 by default (the issue's figure); BENCH_CONNECTIONS=1 or 5 to see one request's cost without a queue */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const TARGET_P95_MS = 50;
const TARGET_IMPORT_S = 30;
/** one request that takes longer than this is not worth loading with 20 connections */
const PROBE_TIMEOUT_MS = 30_000;
/** BENCH_NETWORK_ENGINES=pglite or =postgres runs one of the two */
const ENGINES = (process.env.BENCH_NETWORK_ENGINES ?? 'pglite,postgres').split(',');

async function load(opts: Options): Promise<{ times: number[]; result: Result }> {
  const times: number[] = [];
  const inst = autocannon(opts);
  inst.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => times.push(responseTime));
  const result = await inst;
  times.sort((a, b) => a - b);
  return { times, result };
}

async function signInStaff(s: Server): Promise<string> {
  const res = await fetch(`${s.url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: s.origin },
    body: JSON.stringify({ email: BENCH_STAFF.email, password: BENCH_STAFF.password }),
  });
  if (res.status !== 200) throw new Error(`sign-in answered ${res.status}: ${await res.text()}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** 'ok', or why the route cannot be measured (a stub not filled in yet answers route_not_found). */
async function probe(s: Server, path: string, cookie: string): Promise<{ ok: true; summary: string } | { ok: false; why: string }> {
  let res: Response;
  try {
    res = await fetch(`${s.url}${path}`, { headers: { cookie }, signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
  } catch {
    return { ok: false, why: `no answer within ${PROBE_TIMEOUT_MS / 1000} s` };
  }
  const text = await res.text();
  if (res.status === 404 && text.includes('route_not_found')) return { ok: false, why: 'route not available yet' };
  if (res.status !== 200) return { ok: false, why: `answered ${res.status}: ${text.slice(0, 200)}` };
  try {
    const body = JSON.parse(text) as { items?: unknown[] };
    return { ok: true, summary: `${body.items?.length ?? '?'} items, ${text.length.toLocaleString('en')} bytes` };
  } catch {
    return { ok: true, summary: `${text.length} bytes` };
  }
}

async function measureGet(s: Server, label: string, name: string, path: string | string[], cookie: string): Promise<Figure[]> {
  const bench = `${name} ${label}`;
  const paths = typeof path === 'string' ? [path] : path;
  const p = await probe(s, paths[0]!, cookie);
  if (!p.ok) {
    console.log(`  ${name}: ${p.why}`);
    return [{ bench, metric: 'p95', value: p.why, target: `<= ${TARGET_P95_MS} ms` }];
  }
  // several paths: each connection goes through them in turn
  const opts = { url: `${s.url}${paths[0]}`, connections: CONNECTIONS, headers: { cookie }, timeout: 10, ...(paths.length > 1 ? { requests: paths.map((p) => ({ method: 'GET' as const, path: p })) } : {}) };
  await autocannon({ ...opts, duration: 2 });
  const { times, result: r } = await load({ ...opts, duration: SECONDS });
  const p50 = percentile(times, 50);
  const p95 = percentile(times, 95);
  const p99 = percentile(times, 99);
  const failures = r.errors + r.timeouts + r.non2xx;
  console.log(`  ${name} (${p.summary}): ${times.length} responses in ${r.duration} s = ${(times.length / r.duration).toFixed(0)} requests/s`);
  console.log(`    p50 ${ms(p50)}, p95 ${ms(p95)}, p99 ${ms(p99)}, max ${ms(times[times.length - 1] ?? NaN)} (exact); errors ${r.errors}, timeouts ${r.timeouts}, non-2xx ${r.non2xx}`);
  return [
    { bench, metric: 'requests/s', value: (times.length / r.duration).toFixed(0) },
    { bench, metric: 'p50 / p99', value: `${ms(p50)} / ${ms(p99)}` },
    { bench, metric: 'p95', value: ms(p95), target: `<= ${TARGET_P95_MS} ms`, met: p95 <= TARGET_P95_MS },
    { bench, metric: 'errors + non-2xx', value: String(failures), target: '0', met: failures === 0 },
  ];
}

/** After timeouts the server is still working through the abandoned requests: wait until it answers promptly. */
async function drain(s: Server, cookie: string) {
  const deadline = performance.now() + 300_000;
  while (performance.now() < deadline) {
    const t = performance.now();
    await (await fetch(`${s.url}/api/organisations?limit=1`, { headers: { cookie } })).arrayBuffer();
    if (performance.now() - t < 500) return;
  }
}

async function measureImport(s: Server, label: string, cookie: string, g: Generated, scale: number): Promise<Figure[]> {
  const n = Math.round(FULL.people * scale);
  const bench = `import ${n.toLocaleString('en')} people ${label}`;
  const q = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = ['Name,Arabic name,Email,Organisation,Title'];
  for (let i = 0; i < n; i++) {
    lines.push([`Imported Person ${i}`, `شخص مستورد ${i}`, `imported-${i}@import.example`, g.sampleOrganisations[i % g.sampleOrganisations.length]!, 'Volunteer'].map(q).join(','));
  }
  await drain(s, cookie);
  const body = JSON.stringify({ list: 'people', csv: lines.join('\n'), mapping: { Name: 'name', 'Arabic name': 'name_ar', Email: 'email', Organisation: 'organisation', Title: 'title' } });
  const t0 = performance.now();
  const res = await fetch(`${s.url}/api/imports/commit`, { method: 'POST', headers: { cookie, origin: s.origin, 'content-type': 'application/json' }, body });
  const text = await res.text();
  let seconds = (performance.now() - t0) / 1000;
  if (res.status === 404 && text.includes('route_not_found')) {
    console.log('  TODO: POST /api/imports/commit is not available yet: the 50,000-people import is not measured');
    return [{ bench, metric: 'seconds', value: 'route not available yet', target: `<= ${TARGET_IMPORT_S} s` }];
  }
  if (res.status !== 200 && res.status !== 202) {
    console.log(`  import answered ${res.status} after ${seconds.toFixed(1)} s: ${text.slice(0, 300)}`);
    return [{ bench, metric: 'seconds', value: `failed (${res.status})`, target: `<= ${TARGET_IMPORT_S} s`, met: false }];
  }
  // a large import is checked, answered 202, and written by a background job: follow it to its end
  let r = JSON.parse(text) as { id?: string; state?: string; created: number; updated: number };
  while (res.status === 202 && r.state !== 'done' && r.state !== 'failed') {
    await new Promise((ok) => setTimeout(ok, 250));
    r = (await (await fetch(`${s.url}/api/imports/${r.id}`, { headers: { cookie } })).json()) as typeof r;
  }
  seconds = (performance.now() - t0) / 1000;
  console.log(`  import of ${n.toLocaleString('en')} people (${(body.length / 1e6).toFixed(1)} MB of JSON): ${seconds.toFixed(1)} s, created ${r.created}, updated ${r.updated}${r.state ? ` (${r.state}, by a background job)` : ''}`);
  return [{ bench, metric: 'seconds', value: seconds.toFixed(1), target: `<= ${TARGET_IMPORT_S} s`, met: seconds <= TARGET_IMPORT_S }];
}

async function measure(label: string, target: { dataDir: string; pgUrl?: string }, scale: number): Promise<Figure[]> {
  const database = await openBenchDatabase(target.pgUrl ? { url: target.pgUrl } : { dataDir: target.dataDir });
  let g: Generated;
  try {
    g = await generateNetwork(database.db, { scale, log: (l) => console.log(l) });
  } finally {
    await database.close();
  }
  printGenerated(label, g);
  const figures: Figure[] = [
    { bench: `generate network ${label}`, metric: 'seconds', value: (g.ms / 1000).toFixed(1) },
    { bench: `generate network ${label}`, metric: 'attendance links', value: g.counts.attendance_links!.toLocaleString('en') },
  ];
  const s = await startServer({ dataDir: target.dataDir, env: target.pgUrl ? { DATABASE_URL: target.pgUrl } : {}, timeoutMs: 300_000 });
  try {
    const cookie = await signInStaff(s);
    console.log(`  search, in turn: ${g.searchQueries.map((q) => `"${q}"`).join(', ')} (the first is "${g.arabicName}" with a typo)`);
    figures.push(...(await measureGet(s, label, 'GET /api/organisations?limit=50', '/api/organisations?limit=50', cookie)));
    // in a Hebrew and an Arabic reader's order (docs/network.md, "Order"), and the people list in Arabic order
    figures.push(...(await measureGet(s, label, 'GET /api/organisations?limit=50&lang=he', '/api/organisations?limit=50&lang=he', cookie)));
    figures.push(...(await measureGet(s, label, 'GET /api/people?limit=50&lang=ar', '/api/people?limit=50&lang=ar', cookie)));
    figures.push(...(await measureGet(s, label, `GET /api/search (${g.searchQueries.length} queries)`, g.searchQueries.map((q) => `/api/search?q=${encodeURIComponent(q)}`), cookie)));
    figures.push(...(await measureGet(s, label, 'GET /api/member-health', '/api/member-health', cookie)));
    figures.push(...(await measureImport(s, label, cookie, g, scale)));
  } finally {
    await s.stop();
  }
  return figures;
}

export async function run(): Promise<Figure[]> {
  const scale = scaleFromEnv();
  console.log(`\n## Network at scale x${scale}: ${CONNECTIONS} connections, ${SECONDS} s per list, staff cookie`);
  const figures: Figure[] = [];
  if (ENGINES.includes('pglite')) {
    const dataDir = tempDir();
    try {
      console.log('  (PGlite)');
      figures.push(...(await measure('(PGlite)', { dataDir }, scale)));
    } finally {
      removeDir(dataDir);
    }
  }
  const url = ENGINES.includes('postgres') ? postgresUrl() : undefined;
  if (url) {
    const db = await freshPostgresDatabase(url);
    const pgDir = tempDir();
    try {
      console.log('  (PostgreSQL)');
      figures.push(...(await measure('(PostgreSQL)', { dataDir: pgDir, pgUrl: db.url }, scale)));
    } finally {
      await db.drop();
      removeDir(pgDir);
    }
  } else {
    console.log('  (BENCH_DATABASE_URL / TEST_DATABASE_URL not set: no PostgreSQL run)');
  }
  return figures;
}

if (isMain(import.meta.url)) printFigures(await run());
