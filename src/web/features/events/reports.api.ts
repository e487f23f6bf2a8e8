import type { z } from 'zod';
import { request } from '../../api.ts';
import type { CohostViewLinkSchema, CohostViewSchema, EventReportSchema, ReportFiguresSchema } from '../../../server/features/events/reports.contract.ts';

// Types only come from the server's contract: the zod schemas stay out of the bundle.
export type EventReport = z.infer<typeof EventReportSchema>;
export type ReportFigures = z.infer<typeof ReportFiguresSchema>;
export type CohostView = z.infer<typeof CohostViewSchema>;
export type CohostViewLink = z.infer<typeof CohostViewLinkSchema>;

const enc = encodeURIComponent;

export const reportsApi = {
  report: (id: string) => request<EventReport>('GET', `/events/${enc(id)}/report`),
  cohostView: (id: string, organisationId: string) => request<CohostView>('GET', `/events/${enc(id)}/cohosts/${enc(organisationId)}/view`),
  viewLinks: (id: string, organisationId: string) => request<{ items: CohostViewLink[] }>('GET', `/events/${enc(id)}/cohosts/${enc(organisationId)}/view-links`),
  createViewLink: (id: string, organisationId: string, body: { validDays?: number } = {}) => request<CohostViewLink>('POST', `/events/${enc(id)}/cohosts/${enc(organisationId)}/view-links`, body),
  revokeViewLink: (id: string, linkId: string) => request<CohostViewLink>('POST', `/events/${enc(id)}/cohost-view-links/${enc(linkId)}/revoke`),
  /** downloads (plain links: the browser saves them) */
  reportCsv: (id: string) => `/api/events/${enc(id)}/report.csv?bom=1`,
  registrationsCsv: (id: string) => `/api/events/${enc(id)}/registrations.csv?bom=1`,
};

export const reportKeys = {
  report: (id: string) => ['events', 'report', id] as const,
  cohost: (id: string, organisationId: string) => ['events', 'cohost-view', id, organisationId] as const,
  viewLinks: (id: string, organisationId: string) => ['events', 'cohost-view-links', id, organisationId] as const,
};
