// Check-in at the door. Staff (events.manage) make a pairing for an event and a gate: a one-time code, shown as a
// QR code, whose SHA-256 alone is kept. A phone exchanges it (once, within PAIRING_MINUTES) for a device token,
// also kept only as its SHA-256, which grants nothing but check-in for that event, until revoked.
//
// Scans: every scan is recorded exactly once under its client-made nonce (unique); a retried upload finds its
// nonces and answers what was recorded, writing nothing. The first valid scan of a ticket admits it: the insert of
// an `admitted` row is guarded by the partial unique index (one admission per ticket), so two phones admitting the
// same ticket at the same instant give one admission and one `already_admitted` (or `conflict` when the losing scan
// was made offline by another phone: a ticket admitted twice at the door, listed for staff). Each scan is one
// statement of its own; scans are their own record (who, where, when), like votes, and are not repeated in the
// audit log: pairings and revocations are.
import { createHash, randomBytes, randomInt, type KeyObject } from 'node:crypto';
import { and, asc, count, desc, eq, gte, inArray, isNull, or, sql } from 'drizzle-orm';
import { rows as rawRows, type Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { AppError, isUuid, notFound } from '../../core/errors.ts';
import { authorize, can } from '../../access/roles.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { organisation } from '../network/network.schema.ts';
import { normalizeName } from '../network/names.ts';
import {
  PAIRING_MINUTES,
  type CheckinTotals,
  type CreateDeviceInput,
  type DeviceDto,
  type ResolveConflictInput,
  type ResolvedConflict,
  type ScanInput,
  type ScanResult,
  type ScanResultDto,
  type TicketList,
  type WhoAmI,
} from './checkin.contract.ts';
import { checkinDevice, checkinScan, event, eventSigningKey, registration, ticket, ticketType } from './events.schema.ts';
import { checkinConflictResolution } from './checkin-resolution.schema.ts';
import { user } from '../accounts/accounts.schema.ts';
import { publicKeyObject, readTicketCode, signTicketCode, verifyTicketCode } from './ticket-code.ts';
import { textArray } from '../../db/array-literal.ts';

type DeviceRow = typeof checkinDevice.$inferSelect;
type EventRow = typeof event.$inferSelect;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const iso = (d: Date | null) => (d ? d.toISOString() : null);

// ---------- pairing codes ----------

/** Crockford's base32: no I, L, O, U; what people mistype is read as what they meant. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 12 characters (60 bits), shown in groups of four: K7QM-3XPA-9D2F. */
function newPairingCode(): string {
  let s = '';
  for (let i = 0; i < 12; i++) s += ALPHABET[randomInt(32)];
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}`;
}

/** The code as typed or scanned, folded to its canonical form (case, dashes, spaces, O → 0, I/L → 1). */
export function canonicalPairingCode(input: string): string {
  return input
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

async function loadEvent(db: Db, id: string): Promise<EventRow> {
  if (!isUuid(id)) throw notFound('event');
  const [e] = await db.select().from(event).where(eq(event.id, id));
  if (!e) throw notFound('event');
  return e;
}

function deviceStatus(d: DeviceRow, now: Date): DeviceDto['status'] {
  if (d.revokedAt) return 'revoked';
  if (d.pairedAt) return 'paired';
  return d.pairingExpiresAt && d.pairingExpiresAt > now ? 'pending' : 'expired';
}

function deviceDto(d: DeviceRow, scans: number, now = new Date()): DeviceDto {
  return {
    id: d.id,
    gate: d.gate,
    label: d.label,
    status: deviceStatus(d, now),
    pairingExpiresAt: d.pairedAt || d.revokedAt ? null : iso(d.pairingExpiresAt),
    pairedAt: iso(d.pairedAt),
    lastSeenAt: iso(d.lastSeenAt),
    revokedAt: iso(d.revokedAt),
    createdAt: d.createdAt.toISOString(),
    scans,
  };
}

function gateOf(e: EventRow, gate: string, field: string): string {
  const g = e.gates.find((x) => x.toLowerCase() === gate.trim().toLowerCase());
  if (!g) throw new AppError('unprocessable', 'unknown_gate', 'This event has no such gate.', [{ field, detail: `One of: ${e.gates.join(', ') || '(the event has no gates)'}` }]);
  return g;
}

/** A new device waiting to be paired: its one-time code (returned once) and the address the pairing QR carries. */
export async function createDevice(db: Db, ctx: RequestContext, publicUrl: string, eventId: string, input: CreateDeviceInput, now = new Date()) {
  authorize(ctx.actor, 'events.manage');
  const code = newPairingCode();
  return db.transaction(async (tx) => {
    const e = await loadEvent(tx, eventId);
    const gate = gateOf(e, input.gate, 'body.gate');
    const [d] = await tx
      .insert(checkinDevice)
      .values({
        eventId: e.id,
        gate,
        label: input.label,
        pairingCodeHash: sha256(canonicalPairingCode(code)),
        pairingExpiresAt: new Date(now.getTime() + PAIRING_MINUTES * 60_000),
        createdBy: ctx.actor!.id,
        createdAt: now,
      })
      .returning();
    await recordAudit(tx, ctx, { action: 'event.checkin_device.create', entityType: 'event', entityId: e.id, detail: { deviceId: d!.id, gate, label: input.label } });
    return { device: deviceDto(d!, 0, now), pairingCode: code, pairingUrl: `${publicUrl.replace(/\/$/, '')}/checkin#pair=${code}` };
  });
}

