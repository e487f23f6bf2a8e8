import path from 'node:path';
import type { Context } from 'hono';
import { AppError } from '../../core/errors.ts';
import { readSettings, type OrganisationName } from '../accounts/accounts.service.ts';
import { askedLanguage, preferredLanguage } from '../../public/language.ts';
import { clientAddress, formBody, page, publicPageSet, see, str } from '../../public/pages.ts';
import type { PublicRuntime } from '../../public/runtime.ts';
import type { DialogueDeps } from '../dialogues/deps.ts';
import type { SurveyAnswerInput } from './survey.contract.ts';
import * as survey from './survey.service.ts';
import { respondentCookies, respondentTokenFrom } from './survey.token.ts';
import { consentView, messageView, noticeView, questionsView, thanksView, tr, type SurveyFrame } from './survey.views.ts';

// The public survey under /s: /s/{link} shows the respondent's current step (consent, covariates, the assigned
// message, outcomes, the attention check, thank you); /s/{link}/questions the outcome questions after the message.
// Every form posts and answers 303 back to /s/{link}, so reloading, going back or opening a second tab shows
// the current step and never changes the condition. /s/assets/* holds one stylesheet and one tiny script,
// named by their content hash and cached for a year.

const publicDir = path.join(import.meta.dirname, 'public');

const KNOWN: Record<string, string> = { survey_not_found: 'notFound', survey_link_revoked: 'revoked', survey_not_open: 'notOpen', survey_closed: 'closed' };

