import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import type { RequestContext } from '../../http/context.ts';
import type { Actor } from '../../policy.ts';
import { normalizeName } from '../network/names.ts';
import { auditRestrictedReads, meetingRowVisible, meetingVisible, personIdentityVisible, personVisible, reader, sharedItemRowVisibleInVisibleMeeting } from '../network/visibility.ts';
import { SEARCH_TYPES, type SearchType } from './insights.contract.ts';
import { iso, organisationNames, type OrganisationNameRef } from './rows.ts';

// One search box over organisations, people, meetings and shared items. Every name is compared in its
// folded form (names.ts) so scripts, accents, Hebrew final letters and Arabic letter variants do not
// matter. A record matches when each word typed (of three letters or more) is in one of its names, or
// close to a word there by trigrams (`<%`, backed by the GIN trigram indexes on the norm columns), or is
// one there with two neighbouring letters swapped: a typo is tolerated per word, and a common word
// ("association", "meeting") alone does not make every record match. Results rank exact, prefix and substring matches first, then similarity.
// The word-similarity threshold is lowered for this transaction only: a swapped pair of letters in a
// five-letter word already leaves a third of its trigrams.

const WORD_SIMILARITY_THRESHOLD = 0.3;

export type SearchInput = { q: string; types?: string; limit: number };

export type SearchHit = {
  type: SearchType;
  id: string;
  title: string;
  subtitle: string | null;
  meetingId?: string;
  score: number;
  matched: string;
  /** organisations: their recorded names */
  names?: OrganisationNameRef[];
};

/** Rank of a folded name against the folded query: tier (exact 3, prefix 2, word prefix 1.5, substring 1) + similarity. */
function score(norm: SQL, q: string): SQL {
  return sql`(CASE WHEN ${norm} = ${q} THEN 3
    WHEN ${norm} LIKE ${`${q}%`} THEN 2
    WHEN ${norm} LIKE ${`% ${q}%`} THEN 1.5
    WHEN ${norm} LIKE ${`%${q}%`} THEN 1
    ELSE 0 END + greatest(similarity(${norm}, ${q}), word_similarity(${q}, ${norm})))::float8`;
}

/** The words a record must match: those of 3+ letters (trigram-indexable), or all when every word is shorter. */
function wordsOf(q: string): string[] {
  const words = [...new Set(q.split(' ').filter(Boolean))];
  const long = words.filter((w) => [...w].length >= 3);
  return long.length ? long : words;
}

/**
 * The word with each pair of neighbouring letters swapped: trigrams forgive a dropped, added or wrong
 * letter, but a swap ("paece") breaks most of a short word's trigrams, so swaps are matched exactly.
 */
function swaps(word: string): string[] {
  const letters = [...word];
  if (letters.length < 3 || letters.length > 20) return [];
  const out = new Set<string>();
  for (let i = 0; i < letters.length - 1; i++) {
    if (letters[i] === letters[i + 1]) continue;
    const v = [...letters];
    [v[i], v[i + 1]] = [v[i + 1]!, v[i]!];
    out.add(v.join(''));
  }
  return [...out];
}

/** Every word is in the folded name, close to one of its words, or is one with two letters swapped (all index-backed). */
function matches(norm: SQL, words: string[]): SQL {
  return sql.join(
    words.map((w) => sql`(${sql.join([w, ...swaps(w)].map((v) => sql`${norm} LIKE ${`%${v}%`}`), sql` OR `)} OR ${w} <% ${norm})`),
    sql` AND `,
  );
}

/** The same test without the operators, for columns without a folded copy (pseudonyms). */
function matchesFn(text: SQL, words: string[]): SQL {
  return sql.join(
    words.map((w) => sql`(${text} LIKE ${`%${w}%`} OR word_similarity(${w}, ${text}) >= ${WORD_SIMILARITY_THRESHOLD})`),
    sql` AND `,
  );
}

