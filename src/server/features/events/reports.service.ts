import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rows } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { isUuid, notFound } from '../../core/errors.ts';
import { authorize, can } from '../../access/roles.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { BOM, csvLine } from '../imports/csv.ts';
import { organisation } from '../network/network.schema.ts';
import type { CohostRegistrant, CohostView, EventReport, ReportFigures } from './reports.contract.ts';
import { event, eventCohost, ticketType } from './events.schema.ts';

// Reports (item 14): registrations over time by co-host and by ticket type, attendance (from the door's admitted
// scans), no-shows and waitlist conversions, for the whole event (staff) or one co-host (its own registrations only).
// Figures never name anyone. A co-host's registrants are listed only in "contacts" mode and only those who consented
// share_with_cohost; erased registrations are never listed (their counts stay).

export type EventRow = typeof event.$inferSelect;

export async function loadEventById(db: Db, id: string): Promise<EventRow> {
  if (!isUuid(id)) throw notFound('event');
  const [e] = await db.select().from(event).where(eq(event.id, id));
  if (!e) throw notFound('event');
  return e;
}

export async function loadCohost(db: Db, eventId: string, organisationId: string) {
  if (!isUuid(organisationId)) throw notFound('cohost');
  const [c] = await db
    .select({ organisationId: eventCohost.organisationId, organisationName: organisation.name, role: eventCohost.role, sharingMode: eventCohost.sharingMode })
    .from(eventCohost)
    .innerJoin(organisation, eq(organisation.id, eventCohost.organisationId))
    .where(and(eq(eventCohost.eventId, eventId), eq(eventCohost.organisationId, organisationId)));
  if (!c) throw notFound('cohost');
  return c;
}

/** the ticket type a registration is about: its first ticket's, else its first waitlist place's */
const typeOf = sql.raw(`COALESCE(
  (SELECT tk.ticket_type_id FROM ticket tk WHERE tk.registration_id = r.id ORDER BY tk.created_at, tk.id LIMIT 1),
  (SELECT w.ticket_type_id FROM waitlist_entry w WHERE w.registration_id = r.id ORDER BY w.created_at, w.id LIMIT 1))`);

type Key = { org: string | null; type: string | null };
type Acc = { registrations: number; tickets: number; cancelled: number; attended: number; joined: number; waiting: number; accepted: number; expired: number; left: number };
const emptyAcc = (): Acc => ({ registrations: 0, tickets: 0, cancelled: 0, attended: 0, joined: 0, waiting: 0, accepted: 0, expired: 0, left: 0 });

function figures(a: Acc, started: boolean): ReportFigures {
  return {
    registrations: a.registrations,
    tickets: a.tickets,
    cancelled: a.cancelled,
    attended: a.attended,
    noShows: started ? a.tickets - a.attended : null,
    attendanceRate: started && a.tickets > 0 ? a.attended / a.tickets : null,
    waitlistJoined: a.joined,
    waitlistWaiting: a.waiting,
    waitlistAccepted: a.accepted,
    waitlistExpired: a.expired,
    waitlistLeft: a.left,
    waitlistConversion: a.joined > 0 ? a.accepted / a.joined : null,
  };
}

/**
 * The report of an event: every registration (organisationId null) or those one co-host's links brought. Three
 * grouped queries (registrations by day, tickets, waitlist places), summed here by co-host and ticket type.
 */
