import { randomInt } from 'node:crypto';
import { and, desc, eq, inArray, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { decodeCursor, paginate } from '../../core/pagination.ts';
import { AppError, zodFieldErrors } from '../../core/errors.ts';
import { authorize } from '../../access/roles.ts';
import { setting, user } from '../accounts/accounts.schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import {
  ConfirmErasureSchema,
  RequestErasureSchema,
  type Erasable,
  type ErasureDto,
  type ErasurePreview,
  type ErasureSettings,
  type RequestErasureInput,
} from './erasure.contract.ts';
import { findPlaces, PLACE_TABLES, placeKey, previewOf, redactPlace } from './erasure.places.ts';
import { erasure, type ErasureMention, type ErasurePlace } from './erasure.schema.ts';
import { jsonLikePatterns, mentions, replaceInJson, replaceTerms, termsOf, websiteTerms, type Terms } from './erasure.text.ts';
import { normalizeName } from './names.ts';
import { eraseRegistrations, registrationsOfPerson } from '../events/registration-erasure.ts';
import { POST_TABLES, postsNaming, redactPosts } from '../updates/post-erasure.ts';
import { isUuid, notFound } from '../../core/errors.ts';
import { personVisible, reader } from '../../access/need-to-know.ts';

// Erasure on request (docs/erasure.md). A person at risk, or a small group, may ask to be forgotten: their names in
// every script, transliterations, pseudonym, contacts, notes, tags and affiliations (for an organisation: names,
// website, description, city and area, tags, status and link notes) are replaced by a tombstone ("Erased person ·
// 7F3K") in the tables, the read models (their triggers), the search index of every server (its generation is
// bumped: each rebuilds before its next search) and the audit log's earlier details (the one exception to its
// append-only rule, drizzle/0013). The record's id stays, so meetings keep their attendee and every count stays.
// Administrators only; when the install requires it, a second administrator confirms a request first.

export const REQUEST_DAYS = 7;
const SETTING_KEY = 'erasure_second_admin';
/** Crockford's base 32: no I, L, O, U (nothing to misread when the reference is read out on the phone) */
const REFERENCE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const MAX_PREVIEW_MENTIONS = 1000;

type ErasureRow = typeof erasure.$inferSelect;
type Snapshot = {
  type: Erasable;
  id: string;
  displayName: string;
  terms: Terms;
  counts: ErasurePreview['erases'];
};

function admin(ctx: RequestContext) {
  authorize(ctx.actor, 'records.erase');
  return ctx.actor;
}

export function tombstoneOf(type: Erasable, reference: string): string {
  return `${type === 'person' ? 'Erased person' : 'Erased organisation'} · ${reference}`;
}

// ---------------------------------------------------------------- settings

export async function readErasureSettings(db: Db): Promise<ErasureSettings> {
  const [row] = await db.select({ value: setting.value }).from(setting).where(eq(setting.key, SETTING_KEY));
  return { secondAdmin: row?.value === 'true' };
}

export async function getErasureSettings(db: Db, ctx: RequestContext): Promise<ErasureSettings> {
  authorize(ctx.actor, 'settings.manage');
  return readErasureSettings(db);
}

export async function updateErasureSettings(db: Db, ctx: RequestContext, input: ErasureSettings): Promise<ErasureSettings> {
  authorize(ctx.actor, 'settings.manage');
  const actor = ctx.actor;
  return db.transaction(async (tx) => {
    const value = String(input.secondAdmin);
    await tx
      .insert(setting)
      .values({ key: SETTING_KEY, value, updatedBy: actor.id })
      .onConflictDoUpdate({ target: setting.key, set: { value, updatedAt: new Date(), updatedBy: actor.id } });
    await recordAudit(tx, ctx, { action: 'settings.update', entityType: 'setting', entityId: 'install', detail: { erasureSecondAdmin: input.secondAdmin } });
    return readErasureSettings(tx);
  });
}

// ---------------------------------------------------------------- the record as it is

async function count(db: Db, query: SQL): Promise<number> {
  const [r] = await rows<{ n: string | number }>(db, query);
  return Number(r?.n ?? 0);
}

