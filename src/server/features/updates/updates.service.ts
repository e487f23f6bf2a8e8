import { and, asc, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { decodeCursor, paginate } from '../../core/pagination.ts';
import { AppError, isUuid, notFound } from '../../core/errors.ts';
import { authorize, type Actor } from '../../access/roles.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { setting, user } from '../accounts/accounts.schema.ts';
import { diffLines } from './diff.ts';
import { processPhoto } from './photos.ts';
import { namesInPost, type NamedPerson } from './safety.service.ts';
import type {
  CreatePostInput,
  DiffDto,
  PhotoDto,
  PhotoTextInput,
  PostDto,
  PostListQuery,
  PostSummary,
  PostVersionDto,
  RevisionDto,
  UpdatePostInput,
  VersionInput,
} from './updates.contract.ts';
import { POST_LANGUAGES, post, postPhoto, postPhotoFile, postRevision, postVersion } from './updates.schema.ts';

// Staff verbs on posts (issue 15): who may is decided first (roles.ts: updates.read, updates.write,
// updates.publish), every write audited in its transaction. A version's every saved text is a revision with its
// author; publishing (or scheduling) needs someone who wrote none of the current texts when the admin turned
// "publishing needs a second person" on. A scheduled post is published by the job 'updates.publish-scheduled',
// enqueued in the schedule's transaction to start at its time.

declare module '../../jobs/jobs.ts' {
  interface JobPayloads {
    'updates.publish-scheduled': { postId: string; at: string };
  }
}

export type Language = (typeof POST_LANGUAGES)[number];
type PostRow = typeof post.$inferSelect;
type VersionRow = typeof postVersion.$inferSelect;
export type UpdatesDeps = { jobs: Jobs };

export const SECOND_PERSON_SETTING = 'updates_publish_second_person';

const reader = (ctx: RequestContext): Actor => (authorize(ctx.actor, 'updates.read'), ctx.actor);
const writer = (ctx: RequestContext): Actor => (authorize(ctx.actor, 'updates.write'), ctx.actor);
const publisher = (ctx: RequestContext): Actor => (authorize(ctx.actor, 'updates.publish'), ctx.actor);

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const compact = (v: Record<string, string | undefined> | undefined) =>
  Object.fromEntries(Object.entries(v ?? {}).filter(([, s]) => typeof s === 'string' && s.length > 0)) as Record<string, string>;

function stateConflict(p: PostRow, action: string): AppError {
  return new AppError('conflict', 'post_state_conflict', `A ${p.state.replace('_', ' ')} post cannot be ${action}.`, [{ field: 'state', detail: p.state }]);
}

// ---------- reading ----------

async function loadPost(db: Db, id: string, lock = false): Promise<PostRow> {
  if (!isUuid(id)) throw notFound('post');
  const q = db.select().from(post).where(eq(post.id, id));
  const [p] = lock ? await q.for('update') : await q;
  if (!p) throw notFound('post');
  return p;
}

export async function versionsOf(db: Db, postId: string): Promise<VersionRow[]> {
  const rows = await db.select().from(postVersion).where(eq(postVersion.postId, postId));
  return rows.sort((a, b) => POST_LANGUAGES.indexOf(a.language as Language) - POST_LANGUAGES.indexOf(b.language as Language));
}

export async function photosOf(db: Db, postIds: string[]): Promise<(PhotoDto & { postId: string })[]> {
  if (!postIds.length) return [];
  const photos = await db.select().from(postPhoto).where(inArray(postPhoto.postId, postIds)).orderBy(asc(postPhoto.position), asc(postPhoto.createdAt));
  const files = photos.length
    ? await db
        .select({ photoId: postPhotoFile.photoId, format: postPhotoFile.format, width: postPhotoFile.width, height: postPhotoFile.height, bytes: sql<number>`octet_length(${postPhotoFile.bytes})::int` })
        .from(postPhotoFile)
        .where(inArray(postPhotoFile.photoId, photos.map((p) => p.id)))
        .orderBy(asc(postPhotoFile.width))
    : [];
  return photos.map((p) => ({
    id: p.id,
    postId: p.postId,
    alt: compact(p.alt),
    caption: compact(p.caption),
    credit: p.credit,
    width: p.width,
    height: p.height,
    position: p.position,
    files: files.filter((f) => f.photoId === p.id).map((f) => ({ format: f.format as 'avif', width: f.width, height: f.height, bytes: Number(f.bytes) })),
  }));
}

const versionDto = (v: VersionRow): PostVersionDto => ({
  language: v.language as Language,
  slug: v.slug,
  title: v.title,
  summary: v.summary,
  body: v.body,
  revision: v.revision,
  updatedBy: v.updatedBy,
  updatedAt: v.updatedAt.toISOString(),
});

async function readPost(db: Db, p: PostRow): Promise<PostDto> {
  const photos = await photosOf(db, [p.id]);
  return {
    id: p.id,
    visibility: p.visibility as PostDto['visibility'],
    state: p.state as PostDto['state'],
    scheduledAt: iso(p.scheduledAt),
    publishedAt: iso(p.publishedAt),
    publishedBy: p.publishedBy,
    submittedBy: p.submittedBy,
    createdBy: p.createdBy,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    versions: (await versionsOf(db, p.id)).map(versionDto),
    photos: photos.map(({ postId: _, ...rest }) => rest),
    dataDraft: p.dataDraft ?? null,
  };
}

export async function getPost(db: Db, ctx: RequestContext, id: string): Promise<PostDto> {
  reader(ctx);
  return readPost(db, await loadPost(db, id));
}

export async function listPosts(db: Db, ctx: RequestContext, q: PostListQuery): Promise<{ items: PostSummary[]; nextCursor: string | null }> {
  reader(ctx);
  const after = decodeCursor(q.cursor, 2, ([t, id]) => typeof t === 'string' && !Number.isNaN(Date.parse(t)) && typeof id === 'string' && isUuid(id));
  const where: SQL[] = [];
  if (q.state) where.push(eq(post.state, q.state));
  if (after) {
    const [t, id] = after as [string, string];
    where.push(or(lt(post.updatedAt, new Date(t)), and(eq(post.updatedAt, new Date(t)), lt(post.id, id)))!);
  }
  const rows = await db
    .select()
    .from(post)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(post.updatedAt), desc(post.id))
    .limit(q.limit + 1);
  const page = paginate(rows, q.limit, (r) => [r.updatedAt.toISOString(), r.id]);
  const versions = page.items.length
    ? await db.select({ postId: postVersion.postId, language: postVersion.language, title: postVersion.title }).from(postVersion).where(inArray(postVersion.postId, page.items.map((p) => p.id)))
    : [];
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((p) => {
      const mine = versions.filter((v) => v.postId === p.id).sort((a, b) => POST_LANGUAGES.indexOf(a.language as Language) - POST_LANGUAGES.indexOf(b.language as Language));
      return {
        id: p.id,
        visibility: p.visibility as PostSummary['visibility'],
        state: p.state as PostSummary['state'],
        scheduledAt: iso(p.scheduledAt),
        publishedAt: iso(p.publishedAt),
        updatedAt: p.updatedAt.toISOString(),
        titles: Object.fromEntries(mine.map((v) => [v.language, v.title])),
        languages: mine.map((v) => v.language as Language),
      };
    }),
  };
}

