import { translate } from '../../../i18n/catalogs.ts';
import { localeInfo, type Locale } from '../../../i18n/locales.ts';
import type { DialogueLanguage } from './dialogues.contract.ts';
import { attr, html, paragraphs, type Html } from '../../public/html.ts';
import { formatNumber, languageSwitch, publicDocument, type PageAssets } from '../../public/layout.ts';
import type { Next, PollView, Results, StatementView } from './participation.contract.ts';

// The public pages, rendered on the server: plain HTML forms that work without JavaScript; the one small script
// (public/participate.js) only makes voting instant. Every string comes from src/i18n/participate/*.json.

export type PageFrame = {
  lang: DialogueLanguage;
  assets: PageAssets;
  inviteToken: string;
  dialogueTitle: string;
  /** the dialogue's languages (the switch); empty on pages without a dialogue */
  languages: readonly DialogueLanguage[];
  /** joined participants switch language with a form (it is remembered); others with links */
  joined: boolean;
  /** the page's own path, for the language links */
  path?: string;
};

export const tr = (lang: Locale, key: string, vars?: Record<string, string>) => translate(lang, `participate.${key}`, vars);

function percent(lang: Locale, rate: number): string {
  return new Intl.NumberFormat(localeInfo[lang].intl, { style: 'percent', maximumFractionDigits: 0 }).format(rate);
}

export function languageName(reader: Locale, code: string): string {
  return tr(reader, `languageName.${['en', 'he', 'ar'].includes(code) ? code : 'other'}`);
}

const langAttr = (code: string) => (['en', 'he', 'ar'].includes(code) ? code : null);

export function layout(f: PageFrame, pageTitle: string, body: Html, mainData: Html = html``): string {
  const switcher = languageSwitch({
    lang: f.lang,
    languages: f.languages,
    label: tr(f.lang, 'languageNav'),
    form: f.joined ? { action: `/p/${f.inviteToken}/language` } : null,
    href: (l) => `${f.path ?? `/p/${f.inviteToken}`}?lang=${l}`,
  });
  const header = html`<header class="top">
${f.dialogueTitle ? html`<p class="brand" dir="auto">${f.dialogueTitle}</p>` : ''}
${switcher || html``}
</header>`;
  const title = `${pageTitle}${f.dialogueTitle && pageTitle !== f.dialogueTitle ? ` · ${f.dialogueTitle}` : ''}`;
  return publicDocument({ lang: f.lang, title, assets: f.assets, skip: tr(f.lang, 'skip'), header, body, mainAttrs: mainData });
}

// ------------------------------------------------------------------------------------------------ entry

export function entryView(
  f: PageFrame,
  v: { intro: { text: string; lang: string } | null; segments: { id: string; name: string }[]; open: boolean; resultsVisible: boolean; error?: string },
): string {
  const t = (k: string) => tr(f.lang, k);
  const form = v.open
    ? html`<form class="join" method="post" action="/p/${f.inviteToken}/join">
        <input type="hidden" name="language" value="${f.lang}">
        ${v.error ? html`<p class="error" role="alert" id="join-error">${v.error}</p>` : ''}
        ${v.segments.length
          ? html`<fieldset class="choices"${attr('aria-describedby', v.error ? 'join-error' : null)}>
              <legend>${t('entry.chooseSegment')}</legend>
              ${v.segments.map((s) => html`<label class="choice"><input type="radio" name="segmentId" value="${s.id}" required> <span dir="auto">${s.name}</span></label>`)}
            </fieldset>`
          : ''}
        <p class="small">${t('entry.privacy')}</p>
        <p class="small">${t('entry.cookie')}</p>
        <button type="submit" class="primary">${t('entry.takePart')}</button>
      </form>`
    : html`<div class="notice"><h2>${t('closed.title')}</h2><p>${t('closed.body')}</p></div>`;
  const body = html`<h1 dir="auto">${f.dialogueTitle}</h1>
    ${v.intro ? html`<div class="intro" dir="auto"${attr('lang', langAttr(v.intro.lang))}>${paragraphs(v.intro.text)}</div>` : ''}
    ${form}
    <p class="aside"><a href="/p/${f.inviteToken}/resume?lang=${f.lang}">${t('entry.haveCode')}</a></p>
    ${v.resultsVisible ? html`<p class="aside"><a href="/p/${f.inviteToken}/results?lang=${f.lang}">${t('results.link')}</a></p>` : ''}`;
  return layout({ ...f, joined: false }, f.dialogueTitle, body);
}

// ------------------------------------------------------------------------------------------------ resume