/** What the erasure will replace, with the terms that name the record; undefined when there is no such record. */
async function snapshotOf(db: Db, type: Erasable, id: string, lock: boolean): Promise<Snapshot | undefined> {
  if (!isUuid(id)) return undefined;
  const forUpdate = lock ? sql`FOR UPDATE` : sql``;
  if (type === 'person') {
    const [p] = await rows<{ display_name: string; pseudonym: string | null; notes: string | null; tags: string[] }>(
      db,
      sql`SELECT display_name, pseudonym, notes, tags FROM person WHERE id = ${id}::uuid ${forUpdate}`,
    );
    if (!p) return undefined;
    const names = await rows<{ name: string }>(db, sql`SELECT name FROM person_name WHERE person_id = ${id}::uuid ORDER BY id`);
    const contacts = await rows<{ value: string }>(db, sql`SELECT value FROM person_contact WHERE person_id = ${id}::uuid ORDER BY id`);
    const terms = termsOf([p.display_name, p.pseudonym, ...names.map((n) => n.name), ...contacts.map((c) => c.value)]);
    return {
      type,
      id,
      displayName: p.display_name,
      terms,
      counts: {
        names: names.length,
        contacts: contacts.length,
        affiliations: await count(db, sql`SELECT count(*) AS n FROM affiliation WHERE person_id = ${id}::uuid`),
        tags: p.tags.length,
        notes: !!p.notes,
        pseudonym: !!p.pseudonym,
        website: false,
        statusNotes: 0,
        linkNotes: 0,
        registrations: await count(db, sql`SELECT count(*) AS n FROM registration WHERE id IN (${registrationsOfPerson(id)}) AND erased_at IS NULL`),
        posts: (await postsNaming(db, terms)).length,
        auditEntries: 0,
      },
    };
  }
  const [o] = await rows<{ name: string; website: string | null; description: string | null; tags: string[] }>(
    db,
    sql`SELECT name, website, description, tags FROM organisation WHERE id = ${id}::uuid ${forUpdate}`,
  );
  if (!o) return undefined;
  const names = await rows<{ name: string }>(db, sql`SELECT name FROM organisation_name WHERE organisation_id = ${id}::uuid ORDER BY id`);
  const terms = termsOf([o.name, ...names.map((n) => n.name), ...websiteTerms(o.website)]);
  return {
    type,
    id,
    displayName: o.name,
    terms,
    counts: {
      names: names.length,
      contacts: 0,
      affiliations: 0,
      tags: o.tags.length,
      notes: !!o.description,
      pseudonym: false,
      website: !!o.website,
      statusNotes: await count(db, sql`SELECT count(*) AS n FROM organisation_status_change WHERE organisation_id = ${id}::uuid AND note IS NOT NULL`),
      linkNotes: await count(db, sql`SELECT count(*) AS n FROM organisation_link WHERE (from_id = ${id}::uuid OR to_id = ${id}::uuid) AND note IS NOT NULL`),
      registrations: 0,
      posts: (await postsNaming(db, terms)).length,
      auditEntries: 0,
    },
  };
}

async function requireSnapshot(db: Db, type: Erasable, id: string, lock: boolean): Promise<Snapshot> {
  const s = await snapshotOf(db, type, id, lock);
  if (!s) throw notFound(type);
  return s;
}

function confirmMatches(typed: string, displayName: string): boolean {
  const a = normalizeName(typed);
  const b = normalizeName(displayName);
  return a || b ? a === b : typed.trim() === displayName.trim();
}

function confirmationMismatch(): AppError {
  return new AppError('unprocessable', 'confirmation_mismatch', "Type the record's name exactly as shown to confirm.", [
    { field: 'body.confirmName', detail: 'Does not match the name shown' },
  ]);
}

// ---------------------------------------------------------------- erasure rows

const isExpired = (e: ErasureRow, now = new Date()) => e.status === 'pending' && !!e.expiresAt && e.expiresAt <= now;

/** The record's pending request or its erasure, if any (an expired request counts as none). */
async function openErasureOf(db: Db, type: Erasable, id: string): Promise<ErasureRow | undefined> {
  const [row] = await db
    .select()
    .from(erasure)
    .where(and(eq(erasure.recordType, type), eq(erasure.recordId, id), inArray(erasure.status, ['pending', 'done'])))
    .limit(1);
  return row;
}

async function newReference(db: Db): Promise<string> {
  for (;;) {
    let r = '';
    for (let i = 0; i < 4; i++) r += REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
    const [taken] = await db.select({ id: erasure.id }).from(erasure).where(eq(erasure.reference, r)).limit(1);
    if (!taken) return r;
  }
}

async function userNames(db: Db, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  if (wanted.length === 0) return new Map();
  const found = await db.select({ id: user.id, name: user.name }).from(user).where(inArray(user.id, wanted));
  return new Map(found.map((u) => [u.id, u.name]));
}

