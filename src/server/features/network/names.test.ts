import { describe, expect, it } from 'vitest';
import { detectScript, normalizeName } from './names.ts';

describe('names', () => {
  it('detects the script', () => {
    expect(detectScript('Combatants for Peace')).toBe('latin');
    expect(detectScript('לוחמים לשלום')).toBe('hebrew');
    expect(detectScript('مقاتلون من أجل السلام')).toBe('arabic');
    expect(detectScript('2024')).toBe('other');
  });
  it('folds case, accents, points and interchangeable Arabic letters', () => {
    expect(normalizeName('  Café-Ramallah!  ')).toBe('cafe ramallah');
    expect(normalizeName('מְחַנְּכִים')).toBe(normalizeName('מחנכים'));
    expect(normalizeName('إبراهيم')).toBe(normalizeName('ابراهيم'));
    expect(normalizeName('مدرسة')).toBe(normalizeName('مدرسه'));
    expect(normalizeName('مُصطفى')).toBe(normalizeName('مصطفي'));
    expect(normalizeName('שלום')).toBe(normalizeName('שלומ'));
    expect(normalizeName('O’Brien')).toBe('obrien');
  });
});
