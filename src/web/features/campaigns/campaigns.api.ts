import type { z } from 'zod';
import { ApiError, query, request } from '../../api.ts';
import type { OrganisationDto } from '../../../server/features/network/organisations.contract.ts';
import type {
  CampaignDetailSchema,
  CampaignDocumentSchema,
  CampaignGrantListSchema,
  CampaignGrantSchema,
  UpdateCampaignSchema,
  CampaignListSchema,
  CampaignMeetingListSchema,
  CampaignSchema,
  CreateCampaignSchema,
  CreateDocumentSchema,
  CreateStanceSchema,
  CreateTargetSchema,
  GridSchema,
  StanceSchema,
  TagMeetingSchema,
  CoverageSchema,
  MovementChartSchema,
  MeetingCampaignListSchema,
} from '../../../server/features/campaigns/campaigns.contract.ts';

// Types only come from the server's contract: the zod schemas stay out of the bundle.
export type Campaign = z.infer<typeof CampaignSchema>;
export type CampaignDetail = z.infer<typeof CampaignDetailSchema>;
export type CampaignTarget = CampaignDetail['targets'][number];
export type CampaignAsk = CampaignDetail['asks'][number];
export type Grid = z.infer<typeof GridSchema>;
export type Stance = z.infer<typeof StanceSchema>;
export type StanceValue = Stance['value'];
export type EvidenceKind = Stance['evidence']['kind'];
export type CampaignDocument = z.infer<typeof CampaignDocumentSchema>;
export type CampaignMeetings = z.infer<typeof CampaignMeetingListSchema>;
export type Coverage = z.infer<typeof CoverageSchema>;
export type MovementChart = z.infer<typeof MovementChartSchema>;
export type CreateCampaignBody = z.input<typeof CreateCampaignSchema>;
export type UpdateCampaignBody = z.input<typeof UpdateCampaignSchema>;
export type CampaignGrants = z.infer<typeof CampaignGrantListSchema>;
export type CreateStanceBody = z.input<typeof CreateStanceSchema>;
export type CreateTargetBody = z.input<typeof CreateTargetSchema>;
export type CreateDocumentBody = z.input<typeof CreateDocumentSchema>;
export type TagMeetingBody = z.input<typeof TagMeetingSchema>;

// Checked against the contract's unions, so a value the server does not know fails to compile.
export const STANCE_VALUES: StanceValue[] = ['unknown', 'opposed', 'sceptical', 'neutral', 'supportive', 'champion'];
export const EVIDENCE_KINDS: EvidenceKind[] = ['meeting', 'statement', 'document_passage', 'judgement'];
/** a stance's rank, for the arrows of movement (up: towards champion) */
export const stanceRank = (v: StanceValue): number => STANCE_VALUES.indexOf(v);

const enc = encodeURIComponent;

/** A reference document as multipart/form-data (the campaign pages' one request that is not JSON). */
async function uploadDocument(id: string, file: File, title: string): Promise<CampaignDocument> {
  const form = new FormData();
  form.set('file', file);
  if (title.trim()) form.set('title', title.trim());
  const res = await fetch(`/api/campaigns/${enc(id)}/documents/upload`, { method: 'POST', body: form, credentials: 'same-origin', headers: { accept: 'application/json' } }).catch(() => {
    throw new ApiError(0, 'network_error', 'The server could not be reached.');
  });
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const p = (data ?? {}) as { code?: string; detail?: string; errors?: { field: string; detail: string }[] };
    const fields: Record<string, string> = {};
    for (const e of p.errors ?? []) fields[e.field.replace(/^body\./, '')] ??= e.detail;
    throw new ApiError(res.status, p.code ?? `http_${res.status}`, p.detail ?? res.statusText, fields);
  }
  return data as CampaignDocument;
}