// ---------- writing ----------

async function assertSlugFree(db: Db, slug: string, postId: string | null, language: string, field: string) {
  const [taken] = await db.select({ postId: postVersion.postId, language: postVersion.language }).from(postVersion).where(eq(postVersion.slug, slug));
  if (taken && !(taken.postId === postId && taken.language === language)) {
    throw new AppError('conflict', 'post_slug_taken', 'Another post (or another language of this one) already has this address.', [{ field, detail: 'Already taken' }]);
  }
}

/** Writes a language version's text as its next revision (the first when it is new). */
async function writeVersion(tx: Db, actor: Actor, postId: string, language: Language, input: VersionInput, field: string): Promise<{ revision: number; created: boolean }> {
  await assertSlugFree(tx, input.slug, postId, language, `${field}.slug`);
  const [current] = await tx.select().from(postVersion).where(and(eq(postVersion.postId, postId), eq(postVersion.language, language))).for('update');
  const summary = input.summary ?? '';
  const body = input.body ?? '';
  if (current && current.slug === input.slug && current.title === input.title && current.summary === summary && current.body === body) return { revision: current.revision, created: false };
  const revision = (current?.revision ?? 0) + 1;
  const values = { slug: input.slug, title: input.title, summary, body, revision, updatedBy: actor.id, updatedAt: new Date() };
  if (current) await tx.update(postVersion).set(values).where(and(eq(postVersion.postId, postId), eq(postVersion.language, language)));
  else await tx.insert(postVersion).values({ postId, language, ...values });
  await tx.insert(postRevision).values({ postId, language, number: revision, slug: input.slug, title: input.title, summary, body, authorId: actor.id });
  return { revision, created: !current };
}