async function recordNames(db: Db, list: ErasureRow[]): Promise<Map<string, string>> {
  const people = list.filter((e) => e.recordType === 'person').map((e) => e.recordId);
  const orgs = list.filter((e) => e.recordType === 'organisation').map((e) => e.recordId);
  const out = new Map<string, string>();
  if (people.length) {
    for (const r of await rows<{ id: string; name: string }>(db, sql`SELECT id::text AS id, display_name AS name FROM person WHERE id = ANY(${`{${people.join(',')}}`}::uuid[])`)) {
      out.set(`person:${r.id}`, r.name);
    }
  }
  if (orgs.length) {
    for (const r of await rows<{ id: string; name: string }>(db, sql`SELECT id::text AS id, name FROM organisation WHERE id = ANY(${`{${orgs.join(',')}}`}::uuid[])`)) {
      out.set(`organisation:${r.id}`, r.name);
    }
  }
  return out;
}

async function toDtos(db: Db, list: ErasureRow[]): Promise<ErasureDto[]> {
  const names = await userNames(
    db,
    list.flatMap((e) => [e.requestedBy, e.erasedBy, e.cancelledBy]),
  );
  const records = await recordNames(db, list);
  const ref = (id: string | null) => (id ? { id, name: names.get(id) ?? '' } : null);
  const now = new Date();
  return list.map((e) => ({
    id: e.id,
    recordType: e.recordType as Erasable,
    recordId: e.recordId,
    reference: e.reference,
    tombstone: e.tombstone,
    status: isExpired(e, now) ? 'expired' : (e.status as ErasureDto['status']),
    recordName: e.status === 'done' ? e.tombstone : (records.get(`${e.recordType}:${e.recordId}`) ?? null),
    reason: e.reason,
    redact: e.redact as ErasureDto['redact'],
    requestedBy: ref(e.requestedBy),
    requestedAt: e.requestedAt.toISOString(),
    expiresAt: e.expiresAt?.toISOString() ?? null,
    erasedBy: ref(e.erasedBy),
    erasedAt: e.erasedAt?.toISOString() ?? null,
    cancelledBy: ref(e.cancelledBy),
    cancelledAt: e.cancelledAt?.toISOString() ?? null,
    mentions: (e.mentions as ErasureDto['mentions']) ?? null,
  }));
}

async function toDto(db: Db, e: ErasureRow): Promise<ErasureDto> {
  return (await toDtos(db, [e]))[0]!;
}

// ---------------------------------------------------------------- reading

/** Whether a record is erased (for every reader who may see it); administrators also see a pending request. */
export async function recordErasureState(db: Db, ctx: RequestContext, type: Erasable, id: string) {
  const actor = reader(ctx);
  if (!isUuid(id)) throw notFound(type);
  const visible =
    type === 'person'
      ? await rows(db, sql`SELECT 1 FROM person WHERE id = ${id}::uuid AND ${personVisible(actor, sql`person.id`)}`)
      : await rows(db, sql`SELECT 1 FROM organisation WHERE id = ${id}::uuid`);
  if (visible.length === 0) throw notFound(type);
  const isAdmin = actor.role === 'admin';
  let e = await openErasureOf(db, type, id);
  if (e && isExpired(e)) e = undefined;
  const state = e?.status === 'done' ? 'erased' : e && isAdmin ? 'pending' : 'none';
  return {
    recordType: type,
    recordId: id,
    state: state as 'none' | 'pending' | 'erased',
    reference: e?.status === 'done' ? e.reference : null,
    erasedAt: e?.status === 'done' ? (e.erasedAt?.toISOString() ?? null) : null,
    erasure: isAdmin && e ? await toDto(db, e) : null,
    secondAdminRequired: isAdmin ? (await readErasureSettings(db)).secondAdmin : false,
  };
}

/** The audit entries an erasure rewrites: those about the record, and those whose detail names it. */
async function auditCandidates(db: Db, snap: Snapshot) {
  const patterns = jsonLikePatterns(snap.terms);
  const about = sql`(entity_type = ${snap.type} AND entity_id = ${snap.id})`;
  const naming = patterns.length
    ? sql`(${sql.join(
        patterns.map((p) => sql`detail::text ILIKE ${p}`),
        sql` OR `,
      )})`
    : sql`false`;
  return rows<{ id: string; about: boolean; detail: Record<string, unknown> | string }>(
    db,
    sql`SELECT id::text AS id, ${about} AS about, detail FROM audit_entry WHERE detail IS NOT NULL AND (${about} OR ${naming}) ORDER BY id`,
  );
}

const ID_KEY = /(^id$|Id$)/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The detail an entry about the erased record keeps: the tombstone, and of what it held only ids, flags and counts
 * (what was done to which record, never what the record said).
 */
