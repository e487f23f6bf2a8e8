// The order of the network's lists for a reader: by the name shown in the reader's language, with that language's
// collation (core/name-order.ts; the keys are kept by read models: organisation_card, person_order). docs/network.md, "Order".
// Server only: the staff app imports names.ts, and should not carry the collation tables.
import { z } from '@hono/zod-openapi';
import { isUuid } from '../../core/errors.ts';
import { decodeCursor } from '../../core/pagination.ts';
import { compareKeys, NAME_ORDER_LOCALES, nameOrderKey, type NameOrderLanguage } from '../../core/name-order.ts';
import type { Actor } from '../../access/roles.ts';

const LANGUAGES = Object.keys(NAME_ORDER_LOCALES) as [NameOrderLanguage, ...NameOrderLanguage[]];

export const OrderLanguageSchema = z.enum(LANGUAGES).optional().openapi({
  description:
    "The reader's language (en, he, ar): the list is in the order of the name shown in it (a name recorded in its script, " +
    "else the display name), as Intl.Collator sorts for it. By default the language of the signed-in account.",
});

/**
 * The cursor of a list in name order holds the key of the last name seen: a name of up to 300 characters makes a key of
 * up to ~2,100 bytes (three or four per character, two characters for ß and the like), ~2,900 characters of cursor.
 */
export const OrderCursorSchema = z.string().max(4000).optional().openapi({ description: 'The nextCursor of the previous page' });

/** The language a list is ordered for: the one asked, else the account's, else English. */
export function orderLanguage(asked: NameOrderLanguage | undefined, actor: Actor | null): NameOrderLanguage {
  if (asked) return asked;
  const own = actor?.locale?.slice(0, 2);
  return own && own in NAME_ORDER_LOCALES ? (own as NameOrderLanguage) : 'en';
}

/** A list cursor is [language, key, id]: one given out for another language's order is not this list's. */
export function decodeOrderCursor(cursor: string | undefined, lang: NameOrderLanguage): { key: string; id: string } | undefined {
  const parts = decodeCursor(cursor, 3, ([l, key, id]) => l === lang && typeof key === 'string' && typeof id === 'string' && isUuid(id));
  return parts ? { key: parts[1] as string, id: parts[2] as string } : undefined;
}

/**
 * A whole list (offices, staff: a few dozen rows, never paged) in the reader's order of its names, by the same keys
 * the paged lists use; rows of the same name keep their order (the query's, by id).
 */
export function inNameOrder<T>(items: readonly T[], name: (item: T) => string, lang: NameOrderLanguage): T[] {
  return items
    .map((item) => ({ item, key: nameOrderKey(lang, name(item)) }))
    .sort((a, b) => compareKeys(a.key, b.key))
    .map((x) => x.item);
}

/**
 * Two names in the English order, then by code point: how names of one kind are listed, and so which one the staff app
 * shows when a record has two of a kind in the reader's script (the list orders by the same choice: organisation-card.sql,
 * person-order.sql).
 */
export function compareNamesForListing(a: string, b: string): number {
  return compareKeys(nameOrderKey('en', a), nameOrderKey('en', b)) || compareKeys(a, b);
}

/** An organisation's names as shown everywhere: the display name first, then official names, then the rest, each group alphabetically. */
export function sortNames<N extends { id: string; name: string; kind: string }>(names: N[], displayName: string): N[] {
  const rank = (n: N) => (n.name === displayName ? 0 : n.kind === 'official' ? 1 : 2);
  return [...names].sort((a, b) => rank(a) - rank(b) || compareNamesForListing(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
