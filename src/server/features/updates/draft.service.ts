import { randomBytes } from 'node:crypto';
import { eq, sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { AppError, isUuid, notFound } from '../../core/errors.ts';
import { authorize, type Actor } from '../../access/roles.ts';
import { noGrantsReader } from '../../access/need-to-know.ts';
import { campaignVisible, targetRowVisible } from '../../access/campaigns.ts';
import { tripRequestVisible } from '../../access/trips.ts';
import { AiUnavailableError, type AiProvider } from '../../ai/provider.ts';
import { translate, translateCount } from '../../../i18n/catalogs.ts';
import { localeInfo, type Locale } from '../../../i18n/locales.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { countMeetings, metOrganisations, scopedMeetings, type MeetingScope } from '../insights/figures.ts';
import { MAX_RANGE_DAYS } from '../insights/dashboard.service.ts';
import { buildReport, loadEventById } from '../events/reports.service.ts';
import type { DraftFromDataInput, PostDto, VersionInput } from './updates.contract.ts';
import { POST_LANGUAGES, post, type DataDraft, type DataSource, type DraftFigure, type FigureRecord } from './updates.schema.ts';
import { createPost, getPost } from './updates.service.ts';

// "Draft from data" (issue 15 item 4): a period, a trip, an event or a campaign becomes a draft post in English,
// Hebrew and Arabic, its figures counted from the records AS A STAFF MEMBER WITH NO NEED-TO-KNOW GRANTS sees them
// (noGrantsReader), with the dashboard's own queries (insights/figures.ts): a restricted meeting, request, campaign or
// person never contributes to a figure or a word, whoever asks. Each figure keeps the records it counts (shown to
// staff in the editor, never published). With an AI provider the wording is polished per language and every number
// checked unchanged (else the plain template is kept and staff are told why); without one, the template.

type Lang = (typeof POST_LANGUAGES)[number];
const t = (l: Lang, key: string, vars: Record<string, string> = {}) => translate(l as Locale, `updates.draft.${key}`, vars);
const tc = (l: Lang, key: string, n: number, vars: Record<string, string> = {}) => translateCount(l as Locale, `updates.draft.${key}`, n, { n: num(l, n), ...vars });
const num = (l: Lang, n: number) => new Intl.NumberFormat(localeInfo[l as Locale].intl).format(n);
const list = (l: Lang, items: string[]) => new Intl.ListFormat(localeInfo[l as Locale].intl, { type: 'conjunction' }).format(items);
/** a name kept apart from the text around it (FSI … PDI) in a right-to-left language, so a Latin name in a Hebrew or Arabic list keeps its place */
const isolate = (l: Lang, name: string) => (localeInfo[l as Locale].dir === 'rtl' && !/^[\u0590-\u08FF\s\p{P}\d]+$/u.test(name) ? `\u2068${name}\u2069` : name);
/** a city as the language writes it (the catalog's few), else as recorded */
function city(l: Lang, name: string | null): string {
  if (!name) return t(l, 'online');
  const key = `updates.draft.city.${name}`;
  const v = translate(l as Locale, key);
  return v === key ? isolate(l, name) : v;
}

type Figures = {
  source: DataDraft['source'];
  figures: DraftFigure[];
  /** the post's title in a language */
  title: (l: Lang) => string;
  /** the names of the events and dialogues counted, per language, by id (their figures' `about`) */
  names: Map<string, Record<string, string>>;
  cities: string[] | null;
};

const figure = (key: string, about: string | null, records: FigureRecord[], value = records.length): DraftFigure => ({ key, about, value, records });

/** Meetings, kinds, cities and organisations met in a scope, as the no-grants reader counts them. */
async function meetingFigures(db: Db, scope: MeetingScope): Promise<DraftFigure[]> {
  const reader = noGrantsReader(scope.timeZone);
  const scoped = scopedMeetings(reader, scope);
  const meetings = await rows<{ id: string; kind: string; city: string | null; title: string }>(db, sql`SELECT pm.id, pm.kind, pm.city, pm.title FROM (${scoped}) pm ORDER BY pm.starts_at, pm.id`);
  if (!meetings.length) return [];
  const orgs = await rows<{ id: string; name: string; kind: string; cities: (string | null)[] }>(
    db,
    sql`SELECT o.id, o.name, o.kind, array_agg(DISTINCT pm.city) AS cities FROM (${metOrganisations(scoped)}) o
      JOIN meeting_organisation mo ON mo.organisation_id = o.id JOIN (${scoped}) pm ON pm.id = mo.meeting_id
      GROUP BY o.id, o.name, o.kind ORDER BY o.name`,
  );
  const { byKind, byCity } = await countMeetings(db, scoped);
  const rec = (m: { id: string; title: string }): FigureRecord => ({ type: 'meeting', id: m.id, label: m.title });
  const orgRec = (o: { id: string; name: string }): FigureRecord => ({ type: 'organisation', id: o.id, label: o.name });
  const members = orgs.filter((o) => o.kind === 'member');
  const out: DraftFigure[] = [figure('member_organisations_met', null, members.map(orgRec))];
  // where the members were met, most first (a member met in two cities counts in each)
  const memberCities = [...new Set(members.flatMap((o) => o.cities))].filter((c): c is string => !!c);
  const inCity = memberCities.map((c) => figure('member_organisations_met_in_city', c, members.filter((o) => o.cities.includes(c)).map(orgRec)));
  out.push(...inCity.sort((a, b) => b.value - a.value || (a.about! < b.about! ? -1 : 1)));
  out.push(figure('organisations_met', null, orgs.map(orgRec)), figure('meetings', null, meetings.map(rec)));
  for (const k of byKind) out.push(figure('meetings_by_kind', k.kind, meetings.filter((m) => m.kind === k.kind).map(rec)));
  for (const c of byCity) out.push(figure('meetings_by_city', c.city, meetings.filter((m) => m.city === c.city).map(rec)));
  out.push(figure('diplomatic_meetings', null, meetings.filter((m) => m.kind === 'diplomatic').map(rec)));
  return out;
}

/** Attendance and co-hosts of each event starting in the scope (or of one event). Events are not need-to-know. */
async function eventFigures(db: Db, where: SQL, now: Date, names: Figures['names']): Promise<DraftFigure[]> {
  const events = await rows<{ id: string; title: Record<string, string> }>(db, sql`SELECT e.id, e.title FROM event e WHERE ${where} AND e.status <> 'draft' ORDER BY e.starts_at`);
  const out: DraftFigure[] = [];
  for (const e of events) {
    const report = await buildReport(db, await loadEventById(db, e.id), null, now);
    const cohosts = await rows<{ id: string; name: string }>(
      db,
      sql`SELECT o.id, o.name FROM event_cohost c JOIN organisation o ON o.id = c.organisation_id WHERE c.event_id = ${e.id} ORDER BY c.role = 'lead' DESC, o.name`,
    );
    const about = e.id;
    names.set(e.id, e.title);
    out.push(figure('event_attended', about, [{ type: 'event', id: e.id, label: e.title.en ?? Object.values(e.title)[0] ?? '' }], report.totals.attended));
    out.push(figure('event_cohosts', about, cohosts.map((c) => ({ type: 'organisation' as const, id: c.id, label: c.name }))));
  }
  return out;
}

/** People who joined each dialogue in the period (participants are anonymous: only counted). */
async function dialogueFigures(db: Db, from: string, to: string, timeZone: string, names: Figures['names']): Promise<DraftFigure[]> {
  const ds = await rows<{ id: string; title: Record<string, string>; n: number }>(
    db,
    sql`SELECT d.id, d.title, count(p.id)::int AS n FROM dialogue d JOIN dialogue_participant p ON p.dialogue_id = d.id
      WHERE p.created_at >= (${from}::date::timestamp AT TIME ZONE ${timeZone}) AND p.created_at < ((${to}::date + 1)::timestamp AT TIME ZONE ${timeZone})
      GROUP BY d.id ORDER BY n DESC`,
  );
  for (const d of ds) names.set(d.id, d.title);
  return ds.map((d) => figure('dialogue_participants', d.id, [{ type: 'dialogue', id: d.id, label: d.title.en ?? Object.values(d.title)[0] ?? '' }], Number(d.n)));
}

const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
const localized = (v: Partial<Record<string, string>>, l: Lang) => v[l] || v.en || Object.values(v)[0] || '';

async function computeFigures(db: Db, actor: Actor, source: DataSource, now: Date): Promise<Figures> {
  const timeZone = actor.timeZone || 'UTC';
  const names: Figures['names'] = new Map();
  if (source.kind === 'period') {
    if (daysBetween(source.from, source.to) < 0) throw new AppError('invalid', 'invalid_range', 'The period ends before it starts.', [{ field: 'body.source.to', detail: 'Before from' }]);
    if (daysBetween(source.from, source.to) + 1 > MAX_RANGE_DAYS) {
      throw new AppError('invalid', 'range_too_long', `The period is at most ${MAX_RANGE_DAYS} days.`, [{ field: 'body.source.to', detail: `At most ${MAX_RANGE_DAYS} days after from` }]);
    }
    authorize(actor, 'pillars.read');
    const cities = source.cities?.length ? source.cities : undefined;
    const figures = [
      ...(await meetingFigures(db, { from: source.from, to: source.to, timeZone, cities })),
      // events and dialogues have no city: a draft limited to some cities counts meetings only
      ...(cities
        ? []
        : [
            ...(await eventFigures(db, sql`e.starts_at >= (${source.from}::date::timestamp AT TIME ZONE ${timeZone}) AND e.starts_at < ((${source.to}::date + 1)::timestamp AT TIME ZONE ${timeZone})`, now, names)),
            ...(await dialogueFigures(db, source.from, source.to, timeZone, names)),
          ]),
    ];
    const range = (l: Lang) => {
      const f = new Intl.DateTimeFormat(localeInfo[l as Locale].intl, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
      return f.formatRange(new Date(`${source.from}T12:00:00Z`), new Date(`${source.to}T12:00:00Z`));
    };
    return { source: { ...source, ...(cities ? { cities } : {}) }, figures, cities: cities ?? null, names, title: (l) => t(l, 'title.period', { dates: range(l) }) };
  }
  if (!isUuid(source.id)) throw notFound(source.kind);
  if (source.kind === 'trip') {
    authorize(actor, 'trips.read');
    const [trip] = await rows<{ id: string; name: string; time_zone: string }>(db, sql`SELECT id, name, time_zone FROM trip WHERE id = ${source.id}`);
    if (!trip) throw notFound('trip');
    const r = noGrantsReader(trip.time_zone);
    const made = sql`SELECT r.meeting_id FROM trip_request r WHERE r.trip_id = ${trip.id} AND r.meeting_id IS NOT NULL
      AND ${tripRequestVisible(r, { id: sql`r.id`, restricted: sql`r.restricted`, createdBy: sql`r.created_by` })}`;
    const figures = await meetingFigures(db, { timeZone: trip.time_zone, meetingIds: made });
    return { source: { ...source, name: trip.name }, figures, cities: null, names, title: (l) => t(l, 'title.trip', { name: trip.name }) };
  }
  if (source.kind === 'event') {
    authorize(actor, 'events.read');
    const e = await loadEventById(db, source.id);
    const figures = await eventFigures(db, sql`e.id = ${e.id}`, now, names);
    return { source: { ...source, name: e.title.en ?? Object.values(e.title)[0] ?? '' }, figures, cities: null, names, title: (l) => t(l, 'title.event', { name: localized(e.title, l) }) };
  }
  // a campaign: the drafter must see it (404 otherwise); a reader with no grants must too, or nothing of it counts
  authorize(actor, 'campaigns.read');
  const [c] = await rows<{ id: string; name: Record<string, string>; visible: boolean; public: boolean }>(
    db,
    sql`SELECT c.id, c.name, ${campaignVisible(actor, sql`c.id`)} AS visible, ${campaignVisible(noGrantsReader(), sql`c.id`)} AS public FROM campaign c WHERE c.id = ${source.id}`,
  );
  if (!c || !c.visible) throw notFound('campaign');
  const src = { ...source, name: c.name.en ?? Object.values(c.name)[0] ?? '' };
  const title = (l: Lang) => t(l, 'title.campaign', { name: localized(c.name, l) });
  if (!c.public) return { source: src, figures: [], cities: null, names, title };
  const r = noGrantsReader(timeZone);
  const tagged = sql`SELECT cm.meeting_id FROM campaign_meeting cm WHERE cm.campaign_id = ${c.id}`;
  const figures = await meetingFigures(db, { timeZone, meetingIds: tagged });
  const targets = await rows<{ id: string; label: string }>(
    db,
    sql`SELECT DISTINCT ct.id, coalesce(o.name, p.display_name) AS label FROM campaign_meeting_target cmt
      JOIN campaign_target ct ON ct.id = cmt.target_id LEFT JOIN organisation o ON o.id = ct.organisation_id LEFT JOIN person p ON p.id = ct.person_id
      JOIN (${scopedMeetings(r, { timeZone, meetingIds: tagged })}) pm ON pm.id = cmt.meeting_id
      WHERE cmt.campaign_id = ${c.id} AND ${targetRowVisible(r, sql`ct.person_id`)} ORDER BY label`,
  );
  if (figures.length) figures.push(figure('campaign_targets_met', null, targets.map((x) => ({ type: 'campaign_target' as const, id: x.id, label: x.label }))));
  return { source: src, figures, cities: null, names, title };
}

/** The plain template in one language: a title, a one-sentence summary, and the figures as Markdown. */
export function templateText(l: Lang, f: Figures): { title: string; summary: string; body: string } {
  const get = (key: string) => f.figures.filter((x) => x.key === key);
  const one = (key: string) => get(key)[0];
  const lines: string[] = [];
  const lead: string[] = [];
  const members = one('member_organisations_met');
  if (members && members.value > 0) {
    const cities = (f.cities ?? get('member_organisations_met_in_city').map((c) => c.about!)).map((c) => city(l, c));
    const sentence = cities.length && cities.length <= 4 ? tc(l, 'metMembers', members.value, { cities: list(l, cities) }) : tc(l, 'metMembersNoCity', members.value);
    lead.push(sentence);
  }
  const meetings = one('meetings');
  if (meetings) {
    lines.push(`## ${t(l, 'heading.meetings')}`, '');
    if (lead.length) lines.push(lead[0]!, '');
    lines.push(tc(l, 'meetingsHeld', meetings.value) + (one('diplomatic_meetings')?.value ? ` ${tc(l, 'diplomatic', one('diplomatic_meetings')!.value)}` : ''), '');
    if (!lead.length) lead.push(tc(l, 'meetingsHeld', meetings.value));
    lines.push(`### ${t(l, 'heading.byKind')}`, '');
    for (const k of get('meetings_by_kind')) lines.push(`- ${t(l, 'line', { label: t(l, `kind.${k.about}`), n: num(l, k.value) })}`);
    lines.push('', `### ${t(l, 'heading.byCity')}`, '');
    for (const c of get('meetings_by_city')) lines.push(`- ${t(l, 'line', { label: city(l, c.about), n: num(l, c.value) })}`);
    lines.push('');
    const targets = one('campaign_targets_met');
    if (targets) lines.push(tc(l, 'targetsMet', targets.value), '');
  }
  const attended = get('event_attended');
  if (attended.length) {
    lines.push(`## ${t(l, 'heading.events')}`, '');
    for (const a of attended) {
      const name = isolate(l, localized(f.names.get(a.about!) ?? {}, l));
      const cohosts = f.figures.find((x) => x.key === 'event_cohosts' && x.about === a.about);
      let text = tc(l, 'attended', a.value, { name });
      if (cohosts && cohosts.value > 0) {
        const shown = cohosts.records.slice(0, 8).map((r) => isolate(l, r.label));
        const names = cohosts.value > shown.length ? list(l, [...shown, t(l, 'more', { n: num(l, cohosts.value - shown.length) })]) : list(l, shown);
        text += ` ${tc(l, 'cohosts', cohosts.value, { names })}`;
      }
      lines.push(`- ${text}`);
      if (!lead.length) lead.push(tc(l, 'attended', a.value, { name }));
    }
    lines.push('');
  }
  const dialogues = get('dialogue_participants');
  if (dialogues.length) {
    lines.push(`## ${t(l, 'heading.dialogues')}`, '');
    for (const d of dialogues) lines.push(`- ${tc(l, 'participants', d.value, { name: localized(f.names.get(d.about!) ?? {}, l) })}`);
    lines.push('');
  }
  return { title: f.title(l), summary: lead[0] ?? '', body: lines.join('\n').trim() };
}

/** The numbers a text writes (digits in any script, thousands separators dropped), sorted: what polishing must keep. */
export function numbersIn(text: string): string[] {
  const western = text.replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660)).replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x06f0));
  return (western.match(/\d+(?:[,.\u066C\u202F\u00A0]\d{3})*/g) ?? []).map((n) => n.replace(/[,.\u066C\u202F\u00A0]/g, '')).sort();
}