export async function listDevices(db: Db, ctx: RequestContext, eventId: string): Promise<{ items: DeviceDto[] }> {
  authorize(ctx.actor, 'events.read');
  const e = await loadEvent(db, eventId);
  const rows = await db
    .select({ d: checkinDevice, scans: sql<number>`(SELECT count(*)::int FROM checkin_scan s WHERE s.device_id = "checkin_device"."id")` })
    .from(checkinDevice)
    .where(eq(checkinDevice.eventId, e.id))
    .orderBy(asc(checkinDevice.gate), asc(checkinDevice.createdAt), asc(checkinDevice.id));
  const now = new Date();
  return { items: rows.map((r) => deviceDto(r.d, Number(r.scans), now)) };
}

/** Revoking is idempotent; the phone's next request is refused (401 device_revoked); its scans stay. */
export async function revokeDevice(db: Db, ctx: RequestContext, eventId: string, deviceId: string): Promise<DeviceDto> {
  authorize(ctx.actor, 'events.manage');
  return db.transaction(async (tx) => {
    const e = await loadEvent(tx, eventId);
    if (!isUuid(deviceId)) throw notFound('checkin_device');
    const [d] = await tx
      .select()
      .from(checkinDevice)
      .where(and(eq(checkinDevice.id, deviceId), eq(checkinDevice.eventId, e.id)))
      .for('update');
    if (!d) throw notFound('checkin_device');
    let row = d;
    if (!d.revokedAt) {
      // a code not yet used can no longer be
      [row] = (await tx.update(checkinDevice).set({ revokedAt: new Date(), pairingCodeHash: null }).where(eq(checkinDevice.id, d.id)).returning()) as [DeviceRow];
      await recordAudit(tx, ctx, { action: 'event.checkin_device.revoke', entityType: 'event', entityId: e.id, detail: { deviceId: d.id } });
    }
    const [n] = await tx.select({ n: count() }).from(checkinScan).where(eq(checkinScan.deviceId, d.id));
    return deviceDto(row, n!.n);
  });
}

// ---------- the phone ----------

const publicKeys = new Map<string, { key: string; object: KeyObject }>();

/** The event's public key (raw base64url) and its key object; a key never changes, so they are kept. */
async function eventKey(db: Db, eventId: string): Promise<{ key: string; object: KeyObject } | null> {
  const known = publicKeys.get(eventId);
  if (known) return known;
  const [k] = await db.select({ publicKey: eventSigningKey.publicKey }).from(eventSigningKey).where(eq(eventSigningKey.eventId, eventId));
  if (!k) return null;
  const entry = { key: k.publicKey, object: publicKeyObject(k.publicKey) };
  if (publicKeys.size > 1000) publicKeys.clear();
  publicKeys.set(eventId, entry);
  return entry;
}

async function whoAmI(db: Db, d: DeviceRow): Promise<WhoAmI> {
  const e = await loadEvent(db, d.eventId);
  const key = await eventKey(db, e.id);
  return {
    device: { id: d.id, label: d.label, gate: d.gate },
    event: {
      id: e.id,
      slug: e.slug,
      title: e.title as Record<string, string>,
      startsAt: e.startsAt.toISOString(),
      endsAt: e.endsAt.toISOString(),
      timeZone: e.timeZone,
      gates: e.gates,
      publicKey: key?.key ?? '',
    },
  };
}