function tombstoneDetail(detail: Record<string, unknown>, tombstone: string): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(detail)) {
    if (k === 'erased') continue;
    if (v === null || typeof v === 'boolean' || typeof v === 'number') kept[k] = v;
    else if (typeof v === 'string' && (UUID_RE.test(v) || (ID_KEY.test(k) && /^[A-Za-z0-9_-]{1,64}$/.test(v)))) kept[k] = v;
  }
  return { erased: tombstone, ...kept };
}

function parseDetail(d: Record<string, unknown> | string): Record<string, unknown> {
  return typeof d === 'string' ? (JSON.parse(d) as Record<string, unknown>) : d;
}

/** What the rewrite makes of each candidate entry (null: it stays as it is). */
function rewrittenDetail(entry: { about: boolean; detail: Record<string, unknown> | string }, snap: Snapshot, tombstone: string): Record<string, unknown> | null {
  const detail = parseDetail(entry.detail);
  if (entry.about) {
    const next = tombstoneDetail(detail, tombstone);
    return JSON.stringify(next) === JSON.stringify(detail) ? null : next;
  }
  const next = replaceInJson(detail, snap.terms, tombstone);
  return next === detail ? null : next;
}

export async function previewErasure(db: Db, ctx: RequestContext, type: Erasable, id: string): Promise<ErasurePreview> {
  admin(ctx);
  const snap = await requireSnapshot(db, type, id, false);
  const open = await openErasureOf(db, type, id);
  if (open?.status === 'done') throw alreadyErased();
  return buildPreview(db, snap);
}

async function buildPreview(db: Db, snap: Snapshot): Promise<ErasurePreview> {
  const places = await findPlaces(db, snap.terms, { type: snap.type, id: snap.id });
  const tombstone = tombstoneOf(snap.type, 'XXXX');
  const audit = (await auditCandidates(db, snap)).filter((e) => rewrittenDetail(e, snap, tombstone) !== null).length;
  const { id, type } = snap;
  const keeps =
    type === 'person'
      ? {
          meetings: await count(db, sql`SELECT count(*) AS n FROM meeting_person WHERE person_id = ${id}::uuid`),
          sharedItems: 0,
          followUps: 0,
        }
      : {
          meetings: await count(db, sql`SELECT count(*) AS n FROM meeting_organisation WHERE organisation_id = ${id}::uuid`),
          sharedItems: await count(db, sql`SELECT count(*) AS n FROM shared_item WHERE organisation_id = ${id}::uuid`),
          followUps: await count(db, sql`SELECT count(*) AS n FROM follow_up WHERE organisation_id = ${id}::uuid`),
        };
  return {
    recordType: type,
    recordId: id,
    displayName: snap.displayName,
    erases: { ...snap.counts, auditEntries: audit },
    keeps,
    mentions: places.slice(0, MAX_PREVIEW_MENTIONS).map((p) => previewOf(p, snap.terms)),
    mentionsTotal: places.length,
  };
}

export type ErasureListFilter = { status: 'pending' | 'done' | 'cancelled' | 'expired' | 'all'; limit: number; cursor?: string };

/** Requests and erasures, newest first (administrators). */
export async function listErasures(db: Db, ctx: RequestContext, f: ErasureListFilter) {
  admin(ctx);
  const now = new Date();
  const where: (SQL | undefined)[] = [];
  if (f.status === 'pending') where.push(sql`${erasure.status} = 'pending' AND (${erasure.expiresAt} IS NULL OR ${erasure.expiresAt} > ${now})`);
  else if (f.status === 'expired') where.push(sql`(${erasure.status} = 'expired' OR (${erasure.status} = 'pending' AND ${erasure.expiresAt} <= ${now}))`);
  else if (f.status !== 'all') where.push(eq(erasure.status, f.status));
  const cur = decodeCursor(f.cursor, 2, ([at, id]) => typeof at === 'string' && !Number.isNaN(Date.parse(at)) && typeof id === 'string' && isUuid(id));
  if (cur) {
    const at = new Date(String(cur[0]));
    where.push(or(lt(erasure.requestedAt, at), and(eq(erasure.requestedAt, at), lt(erasure.id, String(cur[1])))));
  }
  const found = await db
    .select()
    .from(erasure)
    .where(and(...where))
    .orderBy(desc(erasure.requestedAt), desc(erasure.id))
    .limit(f.limit + 1);
  const page = paginate(found, f.limit, (e) => [e.requestedAt.toISOString(), e.id]);
  return { items: await toDtos(db, page.items), nextCursor: page.nextCursor };
}

async function requireErasure(db: Db, id: string, lock = false): Promise<ErasureRow> {
  if (!isUuid(id)) throw notFound('erasure_request');
  const q = db.select().from(erasure).where(eq(erasure.id, id));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw notFound('erasure_request');
  return row;
}

