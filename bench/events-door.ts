// The door (issue 12): 20 paired phones, 6,000 tickets, each scanned 1 to 3 times. 16 phones are online and post
// each scan as it happens (POST /api/checkin/scans with one scan); 4 are offline and upload what they scanned in
// batches of 300. Against the built server on PGlite and, when BENCH_DATABASE_URL or TEST_DATABASE_URL is set, on
// PostgreSQL. Targets: exactly one admission per ticket, every nonce recorded once, >= 500 scans/s, p99 <= 50 ms
// per online scan. BENCH_DOOR_TICKETS=600 for a quick run.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { and, count, eq } from 'drizzle-orm';
import { openDatabase, type Database } from '../src/server/db/client.ts';
import { checkinDevice, checkinScan, event, eventSigningKey, ticketType } from '../src/server/features/events/events.schema.ts';
import { generateEventKeys } from '../src/server/features/events/ticket-code.ts';
import { buildTickets } from '../tests/setup/checkin-factories.ts';
import { cpuMsOf, type Figure, freshPostgresDatabase, isMain, ms, percentile, postgresUrl, printFigures, removeDir, startServer, tempDir } from './lib.ts';

const TICKETS = Number(process.env.BENCH_DOOR_TICKETS ?? 6000);
const DEVICES = 20;
const OFFLINE_DEVICES = 4;
const BATCH = 300;
const TARGET_RATE = 500;
const TARGET_P99_MS = 50;

type Seeded = { eventId: string; codes: string[]; tokens: string[] };

async function seed(database: Database): Promise<Seeded> {
  const db = database.db;
  const starts = new Date(Date.now() + 3_600_000);
  const [e] = await db
    .insert(event)
    .values({ slug: 'time-is-now', title: { en: 'Time is Now' }, startsAt: starts, endsAt: new Date(starts.getTime() + 5 * 3_600_000), timeZone: 'Asia/Jerusalem', gates: ['North', 'South', 'VIP'], status: 'published' })
    .returning();
  await db.insert(eventSigningKey).values({ eventId: e!.id, ...generateEventKeys() });
  const [tt] = await db.insert(ticketType).values({ eventId: e!.id, name: { en: 'General' }, capacity: TICKETS }).returning();
  const tickets = await buildTickets(db, e!.id, tt!.id, Array.from({ length: TICKETS }, (_, i) => `Guest ${i}`));
  const tokens = Array.from({ length: DEVICES }, () => randomBytes(32).toString('base64url'));
  await db.insert(checkinDevice).values(
    tokens.map((token, i) => ({ eventId: e!.id, gate: ['North', 'South', 'VIP'][i % 3]!, label: `phone ${i + 1}`, tokenHash: createHash('sha256').update(token).digest('hex'), pairedAt: new Date() })),
  );
  return { eventId: e!.id, codes: tickets.map((t) => t.code), tokens };
}

type Scan = { nonce: string; code: string; scannedAt: string; gate: string; offline: boolean };

