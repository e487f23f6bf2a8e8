// Pol.is's own groups beside Convene's, for an imported conversation (issue 11, item 3): how the participants Pol.is
// grouped (participants-votes.csv's group-id, kept at the import) fall into Convene's groups, the adjusted Rand index
// between the two, and who moved. Computed after the analysis, from its result: nothing here feeds the clustering.
import { adjustedRandIndex } from './math/stats.ts';

/** At most this many moved participants are listed (all are counted). */
export const MOVED_LISTED = 1000;
const LEFT_OUT = -1;

export type PolisComparison = {
  polisGroups: { id: number; participants: number }[];
  /** participants Pol.is grouped */
  polisClustered: number;
  /** over every participant Pol.is grouped; one Convene leaves out counts in a group of their own (the left out) */
  ari: number;
  /** per Pol.is group: how many of its members are in each of Convene's groups, and how many Convene left out */
  crossTab: { polisGroup: number; byGroup: { groupId: number; participants: number }[]; leftOut: number }[];
  /** per Convene group, the Pol.is group it shares most members with (each paired once; null when none is left) */
  counterparts: { groupId: number; polisGroup: number | null }[];
  /** who is not where their Pol.is group's counterpart is: in another group, left out by one side only */
  moved: { sourceId: string; polisGroup: number | null; groupId: number | null }[];
  movedCount: number;
};

/**
 * `participants[i]`: participant i's Pol.is id and group (null: Pol.is did not group them); `groupOf(i)`: Convene's
 * group id, or -1 when Convene left them out. Null when Pol.is grouped nobody (not an imported conversation, or an
 * export without group-ids).
 */
export function comparePolisGroups(
  participants: readonly { sourceId: string | null; polisGroup?: number | null }[],
  groupOf: (i: number) => number,
  conveneGroupIds: readonly number[],
): PolisComparison | null {
  const polisOf = participants.map((p) => (p.polisGroup === undefined || p.polisGroup === null ? null : p.polisGroup));
  const grouped = polisOf.flatMap((g, i) => (g === null ? [] : [i]));
  if (grouped.length === 0) return null;

  const polisIds = [...new Set(grouped.map((i) => polisOf[i]!))].sort((a, b) => a - b);
  const tab = new Map<number, Map<number, number>>(polisIds.map((g) => [g, new Map()]));
  for (const i of grouped) {
    const row = tab.get(polisOf[i]!)!;
    const ours = groupOf(i);
    row.set(ours, (row.get(ours) ?? 0) + 1);
  }
  const crossTab = polisIds.map((g) => {
    const row = tab.get(g)!;
    return { polisGroup: g, byGroup: conveneGroupIds.map((id) => ({ groupId: id, participants: row.get(id) ?? 0 })), leftOut: row.get(LEFT_OUT) ?? 0 };
  });

  const pairing = bestPairing(conveneGroupIds, polisIds, (ours, theirs) => tab.get(theirs)?.get(ours) ?? 0);
  const counterparts = conveneGroupIds.map((id) => ({ groupId: id, polisGroup: pairing.get(id) ?? null }));

  const moved: PolisComparison['moved'] = [];
  let movedCount = 0;
  for (let i = 0; i < participants.length; i++) {
    const theirs = polisOf[i]!;
    const ours = groupOf(i);
    const expected = ours === LEFT_OUT ? null : (pairing.get(ours) ?? undefined);
    // both sides left them out: nothing to compare
    if (theirs === null && ours === LEFT_OUT) continue;
    if (expected === theirs) continue;
    movedCount++;
    if (moved.length < MOVED_LISTED) moved.push({ sourceId: participants[i]!.sourceId ?? '', polisGroup: theirs, groupId: ours === LEFT_OUT ? null : ours });
  }
  moved.sort((a, b) => compareIds(a.sourceId, b.sourceId));

  return {
    polisGroups: polisIds.map((g) => ({ id: g, participants: grouped.filter((i) => polisOf[i] === g).length })),
    polisClustered: grouped.length,
    ari: adjustedRandIndex(
      grouped.map((i) => polisOf[i]!),
      grouped.map((i) => groupOf(i)),
    ),
    crossTab,
    counterparts,
    moved,
    movedCount,
  };
}

/** Pol.is ids are numbers: 2 before 10. */
function compareIds(a: string, b: string): number {
  const na = /^\d+$/.test(a) ? Number(a) : NaN;
  const nb = /^\d+$/.test(b) ? Number(b) : NaN;
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Pairs each of our groups with at most one of theirs, and each of theirs with at most one of ours, so that the
 * members shared in the pairs are as many as possible (ties: lower ids first). Groups are few (Pol.is allows up to
 * five, and so do we), so every pairing is tried.
 */
export function bestPairing(ours: readonly number[], theirs: readonly number[], shared: (ours: number, theirs: number) => number): Map<number, number> {
  let best = -1;
  let bestPairs: [number, number][] = [];
  const used = new Set<number>();
  const pairs: [number, number][] = [];
  const visit = (i: number, total: number) => {
    if (i === ours.length) {
      if (total > best) {
        best = total;
        bestPairs = [...pairs];
      }
      return;
    }
    for (const t of theirs) {
      if (used.has(t)) continue;
      const n = shared(ours[i]!, t);
      if (n === 0) continue;
      used.add(t);
      pairs.push([ours[i]!, t]);
      visit(i + 1, total + n);
      pairs.pop();
      used.delete(t);
    }
    visit(i + 1, total);
  };
  if (ours.length <= 8 && theirs.length <= 8) visit(0, 0);
  else {
    // not expected (at most five groups a side); greedy by shared members
    const all = ours.flatMap((o) => theirs.map((t) => [o, t, shared(o, t)] as const)).sort((a, b) => b[2] - a[2] || a[0] - b[0] || a[1] - b[1]);
    const o = new Set<number>();
    for (const [a, b, n] of all) if (n > 0 && !o.has(a) && !used.has(b)) (o.add(a), used.add(b), bestPairs.push([a, b]));
  }
  return new Map(bestPairs);
}
