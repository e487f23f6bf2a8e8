import { titleFor } from './dialogue-title.ts';
import { createRoute, z } from '@hono/zod-openapi';
import { isLocale } from '../../../i18n/locales.ts';
import { IdParamSchema, json, jsonBody, newRouter, problems } from '../../http/openapi.ts';
import {
  AnalysisQuerySchema,
  CreateSummarySchema,
  CreateValidationPollSchema,
  DialogueAnalysisSchema,
  PolisImportSchema,
  PollResultSchema,
  SummarySchema,
} from './analysis.contract.ts';
import { getAnalysis } from './analysis.service.ts';
import type { DialogueDeps } from './deps.ts';
import { DialogueSchema } from './dialogues.contract.ts';
import { getDialogue, requireDialogue } from './dialogues.service.ts';
import { ImportRunSchema } from '../imports/imports.contract.ts';
import { runDto } from '../imports/runs.ts';
import { exportPolisFile, importPolisChecked, POLIS_FILES, SYNC_MAX_UNITS } from './polis-io.service.ts';
import { renderReport } from './report.ts';
import { createSummary, createValidationPoll, listSummaries, pollResults, statementsCsv } from './results.service.ts';

const tags = ['Dialogue analysis'];
const csv = (description: string) => ({ description, content: { 'text/csv': { schema: z.string() } } });

/** Analysis, summaries, Pol.is import and export, and the printable report. */
export function dialogueAnalysisRoutes({ db, publicUrl, ai, jobs }: DialogueDeps) {
  const r = newRouter();

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getDialogueAnalysis',
      path: '/dialogues/{id}/analysis',
      tags,
      summary: 'Per-statement figures by segment and opinion group (95% Wilson intervals), opinion groups and map, consensus, bridging and divisive statements',
      description: 'Recomputed when older than two seconds, so a page polling it while a session runs stays live.',
      request: { params: IdParamSchema, query: AnalysisQuerySchema },
      responses: { 200: json(DialogueAnalysisSchema, 'The analysis'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => c.json(await getAnalysis(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('query').questionId), 200),
  );

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getPollResults',
      path: '/dialogue-questions/{id}/poll-results',
      tags,
      summary: "A poll's answers for everyone and per segment",
      request: { params: IdParamSchema },
      responses: { 200: json(PollResultSchema, 'The results'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => c.json(await pollResults(db, c.get('ctx'), c.req.valid('param').id), 200),
  );

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'listQuestionSummaries',
      path: '/dialogue-questions/{id}/summaries',
      tags,
      summary: "An open question's theme summaries, newest first",
      request: { params: IdParamSchema },
      responses: { 200: json(z.object({ items: z.array(SummarySchema) }), 'Summaries'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await listSummaries(db, c.get('ctx'), c.req.valid('param').id), 200),
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'createQuestionSummary',
      path: '/dialogue-questions/{id}/summaries',
      tags,
      summary: 'Summarise the themes of an open question (AI provider; without one, a keyword grouping labelled method=keywords)',
      request: { params: IdParamSchema, body: jsonBody(CreateSummarySchema) },
      responses: { 201: json(SummarySchema, 'The summary'), ...problems(400, 401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await createSummary(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json'), ai), 201),
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'createValidationPoll',
      path: '/dialogue-summaries/{id}/validation-poll',
      tags,
      summary: "Ask a session's participants whether a summary reflects their view (results per segment in poll-results)",
      request: { params: IdParamSchema, body: jsonBody(CreateValidationPollSchema) },
      responses: { 201: json(DialogueSchema, 'The dialogue, with the new poll'), ...problems(400, 401, 403, 404, 409, 422) },
    }),
    async (c) => {
      const ctx = c.get('ctx');
      const { dialogueId } = await createValidationPoll(db, ctx, c.req.valid('param').id, c.req.valid('json').sessionId);
      return c.json(await getDialogue(db, ctx, dialogueId, publicUrl), 201);
    },
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'importPolisConversation',
      path: '/dialogues/import/polis',
      tags,
      summary: `Import a Pol.is export (comments.csv, votes.csv, participants-votes.csv): the latest vote of each pair stands. The files are checked whole first (422, nothing written); up to ${SYNC_MAX_UNITS} participants, statements and votes in all are written at once (201), more by a background job in short transactions (202: the dialogue exists at once and fills in; follow GET /api/imports/{id})`,
      request: { body: jsonBody(PolisImportSchema) },
      responses: {
        201: json(z.object({ id: z.string(), statements: z.number().int(), participants: z.number().int(), votes: z.number().int() }), 'The new dialogue'),
        202: {
          description: 'Checked and queued (Location: the run; its target is the new dialogue)',
          headers: { Location: { schema: { type: 'string' }, description: '/api/imports/{id}' } },
          content: { 'application/json': { schema: ImportRunSchema } },
        },
        ...problems(400, 401, 403, 422),
      },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const { run, ...out } = await importPolisChecked(
        db,
        c.get('ctx'),
        { title: b.title, languages: b.languages, files: { comments: b.comments, votes: b.votes, participantsVotes: b.participantsVotes, summary: b.summary }, inclusion: b.inclusion, missingVotes: b.missingVotes },
        jobs,
      );
      if (run) {
        c.header('Location', `/api/imports/${run.id}`);
        return c.json(await runDto(db, run), 202);
      }
      return c.json(out, 201);
    },
  );

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'exportPolisFile',
      path: '/dialogues/{id}/export/polis/{file}',
      tags,
      summary: "The dialogue in Pol.is's export format (participant ids are pseudonyms)",
      request: { params: IdParamSchema.extend({ file: z.enum(POLIS_FILES).openapi({ param: { name: 'file', in: 'path' } }) }) },
      responses: { 200: csv('The file'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const { id, file } = c.req.valid('param');
      const text = await exportPolisFile(db, c.get('ctx'), id, file);
      return c.body(text, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${file}"` });
    },
  );

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'exportDialogueStatementsCsv',
      path: '/dialogues/{id}/export/statements.csv',
      tags,
      summary: 'Statements with their figures overall and per segment (UTF-8 with a byte-order mark)',
      request: { params: IdParamSchema },
      responses: { 200: csv('The statements'), ...problems(401, 403, 404) },
    }),
    async (c) => {
      const text = await statementsCsv(db, c.get('ctx'), c.req.valid('param').id);
      return c.body(text, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="statements.csv"' });
    },
  );

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getDialogueReport',
      path: '/dialogues/{id}/report',
      tags,
      summary: 'A printable report (HTML that prints well to PDF): the opinion map, bridging and divisive statements, per-segment charts',
      request: {
        params: IdParamSchema,
        query: z.object({ lang: z.enum(['en', 'he', 'ar']).optional().openapi({ description: "The report's language (default: yours)" }) }),
      },
      responses: { 200: { description: 'The report', content: { 'text/html': { schema: z.string() } } }, ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const ctx = c.get('ctx');
      const { id } = c.req.valid('param');
      const analysis = await getAnalysis(db, ctx, id);
      const d = await requireDialogue(db, id);
      const actorLocale = ctx.actor?.locale;
      const locale = c.req.valid('query').lang ?? (isLocale(actorLocale) ? actorLocale : 'en');
      return c.html(renderReport(analysis, { title: titleFor(d.title, locale, d.languages), description: d.description }, locale, ctx.actor?.timeZone ?? 'UTC'), 200);
    },
  );

  return r;
}
