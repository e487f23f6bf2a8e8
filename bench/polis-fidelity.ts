// How close Convene's opinion groups come to Pol.is's own, on every Pol.is export folder under a directory
// (default tests/fixtures/polis): per-statement counts against participants-votes.csv, the number of groups
// (computed without summary.csv) against summary.csv's, and the adjusted Rand index with Pol.is's group-id over
// every participant Pol.is clustered (one Convene leaves out counts as a group of its own). Each conversation is
// read as the import reads it and computed with the import's numbering, under each inclusion rule, and once
// more from files whose rows are shuffled (the groups must not change).
// Exports that show their history (Brexit, Scoop) are replayed from votes.csv first, as the import does
// (polis-replay.ts: every update at least a minute apart, none merged); the table says how many updates.
// With --replay, also the history replay alone (math/replay.ts) for those with votes.csv, timed, at several update
// intervals: the import's (60 s, every update), and 1 s, 10 s, 600 s merged into at most 200 updates (with
// --all-updates every one, as Pol.is ran them: a minute or more on Scoop). With --variants, single runs on the final votes with Pol.is's exact steps one by one (its
// one-at-a-time PCA, its single k-means start per k, its matrix's row order for the cold base clustering).
//   npx tsx bench/polis-fidelity.ts [DIR] [--replay [--all-updates]] [--variants]
import fs from 'node:fs';
import path from 'node:path';
import { replayHistory } from '../src/server/features/dialogues/math/replay.ts';
import { IMPORT_REPLAY } from '../src/server/features/dialogues/polis-replay.ts';
import { adjustedRandIndex } from '../src/server/features/dialogues/math/stats.ts';
import { analyzeOpinions, polisRowOrder, type OpinionOptions } from '../src/server/features/dialogues/math/opinion-groups.ts';
import { replayInclusion } from '../src/server/features/dialogues/math/inclusion.ts';
import { toVoteColumns } from '../src/server/features/dialogues/math/vote-matrix.ts';
import { detectInclusion, detectMissingVotes, parsePolisExport, polisMathOptions, polisOpinionInput, type PolisExport } from '../src/server/features/dialogues/polis-format.ts';
import { fidelity, readFolder, shuffleRows } from '../tests/setup/polis-fixtures.ts';

const args = process.argv.slice(2);
const dir = path.resolve(args.find((a) => !a.startsWith('--')) ?? path.join(import.meta.dirname, '../tests/fixtures/polis'));
const withReplay = args.includes('--replay');
const allUpdates = args.includes('--all-updates');
const withVariants = args.includes('--variants');

function replayed(ex: PolisExport, reference: PolisExport, updateMs: number) {
  const { input, participantIds, comments } = polisOpinionInput(ex);
  const pIndex = new Map(participantIds.map((id, i) => [id, i]));
  const sIndex = new Map(comments.map((c, i) => [c.sourceId, i]));
  const votes = ex.history.map((v) => ({ participant: pIndex.get(v.participantSourceId)!, statement: sIndex.get(v.statementSourceId)!, value: v.value, at: v.at }));
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const opinion = polisMathOptions(detectMissingVotes(ex, detectInclusion(ex)));
  const imports = updateMs === IMPORT_REPLAY.updateMs;
  const r = replayHistory(
    { participantCount: input.participantCount, statementCount: input.statementCount, votes, excludedStatements: input.excludedStatements },
    { updateMs, opinion, polisRowOrder: true, ...(allUpdates || imports ? { maxUpdates: Infinity } : {}) },
  );
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0).user / 1000;
  const of = new Map<string, number>();
  for (const g of r.analysis!.groups) for (const m of g.members) of.set(participantIds[m]!, g.id);
  const clustered = (reference.participants ?? []).filter((p) => p.groupId !== null);
  const ari = adjustedRandIndex(clustered.map((p) => p.groupId), clustered.map((p) => of.get(p.sourceId) ?? -1));
  return `replay every ${updateMs / 1000} s${imports ? " (the import's)" : ''}: ${r.steps.length} updates, ${r.analysis!.groups.length} groups, ${r.analysis!.included.length} clustered, ARI ${ari.toFixed(3)}, ${ms.toFixed(0)} ms (${cpu.toFixed(0)} ms of CPU)`;
}