export async function buildReport(db: Db, e: EventRow, organisationId: string | null, now = new Date()): Promise<EventReport> {
  const scope = organisationId ? sql`r.event_id = ${e.id} AND r.referrer_organisation_id = ${organisationId}` : sql`r.event_id = ${e.id}`;
  const regs = await rows<{ org: string | null; type: string | null; day: string; n: number }>(
    db,
    sql`SELECT x.org, x.type, x.day, count(*)::int AS n FROM (
          SELECT r.referrer_organisation_id AS org, ${typeOf} AS type, to_char(r.created_at AT TIME ZONE ${e.timeZone}, 'YYYY-MM-DD') AS day
          FROM registration r WHERE ${scope}) x
        GROUP BY x.org, x.type, x.day ORDER BY x.day`,
  );
  const tickets = await rows<{ org: string | null; type: string; status: string; attended: boolean; n: number }>(
    db,
    sql`SELECT r.referrer_organisation_id AS org, tk.ticket_type_id AS type, tk.status,
          EXISTS (SELECT 1 FROM checkin_scan s WHERE s.ticket_id = tk.id AND s.result = 'admitted') AS attended, count(*)::int AS n
        FROM ticket tk JOIN registration r ON r.id = tk.registration_id
        WHERE ${scope} GROUP BY 1, 2, 3, 4`,
  );
  const waits = await rows<{ org: string | null; type: string; status: string; n: number }>(
    db,
    sql`SELECT r.referrer_organisation_id AS org, w.ticket_type_id AS type, w.status, count(*)::int AS n
        FROM waitlist_entry w JOIN registration r ON r.id = w.registration_id
        WHERE ${scope} GROUP BY 1, 2, 3`,
  );

  const total = emptyAcc();
  const byType = new Map<string | null, Acc>();
  const byOrg = new Map<string | null, Acc>();
  const add = (k: Key, f: (a: Acc) => void) => {
    f(total);
    for (const [m, key] of [[byType, k.type], [byOrg, k.org]] as const) {
      if (!m.has(key)) m.set(key, emptyAcc());
      f(m.get(key)!);
    }
  };
  const overTime = new Map<string, number>();
  for (const r of regs) {
    const n = Number(r.n);
    add(r, (a) => (a.registrations += n));
    const k = JSON.stringify([r.day, r.org, r.type]);
    overTime.set(k, (overTime.get(k) ?? 0) + n);
  }
  for (const t of tickets) {
    const n = Number(t.n);
    add(t, (a) => {
      if (t.status === 'valid') {
        a.tickets += n;
        if (t.attended) a.attended += n;
      } else a.cancelled += n;
    });
  }
  for (const w of waits) {
    const n = Number(w.n);
    add(w, (a) => {
      a.joined += n;
      if (w.status === 'waiting' || w.status === 'offered') a.waiting += n;
      else if (w.status === 'accepted') a.accepted += n;
      else if (w.status === 'expired') a.expired += n;
      else a.left += n;
    });
  }

  const started = now >= e.startsAt;
  const types = await db.select({ id: ticketType.id, name: ticketType.name }).from(ticketType).where(eq(ticketType.eventId, e.id)).orderBy(ticketType.position, ticketType.createdAt);
  const orgIds = [...byOrg.keys()].filter((k): k is string => k !== null);
  const names = new Map<string, string>();
  if (organisationId) {
    const [o] = await db.select({ id: organisation.id, name: organisation.name }).from(organisation).where(eq(organisation.id, organisationId));
    if (o) names.set(o.id, o.name);
  } else if (orgIds.length) {
    const found = await rows<{ id: string; name: string }>(db, sql`SELECT o.id, o.name FROM organisation o JOIN event_cohost c ON c.organisation_id = o.id WHERE c.event_id = ${e.id}`);
    for (const o of found) names.set(o.id, o.name);
    // a co-host removed since keeps its figures under its Network name
    for (const id of orgIds.filter((i) => !names.has(i))) {
      const [o] = await db.select({ name: organisation.name }).from(organisation).where(eq(organisation.id, id));
      if (o) names.set(id, o.name);
    }
  }
  return {
    eventId: e.id,
    timeZone: e.timeZone,
    started,
    totals: figures(total, started),
    byTicketType: types.map((t) => ({ ticketTypeId: t.id, name: t.name as Record<string, string>, ...figures(byType.get(t.id) ?? emptyAcc(), started) })),
    byCohost: [...byOrg.entries()]
      .map(([id, a]) => ({ organisationId: id, organisationName: id ? (names.get(id) ?? null) : null, ...figures(a, started) }))
      .sort((a, b) => (a.organisationId === null ? 1 : b.organisationId === null ? -1 : (a.organisationName ?? '').localeCompare(b.organisationName ?? ''))),
    overTime: [...overTime.entries()].map(([k, n]) => {
      const [day, org, type] = JSON.parse(k) as [string, string | null, string | null];
      return { day, organisationId: org, ticketTypeId: type, registrations: n };
    }),
  };
}

