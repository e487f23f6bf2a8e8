import type { z } from 'zod';
import type { OfficeDto, StaffMemberDto } from '../../../server/features/network/offices.contract.ts';
import type {
  CreateOrganisationInput,
  OrganisationDetailDto,
  OrganisationDto,
  OrganisationLinkDto,
  OrganisationListQuery,
  UpdateOrganisationInput,
} from '../../../server/features/network/organisations.contract.ts';
import type {
  AffiliationInput,
  ContactInput,
  CreatePersonInput,
  Person,
  PersonGrantSchema,
  PersonNameInput,
  UpdatePersonInput,
} from '../../../server/features/network/people.contract.ts';
import type {
  ImportPreview,
  ImportResultSchema,
  ImportRowError,
  ImportRunDto,
  MergeResultSchema,
  OrganisationField,
  PersonField,
} from '../../../server/features/imports/imports.contract.ts';
import type {
  MemberHealthFilterSchema,
  MemberHealthItemSchema,
  SearchHitSchema,
  SearchType,
  SegmentList,
  SegmentSchema,
  TimelineItemSchema,
} from '../../../server/features/insights/insights.contract.ts';
import { query, request } from '../../api.ts';

// Types only come from the server's contracts: the zod schemas stay out of the bundle.
export type ImportRun = ImportRunDto;
export type Organisation = OrganisationDto;
export type OrganisationDetail = OrganisationDetailDto;
export type OrganisationLink = OrganisationLinkDto;
export type OrganisationKind = Organisation['kind'];
export type MembershipStatus = NonNullable<Organisation['status']>;
export type OrganisationNameKind = Organisation['names'][number]['kind'];
export type LinkKind = OrganisationLink['kind'];
export type Script = Organisation['names'][number]['script'];
export type { Person };
export type PersonNameKind = Person['names'][number]['kind'];
export type PersonGrant = z.infer<typeof PersonGrantSchema>;
export type Office = OfficeDto;
export type StaffMember = StaffMemberDto;

// Checked against the contracts' unions, so a value the server does not know fails to compile.
export const ORG_KINDS: OrganisationKind[] = ['member', 'partner', 'funder', 'mission', 'media', 'other'];
export const STATUSES: MembershipStatus[] = ['prospective', 'active', 'suspended', 'former'];
export const ORG_NAME_KINDS: OrganisationNameKind[] = ['official', 'short', 'transliteration', 'former'];
export const LINK_KINDS: LinkKind[] = ['co_organiser_of', 'funded_by', 'partner_of', 'member_of', 'coalition_with', 'other'];
export const PERSON_NAME_KINDS: PersonNameKind[] = ['primary', 'alternate', 'transliteration'];

export type CountedPage<T> = { items: T[]; nextCursor: string | null; total: number };
export type OrganisationFilter = Omit<OrganisationListQuery, 'limit' | 'cursor'>;
export type PersonFilter = { organisationId?: string; tag?: string; q?: string; lang?: OrderLanguage };
type OrderLanguage = 'en' | 'he' | 'ar';

/** The language the server orders a list for: the interface's (docs/network.md, "Order"). */
export function orderLanguage(language: string): OrderLanguage {
  const l = language.slice(0, 2);
  return l === 'he' || l === 'ar' ? l : 'en';
}

// ---- insights (search, timelines, member health, segments) ----
export type { SearchType, SegmentList };
export type SearchHit = z.infer<typeof SearchHitSchema>;
export type TimelineItem = z.infer<typeof TimelineItemSchema>;
export type TimelineType = TimelineItem['type'];
export type HealthFilter = Omit<z.input<typeof MemberHealthFilterSchema>, 'status' | 'kind'> & { status?: string; kind?: string };
export type HealthRow = z.infer<typeof MemberHealthItemSchema>;
export type Segment = z.infer<typeof SegmentSchema>;

// ---- imports ----
export type ImportList = 'organisations' | 'people';
export type { ImportPreview, ImportRowError };
export type ImportResult = z.infer<typeof ImportResultSchema>;
export type MergeResult = z.infer<typeof MergeResultSchema>;
export type ImportInput = { list: ImportList; csv: string; mapping?: Record<string, string>; skipRows?: number[] };
export const IMPORT_FIELDS: { organisations: OrganisationField[]; people: PersonField[] } = {
  organisations: ['name', 'name_he', 'name_ar', 'name_en', 'kind', 'status', 'country', 'area', 'city', 'website', 'languages', 'description', 'tags', 'owner_email'],
  people: ['name', 'name_he', 'name_ar', 'transliterations', 'email', 'phone', 'preferred_language', 'organisation', 'title', 'tags', 'notes'],
};

const id = encodeURIComponent;

