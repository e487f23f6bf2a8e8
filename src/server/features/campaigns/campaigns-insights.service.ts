import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { AppError, isUuid } from '../../core/errors.ts';
import { auditRestrictedReads, meetingRowVisible, meetingVisible } from '../../access/need-to-know.ts';
import type { Actor } from '../../access/roles.ts';
import { campaignReader, guardedCellsByMonth, targetRowVisible } from '../../access/campaigns.ts';
import { todayIn } from '../meetings/follow-ups.service.ts';
import { STANCE_VALUES } from './campaigns.schema.ts';
import type { Coverage, MovementChart } from './campaigns.contract.ts';
import { asksOf, loadVisibleCampaign, targetsOf, type AuditedRead } from './campaigns.service.ts';

// Coverage (who we met, who we have not met in N days, open follow-ups per target) and the movement chart (targets
// per stance per month), both under need-to-know (docs/campaigns.md): a meeting the reader may not see meets nobody,
// a stance the reader may not see moves nothing, and neither is counted.

const DAY = 86_400_000;
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

/** The reader's own time zone, or UTC when it is not one Intl knows (it is only used to tell days apart). */
function zoneOf(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

/**
 * The meetings (the reader may see, already held) that met a target: its organisation or person was there, or the
 * meeting was tagged with the campaign and this target. `t` is the campaign_target alias of the caller.
 */
export function visibleMeetingsOf(actor: Actor, campaignId: string): SQL {
  return sql`(SELECT m.id, m.starts_at, t.id AS target_id FROM campaign_target t JOIN meeting m ON m.starts_at <= now()
      AND ${meetingRowVisible(actor, sql`m.restricted`, sql`m.id`)}
      AND ((t.organisation_id IS NOT NULL AND EXISTS (SELECT 1 FROM meeting_organisation mo WHERE mo.meeting_id = m.id AND mo.organisation_id = t.organisation_id))
        OR (t.person_id IS NOT NULL AND EXISTS (SELECT 1 FROM meeting_person mp WHERE mp.meeting_id = m.id AND mp.person_id = t.person_id))
        OR EXISTS (SELECT 1 FROM campaign_meeting_target cmt WHERE cmt.campaign_id = t.campaign_id AND cmt.meeting_id = m.id AND cmt.target_id = t.id))
    WHERE t.campaign_id = ${campaignId} AND ${targetRowVisible(actor, sql`t.person_id`)})`;
}

type FollowUpRow = { target_id: string; id: string; title: string; due_date: string | null; owner_id: string; owner_name: string | null; meeting_id: string | null };

/** Open follow-ups about each target (or one): of its organisation, or of a meeting (the reader sees) that met the target. */
export async function openFollowUps(db: Db, actor: Actor, campaignId: string, targetId?: string): Promise<FollowUpRow[]> {
  return rows<FollowUpRow>(
    db,
    sql`SELECT DISTINCT ON (t.id, f.id) t.id AS target_id, f.id, f.title, f.due_date::text AS due_date, f.owner_id, u.name AS owner_name, f.meeting_id
      FROM campaign_target t JOIN follow_up f ON f.status = 'open'
        AND ((t.organisation_id IS NOT NULL AND f.organisation_id = t.organisation_id)
          OR f.meeting_id IN (SELECT vm.id FROM ${visibleMeetingsOf(actor, campaignId)} vm WHERE vm.target_id = t.id))
        AND (f.meeting_id IS NULL OR ${meetingVisible(actor, sql`f.meeting_id`)})
      LEFT JOIN "user" u ON u.id = f.owner_id
      WHERE t.campaign_id = ${campaignId} AND ${targetRowVisible(actor, sql`t.person_id`)} ${targetId ? sql`AND t.id = ${targetId}` : sql``}
      ORDER BY t.id, f.id`,
  );
}

/** Who we met, who not in `days` days, per group how many of its targets were met in the period, and open follow-ups. */
export async function getCoverage(db: Db, ctx: RequestContext, id: string, q: { days?: number; from?: string; to?: string }): Promise<Coverage> {
  const actor = campaignReader(ctx);
  const c = await loadVisibleCampaign(db, actor, id);
  const zone = zoneOf(actor.timeZone);
  const today = todayIn(zone);
  const days = q.days ?? 30;
  const from = q.from ?? `${today.slice(0, 7)}-01`;
  const to = q.to ?? today;
  if (to < from) throw new AppError('invalid', 'invalid_range', 'The period ends before it starts.', [{ field: 'query.to', detail: 'Before from' }]);
  const { targets, restrictedPeople } = await targetsOf(db, actor, c.id);
  const met = await rows<{ target_id: string; last_id: string | null; last_at: string | Date | null; in_period: boolean }>(
    db,
    sql`SELECT vm.target_id,
        (array_agg(vm.id ORDER BY vm.starts_at DESC, vm.id DESC))[1] AS last_id, max(vm.starts_at) AS last_at,
        bool_or((vm.starts_at AT TIME ZONE ${zone})::date BETWEEN ${from}::date AND ${to}::date) AS in_period
      FROM ${visibleMeetingsOf(actor, c.id)} vm GROUP BY vm.target_id`,
  );
  const followUps = await openFollowUps(db, actor, c.id);
  const byTarget = new Map(met.map((m) => [m.target_id, m]));
  const since = addDays(today, -days);
  const out: Coverage['targets'] = targets.map((t) => {
    const m = byTarget.get(t.id);
    const lastAt = m?.last_at ? new Date(m.last_at as string).toISOString() : null;
    const lastDay = lastAt ? todayIn(zone, new Date(lastAt)) : null;
    return {
      targetId: t.id,
      lastMetAt: lastAt,
      lastMeetingId: m?.last_id ?? null,
      metInPeriod: !!m?.in_period,
      notMetInDays: !lastDay || lastDay < since,
      openFollowUps: followUps
        .filter((f) => f.target_id === t.id)
        .sort((a, b) => (a.due_date ?? '9999').localeCompare(b.due_date ?? '9999'))
        .map((f) => ({ id: f.id, title: f.title, dueDate: f.due_date, ownerId: f.owner_id, ownerName: f.owner_name, meetingId: f.meeting_id })),
    };
  });
  const groups = new Map<string | null, { targets: number; met: number }>();
  for (const t of targets) {
    const g = groups.get(t.groupLabel) ?? { targets: 0, met: 0 };
    g.targets++;
    if (byTarget.get(t.id)?.in_period) g.met++;
    groups.set(t.groupLabel, g);
  }
  await auditRestrictedReads(db, ctx, [
    ...(c.restricted ? [{ entityType: 'campaign', entityId: c.id }] : []),
    ...restrictedPeople.map((p) => ({ entityType: 'person', entityId: p })),
  ]);
  return { days, from, to, targets: out, groups: [...groups].map(([groupLabel, g]) => ({ groupLabel, ...g })) };
}

const MAX_MONTHS = 120;
const monthAfter = (m: string) => {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
};

/**
 * Targets per stance per month: at each month's end, each cell (target × ask, or target for one ask) counted under the
 * latest stance the reader may see held by then (unknown when none). Months run from the campaign's start (or its
 * first stance the reader sees) to this month, at most the last ten years.
 */
export async function getMovementChart(db: Db, ctx: RequestContext, id: string, askId?: string): Promise<MovementChart> {
  const actor = campaignReader(ctx);
  const c = await loadVisibleCampaign(db, actor, id);
  const { chart, audit } = await computeMovementChart(db, actor, c, askId);
  await auditRestrictedReads(db, ctx, [...(c.restricted ? [{ entityType: 'campaign', entityId: c.id }] : []), ...audit]);
  return chart;
}

/** The month the chart ends with for this reader (this month in their time zone): part of its answer's key. */
export const chartMonthOf = (actor: Actor) => todayIn(zoneOf(actor.timeZone)).slice(0, 7);

/** getMovementChart's answer without the audit: the chart and the restricted people it counts (campaigns-answers.ts). */
export async function computeMovementChart(
  db: Db,
  actor: Actor,
  c: { id: string; startsOn: string | null },
  askId?: string,
): Promise<{ chart: MovementChart; audit: AuditedRead[] }> {
  const asks = await asksOf(db, c.id);
  if (askId !== undefined && (!isUuid(askId) || !asks.some((a) => a.id === askId)))
    throw new AppError('unprocessable', 'unknown_reference', 'A referenced record does not exist.', [{ field: 'query.askId', detail: 'No such ask in this campaign' }]);
  const { targets, restrictedPeople } = await targetsOf(db, actor, c.id);
  const shownAsks = askId ? [askId] : asks.map((a) => a.id);
  // cells that are not guarded (every reader sees their whole history): from the read model's monthly summary, how many
  // cells came to stand where at each month's end minus how many left it (read_model.campaign_month)
  const summary = await rows<{ month: string; value: (typeof STANCE_VALUES)[number]; cells: number }>(
    db,
    sql`SELECT m.month, m.value, sum(m.cells)::integer AS cells FROM read_model.campaign_month m
      WHERE m.campaign_id = ${c.id} ${askId ? sql`AND m.ask_id = ${askId}` : sql``} GROUP BY m.month, m.value`,
  );
  // guarded cells: per cell and month, the latest stance the reader sees held in that month
  const monthly = await rows<{ target_id: string; ask_id: string; month: string; value: (typeof STANCE_VALUES)[number] }>(
    db,
    guardedCellsByMonth(actor, c.id, askId),
  );
  const thisMonth = chartMonthOf(actor);
  const first = [c.startsOn?.slice(0, 7), ...monthly.map((m) => m.month), ...summary.map((m) => m.month)].filter((m): m is string => !!m).sort()[0] ?? thisMonth;
  const months: string[] = [];
  for (let m = first < thisMonth ? first : thisMonth; m <= thisMonth; m = monthAfter(m)) months.push(m);
  const shown = months.slice(-MAX_MONTHS);
  // the changes by month, and each cell's stance before the first month shown
  const visibleTargets = new Set(targets.map((t) => t.id));
  const cellsShown = new Set(shownAsks);
  const changes = new Map<string, { cell: string; value: string }[]>();
  const current = new Map<string, string>();
  for (const r of monthly) {
    if (!visibleTargets.has(r.target_id) || !cellsShown.has(r.ask_id)) continue;
    const cell = `${r.target_id}:${r.ask_id}`;
    if (r.month < shown[0]!) current.set(cell, r.value);
    else if (r.month <= thisMonth) (changes.get(r.month) ?? changes.set(r.month, []).get(r.month)!).push({ cell, value: r.value });
  }
  const clean = Object.fromEntries(STANCE_VALUES.map((v) => [v, 0])) as Record<(typeof STANCE_VALUES)[number], number>;
  const cleanChanges = new Map<string, typeof summary>();
  for (const r of summary) {
    if (r.month < shown[0]!) clean[r.value] += Number(r.cells);
    else if (r.month <= thisMonth) (cleanChanges.get(r.month) ?? cleanChanges.set(r.month, []).get(r.month)!).push(r);
  }
  const cellCount = targets.length * shownAsks.length;
  const out: MovementChart['months'] = shown.map((month) => {
    for (const ch of changes.get(month) ?? []) current.set(ch.cell, ch.value);
    for (const ch of cleanChanges.get(month) ?? []) clean[ch.value] += Number(ch.cells);
    const counts = Object.fromEntries(STANCE_VALUES.map((v) => [v, clean[v]])) as MovementChart['months'][number]['counts'];
    for (const v of current.values()) counts[v as keyof typeof counts]++;
    counts.unknown += cellCount - current.size - STANCE_VALUES.reduce((n, v) => n + clean[v], 0);
    return { month, counts };
  });
  return { chart: { askId: askId ?? null, months: out }, audit: restrictedPeople.map((p) => ({ entityType: 'person', entityId: p })) };
}
