// Voting through a load balancer (issue 17): HAProxy in front of 1, 2 and 3 app servers on one PostgreSQL, against
// one server reached directly. Each setup gets the same two loads as bench/dialogue-voting.ts: paced (500
// participants offering BENCH_CLUSTER_RATE votes/s, latency from the scheduled moment: p99) and saturated
// (autocannon, 500 connections, no pause: votes/s). Target: through the balancer, at most 15% fewer votes/s than one
// server reached directly, and p99 <= 100 ms. On a 2-core machine more servers cannot add capacity (the servers,
// PostgreSQL, HAProxy and the load generator share two cores): the figures show the cost of the path.
import { sql } from 'drizzle-orm';
import { openDatabase, rows } from '../src/server/db/client.ts';
import { HAPROXY, startHaproxy } from '../tests/setup/haproxy.ts';
import { PARTICIPANTS, load, paced, seed } from './dialogue-voting.ts';
import { type Figure, freshPostgresDatabase, isMain, ms, percentile, postgresUrl, printFigures, removeDir, startServer, tempDir, type Server } from './lib.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RATE = Number(process.env.BENCH_CLUSTER_RATE ?? 1000);
/** every server is given the one public address behind the balancer; clients send it as their Origin */
const ORIGIN = 'http://convene.localhost';
const SATURATED_VOTES = Number(process.env.BENCH_CLUSTER_VOTES ?? 10_000);

export async function run(): Promise<Figure[]> {
  const url = postgresUrl();
  if (!url) {
    console.log('\nCluster voting: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
    return [];
  }
  if (!HAPROXY) {
    console.log('\nCluster voting: skipped (apt-get install haproxy)');
    return [];
  }
  console.log(`\nCluster voting: HAProxy in front of 1-3 servers on one PostgreSQL; paced ${RATE} votes/s for ${SECONDS} s, then ${SATURATED_VOTES} votes saturated`);
  const pg = await freshPostgresDatabase(url);
  const dirs: string[] = [];
  const figures: Figure[] = [];
  try {
    const database = await openDatabase({ kind: 'postgres', url: pg.url, max: 2 });
    await database.migrate();
    const seeded = await seed(database);
    const cursor = new Array<number>(PARTICIPANTS).fill(0);
    let acknowledged = 0;
    const servers: Server[] = [];
    const start = async () => {
      const d = tempDir();
      dirs.push(d);
      servers.push(await startServer({ dataDir: d, env: { LOG_LEVEL: 'silent', DATABASE_URL: pg.url, TRUST_PROXY: '1', PUBLIC_URL: ORIGIN } }));
    };
    await start();
    const measure = async (label: string, target: string, origin: string) => {
      const warm = await load(target, origin, seeded, 3000, cursor);
      acknowledged += warm.statuses.get(200) ?? 0;
      const p = await paced(target, origin, seeded, cursor, SECONDS, RATE);
      acknowledged += p.statuses.get(200) ?? 0;
      const sat = await load(target, origin, seeded, SATURATED_VOTES, cursor);
      const satOk = sat.statuses.get(200) ?? 0;
      acknowledged += satOk;
      const capacity = satOk / sat.seconds;
      const p99 = percentile(p.times, 99);
      const bad = p.errors + [...p.statuses].filter(([st]) => st !== 200).reduce((n, [, c]) => n + c, 0) + sat.result.errors + [...sat.statuses].filter(([st]) => st !== 200).reduce((n, [, c]) => n + c, 0);
      console.log(`  ${label}: saturated ${capacity.toFixed(0)} votes/s; paced ${RATE}/s: p50 ${ms(percentile(p.times, 50))}, p99 ${ms(p99)}; not acknowledged ${bad} (paced ${JSON.stringify(Object.fromEntries(p.statuses))}, errors ${p.errors}; saturated ${JSON.stringify(Object.fromEntries(sat.statuses))}, errors ${sat.result.errors}, timeouts ${sat.result.timeouts})`);
      return { capacity, p99, bad };
    };
    const direct = await measure('one server, direct', servers[0]!.url, ORIGIN);
    figures.push({ bench: 'cluster voting', metric: 'one server direct: votes/s (saturated) / p99 (paced)', value: `${direct.capacity.toFixed(0)} / ${ms(direct.p99)}` });
    for (const n of [1, 2, 3]) {
      while (servers.length < n) await start();
      const balancer = await startHaproxy(servers.map((s) => s.port));
      try {
        // the balancer checks readiness before sending anything
        for (let i = 0; i < 200; i++) {
          const ok = await fetch(`${balancer.url}/api/ready`).then((r) => r.status === 200).catch(() => false);
          if (ok) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        const r = await measure(`HAProxy + ${n} server${n > 1 ? 's' : ''}`, balancer.url, ORIGIN);
        const fewer = 1 - r.capacity / direct.capacity;
        figures.push({ bench: 'cluster voting', metric: `HAProxy + ${n}: votes/s vs direct`, value: `${r.capacity.toFixed(0)} (${(fewer * 100).toFixed(0)}% fewer)`, target: '<= 15% fewer', met: fewer <= 0.15 });
        figures.push({ bench: 'cluster voting', metric: `HAProxy + ${n}: p99 at ${RATE} votes/s`, value: ms(r.p99), target: '<= 100 ms', met: r.p99 <= 100 });
        figures.push({ bench: 'cluster voting', metric: `HAProxy + ${n}: not acknowledged`, value: String(r.bad), target: '0', met: r.bad === 0 });
      } finally {
        await balancer.stop();
      }
    }
    for (const s of servers) await s.stop();
    const [stored] = await rows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM dialogue_vote`);
    await database.close();
    // a vote whose answer came after the load generator gave up (timeout) is stored without being acknowledged
    figures.push({ bench: 'cluster voting', metric: 'stored / acknowledged', value: `${stored!.n} / ${acknowledged}`, target: 'every acknowledged stored', met: stored!.n >= acknowledged });
    return figures;
  } finally {
    await pg.drop();
    for (const d of dirs) removeDir(d);
  }
}

if (isMain(import.meta.url)) {
  printFigures(await run());
  process.exit(0);
}
