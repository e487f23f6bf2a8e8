import { createHash, randomBytes } from 'node:crypto';
import { and, asc, desc, eq, gte, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import type { Actor, Role } from '../../access/roles.ts';
import { user } from '../accounts/accounts.schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { calendarFeed, meeting, meetingOrganisation, meetingTopic, topic } from '../meetings/meetings.schema.ts';
import { organisation } from '../network/network.schema.ts';
import { isUuid, notFound } from '../../core/errors.ts';
import { auditRestrictedReads, meetingVisible, reader } from '../../access/need-to-know.ts';
import { type IcsEvent, renderCalendar } from './ics.ts';

// Private calendar feeds and .ics downloads. A feed URL is a bearer credential that calendar providers
// (Google, Apple, Outlook) fetch on their own, so what goes into it is the least that makes the calendar
// useful: the owner's own meetings, filtered by the owner's need-to-know every time it is fetched, no
// people or emails, restricted notes never, and for restricted meetings only the title, time and place.

/** How far back a feed reaches. */
const FEED_DAYS_BACK = 90;
const MAX_ACTIVE_FEEDS = 10;
const MAX_FEED_EVENTS = 5000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export type CalendarFeedDto = { id: string; createdAt: string };

export async function listMyFeeds(db: Db, ctx: RequestContext): Promise<CalendarFeedDto[]> {
  const actor = reader(ctx);
  const rows = await db
    .select({ id: calendarFeed.id, createdAt: calendarFeed.createdAt })
    .from(calendarFeed)
    .where(and(eq(calendarFeed.userId, actor.id), isNull(calendarFeed.revokedAt)))
    .orderBy(desc(calendarFeed.createdAt));
  return rows.map((r) => ({ id: r.id, createdAt: r.createdAt.toISOString() }));
}

/** A new private feed for the signed-in user; the URL (with its token) is returned this once. */
export async function createFeed(db: Db, ctx: RequestContext, opts: { publicUrl: string }): Promise<CalendarFeedDto & { url: string }> {
  const actor = reader(ctx);
  const token = randomBytes(32).toString('base64url');
  return db.transaction(async (tx) => {
    const [{ n }] = (await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(calendarFeed)
      .where(and(eq(calendarFeed.userId, actor.id), isNull(calendarFeed.revokedAt)))) as [{ n: number }];
    if (n >= MAX_ACTIVE_FEEDS) throw new AppError('conflict', 'too_many_feeds', `At most ${MAX_ACTIVE_FEEDS} active feeds: revoke one first.`);
    const [row] = await tx.insert(calendarFeed).values({ userId: actor.id, tokenHash: hashToken(token) }).returning();
    await recordAudit(tx, ctx, { action: 'calendar.feed_create', entityType: 'calendar_feed', entityId: row!.id });
    return { id: row!.id, createdAt: row!.createdAt.toISOString(), url: `${opts.publicUrl.replace(/\/+$/, '')}/api/calendar/feed/${token}.ics` };
  });
}

export async function revokeFeed(db: Db, ctx: RequestContext, id: string): Promise<void> {
  const actor = reader(ctx);
  if (!isUuid(id)) throw notFound('calendar_feed');
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(calendarFeed)
      .set({ revokedAt: new Date() })
      .where(and(eq(calendarFeed.id, id), eq(calendarFeed.userId, actor.id), isNull(calendarFeed.revokedAt)))
      .returning({ id: calendarFeed.id });
    if (!row) throw notFound('calendar_feed');
    await recordAudit(tx, ctx, { action: 'calendar.feed_revoke', entityType: 'calendar_feed', entityId: id });
  });
}

/** The feed's VCALENDAR, or 404 for an unknown or revoked token (or a disabled owner). */
export async function renderFeed(db: Db, ctx: RequestContext, file: string, opts: { publicUrl: string }): Promise<string> {
  const m = file.match(/^([A-Za-z0-9_-]{20,100})\.ics$/);
  if (!m) throw notFound('calendar_feed');
  const [feed] = await db
    .select({ id: calendarFeed.id, user })
    .from(calendarFeed)
    .innerJoin(user, eq(user.id, calendarFeed.userId))
    .where(and(eq(calendarFeed.tokenHash, hashToken(m[1]!)), isNull(calendarFeed.revokedAt)))
    .limit(1);
  if (!feed || feed.user.disabled) throw notFound('calendar_feed');
  const u = feed.user;
  // the owner's rights as they are now, not when the feed was made
  const owner: Actor = {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role as Role,
    locale: u.locale,
    timeZone: u.timeZone,
    twoFactorEnabled: u.twoFactorEnabled,
    sessionId: '',
    createdAt: u.createdAt.toISOString(),
  };
  const since = new Date(Date.now() - FEED_DAYS_BACK * 86_400_000);
  const rows = await db
    .select()
    .from(meeting)
    .where(
      and(
        gte(meeting.endsAt, since),
        sql`EXISTS (SELECT 1 FROM meeting_staff fs WHERE fs.meeting_id = ${meeting.id} AND fs.user_id = ${owner.id})`,
        meetingVisible(owner, meeting.id),
      ),
    )
    .orderBy(asc(meeting.startsAt))
    .limit(MAX_FEED_EVENTS);
  const events = await toEvents(db, rows, owner.locale, opts.publicUrl);
  const restricted = rows.filter((r) => r.restricted).map((r) => r.id);
  await recordAudit(db, ctx, {
    action: 'calendar.feed_read',
    entityType: 'calendar_feed',
    entityId: feed.id,
    actorId: owner.id,
    actorEmail: owner.email,
    detail: { events: events.length, ...(restricted.length ? { restrictedMeetingIds: restricted } : {}) },
  });
  return renderCalendar({ name: `Convene: ${u.name}`, host: hostOf(opts.publicUrl), events });
}

