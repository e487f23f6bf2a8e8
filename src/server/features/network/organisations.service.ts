import { and, asc, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { z } from '@hono/zod-openapi';
import { inOrder, rows, type Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { paginate } from '../../core/pagination.ts';
import { decodeOrderCursor, inNameOrder, orderLanguage, sortNames } from './list-order.ts';
import { AppError, zodFieldErrors } from '../../core/errors.ts';
import type { Actor } from '../../access/roles.ts';
import { user } from '../accounts/accounts.schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { affiliation, organisation, organisationLink, organisationName, organisationStatusChange, person } from './network.schema.ts';
import { assertNotErased } from './erasure.service.ts';
import { nameFromFacts, rowFromFacts, type NameFacts } from '../../read-models/facts.ts';
import { detectScript, normalizeName, type Script } from './names.ts';
import {
  CreateOrganisationLinkSchema,
  CreateOrganisationSchema,
  NewOrganisationNameSchema,
  OrganisationListQuerySchema,
  SetOrganisationStatusSchema,
  UpdateOrganisationSchema,
  type CreateOrganisationInput,
  type OrganisationDetailDto,
  type OrganisationDto,
  type OrganisationLinkDto,
  type OrganisationListQuery,
  type UpdateOrganisationInput,
} from './organisations.contract.ts';
import { isUuid, notFound } from '../../core/errors.ts';
import { auditRestrictedReads, personIdentityVisible, personRowVisible, personVisible, reader, writer } from '../../access/need-to-know.ts';

type OrganisationRow = typeof organisation.$inferSelect;
type NameRow = typeof organisationName.$inferSelect;

// Services are called by routes (input already parsed) and by other features (imports, merge, demo data):
// parse again so that those callers get the same defaults and the same field errors.
function parse<S extends z.ZodTypeAny>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw new AppError('invalid', 'invalid_request', 'The request has invalid fields.', zodFieldErrors(r.error, 'body'));
  return r.data;
}

/** Trimmed, without empty ones, and each tag once whatever its case (the first spelling wins). */
export function normalizeTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of tags) {
    const t = raw.trim();
    const key = t.toLocaleLowerCase();
    if (!t || seen.has(key)) continue;
    seen.add(key);
    out.push(t);
  }
  return out;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** Today in the actor's time zone: a status change recorded on Monday evening in Ramallah took effect on Monday. */
function today(actor: Actor | null): string {
  const tz = actor?.timeZone || 'UTC';
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  } catch {
    return new Date().toISOString().slice(0, 10);
  }
}

function toNameDto(n: Pick<NameRow, 'id' | 'name' | 'script' | 'kind'>) {
  return { id: n.id, name: n.name, script: n.script as Script, kind: n.kind as 'official' };
}

function toDto(o: OrganisationRow, names: Pick<NameRow, 'id' | 'name' | 'script' | 'kind'>[]): OrganisationDto {
  return {
    id: o.id,
    kind: o.kind as OrganisationDto['kind'],
    status: (o.status ?? null) as OrganisationDto['status'],
    name: o.name,
    names: sortNames(names, o.name).map(toNameDto),
    country: o.country,
    area: o.area,
    city: o.city,
    website: o.website,
    languages: o.languages,
    description: o.description,
    tags: o.tags,
    ownerId: o.ownerId,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  };
}

async function namesOf(db: Db, ids: string[]): Promise<Map<string, NameRow[]>> {
  const map = new Map<string, NameRow[]>();
  if (ids.length === 0) return map;
  const rows = await db.select().from(organisationName).where(inArray(organisationName.organisationId, ids));
  for (const r of rows) {
    const list = map.get(r.organisationId) ?? [];
    list.push(r);
    map.set(r.organisationId, list);
  }
  return map;
}

async function loadDto(db: Db, id: string): Promise<OrganisationDto> {
  const [o] = await db.select().from(organisation).where(eq(organisation.id, id));
  if (!o) throw notFound('organisation');
  return toDto(o, (await namesOf(db, [id])).get(id) ?? []);
}

/** The organisation, locked for a change; one erased on request is frozen (but for deleting it). */
async function lockOrganisation(db: Db, id: string, opts: { erased?: 'allow' } = {}): Promise<OrganisationRow> {
  const [o] = isUuid(id) ? await db.select().from(organisation).where(eq(organisation.id, id)).for('update') : [];
  if (!o) throw notFound('organisation');
  if (opts.erased !== 'allow') await assertNotErased(db, 'organisation', id);
  return o;
}

