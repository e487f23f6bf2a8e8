import { randomBytes, randomUUID } from 'node:crypto';
import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import { deleteInChunks } from '../../db/chunked.ts';
import { inOrder, rows, type Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { decodeCursor, paginate } from '../../core/pagination.ts';
import { AppError } from '../../core/errors.ts';
import { authorize, type Actor } from '../../access/roles.ts';
import { researchReader, researchWriter } from '../../access/research.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { isUuid, notFound } from '../../core/errors.ts';
import type {
  CreateDialogueInput,
  CreateQuestionInput,
  CreateSessionInput,
  Dialogue,
  UpdateDialogueInput,
  UpdateSessionInput,
} from './dialogues.contract.ts';
import {
  dialogue,
  dialogueInvite,
  dialogueParticipant,
  dialogueQuestion,
  dialogueSegment,
  dialogueSession,
  dialogueStatement,
  dialogueVote,
  type LocalizedText,
} from './dialogues.schema.ts';

type Tx = Db;
type SessionRow = typeof dialogueSession.$inferSelect;

/** Open now: by hand (status open, until closesAt if set), or scheduled and between opensAt and closesAt. */
export function sessionIsOpen(s: Pick<SessionRow, 'status' | 'opensAt' | 'closesAt'>, now = new Date()): boolean {
  if (s.closesAt && now >= s.closesAt) return false;
  if (s.status === 'open') return true;
  if (s.status === 'scheduled') return !!s.opensAt && now >= s.opensAt;
  return false;
}

function clean(text: LocalizedText | undefined): LocalizedText {
  return Object.fromEntries(Object.entries(text ?? {}).filter(([, v]) => !!v)) as LocalizedText;
}

export function inviteUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/p/${token}`;
}

async function loadDialogueRow(db: Tx, id: string, lock = false) {
  if (!isUuid(id)) return undefined;
  const q = db.select().from(dialogue).where(eq(dialogue.id, id));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function requireDialogue(db: Tx, id: string, lock = false) {
  const row = await loadDialogueRow(db, id, lock);
  if (!row) throw notFound('dialogue');
  return row;
}

async function touch(db: Tx, id: string) {
  await db.update(dialogue).set({ updatedAt: new Date() }).where(eq(dialogue.id, id));
}

/** A segment id given in a request must be one of this dialogue's. */
async function assertSegment(db: Tx, dialogueId: string, segmentId: string | null, field: string) {
  if (segmentId === null) return;
  const [s] = isUuid(segmentId)
    ? await db.select({ id: dialogueSegment.id }).from(dialogueSegment).where(and(eq(dialogueSegment.id, segmentId), eq(dialogueSegment.dialogueId, dialogueId)))
    : [];
  if (!s) throw new AppError('unprocessable', 'segment_not_found', 'No such segment in this dialogue.', [{ field, detail: 'No such segment in this dialogue' }]);
}

function assertTimes(opensAt: Date | null, closesAt: Date | null, status: string) {
  if (opensAt && closesAt && closesAt <= opensAt)
    throw new AppError('invalid', 'invalid_times', 'A session must close after it opens.', [{ field: 'body.closesAt', detail: 'Must be after opensAt' }]);
  if (status === 'scheduled' && !opensAt)
    throw new AppError('invalid', 'invalid_times', 'A scheduled session needs an opening time.', [{ field: 'body.opensAt', detail: 'Required when scheduled' }]);
}

function parseTime(v: string | null | undefined, field: string): Date | null | undefined {
  if (v === undefined || v === null) return v;
  const d = new Date(v);
  if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(v))
    throw new AppError('invalid', 'invalid_time', 'Not a date and time.', [{ field, detail: 'An ISO 8601 date and time, e.g. 2026-12-01T18:00:00Z' }]);
  return d;
}

// ------------------------------------------------------------------------------------------------ reading

export async function listDialogues(db: Db, ctx: RequestContext, q: { limit: number; cursor?: string }) {
  researchReader(ctx);
  const after = decodeCursor(q.cursor, 2, ([t, id]) => typeof t === 'string' && typeof id === 'string' && isUuid(id));
  const rows = await db
    .select({
      d: dialogue,
      participants: sql<number>`(SELECT count(*) FROM dialogue_participant p WHERE p.dialogue_id = "dialogue"."id")`.mapWith(Number),
      statements: sql<number>`(SELECT count(*) FROM dialogue_statement s WHERE s.dialogue_id = "dialogue"."id" AND s.status <> 'rejected')`.mapWith(Number),
      // kept by triggers (migration 0008): counting a million vote rows per request would hold up voting
      votes: sql<number>`coalesce((SELECT v.votes FROM read_model.dialogue_votes v WHERE v.dialogue_id = "dialogue"."id"), 0)`.mapWith(Number),
    })
    .from(dialogue)
    .where(after ? sql`(${dialogue.updatedAt}, ${dialogue.id}) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined)
    .orderBy(desc(dialogue.updatedAt), desc(dialogue.id))
    .limit(q.limit + 1);
  const sessions = rows.length
    ? await db.select().from(dialogueSession).where(inArray(dialogueSession.dialogueId, rows.map((r) => r.d.id)))
    : [];
  const now = new Date();
  const page = paginate(rows, q.limit, (r) => [r.d.updatedAt.toISOString(), r.d.id]);
  return {
    items: page.items.map((r) => ({
      id: r.d.id,
      title: r.d.title,
      description: r.d.description,
      languages: r.d.languages as Dialogue['languages'],
      participants: r.participants,
      statements: r.statements,
      votes: r.votes,
      openSessions: sessions.filter((s) => s.dialogueId === r.d.id && sessionIsOpen(s, now)).length,
      createdAt: r.d.createdAt.toISOString(),
      updatedAt: r.d.updatedAt.toISOString(),
    })),
    nextCursor: page.nextCursor,
  };
}

