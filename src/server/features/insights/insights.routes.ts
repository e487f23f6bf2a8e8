import { createRoute } from '@hono/zod-openapi';
import type { FeatureDeps } from '../../http/context.ts';
import { IdParamSchema, json, jsonBody, newRouter, problems } from '../../http/openapi.ts';
import {
  CreateSegmentSchema,
  DashboardQuerySchema,
  DashboardSchema,
  MemberHealthPageSchema,
  MemberHealthQuerySchema,
  MyWorkSchema,
  SearchQuerySchema,
  SearchResultSchema,
  SegmentPageSchema,
  SegmentQuerySchema,
  SegmentSchema,
  TimelineQuerySchema,
  TimelineSchema,
  UpdateSegmentSchema,
} from './insights.contract.ts';
import { dashboard } from './dashboard.service.ts';
import { memberHealth } from './health.service.ts';
import { myWork } from './my-work.service.ts';
import { search } from './search.service.ts';
import { createSegment, deleteSegment, listSegments, updateSegment } from './segments.service.ts';
import { organisationTimeline, personTimeline } from './timeline.service.ts';

const tags = ['Insights'];

/** Search, timelines, member health, saved segments, dashboard, the home page's "my work". */
export function insightsRoutes({ db }: FeatureDeps) {
  const r = newRouter();

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'search',
      path: '/search',
      tags,
      summary: 'One search over organisations, people, meetings, shared items and campaigns (any script, typos and transliterations tolerated)',
      request: { query: SearchQuerySchema },
      responses: { 200: json(SearchResultSchema, 'Best matches first'), ...problems(400, 401) },
    }),
    async (c) => c.json(await search(db, c.get('ctx'), c.req.valid('query')), 200),
  );

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getOrganisationTimeline',
      path: '/organisations/{id}/timeline',
      tags,
      summary: 'An organisation’s meetings, shared items, follow-ups, links, people and status changes, newest first',
      request: { params: IdParamSchema, query: TimelineQuerySchema },
      responses: { 200: json(TimelineSchema, 'Timeline'), ...problems(400, 401, 404) },
    }),
    async (c) => c.json(await organisationTimeline(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('query')), 200),
  );

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getPersonTimeline',
      path: '/people/{id}/timeline',
      tags,
      summary: 'A person’s meetings, what their organisation shared there, follow-ups and affiliations, newest first',
      request: { params: IdParamSchema, query: TimelineQuerySchema },
      responses: { 200: json(TimelineSchema, 'Timeline'), ...problems(400, 401, 404) },
    }),
    async (c) => c.json(await personTimeline(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('query')), 200),
  );

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getMemberHealth',
      path: '/member-health',
      tags,
      summary: 'Active members by time since the last meeting (never met first), with open concerns and follow-ups',
      request: { query: MemberHealthQuerySchema },
      responses: { 200: json(MemberHealthPageSchema, 'Organisations, longest without contact first'), ...problems(400, 401) },
    }),
    async (c) => c.json(await memberHealth(db, c.get('ctx'), c.req.valid('query')), 200),
  );

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'listSegments',
      path: '/segments',
      tags,
      summary: 'Your saved segments and the shared ones, by name',
      request: { query: SegmentQuerySchema },
      responses: { 200: json(SegmentPageSchema, 'Segments'), ...problems(400, 401) },
    }),
    async (c) => c.json(await listSegments(db, c.get('ctx'), c.req.valid('query')), 200),
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'createSegment',
      path: '/segments',
      tags,
      summary: 'Save a list’s filter under a name',
      request: { body: jsonBody(CreateSegmentSchema) },
      responses: { 201: json(SegmentSchema, 'The segment'), ...problems(400, 401, 403, 422) },
    }),
    async (c) => c.json(await createSegment(db, c.get('ctx'), c.req.valid('json')), 201),
  );

  r.openapi(
    createRoute({
      method: 'patch',
      operationId: 'updateSegment',
      path: '/segments/{id}',
      tags,
      summary: 'Rename, re-filter or (un)share a segment (its owner or an admin)',
      request: { params: IdParamSchema, body: jsonBody(UpdateSegmentSchema) },
      responses: { 200: json(SegmentSchema, 'The segment'), ...problems(400, 401, 403, 404, 422) },
    }),
    async (c) => c.json(await updateSegment(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 200),
  );

  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'deleteSegment',
      path: '/segments/{id}',
      tags,
      summary: 'Delete a segment (its owner or an admin)',
      request: { params: IdParamSchema },
      responses: { 204: { description: 'Deleted' }, ...problems(401, 403, 404) },
    }),
    async (c) => {
      await deleteSegment(db, c.get('ctx'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getDashboard',
      path: '/dashboard',
      tags,
      summary: 'Meetings by kind, city and topic; members met; open concerns by week; overdue follow-ups (default: the last 30 days)',
      request: { query: DashboardQuerySchema },
      responses: { 200: json(DashboardSchema, 'Figures for the period'), ...problems(400, 401) },
    }),
    async (c) => c.json(await dashboard(db, c.get('ctx'), c.req.valid('query')), 200),
  );

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getMyWork',
      path: '/my-work',
      tags,
      summary:
        'The home page: your upcoming meetings and overdue follow-ups, dialogue sessions and message tests open now, and what others recorded since your previous visit (need-to-know applies)',
      responses: { 200: json(MyWorkSchema, 'Your work'), ...problems(401) },
    }),
    async (c) => c.json(await myWork(db, c.get('ctx')), 200),
  );

  return r;
}
