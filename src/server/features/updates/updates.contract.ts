import { z } from '@hono/zod-openapi';
import { PageQuerySchema, pageSchema } from '../../http/pagination.ts';
import { DateOnlySchema, InstantSchema } from '../network/common.contract.ts';
import { POST_LANGUAGES, POST_STATES, POST_VISIBILITIES } from './updates.schema.ts';

// Updates (issue 15), staff side: the requests and answers of /api/posts (posts, their language versions,
// transitions, revisions and diffs, photos) and /api/posts-settings. The public site is updates.pages.ts.

export const MAX_TITLE = 200;
export const MAX_SUMMARY = 1000;
export const MAX_BODY = 50_000;
/** the widths a photo is resized to (those not wider than the upload; the upload's own width when it is narrower) */
export const PHOTO_WIDTHS = [480, 960, 1600] as const;
export const PHOTO_FORMATS = ['avif', 'webp', 'jpeg'] as const;
/** an uploaded photo's file: at most this many bytes (the route's body limit is a little more) */
export const MAX_PHOTO_BYTES = 20 * 1024 * 1024;
/** …and at most this many pixels (sharp's limitInputPixels): a 50-megapixel camera fits, a decompression bomb does not */
export const MAX_PHOTO_PIXELS = 60_000_000;

const Iso = z.string().openapi({ format: 'date-time' });
export const PostStateSchema = z.enum(POST_STATES).openapi({ description: 'draft | in_review | scheduled | published | unpublished' });
export const PostVisibilitySchema = z.enum(POST_VISIBILITIES).openapi({ description: 'public (the news site) | internal (staff only)' });
export const PostLanguageSchema = z.enum(POST_LANGUAGES);

export const PostSlugSchema = z
  .string()
  .trim()
  .min(3, 'At least 3 characters')
  .max(100, 'At most 100 characters')
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'Use lower-case letters, digits and hyphens, e.g. regional-meeting-ramallah-he')
  .openapi({ example: 'regional-team-meeting-ramallah' });

export const VersionInputSchema = z
  .strictObject({
    slug: PostSlugSchema,
    title: z.string().trim().min(1, 'Required').max(MAX_TITLE, `At most ${MAX_TITLE} characters`),
    summary: z.string().trim().max(MAX_SUMMARY, `At most ${MAX_SUMMARY} characters`).default(''),
    body: z.string().max(MAX_BODY, `At most ${MAX_BODY} characters`).default(''),
  })
  .openapi('PostVersionInput');
export type VersionInput = z.infer<typeof VersionInputSchema>;

export const CreatePostSchema = z
  .strictObject({
    visibility: PostVisibilitySchema.default('public'),
    versions: z
      .strictObject({ en: VersionInputSchema.optional(), he: VersionInputSchema.optional(), ar: VersionInputSchema.optional() })
      .refine((v) => Object.values(v).some(Boolean), 'Write the post in at least one language'),
  })
  .openapi('CreatePost');
export type CreatePostInput = z.infer<typeof CreatePostSchema>;

export const UpdatePostSchema = z.strictObject({ visibility: PostVisibilitySchema.optional() }).openapi('UpdatePost');
export type UpdatePostInput = z.infer<typeof UpdatePostSchema>;

export const ScheduleSchema = z.strictObject({ at: InstantSchema.openapi({ description: 'when to publish: in the future' }) }).openapi('SchedulePost');

export const PostVersionSchema = z
  .object({
    language: PostLanguageSchema,
    slug: z.string(),
    title: z.string(),
    summary: z.string(),
    body: z.string(),
    revision: z.number().int(),
    updatedBy: z.string().nullable(),
    updatedAt: Iso,
  })
  .openapi('PostVersion');
export type PostVersionDto = z.infer<typeof PostVersionSchema>;

const Localized = z.record(z.string(), z.string());
export const PhotoSchema = z
  .object({
    id: z.string(),
    alt: Localized,
    caption: Localized,
    credit: z.string().nullable(),
    width: z.number().int(),
    height: z.number().int(),
    /** the files: /api/posts/{id}/photos/{photoId}/{width}.{format} (and /news/photos/… once published) */
    files: z.array(z.object({ format: z.enum(PHOTO_FORMATS), width: z.number().int(), height: z.number().int(), bytes: z.number().int() })),
    position: z.number().int(),
  })
  .openapi('PostPhoto');
export type PhotoDto = z.infer<typeof PhotoSchema>;

const FigureRecordSchema = z.object({ type: z.enum(['meeting', 'organisation', 'event', 'dialogue', 'campaign_target']), id: z.string(), label: z.string() });
export const DraftFigureSchema = z
  .object({
    key: z.string().openapi({ example: 'member_organisations_met' }),
    /** what the figure is about: a meeting kind, a city, an event's or dialogue's name; null for a total */
    about: z.string().nullable(),
    value: z.number().int(),
    /** the records it counts, for staff (never published) */
    records: z.array(FigureRecordSchema),
  })
  .openapi('DraftFigure');

const IdInput = z.string().trim().min(1).max(100);
export const DataSourceSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('period'),
      from: DateOnlySchema.openapi({ description: 'First day (YYYY-MM-DD, your time zone)' }),
      to: DateOnlySchema.openapi({ description: 'Last day, inclusive' }),
      cities: z.array(z.string().trim().min(1).max(100)).max(20).optional().openapi({ description: 'Only meetings in these cities, as recorded' }),
    }),
    z.strictObject({ kind: z.literal('trip'), id: IdInput }),
    z.strictObject({ kind: z.literal('event'), id: IdInput }),
    z.strictObject({ kind: z.literal('campaign'), id: IdInput }),
  ])
  .openapi('DraftDataSource');

