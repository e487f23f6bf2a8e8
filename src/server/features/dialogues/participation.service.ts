import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rows } from '../../db/client.ts';
import { AppError } from '../../http/problem.ts';
import { detectLanguage } from '../../ai/language.ts';
import { sessionIsOpen } from './dialogues.service.ts';
import type { DialogueLanguage } from './dialogues.contract.ts';
import {
  dialogue,
  dialogueInvite,
  dialoguePairwise,
  dialogueParticipant,
  dialoguePollAnswer,
  dialogueQuestion,
  dialogueSegment,
  dialogueSession,
  dialogueStatement,
  dialogueVote,
  type LocalizedText,
} from './dialogues.schema.ts';
import type {
  JoinInput,
  Next,
  NextItem,
  PairwiseInput,
  PollAnswerInput,
  PollView,
  Results,
  StatementView,
  VoteInput,
  WriteStatementInput,
} from './participation.contract.ts';
import { ParticipationLimits } from './participation.limits.ts';
import { groupKey, pickNextStatement, pickPair } from './participation.routing.ts';
import { newParticipantToken, newResumeCode, resumeCodeHash, tokenHash } from './participation.token.ts';
import { VoteWriter } from './participation.vote-writer.ts';
import { translationsOf, type RequestTranslations } from './translations.service.ts';

// Taking part in a dialogue, for the JSON API and the public pages alike. A participant is anonymous: a row
// with their segment and language, found by the SHA-256 of the token in their cookie.

export type Participant = { id: string; dialogueId: string; segmentId: string | null; language: DialogueLanguage; tokenHash: string };

type DialogueRow = typeof dialogue.$inferSelect;
type SegmentRow = typeof dialogueSegment.$inferSelect;
type SessionRow = typeof dialogueSession.$inferSelect;
type QuestionRow = typeof dialogueQuestion.$inferSelect;

export type InviteContext = {
  invite: { id: string; token: string; segmentId: string | null };
  dialogue: DialogueRow;
  segments: SegmentRow[];
  sessions: SessionRow[];
  /** by session position, then question position */
  questions: QuestionRow[];
};

/** A pair is offered after every PAIR_EVERY votes, at most MAX_PAIRS times. */
export const PAIR_EVERY = 5;
export const MAX_PAIRS = 10;
const CACHE_MS = 1000;
const COUNTS_MS = 3000;

// ------------------------------------------------------------------------------------------------ runtime