export async function getDialogue(db: Db, ctx: RequestContext, id: string, publicUrl: string): Promise<Dialogue> {
  researchReader(ctx);
  const d = await requireDialogue(db, id);
  return dialogueDto(db, d, publicUrl);
}

async function dialogueDto(db: Tx, d: typeof dialogue.$inferSelect, publicUrl: string): Promise<Dialogue> {
  const [segments, sessions, questions, invites, stmtCounts, inviteCounts, [totals]] = await inOrder(
    db.select().from(dialogueSegment).where(eq(dialogueSegment.dialogueId, d.id)).orderBy(asc(dialogueSegment.position), asc(dialogueSegment.key)),
    db.select().from(dialogueSession).where(eq(dialogueSession.dialogueId, d.id)).orderBy(asc(dialogueSession.position), asc(dialogueSession.createdAt)),
    db.select().from(dialogueQuestion).where(eq(dialogueQuestion.dialogueId, d.id)).orderBy(asc(dialogueQuestion.position), asc(dialogueQuestion.createdAt)),
    db.select().from(dialogueInvite).where(eq(dialogueInvite.dialogueId, d.id)).orderBy(asc(dialogueInvite.createdAt)),
    db
      .select({ questionId: dialogueStatement.questionId, status: dialogueStatement.status, n: count() })
      .from(dialogueStatement)
      .where(eq(dialogueStatement.dialogueId, d.id))
      .groupBy(dialogueStatement.questionId, dialogueStatement.status),
    db
      .select({ segmentId: dialogueParticipant.segmentId, n: count() })
      .from(dialogueParticipant)
      .where(eq(dialogueParticipant.dialogueId, d.id))
      .groupBy(dialogueParticipant.segmentId),
    db.select({
      votes: sql<number>`coalesce((SELECT v.votes FROM read_model.dialogue_votes v WHERE v.dialogue_id = ${d.id}), 0)`.mapWith(Number),
    }).from(sql`(SELECT 1) AS one`),
  );
  const now = new Date();
  const countOf = (questionId: string, status: string) => Number(stmtCounts.find((c) => c.questionId === questionId && c.status === status)?.n ?? 0);
  return {
    id: d.id,
    title: d.title,
    description: d.description,
    intro: d.intro as Record<string, string>,
    languages: d.languages as Dialogue['languages'],
    moderation: d.moderation as Dialogue['moderation'],
    resultsVisible: d.resultsVisible,
    pairwise: d.pairwise,
    segments: segments.map((s) => ({ id: s.id, key: s.key, name: s.name as Record<string, string>, position: s.position })),
    sessions: sessions.map((s) => ({
      id: s.id,
      title: s.title,
      segmentId: s.segmentId,
      status: s.status as Dialogue['sessions'][number]['status'],
      opensAt: s.opensAt?.toISOString() ?? null,
      closesAt: s.closesAt?.toISOString() ?? null,
      isOpen: sessionIsOpen(s, now),
      position: s.position,
      questions: questions
        .filter((q) => q.sessionId === s.id)
        .map((q) => ({
          id: q.id,
          sessionId: q.sessionId,
          kind: q.kind as 'open' | 'poll',
          prompt: q.prompt as Record<string, string>,
          pollMode: q.pollMode as 'single' | 'multiple' | 'scale' | null,
          options: q.options.map((o) => ({ id: o.id, label: o.label as Record<string, string> })),
          scaleMin: q.scaleMin,
          scaleMax: q.scaleMax,
          summaryId: q.summaryId,
          position: q.position,
          statements: { accepted: countOf(q.id, 'accepted'), pending: countOf(q.id, 'pending'), rejected: countOf(q.id, 'rejected') },
        })),
    })),
    invites: invites.map((i) => ({
      id: i.id,
      segmentId: i.segmentId,
      label: i.label,
      url: inviteUrl(publicUrl, i.token),
      revoked: !!i.revokedAt,
      // participants joined through a segment's links; the one "choose your segment" link is not told apart from them
      participants: i.segmentId ? Number(inviteCounts.find((c) => c.segmentId === i.segmentId)?.n ?? 0) : 0,
      createdAt: i.createdAt.toISOString(),
    })),
    // every participant is in one segment group (or the group without one)
    participants: inviteCounts.reduce((sum, c) => sum + Number(c.n), 0),
    votes: totals?.votes ?? 0,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  };
}

