import type { z } from 'zod';
import type {
  Erasable,
  ErasureDto,
  ErasurePreview,
  ErasureSettings,
  MentionSchema,
  PlaceKind,
  RecordErasureStateSchema,
  RequestErasureInput,
} from '../../../server/features/network/erasure.contract.ts';
import { query, request } from '../../api.ts';

// Erasure on request (docs/erasure.md). Types only come from the server's contract.
export type { Erasable, ErasurePreview, ErasureSettings, PlaceKind };
export type Erasure = ErasureDto;
export type RecordErasureState = z.infer<typeof RecordErasureStateSchema>;
export type Mention = z.infer<typeof MentionSchema>;
export type ErasureStatusFilter = 'pending' | 'done' | 'cancelled' | 'expired' | 'all';

const base = (type: Erasable, id: string) => `/${type === 'person' ? 'people' : 'organisations'}/${encodeURIComponent(id)}/erasure`;

export const erasureApi = {
  state: (type: Erasable, id: string) => request<RecordErasureState>('GET', base(type, id)),
  preview: (type: Erasable, id: string) => request<ErasurePreview>('GET', `${base(type, id)}/preview`),
  request: (type: Erasable, id: string, body: RequestErasureInput) => request<{ erasure: Erasure; done: boolean }>('POST', base(type, id), body),
  list: (status: ErasureStatusFilter, cursor?: string) => request<{ items: Erasure[]; nextCursor: string | null }>('GET', `/erasure-requests${query({ status, cursor, limit: 100 })}`),
  get: (id: string) => request<{ erasure: Erasure; preview: ErasurePreview | null }>('GET', `/erasure-requests/${encodeURIComponent(id)}`),
  confirm: (id: string, confirmName: string) => request<Erasure>('POST', `/erasure-requests/${encodeURIComponent(id)}/confirm`, { confirmName }),
  cancel: (id: string) => request<void>('DELETE', `/erasure-requests/${encodeURIComponent(id)}`),
  settings: () => request<ErasureSettings>('GET', '/erasure-settings'),
  updateSettings: (body: ErasureSettings) => request<ErasureSettings>('PATCH', '/erasure-settings', body),
};

/** Where a place of free text is shown in the app (a saved segment has no page of its own). */
export function placeHref(link: Mention['link']): string | null {
  if (!link) return null;
  if (link.type === 'meeting') return `/network/meetings/${link.id}`;
  if (link.type === 'person') return `/network/people/${link.id}`;
  if (link.type === 'campaign') return `/campaigns/${link.id}`;
  return `/network/organisations/${link.id}`;
}

export function recordHref(type: Erasable, id: string): string {
  return type === 'person' ? `/network/people/${id}` : `/network/organisations/${id}`;
}
