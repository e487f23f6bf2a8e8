// Campaigns at scale (issue 13): a restricted campaign of 300 targets × 12 asks with 30,000 stance changes over a
// year (times BENCH_SCALE), 40% of them citing a Network meeting of which one in ten is restricted and not granted to
// the staff member who reads (need-to-know applies: a stance citing such a meeting is invisible to them). Against
// the real server process, 20 connections for ~10 s each: the grid, the grid with movement since 90 days ago, and
// the movement chart (targets per stance per month). Target p95 <= 50 ms. Embedded (PGlite) and, when
// BENCH_DATABASE_URL or TEST_DATABASE_URL is set, PostgreSQL.
import autocannon from 'autocannon';
import { accessGrant } from '../src/server/access/access.schema.ts';
import { createUserWithPassword } from '../src/server/features/accounts/accounts.service.ts';
import { campaign, campaignAsk, campaignStance, campaignTarget, STANCE_VALUES } from '../src/server/features/campaigns/campaigns.schema.ts';
import { meeting, meetingStaff } from '../src/server/features/meetings/meetings.schema.ts';
import { organisation } from '../src/server/features/network/network.schema.ts';
import { makeRng } from '../src/cli/demo/rng.ts';
import { BENCH_STAFF, openBenchDatabase, scaleFromEnv } from './generate-network.ts';
import { type Figure, freshPostgresDatabase, isMain, ms, percentile, postgresUrl, printFigures, removeDir, type Server, startServer, tempDir } from './lib.ts';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const TARGET_P95_MS = 50;
const FULL = { targets: 300, asks: 12, stances: 30_000, meetings: 2_000 };
const ENGINES = (process.env.BENCH_CAMPAIGN_ENGINES ?? 'pglite,postgres').split(',');
const DAY = 86_400_000;

type Db = Awaited<ReturnType<typeof openBenchDatabase>>['db'];

/** Fills an empty, migrated database: the reader (BENCH_STAFF), the campaign's owner, missions, meetings, the campaign. */
export async function generate(db: Db, scale: number): Promise<{ campaignId: string; readerId: string; counts: Record<string, number> }> {
  const rng = makeRng(13);
  const n = { targets: Math.max(10, Math.round(FULL.targets * scale)), asks: FULL.asks, stances: Math.max(100, Math.round(FULL.stances * scale)), meetings: Math.max(20, Math.round(FULL.meetings * scale)) };
  const reader = await createUserWithPassword(db, { ...BENCH_STAFF, role: 'staff', locale: 'en', timeZone: 'Asia/Jerusalem' });
  const owner = await createUserWithPassword(db, { name: 'Campaign Owner', email: 'bench-owner@example.org', password: BENCH_STAFF.password, role: 'staff', locale: 'en', timeZone: 'Asia/Jerusalem' });
  const now = Date.now();
  const orgs = await db
    .insert(organisation)
    .values(Array.from({ length: n.targets }, (_, i) => ({ kind: 'mission', name: `Mission ${String(i).padStart(3, '0')}`, languages: ['en'] })))
    .returning({ id: organisation.id });
  const meetings: { id: string; restricted: boolean }[] = [];
  for (let i = 0; i < n.meetings; i += 500) {
    const batch = Array.from({ length: Math.min(500, n.meetings - i) }, (_, j) => {
      const startsAt = new Date(now - rng.int(1, 365) * DAY);
      const title = `Meeting ${i + j}`;
      return { kind: 'diplomatic', title, titleNorm: title.toLowerCase(), startsAt, endsAt: new Date(startsAt.getTime() + 3_600_000), timeZone: 'Asia/Jerusalem', restricted: rng.chance(0.1), createdBy: owner.id };
    });
    meetings.push(...(await db.insert(meeting).values(batch).returning({ id: meeting.id, restricted: meeting.restricted })));
  }
  const restricted = meetings.filter((m) => m.restricted);
  for (let i = 0; i < restricted.length; i += 500) await db.insert(meetingStaff).values(restricted.slice(i, i + 500).map((m) => ({ meetingId: m.id, userId: owner.id })));
  const [c] = await db.insert(campaign).values({ name: { en: 'G7 at scale' }, ownerId: owner.id, restricted: true, startsOn: new Date(now - 365 * DAY).toISOString().slice(0, 10), createdBy: owner.id }).returning({ id: campaign.id });
  const campaignId = c!.id;
  await db.insert(accessGrant).values({ recordType: 'campaign', recordId: campaignId, userId: reader.id, grantedBy: owner.id });
  const asks = await db
    .insert(campaignAsk)
    .values(Array.from({ length: n.asks }, (_, i) => ({ campaignId, text: { en: `Ask ${i + 1}` }, position: i })))
    .returning({ id: campaignAsk.id });
  const targets = await db
    .insert(campaignTarget)
    .values(orgs.map((o, i) => ({ campaignId, organisationId: o.id, groupLabel: i % 3 === 0 ? 'G7' : i % 3 === 1 ? 'EU' : 'Arab states', createdBy: owner.id })))
    .returning({ id: campaignTarget.id });
  const values = STANCE_VALUES.filter((v) => v !== 'unknown');
  for (let i = 0; i < n.stances; i += 1000) {
    const batch = Array.from({ length: Math.min(1000, n.stances - i) }, () => {
      const asOf = new Date(now - rng.int(0, 364) * DAY).toISOString().slice(0, 10);
      const base = { campaignId, targetId: rng.pick(targets).id, askId: rng.pick(asks).id, value: rng.pick(values), asOf, recordedBy: owner.id };
      return rng.chance(0.4) ? { ...base, evidenceKind: 'meeting', meetingId: rng.pick(meetings).id } : { ...base, evidenceKind: 'judgement', reason: 'Our reading of the conversation.' };
    });
    await db.insert(campaignStance).values(batch);
  }
  return { campaignId, readerId: reader.id, counts: { targets: n.targets, asks: n.asks, stances: n.stances, meetings: n.meetings, 'restricted meetings': restricted.length } };
}