class Lru<K, V> {
  private map = new Map<K, V>();
  constructor(private max: number) {}
  get(k: K): V | undefined {
    const v = this.map.get(k);
    if (v !== undefined) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }
  set(k: K, v: V) {
    this.map.delete(k);
    this.map.set(k, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
  }
  delete(k: K) {
    this.map.delete(k);
  }
}

type StatementMeta = { dialogueId: string; questionId: string; participantId: string | null; status: string };

/**
 * What the API and the pages share for one database: the vote writer, rate limits, and short-lived caches on
 * the voting path (participants by token hash; invites and statements for at most a second, so a revoked invite,
 * a closed session or a rejected statement takes effect within a second for votes, at once for everything else).
 */
export type Runtime = {
  writer: VoteWriter;
  limits: ParticipationLimits;
  participants: Lru<string, Participant>;
  /** per dialogue: its statements by id */
  statements: Lru<string, { at: number; metas: Promise<Map<string, StatementMeta>> }>;
  invites: Map<string, { at: number; ctx: Promise<InviteContext> }>;
  voteCounts: Map<string, { at: number; counts: Promise<Map<string, number>> }>;
};

const runtimes = new WeakMap<Db, Runtime>();

export function runtimeFor(db: Db): Runtime {
  let rt = runtimes.get(db);
  if (!rt) {
    rt = {
      writer: new VoteWriter(db),
      limits: new ParticipationLimits(),
      participants: new Lru(20_000),
      statements: new Lru(200),
      invites: new Map(),
      voteCounts: new Map(),
    };
    runtimes.set(db, rt);
  }
  return rt;
}

// ------------------------------------------------------------------------------------------------ invites

export async function loadInvite(db: Db, token: string): Promise<InviteContext> {
  const [inv] = await db.select().from(dialogueInvite).where(eq(dialogueInvite.token, token)).limit(1);
  if (!inv) throw new AppError('not_found', 'invite_not_found', 'There is no dialogue at this link.');
  if (inv.revokedAt) throw new AppError('gone', 'invite_revoked', 'This invite link has been withdrawn.');
  const [[d], segments, sessions, questions] = await Promise.all([
    db.select().from(dialogue).where(eq(dialogue.id, inv.dialogueId)).limit(1),
    db.select().from(dialogueSegment).where(eq(dialogueSegment.dialogueId, inv.dialogueId)).orderBy(asc(dialogueSegment.position), asc(dialogueSegment.key)),
    db.select().from(dialogueSession).where(eq(dialogueSession.dialogueId, inv.dialogueId)).orderBy(asc(dialogueSession.position), asc(dialogueSession.createdAt)),
    db.select().from(dialogueQuestion).where(eq(dialogueQuestion.dialogueId, inv.dialogueId)),
  ]);
  if (!d) throw new AppError('not_found', 'invite_not_found', 'There is no dialogue at this link.');
  const sessionOrder = new Map(sessions.map((s, i) => [s.id, i]));
  questions.sort((a, b) => sessionOrder.get(a.sessionId)! - sessionOrder.get(b.sessionId)! || a.position - b.position || +a.createdAt - +b.createdAt);
  return { invite: { id: inv.id, token: inv.token, segmentId: inv.segmentId }, dialogue: d, segments, sessions, questions };
}

/** The invite as of at most a second ago (the voting path). */
function cachedInvite(db: Db, rt: Runtime, token: string): Promise<InviteContext> {
  const now = Date.now();
  const hit = rt.invites.get(token);
  if (hit && now - hit.at < CACHE_MS) return hit.ctx;
  if (rt.invites.size > 1000) rt.invites.clear();
  const ctx = loadInvite(db, token);
  rt.invites.set(token, { at: now, ctx });
  ctx.catch(() => rt.invites.delete(token));
  return ctx;
}

/** Questions of open sessions this participant may see: joint ones and those of their own segment. */
export function openQuestions(ctx: InviteContext, segmentId: string | null, now = new Date()): QuestionRow[] {
  const open = new Set(ctx.sessions.filter((s) => sessionIsOpen(s, now) && (s.segmentId === null || s.segmentId === segmentId)).map((s) => s.id));
  return ctx.questions.filter((q) => open.has(q.sessionId));
}

/** Whether anyone arriving through this invite has something open (for the entry page). */
export function inviteIsOpen(ctx: InviteContext, now = new Date()): boolean {
  return ctx.sessions.some((s) => sessionIsOpen(s, now) && (s.segmentId === null || ctx.invite.segmentId === null || s.segmentId === ctx.invite.segmentId));
}

/** Statements participants may see: never rejected; in pre-moderation only accepted ones. */
export function visibleStatuses(moderation: string): string[] {
  return moderation === 'pre' ? ['accepted'] : ['accepted', 'pending'];
}

/** Text staff wrote, in the reader's language, else the dialogue's first language that has it, else any. */
export function localized(text: LocalizedText, lang: string, order: readonly string[]): string {
  for (const l of [lang, ...order]) if (text[l]) return text[l]!;
  return Object.values(text).find((v) => !!v) ?? '';
}

export function readerLanguage(ctx: InviteContext, wanted: string | null | undefined): DialogueLanguage {
  const langs = ctx.dialogue.languages as DialogueLanguage[];
  return wanted && langs.includes(wanted as DialogueLanguage) ? (wanted as DialogueLanguage) : langs[0]!;
}

export function segmentChoices(ctx: InviteContext, lang: string) {
  return ctx.segments.map((s) => ({ id: s.id, name: localized(s.name, lang, ctx.dialogue.languages) }));
}

// ------------------------------------------------------------------------------------------------ identity

export async function participantByToken(db: Db, rt: Runtime, token: string | null): Promise<Participant | null> {
  if (!token) return null;
  const h = tokenHash(token);
  const hit = rt.participants.get(h);
  if (hit) return hit;
  const [p] = await db
    .select({ id: dialogueParticipant.id, dialogueId: dialogueParticipant.dialogueId, segmentId: dialogueParticipant.segmentId, language: dialogueParticipant.language })
    .from(dialogueParticipant)
    .where(eq(dialogueParticipant.tokenHash, h))
    .limit(1);
  if (!p) return null;
  const participant: Participant = { ...p, language: p.language as DialogueLanguage, tokenHash: h };
  rt.participants.set(h, participant);
  return participant;
}

/** The participant of this invite's dialogue, or a 401. */
export function requireParticipant(ctx: InviteContext, p: Participant | null): Participant {
  if (!p || p.dialogueId !== ctx.dialogue.id) throw notJoined();
  return p;
}

export function notJoined(): AppError {
  return new AppError('unauthenticated', 'not_joined', 'Join the dialogue first (or continue with your code).');
}

export async function join(db: Db, rt: Runtime, ctx: InviteContext, input: JoinInput, ip: string) {
  ParticipationLimits.enforce(rt.limits.joins, rt.limits.addressKey(ip), 'joins from this address');
  if (!inviteIsOpen(ctx)) throw new AppError('not_found', 'dialogue_not_open', 'This dialogue is not open now.');
  if (!ctx.dialogue.languages.includes(input.language)) {
    throw new AppError('invalid', 'invalid_request', 'The request has invalid fields.', [{ field: 'body.language', detail: 'Not a language of this dialogue' }]);
  }
  let segmentId: string | null;
  if (ctx.invite.segmentId) {
    if (input.segmentId && input.segmentId !== ctx.invite.segmentId) {
      throw new AppError('invalid', 'invalid_request', 'The request has invalid fields.', [{ field: 'body.segmentId', detail: 'This invite is for another segment' }]);
    }
    segmentId = ctx.invite.segmentId;
  } else if (ctx.segments.length) {
    if (!input.segmentId) throw new AppError('invalid', 'invalid_request', 'The request has invalid fields.', [{ field: 'body.segmentId', detail: 'Required: choose your segment' }]);
    if (!ctx.segments.some((s) => s.id === input.segmentId)) {
      throw new AppError('invalid', 'invalid_request', 'The request has invalid fields.', [{ field: 'body.segmentId', detail: 'Not a segment of this dialogue' }]);
    }
    segmentId = input.segmentId;
  } else segmentId = null;

  for (let attempt = 0; ; attempt++) {
    const token = newParticipantToken();
    const resumeCode = newResumeCode();
    try {
      const [row] = await db
        .insert(dialogueParticipant)
        .values({ dialogueId: ctx.dialogue.id, segmentId, language: input.language, tokenHash: tokenHash(token), resumeHash: resumeCodeHash(resumeCode)! })
        .returning({ id: dialogueParticipant.id });
      return { token, resumeCode, participant: { id: row!.id, dialogueId: ctx.dialogue.id, segmentId, language: input.language, tokenHash: tokenHash(token) } as Participant };
    } catch (err) {
      // two resume codes colliding (40 bits) is rare; try another
      if (attempt < 3 && /resume_hash/.test(String((err as { cause?: unknown }).cause ?? err))) continue;
      throw err;
    }
  }
}

/**
 * Continuing on another device: the code finds the participant, who gets a new cookie token. The device that
 * held the old token loses it (it can continue with the same code): only one token hash is stored.
 */
export async function resume(db: Db, rt: Runtime, ctx: InviteContext, code: string, ip: string) {
  ParticipationLimits.enforce(rt.limits.resumeAttempts, rt.limits.addressKey(ip), 'attempts from this address');
  ParticipationLimits.check(rt.limits.resumeFailures, ctx.dialogue.id, 'attempts');
  const hash = resumeCodeHash(code);
  if (!hash) throw new AppError('invalid', 'invalid_request', 'The request has invalid fields.', [{ field: 'body.code', detail: 'A code has 8 letters and digits, like K7QM-2XPA' }]);
  const [p] = await db
    .select()
    .from(dialogueParticipant)
    .where(and(eq(dialogueParticipant.resumeHash, hash), eq(dialogueParticipant.dialogueId, ctx.dialogue.id)))
    .limit(1);
  if (!p) {
    rt.limits.resumeFailures.hit(ctx.dialogue.id);
    throw new AppError('not_found', 'resume_code_unknown', 'No one in this dialogue has this code.', [{ field: 'body.code', detail: 'Unknown code' }]);
  }
  const token = newParticipantToken();
  await db.update(dialogueParticipant).set({ tokenHash: tokenHash(token) }).where(eq(dialogueParticipant.id, p.id));
  rt.participants.delete(p.tokenHash);
  const participant: Participant = { id: p.id, dialogueId: p.dialogueId, segmentId: p.segmentId, language: p.language as DialogueLanguage, tokenHash: tokenHash(token) };
  return { token, participant };
}

export async function setLanguage(db: Db, rt: Runtime, ctx: InviteContext, p: Participant, language: string): Promise<void> {
  if (!ctx.dialogue.languages.includes(language)) {
    throw new AppError('invalid', 'invalid_request', 'The request has invalid fields.', [{ field: 'body.language', detail: 'Not a language of this dialogue' }]);
  }
  await db.update(dialogueParticipant).set({ language }).where(eq(dialogueParticipant.id, p.id));
  rt.participants.set(p.tokenHash, { ...p, language: language as DialogueLanguage });
}

// ------------------------------------------------------------------------------------------------ what comes next

async function voteCounts(db: Db, rt: Runtime, dialogueId: string): Promise<Map<string, number>> {
  const now = Date.now();
  const hit = rt.voteCounts.get(dialogueId);
  if (hit && now - hit.at < COUNTS_MS) return hit.counts;
  if (rt.voteCounts.size > 200) rt.voteCounts.clear();
  const counts = db
    .select({ statementId: dialogueVote.statementId, n: count() })
    .from(dialogueVote)
    .where(eq(dialogueVote.dialogueId, dialogueId))
    .groupBy(dialogueVote.statementId)
    .then((r) => new Map(r.map((x) => [x.statementId, Number(x.n)])));
  rt.voteCounts.set(dialogueId, { at: now, counts });
  counts.catch(() => rt.voteCounts.delete(dialogueId));
  return counts;
}

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
 * to vote on by the routing rule (participation.routing.ts), with a "which do you prefer?" pair after every
 * PAIR_EVERY votes when the dialogue has pairwise on; 'done' when nothing is left.
 */
export async function nextFor(db: Db, rt: Runtime, ctx: InviteContext, p: Participant, lang: string, now = new Date()): Promise<Next> {
  const order = ctx.dialogue.languages;
  const open = openQuestions(ctx, p.segmentId, now);
  const openIds = open.filter((q) => q.kind === 'open').map((q) => q.id);
  const polls = open.filter((q) => q.kind === 'poll');
  const statuses = visibleStatuses(ctx.dialogue.moderation);

  const [candidates, mine, answered, [pairs], counts] = await Promise.all([
    openIds.length
      ? db
          .select({ id: dialogueStatement.id, questionId: dialogueStatement.questionId, segmentId: dialogueStatement.segmentId, seed: dialogueStatement.seed, participantId: dialogueStatement.participantId })
          .from(dialogueStatement)
          .where(and(inArray(dialogueStatement.questionId, openIds), inArray(dialogueStatement.status, statuses)))
      : Promise.resolve([]),
    db
      .select({ statementId: dialogueVote.statementId, value: dialogueVote.value, segmentId: dialogueStatement.segmentId })
      .from(dialogueVote)
      .innerJoin(dialogueStatement, eq(dialogueStatement.id, dialogueVote.statementId))
      .where(eq(dialogueVote.participantId, p.id)),
    polls.length ? db.select({ questionId: dialoguePollAnswer.questionId }).from(dialoguePollAnswer).where(eq(dialoguePollAnswer.participantId, p.id)) : Promise.resolve([]),
    db.select({ n: count() }).from(dialoguePairwise).where(eq(dialoguePairwise.participantId, p.id)),
    voteCounts(db, rt, ctx.dialogue.id),
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
    visible.filter((c) => !myVote.has(c.id)).map((c) => ({ id: c.id, segmentId: c.segmentId, seed: c.seed, votes: counts.get(c.id) ?? 0 })),
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

// ------------------------------------------------------------------------------------------------ votes

async function statementMeta(db: Db, id: string): Promise<StatementMeta | null> {
  const [s] = await db
    .select({ dialogueId: dialogueStatement.dialogueId, questionId: dialogueStatement.questionId, participantId: dialogueStatement.participantId, status: dialogueStatement.status })
    .from(dialogueStatement)
    .where(eq(dialogueStatement.id, id))
    .limit(1);
  return s ?? null;
}

/**
 * The statements of a dialogue as of at most a second ago, loaded in one query (the voting path: a dialogue
 * with thousands of statements gets thousands of votes a second, one query each would swamp the database).
 * A statement written since then is looked up on its own.
 */
async function cachedStatementMeta(db: Db, rt: Runtime, dialogueId: string, id: string): Promise<StatementMeta | null> {
  const now = Date.now();
  let hit = rt.statements.get(dialogueId);
  if (!hit || now - hit.at >= CACHE_MS) {
    const metas = db
      .select({ id: dialogueStatement.id, dialogueId: dialogueStatement.dialogueId, questionId: dialogueStatement.questionId, participantId: dialogueStatement.participantId, status: dialogueStatement.status })
      .from(dialogueStatement)
      .where(eq(dialogueStatement.dialogueId, dialogueId))
      .then((list) => new Map(list.map(({ id: sid, ...meta }) => [sid, meta])));
    hit = { at: now, metas };
    rt.statements.set(dialogueId, hit);
    metas.catch(() => rt.statements.delete(dialogueId));
  }
  const map = await hit.metas;
  const known = map.get(id);
  if (known) return known;
  const meta = await statementMeta(db, id);
  if (meta && meta.dialogueId === dialogueId) map.set(id, meta);
  return meta;
}

function mayVoteOn(ctx: InviteContext, p: Participant, s: StatementMeta): boolean {
  return (
    s.dialogueId === ctx.dialogue.id &&
    s.participantId !== p.id &&
    visibleStatuses(ctx.dialogue.moderation).includes(s.status) &&
    openQuestions(ctx, p.segmentId).some((q) => q.id === s.questionId && q.kind === 'open')
  );
}

/** Agree (1), disagree (-1) or pass (0); a later vote on the same statement replaces the earlier one. */
export async function castVote(db: Db, rt: Runtime, inviteToken: string, p: Participant, input: VoteInput): Promise<void> {
  ParticipationLimits.enforce(rt.limits.votes, p.id, 'votes');
  const ctx = await cachedInvite(db, rt, inviteToken);
  requireParticipant(ctx, p);
  const meta = await cachedStatementMeta(db, rt, ctx.dialogue.id, input.statementId);
  if (meta && meta.participantId === p.id) {
    throw new AppError('unprocessable', 'own_statement', 'You cannot vote on your own statement.', [{ field: 'body.statementId', detail: 'Your own statement' }]);
  }
  if (!meta || !mayVoteOn(ctx, p, meta)) {
    throw new AppError('not_found', 'statement_not_found', 'There is no such statement to vote on.', [{ field: 'body.statementId', detail: 'No such statement' }]);
  }
  await rt.writer.write({ participantId: p.id, statementId: input.statementId, dialogueId: ctx.dialogue.id, value: input.value });
}

// ------------------------------------------------------------------------------------------------ statements, polls, pairs

export async function writeStatement(db: Db, rt: Runtime, translate: RequestTranslations, ctx: InviteContext, p: Participant, input: WriteStatementInput) {
  ParticipationLimits.check(rt.limits.statements, p.id, 'statements');
  const q = openQuestions(ctx, p.segmentId).find((x) => x.id === input.questionId && x.kind === 'open');
  if (!q) throw new AppError('not_found', 'question_not_found', 'This question is not open to you.', [{ field: 'body.questionId', detail: 'No such open question' }]);
  ParticipationLimits.enforce(rt.limits.statements, p.id, 'statements');
  const detected = detectLanguage(input.body);
  const language = detected === 'other' ? p.language : detected;
  const insert = (tx: Db) =>
    tx
      .insert(dialogueStatement)
      .values({ questionId: q.id, dialogueId: ctx.dialogue.id, participantId: p.id, segmentId: p.segmentId, seed: false, body: input.body, language, status: 'pending' })
      .returning({ id: dialogueStatement.id });
  // its translation is a job written with it: both or neither
  const [row] = translate
    ? await db.transaction(async (tx) => {
        const inserted = await insert(tx);
        await translate(tx, [inserted[0]!.id]);
        return inserted;
      })
    : await insert(db);
  return { id: row!.id, status: 'pending' as const, language, shownNow: ctx.dialogue.moderation === 'post' };
}

function pollError(field: string, detail: string): AppError {
  return new AppError('invalid', 'invalid_request', 'The request has invalid fields.', [{ field, detail }]);
}

export async function answerPoll(db: Db, ctx: InviteContext, p: Participant, questionId: string, input: PollAnswerInput): Promise<void> {
  const q = openQuestions(ctx, p.segmentId).find((x) => x.id === questionId && x.kind === 'poll');
  if (!q) throw new AppError('not_found', 'question_not_found', 'This poll is not open to you.', [{ field: 'path.questionId', detail: 'No such open poll' }]);
  let choices: string[] = [];
  let scale: number | null = null;
  if (q.pollMode === 'scale') {
    const min = q.scaleMin ?? 1;
    const max = q.scaleMax ?? 5;
    if (input.choices?.length) throw pollError('body.choices', 'This poll is a scale: give scale');
    if (input.scale === undefined) throw pollError('body.scale', 'Required');
    if (input.scale < min || input.scale > max) throw pollError('body.scale', `Between ${min} and ${max}`);
    scale = input.scale;
  } else {
    if (input.scale !== undefined) throw pollError('body.scale', 'This poll has choices: give choices');
    const given = input.choices ?? [];
    const ids = new Set(q.options.map((o) => o.id));
    if (given.length === 0) throw pollError('body.choices', 'Required');
    if (new Set(given).size !== given.length) throw pollError('body.choices', 'No choice twice');
    const bad = given.findIndex((c) => !ids.has(c));
    if (bad >= 0) throw pollError(`body.choices.${bad}`, 'Not an option of this poll');
    if (q.pollMode !== 'multiple' && given.length !== 1) throw pollError('body.choices', 'Choose exactly one');
    choices = given;
  }
  await db
    .insert(dialoguePollAnswer)
    .values({ participantId: p.id, questionId: q.id, choices, scale })
    .onConflictDoUpdate({ target: [dialoguePollAnswer.participantId, dialoguePollAnswer.questionId], set: { choices, scale, answeredAt: new Date() } });
}

export async function choosePair(db: Db, ctx: InviteContext, p: Participant, input: PairwiseInput): Promise<void> {
  if (!ctx.dialogue.pairwise) throw new AppError('not_found', 'pairwise_off', 'This dialogue has no pairwise exercise.');
  const q = openQuestions(ctx, p.segmentId).find((x) => x.id === input.questionId && x.kind === 'open');
  if (!q) throw new AppError('not_found', 'question_not_found', 'This question is not open to you.', [{ field: 'body.questionId', detail: 'No such open question' }]);
  const statuses = visibleStatuses(ctx.dialogue.moderation);
  const found = await db
    .select({ id: dialogueStatement.id, participantId: dialogueStatement.participantId })
    .from(dialogueStatement)
    .where(and(inArray(dialogueStatement.id, [input.winnerId, input.loserId]), eq(dialogueStatement.questionId, q.id), inArray(dialogueStatement.status, statuses)));
  for (const field of ['winnerId', 'loserId'] as const) {
    const s = found.find((f) => f.id === input[field]);
    if (!s || s.participantId === p.id) throw new AppError('not_found', 'statement_not_found', 'There is no such statement in this question.', [{ field: `body.${field}`, detail: 'No such statement' }]);
  }
  await db.insert(dialoguePairwise).values({ participantId: p.id, questionId: q.id, winnerId: input.winnerId, loserId: input.loserId });
}

// ------------------------------------------------------------------------------------------------ results

/** Per-segment agree rates of the statements, when the facilitator shows results (agreed by everyone first). */
export async function results(db: Db, ctx: InviteContext, lang: string): Promise<Results> {
  if (!ctx.dialogue.resultsVisible) throw new AppError('forbidden', 'results_hidden', 'The results of this dialogue are not shown.');
  const statuses = visibleStatuses(ctx.dialogue.moderation);
  const tallies = await rows<{ statement_id: string; segment_id: string | null; votes: number | string; agree: number | string; disagree: number | string }>(
    db,
    sql`select v.statement_id, p.segment_id, count(*) as votes,
               count(*) filter (where v.value = 1) as agree, count(*) filter (where v.value = -1) as disagree
          from ${dialogueVote} v
          join ${dialogueParticipant} p on p.id = v.participant_id
          join ${dialogueStatement} s on s.id = v.statement_id
         where v.dialogue_id = ${ctx.dialogue.id} and s.status in (${sql.join(statuses.map((x) => sql`${x}`), sql`, `)})
         group by v.statement_id, p.segment_id`,
  );
  const by = new Map<string, Results['statements'][number]['bySegment']>();
  for (const t of tallies) {
    const list = by.get(t.statement_id) ?? [];
    const votes = Number(t.votes);
    list.push({ segmentId: t.segment_id, votes, agree: Number(t.agree), disagree: Number(t.disagree), agreeRate: votes ? Number(t.agree) / votes : 0 });
    by.set(t.statement_id, list);
  }
  const segOrder = new Map(ctx.segments.map((s, i) => [s.id, i]));
  const ranked = [...by.entries()]
    .map(([id, list]) => {
      list.sort((a, b) => (segOrder.get(a.segmentId ?? '') ?? 99) - (segOrder.get(b.segmentId ?? '') ?? 99));
      const votes = list.reduce((s, x) => s + x.votes, 0);
      const agree = list.reduce((s, x) => s + x.agree, 0);
      // agreed by everyone: a segment that has not voted on it counts as not agreeing (yet)
      const rates = ctx.segments.length ? ctx.segments.map((s) => list.find((x) => x.segmentId === s.id)?.agreeRate ?? 0) : list.map((x) => x.agreeRate);
      return { id, list, votes, agree, least: Math.min(...rates) };
    })
    .sort((a, b) => b.least - a.least || b.votes - a.votes || (a.id < b.id ? -1 : 1))
    .slice(0, 100);
  const views = await statementViews(db, ranked.map((r) => r.id), lang);
  return {
    segments: segmentChoices(ctx, lang),
    statements: ranked.filter((r) => views.has(r.id)).map((r) => ({ statement: views.get(r.id)!, votes: r.votes, agree: r.agree, bySegment: r.list })),
  };
}

/** Waits until every vote accepted so far is stored (call before closing the database at shutdown). */
export async function settleVotes(db: Db): Promise<void> {
  await runtimes.get(db)?.writer.drain();
}
