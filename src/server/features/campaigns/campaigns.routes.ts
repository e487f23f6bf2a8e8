import { createRoute, z } from '@hono/zod-openapi';
import type { FeatureDeps } from '../../http/context.ts';
import { IdParamSchema, json, jsonBody, newRouter, problems } from '../../http/openapi.ts';
import {
  CampaignAskSchema,
  CampaignDetailSchema,
  CampaignGrantSchema,
  CampaignGrantListSchema,
  CampaignGrantParamsSchema,
  CampaignDocumentListSchema,
  CampaignDocumentSchema,
  CampaignListSchema,
  CampaignMeetingListSchema,
  CampaignMeetingSchema,
  CreateDocumentSchema,
  TagMeetingSchema,
  CampaignTargetSchema,
  MeetingCampaignListSchema,
  CoverageQuerySchema,
  CoverageSchema,
  MovementChartSchema,
  MovementQuerySchema,
  CellParamsSchema,
  CreateAskSchema,
  CreateCampaignGrantSchema,
  CreateCampaignSchema,
  CreateStanceSchema,
  CreateTargetSchema,
  GridQuerySchema,
  GridSchema,
  StanceHistorySchema,
  StanceSchema,
  UpdateAskSchema,
  ReorderAsksSchema,
  CampaignAskListSchema,
  UpdateCampaignSchema,
  CampaignTargetListSchema,
  CreatePassageSchema,
  CreateTargetsSchema,
  DocumentUploadSchema,
  PassageSchema,
  UpdateDocumentSchema,
  UpdatePassageSchema,
  UpdateTargetSchema,
} from './campaigns.contract.ts';
import * as campaigns from './campaigns.service.ts';
import * as insights from './campaigns-insights.service.ts';
import * as answers from './campaigns-answers.ts';
import { sendAnswer } from './campaigns-answers.ts';
import { exportCampaignCsv } from './campaigns-export.ts';
import * as documents from './campaigns-documents.ts';
import { AppError } from '../../core/errors.ts';
import { loadBriefing, renderBriefing, talkingPoints } from './campaigns-briefing.ts';
import type { AiProvider } from '../../ai/provider.ts';
import { isLocale } from '../../../i18n/locales.ts';

const pathParam = (name: string) => z.string().min(1).max(100).openapi({ param: { name, in: 'path' } });
const AskParamsSchema = z.object({ id: pathParam('id'), askId: pathParam('askId') });
const TargetParamsSchema = z.object({ id: pathParam('id'), targetId: pathParam('targetId') });

