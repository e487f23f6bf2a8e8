import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { AppError } from '../../core/errors.ts';
import { addressKey, enforce, refuseIfAtLimit } from '../../public/limits.ts';
import type { DialogueLanguage } from './dialogues.contract.ts';
import { dialogueParticipant } from './dialogues.schema.ts';
import type { JoinInput } from './participation.contract.ts';
import { inviteIsOpen, type InviteContext } from './participation.invites.ts';
import { dialogueKey, LIMITS } from './participation.limits.ts';
import type { ParticipationRuntime } from './participation.runtime.ts';
import { newParticipantToken, newResumeCode, resumeCodeHash, tokenHash } from './participation.token.ts';

// Who takes part: an anonymous participant is a row with their segment and language, found by the SHA-256 of the
// token in their cookie; joining makes one, a resume code moves it to another device.

export type Participant = { id: string; dialogueId: string; segmentId: string | null; language: DialogueLanguage; tokenHash: string };

/**
 * The participant holding this cookie token, as stored now. (The voting path keeps a cache of these,
 * ParticipationRuntime.votingParticipant, checked when each vote's batch commits.)
 */
export async function participantByToken(db: Db, token: string | null): Promise<Participant | null> {
  if (!token) return null;
  const h = tokenHash(token);
  const [p] = await db
    .select({ id: dialogueParticipant.id, dialogueId: dialogueParticipant.dialogueId, segmentId: dialogueParticipant.segmentId, language: dialogueParticipant.language })
    .from(dialogueParticipant)
    .where(eq(dialogueParticipant.tokenHash, h))
    .limit(1);
  return p ? { ...p, language: p.language as DialogueLanguage, tokenHash: h } : null;
}

/** The participant of this invite's dialogue, or a 401. */
export function requireParticipant(ctx: InviteContext, p: Participant | null): Participant {
  if (!p || p.dialogueId !== ctx.dialogue.id) throw notJoined();
  return p;
}

export function notJoined(): AppError {
  return new AppError('unauthenticated', 'not_joined', 'Join the dialogue first (or continue with your code).');
}

export async function join(db: Db, rt: ParticipationRuntime, ctx: InviteContext, input: JoinInput, ip: string) {
  await enforce(rt.limits, LIMITS.joins, addressKey(rt.limits, ip), 'joins from this address');
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
export async function resume(db: Db, rt: ParticipationRuntime, ctx: InviteContext, code: string, ip: string) {
  await enforce(rt.limits, LIMITS.resumeAttempts, addressKey(rt.limits, ip), 'attempts from this address');
  const failures = dialogueKey(rt.limits, ctx.dialogue.id);
  await refuseIfAtLimit(rt.limits, LIMITS.resumeFailuresPerDialogue, failures, 'attempts');
  const hash = resumeCodeHash(code);
  if (!hash) throw new AppError('invalid', 'invalid_request', 'The request has invalid fields.', [{ field: 'body.code', detail: 'A code has 8 letters and digits, like K7QM-2XPA' }]);
  const [p] = await db
    .select()
    .from(dialogueParticipant)
    .where(and(eq(dialogueParticipant.resumeHash, hash), eq(dialogueParticipant.dialogueId, ctx.dialogue.id)))
    .limit(1);
  if (!p) {
    await rt.limits.hit(LIMITS.resumeFailuresPerDialogue, failures);
    throw new AppError('not_found', 'resume_code_unknown', 'No one in this dialogue has this code.', [{ field: 'body.code', detail: 'Unknown code' }]);
  }
  const token = newParticipantToken();
  await db.update(dialogueParticipant).set({ tokenHash: tokenHash(token) }).where(eq(dialogueParticipant.id, p.id));
  // this server forgets the old token at once; any other server's vote through it is refused when its batch commits
  rt.participants.delete(p.tokenHash);
  const participant: Participant = { id: p.id, dialogueId: p.dialogueId, segmentId: p.segmentId, language: p.language as DialogueLanguage, tokenHash: tokenHash(token) };
  return { token, participant };
}

export async function setLanguage(db: Db, ctx: InviteContext, p: Participant, language: string): Promise<void> {
  if (!ctx.dialogue.languages.includes(language)) {
    throw new AppError('invalid', 'invalid_request', 'The request has invalid fields.', [{ field: 'body.language', detail: 'Not a language of this dialogue' }]);
  }
  await db.update(dialogueParticipant).set({ language }).where(eq(dialogueParticipant.id, p.id));
}
