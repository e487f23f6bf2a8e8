import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import type { Actor } from '../../access/roles.ts';
import { normalizeName } from '../network/names.ts';
import {
  auditRestrictedReads,
  meetingRowVisible,
  meetingVisible,
  personIdentityVisible,
  personRowIdentityVisible,
  personVisible,
  reader,
  sharedItemRowVisibleInVisibleMeeting,
  sharedItemVisible,
} from '../../access/need-to-know.ts';
import { SEARCH_TYPES, type SearchType } from './insights.contract.ts';
import { iso, orderedNames, type NameRow, type OrganisationNameRef } from './rows.ts';
import { searchIndex, type IndexedKind, type IndexHit, type SearchIndex } from './search-index.ts';
import { searchCampaigns } from '../campaigns/campaigns-search.ts';

// One search box over organisations, people, meetings, shared items and campaigns (campaigns apart from the index). The words typed are matched in memory
// (search-index.ts: any script, folded as names.ts folds names; exact, prefix, inside a word, or typos), which
// gives the best-ranked candidate records of each kind; the database says which of them the reader may not see
// (network/visibility.ts, as for every list), the index is asked again without those, and the database then says
// what to show of the rest, in the index's order. A record the reader may not see is never shown, counted or
// audited, and never changes what the reader gets; the index itself knows nothing about restrictions.

export type SearchInput = { q: string; types?: string; limit: number };

export type SearchHit = {
  type: SearchType;
  id: string;
  title: string;
  subtitle: string | null;
  meetingId?: string;
  /** a meeting's start */
  at?: string;
  score: number;
  matched: string;
  /** organisations: their recorded names */
  names?: OrganisationNameRef[];
};

/** A restricted record a hit would reveal, keyed by that hit ("type:id"), audited only if the hit is shown. */
type Revealed = { entityType: string; entityId: string; hit: string };
type Found = { hits: SearchHit[]; restricted: Revealed[] };

