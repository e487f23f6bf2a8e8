import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import { likePatterns, mentions, replaceInJson, replaceTerms, type Terms } from '../network/erasure.text.ts';

// Erasure on request looks into posts (docs/updates.md, docs/erasure.md): when a Network person is erased, each of
// their names (every script, transliterations, pseudonym, contacts: the erasure's terms) is replaced by the
// tombstone in every post's texts: each language version's title, summary and body, every stored revision of them,
// the photos' alt texts, captions and credits, and the labels of a draft's figures. Called by Network's erasure
// (network/erasure.service.ts carryOut) in its own transaction; imports nothing of Updates but its tables' names, so
// that Network can call it without depending on the rest of Updates. Replacing works on the text as typed (as for
// the other places of free text): a mention only folding finds (a name typed with Hebrew points) is left, and the
// post is counted as still to review.

const anyLike = (columns: SQL[], patterns: string[]): SQL =>
  patterns.length === 0
    ? sql`false`
    : sql`(${sql.join(
        columns.flatMap((c) => patterns.map((p) => sql`${c} ILIKE ${p}`)),
        sql` OR `,
      )})`;

type VersionRow = { post_id: string; language: string; title: string; summary: string; body: string };
type RevisionRow = { id: string | number; post_id: string; title: string; summary: string; body: string };
type PhotoRow = { id: string; post_id: string; alt: Record<string, string> | string; caption: Record<string, string> | string; credit: string | null };
type DraftRow = { id: string; data_draft: unknown };

const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

async function candidates(db: Db, terms: Terms, lock: boolean) {
  const p = likePatterns(terms);
  const forUpdate = lock ? sql`FOR UPDATE` : sql``;
  const versions = await rows<VersionRow>(
    db,
    sql`SELECT post_id::text AS post_id, language, title, summary, body FROM post_version
        WHERE ${anyLike([sql`title`, sql`summary`, sql`body`], p)} ORDER BY post_id, language ${forUpdate}`,
  );
  const revisions = await rows<RevisionRow>(
    db,
    sql`SELECT id, post_id::text AS post_id, title, summary, body FROM post_revision
        WHERE ${anyLike([sql`title`, sql`summary`, sql`body`], p)} ORDER BY id ${forUpdate}`,
  );
  const photos = await rows<PhotoRow>(
    db,
    sql`SELECT id::text AS id, post_id::text AS post_id, alt, caption, credit FROM post_photo
        WHERE ${anyLike([sql`alt::text`, sql`caption::text`, sql`coalesce(credit, '')`], p)} ORDER BY id ${forUpdate}`,
  );
  const drafts = await rows<DraftRow>(
    db,
    sql`SELECT id::text AS id, data_draft FROM post WHERE data_draft IS NOT NULL AND ${anyLike([sql`data_draft::text`], p)} ORDER BY id ${forUpdate}`,
  );
  return { versions, revisions, photos, drafts };
}

const textsOf = (r: { title: string; summary: string; body: string }) => [r.title, r.summary, r.body];
const photoTexts = (r: PhotoRow) => [...Object.values(json(r.alt)), ...Object.values(json(r.caption)), r.credit];

/** The posts whose texts (any version, revision, photo text or draft figure) name the record: their ids. */
export async function postsNaming(db: Db, terms: Terms): Promise<string[]> {
  if (terms.folded.length === 0) return [];
  const c = await candidates(db, terms, false);
  const ids = new Set<string>();
  for (const v of c.versions) if (textsOf(v).some((x) => mentions(x, terms))) ids.add(v.post_id);
  for (const r of c.revisions) if (textsOf(r).some((x) => mentions(x, terms))) ids.add(r.post_id);
  for (const p of c.photos) if (photoTexts(p).some((x) => mentions(x, terms))) ids.add(p.post_id);
  for (const d of c.drafts) if (mentions(JSON.stringify(d.data_draft), terms)) ids.add(d.id);
  return [...ids].sort();
}

