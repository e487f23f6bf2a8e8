// A published post page under load (issue 15): GET /news/{slug} of a post in three languages with a photo, no
// session, 50 connections for ~10 s (autocannon), on the embedded database and, when BENCH_DATABASE_URL or
// TEST_DATABASE_URL is set, on PostgreSQL. Target: p95 <= 20 ms and no errors. BENCH_SECONDS shortens it.
import autocannon, { type Options, type Result } from 'autocannon';
import sharp from 'sharp';
import { createFirstAdmin, type Figure, freshPostgresDatabase, isMain, ms, percentile, postgresUrl, printFigures, removeDir, signIn, startServer, tempDir } from './lib.ts';

const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const TARGET_P95_MS = 20;

async function load(opts: Options): Promise<{ times: number[]; result: Result }> {
  const times: number[] = [];
  const inst = autocannon(opts);
  inst.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => times.push(responseTime));
  const result = await inst;
  times.sort((a, b) => a - b);
  return { times, result };
}

const paragraph = 'We met member organisations in Jerusalem and Ramallah, in two meetings held apart. '.repeat(6);

/** A post in three languages with one photo, published; returns its English address. */
async function publishedPost(url: string, cookie: string): Promise<string> {
  const headers = { cookie, origin: url, 'content-type': 'application/json' };
  const v = (slug: string, title: string) => ({ slug, title, summary: title, body: `## ${title}\n\n${paragraph}\n\n${paragraph}\n\n> ${title}\n\n- one\n- two\n\nPHOTO\n\n${paragraph}` });
  const created = await fetch(`${url}/api/posts`, { method: 'POST', headers, body: JSON.stringify({ versions: { en: v('bench-post', 'Regional team meeting in Ramallah'), he: v('bench-post-he', 'פגישת הצוות האזורי ברמאללה'), ar: v('bench-post-ar', 'اجتماع الفريق الإقليمي في رام الله') } }) });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${await created.text()}`);
  const post = (await created.json()) as { id: string };
  const form = new FormData();
  const jpeg = await sharp({ create: { width: 1600, height: 1000, channels: 3, background: '#3a7ab8' } }).jpeg().toBuffer();
  form.set('file', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'p.jpg');
  for (const l of ['en', 'he', 'ar']) form.set(`alt_${l}`, 'The team');
  const photo = await fetch(`${url}/api/posts/${post.id}/photos`, { method: 'POST', headers: { cookie, origin: url }, body: form });
  if (photo.status !== 201) throw new Error(`photo: ${photo.status} ${await photo.text()}`);
  const { id: photoId } = (await photo.json()) as { id: string };
  const edit = await fetch(`${url}/api/posts/${post.id}/versions/en`, { method: 'PUT', headers, body: JSON.stringify({ ...v('bench-post', 'Regional team meeting in Ramallah'), body: v('', 'Regional team meeting in Ramallah').body.replace('PHOTO', `![](photo:${photoId})`) }) });
  if (edit.status !== 200) throw new Error(`edit: ${edit.status}`);
  const pub = await fetch(`${url}/api/posts/${post.id}/publish`, { method: 'POST', headers: { cookie, origin: url } });
  if (pub.status !== 200) throw new Error(`publish: ${pub.status} ${await pub.text()}`);
  return `${url}/news/bench-post`;
}

async function measure(label: string, env: Record<string, string>): Promise<Figure[]> {
  const dataDir = tempDir();
  const s = await startServer({ dataDir, env });
  try {
    await createFirstAdmin(s);
    const cookie = await signIn(s);
    const page = await publishedPost(s.url, cookie);
    const check = await fetch(page);
    if (check.status !== 200) throw new Error(`GET ${page} answered ${check.status}`);
    const bytes = (await check.arrayBuffer()).byteLength;
    const opts = { url: page, connections: CONNECTIONS, timeout: 10 };
    await autocannon({ ...opts, duration: 2 });
    const { times, result: r } = await load({ ...opts, duration: SECONDS });
    const p50 = percentile(times, 50);
    const p95 = percentile(times, 95);
    const rps = times.length / r.duration;
    const failures = r.errors + r.timeouts + r.non2xx;
    console.log(`  ${label}: ${times.length} responses (${bytes} bytes each) in ${r.duration} s = ${rps.toFixed(0)} requests/s; p50 ${ms(p50)}, p95 ${ms(p95)}, p99 ${ms(percentile(times, 99))}; errors + non-2xx ${failures}`);
    return [
      { bench: `GET /news/{slug} ${label}`, metric: 'requests/s', value: rps.toFixed(0) },
      { bench: `GET /news/{slug} ${label}`, metric: 'p95', value: ms(p95), target: `<= ${TARGET_P95_MS} ms`, met: p95 <= TARGET_P95_MS },
      { bench: `GET /news/{slug} ${label}`, metric: 'errors + non-2xx', value: String(failures), target: '0', met: failures === 0 },
    ];
  } finally {
    await s.stop();
    removeDir(dataDir);
  }
}

export async function run(): Promise<Figure[]> {
  console.log(`\n## A published post page, GET /news/{slug}: ${CONNECTIONS} connections, ${SECONDS} s`);
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
