import path from 'node:path';
import { replayInclusion } from '/work/wt/polis-replay/src/server/features/dialogues/math/inclusion.ts';
import { parsePolisExport, polisOpinionInput } from '/work/wt/polis-replay/src/server/features/dialogues/polis-format.ts';
import { POLIS_FIXTURES, readFolder } from '/work/wt/polis-replay/tests/setup/polis-fixtures.ts';
const f = process.argv[2]!;
const files = readFolder(path.join(POLIS_FIXTURES, f));
const ex = await parsePolisExport(files);
const { input, participantIds, history, comments } = polisOpinionInput(ex);
const inc = new Set(replayInclusion(input.participantCount, history).map((i) => participantIds[i]));
const authored = new Map<string, number>();
for (const c of comments) authored.set(c.authorSourceId, (authored.get(c.authorSourceId) ?? 0) + 1);
for (const p of ex.participants ?? []) if (p.groupId !== null && !inc.has(p.sourceId)) {
  const hv = ex.history.filter((v) => v.participantSourceId === p.sourceId);
  console.log(p.sourceId, 'group', p.groupId, 'final votes', p.votes.length, 'history votes', hv.length, 'authored', authored.get(p.sourceId) ?? 0, 'first vote at', hv[0]?.at, 'nvotes col', (p as any).nVotes);
}
const t0 = ex.history[0]!.at; console.log('first vote', t0, 'comments created', comments.slice(0, 10).map((c) => c.createdAt - t0));