export const networkApi = {
  organisations: (filter: OrganisationFilter, cursor?: string, limit = 50) =>
    request<CountedPage<Organisation>>('GET', `/organisations${query({ ...filter, cursor, limit })}`),
  organisation: (orgId: string) => request<OrganisationDetail>('GET', `/organisations/${id(orgId)}`),
  createOrganisation: (body: CreateOrganisationInput) => request<OrganisationDetail>('POST', '/organisations', body),
  updateOrganisation: (orgId: string, body: UpdateOrganisationInput) => request<OrganisationDetail>('PATCH', `/organisations/${id(orgId)}`, body),
  deleteOrganisation: (orgId: string) => request<void>('DELETE', `/organisations/${id(orgId)}`),
  addOrganisationName: (orgId: string, body: { name: string; kind: OrganisationNameKind }) =>
    request<OrganisationDetail>('POST', `/organisations/${id(orgId)}/names`, body),
  deleteOrganisationName: (orgId: string, nameId: string) => request<void>('DELETE', `/organisations/${id(orgId)}/names/${id(nameId)}`),
  setStatus: (orgId: string, body: { status: MembershipStatus; since?: string; note?: string }) =>
    request<OrganisationDetail>('POST', `/organisations/${id(orgId)}/status`, body),
  addLink: (orgId: string, body: { toId: string; kind: LinkKind; startDate?: string; endDate?: string; note?: string }) =>
    request<OrganisationLink>('POST', `/organisations/${id(orgId)}/links`, body),
  deleteLink: (linkId: string) => request<void>('DELETE', `/organisation-links/${id(linkId)}`),
  mergeOrganisations: (body: { keepId: string; mergeId: string }) => request<MergeResult>('POST', '/organisations/merge', body),
  organisationTimeline: (orgId: string) => request<{ items: TimelineItem[] }>('GET', `/organisations/${id(orgId)}/timeline`),

  people: (filter: PersonFilter, cursor?: string, limit = 50) => request<CountedPage<Person>>('GET', `/people${query({ ...filter, cursor, limit })}`),
  person: (personId: string) => request<Person>('GET', `/people/${id(personId)}`),
  createPerson: (body: CreatePersonInput) => request<Person>('POST', '/people', body),
  updatePerson: (personId: string, body: UpdatePersonInput) => request<Person>('PATCH', `/people/${id(personId)}`, body),
  deletePerson: (personId: string) => request<void>('DELETE', `/people/${id(personId)}`),
  addPersonName: (personId: string, body: PersonNameInput) => request<Person>('POST', `/people/${id(personId)}/names`, body),
  deletePersonName: (personId: string, nameId: string) => request<void>('DELETE', `/people/${id(personId)}/names/${id(nameId)}`),
  addContact: (personId: string, body: ContactInput) => request<Person>('POST', `/people/${id(personId)}/contacts`, body),
  deleteContact: (personId: string, contactId: string) => request<void>('DELETE', `/people/${id(personId)}/contacts/${id(contactId)}`),
  addAffiliation: (personId: string, body: AffiliationInput) => request<unknown>('POST', `/people/${id(personId)}/affiliations`, body),
  deleteAffiliation: (affiliationId: string) => request<void>('DELETE', `/affiliations/${id(affiliationId)}`),
  personGrants: (personId: string) => request<{ items: PersonGrant[] }>('GET', `/people/${id(personId)}/grants`),
  grantPerson: (personId: string, userId: string) => request<unknown>('POST', `/people/${id(personId)}/grants`, { userId }),
  revokePersonGrant: (personId: string, userId: string) => request<void>('DELETE', `/people/${id(personId)}/grants/${id(userId)}`),
  mergePeople: (body: { keepId: string; mergeId: string }) => request<MergeResult>('POST', '/people/merge', body),
  personTimeline: (personId: string) => request<{ items: TimelineItem[] }>('GET', `/people/${id(personId)}/timeline`),

  search: (q: string, limit = 30) => request<{ items: SearchHit[] }>('GET', `/search${query({ q, limit })}`),
  memberHealth: (filter: HealthFilter, cursor?: string, limit = 200) =>
    request<{ items: HealthRow[]; nextCursor: string | null }>('GET', `/member-health${query({ ...filter, cursor, limit })}`),
  segments: (list: SegmentList) => request<{ items: Segment[]; nextCursor: string | null }>('GET', `/segments${query({ list, limit: 200 })}`),
  createSegment: (body: { name: string; list: SegmentList; filter: Record<string, unknown>; shared: boolean }) => request<Segment>('POST', '/segments', body),
  deleteSegment: (segmentId: string) => request<void>('DELETE', `/segments/${id(segmentId)}`),

  importPreview: (body: ImportInput) => request<ImportPreview>('POST', '/imports/preview', body),
  /** up to SYNC_MAX_ROWS rows: the result; more: the run, written by a background job (follow it with importRun) */
  importCommit: (body: ImportInput) => request<ImportResult | ImportRun>('POST', '/imports/commit', body),
  importRun: (runId: string) => request<ImportRun>('GET', `/imports/${id(runId)}`),

  offices: () => request<{ items: Office[] }>('GET', '/offices'),
  createOffice: (body: { name: string; city: string; timeZone: string }) => request<Office>('POST', '/offices', body),
  updateOffice: (officeId: string, body: { name?: string; city?: string; timeZone?: string }) => request<Office>('PATCH', `/offices/${id(officeId)}`, body),
  staff: () => request<{ items: StaffMember[] }>('GET', '/staff'),
  assignOffice: (userId: string, officeId: string | null) => request<StaffMember>('PUT', `/staff/${id(userId)}/office`, { officeId }),
};

/** The export link of a list with its filters; bom=1 makes Excel read Hebrew and Arabic right. */
export function exportHref(list: 'organisations' | 'people' | 'member-health', filter: Record<string, string | undefined>, forExcel: boolean): string {
  return `/api/exports/${list}.csv${query({ ...filter, bom: forExcel ? 1 : undefined })}`;
}
