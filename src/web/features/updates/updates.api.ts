import type { z } from 'zod';
import { ApiError, query, request, type Page } from '../../api.ts';
import type { DataSourceSchema, DiffSchema, NamesSchema, PhotoSchema, PostSchema, PostSummarySchema, RevisionSchema, VersionInputSchema } from '../../../server/features/updates/updates.contract.ts';

// Types only come from the server's contract: the zod schemas stay out of the bundle.
export type PostDto = z.infer<typeof PostSchema>;
export type PostSummary = z.infer<typeof PostSummarySchema>;
export type PostState = PostDto['state'];
export type PostLanguage = PostDto['versions'][number]['language'];
export type Photo = z.infer<typeof PhotoSchema>;
export type Revision = z.infer<typeof RevisionSchema>;
export type Diff = z.infer<typeof DiffSchema>;
export type VersionBody = z.input<typeof VersionInputSchema>;
export type DataDraft = NonNullable<PostDto['dataDraft']>;
export type DataSourceKind = DataDraft['source']['kind'];
export type DataSourceInput = z.input<typeof DataSourceSchema>;

export const POST_STATES: PostState[] = ['draft', 'in_review', 'scheduled', 'published', 'unpublished'];
export const POST_LANGUAGES: PostLanguage[] = ['en', 'he', 'ar'];

const enc = encodeURIComponent;

/** A photo as multipart/form-data (the one request of the app that is not JSON). */
async function upload(id: string, form: FormData): Promise<Photo> {
  const res = await fetch(`/api/posts/${enc(id)}/photos`, { method: 'POST', body: form, credentials: 'same-origin', headers: { accept: 'application/json' } }).catch(() => {
    throw new ApiError(0, 'network_error', 'The server could not be reached.');
  });
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const p = (data ?? {}) as { code?: string; detail?: string; errors?: { field: string; detail: string }[] };
    const fields: Record<string, string> = {};
    for (const e of p.errors ?? []) fields[e.field.replace(/^body\./, '')] ??= e.detail;
    throw new ApiError(res.status, p.code ?? `http_${res.status}`, p.detail ?? res.statusText, fields);
  }
  return data as Photo;
}

export const updatesApi = {
  list: (state: PostState | undefined, cursor?: string) => request<Page<PostSummary>>('GET', `/posts${query({ limit: 50, state, cursor })}`),
  get: (id: string) => request<PostDto>('GET', `/posts/${enc(id)}`),
  create: (body: { visibility?: 'public' | 'internal'; versions: Partial<Record<PostLanguage, VersionBody>> }) => request<PostDto>('POST', '/posts', body),
  draftFromData: (source: DataSourceInput) => request<PostDto>('POST', '/posts/draft-from-data', { source }),
  update: (id: string, body: { visibility?: 'public' | 'internal' }) => request<PostDto>('PATCH', `/posts/${enc(id)}`, body),
  putVersion: (id: string, language: PostLanguage, body: VersionBody) => request<PostDto>('PUT', `/posts/${enc(id)}/versions/${language}`, body),
  transition: (id: string, action: 'submit' | 'publish' | 'unpublish' | 'withdraw', overrideNames = false) =>
    request<PostDto>('POST', `/posts/${enc(id)}/${action}${overrideNames ? '?overrideNames=true' : ''}`),
  names: (id: string) => request<z.infer<typeof NamesSchema>>('GET', `/posts/${enc(id)}/names`),
  schedule: (id: string, at: string) => request<PostDto>('POST', `/posts/${enc(id)}/schedule`, { at }),
  revisions: (id: string, language: PostLanguage) => request<{ items: Revision[] }>('GET', `/posts/${enc(id)}/versions/${language}/revisions`),
  diff: (id: string, language: PostLanguage, from: number, to: number) => request<Diff>('GET', `/posts/${enc(id)}/versions/${language}/diff${query({ from, to })}`),
  preview: (markdown: string, postId?: string, language?: PostLanguage) => request<{ html: string }>('POST', '/posts/preview', { markdown, postId, language }),
  upload,
  deleteVersion: (id: string, language: PostLanguage) => request<PostDto>('DELETE', `/posts/${enc(id)}/versions/${language}`),
  deletePost: (id: string) => request<void>('DELETE', `/posts/${enc(id)}`),
  deletePhoto: (id: string, photoId: string) => request<void>('DELETE', `/posts/${enc(id)}/photos/${enc(photoId)}`),
  settings: () => request<{ publishNeedsSecondPerson: boolean }>('GET', '/posts-settings'),
};

export const postKeys = {
  all: ['posts'] as const,
  list: (state?: PostState) => ['posts', 'list', state ?? 'all'] as const,
  one: (id: string) => ['posts', 'one', id] as const,
  revisions: (id: string, language: PostLanguage) => ['posts', 'revisions', id, language] as const,
};