/** Exchanges a pairing code (once, before it runs out, unless revoked) for the device token. */
export async function pair(db: Db, ctx: RequestContext, code: string, now = new Date()): Promise<WhoAmI & { token: string }> {
  const canonical = canonicalPairingCode(code);
  const unknown = () => new AppError('not_found', 'pairing_code_unknown', 'This pairing code is unknown, already used, withdrawn or out of date. Ask for a new one.', [{ field: 'body.code', detail: 'Unknown, used or expired' }]);
  if (canonical.length !== 12) throw unknown();
  const token = randomBytes(32).toString('base64url');
  return db.transaction(async (tx) => {
    const [d] = await tx
      .update(checkinDevice)
      .set({ tokenHash: sha256(token), pairingCodeHash: null, pairedAt: now, lastSeenAt: now })
      .where(and(eq(checkinDevice.pairingCodeHash, sha256(canonical)), isNull(checkinDevice.revokedAt), sql`${checkinDevice.pairingExpiresAt} > ${now.toISOString()}`))
      .returning();
    if (!d) throw unknown();
    await recordAudit(tx, { ...ctx, actor: null }, { action: 'event.checkin_device.pair', entityType: 'event', entityId: d.eventId, detail: { deviceId: d.id } });
    return { ...(await whoAmI(tx, d)), token };
  });
}

/** The device a request's `Authorization: Bearer <token>` names: 401 when none, unknown or revoked. */
export async function deviceFromAuthorization(db: Db, header: string | undefined, now = new Date()): Promise<DeviceRow & { event: EventRow }> {
  const m = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(header?.trim() ?? '');
  if (!m) throw new AppError('unauthenticated', 'device_token_required', 'Send the device token of a paired phone: Authorization: Bearer <token>.');
  // the device with its event, in one query (a scan needs the event's gates)
  const [row] = await db.select({ d: checkinDevice, e: event }).from(checkinDevice).innerJoin(event, eq(event.id, checkinDevice.eventId)).where(eq(checkinDevice.tokenHash, sha256(m[1]!)));
  const d = row ? Object.assign(row.d, { event: row.e }) : undefined;
  if (!d) throw new AppError('unauthenticated', 'device_unknown', 'This phone is not paired (or no longer): pair it again.');
  if (d.revokedAt) throw new AppError('unauthenticated', 'device_revoked', 'Staff revoked this phone’s pairing: it can no longer check people in.');
  // when it was last seen, at most once a minute
  if (!d.lastSeenAt || now.getTime() - d.lastSeenAt.getTime() > 60_000) {
    await db.update(checkinDevice).set({ lastSeenAt: now }).where(eq(checkinDevice.id, d.id));
  }
  return d;
}

export async function device(db: Db, d: DeviceRow): Promise<WhoAmI> {
  return whoAmI(db, d);
}

/**
 * A ticket list's cursor: the instant it was read, less an overlap that covers transactions still committing then and
 * servers' clocks a little apart (a ticket sent twice is merged by id: harmless).
 */
const CURSOR_OVERLAP_MS = 2 * 60_000;
const cursorOf = (now: Date) => `v1-${Math.max(0, now.getTime() - CURSOR_OVERLAP_MS).toString(36)}`;
function readCursor(cursor: string): Date {
  const ms = parseInt(cursor.slice(3), 36);
  if (!Number.isSafeInteger(ms)) throw new AppError('invalid', 'invalid_request', 'This cursor is not one a ticket list gave.', [{ field: 'query.since', detail: 'A cursor from a previous ticket list' }]);
  return new Date(ms);
}

/**
 * Every ticket of the device's event, for offline checks and search by name; with `since` (a previous list's cursor),
 * only those that changed since: made (a registration, an offer taken), cancelled, renamed or erased (the
 * registration's `updated_at`), or admitted (the admission's `received_at`).
 */
export async function ticketList(db: Db, d: DeviceRow, now = new Date(), since?: string): Promise<TicketList> {
  const from = since ? readCursor(since) : null;
  const key = await eventKey(db, d.eventId);
  const types = await db.select({ id: ticketType.id, name: ticketType.name }).from(ticketType).where(eq(ticketType.eventId, d.eventId)).orderBy(asc(ticketType.position), asc(ticketType.id));
  const rows = await db
    .select({
      id: ticket.id,
      version: ticket.version,
      status: ticket.status,
      ticketTypeId: ticket.ticketTypeId,
      name: registration.name,
      admittedAt: checkinScan.scannedAt,
    })
    .from(ticket)
    .innerJoin(registration, eq(registration.id, ticket.registrationId))
    .leftJoin(checkinScan, and(eq(checkinScan.ticketId, ticket.id), eq(checkinScan.result, 'admitted')))
    .where(
      and(
        eq(ticket.eventId, d.eventId),
        from ? or(gte(ticket.createdAt, from), gte(ticket.cancelledAt, from), gte(registration.updatedAt, from), gte(checkinScan.receivedAt, from)) : undefined,
      ),
    )
    .orderBy(asc(ticket.id));
  return {
    asOf: now.toISOString(),
    cursor: cursorOf(now),
    changesOnly: from !== null,
    publicKey: key?.key ?? '',
    ticketTypes: types.map((t) => ({ id: t.id, name: t.name as Record<string, string> })),
    tickets: rows.map((r) => ({
      id: r.id,
      version: r.version,
      status: r.status as 'valid' | 'cancelled',
      ticketTypeId: r.ticketTypeId,
      name: r.name,
      search: normalizeName(r.name),
      admittedAt: iso(r.admittedAt),
    })),
  };
}

