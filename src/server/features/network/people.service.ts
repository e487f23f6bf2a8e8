import { and, asc, count, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { inOrder, rows, type Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { paginate } from '../../core/pagination.ts';
import type { NameOrderLanguage } from '../../core/name-order.ts';
import { rowFromFacts } from '../../read-models/facts.ts';
import { compareNamesForListing, decodeOrderCursor, orderLanguage } from './list-order.ts';
import { AppError, zodFieldErrors } from '../../core/errors.ts';
import type { Actor } from '../../access/roles.ts';
import { user } from '../accounts/accounts.schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { meetingPerson } from '../meetings/meetings.schema.ts';
import { assertNotErased } from './erasure.service.ts';
import { detectScript, normalizeName } from './names.ts';
import { affiliation, organisation, organisationName, person, personContact, personName } from './network.schema.ts';
import { accessGrant } from '../../access/access.schema.ts';
import {
  AffiliationInputSchema,
  ContactInputSchema,
  CreatePersonSchema,
  PersonNameInputSchema,
  UpdateAffiliationSchema,
  UpdatePersonSchema,
  type AffiliationInput,
  type ContactInput,
  type CreatePersonInput,
  type Person,
  type PersonNameInput,
  type UpdatePersonInput,
} from './people.contract.ts';
import { isUuid, notFound } from '../../core/errors.ts';
import { auditRestrictedReads, personRowIdentityVisible, personRowVisible, personVisible, visiblePeopleCount, reader, writer } from '../../access/need-to-know.ts';

// People: the verbs. Need-to-know comes from visibility.ts: a restricted person is invisible to those not
// granted; an identity-restricted person shows only the pseudonym (no names, contacts, affiliations or notes)
// to those not granted. Writes to the real identity need sight of it.

type PersonRow = typeof person.$inferSelect;
type Visible = PersonRow & { identityVisible: boolean };

const KIND_ORDER: Record<string, number> = { primary: 0, alternate: 1, transliteration: 2 };

/** Validates input given by another service (routes validate before calling). */
function parse<S extends { safeParse(v: unknown): { success: true; data: unknown } | { success: false; error: unknown } }>(
  schema: S,
  value: unknown,
): Extract<ReturnType<S['safeParse']>, { success: true }>['data'] {
  const r = schema.safeParse(value);
  if (!r.success) throw new AppError('invalid', 'invalid_request', 'The request has invalid fields.', zodFieldErrors(r.error as never, 'body'));
  return r.data as never;
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** The person as the actor may see them, or undefined (missing or restricted from them: the same answer). */
async function loadVisible(db: Db, actor: Actor, id: string, forUpdate = false): Promise<Visible | undefined> {
  if (!isUuid(id)) return undefined;
  const q = db
    .select({ p: person, identityVisible: sql<boolean>`${personRowIdentityVisible(actor, person)}` })
    .from(person)
    .where(and(eq(person.id, id), personVisible(actor, person.id)));
  const [row] = forUpdate ? await q.for('update', { of: person }) : await q;
  return row ? { ...row.p, identityVisible: !!row.identityVisible } : undefined;
}

async function requireVisible(db: Db, actor: Actor, id: string, forUpdate = false): Promise<Visible> {
  const p = await loadVisible(db, actor, id, forUpdate);
  if (!p) throw notFound('person');
  return p;
}

/** Changing a person's real identity (or its protection) needs sight of it; a person erased on request is frozen. */
async function requireIdentity(db: Db, actor: Actor, id: string, opts: { erased?: 'allow' } = {}): Promise<Visible> {
  const p = await requireVisible(db, actor, id, true);
  if (!p.identityVisible) {
    throw new AppError('forbidden', 'identity_restricted', "This person's identity is need-to-know; ask someone who was granted it.");
  }
  if (opts.erased !== 'allow') await assertNotErased(db, 'person', id);
  return p;
}

function isRestrictedRead(p: { restricted: boolean; identityRestricted: boolean; identityVisible: boolean }) {
  return p.restricted || (p.identityRestricted && p.identityVisible);
}

/** Builds the DTOs of several people in four queries; hides what the actor may not see. */
async function toDtos(db: Db, rows: Visible[]): Promise<Person[]> {
  const openIds = rows.filter((r) => r.identityVisible).map((r) => r.id);
  const [names, contacts, affs] = openIds.length
    ? await inOrder(
        db.select().from(personName).where(inArray(personName.personId, openIds)),
        db.select().from(personContact).where(inArray(personContact.personId, openIds)).orderBy(asc(personContact.kind), asc(personContact.value)),
        db
          .select({ a: affiliation, organisationName: organisation.name, organisationKind: organisation.kind })
          .from(affiliation)
          .innerJoin(organisation, eq(organisation.id, affiliation.organisationId))
          .where(inArray(affiliation.personId, openIds))
          .orderBy(sql`${affiliation.endDate} DESC NULLS FIRST`, sql`${affiliation.startDate} DESC NULLS LAST`, asc(organisation.name))
      )
    : [[], [], []];
  // the organisations' names in every script, so a reader sees each affiliation as the timeline names it
  const orgIds = [...new Set(affs.map((x) => x.a.organisationId))];
  const orgNames = orgIds.length
    ? await db
        .select({ organisationId: organisationName.organisationId, name: organisationName.name, script: organisationName.script, kind: organisationName.kind })
        .from(organisationName)
        .where(inArray(organisationName.organisationId, orgIds))
        .orderBy(asc(organisationName.organisationId), asc(organisationName.name))
    : [];
  const now = today();
  return rows.map((p) => {
    const open = p.identityVisible;
    const mine = <T extends { personId: string }>(xs: T[]) => (open ? xs.filter((x) => x.personId === p.id) : []);
    return {
      id: p.id,
      displayName: p.displayName,
      pseudonym: p.pseudonym,
      identityRestricted: p.identityRestricted,
      restricted: p.restricted,
      identityHidden: !open,
      namedPublicly: open && p.namedPublicly,
      names: mine(names)
        .sort((a, b) => Number(b.name === p.displayName) - Number(a.name === p.displayName) || (KIND_ORDER[a.kind] ?? 9) - (KIND_ORDER[b.kind] ?? 9) || compareNamesForListing(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map((n) => ({ id: n.id, name: n.name, script: n.script as 'latin', kind: n.kind as 'primary' })),
      contacts: mine(contacts).map((c) => ({ id: c.id, kind: c.kind as 'email', value: c.value, label: c.label })),
      affiliations: open
        ? affs
            .filter((x) => x.a.personId === p.id)
            .map((x) => ({
              id: x.a.id,
              organisationId: x.a.organisationId,
              organisationName: x.organisationName,
              organisationNames: orgNames.filter((n) => n.organisationId === x.a.organisationId).map((n) => ({ name: n.name, script: n.script as 'latin', kind: n.kind })),
              organisationKind: x.organisationKind,
              title: x.a.title,
              startDate: x.a.startDate,
              endDate: x.a.endDate,
              current: !x.a.endDate || x.a.endDate >= now,
            }))
        : [],
      preferredLanguage: p.preferredLanguage,
      tags: p.tags,
      // notes about a pseudonymous person tend to name them
      notes: open ? p.notes : null,
      createdAt: p.createdAt.toISOString(),
      updatedAt: p.updatedAt.toISOString(),
    };
  });
}

async function dtoAfterWrite(db: Db, actor: Actor, id: string): Promise<Person> {
  const [dto] = await toDtos(db, [await requireVisible(db, actor, id)]);
  return dto!;
}

async function assertOrganisations(db: Db, ids: { organisationId: string; field: string }[]) {
  if (ids.length === 0) return;
  const found = await db
    .select({ id: organisation.id })
    .from(organisation)
    .where(inArray(organisation.id, [...new Set(ids.map((i) => i.organisationId))]));
  const have = new Set(found.map((f) => f.id));
  const missing = ids.filter((i) => !have.has(i.organisationId));
  if (missing.length) {
    throw new AppError(
      'unprocessable',
      'organisation_not_found',
      'No such organisation.',
      missing.map((m) => ({ field: m.field, detail: 'No such organisation' })),
    );
  }
}

function nameRows(personId: string, names: { name: string; kind: string }[]) {
  const seen = new Set<string>();
  return names
    .filter((n) => {
      const key = `${n.kind}:${n.name}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((n) => ({ personId, name: n.name, kind: n.kind, script: detectScript(n.name), norm: normalizeName(n.name) }));
}

function contactRows(personId: string, contacts: { kind: string; value: string; label?: string | null }[]) {
  const seen = new Set<string>();
  return contacts
    .filter((c) => {
      const key = `${c.kind}:${c.value}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((c) => ({ personId, kind: c.kind, value: c.value, label: c.label || null }));
}

/** The name shown: the pseudonym when the identity is restricted, else the first primary name. */
function displayNameOf(p: { identityRestricted: boolean; pseudonym?: string | null }, names: { name: string; kind: string }[], current?: string) {
  if (p.identityRestricted && p.pseudonym) return p.pseudonym;
  if (current && names.some((n) => n.name === current)) return current;
  return (names.find((n) => n.kind === 'primary') ?? names[0])?.name ?? p.pseudonym ?? '';
}

async function grantTo(db: Db, personId: string, userId: string, grantedBy: string) {
  await db
    .insert(accessGrant)
    .values({ recordType: 'person', recordId: personId, userId, grantedBy })
    .onConflictDoNothing({ target: [accessGrant.recordType, accessGrant.recordId, accessGrant.userId] });
}

function pseudonymRequired(): AppError {
  return new AppError('unprocessable', 'pseudonym_required', 'A person whose identity is restricted needs a pseudonym.', [
    { field: 'body.pseudonym', detail: 'Required when identityRestricted is true' },
  ]);
}

export async function createPerson(db: Db, ctx: RequestContext, raw: CreatePersonInput): Promise<Person> {
  const actor = writer(ctx);
  const input = parse(CreatePersonSchema, raw);
  if (input.identityRestricted && !input.pseudonym) throw pseudonymRequired();
  const id = await db.transaction(async (tx) => {
    await assertOrganisations(
      tx,
      input.affiliations.map((a, i) => ({ organisationId: a.organisationId, field: `body.affiliations.${i}.organisationId` })),
    );
    const [p] = await tx
      .insert(person)
      .values({
        displayName: displayNameOf(input, input.names),
        pseudonym: input.pseudonym ?? null,
        identityRestricted: input.identityRestricted,
        restricted: input.restricted,
        namedPublicly: input.namedPublicly,
        preferredLanguage: input.preferredLanguage ?? null,
        tags: [...new Set(input.tags)],
        notes: input.notes ?? null,
        createdBy: actor.id,
      })
      .returning();
    const pid = p!.id;
    await tx.insert(personName).values(nameRows(pid, input.names));
    const contacts = contactRows(pid, input.contacts);
    if (contacts.length) await tx.insert(personContact).values(contacts);
    if (input.affiliations.length) {
      await tx.insert(affiliation).values(
        input.affiliations.map((a) => ({ personId: pid, organisationId: a.organisationId, title: a.title || null, startDate: a.startDate ?? null, endDate: a.endDate ?? null })),
      );
    }
    if (input.restricted || input.identityRestricted) await grantTo(tx, pid, actor.id, actor.id);
    await recordAudit(tx, ctx, {
      action: 'person.create',
      entityType: 'person',
      entityId: pid,
      detail: {
        displayName: p!.displayName,
        restricted: input.restricted,
        identityRestricted: input.identityRestricted,
        names: input.names.length,
        contacts: contacts.length,
        affiliations: input.affiliations.length,
      },
    });
    return pid;
  });
  return dtoAfterWrite(db, actor, id);
}

export async function getPerson(db: Db, ctx: RequestContext, id: string): Promise<Person> {
  const actor = reader(ctx);
  const p = await requireVisible(db, actor, id);
  const [dto] = await toDtos(db, [p]);
  if (isRestrictedRead(p)) await auditRestrictedReads(db, ctx, [{ entityType: 'person', entityId: p.id }]);
  return dto!;
}

export type PersonListFilter = { organisationId?: string; tag?: string; q?: string; lang?: NameOrderLanguage; limit: number; cursor?: string };

/**
 * People the actor may see, in the reader's order of the name shown to them (read_model.person_order's key for the
 * language: name-order.sql, docs/network.md "Order"), then by id; a keyset page and the total.
 */
export async function listPeople(db: Db, ctx: RequestContext, f: PersonListFilter) {
  const actor = reader(ctx);
  const lang = orderLanguage(f.lang, actor);
  const sortKey = sql.raw(`po.key_${lang}`);
  const where: (SQL | undefined)[] = [personRowVisible(actor, person.restricted, person.id)];
  if (f.organisationId) {
    // affiliations are part of the hidden identity: no finding a pseudonymous person by organisation
    where.push(
      sql`EXISTS (SELECT 1 FROM affiliation fa WHERE fa.person_id = ${person.id} AND fa.organisation_id = ${f.organisationId}
        AND (fa.end_date IS NULL OR fa.end_date >= ${today()}::date))`,
      personRowIdentityVisible(actor, person),
    );
  }
  if (f.tag) where.push(sql`${person.tags} @> ARRAY[${f.tag}]::text[]`);
  const q = f.q?.trim();
  if (q) {
    const norm = normalizeName(q);
    const byName = norm
      ? sql`(${personRowIdentityVisible(actor, person)} AND EXISTS (SELECT 1 FROM person_name fn WHERE fn.person_id = ${person.id} AND fn.norm LIKE ${likePattern(norm)}))`
      : sql`false`;
    where.push(or(byName, sql`${person.pseudonym} ILIKE ${likePattern(q)}`));
  }
  const filter = and(...where);

  const cur = decodeOrderCursor(f.cursor, lang);
  const page = cur ? and(filter, sql`(${sortKey}, po.person_id) > (${cur.key} COLLATE "C", ${cur.id}::uuid)`) : filter;

  const [found, [total]] = await inOrder(
    rows<{ p: Record<string, unknown>; identity_visible: boolean; key: string }>(
      db,
      sql`SELECT row_to_json(${person}) AS p, ${personRowIdentityVisible(actor, person)} AS identity_visible, ${sortKey} AS key
        FROM ${person} JOIN read_model.person_order po ON po.person_id = ${person.id}
        WHERE ${page}
        ORDER BY ${sortKey}, po.person_id
        LIMIT ${f.limit + 1}`,
    ),
    // no filter: the total from the tally (read_model.person_tally), not a count of every person under the rule
    where.length === 1
      ? rows<{ n: string | number }>(db, sql`SELECT ${visiblePeopleCount(actor)} AS n`)
      : db.select({ n: count() }).from(person).where(filter),
  );
  const p = paginate(found, f.limit, (r) => [lang, r.key, r.p.id as string]);
  const visible = p.items.map((r) => ({ ...rowFromFacts(person, r.p), identityVisible: !!r.identity_visible }));
  const items = await toDtos(db, visible);
  await auditRestrictedReads(
    db,
    ctx,
    visible.filter(isRestrictedRead).map((v) => ({ entityType: 'person', entityId: v.id })),
  );
  return { items, nextCursor: p.nextCursor, total: Number(total?.n ?? 0) };
}

export async function updatePerson(db: Db, ctx: RequestContext, id: string, raw: UpdatePersonInput): Promise<Person> {
  const actor = writer(ctx);
  const input = parse(UpdatePersonSchema, raw);
  await db.transaction(async (tx) => {
    const before = await requireIdentity(tx, actor, id);
    const next = {
      pseudonym: input.pseudonym !== undefined ? input.pseudonym : before.pseudonym,
      identityRestricted: input.identityRestricted ?? before.identityRestricted,
      restricted: input.restricted ?? before.restricted,
      namedPublicly: input.namedPublicly ?? before.namedPublicly,
    };
    if (next.identityRestricted && !next.pseudonym) throw pseudonymRequired();
    const names = await tx.select({ name: personName.name, kind: personName.kind }).from(personName).where(eq(personName.personId, id));
    const displayName = displayNameOf(next, names, before.identityRestricted ? undefined : before.displayName);
    const tags = input.tags !== undefined ? [...new Set(input.tags)] : before.tags;
    const preferredLanguage = input.preferredLanguage !== undefined ? input.preferredLanguage : before.preferredLanguage;
    const notes = input.notes !== undefined ? input.notes : before.notes;
    // what every reader of the person sees changed (notes belong to the identity): only then does updatedAt move
    const publicChange =
      next.pseudonym !== before.pseudonym ||
      next.identityRestricted !== before.identityRestricted ||
      next.restricted !== before.restricted ||
      next.namedPublicly !== before.namedPublicly ||
      displayName !== before.displayName ||
      preferredLanguage !== before.preferredLanguage ||
      tags.join('\n') !== before.tags.join('\n') ||
      (!next.identityRestricted && !before.identityRestricted && notes !== before.notes);
    await tx
      .update(person)
      .set({ ...next, displayName, preferredLanguage, tags, notes, ...(publicChange ? { updatedAt: new Date() } : {}) })
      .where(eq(person.id, id));
    // whoever protects a record keeps sight of it
    if ((next.restricted && !before.restricted) || (next.identityRestricted && !before.identityRestricted)) await grantTo(tx, id, actor.id, actor.id);
    const changed = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    await recordAudit(tx, ctx, {
      action: 'person.update',
      entityType: 'person',
      entityId: id,
      detail: {
        ...changed,
        before: { pseudonym: before.pseudonym, identityRestricted: before.identityRestricted, restricted: before.restricted, namedPublicly: before.namedPublicly, tags: before.tags },
      },
    });
  });
  return dtoAfterWrite(db, actor, id);
}

export async function deletePerson(db: Db, ctx: RequestContext, id: string): Promise<void> {
  const actor = writer(ctx);
  await db.transaction(async (tx) => {
    const p = await requireIdentity(tx, actor, id, { erased: 'allow' });
    // who attended which meeting is the coalition's memory, and some of it is need-to-know: deleting the person would
    // erase it. One answer whatever the caller may see of those meetings, and it never says which they are.
    const [attended] = await tx.select({ meetingId: meetingPerson.meetingId }).from(meetingPerson).where(eq(meetingPerson.personId, id)).limit(1);
    // a campaign target's stance history is kept the same way (docs/campaigns.md)
    const [target] = await rows(tx, sql`SELECT 1 FROM campaign_target WHERE person_id = ${id} LIMIT 1`);
    if (attended || target) {
      throw new AppError('conflict', 'person_has_history', 'This person has recorded history (meetings). Merge them into another record instead of deleting them.');
    }
    await tx.delete(accessGrant).where(and(eq(accessGrant.recordType, 'person'), eq(accessGrant.recordId, id)));
    await tx.delete(person).where(eq(person.id, id));
    await recordAudit(tx, ctx, { action: 'person.delete', entityType: 'person', entityId: id, detail: { displayName: p.displayName, restricted: p.restricted } });
  });
}

/**
 * After a change to a person's identity (names, contacts, affiliations): `updatedAt` moves only when every reader of
 * the person sees the identity, so that a change to a hidden identity leaves no trace for those who see the pseudonym.
 */
async function touch(db: Db, id: string, displayName?: string) {
  await db
    .update(person)
    .set({ updatedAt: sql`CASE WHEN ${person.identityRestricted} THEN ${person.updatedAt} ELSE now() END`, ...(displayName !== undefined ? { displayName } : {}) })
    .where(eq(person.id, id));
}

export async function addPersonName(db: Db, ctx: RequestContext, id: string, raw: PersonNameInput): Promise<Person> {
  const actor = writer(ctx);
  const input = parse(PersonNameInputSchema, raw);
  await db.transaction(async (tx) => {
    const p = await requireIdentity(tx, actor, id);
    const [dup] = await tx
      .select({ id: personName.id })
      .from(personName)
      .where(and(eq(personName.personId, id), eq(personName.name, input.name), eq(personName.kind, input.kind)));
    if (dup) throw new AppError('conflict', 'name_exists', 'This person already has this name.', [{ field: 'body.name', detail: 'Already recorded' }]);
    const [row] = await tx.insert(personName).values(nameRows(id, [input])).returning();
    await touch(tx, id);
    await recordAudit(tx, ctx, {
      action: 'person.add_name',
      entityType: 'person',
      entityId: id,
      detail: { nameId: row!.id, kind: input.kind, script: row!.script, ...(p.identityRestricted ? {} : { name: input.name }) },
    });
  });
  return dtoAfterWrite(db, actor, id);
}

export async function removePersonName(db: Db, ctx: RequestContext, id: string, nameId: string): Promise<Person> {
  const actor = writer(ctx);
  await db.transaction(async (tx) => {
    const p = await requireIdentity(tx, actor, id);
    const names = await tx.select().from(personName).where(eq(personName.personId, id));
    const gone = names.find((n) => n.id === nameId);
    if (!gone) throw notFound('person_name');
    const rest = names.filter((n) => n.id !== nameId);
    if (rest.length === 0) throw new AppError('conflict', 'last_name', 'A person keeps at least one name.');
    await tx.delete(personName).where(eq(personName.id, nameId));
    await touch(tx, id, displayNameOf(p, rest, p.displayName));
    await recordAudit(tx, ctx, { action: 'person.remove_name', entityType: 'person', entityId: id, detail: { nameId, kind: gone.kind } });
  });
  return dtoAfterWrite(db, actor, id);
}

export async function addPersonContact(db: Db, ctx: RequestContext, id: string, raw: ContactInput): Promise<Person> {
  const actor = writer(ctx);
  const input = parse(ContactInputSchema, raw);
  await db.transaction(async (tx) => {
    await requireIdentity(tx, actor, id);
    const [dup] = await tx
      .select({ id: personContact.id })
      .from(personContact)
      .where(and(eq(personContact.personId, id), eq(personContact.kind, input.kind), eq(personContact.value, input.value)));
    if (dup) throw new AppError('conflict', 'contact_exists', 'This person already has this contact.', [{ field: 'body.value', detail: 'Already recorded' }]);
    const [row] = await tx.insert(personContact).values(contactRows(id, [input])).returning();
    await touch(tx, id);
    await recordAudit(tx, ctx, { action: 'person.add_contact', entityType: 'person', entityId: id, detail: { contactId: row!.id, kind: input.kind } });
  });
  return dtoAfterWrite(db, actor, id);
}

export async function removePersonContact(db: Db, ctx: RequestContext, id: string, contactId: string): Promise<Person> {
  const actor = writer(ctx);
  await db.transaction(async (tx) => {
    await requireIdentity(tx, actor, id);
    if (!isUuid(contactId)) throw notFound('contact');
    const [gone] = await tx
      .delete(personContact)
      .where(and(eq(personContact.personId, id), eq(personContact.id, contactId)))
      .returning();
    if (!gone) throw notFound('contact');
    await touch(tx, id);
    await recordAudit(tx, ctx, { action: 'person.remove_contact', entityType: 'person', entityId: id, detail: { contactId, kind: gone.kind } });
  });
  return dtoAfterWrite(db, actor, id);
}

export async function addAffiliation(db: Db, ctx: RequestContext, id: string, raw: AffiliationInput): Promise<Person> {
  const actor = writer(ctx);
  const input = parse(AffiliationInputSchema, raw);
  await db.transaction(async (tx) => {
    await requireIdentity(tx, actor, id);
    await assertOrganisations(tx, [{ organisationId: input.organisationId, field: 'body.organisationId' }]);
    const [row] = await tx
      .insert(affiliation)
      .values({ personId: id, organisationId: input.organisationId, title: input.title || null, startDate: input.startDate ?? null, endDate: input.endDate ?? null })
      .returning();
    await touch(tx, id);
    await recordAudit(tx, ctx, {
      action: 'person.add_affiliation',
      entityType: 'person',
      entityId: id,
      detail: { affiliationId: row!.id, organisationId: input.organisationId, title: row!.title, startDate: row!.startDate, endDate: row!.endDate },
    });
  });
  return dtoAfterWrite(db, actor, id);
}

async function affiliationFor(db: Db, actor: Actor, affiliationId: string) {
  if (!isUuid(affiliationId)) throw notFound('affiliation');
  const [a] = await db.select().from(affiliation).where(eq(affiliation.id, affiliationId));
  if (!a) throw notFound('affiliation');
  const p = await loadVisible(db, actor, a.personId, true);
  // an affiliation of a person one may not see, or whose identity is hidden, does not exist for them
  if (!p || !p.identityVisible) throw notFound('affiliation');
  await assertNotErased(db, 'person', a.personId);
  return a;
}

export async function updateAffiliation(
  db: Db,
  ctx: RequestContext,
  affiliationId: string,
  raw: { title?: string | null; startDate?: string | null; endDate?: string | null },
): Promise<Person> {
  const actor = writer(ctx);
  const input = parse(UpdateAffiliationSchema, raw);
  const personId = await db.transaction(async (tx) => {
    const a = await affiliationFor(tx, actor, affiliationId);
    const next = {
      title: input.title !== undefined ? input.title || null : a.title,
      startDate: input.startDate !== undefined ? input.startDate : a.startDate,
      endDate: input.endDate !== undefined ? input.endDate : a.endDate,
    };
    if (next.startDate && next.endDate && next.endDate < next.startDate) {
      throw new AppError('invalid', 'invalid_request', 'The request has invalid fields.', [
        { field: input.endDate !== undefined ? 'body.endDate' : 'body.startDate', detail: 'Ends before it starts' },
      ]);
    }
    await tx.update(affiliation).set(next).where(eq(affiliation.id, affiliationId));
    await touch(tx, a.personId);
    await recordAudit(tx, ctx, {
      action: 'person.update_affiliation',
      entityType: 'person',
      entityId: a.personId,
      detail: { affiliationId, ...next, before: { title: a.title, startDate: a.startDate, endDate: a.endDate } },
    });
    return a.personId;
  });
  return dtoAfterWrite(db, actor, personId);
}

export async function removeAffiliation(db: Db, ctx: RequestContext, affiliationId: string): Promise<Person> {
  const actor = writer(ctx);
  const personId = await db.transaction(async (tx) => {
    const a = await affiliationFor(tx, actor, affiliationId);
    await tx.delete(affiliation).where(eq(affiliation.id, affiliationId));
    await touch(tx, a.personId);
    await recordAudit(tx, ctx, {
      action: 'person.remove_affiliation',
      entityType: 'person',
      entityId: a.personId,
      detail: { affiliationId, organisationId: a.organisationId, title: a.title },
    });
    return a.personId;
  });
  return dtoAfterWrite(db, actor, personId);
}

/** Admins, and users granted the person, manage its grants. */
async function requireGrantManager(db: Db, actor: Actor, id: string) {
  const p = await requireVisible(db, actor, id);
  if (actor.role === 'admin') return p;
  const [g] = await db
    .select({ id: accessGrant.id })
    .from(accessGrant)
    .where(and(eq(accessGrant.recordType, 'person'), eq(accessGrant.recordId, id), eq(accessGrant.userId, actor.id)));
  if (!g) throw new AppError('forbidden', 'not_granted', 'Only admins and those granted this person may see or change who is granted.');
  return p;
}

export async function listPersonGrants(db: Db, ctx: RequestContext, id: string) {
  const actor = reader(ctx);
  await requireGrantManager(db, actor, id);
  const rows = await db
    .select({ userId: accessGrant.userId, name: user.name, email: user.email, grantedBy: accessGrant.grantedBy, grantedAt: accessGrant.grantedAt })
    .from(accessGrant)
    .innerJoin(user, eq(user.id, accessGrant.userId))
    .where(and(eq(accessGrant.recordType, 'person'), eq(accessGrant.recordId, id)))
    .orderBy(asc(user.name), asc(user.id));
  return rows.map((r) => ({ ...r, grantedAt: r.grantedAt.toISOString() }));
}

export async function grantPerson(db: Db, ctx: RequestContext, id: string, userId: string) {
  const actor = writer(ctx);
  const created = await db.transaction(async (tx) => {
    await requireGrantManager(tx, actor, id);
    const [target] = await tx.select({ id: user.id, email: user.email }).from(user).where(eq(user.id, userId));
    if (!target) throw new AppError('unprocessable', 'user_not_found', 'No such user.', [{ field: 'body.userId', detail: 'No such user' }]);
    const inserted = await tx
      .insert(accessGrant)
      .values({ recordType: 'person', recordId: id, userId, grantedBy: actor.id })
      .onConflictDoNothing({ target: [accessGrant.recordType, accessGrant.recordId, accessGrant.userId] })
      .returning({ id: accessGrant.id });
    if (inserted.length) {
      await recordAudit(tx, ctx, { action: 'person.grant', entityType: 'person', entityId: id, detail: { userId, email: target.email } });
    }
    return inserted.length > 0;
  });
  const grant = (await listPersonGrants(db, ctx, id)).find((g) => g.userId === userId)!;
  return { grant, created };
}

export async function revokePersonGrant(db: Db, ctx: RequestContext, id: string, userId: string): Promise<void> {
  const actor = writer(ctx);
  await db.transaction(async (tx) => {
    await requireGrantManager(tx, actor, id);
    const gone = await tx
      .delete(accessGrant)
      .where(and(eq(accessGrant.recordType, 'person'), eq(accessGrant.recordId, id), eq(accessGrant.userId, userId)))
      .returning({ id: accessGrant.id });
    if (!gone.length) throw notFound('grant');
    await recordAudit(tx, ctx, { action: 'person.revoke_grant', entityType: 'person', entityId: id, detail: { userId } });
  });
}

export type PersonMatch = { id: string; displayName: string; restricted: boolean; identityRestricted: boolean };

const matchColumns = { id: person.id, displayName: person.displayName, restricted: person.restricted, identityRestricted: person.identityRestricted };

/** For imports: people with this email (compared lower-cased). No visibility filter: the caller decides. */
export async function findPeopleByEmail(db: Db, email: string): Promise<PersonMatch[]> {
  return db
    .selectDistinct(matchColumns)
    .from(person)
    .innerJoin(personContact, eq(personContact.personId, person.id))
    .where(and(eq(personContact.kind, 'email'), eq(personContact.value, email.trim().toLowerCase())))
    .orderBy(asc(person.id));
}

/** For imports: people with a name whose norm is `normName` (see normalizeName) affiliated with the organisation. */
export async function findPeopleByNameAndOrganisation(db: Db, normName: string, organisationId: string): Promise<PersonMatch[]> {
  if (!isUuid(organisationId)) return [];
  return db
    .selectDistinct(matchColumns)
    .from(person)
    .innerJoin(personName, eq(personName.personId, person.id))
    .innerJoin(affiliation, eq(affiliation.personId, person.id))
    .where(and(eq(personName.norm, normName), eq(affiliation.organisationId, organisationId)))
    .orderBy(asc(person.id));
}
