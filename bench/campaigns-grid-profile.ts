// Where the campaign grid's time goes (issue 13, docs/campaigns.md "Figures"): generates the campaign of
// bench/campaigns-grid.ts at BENCH_SCALE on PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL), then, as the staff
// member whose need-to-know rules apply, times each part of GET /grid one after another (no concurrency): the visible
// stances alone, the current stance per cell (DISTINCT ON over them), the same for an administrator (no visibility
// check), and the whole service call. EXPLAIN ANALYZE of the current-stance query is printed. One run, a few seconds at
// BENCH_SCALE=0.2: a profile to decide whether a current-stance read model is worth it, not a figure to judge by.
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { rows } from '../src/server/db/client.ts';
import type { Actor } from '../src/server/access/roles.ts';
import { campaignAnswerKey, cellsAsOf, currentCells, currentVisibleStances, stanceRowVisible, visibleStances } from '../src/server/access/campaigns.ts';
import { forgetAnswers, gridAnswer, movementAnswer } from '../src/server/features/campaigns/campaigns-answers.ts';
import { getGrid, selectStances } from '../src/server/features/campaigns/campaigns.service.ts';
import { getMovementChart } from '../src/server/features/campaigns/campaigns-insights.service.ts';
import { openBenchDatabase, scaleFromEnv } from './generate-network.ts';
import { freshPostgresDatabase, isMain, postgresUrl } from './lib.ts';
import { generate } from './campaigns-grid.ts';

const RUNS = 20;

async function time(label: string, f: () => Promise<unknown>) {
  await f();
  const t: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const s = performance.now();
    await f();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  console.log(`  ${label}: median ${t[Math.floor(RUNS / 2)]!.toFixed(1)} ms, max ${t[RUNS - 1]!.toFixed(1)} ms`);
}