async function signInReader(s: Server): Promise<string> {
  const res = await fetch(`${s.url}/api/auth/sign-in/email`, { method: 'POST', headers: { 'content-type': 'application/json', origin: s.origin }, body: JSON.stringify({ email: BENCH_STAFF.email, password: BENCH_STAFF.password }) });
  if (res.status !== 200) throw new Error(`sign-in answered ${res.status}: ${await res.text()}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

async function measureGet(s: Server, label: string, name: string, path: string, cookie: string): Promise<Figure[]> {
  const bench = `${name} ${label}`;
  const probe = await fetch(`${s.url}${path}`, { headers: { cookie } });
  const text = await probe.text();
  if (probe.status !== 200) {
    console.log(`  ${name}: answered ${probe.status}: ${text.slice(0, 200)}`);
    return [{ bench, metric: 'p95', value: `failed (${probe.status})`, target: `<= ${TARGET_P95_MS} ms`, met: false }];
  }
  const opts = { url: `${s.url}${path}`, connections: CONNECTIONS, headers: { cookie }, timeout: 10 };
  await autocannon({ ...opts, duration: 2 });
  const times: number[] = [];
  const inst = autocannon({ ...opts, duration: SECONDS });
  inst.on('response', (_c: unknown, _s: number, _b: number, t: number) => times.push(t));
  const r = await inst;
  times.sort((a, b) => a - b);
  const p95 = percentile(times, 95);
  const failures = r.errors + r.timeouts + r.non2xx;
  console.log(`  ${name} (${text.length.toLocaleString('en')} bytes): ${times.length} responses in ${r.duration} s; p50 ${ms(percentile(times, 50))}, p95 ${ms(p95)}, p99 ${ms(percentile(times, 99))}; failures ${failures}`);
  return [
    { bench, metric: 'requests/s', value: (times.length / r.duration).toFixed(0) },
    { bench, metric: 'p95', value: ms(p95), target: `<= ${TARGET_P95_MS} ms`, met: p95 <= TARGET_P95_MS },
    { bench, metric: 'errors + non-2xx', value: String(failures), target: '0', met: failures === 0 },
  ];
}

async function measure(label: string, target: { dataDir: string; pgUrl?: string }, scale: number): Promise<Figure[]> {
  const database = await openBenchDatabase(target.pgUrl ? { url: target.pgUrl } : { dataDir: target.dataDir });
  let g: Awaited<ReturnType<typeof generate>>;
  try {
    g = await generate(database.db, scale);
  } finally {
    await database.close();
  }
  console.log(`  generated ${label}: ${Object.entries(g.counts).map(([k, v]) => `${k} ${v.toLocaleString('en')}`).join(', ')}`);
  const s = await startServer({ dataDir: target.dataDir, env: target.pgUrl ? { DATABASE_URL: target.pgUrl } : {}, timeoutMs: 300_000 });
  const figures: Figure[] = [];
  try {
    const cookie = await signInReader(s);
    const since = new Date(Date.now() - 90 * DAY).toISOString().slice(0, 10);
    figures.push(...(await measureGet(s, label, 'GET grid', `/api/campaigns/${g.campaignId}/grid`, cookie)));
    figures.push(...(await measureGet(s, label, 'GET grid?since=90 days ago', `/api/campaigns/${g.campaignId}/grid?since=${since}`, cookie)));
    figures.push(...(await measureGet(s, label, 'GET movement chart', `/api/campaigns/${g.campaignId}/movement`, cookie)));
  } finally {
    await s.stop();
  }
  return figures;
}

export async function run(): Promise<Figure[]> {
  const scale = scaleFromEnv();
  console.log(`\n## Campaigns at scale x${scale}: ${CONNECTIONS} connections, ${SECONDS} s per route, a staff member not granted the restricted meetings`);
  const figures: Figure[] = [];
  if (ENGINES.includes('pglite')) {
    const dataDir = tempDir();
    try {
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
