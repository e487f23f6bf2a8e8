import { inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { user } from '../accounts/accounts.schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { memberHealth, type MemberHealthInput } from '../insights/health.service.ts';
import { listFollowUps } from '../meetings/follow-ups.service.ts';
import type { FollowUpListQuery, MeetingListQuery } from '../meetings/meetings.contract.ts';
import { listMeetings } from '../meetings/meetings.service.ts';
import type { OrganisationListQuery } from '../network/organisations.contract.ts';
import { listOrganisations } from '../network/organisations.service.ts';
import { listPeople, type PersonListFilter } from '../network/people.service.ts';
import { reader } from '../../access/need-to-know.ts';
import { BOM, csvLine, type Cell } from './csv.ts';

// Every list as CSV. Each export pages through the list's own service function, so it has exactly the
// list's filters, need-to-know rules (a restricted record the caller may not see never appears) and
// read-audit of the restricted records it does show; the export itself is audited with its filter.

export type ExportList = 'organisations' | 'people' | 'meetings' | 'member-health' | 'follow-ups';

const PAGE = 200;

type Page<T> = { items: T[]; nextCursor: string | null };

async function* pages<T>(fetch: (cursor: string | undefined) => Promise<Page<T>>): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const page = await fetch(cursor);
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/** The wall-clock time of an instant in a zone: 2024-07-09 11:30 */
function localTime(instant: string, timeZone: string): string {
  try {
    const parts = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(new Date(instant));
    const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
    return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
  } catch {
    return instant;
  }
}

function scriptNames(names: { name: string; script: string }[], script: string, skip: string): string {
  return names.find((n) => n.script === script && n.name !== skip)?.name ?? '';
}

async function userEmails(db: Db, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  if (!wanted.length) return new Map();
  const rows = await db.select({ id: user.id, email: user.email }).from(user).where(inArray(user.id, wanted));
  return new Map(rows.map((r) => [r.id, r.email]));
}

/** The CSV text of a list, header first. Rows are collected in memory: lists here are thousands, not millions. */
export async function exportCsv(db: Db, ctx: RequestContext, list: ExportList, filter: Record<string, unknown>, bom: boolean): Promise<{ body: string; rows: number }> {
  reader(ctx);
  const lines: string[] = [];
  let rows = 0;
  const push = (cells: Cell[]) => {
    lines.push(csvLine(cells));
    rows++;
  };

  if (list === 'organisations') {
    lines.push(
      csvLine(['name', 'name_he', 'name_ar', 'name_en', 'other_names', 'kind', 'status', 'country', 'area', 'city', 'website', 'languages', 'description', 'tags', 'owner_email', 'id', 'created_at', 'updated_at']),
    );
    const items = [];
    for await (const o of pages((cursor) => listOrganisations(db, ctx, { ...(filter as OrganisationListQuery), limit: PAGE, cursor }))) items.push(o);
    const owners = await userEmails(db, items.map((o) => o.ownerId));
    for (const o of items) {
      const he = scriptNames(o.names, 'hebrew', o.name);
      const ar = scriptNames(o.names, 'arabic', o.name);
      const en = scriptNames(o.names, 'latin', o.name);
      const others = o.names.map((n) => n.name).filter((n) => ![o.name, he, ar, en].includes(n));
      push([o.name, he, ar, en, others, o.kind, o.status, o.country, o.area, o.city, o.website, o.languages, o.description, o.tags, o.ownerId ? owners.get(o.ownerId) : '', o.id, o.createdAt, o.updatedAt]);
    }
  } else if (list === 'people') {
    lines.push(
      csvLine(['name', 'name_he', 'name_ar', 'transliterations', 'email', 'phone', 'preferred_language', 'organisation', 'title', 'tags', 'notes', 'pseudonym', 'restricted', 'identity_restricted', 'id', 'created_at', 'updated_at']),
    );
    for await (const p of pages((cursor) => listPeople(db, ctx, { ...(filter as Omit<PersonListFilter, 'limit'>), limit: PAGE, cursor }))) {
      const other = p.names.filter((n) => n.name !== p.displayName);
      const current = p.affiliations.filter((a) => a.current);
      push([
        p.displayName,
        other.find((n) => n.script === 'hebrew' && n.kind !== 'transliteration')?.name ?? '',
        other.find((n) => n.script === 'arabic' && n.kind !== 'transliteration')?.name ?? '',
        other.filter((n) => n.kind === 'transliteration').map((n) => n.name),
        p.contacts.filter((c) => c.kind === 'email').map((c) => c.value),
        p.contacts.filter((c) => c.kind === 'phone').map((c) => c.value),
        p.preferredLanguage,
        current.map((a) => a.organisationName),
        current.map((a) => a.title ?? ''),
        p.tags,
        p.notes,
        p.pseudonym,
        p.restricted,
        p.identityRestricted,
        p.id,
        p.createdAt,
        p.updatedAt,
      ]);
    }
  } else if (list === 'meetings') {
    lines.push(
      csvLine(['starts_at_local', 'title', 'kind', 'city', 'venue', 'online', 'organisations', 'staff', 'topics', 'shared_items', 'follow_ups', 'starts_at', 'ends_at', 'time_zone', 'restricted', 'id']),
    );
    for await (const m of pages((cursor) => listMeetings(db, ctx, { ...(filter as MeetingListQuery), limit: PAGE, cursor }))) {
      push([
        localTime(m.startsAt, m.timeZone),
        m.title,
        m.kind,
        m.city,
        m.venue,
        m.online,
        m.organisations.map((o) => o.name),
        m.staff.map((s) => s.name),
        m.topics.map((t) => t.nameEn),
        m.sharedItemCount,
        m.followUpCount,
        m.startsAt,
        m.endsAt,
        m.timeZone,
        m.restricted,
        m.id,
      ]);
    }
  } else if (list === 'member-health') {
    lines.push(
      csvLine(['name', 'days_since_last_meeting', 'last_meeting_at', 'meetings_last_90_days', 'open_concerns', 'open_follow_ups', 'status', 'country', 'area', 'city', 'tags', 'owner', 'id']),
    );
    for await (const h of pages((cursor) => memberHealth(db, ctx, { ...(filter as MemberHealthInput), limit: 500, cursor }))) {
      push([h.name, h.daysSinceLastMeeting, h.lastMeetingAt, h.meetingsLast90Days, h.openConcerns, h.openFollowUps, h.status, h.country, h.area, h.city, h.tags, h.ownerName, h.id]);
    }
  } else {
    lines.push(csvLine(['title', 'owner', 'due_date', 'status', 'overdue', 'organisation', 'meeting', 'completed_at', 'created_at', 'id', 'meeting_id', 'organisation_id']));
    for await (const f of pages((cursor) => listFollowUps(db, ctx, { ...(filter as FollowUpListQuery), limit: PAGE, cursor }))) {
      push([f.title, f.ownerName, f.dueDate, f.status, f.overdue, f.organisationName, f.meetingTitle, f.completedAt, f.createdAt, f.id, f.meetingId, f.organisationId]);
    }
  }

  await recordAudit(db, ctx, { action: 'export', entityType: list, detail: { list, filter, rows, bom } });
  return { body: (bom ? BOM : '') + lines.join(''), rows };
}