// ------------------------------------------------------------------------------------------------ writing

export async function createDialogue(db: Db, ctx: RequestContext, input: CreateDialogueInput, publicUrl: string): Promise<Dialogue> {
  const actor = researchWriter(ctx);
  const keys = input.segments.map((s) => s.key);
  const dup = keys.findIndex((k, i) => keys.indexOf(k) !== i);
  if (dup >= 0) throw new AppError('invalid', 'duplicate_segment', 'Two segments have the same key.', [{ field: `body.segments.${dup}.key`, detail: 'Already used' }]);
  return db.transaction(async (tx) => {
    const [d] = await tx
      .insert(dialogue)
      .values({
        title: input.title,
        description: input.description ?? null,
        intro: clean(input.intro),
        languages: input.languages,
        moderation: input.moderation,
        resultsVisible: input.resultsVisible,
        pairwise: input.pairwise,
        createdBy: actor.id,
      })
      .returning();
    if (input.segments.length)
      await tx.insert(dialogueSegment).values(input.segments.map((s, i) => ({ dialogueId: d!.id, key: s.key, name: clean(s.name), position: i })));
    await recordAudit(tx, ctx, { action: 'dialogue.create', entityType: 'dialogue', entityId: d!.id, detail: { title: input.title, segments: keys } });
    return dialogueDto(tx, d!, publicUrl);
  });
}

export async function updateDialogue(db: Db, ctx: RequestContext, id: string, input: UpdateDialogueInput, publicUrl: string): Promise<Dialogue> {
  researchWriter(ctx);
  return db.transaction(async (tx) => {
    const before = await requireDialogue(tx, id, true);
    const set = { ...input, intro: input.intro ? clean(input.intro) : undefined, updatedAt: new Date() };
    const [d] = await tx.update(dialogue).set(set).where(eq(dialogue.id, id)).returning();
    await recordAudit(tx, ctx, {
      action: 'dialogue.update',
      entityType: 'dialogue',
      entityId: id,
      detail: { changed: Object.keys(input), before: { title: before.title, moderation: before.moderation, resultsVisible: before.resultsVisible } },
    });
    return dialogueDto(tx, d!, publicUrl);
  });
}

export async function deleteDialogue(db: Db, ctx: RequestContext, id: string): Promise<void> {
  authorize(ctx.actor, 'research.delete');
  // its votes (a million, for a large dialogue) in short transactions first, so that the embedded database is not
  // held for the whole delete; the start is audited first, the rest goes in the final transaction below
  const started = await requireDialogue(db, id);
  await db.transaction((tx) => recordAudit(tx, ctx, { action: 'dialogue.delete_start', entityType: 'dialogue', entityId: id, detail: { title: started.title } }));
  await deleteInChunks(db, sql`dialogue_vote`, sql`dialogue_id = ${id}`);
  await db.transaction(async (tx) => {
    const d = await requireDialogue(tx, id, true);
    // statements are deleted with their questions; votes with participants and statements
    await tx.delete(dialogueVote).where(eq(dialogueVote.dialogueId, id));
    await tx.delete(dialogueStatement).where(eq(dialogueStatement.dialogueId, id));
    await tx.delete(dialogueParticipant).where(eq(dialogueParticipant.dialogueId, id));
    await tx.delete(dialogueSession).where(eq(dialogueSession.dialogueId, id));
    await tx.delete(dialogue).where(eq(dialogue.id, id));
    await recordAudit(tx, ctx, { action: 'dialogue.delete', entityType: 'dialogue', entityId: id, detail: { title: d.title } });
  });
}