/** A co-host's registrants who consented to share with it (never erased ones), oldest first. Callers check the mode. */
export async function cohostRegistrants(db: Db, eventId: string, organisationId: string): Promise<CohostRegistrant[]> {
  const found = await rows<{ name: string; email: string; language: string; channel: string | null; type: string | null; tk: string | null; wl: string | null; created_at: string | Date }>(
    db,
    sql`SELECT r.name, r.email, r.language, l.channel, ${typeOf} AS type,
          (SELECT tk.status FROM ticket tk WHERE tk.registration_id = r.id ORDER BY (tk.status = 'valid') DESC, tk.created_at LIMIT 1) AS tk,
          (SELECT w.status FROM waitlist_entry w WHERE w.registration_id = r.id ORDER BY w.created_at DESC LIMIT 1) AS wl,
          r.created_at
        FROM registration r LEFT JOIN referral_link l ON l.id = r.referral_link_id
        WHERE r.event_id = ${eventId} AND r.referrer_organisation_id = ${organisationId} AND r.erased_at IS NULL
          AND r.consents ->> 'share_with_cohost' IS NOT NULL
        ORDER BY r.created_at, r.id`,
  );
  return found.map((r) => ({
    name: r.name,
    email: r.email,
    language: r.language,
    channel: r.channel,
    ticketTypeId: r.type,
    state: r.tk === 'valid' ? 'ticket' : r.wl && r.wl !== 'accepted' ? r.wl : r.tk === 'cancelled' ? 'cancelled' : (r.wl ?? 'none'),
    registeredAt: new Date(r.created_at).toISOString(),
  }));
}

/** What a co-host sees: its figures, and its consenting registrants when its mode is "contacts" and `contacts` allows. */
export async function cohostView(db: Db, e: EventRow, organisationId: string, contacts: boolean, now = new Date()): Promise<CohostView> {
  const c = await loadCohost(db, e.id, organisationId);
  const report = await buildReport(db, e, organisationId, now);
  const registrants = contacts && c.sharingMode === 'contacts' ? await cohostRegistrants(db, e.id, organisationId) : null;
  return { ...c, role: c.role as CohostView['role'], sharingMode: c.sharingMode as CohostView['sharingMode'], report, registrants };
}

// ---------- CSV ----------

const typeName = (names: Map<string, Record<string, string>>, id: string | null) => {
  const n = id ? names.get(id) : undefined;
  return n ? (n.en ?? n.he ?? n.ar ?? '') : '';
};

/** The report's figures as CSV: one line for the whole event, then one per ticket type and one per co-host. */
export function reportCsv(report: EventReport, bom: boolean): string {
  const cols = ['registrations', 'tickets', 'cancelled', 'attended', 'noShows', 'attendanceRate', 'waitlistJoined', 'waitlistWaiting', 'waitlistAccepted', 'waitlistExpired', 'waitlistLeft', 'waitlistConversion'] as const;
  const nums = (f: ReportFigures) => cols.map((k) => (f[k] === null ? '' : typeof f[k] === 'number' && !Number.isInteger(f[k]) ? (f[k] as number).toFixed(4) : f[k]));
  let out = (bom ? BOM : '') + csvLine(['scope', 'id', 'name', ...cols]);
  out += csvLine(['event', report.eventId, '', ...nums(report.totals)]);
  for (const t of report.byTicketType) out += csvLine(['ticket_type', t.ticketTypeId, t.name.en ?? t.name.he ?? t.name.ar ?? '', ...nums(t)]);
  for (const c of report.byCohost) out += csvLine(['cohost', c.organisationId ?? '', c.organisationName ?? '', ...nums(c)]);
  return out;
}

/** A co-host's consenting registrants as CSV. */
export async function cohostRegistrantsCsv(db: Db, eventId: string, organisationId: string, bom: boolean): Promise<string> {
  const names = new Map((await db.select({ id: ticketType.id, name: ticketType.name }).from(ticketType).where(eq(ticketType.eventId, eventId))).map((t) => [t.id, t.name as Record<string, string>]));
  let out = (bom ? BOM : '') + csvLine(['name', 'email', 'language', 'channel', 'ticket_type', 'state', 'registered_at']);
  for (const r of await cohostRegistrants(db, eventId, organisationId)) out += csvLine([r.name, r.email, r.language, r.channel, typeName(names, r.ticketTypeId), r.state, r.registeredAt]);
  return out;
}

