import { describe, expect, it } from 'vitest';
import { normalizeName } from '../network/names.ts';
import { deletionsOf, scoreText, trigramCount, trigrams, typos } from './search-text.ts';

const letters = (s: string) => [...normalizeName(s)];

describe('typos (optimal string alignment)', () => {
  it('counts a dropped, added or changed letter, and a swapped pair, as one typo each', () => {
    expect(typos(letters('peace'), letters('peace'), 1)).toBe(0);
    expect(typos(letters('pece'), letters('peace'), 1)).toBe(1);
    expect(typos(letters('peacce'), letters('peace'), 1)).toBe(1);
    expect(typos(letters('peice'), letters('peace'), 1)).toBe(1);
    expect(typos(letters('paece'), letters('peace'), 1)).toBe(1);
    // Arabic: a letter dropped from الأديان (stored folded, with a plain alef)
    expect(typos(letters('الأيان'), letters('الأديان'), 1)).toBe(1);
    // Hebrew: השלם for השלום
    expect(typos(letters('השלם'), letters('השלום'), 1)).toBe(1);
    expect(typos(letters('muhamad'), letters('muhammad'), 2)).toBe(1);
    expect(typos(letters('mhamad'), letters('muhammad'), 2)).toBe(2);
  });

  it('stops at the limit: anything further is limit + 1', () => {
    expect(typos(letters('jerusalem'), letters('ramallah'), 2)).toBe(3);
    expect(typos(letters('abc'), letters('abcdef'), 1)).toBe(2);
  });
});

describe('deletionsOf', () => {
  it('holds the word and every form with up to n letters deleted, never shorter than two letters', () => {
    expect([...deletionsOf('salam', 1)].sort()).toEqual(['alam', 'salam', 'saam', 'salm', 'sala', 'slam'].sort());
    expect(deletionsOf('abc', 2)).toEqual(new Set(['abc', 'bc', 'ac', 'ab']));
    // a swap is found through one deletion on each side: "paece" and "peace" share "pace"
    const a = deletionsOf('paece', 1);
    expect([...deletionsOf('peace', 1)].some((d) => a.has(d))).toBe(true);
  });
});

describe('scoreText', () => {
  it('ranks exact above a start, a start above a word start, a word start above inside, inside above similar', () => {
    const q = 'women for peace';
    const exact = scoreText('women for peace', q);
    const start = scoreText('women for peace association', q);
    const wordStart = scoreText('haifa women for peace', q);
    const inside = scoreText('superwomen for peace', q);
    const similar = scoreText('wemen for paece', q);
    expect(exact).toBeGreaterThan(start);
    expect(start).toBeGreaterThan(wordStart);
    expect(wordStart).toBeGreaterThan(inside);
    expect(inside).toBeGreaterThan(similar);
    expect(exact).toBe(4);
    expect(similar).toBeGreaterThan(0);
    expect(similar).toBeLessThan(1);
  });

  it('uses pg_trgm trigrams: each word padded with two spaces before and one after', () => {
    expect(trigrams('cat')).toEqual(new Set(['  c', ' ca', 'cat', 'at ']));
    expect(trigrams('a b').size).toBe(4);
    // ranking counts them as numbers: the same sets
    for (const text of ['cat', 'a b', 'women for peace association', normalizeName('مجلس الأديان رام الله'), normalizeName('נשים למען השלום'), 'aaa aaa']) {
      expect(trigramCount(text), text).toBe(trigrams(text).size);
    }
  });
});