export const campaignsApi = {
  list: () => request<z.infer<typeof CampaignListSchema>>('GET', '/campaigns'),
  get: (id: string) => request<CampaignDetail>('GET', `/campaigns/${enc(id)}`),
  create: (body: CreateCampaignBody) => request<CampaignDetail>('POST', '/campaigns', body),
  update: (id: string, body: UpdateCampaignBody) => request<CampaignDetail>('PATCH', `/campaigns/${enc(id)}`, body),
  grants: (id: string) => request<CampaignGrants>('GET', `/campaigns/${enc(id)}/grants`),
  grant: (id: string, userId: string) => request<z.infer<typeof CampaignGrantSchema>>('POST', `/campaigns/${enc(id)}/grants`, { userId }),
  revokeGrant: (id: string, userId: string) => request<void>('DELETE', `/campaigns/${enc(id)}/grants/${enc(userId)}`),
  createAsk: (id: string, text: Record<string, string>) => request<CampaignAsk>('POST', `/campaigns/${enc(id)}/asks`, { text }),
  updateAsk: (id: string, askId: string, text: Record<string, string>) => request<CampaignAsk>('PATCH', `/campaigns/${enc(id)}/asks/${enc(askId)}`, { text }),
  createTarget: (id: string, body: CreateTargetBody) => request<CampaignTarget>('POST', `/campaigns/${enc(id)}/targets`, body),
  deleteTarget: (id: string, targetId: string) => request<void>('DELETE', `/campaigns/${enc(id)}/targets/${enc(targetId)}`),
  grid: (id: string, since?: string) => request<Grid>('GET', `/campaigns/${enc(id)}/grid${query({ since })}`),
  history: (id: string, targetId: string, askId: string) =>
    request<{ items: Stance[] }>('GET', `/campaigns/${enc(id)}/targets/${enc(targetId)}/asks/${enc(askId)}/stances`),
  recordStance: (id: string, body: CreateStanceBody) => request<Stance>('POST', `/campaigns/${enc(id)}/stances`, body),
  documents: (id: string) => request<{ items: CampaignDocument[] }>('GET', `/campaigns/${enc(id)}/documents`),
  createDocument: (id: string, body: CreateDocumentBody) => request<CampaignDocument>('POST', `/campaigns/${enc(id)}/documents`, body),
  meetings: (id: string) => request<CampaignMeetings>('GET', `/campaigns/${enc(id)}/meetings`),
  meetingCampaigns: (meetingId: string) => request<z.infer<typeof MeetingCampaignListSchema>>('GET', `/meetings/${enc(meetingId)}/campaigns`),
  tagMeeting: (id: string, body: TagMeetingBody) => request<unknown>('POST', `/campaigns/${enc(id)}/meetings`, body),
  coverage: (id: string, days: number, from?: string, to?: string) => request<Coverage>('GET', `/campaigns/${enc(id)}/coverage${query({ days, from, to })}`),
  chart: (id: string, askId?: string) => request<MovementChart>('GET', `/campaigns/${enc(id)}/movement${query({ askId })}`),
  deleteAsk: (id: string, askId: string) => request<void>('DELETE', `/campaigns/${enc(id)}/asks/${enc(askId)}`),
  reorderAsks: (id: string, askIds: string[]) => request<{ items: CampaignAsk[] }>('PUT', `/campaigns/${enc(id)}/asks/order`, { askIds }),
  updateTarget: (id: string, targetId: string, groupLabel: string | null) => request<CampaignTarget>('PATCH', `/campaigns/${enc(id)}/targets/${enc(targetId)}`, { groupLabel }),
  createTargets: (id: string, targets: CreateTargetBody[]) => request<{ items: CampaignTarget[] }>('POST', `/campaigns/${enc(id)}/targets/bulk`, { targets }),
  untagMeeting: (id: string, meetingId: string) => request<void>('DELETE', `/campaigns/${enc(id)}/meetings/${enc(meetingId)}`),
  updateDocument: (id: string, documentId: string, body: { title?: string; url?: string }) => request<CampaignDocument>('PATCH', `/campaigns/${enc(id)}/documents/${enc(documentId)}`, body),
  deleteDocument: (id: string, documentId: string) => request<void>('DELETE', `/campaigns/${enc(id)}/documents/${enc(documentId)}`),
  createPassage: (id: string, documentId: string, body: { quote: string; locator?: string | null }) => request<unknown>('POST', `/campaigns/${enc(id)}/documents/${enc(documentId)}/passages`, body),
  updatePassage: (id: string, documentId: string, passageId: string, body: { quote?: string; locator?: string | null }) =>
    request<unknown>('PATCH', `/campaigns/${enc(id)}/documents/${enc(documentId)}/passages/${enc(passageId)}`, body),
  deletePassage: (id: string, documentId: string, passageId: string) => request<void>('DELETE', `/campaigns/${enc(id)}/documents/${enc(documentId)}/passages/${enc(passageId)}`),
  uploadDocument,
  /** where an uploaded document's file is downloaded */
  fileUrl: (id: string, documentId: string) => `/api/campaigns/${enc(id)}/documents/${enc(documentId)}/file`,
  /** the CSV exports */
  exportUrl: (id: string, what: 'grid' | 'stances') => `/api/campaigns/${enc(id)}/export/${what}.csv?bom=1`,
  /** a Network follow-up about a mission target (follow-ups name an organisation, not a person) */
  createFollowUp: (body: { title: string; ownerId: string; dueDate: string | null; organisationId: string }) => request<unknown>('POST', '/follow-ups', body),
  /** missions to offer as targets (Network organisations of the mission kind) */
  missions: () => request<{ items: OrganisationDto[] }>('GET', `/organisations${query({ kind: 'mission', limit: 200 })}`),
};

export const campaignKeys = {
  all: ['campaigns'] as const,
  list: () => ['campaigns', 'list'] as const,
  one: (id: string) => ['campaigns', 'one', id] as const,
  grid: (id: string, since?: string) => ['campaigns', 'grid', id, since ?? ''] as const,
  history: (id: string, targetId: string, askId: string) => ['campaigns', 'history', id, targetId, askId] as const,
  documents: (id: string) => ['campaigns', 'documents', id] as const,
  meetings: (id: string) => ['campaigns', 'meetings', id] as const,
  coverage: (id: string, days: number, from = '', to = '') => ['campaigns', 'coverage', id, days, from, to] as const,
  grants: (id: string) => ['campaigns', 'grants', id] as const,
  chart: (id: string, askId?: string) => ['campaigns', 'chart', id, askId ?? ''] as const,
};
