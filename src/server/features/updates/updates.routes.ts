import { createRoute, z } from '@hono/zod-openapi';
import type { FeatureDeps } from '../../http/context.ts';
import { IdParamSchema, json, jsonBody, newRouter, problems } from '../../http/openapi.ts';
import { AppError } from '../../core/errors.ts';
import { renderMarkdown, type PhotoRef } from './markdown.ts';
import { MIME } from './photos.ts';
import {
  CreatePostSchema,
  DraftFromDataSchema,
  DiffQuerySchema,
  DiffSchema,
  NamesSchema,
  PhotoSchema,
  PhotoTextSchema,
  PhotoUploadSchema,
  PostLanguageSchema,
  PostListQuerySchema,
  PostPageSchema,
  PostSchema,
  PostSettingsSchema,
  PreviewResultSchema,
  PreviewSchema,
  RevisionListSchema,
  ScheduleSchema,
  UpdatePostSchema,
  VersionInputSchema,
} from './updates.contract.ts';
import * as updates from './updates.service.ts';
import { draftFromData } from './draft.service.ts';
import type { AiProvider } from '../../ai/provider.ts';

const param = (name: string) => z.string().min(1).max(100).openapi({ param: { name, in: 'path' } });
const LanguageParams = z.object({ id: param('id'), language: PostLanguageSchema.openapi({ param: { name: 'language', in: 'path' } }) });
const PhotoParams = z.object({ id: param('id'), photoId: param('photoId') });
const FileParams = z.object({
  id: param('id'),
  photoId: param('photoId'),
  file: z
    .string()
    .regex(/^\d{1,5}\.(avif|webp|jpg)$/, 'A width and a format, e.g. 960.webp')
    .openapi({ param: { name: 'file', in: 'path' }, example: '960.webp' }),
});

/** "960.webp" -> width and format as stored */
export function parseFileName(file: string): { width: number; format: 'avif' | 'webp' | 'jpeg' } {
  const [w, ext] = file.split('.') as [string, string];
  return { width: Number(w), format: ext === 'jpg' ? 'jpeg' : (ext as 'avif' | 'webp') };
}

