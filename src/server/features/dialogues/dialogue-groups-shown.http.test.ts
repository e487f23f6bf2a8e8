import { describe, expect, it } from 'vitest';
import { GROUPS_SHOWN } from './analysis.service.ts';
import { groupColour, markerPath, segmentShapeAt } from './chart-style.ts';
import { buildDialogue, buildParticipant, buildStatement, buildVotes } from '../../../../tests/setup/dialogue-factories.ts';
import { createTestApp } from '../../../../tests/setup/test-app.ts';

// Opinion groups are shown once they mean something (enough participants clustered, no group of one or two), and a
// segment has one shape and a group one colour in the app and in the printable report alike.

const t = await createTestApp();
const staff = await t.signedIn('staff');

type Analysis = {
  voters: number;
  clustered: number;
  groups: { id: number; participants: number; representative: { rate: number }[] }[];
  groupsHeldBack: 'fewParticipants' | 'smallGroup' | null;
  groupsShownFrom: { minClustered: number; minGroupSize: number };
  map: { groupId: number; segmentId: string | null }[];
  statements: { byGroup: unknown[]; groupConsensus: number | null; bridging: boolean }[];
};

/** `people` participants in two camps who vote on six statements; camp A agrees where camp B disagrees. */
async function camps(people: number, campA = (i: number) => i % 2 === 0) {
  const d = await buildDialogue(t.db, {
    segments: [
      { key: 'ji', name: { en: 'Jewish Israelis', he: 'יהודים ישראלים' } },
      { key: 'pal', name: { en: 'Palestinians', ar: 'فلسطينيون' } },
    ],
    sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open', seeds: ['Both peoples deserve safety'] }] }],
  });
  const statements = [];
  for (let k = 0; k < 6; k++) statements.push((await buildStatement(t.db, { questionId: d.questions.q!, body: `Statement ${k} about dignity` })).id);
  const votes: [string, string, number][] = [];
  for (let i = 0; i < people; i++) {
    const p = await buildParticipant(t.db, { dialogueId: d.id, segmentId: d.segments[i % 2 === 0 ? 'ji' : 'pal'] });
    for (const [k, s] of statements.entries()) votes.push([p.id, s, campA(i) === (k % 2 === 0) ? 1 : -1]);
  }
  await buildVotes(t.db, d.id, votes);
  return d;
}

const analysisOf = async (id: string): Promise<Analysis> => {
  const res = await staff.get(`/api/dialogues/${id}/analysis`);
  expect(res.status).toBe(200);
  return res.json();
};

describe('opinion groups shown when they mean something', () => {
  it('three voters: no group anywhere (cards, map colours, per-group figures), and the reason', async () => {
    const d = await camps(3);
    const a = await analysisOf(d.id);
    expect(a.voters).toBe(3);
    expect(a.groups).toEqual([]);
    expect(a.groupsHeldBack).toBe('fewParticipants');
    expect(a.groupsShownFrom).toEqual(GROUPS_SHOWN);
    expect(a.map.length).toBe(3);
    expect(a.map.every((p) => p.groupId === -1)).toBe(true);
    expect(a.statements.every((s) => s.byGroup.length === 0 && s.groupConsensus === null)).toBe(true);
    const report = await (await staff.get(`/api/dialogues/${d.id}/report?lang=he`)).text();
    expect(report).toContain('עדיין אין קבוצות דעה');
  });

  it('a group smaller than the minimum holds every group back', async () => {
    // 12 in one camp, 2 in the other
    const d = await camps(14, (i) => i < 12);
    const a = await analysisOf(d.id);
    expect(a.clustered).toBeGreaterThanOrEqual(GROUPS_SHOWN.minClustered);
    expect(a.groups).toEqual([]);
    expect(a.groupsHeldBack).toBe('smallGroup');
  });

  it('enough participants in two real camps: the groups, each at least the minimum, with no representative statement none of them voted for', async () => {
    const d = await camps(24);
    const a = await analysisOf(d.id);
    expect(a.groupsHeldBack).toBeNull();
    expect(a.groups.length).toBeGreaterThanOrEqual(2);
    for (const g of a.groups) {
      expect(g.participants).toBeGreaterThanOrEqual(GROUPS_SHOWN.minGroupSize);
      for (const r of g.representative) expect(r.rate).toBeGreaterThan(0);
    }
    expect(a.map.every((p) => p.groupId >= 0)).toBe(true);
  });

  it("the report draws each segment with the app's shape and each group with the app's colour", async () => {
    const d = await camps(24);
    const report = await (await staff.get(`/api/dialogues/${d.id}/report?lang=en`)).text();
    const legend = report.match(/<ul class="legend">([\s\S]*?)<\/ul>/)![1]!;
    const items = [...legend.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => m[1]!);
    const groupItems = items.filter((i) => i.includes('Group'));
    expect(groupItems.length).toBeGreaterThanOrEqual(2);
    groupItems.forEach((item, i) => expect(item).toContain(groupColour(i)));
    // segment 0 is the app's second shape (a square), segment 1 its third (a triangle): not the circle of "no segment"
    const ji = items.find((i) => i.includes('Jewish Israelis'))!;
    const pal = items.find((i) => i.includes('Palestinians'))!;
    expect(segmentShapeAt(0)).toBe('square');
    expect(ji).toContain(`<${markerPath(segmentShapeAt(0), 6, 6, 4).tag} `);
    expect(pal).toContain(`<${markerPath(segmentShapeAt(1), 6, 6, 4).tag} `);
    expect(ji).not.toContain('<circle');
  });
});