async function assertOwnerExists(db: Db, ownerId: string | null | undefined) {
  if (!ownerId) return;
  const [u] = await db.select({ id: user.id }).from(user).where(eq(user.id, ownerId));
  if (!u) throw new AppError('unprocessable', 'unknown_owner', 'The owner is not an account of this install.', [{ field: 'body.ownerId', detail: 'No such user' }]);
}

function statusOnlyForMembers(field = 'body.status'): AppError {
  return new AppError('unprocessable', 'status_only_for_members', 'Only member organisations have a membership status.', [
    { field, detail: 'Only for kind member' },
  ]);
}

/**
 * Appends a status change and sets the current status to the latest one in effect: recording an old status
 * after the fact (history being filled in) does not overturn a newer one.
 */
async function appendStatus(tx: Db, ctx: RequestContext, organisationId: string, change: { status: string; since?: string; note?: string | null }) {
  const since = change.since ?? today(ctx.actor);
  const [row] = await tx
    .insert(organisationStatusChange)
    .values({ organisationId, status: change.status, since, note: change.note || null, recordedBy: ctx.actor?.id ?? null })
    .returning();
  const [current] = await tx
    .select({ status: organisationStatusChange.status })
    .from(organisationStatusChange)
    .where(eq(organisationStatusChange.organisationId, organisationId))
    .orderBy(desc(organisationStatusChange.since), desc(organisationStatusChange.recordedAt), desc(sql`${organisationStatusChange.id} = ${row!.id}`))
    .limit(1);
  await tx.update(organisation).set({ status: current!.status }).where(eq(organisation.id, organisationId));
  return row!;
}

export async function createOrganisation(db: Db, ctx: RequestContext, input: CreateOrganisationInput): Promise<OrganisationDto> {
  writer(ctx);
  const v = parse(CreateOrganisationSchema, input);
  if (v.status && v.kind !== 'member') throw statusOnlyForMembers();
  const wanted = v.name && !v.names.some((n) => n.name === v.name) ? [{ name: v.name, kind: 'official' as const }, ...v.names] : v.names;
  const seen = new Set<string>();
  const names = wanted
    .map((n) => ({ name: n.name, kind: n.kind, script: detectScript(n.name), norm: normalizeName(n.name) }))
    .filter((n) => (seen.has(n.norm) ? false : (seen.add(n.norm), true)));
  const displayName = v.name ?? names[0]!.name;
  return db.transaction(async (tx) => {
    await assertOwnerExists(tx, v.ownerId);
    const [o] = await tx
      .insert(organisation)
      .values({
        kind: v.kind,
        status: null,
        name: names.find((n) => n.norm === normalizeName(displayName))!.name,
        country: v.country ?? null,
        area: v.area ?? null,
        city: v.city ?? null,
        website: v.website ?? null,
        languages: unique(v.languages ?? []),
        description: v.description || null,
        tags: normalizeTags(v.tags ?? []),
        ownerId: v.ownerId ?? null,
      })
      .returning();
    await tx.insert(organisationName).values(names.map((n) => ({ ...n, organisationId: o!.id })));
    if (v.status) await appendStatus(tx, ctx, o!.id, { status: v.status, since: v.statusSince, note: v.statusNote });
    await recordAudit(tx, ctx, {
      action: 'organisation.create',
      entityType: 'organisation',
      entityId: o!.id,
      detail: { name: o!.name, kind: v.kind, status: v.status ?? null, names: names.map((n) => n.name) },
    });
    return loadDto(tx, o!.id);
  });
}