/** Single runs on the final votes (the detected inclusion rule), Pol.is's exact steps added one by one. */
function variants(ex: PolisExport, reference: PolisExport): string[] {
  const { input, participantIds, history } = polisOpinionInput(ex);
  const rule = detectInclusion(ex);
  const included = rule === 'history' ? replayInclusion(input.participantCount, history) : undefined;
  const clustered = (reference.participants ?? []).filter((p) => p.groupId !== null);
  const rowOrder = polisRowOrder(toVoteColumns(input.votes));
  const list: [string, OpinionOptions][] = [
    ['Convene (subspace PCA, 25 extra k-means++ starts)', {}],
    ["+ Pol.is's one-at-a-time PCA", { pca: 'power' }],
    ["+ Pol.is's single k-means start per k", { pca: 'power', groupRestarts: 0 }],
    ["+ Pol.is's row order", { pca: 'power', groupRestarts: 0, rowOrder }],
    ['missing votes as 0 (Pol.is before Oct 2017)', { pca: 'power', missingVotes: 'zero' }],
    ['missing votes as 0, all of Pol.is exact', { pca: 'power', missingVotes: 'zero', groupRestarts: 0, rowOrder }],
  ];
  return list.map(([name, o]) => {
    const a = analyzeOpinions(input, { ...o, previous: included ? { included } : undefined });
    const of = new Map<string, number>();
    for (const g of a.groups) for (const m of g.members) of.set(participantIds[m]!, g.id);
    const ari = adjustedRandIndex(clustered.map((p) => p.groupId), clustered.map((p) => of.get(p.sourceId) ?? -1));
    return `${name}: ${a.groups.length} groups, ARI ${ari.toFixed(3)}`;
  });
}

async function main() {
  const folders = fs.readdirSync(dir).filter((f) => fs.existsSync(path.join(dir, f, 'comments.csv'))).sort();
  console.log(`conversation | votes.csv | rule detected | inclusion | missing votes (Pol.is math) | history replayed (updates) | counts = p-v.csv | groups (Pol.is) | clustered (Pol.is) | ARI | shuffled, no summary: same groups`);
  for (const f of folders) {
    const files = readFolder(path.join(dir, f));
    const reference = await parsePolisExport(files);
    const bare = await parsePolisExport({ ...files, summary: undefined });
    const detected = detectInclusion(bare);
    for (const rule of ['votes', 'history'] as const) {
      if (rule === 'history' && !bare.voteTimes) continue;
      const t0 = performance.now();
      const r = fidelity(bare, reference, rule);
      const ms = performance.now() - t0;
      const shuffled = await parsePolisExport({
        comments: shuffleRows(files.comments, 1)!,
        votes: shuffleRows(files.votes, 2),
        participantsVotes: shuffleRows(files.participantsVotes, 3),
      });
      const s = fidelity(shuffled, reference, rule);
      const same = r.groupsOf.size === s.groupsOf.size && [...r.groupsOf].every(([p, g]) => s.groupsOf.get(p) === g);
      console.log(
        `${f} | ${bare.voteTimes ? 'yes' : 'no'} | ${detected} | ${rule} | ${r.missingVotes} | ${r.replayUpdates ?? 'no'} | ${r.countsEqual} | ${r.groups} (${r.polisGroups ?? '-'}) | ${r.clustered} (${r.polisClustered}) | ${r.ari.toFixed(3)} | ${same} | ${ms.toFixed(0)} ms`,
      );
    }
    if (withVariants) for (const line of variants(bare, reference)) console.log(`${f} | ${line}`);
    if (withReplay && bare.voteTimes) for (const updateMs of [IMPORT_REPLAY.updateMs, 1_000, 10_000, 600_000]) console.log(`${f} | ${replayed(bare, reference, updateMs)}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
