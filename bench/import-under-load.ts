// A long import must not freeze the rest of Convene (docs/network.md, "Long imports"): 50,000 people (x BENCH_SCALE)
// imported through POST /api/imports/commit on the real server while one client reads one organisation in a loop
// (GET /api/organisations/{id}, one request at a time; an organisation the import does not touch, so that the read
// costs the same throughout and what it measures is the wait behind the import). Printed: the import's duration (from the POST to the run's
// end, its check included) and the longest wait of that GET meanwhile. Target: the longest wait <= 1 s.
// Embedded (PGlite) and, when BENCH_DATABASE_URL or TEST_DATABASE_URL is set, PostgreSQL.
// `npx tsx bench/import-under-load.ts` runs it alone.
import { scaleFromEnv } from './generate-network.ts';
import { createFirstAdmin, type Figure, freshPostgresDatabase, isMain, ms, percentile, postgresUrl, printFigures, removeDir, type Server, signIn, startServer, tempDir } from './lib.ts';

const PEOPLE = 50_000;
const TARGET_WAIT_MS = 1_000;

type Run = { id: string; state: string; total: number; done: number; created: number; error: unknown };

async function call(s: Server, cookie: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${s.url}${path}`, {
    method,
    headers: { cookie, origin: s.origin, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: () => JSON.parse(text) as any, text };
}

export async function measure(label: string, s: Server, n: number): Promise<Figure[]> {
  const bench = `import ${n.toLocaleString('en')} people while reading ${label}`;
  await createFirstAdmin(s);
  const cookie = await signIn(s);
  const orgs: string[] = [];
  for (const name of ['Harbour Collective', 'Olive Table', 'Bridges of Galilee', 'Quiet Reading Room']) {
    const r = await call(s, cookie, 'POST', '/api/organisations', { kind: 'member', names: [{ name, kind: 'official' }] });
    if (r.status !== 201) throw new Error(`creating an organisation answered ${r.status}: ${r.text.slice(0, 200)}`);
    orgs.push(r.json().id);
  }
  const read = orgs[3]!;
  const lines = ['Name,Arabic name,Email,Organisation,Title'];
  const names = ['Harbour Collective', 'Olive Table', 'Bridges of Galilee'];
  for (let i = 0; i < n; i++) lines.push(`Imported Person ${i},شخص مستورد ${i},imported-${i}@import.example,${names[i % 3]},Volunteer`);
  const csv = lines.join('\n');

  // the reader: one organisation, one request at a time, until told to stop
  const waits: number[] = [];
  const when: number[] = []; // each read's start, from the bench's start
  const benchStart = performance.now();
  let stop = false;
  let readerError: unknown = null;
  let resets = 0;
  const reader = (async () => {
    while (!stop) {
      const t = performance.now();
      let r: Awaited<ReturnType<typeof call>>;
      try {
        r = await call(s, cookie, 'GET', `/api/organisations/${read}`);
      } catch (err) {
        // a kept-alive connection the server closed as the request went out: counted, then again on a new one
        console.log(`  the GET failed (${(err as Error).message}) after ${Math.round(performance.now() - t)} ms; again`);
        resets++;
        continue;
      }
      waits.push(performance.now() - t);
      when.push(t - benchStart);
      if (r.status !== 200) {
        readerError = new Error(`GET answered ${r.status}`);
        return;
      }
    }
  })();
  await new Promise((r) => setTimeout(r, 1000)); // the reader's pace before the import

  const t0 = performance.now();
  const at = (x: number) => ((x - (t0 - benchStart)) / 1000).toFixed(1);
  const started = await call(s, cookie, 'POST', '/api/imports/commit', { list: 'people', csv });
  const postMs = performance.now() - t0;
  if (started.status !== 202) {
    stop = true;
    await reader;
    console.log(`  import answered ${started.status}: ${started.text.slice(0, 300)}`);
    return [{ bench, metric: 'import', value: `failed (${started.status})` }];
  }
  const readsBefore = waits.length;
  let run: Run = started.json();
  while (run.state !== 'done' && run.state !== 'failed') {
    await new Promise((r) => setTimeout(r, 250));
    run = (await call(s, cookie, 'GET', `/api/imports/${run.id}`)).json();
  }
  const importS = (performance.now() - t0) / 1000;
  stop = true;
  await reader;
  if (readerError) throw readerError;
  // the longest waits, with when each read started (seconds after the POST; the POST answered at postMs)
  const worst = waits
    .map((w, i) => ({ w, t: when[i]! }))
    .slice(Math.max(0, readsBefore - 1))
    .sort((a, b) => b.w - a.w)
    .slice(0, 5)
    .map((x) => `${ms(x.w)} at ${at(x.t)} s`);
  const during = waits.slice(Math.max(0, readsBefore - 1)).sort((a, b) => a - b);
  const longest = during[during.length - 1] ?? NaN;
  console.log(
    `  ${label}: import ${run.state} in ${importS.toFixed(1)} s (the POST, which checks every row, answered 202 after ${(postMs / 1000).toFixed(1)} s), ` +
      `${run.created.toLocaleString('en')} created, ${(csv.length / 1e6).toFixed(1)} MB`,
  );
  console.log(
    `    one-row GET meanwhile: ${during.length} reads, p50 ${ms(percentile(during, 50))}, p99 ${ms(percentile(during, 99))}, longest ${ms(longest)}${resets ? `; ${resets} dropped connection(s)` : ''}`,
  );
  console.log(`    longest waits (when the read started, after the POST): ${worst.join(', ')}`);
  return [
    { bench, metric: 'import seconds', value: importS.toFixed(1) },
    { bench, metric: 'GET reads during / p50', value: `${during.length} / ${ms(percentile(during, 50))}` },
    { bench, metric: 'GET longest wait', value: ms(longest), target: `<= ${TARGET_WAIT_MS} ms`, met: longest <= TARGET_WAIT_MS && resets === 0 },
    { bench, metric: 'rows written', value: `${run.created} of ${n}`, target: String(n), met: run.state === 'done' && run.created === n },
  ];
}

export async function run(): Promise<Figure[]> {
  const n = Math.round(PEOPLE * scaleFromEnv());
  console.log(`\n## A long import and a reader: ${n.toLocaleString('en')} people imported while one client reads one organisation at a time`);
  const figures: Figure[] = [];
  const dataDir = tempDir();
  try {
    const s = await startServer({ dataDir, timeoutMs: 300_000 });
    try {
      figures.push(...(await measure('(PGlite)', s, n)));
    } finally {
      await s.stop();
    }
  } finally {
    removeDir(dataDir);
  }
  const url = postgresUrl();
  if (url) {
    const db = await freshPostgresDatabase(url);
    const pgDir = tempDir();
    try {
      const s = await startServer({ dataDir: pgDir, env: { DATABASE_URL: db.url }, timeoutMs: 300_000 });
      try {
        figures.push(...(await measure('(PostgreSQL)', s, n)));
      } finally {
        await s.stop();
      }
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