export function resumeView(f: PageFrame, v: { error?: string; code?: string }): string {
  const t = (k: string) => tr(f.lang, k);
  const body = html`<h1>${t('resume.title')}</h1>
    <form class="resume" method="post" action="/p/${f.inviteToken}/resume">
      <input type="hidden" name="language" value="${f.lang}">
      <label for="code">${t('resume.label')}</label>
      <input id="code" name="code" type="text" dir="ltr" inputmode="text" autocomplete="one-time-code" autocapitalize="characters" spellcheck="false" maxlength="20" required
        value="${v.code ?? ''}" aria-describedby="code-hint${v.error ? ' code-error' : ''}"${attr('aria-invalid', v.error ? 'true' : null)}>
      <p class="small" id="code-hint">${t('resume.hint')}</p>
      ${v.error ? html`<p class="error" id="code-error" role="alert">${v.error}</p>` : ''}
      <button type="submit" class="primary">${t('resume.submit')}</button>
    </form>
    <p class="aside"><a href="/p/${f.inviteToken}?lang=${f.lang}">${t('resume.back')}</a></p>`;
  return layout({ ...f, joined: false, path: `/p/${f.inviteToken}/resume` }, t('resume.title'), body);
}

// ------------------------------------------------------------------------------------------------ taking part

export type TakingPartState = {
  next: Next;
  resultsVisible: boolean;
  /** the resume code just made: shown this once */
  code?: string | null;
  /** after writing a statement */
  written?: 'pre' | 'post' | null;
  /** show the original rather than the translation (no-JS switch) */
  showOriginal?: boolean;
  write?: { questionId?: string; body?: string; error?: string };
  pollError?: string;
};

function statementFigure(lang: Locale, s: StatementView, opts: { showOriginal: boolean; toggleHref: string | null; id?: string }): Html {
  const t = (k: string, vars?: Record<string, string>) => tr(lang, k, vars);
  const orig = html`<blockquote class="text" dir="auto"${attr('lang', langAttr(s.original.language))} data-variant="original"${opts.showOriginal || !s.translation ? '' : html` hidden`}>${paragraphs(s.original.body)}</blockquote>`;
  if (!s.translation) {
    // not in the reader's language and no translation yet: say so plainly (the routing offers these last)
    const note = s.original.language === lang ? '' : html`<figcaption class="note untranslated">${t('statement.untranslated', { language: languageName(lang, s.original.language) })}</figcaption>`;
    return html`<figure class="statement"${attr('id', opts.id)}>${orig}${note}</figure>`;
  }
  const from = languageName(lang, s.original.language);
  const toggle = opts.toggleHref
    ? html` · <a href="${opts.toggleHref}" data-toggle data-show-original="${t('statement.showOriginal')}" data-show-translation="${t('statement.showTranslation')}">${opts.showOriginal ? t('statement.showTranslation') : t('statement.showOriginal')}</a>`
    : '';
  return html`<figure class="statement"${attr('id', opts.id)}>
    <blockquote class="text" dir="auto" lang="${s.translation.language}" data-variant="translation"${opts.showOriginal ? html` hidden` : ''}>${paragraphs(s.translation.body)}</blockquote>
    ${orig}
    <figcaption class="note">${t(s.translation.source === 'ai' ? 'statement.machineTranslatedFrom' : 'statement.translatedFrom', { language: from })}${toggle}</figcaption>
  </figure>`;
}

function progressBar(lang: Locale, p: { done: number; total: number }): Html {
  const text = tr(lang, 'progress', { done: formatNumber(lang, p.done), total: formatNumber(lang, p.total) });
  return html`<div class="progress">
    <span id="progress-label" class="sr-only">${tr(lang, 'progressLabel')}</span>
    <progress max="${String(Math.max(1, p.total))}" value="${String(p.done)}" aria-labelledby="progress-label" data-progress-bar></progress>
    <span data-progress>${text}</span>
  </div>`;
}

