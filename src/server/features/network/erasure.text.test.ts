import { describe, expect, it } from 'vitest';
import { jsonLikePatterns, likePatterns, mentions, replaceInJson, replaceTerms, snippet, termsOf, websiteTerms } from './erasure.text.ts';

const terms = termsOf(['Samir Haddad', 'סמיר חדאד', 'سمير حداد', 'samir.haddad@example.org', '+972 2 555 0101', 'Li', null, '  ']);

describe('finding an erased record in free text', () => {
  it('finds its names as whole words, in any case, folded as search folds them, and its contacts', () => {
    expect(mentions('Tea with SAMIR HADDAD tomorrow', terms)).toBe(true);
    expect(mentions("Samir Haddad's garden", terms)).toBe(true);
    expect(mentions('פגישה עם סְמִיר חדאד', terms)).toBe(true);
    expect(mentions('قال سمير حداد', terms)).toBe(true);
    expect(mentions('write to samir.haddad@example.org', terms)).toBe(true);
    expect(mentions('call +972 2 555 0101 after six', terms)).toBe(true);
    // not inside other words, not a first name alone, not names under three letters
    expect(mentions('Samir Haddadi came', terms)).toBe(false);
    expect(mentions('Samir came', terms)).toBe(false);
    expect(mentions('Li and Lina', terms)).toBe(false);
    expect(mentions(null, terms)).toBe(false);
  });

  it('replaces what it finds as typed, and leaves the rest of the text alone', () => {
    expect(replaceTerms('Tea with samir haddad and Samir Haddadi', terms, '[X]')).toBe('Tea with [X] and Samir Haddadi');
    expect(replaceTerms('قال سمير حداد إن', terms, '[X]')).toBe('قال [X] إن');
    // a name typed with points is found (folded) but cannot be replaced as typed: left for review
    const pointed = 'פגישה עם סְמִיר חדאד';
    expect(replaceTerms(pointed, terms, '[X]')).toBe(pointed);
  });

  it('rewrites strings inside JSON, returning the same object when nothing named the record', () => {
    const detail = { names: ['Samir Haddad', 'Other'], nested: { note: 'mail samir.haddad@example.org' }, n: 3 };
    expect(replaceInJson(detail, terms, 'T')).toEqual({ names: ['T', 'Other'], nested: { note: 'mail T' }, n: 3 });
    const clean = { names: ['Other'], n: 1 };
    expect(replaceInJson(clean, terms, 'T')).toBe(clean);
  });

  it('makes LIKE patterns for the candidates, escaped, and shows a snippet around the first mention', () => {
    const t = termsOf(['100%_sure']);
    expect(likePatterns(t)).toContain('%100\\%\\_sure%');
    expect(jsonLikePatterns(termsOf(['a "quoted" name']))).toEqual(['%a \\\\"quoted\\\\" name%']);
    expect(snippet(`${'x'.repeat(100)} Samir Haddad ${'y'.repeat(100)}`, terms, 10)).toBe('…xxxxxxxxx Samir Haddad yyyyyyyyy…');
    expect(websiteTerms('https://www.example.org/')).toEqual(['https://www.example.org/', 'example.org']);
  });
});