/** One request or erasure; while pending, with what confirming it would erase (administrators). */
export async function getErasure(db: Db, ctx: RequestContext, id: string) {
  admin(ctx);
  const e = await requireErasure(db, id);
  const dto = await toDto(db, e);
  let preview: ErasurePreview | null = null;
  if (dto.status === 'pending') {
    const snap = await snapshotOf(db, e.recordType as Erasable, e.recordId, false);
    if (snap) preview = await buildPreview(db, snap);
  }
  return { erasure: dto, preview };
}

// ---------------------------------------------------------------- writing

function alreadyErased(): AppError {
  return new AppError('conflict', 'already_erased', 'This record was already erased.');
}

/** Validates input given by another caller (routes validate before calling). */
function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: unknown } }, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new AppError('invalid', 'invalid_request', 'The request has invalid fields.', zodFieldErrors(r.error as never, 'body'));
  return r.data;
}

/**
 * Asks for a record's erasure. When the install requires a second administrator, this records a pending request
 * (another administrator confirms it within REQUEST_DAYS days); otherwise the record is erased at once.
 */
export async function requestErasure(db: Db, ctx: RequestContext, type: Erasable, id: string, raw: RequestErasureInput) {
  const actor = admin(ctx);
  const input = parse(RequestErasureSchema, raw);
  const outcome = await db.transaction(async (tx) => {
    const { secondAdmin } = await readErasureSettings(tx);
    const snap = await requireSnapshot(tx, type, id, true);
    const open = await openErasureOf(tx, type, id);
    if (open?.status === 'done') throw alreadyErased();
    if (open && !isExpired(open)) throw new AppError('conflict', 'erasure_pending', 'An erasure of this record is already waiting for a second administrator.');
    if (!confirmMatches(input.confirmName, snap.displayName)) throw confirmationMismatch();
    const reason = input.reason?.trim() || null;
    if (reason && (mentions(reason, snap.terms) || replaceTerms(reason, snap.terms, '') !== reason)) {
      throw new AppError('unprocessable', 'reason_names_record', 'The reason is kept after the erasure: it must not name the person or organisation.', [
        { field: 'body.reason', detail: 'Names the record' },
      ]);
    }
    // the places chosen must be places that name the record now
    const places = await findPlaces(tx, snap.terms, { type, id });
    const known = new Set(places.map(placeKey));
    const redact: ErasurePlace[] = [];
    const seen = new Set<string>();
    input.redact.forEach((p, i) => {
      if (!known.has(placeKey(p))) {
        throw new AppError('unprocessable', 'place_not_found', 'A place chosen for redaction does not name this record.', [
          { field: `body.redact.${i}`, detail: 'Does not name the record' },
        ]);
      }
      if (!seen.has(placeKey(p))) redact.push({ kind: p.kind, id: p.id });
      seen.add(placeKey(p));
    });
    if (open) await tx.update(erasure).set({ status: 'expired' }).where(eq(erasure.id, open.id));
    const reference = await newReference(tx);
    const [row] = await tx
      .insert(erasure)
      .values({
        recordType: type,
        recordId: id,
        reference,
        tombstone: tombstoneOf(type, reference),
        status: secondAdmin ? 'pending' : 'erasing',
        reason,
        redact,
        requestedBy: actor.id,
        expiresAt: secondAdmin ? sql`now() + make_interval(days => ${REQUEST_DAYS})` : null,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'erasure.request',
      entityType: 'erasure',
      entityId: row!.id,
      detail: { recordType: type, recordId: id, reference, secondAdmin, places: redact.length, ...(open ? { expired: open.id } : {}) },
    });
    if (secondAdmin) return { row: row!, tables: [] as string[], done: false };
    const done = await carryOut(tx, ctx, row!, snap, { erasedBy: actor.id });
    return { row: done.row, tables: done.tables, done: true };
  });
  await vacuumAfterErasure(db, outcome.tables);
  return { erasure: await toDto(db, outcome.row), done: outcome.done };
}