function pollForm(f: PageFrame, poll: PollView, error?: string): Html {
  const t = (k: string, vars?: Record<string, string>) => tr(f.lang, k, vars);
  const hint =
    poll.mode === 'scale'
      ? t('poll.scale', { min: formatNumber(f.lang, poll.scaleMin ?? 1), max: formatNumber(f.lang, poll.scaleMax ?? 5) })
      : t(poll.mode === 'multiple' ? 'poll.chooseAny' : 'poll.chooseOne');
  const inputs =
    poll.mode === 'scale'
      ? Array.from({ length: (poll.scaleMax ?? 5) - (poll.scaleMin ?? 1) + 1 }, (_, i) => (poll.scaleMin ?? 1) + i).map(
          (n) => html`<label class="scale-point"><input type="radio" name="scale" value="${String(n)}" required> <span>${formatNumber(f.lang, n)}</span></label>`,
        )
      : poll.options.map(
          (o) => html`<label class="choice"><input type="${poll.mode === 'multiple' ? 'checkbox' : 'radio'}" name="choices" value="${o.id}"${poll.mode === 'single' ? html` required` : ''}> <span dir="auto">${o.label}</span></label>`,
        );
  return html`<form class="poll" method="post" action="/p/${f.inviteToken}/poll/${poll.id}">
    <fieldset class="${poll.mode === 'scale' ? 'scale' : 'choices'}" aria-describedby="poll-hint${error ? ' poll-error' : ''}">
      <legend><h2 class="prompt" dir="auto">${poll.prompt}</h2></legend>
      <p class="small" id="poll-hint">${hint}</p>
      ${error ? html`<p class="error" id="poll-error" role="alert">${error}</p>` : ''}
      <div class="${poll.mode === 'scale' ? 'scale-row' : 'choice-list'}">${inputs}</div>
    </fieldset>
    <button type="submit" class="primary">${t('poll.submit')}</button>
  </form>`;
}

function pairForm(f: PageFrame, item: Extract<Next['item'], { kind: 'pairwise' }>): Html {
  const t = (k: string) => tr(f.lang, k);
  const option = (s: StatementView, other: StatementView, label: string, id: string) => html`<form class="pair-option" method="post" action="/p/${f.inviteToken}/pairwise" aria-labelledby="${id}">
      <span class="sr-only" id="${id}">${label}</span>
      ${statementFigure(f.lang, s, { showOriginal: false, toggleHref: null })}
      <input type="hidden" name="questionId" value="${item.questionId}">
      <input type="hidden" name="winnerId" value="${s.id}">
      <input type="hidden" name="loserId" value="${other.id}">
      <button type="submit" class="primary" aria-describedby="${id}">${t('pairwise.choose')}</button>
    </form>`;
  return html`<h2 class="prompt">${t('pairwise.title')}</h2>
    <p class="small" dir="auto">${item.prompt}</p>
    <div class="pair">${option(item.a, item.b, t('pairwise.first'), 'pair-a')}${option(item.b, item.a, t('pairwise.second'), 'pair-b')}</div>`;
}

function writeForm(f: PageFrame, s: TakingPartState): Html {
  const t = (k: string) => tr(f.lang, k);
  const qs = s.next.writable;
  if (!qs.length) return html``;
  const w = s.write ?? {};
  const described = ['body-hint', w.error ? 'body-error' : ''].filter(Boolean).join(' ');
  return html`<section class="write" aria-labelledby="write-h">
    <h2 id="write-h">${t('write.title')}</h2>
    <form method="post" action="/p/${f.inviteToken}/statement">
      ${qs.length === 1
        ? html`<input type="hidden" name="questionId" value="${qs[0]!.id}"><p class="question" dir="auto">${qs[0]!.prompt}</p>`
        : html`<label for="questionId">${t('write.question')}</label>
          <select id="questionId" name="questionId" dir="auto">${qs.map((q) => html`<option value="${q.id}"${w.questionId === q.id ? html` selected` : ''}>${q.prompt}</option>`)}</select>`}
      <label for="body">${t('write.label')}</label>
      <textarea id="body" name="body" rows="4" maxlength="1000" dir="auto" required aria-describedby="${described}"${attr('aria-invalid', w.error ? 'true' : null)}>${w.body ?? ''}</textarea>
      <p class="small" id="body-hint">${t('write.hint')}${s.next.moderation === 'pre' ? html` ${t('write.preModeration')}` : ''}</p>
      ${w.error ? html`<p class="error" id="body-error" role="alert">${w.error}</p>` : ''}
      <button type="submit" class="secondary">${t('write.submit')}</button>
    </form>
  </section>`;
}

