import type { z } from 'zod';
import { query, request } from '../../api.ts';
import type { OrganisationDto } from '../../../server/features/network/organisations.contract.ts';
import type {
  CampaignDetailSchema,
  CampaignDocumentSchema,
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

export const campaignsApi = {
  list: () => request<z.infer<typeof CampaignListSchema>>('GET', '/campaigns'),
  get: (id: string) => request<CampaignDetail>('GET', `/campaigns/${enc(id)}`),
  create: (body: CreateCampaignBody) => request<CampaignDetail>('POST', '/campaigns', body),
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
  coverage: (id: string, days: number) => ['campaigns', 'coverage', id, days] as const,
  chart: (id: string, askId?: string) => ['campaigns', 'chart', id, askId ?? ''] as const,
};