export async function run() {
  const url = postgresUrl();
  if (!url) throw new Error('Set BENCH_DATABASE_URL or TEST_DATABASE_URL');
  const scale = scaleFromEnv();
  const fresh = await freshPostgresDatabase(url);
  const database = await openBenchDatabase({ url: fresh.url });
  try {
    const g = await generate(database.db, scale);
    await rows(database.db, sql`ANALYZE`);
    console.log(`## campaign grid profile x${scale}: ${Object.entries(g.counts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    const base = { email: 'x@example.org', name: 'x', locale: 'en', timeZone: 'Asia/Jerusalem', twoFactorEnabled: false, sessionId: 's', createdAt: new Date().toISOString() };
    const staff: Actor = { ...base, id: g.readerId, role: 'staff' };
    const admin: Actor = { ...base, id: g.readerId, role: 'admin' };
    const db = database.db;
    await time('visible stances (staff), count', () => rows(db, sql`SELECT count(*) FROM ${visibleStances(staff, g.campaignId)} v`));
    await time('current stance per cell (staff)', () => rows(db, selectStances(currentVisibleStances(staff, g.campaignId), sql`true`, sql`st.target_id, st.ask_id`)));
    await time('current stance per cell (admin: no visibility check)', () => rows(db, selectStances(currentVisibleStances(admin, g.campaignId), sql`true`, sql`st.target_id, st.ask_id`)));
    // an alternative to DISTINCT ON: per cell, the index's first visible stance (campaign_stance_cell_idx)
    const lateral = (a: Actor) =>
      sql`SELECT x.* FROM campaign_target t CROSS JOIN campaign_ask k CROSS JOIN LATERAL (
          SELECT s.id, s.target_id, s.ask_id, s.value FROM campaign_stance s
          WHERE s.target_id = t.id AND s.ask_id = k.id AND ${stanceRowVisible(a, { targetPersonId: sql`t.person_id`, meetingId: sql`s.meeting_id` })}
          ORDER BY s.as_of DESC, s.recorded_at DESC, s.id DESC LIMIT 1) x
        WHERE t.campaign_id = ${g.campaignId} AND k.campaign_id = ${g.campaignId}`;
    await time('current stance per cell, LATERAL per cell (staff)', () => rows(db, lateral(staff)));
    const same = async () => {
      const one = await rows<{ id: string }>(db, sql`SELECT id FROM ${currentVisibleStances(staff, g.campaignId)} c ORDER BY id`);
      const two = await rows<{ id: string }>(db, sql`SELECT id FROM (${lateral(staff)}) c ORDER BY id`);
      return JSON.stringify(one) === JSON.stringify(two);
    };
    console.log(`  LATERAL gives the same cells as DISTINCT ON: ${await same()}`);
    // the read model (read_model.campaign_cell): clean cells as they are, guarded ones per reader
    const guarded = await rows<{ guarded: boolean; n: string }>(db, sql`SELECT guarded, count(*)::text AS n FROM read_model.campaign_cell WHERE campaign_id = ${g.campaignId} GROUP BY guarded ORDER BY guarded`);
    console.log(`  read model cells: ${guarded.map((r) => `${r.guarded ? 'guarded' : 'clean'} ${r.n}`).join(', ')}`);
    await time('current cells from the read model (staff)', () => rows(db, currentCells(staff, g.campaignId)));
    await time('current cells from the read model (admin)', () => rows(db, currentCells(admin, g.campaignId)));
    const since = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);
    await time('cells as of 90 days ago, only those that could have moved (staff)', () => rows(db, cellsAsOf(staff, g.campaignId, since)));
    for (const a of [staff, admin]) {
      const one = await rows<{ target_id: string; ask_id: string; value: string }>(db, sql`SELECT target_id, ask_id, value FROM ${currentVisibleStances(a, g.campaignId)} c ORDER BY 1, 2`);
      const two = await rows<{ target_id: string; ask_id: string; value: string }>(db, sql`SELECT target_id, ask_id, value FROM (${currentCells(a, g.campaignId)}) c ORDER BY 1, 2`);
      console.log(`  the read model gives the same cells as DISTINCT ON (${a.role}): ${JSON.stringify(one) === JSON.stringify(two)} (${two.length} cells)`);
    }
    const ctx = { actor: staff, ip: '127.0.0.1', userAgent: 'bench' };
    await time('getMovementChart (staff), whole service call', () => getMovementChart(db, ctx, g.campaignId));
    await time('getGrid (staff), whole service call', () => getGrid(db, ctx, g.campaignId));
    await time('getGrid (staff) with movement since 90 days', () => getGrid(db, ctx, g.campaignId, new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10)));
    // the answers kept (campaigns-answers.ts): the key alone, a kept answer given (the key and its audit in one
    // statement), and one derived (the kept answers forgotten first)
    await time('the answer key alone (staff)', () => rows(db, campaignAnswerKey(staff, g.campaignId)));
    await time('gridAnswer (staff), kept: key and audit in one statement', () => gridAnswer(db, ctx, g.campaignId));
    await time('movementAnswer (staff), kept', () => movementAnswer(db, ctx, g.campaignId));
    await time('gridAnswer (staff), derived each time', async () => {
      forgetAnswers();
      await gridAnswer(db, ctx, g.campaignId);
    });
    for (const q of [selectStances(currentVisibleStances(staff, g.campaignId), sql`true`, sql`st.target_id, st.ask_id`), lateral(staff)]) {
      const plan = await rows<{ 'QUERY PLAN': string }>(db, sql`EXPLAIN (ANALYZE, BUFFERS) ${q}`);
      if (process.env.BENCH_PLANS) console.log(plan.map((r) => r['QUERY PLAN']).join('\n'));
      else console.log(`  plan: ${plan.at(-1)!['QUERY PLAN']}`);
    }
  } finally {
    await database.close();
    await fresh.drop();
  }
}

if (isMain(import.meta.url)) await run();
