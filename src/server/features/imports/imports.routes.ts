import { createRoute, z } from '@hono/zod-openapi';
import type { FeatureDeps } from '../../http/context.ts';
import { json, jsonBody, newRouter, problems } from '../../http/openapi.ts';
import { ProblemSchema } from '../../http/problem.ts';
import { MemberHealthFilterSchema } from '../insights/insights.contract.ts';
import { FollowUpListQuerySchema, MeetingListQuerySchema } from '../meetings/meetings.contract.ts';
import { OrganisationListQuerySchema } from '../network/organisations.contract.ts';
import { PersonListQuerySchema } from '../network/people.contract.ts';
import { exportCsv, type ExportList } from './export.service.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import { IdParamSchema } from '../../http/openapi.ts';
import { commitImport, previewImport, SYNC_MAX_ROWS } from './import.service.ts';
import {
  ImportErrorSchema,
  ImportPreviewSchema,
  ImportRequestSchema,
  ImportResultSchema,
  ImportRunSchema,
  MergeRequestSchema,
  MergeResultSchema,
} from './imports.contract.ts';
import { readRun, runDto } from './runs.ts';
import { mergeOrganisations, mergePeople } from './merge.service.ts';

const importTags = ['Imports'];
const exportTags = ['Exports'];

const BomSchema = z
  .enum(['0', '1', 'true', 'false'])
  .optional()
  .transform((v) => v === '1' || v === 'true')
  .openapi({ description: '1: start with a UTF-8 byte-order mark, so that Excel shows Hebrew and Arabic' });

const ImportRejectedSchema = ProblemSchema.extend({
  /** every bad row and field, as the preview names them */
  rowErrors: z.array(ImportErrorSchema),
}).openapi('ImportRejected');

const exportsOf: { list: ExportList; operationId: string; query: z.ZodObject<z.ZodRawShape>; summary: string }[] = [
  { list: 'organisations', operationId: 'exportOrganisationsCsv', query: OrganisationListQuerySchema.omit({ limit: true, cursor: true }), summary: 'The organisation list as CSV (same filters as GET /api/organisations)' },
  { list: 'people', operationId: 'exportPeopleCsv', query: PersonListQuerySchema.omit({ limit: true, cursor: true }), summary: 'The people list as CSV (same filters as GET /api/people)' },
  { list: 'meetings', operationId: 'exportMeetingsCsv', query: MeetingListQuerySchema.omit({ limit: true, cursor: true }), summary: 'The meeting list as CSV (same filters as GET /api/meetings)' },
  { list: 'member-health', operationId: 'exportMemberHealthCsv', query: MemberHealthFilterSchema, summary: 'Member health as CSV (same filters as GET /api/member-health)' },
  { list: 'follow-ups', operationId: 'exportFollowUpsCsv', query: FollowUpListQuerySchema.omit({ limit: true, cursor: true }), summary: 'Follow-ups as CSV (same filters as GET /api/follow-ups)' },
];

/** CSV import and export, merging duplicates. */
export function importsRoutes({ db, jobs }: FeatureDeps & { jobs: Jobs }) {
  const r = newRouter();

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'previewImport',
      path: '/imports/preview',
      tags: importTags,
      summary: 'Check a CSV import: mapping, row errors, matches (update or create) and a sample; writes nothing',
      request: { body: jsonBody(ImportRequestSchema) },
      responses: { 200: json(ImportPreviewSchema, 'What a commit would do'), ...problems(400, 401, 403) },
    }),
    async (c) => c.json(await previewImport(db, c.get('ctx'), c.req.valid('json')), 200),
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'commitImport',
      path: '/imports/commit',
      tags: importTags,
      summary: `Write a CSV import. Every row is checked first: with any error, nothing is written (422). Up to ${SYNC_MAX_ROWS} rows are then written at once in one transaction (200); more are written by a background job in short transactions (202: follow GET /api/imports/{id})`,
      request: { body: jsonBody(ImportRequestSchema) },
      responses: {
        200: json(ImportResultSchema, 'What was written'),
        202: {
          description: 'Checked and queued: a background job writes it, a chunk at a time (Location: the run)',
          headers: { Location: { schema: { type: 'string' }, description: '/api/imports/{id}' } },
          content: { 'application/json': { schema: ImportRunSchema } },
        },
        422: { description: 'Rows have errors; nothing was written', content: { 'application/problem+json': { schema: ImportRejectedSchema } } },
        ...problems(400, 401, 403),
      },
    }),
    async (c) => {
      const out = await commitImport(db, c.get('ctx'), c.req.valid('json'), jobs);
      if (out.ok === 'started') {
        c.header('Location', `/api/imports/${out.run.id}`);
        return c.json(await runDto(db, out.run), 202);
      }
      if (out.ok) return c.json(out.result, 200);
      const rows = new Set(out.errors.map((e) => e.row)).size;
      const body = {
        type: '/problems/import_has_errors',
        title: 'Unprocessable content',
        status: 422,
        code: 'import_has_errors',
        detail: `${rows} ${rows === 1 ? 'row has' : 'rows have'} errors; fix or skip ${rows === 1 ? 'it' : 'them'}. Nothing was written.`,
        errors: out.errors.map((e) => ({ field: `csv.row${e.row}.${e.field}`, detail: e.detail })),
        rowErrors: out.errors,
      };
      return new Response(JSON.stringify(body), { status: 422, headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' } }) as never;
    },
  );

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getImport',
      path: '/imports/{id}',
      tags: importTags,
      summary: 'A long import (Network CSV, Pol.is, panel CSV): its progress, then its result or why it stopped (the account that started it, or an admin)',
      request: { params: IdParamSchema },
      responses: { 200: json(ImportRunSchema, 'The import'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await runDto(db, await readRun(db, c.get('ctx'), c.req.valid('param').id)), 200),
  );

  for (const [path, merge, what, operationId] of [
    ['/organisations/merge', mergeOrganisations, 'organisations', 'mergeOrganisations'],
    ['/people/merge', mergePeople, 'people', 'mergePeople'],
  ] as const) {
    r.openapi(
      createRoute({
        method: 'post',
        operationId,
        path,
        tags: importTags,
        summary: `Merge two duplicate ${what}: every link moves to keepId, then mergeId is deleted`,
        request: { body: jsonBody(MergeRequestSchema) },
        responses: { 200: json(MergeResultSchema, 'The merge'), ...problems(400, 401, 403, 404, 409, 422) },
      }),
      async (c) => c.json(await merge(db, c.get('ctx'), c.req.valid('json')), 200),
    );
  }

  for (const e of exportsOf) {
    r.openapi(
      createRoute({
        method: 'get',
        operationId: e.operationId,
        path: `/exports/${e.list}.csv`,
        tags: exportTags,
        summary: e.summary,
        request: { query: e.query.extend({ bom: BomSchema }) },
        responses: {
          200: { description: 'RFC 4180 CSV, UTF-8', content: { 'text/csv': { schema: z.string() } } },
          ...problems(400, 401, 403),
        },
      }),
      async (c) => {
        const { bom, ...filter } = c.req.valid('query') as Record<string, unknown> & { bom: boolean };
        const { body } = await exportCsv(db, c.get('ctx'), e.list, filter, bom);
        const day = new Date().toISOString().slice(0, 10);
        return c.body(body, 200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${e.list}-${day}.csv"`,
          'cache-control': 'no-store',
        }) as never;
      },
    );
  }

  return r;
}