/** A second administrator (not the requester, while the install requires a second) confirms: the record is erased. */
export async function confirmErasure(db: Db, ctx: RequestContext, requestId: string, raw: { confirmName: string }) {
  const actor = admin(ctx);
  const input = parse(ConfirmErasureSchema, raw);
  const outcome = await db.transaction(async (tx) => {
    const { secondAdmin } = await readErasureSettings(tx);
    const e = await requireErasure(tx, requestId, true);
    if (e.status !== 'pending') throw new AppError('conflict', 'erasure_not_pending', 'This request was already carried out or cancelled.');
    if (isExpired(e)) throw new AppError('conflict', 'erasure_request_expired', `This request is more than ${REQUEST_DAYS} days old; ask again.`);
    if (secondAdmin && e.requestedBy === actor.id) {
      throw new AppError('forbidden', 'second_admin_required', 'Another administrator must confirm the erasure you asked for.');
    }
    const snap = await snapshotOf(tx, e.recordType as Erasable, e.recordId, true);
    if (!snap) throw notFound(e.recordType);
    if (!confirmMatches(input.confirmName, snap.displayName)) throw confirmationMismatch();
    return carryOut(tx, ctx, e, snap, { erasedBy: actor.id });
  });
  await vacuumAfterErasure(db, outcome.tables);
  return toDto(db, outcome.row);
}

/** Withdraws a pending request (any administrator). */
export async function cancelErasure(db: Db, ctx: RequestContext, requestId: string): Promise<void> {
  const actor = admin(ctx);
  await db.transaction(async (tx) => {
    const e = await requireErasure(tx, requestId, true);
    if (e.status !== 'pending') throw new AppError('conflict', 'erasure_not_pending', 'This request was already carried out or cancelled.');
    await tx.update(erasure).set({ status: 'cancelled', cancelledBy: actor.id, cancelledAt: new Date() }).where(eq(erasure.id, e.id));
    await recordAudit(tx, ctx, {
      action: 'erasure.cancel',
      entityType: 'erasure',
      entityId: e.id,
      detail: { recordType: e.recordType, recordId: e.recordId, reference: e.reference, expired: isExpired(e) },
    });
  });
}

/** Refuses a write to a record that was erased (its tombstone stays as it is). */
export async function assertNotErased(db: Db, type: Erasable, id: string): Promise<void> {
  if (!isUuid(id)) return;
  const [e] = await db
    .select({ id: erasure.id })
    .from(erasure)
    .where(and(eq(erasure.recordType, type), eq(erasure.recordId, id), eq(erasure.status, 'done')))
    .limit(1);
  if (e) throw new AppError('conflict', 'record_erased', 'This record was erased on request; it cannot be changed.');
}

// ---------------------------------------------------------------- the erasure itself

/**
 * Erases the record in the caller's transaction: redacts the chosen places, replaces the record's data by the
 * tombstone, rewrites the audit log's earlier details, makes every server rebuild its search index, marks the row
 * done and audits `<type>.erase`. Returns the tables written (to vacuum once committed).
 */