export async function createPost(db: Db, ctx: RequestContext, input: CreatePostInput): Promise<PostDto> {
  const actor = writer(ctx);
  const slugs = Object.values(input.versions).filter(Boolean).map((v) => v!.slug);
  if (new Set(slugs).size !== slugs.length) {
    throw new AppError('conflict', 'post_slug_taken', 'Each language version needs its own address.', [{ field: 'body.versions', detail: 'The same slug twice' }]);
  }
  return db.transaction(async (tx) => {
    const [p] = await tx.insert(post).values({ visibility: input.visibility, createdBy: actor.id }).returning();
    for (const l of POST_LANGUAGES) {
      const v = input.versions[l];
      if (v) await writeVersion(tx, actor, p!.id, l, v, `body.versions.${l}`);
    }
    await recordAudit(tx, ctx, { action: 'post.create', entityType: 'post', entityId: p!.id, detail: { languages: POST_LANGUAGES.filter((l) => input.versions[l]), visibility: input.visibility } });
    return readPost(tx, p!);
  });
}

export async function updatePost(db: Db, ctx: RequestContext, id: string, input: UpdatePostInput): Promise<PostDto> {
  writer(ctx);
  return db.transaction(async (tx) => {
    const p = await loadPost(tx, id, true);
    if (input.visibility && input.visibility !== p.visibility) {
      await tx.update(post).set({ visibility: input.visibility, updatedAt: new Date() }).where(eq(post.id, id));
      await recordAudit(tx, ctx, { action: 'post.update', entityType: 'post', entityId: id, detail: { visibility: input.visibility } });
    }
    return readPost(tx, await loadPost(tx, id));
  });
}

/** Writes (or translates into) one language version: a new revision when the text changed. */
/** a flagged name as the safety check answers it, to tell a newly named person from one already there */
const flaggedKeys = async (tx: Db, postId: string) => new Set((await namesInPost(tx, postId)).filter((n) => n.flags.length).map((n) => `${n.personId ?? ''}|${n.name}|${n.flags.join(',')}`));

/**
 * An edit of a scheduled post is checked again: when it names a flagged person the post did not name before (the
 * check passed, or was overridden, for the names it had when it was scheduled), the schedule is cancelled and the
 * post goes back to review, audited. `before` is flaggedKeys read before the edit, in the same transaction.
 */
