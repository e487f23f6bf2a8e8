import { parse } from 'csv-parse';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCsvRecords } from './csv-records.ts';

type Outcome = { records: [string[], number][] } | { error: string; lines: unknown };

/** What csv-parse itself gives with the responses reader's options. */
async function withCsvParse(bytes: Buffer, delimiter: ',' | ';'): Promise<Outcome> {
  const records: [string[], number][] = [];
  try {
    const parser = Readable.from([bytes]).pipe(parse({ delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true }));
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) records.push([record, info.lines]);
    return { records };
  } catch (err) {
    return { error: (err as Error).message, lines: (err as { lines?: number }).lines };
  }
}

async function withReader(chunks: (Buffer | string)[], delimiter: ',' | ';'): Promise<Outcome> {
  const records: [string[], number][] = [];
  try {
    await readCsvRecords(Readable.from(chunks, { objectMode: true }), delimiter, (fields, line) => records.push([[...fields], line]));
    return { records };
  } catch (err) {
    return { error: (err as Error).message, lines: (err as { lines?: number }).lines };
  }
}

/** `bytes` cut at the given places (through UTF-8 characters too) */
function cut(bytes: Buffer, at: number[]): Buffer[] {
  const points = [...new Set(at.map((a) => a % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    if (p > from) out.push(bytes.subarray(from, p));
    from = Math.max(from, p);
  }
  if (from < bytes.length || out.length === 0) out.push(bytes.subarray(from));
  return out;
}

describe('reading CSV records', () => {
  it('gives the records, line numbers and errors csv-parse gives, on any input cut anywhere', async () => {
    const char = fc.constantFrom('a', 'b', '1', ' ', ',', ';', '"', '"', '\n', '\n', '\r', '\r\n', "'", 'é', 'א', '\ufeff');
    await fc.assert(
      fc.asyncProperty(fc.array(char, { maxLength: 60 }), fc.array(fc.nat(80), { maxLength: 4 }), fc.constantFrom(',', ';'), async (chars, at, delimiter: ',' | ';') => {
        const bytes = Buffer.from(chars.join(''));
        expect(await withReader(cut(bytes, at), delimiter)).toEqual(await withCsvParse(bytes, delimiter));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads quoted fields, empty lines and Windows line ends without csv-parse, as csv-parse does', async () => {
    const text = '\ufeffid,"name, full",note\r\n1,"Dana ""D""",x\r\n\r\n2,"",\r\n3,a"b,"y"';
    const bytes = Buffer.from(text);
    const ours = await withReader([bytes], ',');
    expect(ours).toEqual({
      records: [
        [['id', 'name, full', 'note'], 1],
        [['1', 'Dana "D"', 'x'], 2],
        [['2', '', ''], 4],
        [['3', 'a"b', 'y'], 5],
      ],
    });
    expect(ours).toEqual(await withCsvParse(bytes, ','));
  });

  it('hands a quoted line break to csv-parse and keeps counting lines', async () => {
    const bytes = Buffer.from('a,b\n1,2\n3,"x\ny"\n4,"unclosed\n');
    const ours = await withReader([bytes], ',');
    expect(ours).toEqual(await withCsvParse(bytes, ','));
    expect(ours).toMatchObject({ lines: 5 });
    expect((ours as { error: string }).error).toMatch(/Quote Not Closed/);
  });

  it('reads a UTF-16 file with its byte-order mark as csv-parse does', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('arm,y\nc,1\n', 'utf16le')]);
    const ours = await withReader([bytes], ',');
    expect(ours).toEqual({ records: [[['arm', 'y'], 1], [['c', '1'], 2]] });
    expect(ours).toEqual(await withCsvParse(bytes, ','));
  });
});
