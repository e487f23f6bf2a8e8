import { comparePolisGroups } from './polis-comparison.ts';
import { asc, eq, sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { isUuid } from '../../core/errors.ts';
import type { DialogueAnalysis, StatementAnalysis, Tally } from './analysis.contract.ts';
import { dialogue, dialogueSegment, type PolisAnalysisState, type StoredRun } from './dialogues.schema.ts';
import { researchReader } from '../../access/research.ts';
import { requireDialogue } from './dialogues.service.ts';
import { CLASSIFY_DEFAULTS, classifyStatements, segmentConsensus } from './math/consensus.ts';
import { analyzeOpinions, nextRun, type OpinionAnalysis, type OpinionOptions, type PreviousRun } from './math/opinion-groups.ts';
import { polisMathOptions } from './polis-format.ts';
import { replayedPrevious } from './polis-replay.ts';
import { wilsonInterval } from './math/stats.ts';
import { translationsOf } from './translations.service.ts';

/** The most map points sent to a browser (sampled evenly over the clustered participants). */
const MAP_POINTS = 3000;
/** While a session runs, an analysis this young is served as it is ("refreshed within seconds"). */
const FRESH_MS = 2000;

export const BRIDGING_RULE =
  `A statement bridges when it is agreed in every opinion group and in every segment: in each of them (with at least one vote) agreement is the likelier outcome ((agree + 1) / (votes + 2) > 0.5) and the 95% Wilson interval of its agree rate lies above ${CLASSIFY_DEFAULTS.bridgingLowerBound}. Most bridging first: by the product of the two consensus figures.`;
export const DIVISIVE_RULE =
  `A statement divides when, among the opinion groups or among the segments, the highest and the lowest agree rates differ by at least ${CLASSIFY_DEFAULTS.divisiveSpread} and their 95% Wilson intervals do not overlap. Most divisive first: by that difference.`;

/** The votes of a dialogue as the math wants them: participants and statements numbered from 0. */
export type DialogueVotes = {
  statements: { id: string; questionId: string; sourceId: string | null; body: string; language: string; seed: boolean; segmentId: string | null; status: string }[];
  /** polisGroup: the group Pol.is put an imported participant in, for the comparison only (polis-comparison.ts) */
  participants: { id: string; segmentId: string | null; sourceId: string | null; polisGroup?: number | null }[];
  votes: { participant: Int32Array; statement: Int32Array; value: Int8Array };
};

/**
 * Reads the votes in one consistent snapshot, compactly: the database numbers statements and participants in
 * (created_at, id) order and sends every vote as "participant statement value" in one string, sorted by participant
 * and statement, so a million votes cross the wire as a few megabytes of digits rather than a million rows or their
 * uuids as text, and the same votes give the math the same input however their rows lie on disk. Rejected statements
 * come too (Pol.is keeps moderated-out comments in the matrix, zeroed out of the map, and counts their votes towards
 * who is clustered); the analysis leaves them out of what it shows.
 */
export async function loadDialogueVotes(db: Db, dialogueId: string, questionId?: string): Promise<DialogueVotes> {
  return db.transaction(
    async (tx) => {
      const q = questionId ? sql`AND question_id = ${questionId}` : sql``;
      const statements = await rows<{ id: string; question_id: string; source_id: string | null; body: string; language: string; seed: boolean; segment_id: string | null; status: string }>(
        tx,
        sql`SELECT id, question_id, source_id, body, language, seed, segment_id, status FROM dialogue_statement
            WHERE dialogue_id = ${dialogueId} ${q} ORDER BY created_at, id`,
      );
      const participants = await rows<{ id: string; segment_id: string | null; source_id: string | null; polis_group: number | null }>(
        tx,
        sql`SELECT id, segment_id, source_id, polis_group FROM dialogue_participant WHERE dialogue_id = ${dialogueId} ORDER BY created_at, id`,
      );
      // (the planner must not loop over one side per row of the other: the embedded database has statistics only
      // once its maintenance job ran, and a nested loop over unanalysed tables takes seconds; a hash join does not)
      await tx.execute(sql`SET LOCAL enable_nestloop = off`);
      const [packed] = await rows<{ v: string | null }>(
        tx,
        sql`WITH s AS MATERIALIZED (SELECT id, (row_number() OVER (ORDER BY created_at, id) - 1)::int AS i
                                      FROM dialogue_statement WHERE dialogue_id = ${dialogueId} ${q}),
                 p AS MATERIALIZED (SELECT id, (row_number() OVER (ORDER BY created_at, id) - 1)::int AS i
                                      FROM dialogue_participant WHERE dialogue_id = ${dialogueId})
            SELECT string_agg(p.i::text || ' ' || s.i::text || ' ' || v.value::text, ' ' ORDER BY p.i, s.i) AS v
              FROM dialogue_vote v JOIN s ON s.id = v.statement_id JOIN p ON p.id = v.participant_id
             WHERE v.dialogue_id = ${dialogueId}`,
      );
      const votes = parseVoteTriples(packed?.v ?? '');
      return {
        statements: statements.map((r) => ({
          id: r.id,
          questionId: r.question_id,
          sourceId: r.source_id,
          body: r.body,
          language: r.language,
          seed: r.seed,
          segmentId: r.segment_id,
          status: r.status,
        })),
        participants: participants.map((r) => ({ id: r.id, segmentId: r.segment_id, sourceId: r.source_id, polisGroup: r.polis_group })),
        votes,
      };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/** "p s v p s v …" (participant and statement numbers, the value 1, -1 or 0) as three typed arrays. */
export function parseVoteTriples(text: string): DialogueVotes['votes'] {
  let fields = text.length ? 1 : 0;
  for (let at = 0; at < text.length; at++) if (text.charCodeAt(at) === 32) fields++;
  if (fields % 3) throw new Error('the packed votes are not triples');
  const n = fields / 3;
  const out = [new Int32Array(n), new Int32Array(n), new Int32Array(n)];
  let at = 0;
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < 3; f++) {
      let sign = 1;
      let x = 0;
      if (text.charCodeAt(at) === 45 /* - */) {
        sign = -1;
        at++;
      }
      for (let c = text.charCodeAt(at); c >= 48 && c <= 57; c = text.charCodeAt(++at)) x = x * 10 + (c - 48);
      out[f]![i] = sign * x;
      at++; // the space
    }
  }
  return { participant: out[0]!, statement: out[1]!, value: Int8Array.from(out[2]!) };
}

function tally(agree: number, disagree: number, pass: number): Tally {
  const votes = agree + disagree + pass;
  if (votes === 0)
    return { agree, disagree, pass, votes, agreeRate: null, agreeLow: null, agreeHigh: null, disagreeRate: null, disagreeLow: null, disagreeHigh: null, passRate: null };
  const a = wilsonInterval(agree, votes);
  const d = wilsonInterval(disagree, votes);
  return {
    agree,
    disagree,
    pass,
    votes,
    agreeRate: agree / votes,
    agreeLow: a.low,
    agreeHigh: a.high,
    disagreeRate: disagree / votes,
    disagreeLow: d.low,
    disagreeHigh: d.high,
    passRate: pass / votes,
  };
}

type Counts = { agree: Int32Array; disagree: Int32Array; pass: Int32Array };
const newCounts = (n: number): Counts => ({ agree: new Int32Array(n), disagree: new Int32Array(n), pass: new Int32Array(n) });

/** When opinion groups are shown: this many participants clustered, every group at least this big. */
export const GROUPS_SHOWN = { minClustered: 10, minGroupSize: 3 } as const;

/** The whole analysis of a set of votes: pure computation, no database (the CLI and the bench call it too). */
export function computeAnalysis(
  data: DialogueVotes,
  segments: { id: string; key: string; name: Record<string, string> }[],
  previous?: PreviousRun,
  /** how an imported Pol.is conversation's math differs from today's (importedOptions) */
  mathOptions: Pick<OpinionOptions, 'pca' | 'missingVotes' | 'groupRestarts'> = {},
): {
  analysis: Omit<DialogueAnalysis, 'dialogueId' | 'questionId' | 'computedAt' | 'statements'> & { statements: Omit<StatementAnalysis, 'translations'>[] };
  /** every statement, rejected ones too (for the command line and exports) */
  all: (Omit<StatementAnalysis, 'translations' | 'status'> & { status: string })[];
  opinions: OpinionAnalysis;
} {
  const S = data.statements.length;
  const P = data.participants.length;
  const rejected = data.statements.flatMap((st, i) => (st.status === 'rejected' ? [i] : []));
  const excluded = new Uint8Array(S);
  for (const i of rejected) excluded[i] = 1;
  const opinions = analyzeOpinions({ participantCount: P, statementCount: S, votes: data.votes, excludedStatements: rejected }, { ...mathOptions, previous });

  // per segment counts, and who voted at all
  const segIndex = new Map(segments.map((s, i) => [s.id, i]));
  const bySeg = segments.map(() => newCounts(S));
  const overall = newCounts(S);
  const voted = new Uint8Array(P);
  const segVoters = new Int32Array(segments.length);
  const { participant, statement, value } = data.votes;
  // the latest vote of a pair stands: the matrix the math built holds exactly one per pair, so count from it
  // one bit per (participant, statement) pair: a set of numbers would cost more than the counting itself
  const seenPair = new Uint32Array(Math.ceil((P * S) / 32));
  let pairs = 0;
  for (let i = participant.length - 1; i >= 0; i--) {
    const p = participant[i]!;
    const s = statement[i]!;
    const key = p * S + s;
    const bit = 1 << (key & 31);
    if (seenPair[key >>> 5]! & bit) continue;
    seenPair[key >>> 5]! |= bit;
    pairs++;
    const v = value[i]!;
    const target = v === 1 ? 'agree' : v === -1 ? 'disagree' : 'pass';
    overall[target][s]!++;
    const si = segIndex.get(data.participants[p]!.segmentId ?? '');
    if (si !== undefined) bySeg[si]![target][s]!++;
    if (!voted[p]) {
      voted[p] = 1;
      if (si !== undefined) segVoters[si]!++;
    }
  }

  // opinion groups are shown once they mean something (as Pol.is holds them back): enough participants clustered,
  // and every group big enough that its figures are not one person's votes. Until then no group is shown anywhere
  // (cards, map colours, per-group bars, group consensus): the run itself is kept, so groups stay stable once shown.
  const groupsHeldBack: 'fewParticipants' | 'smallGroup' | null =
    opinions.included.length < GROUPS_SHOWN.minClustered || opinions.groups.length < 2
      ? 'fewParticipants'
      : opinions.groups.some((g) => g.members.length < GROUPS_SHOWN.minGroupSize)
        ? 'smallGroup'
        : null;
  const shownGroups = groupsHeldBack ? [] : opinions.groups;
  const groupCounts = groupsHeldBack ? [] : opinions.groupVotes;
  const groupClass = classifyStatements(groupCounts, S, {}, excluded);
  const segClass = classifyStatements(bySeg, S, {}, excluded);
  const segCons = segmentConsensus(bySeg, S);

  const all = data.statements.map((st, s) => {
    const g = groupClass[s]!;
    const sg = segClass[s]!;
    const bridging = groupCounts.length > 0 && segments.length > 0 ? g.kind === 'bridging' && sg.kind === 'bridging' : (groupCounts.length ? g : sg).kind === 'bridging';
    const divisive = !bridging && (g.kind === 'divisive' || sg.kind === 'divisive');
    const spreads = [g, sg].filter((c) => c.groups.filter(Boolean).length >= 2).map((c) => c.spread);
    return {
      id: st.id,
      questionId: st.questionId,
      sourceId: st.sourceId,
      body: st.body,
      language: st.language,
      seed: st.seed,
      segmentId: st.segmentId,
      status: st.status as 'pending' | 'accepted' | 'rejected',
      overall: tally(overall.agree[s]!, overall.disagree[s]!, overall.pass[s]!),
      bySegment: segments.map((seg, i) => ({ segmentId: seg.id, ...tally(bySeg[i]!.agree[s]!, bySeg[i]!.disagree[s]!, bySeg[i]!.pass[s]!) })),
      byGroup: groupCounts.map((gc, i) => ({ groupId: i, ...tally(gc.agree[s]!, gc.disagree[s]!, gc.pass[s]!) })),
      groupConsensus: groupCounts.length ? opinions.statements[s]!.consensus : null,
      segmentConsensus: segments.length ? segCons[s]! : null,
      bridging,
      divisive,
      divisiveness: spreads.length ? Math.max(...spreads) : null,
    };
  });
  const statements = all.filter((st) => st.status !== 'rejected').map((st) => ({ ...st, status: st.status as 'pending' | 'accepted' }));

  const placed = opinions.participants.filter((p) => p.included && p.group >= 0);
  const step = Math.max(1, Math.ceil(placed.length / MAP_POINTS));
  const map = placed
    .filter((_, i) => i % step === 0)
    .map((p) => ({ x: p.x, y: p.y, groupId: groupsHeldBack ? -1 : p.group, segmentId: data.participants[p.participant]!.segmentId }));

  const groups = shownGroups.map((g) => {
    const make = new Map<string | null, number>();
    for (const m of g.members) {
      const seg = data.participants[m]!.segmentId;
      make.set(seg, (make.get(seg) ?? 0) + 1);
    }
    return {
      id: g.id,
      participants: g.members.length,
      bySegment: [...make].map(([segmentId, n]) => ({ segmentId, participants: n })),
      centroid: g.center,
      // a statement sets a group apart by what its members did, not by what none of them did ('0% disagree')
      representative: (opinions.representative[g.id] ?? []).filter((r) => r.nSuccess > 0).map((r) => ({
        statementId: data.statements[r.statement]!.id,
        direction: r.repfulFor,
        ratio: r.repness,
        rate: r.nTrials ? r.nSuccess / r.nTrials : 0,
        z: r.repnessTest,
      })),
    };
  });

  // an imported conversation: Pol.is's groups beside these (once there are groups to show)
  const groupOfParticipant = new Int32Array(P).fill(-1);
  for (const g of shownGroups) for (const m of g.members) groupOfParticipant[m] = g.id;
  const polis = groupsHeldBack ? null : comparePolisGroups(data.participants, (i) => groupOfParticipant[i]!, shownGroups.map((g) => g.id));

  const score = (x: (typeof statements)[number]) => (x.groupConsensus ?? 1) * (x.segmentConsensus ?? 1);
  return {
    opinions,
    all,
    analysis: {
      voters: voted.reduce((a, b) => a + b, 0),
      clustered: opinions.included.length,
      votes: pairs,
      segments: segments.map((s, i) => ({ id: s.id, key: s.key, name: s.name, voters: segVoters[i]! })),
      statements,
      groups,
      groupsHeldBack,
      groupsShownFrom: { ...GROUPS_SHOWN },
      map,
      silhouette: opinions.silhouettes.map((x) => ({ k: x.k, value: x.silhouette })),
      bridging: statements.filter((x) => x.bridging).sort((a, b) => score(b) - score(a)).map((x) => x.id),
      divisive: statements.filter((x) => x.divisive).sort((a, b) => (b.divisiveness ?? 0) - (a.divisiveness ?? 0)).map((x) => x.id),
      bridgingRule: BRIDGING_RULE,
      divisiveRule: DIVISIVE_RULE,
      polis,
    },
  };
}

/**
 * What an imported Pol.is conversation's analysis starts from: for the 'history' inclusion rule, the participants
 * Pol.is's :in-conv kept (once in, stays in), by their Pol.is ids. Nothing else: the number of groups comes from
 * the votes (summary.csv is never read here, and an older import's stored kSmoother is ignored).
 */
export function importedPrevious(state: { polis?: PolisAnalysisState } | null | undefined, data: DialogueVotes): PreviousRun | undefined {
  const inConv = state?.polis?.inclusion === 'history' ? state.polis.inConv : undefined;
  const keep = new Set(inConv ?? []);
  const included = inConv?.length ? data.participants.flatMap((p, i) => (p.sourceId !== null && keep.has(p.sourceId) ? [i] : [])) : undefined;
  // the history replayed at the import (polis-replay.ts): its final state, as long as the votes are where it counted them
  const replay = state?.polis?.replay ? continueFrom(state.polis.replay.run, data) : undefined;
  if (replay) return replayedPrevious(replay, included);
  return included ? { included } : undefined;
}

/**
 * The math an imported Pol.is conversation's analysis follows: Pol.is's of the time its export shows (polis-format.ts
 * polisMathOptions), and, continuing a replayed history, Pol.is's single warm-started k-means per k.
 */
export function importedOptions(state: { polis?: PolisAnalysisState } | null | undefined): Pick<OpinionOptions, 'pca' | 'missingVotes' | 'groupRestarts'> {
  return { ...polisMathOptions(state?.polis?.missingVotes), ...(state?.polis?.replay ? { groupRestarts: 0 } : {}) };
}

export function storeRun(run: PreviousRun, data: DialogueVotes): StoredRun {
  return storeRunFitting(run, {
    participants: data.participants.length,
    lastParticipant: data.participants.at(-1)?.id ?? null,
    statements: data.statements.length,
    lastStatement: data.statements.at(-1)?.id ?? null,
  });
}

/** A run to store, with the votes it counted described by `fit` (how many participants and statements, and the last of each). */
export function storeRunFitting(run: PreviousRun, fit: StoredRun['fit']): StoredRun {
  const clusters = (cs: PreviousRun['baseClusters']) => (cs ?? []).map((c) => ({ id: c.id, members: [...c.members], center: [c.center[0], c.center[1]] as [number, number] }));
  return {
    fit,
    included: [...(run.included ?? [])],
    kSmoother: run.kSmoother!,
    pcaComponents: (run.pcaComponents ?? []).map((c) => Array.from(c)),
    baseClusters: clusters(run.baseClusters),
    groupClusterings: (run.groupClusterings ?? []).map((g) => ({ k: g.k, clusters: clusters(g.clusters) })),
  };
}

/** The stored run to continue from, when the votes it counted are still where it counted them. */
export function continueFrom(stored: StoredRun | undefined, data: DialogueVotes): PreviousRun | undefined {
  if (!stored) return undefined;
  const { fit } = stored;
  const same =
    data.participants.length >= fit.participants &&
    data.statements.length >= fit.statements &&
    (fit.participants === 0 || data.participants[fit.participants - 1]?.id === fit.lastParticipant) &&
    (fit.statements === 0 || data.statements[fit.statements - 1]?.id === fit.lastStatement);
  if (!same) return { kSmoother: stored.kSmoother };
  return { included: stored.included, kSmoother: stored.kSmoother, pcaComponents: stored.pcaComponents, baseClusters: stored.baseClusters, groupClusterings: stored.groupClusterings };
}

type CacheEntry = { at: number; result: Promise<DialogueAnalysis> };
/**
 * Per dialogue (and question), on this server: the latest analysis, at most FRESH_MS old, so that readers polling
 * together share one computation. What the next run continues from is in the database (StoredRun), not here.
 */
const cache = new Map<string, CacheEntry>();

export function forgetAnalysis(dialogueId: string) {
  for (const key of cache.keys()) if (key.startsWith(dialogueId)) cache.delete(key);
}

/**
 * The analysis of a dialogue (or one open question of it). Recomputed when older than a couple of seconds,
 * one computation at a time per dialogue on a server; callers in between share the running one. Every server
 * continues from the run stored last, whichever server made it, so all of them show the same groups.
 */
export async function getAnalysis(db: Db, ctx: RequestContext, dialogueId: string, questionId?: string): Promise<DialogueAnalysis> {
  researchReader(ctx);
  const d = await requireDialogue(db, dialogueId);
  if (questionId !== undefined && !isUuid(questionId))
    throw new AppError('invalid', 'invalid_question', 'Not a question of this dialogue.', [{ field: 'query.questionId', detail: 'Not a question of this dialogue' }]);
  const key = `${d.id}:${questionId ?? ''}`;
  const runKey = questionId ?? 'all';
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < FRESH_MS) return hit.result;
  const entry: CacheEntry = { at: Date.now(), result: Promise.resolve(null as never) };
  entry.result = (async () => {
    // wait for a computation still running, so that two never run side by side
    if (hit) await hit.result.catch(() => undefined);
    // the dialogue again: another server may have stored a run since
    const [state] = await db.select({ analysisState: dialogue.analysisState }).from(dialogue).where(eq(dialogue.id, d.id));
    const analysisState = state?.analysisState ?? d.analysisState;
    const [segments, data] = [
      await db.select().from(dialogueSegment).where(eq(dialogueSegment.dialogueId, d.id)).orderBy(asc(dialogueSegment.position), asc(dialogueSegment.key)),
      await loadDialogueVotes(db, d.id, questionId),
    ];
    const imported = importedPrevious(analysisState, data);
    const continued = continueFrom(analysisState.runs?.[runKey], data);
    const previous = continued ? { ...continued, included: [...(continued.included ?? []), ...(imported?.included ?? [])] } : imported;
    const { analysis, opinions } = computeAnalysis(
      data,
      segments.map((s) => ({ id: s.id, key: s.key, name: s.name as Record<string, string> })),
      previous,
      importedOptions(analysisState),
    );
    // not a user's write (nothing to audit): the state the next analysis continues from, on any server, after a restart
    const run = storeRun(nextRun(opinions), data);
    await db
      .update(dialogue)
      .set({
        analysisState: sql`${dialogue.analysisState} || jsonb_build_object('runs', coalesce(${dialogue.analysisState} -> 'runs', '{}'::jsonb) || jsonb_build_object(${runKey}::text, ${JSON.stringify(run)}::jsonb))`,
      })
      .where(eq(dialogue.id, d.id));
    const translations = await translationsOf(db, analysis.statements.map((s) => s.id));
    return {
      dialogueId: d.id,
      questionId: questionId ?? null,
      computedAt: new Date().toISOString(),
      ...analysis,
      statements: analysis.statements.map((s) => ({ ...s, status: s.status as 'pending' | 'accepted', translations: Object.fromEntries((translations.get(s.id) ?? []).map((t) => [t.language, t.body])) })),
    };
  })();
  cache.set(key, entry);
  entry.result.catch(() => cache.delete(key));
  return entry.result;
}
