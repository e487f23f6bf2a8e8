// Importing a panel vendor's responses (a CSV) into a study, with a column mapping: preview first (what would
// be imported, what is missing, what is wrong), then commit all or nothing in one transaction. Rows are written
// in batches with one array parameter per column (unnest), so 350,000 responses with their answers take a few
// statements, not 350,000.
import { randomBytes, randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { eq, sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import { startRun, type Importer, type RunRow, type RunSummary } from '../imports/runs.ts';
import type { RequestContext } from '../../core/context.ts';
import { AppError, type FieldError } from '../../core/errors.ts';
import { giveWayEvery } from '../../core/give-way.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { detectDelimiter, undefuseCells } from '../imports/csv.ts';
import { InvalidValueError, parseValue } from './stats/study-data.ts';
import type { ImportInput, ImportPreview, StudyImportErrorCode } from './studies.contract.ts';
import { study } from './studies.schema.ts';
import { requireStudy, researchWriter, studyParts } from './studies.service.ts';
import { textArray } from '../../db/array-literal.ts';

const MAX_ERRORS = 100;
const BATCH = 20_000;

type Parts = Awaited<ReturnType<typeof studyParts>>;

/**
 * Records of a CSV text: a plain split when it has no quotes (the common case, and much faster), else csv-parse.
 * Data rows come back with what Convene's CSV writer defused undone (imports/csv-defuse.ts).
 */
export function csvRecords(text: string): string[][] {
  const records = splitRecords(text);
  for (let i = 1; i < records.length; i++) undefuseCells(records[i]!);
  return records;
}

function splitRecords(text: string): string[][] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const delimiter = detectDelimiter(body);
  if (!body.includes('"')) {
    const lines = body.split(/\r?\n|\r/);
    if (lines.length && lines[lines.length - 1] === '') lines.pop();
    return lines.map((l) => l.split(delimiter));
  }
  try {
    return parse(body, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, bom: true }) as string[][];
  } catch (err) {
    const e = err as { message?: string; lines?: number };
    throw new AppError('invalid', 'csv_unreadable', `The CSV cannot be read${e.lines ? ` (line ${e.lines})` : ''}: ${e.message ?? 'malformed'}`, [
      { field: 'body.csv', detail: e.message ?? 'Malformed CSV' },
    ]);
  }
}

/** A label as given, or the one label it equals as a number ("0" finds "0.0"). */
function lookup(map: Map<string, string>, value: string): string | undefined {
  const exact = map.get(value);
  if (exact !== undefined) return exact;
  const x = Number(value);
  if (value === '' || !Number.isFinite(x)) return undefined;
  let found: string | undefined;
  for (const [k, v] of map) {
    if (k.trim() !== '' && Number(k) === x) {
      if (found !== undefined && found !== v) return undefined;
      found = v;
    }
  }
  return found;
}

type Examined = {
  preview: ImportPreview;
  /** accepted rows, column by column */
  populationIds: string[];
  armIds: string[];
  clusters: (string | null)[];
  /** per mapped question: its id and a value per accepted row (null: missing) */
  answers: { questionId: string; values: (number | null)[] }[];
};

