import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { UuidSchema } from '../network/common.contract.ts';
import { notFound } from '../../core/errors.ts';
import { auditRestrictedReads, meetingRowVisible, meetingVisible, personIdentityVisible, personVisible, reader, sharedItemVisible } from '../../access/need-to-know.ts';
import { iso, organisationNames, type OrganisationNameRef } from './rows.ts';

// One timeline per organisation and per person: meetings, what was shared, follow-ups, links, affiliations
// and status changes, newest first. Each source is queried under its own visibility rule and the lists
// are merged here. An entry's `at`: a meeting's start for the meeting and what was shared or agreed in it;
// a follow-up without a meeting, its creation; a day without time (a status's since, a link's or an
// affiliation's start) 00:00 UTC; a link or affiliation without a start, when it was recorded.

export type TimelineItem = {
  type: 'meeting' | 'shared_item' | 'follow_up' | 'link' | 'affiliation' | 'status';
  at: string;
  id: string;
  title: string;
  kind: string | null;
  status: string | null;
  meetingId: string | null;
  meetingTitle: string | null;
  organisationId: string | null;
  organisationName: string | null;
  organisationNames: OrganisationNameRef[] | null;
  personId: string | null;
  personName: string | null;
  role: string | null;
  city: string | null;
  topicId: string | null;
  dueDate: string | null;
  startDate: string | null;
  endDate: string | null;
  note: string | null;
  restricted: boolean;
};

export type TimelineInput = { limit: number; before?: string };

const EMPTY: Omit<TimelineItem, 'type' | 'at' | 'id' | 'title'> = {
  kind: null,
  status: null,
  meetingId: null,
  meetingTitle: null,
  organisationId: null,
  organisationName: null,
  organisationNames: null,
  personId: null,
  personName: null,
  role: null,
  city: null,
  topicId: null,
  dueDate: null,
  startDate: null,
  endDate: null,
  note: null,
  restricted: false,
};

/** An entry's time as ISO text; days become midnight UTC. */
const dayAt = (day: SQL) => iso(sql`(${day})::timestamp AT TIME ZONE 'UTC'`);

/** Each entry's organisation with its recorded names, so the page can name it in the reader's script. */
async function withOrganisationNames(db: Db, page: TimelineItem[]): Promise<TimelineItem[]> {
  const display = new Map<string, string>();
  for (const i of page) if (i.organisationId && i.organisationName) display.set(i.organisationId, i.organisationName);
  const names = await organisationNames(db, display);
  return page.map((i) => (i.organisationId ? { ...i, organisationNames: names.get(i.organisationId) ?? null } : i));
}

function finish(items: TimelineItem[], input: TimelineInput): TimelineItem[] {
  const before = input.before ? Date.parse(input.before) : Infinity;
  return items
    .filter((i) => Date.parse(i.at) < before)
    .sort((a, b) => b.at.localeCompare(a.at) || a.type.localeCompare(b.type) || a.id.localeCompare(b.id))
    .slice(0, input.limit);
}

async function auditShown(db: Db, ctx: RequestContext, items: TimelineItem[]) {
  await auditRestrictedReads(
    db,
    ctx,
    items.flatMap((i) => {
      const out: { entityType: string; entityId: string }[] = [];
      if (i.restricted) out.push({ entityType: i.type, entityId: i.id });
      return out;
    }),
  );
}

type Row = Record<string, unknown> & { at: string; id: string };

/** The newest `limit` rows of one source before `before`; `at` is uniform ISO text, so it sorts as text. */
function latest(db: Db, input: TimelineInput, query: SQL): Promise<Row[]> {
  const before = input.before ? sql`t.at < ${new Date(input.before).toISOString()}` : sql`true`;
  return rows<Row>(db, sql`SELECT * FROM (${query}) t WHERE ${before} ORDER BY t.at DESC LIMIT ${input.limit}`);
}
const s = (v: unknown) => (v === null || v === undefined ? null : String(v));

