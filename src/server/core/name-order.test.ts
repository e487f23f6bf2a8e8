import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareKeys, NAME_ORDER_LOCALES, nameOrderKey, renderNameOrderSql, type NameOrderLanguage } from './name-order.ts';
import { demoNames, generatedNames, nearNames } from '../../../tests/setup/name-corpus.ts';

const LANGS = Object.keys(NAME_ORDER_LOCALES) as NameOrderLanguage[];

/** Sorted by key, every neighbour pair must compare in Intl as the keys do: less where the keys differ, equal where not. */
function disagreements(lang: NameOrderLanguage, names: string[]): string[] {
  const c = new Intl.Collator(NAME_ORDER_LOCALES[lang], { sensitivity: 'base', numeric: true });
  const keyed = names.map((name) => ({ name, key: nameOrderKey(lang, name) })).sort((a, b) => compareKeys(a.key, b.key));
  const bad: string[] = [];
  for (let i = 1; i < keyed.length; i++) {
    const a = keyed[i - 1]!;
    const b = keyed[i]!;
    const byKey = Math.sign(compareKeys(a.key, b.key));
    const byIntl = Math.sign(c.compare(a.name, b.name));
    if (byKey !== byIntl) bad.push(`${JSON.stringify(a.name)} ${byKey < 0 ? '<' : '='} ${JSON.stringify(b.name)} but Intl says ${byIntl}`);
  }
  return bad;
}

describe('name order keys', () => {
  it('read-models/name-order.sql is generated from the current tables', () => {
    const file = fs.readFileSync(path.resolve(import.meta.dirname, '../read-models/name-order.sql'), 'utf8');
    expect(file).toBe(renderNameOrderSql());
  });

  for (const lang of LANGS) {
    it(`order names as Intl.Collator(${NAME_ORDER_LOCALES[lang]}) does`, () => {
      const names = [...new Set([...demoNames(), ...nearNames(), ...generatedNames(3000, LANGS.indexOf(lang) + 1)])];
      expect(disagreements(lang, names).slice(0, 10)).toEqual([]);
    });
  }

  it('put the reader’s script first', () => {
    const names = ['Zeta', 'אלף', 'ألف', 'Alpha'];
    const sorted = (lang: NameOrderLanguage) => [...names].sort((a, b) => compareKeys(nameOrderKey(lang, a), nameOrderKey(lang, b)));
    expect(sorted('en')).toEqual(['Alpha', 'Zeta', 'אלף', 'ألف']);
    expect(sorted('he')).toEqual(['אלף', 'Alpha', 'Zeta', 'ألف']);
    expect(sorted('ar')).toEqual(['ألف', 'Alpha', 'Zeta', 'אלף']);
  });

  it('compare numbers by value, in any of the three digit sets', () => {
    const k = (s: string) => nameOrderKey('ar', s);
    expect(compareKeys(k('Unit 9'), k('Unit 10'))).toBeLessThan(0);
    expect(k('Unit ١٠')).toBe(k('Unit 10'));
    expect(k('Unit 010')).toBe(k('Unit 10'));
  });
});
