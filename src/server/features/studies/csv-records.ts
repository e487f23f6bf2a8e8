// The records of a CSV, streaming, as csv-parse reads them with the options the responses reader uses
// ({ delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true }),
// but several times faster on the files analysts bring: every record is handed to a callback with the line
// csv-parse's info.lines would give for it.
//
// The fast path reads the lines that have one meaning under any CSV reading: fields without quotes, and quoted
// fields ("a, b", "say ""hi""") whose closing quote is followed by the delimiter or the end of the line, with no
// line break inside. The line break is found as csv-parse finds it (the first \r\n, \n or \r). Anything else —
// a line break inside a quoted field, a stray \r or \n, text after a closing quote, an unclosed quote, a
// UTF-16 file — hands the rest of the input, from the start of that record, to csv-parse itself, preceded by
// as many empty lines as were read so that its line numbers (in records and in its error messages) are the
// ones it would have given reading the whole file; empty lines are skipped, so nothing else changes.
// csv-records.test.ts checks the two against each other on random input.
import { StringDecoder } from 'node:string_decoder';

/** `fields` may be reused for the next record: copy it to keep it. */
export type OnRecord = (fields: string[], line: number) => void;

const QUOTE = 34;
const CR = 13;
const LF = 10;

/** Reads `source` (a file's chunks) and calls `onRecord` for each record; rejects with csv-parse's errors. */
export async function readCsvRecords(source: AsyncIterable<Buffer | string>, delimiter: ',' | ';', onRecord: OnRecord): Promise<void> {
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return;
  const rest: AsyncIterable<Buffer | string> = { [Symbol.asyncIterator]: () => iterator };
  // a UTF-16 byte-order mark (csv-parse reads such a file as UTF-16): all of it to csv-parse
  if (typeof first.value !== 'string' && first.value[0] === 0xff && first.value[1] === 0xfe) {
    return readWithCsvParse(prepend(first.value, rest), delimiter, true, onRecord);
  }

  const d = delimiter.charCodeAt(0);
  const decoder = new StringDecoder('utf8');
  let text = typeof first.value === 'string' ? first.value : decoder.write(first.value);
  let bomChecked = false; // a UTF-8 byte-order mark is skipped (the first chunks may hold less than its 3 bytes)
  let line = 1; // csv-parse's info.lines at the start of the current record
  let rd = ''; // the record delimiter, once seen
  const fields: string[] = [];
  let ended = false;

  for (;;) {
    if (!bomChecked && text !== '') {
      bomChecked = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let s = 0; // start of the current record in `text`
    for (;;) {
      if (rd === '') {
        // find the record delimiter as csv-parse does: the first \r\n, \n or \r
        let i = 0;
        while (i < text.length && text.charCodeAt(i) !== CR && text.charCodeAt(i) !== LF) i++;
        if (!ended && (i === text.length || (text.charCodeAt(i) === CR && i + 1 === text.length))) break;
        if (i < text.length) rd = text.charCodeAt(i) === LF ? '\n' : text.charCodeAt(i + 1) === LF ? '\r\n' : '\r';
      }
      // (no line break at all: the whole input is one line)
      let e = rd === '' ? -1 : text.indexOf(rd, s);
      if (e < 0) {
        if (!ended) break;
        e = text.length;
        if (e === s) break; // nothing after the last line break
      }
      // an empty line is skipped (and counted)
      if (e > s && !splitLine(text, s, e, d, fields)) {
        return readWithCsvParse(prepend(rd.repeat(line - 1) + text.slice(s), rest, decoder), delimiter, false, onRecord);
      }
      if (e > s) onRecord(fields, line);
      line++;
      s = e + rd.length;
      if (rd === '') break;
      if (s >= text.length) break;
    }
    if (ended) return;
    text = text.slice(s);
    const next = await iterator.next();
    if (next.done) {
      text += decoder.end();
      ended = true;
    } else text += typeof next.value === 'string' ? next.value : decoder.write(next.value);
  }
}

/**
 * The fields of text[s, e) (one line, no record delimiter in it) into `fields`; false when the line needs
 * csv-parse (a quote that is not a plain quoted field, or a \r or \n).
 */
function splitLine(text: string, s: number, e: number, d: number, fields: string[]): boolean {
  fields.length = 0;
  let p = s;
  for (;;) {
    if (text.charCodeAt(p) === QUOTE && p < e) {
      // a quoted field: "" is a quote; the closing quote is followed by the delimiter or the end of the line
      let value = '';
      let from = p + 1;
      let i = from;
      for (;;) {
        if (i >= e) return false; // not closed on this line
        const c = text.charCodeAt(i);
        if (c === QUOTE) {
          if (i + 1 < e && text.charCodeAt(i + 1) === QUOTE) {
            value += text.slice(from, i + 1);
            i += 2;
            from = i;
            continue;
          }
          break;
        }
        if (c === CR || c === LF) return false;
        i++;
      }
      fields.push(value + text.slice(from, i));
      p = i + 1;
      if (p === e) return true;
      if (text.charCodeAt(p) !== d) return false;
      p++;
      continue;
    }
    // unquoted: a quote after its first character is an ordinary character (relax_quotes)
    let i = p;
    for (; i < e; i++) {
      const c = text.charCodeAt(i);
      if (c === d) break;
      if (c === CR || c === LF) return false;
    }
    fields.push(text.slice(p, i));
    if (i === e) return true;
    p = i + 1;
  }
}

async function* prepend(head: Buffer | string, rest: AsyncIterable<Buffer | string>, decoder?: StringDecoder): AsyncGenerator<Buffer | string> {
  yield head;
  if (!decoder) {
    yield* rest;
    return;
  }
  for await (const chunk of rest) yield typeof chunk === 'string' ? chunk : decoder.write(chunk);
  const tail = decoder.end();
  if (tail) yield tail;
}

async function readWithCsvParse(input: AsyncIterable<Buffer | string>, delimiter: ',' | ';', bom: boolean, onRecord: OnRecord): Promise<void> {
  const [{ Readable }, { parse }] = await Promise.all([import('node:stream'), import('csv-parse')]);
  const stream = Readable.from(input, { objectMode: false });
  const parser = stream.pipe(parse({ delimiter, bom, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true }));
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) onRecord(record, info.lines);
  } finally {
    parser.destroy();
    stream.destroy();
  }
}
