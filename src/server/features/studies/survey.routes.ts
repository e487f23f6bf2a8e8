import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { json, jsonBody, newRouter, problems } from '../../http/openapi.ts';
import { clientIp } from '../../http/security.ts';
import type { AppEnv } from '../../http/context.ts';
import type { PublicRuntime } from '../../public/runtime.ts';
import type { DialogueDeps } from '../dialogues/deps.ts';
import { StartSurveySchema, SurveyAnswersSchema, SurveyLanguageQuerySchema, SurveyStateSchema, SurveyTokenParamSchema } from './survey.contract.ts';
import * as survey from './survey.service.ts';
import { respondentCookies, respondentTokenFrom } from './survey.token.ts';

const tags = ['Taking part'];
const security: { [k: string]: string[] }[] = [];
const cookieNote = 'The respondent is identified by the cookie set on starting (HttpOnly, SameSite=Lax, scoped to this link); only its SHA-256 is stored.';

/**
 * Answering a study's survey without an account, for scripts and load tests: the same service functions as the
 * public pages (/s/{token}, survey.pages.ts).
 */
export function surveyRoutes(deps: DialogueDeps & { runtime: PublicRuntime }) {
  const { db } = deps;
  const rt = deps.runtime.survey;
  const secure = deps.publicUrl.startsWith('https://');
  const r = newRouter();

  const ip = (c: Context<AppEnv>) => c.get('ctx')?.ip ?? clientIp(c, false);
  const load = async (c: Context<AppEnv>, token: string) => {
    const ctx = await survey.loadSurvey(db, token);
    return { ctx, respondent: await survey.respondentOf(db, ctx, respondentTokenFrom(c.req.header('cookie'))) };
  };

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getSurveyState',
      path: '/survey/{token}/state',
      tags,
      security,
      summary: 'Where this respondent is: the step, the questions to answer now, the assigned message (at step outcomes)',
      description: `${cookieNote} Without the cookie: step consent with the consent text. A finished respondent gets step complete even after the study closes.`,
      request: { params: SurveyTokenParamSchema, query: SurveyLanguageQuerySchema },
      responses: { 200: json(SurveyStateSchema, 'The state'), ...problems(400, 404, 410) },
    }),
    async (c) => {
      const { ctx, respondent } = await load(c, c.req.valid('param').token);
      const step = await survey.currentStep(db, ctx, respondent);
      if (step !== 'complete') survey.requireOpen(ctx);
      const lang = survey.readerLanguage(ctx, c.req.valid('query').language ?? respondent?.language);
      return c.json(survey.surveyState(ctx, respondent, step, lang), 200);
    },
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'startSurvey',
      path: '/survey/{token}/start',
      tags,
      security,
      summary: 'Consent and start: creates the anonymous response and assigns its condition on the server, once',
      description: `${cookieNote} Starting again with the cookie returns the same response and condition (200). Rate-limited per address (starts per hour).`,
      request: { params: SurveyTokenParamSchema, body: jsonBody(StartSurveySchema) },
      responses: { 201: json(SurveyStateSchema, 'Started; the cookie is set'), 200: json(SurveyStateSchema, 'Already started'), ...problems(400, 404, 409, 410, 429) },
    }),
    async (c) => {
      const { token } = c.req.valid('param');
      const { ctx, respondent: existing } = await load(c, token);
      const input = c.req.valid('json');
      const { token: cookieToken, respondent } = await survey.start(db, rt, ctx, input, ip(c), existing);
      if (cookieToken) for (const k of respondentCookies(token, cookieToken, { secure })) c.header('set-cookie', k, { append: true });
      const step = await survey.currentStep(db, ctx, respondent);
      const lang = survey.readerLanguage(ctx, existing ? respondent.language : input.language);
      return c.json(survey.surveyState(ctx, respondent, step, lang), cookieToken ? 201 : 200);
    },
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'submitSurveyAnswers',
      path: '/survey/{token}/answers',
      tags,
      security,
      summary: 'Answer the current step (every question of it); returns the next state',
      description: `${cookieNote} Scale answers are whole numbers within the scale; yes_no takes 1/0, true/false or "yes"/"no"; choice takes an option id. One call may answer several steps in order. A step already passed answers 409 survey_step_passed, a later one 409 survey_step_not_reached.`,
      request: { params: SurveyTokenParamSchema, body: jsonBody(SurveyAnswersSchema) },
      responses: { 200: json(SurveyStateSchema, 'Stored; the next state'), ...problems(400, 401, 404, 409, 410, 429) },
    }),
    async (c) => {
      const { ctx, respondent } = await load(c, c.req.valid('param').token);
      if (!respondent) throw survey.notStarted();
      const step = await survey.answer(db, rt, ctx, respondent, c.req.valid('json').answers);
      return c.json(survey.surveyState(ctx, respondent, step, respondent.language), 200);
    },
  );

  return r;
}
