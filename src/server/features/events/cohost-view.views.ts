import { translate, translateCount } from '../../../i18n/catalogs.ts';
import { localeInfo, type Locale } from '../../../i18n/locales.ts';
import { html, type Html } from '../../public/html.ts';
import { formatNumber } from '../../public/layout.ts';
import type { CohostView, ReportFigures } from './reports.contract.ts';
import { layout, text, whenText, type EventFrame } from './registration.views.ts';
import type { EventRow } from './reports.service.ts';

// The co-host's page (/e/{slug}/cohost/{token}): its own figures, registrations by day (a bar per day with its
// number: the table is the chart), by ticket type, and, in "contacts" mode, its registrants who agreed to share
// with it. Every string from the events catalogs (events.cohost.*); nothing needs a script.

export const ct = (lang: Locale, key: string, vars?: Record<string, string>) => translate(lang, `events.cohost.${key}`, vars);

const pct = (lang: Locale, v: number | null) => (v === null ? '–' : new Intl.NumberFormat(localeInfo[lang].intl, { style: 'percent', maximumFractionDigits: 1 }).format(v));
const num = (lang: Locale, v: number | null) => (v === null ? '–' : formatNumber(lang, v));
const day = (lang: Locale, d: string) => new Intl.DateTimeFormat(localeInfo[lang].intl, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${d}T00:00:00Z`));

function figureList(lang: Locale, f: ReportFigures): Html {
  const item = (k: string, v: string) => html`<dt>${ct(lang, `figures.${k}`)}</dt><dd>${v}</dd>`;
  return html`<dl class="facts figures">
    ${item('registrations', num(lang, f.registrations))}
    ${item('tickets', num(lang, f.tickets))}
    ${item('cancelled', num(lang, f.cancelled))}
    ${item('attended', num(lang, f.attended))}
    ${item('noShows', num(lang, f.noShows))}
    ${item('attendanceRate', pct(lang, f.attendanceRate))}
    ${item('waitlistJoined', num(lang, f.waitlistJoined))}
    ${item('waitlistAccepted', num(lang, f.waitlistAccepted))}
    ${item('waitlistConversion', pct(lang, f.waitlistConversion))}
  </dl>`;
}

export function cohostView(f: EventFrame, e: EventRow, v: CohostView, csvBase: string, linkExpiresAt?: Date): string {
  const { lang } = f;
  const r = v.report;
  const days = new Map<string, number>();
  for (const x of r.overTime) days.set(x.day, (days.get(x.day) ?? 0) + x.registrations);
  const most = Math.max(1, ...days.values());
  const typeName = new Map(r.byTicketType.map((t) => [t.ticketTypeId, text(e, t.name, lang)]));
  const state = (s: string) => ct(lang, `state.${s}`);
  const body = html`<p class="small">${ct(lang, 'kicker')}</p>
    <h1><bdi dir="auto">${v.organisationName}</bdi></h1>
    <p><bdi dir="auto">${f.title}</bdi> · ${whenText(e, lang)}</p>
    <p class="notice">${v.sharingMode === 'contacts' ? ct(lang, 'modeContacts') : ct(lang, 'modeAggregate')}</p>
    ${linkExpiresAt ? html`<p class="small" data-link-expires="${linkExpiresAt.toISOString()}">${ct(lang, 'linkUntil', { date: new Intl.DateTimeFormat(localeInfo[lang].intl, { dateStyle: 'long', timeZone: e.timeZone }).format(linkExpiresAt) })}</p>` : ''}
    <section class="card" aria-labelledby="figures"><h2 id="figures">${ct(lang, 'figuresTitle')}</h2>${figureList(lang, r.totals)}</section>
    <section class="card report" aria-labelledby="by-day"><h2 id="by-day">${ct(lang, 'byDay')}</h2>
      ${days.size === 0
        ? html`<p>${ct(lang, 'none')}</p>`
        : html`<table><thead><tr><th scope="col">${ct(lang, 'day')}</th><th scope="col">${ct(lang, 'figures.registrations')}</th></tr></thead><tbody>
          ${[...days.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([d, n]) => html`<tr><th scope="row">${day(lang, d)}</th><td><span class="bar" style="inline-size: ${Math.round((n / most) * 60)}%"></span> ${formatNumber(lang, n)}</td></tr>`)}
          </tbody></table>`}
    </section>
    <section class="card report" aria-labelledby="by-type"><h2 id="by-type">${ct(lang, 'byType')}</h2>
      <table><thead><tr><th scope="col">${ct(lang, 'ticketType')}</th><th scope="col">${ct(lang, 'figures.tickets')}</th><th scope="col">${ct(lang, 'figures.attended')}</th><th scope="col">${ct(lang, 'figures.waitlistJoined')}</th></tr></thead><tbody>
      ${r.byTicketType.map((t) => html`<tr><th scope="row"><bdi dir="auto">${typeName.get(t.ticketTypeId) ?? ''}</bdi></th><td>${formatNumber(lang, t.tickets)}</td><td>${formatNumber(lang, t.attended)}</td><td>${formatNumber(lang, t.waitlistJoined)}</td></tr>`)}
      </tbody></table>
    </section>
    ${v.registrants
      ? html`<section class="card report" aria-labelledby="people"><h2 id="people">${translateCount(lang, 'events.cohost.registrants', v.registrants.length, { count: formatNumber(lang, v.registrants.length) })}</h2>
          <p class="small">${ct(lang, 'registrantsHelp')}</p>
          ${v.registrants.length === 0
            ? html`<p>${ct(lang, 'none')}</p>`
            : html`<div class="scroll"><table><thead><tr><th scope="col">${ct(lang, 'name')} · ${ct(lang, 'email')}</th><th scope="col">${ct(lang, 'ticketType')}</th><th scope="col">${ct(lang, 'stateTitle')}</th></tr></thead><tbody>
              ${v.registrants.map((p) => html`<tr><td><bdi dir="auto">${p.name}</bdi><br><bdi dir="ltr" class="small email">${p.email}</bdi></td><td><bdi dir="auto">${p.ticketTypeId ? (typeName.get(p.ticketTypeId) ?? '') : ''}</bdi></td><td>${state(p.state)}</td></tr>`)}
              </tbody></table></div>`}
        </section>`
      : ''}
    <section class="card" aria-labelledby="downloads"><h2 id="downloads">${ct(lang, 'downloads')}</h2>
      <ul>
        <li><a href="${csvBase}/report.csv?bom=1">${ct(lang, 'reportCsv')}</a></li>
        ${v.registrants ? html`<li><a href="${csvBase}/registrants.csv?bom=1">${ct(lang, 'registrantsCsv')}</a></li>` : ''}
      </ul>
    </section>`;
  return layout(f, v.organisationName, body);
}
