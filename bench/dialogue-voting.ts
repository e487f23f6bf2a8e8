// Votes at scale: a dialogue with 2,000 statements and 500 participants voting at once
// (POST /api/participate/{invite}/votes, each with its participant's cookie) against the real server, on the
// embedded database and, when BENCH_DATABASE_URL or TEST_DATABASE_URL is set, on PostgreSQL.
// Targets: >= 2,000 votes/s sustained for ~15 s with p99 <= 100 ms, and afterwards stored votes = acknowledged.
//
// Two loads. Paced (the targets): 500 participants on 500 keep-alive connections, each voting every
// 500/RATE seconds on its own schedule (phases spread evenly), latency measured from the scheduled moment, so a
// slow server cannot hide behind a slowed-down client. Saturated (capacity): autocannon, 500 connections each
// posting its next vote the moment the last is answered; its latency is queueing by construction
// (500 / throughput), so only its throughput is reported.
import http from 'node:http';
import path from 'node:path';
import autocannon, { type Result } from 'autocannon';
import { sql } from 'drizzle-orm';
import { openDatabase, rows, type Database } from '../src/server/db/client.ts';
import { dialogue, dialogueInvite, dialogueParticipant, dialogueQuestion, dialogueSession, dialogueStatement } from '../src/server/features/dialogues/dialogues.schema.ts';
import { newParticipantToken, newResumeCode, resumeCodeHash, tokenHash } from '../src/server/features/dialogues/participation.token.ts';
import { type Figure, freshPostgresDatabase, isMain, ms, percentile, postgresUrl, printFigures, removeDir, startServer, tempDir } from './lib.ts';

const STATEMENTS = 2000;
export const PARTICIPANTS = 500;
const CONNECTIONS = 500;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const TARGET_RATE = 2000;
/** offered load of the paced run, votes/s */
const RATE = Number(process.env.BENCH_VOTE_RATE ?? 2200);
const TARGET_P99_MS = 100;

export type Seeded = { invite: string; statements: string[]; tokens: string[] };

export async function seed(database: Database): Promise<Seeded> {
  const db = database.db;
  const [d] = await db.insert(dialogue).values({ title: 'Voting benchmark', languages: ['he', 'ar', 'en'], moderation: 'post' }).returning({ id: dialogue.id });
  const dialogueId = d!.id;
  const [s] = await db.insert(dialogueSession).values({ dialogueId, title: 'Joint', status: 'open' }).returning({ id: dialogueSession.id });
  const [q] = await db.insert(dialogueQuestion).values({ dialogueId, sessionId: s!.id, kind: 'open', prompt: { en: 'What would make you feel safe?' } }).returning({ id: dialogueQuestion.id });
  const statements: string[] = [];
  for (let i = 0; i < STATEMENTS; i += 500) {
    const batch = Array.from({ length: Math.min(500, STATEMENTS - i) }, (_, k) => ({
      questionId: q!.id,
      dialogueId,
      seed: true,
      body: `Statement ${i + k + 1}: we want our children to grow up safe.`,
      language: 'en',
      status: 'accepted',
    }));
    statements.push(...(await db.insert(dialogueStatement).values(batch).returning({ id: dialogueStatement.id })).map((r) => r.id));
  }
  const tokens = Array.from({ length: PARTICIPANTS }, () => newParticipantToken());
  await db.insert(dialogueParticipant).values(tokens.map((t) => ({ dialogueId, language: 'en', tokenHash: tokenHash(t), resumeHash: resumeCodeHash(newResumeCode())! })));
  const invite = `bench${Math.random().toString(36).slice(2, 12)}`;
  await db.insert(dialogueInvite).values({ dialogueId, token: invite });
  return { invite, statements, tokens };
}

async function storedVotes(database: Database): Promise<number> {
  const [r] = await rows<{ n: number }>(database.db, sql`select count(*)::int as n from dialogue_vote`);
  return Number(r!.n);
}

/**
 * 500 connections; every request is one participant's vote on a statement that participant has not voted on
 * yet (participants round-robin, each walking the statements from its own offset), so each acknowledged vote
 * must be one stored row.
 */