async function examine(parts: Parts, input: ImportInput): Promise<Examined> {
  const { mapping } = input;
  const records = csvRecords(input.csv);
  const header = (records[0] ?? []).map((c) => c.trim());
  if (!header.length || header.every((c) => c === '')) throw new AppError('invalid', 'csv_empty', 'The CSV has no header row.', [{ field: 'body.csv', detail: 'No header row' }]);

  const errors: FieldError[] = [];
  const column = (name: string | undefined, field: string): number => {
    if (name === undefined) return -1;
    const i = header.indexOf(name.trim());
    if (i < 0) errors.push({ field, detail: `The CSV has no column "${name}" (columns: ${header.slice(0, 30).join(', ')})` });
    return i;
  };
  const populationCol = column(mapping.population, 'body.mapping.population');
  const treatmentCol = column(mapping.treatment, 'body.mapping.treatment');
  const clusterCol = column(mapping.cluster, 'body.mapping.cluster');
  if (mapping.population === undefined && parts.populations.length !== 1)
    errors.push({ field: 'body.mapping.population', detail: 'Required: the study has several populations' });

  const questionsByKey = new Map(parts.questions.map((q) => [q.key, q]));
  const mapped: { key: string; column: number; columnName: string; questionId: string; kind: string; min: number | null; max: number | null; field: string }[] = [];
  for (const [group, role] of [
    ['outcomes', 'outcome'],
    ['covariates', 'covariate'],
  ] as const) {
    for (const [key, col] of Object.entries(mapping[group] ?? {})) {
      const field = `body.mapping.${group}.${key}`;
      const q = questionsByKey.get(key);
      if (!q || q.role !== role) {
        errors.push({ field, detail: `No ${role} with this key (${parts.questions.filter((x) => x.role === role).map((x) => x.key).join(', ') || 'none'})` });
        continue;
      }
      if (q.kind === 'choice') {
        errors.push({ field, detail: 'A choice question cannot be imported as a number' });
        continue;
      }
      const c = column(col, field);
      if (c >= 0) mapped.push({ key, column: c, columnName: col, questionId: q.id, kind: q.kind, min: q.scaleMin, max: q.scaleMax, field });
    }
  }

  const populationKeys = new Map(parts.populations.map((p) => [p.key, p.id]));
  const armKeys = new Map(parts.arms.map((a) => [a.key, a.id]));
  const populationValues = new Map<string, string>();
  for (const [value, key] of Object.entries(mapping.populationValues ?? {})) {
    const id = populationKeys.get(key.trim());
    if (!id) errors.push({ field: `body.mapping.populationValues.${value}`, detail: `No population "${key}" (${[...populationKeys.keys()].join(', ')})` });
    else populationValues.set(value.trim(), id);
  }
  const armValues = new Map<string, string>();
  for (const [value, key] of Object.entries(mapping.armValues ?? {})) {
    const id = armKeys.get(key.trim());
    if (!id) errors.push({ field: `body.mapping.armValues.${value}`, detail: `No condition "${key}" (${[...armKeys.keys()].join(', ')})` });
    else armValues.set(value.trim(), id);
  }
  if (errors.length) throw new AppError('unprocessable', 'invalid_mapping', 'The mapping does not fit this CSV or this study.', errors);

  // each distinct label resolved once
  const populationOf = new Map<string, string | null>();
  const armOf = new Map<string, string | null>();
  const resolve = (cache: Map<string, string | null>, explicit: Map<string, string>, keys: Map<string, string>, value: string) => {
    let id = cache.get(value);
    if (id === undefined) {
      id = lookup(explicit, value) ?? lookup(keys, value) ?? null;
      cache.set(value, id);
    }
    return id;
  };
  const onlyPopulation = parts.populations.length === 1 ? parts.populations[0].id : null;

  const rowErrors: ImportPreview['errors'] = [];
  const unknownPopulations = new Set<string>();
  const unknownArms = new Set<string>();
  const missing: Record<string, number> = Object.fromEntries(mapped.map((m) => [m.key, 0]));
  const outOfScale: Record<string, number> = Object.fromEntries(mapped.filter((m) => m.kind === 'scale').map((m) => [m.key, 0]));
  const cells = new Map<string, number>();
  const out: Examined = { preview: undefined as never, populationIds: [], armIds: [], clusters: [], answers: mapped.map((m) => ({ questionId: m.questionId, values: [] })) };
  const values = new Array<number | null>(mapped.length);
  const addError = (row: number, col: string, value: string, code: StudyImportErrorCode, detail: string, params: Record<string, string | number> = {}) => {
    if (rowErrors.length < MAX_ERRORS) rowErrors.push({ row, column: col, value: value.slice(0, 200), detail, code, params });
  };
  let dataRows = 0;

  // one thread runs every request (and on the embedded database every query): examining gives way (core/give-way.ts)
  const giveWay = giveWayEvery();
  for (let r = 1; r < records.length; r++) {
    await giveWay();
    const rec = records[r];
    if (rec.length === 1 && rec[0].trim() === '') continue; // an empty line
    dataRows++;
    const row = r + 1;
    let ok = true;
    const popValue = populationCol >= 0 ? (rec[populationCol] ?? '').trim() : '';
    const armValue = (rec[treatmentCol] ?? '').trim();
    let populationId: string | null = onlyPopulation;
    if (populationCol >= 0) {
      if (popValue === '') {
        addError(row, mapping.population!, '', 'empty_population', 'Empty: every row needs a population');
        ok = false;
      } else {
        populationId = resolve(populationOf, populationValues, populationKeys, popValue);
        if (!populationId) {
          unknownPopulations.add(popValue);
          ok = false;
        }
      }
    }
    let armId: string | null = null;
    if (armValue === '') {
      addError(row, mapping.treatment, '', 'empty_condition', 'Empty: every row needs a condition');
      ok = false;
    } else {
      armId = resolve(armOf, armValues, armKeys, armValue);
      if (!armId) {
        unknownArms.add(armValue);
        ok = false;
      }
    }
    for (let m = 0; m < mapped.length; m++) {
      const q = mapped[m];
      const raw = rec[q.column];
      let v: number | null;
      try {
        v = parseValue(raw);
      } catch (err) {
        if (!(err instanceof InvalidValueError)) throw err;
        addError(row, q.columnName, raw ?? '', 'not_a_number', 'Not a number, yes/no, true/false, or a missing value (empty, NA, NaN)', { question: q.key });
        ok = false;
        continue;
      }
      if (v === null) {
        values[m] = null;
        continue;
      }
      if (q.kind === 'yes_no' && v !== 0 && v !== 1) {
        addError(row, q.columnName, raw ?? '', 'not_yes_no', 'Not yes/no (yes, no, true, false, 1, 0)', { question: q.key });
        ok = false;
        continue;
      }
      if (q.kind === 'scale' && q.min !== null && q.max !== null && (v < q.min || v > q.max)) outOfScale[q.key]++;
      values[m] = v;
    }
    if (!ok) continue;
    for (let m = 0; m < mapped.length; m++) {
      out.answers[m].values.push(values[m]);
      if (values[m] === null) missing[mapped[m].key]++;
    }
    out.populationIds.push(populationId!);
    out.armIds.push(armId!);
    const cluster = clusterCol >= 0 ? clusterLabel(rec[clusterCol] ?? '') : '';
    out.clusters.push(cluster === '' ? null : cluster);
    const cell = `${populationId}|${armId}`;
    cells.set(cell, (cells.get(cell) ?? 0) + 1);
  }
  const popKey = new Map(parts.populations.map((p) => [p.id, p.key]));
  const armKey = new Map(parts.arms.map((a) => [a.id, a.key]));
  out.preview = {
    rows: dataRows,
    accepted: out.populationIds.length,
    missing,
    outOfScale,
    errors: rowErrors,
    unknownPopulations: [...unknownPopulations].slice(0, 100),
    unknownArms: [...unknownArms].slice(0, 100),
    byPopulationArm: parts.populations.flatMap((p) =>
      parts.arms.flatMap((a) => {
        const n = cells.get(`${p.id}|${a.id}`) ?? 0;
        return n ? [{ populationKey: popKey.get(p.id)!, armKey: armKey.get(a.id)!, n }] : [];
      }),
    ),
  };
  return out;
}