export async function organisationTimeline(db: Db, ctx: RequestContext, id: string, input: TimelineInput): Promise<{ items: TimelineItem[] }> {
  const actor = reader(ctx);
  if (!UuidSchema.safeParse(id).success) throw notFound('organisation');
  const [org] = await rows<{ id: string }>(db, sql`SELECT id FROM organisation WHERE id = ${id}`);
  if (!org) throw notFound('organisation');

  const meetings = await latest(
    db,
    input,
    sql`SELECT m.id, ${iso(sql`m.starts_at`)} AS at, m.title, m.kind, m.city, m.restricted, mo.role
      FROM meeting_organisation mo JOIN meeting m ON m.id = mo.meeting_id
      WHERE mo.organisation_id = ${id} AND ${meetingRowVisible(actor, sql`m.restricted`, sql`m.id`)}`,
  );
  const shared = await latest(
    db,
    input,
    sql`SELECT s.id, ${iso(sql`m.starts_at`)} AS at, s.body, s.kind, s.status, s.topic_id, s.restricted, m.id AS meeting_id, m.title AS meeting_title
      FROM shared_item s JOIN meeting m ON m.id = s.meeting_id
      WHERE s.organisation_id = ${id} AND ${sharedItemVisible(actor, sql`s.id`)}`,
  );
  const followUps = await latest(
    db,
    input,
    sql`SELECT f.id, ${iso(sql`coalesce(m.starts_at, f.created_at)`)} AS at, f.title, f.status, f.due_date::text AS due_date, m.id AS meeting_id, m.title AS meeting_title
      FROM follow_up f LEFT JOIN meeting m ON m.id = f.meeting_id
      WHERE f.organisation_id = ${id} AND (f.meeting_id IS NULL OR ${meetingVisible(actor, sql`f.meeting_id`)})`,
  );
  const links = await latest(
    db,
    input,
    sql`SELECT l.id, ${iso(sql`coalesce((l.start_date)::timestamp AT TIME ZONE 'UTC', l.created_at)`)} AS at, l.kind,
        CASE WHEN l.from_id = ${id} THEN 'outgoing' ELSE 'incoming' END AS role,
        o.id AS other_id, o.name AS other_name, l.start_date::text AS start_date, l.end_date::text AS end_date, l.note
      FROM organisation_link l JOIN organisation o ON o.id = CASE WHEN l.from_id = ${id} THEN l.to_id ELSE l.from_id END
      WHERE l.from_id = ${id} OR l.to_id = ${id}`,
  );
  // affiliations are part of a person's identity: shown only for people whose identity the actor may see
  const affiliations = await latest(
    db,
    input,
    sql`SELECT a.id, ${iso(sql`coalesce((a.start_date)::timestamp AT TIME ZONE 'UTC', p.created_at)`)} AS at, a.title, p.id AS person_id, p.display_name,
        p.restricted, a.start_date::text AS start_date, a.end_date::text AS end_date
      FROM affiliation a JOIN person p ON p.id = a.person_id
      WHERE a.organisation_id = ${id} AND ${personVisible(actor, sql`p.id`)} AND ${personIdentityVisible(actor, sql`p.id`)}`,
  );
  const statuses = await latest(
    db,
    input,
    sql`SELECT c.id, ${dayAt(sql`c.since`)} AS at, c.status, c.note, c.since::text AS since
      FROM organisation_status_change c WHERE c.organisation_id = ${id}`,
  );

  const items: TimelineItem[] = [
    ...meetings.map((r) => ({ ...EMPTY, type: 'meeting' as const, at: r.at, id: r.id, title: String(r.title), kind: s(r.kind), city: s(r.city), role: s(r.role), restricted: !!r.restricted })),
    ...shared.map((r) => ({
      ...EMPTY,
      type: 'shared_item' as const,
      at: r.at,
      id: r.id,
      title: String(r.body),
      kind: s(r.kind),
      status: s(r.status),
      topicId: s(r.topic_id),
      meetingId: s(r.meeting_id),
      meetingTitle: s(r.meeting_title),
      restricted: !!r.restricted,
    })),
    ...followUps.map((r) => ({ ...EMPTY, type: 'follow_up' as const, at: r.at, id: r.id, title: String(r.title), status: s(r.status), dueDate: s(r.due_date), meetingId: s(r.meeting_id), meetingTitle: s(r.meeting_title) })),
    ...links.map((r) => ({
      ...EMPTY,
      type: 'link' as const,
      at: r.at,
      id: r.id,
      title: `${r.kind} ${r.other_name}`,
      kind: s(r.kind),
      role: s(r.role),
      organisationId: s(r.other_id),
      organisationName: s(r.other_name),
      startDate: s(r.start_date),
      endDate: s(r.end_date),
      note: s(r.note),
    })),
    ...affiliations.map((r) => ({
      ...EMPTY,
      type: 'affiliation' as const,
      at: r.at,
      id: r.id,
      title: String(r.title ?? r.display_name),
      personId: s(r.person_id),
      personName: s(r.display_name),
      startDate: s(r.start_date),
      endDate: s(r.end_date),
      restricted: false,
    })),
    ...statuses.map((r) => ({ ...EMPTY, type: 'status' as const, at: r.at, id: r.id, title: String(r.status), kind: s(r.status), status: s(r.status), startDate: s(r.since), note: s(r.note) })),
  ];
  const page = await withOrganisationNames(db, finish(items, input));
  await auditShown(db, ctx, page);
  // a restricted person named on the page is a read of that person
  await auditRestrictedReads(
    db,
    ctx,
    page.filter((i) => i.type === 'affiliation' && affiliations.find((a) => a.id === i.id)?.restricted).map((i) => ({ entityType: 'person', entityId: i.personId! })),
  );
  return { items: page };
}

