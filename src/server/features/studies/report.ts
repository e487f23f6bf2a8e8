// The printable report of a message test: one server-rendered HTML page (no script) that prints well to PDF:
// the verdict of each message with the rule, coefficient plots per population side by side (inline SVG, one
// shared axis so that the populations compare at a glance), and the table of figures, in the reader's language.
import { translate } from '../../../i18n/catalogs.ts';
import type { Locale } from '../../../i18n/locales.ts';
import { escapeHtml as esc } from '../../public/html.ts';
import { reportDate, reportNumberLocale, reportPage } from '../../public/printable.ts';
import type { Study, StudyAnalysisDto } from './studies.contract.ts';

/** colour-blind-safe (Okabe–Ito) */
const VERDICT_COLOUR: Record<string, string> = { persuades_both: '#009E73', persuades_one: '#0072B2', backfires: '#D55E00', inconclusive: '#777777' };

export function localized(text: Record<string, string>, locale: Locale): string {
  return text[locale] ?? text.en ?? Object.values(text)[0] ?? '';
}

export function renderStudyReport(study: Study, a: StudyAnalysisDto, locale: Locale, timeZone: string): string {
  const t = (key: string, vars: Record<string, string> = {}) => esc(translate(locale, `studyReport.${key}`, vars));
  const numberLocale = reportNumberLocale(locale);
  const int = new Intl.NumberFormat(numberLocale);
  const dec = new Intl.NumberFormat(numberLocale, { minimumFractionDigits: 3, maximumFractionDigits: 3 });
  const fmt = (x: number | null) => (x === null ? '—' : dec.format(x));
  const pfmt = (x: number | null) => (x === null ? '—' : x < 0.001 ? '&lt; 0.001' : dec.format(x));
  const date = reportDate(locale, timeZone, new Date());
  const arms = new Map(study.arms.map((x) => [x.id, x]));
  const messageLabel = (armId: string) => {
    const arm = arms.get(armId);
    return arm ? arm.key : armId;
  };
  const messageText = (armId: string) => localized(arms.get(armId)?.text ?? {}, locale);
  const populationName = (id: string) => {
    const p = study.populations.find((x) => x.id === id);
    return p ? localized(p.name, locale) || p.key : id;
  };
  const outcome = study.questions.find((q) => q.key === a.outcome);

  // one axis for every population, so that the plots compare side by side
  const bounds = a.populations.flatMap((p) => p.arms.flatMap((e) => [e.ciLow, e.ciHigh].filter((x): x is number => x !== null)));
  const lo = Math.min(0, ...bounds);
  const hi = Math.max(0, ...bounds);
  const pad = (hi - lo || 1) * 0.08;
  const [minX, maxX] = [lo - pad, hi + pad];
  const W = 360;
  const ROW = 26;
  const LEFT = 90;
  const RIGHT = 14;
  const sx = (x: number) => LEFT + ((x - minX) / (maxX - minX)) * (W - LEFT - RIGHT);
  const ticks = niceTicks(minX, maxX);

  const plot = (p: StudyAnalysisDto['populations'][number]) => {
    const H = 34 + ROW * p.arms.length;
    const rowsSvg = p.arms
      .map((e, i) => {
        const y = 18 + ROW * i + ROW / 2;
        const label = `<text x="${LEFT - 8}" y="${y + 4}" text-anchor="end" font-size="11">${esc(messageLabel(e.armId).slice(0, 14))}</text>`;
        if (e.estimate === null || e.ciLow === null || e.ciHigh === null) return `${label}<text x="${sx(0) + 6}" y="${y + 4}" font-size="10" fill="#777">${t('notEstimable')}</text>`;
        const shrunk = e.shrunk.estimate !== null ? `<path d="M${sx(e.shrunk.estimate)} ${y - 5} l4 5 l-4 5 l-4 -5 z" fill="none" stroke="#555"/>` : '';
        return `${label}<line x1="${sx(e.ciLow)}" x2="${sx(e.ciHigh)}" y1="${y}" y2="${y}" stroke="#0072B2" stroke-width="2"/>
          <circle cx="${sx(e.estimate)}" cy="${y}" r="4" fill="#0072B2"/>${shrunk}`;
      })
      .join('');
    const axis = ticks
      .map((v) => `<line x1="${sx(v)}" x2="${sx(v)}" y1="14" y2="${H - 16}" stroke="#ddd"/><text x="${sx(v)}" y="${H - 4}" font-size="10" text-anchor="middle">${esc(dec.format(v))}</text>`)
      .join('');
    return `<figure class="plot">
      <figcaption><bdi>${esc(populationName(p.populationId))}</bdi> — ${t('controlMean', { n: int.format(p.control.n), mean: fmt(p.control.mean) })}</figcaption>
      <svg dir="ltr" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${t('plotLabel', { population: populationName(p.populationId) })}">
        ${axis}<line x1="${sx(0)}" x2="${sx(0)}" y1="12" y2="${H - 16}" stroke="#000" stroke-dasharray="3 3"/>${rowsSvg}
      </svg>
    </figure>`;
  };

  const verdictRows = a.verdicts
    .map(
      (v) => `<li class="verdict"><span class="badge" style="background:${VERDICT_COLOUR[v.verdict]}">${t(`verdict.${v.verdict}`)}</span>
        <strong><bdi>${esc(messageLabel(v.armId))}</bdi></strong> <span dir="auto">${esc(messageText(v.armId))}</span></li>`,
    )
    .join('');

  const table = a.populations
    .map(
      (p) => `<h3><bdi>${esc(populationName(p.populationId))}</bdi></h3>
      <table>
        <thead><tr>${['message', 'n', 'mean', 'estimate', 'se', 'ci', 'p', 'pHolm', 'pBH', 'shrunk'].map((k) => `<th scope="col">${t(`col.${k}`)}</th>`).join('')}</tr></thead>
        <tbody>
          <tr><td>${t('control')}</td><td class="n">${int.format(p.control.n)}</td><td class="n">${fmt(p.control.mean)}</td><td colspan="7"></td></tr>
          ${p.arms
            .map(
              (e) =>
                `<tr><td><bdi>${esc(messageLabel(e.armId))}</bdi></td><td class="n">${int.format(e.n)}</td><td class="n">${fmt(e.mean)}</td><td class="n">${fmt(e.estimate)}</td><td class="n">${fmt(e.se)}</td><td class="n" dir="ltr">[${fmt(e.ciLow)}, ${fmt(e.ciHigh)}]</td><td class="n">${pfmt(e.p)}</td><td class="n">${pfmt(e.pHolm)}</td><td class="n">${pfmt(e.pBH)}</td><td class="n">${fmt(e.shrunk.estimate)}</td></tr>`,
            )
            .join('')}
        </tbody>
      </table>
      ${p.missing ? `<p class="note">${t('missing', { n: int.format(p.missing) })}</p>` : ''}`,
    )
    .join('');

  const differences = a.differences.length
    ? `<h2>${t('differences')}</h2><table><thead><tr><th scope="col">${t('col.message')}</th><th scope="col">${t('col.populations')}</th><th scope="col">${t('col.estimate')}</th><th scope="col">${t('col.se')}</th><th scope="col">${t('col.ci')}</th><th scope="col">${t('col.p')}</th></tr></thead><tbody>${a.differences
        .map(
          (d) =>
            `<tr><td><bdi>${esc(messageLabel(d.armId))}</bdi></td><td><bdi>${esc(populationName(d.populations[0]))}</bdi> − <bdi>${esc(populationName(d.populations[1]))}</bdi></td><td class="n">${fmt(d.estimate)}</td><td class="n">${fmt(d.se)}</td><td class="n" dir="ltr">[${fmt(d.ciLow)}, ${fmt(d.ciHigh)}]</td><td class="n">${pfmt(d.p)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';

  const predictions = a.predictions.length
    ? `<h2>${t('predictions')}</h2><p class="note">${t('predictionsNote')}</p>
      <ul>${a.populations
        .map((p) => {
          const acc = a.predictionAccuracy?.find((x) => x.populationId === p.populationId);
          return `<li><bdi>${esc(populationName(p.populationId))}</bdi>: ${acc ? t('spearman', { rho: dec.format(acc.spearman), n: int.format(acc.messages) }) : t('spearmanNone')}</li>`;
        })
        .join('')}</ul>`
    : '';

  const css = `
  table { margin-block-end: 0.5rem; }
  .rule { white-space: pre-line; font-size: 0.9rem; background: #f6f6f6; padding: 0.5rem 0.75rem; border-inline-start: 3px solid #999; }
  .verdicts { list-style: none; padding: 0; } .verdict { margin-block: 0.4rem; }
  .badge { color: #fff; border-radius: 3px; padding: 0.1rem 0.45rem; font-size: 0.8rem; margin-inline-end: 0.4rem; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  .plots { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
  .plot { margin: 0; break-inside: avoid; } .plot figcaption { font-weight: 600; margin-block-end: 0.25rem; }
  .plot svg { border: 1px solid #ccc; background: #fff; max-inline-size: 100%; block-size: auto; print-color-adjust: exact; -webkit-print-color-adjust: exact; }`;

  const facts = `<p>${t('outcome', { outcome: outcome ? localized(outcome.prompt, locale) || a.outcome : a.outcome })}</p>
  <p class="note">${t('method', { se: a.se, adjustment: t(`adjustment.${a.adjustment}`) })}</p>
  <p class="note">${a.attention.excluded ? t('attentionExcluded', { failed: int.format(a.attention.failed), passed: int.format(a.attention.passed) }) : t('attentionNone')}</p>`;

  const main = `
  <h2>${t('verdicts')}</h2>
  <ul class="verdicts">${verdictRows}</ul>
  <p class="rule"><strong>${t('rule')}:</strong>\n${esc(a.verdictRule)}</p>

  <h2>${t('plots')}</h2>
  <p class="note">${t('plotNote')}</p>
  <div class="plots">${a.populations.map(plot).join('')}</div>

  <h2>${t('figures')}</h2>
  ${table}
  ${differences}
  ${predictions}
`;
  return reportPage({
    locale,
    subject: study.title,
    description: study.description,
    strings: { name: t('title'), generated: t('generated', { date }), print: t('print') },
    facts,
    maxWidth: '60rem',
    css,
    main,
  });
}

/** About five round tick values between lo and hi. */
function niceTicks(lo: number, hi: number): number[] {
  const span = hi - lo;
  const raw = span / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => span / s <= 6) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-12; v += step) out.push(Math.abs(v) < 1e-12 ? 0 : Number(v.toPrecision(12)));
  return out;
}
