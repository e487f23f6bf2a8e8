import { and, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { PhotoRef } from './markdown.ts';
import { post, postPhoto, postPhotoFile, postVersion } from './updates.schema.ts';

// What the public news site reads: only posts that are published and public. Nothing here takes an actor: an
// internal, draft, scheduled or unpublished post does not exist for these readers (404, and absent from lists,
// feeds and the sitemap).

export type PublicVersion = { postId: string; language: string; slug: string; title: string; summary: string; body: string; revision: number; updatedAt: Date; publishedAt: Date };
const visible = and(eq(post.state, 'published'), eq(post.visibility, 'public'));

const columns = {
  postId: postVersion.postId,
  language: postVersion.language,
  slug: postVersion.slug,
  title: postVersion.title,
  summary: postVersion.summary,
  body: postVersion.body,
  revision: postVersion.revision,
  updatedAt: postVersion.updatedAt,
  publishedAt: post.publishedAt,
};

/** The published version at this address, or null. */
export async function versionBySlug(db: Db, slug: string): Promise<PublicVersion | null> {
  const [v] = await db.select(columns).from(postVersion).innerJoin(post, eq(post.id, postVersion.postId)).where(and(eq(postVersion.slug, slug), visible));
  return v ? (v as PublicVersion) : null;
}

/** Every language version of a published post (its translations): language and address. */
export async function translationsOf(db: Db, postId: string): Promise<{ language: string; slug: string; title: string }[]> {
  return db.select({ language: postVersion.language, slug: postVersion.slug, title: postVersion.title }).from(postVersion).where(eq(postVersion.postId, postId));
}

/** Published posts in one language, newest first; `before` pages on (a publication instant and a post id). */
export async function publishedIn(db: Db, language: string, limit: number, before?: { at: Date; id: string }): Promise<PublicVersion[]> {
  const rows = await db
    .select(columns)
    .from(postVersion)
    .innerJoin(post, eq(post.id, postVersion.postId))
    .where(and(visible, eq(postVersion.language, language), before ? or(lt(post.publishedAt, before.at), and(eq(post.publishedAt, before.at), lt(post.id, before.id))) : undefined))
    .orderBy(desc(post.publishedAt), desc(post.id))
    .limit(limit);
  return rows as PublicVersion[];
}

/** Every published version (the sitemap), with its translations grouped by post. */
export async function allPublished(db: Db, limit = 50_000): Promise<PublicVersion[]> {
  return (await db.select(columns).from(postVersion).innerJoin(post, eq(post.id, postVersion.postId)).where(visible).orderBy(desc(post.publishedAt)).limit(limit)) as PublicVersion[];
}

/** The photos of these posts with their files' widths and formats (no bytes), alt and caption in `language`. */
export async function photoRefs(db: Db, postIds: string[], language: string): Promise<Map<string, PhotoRef & { postId: string }>> {
  const out = new Map<string, PhotoRef & { postId: string }>();
  if (!postIds.length) return out;
  const photos = await db.select().from(postPhoto).where(inArray(postPhoto.postId, postIds)).orderBy(postPhoto.position, postPhoto.createdAt);
  if (!photos.length) return out;
  const files = await db
    .select({ photoId: postPhotoFile.photoId, format: postPhotoFile.format, width: postPhotoFile.width })
    .from(postPhotoFile)
    .where(inArray(postPhotoFile.photoId, photos.map((p) => p.id)));
  for (const p of photos) {
    out.set(p.id, {
      id: p.id,
      postId: p.postId,
      alt: p.alt[language] ?? '',
      caption: p.caption[language] ?? '',
      credit: p.credit,
      width: p.width,
      height: p.height,
      files: files.filter((f) => f.photoId === p.id),
    });
  }
  return out;
}

/** A photo file, only when its post is published and public. */
export async function publicPhotoFile(db: Db, photoId: string, width: number, format: string): Promise<Buffer | null> {
  const [f] = await db
    .select({ bytes: postPhotoFile.bytes })
    .from(postPhotoFile)
    .innerJoin(postPhoto, eq(postPhoto.id, postPhotoFile.photoId))
    .innerJoin(post, eq(post.id, postPhoto.postId))
    .where(and(eq(postPhotoFile.photoId, photoId), eq(postPhotoFile.width, width), eq(postPhotoFile.format, format), visible));
  return f?.bytes ?? null;
}

/** The newest publication among published public posts (feeds' <updated>). */
export async function lastPublished(db: Db): Promise<Date | null> {
  const [r] = await db.select({ at: sql<Date | null>`max(${post.updatedAt})` }).from(post).where(visible);
  return r?.at ? new Date(r.at) : null;
}