async function carryOut(tx: Db, ctx: RequestContext, e: ErasureRow, snap: Snapshot, opts: { erasedBy: string | null; reapplied?: boolean }) {
  const tombstone = e.tombstone;
  // the audit log's trigger lets this transaction rewrite details while the row says `erasing` (drizzle/0013)
  await tx.execute(sql`SELECT set_config('convene.erasure', ${e.id}, true)`);
  await tx.update(erasure).set({ status: 'erasing' }).where(eq(erasure.id, e.id));
  const tables = new Set<string>(['audit_entry', 'erasure']);
  let registrationsErased = 0;

  // free text elsewhere: the chosen places redacted, every place listed
  const places = await findPlaces(tx, snap.terms, { type: snap.type, id: snap.id });
  const chosen = new Set((e.redact as ErasurePlace[]).map(placeKey));
  const found: ErasureMention[] = [];
  for (const p of places) {
    let redacted = false;
    if (chosen.has(placeKey(p))) {
      redacted = await redactPlace(tx, p, snap.terms, `[${tombstone}]`);
      tables.add(PLACE_TABLES[p.kind]);
    }
    found.push({ kind: p.kind, id: p.id, link: p.link, redacted });
  }

  // the record itself
  const id = snap.id;
  if (snap.type === 'person') {
    await tx.execute(sql`DELETE FROM person_name WHERE person_id = ${id}::uuid`);
    await tx.execute(sql`DELETE FROM person_contact WHERE person_id = ${id}::uuid`);
    await tx.execute(sql`DELETE FROM affiliation WHERE person_id = ${id}::uuid`);
    // nothing is left to hide behind a pseudonym; a restricted person stays restricted (who met them is still need-to-know)
    await tx.execute(sql`UPDATE person SET display_name = ${tombstone}, pseudonym = NULL, identity_restricted = false, preferred_language = NULL,
      tags = '{}', notes = NULL, updated_at = now() WHERE id = ${id}::uuid`);
    // a role at a meeting ("ambassador", "speaker") says who they were; the attendance itself stays
    await tx.execute(sql`UPDATE meeting_person SET role = 'participant' WHERE person_id = ${id}::uuid AND role <> 'participant'`);
    for (const t of ['person', 'person_name', 'person_contact', 'affiliation', 'meeting_person']) tables.add(t);
    // a person made from an event's registration (Events: "Add to the Network"): that registration's name, email and
    // answers go too, by the statement the event's retention uses (its tickets and figures stay)
    registrationsErased = (await eraseRegistrations(tx, registrationsOfPerson(id))).length;
    if (registrationsErased) tables.add('registration');
  } else {
    await tx.execute(sql`DELETE FROM organisation_name WHERE organisation_id = ${id}::uuid`);
    await tx.execute(sql`UPDATE organisation SET name = ${tombstone}, website = NULL, description = NULL, city = NULL, area = NULL, tags = '{}',
      updated_at = now() WHERE id = ${id}::uuid`);
    await tx.execute(sql`UPDATE organisation_status_change SET note = NULL WHERE organisation_id = ${id}::uuid AND note IS NOT NULL`);
    await tx.execute(sql`UPDATE organisation_link SET note = NULL WHERE (from_id = ${id}::uuid OR to_id = ${id}::uuid) AND note IS NOT NULL`);
    for (const t of ['organisation', 'organisation_name', 'organisation_status_change', 'organisation_link', 'read_model.organisation_card', 'read_model.member_health']) {
      tables.add(t);
    }
  }

  // news posts (Updates): the names in every version's text, revision, photo text and draft figure
  const posts = await redactPosts(tx, snap.terms, `[${tombstone}]`);
  if (posts.posts.length) for (const t of POST_TABLES) tables.add(t);

  // the audit log's earlier entries: about the record, or naming it
  let rewritten = 0;
  for (const entry of await auditCandidates(tx, snap)) {
    const next = rewrittenDetail(entry, snap, tombstone);
    if (!next) continue;
    await tx.execute(sql`UPDATE audit_entry SET detail = ${JSON.stringify(next)}::jsonb WHERE id = ${entry.id}::bigint`);
    rewritten++;
  }

  // the request's reason was checked not to name the record; made sure of here too
  const reason = e.reason ? replaceTerms(e.reason, snap.terms, tombstone) : null;

  const [row] = await tx
    .update(erasure)
    .set({ status: 'done', erasedBy: opts.erasedBy, erasedAt: e.erasedAt && opts.reapplied ? e.erasedAt : new Date(), mentions: found, reason })
    .where(eq(erasure.id, e.id))
    .returning();
  await recordAudit(tx, ctx, {
    action: `${snap.type}.erase`,
    entityType: snap.type,
    entityId: id,
    detail: {
      reference: e.reference,
      erasureId: e.id,
      requestedBy: e.requestedBy,
      erasedBy: opts.erasedBy,
      placesRedacted: found.filter((m) => m.redacted).length,
      placesToReview: found.filter((m) => !m.redacted).length,
      auditEntriesRewritten: rewritten,
      ...(registrationsErased ? { registrationsErased } : {}),
      ...(posts.posts.length || posts.toReview.length
        ? { postsRedacted: posts.posts, postVersionsRedacted: posts.versions, postRevisionsRedacted: posts.revisions, postPhotosRedacted: posts.photos, postsToReview: posts.toReview }
        : {}),
      ...(opts.reapplied ? { reapplied: true } : {}),
    },
  });

  // every server's search index forgets the erased texts: a new generation makes each one rebuild from the tables
  // before its next search (read_model.search_change holds row ids only, never text). Last, because the log's
  // advisory lock is held until commit.
  await tx.execute(sql`UPDATE read_model.search_state SET generation = generation + 1 WHERE id = 1`);
  await tx.execute(sql`SELECT pg_advisory_xact_lock(727043101)`);
  await tx.execute(sql`INSERT INTO read_model.search_change (tbl, row_id) VALUES ('erasure', ${id}::uuid)`);
  await tx.execute(sql`SELECT set_config('convene.erasure', '', true)`);
  return { row: row!, tables: [...tables] };
}

/**
 * Once the erasure committed, the old row versions (which still hold the erased text until vacuumed) are removed
 * from the tables it wrote, and their statistics recomputed (they sample values). Best effort: the erasure stands
 * whatever happens here; the disk may still hold the bytes until overwritten (docs/erasure.md).
 */
export async function vacuumAfterErasure(db: Db, tables: string[]): Promise<void> {
  if (tables.length === 0) return;
  const list = tables.map((t) => t.split('.').map((p) => `"${p.replace(/"/g, '""')}"`).join('.')).join(', ');
  try {
    await db.execute(sql.raw(`VACUUM (ANALYZE) ${list}`));
  } catch {
    /* e.g. another VACUUM holds the tables: autovacuum (PostgreSQL) gets to them */
  }
}

