import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { computeAnalysis, forgetAnalysis, loadDialogueVotes } from './analysis.service.ts';
import { dialogue, dialogueParticipant, dialogueSegment } from './dialogues.schema.ts';
import { nextRun } from './math/opinion-groups.ts';
import { buildDialogue, buildParticipant, buildStatement, buildVotes } from '../../../../tests/setup/dialogue-factories.ts';
import { createTestApp } from '../../../../tests/setup/test-app.ts';

// Pol.is's groups carry the history of the conversation's updates (each run starts from the previous run's clusters).
// With several servers behind a balancer, or after a restart, that history must come from the database, not from the
// memory of the server that made the previous run: any server then shows the groups the conversation has.

const t = await createTestApp();
const staff = await t.signedIn('staff');

/** A small deterministic generator (mulberry32). */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

type Shape = { groups: { id: number; participants: number }[]; map: { groupId: number }[]; clustered: number };
const shape = (a: Shape) => ({ groups: a.groups.map((g) => [g.id, g.participants]), map: a.map.map((p) => p.groupId), clustered: a.clustered });

const STATEMENTS = 10;

/** Three loose camps with noise; participants vote on most statements. */
function ballots(rand: () => number, people: number): number[][] {
  const camps = [1, -1, 0].map(() => Array.from({ length: STATEMENTS }, () => (rand() < 0.5 ? 1 : -1)));
  return Array.from({ length: people }, () => {
    const camp = camps[Math.floor(rand() * camps.length)]!;
    return camp.map((v) => (rand() < 0.15 ? 0 : rand() < 0.3 ? -v : v));
  });
}

async function segmentsOf(dialogueId: string) {
  const rows = await t.db.select().from(dialogueSegment).where(eq(dialogueSegment.dialogueId, dialogueId)).orderBy(asc(dialogueSegment.position));
  return rows.map((s) => ({ id: s.id, key: s.key, name: s.name as Record<string, string> }));
}

/**
 * The first seed whose second run differs with and without the first run's history (found by the analysis alone,
 * before any server is asked): so that a server that forgot the history would give a visibly different answer.
 */
function seedWhereHistoryMatters(): number {
  for (let seed = 1; seed <= 40; seed++) {
    const rand = random(seed);
    const first = ballots(rand, 130);
    const second = ballots(rand, 120);
    const asData = (all: number[][]) => ({
      statements: Array.from({ length: STATEMENTS }, (_, i) => ({ id: `s${i}`, questionId: 'q', sourceId: null, body: `${i}`, language: 'en', seed: true, segmentId: null, status: 'accepted' })),
      participants: all.map((_, i) => ({ id: `p${String(i).padStart(4, '0')}`, segmentId: null, sourceId: null })),
      votes: (() => {
        const flat = all.flatMap((b, p) => b.map((v, s) => [p, s, v] as const));
        return { participant: Int32Array.from(flat.map((x) => x[0])), statement: Int32Array.from(flat.map((x) => x[1])), value: Int8Array.from(flat.map((x) => x[2])) };
      })(),
    });
    const run1 = computeAnalysis(asData(first), [], undefined);
    const withHistory = computeAnalysis(asData([...first, ...second]), [], nextRun(run1.opinions));
    const afresh = computeAnalysis(asData([...first, ...second]), [], { kSmoother: run1.opinions.kSmoother });
    if (JSON.stringify(shape(withHistory.analysis as never)) !== JSON.stringify(shape(afresh.analysis as never))) return seed;
  }
  throw new Error('no seed among 40 where the history changes the groups');
}

async function votersFor(dialogueId: string, statementIds: string[], all: number[][]) {
  const votes: [string, string, number][] = [];
  for (const b of all) {
    const p = await buildParticipant(t.db, { dialogueId });
    b.forEach((v, s) => votes.push([p.id, statementIds[s]!, v]));
  }
  await buildVotes(t.db, dialogueId, votes);
}

describe('the analysis continues from the run stored in the database', () => {
  it('a server that did not make the previous run (or restarted since) gives the groups the history gives', { timeout: 120_000 }, async () => {
    const seed = seedWhereHistoryMatters();
    const rand = random(seed);
    const first = ballots(rand, 130);
    const second = ballots(rand, 120);
    const d = await buildDialogue(t.db, { sessions: [{ key: 's', status: 'open', questions: [{ key: 'q', kind: 'open' }] }] });
    const statementIds: string[] = [];
    for (let i = 0; i < STATEMENTS; i++) statementIds.push((await buildStatement(t.db, { questionId: d.questions.q!, body: `Statement ${i}`, seed: true })).id);
    const segments = await segmentsOf(d.id);

    await votersFor(d.id, statementIds, first);
    const r1 = await staff.get(`/api/dialogues/${d.id}/analysis`);
    expect(r1.status).toBe(200);
    const run1 = computeAnalysis(await loadDialogueVotes(t.db, d.id), segments, undefined);
    expect(shape(await r1.json())).toEqual(shape(run1.analysis as never));
    const [stored] = await t.db.select({ s: dialogue.analysisState }).from(dialogue).where(eq(dialogue.id, d.id));
    expect(stored!.s.runs?.all?.fit.participants).toBe(130);

    await votersFor(d.id, statementIds, second);
    // another server, or this one restarted: nothing of the first run in its memory
    forgetAnalysis(d.id);
    const r2 = await staff.get(`/api/dialogues/${d.id}/analysis`);
    expect(r2.status).toBe(200);
    const data = await loadDialogueVotes(t.db, d.id);
    const withHistory = computeAnalysis(data, segments, nextRun(run1.opinions));
    const afresh = computeAnalysis(data, segments, { kSmoother: run1.opinions.kSmoother });
    const got = shape(await r2.json());
    expect(got).toEqual(shape(withHistory.analysis as never));
    expect(got).not.toEqual(shape(afresh.analysis as never));

    // a participant deleted: the stored run counted them, its numbering no longer fits, the next run starts afresh
    const [gone] = await t.db.select({ id: dialogueParticipant.id }).from(dialogueParticipant).where(eq(dialogueParticipant.dialogueId, d.id)).orderBy(asc(dialogueParticipant.createdAt), asc(dialogueParticipant.id)).limit(1);
    await t.db.delete(dialogueParticipant).where(eq(dialogueParticipant.id, gone!.id));
    forgetAnalysis(d.id);
    const r3 = await staff.get(`/api/dialogues/${d.id}/analysis`);
    const [state] = await t.db.select({ s: dialogue.analysisState }).from(dialogue).where(eq(dialogue.id, d.id));
    expect(state!.s.runs?.all?.fit.participants).toBe(249);
    const after = await loadDialogueVotes(t.db, d.id);
    const run2 = computeAnalysis(data, segments, nextRun(run1.opinions));
    expect(shape(await r3.json())).toEqual(shape(computeAnalysis(after, segments, { kSmoother: run2.opinions.kSmoother }).analysis as never));
  });
});