export async function updateOrganisation(db: Db, ctx: RequestContext, id: string, input: UpdateOrganisationInput): Promise<OrganisationDto> {
  writer(ctx);
  const v = parse(UpdateOrganisationSchema, input);
  return db.transaction(async (tx) => {
    const before = await lockOrganisation(tx, id);
    const kind = v.kind ?? before.kind;
    if (v.status && kind !== 'member') throw statusOnlyForMembers();
    if (v.ownerId !== undefined) await assertOwnerExists(tx, v.ownerId);

    const set: Partial<typeof organisation.$inferInsert> = { updatedAt: new Date() };
    if (v.kind !== undefined) set.kind = v.kind;
    if (v.country !== undefined) set.country = v.country;
    if (v.area !== undefined) set.area = v.area;
    if (v.city !== undefined) set.city = v.city;
    if (v.website !== undefined) set.website = v.website;
    if (v.languages !== undefined) set.languages = unique(v.languages);
    if (v.description !== undefined) set.description = v.description || null;
    if (v.tags !== undefined) set.tags = normalizeTags(v.tags);
    if (v.ownerId !== undefined) set.ownerId = v.ownerId;
    // an organisation that stops being a member has no membership status (its history stays)
    if (kind !== 'member' || v.status === null) set.status = null;

    if (v.name !== undefined) {
      const existing = await tx.select().from(organisationName).where(eq(organisationName.organisationId, id));
      const norm = normalizeName(v.name);
      const same = existing.find((n) => n.name === v.name) ?? existing.find((n) => n.norm === norm);
      if (same) set.name = same.name;
      else {
        await tx.insert(organisationName).values({ organisationId: id, name: v.name, kind: 'official', script: detectScript(v.name), norm });
        set.name = v.name;
      }
    }
    await tx.update(organisation).set(set).where(eq(organisation.id, id));
    let statusChange: string | null = null;
    if (v.status && (v.status !== before.status || v.statusSince !== undefined)) {
      statusChange = (await appendStatus(tx, ctx, id, { status: v.status, since: v.statusSince, note: v.statusNote })).id;
    }

    const changed = Object.fromEntries(Object.entries(v).filter(([, value]) => value !== undefined));
    const was = Object.fromEntries(Object.keys(changed).filter((k) => k in before).map((k) => [k, before[k as keyof OrganisationRow]]));
    await recordAudit(tx, ctx, { action: 'organisation.update', entityType: 'organisation', entityId: id, detail: { ...changed, before: was, statusChange } });
    return loadDto(tx, id);
  });
}

export async function deleteOrganisation(db: Db, ctx: RequestContext, id: string): Promise<void> {
  writer(ctx);
  await db.transaction(async (tx) => {
    const o = await lockOrganisation(tx, id, { erased: 'allow' });
    // meetings, what members said in them, who came for whom, follow-ups and affiliations are the coalition's memory,
    // and some of it is need-to-know: deleting would erase or change it with the organisation. One answer whatever
    // the caller may see of that history, and it never says what or where it is.
    const history = await rows(tx, sql`SELECT 1 FROM meeting_organisation WHERE organisation_id = ${id}
      UNION ALL SELECT 1 FROM shared_item WHERE organisation_id = ${id}
      UNION ALL SELECT 1 FROM meeting_person WHERE organisation_id = ${id}
      UNION ALL SELECT 1 FROM follow_up WHERE organisation_id = ${id}
      UNION ALL SELECT 1 FROM affiliation WHERE organisation_id = ${id}
      UNION ALL SELECT 1 FROM campaign_target WHERE organisation_id = ${id} LIMIT 1`);
    if (history.length > 0) {
      throw new AppError('conflict', 'organisation_has_history', 'This organisation has recorded history (meetings, people, follow-ups). Merge it into another organisation instead of deleting it.');
    }
    const names = await tx.select({ name: organisationName.name }).from(organisationName).where(eq(organisationName.organisationId, id));
    await tx.delete(organisation).where(eq(organisation.id, id));
    await recordAudit(tx, ctx, {
      action: 'organisation.delete',
      entityType: 'organisation',
      entityId: id,
      detail: { name: o.name, kind: o.kind, names: names.map((n) => n.name) },
    });
  });
}

export async function addOrganisationName(db: Db, ctx: RequestContext, id: string, input: { name: string; kind?: string }): Promise<OrganisationDto> {
  writer(ctx);
  const v = parse(NewOrganisationNameSchema, input);
  const norm = normalizeName(v.name);
  return db.transaction(async (tx) => {
    await lockOrganisation(tx, id);
    const [dup] = await tx
      .select({ id: organisationName.id })
      .from(organisationName)
      .where(and(eq(organisationName.organisationId, id), eq(organisationName.norm, norm)));
    if (dup) throw new AppError('conflict', 'name_exists', 'The organisation already has this name.', [{ field: 'body.name', detail: 'Already one of its names' }]);
    const [n] = await tx.insert(organisationName).values({ organisationId: id, name: v.name, kind: v.kind, script: detectScript(v.name), norm }).returning();
    await tx.update(organisation).set({ updatedAt: new Date() }).where(eq(organisation.id, id));
    await recordAudit(tx, ctx, { action: 'organisation.add_name', entityType: 'organisation', entityId: id, detail: { nameId: n!.id, name: v.name, kind: v.kind } });
    return loadDto(tx, id);
  });
}