// ---------- segments

export async function addSegment(db: Db, ctx: RequestContext, dialogueId: string, input: { key: string; name: LocalizedText }, publicUrl: string) {
  researchWriter(ctx);
  return db.transaction(async (tx) => {
    const d = await requireDialogue(tx, dialogueId, true);
    const [clash] = await tx.select({ id: dialogueSegment.id }).from(dialogueSegment).where(and(eq(dialogueSegment.dialogueId, dialogueId), eq(dialogueSegment.key, input.key)));
    if (clash) throw new AppError('conflict', 'duplicate_segment', 'This dialogue already has a segment with this key.', [{ field: 'body.key', detail: 'Already used' }]);
    const [{ n }] = (await tx.select({ n: count() }).from(dialogueSegment).where(eq(dialogueSegment.dialogueId, dialogueId))) as [{ n: number }];
    const [s] = await tx.insert(dialogueSegment).values({ dialogueId, key: input.key, name: clean(input.name), position: Number(n) }).returning();
    await touch(tx, dialogueId);
    await recordAudit(tx, ctx, { action: 'dialogue.segment.create', entityType: 'dialogue', entityId: dialogueId, detail: { segmentId: s!.id, key: input.key } });
    return dialogueDto(tx, { ...d, updatedAt: new Date() }, publicUrl);
  });
}

async function requireSegment(db: Tx, id: string) {
  const [s] = isUuid(id) ? await db.select().from(dialogueSegment).where(eq(dialogueSegment.id, id)) : [];
  if (!s) throw notFound('segment');
  return s;
}

export async function updateSegment(db: Db, ctx: RequestContext, id: string, input: { name: LocalizedText }) {
  researchWriter(ctx);
  return db.transaction(async (tx) => {
    const s = await requireSegment(tx, id);
    const [after] = await tx.update(dialogueSegment).set({ name: clean(input.name) }).where(eq(dialogueSegment.id, id)).returning();
    await touch(tx, s.dialogueId);
    await recordAudit(tx, ctx, { action: 'dialogue.segment.update', entityType: 'dialogue', entityId: s.dialogueId, detail: { segmentId: id, before: s.name } });
    return { id: after!.id, key: after!.key, name: after!.name as Record<string, string>, position: after!.position };
  });
}

export async function deleteSegment(db: Db, ctx: RequestContext, id: string) {
  researchWriter(ctx);
  await db.transaction(async (tx) => {
    const s = await requireSegment(tx, id);
    const [used] = await tx.select({ id: dialogueParticipant.id }).from(dialogueParticipant).where(eq(dialogueParticipant.segmentId, id)).limit(1);
    const [session] = await tx.select({ id: dialogueSession.id }).from(dialogueSession).where(eq(dialogueSession.segmentId, id)).limit(1);
    if (used || session)
      throw new AppError('conflict', 'segment_in_use', used ? 'Participants have joined this segment; it cannot be removed.' : 'A session is for this segment; change the session first.');
    await tx.delete(dialogueSegment).where(eq(dialogueSegment.id, id));
    await touch(tx, s.dialogueId);
    await recordAudit(tx, ctx, { action: 'dialogue.segment.delete', entityType: 'dialogue', entityId: s.dialogueId, detail: { segmentId: id, key: s.key } });
  });
}

// ---------- sessions

export async function createSession(db: Db, ctx: RequestContext, dialogueId: string, input: CreateSessionInput, publicUrl: string) {
  researchWriter(ctx);
  const opensAt = parseTime(input.opensAt, 'body.opensAt') ?? null;
  const closesAt = parseTime(input.closesAt, 'body.closesAt') ?? null;
  assertTimes(opensAt, closesAt, input.status);
  return db.transaction(async (tx) => {
    const d = await requireDialogue(tx, dialogueId, true);
    await assertSegment(tx, dialogueId, input.segmentId, 'body.segmentId');
    const [{ n }] = (await tx.select({ n: count() }).from(dialogueSession).where(eq(dialogueSession.dialogueId, dialogueId))) as [{ n: number }];
    const [s] = await tx
      .insert(dialogueSession)
      .values({ dialogueId, title: input.title, segmentId: input.segmentId, status: input.status, opensAt, closesAt, position: Number(n) })
      .returning();
    await touch(tx, dialogueId);
    await recordAudit(tx, ctx, { action: 'dialogue.session.create', entityType: 'dialogue', entityId: dialogueId, detail: { sessionId: s!.id, title: input.title, status: input.status } });
    return dialogueDto(tx, d, publicUrl);
  });
}