type TicketInfo = { id: string; version: number; status: string; name: string; typeName: Record<string, string> };
type Admission = { at: string; gate: string; device: string | null; deviceId: string | null };

async function ticketsById(db: Db, eventId: string, ids: string[]): Promise<Map<string, TicketInfo>> {
  if (!ids.length) return new Map();
  const rows = await db
    .select({ id: ticket.id, version: ticket.version, status: ticket.status, name: registration.name, typeName: ticketType.name })
    .from(ticket)
    .innerJoin(registration, eq(registration.id, ticket.registrationId))
    .innerJoin(ticketType, eq(ticketType.id, ticket.ticketTypeId))
    .where(and(eq(ticket.eventId, eventId), inArray(ticket.id, ids)));
  return new Map(rows.map((r) => [r.id, { ...r, typeName: r.typeName as Record<string, string> }]));
}

async function admissionOf(db: Db, ticketId: string): Promise<Admission | null> {
  const [a] = await db
    .select({ at: checkinScan.scannedAt, gate: checkinScan.gate, device: checkinDevice.label, deviceId: checkinScan.deviceId })
    .from(checkinScan)
    .leftJoin(checkinDevice, eq(checkinDevice.id, checkinScan.deviceId))
    .where(and(eq(checkinScan.ticketId, ticketId), eq(checkinScan.result, 'admitted')));
  return a ? { at: a.at.toISOString(), gate: a.gate, device: a.device, deviceId: a.deviceId } : null;
}

type Judged = { result: ScanResult; ticketId: string | null };

/** What a scan's code or ticket id says, before any admission: a ticket to admit, or a refusal. */
async function judge(db: Db, d: DeviceRow, key: KeyObject, s: ScanInput, tickets: Map<string, TicketInfo>): Promise<Judged> {
  let ticketId: string;
  let version: number | null = null;
  if (s.code !== undefined) {
    const claim = readTicketCode(s.code);
    if (!claim) return { result: 'invalid', ticketId: null };
    if (claim.eventId !== d.eventId) {
      // a code another event's key verifies is that event's ticket; anything else is forged
      const other = await eventKey(db, claim.eventId);
      return { result: other && verifyTicketCode(other.object, s.code) ? 'wrong_event' : 'invalid', ticketId: null };
    }
    if (!verifyTicketCode(key, s.code)) return { result: 'invalid', ticketId: null };
    ticketId = claim.ticketId;
    version = claim.version;
  } else {
    if (!isUuid(s.ticketId!)) return { result: 'invalid', ticketId: null };
    ticketId = s.ticketId!.toLowerCase();
  }
  const t = tickets.get(ticketId);
  if (!t) return { result: 'invalid', ticketId: null };
  if (version !== null && version !== t.version) return { result: 'invalid', ticketId: null };
  if (t.status !== 'valid') return { result: 'cancelled', ticketId };
  return { result: 'admitted', ticketId };
}

type StoredScan = { nonce: string; result: string; ticketId: string | null; deviceId: string | null };
type NewScan = typeof checkinScan.$inferInsert & { result: ScanResult };

const storedColumns = { nonce: checkinScan.nonce, result: checkinScan.result, ticketId: checkinScan.ticketId, deviceId: checkinScan.deviceId };

async function storedByNonce(db: Db, nonces: string[]): Promise<Map<string, StoredScan>> {
  const out = new Map<string, StoredScan>();
  for (let i = 0; i < nonces.length; i += 500) {
    for (const r of await db.select(storedColumns).from(checkinScan).where(inArray(checkinScan.nonce, nonces.slice(i, i + 500)))) out.set(r.nonce, r);
  }
  return out;
}

/**
 * The scans already recorded under these nonces and the tickets named, in one statement (one round trip: an online
 * scan is a handful of statements, and on the embedded database each waits its turn behind every other request's).
 */
