import { createRoute, z } from '@hono/zod-openapi';
import { isLocale } from '../../../i18n/locales.ts';
import { IdParamSchema, json, jsonBody, newRouter, problems } from '../../http/openapi.ts';
import { PageQuerySchema, pageSchema } from '../../http/pagination.ts';
import type { DialogueDeps } from '../dialogues/deps.ts';
import { estimatesCsv, getStudyAnalysis, studyPower } from './analysis.service.ts';
import { createStudyFromDialogue } from './from-dialogue.service.ts';
import { ImportRunSchema } from '../imports/imports.contract.ts';
import { runDto } from '../imports/runs.ts';
import { commitImport, previewImport, SYNC_MAX_RESPONSES } from './imports.service.ts';
import { renderStudyReport } from './report.ts';
import { draftVariants, predictRankings } from './studies.assist.ts';
import {
  AnalysisQuerySchema,
  AnalysisSchema,
  ArmInputSchema,
  CreateStudyInviteSchema,
  CreateStudySchema,
  DraftVariantsResultSchema,
  DraftVariantsSchema,
  FromDialogueSchema,
  ImportPreviewSchema,
  ImportSchema,
  PopulationInputSchema,
  PowerQuerySchema,
  PowerSchema,
  PredictionsSchema,
  QuestionInputSchema,
  StudyListItemSchema,
  StudySchema,
  UpdateArmSchema,
  UpdatePopulationSchema,
  UpdateQuestionSchema,
  UpdateStudySchema,
} from './studies.contract.ts';
import * as studies from './studies.service.ts';

const tags = ['Studies'];
const NoContent = { description: 'Done' };
const StudyOut = (description = 'The study') => json(StudySchema, description);
const LOCKED = ' (409 study_has_responses once anyone has answered)';

