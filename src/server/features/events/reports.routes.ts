import { createRoute, z } from '@hono/zod-openapi';
import type { FeatureDeps } from '../../http/context.ts';
import { IdParamSchema, json, newRouter, problems } from '../../http/openapi.ts';
import { createCohostViewLink, listCohostViewLinks, revokeCohostViewLink } from './cohost-view.service.ts';
import { BomQuerySchema, CohostViewLinkListSchema, CohostViewLinkSchema, CohostViewSchema, CreateCohostViewLinkSchema, EventReportSchema } from './reports.contract.ts';
import * as reports from './reports.service.ts';
import { registrationToPerson } from './retention.service.ts';

const param = (name: string) => z.string().min(1).max(100).openapi({ param: { name, in: 'path' } });
const CohostParams = z.object({ id: param('id'), organisationId: param('organisationId') });
const LinkParams = z.object({ id: param('id'), linkId: param('linkId') });
const RegistrationParams = z.object({ id: param('id'), registrationId: param('registrationId') });
const csvResponse = { description: 'RFC 4180 CSV, UTF-8', content: { 'text/csv': { schema: z.string() } } };
const csvHeaders = (name: string) => ({
  'content-type': 'text/csv; charset=utf-8',
  'content-disposition': `attachment; filename="${name}-${new Date().toISOString().slice(0, 10)}.csv"`,
  'cache-control': 'no-store',
});

/** Events' reports and co-host views, staff side (tag "Events"). */
export function eventReportsRoutes(deps: FeatureDeps & { secret: string }) {
  const { db } = deps;
  const r = newRouter();
  const tags = ['Events'];

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getEventReport',
      path: '/events/{id}/report',
      tags,
      summary: 'Registrations over time by co-host and ticket type, attendance, no-shows and waitlist conversions: figures only (everyone signed in)',
      request: { params: IdParamSchema },
      responses: { 200: json(EventReportSchema, 'The report'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await reports.eventReport(db, c.get('ctx'), c.req.valid('param').id), 200),
  );
  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'exportEventReportCsv',
      path: '/events/{id}/report.csv',
      tags,
      summary: "The report's figures as CSV: the event, each ticket type, each co-host (everyone signed in)",
      request: { params: IdParamSchema, query: BomQuerySchema },
      responses: { 200: csvResponse, ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const out = await reports.staffReportCsv(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('query').bom);
      return c.body(out.body, 200, csvHeaders(`${out.slug}-report`)) as never;
    },
  );
  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'exportEventRegistrationsCsv',
      path: '/events/{id}/registrations.csv',
      tags,
      summary: 'Every registration with contacts, co-host, ticket, waitlist and admission as CSV (staff and admins; audited)',
      request: { params: IdParamSchema, query: BomQuerySchema },
      responses: { 200: csvResponse, ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const out = await reports.staffRegistrationsCsv(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('query').bom);
      return c.body(out.body, 200, csvHeaders(`${out.slug}-registrations`)) as never;
    },
  );
  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getEventCohostView',
      path: '/events/{id}/cohosts/{organisationId}/view',
      tags,
      summary: "What a co-host sees: its own figures and, in contacts mode, its registrants who agreed to share with it (those only for staff and admins)",
      request: { params: CohostParams },
      responses: { 200: json(CohostViewSchema, 'The co-host view'), ...problems(401, 403, 404) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await reports.staffCohostView(db, c.get('ctx'), p.id, p.organisationId), 200);
    },
  );
  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'listCohostViewLinks',
      path: '/events/{id}/cohosts/{organisationId}/view-links',
      tags,
      summary: "A co-host's secret view links, newest first (staff and admins)",
      request: { params: CohostParams },
      responses: { 200: json(CohostViewLinkListSchema, 'The links'), ...problems(401, 403, 404) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await listCohostViewLinks(deps, c.get('ctx'), p.id, p.organisationId), 200);
    },
  );
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'createCohostViewLink',
      path: '/events/{id}/cohosts/{organisationId}/view-links',
      tags,
      summary: 'A new secret link to the co-host view, for the co-host (no account needed; staff and admins); it expires by itself',
      request: { params: CohostParams, body: { required: false, description: 'How long the link works (optional)', content: { 'application/json': { schema: CreateCohostViewLinkSchema } } } },
      responses: { 201: json(CohostViewLinkSchema, 'The link'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await createCohostViewLink(deps, c.get('ctx'), p.id, p.organisationId, c.req.valid('json') ?? {}), 201);
    },
  );
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'revokeCohostViewLink',
      path: '/events/{id}/cohost-view-links/{linkId}/revoke',
      tags,
      summary: 'Revoke a co-host view link: it answers 404 from now on (idempotent)',
      request: { params: LinkParams },
      responses: { 200: json(CohostViewLinkSchema, 'The link'), ...problems(401, 403, 404) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await revokeCohostViewLink(deps, c.get('ctx'), p.id, p.linkId), 200);
    },
  );
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'registrationToNetworkPerson',
      path: '/events/{id}/registrations/{registrationId}/to-network',
      tags,
      summary: 'Turn a registrant who agreed to hear from the alliance again into a Network person (once; staff and admins; audited). 409 no_hear_again_consent, already_in_network',
      request: { params: RegistrationParams },
      responses: { 201: json(z.object({ personId: z.string() }).openapi('RegistrationPerson'), 'The new Network person'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await registrationToPerson(db, c.get('ctx'), p.id, p.registrationId), 201);
    },
  );
  return r;
}
