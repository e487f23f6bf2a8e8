import { renderSVG } from 'uqr';
import { translate, translateCount } from '../../../i18n/catalogs.ts';
import { LOCALES, localeInfo, type Locale } from '../../../i18n/locales.ts';
import { attr, html, Html, paragraphs } from '../../public/html.ts';
import { localized } from '../../public/language.ts';
import { formatNumber, languageSwitch, publicDocument, type PageAssets } from '../../public/layout.ts';
import type { FieldError } from '../../core/errors.ts';
import type { EventRow, Holder, QuestionRow, TicketTypeRow } from './registration.service.ts';
import { salesState } from './registration.service.ts';

// The HTML of the public event pages (/e/{slug}): the registration form, the ticket page and short notices. Every
// string from the events catalogs in the reader's language; text staff wrote in the reader's language, else another
// (dir="auto"); no script is needed for anything.

export const tr = (lang: Locale, key: string, vars?: Record<string, string>) => translate(lang, `events.public.${key}`, vars);

export type EventFrame = {
  lang: Locale;
  assets: PageAssets;
  /** where the language switch links to (with ?lang= added) */
  here: string;
  /** the event's title in the reader's language ('' for a page about no event) */
  title: string;
};

/** The languages a reader may choose: those spoken at the event first, then the others. */
export function pageLanguages(e: EventRow | null): Locale[] {
  const spoken = (e?.languages ?? []).filter((l): l is Locale => (LOCALES as readonly string[]).includes(l));
  return [...spoken, ...LOCALES.filter((l) => !spoken.includes(l))];
}

export const text = (e: EventRow, v: Record<string, string | undefined>, lang: Locale) => localized(v, lang, pageLanguages(e));

function withLang(here: string, l: Locale): string {
  return `${here}${here.includes('?') ? '&' : '?'}lang=${l}`;
}

export function layout(f: EventFrame, pageTitle: string, body: Html): string {
  const switcher = languageSwitch({ lang: f.lang, languages: LOCALES, label: tr(f.lang, 'languageNav'), form: null, href: (l) => withLang(f.here, l) });
  const title = f.title && pageTitle !== f.title ? `${pageTitle} · ${f.title}` : pageTitle;
  return publicDocument({ lang: f.lang, title, assets: f.assets, skip: tr(f.lang, 'skip'), header: switcher ? html`<header class="top">${switcher}</header>` : '', body });
}

/** "Thursday, 4 June 2026, 18:00–23:00" in the venue's zone, in the reader's language. */
export function whenText(e: EventRow, lang: Locale): string {
  const intl = localeInfo[lang].intl;
  const day = new Intl.DateTimeFormat(intl, { dateStyle: 'full', timeZone: e.timeZone });
  const time = new Intl.DateTimeFormat(intl, { timeStyle: 'short', timeZone: e.timeZone });
  const sameDay = day.format(e.startsAt) === day.format(e.endsAt);
  return sameDay
    ? `${day.format(e.startsAt)}, ${time.format(e.startsAt)}–${time.format(e.endsAt)}`
    : `${day.format(e.startsAt)} ${time.format(e.startsAt)} – ${day.format(e.endsAt)} ${time.format(e.endsAt)}`;
}

