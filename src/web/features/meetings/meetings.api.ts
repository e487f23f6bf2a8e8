import type {
  CreateFollowUpInput,
  CreateMeetingInput,
  FollowUp,
  FollowUpStatusSchema,
  Meeting,
  MeetingGrant,
  MeetingKindSchema,
  MeetingSummary,
  OrganisationRoleSchema,
  SharedItem,
  SharedItemInput,
  SharedItemKindSchema,
  Topic,
  UpdateFollowUpInput,
  UpdateMeetingInput,
  UpdateSharedItemInput,
} from '../../../server/features/meetings/meetings.contract.ts';
import type { OrganisationDto } from '../../../server/features/network/organisations.contract.ts';
import type { Person } from '../../../server/features/network/people.contract.ts';
import type { StaffMemberDto } from '../../../server/features/network/offices.contract.ts';
import type { z } from 'zod';
import type { DashboardSchema } from '../../../server/features/insights/insights.contract.ts';
import type { CalendarFeedSchema, CreatedCalendarFeedSchema } from '../../../server/features/calendar/calendar.contract.ts';
import { query, request } from '../../api.ts';

// Types only: the contracts stay on the server and out of the bundle.
export type { FollowUp, Meeting, MeetingGrant, MeetingSummary, SharedItem, Topic };
export type MeetingKind = z.infer<typeof MeetingKindSchema>;
export type OrganisationRole = z.infer<typeof OrganisationRoleSchema>;
export type SharedItemKind = z.infer<typeof SharedItemKindSchema>;
export type FollowUpStatus = z.infer<typeof FollowUpStatusSchema>;
export type StaffMember = StaffMemberDto;

export const MEETING_KINDS: MeetingKind[] = ['group', 'one_on_one', 'diplomatic', 'call', 'site_visit'];
export const ORGANISATION_ROLES: OrganisationRole[] = ['host', 'participant', 'observer', 'subject'];
export const SHARED_ITEM_KINDS: SharedItemKind[] = ['concern', 'update', 'request', 'opportunity'];
export const FOLLOW_UP_STATUSES: FollowUpStatus[] = ['open', 'done', 'cancelled'];

type Counted<T> = { items: T[]; nextCursor: string | null; total: number };

export type MeetingFilter = {
  from?: string;
  to?: string;
  kind?: string;
  city?: string;
  topicId?: string;
  organisationId?: string;
  personId?: string;
  staffId?: string;
  q?: string;
};

export type FollowUpFilter = { mine?: boolean; ownerId?: string; status?: string; overdue?: boolean; meetingId?: string; organisationId?: string };

export type Dashboard = z.infer<typeof DashboardSchema>;
/** A private calendar feed; `url` only in the answer that made it. */
export type CalendarFeed = z.infer<typeof CalendarFeedSchema> & { url?: string };
export type CreatedCalendarFeed = z.infer<typeof CreatedCalendarFeedSchema>;

const enc = encodeURIComponent;
const bool = (b: boolean | undefined) => (b === undefined ? undefined : String(b));

export const meetingsApi = {
  topics: () => request<{ items: Topic[] }>('GET', '/topics'),

  meetings: (filter: MeetingFilter, cursor?: string, limit = 50) => request<Counted<MeetingSummary>>('GET', `/meetings${query({ ...filter, cursor, limit })}`),
  meeting: (id: string) => request<Meeting>('GET', `/meetings/${enc(id)}`),
  createMeeting: (body: CreateMeetingInput) => request<Meeting>('POST', '/meetings', body),
  updateMeeting: (id: string, body: UpdateMeetingInput) => request<Meeting>('PATCH', `/meetings/${enc(id)}`, body),
  deleteMeeting: (id: string) => request<void>('DELETE', `/meetings/${enc(id)}`),

  addSharedItem: (meetingId: string, body: SharedItemInput) => request<SharedItem>('POST', `/meetings/${enc(meetingId)}/shared-items`, body),
  updateSharedItem: (id: string, body: UpdateSharedItemInput) => request<SharedItem>('PATCH', `/shared-items/${enc(id)}`, body),
  deleteSharedItem: (id: string) => request<void>('DELETE', `/shared-items/${enc(id)}`),

  grants: (meetingId: string) => request<{ items: MeetingGrant[]; staff: { userId: string; name: string }[] }>('GET', `/meetings/${enc(meetingId)}/grants`),
  grant: (meetingId: string, userId: string) => request<MeetingGrant>('POST', `/meetings/${enc(meetingId)}/grants`, { userId }),
  revokeGrant: (meetingId: string, userId: string) => request<void>('DELETE', `/meetings/${enc(meetingId)}/grants/${enc(userId)}`),

  followUps: (filter: FollowUpFilter, cursor?: string, limit = 50) =>
    request<Counted<FollowUp>>('GET', `/follow-ups${query({ ...filter, mine: bool(filter.mine), overdue: bool(filter.overdue), cursor, limit })}`),
  createFollowUp: (body: CreateFollowUpInput) => request<FollowUp>('POST', '/follow-ups', body),
  updateFollowUp: (id: string, body: UpdateFollowUpInput) => request<FollowUp>('PATCH', `/follow-ups/${enc(id)}`, body),

  /** from and to are days (YYYY-MM-DD) in the caller's time zone, both included */
  dashboard: (from: string, to: string, cities: string[] = []) =>
    request<Dashboard>('GET', `/dashboard${query({ from, to })}${cities.map((c) => `&city=${encodeURIComponent(c)}`).join('')}`),

  feeds: () => request<{ items: CalendarFeed[] }>('GET', '/calendar/feeds'),
  createFeed: () => request<CreatedCalendarFeed>('POST', '/calendar/feeds'),
  revokeFeed: (id: string) => request<void>('DELETE', `/calendar/feeds/${enc(id)}`),

  // pickers (helpers A and B)
  organisations: (q: string, limit = 20) => request<Counted<OrganisationDto>>('GET', `/organisations${query({ q, limit })}`),
  people: (q: string, limit = 20) => request<{ items: Person[]; nextCursor: string | null }>('GET', `/people${query({ q, limit })}`),
  staff: () => request<{ items: StaffMember[] }>('GET', '/staff'),
};

/** Links the browser follows itself (downloads), with the same filters as the list. */
export function meetingsCsvUrl(filter: MeetingFilter, bom: boolean): string {
  return `/api/exports/meetings.csv${query({ ...filter, bom: bom ? 1 : undefined })}`;
}
export function meetingIcsUrl(id: string): string {
  return `/api/meetings/${enc(id)}/ics`;
}
