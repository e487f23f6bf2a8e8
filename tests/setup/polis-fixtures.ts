// Pol.is export folders for tests and bench/polis-fidelity.ts: reading one (files that are there), the same files
// with their rows shuffled, and how close Convene's groups computed from them come to Pol.is's own.
import fs from 'node:fs';
import path from 'node:path';
import { analyzeOpinions } from '../../src/server/features/dialogues/math/opinion-groups.ts';
import { replayInclusion } from '../../src/server/features/dialogues/math/inclusion.ts';
import { adjustedRandIndex, seededRandom } from '../../src/server/features/dialogues/math/stats.ts';
import { polisReplay, replayedPrevious } from '../../src/server/features/dialogues/polis-replay.ts';
import { detectMissingVotes, polisMathOptions, polisOpinionInput, type PolisExport, type PolisFiles, type PolisInclusion } from '../../src/server/features/dialogues/polis-format.ts';

export const POLIS_FIXTURES = path.resolve(import.meta.dirname, '../fixtures/polis');
export const POLIS_CONVERSATIONS = fs.readdirSync(POLIS_FIXTURES).filter((f) => fs.existsSync(path.join(POLIS_FIXTURES, f, 'comments.csv'))).sort();

export function readFolder(folder: string, withSummary = true): PolisFiles {
  const opt = (f: string) => (fs.existsSync(path.join(folder, f)) ? fs.readFileSync(path.join(folder, f), 'utf8') : undefined);
  return { comments: opt('comments.csv')!, votes: opt('votes.csv'), participantsVotes: opt('participants-votes.csv'), summary: withSummary ? opt('summary.csv') : undefined };
}

/** The same file with its data rows in another order (the header stays first). Multi-line cells are kept whole. */
export function shuffleRows(text: string | undefined, seed: number): string | undefined {
  if (text === undefined) return undefined;
  // split into records at newlines outside quotes
  const records: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\n' && !quoted) {
      records.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < text.length) records.push(text.slice(start) + '\n');
  const [header, ...rows] = records;
  const random = seededRandom(seed);
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
  return [header, ...rows].join('');
}

export type Fidelity = { replayUpdates: number | null; missingVotes: 'mean' | 'zero'; countsEqual: boolean; groups: number; polisGroups: number | null; ari: number; clustered: number; polisClustered: number; groupsOf: Map<string, number> };

export function fidelity(ex: PolisExport, reference: PolisExport, inclusion: PolisInclusion): Fidelity {
  const { input, participantIds, comments, history } = polisOpinionInput(ex);
  const included = inclusion === 'history' ? replayInclusion(input.participantCount, history) : undefined;
  // the Pol.is math the export shows (as the import detects it: polis-format.ts detectMissingVotes)
  const missingVotes = detectMissingVotes(ex, inclusion);
  // as the import does: an export that shows its history is replayed (polis-replay.ts), and the analysis continues
  // from the replay's last state with Pol.is's single warm-started k-means per k
  const replay = polisReplay(ex, inclusion, missingVotes);
  const previous = replay ? replayedPrevious(replay.run, included) : included ? { included } : undefined;
  const a = analyzeOpinions(input, { ...polisMathOptions(missingVotes), ...(replay ? { groupRestarts: 0 } : {}), previous });
  const groupsOf = new Map<string, number>();
  for (const g of a.groups) for (const m of g.members) groupsOf.set(participantIds[m]!, g.id);
  // counts against participants-votes.csv
  const cells = new Map<string, [number, number, number]>();
  for (const p of reference.participants ?? []) for (const v of p.votes) {
    const t = cells.get(v.statementSourceId) ?? [0, 0, 0];
    t[v.value === 1 ? 0 : v.value === -1 ? 1 : 2]++;
    cells.set(v.statementSourceId, t);
  }
  const countsEqual = comments.every((c, i) => {
    const t = cells.get(c.sourceId) ?? [0, 0, 0];
    const s = a.statements[i]!;
    return s.agree === t[0] && s.disagree === t[1] && s.pass === t[2];
  });
  const clustered = (reference.participants ?? []).filter((p) => p.groupId !== null);
  const ari = adjustedRandIndex(clustered.map((p) => p.groupId), clustered.map((p) => groupsOf.get(p.sourceId) ?? -1));
  return { replayUpdates: replay?.updates ?? null, missingVotes, countsEqual, groups: a.groups.length, polisGroups: reference.groupCount ?? null, ari, clustered: a.included.length, polisClustered: clustered.length, groupsOf };
}

