import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import type { ErasureMention } from './erasure.schema.ts';
import type { Erasable, PlaceKind } from './erasure.contract.ts';
import { PLACE_KINDS } from './erasure.contract.ts';
import { jsonLikePatterns, likePatterns, mentions, replaceInJson, replaceTerms, snippet, type Terms } from './erasure.text.ts';
import { normalizeName } from './names.ts';

// The places of free text outside an erased record that may name it (docs/erasure.md, "Free text elsewhere"):
// found before the erasure (for the administrator to choose which to redact), redacted in the erasing transaction
// when chosen, and listed afterwards (ids only) for review. Meeting notes are never rewritten unless chosen.

export type Link = ErasureMention['link'];
export type FoundPlace = { kind: PlaceKind; id: string; link: Link; text: string };

type Self = { type: Erasable; id: string };

function anyLike(column: SQL, patterns: string[]): SQL {
  if (patterns.length === 0) return sql`false`;
  return sql`(${sql.join(
    patterns.map((p) => sql`${column} ILIKE ${p}`),
    sql` OR `,
  )})`;
}

function anyNormLike(column: SQL, folded: string[]): SQL {
  if (folded.length === 0) return sql`false`;
  return sql`(${sql.join(
    folded.map((f) => sql`${column} LIKE ${`%${f.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`}`),
    sql` OR `,
  )})`;
}

/** One query per kind of place: id, the page that shows it, and its text. */
function placeQuery(kind: PlaceKind, terms: Terms, self: Self): SQL {
  const p = likePatterns(terms);
  const notPerson = self.type === 'person' ? sql`AND id <> ${self.id}::uuid` : sql``;
  const notOrganisation = (col: string) => (self.type === 'organisation' ? sql`AND ${sql.raw(col)} <> ${self.id}::uuid` : sql``);
  switch (kind) {
    case 'meeting_title':
      return sql`SELECT id::text AS id, 'meeting' AS link_type, id::text AS link_id, title AS text FROM meeting
        WHERE ${anyLike(sql`title`, p)} OR ${anyNormLike(sql`title_norm`, terms.folded)}`;
    case 'meeting_venue':
      return sql`SELECT id::text AS id, 'meeting' AS link_type, id::text AS link_id, venue AS text FROM meeting WHERE ${anyLike(sql`venue`, p)}`;
    case 'meeting_notes':
      return sql`SELECT id::text AS id, 'meeting' AS link_type, id::text AS link_id, notes AS text FROM meeting WHERE ${anyLike(sql`notes`, p)}`;
    case 'shared_item':
      return sql`SELECT id::text AS id, 'meeting' AS link_type, meeting_id::text AS link_id, body AS text FROM shared_item
        WHERE ${anyLike(sql`body`, p)} OR ${anyNormLike(sql`body_norm`, terms.folded)}`;
    case 'follow_up':
      return sql`SELECT id::text AS id,
          CASE WHEN meeting_id IS NOT NULL THEN 'meeting' WHEN organisation_id IS NOT NULL THEN 'organisation' END AS link_type,
          coalesce(meeting_id::text, organisation_id::text) AS link_id, title AS text
        FROM follow_up WHERE ${anyLike(sql`title`, p)}`;
    case 'person_notes':
      return sql`SELECT id::text AS id, 'person' AS link_type, id::text AS link_id, notes AS text FROM person WHERE ${anyLike(sql`notes`, p)} ${notPerson}`;
    case 'person_pseudonym':
      return sql`SELECT id::text AS id, 'person' AS link_type, id::text AS link_id, pseudonym AS text FROM person WHERE ${anyLike(sql`pseudonym`, p)} ${notPerson}`;
    case 'affiliation_title':
      return sql`SELECT id::text AS id, 'person' AS link_type, person_id::text AS link_id, title AS text FROM affiliation
        WHERE ${anyLike(sql`title`, p)} ${self.type === 'person' ? sql`AND person_id <> ${self.id}::uuid` : sql``}`;
    case 'organisation_description':
      return sql`SELECT id::text AS id, 'organisation' AS link_type, id::text AS link_id, description AS text FROM organisation
        WHERE ${anyLike(sql`description`, p)} ${notOrganisation('id')}`;
    case 'status_note':
      return sql`SELECT id::text AS id, 'organisation' AS link_type, organisation_id::text AS link_id, note AS text FROM organisation_status_change
        WHERE ${anyLike(sql`note`, p)} ${notOrganisation('organisation_id')}`;
    case 'link_note':
      return sql`SELECT id::text AS id, 'organisation' AS link_type, from_id::text AS link_id, note AS text FROM organisation_link
        WHERE ${anyLike(sql`note`, p)} ${notOrganisation('from_id')} ${notOrganisation('to_id')}`;
    case 'segment':
      return sql`SELECT id::text AS id, NULL AS link_type, NULL AS link_id, name || ' ' || filter::text AS text FROM segment
        WHERE ${anyLike(sql`name`, p)} OR ${anyLike(sql`filter::text`, jsonLikePatterns(terms))}`;
    // a campaign's texts: what an official said (a statement's quote), why we judged so, a note; a reference document's
    // title and file name; a quoted passage (an uploaded file's bytes are not read: docs/erasure.md)
    case 'campaign_stance':
      return sql`SELECT id::text AS id, 'campaign' AS link_type, campaign_id::text AS link_id,
          concat_ws(' ', statement_quote, reason, note) AS text FROM campaign_stance
        WHERE ${anyLike(sql`statement_quote`, p)} OR ${anyLike(sql`reason`, p)} OR ${anyLike(sql`note`, p)}`;
    case 'campaign_document':
      return sql`SELECT id::text AS id, 'campaign' AS link_type, campaign_id::text AS link_id, concat_ws(' ', title, file_name) AS text FROM campaign_document
        WHERE ${anyLike(sql`title`, p)} OR ${anyLike(sql`file_name`, p)}`;
    case 'campaign_passage':
      return sql`SELECT x.id::text AS id, 'campaign' AS link_type, d.campaign_id::text AS link_id, concat_ws(' ', x.quote, x.locator) AS text
        FROM campaign_document_passage x JOIN campaign_document d ON d.id = x.document_id
        WHERE ${anyLike(sql`x.quote`, p)} OR ${anyLike(sql`x.locator`, p)}`;
  }
}