async function recheckScheduled(tx: Db, ctx: RequestContext, p: PostRow, before: Set<string> | null): Promise<void> {
  if (p.state !== 'scheduled' || !before) return;
  const added = [...(await flaggedKeys(tx, p.id))].filter((k) => !before.has(k));
  if (!added.length) return;
  await tx.update(post).set({ state: 'in_review', scheduledAt: null, scheduledBy: null, updatedAt: new Date() }).where(eq(post.id, p.id));
  await recordAudit(tx, ctx, { action: 'post.schedule_cancelled', entityType: 'post', entityId: p.id, detail: { reason: 'names_flagged', names: added.length, scheduledAt: iso(p.scheduledAt) } });
}

export async function putVersion(db: Db, ctx: RequestContext, id: string, language: Language, input: VersionInput): Promise<PostDto> {
  const actor = writer(ctx);
  return db.transaction(async (tx) => {
    const p = await loadPost(tx, id, true);
    const before = p.state === 'scheduled' ? await flaggedKeys(tx, id) : null;
    const { revision, created } = await writeVersion(tx, actor, id, language, input, 'body');
    await tx.update(post).set({ updatedAt: new Date() }).where(eq(post.id, id));
    await recordAudit(tx, ctx, { action: created ? 'post.translate' : 'post.edit', entityType: 'post', entityId: id, detail: { language, revision, state: p.state } });
    await recheckScheduled(tx, ctx, p, before);
    return readPost(tx, await loadPost(tx, id));
  });
}

export async function deleteVersion(db: Db, ctx: RequestContext, id: string, language: Language): Promise<PostDto> {
  writer(ctx);
  return db.transaction(async (tx) => {
    const p = await loadPost(tx, id, true);
    const versions = await versionsOf(tx, id);
    if (!versions.some((v) => v.language === language)) throw notFound('post_version');
    if (versions.length === 1 && (p.state === 'published' || p.state === 'scheduled')) {
      throw new AppError('conflict', 'post_last_version', 'A published or scheduled post keeps at least one language. Unpublish it first.');
    }
    await tx.delete(postVersion).where(and(eq(postVersion.postId, id), eq(postVersion.language, language)));
    await tx.update(post).set({ updatedAt: new Date() }).where(eq(post.id, id));
    await recordAudit(tx, ctx, { action: 'post.version.delete', entityType: 'post', entityId: id, detail: { language } });
    return readPost(tx, await loadPost(tx, id));
  });
}

export async function deletePost(db: Db, ctx: RequestContext, id: string): Promise<void> {
  writer(ctx);
  await db.transaction(async (tx) => {
    const p = await loadPost(tx, id, true);
    if (p.state === 'published' || p.state === 'scheduled') throw stateConflict(p, 'deleted (unpublish or withdraw it first)');
    await tx.delete(post).where(eq(post.id, id));
    await recordAudit(tx, ctx, { action: 'post.delete', entityType: 'post', entityId: id });
  });
}

// ---------- settings ----------

export async function secondPersonRequired(db: Db): Promise<boolean> {
  const [row] = await db.select().from(setting).where(eq(setting.key, SECOND_PERSON_SETTING));
  return row?.value === 'true';
}

export async function readPostSettings(db: Db, ctx: RequestContext) {
  reader(ctx);
  return { publishNeedsSecondPerson: await secondPersonRequired(db) };
}

export async function updatePostSettings(db: Db, ctx: RequestContext, input: { publishNeedsSecondPerson: boolean }) {
  const actor = ctx.actor;
  authorize(actor, 'settings.manage');
  return db.transaction(async (tx) => {
    const value = String(input.publishNeedsSecondPerson);
    await tx
      .insert(setting)
      .values({ key: SECOND_PERSON_SETTING, value, updatedBy: actor.id })
      .onConflictDoUpdate({ target: setting.key, set: { value, updatedAt: new Date(), updatedBy: actor.id } });
    await recordAudit(tx, ctx, { action: 'settings.update', entityType: 'setting', entityId: SECOND_PERSON_SETTING, detail: { value } });
    return { publishNeedsSecondPerson: input.publishNeedsSecondPerson };
  });
}