/** Campaigns: asks, targets, stances with their evidence, the grid and each cell's history (docs/campaigns.md). */
export function campaignsRoutes(deps: FeatureDeps & { ai?: AiProvider | null }) {
  const { db } = deps;
  const ai = deps.ai ?? null;
  const r = newRouter();
  const tags = ['Campaigns'];

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'listCampaigns',
      path: '/campaigns',
      tags,
      summary: 'Campaigns you may see, newest first (reads of restricted campaigns are audited)',
      responses: { 200: json(CampaignListSchema, 'Campaigns'), ...problems(401, 403) },
    }),
    async (c) => c.json(await campaigns.listCampaigns(db, c.get('ctx')), 200),
  );
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'createCampaign',
      path: '/campaigns',
      tags,
      summary: 'Start a campaign with its asks (restricted unless restricted: false)',
      request: { body: jsonBody(CreateCampaignSchema) },
      responses: { 201: json(CampaignDetailSchema, 'The campaign'), ...problems(400, 401, 403, 422) },
    }),
    async (c) => c.json(await campaigns.createCampaign(db, c.get('ctx'), c.req.valid('json')), 201),
  );
  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getCampaign',
      path: '/campaigns/{id}',
      tags,
      summary: 'One campaign with its asks and the targets you may see',
      request: { params: IdParamSchema },
      responses: { 200: json(CampaignDetailSchema, 'The campaign'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await campaigns.getCampaign(db, c.get('ctx'), c.req.valid('param').id), 200),
  );
  r.openapi(
    createRoute({
      method: 'patch',
      operationId: 'updateCampaign',
      path: '/campaigns/{id}',
      tags,
      summary: 'Change a campaign; restricted and ownerId only by its owner or an administrator',
      request: { params: IdParamSchema, body: jsonBody(UpdateCampaignSchema) },
      responses: { 200: json(CampaignDetailSchema, 'The campaign'), ...problems(400, 401, 403, 404, 422) },
    }),
    async (c) => c.json(await campaigns.updateCampaign(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 200),
  );
  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'deleteCampaign',
      path: '/campaigns/{id}',
      tags,
      summary: 'Delete a campaign and its history (its owner or an administrator; 409 campaign_has_protected_records when part of it is hidden from the caller)',
      request: { params: IdParamSchema },
      responses: { 204: { description: 'Deleted' }, ...problems(401, 403, 404, 409) },
    }),
    async (c) => {
      await campaigns.deleteCampaign(db, c.get('ctx'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'grantCampaign',
      path: '/campaigns/{id}/grants',
      tags,
      summary: 'Share a restricted campaign with a user (anyone who sees it)',
      request: { params: IdParamSchema, body: jsonBody(CreateCampaignGrantSchema) },
      responses: { 201: json(CampaignGrantSchema, 'Granted'), 200: json(CampaignGrantSchema, 'Already granted'), ...problems(400, 401, 403, 404, 422) },
    }),
    async (c) => {
      const res = await campaigns.grantCampaign(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json').userId);
      return res.created ? c.json(res.grant, 201) : c.json(res.grant, 200);
    },
  );

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'listCampaignGrants',
      path: '/campaigns/{id}/grants',
      tags,
      summary: 'Who a campaign is shared with (staff and administrators who see it)',
      request: { params: IdParamSchema },
      responses: { 200: json(CampaignGrantListSchema, 'Grants'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await campaigns.listCampaignGrants(db, c.get('ctx'), c.req.valid('param').id), 200),
  );
  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'revokeCampaignGrant',
      path: '/campaigns/{id}/grants/{userId}',
      tags,
      summary: "Take a user's grant of a campaign away (its owner or an administrator)",
      request: { params: CampaignGrantParamsSchema },
      responses: { 204: { description: 'Revoked' }, ...problems(401, 403, 404) },
    }),
    async (c) => {
      const { id, userId } = c.req.valid('param');
      await campaigns.revokeCampaignGrant(db, c.get('ctx'), id, userId);
      return c.body(null, 204);
    },
  );

  // ---------- asks and targets ----------
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'createCampaignAsk',
      path: '/campaigns/{id}/asks',
      tags,
      summary: 'Add an ask (in English, Hebrew and/or Arabic)',
      request: { params: IdParamSchema, body: jsonBody(CreateAskSchema) },
      responses: { 201: json(CampaignAskSchema, 'The ask'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => c.json(await campaigns.createAsk(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 201),
  );
  r.openapi(
    createRoute({
      method: 'put',
      operationId: 'reorderCampaignAsks',
      path: '/campaigns/{id}/asks/order',
      tags,
      summary: 'Put the asks in a new order (every ask of the campaign, once)',
      request: { params: IdParamSchema, body: jsonBody(ReorderAsksSchema) },
      responses: { 200: json(CampaignAskListSchema, 'The asks in their new order'), ...problems(400, 401, 403, 404, 422) },
    }),
    async (c) => c.json({ items: await campaigns.reorderAsks(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')) }, 200),
  );
  r.openapi(
    createRoute({
      method: 'patch',
      operationId: 'updateCampaignAsk',
      path: '/campaigns/{id}/asks/{askId}',
      tags,
      summary: 'Reword or move an ask',
      request: { params: AskParamsSchema, body: jsonBody(UpdateAskSchema) },
      responses: { 200: json(CampaignAskSchema, 'The ask'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const { id, askId } = c.req.valid('param');
      return c.json(await campaigns.updateAsk(db, c.get('ctx'), id, askId, c.req.valid('json')), 200);
    },
  );
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'createCampaignTarget',
      path: '/campaigns/{id}/targets',
      tags,
      summary: 'Add a target: a government or mission (organisationId) or an official (personId), with a group label',
      request: { params: IdParamSchema, body: jsonBody(CreateTargetSchema) },
      responses: { 201: json(CampaignTargetSchema, 'The target'), ...problems(400, 401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await campaigns.createTarget(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 201),
  );
  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'deleteCampaignTarget',
      path: '/campaigns/{id}/targets/{targetId}',
      tags,
      summary: 'Remove a target that has no recorded stance (409 target_has_history otherwise)',
      request: { params: TargetParamsSchema },
      responses: { 204: { description: 'Removed' }, ...problems(401, 403, 404, 409) },
    }),
    async (c) => {
      const { id, targetId } = c.req.valid('param');
      await campaigns.deleteTarget(db, c.get('ctx'), id, targetId);
      return c.body(null, 204);
    },
  );

  // ---------- stances ----------
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'recordStance',
      path: '/campaigns/{id}/stances',
      tags,
      summary: "Record where a target stands on an ask, as of a day, with its evidence (kept: each change is a new entry in the cell's history)",
      request: { params: IdParamSchema, body: jsonBody(CreateStanceSchema) },
      responses: { 201: json(StanceSchema, 'The stance'), ...problems(400, 401, 403, 404, 422) },
    }),
    async (c) => c.json(await campaigns.recordStance(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 201),
  );
  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getCampaignGrid',
      path: '/campaigns/{id}/grid',
      tags,
      summary: 'Targets × asks with the current stance of each cell you may see, how many targets stand where per ask, and (since=) what moved',
      request: { params: IdParamSchema, query: GridQuerySchema },
      responses: { 200: json(GridSchema, 'The grid'), ...problems(400, 401, 403, 404) },
    }),
    // kept serialised while nothing it shows changes (campaigns-answers.ts): the same JSON getGrid gives
    async (c) => sendAnswer(c, await answers.gridAnswer(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('query').since)),
  );
  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getStanceHistory',
      path: '/campaigns/{id}/targets/{targetId}/asks/{askId}/stances',
      tags,
      summary: "A cell's history as you may see it, newest first",
      request: { params: CellParamsSchema },
      responses: { 200: json(StanceHistorySchema, 'The history'), ...problems(401, 403, 404) },
    }),
    async (c) => {
      const { id, targetId, askId } = c.req.valid('param');
      return c.json(await campaigns.getCellHistory(db, c.get('ctx'), id, targetId, askId), 200);
    },
  );

  // ---------- documents and meetings ----------
  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'listCampaignDocuments',
      path: '/campaigns/{id}/documents',
      tags,
      summary: "The campaign's reference documents with their passages",
      request: { params: IdParamSchema },
      responses: { 200: json(CampaignDocumentListSchema, 'Documents'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await campaigns.listDocuments(db, c.get('ctx'), c.req.valid('param').id), 200),
  );
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'createCampaignDocument',
      path: '/campaigns/{id}/documents',
      tags,
      summary: 'Add a reference document by its link, with the passages stances may cite',
      request: { params: IdParamSchema, body: jsonBody(CreateDocumentSchema) },
      responses: { 201: json(CampaignDocumentSchema, 'The document'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => c.json(await campaigns.createDocument(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 201),
  );
  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'listCampaignMeetings',
      path: '/campaigns/{id}/meetings',
      tags,
      summary: 'Network meetings tagged with the campaign that you may see, newest first, with the targets met and asks discussed',
      request: { params: IdParamSchema },
      responses: { 200: json(CampaignMeetingListSchema, 'Meetings'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await campaigns.listCampaignMeetings(db, c.get('ctx'), c.req.valid('param').id), 200),
  );
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'tagCampaignMeeting',
      path: '/campaigns/{id}/meetings',
      tags,
      summary: 'Tag a Network meeting with the campaign, the targets met and the asks discussed (lists given replace those you see)',
      request: { params: IdParamSchema, body: jsonBody(TagMeetingSchema) },
      responses: { 200: json(CampaignMeetingSchema, 'The tagged meeting'), ...problems(400, 401, 403, 404, 422) },
    }),
    async (c) => c.json(await campaigns.tagMeeting(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 200),
  );
  // ---------- changing and removing: asks, targets, tags, documents and passages ----------
  const DocParamsSchema = z.object({ id: pathParam('id'), documentId: pathParam('documentId') });
  const PassageParamsSchema = z.object({ id: pathParam('id'), documentId: pathParam('documentId'), passageId: pathParam('passageId') });
  const MeetingTagParamsSchema = z.object({ id: pathParam('id'), meetingId: pathParam('meetingId') });
  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'deleteCampaignAsk',
      path: '/campaigns/{id}/asks/{askId}',
      tags,
      summary: 'Remove an ask no stance was recorded on (409 ask_has_history otherwise: reword it instead)',
      request: { params: AskParamsSchema },
      responses: { 204: { description: 'Removed' }, ...problems(401, 403, 404, 409) },
    }),
    async (c) => {
      const { id, askId } = c.req.valid('param');
      await campaigns.deleteAsk(db, c.get('ctx'), id, askId);
      return c.body(null, 204);
    },
  );
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'createCampaignTargets',
      path: '/campaigns/{id}/targets/bulk',
      tags,
      summary: 'Add several targets at once, all or nothing: with any bad one (each named), none is added',
      request: { params: IdParamSchema, body: jsonBody(CreateTargetsSchema) },
      responses: { 201: json(CampaignTargetListSchema, 'The targets added'), ...problems(400, 401, 403, 404, 422) },
    }),
    async (c) => c.json(await campaigns.createTargets(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 201),
  );
  r.openapi(
    createRoute({
      method: 'patch',
      operationId: 'updateCampaignTarget',
      path: '/campaigns/{id}/targets/{targetId}',
      tags,
      summary: "Change a target's group label",
      request: { params: TargetParamsSchema, body: jsonBody(UpdateTargetSchema) },
      responses: { 200: json(CampaignTargetSchema, 'The target'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const { id, targetId } = c.req.valid('param');
      return c.json(await campaigns.updateTarget(db, c.get('ctx'), id, targetId, c.req.valid('json')), 200);
    },
  );
  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'untagCampaignMeeting',
      path: '/campaigns/{id}/meetings/{meetingId}',
      tags,
      summary: 'Untag a meeting from the campaign (its targets met and asks discussed go too; the meeting and any stance citing it stay)',
      request: { params: MeetingTagParamsSchema },
      responses: { 204: { description: 'Untagged' }, ...problems(401, 403, 404, 409) },
    }),
    async (c) => {
      const { id, meetingId } = c.req.valid('param');
      await campaigns.untagMeeting(db, c.get('ctx'), id, meetingId);
      return c.body(null, 204);
    },
  );
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'uploadCampaignDocument',
      path: '/campaigns/{id}/documents/upload',
      tags,
      summary: 'Add a reference document as a file (multipart/form-data, at most 20 MiB): PDF, OOXML or OpenDocument office files, PNG, JPEG or plain text, recognised from its bytes',
      request: { params: IdParamSchema, body: { required: true, content: { 'multipart/form-data': { schema: DocumentUploadSchema } } } },
      responses: { 201: json(CampaignDocumentSchema, 'The document'), ...problems(400, 401, 403, 404, 422) },
    }),
    async (c) => {
      const form = c.req.valid('form') as Record<string, unknown>;
      const file = form.file;
      if (!(file instanceof File)) throw new AppError('invalid', 'invalid_request', 'Send the document as the field "file".', [{ field: 'body.file', detail: 'Required' }]);
      const title = typeof form.title === 'string' && form.title.trim() ? form.title.trim() : undefined;
      const doc = await documents.uploadDocument(db, c.get('ctx'), c.req.valid('param').id, { bytes: new Uint8Array(await file.arrayBuffer()), fileName: file.name, title });
      return c.json(doc, 201);
    },
  );
  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getCampaignDocumentFile',
      path: '/campaigns/{id}/documents/{documentId}/file',
      tags,
      summary: "An uploaded document's file, as an attachment (only to readers who may see the campaign; reads of a restricted campaign's file are audited)",
      request: { params: DocParamsSchema },
      responses: { 200: { description: 'The file', content: { 'application/octet-stream': { schema: z.any() } } }, ...problems(401, 403, 404) },
    }),
    async (c) => {
      const { id, documentId } = c.req.valid('param');
      const f = await documents.documentFile(db, c.get('ctx'), id, documentId);
      const ascii = f.fileName.replace(/[^\x20-\x7E]/g, '_').replace(/["\\]/g, '_');
      return c.body(new Uint8Array(f.bytes), 200, {
        'content-type': f.mediaType,
        'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(f.fileName).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)}`,
        'x-content-type-options': 'nosniff',
        'cache-control': 'private, no-store',
        etag: `"${f.sha256}"`,
      }) as never;
    },
  );
  r.openapi(
    createRoute({
      method: 'patch',
      operationId: 'updateCampaignDocument',
      path: '/campaigns/{id}/documents/{documentId}',
      tags,
      summary: "Change a document's title (or a link document's link)",
      request: { params: DocParamsSchema, body: jsonBody(UpdateDocumentSchema) },
      responses: { 200: json(CampaignDocumentSchema, 'The document'), ...problems(400, 401, 403, 404, 422) },
    }),
    async (c) => {
      const { id, documentId } = c.req.valid('param');
      return c.json(await documents.updateDocument(db, c.get('ctx'), id, documentId, c.req.valid('json')), 200);
    },
  );
  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'deleteCampaignDocument',
      path: '/campaigns/{id}/documents/{documentId}',
      tags,
      summary: 'Delete a document with its passages and file (409 passage_is_evidence, naming the passages, while a stance cites one)',
      request: { params: DocParamsSchema },
      responses: { 204: { description: 'Deleted' }, ...problems(401, 403, 404, 409) },
    }),
    async (c) => {
      const { id, documentId } = c.req.valid('param');
      await documents.deleteDocument(db, c.get('ctx'), id, documentId);
      return c.body(null, 204);
    },
  );
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'createCampaignPassage',
      path: '/campaigns/{id}/documents/{documentId}/passages',
      tags,
      summary: 'Add a quoted passage to a document',
      request: { params: DocParamsSchema, body: jsonBody(CreatePassageSchema) },
      responses: { 201: json(PassageSchema, 'The passage'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const { id, documentId } = c.req.valid('param');
      return c.json(await documents.createPassage(db, c.get('ctx'), id, documentId, c.req.valid('json')), 201);
    },
  );
  r.openapi(
    createRoute({
      method: 'patch',
      operationId: 'updateCampaignPassage',
      path: '/campaigns/{id}/documents/{documentId}/passages/{passageId}',
      tags,
      summary: "Change a passage's locator or place; its quote only while no stance cites it (409 passage_is_evidence)",
      request: { params: PassageParamsSchema, body: jsonBody(UpdatePassageSchema) },
      responses: { 200: json(PassageSchema, 'The passage'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { id, documentId, passageId } = c.req.valid('param');
      return c.json(await documents.updatePassage(db, c.get('ctx'), id, documentId, passageId, c.req.valid('json')), 200);
    },
  );
  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'deleteCampaignPassage',
      path: '/campaigns/{id}/documents/{documentId}/passages/{passageId}',
      tags,
      summary: 'Delete a passage no stance cites (409 passage_is_evidence otherwise)',
      request: { params: PassageParamsSchema },
      responses: { 204: { description: 'Deleted' }, ...problems(401, 403, 404, 409) },
    }),
    async (c) => {
      const { id, documentId, passageId } = c.req.valid('param');
      await documents.deletePassage(db, c.get('ctx'), id, documentId, passageId);
      return c.body(null, 204);
    },
  );
  // ---------- coverage and movement ----------
  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getCampaignCoverage',
      path: '/campaigns/{id}/coverage',
      tags,
      summary: 'Who we met and who not in N days, per group how many met in a period, open follow-ups per target (meetings you may see only)',
      request: { params: IdParamSchema, query: CoverageQuerySchema },
      responses: { 200: json(CoverageSchema, 'Coverage'), ...problems(400, 401, 403, 404, 422) },
    }),
    async (c) => c.json(await insights.getCoverage(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('query')), 200),
  );
  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getCampaignMovement',
      path: '/campaigns/{id}/movement',
      tags,
      summary: 'Targets per stance per month, from the stances you may see',
      request: { params: IdParamSchema, query: MovementQuerySchema },
      responses: { 200: json(MovementChartSchema, 'Movement by month'), ...problems(400, 401, 403, 404, 422) },
    }),
    async (c) => sendAnswer(c, await answers.movementAnswer(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('query').askId)),
  );
  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getCampaignBriefing',
      path: '/campaigns/{id}/targets/{targetId}/briefing',
      tags,
      summary: 'A printable briefing before a meeting with a target (HTML that prints to PDF), from what you may see; talking points from the AI provider when configured',
      request: {
        params: TargetParamsSchema,
        query: z.object({ lang: z.enum(['en', 'he', 'ar']).optional().openapi({ description: "The briefing's language (default: yours)" }) }),
      },
      responses: { 200: { description: 'The briefing', content: { 'text/html': { schema: z.string() } } }, ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const ctx = c.get('ctx');
      const { id, targetId } = c.req.valid('param');
      const data = await loadBriefing(db, ctx, id, targetId);
      const actorLocale = ctx.actor?.locale;
      const locale = c.req.valid('query').lang ?? (isLocale(actorLocale) ? actorLocale : 'en');
      const points = await talkingPoints(data, locale, ai);
      return c.html(renderBriefing(data, points, locale, ctx.actor?.timeZone ?? 'UTC'), 200);
    },
  );
  for (const [what, operationId, summary] of [
    ['grid', 'exportCampaignGridCsv', 'The grid as CSV: one row per target you may see, one column per ask, the current stance as you may see it'],
    ['stances', 'exportCampaignStancesCsv', 'Every stance you may see as CSV, with its evidence, each cell newest first'],
  ] as const) {
    r.openapi(
      createRoute({
        method: 'get',
        operationId,
        path: `/campaigns/{id}/export/${what}.csv`,
        tags,
        summary,
        request: {
          params: IdParamSchema,
          query: z.object({
            bom: z
              .enum(['0', '1', 'true', 'false'])
              .optional()
              .transform((v) => v === '1' || v === 'true')
              .openapi({ description: '1: start with a UTF-8 byte-order mark, so that Excel shows Hebrew and Arabic' }),
          }),
        },
        responses: { 200: { description: 'RFC 4180 CSV, UTF-8', content: { 'text/csv': { schema: z.string() } } }, ...problems(400, 401, 403, 404) },
      }),
      async (c) => {
        const { body, fileName } = await exportCampaignCsv(db, c.get('ctx'), c.req.valid('param').id, what, c.req.valid('query').bom);
        return c.body(body, 200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${fileName}"`,
          'cache-control': 'no-store',
        }) as never;
      },
    );
  }
  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'listMeetingCampaigns',
      path: '/meetings/{id}/campaigns',
      tags,
      summary: 'The campaigns you may see that a meeting (you may see) is tagged with, with the targets met and the asks discussed',
      request: { params: IdParamSchema },
      responses: { 200: json(MeetingCampaignListSchema, 'Campaigns of the meeting'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await campaigns.listMeetingCampaigns(db, c.get('ctx'), c.req.valid('param').id), 200),
  );
  return r;
}