/** Every registration of the event as CSV, for staff who may see contacts (erased ones as counts only: not listed). */
export async function registrationsCsv(db: Db, eventId: string, bom: boolean): Promise<string> {
  const names = new Map((await db.select({ id: ticketType.id, name: ticketType.name }).from(ticketType).where(eq(ticketType.eventId, eventId))).map((t) => [t.id, t.name as Record<string, string>]));
  const found = await rows<{ name: string; email: string; language: string; org: string | null; channel: string | null; type: string | null; tickets: number; cancelled: number; wl: string | null; admitted: string | Date | null; consents: Record<string, string>; created_at: string | Date }>(
    db,
    sql`SELECT r.name, r.email, r.language, o.name AS org, l.channel, ${typeOf} AS type,
          (SELECT count(*)::int FROM ticket tk WHERE tk.registration_id = r.id AND tk.status = 'valid') AS tickets,
          (SELECT count(*)::int FROM ticket tk WHERE tk.registration_id = r.id AND tk.status = 'cancelled') AS cancelled,
          (SELECT w.status FROM waitlist_entry w WHERE w.registration_id = r.id ORDER BY w.created_at DESC LIMIT 1) AS wl,
          (SELECT min(s.scanned_at) FROM checkin_scan s JOIN ticket tk ON tk.id = s.ticket_id WHERE tk.registration_id = r.id AND s.result = 'admitted') AS admitted,
          r.consents, r.created_at
        FROM registration r
        LEFT JOIN organisation o ON o.id = r.referrer_organisation_id
        LEFT JOIN referral_link l ON l.id = r.referral_link_id
        WHERE r.event_id = ${eventId} AND r.erased_at IS NULL
        ORDER BY r.created_at, r.id`,
  );
  let out = (bom ? BOM : '') + csvLine(['name', 'email', 'language', 'cohost', 'channel', 'ticket_type', 'tickets', 'cancelled', 'waitlist', 'admitted_at', 'consents', 'registered_at']);
  for (const r of found) {
    out += csvLine([
      r.name,
      r.email,
      r.language,
      r.org,
      r.channel,
      typeName(names, r.type),
      Number(r.tickets),
      Number(r.cancelled),
      r.wl,
      r.admitted ? new Date(r.admitted).toISOString() : null,
      Object.keys(r.consents ?? {}).sort(),
      new Date(r.created_at).toISOString(),
    ]);
  }
  return out;
}

// ---------- staff verbs ----------

export async function eventReport(db: Db, ctx: RequestContext, eventId: string): Promise<EventReport> {
  authorize(ctx.actor, 'events.read');
  return buildReport(db, await loadEventById(db, eventId), null);
}

/** The co-host's view as staff see it: figures for every reader, registrants only for those who may see contacts. */
export async function staffCohostView(db: Db, ctx: RequestContext, eventId: string, organisationId: string): Promise<CohostView> {
  authorize(ctx.actor, 'events.read');
  const e = await loadEventById(db, eventId);
  return cohostView(db, e, organisationId, can(ctx.actor, 'events.contacts'));
}

export async function staffReportCsv(db: Db, ctx: RequestContext, eventId: string, bom: boolean): Promise<{ slug: string; body: string }> {
  authorize(ctx.actor, 'events.read');
  const e = await loadEventById(db, eventId);
  return { slug: e.slug, body: reportCsv(await buildReport(db, e, null), bom) };
}

export async function staffRegistrationsCsv(db: Db, ctx: RequestContext, eventId: string, bom: boolean): Promise<{ slug: string; body: string }> {
  authorize(ctx.actor, 'events.contacts');
  const e = await loadEventById(db, eventId);
  const body = await registrationsCsv(db, e.id, bom);
  await recordAudit(db, ctx, { action: 'event.registrations.export', entityType: 'event', entityId: e.id, detail: { bom } });
  return { slug: e.slug, body };
}
