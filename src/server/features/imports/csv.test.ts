import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvRecords } from './csv.ts';

// csvRecords feeds csv-parse a piece at a time (a turn of the event loop between pieces): whatever the pieces, the
// records — or the error — are exactly those of csv-parse's synchronous parse of the whole text.

const OPTION_SETS = [
  { delimiter: ',', relax_column_count: true, relax_quotes: true, skip_empty_lines: false, bom: true }, // the Network import
  { bom: true, relax_column_count: true, skip_empty_lines: true }, // Pol.is exports
] as const;

/** text made of what CSV parsing turns on: quotes, delimiters, line breaks, and characters of 2, 3 and 4 UTF-8 bytes */
const csvText = fc
  .array(fc.constantFrom('a', 'ש', 'ع', '😀', '"', ',', ';', '\n', '\r\n', '\r', ' ', '""', '\uFEFF', 'x,y', '"q,"'), { maxLength: 120 })
  .map((parts) => parts.join(''));

const outcome = async (run: () => Promise<string[][]> | string[][]) => {
  try {
    return { records: await run() };
  } catch (err) {
    return { error: (err as Error).message };
  }
};

describe('csvRecords', () => {
  for (const [i, options] of OPTION_SETS.entries()) {
    it(`reads what the synchronous parser reads, split anywhere (options ${i + 1})`, async () => {
      await fc.assert(
        fc.asyncProperty(csvText, fc.integer({ min: 1, max: 9 }), async (text, piece) => {
          const expected = await outcome(() => parse(text, { ...options }) as string[][]);
          expect(await outcome(() => csvRecords(text, { ...options }, piece))).toEqual(expected);
        }),
        { numRuns: 400, seed: 20261207 },
      );
    });
  }

  it('keeps a character whose bytes fall in two pieces', async () => {
    const text = 'name\n' + 'شخص 😀 שלום\n'.repeat(50);
    for (const piece of [1, 2, 3, 5, 7]) expect(await csvRecords(text, { bom: true }, piece)).toEqual(parse(text, { bom: true }));
  });

  it('gives the event loop turns while it reads a large file', async () => {
    const text = 'a,b\n' + '1,2\n'.repeat(200_000);
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    const records = await csvRecords(text, { bom: true });
    clearInterval(ticker);
    expect(records).toHaveLength(200_001);
    expect(turns).toBeGreaterThan(0);
  });
});