/** Updates, staff side: posts, their language versions, transitions, revisions, photos, settings, preview. */
export function updatesRoutes(deps: FeatureDeps & updates.UpdatesDeps & { ai?: AiProvider | null }) {
  const { db } = deps;
  const r = newRouter();
  const tags = ['Updates'];
  const ok = (schema: z.ZodTypeAny, what: string) => ({ 200: json(schema, what) });

  r.openapi(
    createRoute({ method: 'get', operationId: 'listPosts', path: '/posts', tags, summary: 'Posts, last changed first, by state (everyone signed in)', request: { query: PostListQuerySchema }, responses: { ...ok(PostPageSchema, 'Posts'), ...problems(400, 401, 403) } }),
    async (c) => c.json(await updates.listPosts(db, c.get('ctx'), c.req.valid('query')), 200),
  );
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'createPost',
      path: '/posts',
      tags,
      summary: 'Write a post in one or more languages (a draft; staff and admins); 409 post_slug_taken when an address is taken',
      request: { body: jsonBody(CreatePostSchema) },
      responses: { 201: json(PostSchema, 'The post'), ...problems(400, 401, 403, 409) },
    }),
    async (c) => c.json(await updates.createPost(db, c.get('ctx'), c.req.valid('json')), 201),
  );
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'draftPostFromData',
      path: '/posts/draft-from-data',
      tags,
      summary:
        'Draft from data: a period, a trip, an event or a campaign becomes a draft in en/he/ar with figures counted from the records as a staff member with no need-to-know grants sees them, each with the records it counts; worded by the AI provider when one is configured (every number checked unchanged), else a plain template. 422 draft_no_records when there is nothing to count.',
      request: { body: jsonBody(DraftFromDataSchema) },
      responses: { 201: json(PostSchema, 'The draft'), ...problems(400, 401, 403, 404, 422) },
    }),
    async (c) => c.json(await draftFromData(db, c.get('ctx'), deps.ai ?? null, c.req.valid('json')), 201),
  );
  r.openapi(
    createRoute({ method: 'get', operationId: 'getPost', path: '/posts/{id}', tags, summary: 'One post with its language versions and photos', request: { params: IdParamSchema }, responses: { ...ok(PostSchema, 'The post'), ...problems(401, 403, 404) } }),
    async (c) => c.json(await updates.getPost(db, c.get('ctx'), c.req.valid('param').id), 200),
  );
  r.openapi(
    createRoute({ method: 'patch', operationId: 'updatePost', path: '/posts/{id}', tags, summary: 'Change a post’s visibility (public or internal)', request: { params: IdParamSchema, body: jsonBody(UpdatePostSchema) }, responses: { ...ok(PostSchema, 'The post'), ...problems(400, 401, 403, 404) } }),
    async (c) => c.json(await updates.updatePost(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 200),
  );
  r.openapi(
    createRoute({ method: 'delete', operationId: 'deletePost', path: '/posts/{id}', tags, summary: 'Delete a post that is neither published nor scheduled', request: { params: IdParamSchema }, responses: { 204: { description: 'Deleted' }, ...problems(401, 403, 404, 409) } }),
    async (c) => {
      await updates.deletePost(db, c.get('ctx'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
  r.openapi(
    createRoute({
      method: 'put',
      operationId: 'putPostVersion',
      path: '/posts/{id}/versions/{language}',
      tags,
      summary: 'Write or translate one language version: a new revision by the caller when the text changed',
      request: { params: LanguageParams, body: jsonBody(VersionInputSchema) },
      responses: { ...ok(PostSchema, 'The post'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await updates.putVersion(db, c.get('ctx'), p.id, p.language, c.req.valid('json')), 200);
    },
  );
  r.openapi(
    createRoute({ method: 'delete', operationId: 'deletePostVersion', path: '/posts/{id}/versions/{language}', tags, summary: 'Remove one language version (its revisions are kept)', request: { params: LanguageParams }, responses: { ...ok(PostSchema, 'The post'), ...problems(401, 403, 404, 409) } }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await updates.deleteVersion(db, c.get('ctx'), p.id, p.language), 200);
    },
  );

  const transition = (operationId: string, path: string, summary: string, run: (ctx: Parameters<typeof updates.submitPost>[1], id: string) => Promise<unknown>) =>
    r.openapi(
      createRoute({ method: 'post', operationId, path, tags, summary, request: { params: IdParamSchema }, responses: { ...ok(PostSchema, 'The post'), ...problems(401, 403, 404, 409, 422) } }),
      async (c) => c.json((await run(c.get('ctx'), c.req.valid('param').id)) as never, 200),
    );
  transition('submitPost', '/posts/{id}/submit', 'Send a draft for review', (ctx, id) => updates.submitPost(db, ctx, id));
  transition('withdrawPost', '/posts/{id}/withdraw', 'Back to draft (a post in review, or a scheduled one: its schedule is cancelled)', (ctx, id) => updates.withdrawPost(db, ctx, id));
  transition('unpublishPost', '/posts/{id}/unpublish', 'Take a published post off the site', (ctx, id) => updates.unpublishPost(db, ctx, id));
  const OverrideQuery = z.object({
    overrideNames: z.enum(['true', 'false']).optional().openapi({ description: 'true: publish although the safety check flagged names (audited as post.names_override)' }),
  });
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'publishPost',
      path: '/posts/{id}/publish',
      tags,
      summary: 'Publish now: alt text on every photo in every language, a second person when the admin requires it, and the safety check (422 names_flagged unless overrideNames=true)',
      request: { params: IdParamSchema, query: OverrideQuery },
      responses: { ...ok(PostSchema, 'The post'), ...problems(400, 401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await updates.publishPost(db, c.get('ctx'), c.req.valid('param').id, new Date(), c.req.valid('query').overrideNames === 'true'), 200),
  );
  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'checkPostNames',
      path: '/posts/{id}/names',
      tags,
      summary: 'The safety check: every Network person the post names (any name, any script), flagged no_consent, pseudonymous or restricted; protected people are shown by the name as written only',
      request: { params: IdParamSchema },
      responses: { ...ok(NamesSchema, 'Names'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await updates.checkNames(db, c.get('ctx'), c.req.valid('param').id), 200),
  );
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'schedulePost',
      path: '/posts/{id}/schedule',
      tags,
      summary: 'Publish at a time in the future (422 schedule_in_past otherwise): a job due then publishes it; a second person when the admin requires it',
      request: { params: IdParamSchema, query: OverrideQuery, body: jsonBody(ScheduleSchema) },
      responses: { ...ok(PostSchema, 'The post'), ...problems(400, 401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await updates.schedulePost(db, c.get('ctx'), deps, c.req.valid('param').id, c.req.valid('json').at, new Date(), c.req.valid('query').overrideNames === 'true'), 200),
  );

  r.openapi(
    createRoute({ method: 'get', operationId: 'listPostRevisions', path: '/posts/{id}/versions/{language}/revisions', tags, summary: 'Every saved text of one language version, newest first, with its author', request: { params: LanguageParams }, responses: { ...ok(RevisionListSchema, 'Revisions'), ...problems(401, 403, 404) } }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await updates.listRevisions(db, c.get('ctx'), p.id, p.language), 200);
    },
  );
  r.openapi(
    createRoute({ method: 'get', operationId: 'diffPostRevisions', path: '/posts/{id}/versions/{language}/diff', tags, summary: 'The line diff of title, summary and body between two revisions', request: { params: LanguageParams, query: DiffQuerySchema }, responses: { ...ok(DiffSchema, 'The diff'), ...problems(400, 401, 403, 404) } }),
    async (c) => {
      const p = c.req.valid('param');
      const q = c.req.valid('query');
      return c.json(await updates.diffRevisions(db, c.get('ctx'), p.id, p.language, q.from, q.to), 200);
    },
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'addPostPhoto',
      path: '/posts/{id}/photos',
      tags,
      summary: 'Upload a photo (multipart/form-data, at most 20 MiB and 60 megapixels): resized to AVIF, WebP and JPEG at up to three widths, every metadata field (EXIF, GPS, XMP, ICC) stripped. Alt text required in each language the post has.',
      request: { params: IdParamSchema, body: { required: true, content: { 'multipart/form-data': { schema: PhotoUploadSchema } } } },
      responses: { 201: json(PhotoSchema, 'The photo'), ...problems(400, 401, 403, 404, 422) },
    }),
    async (c) => {
      const form = c.req.valid('form') as Record<string, unknown>;
      const file = form.file;
      if (!(file instanceof File)) throw new AppError('invalid', 'invalid_request', 'Send the photo as the field "file".', [{ field: 'body.file', detail: 'Required' }]);
      const s = (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : undefined);
      const photo = await updates.addPhoto(db, c.get('ctx'), c.req.valid('param').id, {
        file: new Uint8Array(await file.arrayBuffer()),
        alt: { en: s('alt_en'), he: s('alt_he'), ar: s('alt_ar') },
        caption: { en: s('caption_en'), he: s('caption_he'), ar: s('caption_ar') },
        credit: s('credit'),
      });
      return c.json(photo, 201);
    },
  );
  r.openapi(
    createRoute({ method: 'patch', operationId: 'updatePostPhoto', path: '/posts/{id}/photos/{photoId}', tags, summary: 'Change a photo’s alt text, caption or credit', request: { params: PhotoParams, body: jsonBody(PhotoTextSchema) }, responses: { ...ok(PhotoSchema, 'The photo'), ...problems(400, 401, 403, 404) } }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await updates.updatePhoto(db, c.get('ctx'), p.id, p.photoId, c.req.valid('json')), 200);
    },
  );
  r.openapi(
    createRoute({ method: 'delete', operationId: 'deletePostPhoto', path: '/posts/{id}/photos/{photoId}', tags, summary: 'Delete a photo and its files', request: { params: PhotoParams }, responses: { 204: { description: 'Deleted' }, ...problems(401, 403, 404) } }),
    async (c) => {
      const p = c.req.valid('param');
      await updates.deletePhoto(db, c.get('ctx'), p.id, p.photoId);
      return c.body(null, 204);
    },
  );
  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getPostPhotoFile',
      path: '/posts/{id}/photos/{photoId}/{file}',
      tags,
      summary: 'One file of a photo, e.g. 960.webp (for the editor’s preview)',
      request: { params: FileParams },
      responses: { 200: { description: 'The image', content: { 'image/avif': { schema: z.any() }, 'image/webp': { schema: z.any() }, 'image/jpeg': { schema: z.any() } } }, ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      const { width, format } = parseFileName(p.file);
      const f = await updates.photoFile(db, c.get('ctx'), p.id, p.photoId, width, format);
      return c.body(new Uint8Array(f.bytes), 200, { 'content-type': MIME[format]!, 'cache-control': 'private, max-age=3600' }) as never;
    },
  );

  r.openapi(
    createRoute({ method: 'post', operationId: 'previewMarkdown', path: '/posts/preview', tags, summary: 'The Markdown as the public site renders it (raw HTML off, safe links, dir="auto" blocks)', request: { body: jsonBody(PreviewSchema) }, responses: { ...ok(PreviewResultSchema, 'HTML'), ...problems(400, 401, 403, 404) } }),
    async (c) => {
      const ctx = c.get('ctx');
      const body = c.req.valid('json');
      await updates.readPostSettings(db, ctx);
      if (!body.postId) return c.json({ html: renderMarkdown(body.markdown) }, 200);
      const p = await updates.getPost(db, ctx, body.postId);
      const lang = body.language ?? 'en';
      const photos = new Map<string, PhotoRef>(p.photos.map((ph) => [ph.id, { ...ph, alt: ph.alt[lang] ?? '', caption: ph.caption[lang] ?? '' }]));
      return c.json({ html: renderMarkdown(body.markdown, { photos, base: `/api/posts/${p.id}/photos` }) }, 200);
    },
  );
  r.openapi(
    createRoute({ method: 'get', operationId: 'getPostSettings', path: '/posts-settings', tags, summary: 'Whether publishing needs a second person', responses: { ...ok(PostSettingsSchema, 'Settings'), ...problems(401, 403) } }),
    async (c) => c.json(await updates.readPostSettings(db, c.get('ctx')), 200),
  );
  r.openapi(
    createRoute({ method: 'put', operationId: 'putPostSettings', path: '/posts-settings', tags, summary: 'Require (or not) a second person to publish (admins)', request: { body: jsonBody(PostSettingsSchema) }, responses: { ...ok(PostSettingsSchema, 'Settings'), ...problems(400, 401, 403) } }),
    async (c) => c.json(await updates.updatePostSettings(db, c.get('ctx'), c.req.valid('json')), 200),
  );
  return r;
}
