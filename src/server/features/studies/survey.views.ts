import { translate } from '../../../i18n/catalogs.ts';
import type { Locale } from '../../../i18n/locales.ts';
import { attr, html, paragraphs, type Html } from '../../public/html.ts';
import { formatNumber, languageSwitch, publicDocument, type PageAssets } from '../../public/layout.ts';
import type { SurveyQuestionView, SurveyStep } from './survey.contract.ts';
import type { SurveyLanguage } from './survey.service.ts';

// The survey pages, rendered on the server: plain HTML forms that work without JavaScript. The one tiny script
// (public/survey.js) only keeps a second tap from sending a form twice. Every string comes from src/i18n/survey/*.json.

export type SurveyFrame = {
  lang: SurveyLanguage;
  assets: PageAssets;
  link: string;
  /** the population's languages (the switch) */
  languages: readonly SurveyLanguage[];
  /** started respondents switch language with a form (it is remembered); others with links */
  started: boolean;
  /** which page the language switch comes back to: '' (the current step) or 'questions' */
  back?: '' | 'questions';
  /** who runs the survey (the organisation's name from the settings, in this language or another); null: not set */
  runBy?: string | null;
};

export const tr = (lang: Locale, key: string, vars?: Record<string, string>) => translate(lang, `survey.${key}`, vars);

export function layout(f: SurveyFrame, pageTitle: string, body: Html): string {
  const switcher = languageSwitch({
    lang: f.lang,
    languages: f.languages,
    label: tr(f.lang, 'languageNav'),
    form: f.started ? { action: `/s/${f.link}/language`, hidden: html`<input type="hidden" name="back" value="${f.back ?? ''}">` } : null,
    href: (l) => `/s/${f.link}?lang=${l}`,
  });
  const title = pageTitle === tr(f.lang, 'title') ? pageTitle : `${pageTitle} · ${tr(f.lang, 'title')}`;
  const [before, after] = tr(f.lang, 'runBy', { organisation: '\u0000' }).split('\u0000');
  const runBy = f.runBy ? html`<p class="small run-by">${before ?? ''}<bdi>${f.runBy}</bdi>${after ?? ''}</p>` : '';
  return publicDocument({ lang: f.lang, title, assets: f.assets, skip: tr(f.lang, 'skip'), header: switcher ? html`<header class="top">${switcher}</header>` : '', body: html`${runBy}${body}` });
}

function progressBar(lang: Locale, p: { done: number; total: number }): Html {
  const text = tr(lang, 'progress', { done: formatNumber(lang, p.done), total: formatNumber(lang, p.total) });
  return html`<div class="progress">
    <span id="progress-label" class="sr-only">${tr(lang, 'progressLabel')}</span>
    <progress max="${String(p.total)}" value="${String(p.done)}" aria-labelledby="progress-label"></progress>
    <span>${text}</span>
  </div>`;
}

const sendButton = (lang: Locale, label: string) => html`<button type="submit" class="primary" data-sending="${tr(lang, 'sending')}">${label}</button>`;

// ------------------------------------------------------------------------------------------------ consent

export function consentView(f: SurveyFrame, v: { text: string | null; progress: { done: number; total: number } }): string {
  const t = (k: string) => tr(f.lang, k);
  const body = html`${progressBar(f.lang, v.progress)}
    <h1>${t('consent.title')}</h1>
    <div class="card consent" dir="auto">${paragraphs(v.text ?? t('consent.default'))}</div>
    <form class="start" method="post" action="/s/${f.link}/start">
      <input type="hidden" name="language" value="${f.lang}">
      <p class="small">${t('consent.privacy')}</p>
      <p class="small">${t('consent.cookie')}</p>
      ${sendButton(f.lang, t('consent.agree'))}
    </form>
    <p class="small aside">${t('consent.decline')}</p>`;
  return layout(f, t('consent.title'), body);
}

// ------------------------------------------------------------------------------------------------ the message

export function messageView(f: SurveyFrame, v: { text: string; progress: { done: number; total: number } }): string {
  const t = (k: string) => tr(f.lang, k);
  const body = html`${progressBar(f.lang, v.progress)}
    <h1>${t('message.title')}</h1>
    <blockquote class="message" dir="auto">${paragraphs(v.text)}</blockquote>
    <p><a class="button primary" href="/s/${f.link}/questions">${t('message.continue')}</a></p>`;
  return layout(f, t('message.title'), body);
}

// ------------------------------------------------------------------------------------------------ questions

