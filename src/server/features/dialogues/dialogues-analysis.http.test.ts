import type { PolisComparison } from './polis-comparison.ts';
import fs from 'node:fs';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEntry } from '../audit/audit.schema.ts';
import { dialogue, dialoguePollAnswer } from './dialogues.schema.ts';
import { adjustedRandIndex } from './math/stats.ts';
import { detectInclusion, parsePolisExport, polisNumbering } from './polis-format.ts';
import { IMPORT_REPLAY } from './polis-replay.ts';
import { fidelity, shuffleRows } from '../../../../tests/setup/polis-fixtures.ts';
import { startAiStandIn } from '../../../../tests/setup/ai-stand-in.ts';
import { buildDialogue, buildParticipant, buildStatement, buildVotes } from '../../../../tests/setup/dialogue-factories.ts';
import { createTestApp, problem } from '../../../../tests/setup/test-app.ts';
import { waitFor } from '../../../../tests/setup/wait.ts';

const standIn = await startAiStandIn();
const t = await createTestApp({ config: { ai: { baseUrl: standIn.baseUrl, model: standIn.model, timeoutMs: 5000, maxConcurrency: 2 } } });
const plain = await createTestApp(); // no AI provider configured
const staff = await t.signedIn('staff');
const viewer = await t.signedIn('viewer');
const plainStaff = await plain.signedIn('staff');

const FIXTURES = path.resolve(import.meta.dirname, '../../../../tests/fixtures/polis');
const read = (conv: string, file: string) => fs.readFileSync(path.join(FIXTURES, conv, file), 'utf8');

type Tally = { agree: number; disagree: number; pass: number; votes: number; agreeRate: number | null; agreeLow: number | null; agreeHigh: number | null };
type Analysis = {
  voters: number;
  votes: number;
  clustered: number;
  statements: { id: string; sourceId: string | null; body: string; overall: Tally; bySegment: (Tally & { segmentId: string })[]; bridging: boolean; divisive: boolean; segmentConsensus: number | null; groupConsensus: number | null }[];
  groups: { id: number; participants: number; bySegment: { segmentId: string | null; participants: number }[]; representative: { statementId: string }[] }[];
  map: { x: number; y: number; groupId: number; segmentId: string | null }[];
  bridging: string[];
  divisive: string[];
  bridgingRule: string;
  segments: { id: string; voters: number }[];
  polis: PolisComparison | null;
};

/** Two segments; statement 0 agreed by everyone, 1 splits them, 2 is rejected. */
async function twoPopulations() {
  const d = await buildDialogue(t.db, {
    segments: [
      { key: 'ji', name: { en: 'Jewish Israelis', he: 'יהודים ישראלים' } },
      { key: 'pal', name: { en: 'Palestinians', ar: 'فلسطينيون' } },
    ],
    sessions: [
      {
        key: 's',
        questions: [
          { key: 'q', kind: 'open', seeds: ['Both peoples deserve to live in safety', 'The other side wants peace', 'Rejected text'] },
          { key: 'poll', kind: 'poll', pollMode: 'single', options: [{ en: 'Yes' }, { en: 'No' }] },
        ],
      },
    ],
  });
  const [bridge, split, rejected] = d.seeds.q!;
  const votes: [string, string, number][] = [];
  const people: { id: string; seg: string }[] = [];
  for (let i = 0; i < 24; i++) {
    const seg = i % 2 === 0 ? 'ji' : 'pal';
    const p = await buildParticipant(t.db, { dialogueId: d.id, segmentId: d.segments[seg] });
    people.push({ id: p.id, seg });
    votes.push([p.id, bridge!, i === 1 ? 0 : 1]);
    votes.push([p.id, split!, seg === 'ji' ? 1 : -1]);
  }
  // five statements participants wrote, so there is something to cluster on
  for (let k = 0; k < 6; k++) {
    const s = await buildStatement(t.db, { questionId: d.questions.q!, participantId: people[k]!.id, body: `Statement ${k} about security and dignity` });
    for (const [i, p] of people.entries()) votes.push([p.id, s.id, (p.seg === 'ji') === (k % 2 === 0) ? 1 : i % 3 === 0 ? 0 : -1]);
  }
  await buildVotes(t.db, d.id, votes);
  // a rejected statement's votes never show
  await t.db.execute(`UPDATE dialogue_statement SET status = 'rejected' WHERE id = '${rejected}'` as never);
  await buildVotes(t.db, d.id, [[people[0]!.id, rejected!, 1]]);
  return { d, bridge: bridge!, split: split!, rejected: rejected!, people };
}

