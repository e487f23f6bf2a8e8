// A briefing before a meeting, per target: one printable page (no script, prints to PDF) in the reader's language:
// who they are, their stance on each ask with its history and evidence, our last meetings with them and what was
// said, open follow-ups, the asks in the target's working language, and talking points (drafted by the AI provider
// from the evidence only, each citing it; otherwise a plain template). Everything in it is what the reader may see
// (docs/campaigns.md, need-to-know), and the read of every restricted record shown is audited.
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { isUuid, notFound } from '../../core/errors.ts';
import { auditRestrictedReads, meetingNotesVisible, personIdentityVisible } from '../../access/need-to-know.ts';
import { campaignReader, targetRowVisible, visibleStances } from '../../access/campaigns.ts';
import { AiUnavailableError, type AiProvider, type TalkingPoint } from '../../ai/provider.ts';
import { translate } from '../../../i18n/catalogs.ts';
import type { Locale } from '../../../i18n/locales.ts';
import { escapeHtml as esc } from '../../public/html.ts';
import { reportDate, reportPage } from '../../public/printable.ts';
import { formatDay } from '../../../web/format.ts';
import type { CampaignAsk, CampaignDocument, Stance } from './campaigns.contract.ts';
import { asksOf, citedRestrictedMeetings, documentsOf, loadVisibleCampaign, selectStances, toStance, type StanceRow } from './campaigns.service.ts';
import { openFollowUps, visibleMeetingsOf } from './campaigns-insights.service.ts';
import type { Localized } from './campaigns.schema.ts';

const LANGS = ['en', 'he', 'ar'] as const;
const NOTES_EXCERPT = 700;

type TargetInfo = {
  id: string;
  organisation_id: string | null;
  person_id: string | null;
  group_label: string | null;
  name: string;
  org_kind: string | null;
  country: string | null;
  city: string | null;
  org_languages: string[] | null;
  description: string | null;
  preferred_language: string | null;
  person_restricted: boolean | null;
  identity_visible: boolean | null;
  roles: string | null;
};

type MeetingRow = { id: string; title: string; starts_at: string | Date; restricted: boolean; notes: string | null; time_zone: string };

export type BriefingData = {
  campaignName: Localized;
  campaignRestricted: boolean;
  target: TargetInfo;
  asks: CampaignAsk[];
  stances: Stance[];
  meetings: MeetingRow[];
  followUps: { id: string; title: string; dueDate: string | null; ownerName: string | null }[];
  documents: CampaignDocument[];
  /** the target's working language among en/he/ar (their organisation's first, a person's preferred), else null */
  workingLanguage: (typeof LANGS)[number] | null;
};

