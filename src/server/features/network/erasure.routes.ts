import { createRoute, z } from '@hono/zod-openapi';
import type { FeatureDeps } from '../../http/context.ts';
import { IdParamSchema, json, jsonBody, newRouter, problems } from '../../http/openapi.ts';
import { pageSchema } from '../../http/pagination.ts';
import {
  ConfirmErasureSchema,
  ErasureListQuerySchema,
  ErasurePreviewSchema,
  ErasureSchema,
  ErasureSettingsSchema,
  RecordErasureStateSchema,
  RequestErasureSchema,
  UpdateErasureSettingsSchema,
  type Erasable,
} from './erasure.contract.ts';
import * as erasures from './erasure.service.ts';

const tags = ['Erasure'];

const RequestOutcomeSchema = z
  .object({
    erasure: ErasureSchema,
    done: z.boolean().openapi({ description: 'true: erased now; false: a request waits for a second administrator' }),
  })
  .openapi('ErasureOutcome');

/** Erasure on request of people and organisations (docs/erasure.md): administrators only, except reading whether a record is erased. */
export function erasureRoutes({ db }: FeatureDeps) {
  const r = newRouter();

  for (const type of ['person', 'organisation'] as const satisfies readonly Erasable[]) {
    const base = type === 'person' ? '/people/{id}/erasure' : '/organisations/{id}/erasure';
    const what = type === 'person' ? 'person' : 'organisation';
    const ids = type === 'person' ? { state: 'getPersonErasure', preview: 'previewPersonErasure', erase: 'erasePerson' } : { state: 'getOrganisationErasure', preview: 'previewOrganisationErasure', erase: 'eraseOrganisation' };

    r.openapi(
      createRoute({
        method: 'get',
        operationId: ids.state,
        path: base,
        tags,
        summary: `Whether this ${what} was erased on request (anyone who may see it); administrators also see a pending request`,
        request: { params: IdParamSchema },
        responses: { 200: json(RecordErasureStateSchema, 'The state'), ...problems(401, 403, 404) },
      }),
      async (c) => c.json(await erasures.recordErasureState(db, c.get('ctx'), type, c.req.valid('param').id), 200),
    );

    r.openapi(
      createRoute({
        method: 'get',
        operationId: ids.preview,
        path: `${base}/preview`,
        tags,
        summary: `What erasing this ${what} would replace, what it keeps, and the places of free text elsewhere that name it (administrators)`,
        request: { params: IdParamSchema },
        responses: { 200: json(ErasurePreviewSchema, 'The preview'), ...problems(401, 403, 404, 409) },
      }),
      async (c) => c.json(await erasures.previewErasure(db, c.get('ctx'), type, c.req.valid('param').id), 200),
    );

    r.openapi(
      createRoute({
        method: 'post',
        operationId: ids.erase,
        path: base,
        tags,
        summary: `Erase this ${what} on request (administrators): at once, or as a request a second administrator confirms when the install requires one`,
        request: { params: IdParamSchema, body: jsonBody(RequestErasureSchema) },
        responses: {
          200: json(RequestOutcomeSchema, 'Erased'),
          201: json(RequestOutcomeSchema, 'Requested: waits for a second administrator'),
          ...problems(400, 401, 403, 404, 409, 422),
        },
      }),
      async (c) => {
        const out = await erasures.requestErasure(db, c.get('ctx'), type, c.req.valid('param').id, c.req.valid('json'));
        return out.done ? c.json(out, 200) : c.json(out, 201);
      },
    );
  }

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'listErasureRequests',
      path: '/erasure-requests',
      tags,
      summary: 'Erasure requests and erasures carried out, newest first (administrators); pending by default',
      request: { query: ErasureListQuerySchema },
      responses: { 200: json(pageSchema(ErasureSchema), 'Requests'), ...problems(400, 401, 403) },
    }),
    async (c) => c.json(await erasures.listErasures(db, c.get('ctx'), c.req.valid('query')), 200),
  );

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getErasureRequest',
      path: '/erasure-requests/{id}',
      tags,
      summary: 'One request or erasure; while pending, with what confirming it would erase (administrators)',
      request: { params: IdParamSchema },
      responses: {
        200: json(z.object({ erasure: ErasureSchema, preview: ErasurePreviewSchema.nullable() }).openapi('ErasureDetail'), 'The request'),
        ...problems(401, 403, 404),
      },
    }),
    async (c) => c.json(await erasures.getErasure(db, c.get('ctx'), c.req.valid('param').id), 200),
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'confirmErasureRequest',
      path: '/erasure-requests/{id}/confirm',
      tags,
      summary: 'Confirm a pending request: the record is erased (an administrator other than the requester, when a second is required)',
      request: { params: IdParamSchema, body: jsonBody(ConfirmErasureSchema) },
      responses: { 200: json(ErasureSchema, 'Erased'), ...problems(400, 401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await erasures.confirmErasure(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 200),
  );

  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'cancelErasureRequest',
      path: '/erasure-requests/{id}',
      tags,
      summary: 'Cancel a pending request (administrators); nothing is erased',
      request: { params: IdParamSchema },
      responses: { 204: { description: 'Cancelled' }, ...problems(401, 403, 404, 409) },
    }),
    async (c) => {
      await erasures.cancelErasure(db, c.get('ctx'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getErasureSettings',
      path: '/erasure-settings',
      tags,
      summary: 'Whether erasing needs a second administrator (administrators)',
      responses: { 200: json(ErasureSettingsSchema, 'Settings'), ...problems(401, 403) },
    }),
    async (c) => c.json(await erasures.getErasureSettings(db, c.get('ctx')), 200),
  );

  r.openapi(
    createRoute({
      method: 'patch',
      operationId: 'updateErasureSettings',
      path: '/erasure-settings',
      tags,
      summary: 'Require (or stop requiring) a second administrator to confirm erasures (administrators)',
      request: { body: jsonBody(UpdateErasureSettingsSchema) },
      responses: { 200: json(ErasureSettingsSchema, 'Settings'), ...problems(400, 401, 403) },
    }),
    async (c) => c.json(await erasures.updateErasureSettings(db, c.get('ctx'), c.req.valid('json')), 200),
  );

  return r;
}