/** One meeting as an .ics file, for a reader who may see it. */
export async function renderMeetingIcs(db: Db, ctx: RequestContext, id: string, opts: { publicUrl: string }): Promise<{ ics: string; filename: string }> {
  const actor = reader(ctx);
  if (!isUuid(id)) throw notFound('meeting');
  const [row] = await db
    .select()
    .from(meeting)
    .where(and(eq(meeting.id, id), meetingVisible(actor, meeting.id)))
    .limit(1);
  if (!row) throw notFound('meeting');
  if (row.restricted) await auditRestrictedReads(db, ctx, [{ entityType: 'meeting', entityId: row.id }]);
  const events = await toEvents(db, [row], actor.locale, opts.publicUrl);
  return { ics: renderCalendar({ name: row.title, host: hostOf(opts.publicUrl), events }), filename: `meeting-${row.startsAt.toISOString().slice(0, 10)}-${row.id.slice(0, 8)}.ics` };
}

function hostOf(publicUrl: string): string {
  try {
    return new URL(publicUrl).host;
  } catch {
    return 'convene.invalid';
  }
}

const labels = {
  en: { online: 'Online', organisations: 'Organisations', topics: 'Topics', restricted: 'Restricted meeting: the details are in Convene only.', open: 'Open in Convene', kinds: { group: 'Group meeting', one_on_one: 'One-on-one', diplomatic: 'Diplomatic meeting', call: 'Call', site_visit: 'Site visit' } },
  he: { online: 'מקוון', organisations: 'ארגונים', topics: 'נושאים', restricted: 'פגישה מוגבלת: הפרטים נמצאים ב-Convene בלבד.', open: 'פתיחה ב-Convene', kinds: { group: 'פגישה קבוצתית', one_on_one: 'פגישה אישית', diplomatic: 'פגישה דיפלומטית', call: 'שיחה', site_visit: 'ביקור שטח' } },
  ar: { online: 'عبر الإنترنت', organisations: 'المؤسسات', topics: 'المواضيع', restricted: 'اجتماع مقيَّد: التفاصيل في Convene فقط.', open: 'افتح في Convene', kinds: { group: 'اجتماع جماعي', one_on_one: 'اجتماع ثنائي', diplomatic: 'اجتماع دبلوماسي', call: 'مكالمة', site_visit: 'زيارة ميدانية' } },
} as const;

type MeetingRow = typeof meeting.$inferSelect;

async function toEvents(db: Db, rows: MeetingRow[], locale: string, publicUrl: string): Promise<IcsEvent[]> {
  if (rows.length === 0) return [];
  const l = labels[(locale in labels ? locale : 'en') as keyof typeof labels];
  const ids = rows.map((r) => r.id);
  const orgs = new Map<string, string[]>();
  const topics = new Map<string, string[]>();
  // organisations carry no restriction of their own: whoever may see the meeting may see who took part
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    const o = await db
      .select({ meetingId: meetingOrganisation.meetingId, name: organisation.name })
      .from(meetingOrganisation)
      .innerJoin(organisation, eq(organisation.id, meetingOrganisation.organisationId))
      .where(inArray(meetingOrganisation.meetingId, chunk))
      .orderBy(asc(organisation.name));
    for (const r of o) orgs.set(r.meetingId, [...(orgs.get(r.meetingId) ?? []), r.name]);
    const t = await db
      .select({ meetingId: meetingTopic.meetingId, en: topic.nameEn, he: topic.nameHe, ar: topic.nameAr })
      .from(meetingTopic)
      .innerJoin(topic, eq(topic.id, meetingTopic.topicId))
      .where(inArray(meetingTopic.meetingId, chunk));
    for (const r of t) topics.set(r.meetingId, [...(topics.get(r.meetingId) ?? []), locale === 'he' ? r.he : locale === 'ar' ? r.ar : r.en]);
  }
  const base = publicUrl.replace(/\/+$/, '');
  const host = hostOf(publicUrl);
  return rows.map((r) => {
    const link = `${base}/network/meetings/${r.id}`;
    const kind = (l.kinds as Record<string, string>)[r.kind] ?? r.kind;
    let description: string;
    if (r.restricted) {
      description = `${kind}\n${l.restricted}\n\n${l.open}: ${link}`;
    } else {
      const parts = [kind];
      const o = orgs.get(r.id);
      if (o?.length) parts.push(`${l.organisations}: ${o.join(', ')}`);
      const t = topics.get(r.id);
      if (t?.length) parts.push(`${l.topics}: ${t.join(', ')}`);
      if (r.notes && !r.notesRestricted) parts.push('', r.notes);
      parts.push('', `${l.open}: ${link}`);
      description = parts.join('\n');
    }
    return {
      uid: `${r.id}@${host}`,
      start: r.startsAt,
      end: r.endsAt,
      timeZone: r.timeZone,
      summary: r.title,
      location: r.online ? l.online : [r.venue, r.city].filter(Boolean).join(', ') || null,
      description,
      url: link,
      klass: r.restricted ? 'CONFIDENTIAL' : 'PUBLIC',
      categories: r.restricted ? undefined : topics.get(r.id),
      lastModified: r.updatedAt,
    };
  });
}