describe('dialogue analysis', () => {
  it('per-segment tallies with Wilson intervals; bridging and divisive statements; rejected ones left out', async () => {
    const { d, bridge, split, rejected } = await twoPopulations();
    const res = await viewer.get(`/api/dialogues/${d.id}/analysis`);
    expect(res.status).toBe(200);
    const a: Analysis = await res.json();
    expect(a.voters).toBe(24);
    expect(a.statements.map((s) => s.id)).not.toContain(rejected);
    const b = a.statements.find((s) => s.id === bridge)!;
    expect(b.overall).toMatchObject({ agree: 23, disagree: 0, pass: 1, votes: 24 });
    const pal = b.bySegment.find((x) => x.segmentId === d.segments.pal)!;
    expect(pal).toMatchObject({ agree: 11, pass: 1, votes: 12 });
    // Wilson 95% for 11/12: 0.6461 … 0.9851
    expect(pal.agreeLow).toBeCloseTo(0.6461, 3);
    expect(pal.agreeHigh).toBeCloseTo(0.9851, 3);
    expect(b.bridging).toBe(true);
    expect(a.bridging[0]).toBe(bridge);
    const s = a.statements.find((x) => x.id === split)!;
    expect(s.divisive).toBe(true);
    expect(s.bySegment.map((x) => x.agreeRate)).toEqual([1, 0]);
    expect(a.divisive).toContain(split);
    // segment consensus = Π (agree+1)/(votes+2) over segments
    expect(b.segmentConsensus).toBeCloseTo((13 / 14) * (12 / 14), 6);
    expect(a.groups.length).toBeGreaterThanOrEqual(2);
    expect(a.groups.reduce((n, g) => n + g.participants, 0)).toBe(a.clustered);
    expect(a.map).toHaveLength(a.clustered);
    expect(a.bridgingRule).toMatch(/Wilson/);
  });

  it('who may not: anonymous 401, unknown dialogue 404, a bad question id 400', async () => {
    const { d } = await twoPopulations();
    await problem(await t.client().get(`/api/dialogues/${d.id}/analysis`), 401);
    await problem(await staff.get('/api/dialogues/00000000-0000-4000-8000-000000000000/analysis'), 404);
    const p = await problem(await staff.get(`/api/dialogues/${d.id}/analysis?questionId=nope`), 400);
    expect(p.errors![0]!.field).toBe('query.questionId');
    await problem(await t.client().get(`/api/dialogues/${d.id}/report`), 401);
    await problem(await t.client().get(`/api/dialogues/${d.id}/export/statements.csv`), 401);
    await problem(await viewer.post('/api/dialogues/import/polis', { title: 'x', comments: 'a', votes: 'b' }), 403);
  });

  it('poll results per segment with intervals', async () => {
    const { d, people } = await twoPopulations();
    const [yes, no] = (await t.db.select().from(dialogue).where(eq(dialogue.id, d.id))) && ['o1', 'o2'];
    for (const [i, p] of people.entries()) {
      await t.db.insert(dialoguePollAnswer).values({ participantId: p.id, questionId: d.questions.poll!, choices: [p.seg === 'ji' || i % 4 === 1 ? yes! : no!] });
    }
    const r = await viewer.get(`/api/dialogue-questions/${d.questions.poll}/poll-results`);
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(body.groups[0]).toMatchObject({ segmentId: null, respondents: 24 });
    const ji = body.groups.find((g: { segmentId: string }) => g.segmentId === d.segments.ji);
    expect(ji.options[0]).toMatchObject({ id: 'o1', count: 12, rate: 1 });
    const pal = body.groups.find((g: { segmentId: string }) => g.segmentId === d.segments.pal);
    expect(pal.options.map((o: { count: number }) => o.count)).toEqual([6, 6]);
    await problem(await viewer.get(`/api/dialogue-questions/${d.questions.q}/poll-results`), 409);
  });

  it('summaries: written by the AI provider citing real statements; without one, keyword themes labelled so; a validation poll', async () => {
    const { d } = await twoPopulations();
    const res = await staff.post(`/api/dialogue-questions/${d.questions.q}/summaries`, { language: 'en' });
    expect(res.status).toBe(201);
    const s = await res.json();
    expect(s).toMatchObject({ method: 'ai', model: standIn.model, segmentId: null, validationQuestionId: null });
    expect(s.themes.length).toBeGreaterThan(0);
    const ids = new Set(((await (await staff.get(`/api/dialogues/${d.id}/statements?limit=100`)).json()).items as { id: string }[]).map((x) => x.id));
    for (const theme of s.themes) for (const id of theme.statementIds) expect(ids.has(id)).toBe(true);
    expect(standIn.requests.some((r) => r.task === 'themes')).toBe(true);

    const poll = await staff.post(`/api/dialogue-summaries/${s.id}/validation-poll`, { sessionId: d.sessions.s });
    expect(poll.status).toBe(201);
    const updated = await poll.json();
    const vq = updated.sessions[0].questions.find((q: { summaryId: string | null }) => q.summaryId === s.id);
    expect(vq).toMatchObject({ kind: 'poll', pollMode: 'single' });
    expect(vq.options.map((o: { id: string }) => o.id)).toEqual(['yes', 'partly', 'no']);
    await problem(await staff.post(`/api/dialogue-summaries/${s.id}/validation-poll`, { sessionId: d.sessions.s }), 409);
    const listed = await (await viewer.get(`/api/dialogue-questions/${d.questions.q}/summaries`)).json();
    expect(listed.items[0]).toMatchObject({ id: s.id, validationQuestionId: vq.id });

    // no provider: keywords, said so
    const pd = await buildDialogue(plain.db, { sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open', seeds: ['Water and electricity for Gaza', 'Electricity shortages in Gaza hurt families', 'Hostages must come home', 'Bring the hostages home now'] }] }] });
    const kw = await plainStaff.post(`/api/dialogue-questions/${pd.questions.q}/summaries`, { language: 'en' });
    expect(kw.status).toBe(201);
    const k = await kw.json();
    expect(k).toMatchObject({ method: 'keywords', model: null });
    expect(k.themes.map((x: { title: string }) => x.title).join(' ')).toMatch(/gaza|electricity|hostages/i);

    const bad = await problem(await staff.post(`/api/dialogue-questions/${d.questions.q}/summaries`, { language: 'fr' }), 400);
    expect(bad.errors![0]!.field).toBe('body.language');
    await problem(await viewer.post(`/api/dialogue-questions/${d.questions.q}/summaries`, {}), 403);
    const [audit] = await t.db.select().from(auditEntry).where(and(eq(auditEntry.action, 'dialogue.summary.create'), eq(auditEntry.entityId, d.id)));
    expect(audit).toBeTruthy();
  });

  it('exports: statements CSV with a byte-order mark, and a printable report in Hebrew', async () => {
    const { d, bridge } = await twoPopulations();
    const res = await viewer.get(`/api/dialogues/${d.id}/export/statements.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...lines] = new TextDecoder().decode(bytes).trim().split('\r\n');
    expect(header).toContain('ji_agree_rate');
    expect(header).toContain('pal_agree_low');
    expect(lines.find((l) => l.startsWith(bridge))).toMatch(/,true,false,/);

    const report = await viewer.get(`/api/dialogues/${d.id}/report?lang=he`);
    expect(report.status).toBe(200);
    const html = await report.text();
    expect(html).toContain('<html lang="he" dir="rtl">');
    expect(html).toContain('היגדים מגשרים');
    expect(html).toContain('Both peoples deserve to live in safety');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('<svg viewBox');
  });
});

describe('Pol.is import and export', () => {
  /** Our groups by Pol.is participant id, from the dialogue's own participants-votes.csv export. */
  async function ourGroups(id: string, files: { comments: string; votes?: string }) {
    const exported = await (await staff.get(`/api/dialogues/${id}/export/polis/participants-votes.csv`)).text();
    return parsePolisExport({ comments: files.comments, votes: files.votes, participantsVotes: exported });
  }

  for (const conv of ['brexit-consensus', '15-per-hour-seattle']) {
    it(`${conv}: counts equal participants-votes.csv; groups from the votes alone (summary.csv never read), the same from shuffled rows`, async () => {
      const files = { comments: read(conv, 'comments.csv'), votes: read(conv, 'votes.csv'), participantsVotes: read(conv, 'participants-votes.csv'), summary: read(conv, 'summary.csv') };
      const ref = await parsePolisExport(files);
      const res = await staff.post('/api/dialogues/import/polis', { title: conv, ...files });
      expect(res.status).toBe(201);
      const { id, votes } = await res.json();
      expect(votes).toBe(ref.votes.length);
      // what the import recorded: the inclusion rule the export shows, and summary.csv's groups for comparison only
      const [row] = await t.db.select().from(dialogue).where(eq(dialogue.id, id));
      expect(row!.analysisState.kSmoother).toBeUndefined();
      expect(row!.analysisState.polis).toMatchObject({ inclusion: detectInclusion(ref), inclusionDetected: true, summaryGroups: 2 });
      // Brexit (2017) shows Pol.is's math from before October 2017, which counted a missing vote as 0
      expect(row!.analysisState.polis?.missingVotes).toBe(conv === 'brexit-consensus' ? 'zero' : undefined);
      // an export that shows its history (Brexit) is replayed at the import (polis-replay.ts), update by update, and its
      // final state is the dialogue's run, counting every participant and statement just written; Seattle's is not
      const replay = row!.analysisState.polis?.replay;
      if (conv === 'brexit-consensus') {
        expect(replay).toMatchObject({ updates: 453, updateMs: IMPORT_REPLAY.updateMs });
        expect(replay!.run.fit).toMatchObject({ participants: polisNumbering(ref).participantIds.length, statements: ref.comments.length });
        expect(row!.analysisState.runs?.all).toEqual(replay!.run);
      } else {
        expect(replay).toBeUndefined();
        expect(row!.analysisState.runs).toBeUndefined();
      }

      // per-statement counts, against participants-votes.csv
      const ours = await ourGroups(id, files);
      const count = (list: typeof ref.participants, sid: string, v: number) => list!.reduce((n, p) => n + p.votes.filter((x) => x.statementSourceId === sid && x.value === v).length, 0);
      for (const c of ref.comments) for (const v of [1, -1, 0]) expect(count(ours.participants, c.sourceId, v), `${c.sourceId} ${v}`).toBe(count(ref.participants, c.sourceId, v));

      // the groups are those the math gives the same votes numbered by Pol.is id (polis-fidelity.test.ts measures them)
      const expected = fidelity(await parsePolisExport({ ...files, summary: undefined }), ref, detectInclusion(ref));
      const mine = new Map(ours.participants!.filter((p) => p.groupId !== null).map((p) => [p.sourceId, p.groupId!]));
      expect(new Map([...mine].sort())).toEqual(new Map([...expected.groupsOf].sort()));
      const clustered = ref.participants!.filter((p) => p.groupId !== null);
      const ari = adjustedRandIndex(clustered.map((p) => p.groupId), clustered.map((p) => mine.get(p.sourceId) ?? -1));
      console.log(`${conv}: ${new Set(mine.values()).size} groups (Pol.is ${ref.groupCount}), adjusted Rand index ${ari.toFixed(3)} over ${clustered.length} participants Pol.is clustered`);

      // the same files with every row shuffled and no summary.csv (or one that claims 4 groups): the same groups
      for (const [seed, summary] of [[1, undefined], [2, files.summary.replace(/^groups,2$/m, 'groups,4')]] as const) {
        const shuffled = { comments: shuffleRows(files.comments, seed)!, votes: shuffleRows(files.votes, seed + 1)!, participantsVotes: shuffleRows(files.participantsVotes, seed + 2)!, summary };
        const again = await staff.post('/api/dialogues/import/polis', { title: `${conv} shuffled`, ...shuffled });
        expect(again.status).toBe(201);
        const theirs = await ourGroups((await again.json()).id, files);
        expect(new Map(theirs.participants!.filter((p) => p.groupId !== null).map((p) => [p.sourceId, p.groupId!] as const).sort())).toEqual(new Map([...mine].sort()));
      }
      // and the analysis page agrees on how many groups and who is clustered
      const analysis: Analysis = await (await staff.get(`/api/dialogues/${id}/analysis`)).json();
      expect(analysis.clustered).toBe(expected.clustered);

      // Pol.is's own groups beside ours (issue 11, item 3): computed by the server from what the import kept, checked
      // here against the export's group-id column and our groups as the dialogue's own export gives them
      const polis = analysis.polis!;
      expect(polis.polisClustered).toBe(clustered.length);
      expect(polis.ari).toBeCloseTo(ari, 10);
      expect(polis.polisGroups.map((g) => [g.id, g.participants])).toEqual(
        [...new Set(clustered.map((p) => p.groupId!))].sort((a, b) => a - b).map((g) => [g, clustered.filter((p) => p.groupId === g).length]),
      );
      for (const row of polis.crossTab) {
        const members = clustered.filter((p) => p.groupId === row.polisGroup);
        expect(row.leftOut).toBe(members.filter((p) => !mine.has(p.sourceId)).length);
        for (const cell of row.byGroup) expect(cell.participants).toBe(members.filter((p) => mine.get(p.sourceId) === cell.groupId).length);
      }
      // who moved: not in the counterpart of their Pol.is group (or grouped by one side only)
      const counterpart = new Map(polis.counterparts.map((c) => [c.groupId, c.polisGroup]));
      const polisOf = new Map(ref.participants!.map((p) => [p.sourceId, p.groupId]));
      const moved = ref.participants!.filter((p) => {
        const g = mine.get(p.sourceId);
        if (g === undefined) return p.groupId !== null;
        return counterpart.get(g) !== p.groupId;
      });
      expect(polis.movedCount).toBe(moved.length);
      expect(polis.moved.map((m) => m.sourceId).sort()).toEqual(moved.map((p) => p.sourceId).sort());
      for (const m of polis.moved) expect([m.polisGroup, m.groupId]).toEqual([polisOf.get(m.sourceId), mine.get(m.sourceId) ?? null]);

      // comments.csv and votes.csv round-trip
      const comments = await parsePolisExport({ comments: await (await staff.get(`/api/dialogues/${id}/export/polis/comments.csv`)).text(), votes: await (await staff.get(`/api/dialogues/${id}/export/polis/votes.csv`)).text() });
      expect(comments.comments.map((c) => [c.sourceId, c.body, c.moderated])).toEqual(ref.comments.map((c) => [c.sourceId, c.body, c.moderated]).sort((a, b) => Number(a[0]) - Number(b[0])));
      expect(comments.votes.length).toBe(ref.votes.length);
    });
  }

  it('scoop-hivemind.biodiversity, rows shuffled, no summary.csv: written by a job, analysed under the history rule it shows, as close to Pol.is as measured', { timeout: 300_000 }, async () => {
    const conv = 'scoop-hivemind.biodiversity';
    const files = { comments: read(conv, 'comments.csv'), votes: read(conv, 'votes.csv'), participantsVotes: read(conv, 'participants-votes.csv') };
    const ref = await parsePolisExport({ ...files, summary: read(conv, 'summary.csv') });
    const shuffled = { comments: shuffleRows(files.comments, 4)!, votes: shuffleRows(files.votes, 5)!, participantsVotes: shuffleRows(files.participantsVotes, 6)! };
    const res = await staff.post('/api/dialogues/import/polis', { title: conv, ...shuffled });
    expect(res.status).toBe(202);
    const run = (await res.json()) as { id: string; target: string };
    const done = await waitFor(
      'the Pol.is import to end',
      async () => {
        const r = (await (await staff.get(`/api/imports/${run.id}`)).json()) as { state: string };
        return r.state === 'done' || r.state === 'failed' ? r : null;
      },
      { timeoutMs: 240_000, everyMs: 250 },
    );
    expect(done.state).toBe('done');
    const [row] = await t.db.select().from(dialogue).where(eq(dialogue.id, run.target));
    expect(row!.analysisState.polis).toMatchObject({ inclusion: 'history', inclusionDetected: true });
    expect(row!.analysisState.polis!.summaryGroups).toBeUndefined();
    // replayed by the job, stored when it finished
    expect(row!.analysisState.polis!.replay?.updates).toBe(4219);
    expect(row!.analysisState.runs?.all).toEqual(row!.analysisState.polis!.replay!.run);

    const expected = fidelity(await parsePolisExport(files), ref, 'history');
    const ours = await ourGroups(run.target, files);
    const mine = new Map(ours.participants!.filter((p) => p.groupId !== null).map((p) => [p.sourceId, p.groupId!] as const));
    expect(new Map([...mine].sort())).toEqual(new Map([...expected.groupsOf].sort()));
    expect(new Set(mine.values()).size).toBe(ref.groupCount);
    const clustered = ref.participants!.filter((p) => p.groupId !== null);
    const ari = adjustedRandIndex(clustered.map((p) => p.groupId), clustered.map((p) => mine.get(p.sourceId) ?? -1));
    expect(ari).toBeGreaterThanOrEqual(0.85);
    const analysis: Analysis = await (await staff.get(`/api/dialogues/${run.target}/analysis`)).json();
    expect(analysis.clustered).toBe(443);
    expect(analysis.votes).toBe(ref.votes.length);
  });

  it('an export without votes.csv imports from participants-votes.csv; the inclusion rule can be chosen, and history needs votes.csv', async () => {
    const comments = 'timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n100,x,0,0,3,1,1,First\n200,x,1,0,1,2,-1,Second\n300,x,2,1,0,0,0,Third\n';
    const participantsVotes = 'participant,xid,group-id,n-comments,n-votes,n-agree,n-disagree,0,1,2\n1,abc,0,1,2,1,1,1,-1,\n0,,1,2,3,2,1,1,1,-1\n2,,,0,2,1,0,1,,0\n';
    const res = await staff.post('/api/dialogues/import/polis', { title: 'no votes.csv', comments, participantsVotes });
    expect(res.status).toBe(201);
    const out = await res.json();
    expect(out).toMatchObject({ statements: 3, participants: 3, votes: 7 });
    const statements = (await (await staff.get(`/api/dialogues/${out.id}/statements?limit=100`)).json()).items as { sourceId: string; status: string; agree: number }[];
    expect(statements.map((x) => [x.sourceId, x.status]).sort()).toEqual([['0', 'accepted'], ['1', 'rejected'], ['2', 'pending']]);
    const [row] = await t.db.select().from(dialogue).where(eq(dialogue.id, out.id));
    expect(row!.analysisState.polis).toEqual({ inclusion: 'votes', inclusionDetected: true });

    const history = await problem(await staff.post('/api/dialogues/import/polis', { title: 'x', comments, participantsVotes, inclusion: 'history' }), 422);
    expect(history.errors![0]!.field).toBe('body.inclusion');
    const bad = await problem(await staff.post('/api/dialogues/import/polis', { title: 'x', comments, participantsVotes, inclusion: 'everyone' }), 400);
    expect(bad.errors![0]!.field).toBe('body.inclusion');
    const none = await problem(await staff.post('/api/dialogues/import/polis', { title: 'x', comments }), 400);
    expect(none.errors![0]!.field).toBe('body.votes');
    // chosen: recorded as chosen
    const chosen = await staff.post('/api/dialogues/import/polis', {
      title: 'chosen',
      comments: read('brexit-consensus', 'comments.csv'),
      votes: read('brexit-consensus', 'votes.csv'),
      inclusion: 'votes',
    });
    expect(chosen.status).toBe(201);
    const [c] = await t.db.select().from(dialogue).where(eq(dialogue.id, (await chosen.json()).id));
    expect(c!.analysisState.polis).toEqual({ inclusion: 'votes', inclusionDetected: false });
    // the Pol.is math chosen too: missing votes as 0 (detected for Brexit under its history rule, chosen here)
    const zero = await staff.post('/api/dialogues/import/polis', { title: 'zero', comments, participantsVotes, missingVotes: 'zero' });
    expect(zero.status).toBe(201);
    const [z] = await t.db.select().from(dialogue).where(eq(dialogue.id, (await zero.json()).id));
    expect(z!.analysisState.polis).toEqual({ inclusion: 'votes', inclusionDetected: true, missingVotes: 'zero' });
    expect((await staff.get(`/api/dialogues/${z!.id}/analysis`)).status).toBe(200);
    const badMath = await problem(await staff.post('/api/dialogues/import/polis', { title: 'x', comments, participantsVotes, missingVotes: 'median' }), 400);
    expect(badMath.errors![0]!.field).toBe('body.missingVotes');
    await problem(await viewer.post('/api/dialogues/import/polis', { title: 'x', comments, participantsVotes }), 403);
  });

  it('not a Pol.is export: a 422 naming the file and line', async () => {
    const p = await problem(await staff.post('/api/dialogues/import/polis', { title: 'x', comments: 'name,email\nA,a@x\n', votes: 'timestamp,datetime,comment-id,voter-id,vote\n' }), 422);
    expect(p.errors![0]).toMatchObject({ field: 'body.comments' });
    expect(p.errors![0]!.detail).toMatch(/^comments\.csv: line 1: missing columns/);
    const q = await problem(
      await staff.post('/api/dialogues/import/polis', {
        title: 'x',
        comments: 'timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n1,x,0,0,0,0,1,Hello\n',
        participantsVotes: 'participant,group-id,n-comments,n-votes,n-agree,n-disagree,0\n1,0,0,1,1,0,2\n',
      }),
      422,
    );
    expect(q.errors![0]).toMatchObject({ field: 'body.participantsVotes', detail: 'participants-votes.csv: line 2: vote "2" is not 1, -1 or 0' });
  });

  it('a broken file is a 422 naming it, and nothing is written', async () => {
    const before = (await t.db.select().from(dialogue)).length;
    const p = await problem(await staff.post('/api/dialogues/import/polis', { title: 'broken', comments: 'timestamp,comment-id\n1,2\n', votes: 'x' }), 422);
    expect(p.errors![0]!.field).toMatch(/^body\.(comments|votes)$/);
    const orphan = await problem(
      await staff.post('/api/dialogues/import/polis', {
        title: 'orphan',
        comments: 'timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n1,x,0,0,0,0,1,Hello\n',
        votes: 'timestamp,datetime,comment-id,voter-id,vote\n2,x,7,0,1\n',
      }),
      422,
    );
    expect(orphan.errors![0]!.field).toBe('body.votes');
    expect((await t.db.select().from(dialogue)).length).toBe(before);
  });
});