export async function personTimeline(db: Db, ctx: RequestContext, id: string, input: TimelineInput): Promise<{ items: TimelineItem[] }> {
  const actor = reader(ctx);
  if (!UuidSchema.safeParse(id).success) throw notFound('person');
  const [p] = await rows<{ id: string; restricted: boolean; identity: boolean }>(
    db,
    sql`SELECT p.id, p.restricted, ${personIdentityVisible(actor, sql`p.id`)} AS identity FROM person p WHERE p.id = ${id} AND ${personVisible(actor, sql`p.id`)}`,
  );
  if (!p) throw notFound('person');

  const meetings = await latest(
    db,
    input,
    sql`SELECT m.id, ${iso(sql`m.starts_at`)} AS at, m.title, m.kind, m.city, m.restricted, mp.role, o.id AS org_id, o.name AS org_name
      FROM meeting_person mp JOIN meeting m ON m.id = mp.meeting_id LEFT JOIN organisation o ON o.id = mp.organisation_id
      WHERE mp.person_id = ${id} AND ${meetingRowVisible(actor, sql`m.restricted`, sql`m.id`)}`,
  );
  // what they shared: items their organisation raised in the meetings they came to for it
  const shared = await latest(
    db,
    input,
    sql`SELECT s.id, ${iso(sql`m.starts_at`)} AS at, s.body, s.kind, s.status, s.topic_id, s.restricted, m.id AS meeting_id, m.title AS meeting_title,
        o.id AS org_id, o.name AS org_name
      FROM meeting_person mp JOIN meeting m ON m.id = mp.meeting_id
        JOIN shared_item s ON s.meeting_id = mp.meeting_id AND s.organisation_id = mp.organisation_id
        JOIN organisation o ON o.id = s.organisation_id
      WHERE mp.person_id = ${id} AND ${sharedItemVisible(actor, sql`s.id`)}`,
  );
  const followUps = await latest(
    db,
    input,
    sql`SELECT f.id, ${iso(sql`coalesce(m.starts_at, f.created_at)`)} AS at, f.title, f.status, f.due_date::text AS due_date, m.id AS meeting_id, m.title AS meeting_title,
        o.id AS org_id, o.name AS org_name
      FROM meeting_person mp JOIN meeting m ON m.id = mp.meeting_id JOIN follow_up f ON f.meeting_id = m.id
        LEFT JOIN organisation o ON o.id = f.organisation_id
      WHERE mp.person_id = ${id} AND ${meetingRowVisible(actor, sql`m.restricted`, sql`m.id`)}
        AND (mp.organisation_id IS NULL OR f.organisation_id IS NULL OR f.organisation_id = mp.organisation_id)`,
  );
  const affiliations = p.identity
    ? await latest(
        db,
        input,
        sql`SELECT a.id, ${iso(sql`coalesce((a.start_date)::timestamp AT TIME ZONE 'UTC', pp.created_at)`)} AS at, a.title, o.id AS org_id, o.name AS org_name,
            a.start_date::text AS start_date, a.end_date::text AS end_date
          FROM affiliation a JOIN organisation o ON o.id = a.organisation_id JOIN person pp ON pp.id = a.person_id
          WHERE a.person_id = ${id}`,
      )
    : [];

  const items: TimelineItem[] = [
    ...meetings.map((r) => ({
      ...EMPTY,
      type: 'meeting' as const,
      at: r.at,
      id: r.id,
      title: String(r.title),
      kind: s(r.kind),
      city: s(r.city),
      role: s(r.role),
      organisationId: s(r.org_id),
      organisationName: s(r.org_name),
      restricted: !!r.restricted,
    })),
    ...shared.map((r) => ({
      ...EMPTY,
      type: 'shared_item' as const,
      at: r.at,
      id: r.id,
      title: String(r.body),
      kind: s(r.kind),
      status: s(r.status),
      topicId: s(r.topic_id),
      meetingId: s(r.meeting_id),
      meetingTitle: s(r.meeting_title),
      organisationId: s(r.org_id),
      organisationName: s(r.org_name),
      restricted: !!r.restricted,
    })),
    ...followUps.map((r) => ({
      ...EMPTY,
      type: 'follow_up' as const,
      at: r.at,
      id: r.id,
      title: String(r.title),
      status: s(r.status),
      dueDate: s(r.due_date),
      meetingId: s(r.meeting_id),
      meetingTitle: s(r.meeting_title),
      organisationId: s(r.org_id),
      organisationName: s(r.org_name),
    })),
    ...affiliations.map((r) => ({
      ...EMPTY,
      type: 'affiliation' as const,
      at: r.at,
      id: r.id,
      title: String(r.title ?? r.org_name),
      organisationId: s(r.org_id),
      organisationName: s(r.org_name),
      startDate: s(r.start_date),
      endDate: s(r.end_date),
    })),
  ];
  const page = await withOrganisationNames(db, finish(items, input));
  if (p.restricted) await auditRestrictedReads(db, ctx, [{ entityType: 'person', entityId: p.id }]);
  await auditShown(db, ctx, page);
  return { items: page };
}