export async function previewImport(db: Db, ctx: RequestContext, studyId: string, input: ImportInput): Promise<ImportPreview> {
  researchWriter(ctx);
  const s = await requireStudy(db, studyId);
  return (await examine(await studyParts(db, s.id), input)).preview;
}

/**
 * `n` ids in increasing order (RFC 9562 version 7 layout: the time in ms, then a random part and a counter), so
 * the rows of one import go to the end of the primary-key indexes instead of all over them: about a third faster
 * to store than random ids.
 */
export function sequentialIds(n: number): string[] {
  const time = Date.now().toString(16).padStart(12, '0');
  const r = randomBytes(4).toString('hex');
  const prefix = `${time.slice(0, 8)}-${time.slice(8)}-7${r.slice(0, 3)}-${(8 + (parseInt(r[3], 16) & 3)).toString(16)}${r.slice(4, 7)}-`;
  const start = randomBytes(5).readUIntBE(0, 5); // leaves room for any count below 2^47 − 2^40
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = prefix + (start + i).toString(16).padStart(12, '0');
  return out;
}

/** A cluster label as stored: trimmed, without control characters (the analysis joins labels with U+001F). */
export function clusterLabel(raw: string): string {
  return raw.replace(/[\u0000-\u001f]/g, ' ').trim();
}

