import { describe, expect, it } from 'vitest';
import { csvHeader, guessColumn } from './csv-header.ts';

describe('csvHeader', () => {
  it('reads a comma-separated header with a byte-order mark and CRLF', () => {
    expect(csvHeader('\ufeffpopulation,treatment, agree \r\nil,control,5\r\n')).toEqual(['population', 'treatment', 'agree']);
  });

  it('detects semicolons and keeps quoted names whole', () => {
    expect(csvHeader('"group; wave";"arm";"says ""yes"""\n1;2;3')).toEqual(['group; wave', 'arm', 'says "yes"']);
  });

  it('keeps a quote inside a name that does not start with one (דוא"ל)', () => {
    expect(csvHeader('דוא"ל,treatment\nx,y')).toEqual(['דוא"ל', 'treatment']);
  });

  it('finds a line break only outside quotes', () => {
    expect(csvHeader('"two\nlines",b\n1,2')).toEqual(['two\nlines', 'b']);
  });

  it('answers nothing for an empty file', () => {
    expect(csvHeader('')).toEqual([]);
  });
});

describe('guessColumn', () => {
  it('prefers the exact name, then the patterns in order', () => {
    const cols = ['Respondent', 'Condition', 'HH_ID', 'agreement'];
    expect(guessColumn(cols, 'agreement')).toBe('agreement');
    expect(guessColumn(cols, /^treat/i, /^condition$/i)).toBe('Condition');
    expect(guessColumn(cols, 'population')).toBeUndefined();
  });
});