export async function search(db: Db, ctx: RequestContext, input: SearchInput): Promise<{ items: SearchHit[] }> {
  const actor = reader(ctx);
  const q = normalizeName(input.q);
  if (!q) return { items: [] };
  const types = new Set<SearchType>(input.types ? (input.types.split(',').map((t) => t.trim()) as SearchType[]) : SEARCH_TYPES);
  const limit = input.limit;
  const words = wordsOf(q);

  const { hits, restricted } = await db.transaction(async (tx) => {
    await rows(tx, sql`SELECT set_config('pg_trgm.word_similarity_threshold', ${String(WORD_SIMILARITY_THRESHOLD)}, true)`);
    // the planner, with no statistics on the folded columns (see migration 0005), reckons a scan of a name table
    // cheaper than its trigram index, then runs word_similarity on every row (20 ms for 6,000 organisation
    // names, and far worse on 130,000 person names in the embedded database); the index answers in ~2 ms
    await rows(tx, sql`SELECT set_config('enable_seqscan', 'off', true)`);
    const hits: SearchHit[] = [];
    const restricted: Revealed[] = [];
    if (types.has('organisation')) hits.push(...(await organisations(tx, q, words, limit)));
    if (types.has('person')) {
      const found = await people(tx, actor, q, words, limit);
      hits.push(...found.hits);
      restricted.push(...found.restricted);
    }
    if (types.has('meeting')) {
      const found = await meetings(tx, actor, q, words, limit);
      hits.push(...found.hits);
      restricted.push(...found.restricted);
    }
    if (types.has('shared_item')) {
      const found = await sharedItems(tx, actor, q, words, limit);
      hits.push(...found.hits);
      restricted.push(...found.restricted);
    }
    return { hits, restricted };
  });

  const order = (t: SearchType) => SEARCH_TYPES.indexOf(t);
  const items = hits
    .sort((a, b) => b.score - a.score || order(a.type) - order(b.type) || a.title.localeCompare(b.title))
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

async function organisations(db: Db, q: string, words: string[], limit: number): Promise<SearchHit[]> {
  const found = await rows<{ id: string; name: string; kind: string; city: string | null; country: string | null; matched: string; score: number }>(
    db,
    sql`SELECT o.id, o.name, o.kind, o.city, o.country, best.name AS matched, best.score
      FROM (SELECT DISTINCT ON (n.organisation_id) n.organisation_id, n.name, ${score(sql`n.norm`, q)} AS score
            FROM organisation_name n WHERE ${matches(sql`n.norm`, words)}
            ORDER BY n.organisation_id, score DESC) best
      JOIN organisation o ON o.id = best.organisation_id
      ORDER BY best.score DESC, o.name LIMIT ${limit}`,
  );
  const names = await organisationNames(db, new Map(found.map((r) => [r.id, r.name])));
  return found.map((r) => ({
    type: 'organisation',
    id: r.id,
    title: r.name,
    subtitle: [r.kind, r.city, r.country].filter(Boolean).join(' · ') || null,
    score: Number(r.score),
    matched: r.matched,
    names: names.get(r.id) ?? [],
  }));
}

/** A restricted record a hit would reveal, keyed by that hit ("type:id"), audited only if the hit is shown. */
type Revealed = { entityType: string; entityId: string; hit: string };
type Found = { hits: SearchHit[]; restricted: Revealed[] };

/**
 * People by any recorded name or transliteration, but only when the actor may see the real identity;
 * people recorded under a pseudonym are otherwise found by the pseudonym alone. Restricted people the
 * actor was not granted are never considered.
 */
async function people(db: Db, actor: Actor, q: string, words: string[], limit: number): Promise<Found> {
  const byName = await rows<{ id: string; display_name: string; restricted: boolean; matched: string; score: number }>(
    db,
    sql`SELECT p.id, p.display_name, p.restricted, best.name AS matched, best.score
      FROM (SELECT DISTINCT ON (n.person_id) n.person_id, n.name, ${score(sql`n.norm`, q)} AS score
            FROM person_name n WHERE ${matches(sql`n.norm`, words)}
            ORDER BY n.person_id, score DESC) best
      JOIN person p ON p.id = best.person_id
      WHERE ${personVisible(actor, sql`p.id`)} AND ${personIdentityVisible(actor, sql`p.id`)}
      ORDER BY best.score DESC, p.display_name LIMIT ${limit}`,
  );
  // pseudonyms have no folded column: few people carry one, so they are folded here with lower()
  const pseudo = sql`lower(p.pseudonym)`;
  const byPseudonym = await rows<{ id: string; display_name: string; restricted: boolean; matched: string; score: number }>(
    db,
    sql`SELECT p.id, p.display_name, p.restricted, p.pseudonym AS matched, ${score(pseudo, q)} AS score
      FROM person p
      WHERE p.pseudonym IS NOT NULL AND ${personVisible(actor, sql`p.id`)}
        AND ${matchesFn(pseudo, words)}
      ORDER BY score DESC LIMIT ${limit}`,
  );
  const ids = [...new Set([...byName, ...byPseudonym].map((r) => r.id))];
  const orgOf = new Map<string, string>();
  if (ids.length) {
    // the subtitle is a current affiliation, itself part of the identity: only for people whose identity is visible
    const aff = await rows<{ person_id: string; name: string }>(
      db,
      sql`SELECT DISTINCT ON (a.person_id) a.person_id, o.name FROM affiliation a JOIN organisation o ON o.id = a.organisation_id
        WHERE a.person_id IN (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})
          AND (a.end_date IS NULL OR a.end_date >= current_date) AND ${personIdentityVisible(actor, sql`a.person_id`)}
        ORDER BY a.person_id, a.start_date DESC NULLS LAST`,
    );
    for (const a of aff) orgOf.set(a.person_id, a.name);
  }
  const best = new Map<string, (typeof byName)[number]>();
  for (const r of [...byName, ...byPseudonym]) {
    const seen = best.get(r.id);
    if (!seen || Number(r.score) > Number(seen.score)) best.set(r.id, r);
  }
  const hits: SearchHit[] = [...best.values()].map((r) => ({
    type: 'person',
    id: r.id,
    title: r.display_name,
    subtitle: orgOf.get(r.id) ?? null,
    score: Number(r.score),
    matched: r.matched,
  }));
  return { hits, restricted: [...best.values()].filter((r) => r.restricted).map((r) => ({ entityType: 'person', entityId: r.id, hit: `person:${r.id}` })) };
}

async function meetings(db: Db, actor: Actor, q: string, words: string[], limit: number): Promise<Found> {
  const found = await rows<{ id: string; title: string; city: string | null; online: boolean; starts_at: string; restricted: boolean; score: number }>(
    db,
    sql`SELECT m.id, m.title, m.city, m.online, ${iso(sql`m.starts_at`)} AS starts_at, m.restricted, ${score(sql`m.title_norm`, q)} AS score
      FROM meeting m
      WHERE ${matches(sql`m.title_norm`, words)} AND ${meetingRowVisible(actor, sql`m.restricted`, sql`m.id`)}
      ORDER BY score DESC, m.starts_at DESC LIMIT ${limit}`,
  );
  return {
    hits: found.map((r) => ({
      type: 'meeting',
      id: r.id,
      title: r.title,
      subtitle: [r.starts_at.slice(0, 10), r.city ?? (r.online ? 'online' : null)].filter(Boolean).join(' · '),
      score: Number(r.score),
      matched: r.title,
    })),
    restricted: found.filter((r) => r.restricted).map((r) => ({ entityType: 'meeting', entityId: r.id, hit: `meeting:${r.id}` })),
  };
}

async function sharedItems(db: Db, actor: Actor, q: string, words: string[], limit: number): Promise<Found> {
  // in a long text only the best-matching stretch counts: word similarity, not whole-text similarity
  const found = await rows<{ id: string; body: string; kind: string; org: string; meeting_title: string; restricted: boolean; meeting_restricted: boolean; meeting_id: string; score: number }>(
    db,
    sql`SELECT s.id, s.body, s.kind, o.name AS org, m.title AS meeting_title, m.id AS meeting_id, s.restricted, m.restricted AS meeting_restricted,
        (CASE WHEN s.body_norm LIKE ${`%${q}%`} THEN 1 ELSE 0 END + word_similarity(${q}, s.body_norm))::float8 AS score
      FROM shared_item s JOIN organisation o ON o.id = s.organisation_id JOIN meeting m ON m.id = s.meeting_id
      WHERE ${matches(sql`s.body_norm`, words)}
        AND ${meetingRowVisible(actor, sql`m.restricted`, sql`m.id`)} AND ${sharedItemRowVisibleInVisibleMeeting(actor, sql`s.restricted`, sql`s.id`, sql`s.meeting_id`)}
      ORDER BY score DESC, s.created_at DESC LIMIT ${limit}`,
  );
  return {
    hits: found.map((r) => ({
      type: 'shared_item',
      id: r.id,
      title: r.body.length > 140 ? `${r.body.slice(0, 139)}…` : r.body,
      subtitle: `${r.kind} · ${r.org} · ${r.meeting_title}`,
      meetingId: r.meeting_id,
      score: Number(r.score),
      matched: r.body.length > 140 ? `${r.body.slice(0, 139)}…` : r.body,
    })),
    restricted: found.flatMap((r) => [
      ...(r.restricted ? [{ entityType: 'shared_item', entityId: r.id, hit: `shared_item:${r.id}` }] : []),
      ...(r.meeting_restricted ? [{ entityType: 'meeting', entityId: r.meeting_id, hit: `shared_item:${r.id}` }] : []),
    ]),
  };
}
