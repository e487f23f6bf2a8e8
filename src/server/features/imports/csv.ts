import { parse, type Options } from 'csv-parse';
import { AppError } from '../../core/errors.ts';
import { giveWayEvery } from '../../core/give-way.ts';
import { detectDelimiter } from './csv-delimiter.ts';
import { defuse, undefuse } from './csv-defuse.ts';

export { detectDelimiter };

// Reading what spreadsheets save and writing what they open: UTF-8 with or without a byte-order mark,
// comma or semicolon separated (Excel in many European and Middle Eastern locales saves with semicolons).
// Every CSV Convene writes is written by csvCell / csvLine below, which defuse what a spreadsheet would run as a
// formula; every CSV Convene reads undoes exactly that (csv-defuse.ts), so an export imports back unchanged.

export type ParsedCsv = {
  delimiter: ',' | ';';
  columns: string[];
  /** data rows; `row` is the spreadsheet row number (the header is row 1) */
  rows: { row: number; cells: string[] }[];
};

/** bytes handed to the parser between turns of the event loop */
const PIECE = 64 * 1024;

/**
 * The records of a CSV text as csv-parse's synchronous `parse(text, options)` returns them (the same parser, fed
 * the same bytes), read a piece at a time with a turn of the event loop between pieces, so that a large file does
 * not keep every other request waiting (core/give-way.ts). Rejects with csv-parse's error.
 */
export async function csvRecords(text: string, options: Options, pieceBytes = PIECE): Promise<string[][]> {
  const bytes = Buffer.from(text); // as the synchronous parser does; a character split between pieces is joined by the parser
  const parser = parse(options);
  const records: string[][] = [];
  let failure: unknown = null;
  let ended = false;
  const settled = new Promise<void>((resolve) => {
    parser.on('data', (r: string[]) => records.push(r));
    parser.on('error', (e) => ((failure = e), resolve()));
    parser.on('end', () => ((ended = true), resolve()));
  });
  for (let at = 0; at < bytes.length && failure === null && !ended; at += pieceBytes) {
    parser.write(bytes.subarray(at, at + pieceBytes));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (failure === null && !ended) parser.end();
  await settled;
  if (failure !== null) throw failure;
  return records;
}

export async function parseCsv(input: string): Promise<ParsedCsv> {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const delimiter = detectDelimiter(text);
  let records: string[][];
  try {
    // rows are numbered as a spreadsheet shows them, so empty lines are kept (and ignored below), not skipped
    records = await csvRecords(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, bom: true });
  } catch (err) {
    const e = err as { message?: string; lines?: number };
    throw new AppError('invalid', 'csv_unreadable', `The CSV cannot be read${e.lines ? ` (line ${e.lines})` : ''}: ${e.message ?? 'malformed'}`, [
      { field: 'body.csv', detail: e.message ?? 'Malformed CSV' },
    ]);
  }
  const header = records[0];
  if (!header || header.every((c) => c.trim() === '')) {
    throw new AppError('invalid', 'csv_empty', 'The CSV has no header row.', [{ field: 'body.csv', detail: 'No header row' }]);
  }
  const columns = header.map((c) => c.trim());
  const seen = new Set<string>();
  for (const c of columns) {
    if (c === '') continue;
    if (seen.has(c.toLowerCase())) {
      throw new AppError('invalid', 'csv_duplicate_column', `The column "${c}" appears twice.`, [{ field: 'body.csv', detail: `Column "${c}" appears twice` }]);
    }
    seen.add(c.toLowerCase());
  }
  const rows: ParsedCsv['rows'] = [];
  const giveWay = giveWayEvery();
  for (let i = 1; i < records.length; i++) {
    await giveWay();
    const cells = records[i]!;
    if (cells.every((c) => c.trim() === '')) continue;
    rows.push({ row: i + 1, cells: undefuseCells(cells) });
  }
  return { delimiter, columns, rows };
}

/**
 * The values of a data row of a CSV: what csvCell defused, undone (csv-defuse.ts), in place. Header rows are read
 * as written: Convene's headers never need defusing, and the web app shows a file's headers as they are.
 */
export function undefuseCells(cells: string[]): string[] {
  for (let i = 0; i < cells.length; i++) if (cells[i]!.charCodeAt(0) === 39 /* ' */) cells[i] = undefuse(cells[i]!);
  return cells;
}

// ------------------------------------------------------------------------------------------------ writing

export type Cell = string | number | boolean | null | undefined | string[];

/**
 * One cell: lists joined with "; ", text a spreadsheet would run as a formula defused (csv-defuse.ts: a leading
 * apostrophe, except for plain numbers and phone numbers), quoted when it holds a quote, comma, semicolon or line break.
 */
export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return String(value);
  const s = defuse(typeof value === 'number' ? String(value) : Array.isArray(value) ? value.join('; ') : value);
  return /[",\r\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180: CRLF line ends (or LF, as Pol.is writes), quoted where needed. */
export function csvLine(cells: Cell[], eol: '\r\n' | '\n' = '\r\n'): string {
  return `${cells.map(csvCell).join(',')}${eol}`;
}

export const BOM = '\uFEFF';