/** uuids as one array parameter (they hold nothing to escape) */
const uuids = (ids: string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;

/** The candidates' rows in the index's order: `c(id, ord)`. */
const ordered = (ids: string[]) => sql`unnest(${uuids(ids)}) WITH ORDINALITY c(id, ord)`;

/** Rounds of asking the database which candidates are hidden, before settling for fewer results than exist. */
const MAX_ROUNDS = 12;

/**
 * Of the records the index considered, those the reader may not see, per kind: people found by a name count as
 * hidden when their identity is (they are found by their pseudonym only). One query for every kind.
 */
async function hiddenAmong(db: Db, actor: Actor, considered: Map<IndexedKind, string[]>): Promise<Map<IndexedKind, string[]>> {
  const hidden = new Map<IndexedKind, string[]>();
  if (actor.role === 'admin') return hidden;
  const parts: SQL[] = [];
  const ids = (k: IndexedKind) => considered.get(k) ?? [];
  if (ids('person').length)
    parts.push(sql`SELECT 'person' AS kind, x::text AS id FROM unnest(${uuids(ids('person'))}) x WHERE NOT (${personVisible(actor, sql`x`)} AND ${personIdentityVisible(actor, sql`x`)})`);
  if (ids('pseudonym').length) parts.push(sql`SELECT 'pseudonym' AS kind, x::text AS id FROM unnest(${uuids(ids('pseudonym'))}) x WHERE NOT ${personVisible(actor, sql`x`)}`);
  if (ids('meeting').length) parts.push(sql`SELECT 'meeting' AS kind, x::text AS id FROM unnest(${uuids(ids('meeting'))}) x WHERE NOT ${meetingVisible(actor, sql`x`)}`);
  if (ids('shared_item').length) parts.push(sql`SELECT 'shared_item' AS kind, x::text AS id FROM unnest(${uuids(ids('shared_item'))}) x WHERE NOT ${sharedItemVisible(actor, sql`x`)}`);
  if (!parts.length) return hidden;
  for (const r of await rows<{ kind: IndexedKind; id: string }>(db, sql.join(parts, sql` UNION ALL `))) {
    const list = hidden.get(r.kind);
    if (list) list.push(r.id);
    else hidden.set(r.kind, [r.id]);
  }
  return hidden;
}

/**
 * The best `limit` records of each kind among those the reader may see: the index is asked again, without the hidden
 * records it offered, until none of the records it considered is hidden. The page is then the one an index of only
 * what the reader may see would give: hidden records neither push a visible one out nor show in the order.
 */
async function visibleCandidates(db: Db, actor: Actor, index: SearchIndex, q: string, kinds: Set<IndexedKind>, limit: number) {
  const exclude = new Map<IndexedKind, Set<string>>();
  const leaveOut = (hidden: Map<IndexedKind, string[]>) => {
    for (const [k, ids] of hidden) {
      let set = exclude.get(k);
      if (!set) exclude.set(k, (set = new Set()));
      for (const id of ids) set.add(id);
    }
  };
  for (let round = 0; ; round++) {
    const found = index.searchExcluding(q, kinds, limit, exclude);
    const hidden = await hiddenAmong(db, actor, found.considered);
    if (hidden.size === 0) return found.hits;
    if (round === MAX_ROUNDS) {
      // a query matching more hidden records than these rounds uncover: the visible ones found so far (never a hidden one)
      for (const [k, ids] of hidden) found.hits.set(k, (found.hits.get(k) ?? []).filter((h) => !ids.includes(h.recordId)));
      return found.hits;
    }
    leaveOut(hidden);
    // many hidden records rank high: uncover more of them at once, further down the ranking
    if (round > 0) leaveOut(await hiddenAmong(db, actor, index.searchExcluding(q, kinds, Math.min(limit * 4 ** round, 1000), exclude).considered));
  }
}

export async function search(db: Db, ctx: RequestContext, input: SearchInput): Promise<{ items: SearchHit[] }> {
  const actor = reader(ctx);
  if (!normalizeName(input.q)) return { items: [] };
  const types = new Set<SearchType>(input.types ? (input.types.split(',').map((t) => t.trim()) as SearchType[]) : SEARCH_TYPES);
  const limit = input.limit;
  const kinds = new Set<IndexedKind>();
  if (types.has('organisation')) kinds.add('organisation');
  if (types.has('person')) kinds.add('person').add('pseudonym');
  if (types.has('meeting')) kinds.add('meeting');
  if (types.has('shared_item')) kinds.add('shared_item');
  const index = await searchIndex(db);
  const found = await visibleCandidates(db, actor, index, input.q, kinds, limit);

  // the best of every kind in one ranking: only those that can be on the page are read
  const kindOrder = (k: IndexedKind) => (k === 'pseudonym' ? SEARCH_TYPES.indexOf('person') : SEARCH_TYPES.indexOf(k));
  const ranked = [...found]
    .flatMap(([kind, hits]) => hits.map((h) => ({ kind, h })))
    .sort((a, b) => b.h.score - a.h.score || kindOrder(a.kind) - kindOrder(b.kind))
    .slice(0, limit * 2); // a person may come twice (by a name and by the pseudonym)
  const of = (k: IndexedKind) => ranked.filter((c) => c.kind === k).map((c) => c.h);
  const hits: SearchHit[] = [];
  const restricted: Revealed[] = [];
  const seen = new Set<string>();
  const add = (f: Found) => {
    for (const h of f.hits) {
      const key = `${h.type}:${h.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      hits.push(h);
    }
    restricted.push(...f.restricted);
  };
  if (of('organisation').length) add({ hits: await organisations(db, of('organisation')), restricted: [] });
  if (of('person').length || of('pseudonym').length) add(await persons(db, actor, of('person'), of('pseudonym')));
  if (of('meeting').length) add(await meetings(db, actor, of('meeting')));
  if (of('shared_item').length) add(await sharedItems(db, actor, of('shared_item')));
  // campaigns: matched apart from the index (campaigns/campaigns-search.ts), under the campaign pages' rule
  if (types.has('campaign')) {
    const found = await searchCampaigns(db, actor, input.q, limit);
    add({
      hits: found.map(({ restricted: _, ...h }) => ({ type: 'campaign' as const, ...h })),
      restricted: found.filter((h) => h.restricted).map((h) => ({ entityType: 'campaign', entityId: h.id, hit: `campaign:${h.id}` })),
    });
  }

  const order = (t: SearchType) => SEARCH_TYPES.indexOf(t);
  const items = hits
    .sort((a, b) => b.score - a.score || order(a.type) - order(b.type) || a.title.localeCompare(b.title) || a.id.localeCompare(b.id))
    .slice(0, limit)
    .map((h) => ({ ...h, score: Math.round(h.score * 1000) / 1000 }));
  const shown = new Set(items.map((h) => `${h.type}:${h.id}`));
  await auditRestrictedReads(
    db,
    ctx,
    restricted.filter((r) => shown.has(r.hit)).map(({ entityType, entityId }) => ({ entityType, entityId })),
  );
  return { items };
}

const scores = (found: IndexHit[]) => new Map(found.map((h) => [h.rowId, h.score]));

async function organisations(db: Db, found: IndexHit[]): Promise<SearchHit[]> {
  const score = scores(found);
  const list = await rows<{ id: string; name_id: string; name: string; kind: string; city: string | null; country: string | null; matched: string; names: string | NameRow[] | null }>(
    db,
    sql`SELECT o.id, n.id AS name_id, o.name, o.kind, o.city, o.country, n.name AS matched,
        (SELECT json_agg(json_build_object('id', x.id, 'name', x.name, 'script', x.script, 'kind', x.kind))::text FROM organisation_name x WHERE x.organisation_id = o.id) AS names
      FROM ${ordered(found.map((h) => h.rowId))} JOIN organisation_name n ON n.id = c.id JOIN organisation o ON o.id = n.organisation_id
      ORDER BY c.ord`,
  );
  return list.map((r) => ({
    type: 'organisation',
    id: r.id,
    title: r.name,
    subtitle: [r.kind, r.city, r.country].filter(Boolean).join(' · ') || null,
    score: score.get(r.name_id) ?? 0,
    matched: r.matched,
    names: orderedNames(typeof r.names === 'string' ? (JSON.parse(r.names) as NameRow[]) : (r.names ?? []), r.name),
  }));
}

/**
 * People by any recorded name or transliteration, but only when the actor may see the real identity; people
 * recorded under a pseudonym are otherwise found by the pseudonym alone. Restricted people the actor was not
 * granted are never shown. The subtitle (a current affiliation) is part of the identity too.
 */
async function persons(db: Db, actor: Actor, byName: IndexHit[], byPseudonym: IndexHit[]): Promise<Found> {
  const score = new Map([...scores(byName), ...scores(byPseudonym)]);
  const identity = personRowIdentityVisible(actor, { id: sql`p.id`, restricted: sql`p.restricted`, identityRestricted: sql`p.identity_restricted` });
  const list = await rows<{ id: string; row_id: string; display_name: string; restricted: boolean; matched: string; org: string | null }>(
    db,
    sql`SELECT p.id, c.row_id, p.display_name, p.restricted, c.matched,
        CASE WHEN ${identity} THEN (SELECT o.name FROM affiliation a JOIN organisation o ON o.id = a.organisation_id
          WHERE a.person_id = p.id AND (a.end_date IS NULL OR a.end_date >= current_date)
          ORDER BY a.start_date DESC NULLS LAST LIMIT 1) END AS org
      FROM (
        SELECT n.person_id, n.id AS row_id, n.name AS matched, true AS by_name, c.ord FROM ${ordered(byName.map((h) => h.rowId))} JOIN person_name n ON n.id = c.id
        UNION ALL
        SELECT q.id, q.id, q.pseudonym, false, c.ord FROM ${ordered(byPseudonym.map((h) => h.rowId))} JOIN person q ON q.id = c.id AND q.pseudonym IS NOT NULL
      ) c JOIN person p ON p.id = c.person_id
      WHERE ${personVisible(actor, sql`p.id`)} AND (NOT c.by_name OR ${identity})
      ORDER BY c.ord`,
  );
  const best = new Map<string, SearchHit & { restricted: boolean }>();
  for (const r of list) {
    const hit = { type: 'person' as const, id: r.id, title: r.display_name, subtitle: r.org, score: score.get(r.row_id) ?? 0, matched: r.matched, restricted: r.restricted };
    const seen = best.get(r.id);
    if (!seen || hit.score > seen.score) best.set(r.id, hit);
  }
  const kept = [...best.values()];
  return {
    hits: kept.map(({ restricted: _, ...h }) => h),
    restricted: kept.filter((h) => h.restricted).map((h) => ({ entityType: 'person', entityId: h.id, hit: `person:${h.id}` })),
  };
}

async function meetings(db: Db, actor: Actor, found: IndexHit[]): Promise<Found> {
  const score = scores(found);
  const list = await rows<{ id: string; title: string; city: string | null; online: boolean; starts_at: string; restricted: boolean }>(
    db,
    sql`SELECT m.id, m.title, m.city, m.online, ${iso(sql`m.starts_at`)} AS starts_at, m.restricted
      FROM ${ordered(found.map((h) => h.rowId))} JOIN meeting m ON m.id = c.id
      WHERE ${meetingRowVisible(actor, sql`m.restricted`, sql`m.id`)}
      ORDER BY c.ord`,
  );
  return {
    hits: list.map((r) => ({
      type: 'meeting',
      id: r.id,
      title: r.title,
      subtitle: [r.starts_at.slice(0, 10), r.city ?? (r.online ? 'online' : null)].filter(Boolean).join(' · '),
      at: new Date(r.starts_at).toISOString(),
      score: score.get(r.id) ?? 0,
      matched: r.title,
    })),
    restricted: list.filter((r) => r.restricted).map((r) => ({ entityType: 'meeting', entityId: r.id, hit: `meeting:${r.id}` })),
  };
}

async function sharedItems(db: Db, actor: Actor, found: IndexHit[]): Promise<Found> {
  const score = scores(found);
  const list = await rows<{ id: string; body: string; kind: string; org: string; meeting_title: string; restricted: boolean; meeting_restricted: boolean; meeting_id: string }>(
    db,
    sql`SELECT s.id, s.body, s.kind, o.name AS org, m.title AS meeting_title, m.id AS meeting_id, s.restricted, m.restricted AS meeting_restricted
      FROM ${ordered(found.map((h) => h.rowId))} JOIN shared_item s ON s.id = c.id JOIN organisation o ON o.id = s.organisation_id JOIN meeting m ON m.id = s.meeting_id
      WHERE ${meetingRowVisible(actor, sql`m.restricted`, sql`m.id`)} AND ${sharedItemRowVisibleInVisibleMeeting(actor, sql`s.restricted`, sql`s.id`, sql`s.meeting_id`)}
      ORDER BY c.ord`,
  );
  const short = (body: string) => (body.length > 140 ? `${body.slice(0, 139)}…` : body);
  return {
    hits: list.map((r) => ({
      type: 'shared_item',
      id: r.id,
      title: short(r.body),
      subtitle: `${r.kind} · ${r.org} · ${r.meeting_title}`,
      meetingId: r.meeting_id,
      score: score.get(r.id) ?? 0,
      matched: short(r.body),
    })),
    restricted: list.flatMap((r) => [
      ...(r.restricted ? [{ entityType: 'shared_item', entityId: r.id, hit: `shared_item:${r.id}` }] : []),
      ...(r.meeting_restricted ? [{ entityType: 'meeting', entityId: r.meeting_id, hit: `shared_item:${r.id}` }] : []),
    ]),
  };
}