// ---------------------------------------------------------------- after a restore

/** The record holds nothing but its tombstone (erased, and its data did not come back). */
function isTombstoned(snap: Snapshot, tombstone: string): boolean {
  const c = snap.counts;
  return snap.displayName === tombstone && c.names + c.contacts + c.affiliations + c.tags + c.statusNotes + c.linkNotes + c.registrations === 0 && !c.notes && !c.pseudonym && !c.website;
}

/** An erasure as `convene erasures list --json` writes it: ids and the reference, nothing of what was erased. */
export type ErasureRecord = {
  id: string;
  recordType: Erasable;
  recordId: string;
  reference: string;
  tombstone: string;
  erasedAt: string;
  erasedBy: string | null;
  requestedBy: string | null;
  requestedAt: string;
  redact: ErasurePlace[];
};

/** Every erasure carried out, oldest first. */
export async function erasureRecords(db: Db): Promise<ErasureRecord[]> {
  const found = await db.select().from(erasure).where(eq(erasure.status, 'done')).orderBy(erasure.erasedAt, erasure.id);
  return found.map((e) => ({
    id: e.id,
    recordType: e.recordType as Erasable,
    recordId: e.recordId,
    reference: e.reference,
    tombstone: e.tombstone,
    erasedAt: (e.erasedAt ?? e.requestedAt).toISOString(),
    erasedBy: e.erasedBy,
    requestedBy: e.requestedBy,
    requestedAt: e.requestedAt.toISOString(),
    redact: (e.redact as ErasurePlace[]) ?? [],
  }));
}

export type ReapplyOutcome = { reapplied: number; alreadyErased: number; absent: number };

/**
 * Erases again, in the caller's transaction, what these erasures erased: after restoring a backup made before them,
 * the restored tables hold the data again. Each keeps its reference and date; the audit says `reapplied`. A record
 * the backup does not hold is only noted (its erasure row restored, so a later restore re-applies it too).
 */
export async function reapplyErasures(
  tx: Db,
  list: ErasureRecord[],
  ctx: RequestContext = { actor: null, ip: 'command line', userAgent: 'convene erasures reapply' },
  opts: { recheck?: boolean } = {},
): Promise<ReapplyOutcome & { tables: string[] }> {
  const out = { reapplied: 0, alreadyErased: 0, absent: 0 };
  const tables = new Set<string>();
  const known = new Set((await tx.select({ id: user.id }).from(user)).map((u) => u.id));
  const userOrNull = (id: string | null) => (id && known.has(id) ? id : null);
  for (const r of list) {
    const [existing] = await tx.select().from(erasure).where(eq(erasure.id, r.id));
    if (existing?.status === 'done') {
      // (recheck: the database's own list, after a restore by other means: the row may be done and the data back)
      const snap = opts.recheck ? await snapshotOf(tx, r.recordType, r.recordId, true) : undefined;
      if (!snap || isTombstoned(snap, existing.tombstone)) {
        out.alreadyErased++;
        continue;
      }
    }
    // an open request restored for the same record gives way to the erasure
    await tx
      .update(erasure)
      .set({ status: 'cancelled', cancelledAt: new Date() })
      .where(and(eq(erasure.recordType, r.recordType), eq(erasure.recordId, r.recordId), inArray(erasure.status, ['pending', 'done']), ne(erasure.id, r.id)));
    const values = {
      id: r.id,
      recordType: r.recordType,
      recordId: r.recordId,
      reference: r.reference,
      tombstone: r.tombstone,
      reason: null,
      redact: r.redact,
      requestedBy: userOrNull(r.requestedBy),
      requestedAt: new Date(r.requestedAt),
      erasedAt: new Date(r.erasedAt),
    };
    const snap = await snapshotOf(tx, r.recordType, r.recordId, true);
    if (!snap || isTombstoned(snap, r.tombstone)) {
      await tx
        .insert(erasure)
        .values({ ...values, status: 'done', erasedBy: userOrNull(r.erasedBy) })
        .onConflictDoUpdate({ target: erasure.id, set: { status: 'done' } });
      if (snap) out.alreadyErased++;
      else out.absent++;
      continue;
    }
    const [row] = await tx
      .insert(erasure)
      .values({ ...values, status: 'erasing' })
      .onConflictDoUpdate({ target: erasure.id, set: { status: 'erasing', tombstone: r.tombstone, reference: r.reference } })
      .returning();
    const done = await carryOut(tx, ctx, row!, snap, { erasedBy: userOrNull(r.erasedBy), reapplied: true });
    for (const t of done.tables) tables.add(t);
    out.reapplied++;
  }
  return { ...out, tables: [...tables] };
}
