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

describe('translation catalogs', () => {
  for (const a of LOCALES) {
    for (const b of LOCALES) {
      if (a === b) continue;
      it(`every key of ${a}.json exists in ${b}.json`, () => {
        const missing = Object.keys(flat[a]).filter((k) => !(k in flat[b]));
        expect(missing.map((k) => `"${k}" is missing from ${b}.json`)).toEqual([]);
      });
    }
  }

  it('has no empty strings', () => {
    const empty = LOCALES.flatMap((l) => Object.entries(flat[l]).filter(([, v]) => !v.trim()).map(([k]) => `${l}.json: "${k}" is empty`));
    expect(empty).toEqual([]);
  });

  it('uses the same interpolation variables and markup tags in every language', () => {
    const problems: string[] = [];
    for (const [key, en] of Object.entries(flat.en)) {
      for (const l of LOCALES) {
        const other = flat[l][key];
        if (other === undefined) continue;
        if (vars(other).join() !== vars(en).join()) problems.push(`${l}.json: "${key}" has {{${vars(other).join(', ')}}}, en.json has {{${vars(en).join(', ')}}}`);
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
    const missing = [...used].filter(([k]) => !(k in flat.en)).map(([k, f]) => `"${k}" (used in src/web/${f}) is missing from en.json`);
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
