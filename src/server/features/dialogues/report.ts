// The printable report of a dialogue: one server-rendered HTML page (no script) that prints well to PDF, with
// the opinion map, the bridging and divisive statements and per-segment charts, in the reader's language.
import { translate, translateCount } from '../../../i18n/catalogs.ts';
import type { Locale } from '../../../i18n/locales.ts';
import { escapeHtml as esc } from '../../public/html.ts';
import { reportDate, reportNumberLocale, reportPage } from '../../public/printable.ts';
import type { DialogueAnalysis, StatementAnalysis, Tally } from './analysis.contract.ts';
import { CLASSIFY_DEFAULTS } from './math/consensus.ts';

/** colour-blind-safe (Okabe–Ito) */
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9'];
const SHAPES = ['circle', 'square', 'triangle', 'diamond'];

function shape(kind: string, x: number, y: number, colour: string): string {
  const r = 3;
  if (kind === 'square') return `<rect x="${x - r}" y="${y - r}" width="${2 * r}" height="${2 * r}" fill="${colour}" fill-opacity="0.7"/>`;
  if (kind === 'triangle') return `<polygon points="${x},${y - r - 1} ${x - r - 1},${y + r} ${x + r + 1},${y + r}" fill="${colour}" fill-opacity="0.7"/>`;
  if (kind === 'diamond') return `<polygon points="${x},${y - r - 1} ${x + r + 1},${y} ${x},${y + r + 1} ${x - r - 1},${y}" fill="${colour}" fill-opacity="0.7"/>`;
  return `<circle cx="${x}" cy="${y}" r="${r}" fill="${colour}" fill-opacity="0.7"/>`;
}