export function instantText(at: Date, timeZone: string, lang: Locale): string {
  return new Intl.DateTimeFormat(localeInfo[lang].intl, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(at);
}

function details(e: EventRow, lang: Locale): Html {
  const t = (k: string) => tr(lang, k);
  const block = (key: string, v: Record<string, string | undefined>) => {
    const s = text(e, v, lang);
    return s ? html`<section class="card"><h2>${t(key)}</h2><div dir="auto">${paragraphs(s)}</div></section>` : '';
  };
  const where = [e.venueName, e.venueAddress].filter(Boolean).join(', ');
  const spoken = e.languages.map((l) => new Intl.DisplayNames([localeInfo[lang].intl], { type: 'language' }).of(l) ?? l).join(', ');
  return html`<dl class="facts">
      <dt>${t('when')}</dt><dd>${whenText(e, lang)}</dd>
      ${where ? html`<dt>${t('where')}</dt><dd><bdi dir="auto">${where}</bdi>${e.mapUrl ? html` · <a href="${e.mapUrl}" rel="noopener noreferrer">${t('map')}</a>` : ''}</dd>` : ''}
      ${spoken ? html`<dt>${t('languagesSpoken')}</dt><dd>${spoken}</dd>` : ''}
    </dl>
    ${(() => {
      const d = text(e, e.description as Record<string, string>, lang);
      return d ? html`<div class="description" dir="auto">${paragraphs(d)}</div>` : '';
    })()}
    ${block('practical', e.practicalInfo as Record<string, string>)}
    ${block('accessibility', e.accessibility as Record<string, string>)}`;
}

export type FormState = {
  values: Record<string, string | string[]>;
  errors: FieldError[];
  /** the referral code, kept in the form */
  ref: string | null;
  /** 'known' with the co-host's name, 'unknown' for a code that attributes nothing */
  referral: { state: 'known'; organisation: string } | { state: 'unknown' } | null;
};

function errorOf(errors: FieldError[], field: string): string | null {
  return errors.find((e) => e.field === field)?.detail ?? null;
}

function fieldError(lang: Locale, id: string, detail: string | null): Html | '' {
  return detail ? html`<p class="error" id="${id}-error">${tr(lang, `errors.${detail}`)}</p>` : '';
}

function questionField(e: EventRow, q: QuestionRow, lang: Locale, s: FormState): Html {
  const name = `q_${q.id}`;
  const label = text(e, q.label as Record<string, string>, lang);
  const help = text(e, q.help as Record<string, string>, lang);
  const err = errorOf(s.errors, `answers.${q.id}`);
  const given = s.values[name];
  const has = (v: string) => (Array.isArray(given) ? given.includes(v) : given === v);
  const describedBy = [help ? `${name}-help` : '', err ? `${name}-error` : ''].filter(Boolean).join(' ') || null;
  const marker = html`<span class="small"> (${tr(lang, q.required ? 'register.required' : 'register.optional')})</span>`;
  const helpText = help ? html`<p class="small" id="${name}-help" dir="auto">${help}</p>` : '';
  if (q.kind === 'text') {
    return html`<div class="field">
      <label for="${name}"><span dir="auto">${label}</span>${marker}</label>${helpText}
      <textarea id="${name}" name="${name}" rows="3" maxlength="2000" dir="auto"${attr('aria-describedby', describedBy)}${attr('aria-invalid', err ? 'true' : null)}${q.required ? html` required` : ''}>${typeof given === 'string' ? given : ''}</textarea>
      ${fieldError(lang, name, err)}
    </div>`;
  }
  if (q.kind === 'consent') {
    return html`<div class="field consent">
      <input type="checkbox" id="${name}" name="${name}" value="yes"${has('yes') ? html` checked` : ''}${q.required ? html` required` : ''}${attr('aria-describedby', describedBy)}${attr('aria-invalid', err ? 'true' : null)}>
      <label for="${name}"><span dir="auto">${label}</span>${marker}</label>${helpText}
      ${fieldError(lang, name, err)}
    </div>`;
  }
  const options =
    q.kind === 'yes_no'
      ? [
          { id: 'yes', label: tr(lang, 'register.yes') },
          { id: 'no', label: tr(lang, 'register.no') },
        ]
      : q.options.map((o) => ({ id: o.id, label: text(e, o.label as Record<string, string>, lang) }));
  const type = q.kind === 'multiple' ? 'checkbox' : 'radio';
  return html`<fieldset class="field"${attr('aria-describedby', describedBy)}>
    <legend><span dir="auto">${label}</span>${marker}</legend>${helpText}
    ${options.map(
      (o, i) => html`<div class="choice"><input type="${type}" id="${name}-${String(i)}" name="${name}" value="${o.id}"${has(o.id) ? html` checked` : ''}${type === 'radio' && q.required && i === 0 ? html` required` : ''}>
        <label for="${name}-${String(i)}" dir="auto">${o.label}</label></div>`,
    )}
    ${fieldError(lang, name, err)}
  </fieldset>`;
}

function ticketChoice(e: EventRow, types: TicketTypeRow[], lang: Locale, s: FormState, now: Date): Html {
  const err = errorOf(s.errors, 'ticketTypeId');
  const chosen = typeof s.values.ticketTypeId === 'string' ? s.values.ticketTypeId : types.length === 1 ? types[0]!.id : '';
  return html`<fieldset class="field">
    <legend>${tr(lang, 'register.ticketType')}</legend>
    ${types.map((tt, i) => {
      const state = salesState(e, tt, now);
      const left = tt.capacity - tt.taken;
      const note =
        state === 'not_yet'
          ? tr(lang, 'register.notYet', { when: instantText(tt.salesStartAt!, e.timeZone, lang) })
          : state !== 'open'
            ? tr(lang, 'register.over')
            : left > 0
              ? translateCount(lang, 'events.public.register.placesLeft', left, { n: formatNumber(lang, left) })
              : tr(lang, 'register.full');
      return html`<div class="choice"><input type="radio" id="tt-${String(i)}" name="ticketTypeId" value="${tt.id}"${chosen === tt.id ? html` checked` : ''}${state !== 'open' ? html` disabled` : ''}${i === 0 ? html` required` : ''}>
        <label for="tt-${String(i)}"><span dir="auto">${text(e, tt.name as Record<string, string>, lang)}</span> <span class="small">${note}</span></label></div>`;
    })}
    ${fieldError(lang, 'ticketTypeId', err)}
  </fieldset>`;
}

/** How many tickets (only when a ticket type allows more than one per person). */
function quantityField(types: TicketTypeRow[], lang: Locale, s: FormState): Html | '' {
  const most = Math.max(1, ...types.map((t) => t.perPersonLimit));
  if (most <= 1) return '';
  const err = errorOf(s.errors, 'quantity');
  const value = typeof s.values.quantity === 'string' ? s.values.quantity : '1';
  return html`<div class="field">
    <label for="quantity">${tr(lang, 'register.quantity')}</label>
    <input id="quantity" name="quantity" type="number" inputmode="numeric" min="1" max="${String(most)}" value="${value}" aria-describedby="quantity-hint${err ? ' quantity-error' : ''}"${attr('aria-invalid', err ? 'true' : null)}>
    <p class="small" id="quantity-hint">${tr(lang, 'register.quantityHint', { n: formatNumber(lang, most) })}</p>
    ${fieldError(lang, 'quantity', err)}
  </div>`;
}

export function registrationView(
  f: EventFrame,
  v: { event: EventRow; types: TicketTypeRow[]; questions: QuestionRow[]; state: FormState; action: string; now: Date },
): string {
  const { event: e, state: s } = v;
  const t = (k: string, vars?: Record<string, string>) => tr(f.lang, k, vars);
  const str = (k: string) => (typeof s.values[k] === 'string' ? (s.values[k] as string) : '');
  const nameErr = errorOf(s.errors, 'name');
  const emailErr = errorOf(s.errors, 'email');
  const open = e.status === 'published';
  const referral =
    s.referral?.state === 'known'
      ? html`<p class="notice">${(() => {
          const [before, after] = t('ref.known', { organisation: '\u0000' }).split('\u0000');
          return html`${before ?? ''}<bdi>${s.referral.organisation}</bdi>${after ?? ''}`;
        })()}</p>`
      : s.referral?.state === 'unknown'
        ? html`<p class="notice">${t('ref.unknown')}</p>`
        : '';
  const form = !open
    ? html`<p class="notice">${t('register.closed')}</p>`
    : !v.types.length
      ? html`<p class="notice">${t('register.noTickets')}</p>`
      : html`<form method="post" action="${v.action}" novalidate>
          ${s.errors.length ? html`<div class="errors" role="alert"><h2>${t('errors.title')}</h2></div>` : ''}
          <input type="hidden" name="language" value="${f.lang}">
          ${s.ref ? html`<input type="hidden" name="ref" value="${s.ref}">` : ''}
          ${ticketChoice(e, v.types, f.lang, s, v.now)}
          ${quantityField(v.types, f.lang, s)}
          <div class="field">
            <label for="name">${t('register.name')}</label>
            <input id="name" name="name" autocomplete="name" maxlength="120" required dir="auto" value="${str('name')}"${attr('aria-invalid', nameErr ? 'true' : null)}${attr('aria-describedby', nameErr ? 'name-error' : null)}>
            ${nameErr ? fieldError(f.lang, 'name', 'name') : ''}
          </div>
          <div class="field">
            <label for="email">${t('register.email')}</label>
            <input id="email" name="email" type="email" autocomplete="email" maxlength="254" required dir="ltr" value="${str('email')}" aria-describedby="email-hint${emailErr ? ' email-error' : ''}"${attr('aria-invalid', emailErr ? 'true' : null)}>
            <p class="small" id="email-hint">${t('register.emailHint')}</p>
            ${emailErr ? fieldError(f.lang, 'email', 'email') : ''}
          </div>
          ${v.questions.map((q) => questionField(e, q, f.lang, s))}
          <div class="hp" aria-hidden="true">
            <label for="website">${t('register.honeypot')}</label>
            <input id="website" name="website" tabindex="-1" autocomplete="off" value="">
          </div>
          <button type="submit" class="primary">${t('register.submit')}</button>
        </form>`;
  const body = html`<h1 dir="auto">${f.title}</h1>
    ${details(e, f.lang)}
    <section class="card register" aria-labelledby="register-title">
      <h2 id="register-title">${t('register.title')}</h2>
      ${referral}
      ${form}
    </section>`;
  return layout(f, f.title, body);
}

/** A QR code as inline SVG (uqr), labelled for screen readers. */
function qr(code: string, label: string): Html {
  const svg = renderSVG(code, { ecc: 'M', border: 2, pixelSize: 6 }).replace('<svg ', `<svg role="img" aria-label="${label.replace(/[&<>"]/g, '')}" `);
  return new Html(svg);
}

export function ticketView(f: EventFrame, v: { holder: Holder; base: string; now: Date; flash: string | null; change?: { questions: QuestionRow[]; state: FormState } }): string {
  const { event: e, registration: r } = v.holder;
  const t = (k: string, vars?: Record<string, string>) => tr(f.lang, k, vars);
  const typeName = (id: string) => {
    const tt = v.holder.ticketTypes.find((x) => x.id === id);
    return tt ? text(e, tt.name as Record<string, string>, f.lang) : '';
  };
  const tickets = v.holder.tickets.map((tk) =>
    tk.status === 'valid'
      ? html`<section class="card ticket">
          <p>${t('ticket.type', { type: typeName(tk.ticketTypeId) })}</p>
          <div class="qr">${qr(tk.code, t('ticket.qrLabel', { name: r.name }))}</div>
          <p class="small"><a href="${v.base}/event.ics" download>${t('ticket.ics')}</a></p>
          <p class="small no-print">${t('ticket.print')}</p>
          <details class="no-print">
            <summary>${t('ticket.cancel')}</summary>
            <form method="post" action="${v.base}/cancel">
              <input type="hidden" name="ticketId" value="${tk.id}">
              <input type="hidden" name="language" value="${f.lang}">
              <p>${t('ticket.cancelExplain')}</p>
              <button type="submit" class="danger">${t('ticket.cancelConfirm')}</button>
            </form>
          </details>
        </section>`
      : html`<section class="card ticket cancelled"><p>${t('ticket.type', { type: typeName(tk.ticketTypeId) })}</p><p>${t('ticket.cancelled')}</p></section>`,
  );
  const waiting = v.holder.waitlist
    .filter((w) => w.status === 'waiting' || w.status === 'offered' || w.status === 'expired')
    .map((w) => {
      const hidden = html`<input type="hidden" name="entryId" value="${w.id}"><input type="hidden" name="language" value="${f.lang}">`;
      if (w.status === 'offered' && w.offerExpiresAt && w.offerExpiresAt > v.now) {
        return html`<section class="card offer">
          <h2>${t('waitlist.offered')}</h2>
          <p>${typeName(w.ticketTypeId)} · ${t('waitlist.offerUntil', { when: instantText(w.offerExpiresAt, e.timeZone, f.lang) })}</p>
          <form method="post" action="${v.base}/accept">${hidden}<button type="submit" class="primary">${t('waitlist.accept')}</button></form>
          <form method="post" action="${v.base}/leave">${hidden}<button type="submit">${t('waitlist.decline')}</button></form>
        </section>`;
      }
      if (w.status === 'expired') return html`<section class="card"><p>${t('waitlist.expired')}</p></section>`;
      return html`<section class="card waiting">
        <h2>${t('waitlist.title')}</h2>
        <p>${typeName(w.ticketTypeId)} · ${t('waitlist.position', { n: formatNumber(f.lang, w.queuePosition ?? 0) })}</p>
        <p class="small">${t('waitlist.explain')}</p>
        <form method="post" action="${v.base}/leave">${hidden}<button type="submit">${t('waitlist.leave')}</button></form>
      </section>`;
    });
  const hasTicket = v.holder.tickets.length > 0;
  const active = v.holder.tickets.some((tk) => tk.status === 'valid') || v.holder.waitlist.some((w) => w.status === 'waiting' || w.status === 'offered');
  const change = v.change && active ? changeForm(f, e, v.base, v.change.questions, v.change.state) : '';
  const [before, after] = t('ticket.hello', { name: '\u0000' }).split('\u0000');
  const body = html`<h1>${hasTicket ? t('ticket.title') : t('waitlist.title')}</h1>
    ${v.flash ? html`<p class="notice" role="status">${t(v.flash)}</p>` : ''}
    <p>${before ?? ''}<bdi>${r.name}</bdi>${after ?? ''}</p>
    ${hasTicket ? html`<p class="small">${t('ticket.intro')}</p>` : ''}
    ${tickets}
    ${waiting}
    ${change}
    <h2 dir="auto">${f.title}</h2>
    ${details(e, f.lang)}`;
  return layout(f, hasTicket ? t('ticket.title') : t('waitlist.title'), body);
}

/** "Change your details": name, answers and the optional consents (registration-change.service.ts); open when it has errors. */
function changeForm(f: EventFrame, e: EventRow, base: string, questions: QuestionRow[], s: FormState): Html {
  const t = (k: string) => tr(f.lang, k);
  const nameErr = errorOf(s.errors, 'name');
  const name = typeof s.values.name === 'string' ? s.values.name : '';
  return html`<details class="card no-print change"${s.errors.length ? html` open` : ''}>
    <summary>${t('ticket.change')}</summary>
    <form method="post" action="${base}/change" novalidate>
      ${s.errors.length ? html`<div class="errors" role="alert"><h2>${t('errors.title')}</h2></div>` : ''}
      <input type="hidden" name="language" value="${f.lang}">
      <p class="small">${t('ticket.changeExplain')}</p>
      <div class="field">
        <label for="name">${t('register.name')}</label>
        <input id="name" name="name" autocomplete="name" maxlength="120" required dir="auto" value="${name}"${attr('aria-invalid', nameErr ? 'true' : null)}${attr('aria-describedby', nameErr ? 'name-error' : null)}>
        ${nameErr ? fieldError(f.lang, 'name', 'name') : ''}
      </div>
      ${questions.map((q) => questionField(e, q, f.lang, s))}
      <button type="submit" class="primary">${t('ticket.changeSave')}</button>
    </form>
  </details>`;
}

export function noticeView(f: EventFrame, title: string, body: string, link?: { href: string; label: string }): string {
  return layout(f, title, html`<h1>${title}</h1><p>${body}</p>${link ? html`<p><a href="${link.href}">${link.label}</a></p>` : ''}`);
}