export async function load(url: string, origin: string, seeded: Seeded, amount: number, cursor: number[]) {
  let turn = 0;
  const times: number[] = [];
  const statuses = new Map<number, number>();
  const inst = autocannon({
    url: `${url}/api/participate/${seeded.invite}/votes`,
    connections: CONNECTIONS,
    // a fixed number of votes, not a duration: the run ends when every response is in, so none is in flight
    // (stored but never acknowledged) when it stops
    amount,
    timeout: 10,
    method: 'POST',
    requests: [
      {
        setupRequest: (req: Record<string, unknown>) => {
          const p = turn++ % PARTICIPANTS;
          const k = cursor[p]!++;
          const statementId = seeded.statements[(p * 7 + k) % STATEMENTS];
          return {
            ...req,
            method: 'POST',
            headers: { 'content-type': 'application/json', origin, cookie: `convene_participant=${seeded.tokens[p]}` },
            body: JSON.stringify({ statementId, value: (k % 3) - 1 }),
          };
        },
      },
    ],
  } as never);
  inst.on('response', (_c: unknown, status: number, _b: number, responseTime: number) => {
    times.push(responseTime);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  });
  const t0 = performance.now();
  const result: Result = await inst;
  const seconds = (performance.now() - t0) / 1000;
  times.sort((a, b) => a - b);
  return { times, statuses, result, seconds };
}

