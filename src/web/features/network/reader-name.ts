import type { Script } from './network.api.ts';

const SCRIPT_OF_LANGUAGE: Record<string, Script> = { en: 'latin', he: 'hebrew', ar: 'arabic' };
const NAME_KIND_ORDER = ['official', 'short', 'transliteration', 'former'];

type Named = { name: string; script: Script | string; kind: string };

/**
 * The name to show a reader: one recorded in the script of the interface language (official names first, a
 * former name last), else the display name. Records that come without their names show the display name.
 */
export function nameForReader(record: { name: string; names?: readonly Named[] | null }, language: string): string {
  const script = SCRIPT_OF_LANGUAGE[language.slice(0, 2)];
  const inScript = (record.names ?? [])
    .filter((n) => n.script === script && n.kind !== 'former')
    .sort((a, b) => NAME_KIND_ORDER.indexOf(a.kind) - NAME_KIND_ORDER.indexOf(b.kind));
  if (inScript.some((n) => n.name === record.name)) return record.name;
  return inScript[0]?.name ?? record.name;
}

/**
 * The organisation an entry names (a follow-up, a timeline entry, a shared item), in the reader's script when the
 * entry carries the organisation's names; null when it names none.
 */
export function organisationNameForReader(item: { organisationName: string | null; organisationNames?: readonly Named[] | null }, language: string): string | null {
  return item.organisationName === null ? null : nameForReader({ name: item.organisationName, names: item.organisationNames }, language);
}

/** The script a name is written in, as the server will record it (names.ts detectScript). */
export function guessScript(text: string): Script | null {
  const s = text.replace(/[\s\d\p{P}\p{S}]/gu, '');
  if (!s) return null;
  const count = (re: RegExp) => (s.match(re) ?? []).length;
  const he = count(/[\u0590-\u05FF]/g);
  const ar = count(/[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/g);
  const la = count(/[A-Za-z\u00C0-\u024F]/g);
  const max = Math.max(he, ar, la);
  if (max === 0) return 'other';
  return max === ar ? 'arabic' : max === he ? 'hebrew' : 'latin';
}

/** A person's name to show a reader: recorded in the reader's script when there is one (a hidden identity has none). */
export function personNameForReader(p: { displayName: string; names?: readonly Named[] | null }, language: string): string {
  return nameForReader({ name: p.displayName, names: p.names }, language);
}