// ---------- transitions ----------

/**
 * What must hold before a post goes out (published now or scheduled): a text in at least one language, alt text
 * on every photo in every language the post has, and (when the admin requires it) someone other than the authors
 * of the current texts.
 */
async function assertPublishable(tx: Db, p: PostRow, actorId: string, names?: { ctx: RequestContext; override: boolean }) {
  const versions = await versionsOf(tx, p.id);
  if (!versions.length) throw new AppError('unprocessable', 'post_empty', 'Write the post in at least one language first.', [{ field: 'versions', detail: 'None' }]);
  const languages = versions.map((v) => v.language);
  const photos = await tx.select({ id: postPhoto.id, alt: postPhoto.alt }).from(postPhoto).where(eq(postPhoto.postId, p.id));
  const missing = photos.flatMap((ph) => languages.filter((l) => !ph.alt[l]?.trim()).map((l) => ({ field: `photos.${ph.id}.alt.${l}`, detail: 'Alt text required' })));
  if (missing.length) throw new AppError('unprocessable', 'photo_alt_missing', 'Every photo needs alt text in each language the post has.', missing);
  if (await secondPersonRequired(tx)) {
    const authors = new Set(versions.map((v) => v.updatedBy));
    if (authors.has(actorId)) {
      throw new AppError('forbidden', 'second_person_required', 'Publishing needs a second person: someone who did not write the current text.');
    }
  }
  // the safety check (the scheduled job skips it: it was passed or overridden when the post was scheduled)
  if (names) {
    const flagged = (await namesInPost(tx, p.id)).filter((n) => n.flags.length);
    if (flagged.length && !names.override) {
      throw new AppError(
        'unprocessable',
        'names_flagged',
        'The post names people who have not agreed to be named publicly, or who are protected. Check them, or publish with overrideNames=true.',
        flagged.map((n, i) => ({ field: `names.${i}`, detail: `${n.name}: ${n.flags.join(', ')}` })),
      );
    }
    if (flagged.length) {
      await recordAudit(tx, names.ctx, { action: 'post.names_override', entityType: 'post', entityId: p.id, detail: { names: flagged.length, flags: [...new Set(flagged.flatMap((n) => n.flags))] } });
    }
  }
}

/** The safety check's list: every Network person the post names, with the flags that make it a risk. */
export async function checkNames(db: Db, ctx: RequestContext, id: string): Promise<{ names: NamedPerson[] }> {
  reader(ctx);
  const p = await loadPost(db, id);
  return { names: await namesInPost(db, p.id) };
}

async function setState(tx: Db, ctx: RequestContext, p: PostRow, values: Partial<PostRow>, action: string, detail: Record<string, unknown> = {}) {
  await tx.update(post).set({ ...values, updatedAt: new Date() }).where(eq(post.id, p.id));
  await recordAudit(tx, ctx, { action, entityType: 'post', entityId: p.id, detail: { from: p.state, to: values.state ?? p.state, ...detail } });
}

export async function submitPost(db: Db, ctx: RequestContext, id: string): Promise<PostDto> {
  const actor = writer(ctx);
  return db.transaction(async (tx) => {
    const p = await loadPost(tx, id, true);
    if (p.state !== 'draft' && p.state !== 'unpublished') throw stateConflict(p, 'sent for review');
    if (!(await versionsOf(tx, id)).length) throw new AppError('unprocessable', 'post_empty', 'Write the post in at least one language first.', [{ field: 'versions', detail: 'None' }]);
    await setState(tx, ctx, p, { state: 'in_review', submittedBy: actor.id }, 'post.submit');
    return readPost(tx, await loadPost(tx, id));
  });
}