export const DataDraftSchema = z
  .object({
    source: z.object({ kind: z.enum(['period', 'trip', 'event', 'campaign']), from: z.string().optional(), to: z.string().optional(), cities: z.array(z.string()).optional(), id: z.string().optional(), name: z.string().optional() }),
    timeZone: z.string(),
    computedAt: Iso,
    figures: z.array(DraftFigureSchema),
    wording: z.enum(['ai', 'template', 'ai_rejected']),
    aiProblem: z.string().nullable(),
  })
  .openapi('DataDraft');

export const DraftFromDataSchema = z
  .strictObject({
    source: DataSourceSchema,
    visibility: PostVisibilitySchema.default('public'),
  })
  .openapi('DraftFromData');
export type DraftFromDataInput = z.infer<typeof DraftFromDataSchema>;

export const PostSchema = z
  .object({
    id: z.string(),
    visibility: PostVisibilitySchema,
    state: PostStateSchema,
    scheduledAt: Iso.nullable(),
    publishedAt: Iso.nullable(),
    publishedBy: z.string().nullable(),
    submittedBy: z.string().nullable(),
    createdBy: z.string().nullable(),
    createdAt: Iso,
    updatedAt: Iso,
    versions: z.array(PostVersionSchema),
    photos: z.array(PhotoSchema),
    /** set when the post was drafted from data: its source and figures, each with the records it counts */
    dataDraft: DataDraftSchema.nullable(),
  })
  .openapi('Post');
export type PostDto = z.infer<typeof PostSchema>;

export const PostSummarySchema = z
  .object({
    id: z.string(),
    visibility: PostVisibilitySchema,
    state: PostStateSchema,
    scheduledAt: Iso.nullable(),
    publishedAt: Iso.nullable(),
    updatedAt: Iso,
    titles: Localized,
    languages: z.array(PostLanguageSchema),
  })
  .openapi('PostSummary');
export type PostSummary = z.infer<typeof PostSummarySchema>;
export const PostPageSchema = pageSchema(PostSummarySchema).openapi('PostPage');

export const PostListQuerySchema = PageQuerySchema.extend({ state: PostStateSchema.optional() });
export type PostListQuery = z.infer<typeof PostListQuerySchema>;

export const RevisionSchema = z
  .object({ number: z.number().int(), language: PostLanguageSchema, slug: z.string(), title: z.string(), authorId: z.string().nullable(), authorName: z.string().nullable(), createdAt: Iso })
  .openapi('PostRevision');
export const RevisionListSchema = z.object({ items: z.array(RevisionSchema) }).openapi('PostRevisionList');
export type RevisionDto = z.infer<typeof RevisionSchema>;

export const DiffLineSchema = z.object({ op: z.enum(['same', 'add', 'remove']), text: z.string() });
export const DiffSchema = z
  .object({
    language: PostLanguageSchema,
    from: z.number().int(),
    to: z.number().int(),
    title: z.array(DiffLineSchema),
    summary: z.array(DiffLineSchema),
    body: z.array(DiffLineSchema),
  })
  .openapi('PostDiff');
export type DiffDto = z.infer<typeof DiffSchema>;
export const DiffQuerySchema = z.object({
  from: z.coerce.number().int().min(1).max(1_000_000),
  to: z.coerce.number().int().min(1).max(1_000_000),
});

export const PhotoTextSchema = z
  .strictObject({
    alt: z.strictObject({ en: z.string().trim().max(500).optional(), he: z.string().trim().max(500).optional(), ar: z.string().trim().max(500).optional() }).optional(),
    caption: z.strictObject({ en: z.string().trim().max(1000).optional(), he: z.string().trim().max(1000).optional(), ar: z.string().trim().max(1000).optional() }).optional(),
    credit: z.string().trim().max(200).nullable().optional(),
  })
  .openapi('PostPhotoText');
export type PhotoTextInput = z.infer<typeof PhotoTextSchema>;

export const PhotoUploadSchema = z
  .object({
    file: z.any().openapi({ type: 'string', format: 'binary', description: `JPEG, PNG, WebP, AVIF, HEIF, TIFF or GIF; at most ${MAX_PHOTO_BYTES / 1024 / 1024} MiB and ${MAX_PHOTO_PIXELS / 1_000_000} megapixels` }),
    alt_en: z.string().max(500).optional(),
    alt_he: z.string().max(500).optional(),
    alt_ar: z.string().max(500).optional(),
    caption_en: z.string().max(1000).optional(),
    caption_he: z.string().max(1000).optional(),
    caption_ar: z.string().max(1000).optional(),
    credit: z.string().max(200).optional(),
  })
  .openapi('PostPhotoUpload');

export const PreviewSchema = z
  .strictObject({
    markdown: z.string().max(MAX_BODY, `At most ${MAX_BODY} characters`),
    /** the post whose photos ![alt](photo:<id>) may name, and the language of their alt text and captions */
    postId: z.string().max(100).optional(),
    language: PostLanguageSchema.optional(),
  })
  .openapi('MarkdownPreview');
export const PreviewResultSchema = z.object({ html: z.string() }).openapi('MarkdownPreviewResult');

export const PostSettingsSchema = z
  .strictObject({ publishNeedsSecondPerson: z.boolean().openapi({ description: 'publishing (or scheduling) needs someone other than the authors of the current texts' }) })
  .openapi('PostSettings');

export const NamesSchema = z
  .object({
    names: z.array(
      z.object({
        /** the name as Network records it (for a protected person: only the name the post itself wrote) */
        name: z.string(),
        /** null for a protected (restricted or pseudonymous) person */
        personId: z.string().nullable(),
        displayName: z.string().nullable(),
        flags: z.array(z.enum(['no_consent', 'pseudonymous', 'restricted'])),
      }),
    ),
  })
  .openapi('PostNames');