function plainArray(values: readonly (string | number | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i) out += ',';
    const v = values[i];
    out += v === null ? 'NULL' : String(v);
  }
  return out + '}';
}

/** Panel CSVs of at most this many accepted rows are written at once (201); larger ones by a background job (202). */
export const SYNC_MAX_RESPONSES = 5_000;

/** The whole file checked: unmapped values or bad rows refuse it (nothing is written), naming the mapping fields. */
function checkAll(ex: Examined, input: ImportInput) {
  const { preview } = ex;
  const refusal: FieldError[] = [];
  if (preview.unknownPopulations.length)
    refusal.push({ field: 'body.mapping.populationValues', detail: `Map these populations to a population key: ${preview.unknownPopulations.slice(0, 10).join(', ')}` });
  if (preview.unknownArms.length) refusal.push({ field: 'body.mapping.armValues', detail: `Map these conditions to an arm key: ${preview.unknownArms.slice(0, 10).join(', ')}` });
  const fieldOfColumn = (col: string) => {
    const m = input.mapping;
    if (col === m.treatment) return 'body.mapping.treatment';
    if (col === m.population) return 'body.mapping.population';
    for (const group of ['outcomes', 'covariates'] as const) for (const [k, c] of Object.entries(m[group] ?? {})) if (c === col) return `body.mapping.${group}.${k}`;
    return 'body.csv';
  };
  for (const e of preview.errors.slice(0, 20)) refusal.push({ field: fieldOfColumn(e.column), detail: `Row ${e.row}, column "${e.column}": ${e.detail}${e.value ? ` ("${e.value}")` : ''}` });
  if (refusal.length)
    throw new AppError('unprocessable', 'import_has_errors', 'Nothing was imported: some rows have errors or unmapped values. Preview the import to see them all.', refusal);
  if (preview.accepted === 0) throw new AppError('unprocessable', 'import_empty', 'The CSV has no rows to import.', [{ field: 'body.csv', detail: 'No data rows' }]);
}

/** Accepted rows [from, to) of the file as study responses of one import, in one statement per BATCH rows. */
async function insertResponses(tx: Db, studyId: string, importId: string, ex: Examined, from: number, to: number) {
  for (let lo = from; lo < to; lo += BATCH) {
    const hi = Math.min(to, lo + BATCH);
    const ids = sequentialIds(hi - lo);
    // each mapped answer column as one float8[] parameter; the row's answers object is built in the database
    // (a missing value is no key: jsonb_strip_nulls)
    const answerArrays = ex.answers.map((a) => sql`${plainArray(a.values.slice(lo, hi))}::float8[]`);
    const answerNames = ex.answers.map((_, k) => sql.raw(`a${k}`));
    const answersObject = ex.answers.length
      ? sql`jsonb_strip_nulls(jsonb_build_object(${sql.join(
          ex.answers.map((a, k) => sql`${a.questionId}::text, x.${answerNames[k]!}`),
          sql`, `,
        )}))`
      : sql`'{}'::jsonb`;
    await tx.execute(sql`
      INSERT INTO study_response (id, study_id, population_id, arm_id, source, cluster, status, import_id, completed_at, answers)
      SELECT x.id, ${studyId}, x.population_id, x.arm_id, 'import', x.cluster, 'complete', ${importId}, now(), ${answersObject}
      FROM unnest(${plainArray(ids)}::uuid[], ${plainArray(ex.populationIds.slice(lo, hi))}::uuid[],
                  ${plainArray(ex.armIds.slice(lo, hi))}::uuid[], ${textArray(ex.clusters.slice(lo, hi))}::text[]
                  ${sql.join(answerArrays.map((a) => sql`, ${a}`), sql``)})
           AS x(id, population_id, arm_id, cluster${sql.join(answerNames.map((n) => sql`, ${n}`), sql``)})`);
  }
}

