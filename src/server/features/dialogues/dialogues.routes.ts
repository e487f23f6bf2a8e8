import { createRoute, z } from '@hono/zod-openapi';
import { IdParamSchema, json, jsonBody, newRouter, problems } from '../../http/openapi.ts';
import { PageQuerySchema, pageSchema } from '../../http/pagination.ts';
import type { DialogueDeps } from './deps.ts';
import {
  CreateDialogueSchema,
  CreateInviteSchema,
  CreateQuestionSchema,
  CreateSeedSchema,
  CreateSegmentSchema,
  CreateSessionSchema,
  DialogueSchema,
  DialogueSummarySchema,
  LanguageSchema,
  ModerateSchema,
  SegmentSchema,
  StatementQuerySchema,
  StatementSchema,
  TranslationInputSchema,
  UpdateDialogueSchema,
  UpdateQuestionSchema,
  UpdateSegmentSchema,
  UpdateSessionSchema,
} from './dialogues.contract.ts';
import * as dialogues from './dialogues.service.ts';
import * as statements from './statements.service.ts';

const tags = ['Dialogues'];
const NoContent = { description: 'Done' };
const TranslationParams = IdParamSchema.extend({ language: LanguageSchema.openapi({ param: { name: 'language', in: 'path' } }) });

/** Setting up dialogues (staff): segments, sessions, questions, seeds, invite links, moderation, translations. */
export function dialoguesRoutes({ db, publicUrl, ai, translate }: DialogueDeps) {
  const r = newRouter();

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'listDialogues',
      path: '/dialogues',
      tags,
      summary: 'Dialogues, most recently changed first, with their participant, statement and vote counts',
      request: { query: PageQuerySchema },
      responses: { 200: json(pageSchema(DialogueSummarySchema), 'Dialogues'), ...problems(400, 401, 403) },
    }),
    async (c) => c.json(await dialogues.listDialogues(db, c.get('ctx'), c.req.valid('query')), 200),
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'createDialogue',
      path: '/dialogues',
      tags,
      summary: 'Create a dialogue with its segments (staff)',
      request: { body: jsonBody(CreateDialogueSchema) },
      responses: { 201: json(DialogueSchema, 'The dialogue'), ...problems(400, 401, 403) },
    }),
    async (c) => c.json(await dialogues.createDialogue(db, c.get('ctx'), c.req.valid('json'), publicUrl), 201),
  );

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getDialogue',
      path: '/dialogues/{id}',
      tags,
      summary: 'A dialogue with its segments, sessions, questions and invite links',
      request: { params: IdParamSchema },
      responses: { 200: json(DialogueSchema, 'The dialogue'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await dialogues.getDialogue(db, c.get('ctx'), c.req.valid('param').id, publicUrl), 200),
  );

  r.openapi(
    createRoute({
      method: 'patch',
      operationId: 'updateDialogue',
      path: '/dialogues/{id}',
      tags,
      summary: 'Change a dialogue: title, intro, languages, moderation, whether participants see results, pairwise',
      request: { params: IdParamSchema, body: jsonBody(UpdateDialogueSchema) },
      responses: { 200: json(DialogueSchema, 'The dialogue'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => c.json(await dialogues.updateDialogue(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json'), publicUrl), 200),
  );

  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'deleteDialogue',
      path: '/dialogues/{id}',
      tags,
      summary: 'Delete a dialogue and everything participants entered in it (admins)',
      request: { params: IdParamSchema },
      responses: { 204: NoContent, ...problems(401, 403, 404) },
    }),
    async (c) => {
      await dialogues.deleteDialogue(db, c.get('ctx'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  // ---------- segments
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'createDialogueSegment',
      path: '/dialogues/{id}/segments',
      tags,
      summary: 'Add a segment (a self-identified population)',
      request: { params: IdParamSchema, body: jsonBody(CreateSegmentSchema) },
      responses: { 201: json(DialogueSchema, 'The dialogue'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => c.json(await dialogues.addSegment(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json'), publicUrl), 201),
  );

  r.openapi(
    createRoute({
      method: 'patch',
      operationId: 'updateDialogueSegment',
      path: '/dialogue-segments/{id}',
      tags,
      summary: "Rename a segment (its key stays: exports use it)",
      request: { params: IdParamSchema, body: jsonBody(UpdateSegmentSchema) },
      responses: { 200: json(SegmentSchema, 'The segment'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => c.json(await dialogues.updateSegment(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 200),
  );

  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'deleteDialogueSegment',
      path: '/dialogue-segments/{id}',
      tags,
      summary: 'Remove a segment no one has joined and no session is for',
      request: { params: IdParamSchema },
      responses: { 204: NoContent, ...problems(401, 403, 404, 409) },
    }),
    async (c) => {
      await dialogues.deleteSegment(db, c.get('ctx'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  // ---------- sessions
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'createDialogueSession',
      path: '/dialogues/{id}/sessions',
      tags,
      summary: 'Add a session: for one segment (uni-national) or for all (joint, segmentId null)',
      request: { params: IdParamSchema, body: jsonBody(CreateSessionSchema) },
      responses: { 201: json(DialogueSchema, 'The dialogue'), ...problems(400, 401, 403, 404, 422) },
    }),
    async (c) => c.json(await dialogues.createSession(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json'), publicUrl), 201),
  );

  r.openapi(
    createRoute({
      method: 'patch',
      operationId: 'updateDialogueSession',
      path: '/dialogue-sessions/{id}',
      tags,
      summary: 'Open or close a session by hand, or schedule it (opensAt, closesAt)',
      request: { params: IdParamSchema, body: jsonBody(UpdateSessionSchema) },
      responses: { 200: json(DialogueSchema, 'The dialogue'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => c.json(await dialogues.updateSession(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json'), publicUrl), 200),
  );

  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'deleteDialogueSession',
      path: '/dialogue-sessions/{id}',
      tags,
      summary: 'Delete a session no one has voted in',
      request: { params: IdParamSchema },
      responses: { 204: NoContent, ...problems(401, 403, 404, 409) },
    }),
    async (c) => {
      await dialogues.deleteSession(db, c.get('ctx'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  // ---------- questions
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'createDialogueQuestion',
      path: '/dialogue-sessions/{id}/questions',
      tags,
      summary: 'Add a question: open (with seed statements) or a poll (single, multiple, 1–5 or 1–7 scale)',
      request: { params: IdParamSchema, body: jsonBody(CreateQuestionSchema) },
      responses: { 201: json(DialogueSchema, 'The dialogue'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const d = await dialogues.createQuestion(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json'), publicUrl);
      return c.json(d, 201);
    },
  );

  r.openapi(
    createRoute({
      method: 'patch',
      operationId: 'updateDialogueQuestion',
      path: '/dialogue-questions/{id}',
      tags,
      summary: "Change a question's prompt or position",
      request: { params: IdParamSchema, body: jsonBody(UpdateQuestionSchema) },
      responses: { 200: json(DialogueSchema, 'The dialogue'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => c.json(await dialogues.updateQuestion(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json'), publicUrl), 200),
  );

  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'deleteDialogueQuestion',
      path: '/dialogue-questions/{id}',
      tags,
      summary: 'Delete a question no one has answered',
      request: { params: IdParamSchema },
      responses: { 204: NoContent, ...problems(401, 403, 404, 409) },
    }),
    async (c) => {
      await dialogues.deleteQuestion(db, c.get('ctx'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  // ---------- invites
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'createDialogueInvite',
      path: '/dialogues/{id}/invites',
      tags,
      summary: 'Create an invite link for a segment, or one where participants choose their segment (segmentId null)',
      request: { params: IdParamSchema, body: jsonBody(CreateInviteSchema) },
      responses: { 201: json(DialogueSchema, 'The dialogue'), ...problems(400, 401, 403, 404, 422) },
    }),
    async (c) => c.json(await dialogues.createInvite(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json'), publicUrl), 201),
  );

  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'revokeDialogueInvite',
      path: '/dialogue-invites/{id}',
      tags,
      summary: 'Revoke an invite link (participants who joined through it keep taking part)',
      request: { params: IdParamSchema },
      responses: { 204: NoContent, ...problems(401, 403, 404) },
    }),
    async (c) => {
      await dialogues.revokeInvite(db, c.get('ctx'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  // ---------- statements
  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'listDialogueStatements',
      path: '/dialogues/{id}/statements',
      tags,
      summary: 'Statements with their translations and vote counts, oldest first (status=pending: the moderation queue)',
      request: { params: IdParamSchema, query: StatementQuerySchema },
      responses: { 200: json(pageSchema(StatementSchema), 'Statements'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => c.json(await statements.listStatements(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('query')), 200),
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'createSeedStatement',
      path: '/dialogue-questions/{id}/statements',
      tags,
      summary: 'Add a seed statement (accepted at once; translated in the background when an AI provider is configured)',
      request: { params: IdParamSchema, body: jsonBody(CreateSeedSchema) },
      responses: { 201: json(StatementSchema, 'The statement'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) =>
      c.json(await statements.createSeed(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json'), translate), 201),
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'moderateStatement',
      path: '/dialogue-statements/{id}/moderation',
      tags,
      summary: 'Accept or reject a statement (a reason is required to reject; participants never see rejected statements)',
      request: { params: IdParamSchema, body: jsonBody(ModerateSchema) },
      responses: { 200: json(StatementSchema, 'The statement'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => c.json(await statements.moderateStatement(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 200),
  );

  r.openapi(
    createRoute({
      method: 'put',
      operationId: 'setStatementTranslation',
      path: '/dialogue-statements/{id}/translations/{language}',
      tags,
      summary: 'Enter a human translation (replaces a machine one)',
      request: { params: TranslationParams, body: jsonBody(TranslationInputSchema) },
      responses: { 200: json(StatementSchema, 'The statement'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const { id, language } = c.req.valid('param');
      return c.json(await statements.setHumanTranslation(db, c.get('ctx'), id, language, c.req.valid('json').body), 200);
    },
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'translateDialogue',
      path: '/dialogues/{id}/translate',
      tags,
      summary: 'Ask the AI provider now for every missing translation (409 ai_not_configured without one)',
      request: { params: IdParamSchema },
      responses: { 200: json(z.object({ translated: z.number().int() }), 'How many translations were written'), ...problems(401, 403, 404, 409, 503) },
    }),
    async (c) => c.json(await statements.translateMissing(db, c.get('ctx'), c.req.valid('param').id, ai), 200),
  );

  return r;
}