export async function removeOrganisationName(db: Db, ctx: RequestContext, id: string, nameId: string): Promise<OrganisationDto> {
  writer(ctx);
  return db.transaction(async (tx) => {
    const o = await lockOrganisation(tx, id);
    const names = await tx.select().from(organisationName).where(eq(organisationName.organisationId, id));
    const gone = names.find((n) => n.id === nameId);
    if (!gone) throw notFound('organisation_name');
    const rest = names.filter((n) => n.id !== nameId);
    if (rest.length === 0) throw new AppError('conflict', 'last_name', 'An organisation keeps at least one name.');
    await tx.delete(organisationName).where(eq(organisationName.id, nameId));
    const set: Partial<typeof organisation.$inferInsert> = { updatedAt: new Date() };
    if (gone.name === o.name && !rest.some((n) => n.name === o.name)) set.name = sortNames(rest, '')[0]!.name;
    await tx.update(organisation).set(set).where(eq(organisation.id, id));
    await recordAudit(tx, ctx, {
      action: 'organisation.remove_name',
      entityType: 'organisation',
      entityId: id,
      detail: { nameId, name: gone.name, kind: gone.kind, displayName: set.name ?? o.name },
    });
    return loadDto(tx, id);
  });
}

export async function setOrganisationStatus(
  db: Db,
  ctx: RequestContext,
  id: string,
  input: { status: string; since?: string; note?: string },
): Promise<OrganisationDto> {
  writer(ctx);
  const v = parse(SetOrganisationStatusSchema, input);
  return db.transaction(async (tx) => {
    const o = await lockOrganisation(tx, id);
    if (o.kind !== 'member') throw statusOnlyForMembers();
    const change = await appendStatus(tx, ctx, id, { status: v.status, since: v.since, note: v.note });
    await tx.update(organisation).set({ updatedAt: new Date() }).where(eq(organisation.id, id));
    await recordAudit(tx, ctx, {
      action: 'organisation.set_status',
      entityType: 'organisation',
      entityId: id,
      detail: { status: v.status, since: change.since, note: v.note ?? null, before: o.status, statusChange: change.id },
    });
    return loadDto(tx, id);
  });
}

const linkColumns = (forId: string) => ({
  id: organisationLink.id,
  kind: organisationLink.kind,
  fromId: organisationLink.fromId,
  toId: organisationLink.toId,
  startDate: organisationLink.startDate,
  endDate: organisationLink.endDate,
  note: organisationLink.note,
  createdAt: organisationLink.createdAt,
  otherId: sql<string>`CASE WHEN ${organisationLink.fromId} = ${forId} THEN ${organisationLink.toId} ELSE ${organisationLink.fromId} END`,
  otherName: sql<string>`(SELECT lo.name FROM organisation lo WHERE lo.id = CASE WHEN ${organisationLink.fromId} = ${forId} THEN ${organisationLink.toId} ELSE ${organisationLink.fromId} END)`,
});

type LinkRow = { id: string; kind: string; fromId: string; toId: string; startDate: string | null; endDate: string | null; note: string | null; createdAt: Date; otherId: string; otherName: string };

function toLinkDto(forId: string, l: LinkRow): OrganisationLinkDto {
  return {
    id: l.id,
    kind: l.kind as OrganisationLinkDto['kind'],
    fromId: l.fromId,
    toId: l.toId,
    direction: l.fromId === forId ? 'outgoing' : 'incoming',
    otherId: l.otherId,
    otherName: l.otherName,
    startDate: l.startDate,
    endDate: l.endDate,
    note: l.note,
    createdAt: l.createdAt.toISOString(),
  };
}

