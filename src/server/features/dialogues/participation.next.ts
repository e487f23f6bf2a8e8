import { and, count, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { dialogueStatement, dialoguePairwise, dialoguePollAnswer, dialogueTranslation, dialogueVote } from './dialogues.schema.ts';
import type { Next, NextItem, PollView, StatementView } from './participation.contract.ts';
import type { Participant } from './participation.identity.ts';
import { localized, mayVoteOn, openQuestions, statementMeta, visibleStatuses, type InviteContext, type QuestionRow } from './participation.invites.ts';
import { groupKey, pickNextStatement, pickPair } from './participation.routing.ts';
import type { ParticipationRuntime } from './participation.runtime.ts';
import { translationsOf } from './translations.service.ts';

// What a participant sees next: the open polls, statements to vote on by the routing rule, pairs to compare.

/** A pair is offered after every PAIR_EVERY votes, at most MAX_PAIRS times. */
export const PAIR_EVERY = 5;
export const MAX_PAIRS = 10;

/** Statements as a reader sees them: the original, and the translation into their language when there is one. */
export async function statementViews(db: Db, ids: string[], lang: string): Promise<Map<string, StatementView>> {
  if (ids.length === 0) return new Map();
  const [list, translations] = await Promise.all([
    db
      .select({ id: dialogueStatement.id, questionId: dialogueStatement.questionId, body: dialogueStatement.body, language: dialogueStatement.language })
      .from(dialogueStatement)
      .where(inArray(dialogueStatement.id, ids)),
    translationsOf(db, ids),
  ]);
  return new Map(
    list.map((s) => {
      const t = s.language === lang ? undefined : translations.get(s.id)?.find((x) => x.language === lang);
      return [s.id, { id: s.id, questionId: s.questionId, original: { body: s.body, language: s.language }, translation: t ? { body: t.body, language: t.language, source: t.source } : null }];
    }),
  );
}

export function pollView(ctx: InviteContext, q: QuestionRow, lang: string): PollView {
  const order = ctx.dialogue.languages;
  return {
    id: q.id,
    prompt: localized(q.prompt, lang, order),
    mode: (q.pollMode ?? 'single') as PollView['mode'],
    options: q.options.map((o) => ({ id: o.id, label: localized(o.label, lang, order) })),
    scaleMin: q.pollMode === 'scale' ? (q.scaleMin ?? 1) : null,
    scaleMax: q.pollMode === 'scale' ? (q.scaleMax ?? 5) : null,
  };
}

/**
 * The next thing for this participant: the open polls first (in session and question order), then statements
 * to vote on by the routing rule (participation.routing.ts; those the reader can read in `lang` first), with a "which do you prefer?" pair after every
 * PAIR_EVERY votes when the dialogue has pairwise on; 'done' when nothing is left.
 */
export async function nextFor(db: Db, rt: ParticipationRuntime, ctx: InviteContext, p: Participant, lang: string, now = new Date()): Promise<Next> {
  const order = ctx.dialogue.languages;
  const open = openQuestions(ctx, p.segmentId, now);
  const openIds = open.filter((q) => q.kind === 'open').map((q) => q.id);
  const polls = open.filter((q) => q.kind === 'poll');
  const statuses = visibleStatuses(ctx.dialogue.moderation);

  const [candidates, mine, answered, [pairs], counts] = await Promise.all([
    openIds.length
      ? db
          .select({
            id: dialogueStatement.id,
            questionId: dialogueStatement.questionId,
            segmentId: dialogueStatement.segmentId,
            seed: dialogueStatement.seed,
            participantId: dialogueStatement.participantId,
            language: dialogueStatement.language,
            translated: dialogueTranslation.statementId,
          })
          .from(dialogueStatement)
          // the translation into the reader's language, if any: statements the reader can read come first
          .leftJoin(dialogueTranslation, and(eq(dialogueTranslation.statementId, dialogueStatement.id), eq(dialogueTranslation.language, lang)))
          .where(and(inArray(dialogueStatement.questionId, openIds), inArray(dialogueStatement.status, statuses)))
      : Promise.resolve([]),
    db
      .select({ statementId: dialogueVote.statementId, value: dialogueVote.value, segmentId: dialogueStatement.segmentId })
      .from(dialogueVote)
      .innerJoin(dialogueStatement, eq(dialogueStatement.id, dialogueVote.statementId))
      .where(eq(dialogueVote.participantId, p.id)),
    polls.length ? db.select({ questionId: dialoguePollAnswer.questionId }).from(dialoguePollAnswer).where(eq(dialoguePollAnswer.participantId, p.id)) : Promise.resolve([]),
    db.select({ n: count() }).from(dialoguePairwise).where(eq(dialoguePairwise.participantId, p.id)),
    rt.voteCounts(ctx.dialogue.id),
  ]);

  const myVote = new Map(mine.map((v) => [v.statementId, v.value]));
  const seen = new Map<string, number>();
  for (const v of mine) seen.set(groupKey(v), (seen.get(groupKey(v)) ?? 0) + 1);
  const visible = candidates.filter((c) => c.participantId !== p.id);
  const votedVisible = visible.filter((c) => myVote.has(c.id));
  const answeredSet = new Set(answered.map((a) => a.questionId));
  const progress = { done: votedVisible.length + polls.filter((q) => answeredSet.has(q.id)).length, total: visible.length + polls.length };
  const writable = open.filter((q) => q.kind === 'open').map((q) => ({ id: q.id, prompt: localized(q.prompt, lang, order) }));
  const base = { progress, writable, moderation: ctx.dialogue.moderation as 'pre' | 'post' };
  const promptOf = (questionId: string) => localized(ctx.questions.find((q) => q.id === questionId)?.prompt ?? {}, lang, order);

  const poll = polls.find((q) => !answeredSet.has(q.id));
  if (poll) return { ...base, item: { kind: 'poll', poll: pollView(ctx, poll, lang) } };

  const pairsDone = Number(pairs?.n ?? 0);
  if (ctx.dialogue.pairwise && pairsDone < MAX_PAIRS && votedVisible.length >= PAIR_EVERY * (pairsDone + 1)) {
    const pair = pickPair(
      votedVisible.map((c) => ({ id: c.id, questionId: c.questionId, value: myVote.get(c.id)! })),
      `${p.id}:pair:${pairsDone}`,
    );
    if (pair) {
      const views = await statementViews(db, [pair.a, pair.b], lang);
      const item: NextItem = { kind: 'pairwise', questionId: pair.questionId, prompt: promptOf(pair.questionId), a: views.get(pair.a)!, b: views.get(pair.b)! };
      return { ...base, item };
    }
  }

  const nextId = pickNextStatement(
    visible
      .filter((c) => !myVote.has(c.id))
      .map((c) => ({ id: c.id, segmentId: c.segmentId, seed: c.seed, votes: counts.get(c.id) ?? 0, readable: c.language === lang || c.translated !== null })),
    seen,
    `${p.id}:${mine.length}`,
  );
  if (nextId) {
    const view = (await statementViews(db, [nextId], lang)).get(nextId)!;
    return { ...base, item: { kind: 'statement', prompt: promptOf(view.questionId), statement: view } };
  }
  return { ...base, item: { kind: 'done' } };
}

/** One statement the participant may vote on (for a page showing a given card, e.g. after "show original"). */
export async function visibleStatement(db: Db, ctx: InviteContext, p: Participant, statementId: string, lang: string): Promise<{ prompt: string; statement: StatementView } | null> {
  const meta = await statementMeta(db, statementId);
  if (!meta || !mayVoteOn(ctx, p, meta)) return null;
  const view = (await statementViews(db, [statementId], lang)).get(statementId)!;
  const q = ctx.questions.find((x) => x.id === view.questionId)!;
  return { prompt: localized(q.prompt, lang, ctx.dialogue.languages), statement: view };
}