/** Every place of free text outside the record that names it, in a stable order. */
export async function findPlaces(db: Db, terms: Terms, self: Self): Promise<FoundPlace[]> {
  if (terms.folded.length === 0) return [];
  const out: FoundPlace[] = [];
  for (const kind of PLACE_KINDS) {
    const found = await rows<{ id: string; link_type: string | null; link_id: string | null; text: string | null }>(
      db,
      sql`SELECT * FROM (${placeQuery(kind, terms, self)}) q ORDER BY id`,
    );
    for (const r of found) {
      if (!mentions(r.text, terms)) continue;
      const link = r.link_type && r.link_id ? { type: r.link_type as 'meeting', id: r.link_id } : null;
      out.push({ kind, id: r.id, link, text: r.text ?? '' });
    }
  }
  return out;
}

export function previewOf(place: FoundPlace, terms: Terms) {
  return { kind: place.kind, id: place.id, link: place.link, snippet: snippet(place.text, terms) };
}

const placeKey = (p: { kind: string; id: string }) => `${p.kind}:${p.id}`;
export { placeKey };

/**
 * Replaces the record's names by `replacement` in one place. Returns true when the place no longer names the record
 * (false: a mention only folding finds, e.g. a name typed with Hebrew points, which is left for review).
 */
export async function redactPlace(db: Db, place: FoundPlace, terms: Terms, replacement: string): Promise<boolean> {
  const swap = (text: string | null) => (text == null ? text : replaceTerms(text, terms, replacement));
  const id = place.id;
  switch (place.kind) {
    case 'meeting_title': {
      const [m] = await rows<{ title: string }>(db, sql`SELECT title FROM meeting WHERE id = ${id}::uuid FOR UPDATE`);
      if (!m) return true;
      const title = swap(m.title)!;
      if (title !== m.title) await db.execute(sql`UPDATE meeting SET title = ${title}, title_norm = ${normalizeName(title)}, updated_at = now() WHERE id = ${id}::uuid`);
      return !mentions(title, terms);
    }
    case 'meeting_venue':
    case 'meeting_notes': {
      const column = sql.raw(place.kind === 'meeting_venue' ? 'venue' : 'notes');
      const [m] = await rows<{ text: string | null }>(db, sql`SELECT ${column} AS text FROM meeting WHERE id = ${id}::uuid FOR UPDATE`);
      if (!m) return true;
      const text = swap(m.text);
      if (text !== m.text) await db.execute(sql`UPDATE meeting SET ${column} = ${text}, updated_at = now() WHERE id = ${id}::uuid`);
      return !mentions(text, terms);
    }
    case 'shared_item': {
      const [s] = await rows<{ body: string }>(db, sql`SELECT body FROM shared_item WHERE id = ${id}::uuid FOR UPDATE`);
      if (!s) return true;
      const body = swap(s.body)!;
      if (body !== s.body) await db.execute(sql`UPDATE shared_item SET body = ${body}, body_norm = ${normalizeName(body)}, updated_at = now() WHERE id = ${id}::uuid`);
      return !mentions(body, terms);
    }
    case 'follow_up':
      return simple(db, 'follow_up', 'title', id, swap, terms);
    case 'person_notes':
      return simple(db, 'person', 'notes', id, swap, terms, true);
    case 'person_pseudonym': {
      const [p] = await rows<{ pseudonym: string | null; display_name: string }>(db, sql`SELECT pseudonym, display_name FROM person WHERE id = ${id}::uuid FOR UPDATE`);
      if (!p) return true;
      const pseudonym = swap(p.pseudonym);
      if (pseudonym !== p.pseudonym) {
        // a person shown under their pseudonym is listed under the new one
        const displayName = p.display_name === p.pseudonym ? pseudonym : p.display_name;
        await db.execute(sql`UPDATE person SET pseudonym = ${pseudonym}, display_name = ${displayName}, updated_at = now() WHERE id = ${id}::uuid`);
      }
      return !mentions(pseudonym, terms);
    }
    case 'affiliation_title':
      return simple(db, 'affiliation', 'title', id, swap, terms);
    case 'organisation_description':
      return simple(db, 'organisation', 'description', id, swap, terms, true);
    case 'status_note':
      return simple(db, 'organisation_status_change', 'note', id, swap, terms);
    case 'link_note':
      return simple(db, 'organisation_link', 'note', id, swap, terms);
    case 'segment': {
      const [s] = await rows<{ name: string; filter: Record<string, unknown> | string }>(db, sql`SELECT name, filter FROM segment WHERE id = ${id}::uuid FOR UPDATE`);
      if (!s) return true;
      const filter = typeof s.filter === 'string' ? (JSON.parse(s.filter) as Record<string, unknown>) : s.filter;
      const name = swap(s.name)!;
      const nextFilter = replaceInJson(filter, terms, replacement);
      if (name !== s.name || nextFilter !== filter) {
        await db.execute(sql`UPDATE segment SET name = ${name}, filter = ${JSON.stringify(nextFilter)}::jsonb WHERE id = ${id}::uuid`);
      }
      return !mentions(`${name} ${JSON.stringify(nextFilter)}`, terms);
    }
    // the stance's evidence is otherwise never rewritten (append-only): an erasure is the one exception
    case 'campaign_stance':
      return columns(db, 'campaign_stance', ['statement_quote', 'reason', 'note'], id, swap, terms);
    case 'campaign_document':
      return columns(db, 'campaign_document', ['title', 'file_name'], id, swap, terms);
    case 'campaign_passage':
      return columns(db, 'campaign_document_passage', ['quote', 'locator'], id, swap, terms);
  }
}