async function storedAndTickets(db: Db, eventId: string, nonces: string[], ticketIds: string[]): Promise<{ stored: Map<string, StoredScan>; tickets: Map<string, TicketInfo> }> {
  const stored = new Map<string, StoredScan>();
  const tickets = new Map<string, TicketInfo>();
  if (nonces.length > 500 || ticketIds.length > 500) {
    return { stored: await storedByNonce(db, nonces), tickets: await ticketsById(db, eventId, ticketIds) };
  }
  type Row = { k: 's' | 't'; id: string; status: string; ticket_id: string | null; device_id: string | null; name: string | null; version: number | null; type_name: Record<string, string> | string | null };
  const found = await rawRows<Row>(
    db,
    sql`SELECT 's' AS k, s.nonce AS id, s.result AS status, s.ticket_id::text AS ticket_id, s.device_id::text AS device_id, NULL::text AS name, NULL::int AS version, NULL::jsonb AS type_name
          FROM checkin_scan s WHERE s.nonce = ANY(${textArray(nonces)}::text[])
        UNION ALL
        SELECT 't', t.id::text, t.status, NULL, NULL, r.name, t.version, tt.name
          FROM ticket t JOIN registration r ON r.id = t.registration_id JOIN ticket_type tt ON tt.id = t.ticket_type_id
          WHERE t.event_id = ${eventId} AND t.id = ANY(${textArray(ticketIds)}::uuid[])`,
  );
  for (const r of found) {
    if (r.k === 's') stored.set(r.id, { nonce: r.id, result: r.status, ticketId: r.ticket_id, deviceId: r.device_id });
    else tickets.set(r.id, { id: r.id, version: Number(r.version), status: r.status, name: r.name ?? '', typeName: (typeof r.type_name === 'string' ? JSON.parse(r.type_name) : r.type_name) ?? {} });
  }
  return { stored, tickets };
}

/** A PostgreSQL array literal, each element quoted (sent as one parameter). */

/** Inserts the rows (each nonce once, at most one admission per ticket: a row either would refuse is skipped); the nonces written. */
async function insertScans(db: Db, rows: NewScan[]): Promise<Set<string>> {
  const written = new Set<string>();
  for (let i = 0; i < rows.length; i += 500) {
    const done = await db.insert(checkinScan).values(rows.slice(i, i + 500)).onConflictDoNothing().returning({ nonce: checkinScan.nonce });
    for (const r of done) written.add(r.nonce);
  }
  return written;
}

async function admissionsOf(db: Db, ticketIds: string[]): Promise<Map<string, Admission>> {
  const out = new Map<string, Admission>();
  for (let i = 0; i < ticketIds.length; i += 500) {
    const rows = await db
      .select({ ticketId: checkinScan.ticketId, at: checkinScan.scannedAt, gate: checkinScan.gate, device: checkinDevice.label, deviceId: checkinScan.deviceId })
      .from(checkinScan)
      .leftJoin(checkinDevice, eq(checkinDevice.id, checkinScan.deviceId))
      .where(and(inArray(checkinScan.ticketId, ticketIds.slice(i, i + 500)), eq(checkinScan.result, 'admitted')));
    for (const a of rows) out.set(a.ticketId!, { at: a.at.toISOString(), gate: a.gate, device: a.device, deviceId: a.deviceId });
  }
  return out;
}

/**
 * Records a batch of scans from a paired device, in order, each nonce once; answers one result per scan. Scans
 * whose nonce is already recorded (a retried upload) answer what was recorded and write nothing. Set-based: a
 * batch of 1,000 takes a handful of statements. First the batch's first admissible scan of each ticket is inserted
 * as `admitted` (the partial unique index skips a ticket admitted meanwhile by any phone); then every other scan,
 * a repeat (`already_admitted`) or, when made offline on a phone that did not make the admission, a `conflict`.
 */