/** The paced load: each participant votes on a fixed schedule; every request is awaited before returning. */
export async function paced(url: string, origin: string, seeded: Seeded, cursor: number[], seconds: number, rate: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS, maxFreeSockets: CONNECTIONS });
  const target = new URL(`${url}/api/participate/${seeded.invite}/votes`);
  const interval = (PARTICIPANTS * 1000) / rate;
  const times: number[] = [];
  const statuses = new Map<number, number>();
  let errors = 0;
  const inflight = new Set<Promise<void>>();
  const t0 = performance.now() + 100;
  const end = t0 + seconds * 1000;
  let lastDone = t0;

  const send = (p: number, scheduled: number) => {
    const k = cursor[p]!++;
    const body = JSON.stringify({ statementId: seeded.statements[(p * 7 + k) % STATEMENTS], value: (k % 3) - 1 });
    const done = new Promise<void>((resolve) => {
      const req = http.request(
        { agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), origin, cookie: `convene_participant=${seeded.tokens[p]}` } },
        (res) => {
          res.resume();
          res.on('end', () => {
            lastDone = performance.now();
            times.push(lastDone - scheduled);
            statuses.set(res.statusCode!, (statuses.get(res.statusCode!) ?? 0) + 1);
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
    inflight.add(done);
    done.then(() => inflight.delete(done));
  };

  await new Promise<void>((allScheduled) => {
    let running = PARTICIPANTS;
    for (let p = 0; p < PARTICIPANTS; p++) {
      let next = t0 + (p / PARTICIPANTS) * interval;
      const tick = () => {
        const now = performance.now();
        while (next <= now && next < end) {
          send(p, next);
          next += interval;
        }
        if (next < end) setTimeout(tick, Math.max(0, next - performance.now()));
        else if (--running === 0) allScheduled();
      };
      setTimeout(tick, Math.max(0, next - performance.now()));
    }
  });
  while (inflight.size) await Promise.all([...inflight]);
  agent.destroy();
  times.sort((a, b) => a - b);
  return { times, statuses, errors, seconds: (lastDone - t0) / 1000 };
}

async function measure(label: string, kind: 'pglite' | 'postgres', pgUrl?: string): Promise<Figure[]> {
  const dataDir = tempDir();
  const pg = kind === 'postgres' ? await freshPostgresDatabase(pgUrl!) : null;
  const open = () => (pg ? openDatabase({ kind: 'postgres', url: pg.url, max: 2 }) : openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') }));
  try {
    let database = await open();
    await database.migrate();
    const t0 = performance.now();
    const seeded = await seed(database);
    console.log(`  ${label}: seeded ${STATEMENTS} statements and ${PARTICIPANTS} participants in ${ms(performance.now() - t0)}`);
    await database.close(); // the server takes the data folder (PGlite allows one process)

    const s = await startServer({ dataDir, env: { LOG_LEVEL: 'silent', ...(pg ? { DATABASE_URL: pg.url } : {}) } });
    const cursor = new Array<number>(PARTICIPANTS).fill(0);
    let acknowledged = 0;
    let figures: Figure[];
    try {
      // warm-up (JIT, caches, connections)
      const warm = await load(s.url, s.origin, seeded, 5000, cursor);
      acknowledged += warm.statuses.get(200) ?? 0;

      const run = await paced(s.url, s.origin, seeded, cursor, SECONDS, RATE);
      const ok = run.statuses.get(200) ?? 0;
      acknowledged += ok;
      const rate = ok / run.seconds;
      const { times } = run;
      const p50 = percentile(times, 50);
      const p95 = percentile(times, 95);
      const p99 = percentile(times, 99);
      const failures = run.errors + [...run.statuses].filter(([st]) => st !== 200).reduce((n, [, c]) => n + c, 0);
      console.log(`    paced: ${PARTICIPANTS} participants offering ${RATE} votes/s: ${ok} acknowledged in ${run.seconds.toFixed(1)} s = ${rate.toFixed(0)} votes/s`);
      console.log(`    latency from the scheduled moment: p50 ${ms(p50)}, p95 ${ms(p95)}, p99 ${ms(p99)}, max ${ms(times[times.length - 1] ?? NaN)}`);
      console.log(`    errors ${run.errors}; status codes ${JSON.stringify(Object.fromEntries(run.statuses))}`);

      const sat = await load(s.url, s.origin, seeded, 20_000, cursor);
      const satOk = sat.statuses.get(200) ?? 0;
      acknowledged += satOk;
      const capacity = satOk / sat.seconds;
      console.log(`    saturated (autocannon, ${CONNECTIONS} connections, no pause): ${satOk} in ${sat.seconds.toFixed(1)} s = ${capacity.toFixed(0)} votes/s; p50 ${ms(percentile(sat.times, 50))} (= queueing: ${CONNECTIONS} / throughput)`);
      const satFailures = sat.result.errors + sat.result.timeouts + [...sat.statuses].filter(([st]) => st !== 200).reduce((n, [, c]) => n + c, 0);
      figures = [
        { bench: `dialogue voting ${label}`, metric: `votes/s, ${PARTICIPANTS} participants paced`, value: rate.toFixed(0), target: `>= ${TARGET_RATE}`, met: rate >= TARGET_RATE },
        { bench: `dialogue voting ${label}`, metric: 'p50 / p95', value: `${ms(p50)} / ${ms(p95)}` },
        { bench: `dialogue voting ${label}`, metric: 'p99', value: ms(p99), target: `<= ${TARGET_P99_MS} ms`, met: p99 <= TARGET_P99_MS },
        { bench: `dialogue voting ${label}`, metric: 'errors + non-200', value: String(failures + satFailures), target: '0', met: failures + satFailures === 0 },
        { bench: `dialogue voting ${label}`, metric: 'capacity, saturated votes/s', value: capacity.toFixed(0) },
      ];
    } finally {
      await s.stop();
    }
    database = await open();
    const stored = await storedVotes(database);
    await database.close();
    console.log(`    acknowledged ${acknowledged} (warm-up included), stored ${stored}`);
    figures.push({ bench: `dialogue voting ${label}`, metric: 'stored = acknowledged', value: `${stored} / ${acknowledged}`, target: 'equal', met: stored === acknowledged });
    return figures;
  } finally {
    await pg?.drop();
    removeDir(dataDir);
  }
}

export async function benchDialogueVoting(): Promise<Figure[]> {
  console.log(`Dialogue voting: ${CONNECTIONS} connections, ${PARTICIPANTS} participants, ${STATEMENTS} statements, ${SECONDS} s`);
  const figures = await measure('(PGlite)', 'pglite');
  const url = postgresUrl();
  if (url) figures.push(...(await measure('(PostgreSQL)', 'postgres', url)));
  else console.log('  PostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
  return figures;
}

if (isMain(import.meta.url)) {
  const figures = await benchDialogueVoting();
  printFigures(figures);
  process.exit(0);
}
