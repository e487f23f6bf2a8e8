import { sql } from 'drizzle-orm';
import { bigserial, check, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { user } from '../accounts/accounts.schema.ts';
import type { LocalizedText } from '../dialogues/dialogues.schema.ts';

// Updates (issue 15): news posts. A post is one story with a version per language (en, he, ar; any may be missing),
// each with its own title, slug, summary and Markdown body: the versions are translations of each other. Every
// saved change of a version is a revision with its author. Photos belong to the post, with alt text per language,
// and are kept only as the re-encoded files (every metadata field stripped): the uploaded bytes are never stored.

export type { LocalizedText };

/** A record a figure counts, for the staff app's link to it. */
export type FigureRecord = { type: 'meeting' | 'organisation' | 'event' | 'dialogue' | 'campaign_target'; id: string; label: string };
/** One figure of a draft from data: its key (member_organisations_met …), what it is about (a kind, a city), its value and records. */
export type DraftFigure = { key: string; about: string | null; value: number; records: FigureRecord[] };
export type DataSource =
  | { kind: 'period'; from: string; to: string; cities?: string[] }
  | { kind: 'trip'; id: string }
  | { kind: 'event'; id: string }
  | { kind: 'campaign'; id: string };
export type DataDraft = {
  source: DataSource & { name?: string };
  timeZone: string;
  computedAt: string;
  figures: DraftFigure[];
  /** ai: polished by the provider with every figure unchanged; template; ai_rejected: the provider failed or changed a figure */
  wording: 'ai' | 'template' | 'ai_rejected';
  aiProblem: string | null;
};

/** Bytes in the database (PostgreSQL bytea; Buffer in Node). */
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

export const POST_STATES = ['draft', 'in_review', 'scheduled', 'published', 'unpublished'] as const;
export const POST_VISIBILITIES = ['public', 'internal'] as const;
export const POST_LANGUAGES = ['en', 'he', 'ar'] as const;

export const post = pgTable(
  'post',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** public: on /news for everyone; internal: staff only (the public site answers 404) */
    visibility: text('visibility').notNull().default('public'),
    /** draft | in_review | scheduled | published | unpublished */
    state: text('state').notNull().default('draft'),
    /** when a scheduled post is published (a job due then publishes it) */
    scheduledAt: timestamp('scheduled_at', { withTimezone: true }),
    /** who asked for the schedule (the publisher when it runs) */
    scheduledBy: text('scheduled_by').references(() => user.id, { onDelete: 'set null' }),
    /** the first time it was published (the date a reader sees); kept across unpublish and publish again */
    publishedAt: timestamp('published_at', { withTimezone: true }),
    publishedBy: text('published_by').references(() => user.id, { onDelete: 'set null' }),
    /** who sent it for review (a second person may then publish it) */
    submittedBy: text('submitted_by').references(() => user.id, { onDelete: 'set null' }),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    /** "Draft from data": what the draft was written from and its figures, each with the records it counts (staff only) */
    dataDraft: jsonb('data_draft').$type<DataDraft>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('post_state_published_idx').on(t.state, t.publishedAt),
    check('post_state_check', sql`${t.state} IN ('draft', 'in_review', 'scheduled', 'published', 'unpublished')`),
    check('post_visibility_check', sql`${t.visibility} IN ('public', 'internal')`),
    check('post_scheduled_check', sql`${t.state} <> 'scheduled' OR ${t.scheduledAt} IS NOT NULL`),
  ],
);

/** One language version of a post: /news/{slug} shows it; the post's other versions are its translations. */
export const postVersion = pgTable(
  'post_version',
  {
    postId: uuid('post_id')
      .notNull()
      .references(() => post.id, { onDelete: 'cascade' }),
    language: text('language').notNull(),
    /** the public address /news/{slug}: unique across every post and language */
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull().default(''),
    /** Markdown (rendered with raw HTML off, src/server/features/updates/markdown.ts) */
    body: text('body').notNull().default(''),
    /** the revision this text is */
    revision: integer('revision').notNull().default(1),
    updatedBy: text('updated_by').references(() => user.id, { onDelete: 'set null' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.postId, t.language] }),
    uniqueIndex('post_version_slug_idx').on(t.slug),
    check('post_version_language_check', sql`${t.language} IN ('en', 'he', 'ar')`),
  ],
);

/** Every saved text of a language version, numbered from 1, with its author: diffs are between two of them. */
export const postRevision = pgTable(
  'post_revision',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    postId: uuid('post_id')
      .notNull()
      .references(() => post.id, { onDelete: 'cascade' }),
    language: text('language').notNull(),
    number: integer('number').notNull(),
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull(),
    body: text('body').notNull(),
    authorId: text('author_id').references(() => user.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('post_revision_number_idx').on(t.postId, t.language, t.number)],
);

/** A photo of a post: its alt text per language (required in each language the post has), caption and credit. */
export const postPhoto = pgTable(
  'post_photo',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    postId: uuid('post_id')
      .notNull()
      .references(() => post.id, { onDelete: 'cascade' }),
    alt: jsonb('alt').$type<LocalizedText>().notNull().default({}),
    caption: jsonb('caption').$type<LocalizedText>().notNull().default({}),
    credit: text('credit'),
    /** the re-encoded original's size (after rotation by its orientation) */
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    position: integer('position').notNull().default(0),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('post_photo_post_idx').on(t.postId, t.position)],
);

/** The files of a photo: one per width and format (WebP, AVIF, JPEG fallback), no metadata in any. */
export const postPhotoFile = pgTable(
  'post_photo_file',
  {
    photoId: uuid('photo_id')
      .notNull()
      .references(() => postPhoto.id, { onDelete: 'cascade' }),
    format: text('format').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    bytes: bytea('bytes').notNull(),
  },
  (t) => [primaryKey({ columns: [t.photoId, t.format, t.width] }), check('post_photo_file_format_check', sql`${t.format} IN ('webp', 'avif', 'jpeg')`)],
);