export type PostsRedacted = {
  /** posts where something was replaced */
  posts: string[];
  versions: number;
  revisions: number;
  photos: number;
  drafts: number;
  /** posts that still name the record after the replacement (a mention only folding finds): to edit by hand */
  toReview: string[];
};

/** The tables redactPosts writes (vacuumed after the erasure). */
export const POST_TABLES = ['post', 'post_version', 'post_revision', 'post_photo'];

/**
 * Replaces the record's names by `replacement` in every post's texts, in the caller's transaction. A version whose
 * text changes gets a new `updated_at` (the public site's share image is keyed by it); no revision is added (the
 * revisions themselves are redacted) and the post's state is left as it is.
 */
export async function redactPosts(db: Db, terms: Terms, replacement: string): Promise<PostsRedacted> {
  const out: PostsRedacted = { posts: [], versions: 0, revisions: 0, photos: 0, drafts: 0, toReview: [] };
  if (terms.folded.length === 0) return out;
  const swap = (t: string) => replaceTerms(t, terms, replacement);
  const changed = new Set<string>();
  const review = new Set<string>();
  const c = await candidates(db, terms, true);
  for (const v of c.versions) {
    const [title, summary, body] = textsOf(v).map(swap) as [string, string, string];
    if (title !== v.title || summary !== v.summary || body !== v.body) {
      await db.execute(sql`UPDATE post_version SET title = ${title}, summary = ${summary}, body = ${body}, updated_at = now()
        WHERE post_id = ${v.post_id}::uuid AND language = ${v.language}`);
      out.versions++;
      changed.add(v.post_id);
    }
    if ([title, summary, body].some((x) => mentions(x, terms))) review.add(v.post_id);
  }
  for (const r of c.revisions) {
    const [title, summary, body] = textsOf(r).map(swap) as [string, string, string];
    if (title !== r.title || summary !== r.summary || body !== r.body) {
      await db.execute(sql`UPDATE post_revision SET title = ${title}, summary = ${summary}, body = ${body} WHERE id = ${r.id}`);
      out.revisions++;
      changed.add(r.post_id);
    }
    if ([title, summary, body].some((x) => mentions(x, terms))) review.add(r.post_id);
  }
  for (const p of c.photos) {
    const alt = json(p.alt);
    const caption = json(p.caption);
    const nextAlt = replaceInJson(alt, terms, replacement);
    const nextCaption = replaceInJson(caption, terms, replacement);
    const credit = p.credit == null ? null : swap(p.credit);
    if (nextAlt !== alt || nextCaption !== caption || credit !== p.credit) {
      await db.execute(sql`UPDATE post_photo SET alt = ${JSON.stringify(nextAlt)}::jsonb, caption = ${JSON.stringify(nextCaption)}::jsonb, credit = ${credit}
        WHERE id = ${p.id}::uuid`);
      out.photos++;
      changed.add(p.post_id);
    }
    if ([...Object.values(nextAlt), ...Object.values(nextCaption), credit].some((x) => mentions(x, terms))) review.add(p.post_id);
  }
  for (const d of c.drafts) {
    const draft = json(d.data_draft);
    const next = replaceInJson(draft, terms, replacement);
    if (next !== draft) {
      await db.execute(sql`UPDATE post SET data_draft = ${JSON.stringify(next)}::jsonb WHERE id = ${d.id}::uuid`);
      out.drafts++;
      changed.add(d.id);
    }
    if (mentions(JSON.stringify(next), terms)) review.add(d.id);
  }
  if (changed.size > 0) {
    await db.execute(sql`UPDATE post SET updated_at = now() WHERE id IN (${sql.join(
      [...changed].map((id) => sql`${id}::uuid`),
      sql`, `,
    )})`);
  }
  out.posts = [...changed].sort();
  out.toReview = [...review].sort();
  return out;
}
