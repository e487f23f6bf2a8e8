// The dialogue analysis as the app runs it: 10,000 participants, 2,000 statements and 1,000,000 votes stored in
// the database (embedded PGlite, and PostgreSQL when BENCH_DATABASE_URL or TEST_DATABASE_URL is set), then
// loadDialogueVotes (one snapshot, votes packed per participant) + computeAnalysis (counts per segment and
// group, Wilson intervals, opinion groups, consensus, bridging) — what GET /api/dialogues/{id}/analysis does.
// Target: <= 5 s. `npx tsx bench/dialogue-analysis-db.ts` runs it alone.
import { sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { Db } from '../src/server/db/client.ts';
import { computeAnalysis, loadDialogueVotes } from '../src/server/features/dialogues/analysis.service.ts';
import { dialogue, dialogueQuestion, dialogueSegment, dialogueSession } from '../src/server/features/dialogues/dialogues.schema.ts';
import { syntheticVotes } from './dialogue-analysis.ts';
import { openBenchDatabase } from './generate-network.ts';
import { type Figure, freshPostgresDatabase, isMain, median, ms, postgresUrl, printFigures, removeDir, tempDir } from './lib.ts';

const PARTICIPANTS = 10_000;
const STATEMENTS = 2_000;
const TARGET_MS = 5_000;
const BATCH = 20_000;
/** an array as one parameter (PostgreSQL's array literal), not one parameter per element */
const arr = (values: (string | number)[]) => `{${values.join(',')}}`;

/** Stores a synthetic dialogue (10,000 participants, 2,000 statements, 1,000,000 votes unless `size` says otherwise). */
export async function seedDialogueVotes(
  db: Db,
  size: { participants: number; statements: number; votes: number } = { participants: PARTICIPANTS, statements: STATEMENTS, votes: 1_000_000 },
): Promise<{ dialogueId: string; votes: number; seconds: number }> {
  const t0 = performance.now();
  const { votes, count } = syntheticVotes(size.participants, size.statements, size.votes);
  const [d] = await db.insert(dialogue).values({ title: { en: 'Bench dialogue' }, languages: ['he', 'ar', 'en'] }).returning();
  const segments = await db
    .insert(dialogueSegment)
    .values([
      { dialogueId: d!.id, key: 'ji', name: { en: 'Jewish Israelis' }, position: 0 },
      { dialogueId: d!.id, key: 'pal', name: { en: 'Palestinians' }, position: 1 },
      { dialogueId: d!.id, key: 'pci', name: { en: 'Palestinian citizens of Israel' }, position: 2 },
    ])
    .returning();
  const [s] = await db.insert(dialogueSession).values({ dialogueId: d!.id, title: 'Joint', status: 'open' }).returning();
  const [q] = await db.insert(dialogueQuestion).values({ sessionId: s!.id, dialogueId: d!.id, kind: 'open', prompt: { en: 'What would make you feel safe?' } }).returning();
  const participantIds = Array.from({ length: size.participants }, () => randomUUID());
  const statementIds = Array.from({ length: size.statements }, () => randomUUID());
  const base = Date.now() - 1e7;
  await db.execute(sql`INSERT INTO dialogue_participant (id, dialogue_id, segment_id, language, token_hash, resume_hash, created_at)
    SELECT u.id, ${d!.id}, (ARRAY[${segments[0]!.id}::uuid, ${segments[1]!.id}::uuid, ${segments[2]!.id}::uuid])[1 + (u.n % 3)], 'en', md5(u.id::text), md5(u.id::text || 'r'), to_timestamp(${base / 1000} + u.n / 1000.0)
    FROM unnest(${arr(participantIds)}::uuid[]) WITH ORDINALITY AS u(id, n)`);
  await db.execute(sql`INSERT INTO dialogue_statement (id, question_id, dialogue_id, body, language, status, created_at)
    SELECT u.id, ${q!.id}, ${d!.id}, 'Statement ' || u.n, 'en', 'accepted', to_timestamp(${base / 1000} + u.n / 1000.0)
    FROM unnest(${arr(statementIds)}::uuid[]) WITH ORDINALITY AS u(id, n)`);
  for (let i = 0; i < count; i += BATCH) {
    const end = Math.min(count, i + BATCH);
    const p: string[] = [];
    const st: string[] = [];
    const v: number[] = [];
    for (let k = i; k < end; k++) {
      p.push(participantIds[votes.participant[k]!]!);
      st.push(statementIds[votes.statement[k]!]!);
      v.push(votes.value[k]!);
    }
    await db.execute(sql`INSERT INTO dialogue_vote (participant_id, statement_id, dialogue_id, value)
      SELECT x.p, x.s, ${d!.id}, x.v FROM unnest(${arr(p)}::uuid[], ${arr(st)}::uuid[], ${arr(v)}::smallint[]) AS x(p, s, v)
      ON CONFLICT (participant_id, statement_id) DO UPDATE SET value = excluded.value`);
  }
  return { dialogueId: d!.id, votes: count, seconds: (performance.now() - t0) / 1000 };
}

async function measure(label: string, target: { dataDir: string } | { url: string }): Promise<Figure[]> {
  const bench = `dialogue analysis from the database (${label})`;
  const database = await openBenchDatabase(target);
  try {
    const { dialogueId, votes, seconds } = await seedDialogueVotes(database.db);
    console.log(`  ${label}: stored ${votes.toLocaleString('en')} votes in ${seconds.toFixed(1)} s`);
    const segs = (await database.db.select().from(dialogueSegment)).map((s) => ({ id: s.id, key: s.key, name: s.name as Record<string, string> }));
    const runs: { load: number; compute: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const data = await loadDialogueVotes(database.db, dialogueId);
      const t1 = performance.now();
      const { analysis } = computeAnalysis(data, segs);
      const t2 = performance.now();
      runs.push({ load: t1 - t0, compute: t2 - t1 });
      if (i === 0) console.log(`    ${analysis.voters.toLocaleString('en')} voters, ${analysis.groups.length} groups, ${analysis.bridging.length} bridging statements`);
    }
    const totals = runs.map((r) => r.load + r.compute);
    console.log(`    runs: ${runs.map((r) => `${ms(r.load)} load + ${ms(r.compute)} compute`).join('; ')}`);
    const m = median(totals);
    return [
      { bench, metric: 'load + full analysis, 1M votes (median of 3)', value: ms(m), target: `<= ${TARGET_MS} ms`, met: m <= TARGET_MS },
      { bench, metric: 'of which loading the votes', value: ms(median(runs.map((r) => r.load))) },
    ];
  } finally {
    await database.close();
  }
}

export async function benchDialogueAnalysisDb(): Promise<Figure[]> {
  console.log(`\n## dialogue analysis from the database: ${PARTICIPANTS.toLocaleString('en')} participants, ${STATEMENTS.toLocaleString('en')} statements, ~1,000,000 votes`);
  const figures: Figure[] = [];
  const dir = tempDir();
  try {
    figures.push(...(await measure('PGlite', { dataDir: dir })));
  } finally {
    removeDir(dir);
  }
  const url = postgresUrl();
  if (url) {
    const fresh = await freshPostgresDatabase(url);
    try {
      figures.push(...(await measure('PostgreSQL', { url: fresh.url })));
    } finally {
      await fresh.drop();
    }
  } else console.log('  (no BENCH_DATABASE_URL / TEST_DATABASE_URL: PostgreSQL not measured)');
  return figures;
}

if (isMain(import.meta.url)) printFigures(await benchDialogueAnalysisDb());
