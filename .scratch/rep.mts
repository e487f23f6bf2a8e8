import path from 'node:path';
import { replayHistory, updateBoundaries } from '/work/wt/polis-replay/src/server/features/dialogues/math/replay.ts';
import { adjustedRandIndex } from '/work/wt/polis-replay/src/server/features/dialogues/math/stats.ts';
import { parsePolisExport, polisOpinionInput } from '/work/wt/polis-replay/src/server/features/dialogues/polis-format.ts';
import { POLIS_FIXTURES, readFolder } from '/work/wt/polis-replay/tests/setup/polis-fixtures.ts';
const [f, ms, maxU, pcaM] = process.argv.slice(2);
const files = readFolder(path.join(POLIS_FIXTURES, f!));
const ref = await parsePolisExport(files);
const bare = await parsePolisExport({ ...files, summary: undefined });
const { input, participantIds, comments } = polisOpinionInput(bare);
const pIndex = new Map(participantIds.map((id, i) => [id, i]));
const sIndex = new Map(comments.map((c, i) => [c.sourceId, i]));
const votes = bare.history.map((x) => ({ participant: pIndex.get(x.participantSourceId)!, statement: sIndex.get(x.statementSourceId)!, value: x.value, at: x.at }));
const clustered = (ref.participants ?? []).filter((p) => p.groupId !== null);
const score = (groups: { id: number; members: number[] }[]) => {
  const of = new Map<string, number>();
  for (const g of groups) for (const m of g.members) of.set(participantIds[m]!, g.id);
  return adjustedRandIndex(clustered.map((p) => p.groupId), clustered.map((p) => of.get(p.sourceId) ?? -1)).toFixed(3);
};
const sorted = votes.map((v) => v.at).sort((a, b) => a - b);
console.log('raw updates', updateBoundaries(sorted, Number(ms), Infinity).length, 'votes', votes.length);
const t0 = performance.now();
const ks: number[] = [];
const r = replayHistory({ participantCount: input.participantCount, statementCount: input.statementCount, votes, excludedStatements: input.excludedStatements }, { updateMs: Number(ms), maxUpdates: Number(maxU ?? 200), opinion: { pca: 'power', missingVotes: (pcaM as 'zero') ?? 'mean', baseIterations: pcaM === 'zero' ? 20 : 100 }, polisRowOrder: true, onUpdate: (a) => ks.push(a.groups.length) });
console.log(`${f} every ${ms} ms, max ${maxU}: ${r.steps.length} updates, ${r.analysis!.groups.length}g ARI ${score(r.analysis!.groups)} ${(performance.now() - t0).toFixed(0)} ms`);
// k history compressed
const runs: string[] = []; let last = -1, n = 0;
for (const k of ks) { if (k === last) n++; else { if (last >= 0) runs.push(`${last}x${n}`); last = k; n = 1; } }
runs.push(`${last}x${n}`);
console.log('k runs', runs.join(' '));
const bk: number[] = r.steps.map((s) => s.bestK);
const bruns: string[] = []; last = -1; n = 0;
for (const k of bk) { if (k === last) n++; else { if (last >= 0) bruns.push(`${last}x${n}`); last = k; n = 1; } }
bruns.push(`${last}x${n}`);
console.log('bestK runs (last 40)', bruns.slice(-40).join(' '));
