import { describe, expect, it } from 'vitest';
import { adjustedRandIndex, seededRandom } from './math/stats.ts';
import { bestPairing, comparePolisGroups } from './polis-comparison.ts';

describe("Pol.is's groups beside Convene's", () => {
  it('counts each Pol.is group across our groups, pairs the groups, and lists who moved', () => {
    // Pol.is: 0 0 0 1 1 1 – –   ours: 5 5 7 7 7 -1 5 -1 (group ids need not start at 0)
    const participants = ['1', '2', '3', '4', '5', '6', '7', '8'].map((sourceId, i) => ({ sourceId, polisGroup: [0, 0, 0, 1, 1, 1, null, null][i] }));
    const ours = [5, 5, 7, 7, 7, -1, 5, -1];
    const c = comparePolisGroups(participants, (i) => ours[i]!, [5, 7])!;
    expect(c.polisGroups).toEqual([
      { id: 0, participants: 3 },
      { id: 1, participants: 3 },
    ]);
    expect(c.polisClustered).toBe(6);
    expect(c.crossTab).toEqual([
      { polisGroup: 0, byGroup: [{ groupId: 5, participants: 2 }, { groupId: 7, participants: 1 }], leftOut: 0 },
      { polisGroup: 1, byGroup: [{ groupId: 5, participants: 0 }, { groupId: 7, participants: 2 }], leftOut: 1 },
    ]);
    expect(c.counterparts).toEqual([
      { groupId: 5, polisGroup: 0 },
      { groupId: 7, polisGroup: 1 },
    ]);
    // 3 went to the other group, 6 was left out by us, 7 was grouped by us only; 8 by nobody
    expect(c.moved).toEqual([
      { sourceId: '3', polisGroup: 0, groupId: 7 },
      { sourceId: '6', polisGroup: 1, groupId: null },
      { sourceId: '7', polisGroup: null, groupId: 5 },
    ]);
    expect(c.movedCount).toBe(3);
    expect(c.ari).toBe(adjustedRandIndex([0, 0, 0, 1, 1, 1], [5, 5, 7, 7, 7, -1]));
  });

  it('is null when Pol.is grouped nobody (a dialogue not imported from Pol.is)', () => {
    expect(comparePolisGroups([{ sourceId: null }, { sourceId: null }], () => 0, [0])).toBeNull();
  });

  it('pairs groups to share the most members in all, not greedily', () => {
    // greedy takes A–x (5) and is left with B–y (0): 5; the best pairing is A–y + B–x: 8
    const shared: Record<string, number> = { '0:10': 5, '0:11': 4, '1:10': 4, '1:11': 0 };
    expect([...bestPairing([0, 1], [10, 11], (o, t) => shared[`${o}:${t}`] ?? 0)]).toEqual([
      [0, 11],
      [1, 10],
    ]);
  });

  it('finds the best pairing of up to five groups a side (checked against every permutation)', () => {
    const rnd = seededRandom(7);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(rnd() * 5);
      const m = 1 + Math.floor(rnd() * 5);
      const w = Array.from({ length: n }, () => Array.from({ length: m }, () => Math.floor(rnd() * 4) * Math.floor(rnd() * 30)));
      const pairs = bestPairing([...Array(n).keys()], [...Array(m).keys()], (o, t) => w[o]![t]!);
      const total = [...pairs].reduce((s, [o, t]) => s + w[o]![t]!, 0);
      // every way to give each of ours one of theirs or none, each of theirs at most once
      let best = 0;
      const walk = (i: number, used: Set<number>, sum: number) => {
        if (i === n) return void (best = Math.max(best, sum));
        walk(i + 1, used, sum);
        for (let t = 0; t < m; t++) if (!used.has(t)) walk(i + 1, new Set([...used, t]), sum + w[i]![t]!);
      };
      walk(0, new Set(), 0);
      expect(total).toBe(best);
      expect(new Set(pairs.values()).size).toBe(pairs.size);
    }
  });
});