/** Message tests (staff): setting up, survey links, power, imports, analysis, exports, the report and AI assist. */
export function studiesRoutes({ db, publicUrl, ai, jobs }: DialogueDeps) {
  const r = newRouter();

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'listStudies',
      path: '/studies',
      tags,
      summary: 'Message tests, most recently changed first, with their population, condition and response counts',
      request: { query: PageQuerySchema },
      responses: { 200: json(pageSchema(StudyListItemSchema), 'Studies'), ...problems(400, 401, 403) },
    }),
    async (c) => c.json(await studies.listStudies(db, c.get('ctx'), c.req.valid('query')), 200),
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'createStudy',
      path: '/studies',
      tags,
      summary: 'Create a message test: populations, a control and messages, questions (staff)',
      description: 'Every text must exist in each language its readers use; the errors name the exact field (e.g. body.arms.1.text.ar).',
      request: { body: jsonBody(CreateStudySchema) },
      responses: { 201: StudyOut(), ...problems(400, 401, 403) },
    }),
    async (c) => c.json(await studies.createStudy(db, c.get('ctx'), c.req.valid('json'), publicUrl), 201),
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'createStudyFromDialogue',
      path: '/studies/from-dialogue',
      tags,
      summary: '"Test these statements": a draft study whose messages are a dialogue’s statements (default: its bridging ones)',
      request: { body: jsonBody(FromDialogueSchema) },
      responses: { 201: StudyOut(), ...problems(400, 401, 403, 422) },
    }),
    async (c) => c.json(await createStudyFromDialogue(db, c.get('ctx'), c.req.valid('json'), publicUrl), 201),
  );

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getStudy',
      path: '/studies/{id}',
      tags,
      summary: 'A study with its populations, conditions, questions, survey links and response counts',
      request: { params: IdParamSchema },
      responses: { 200: StudyOut(), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await studies.getStudy(db, c.get('ctx'), c.req.valid('param').id, publicUrl), 200),
  );

  r.openapi(
    createRoute({
      method: 'patch',
      operationId: 'updateStudy',
      path: '/studies/{id}',
      tags,
      summary: 'Change a study: title, texts, status (draft, open, closed), randomization' + LOCKED,
      request: { params: IdParamSchema, body: jsonBody(UpdateStudySchema) },
      responses: { 200: StudyOut(), ...problems(400, 401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await studies.updateStudy(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json'), publicUrl), 200),
  );

  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'deleteStudy',
      path: '/studies/{id}',
      tags,
      summary: 'Delete a study and every response to it (admins)',
      request: { params: IdParamSchema },
      responses: { 204: NoContent, ...problems(401, 403, 404) },
    }),
    async (c) => {
      await studies.deleteStudy(db, c.get('ctx'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  // ---------- populations, arms, questions
  const sub = [
    { name: 'populations', single: 'study-populations', ids: ['createStudyPopulation', 'updateStudyPopulation', 'deleteStudyPopulation'], what: 'population', create: PopulationInputSchema, update: UpdatePopulationSchema, add: studies.addPopulation, change: studies.updatePopulation, remove: studies.deletePopulation, patchNote: 'its name (a text correction, always allowed), languages' + LOCKED + ', target sample' },
    { name: 'arms', single: 'study-arms', ids: ['createStudyArm', 'updateStudyArm', 'deleteStudyArm'], what: 'condition (the control or a message)', create: ArmInputSchema, update: UpdateArmSchema, add: studies.addArm, change: studies.updateArm, remove: studies.deleteArm, patchNote: 'its text (a correction, always allowed) or key' + LOCKED },
    { name: 'questions', single: 'study-questions', ids: ['createStudyQuestion', 'updateStudyQuestion', 'deleteStudyQuestion'], what: 'question (outcome, covariate or attention check)', create: QuestionInputSchema, update: UpdateQuestionSchema, add: studies.addQuestion, change: studies.updateQuestion, remove: studies.deleteQuestion, patchNote: 'its wording (always allowed) or design' + LOCKED },
  ] as const;
  for (const s of sub) {
    r.openapi(
      createRoute({
        method: 'post',
        operationId: s.ids[0],
        path: `/studies/{id}/${s.name}`,
        tags,
        summary: `Add a ${s.what}` + LOCKED,
        request: { params: IdParamSchema, body: jsonBody(s.create as z.ZodTypeAny) },
        responses: { 201: StudyOut(), ...problems(400, 401, 403, 404, 409) },
      }),
      async (c) => c.json(await (s.add as (...a: unknown[]) => Promise<unknown>)(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json'), publicUrl), 201) as never,
    );
    r.openapi(
      createRoute({
        method: 'patch',
        operationId: s.ids[1],
        path: `/${s.single}/{id}`,
        tags,
        summary: `Change a ${s.what}: ${s.patchNote}`,
        request: { params: IdParamSchema, body: jsonBody(s.update as z.ZodTypeAny) },
        responses: { 200: StudyOut(), ...problems(400, 401, 403, 404, 409) },
      }),
      async (c) => c.json(await (s.change as (...a: unknown[]) => Promise<unknown>)(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json'), publicUrl), 200) as never,
    );
    r.openapi(
      createRoute({
        method: 'delete',
        operationId: s.ids[2],
        path: `/${s.single}/{id}`,
        tags,
        summary: `Remove a ${s.what}` + LOCKED,
        request: { params: IdParamSchema },
        responses: { 204: NoContent, ...problems(401, 403, 404, 409) },
      }),
      async (c) => {
        await s.remove(db, c.get('ctx'), c.req.valid('param').id);
        return c.body(null, 204);
      },
    );
  }

  // ---------- survey links
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'createStudyInvite',
      path: '/studies/{id}/invites',
      tags,
      summary: 'Create a public survey link (/s/{token}) for a population',
      request: { params: IdParamSchema, body: jsonBody(CreateStudyInviteSchema) },
      responses: { 201: StudyOut(), ...problems(400, 401, 403, 404, 422) },
    }),
    async (c) => c.json(await studies.createInvite(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json'), publicUrl), 201),
  );

  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'revokeStudyInvite',
      path: '/study-invites/{id}',
      tags,
      summary: 'Revoke a survey link (people who started through it may finish)',
      request: { params: IdParamSchema },
      responses: { 204: NoContent, ...problems(401, 403, 404) },
    }),
    async (c) => {
      await studies.revokeInvite(db, c.get('ctx'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  // ---------- design, import, analysis
  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getStudyPower',
      path: '/studies/{id}/power',
      tags,
      summary: 'Power calculator: the minimum detectable effect per population and for the difference between two (or, given mde, the people needed per condition)',
      request: { params: IdParamSchema, query: PowerQuerySchema },
      responses: { 200: json(PowerSchema, 'Power'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => c.json(await studyPower(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('query')), 200),
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'previewStudyImport',
      path: '/studies/{id}/imports/preview',
      tags,
      summary: 'Preview importing a panel vendor’s CSV with a column mapping: counts, missing values, errors, unmapped values (nothing is stored)',
      request: { params: IdParamSchema, body: jsonBody(ImportSchema) },
      responses: { 200: json(ImportPreviewSchema, 'What the import would do'), ...problems(400, 401, 403, 404, 422) },
    }),
    async (c) => c.json(await previewImport(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 200),
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'importStudyResponses',
      path: '/studies/{id}/imports',
      tags,
      summary: `Import the responses of a CSV, all or nothing (422 naming the mapping fields when any row has an error or an unmapped value). Up to ${SYNC_MAX_RESPONSES} rows are written at once (201); more by a background job in short transactions (202: follow GET /api/imports/{id}; a run that fails removes what it wrote)`,
      request: { params: IdParamSchema, body: jsonBody(ImportSchema) },
      responses: {
        201: json(z.object({ importId: z.string(), imported: z.number().int() }), 'Imported'),
        202: {
          description: 'Checked and queued: a background job writes it (Location: the run; its id is the importId)',
          headers: { Location: { schema: { type: 'string' }, description: '/api/imports/{id}' } },
          content: { 'application/json': { schema: ImportRunSchema } },
        },
        ...problems(400, 401, 403, 404, 422),
      },
    }),
    async (c) => {
      const out = await commitImport(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json'), jobs);
      if (out.run) {
        c.header('Location', `/api/imports/${out.run.id}`);
        return c.json(await runDto(db, out.run), 202);
      }
      return c.json({ importId: out.importId, imported: out.imported }, 201);
    },
  );

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getStudyAnalysis',
      path: '/studies/{id}/analysis',
      tags,
      summary: 'Each message against control per population (estimatr’s lm_robust / lm_lin), adjusted p-values, shrinkage, differences between populations, verdicts, and the AI’s predictions apart',
      description: 'Only complete responses that passed the attention check count; imported rows count as complete.',
      request: { params: IdParamSchema, query: AnalysisQuerySchema },
      responses: { 200: json(AnalysisSchema, 'The analysis'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => c.json(await getStudyAnalysis(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('query')), 200),
  );

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'exportStudyEstimatesCsv',
      path: '/studies/{id}/export/estimates.csv',
      tags,
      summary: 'The estimates as a tidy CSV: one row per population × condition × outcome (UTF-8 with a byte-order mark)',
      request: { params: IdParamSchema },
      responses: { 200: { description: 'The estimates', content: { 'text/csv': { schema: z.string() } } }, ...problems(401, 403, 404, 409) },
    }),
    async (c) => {
      const text = await estimatesCsv(db, c.get('ctx'), c.req.valid('param').id);
      return c.body(text, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="estimates.csv"' });
    },
  );

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getStudyReport',
      path: '/studies/{id}/report',
      tags,
      summary: 'A printable report (HTML that prints well to PDF): verdicts with the rule, coefficient plots per population side by side, figures',
      request: {
        params: IdParamSchema,
        query: z.object({ lang: z.enum(['en', 'he', 'ar']).optional().openapi({ description: "The report's language (default: yours)" }) }),
      },
      responses: { 200: { description: 'The report', content: { 'text/html': { schema: z.string() } } }, ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const ctx = c.get('ctx');
      const { id } = c.req.valid('param');
      const study = await studies.getStudy(db, ctx, id, publicUrl);
      const analysis = await getStudyAnalysis(db, ctx, id, {});
      const actorLocale = ctx.actor?.locale;
      const locale = c.req.valid('query').lang ?? (isLocale(actorLocale) ? actorLocale : 'en');
      return c.html(renderStudyReport(study, analysis, locale, ctx.actor?.timeZone ?? 'UTC'), 200);
    },
  );

  // ---------- AI assist
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'draftStudyVariants',
      path: '/studies/{id}/draft-variants',
      tags,
      summary: 'Draft message variants in every language of the study from its brief (AI; 409 ai_not_configured without a provider). Not stored.',
      request: { params: IdParamSchema, body: jsonBody(DraftVariantsSchema) },
      responses: { 200: json(DraftVariantsResultSchema, 'Variants'), ...problems(400, 401, 403, 404, 409, 422, 503) },
    }),
    async (c) => c.json(await draftVariants(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json').count, ai), 200),
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'predictStudyPersuasion',
      path: '/studies/{id}/predictions',
      tags,
      summary: 'Ask the AI provider to predict how persuasive each message is per population (stored apart from measured results; replaces the previous prediction)',
      request: { params: IdParamSchema },
      responses: { 200: json(PredictionsSchema, 'The predictions'), ...problems(401, 403, 404, 409, 503) },
    }),
    async (c) => c.json(await predictRankings(db, c.get('ctx'), c.req.valid('param').id, ai), 200),
  );

  return r;
}