/** After the last rows: the study's time, fresh statistics, the audit entry. */
async function finishImport(tx: Db, ctx: RequestContext, studyId: string, importId: string, ex: Examined, input: ImportInput) {
  await tx.update(study).set({ updatedAt: new Date() }).where(eq(study.id, studyId));
  // fresh statistics: without them the planner takes 350,000 rows for a handful and reads them back with
  // index lookups one by one (the embedded database never analyzes by itself)
  await tx.execute(sql`ANALYZE study_response`);
  await recordAudit(tx, ctx, {
    action: 'study.import',
    entityType: 'study',
    entityId: studyId,
    detail: { importId, imported: ex.preview.accepted, mapping: { ...input.mapping }, byPopulationArm: ex.preview.byPopulationArm },
  });
}

/**
 * Imports a panel CSV: the whole file is checked first (422, nothing written, when any row is wrong). Up to
 * SYNC_MAX_RESPONSES rows are then written in one transaction; a larger file becomes a run written by a background
 * job in short transactions (docs/network.md, "Long imports"), its responses tagged with the run's id.
 */
export async function commitImport(
  db: Db,
  ctx: RequestContext,
  studyId: string,
  input: ImportInput,
  jobs: Jobs | null,
): Promise<{ importId: string; imported: number; run?: RunSummary }> {
  researchWriter(ctx);
  const s = await requireStudy(db, studyId);
  const ex = await examine(await studyParts(db, s.id), input);
  checkAll(ex, input);
  const n = ex.preview.accepted;
  if (jobs && n > SYNC_MAX_RESPONSES) {
    const run = await db.transaction(async (tx) => {
      await requireStudy(tx, studyId, true);
      return startRun(tx, ctx, jobs, { kind: 'study', target: studyId, input: { ...input } as Record<string, unknown>, total: n });
    });
    return { importId: run.id, imported: 0, run };
  }
  const importId = randomUUID();
  await db.transaction(async (tx) => {
    await requireStudy(tx, studyId, true);
    await insertResponses(tx, studyId, importId, ex, 0, n);
    await finishImport(tx, ctx, studyId, importId, ex, input);
  });
  return { importId, imported: n };
}

type StudyPrepared = Examined & { input: ImportInput };

/**
 * A panel CSV as a run: accepted rows in file order, a chunk per transaction, every response tagged with the run's
 * id (its importId). A run that fails (the study, a population or a condition deleted meanwhile) removes the
 * responses it wrote: all or nothing, as the synchronous import.
 */
export const studyImporter: Importer<StudyPrepared> = {
  chunk: 2_000,
  async prepare(db, run, ctx) {
    researchWriter(ctx);
    const input = run.input as unknown as ImportInput;
    const s = await requireStudy(db, run.target);
    const ex = await examine(await studyParts(db, s.id), input);
    checkAll(ex, input);
    return { ...ex, input, total: ex.preview.accepted };
  },
  async write(tx, run, ex, _ctx, from, to) {
    await requireStudy(tx, run.target, true);
    await insertResponses(tx, run.target, run.id, ex, from, to);
    return { created: to - from };
  },
  async finish(tx, run, ex, ctx) {
    await finishImport(tx, ctx, run.target, run.id, ex, ex.input);
    return { importId: run.id, imported: ex.preview.accepted };
  },
  async undo(db, run) {
    let removed = 0;
    for (;;) {
      const gone = await rows<{ n: number }>(
        db,
        sql`WITH d AS (DELETE FROM study_response WHERE id IN (SELECT id FROM study_response WHERE import_id = ${run.id} LIMIT 5000) RETURNING 1) SELECT count(*)::int AS n FROM d`,
      );
      removed += gone[0]?.n ?? 0;
      if (!gone[0]?.n) break;
    }
    return { removed };
  },
};
