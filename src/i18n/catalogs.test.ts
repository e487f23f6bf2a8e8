import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogs } from './catalogs.ts';
import { flattenCatalog, LOCALES } from './locales.ts';

const flat = Object.fromEntries(LOCALES.map((l) => [l, flattenCatalog(catalogs[l])])) as Record<(typeof LOCALES)[number], Record<string, string>>;
const vars = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
const tags = (s: string) => [...s.matchAll(/<(\w+)>/g)].map((m) => m[1]).sort();

function webFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return webFiles(p);
    return /\.(tsx?|mts)$/.test(e.name) ? [p] : [];
  });
}

// Plural forms: "key_one", "key_other" … (i18next with Intl.PluralRules). A key is plural when en.json has its "_other".
const FORMS = ['zero', 'one', 'two', 'few', 'many', 'other'] as const;
const pluralBase = (key: string): string | null => {
  const m = key.match(/^(.*)_(zero|one|two|few|many|other)$/);
  return m && `${m[1]}_other` in flat.en ? m[1]! : null;
};
/** The forms a language's plural rules choose among (Arabic: six; Hebrew: one, two, other; English: one, other). */
const formsOf = (l: string) => new Intl.PluralRules(l).resolvedOptions().pluralCategories as string[];

describe('translation catalogs', () => {
  for (const a of LOCALES) {
    for (const b of LOCALES) {
      if (a === b) continue;
      it(`every key of ${a}.json exists in ${b}.json (plural forms: see below)`, () => {
        const missing = Object.keys(flat[a]).filter((k) => !pluralBase(k) && !(k in flat[b]));
        expect(missing.map((k) => `"${k}" is missing from ${b}.json`)).toEqual([]);
      });
    }
  }

  it('has every plural form each language’s rules choose (Intl.PluralRules)', () => {
    const bases = new Set(LOCALES.flatMap((l) => Object.keys(flat[l]).map(pluralBase).filter((b): b is string => !!b)));
    const problems: string[] = [];
    for (const base of bases)
      for (const l of LOCALES)
        for (const form of formsOf(l)) if (!(`${base}_${form}` in flat[l])) problems.push(`${l}: "${base}_${form}" is missing (${l} needs ${formsOf(l).join(', ')})`);
    expect(problems).toEqual([]);
    expect(FORMS.every((f) => formsOf('ar').includes(f))).toBe(true);
  });

  it('has no empty strings', () => {
    const empty = LOCALES.flatMap((l) => Object.entries(flat[l]).filter(([, v]) => !v.trim()).map(([k]) => `${l}.json: "${k}" is empty`));
    expect(empty).toEqual([]);
  });

  it('uses the same interpolation variables and markup tags in every language', () => {
    const problems: string[] = [];
    for (const l of LOCALES) {
      for (const [key, other] of Object.entries(flat[l])) {
        const base = pluralBase(key);
        // a plural form may spell its number out ("one day"): its variables are some of the other form's
        const en = flat.en[key] ?? (base ? flat.en[`${base}_other`] : undefined);
        if (en === undefined) continue;
        const mine = vars(other);
        const theirs = vars(en);
        const ok = base && !key.endsWith('_other') ? mine.every((v) => theirs.includes(v)) : mine.join() === theirs.join();
        if (!ok) problems.push(`${l}.json: "${key}" has {{${mine.join(', ')}}}, en.json has {{${theirs.join(', ')}}}`);
        if (tags(other).join() !== tags(en).join()) problems.push(`${l}.json: "${key}" has tags <${tags(other).join('>, <')}>, en.json has <${tags(en).join('>, <')}>`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('has every literal key the web app uses in en.json', () => {
    const root = path.resolve(import.meta.dirname, '../web');
    const used = new Map<string, string>();
    for (const file of webFiles(root)) {
      const src = fs.readFileSync(file, 'utf8');
      // t('key'), t("key"), i18nKey="key"; template literals with ${…} are dynamic and checked below
      for (const m of src.matchAll(/\bt\(\s*(['"])([\w.-]+)\1/g)) used.set(m[2]!, path.relative(root, file));
      for (const m of src.matchAll(/i18nKey=(['"])([\w.-]+)\1/g)) used.set(m[2]!, path.relative(root, file));
    }
    expect(used.size).toBeGreaterThan(50);
    const missing = [...used].filter(([k]) => !(k in flat.en) && !(`${k}_other` in flat.en)).map(([k, f]) => `"${k}" (used in src/web/${f}) is missing from en.json`);
    expect(missing).toEqual([]);
  });

  it('has the keys the web app builds from pillar, role and status names', () => {
    const keys = [
      ...['network', 'research', 'events', 'campaigns', 'trips', 'updates'].flatMap((p) => ['title', 'summary', 'description'].map((f) => `pillars.${p}.${f}`)),
      ...['admin', 'staff', 'viewer'].map((r) => `roleNames.${r}`),
      ...['pending', 'accepted', 'revoked', 'expired'].map((s) => `people.invitationStatus.${s}`),
    ];
    expect(keys.filter((k) => !(k in flat.en)).map((k) => `"${k}" is missing from en.json`)).toEqual([]);
  });
});