export type QuestionsPage = {
  step: Exclude<SurveyStep, 'consent' | 'complete'>;
  questions: SurveyQuestionView[];
  progress: { done: number; total: number };
  /** the last step: the button says Finish */
  last: boolean;
  /** what was sent, kept when the page comes back with errors */
  values?: Record<string, string>;
  /** question key → message */
  errors?: Record<string, string>;
};

function questionField(lang: Locale, q: SurveyQuestionView, value: string | undefined, error: string | undefined): Html {
  const id = `q-${q.key}`;
  const name = `a_${q.key}`;
  const described = [q.kind === 'scale' ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  let points: { value: string; label: Html }[];
  if (q.kind === 'scale') {
    const min = q.scaleMin ?? 1;
    const max = q.scaleMax ?? 7;
    points = Array.from({ length: max - min + 1 }, (_, i) => min + i).map((n) => {
      const end = n === min ? q.scaleLabels.min : n === max ? q.scaleLabels.max : null;
      return { value: String(n), label: html`<span class="num">${formatNumber(lang, n)}</span>${end ? html`<span class="end" dir="auto">${end}</span>` : ''}` };
    });
  } else if (q.kind === 'yes_no') {
    points = [
      { value: '1', label: html`<span>${tr(lang, 'yes')}</span>` },
      { value: '0', label: html`<span>${tr(lang, 'no')}</span>` },
    ];
  } else {
    points = q.options.map((o) => ({ value: o.id, label: html`<span dir="auto">${o.label}</span>` }));
  }
  return html`<fieldset class="question" id="${id}"${attr('aria-describedby', described || null)}>
    <legend dir="auto">${q.prompt}</legend>
    ${q.kind === 'scale' ? html`<p class="small" id="${id}-hint">${tr(lang, 'scaleHint', { min: formatNumber(lang, q.scaleMin ?? 1), max: formatNumber(lang, q.scaleMax ?? 7) })}</p>` : ''}
    ${error ? html`<p class="error" id="${id}-error">${error}</p>` : ''}
    <div class="${q.kind === 'scale' ? 'options scale' : 'options'}">
      ${points.map((p) => html`<label class="choice"><input type="radio" name="${name}" value="${p.value}" required${value === p.value ? html` checked` : ''}> ${p.label}</label>`)}
    </div>
  </fieldset>`;
}

export function questionsView(f: SurveyFrame, v: QuestionsPage): string {
  const t = (k: string) => tr(f.lang, k);
  const errors = v.errors ?? {};
  const wrong = v.questions.filter((q) => errors[q.key]);
  const action = `/s/${f.link}/answers`;
  const body = html`${progressBar(f.lang, v.progress)}
    <h1>${t(`${v.step}.title`)}</h1>
    ${wrong.length
      ? html`<div class="error-summary" role="alert" tabindex="-1"><p>${t('errorSummary')}</p><ul>${wrong.map((q) => html`<li><a href="#q-${q.key}" dir="auto">${q.prompt}</a></li>`)}</ul></div>`
      : ''}
    <form class="answers" method="post" action="${action}">
      <input type="hidden" name="step" value="${v.step}">
      ${v.questions.map((q) => questionField(f.lang, q, v.values?.[q.key], errors[q.key]))}
      ${sendButton(f.lang, v.last ? t('finish') : t('next'))}
    </form>`;
  return layout(f, t(`${v.step}.title`), body);
}

// ------------------------------------------------------------------------------------------------ the end, and notices

/** Letters and digits only, lower case: "תודה." and "Thank you!" say no more than the titles "תודה" and "Thank you". */
const bare = (s: string) => s.normalize('NFKC').toLocaleLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

export function thanksView(f: SurveyFrame, text: string | null): string {
  const t = (k: string) => tr(f.lang, k);
  // a study's thank-you that only repeats the title ("תודה / תודה.") gives way to the sentence that says what happened
  const said = text && bare(text) !== bare(t('thanks.title')) ? text : t('thanks.default');
  const body = html`<div class="card done" role="status"><h1>${t('thanks.title')}</h1><div dir="auto">${paragraphs(said)}</div></div>`;
  return layout(f, t('thanks.title'), body);
}

export function noticeView(f: SurveyFrame, title: string, text: string, link?: { href: string; label: string }): string {
  const body = html`<div class="card notice"><h1>${title}</h1><p>${text}</p>${link ? html`<p><a href="${link.href}">${link.label}</a></p>` : ''}</div>`;
  return layout(f, title, body);
}
