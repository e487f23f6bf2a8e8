import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { AppError } from '../../core/errors.ts';
import { chooseLanguage, localized } from '../../public/language.ts';
import { sessionIsOpen } from './dialogues.service.ts';
import type { DialogueLanguage } from './dialogues.contract.ts';
import { dialogue, dialogueInvite, dialogueQuestion, dialogueSegment, dialogueSession, dialogueStatement } from './dialogues.schema.ts';
import type { Participant } from './participation.identity.ts';

// An invite link and what it leads to: the dialogue, its segments, sessions and questions; which of them a
// participant may see, write to and vote on; the reader's language.

export { localized };

type DialogueRow = typeof dialogue.$inferSelect;
type SegmentRow = typeof dialogueSegment.$inferSelect;
type SessionRow = typeof dialogueSession.$inferSelect;
export type QuestionRow = typeof dialogueQuestion.$inferSelect;

export type InviteContext = {
  invite: { id: string; token: string; segmentId: string | null };
  dialogue: DialogueRow;
  segments: SegmentRow[];
  sessions: SessionRow[];
  /** by session position, then question position */
  questions: QuestionRow[];
};

/** What the voting path needs to know of a statement. */
export type StatementMeta = { dialogueId: string; questionId: string; participantId: string | null; status: string };

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

export async function statementMeta(db: Db, id: string): Promise<StatementMeta | null> {
  const [s] = await db
    .select({ dialogueId: dialogueStatement.dialogueId, questionId: dialogueStatement.questionId, participantId: dialogueStatement.participantId, status: dialogueStatement.status })
    .from(dialogueStatement)
    .where(eq(dialogueStatement.id, id))
    .limit(1);
  return s ?? null;
}

/** Questions of open sessions this participant may see: joint ones and those of their own segment. */
export function openQuestions(ctx: InviteContext, segmentId: string | null, now = new Date()): QuestionRow[] {
  const open = new Set(ctx.sessions.filter((s) => sessionIsOpen(s, now) && (s.segmentId === null || s.segmentId === segmentId)).map((s) => s.id));
  return ctx.questions.filter((q) => open.has(q.sessionId));
}

/**
 * A question of this participant's sessions (joint ones and their own segment's), open or not: what they may
 * write to when it is open. Whether it is open is judged when the write is stored (participation.open.ts);
 * a question of another segment's session is not theirs at all (404).
 */
export function questionOf(ctx: InviteContext, segmentId: string | null, questionId: string, kind: 'open' | 'poll'): QuestionRow | undefined {
  const q = ctx.questions.find((x) => x.id === questionId && x.kind === kind);
  const s = q && ctx.sessions.find((x) => x.id === q.sessionId);
  return s && (s.segmentId === null || s.segmentId === segmentId) ? q : undefined;
}

/** Whether anyone arriving through this invite has something open (for the entry page). */
export function inviteIsOpen(ctx: InviteContext, now = new Date()): boolean {
  return ctx.sessions.some((s) => sessionIsOpen(s, now) && (s.segmentId === null || ctx.invite.segmentId === null || s.segmentId === ctx.invite.segmentId));
}

/** Statements participants may see: never rejected; in pre-moderation only accepted ones. */
export function visibleStatuses(moderation: string): string[] {
  return moderation === 'pre' ? ['accepted'] : ['accepted', 'pending'];
}

export function readerLanguage(ctx: InviteContext, wanted: string | null | undefined): DialogueLanguage {
  return chooseLanguage(ctx.dialogue.languages as DialogueLanguage[], wanted);
}

export function segmentChoices(ctx: InviteContext, lang: string) {
  return ctx.segments.map((s) => ({ id: s.id, name: localized(s.name, lang, ctx.dialogue.languages) }));
}

/** The question of a statement this participant may vote on (open or not: that is judged when the vote is stored). */
export function votableQuestion(ctx: InviteContext, p: Participant, s: StatementMeta): QuestionRow | undefined {
  if (s.dialogueId !== ctx.dialogue.id || s.participantId === p.id || !visibleStatuses(ctx.dialogue.moderation).includes(s.status)) return undefined;
  return questionOf(ctx, p.segmentId, s.questionId, 'open');
}

/** For showing one card: a statement the participant may vote on now. */
export function mayVoteOn(ctx: InviteContext, p: Participant, s: StatementMeta): boolean {
  return !!votableQuestion(ctx, p, s) && openQuestions(ctx, p.segmentId).some((q) => q.id === s.questionId);
}