export async function recordScans(db: Db, d: DeviceRow & { event?: EventRow }, scans: ScanInput[], now = new Date()): Promise<{ results: ScanResultDto[] }> {
  const e = d.event ?? (await loadEvent(db, d.eventId));
  const gates = scans.map((s, i) => gateOf(e, s.gate, `body.scans.${i}.gate`));
  scans.forEach((s, i) => {
    if (Date.parse(s.scannedAt) > now.getTime() + 86_400_000) {
      throw new AppError('unprocessable', 'scan_in_future', 'A scan is dated more than a day ahead: check the phone’s clock.', [{ field: `body.scans.${i}.scannedAt`, detail: 'More than a day in the future' }]);
    }
  });
  const key = await eventKey(db, e.id);
  if (!key) throw notFound('event');


  // the tickets named, read once for the batch
  const named = new Set<string>();
  for (const s of scans) {
    const claim = s.code !== undefined ? readTicketCode(s.code) : null;
    if (claim && claim.eventId === e.id) named.add(claim.ticketId);
    if (s.ticketId !== undefined && isUuid(s.ticketId)) named.add(s.ticketId.toLowerCase());
  }
  const { stored, tickets } = await storedAndTickets(db, e.id, [...new Set(scans.map((s) => s.nonce))], [...named]);

  // the new scans, each nonce once, judged (a signature checked each: the event loop is let go every few dozen, so
  // that a batch of 300 from an offline phone does not hold up the online phones' single scans meanwhile)
  const fresh: { row: NewScan; offline: boolean }[] = [];
  const seen = new Set<string>();
  for (const [i, s] of scans.entries()) {
    if (stored.has(s.nonce) || seen.has(s.nonce)) continue;
    seen.add(s.nonce);
    if (seen.size % 32 === 0) await new Promise((resolve) => setImmediate(resolve));
    const j = await judge(db, d, key.object, s, tickets);
    fresh.push({
      offline: s.offline,
      row: { nonce: s.nonce, eventId: e.id, ticketId: j.ticketId, deviceId: d.id, gate: gates[i]!, scannedAt: new Date(s.scannedAt), receivedAt: now, offline: s.offline, manual: s.code === undefined, result: j.result },
    });
  }
  // 1. the first admissible scan of each ticket tries to admit it
  const candidates = new Map<string, NewScan>();
  for (const { row } of fresh) if (row.result === 'admitted' && !candidates.has(row.ticketId!)) candidates.set(row.ticketId!, row);
  const admittedNow = await insertScans(db, [...candidates.values()]);
  // 2. every other scan: a refusal, a repeat, or a conflict with the admission that came first
  const rest = fresh.filter(({ row }) => !admittedNow.has(row.nonce));
  const repeats = rest.filter(({ row }) => row.result === 'admitted').map(({ row }) => row.ticketId!);
  const firsts = await admissionsOf(db, [...new Set(repeats)]);
  for (const { row, offline } of rest) {
    if (row.result !== 'admitted') continue;
    const first = firsts.get(row.ticketId!);
    row.result = offline && first?.deviceId !== d.id ? 'conflict' : 'already_admitted';
  }
  const written = await insertScans(db, rest.map(({ row }) => row));
  for (const { row } of fresh) {
    if (admittedNow.has(row.nonce) || written.has(row.nonce)) stored.set(row.nonce, { nonce: row.nonce, result: row.result, ticketId: row.ticketId ?? null, deviceId: d.id });
  }
  // a nonce written meanwhile by a concurrent upload of the same batch: what it recorded
  const missing = fresh.filter(({ row }) => !stored.has(row.nonce)).map(({ row }) => row.nonce);
  if (missing.length) for (const [n, r] of await storedByNonce(db, missing)) stored.set(n, r);

  // 3. the answers, with the first admission of each repeat or conflict
  const answerIds = new Set<string>();
  for (const r of stored.values()) if (r.ticketId && (r.result === 'already_admitted' || r.result === 'conflict')) answerIds.add(r.ticketId);
  // the first admissions read above answer the repeats just written; only those of retried nonces are read here
  const admissions = firsts;
  const unread = [...answerIds].filter((id) => !firsts.has(id));
  if (unread.length) for (const [id, a] of await admissionsOf(db, unread)) admissions.set(id, a);
  const extra = [...stored.values()].map((r) => r.ticketId).filter((id): id is string => !!id && !tickets.has(id));
  if (extra.length) for (const [id, info] of await ticketsById(db, e.id, [...new Set(extra)])) tickets.set(id, info);
  const results = scans.map((s) => {
    const row = stored.get(s.nonce);
    if (!row) throw new Error(`scan ${s.nonce} neither recorded nor found`);
    return resultDto(d, row, tickets, admissions);
  });
  return { results };
}

function resultDto(d: DeviceRow, row: StoredScan, tickets: Map<string, TicketInfo>, admissions: Map<string, Admission>): ScanResultDto {
  // a nonce another phone recorded says nothing about its scan to this one
  if (row.deviceId !== d.id) return { nonce: row.nonce, result: 'invalid', ticketId: null, name: null, ticketType: null, admitted: null };
  const t = row.ticketId ? tickets.get(row.ticketId) : undefined;
  const result = row.result as ScanResult;
  const a = (result === 'already_admitted' || result === 'conflict') && row.ticketId ? admissions.get(row.ticketId) : undefined;
  return { nonce: row.nonce, result, ticketId: row.ticketId, name: t?.name ?? null, ticketType: t?.typeName ?? null, admitted: a ? { at: a.at, gate: a.gate, device: a.device } : null };
}

// ---------- staff: live totals and conflicts ----------