async function simple(db: Db, table: string, column: string, id: string, swap: (t: string | null) => string | null, terms: Terms, touch = false): Promise<boolean> {
  return columns(db, table, [column], id, swap, terms, touch);
}

/** simple() over several text columns of one row: each rewritten; true when none names the record any more. */
async function columns(db: Db, table: string, names: string[], id: string, swap: (t: string | null) => string | null, terms: Terms, touch = false): Promise<boolean> {
  const [r] = await rows<Record<string, string | null>>(
    db,
    sql`SELECT ${sql.join(
      names.map((n) => sql.identifier(n)),
      sql`, `,
    )} FROM ${sql.identifier(table)} WHERE id = ${id}::uuid FOR UPDATE`,
  );
  if (!r) return true;
  const changed = names.filter((n) => swap(r[n] ?? null) !== (r[n] ?? null));
  if (changed.length) {
    await db.execute(
      sql`UPDATE ${sql.identifier(table)} SET ${sql.join(
        changed.map((n) => sql`${sql.identifier(n)} = ${swap(r[n] ?? null)}`),
        sql`, `,
      )}${touch ? sql`, updated_at = now()` : sql``} WHERE id = ${id}::uuid`,
    );
  }
  return names.every((n) => !mentions(swap(r[n] ?? null), terms));
}

/** The tables a redaction of this kind writes (vacuumed after the erasure, see erasure.service.ts). */
export const PLACE_TABLES: Record<PlaceKind, string> = {
  meeting_title: 'meeting',
  meeting_venue: 'meeting',
  meeting_notes: 'meeting',
  shared_item: 'shared_item',
  follow_up: 'follow_up',
  person_notes: 'person',
  person_pseudonym: 'person',
  affiliation_title: 'affiliation',
  organisation_description: 'organisation',
  status_note: 'organisation_status_change',
  link_note: 'organisation_link',
  segment: 'segment',
  campaign_stance: 'campaign_stance',
  campaign_document: 'campaign_document',
  campaign_passage: 'campaign_document_passage',
};