/** Back to draft: a post in review, or a scheduled one (its job then finds it no longer scheduled and does nothing). */
export async function withdrawPost(db: Db, ctx: RequestContext, id: string): Promise<PostDto> {
  writer(ctx);
  return db.transaction(async (tx) => {
    const p = await loadPost(tx, id, true);
    if (p.state !== 'in_review' && p.state !== 'scheduled') throw stateConflict(p, 'withdrawn');
    await setState(tx, ctx, p, { state: 'draft', scheduledAt: null, scheduledBy: null }, 'post.withdraw');
    return readPost(tx, await loadPost(tx, id));
  });
}

export async function schedulePost(db: Db, ctx: RequestContext, deps: UpdatesDeps, id: string, at: string, now = new Date(), overrideNames = false): Promise<PostDto> {
  const actor = publisher(ctx);
  const when = new Date(at);
  if (when.getTime() <= now.getTime()) {
    throw new AppError('unprocessable', 'schedule_in_past', 'Choose a time in the future.', [{ field: 'body.at', detail: 'In the past' }]);
  }
  return db.transaction(async (tx) => {
    const p = await loadPost(tx, id, true);
    if (p.state === 'published') throw stateConflict(p, 'scheduled (unpublish it first)');
    await assertPublishable(tx, p, actor.id, { ctx, override: overrideNames });
    await setState(tx, ctx, p, { state: 'scheduled', scheduledAt: when, scheduledBy: actor.id }, 'post.schedule', { at: when.toISOString() });
    await deps.jobs.enqueue(tx, 'updates.publish-scheduled', { postId: id, at: when.toISOString() }, { startAfterSeconds: Math.max(0, Math.ceil((when.getTime() - Date.now()) / 1000)) });
    return readPost(tx, await loadPost(tx, id));
  });
}

export async function publishPost(db: Db, ctx: RequestContext, id: string, now = new Date(), overrideNames = false): Promise<PostDto> {
  const actor = publisher(ctx);
  return db.transaction(async (tx) => {
    const p = await loadPost(tx, id, true);
    if (p.state === 'published') throw stateConflict(p, 'published again');
    await assertPublishable(tx, p, actor.id, { ctx, override: overrideNames });
    await setState(tx, ctx, p, { state: 'published', publishedAt: p.publishedAt ?? now, publishedBy: actor.id, scheduledAt: null, scheduledBy: null }, 'post.publish');
    return readPost(tx, await loadPost(tx, id));
  });
}

export async function unpublishPost(db: Db, ctx: RequestContext, id: string): Promise<PostDto> {
  publisher(ctx);
  return db.transaction(async (tx) => {
    const p = await loadPost(tx, id, true);
    if (p.state !== 'published') throw stateConflict(p, 'unpublished');
    await setState(tx, ctx, p, { state: 'unpublished' }, 'post.unpublish');
    return readPost(tx, await loadPost(tx, id));
  });
}

/**
 * The scheduled-publishing job: publishes the post if it is still scheduled for `at` and `now` has reached it, as
 * the person who scheduled it (the rules are checked again: a text changed by the scheduler since, when a second
 * person is required, sends the post back to review instead). Safe to run twice.
 */
export async function publishScheduled(db: Db, data: { postId: string; at: string }, now = new Date()): Promise<'published' | 'skipped' | 'not_yet' | 'back_to_review'> {
  return db.transaction(async (tx) => {
    const [p] = await tx.select().from(post).where(eq(post.id, data.postId)).for('update');
    if (!p || p.state !== 'scheduled' || p.scheduledAt?.toISOString() !== data.at) return 'skipped';
    if (now.getTime() < p.scheduledAt.getTime()) return 'not_yet';
    const [who] = p.scheduledBy ? await tx.select({ id: user.id, email: user.email }).from(user).where(eq(user.id, p.scheduledBy)) : [];
    const ctx: RequestContext = { actor: null, ip: 'job', userAgent: 'updates.publish-scheduled' };
    const as = { actorId: who?.id ?? null, actorEmail: who?.email ?? null };
    try {
      await assertPublishable(tx, p, who?.id ?? '');
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      await tx.update(post).set({ state: 'in_review', scheduledAt: null, scheduledBy: null, updatedAt: new Date() }).where(eq(post.id, p.id));
      await recordAudit(tx, ctx, { ...as, action: 'post.schedule_failed', entityType: 'post', entityId: p.id, detail: { code: err.code, from: 'scheduled', to: 'in_review' } });
      return 'back_to_review';
    }
    await tx
      .update(post)
      .set({ state: 'published', publishedAt: p.publishedAt ?? p.scheduledAt, publishedBy: p.scheduledBy, scheduledAt: null, scheduledBy: null, updatedAt: new Date() })
      .where(eq(post.id, p.id));
    await recordAudit(tx, ctx, { ...as, action: 'post.publish', entityType: 'post', entityId: p.id, detail: { from: 'scheduled', to: 'published', scheduled: data.at } });
    return 'published';
  });
}