/** What the reader may see about one target, for the briefing; audits the reads of restricted records shown. */
export async function loadBriefing(db: Db, ctx: RequestContext, id: string, targetId: string): Promise<BriefingData> {
  const actor = campaignReader(ctx);
  const c = await loadVisibleCampaign(db, actor, id);
  if (!isUuid(targetId)) throw notFound('target');
  const [target] = await rows<TargetInfo>(
    db,
    sql`SELECT t.id, t.organisation_id, t.person_id, t.group_label, coalesce(o.name, p.display_name) AS name, o.kind AS org_kind, o.country, o.city,
        o.languages AS org_languages, o.description, p.preferred_language, p.restricted AS person_restricted,
        ${t_identity(actor)} AS identity_visible,
        CASE WHEN p.id IS NOT NULL AND ${t_identity(actor)} THEN (SELECT string_agg(coalesce(a.title || ', ', '') || ao.name, '; ' ORDER BY ao.name)
          FROM affiliation a JOIN organisation ao ON ao.id = a.organisation_id WHERE a.person_id = p.id AND a.end_date IS NULL) END AS roles
      FROM campaign_target t LEFT JOIN organisation o ON o.id = t.organisation_id LEFT JOIN person p ON p.id = t.person_id
      WHERE t.id = ${targetId} AND t.campaign_id = ${c.id} AND ${targetRowVisible(actor, sql`t.person_id`)}`,
  );
  if (!target) throw notFound('target');
  const asks = await asksOf(db, c.id);
  const stanceRows = await rows<StanceRow>(
    db,
    selectStances(visibleStances(actor, c.id), sql`st.target_id = ${target.id}`, sql`st.ask_id, st.as_of DESC, st.recorded_at DESC, st.id DESC`),
  );
  const meetings = await rows<MeetingRow>(
    db,
    sql`SELECT m.id, m.title, m.starts_at, m.restricted, m.time_zone, CASE WHEN ${meetingNotesVisible(actor, sql`m.id`)} THEN m.notes END AS notes
      FROM meeting m WHERE m.id IN (SELECT vm.id FROM ${visibleMeetingsOf(actor, c.id)} vm WHERE vm.target_id = ${target.id})
      ORDER BY m.starts_at DESC, m.id DESC LIMIT 5`,
  );
  const followUps = (await openFollowUps(db, actor, c.id, target.id))
    .sort((a, b) => (a.due_date ?? '9999').localeCompare(b.due_date ?? '9999'))
    .map((f) => ({ id: f.id, title: f.title, dueDate: f.due_date, ownerName: f.owner_name }));
  const documents = await documentsOf(db, c.id);
  const wanted = [...(target.org_languages ?? []), target.preferred_language ?? ''].map((l) => l.slice(0, 2).toLowerCase());
  const workingLanguage = (wanted.find((l) => (LANGS as readonly string[]).includes(l)) as BriefingData['workingLanguage']) ?? null;
  await auditRestrictedReads(db, ctx, [
    ...(c.restricted ? [{ entityType: 'campaign', entityId: c.id }] : []),
    ...(target.person_restricted ? [{ entityType: 'person', entityId: target.person_id! }] : []),
    ...citedRestrictedMeetings(stanceRows),
    ...meetings.filter((m) => m.restricted).map((m) => ({ entityType: 'meeting', entityId: m.id })),
  ]);
  return { campaignName: c.name, campaignRestricted: c.restricted, target, asks, stances: stanceRows.map(toStance), meetings, followUps, documents, workingLanguage };
}

function t_identity(actor: Parameters<typeof personIdentityVisible>[0]) {
  return sql`(p.id IS NOT NULL AND ${personIdentityVisible(actor, sql`p.id`)})`;
}

const pick = (text: Localized, lang: string): string => text[lang as keyof Localized] ?? text.en ?? text.he ?? text.ar ?? '';

/** One line of evidence, as the briefing shows it and as the AI provider receives it. */
function evidenceLine(s: Stance, docs: CampaignDocument[]): string {
  const e = s.evidence;
  if (e.kind === 'meeting') return e.meetingTitle ?? '';
  if (e.kind === 'statement') return `“${e.quote ?? ''}” (${e.url ?? ''})`;
  if (e.kind === 'document_passage') {
    for (const d of docs) {
      const p = d.passages.find((x) => x.id === e.passageId);
      if (p) return `${d.title}${p.locator ? `, ${p.locator}` : ''}: “${p.quote}”`;
    }
    return '';
  }
  return e.reason ?? '';
}

/** Talking points from the AI provider (citing evidence only), else from the template; says which. */
export async function talkingPoints(data: BriefingData, locale: Locale, ai: AiProvider | null): Promise<{ points: TalkingPoint[]; source: 'ai' | 'template' | 'ai_failed' }> {
  const current = currentByAsk(data);
  const evidence = data.stances.slice(0, 40).map((s) => ({
    id: s.id,
    text: `${pick(data.asks.find((a) => a.id === s.askId)?.text ?? {}, 'en')} — ${s.value} (${s.asOf}), ${s.evidence.kind}: ${evidenceLine(s, data.documents)}${s.note ? ` — ${s.note}` : ''}`,
  }));
  if (ai && evidence.length) {
    try {
      const points = await ai.talkingPoints({ language: locale, target: data.target.name, asks: data.asks.map((a) => ({ id: a.id, text: pick(a.text, locale) })), evidence });
      if (points.length) return { points, source: 'ai' };
    } catch (err) {
      if (!(err instanceof AiUnavailableError)) throw err;
      return { points: templatePoints(data, locale, current), source: 'ai_failed' };
    }
  }
  return { points: templatePoints(data, locale, current), source: 'template' };
}

