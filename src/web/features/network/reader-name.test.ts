import { describe, expect, it } from 'vitest';
import { nameForReader } from './reader-name.ts';

const org = {
  name: 'جمعية الأمل',
  names: [
    { name: 'جمعية الأمل', script: 'arabic' as const, kind: 'official' },
    { name: 'Al-Amal', script: 'latin' as const, kind: 'short' },
    { name: 'Al-Amal Association', script: 'latin' as const, kind: 'official' },
    { name: 'Old Name', script: 'latin' as const, kind: 'former' },
  ],
};

describe('nameForReader', () => {
  it("picks a name in the script of the reader's language, official first, never a former name", () => {
    expect(nameForReader(org, 'en')).toBe('Al-Amal Association');
    expect(nameForReader(org, 'ar')).toBe('جمعية الأمل');
  });
  it('falls back to the display name when nothing is recorded in that script', () => {
    expect(nameForReader(org, 'he')).toBe('جمعية الأمل');
    expect(nameForReader({ name: 'Only Former', names: [{ name: 'Only Former', script: 'latin', kind: 'former' }] }, 'en')).toBe('Only Former');
  });
  it('keeps the display name when it is in the reader\'s script', () => {
    expect(nameForReader({ ...org, name: 'Al-Amal' }, 'en-GB')).toBe('Al-Amal');
  });
  it('shows the display name of a record that comes without its names', () => {
    expect(nameForReader({ name: 'Al-Amal' }, 'ar')).toBe('Al-Amal');
    expect(nameForReader({ name: 'Al-Amal', names: null }, 'he')).toBe('Al-Amal');
  });
});