async function requireSession(db: Tx, id: string, lock = false) {
  if (!isUuid(id)) throw notFound('dialogue_session');
  const q = db.select().from(dialogueSession).where(eq(dialogueSession.id, id));
  const [s] = lock ? await q.for('update') : await q;
  if (!s) throw notFound('dialogue_session');
  return s;
}

export async function updateSession(db: Db, ctx: RequestContext, id: string, input: UpdateSessionInput, publicUrl: string) {
  researchWriter(ctx);
  return db.transaction(async (tx) => {
    const s = await requireSession(tx, id, true);
    const opensAt = input.opensAt === undefined ? s.opensAt : (parseTime(input.opensAt, 'body.opensAt') ?? null);
    const closesAt = input.closesAt === undefined ? s.closesAt : (parseTime(input.closesAt, 'body.closesAt') ?? null);
    const status = input.status ?? s.status;
    // reopening by hand after a scheduled close: the old closing time no longer applies
    const reopened = input.status === 'open' && input.closesAt === undefined && s.closesAt && s.closesAt <= new Date();
    assertTimes(opensAt, reopened ? null : closesAt, status);
    await tx
      .update(dialogueSession)
      .set({ title: input.title ?? s.title, status, opensAt, closesAt: reopened ? null : closesAt })
      .where(eq(dialogueSession.id, id));
    await touch(tx, s.dialogueId);
    await recordAudit(tx, ctx, {
      action: 'dialogue.session.update',
      entityType: 'dialogue',
      entityId: s.dialogueId,
      detail: { sessionId: id, changed: Object.keys(input), before: { status: s.status, title: s.title } },
    });
    return dialogueDto(tx, await requireDialogue(tx, s.dialogueId), publicUrl);
  });
}

export async function deleteSession(db: Db, ctx: RequestContext, id: string) {
  researchWriter(ctx);
  await db.transaction(async (tx) => {
    const s = await requireSession(tx, id, true);
    const [voted] = await tx
      .select({ id: dialogueVote.statementId })
      .from(dialogueVote)
      .innerJoin(dialogueStatement, eq(dialogueStatement.id, dialogueVote.statementId))
      .innerJoin(dialogueQuestion, eq(dialogueQuestion.id, dialogueStatement.questionId))
      .where(eq(dialogueQuestion.sessionId, id))
      .limit(1);
    if (voted) throw new AppError('conflict', 'session_has_votes', 'Participants have voted in this session; close it instead of deleting it.');
    await tx.delete(dialogueSession).where(eq(dialogueSession.id, id));
    await touch(tx, s.dialogueId);
    await recordAudit(tx, ctx, { action: 'dialogue.session.delete', entityType: 'dialogue', entityId: s.dialogueId, detail: { sessionId: id, title: s.title } });
  });
}

// ---------- questions

export async function createQuestion(db: Db, ctx: RequestContext, sessionId: string, input: CreateQuestionInput, publicUrl: string) {
  const actor = researchWriter(ctx);
  return db.transaction(async (tx) => {
    const s = await requireSession(tx, sessionId, true);
    const d = await requireDialogue(tx, s.dialogueId);
    const badSeed = input.seeds.findIndex((seed) => !d.languages.includes(seed.language));
    if (badSeed >= 0)
      throw new AppError('invalid', 'language_not_in_dialogue', 'Seed statements must be in one of the dialogue’s languages.', [
        { field: `body.seeds.${badSeed}.language`, detail: `One of ${d.languages.join(', ')}` },
      ]);
    const [{ n }] = (await tx.select({ n: count() }).from(dialogueQuestion).where(eq(dialogueQuestion.sessionId, sessionId))) as [{ n: number }];
    const [q] = await tx
      .insert(dialogueQuestion)
      .values({
        sessionId,
        dialogueId: s.dialogueId,
        kind: input.kind,
        prompt: clean(input.prompt),
        pollMode: input.pollMode ?? null,
        options: input.pollMode === 'scale' ? [] : (input.options ?? []).map((o) => ({ id: randomUUID().slice(0, 8), label: clean(o.label) })),
        scaleMin: input.pollMode === 'scale' ? 1 : null,
        scaleMax: input.pollMode === 'scale' ? (input.scaleMax ?? null) : null,
        position: Number(n),
      })
      .returning();
    if (input.seeds.length)
      await tx.insert(dialogueStatement).values(
        input.seeds.map((seed) => ({
          questionId: q!.id,
          dialogueId: s.dialogueId,
          seed: true,
          body: seed.body,
          language: seed.language,
          status: 'accepted',
          createdBy: actor.id,
        })),
      );
    await touch(tx, s.dialogueId);
    await recordAudit(tx, ctx, { action: 'dialogue.question.create', entityType: 'dialogue', entityId: s.dialogueId, detail: { questionId: q!.id, kind: input.kind, seeds: input.seeds.length } });
    return dialogueDto(tx, d, publicUrl);
  });
}