export function defineUpdateJobs(jobs: Jobs, deps: { db: Db }) {
  jobs.define('updates.publish-scheduled', {
    handler: async (data) => {
      const result = await publishScheduled(deps.db, data);
      // pg-boss started it early (a clock a little behind): try again shortly
      if (result === 'not_yet') throw new Error('not yet due');
      return { result };
    },
    retryLimit: 10,
    retryDelaySeconds: 5,
    subject: (d) => d.postId,
  });
}

// ---------- revisions ----------

export async function listRevisions(db: Db, ctx: RequestContext, id: string, language: Language): Promise<{ items: RevisionDto[] }> {
  reader(ctx);
  await loadPost(db, id);
  const rows = await db
    .select({ r: postRevision, authorName: user.name })
    .from(postRevision)
    .leftJoin(user, eq(user.id, postRevision.authorId))
    .where(and(eq(postRevision.postId, id), eq(postRevision.language, language)))
    .orderBy(desc(postRevision.number))
    .limit(500);
  return {
    items: rows.map(({ r, authorName }) => ({ number: r.number, language, slug: r.slug, title: r.title, authorId: r.authorId, authorName, createdAt: r.createdAt.toISOString() })),
  };
}

export async function diffRevisions(db: Db, ctx: RequestContext, id: string, language: Language, from: number, to: number): Promise<DiffDto> {
  reader(ctx);
  await loadPost(db, id);
  const rows = await db
    .select()
    .from(postRevision)
    .where(and(eq(postRevision.postId, id), eq(postRevision.language, language), inArray(postRevision.number, [from, to])));
  const a = rows.find((r) => r.number === from);
  const b = rows.find((r) => r.number === to);
  if (!a || !b) throw notFound('post_revision');
  return { language, from, to, title: diffLines(a.title, b.title), summary: diffLines(a.summary, b.summary), body: diffLines(a.body, b.body) };
}

// ---------- photos ----------

export type PhotoUpload = { file: Uint8Array; alt: Record<string, string | undefined>; caption: Record<string, string | undefined>; credit?: string | null };