export function renderReport(a: DialogueAnalysis, d: { title: string; description: string | null }, locale: Locale, timeZone: string): string {
  const t = (key: string, vars: Record<string, string> = {}) => esc(translate(locale, `report.${key}`, vars));
  /** a count, in the language's plural form ("one participant", Arabic's six forms) */
  const tn = (key: string, count: number, vars: Record<string, string> = {}) => esc(translateCount(locale, `report.${key}`, count, { ...vars, n: num.format(count) }));
  const numberLocale = reportNumberLocale(locale);
  const num = new Intl.NumberFormat(numberLocale);
  const pct = new Intl.NumberFormat(numberLocale, { style: 'percent', maximumFractionDigits: 0 });
  const dec = new Intl.NumberFormat(numberLocale, { maximumFractionDigits: 3, minimumFractionDigits: 3 });
  const dec1 = new Intl.NumberFormat(numberLocale, { maximumFractionDigits: 2 });
  const date = reportDate(locale, timeZone, new Date(a.computedAt));
  const segName = (id: string | null) => {
    const s = a.segments.find((x) => x.id === id);
    return s ? (s.name[locale] ?? Object.values(s.name)[0] ?? s.key) : '';
  };
  const byId = new Map(a.statements.map((s) => [s.id, s]));
  const text = (s: StatementAnalysis) => {
    const translated = s.language !== locale ? s.translations[locale] : undefined;
    const lang = translate(locale, `report.language.${s.language}`);
    return translated
      ? `<p class="statement" dir="auto">${esc(translated)}</p><p class="original" dir="auto"><span>${t('original', { language: lang })}:</span> <bdi>${esc(s.body)}</bdi></p>`
      : `<p class="statement" dir="auto">${esc(s.body)}</p>`;
  };
  const bar = (label: string, x: Tally) => {
    if (!x.votes) return `<div class="bar-row"><span class="bar-label"><bdi>${esc(label)}</bdi></span><span class="bar-empty">—</span></div>`;
    const agree = (x.agreeRate ?? 0) * 100;
    const dis = (x.disagreeRate ?? 0) * 100;
    return `<div class="bar-row"><span class="bar-label"><bdi>${esc(label)}</bdi></span>
      <span class="bar" role="img" aria-label="${pct.format(x.agreeRate ?? 0)} ${t('agree')}, ${pct.format(x.disagreeRate ?? 0)} ${t('disagree')}, ${pct.format(x.passRate ?? 0)} ${t('pass')}">
        <span class="agree" style="inline-size:${agree.toFixed(1)}%"></span><span class="disagree" style="inline-size:${dis.toFixed(1)}%"></span>
        <span class="ci" style="inset-inline-start:${((x.agreeLow ?? 0) * 100).toFixed(1)}%;inline-size:${(((x.agreeHigh ?? 0) - (x.agreeLow ?? 0)) * 100).toFixed(1)}%"></span>
      </span>
      <span class="bar-figure">${pct.format(x.agreeRate ?? 0)} · ${t('votes', { n: num.format(x.votes) })}</span></div>`;
  };
  const statementBlock = (s: StatementAnalysis) => `<article class="card">
      ${text(s)}
      ${bar(translate(locale, 'report.everyone'), s.overall)}
      ${s.bySegment.map((x) => bar(segName(x.segmentId), x)).join('')}
      ${s.byGroup.map((x) => bar(translate(locale, 'report.group', { n: String(x.groupId + 1) }), x)).join('')}
      <p class="figures">${s.groupConsensus !== null ? t('groupConsensus', { value: dec.format(s.groupConsensus) }) : ''}${s.segmentConsensus !== null ? ` · ${t('segmentConsensus', { value: dec.format(s.segmentConsensus) })}` : ''}</p>
    </article>`;

  // the map, scaled into a 480 × 360 box
  const W = 480;
  const H = 360;
  const xs = a.map.map((p) => p.x);
  const ys = a.map.map((p) => p.y);
  const [minX, maxX, minY, maxY] = [Math.min(0, ...xs), Math.max(0, ...xs), Math.min(0, ...ys), Math.max(0, ...ys)];
  const sx = (x: number) => 20 + ((x - minX) / (maxX - minX || 1)) * (W - 40);
  const sy = (y: number) => 20 + ((y - minY) / (maxY - minY || 1)) * (H - 40);
  const segIndex = new Map(a.segments.map((s, i) => [s.id, i]));
  const points = a.map.map((p) => shape(SHAPES[(segIndex.get(p.segmentId ?? '') ?? 0) % SHAPES.length]!, sx(p.x), sy(p.y), COLOURS[p.groupId % COLOURS.length]!)).join('');
  const legend = [
    ...a.groups.map((g) => `<li><svg width="12" height="12" aria-hidden="true">${shape('circle', 6, 6, COLOURS[g.id % COLOURS.length]!)}</svg> ${t('group', { n: String(g.id + 1) })} — ${tn('groupSize', g.participants)}</li>`),
    ...a.segments.map((s, i) => `<li><svg width="12" height="12" aria-hidden="true">${shape(SHAPES[i % SHAPES.length]!, 6, 6, '#444')}</svg> <bdi>${esc(segName(s.id))}</bdi></li>`),
  ].join('');

  const css = `
  .figures, .original { color: #444; font-size: 0.9rem; }
  .card { border: 1px solid #ccc; border-radius: 6px; padding: 0.75rem 1rem; margin-block: 0.75rem; break-inside: avoid; }
  .statement { font-weight: 600; margin-block: 0 0.5rem; }
  .bar-row { display: grid; grid-template-columns: 12rem 1fr 9rem; gap: 0.5rem; align-items: center; font-size: 0.85rem; margin-block: 0.15rem; }
  .bar { position: relative; display: flex; block-size: 0.8rem; background: #eee; border-radius: 2px; overflow: hidden; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  .bar .agree { background: #0072B2; } .bar .disagree { background: #D55E00; }
  .bar .ci { position: absolute; inset-block: 0.3rem; block-size: 0.2rem; background: #000; opacity: 0.6; }
  .bar-figure { font-variant-numeric: tabular-nums; }
  .map { display: flex; gap: 1.5rem; flex-wrap: wrap; align-items: flex-start; }
  .map svg { border: 1px solid #ccc; background: #fafafa; max-inline-size: 100%; block-size: auto; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  .legend { list-style: none; padding: 0; margin: 0; font-size: 0.9rem; } .legend li { margin-block: 0.2rem; }`;

  const main = `
  <h2>${t('segments')}</h2>
  <ul>${a.segments.map((s) => `<li>${tn('segmentVoters', s.voters, { name: segName(s.id) })}</li>`).join('')}</ul>

  <h2>${t('map')}</h2>
  <div class="map">
    <svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${t('map')}">${points}</svg>
    <ul class="legend">${legend}</ul>
  </div>
  <p class="note">${t('mapNote')}</p>

  <h2>${t('bridging')}</h2>
  <p class="note"><strong>${t('rule')}:</strong> ${t('bridgingRule', { bound: dec1.format(CLASSIFY_DEFAULTS.bridgingLowerBound) })}</p>
  ${a.bridging.length ? a.bridging.slice(0, 15).map((id) => statementBlock(byId.get(id)!)).join('') : `<p>${t('bridgingNone')}</p>`}

  <h2>${t('divisive')}</h2>
  <p class="note"><strong>${t('rule')}:</strong> ${t('divisiveRule', { spread: dec1.format(CLASSIFY_DEFAULTS.divisiveSpread) })}</p>
  ${a.divisive.length ? a.divisive.slice(0, 15).map((id) => statementBlock(byId.get(id)!)).join('') : `<p>${t('divisiveNone')}</p>`}

  <h2>${t('representative')}</h2>
  ${a.groups
    .map(
      (g) => `<section class="card"><h3>${t('group', { n: String(g.id + 1) })} — ${tn('groupSize', g.participants)}</h3>
      <ul>${g.representative
        .map((r) => {
          const s = byId.get(r.statementId);
          if (!s) return '';
          return `<li><bdi>${esc(s.translations[locale] ?? s.body)}</bdi> — ${r.direction === 'agree' ? t('agreedBy', { rate: pct.format(r.rate) }) : t('disagreedBy', { rate: pct.format(r.rate) })}</li>`;
        })
        .join('')}</ul></section>`,
    )
    .join('')}

  <h2>${t('allStatements')}</h2>
  <table>
    <thead><tr><th scope="col">${t('statement')}</th><th scope="col">${t('everyone')}</th>${a.segments.map((s) => `<th scope="col"><bdi>${esc(segName(s.id))}</bdi></th>`).join('')}</tr></thead>
    <tbody>${a.statements
      .map(
        (s) =>
          `<tr><td dir="auto">${esc(s.translations[locale] ?? s.body)}</td><td class="n">${s.overall.votes ? `${pct.format(s.overall.agreeRate ?? 0)} / ${pct.format(s.overall.disagreeRate ?? 0)}` : '—'}</td>${s.bySegment
            .map((x) => `<td class="n">${x.votes ? `${pct.format(x.agreeRate ?? 0)} / ${pct.format(x.disagreeRate ?? 0)}` : '—'}</td>`)
            .join('')}</tr>`,
      )
      .join('')}</tbody>
  </table>
`;
  return reportPage({
    locale,
    subject: d.title,
    description: d.description,
    strings: { name: t('title'), generated: t('generated', { date }), print: t('print') },
    facts: `<p>${t('figures', { voters: num.format(a.voters), votes: num.format(a.votes), statements: num.format(a.statements.length), groups: num.format(a.groups.length), clustered: num.format(a.clustered) })}</p>`,
    maxWidth: '52rem',
    css,
    main,
  });
}