export async function requireQuestion(db: Tx, id: string) {
  const [q] = isUuid(id) ? await db.select().from(dialogueQuestion).where(eq(dialogueQuestion.id, id)) : [];
  if (!q) throw notFound('question');
  return q;
}

export async function updateQuestion(db: Db, ctx: RequestContext, id: string, input: { prompt?: LocalizedText; position?: number }, publicUrl: string) {
  researchWriter(ctx);
  return db.transaction(async (tx) => {
    const q = await requireQuestion(tx, id);
    await tx
      .update(dialogueQuestion)
      .set({ prompt: input.prompt ? clean(input.prompt) : q.prompt, position: input.position ?? q.position })
      .where(eq(dialogueQuestion.id, id));
    await touch(tx, q.dialogueId);
    await recordAudit(tx, ctx, { action: 'dialogue.question.update', entityType: 'dialogue', entityId: q.dialogueId, detail: { questionId: id, before: { prompt: q.prompt, position: q.position } } });
    return dialogueDto(tx, await requireDialogue(tx, q.dialogueId), publicUrl);
  });
}

export async function deleteQuestion(db: Db, ctx: RequestContext, id: string) {
  researchWriter(ctx);
  await db.transaction(async (tx) => {
    const q = await requireQuestion(tx, id);
    const [voted] = await tx
      .select({ id: dialogueVote.statementId })
      .from(dialogueVote)
      .innerJoin(dialogueStatement, eq(dialogueStatement.id, dialogueVote.statementId))
      .where(eq(dialogueStatement.questionId, id))
      .limit(1);
    const [answered] = await rows(tx, sql`SELECT 1 FROM dialogue_poll_answer WHERE question_id = ${id} LIMIT 1`);
    if (voted || answered) throw new AppError('conflict', 'question_has_answers', 'Participants have answered this question; it cannot be deleted.');
    await tx.delete(dialogueQuestion).where(eq(dialogueQuestion.id, id));
    await touch(tx, q.dialogueId);
    await recordAudit(tx, ctx, { action: 'dialogue.question.delete', entityType: 'dialogue', entityId: q.dialogueId, detail: { questionId: id, prompt: q.prompt } });
  });
}

// ---------- invites

export async function createInvite(db: Db, ctx: RequestContext, dialogueId: string, input: { segmentId: string | null; label?: string | null }, publicUrl: string) {
  researchWriter(ctx);
  return db.transaction(async (tx) => {
    const d = await requireDialogue(tx, dialogueId, true);
    await assertSegment(tx, dialogueId, input.segmentId, 'body.segmentId');
    const token = randomBytes(12).toString('base64url');
    const [i] = await tx.insert(dialogueInvite).values({ dialogueId, segmentId: input.segmentId, token, label: input.label ?? null }).returning();
    await touch(tx, dialogueId);
    await recordAudit(tx, ctx, { action: 'dialogue.invite.create', entityType: 'dialogue', entityId: dialogueId, detail: { inviteId: i!.id, segmentId: input.segmentId } });
    return dialogueDto(tx, d, publicUrl);
  });
}

export async function revokeInvite(db: Db, ctx: RequestContext, id: string) {
  researchWriter(ctx);
  await db.transaction(async (tx) => {
    const [i] = isUuid(id) ? await tx.select().from(dialogueInvite).where(eq(dialogueInvite.id, id)) : [];
    if (!i) throw notFound('invite');
    if (!i.revokedAt) await tx.update(dialogueInvite).set({ revokedAt: new Date() }).where(eq(dialogueInvite.id, id));
    await touch(tx, i.dialogueId);
    await recordAudit(tx, ctx, { action: 'dialogue.invite.revoke', entityType: 'dialogue', entityId: i.dialogueId, detail: { inviteId: id } });
  });
}