export async function checkinTotals(db: Db, ctx: RequestContext, eventId: string): Promise<CheckinTotals> {
  authorize(ctx.actor, 'events.read');
  const e = await loadEvent(db, eventId);
  const names = can(ctx.actor, 'events.contacts');
  const byGateRows = await db
    .select({
      gate: checkinScan.gate,
      admitted: sql<number>`count(*) FILTER (WHERE ${checkinScan.result} = 'admitted')::int`,
      refused: sql<number>`count(*) FILTER (WHERE ${checkinScan.result} IN ('invalid', 'wrong_event', 'cancelled'))::int`,
      conflicts: sql<number>`count(*) FILTER (WHERE ${checkinScan.result} = 'conflict')::int`,
    })
    .from(checkinScan)
    .where(eq(checkinScan.eventId, e.id))
    .groupBy(checkinScan.gate);
  const seen = new Map(byGateRows.map((r) => [r.gate, r]));
  const byGate = [...e.gates, ...byGateRows.map((r) => r.gate).filter((g) => !e.gates.includes(g))].map((gate) => ({
    gate,
    admitted: Number(seen.get(gate)?.admitted ?? 0),
    refused: Number(seen.get(gate)?.refused ?? 0),
  }));
  const admittedJoin = and(eq(checkinScan.ticketId, ticket.id), eq(checkinScan.result, 'admitted'));
  const byType = await db
    .select({
      ticketTypeId: ticketType.id,
      name: ticketType.name,
      tickets: sql<number>`count(${ticket.id}) FILTER (WHERE ${ticket.status} = 'valid')::int`,
      admitted: sql<number>`count(${checkinScan.id})::int`,
    })
    .from(ticketType)
    .leftJoin(ticket, eq(ticket.ticketTypeId, ticketType.id))
    .leftJoin(checkinScan, admittedJoin)
    .where(eq(ticketType.eventId, e.id))
    .groupBy(ticketType.id, ticketType.name, ticketType.position)
    .orderBy(asc(ticketType.position), asc(ticketType.id));
  const byCohost = await db
    .select({
      organisationId: registration.referrerOrganisationId,
      organisationName: organisation.name,
      tickets: sql<number>`count(*) FILTER (WHERE ${ticket.status} = 'valid')::int`,
      admitted: sql<number>`count(${checkinScan.id})::int`,
    })
    .from(ticket)
    .innerJoin(registration, eq(registration.id, ticket.registrationId))
    .leftJoin(organisation, eq(organisation.id, registration.referrerOrganisationId))
    .leftJoin(checkinScan, admittedJoin)
    .where(eq(ticket.eventId, e.id))
    .groupBy(registration.referrerOrganisationId, organisation.name)
    .orderBy(asc(organisation.name));
  // unresolved first (newest first), then the resolved ones
  const conflictRows = await db
    .select({
      scanId: checkinScan.id,
      ticketId: checkinScan.ticketId,
      name: registration.name,
      scannedAt: checkinScan.scannedAt,
      receivedAt: checkinScan.receivedAt,
      gate: checkinScan.gate,
      device: checkinDevice.label,
      resolution: checkinConflictResolution.resolution,
      note: checkinConflictResolution.note,
      resolvedBy: user.name,
      resolvedAt: checkinConflictResolution.resolvedAt,
    })
    .from(checkinScan)
    .leftJoin(checkinDevice, eq(checkinDevice.id, checkinScan.deviceId))
    .leftJoin(ticket, eq(ticket.id, checkinScan.ticketId))
    .leftJoin(registration, eq(registration.id, ticket.registrationId))
    .leftJoin(checkinConflictResolution, eq(checkinConflictResolution.scanId, checkinScan.id))
    .leftJoin(user, eq(user.id, checkinConflictResolution.resolvedBy))
    .where(and(eq(checkinScan.eventId, e.id), eq(checkinScan.result, 'conflict')))
    .orderBy(sql`${checkinConflictResolution.scanId} IS NOT NULL`, desc(checkinScan.receivedAt), asc(checkinScan.id))
    .limit(500);
  const [{ resolved } = { resolved: 0 }] = await db
    .select({ resolved: sql<number>`count(*)::int` })
    .from(checkinConflictResolution)
    .where(eq(checkinConflictResolution.eventId, e.id));
  const conflictList = [];
  for (const r of conflictRows) {
    const a = r.ticketId ? await admissionOf(db, r.ticketId) : null;
    conflictList.push({
      scanId: r.scanId,
      ticketId: r.ticketId,
      name: names ? r.name : null,
      scannedAt: r.scannedAt.toISOString(),
      receivedAt: r.receivedAt.toISOString(),
      gate: r.gate,
      device: r.device,
      admitted: a ? { at: a.at, gate: a.gate, device: a.device } : null,
      resolution:
        r.resolution && r.resolvedAt
          ? { resolution: r.resolution as ResolveConflictInput['resolution'], note: names ? r.note : null, by: r.resolvedBy, at: r.resolvedAt.toISOString() }
          : null,
    });
  }
  const conflicts = byGateRows.reduce((s, r) => s + Number(r.conflicts), 0);
  const types = byType.map((r) => ({ ticketTypeId: r.ticketTypeId, name: r.name as Record<string, string>, tickets: Number(r.tickets), admitted: Number(r.admitted) }));
  return {
    tickets: types.reduce((s, r) => s + r.tickets, 0),
    admitted: byGate.reduce((s, r) => s + r.admitted, 0),
    conflicts,
    unresolvedConflicts: Math.max(0, conflicts - Number(resolved)),
    refused: byGate.reduce((s, r) => s + r.refused, 0),
    byGate,
    byTicketType: types,
    byCohost: byCohost.map((r) => ({ organisationId: r.organisationId, organisationName: r.organisationName, tickets: Number(r.tickets), admitted: Number(r.admitted) })),
    conflictList,
  };
}

