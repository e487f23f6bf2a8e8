// The dialogue analysis at scale: 10,000 participants, 2,000 statements, 1,000,000 votes drawn from three
// latent opinion groups (seeded), timed through analyzeOpinions (PCA, clustering, counts, repness,
// consensus). Pure computation: no server, no database. `npx tsx bench/dialogue-analysis.ts` runs it alone.
import { analyzeOpinions } from '../src/server/features/dialogues/math/opinion-groups.ts';
import { adjustedRandIndex, seededRandom } from '../src/server/features/dialogues/math/stats.ts';
import { type Figure, isMain, ms, printFigures } from './lib.ts';

const PARTICIPANTS = 10_000;
const STATEMENTS = 2_000;
const VOTES = 1_000_000;
const GROUPS = 3;
const TARGET_MS = 5_000;

export function syntheticVotes(participants = PARTICIPANTS, statements = STATEMENTS, votes = VOTES, groups = GROUPS, seed = 2024) {
  const random = seededRandom(seed);
  const latent = Int32Array.from({ length: participants }, () => Math.floor(random() * groups));
  // each group's chance to agree / disagree on each statement; a fifth of statements are agreed by all
  const agreeP = new Float64Array(groups * statements);
  for (let s = 0; s < statements; s++) {
    const common = random() < 0.2;
    for (let g = 0; g < groups; g++) agreeP[g * statements + s] = common ? 0.85 : random() < 0.5 ? 0.8 : 0.15;
  }
  const participant = new Int32Array(votes);
  const statement = new Int32Array(votes);
  const value = new Int8Array(votes);
  const perParticipant = Math.floor(votes / participants);
  const deck = Int32Array.from({ length: statements }, (_, i) => i);
  let k = 0;
  for (let p = 0; p < participants && k < votes; p++) {
    // each participant votes on statements drawn at random (routing spreads votes evenly), some more, some less
    const n = Math.min(statements, Math.max(1, Math.round(perParticipant * (0.5 + random()))), votes - k);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(random() * (statements - i));
      const s = deck[j];
      deck[j] = deck[i];
      deck[i] = s;
      const r = random();
      const pa = agreeP[latent[p] * statements + s];
      participant[k] = p;
      statement[k] = s;
      value[k] = r < 0.1 ? 0 : r < 0.1 + 0.9 * pa ? 1 : -1;
      k++;
    }
  }
  return { latent, votes: { participant: participant.subarray(0, k), statement: statement.subarray(0, k), value: value.subarray(0, k) }, count: k };
}

export async function benchDialogueAnalysis(): Promise<Figure[]> {
  const bench = 'dialogue analysis';
  const { latent, votes, count } = syntheticVotes();
  console.log(`\n## ${bench}: ${PARTICIPANTS.toLocaleString('en')} participants, ${STATEMENTS.toLocaleString('en')} statements, ${count.toLocaleString('en')} votes, ${GROUPS} latent groups`);
  const input = { participantCount: PARTICIPANTS, statementCount: STATEMENTS, votes, excludedStatements: [0, 1, 2] };
  // one warm-up run (JIT), then the median of three
  analyzeOpinions(input);
  (globalThis as { gc?: () => void }).gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let peakRss = 0;
  const times: number[] = [];
  let result = analyzeOpinions(input);
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    result = analyzeOpinions(input);
    times.push(performance.now() - t0);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const heapAfter = process.memoryUsage().heapUsed;
  times.sort((a, b) => a - b);
  const median = times[1];
  const ari = adjustedRandIndex(
    result.participants.filter((p) => p.group >= 0).map((p) => p.group),
    result.participants.filter((p) => p.group >= 0).map((p) => latent[p.participant]),
  );
  console.log(`  runs: ${times.map((t) => ms(t)).join(', ')}; groups found ${result.groups.length} (sizes ${result.groups.map((g) => g.members.length).join('/')}), ARI against the latent groups ${ari.toFixed(3)}`);
  console.log(`  PCA power-iteration steps ${result.pca.iterations.join(' + ')}; bridging statements ${result.classification.filter((c) => c.kind === 'bridging').length}, divisive ${result.classification.filter((c) => c.kind === 'divisive').length}`);
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
  return [
    { bench, metric: 'full analysis, 10k × 2k, 1M votes (median of 3)', value: ms(median), target: `<= ${TARGET_MS} ms`, met: median <= TARGET_MS },
    { bench, metric: 'groups found / latent (ARI)', value: `${result.groups.length} / ${GROUPS} (${ari.toFixed(2)})` },
    { bench, metric: 'process RSS, peak', value: mb(peakRss) },
    { bench, metric: 'heap kept after the runs', value: mb(Math.max(0, heapAfter - heapBefore)) },
  ];
}

export const run = benchDialogueAnalysis;

if (isMain(import.meta.url)) printFigures(await benchDialogueAnalysis());
