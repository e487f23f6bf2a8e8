import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defuse, isNumberOrPhone, undefuse } from './csv-defuse.ts';
import { csvCell, csvLine, parseCsv } from './csv.ts';

const FORMULA_START = /^[=+\-@\t\r]/;

/** Strings that start the way the rule cares about: apostrophes, formula characters, phone and number characters. */
const tricky = fc
  .tuple(
    fc.array(fc.constantFrom("'", '=', '+', '-', '@', '\t', '\r', ' ', ';'), { maxLength: 5 }),
    fc.string({ unit: fc.constantFrom('0', '1', '9', ' ', '(', ')', '.', '-', '+', ';', 'e', 'E', "'", 'a'), maxLength: 20 }),
    fc.string({ unit: 'binary', maxLength: 10 }),
  )
  .map(([head, body, tail]) => head.join('') + body + tail);

const anyString = fc.oneof(fc.string({ unit: 'binary' }), tricky);

describe('defuse / undefuse', () => {
  it('defuses what a spreadsheet would run, and leaves plain numbers and phone numbers alone', () => {
    const cases: [string, string][] = [
      ['=HYPERLINK("http://evil.example", "click")', `'=HYPERLINK("http://evil.example", "click")`],
      ['+1', "'+1"],
      ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
      ['-2+3', "'-2+3"],
      ['=1+1', "'=1+1"],
      ['-', "'-"],
      ['\tfoo', "'\tfoo"],
      ['\rfoo', "'\rfoo"],
      ['-Infinity', "'-Infinity"],
      ['+97259', "'+97259"], // five digits: not a phone number
      ['+970 59 123 4567', '+970 59 123 4567'],
      ['+1 (202) 555-0100', '+1 (202) 555-0100'],
      ['+972-2-123-4567', '+972-2-123-4567'],
      ['+970 59 123 4567; +972 2 123 4567', '+970 59 123 4567; +972 2 123 4567'],
      ['-12.5', '-12.5'],
      ['-3', '-3'],
      ['-1e-7', '-1e-7'],
      ['Director', 'Director'],
      ["'Lexit' is a word", "'Lexit' is a word"],
      ['', ''],
      // a real apostrophe before a formula character, a phone or a number: one more, so reading it back keeps it
      ["'=x", "''=x"],
      ["'+970 59 123 4567", "''+970 59 123 4567"],
      ["''-12", "'''-12"],
    ];
    for (const [value, written] of cases) {
      expect(defuse(value), JSON.stringify(value)).toBe(written);
      expect(undefuse(written), JSON.stringify(written)).toBe(value);
    }
  });

  it('reads a phone number an older export defused as the phone number', () => {
    expect(undefuse("'+970 59 123 4567")).toBe('+970 59 123 4567');
    expect(undefuse("'-12.5")).toBe('-12.5');
    // an apostrophe before anything else is the value's own
    expect(undefuse("'Lexit'")).toBe("'Lexit'");
    expect(undefuse("'")).toBe("'");
  });

  it('undefuse(defuse(s)) === s for every string', () => {
    fc.assert(
      fc.property(anyString, (s) => undefuse(defuse(s)) === s),
      { numRuns: 5000 },
    );
  });

  it('a defused cell never starts with a formula character unless it is a plain number or phone number', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        const d = defuse(s);
        return !FORMULA_START.test(d) || (d === s && isNumberOrPhone(d));
      }),
      { numRuns: 5000 },
    );
  });

  it('what passes as a number or phone number holds nothing a spreadsheet can run: digits and separators only', () => {
    fc.assert(
      fc.property(anyString, (s) => !isNumberOrPhone(s) || /^[-+0-9 ().;eE]*$/.test(s)),
      { numRuns: 5000 },
    );
  });

  it('changes a value only by one leading apostrophe', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        const d = defuse(s);
        return d === s || d === `'${s}`;
      }),
    );
  });
});

describe('the CSV writer and reader', () => {
  it('a row written by csvLine reads back unchanged through parseCsv', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyString, { minLength: 1, maxLength: 6 }), async (cells) => {
        fc.pre(cells.some((c) => c.trim() !== '')); // a blank row is skipped, as a spreadsheet's empty line
        const header = cells.map((_, i) => `c${i}`);
        const parsed = await parseCsv(csvLine(header) + csvLine(cells));
        expect(parsed.rows).toHaveLength(1);
        expect(parsed.rows[0]!.cells).toEqual(cells);
      }),
      { numRuns: 2000 },
    );
  });

  it('writes lists, numbers and booleans as before, and defuses a formula inside a quoted cell too', () => {
    expect(csvCell(['+970 59 123 4567', '+972 2 123 4567'])).toBe('"+970 59 123 4567; +972 2 123 4567"');
    expect(csvCell(['=cmd|x', 'y'])).toBe(`"'=cmd|x; y"`);
    expect(csvCell(-0.5)).toBe('-0.5');
    expect(csvCell(-Infinity)).toBe("'-Infinity");
    expect(csvCell(true)).toBe('true');
    expect(csvCell(null)).toBe('');
    expect(csvCell('=HYPERLINK("a","b")')).toBe(`"'=HYPERLINK(""a"",""b"")"`);
    expect(csvLine(['a', 'b'], '\n')).toBe('a,b\n');
  });
});