/**
 * Staff resolve a door conflict (events.manage): the holder came through twice, or one ticket let two people in; with
 * a note if they like. Resolving again replaces the answer. Audited (`event.checkin_conflict.resolve`, without the
 * note's text); a scan that is not a conflict of this event is 404.
 */
export async function resolveConflict(db: Db, ctx: RequestContext, eventId: string, scanId: string, input: ResolveConflictInput, now = new Date()): Promise<ResolvedConflict> {
  authorize(ctx.actor, 'events.manage');
  const actor = ctx.actor;
  const e = await loadEvent(db, eventId);
  if (!isUuid(scanId)) throw notFound('checkin_conflict');
  const note = input.note?.trim() || null;
  return db.transaction(async (tx) => {
    const [s] = await tx
      .select({ id: checkinScan.id, ticketId: checkinScan.ticketId })
      .from(checkinScan)
      .where(and(eq(checkinScan.id, scanId), eq(checkinScan.eventId, e.id), eq(checkinScan.result, 'conflict')));
    if (!s) throw notFound('checkin_conflict');
    const [before] = await tx.select().from(checkinConflictResolution).where(eq(checkinConflictResolution.scanId, s.id)).for('update');
    const values = { resolution: input.resolution, note, resolvedBy: actor.id, resolvedAt: now };
    await tx
      .insert(checkinConflictResolution)
      .values({ scanId: s.id, eventId: e.id, ...values })
      .onConflictDoUpdate({ target: checkinConflictResolution.scanId, set: values });
    // two people on one ticket: the code was copied, so the ticket gets a new code (its version raised, signed
    // again); the copy, and every code of the old version, is refused from now on, at the door online and, once their
    // list has the change, on the phones offline. The holder's ticket page shows the new code. Done once per
    // conflict: answering two_people again, or same_person after it, does not reissue again (nor undo it).
    let reissued: { version: number } | null = null;
    if (input.resolution === 'two_people' && before?.resolution !== 'two_people' && s.ticketId) {
      reissued = await reissueTicket(tx, e.id, s.ticketId, now);
    }
    await recordAudit(tx, ctx, {
      action: 'event.checkin_conflict.resolve',
      entityType: 'event',
      entityId: e.id,
      detail: { scanId: s.id, ticketId: s.ticketId, resolution: input.resolution, previous: before?.resolution ?? null, noted: note !== null, reissuedVersion: reissued?.version ?? null },
    });
    return { scanId: s.id, resolution: { resolution: input.resolution, note, by: actor.name, at: now.toISOString() }, reissuedVersion: reissued?.version ?? null };
  });
}

/**
 * A valid ticket's code made again with the next version (the row locked; its registration's `updated_at` moved so the
 * phones' "changes since" carries the new version); a cancelled ticket is left as it is (null).
 */
async function reissueTicket(tx: Parameters<Parameters<Db['transaction']>[0]>[0], eventId: string, ticketId: string, now: Date): Promise<{ version: number } | null> {
  const [tk] = await tx
    .select({ id: ticket.id, version: ticket.version, status: ticket.status, registrationId: ticket.registrationId })
    .from(ticket)
    .where(and(eq(ticket.id, ticketId), eq(ticket.eventId, eventId)))
    .for('update');
  if (!tk || tk.status !== 'valid') return null;
  const [key] = await tx.select({ privateKey: eventSigningKey.privateKey }).from(eventSigningKey).where(eq(eventSigningKey.eventId, eventId));
  if (!key) return null;
  const version = tk.version + 1;
  await tx.update(ticket).set({ version, code: signTicketCode(key.privateKey, { eventId, ticketId, version }) }).where(eq(ticket.id, tk.id));
  await tx.update(registration).set({ updatedAt: now }).where(eq(registration.id, tk.registrationId));
  return { version };
}