/** The survey pages; the rate limits see the respondent's address as the app resolved it (TRUST_PROXY honoured). */
export function surveyPages(deps: DialogueDeps & { runtime: PublicRuntime }) {
  const { db, runtime } = deps;
  const rt = runtime.survey;
  const { app, assets, secure } = publicPageSet(deps.publicUrl, { dir: publicDir, name: 'survey', mount: '/s' }, (c, lang, bodyKey) =>
    noticeView(bareFrame(c, lang), tr(lang, 'error.title'), tr(lang, bodyKey)),
  );

  /** the organisation's names as the settings had them when the survey was loaded for this request */
  const runBy = new WeakMap<survey.SurveyContext, OrganisationName>();
  const frame = (ctx: survey.SurveyContext, lang: survey.SurveyLanguage, started: boolean, back: '' | 'questions' = ''): SurveyFrame => {
    const names = runBy.get(ctx) ?? {};
    return { lang, assets, link: ctx.link, languages: ctx.languages, started, back, runBy: names[lang] ?? names.en ?? names.he ?? names.ar ?? null };
  };
  const bareFrame = (c: Context, lang: survey.SurveyLanguage): SurveyFrame => ({ lang, assets, link: c.req.param('token') ?? '', languages: [], started: false });
  /** ?lang=, else the browser's preference among the population's languages */
  const entryLang = (c: Context, ctx: survey.SurveyContext) => preferredLanguage(c, ctx.languages);

  const load = async (c: Context) => {
    const ctx = await survey.loadSurvey(db, c.req.param('token')!);
    runBy.set(ctx, (await readSettings(db)).organisationName);
    const respondent = await survey.respondentOf(db, ctx, respondentTokenFrom(c.req.header('cookie')));
    return { ctx, respondent };
  };

  /** An error as a page in the reader's language: unknown link, withdrawn, not open yet, closed, slow down, or a generic one. */
  const errorPage = (c: Context, err: unknown, ctx?: survey.SurveyContext, lang?: survey.SurveyLanguage) => {
    if (!(err instanceof AppError)) throw err;
    // a notice is interface text only: any of the three languages asked for, else the population's
    const l = lang ?? askedLanguage(c) ?? (ctx ? entryLang(c, ctx) : 'en');
    // the switch offers every interface language: the notice may be read by anyone who has the link
    const f: SurveyFrame = { ...(ctx ? frame(ctx, l, false) : bareFrame(c, l)), languages: ['he', 'ar', 'en'], started: false };
    const t = (k: string, vars?: Record<string, string>) => tr(l, k, vars);
    if (err.code === 'rate_limited') {
      const seconds = err.headers?.['retry-after'] ?? '60';
      return page(noticeView(f, t('slowDown.title'), t('slowDown.body', { seconds })), 429, { 'retry-after': seconds });
    }
    const key = KNOWN[err.code];
    if (key) return page(noticeView(f, t(`${key}.title`), t(`${key}.body`)), err.status);
    const link = c.req.param('token');
    return page(noticeView(f, t('error.title'), t('error.body'), link ? { href: `/s/${link}`, label: t('error.back') } : undefined), err.status);
  };

  const progressOf = (ctx: survey.SurveyContext, r: survey.Respondent | null, lang: string, part: ReturnType<typeof survey.surveyParts>[number] | 'message') => {
    const parts = survey.surveyParts(ctx, r, lang);
    return { done: Math.max(1, parts.indexOf(part === 'message' ? 'outcomes' : part) + 1), total: parts.length };
  };

  type Shown = { errors?: Record<string, string>; values?: Record<string, string>; status?: number };

  /** The page of the respondent's current step. */
  const render = async (c: Context, ctx: survey.SurveyContext, r: survey.Respondent | null, opts: Shown & { questionsPage?: boolean } = {}) => {
    const step = await survey.currentStep(db, ctx, r);
    if (step === 'complete') {
      const lang = survey.readerLanguage(ctx, askedLanguage(c) ?? r?.language);
      return page(thanksView(frame(ctx, lang, !!r), survey.surveyState(ctx, r, step, lang).thanks));
    }
    survey.requireOpen(ctx);
    if (!r) {
      const lang = entryLang(c, ctx);
      return page(consentView(frame(ctx, lang, false), { text: survey.surveyState(ctx, null, 'consent', lang).consent, progress: progressOf(ctx, null, lang, 'consent') }));
    }
    const lang = survey.readerLanguage(ctx, askedLanguage(c) ?? r.language);
    const state = survey.surveyState(ctx, r, step, lang);
    if (step === 'outcomes' && state.message?.text && !opts.questionsPage) {
      return page(messageView(frame(ctx, lang, true), { text: state.message.text, progress: progressOf(ctx, r, lang, 'message') }));
    }
    const parts = survey.surveyParts(ctx, r, lang);
    const part = step as 'covariates' | 'outcomes' | 'attention';
    return page(
      questionsView(frame(ctx, lang, true, step === 'outcomes' && state.message?.text ? 'questions' : ''), {
        step: part,
        questions: state.questions,
        progress: progressOf(ctx, r, lang, part),
        last: parts[parts.length - 1] === part,
        errors: opts.errors,
        values: opts.values,
      }),
      opts.status ?? 200,
    );
  };

  type Loaded = Awaited<ReturnType<typeof load>>;
  /**
   * A page or a form post of this link, with the survey and the respondent (null before consenting). A refusal
   * (unknown, withdrawn, closed meanwhile, slow down) is a page in the language the handler settled on
   * (`said.lang`: the respondent's own), else the one asked for.
   */
  const handle = (act: (c: Context, loaded: Loaded, said: { lang?: survey.SurveyLanguage }) => Promise<Response>) => async (c: Context) => {
    let ctx: survey.SurveyContext | undefined;
    const said: { lang?: survey.SurveyLanguage } = {};
    try {
      const loaded = await load(c);
      ctx = loaded.ctx;
      return await act(c, loaded, said);
    } catch (err) {
      return errorPage(c, err, ctx, said.lang);
    }
  };

  app.get(
    '/:token',
    handle((c, { ctx, respondent }) => render(c, ctx, respondent)),
  );

  app.get(
    '/:token/questions',
    handle(async (c, { ctx, respondent }) => {
      if ((await survey.currentStep(db, ctx, respondent)) !== 'outcomes') return see(`/s/${ctx.link}`);
      return await render(c, ctx, respondent, { questionsPage: true });
    }),
  );

  app.post(
    '/:token/start',
    handle(async (c, { ctx, respondent }, said) => {
      const lang = (said.lang = survey.readerLanguage(ctx, str((await formBody(c)).language)));
      const { token } = await survey.start(db, rt, ctx, { language: lang }, clientAddress(c), respondent);
      return see(`/s/${ctx.link}`, token ? respondentCookies(ctx.link, token, { secure }) : []);
    }),
  );

  app.post(
    '/:token/answers',
    handle(async (c, { ctx, respondent: r }, said) => {
      if (!r) return see(`/s/${ctx.link}`);
      const lang = (said.lang = survey.readerLanguage(ctx, r.language));
      const body = await formBody(c);
      const step = await survey.currentStep(db, ctx, r);
      // a form sent again from an earlier page (the back button): the answers already given stand
      if (str(body.step) !== step) return see(`/s/${ctx.link}`);
      const questions = survey.surveyState(ctx, r, step, lang).questions;
      const values: Record<string, string> = {};
      const errors: Record<string, string> = {};
      const answers: SurveyAnswerInput[] = [];
      for (const q of questions) {
        const raw = str(body[`a_${q.key}`])?.trim();
        if (!raw) {
          errors[q.key] = tr(lang, 'required');
          continue;
        }
        values[q.key] = raw;
        answers.push(q.kind === 'choice' ? { questionKey: q.key, choice: raw } : { questionKey: q.key, value: /^-?\d+$/.test(raw) ? Number(raw) : NaN });
      }
      for (const e of survey.validateAnswers(ctx, answers).errors) {
        errors[e.key] = tr(lang, 'required');
        delete values[e.key];
      }
      if (Object.keys(errors).length) return await render(c, ctx, r, { errors, values, status: 400, questionsPage: true });
      try {
        await survey.answer(db, rt, ctx, r, answers);
      } catch (err) {
        // another tab got there first
        if (err instanceof AppError && (err.code === 'survey_step_passed' || err.code === 'survey_step_not_reached')) return see(`/s/${ctx.link}`);
        throw err;
      }
      return see(`/s/${ctx.link}`);
    }),
  );

  app.post(
    '/:token/language',
    handle(async (c, { ctx, respondent }) => {
      const body = await formBody(c);
      const language = survey.readerLanguage(ctx, str(body.language));
      const back = str(body.back) === 'questions' ? '/questions' : '';
      if (!respondent) return see(`/s/${ctx.link}?lang=${language}`);
      await survey.setLanguage(db, ctx, respondent, language);
      return see(`/s/${ctx.link}${back}`);
    }),
  );

  return app;
}