function currentByAsk(data: BriefingData): Map<string, Stance> {
  // stances come newest first per ask
  const m = new Map<string, Stance>();
  for (const s of data.stances) if (!m.has(s.askId)) m.set(s.askId, s);
  return m;
}

/** The plain template: per ask, where they stand and what to build on (the latest evidence), or what to find out. */
function templatePoints(data: BriefingData, locale: Locale, current: Map<string, Stance>): TalkingPoint[] {
  return data.asks.map((a) => {
    const s = current.get(a.id);
    const ask = pick(a.text, locale);
    const word = s ? translate(locale, `campaign.stance.${s.value}`) : '';
    const vars = { ask, stance: locale === 'en' ? word.toLowerCase() : word };
    if (!s) return { text: translate(locale, 'campaign.briefing.point.unknown', vars), evidenceIds: [] };
    const key = s.value === 'supportive' || s.value === 'champion' ? 'ally' : s.value === 'opposed' || s.value === 'sceptical' ? 'doubt' : 'neutral';
    return { text: translate(locale, `campaign.briefing.point.${key}`, vars), evidenceIds: [s.id] };
  });
}

/** The printable page. */
export function renderBriefing(data: BriefingData, tp: { points: TalkingPoint[]; source: 'ai' | 'template' | 'ai_failed' }, locale: Locale, timeZone: string, now = new Date()): string {
  const t = (key: string, vars: Record<string, string> = {}) => esc(translate(locale, `campaign.briefing.${key}`, vars));
  const stanceWord = (v: string) => esc(translate(locale, `campaign.stance.${v}`));
  const dayRaw = (d: string) => formatDay(d, locale);
  const day = (d: string) => esc(dayRaw(d));
  const current = currentByAsk(data);
  const tg = data.target;
  // evidence numbered in the order shown, so talking points can cite [n]
  const number = new Map(data.stances.map((s, i) => [s.id, i + 1]));
  const cite = (ids: string[]) => (ids.length ? ` <span class="cite">${ids.map((id) => `[${number.get(id)}]`).join(' ')}</span>` : '');

  const who: string[] = [];
  who.push(`<li>${t(tg.organisation_id ? 'kind.organisation' : 'kind.person')}${tg.group_label ? ` · <bdi>${esc(tg.group_label)}</bdi>` : ''}</li>`);
  if (tg.country || tg.city) who.push(`<li>${t('place')}: <bdi>${esc([tg.city, tg.country].filter(Boolean).join(', '))}</bdi></li>`);
  if (tg.roles) who.push(`<li>${t('roles')}: <bdi>${esc(tg.roles)}</bdi></li>`);
  if (tg.description) who.push(`<li><bdi>${esc(tg.description)}</bdi></li>`);
  if (data.workingLanguage) who.push(`<li>${t('workingLanguage')}: ${esc(translate(locale, `campaign.briefing.language.${data.workingLanguage}`))}</li>`);

  const stanceSection = data.asks
    .map((a) => {
      const s = current.get(a.id);
      const history = data.stances.filter((x) => x.askId === a.id);
      return `<section class="ask"><h3 dir="auto">${esc(pick(a.text, locale))}</h3>
        <p><strong>${t('now')}:</strong> <span class="stance stance-${s?.value ?? 'unknown'}">${stanceWord(s?.value ?? 'unknown')}</span>${s ? ` · ${t('since', { day: dayRaw(s.asOf) })}` : ''}</p>
        ${history.length ? `<ol class="history">${history
          .map(
            (h) => `<li><span class="n">[${number.get(h.id)}]</span> <span class="stance stance-${h.value}">${stanceWord(h.value)}</span> · ${day(h.asOf)} · ${esc(translate(locale, `campaign.evidence.${h.evidence.kind}`))}: <bdi>${esc(evidenceLine(h, data.documents))}</bdi>${h.note ? ` <span class="note" dir="auto">(${esc(h.note)})</span>` : ''}</li>`,
          )
          .join('')}</ol>` : `<p class="note">${t('noStance')}</p>`}
      </section>`;
    })
    .join('');

  const meetings = data.meetings.length
    ? `<ul>${data.meetings
        .map((m) => {
          const notes = m.notes ? (m.notes.length > NOTES_EXCERPT ? `${m.notes.slice(0, NOTES_EXCERPT)}…` : m.notes) : null;
          return `<li><strong><bdi>${esc(m.title)}</bdi></strong> · ${esc(reportDate(locale, timeZone, new Date(m.starts_at)))}${notes ? `<blockquote dir="auto">${esc(notes)}</blockquote>` : ''}</li>`;
        })
        .join('')}</ul>`
    : `<p>${t('noMeetings')}</p>`;

  const followUps = data.followUps.length
    ? `<ul>${data.followUps.map((f) => `<li><bdi>${esc(f.title)}</bdi>${f.ownerName ? ` · <bdi>${esc(f.ownerName)}</bdi>` : ''}${f.dueDate ? ` · ${t('due', { day: dayRaw(f.dueDate) })}` : ''}</li>`).join('')}</ul>`
    : `<p>${t('noFollowUps')}</p>`;

  const wl = data.workingLanguage;
  const asksInTheirLanguage = wl
    ? `<ol>${data.asks.map((a) => `<li lang="${wl}" dir="${wl === 'en' ? 'ltr' : 'rtl'}">${esc(pick(a.text, wl))}</li>`).join('')}</ol>`
    : `<p>${t('noWorkingLanguage')}</p>`;

  const points = `<p class="note">${t(`source.${tp.source}`)}</p><ul class="points">${tp.points.map((p) => `<li><bdi>${esc(p.text)}</bdi>${cite(p.evidenceIds)}</li>`).join('')}</ul>`;

  const css = `
  .ask { margin-block-end: 1rem; } h3 { margin-block: 1rem 0.25rem; font-size: 1rem; }
  .history { padding-inline-start: 1.2rem; font-size: 0.85rem; } .history li { margin-block: 0.2rem; }
  .stance { font-weight: 600; padding: 0 0.3rem; border-radius: 3px; border: 1px solid #999; }
  .stance-opposed { background: #ffe3e3; } .stance-sceptical { background: #fff0db; } .stance-neutral { background: #e7f5ff; }
  .stance-supportive { background: #d3f9d8; } .stance-champion { background: #b2f2bb; } .stance-unknown { background: #f1f3f5; }
  .cite { color: #444; font-size: 0.8rem; } blockquote { margin: 0.25rem 0; padding-inline-start: 0.6rem; border-inline-start: 3px solid #ccc; color: #333; white-space: pre-wrap; }`;
  return reportPage({
    locale,
    subject: tg.name,
    description: null,
    strings: { name: t('title'), generated: t('generated', { date: reportDate(locale, timeZone, now) }), print: t('print') },
    facts: `<p>${t('campaign')}: <bdi>${esc(pick(data.campaignName, locale))}</bdi>${data.campaignRestricted ? ` · ${t('restricted')}` : ''}</p>`,
    maxWidth: '48rem',
    css,
    main: `
  <h2>${t('who')}</h2><ul>${who.join('')}</ul>
  <h2>${t('talkingPoints')}</h2>${points}
  <h2>${t('stances')}</h2>${stanceSection}
  <h2>${t('meetings')}</h2>${meetings}
  <h2>${t('followUps')}</h2>${followUps}
  <h2>${t('asksInTheirLanguage')}</h2>${asksInTheirLanguage}`,
  });
}