export async function addPhoto(db: Db, ctx: RequestContext, id: string, upload: PhotoUpload): Promise<PhotoDto> {
  const actor = writer(ctx);
  const p = await loadPost(db, id);
  const languages = (await versionsOf(db, p.id)).map((v) => v.language);
  const alt = compact(upload.alt);
  const missing = languages.filter((l) => !alt[l]);
  if (missing.length) {
    throw new AppError('invalid', 'photo_alt_missing', 'Give the photo alt text in each language the post has.', missing.map((l) => ({ field: `body.alt_${l}`, detail: 'Required' })));
  }
  // decoded and re-encoded before the transaction (seconds of work must not hold the database)
  const out = await processPhoto(upload.file);
  return db.transaction(async (tx) => {
    const locked = await loadPost(tx, id, true);
    const before = locked.state === 'scheduled' ? await flaggedKeys(tx, id) : null;
    const [{ n }] = (await tx.select({ n: sql<number>`COALESCE(max(${postPhoto.position}) + 1, 0)::int` }).from(postPhoto).where(eq(postPhoto.postId, id))) as [{ n: number }];
    const [ph] = await tx
      .insert(postPhoto)
      .values({ postId: id, alt, caption: compact(upload.caption), credit: upload.credit?.trim() || null, width: out.width, height: out.height, position: Number(n), createdBy: actor.id })
      .returning();
    await tx.insert(postPhotoFile).values(out.files.map((f) => ({ photoId: ph!.id, ...f })));
    await tx.update(post).set({ updatedAt: new Date() }).where(eq(post.id, id));
    await recordAudit(tx, ctx, { action: 'post.photo.add', entityType: 'post', entityId: id, detail: { photoId: ph!.id, width: out.width, height: out.height, files: out.files.length } });
    await recheckScheduled(tx, ctx, locked, before);
    const [dto] = (await photosOf(tx, [id])).filter((x) => x.id === ph!.id);
    const { postId: _, ...rest } = dto!;
    return rest;
  });
}

export async function updatePhoto(db: Db, ctx: RequestContext, id: string, photoId: string, input: PhotoTextInput): Promise<PhotoDto> {
  writer(ctx);
  return db.transaction(async (tx) => {
    const locked = await loadPost(tx, id, true);
    if (!isUuid(photoId)) throw notFound('photo');
    const before = locked.state === 'scheduled' ? await flaggedKeys(tx, id) : null;
    const [ph] = await tx.select().from(postPhoto).where(and(eq(postPhoto.id, photoId), eq(postPhoto.postId, id)));
    if (!ph) throw notFound('photo');
    const values: Partial<typeof postPhoto.$inferInsert> = {};
    if (input.alt) values.alt = compact(input.alt);
    if (input.caption) values.caption = compact(input.caption);
    if (input.credit !== undefined) values.credit = input.credit?.trim() || null;
    if (Object.keys(values).length) await tx.update(postPhoto).set(values).where(eq(postPhoto.id, photoId));
    await recordAudit(tx, ctx, { action: 'post.photo.update', entityType: 'post', entityId: id, detail: { photoId } });
    await recheckScheduled(tx, ctx, locked, before);
    const [dto] = (await photosOf(tx, [id])).filter((x) => x.id === photoId);
    const { postId: _, ...rest } = dto!;
    return rest;
  });
}

export async function deletePhoto(db: Db, ctx: RequestContext, id: string, photoId: string): Promise<void> {
  writer(ctx);
  await db.transaction(async (tx) => {
    await loadPost(tx, id, true);
    if (!isUuid(photoId)) throw notFound('photo');
    const gone = await tx.delete(postPhoto).where(and(eq(postPhoto.id, photoId), eq(postPhoto.postId, id))).returning({ id: postPhoto.id });
    if (!gone.length) throw notFound('photo');
    await recordAudit(tx, ctx, { action: 'post.photo.delete', entityType: 'post', entityId: id, detail: { photoId } });
  });
}

/** One file of a photo (staff: any post they may read). */
export async function photoFile(db: Db, ctx: RequestContext, id: string, photoId: string, width: number, format: string) {
  reader(ctx);
  await loadPost(db, id);
  return readPhotoFile(db, photoId, width, format, id);
}

export async function readPhotoFile(db: Db, photoId: string, width: number, format: string, postId?: string) {
  if (!isUuid(photoId)) throw notFound('photo');
  const [f] = await db
    .select({ bytes: postPhotoFile.bytes, postId: postPhoto.postId })
    .from(postPhotoFile)
    .innerJoin(postPhoto, eq(postPhoto.id, postPhotoFile.photoId))
    .where(and(eq(postPhotoFile.photoId, photoId), eq(postPhotoFile.width, width), eq(postPhotoFile.format, format)));
  if (!f || (postId && f.postId !== postId)) throw notFound('photo');
  return f;
}
