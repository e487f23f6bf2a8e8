import { describe, expect, it } from 'vitest';
import { translateCount } from './catalogs.ts';

// Server-rendered counts (the dialogue report) take each language's plural form, as i18next does in the web app.
describe('translateCount', () => {
  it('says one participant, two, and many in the forms of each language', () => {
    const size = (l: 'en' | 'he' | 'ar', n: number) => translateCount(l, 'report.groupSize', n, { n: String(n) });
    expect([1, 2, 5].map((n) => size('en', n))).toEqual(['one participant', '2 participants', '5 participants']);
    expect([1, 2, 5].map((n) => size('he', n))).toEqual(['משתתף אחד', 'שני משתתפים', '5 משתתפים']);
    expect([0, 1, 2, 3, 11, 100].map((n) => size('ar', n))).toEqual(['لا مشاركين', 'مشارك واحد', 'مشاركان', '3 مشاركين', '11 مشاركًا', '100 مشارك']);
    expect(translateCount('ar', 'report.segmentVoters', 1, { name: 'طلاب', n: '1' })).toBe('طلاب: مشارك واحد');
  });
});
