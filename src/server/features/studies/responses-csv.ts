// Reading a responses CSV (a panel vendor's export, or our own) into StudyData, streaming: the file is never
// held whole in memory and the numbers go straight into typed arrays. Comma or semicolon separated (detected
// from the header line, as the imports feature does), UTF-8 with or without a byte-order mark. Values Convene's
// CSV writer defused for spreadsheets (a leading apostrophe, imports/csv-defuse.ts) are read as they were.
import fs from 'node:fs';
import { undefuse } from '../imports/csv-defuse.ts';
import { detectDelimiter } from '../imports/csv-delimiter.ts';
import { readCsvRecords } from './csv-records.ts';
import { InvalidValueError, StudyDataBuilder, type StudyData } from './stats/study-data.ts';

export type ResponsesCsvColumns = {
  outcome: string;
  treatment: string;
  /** without it every row is in one population named "all" */
  population?: string;
  /** household or other cluster; makes the data clustered (CR2) */
  cluster?: string;
  covariates?: string[];
};

/** The CSV lacks a column that was asked for. */
export class ColumnNotFoundError extends Error {
  constructor(
    readonly column: string,
    readonly available: string[],
  ) {
    super(`the CSV has no column "${column}" (columns: ${available.map((c) => `"${c}"`).join(', ')})`);
  }
}

/** The CSV cannot be read, or a value in it is not a number or yes/no word. */
export class ResponsesCsvError extends Error {}

export async function readResponsesCsv(source: string | AsyncIterable<Buffer | string>, columns: ResponsesCsvColumns): Promise<StudyData> {
  const input = typeof source === 'string' ? fs.createReadStream(source) : source;
  const iterator = input[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) throw new ResponsesCsvError('the CSV is empty');
  const head = typeof first.value === 'string' ? first.value : first.value.toString('utf8', 0, Math.min(first.value.length, 65_536));
  const delimiter = detectDelimiter(head.charCodeAt(0) === 0xfeff ? head.slice(1) : head);
  const chunks = (async function* () {
    yield first.value;
    yield* { [Symbol.asyncIterator]: () => iterator };
  })();

  let pick: { outcome: number; treatment: number; population: number; cluster: number; covariates: number[] } | null = null;
  const covariateNames = columns.covariates ?? [];
  const builder = new StudyDataBuilder({ covariates: covariateNames, clustered: columns.cluster !== undefined });
  const covariateValues: (string | undefined)[] = new Array(covariateNames.length);
  const onRecord = (record: string[], line: number) => {
    if (!pick) {
      const header = record.map((c) => c.trim());
      const find = (name: string) => {
        const i = header.indexOf(name.trim());
        if (i < 0) throw new ColumnNotFoundError(name, header);
        return i;
      };
      pick = {
        outcome: find(columns.outcome),
        treatment: find(columns.treatment),
        population: columns.population === undefined ? -1 : find(columns.population),
        cluster: columns.cluster === undefined ? -1 : find(columns.cluster),
        covariates: covariateNames.map(find),
      };
      return;
    }
    // what Convene's CSV writer defused, undone (imports/csv-defuse.ts): a file Convene wrote reads as it was
    const outcome = cell(record, pick.outcome);
    for (let c = 0; c < pick.covariates.length; c++) covariateValues[c] = cell(record, pick.covariates[c]);
    try {
      builder.add(
        outcome,
        cell(record, pick.treatment) ?? '',
        pick.population < 0 ? 'all' : (cell(record, pick.population) ?? ''),
        pick.cluster < 0 ? undefined : (cell(record, pick.cluster) ?? ''),
        covariateValues,
      );
    } catch (err) {
      if (err instanceof InvalidValueError) {
        const which = outcome === err.value ? columns.outcome : (covariateNames.find((_, c) => covariateValues[c] === err.value) ?? '?');
        throw new ResponsesCsvError(`line ${line}, column "${which}": ${err.message}`);
      }
      throw err;
    }
  };
  try {
    await readCsvRecords(chunks, delimiter, onRecord);
  } catch (err) {
    if (err instanceof ColumnNotFoundError || err instanceof ResponsesCsvError) throw err;
    const e = err as { message?: string; lines?: number };
    throw new ResponsesCsvError(`the CSV cannot be read${e.lines ? ` (line ${e.lines})` : ''}: ${e.message ?? 'malformed'}`);
  } finally {
    if (input instanceof fs.ReadStream) input.destroy();
  }
  if (!pick) throw new ResponsesCsvError('the CSV has no header row');
  return builder.build();
}

/** A data cell as its value: what Convene's CSV writer defused (a leading apostrophe), undone. */
function cell(record: string[], i: number): string | undefined {
  const v = record[i];
  return v !== undefined && v.charCodeAt(0) === 39 /* ' */ ? undefuse(v) : v;
}