export function takingPartView(f: PageFrame, s: TakingPartState): string {
  const t = (k: string, vars?: Record<string, string>) => tr(f.lang, k, vars);
  const item = s.next.item;
  const base = `/p/${f.inviteToken}`;
  const banners = html`${s.code
      ? html`<div class="code" role="status"><p><strong>${t('code.yours', { code: '' })}<span class="code-value" dir="ltr">${s.code}</span></strong></p><p class="small">${t('code.explain')}</p></div>`
      : ''}
    ${s.written ? html`<p class="notice" role="status">${t(s.written === 'pre' ? 'write.thanksPre' : 'write.thanksPost')}</p>` : ''}`;

  let card: Html;
  if (item.kind === 'statement') {
    const st = item.statement;
    const toggleHref = `${base}?s=${st.id}${s.showOriginal ? '' : '&show=original'}`;
    card = html`<section class="card" aria-labelledby="card-h" data-card>
      ${progressBar(f.lang, s.next.progress)}
      <h2 id="card-h" class="prompt" dir="auto" data-prompt>${item.prompt}</h2>
      <div data-statement aria-live="polite">${statementFigure(f.lang, st, { showOriginal: !!s.showOriginal, toggleHref })}</div>
      <form class="vote" method="post" action="${base}/vote" data-vote>
        <input type="hidden" name="statementId" value="${st.id}" data-statement-id>
        <fieldset>
          <legend class="sr-only">${t('vote.legend')}</legend>
          <div class="vote-buttons">
            <button type="submit" name="value" value="1" class="agree">${t('vote.agree')}</button>
            <button type="submit" name="value" value="-1" class="disagree">${t('vote.disagree')}</button>
            <button type="submit" name="value" value="0" class="pass">${t('vote.pass')}</button>
          </div>
        </fieldset>
        <p class="error" role="alert" data-vote-error hidden>${t('vote.failed')}</p>
      </form>
    </section>`;
  } else if (item.kind === 'poll') {
    card = html`<section class="card">${progressBar(f.lang, s.next.progress)}${pollForm(f, item.poll, s.pollError)}</section>`;
  } else if (item.kind === 'pairwise') {
    card = html`<section class="card">${progressBar(f.lang, s.next.progress)}${pairForm(f, item)}</section>`;
  } else {
    card = html`<section class="card">${progressBar(f.lang, s.next.progress)}<h2 class="prompt">${t('done.title')}</h2><p>${t('done.body')}</p></section>`;
  }

  const body = html`<h1 class="sr-only" dir="auto">${f.dialogueTitle}</h1>
    ${banners}
    ${card}
    ${writeForm(f, s)}
    ${s.resultsVisible ? html`<p class="aside"><a href="${base}/results">${t('results.link')}</a></p>` : ''}`;

  const names = Object.fromEntries(['en', 'he', 'ar', 'other'].map((c) => [c, languageName(f.lang, c)]));
  // what the script needs to swap in the next statement without a reload (strings in the reader's language)
  const data = html` data-invite="${f.inviteToken}" data-lang="${f.lang}" data-intl="${localeInfo[f.lang].intl}"
    data-t-progress="${t('progress', { done: '{{done}}', total: '{{total}}' })}"
    data-t-untranslated="${t('statement.untranslated', { language: '{{language}}' })}"
    data-t-translated="${t('statement.translatedFrom', { language: '{{language}}' })}"
    data-t-machine="${t('statement.machineTranslatedFrom', { language: '{{language}}' })}"
    data-t-show-original="${t('statement.showOriginal')}"
    data-t-show-translation="${t('statement.showTranslation')}"
    data-t-saved="${t('vote.saved')}"
    data-language-names="${JSON.stringify(names)}"`;
  return layout(f, item.kind === 'statement' ? item.prompt : f.dialogueTitle, body, data);
}

// ------------------------------------------------------------------------------------------------ results

export function resultsView(f: PageFrame, r: Results, opts: { backHref: string; backLabel: string }): string {
  const t = (k: string, vars?: Record<string, string>) => tr(f.lang, k, vars);
  const segName = (id: string | null) => (id ? (r.segments.find((s) => s.id === id)?.name ?? '') : t('results.noSegment'));
  const items = r.statements.map(
    (s) => html`<li class="result">
      ${statementFigure(f.lang, s.statement, { showOriginal: false, toggleHref: null })}
      <dl class="bars">
        ${s.bySegment.map(
          (b) => html`<div class="bar-row">
            <dt dir="auto">${segName(b.segmentId)}</dt>
            <dd><span class="bar" aria-hidden="true"><span style="inline-size: ${(b.agreeRate * 100).toFixed(1)}%"></span></span>
              <span class="bar-text">${t('results.agree', { rate: percent(f.lang, b.agreeRate), agree: formatNumber(f.lang, b.agree), votes: formatNumber(f.lang, b.votes) })}</span></dd>
          </div>`,
        )}
      </dl>
    </li>`,
  );
  const body = html`<h1>${t('results.title')}</h1>
    <p>${t('results.intro')}</p>
    ${items.length ? html`<ol class="results">${items}</ol>` : html`<p>${t('results.none')}</p>`}
    <p class="aside"><a href="${opts.backHref}">${opts.backLabel}</a></p>`;
  return layout({ ...f, path: `/p/${f.inviteToken}/results` }, t('results.title'), body);
}

// ------------------------------------------------------------------------------------------------ messages

export function messageView(f: PageFrame, title: string, text: string, link?: { href: string; label: string }): string {
  const body = html`<div class="notice"><h1>${title}</h1><p>${text}</p>${link ? html`<p><a href="${link.href}">${link.label}</a></p>` : ''}</div>`;
  return layout(f, title, body);
}