export async function createOrganisationLink(
  db: Db,
  ctx: RequestContext,
  fromId: string,
  input: { toId: string; kind: string; startDate?: string; endDate?: string; note?: string },
): Promise<OrganisationLinkDto> {
  writer(ctx);
  const v = parse(CreateOrganisationLinkSchema, input);
  return db.transaction(async (tx) => {
    await lockOrganisation(tx, fromId);
    if (v.toId === fromId) throw new AppError('unprocessable', 'self_link', 'An organisation cannot be linked to itself.', [{ field: 'body.toId', detail: 'The same organisation' }]);
    const [target] = await tx.select({ id: organisation.id }).from(organisation).where(eq(organisation.id, v.toId));
    if (!target) throw new AppError('unprocessable', 'unknown_organisation', 'No such organisation.', [{ field: 'body.toId', detail: 'No such organisation' }]);
    const [dup] = await tx
      .select({ id: organisationLink.id })
      .from(organisationLink)
      .where(
        and(
          eq(organisationLink.fromId, fromId),
          eq(organisationLink.toId, v.toId),
          eq(organisationLink.kind, v.kind),
          sql`${organisationLink.startDate} IS NOT DISTINCT FROM ${v.startDate ?? null}::date`,
          sql`${organisationLink.endDate} IS NOT DISTINCT FROM ${v.endDate ?? null}::date`,
        ),
      );
    if (dup) throw new AppError('conflict', 'link_exists', 'The same link already exists.', [{ field: 'body.toId', detail: 'Already linked this way' }]);
    const [l] = await tx
      .insert(organisationLink)
      .values({ fromId, toId: v.toId, kind: v.kind, startDate: v.startDate ?? null, endDate: v.endDate ?? null, note: v.note || null })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'organisation_link.create',
      entityType: 'organisation_link',
      entityId: l!.id,
      detail: { fromId, toId: v.toId, kind: v.kind, startDate: v.startDate ?? null, endDate: v.endDate ?? null },
    });
    const [row] = await tx.select(linkColumns(fromId)).from(organisationLink).where(eq(organisationLink.id, l!.id));
    return toLinkDto(fromId, row!);
  });
}

export async function deleteOrganisationLink(db: Db, ctx: RequestContext, linkId: string): Promise<void> {
  writer(ctx);
  await db.transaction(async (tx) => {
    const [l] = isUuid(linkId) ? await tx.delete(organisationLink).where(eq(organisationLink.id, linkId)).returning() : [];
    if (!l) throw notFound('organisation_link');
    await recordAudit(tx, ctx, {
      action: 'organisation_link.delete',
      entityType: 'organisation_link',
      entityId: linkId,
      detail: { fromId: l.fromId, toId: l.toId, kind: l.kind, startDate: l.startDate, endDate: l.endDate },
    });
  });
}

/** The organisation page: names, status history, links both ways, and the people affiliated today. */
export async function getOrganisation(db: Db, ctx: RequestContext, id: string): Promise<OrganisationDetailDto> {
  const actor = reader(ctx);
  if (!isUuid(id)) throw notFound('organisation');
  const base = await loadDto(db, id);
  const day = today(actor);
  const [history, links, people] = await inOrder(
    db
      .select()
      .from(organisationStatusChange)
      .where(eq(organisationStatusChange.organisationId, id))
      .orderBy(desc(organisationStatusChange.since), desc(organisationStatusChange.recordedAt), desc(organisationStatusChange.id)),
    db
      .select(linkColumns(id))
      .from(organisationLink)
      .where(or(eq(organisationLink.fromId, id), eq(organisationLink.toId, id)))
      .orderBy(asc(organisationLink.kind), asc(organisationLink.startDate), asc(organisationLink.createdAt), asc(organisationLink.id)),
    // an affiliation is part of a person's real identity: shown only to those who may see it
    db
      .select({
        affiliationId: affiliation.id,
        personId: person.id,
        displayName: person.displayName,
        restricted: person.restricted,
        identityRestricted: person.identityRestricted,
        title: affiliation.title,
        startDate: affiliation.startDate,
        endDate: affiliation.endDate,
      })
      .from(affiliation)
      .innerJoin(person, eq(person.id, affiliation.personId))
      .where(
        and(
          eq(affiliation.organisationId, id),
          sql`(${affiliation.endDate} IS NULL OR ${affiliation.endDate} >= ${day}::date)`,
          personRowVisible(actor, person.restricted, person.id),
          personIdentityVisible(actor, person.id),
        ),
      )
      .orderBy(sql`lower(${person.displayName})`, asc(person.id), asc(affiliation.id))
  );
  await auditRestrictedReads(
    db,
    ctx,
    people.filter((p) => p.restricted || p.identityRestricted).map((p) => ({ entityType: 'person', entityId: p.personId })),
  );
  return {
    ...base,
    statusHistory: history.map((h) => ({
      id: h.id,
      status: h.status as OrganisationDetailDto['statusHistory'][number]['status'],
      since: h.since,
      note: h.note,
      recordedBy: h.recordedBy,
      recordedAt: h.recordedAt.toISOString(),
    })),
    links: links.map((l) => toLinkDto(id, l)),
    // in the reader's order of the names shown (the display name)
    people: inNameOrder(people, (p) => p.displayName, orderLanguage(undefined, actor)).map((p) => ({
      affiliationId: p.affiliationId,
      personId: p.personId,
      displayName: p.displayName,
      title: p.title,
      startDate: p.startDate,
      endDate: p.endDate,
    })),
  };
}

