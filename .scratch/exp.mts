import path from 'node:path';
import { analyzeOpinions, polisRowOrder, type OpinionOptions } from '/work/wt/polis-replay/src/server/features/dialogues/math/opinion-groups.ts';
import { replayInclusion } from '/work/wt/polis-replay/src/server/features/dialogues/math/inclusion.ts';
import { replayHistory } from '/work/wt/polis-replay/src/server/features/dialogues/math/replay.ts';
import { adjustedRandIndex } from '/work/wt/polis-replay/src/server/features/dialogues/math/stats.ts';
import { detectInclusion, parsePolisExport, polisOpinionInput } from '/work/wt/polis-replay/src/server/features/dialogues/polis-format.ts';
import { POLIS_CONVERSATIONS, POLIS_FIXTURES, readFolder } from '/work/wt/polis-replay/tests/setup/polis-fixtures.ts';
const only = process.argv[2];
const seeds = Number(process.argv[3] ?? 1);
for (const f of POLIS_CONVERSATIONS) {
  if (only && !f.includes(only)) continue;
  const files = readFolder(path.join(POLIS_FIXTURES, f));
  const ref = await parsePolisExport(files);
  const bare = await parsePolisExport({ ...files, summary: undefined });
  const rule = detectInclusion(bare);
  const { input, participantIds, history } = polisOpinionInput(bare);
  const included = rule === 'history' ? replayInclusion(input.participantCount, history) : undefined;
  const clustered = (ref.participants ?? []).filter((p) => p.groupId !== null);
  const score = (groups: { id: number; members: number[] }[]) => {
    const of = new Map<string, number>();
    for (const g of groups) for (const m of g.members) of.set(participantIds[m]!, g.id);
    return adjustedRandIndex(clustered.map((p) => p.groupId), clustered.map((p) => of.get(p.sourceId) ?? -1)).toFixed(3);
  };
  const v = input.votes as { participant: Int32Array; statement: Int32Array };
  const rowOrder = polisRowOrder(v);
  const variants: [string, OpinionOptions][] = [
    ['default', {}],
    ['restarts0', { groupRestarts: 0 }],
    ['power', { pca: 'power' }],
    ['power+r0', { pca: 'power', groupRestarts: 0 }],
    ['power+r0+rows', { pca: 'power', groupRestarts: 0, rowOrder }],
    ['sub+r0+rows', { groupRestarts: 0, rowOrder }],
    ['r0+rows+noexcl', { groupRestarts: 0, rowOrder, noexcl: true } as OpinionOptions],
    ['default+noexcl', { noexcl: true } as OpinionOptions],
    ['zero+r0+rows', { pca: 'power', missingVotes: 'zero', groupRestarts: 0, rowOrder }],
    ['zero+r0+rows+it20', { pca: 'power', missingVotes: 'zero', groupRestarts: 0, rowOrder, baseIterations: 20 }],
    ['zero', { pca: 'power', missingVotes: 'zero' }],
  ];
  console.log(f, 'excluded', [...(input.excludedStatements ?? [])].length, 'rule', rule);
  for (const [name, o] of variants) {
    const out: string[] = [];
    for (let seed = 1; seed <= seeds; seed++) {
      const a = analyzeOpinions((o as {noexcl?: boolean}).noexcl ? { ...input, excludedStatements: [] } : input, { ...o, seed, previous: included ? { included } : undefined });
      out.push(`${a.groups.length}g ${score(a.groups)} sil[${a.silhouettes.map((s) => s.silhouette.toFixed(3)).join(',')}]`);
    }
    console.log(`${f} | ${name} | ${out.join(' ; ')}`);
  }
  if (process.argv.includes('--replay') && bare.voteTimes) {
    const pIndex = new Map(participantIds.map((id, i) => [id, i]));
    const { comments } = polisOpinionInput(bare);
    const sIndex = new Map(comments.map((c, i) => [c.sourceId, i]));
    const votes = bare.history.map((x) => ({ participant: pIndex.get(x.participantSourceId)!, statement: sIndex.get(x.statementSourceId)!, value: x.value, at: x.at }));
    for (const updateMs of [1000, 10000, 60000, 600000]) {
      const out: string[] = [];
      for (const [name, opinion, rows] of [['sub', {}, false], ['power+rows', { pca: 'power' }, true]] as const) {
        for (let seed = 1; seed <= seeds; seed++) {
          const r = replayHistory({ participantCount: input.participantCount, statementCount: input.statementCount, votes, excludedStatements: input.excludedStatements }, { updateMs, opinion: { ...opinion, seed }, polisRowOrder: rows });
          out.push(`${name}/${seed}: ${r.analysis!.groups.length}g ${score(r.analysis!.groups)}`);
        }
      }
      console.log(`${f} | replay ${updateMs / 1000}s | ${out.join(' ; ')}`);
    }
  }
}