const sameNumbers = (a: { title: string; summary: string; body: string }, b: { title: string; summary: string; body: string }) =>
  numbersIn(`${a.title}\n${a.summary}\n${a.body}`).join(' ') === numbersIn(`${b.title}\n${b.summary}\n${b.body}`).join(' ');

function slugBase(source: DataSource): string {
  const tail = randomBytes(3).toString('hex');
  return source.kind === 'period' ? `update-${source.from}-${source.to}-${tail}` : `update-${source.kind}-${tail}`;
}

/**
 * Writes the draft post: figures as a reader with no grants counts them (422 draft_no_records when there are none),
 * worded by the AI provider when one is configured (checked: the same numbers as the template, else the template),
 * saved as a draft with its figures and records, audited. The provider is asked before the transaction.
 */
export async function draftFromData(db: Db, ctx: RequestContext, ai: AiProvider | null, input: DraftFromDataInput, now = new Date()): Promise<PostDto> {
  authorize(ctx.actor, 'updates.write');
  const actor: Actor = ctx.actor!;
  const f = await computeFigures(db, actor, input.source, now);
  if (!f.figures.some((x) => x.value > 0)) {
    throw new AppError('unprocessable', 'draft_no_records', 'There is nothing to write about: no record a reader without need-to-know grants may see.', [
      { field: 'body.source', detail: 'No records' },
    ]);
  }
  let wording: DataDraft['wording'] = 'template';
  let aiProblem: string | null = null;
  const texts = Object.fromEntries(POST_LANGUAGES.map((l) => [l, templateText(l, f)])) as Record<Lang, { title: string; summary: string; body: string }>;
  if (ai) {
    try {
      const polished = await Promise.all(POST_LANGUAGES.map((l) => ai.polishPost({ language: l, ...texts[l] })));
      const changed = POST_LANGUAGES.filter((l, i) => !sameNumbers(texts[l], polished[i]!));
      if (changed.length) {
        wording = 'ai_rejected';
        aiProblem = `figures_changed: ${changed.join(', ')}`;
      } else {
        POST_LANGUAGES.forEach((l, i) => (texts[l] = polished[i]!));
        wording = 'ai';
      }
    } catch (err) {
      if (!(err instanceof AiUnavailableError)) throw err;
      wording = 'ai_rejected';
      aiProblem = err.reason;
    }
  }
  const base = slugBase(input.source);
  const versions = Object.fromEntries(
    POST_LANGUAGES.map((l) => [l, { slug: l === 'en' ? base : `${base}-${l}`, title: texts[l].title.slice(0, 200), summary: texts[l].summary.slice(0, 1000), body: texts[l].body.slice(0, 50_000) } satisfies VersionInput]),
  );
  const dataDraft: DataDraft = { source: f.source, timeZone: actor.timeZone || 'UTC', computedAt: now.toISOString(), figures: f.figures, wording, aiProblem };
  const id = await db.transaction(async (tx) => {
    const created = await createPost(tx, ctx, { visibility: input.visibility, versions });
    await tx.update(post).set({ dataDraft }).where(eq(post.id, created.id));
    await recordAudit(tx, ctx, {
      action: 'post.draft_from_data',
      entityType: 'post',
      entityId: created.id,
      detail: { source: input.source.kind, wording, figures: Object.fromEntries(f.figures.filter((x) => x.about === null).map((x) => [x.key, x.value])) },
    });
    return created.id;
  });
  return getPost(db, ctx, id);
}
