// How close Convene's opinion groups come to Pol.is's own, on every Pol.is export folder under a directory
// (default tests/fixtures/polis): per-statement counts against participants-votes.csv, the number of groups
// (computed without summary.csv) against summary.csv's, and the adjusted Rand index with Pol.is's group-id over
// every participant Pol.is clustered (one Convene leaves out counts as a group of its own). Each conversation is
// read as the import reads it and computed with the import's numbering, under each inclusion rule, and once
// more from files whose rows are shuffled (the groups must not change).
// With --replay, also the history replay (math/replay.ts, not wired into the import yet) for those with votes.csv,
// at several update intervals.
//   npx tsx bench/polis-fidelity.ts [DIR] [--replay]
import fs from 'node:fs';
import path from 'node:path';
import { replayHistory } from '../src/server/features/dialogues/math/replay.ts';
import { adjustedRandIndex } from '../src/server/features/dialogues/math/stats.ts';
import { detectInclusion, parsePolisExport, polisOpinionInput, type PolisExport } from '../src/server/features/dialogues/polis-format.ts';
import { fidelity, readFolder, shuffleRows } from '../tests/setup/polis-fixtures.ts';

const args = process.argv.slice(2);
const dir = path.resolve(args.find((a) => !a.startsWith('--')) ?? path.join(import.meta.dirname, '../tests/fixtures/polis'));
const withReplay = args.includes('--replay');

function replayed(ex: PolisExport, reference: PolisExport, updateMs: number) {
  const { input, participantIds, comments } = polisOpinionInput(ex);
  const pIndex = new Map(participantIds.map((id, i) => [id, i]));
  const sIndex = new Map(comments.map((c, i) => [c.sourceId, i]));
  const votes = ex.history.map((v) => ({ participant: pIndex.get(v.participantSourceId)!, statement: sIndex.get(v.statementSourceId)!, value: v.value, at: v.at }));
  const t0 = performance.now();
  const r = replayHistory({ participantCount: input.participantCount, statementCount: input.statementCount, votes, excludedStatements: input.excludedStatements }, { updateMs });
  const ms = performance.now() - t0;
  const of = new Map<string, number>();
  for (const g of r.analysis!.groups) for (const m of g.members) of.set(participantIds[m]!, g.id);
  const clustered = (reference.participants ?? []).filter((p) => p.groupId !== null);
  const ari = adjustedRandIndex(clustered.map((p) => p.groupId), clustered.map((p) => of.get(p.sourceId) ?? -1));
  return `replay every ${updateMs / 1000} s: ${r.steps.length} updates, ${r.analysis!.groups.length} groups, ${r.analysis!.included.length} clustered, ARI ${ari.toFixed(3)}, ${ms.toFixed(0)} ms`;
}

async function main() {
  const folders = fs.readdirSync(dir).filter((f) => fs.existsSync(path.join(dir, f, 'comments.csv'))).sort();
  console.log(`conversation | votes.csv | rule detected | inclusion | missing votes (Pol.is math) | counts = p-v.csv | groups (Pol.is) | clustered (Pol.is) | ARI | shuffled, no summary: same groups`);
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
        `${f} | ${bare.voteTimes ? 'yes' : 'no'} | ${detected} | ${rule} | ${r.missingVotes} | ${r.countsEqual} | ${r.groups} (${r.polisGroups ?? '-'}) | ${r.clustered} (${r.polisClustered}) | ${r.ari.toFixed(3)} | ${same} | ${ms.toFixed(0)} ms`,
      );
    }
    if (withReplay && bare.voteTimes) for (const updateMs of [1_000, 10_000, 60_000, 600_000]) console.log(`${f} | ${replayed(bare, reference, updateMs)}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