/** The WHERE of the organisation list: also used by exports and segments so that they match the list. */
export function organisationFilter(f: Omit<OrganisationListQuery, 'limit' | 'cursor'>): SQL | undefined {
  const q = f.q ? normalizeName(f.q) : '';
  return and(
    f.kind ? eq(organisation.kind, f.kind) : undefined,
    f.status ? eq(organisation.status, f.status) : undefined,
    f.country ? eq(organisation.country, f.country.toUpperCase()) : undefined,
    f.area ? sql`lower(${organisation.area}) = lower(${f.area})` : undefined,
    f.city ? sql`lower(${organisation.city}) = lower(${f.city})` : undefined,
    f.tag ? sql`EXISTS (SELECT 1 FROM unnest(${organisation.tags}) ft(tag) WHERE lower(ft.tag) = lower(${f.tag.trim()}))` : undefined,
    f.ownerId ? eq(organisation.ownerId, f.ownerId) : undefined,
    // norm holds only letters, digits and single spaces, so q (normalised the same way) has no LIKE wildcards
    q ? sql`EXISTS (SELECT 1 FROM organisation_name fq WHERE fq.organisation_id = ${organisation.id} AND fq.norm ILIKE ${`%${q}%`})` : undefined,
  );
}

/**
 * The organisation list: filtered, in the reader's order of the name shown to them (read_model.organisation_card's
 * key for the language: name-order.sql, docs/network.md "Order"), then by id; a keyset page and the total. One
 * statement: the page in index order (organisation_card_key_<lang>_idx), each organisation's ready card of facts (its
 * row and its names, kept by the database), all in one JSON text, shaped below as the single organisation is (toDto).
 * On the embedded database, which runs one query at a time, three statements and 200 decoded rows cost several times
 * as much.
 */
export async function listOrganisations(db: Db, ctx: RequestContext, query: OrganisationListQuery) {
  const actor = reader(ctx);
  const f = parse(OrganisationListQuerySchema, query);
  const lang = orderLanguage(f.lang, actor);
  const cur = decodeOrderCursor(f.cursor, lang);
  const where = organisationFilter(f) ?? sql`true`;
  const key = sql.raw(`c.key_${lang}`);
  const after = cur ? sql`(${key}, c.organisation_id) > (${cur.key} COLLATE "C", ${cur.id}::uuid)` : sql`true`;
  const [found] = await rows<{ total: number | string; items: string | null }>(
    db,
    sql`SELECT (SELECT count(*) FROM ${organisation} WHERE ${where})::int AS total,
      (SELECT '[' || string_agg(concat('[', to_json(l.key), ',', l.card, ']'), ',' ORDER BY l.key, l.id) || ']'
        FROM (
          SELECT c.organisation_id AS id, ${key} AS key, c.card FROM ${organisation}
            JOIN read_model.organisation_card c ON c.organisation_id = ${organisation.id}
          WHERE ${where} AND ${after}
          ORDER BY ${key}, c.organisation_id
          LIMIT ${f.limit + 1}
        ) l
      ) AS items`,
  );
  const listed = found?.items ? (JSON.parse(found.items) as [string, OrganisationCard][]) : [];
  const page = paginate(listed, f.limit, ([k, card]) => [lang, k, card.organisation.id as string]);
  return {
    items: page.items.map(([, card]) => toDto(rowFromFacts(organisation, card.organisation), card.names.map(nameFromFacts))),
    nextCursor: page.nextCursor,
    total: Number(found?.total ?? 0),
  };
}

/** read_model.organisation_card's facts: the organisation's row (row_to_json) and its names. */
type OrganisationCard = { organisation: Record<string, unknown>; names: NameFacts[] };

/** Organisations that carry this name (exactly, once normalised) in any script: for matching imported rows. */
export async function findOrganisationsByName(db: Db, normName: string) {
  const norm = normalizeName(normName);
  if (!norm) return [];
  return db
    .selectDistinct({ id: organisation.id, name: organisation.name, kind: organisation.kind, status: organisation.status })
    .from(organisation)
    .innerJoin(organisationName, eq(organisationName.organisationId, organisation.id))
    .where(eq(organisationName.norm, norm))
    .orderBy(organisation.name, organisation.id);
}