async function measure(label: string, kind: 'pglite' | 'postgres', pgUrl?: string): Promise<Figure[]> {
  const dataDir = tempDir();
  const pg = kind === 'postgres' ? await freshPostgresDatabase(pgUrl!) : null;
  const open = () => (pg ? openDatabase({ kind: 'postgres', url: pg.url, max: 2 }) : openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') }));
  try {
    let database = await open();
    await database.migrate();
    const t0 = performance.now();
    const seeded = await seed(database);
    console.log(`  ${label}: seeded ${TICKETS} tickets and ${DEVICES} phones in ${ms(performance.now() - t0)}`);
    await database.close();

    // each ticket scanned 1–3 times, by phones chosen at random; the scans of each phone in its order
    const perDevice: Scan[][] = Array.from({ length: DEVICES }, () => []);
    let total = 0;
    seeded.codes.forEach((code, i) => {
      for (let k = 0; k <= i % 3; k++) {
        const d = Math.floor(Math.random() * DEVICES);
        perDevice[d]!.push({ nonce: randomUUID(), code, scannedAt: new Date().toISOString(), gate: ['North', 'South', 'VIP'][d % 3]!, offline: d < OFFLINE_DEVICES });
        total++;
      }
    });

    const s = await startServer({ dataDir, env: { LOG_LEVEL: 'silent', ...(pg ? { DATABASE_URL: pg.url } : {}) } });
    const times: number[] = [];
    const results = new Map<string, number>();
    let failures = 0;
    const post = async (token: string, scans: Scan[]) => {
      const started = performance.now();
      const res = await fetch(`${s.url}/api/checkin/scans`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ scans }) });
      const body = (await res.json()) as { results?: { result: string }[] };
      const took = performance.now() - started;
      if (res.status !== 200 || !body.results) failures++;
      else for (const r of body.results) results.set(r.result, (results.get(r.result) ?? 0) + 1);
      return took;
    };
    let figures: Figure[];
    try {
      const cpu0 = cpuMsOf(s.proc.pid!);
      const start = performance.now();
      await Promise.all(
        perDevice.map(async (scans, d) => {
          const token = seeded.tokens[d]!;
          if (d < OFFLINE_DEVICES) {
            for (let i = 0; i < scans.length; i += BATCH) await post(token, scans.slice(i, i + BATCH));
          } else {
            for (const sc of scans) times.push(await post(token, [sc]));
          }
        }),
      );
      const seconds = (performance.now() - start) / 1000;
      // the server's CPU time per scan (its database's too on PGlite): steadier than latency on a loaded machine
      const cpu1 = cpuMsOf(s.proc.pid!);
      const cpuPer = cpu0 !== undefined && cpu1 !== undefined ? (cpu1 - cpu0) / total : undefined;
      times.sort((a, b) => a - b);
      const rate = total / seconds;
      const p99 = percentile(times, 99);
      console.log(`    ${total} scans (${times.length} online one by one, ${total - times.length} offline in batches of ${BATCH}) in ${seconds.toFixed(1)} s = ${rate.toFixed(0)} scans/s`);
      console.log(`    online scan latency: p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))}, p99 ${ms(p99)}, max ${ms(times[times.length - 1] ?? NaN)}`);
      if (cpuPer !== undefined) console.log(`    server CPU ${cpuPer.toFixed(2)} ms per scan`);
      console.log(`    results ${JSON.stringify(Object.fromEntries(results))}; failed requests ${failures}`);
      figures = [
        { bench: `door ${label}`, metric: 'scans/s', value: rate.toFixed(0), target: `>= ${TARGET_RATE}`, met: rate >= TARGET_RATE },
        { bench: `door ${label}`, metric: 'p99 per online scan', value: ms(p99), target: `<= ${TARGET_P99_MS} ms`, met: p99 <= TARGET_P99_MS },
        ...(cpuPer !== undefined ? [{ bench: `door ${label}`, metric: 'server CPU per scan', value: `${cpuPer.toFixed(2)} ms` }] : []),
        { bench: `door ${label}`, metric: 'failed requests', value: String(failures), target: '0', met: failures === 0 },
      ];
    } finally {
      await s.stop();
    }
    database = await open();
    const [admitted] = await database.db.select({ n: count() }).from(checkinScan).where(and(eq(checkinScan.eventId, seeded.eventId), eq(checkinScan.result, 'admitted')));
    const [rows] = await database.db.select({ n: count() }).from(checkinScan);
    await database.close();
    console.log(`    admitted ${admitted!.n} of ${TICKETS} tickets; ${rows!.n} scans recorded of ${total} made`);
    figures.push({ bench: `door ${label}`, metric: 'admissions = tickets', value: `${admitted!.n} / ${TICKETS}`, target: 'equal', met: admitted!.n === TICKETS });
    figures.push({ bench: `door ${label}`, metric: 'scans recorded = made', value: `${rows!.n} / ${total}`, target: 'equal', met: rows!.n === total });
    return figures;
  } finally {
    await pg?.drop();
    removeDir(dataDir);
  }
}

export async function benchEventsDoor(): Promise<Figure[]> {
  console.log(`The door: ${DEVICES} phones (${OFFLINE_DEVICES} offline, batches of ${BATCH}), ${TICKETS} tickets scanned 1–3 times`);
  // BENCH_EVENTS_DB=pglite or postgres: one of the two only (to profile one)
  const only = process.env.BENCH_EVENTS_DB;
  const figures = only === 'postgres' ? [] : await measure('(PGlite)', 'pglite');
  const url = postgresUrl();
  if (url && only !== 'pglite') figures.push(...(await measure('(PostgreSQL)', 'postgres', url)));
  else console.log('  PostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
  return figures;
}

if (isMain(import.meta.url)) {
  const figures = await benchEventsDoor();
  printFigures(figures);
  process.exit(0);
}
