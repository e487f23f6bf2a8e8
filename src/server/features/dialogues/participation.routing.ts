import { createHash } from 'node:crypto';
import { seededRandom as mulberry32 } from './math/stats.ts';

/*
 * Which statement a participant votes on next (the routing rule; docs/participation.md says the same).
 *
 * Candidates are the statements this participant may see and has not voted on: in a question of an open
 * session that is joint or for their segment, not rejected (and in pre-moderation only accepted), not their own.
 *
 *  0. Readable first: if any candidate is readable (written in the reader's page language, or translated into
 *     it), the pick is among the readable ones only, by the rules below. Untranslated statements are not
 *     starved: once the readable ones are voted on they are offered too (by the same rules, marked "not yet
 *     translated" on the card), and a translation arriving later makes them readable.
 *  1. Seeds first while they are young: if any candidate is a seed statement with fewer than SEED_FIRST_BELOW
 *     votes, the pick is among those seeds only. Seeds start the conversation before participants have written.
 *  2. Otherwise mix authors from all segments: group the candidates by their author's segment (seeds and
 *     authors without a segment form one more group) and take the group this participant has seen least so far
 *     (fewest votes cast on that group's statements). Ties go to the group with fewer votes in total.
 *  3. Within the chosen pool, draw at random with weight 1 / (1 + votes the statement has): statements with
 *     few votes come up more often, so every statement gathers enough votes to be analysed, but none is starved.
 *
 * The draw is deterministic given a seed string; the service seeds it with the participant id and the number
 * of votes they have cast, so reloading the page shows the same statement and tests can assert the outcome.
 */

export const SEED_FIRST_BELOW = 10;

export type RoutingCandidate = {
  id: string;
  /** the author's segment; null for seeds and authors without one */
  segmentId: string | null;
  seed: boolean;
  /** votes the statement has from everyone */
  votes: number;
  /** written in the reader's language or translated into it (absent: readable) */
  readable?: boolean;
};

/** Votes this participant cast per author segment (key: segment id, or '' for seeds / no segment). */
export type SeenBySegment = ReadonlyMap<string, number>;

export const groupKey = (c: { segmentId: string | null }) => c.segmentId ?? '';

export function pickNextStatement(candidates: readonly RoutingCandidate[], seen: SeenBySegment, seed: string): string | null {
  if (candidates.length === 0) return null;
  const readable = candidates.filter((c) => c.readable !== false);
  const pool = readable.length > 0 ? readable : candidates;
  const sorted = [...pool].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const random = seededRandom(seed);

  const youngSeeds = sorted.filter((c) => c.seed && c.votes < SEED_FIRST_BELOW);
  if (youngSeeds.length) return weightedPick(youngSeeds, random);

  const groups = new Map<string, RoutingCandidate[]>();
  for (const c of sorted) {
    const k = groupKey(c);
    const list = groups.get(k) ?? [];
    list.push(c);
    groups.set(k, list);
  }
  let best: { key: string; seen: number; votes: number } | null = null;
  for (const [key, list] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const s = seen.get(key) ?? 0;
    const v = list.reduce((sum, c) => sum + c.votes, 0);
    if (!best || s < best.seen || (s === best.seen && v < best.votes)) best = { key, seen: s, votes: v };
  }
  return weightedPick(groups.get(best!.key)!, random);
}

function weightedPick(pool: readonly RoutingCandidate[], random: () => number): string {
  const weights = pool.map((c) => 1 / (1 + Math.max(0, c.votes)));
  const total = weights.reduce((a, b) => a + b, 0);
  let r = random() * total;
  for (let i = 0; i < pool.length; i++) {
    r -= weights[i]!;
    if (r < 0) return pool[i]!.id;
  }
  return pool[pool.length - 1]!.id;
}

/** math/stats.ts's mulberry32, seeded from SHA-256 of the seed string: a small, well-mixed, reproducible generator. */
export function seededRandom(seed: string): () => number {
  return mulberry32(createHash('sha256').update(seed).digest().readUInt32LE(0));
}

/**
 * Two statements for "which of these two do you prefer?": from one question, among those the participant
 * has voted on (agreed ones first, so the choice is between things they hold), never their own. Deterministic
 * given the seed. Null when no question has two.
 */
export function pickPair(
  voted: readonly { id: string; questionId: string; value: number }[],
  seed: string,
): { questionId: string; a: string; b: string } | null {
  const byQuestion = new Map<string, { id: string; value: number }[]>();
  for (const v of [...voted].sort((x, y) => (x.id < y.id ? -1 : 1))) {
    const list = byQuestion.get(v.questionId) ?? [];
    list.push(v);
    byQuestion.set(v.questionId, list);
  }
  const random = seededRandom(seed);
  const questions = [...byQuestion.keys()].sort().filter((q) => byQuestion.get(q)!.length >= 2);
  if (questions.length === 0) return null;
  const questionId = questions[Math.floor(random() * questions.length)]!;
  const list = byQuestion.get(questionId)!;
  const agreed = list.filter((v) => v.value === 1);
  const pool = agreed.length >= 2 ? agreed : list;
  const i = Math.floor(random() * pool.length);
  let j = Math.floor(random() * (pool.length - 1));
  if (j >= i) j++;
  return { questionId, a: pool[i]!.id, b: pool[j]!.id };
}
