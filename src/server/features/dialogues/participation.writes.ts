import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { AppError } from '../../core/errors.ts';
import { detectLanguage } from '../../ai/language.ts';
import { enforce, refuseIfAtLimit, slowDown } from '../../public/limits.ts';
import type { RateLimits } from '../../runtime/rate-limits.ts';
import { dialoguePairwise, dialoguePollAnswer, dialogueStatement } from './dialogues.schema.ts';
import type { PairwiseInput, PollAnswerInput, VoteInput, WriteStatementInput } from './participation.contract.ts';
import { requireParticipant, type Participant } from './participation.identity.ts';
import { questionOf, visibleStatuses, votableQuestion, type InviteContext } from './participation.invites.ts';
import { LIMITS, participantKey } from './participation.limits.ts';
import { inOpenSession } from './participation.open.ts';
import type { ParticipationRuntime } from './participation.runtime.ts';
import type { RequestTranslations } from './translations.service.ts';

// What a participant writes: votes (through the group-commit writer), statements, poll answers and pairs. Each is
// stored only while its session is open and the link not withdrawn (participation.open.ts), and counted against
// the participant's limits in the database (participation.limits.ts).

/**
 * Agree (1), disagree (-1) or pass (0); a later vote on the same statement replaces the earlier one. Stored by
 * the group-commit writer, which judges at commit whether the session is still open (410 session_closed if not),
 * whether the token is still the participant's (401 not_joined if not), and counts the vote against the
 * participant's limit (429 rate_limited beyond it).
 */
export async function castVote(rt: ParticipationRuntime, inviteToken: string, p: Participant, input: VoteInput): Promise<void> {
  const wait = rt.writer.waitFor(p.id);
  if (wait > 0) throw slowDown(wait, 'votes');
  const ctx = await rt.invite(inviteToken);
  requireParticipant(ctx, p);
  const meta = await rt.statement(ctx.dialogue.id, input.statementId);
  // a vote refused here counts against the limit too (a vote the writer stores is counted in its batch)
  const refused = async (err: AppError) => {
    await enforce(rt.limits, LIMITS.votes, participantKey(rt.limits, p.id), 'votes');
    return err;
  };
  if (meta && meta.participantId === p.id) {
    throw await refused(new AppError('unprocessable', 'own_statement', 'You cannot vote on your own statement.', [{ field: 'body.statementId', detail: 'Your own statement' }]));
  }
  const q = meta && votableQuestion(ctx, p, meta);
  if (!q) throw await refused(new AppError('not_found', 'statement_not_found', 'There is no such statement to vote on.', [{ field: 'body.statementId', detail: 'No such statement' }]));
  try {
    await rt.writer.write({ participantId: p.id, statementId: input.statementId, dialogueId: ctx.dialogue.id, value: input.value, sessionId: q.sessionId, inviteId: ctx.invite.id, tokenHash: p.tokenHash });
  } catch (err) {
    // the token is no longer theirs (they continued on another device): forget it here too
    if (err instanceof AppError && err.code === 'not_joined') rt.participants.delete(p.tokenHash);
    throw err;
  }
}

// ------------------------------------------------------------------------------------------------ statements, polls, pairs

export async function writeStatement(db: Db, limits: RateLimits, translate: RequestTranslations, ctx: InviteContext, p: Participant, input: WriteStatementInput) {
  const key = participantKey(limits, p.id);
  await refuseIfAtLimit(limits, LIMITS.statements, key, 'statements');
  const q = questionOf(ctx, p.segmentId, input.questionId, 'open');
  if (!q) throw questionNotFound('body.questionId');
  await enforce(limits, LIMITS.statements, key, 'statements');
  const detected = detectLanguage(input.body);
  const language = detected === 'other' ? p.language : detected;
  // its translation is a job written with it: both or neither
  const [row] = await inOpenSession(db, { sessionId: q.sessionId, inviteId: ctx.invite.id }, 'body.questionId', async (tx, now) => {
    const inserted = await tx
      .insert(dialogueStatement)
      .values({ questionId: q.id, dialogueId: ctx.dialogue.id, participantId: p.id, segmentId: p.segmentId, seed: false, body: input.body, language, status: 'pending', createdAt: now })
      .returning({ id: dialogueStatement.id });
    if (translate) await translate(tx, [inserted[0]!.id]);
    return inserted;
  });
  return { id: row!.id, status: 'pending' as const, language, shownNow: ctx.dialogue.moderation === 'post' };
}

function questionNotFound(field: string): AppError {
  return new AppError('not_found', 'question_not_found', 'There is no such question for you.', [{ field, detail: 'No such question' }]);
}

function pollError(field: string, detail: string): AppError {
  return new AppError('invalid', 'invalid_request', 'The request has invalid fields.', [{ field, detail }]);
}

export async function answerPoll(db: Db, ctx: InviteContext, p: Participant, questionId: string, input: PollAnswerInput): Promise<void> {
  const q = questionOf(ctx, p.segmentId, questionId, 'poll');
  if (!q) throw questionNotFound('path.questionId');
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
  await inOpenSession(db, { sessionId: q.sessionId, inviteId: ctx.invite.id }, 'path.questionId', (tx, now) =>
    tx
      .insert(dialoguePollAnswer)
      .values({ participantId: p.id, questionId: q.id, choices, scale, answeredAt: now })
      .onConflictDoUpdate({ target: [dialoguePollAnswer.participantId, dialoguePollAnswer.questionId], set: { choices, scale, answeredAt: now } }),
  );
}

export async function choosePair(db: Db, ctx: InviteContext, p: Participant, input: PairwiseInput): Promise<void> {
  if (!ctx.dialogue.pairwise) throw new AppError('not_found', 'pairwise_off', 'This dialogue has no pairwise exercise.');
  const q = questionOf(ctx, p.segmentId, input.questionId, 'open');
  if (!q) throw questionNotFound('body.questionId');
  const statuses = visibleStatuses(ctx.dialogue.moderation);
  const found = await db
    .select({ id: dialogueStatement.id, participantId: dialogueStatement.participantId })
    .from(dialogueStatement)
    .where(and(inArray(dialogueStatement.id, [input.winnerId, input.loserId]), eq(dialogueStatement.questionId, q.id), inArray(dialogueStatement.status, statuses)));
  for (const field of ['winnerId', 'loserId'] as const) {
    const s = found.find((f) => f.id === input[field]);
    if (!s || s.participantId === p.id) throw new AppError('not_found', 'statement_not_found', 'There is no such statement in this question.', [{ field: `body.${field}`, detail: 'No such statement' }]);
  }
  await inOpenSession(db, { sessionId: q.sessionId, inviteId: ctx.invite.id }, 'body.questionId', (tx, now) =>
    tx.insert(dialoguePairwise).values({ participantId: p.id, questionId: q.id, winnerId: input.winnerId, loserId: input.loserId, createdAt: now }),
  );
}
