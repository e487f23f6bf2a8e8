import type { z } from 'zod';
import { query, request, type Page } from '../../api.ts';
import type {
  CohostSchema,
  CreateEventSchema,
  CreateQuestionSchema,
  QuestionSchema,
  CreateReferralLinkSchema,
  CreateTicketTypeSchema,
  EventSchema,
  EventSummarySchema,
  EventTotalsSchema,
  PutCohostSchema,
  ReferralLinkSchema,
  TicketTypeSchema,
  UpdateEventSchema,
  UpdateTicketTypeSchema,
} from '../../../server/features/events/events.contract.ts';

// Types only come from the server's contract: the zod schemas stay out of the bundle.
export type EventDto = z.infer<typeof EventSchema>;
export type EventSummary = z.infer<typeof EventSummarySchema>;
export type EventStatus = EventDto['status'];
export type TicketType = z.infer<typeof TicketTypeSchema>;
export type Cohost = z.infer<typeof CohostSchema>;
export type CohostRole = Cohost['role'];
export type SharingMode = Cohost['sharingMode'];
export type ReferralLink = z.infer<typeof ReferralLinkSchema>;
export type EventTotals = z.infer<typeof EventTotalsSchema>;
export type CreateEventBody = z.input<typeof CreateEventSchema>;
export type UpdateEventBody = z.input<typeof UpdateEventSchema>;
export type CreateTicketTypeBody = z.input<typeof CreateTicketTypeSchema>;
export type UpdateTicketTypeBody = z.input<typeof UpdateTicketTypeSchema>;
export type PutCohostBody = z.input<typeof PutCohostSchema>;
export type CreateReferralLinkBody = z.input<typeof CreateReferralLinkSchema>;
export type Question = z.infer<typeof QuestionSchema>;
export type QuestionKind = Question['kind'];
export type ConsentPurpose = NonNullable<Question['consentPurpose']>;
export type CreateQuestionBody = z.input<typeof CreateQuestionSchema>;

// Checked against the contract's unions, so a value the server does not know fails to compile.
export const EVENT_STATUSES: EventStatus[] = ['draft', 'published', 'closed'];
export const COHOST_ROLES: CohostRole[] = ['lead', 'cohost', 'supporter'];
export const SHARING_MODES: SharingMode[] = ['aggregate', 'contacts'];
export const QUESTION_KINDS: QuestionKind[] = ['text', 'single', 'multiple', 'yes_no', 'consent'];
export const CONSENT_PURPOSES: ConsentPurpose[] = ['terms', 'share_with_cohost', 'hear_again'];

const enc = encodeURIComponent;

export const eventsApi = {
  list: (cursor?: string) => request<Page<EventSummary>>('GET', `/events${query({ limit: 50, cursor })}`),
  get: (id: string) => request<EventDto>('GET', `/events/${enc(id)}`),
  create: (body: CreateEventBody) => request<EventDto>('POST', '/events', body),
  update: (id: string, body: UpdateEventBody) => request<EventDto>('PATCH', `/events/${enc(id)}`, body),
  totals: (id: string) => request<EventTotals>('GET', `/events/${enc(id)}/totals`),
  createTicketType: (id: string, body: CreateTicketTypeBody) => request<TicketType>('POST', `/events/${enc(id)}/ticket-types`, body),
  updateTicketType: (id: string, typeId: string, body: UpdateTicketTypeBody) => request<TicketType>('PATCH', `/events/${enc(id)}/ticket-types/${enc(typeId)}`, body),
  putCohost: (id: string, organisationId: string, body: PutCohostBody) => request<Cohost>('PUT', `/events/${enc(id)}/cohosts/${enc(organisationId)}`, body),
  removeCohost: (id: string, organisationId: string) => request<void>('DELETE', `/events/${enc(id)}/cohosts/${enc(organisationId)}`),
  links: (id: string) => request<{ items: ReferralLink[] }>('GET', `/events/${enc(id)}/referral-links`),
  createLink: (id: string, body: CreateReferralLinkBody) => request<ReferralLink>('POST', `/events/${enc(id)}/referral-links`, body),
  createQuestion: (id: string, body: CreateQuestionBody) => request<Question>('POST', `/events/${enc(id)}/questions`, body),
  deleteQuestion: (id: string, questionId: string) => request<void>('DELETE', `/events/${enc(id)}/questions/${enc(questionId)}`),
  revokeLink: (id: string, linkId: string) => request<ReferralLink>('POST', `/events/${enc(id)}/referral-links/${enc(linkId)}/revoke`),
};

export const eventKeys = {
  all: ['events'] as const,
  list: () => ['events', 'list'] as const,
  one: (id: string) => ['events', 'one', id] as const,
  totals: (id: string) => ['events', 'totals', id] as const,
  links: (id: string) => ['events', 'links', id] as const,
};
