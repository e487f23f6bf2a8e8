import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip, createGzip } from 'node:zlib';
import { sql, type SQL } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { rebuildFromTables } from '../read-models/apply.ts';
import { migrationsFolder, rows, type Db } from './client.ts';

/*
 * A logical backup: gzip'ed JSON lines.
 *   line 1     header {format, version, createdAt, database, migrations, tables: [{name, columns, rows}]}
 *   per table  {"table": name, "rows": n}, then n lines, each one row as PostgreSQL's row_to_json wrote it
 *   last       {"end": true}
 * Rows are never parsed in JavaScript, so numbers, timestamps (microseconds) and jsonb keep PostgreSQL's own
 * text; restore hands them back to PostgreSQL through json_populate_recordset. The same file restores on
 * PGlite and on PostgreSQL, and neither needs superuser rights.
 *
 * Background jobs (schema pgboss, src/server/jobs) are not in a backup: a job is work about the data as it was
 * (an email to send, a statement to translate), not data. Restore empties the job queue in its transaction, so
 * no job left from before acts on the restored data; work that the restored data itself says is unfinished (an
 * import under way) is queued again when the server starts (docs/decisions/003-durable-jobs.md).
 */

export const BACKUP_FORMAT = 'convene-backup';
export const BACKUP_VERSION = 1;
const BATCH_ROWS = 1000;
const BATCH_CHARS = 8 * 1024 * 1024;

export type BackupTable = { name: string; columns: string[]; rows: number };
export type BackupHeader = {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  database: 'pglite' | 'postgres';
  /** hashes of the applied migrations (drizzle.__drizzle_migrations), oldest first */
  migrations: string[];
  tables: BackupTable[];
};
export type BackupSummary = { file: string; header: BackupHeader };
export type RestoreSummary = {
  tables: { name: string; rows: number }[];
  sequences: number;
  /** background jobs removed from the queue (they were about the data the restore replaced) */
  jobsDropped: number;
};

/** A backup file that cannot be restored here; nothing was changed. */
export class BackupError extends Error {}

type TableInfo = { name: string; columns: string[]; primaryKey: string[] };

/** Hashes of the migrations drizzle recorded as applied, oldest first (none when it never ran). */
export async function appliedMigrations(db: Db): Promise<string[]> {
  const [exists] = await rows<{ t: string | null }>(db, sql`SELECT to_regclass('drizzle.__drizzle_migrations')::text AS t`);
  if (!exists?.t) return [];
  const found = await rows<{ hash: string }>(db, sql`SELECT hash FROM drizzle.__drizzle_migrations ORDER BY created_at, id`);
  return found.map((r) => r.hash);
}

/**
 * Migrations rewritten after databases had applied them: 0014 moved the derived data they defined to
 * src/server/read-models/ (docs/decisions/004-triggers-and-read-models.md). A database migrated before holds their first
 * hash, one migrated since the new one; the schema is the same. Hash -> migration, for comparing what two databases applied.
 */
const REWRITTEN_MIGRATIONS: Record<string, string> = {
  '216b4a97366a4f838dc2fd8e553962e541743cc079d58837a0f8a508825701ba': '0003_meeting_organisation_starts_at',
  '79000346c352152230e9dc3c024ae193bc7afed1b567734b70dd54e1f1ec9cf8': '0004_meeting_organisation_restricted',
  '10537039876a23e1818873331b9fd36c6ab7fb6b06f348fb0589e292bfe11e23': '0005_network_read_models',
  fa5a3d8530a2e0b637850baca5e8946a05f6831380edef96261e1972aa490f6c: '0008_dialogue_vote_counts',
  '8a59c872934cedc1431b6d8df07de0591cd5d950b16b2c3f56ff263d1dd1a43c': '0009_list_indexes',
  '1d2745057c28f00d40c4e02a483bb43667fef5d829ef3dcc54d775913071010e': '0010_search_changes',
  e595305ceecc799554ae56db07ae5be354a0ee71c98fdb26595082ffbe90bc25: '0011_member_health_pages',
};

/** A migration's hash as comparable between databases: the migration's name for a rewritten one (either hash). */
function migrationKey(): (hash: string) => string {
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  const rewritten = new Set(Object.values(REWRITTEN_MIGRATIONS));
  const current = new Map<string, string>();
  readMigrationFiles({ migrationsFolder }).forEach((m, i) => {
    const tag = journal.entries[i]?.tag;
    if (tag && rewritten.has(tag)) current.set(m.hash, tag);
  });
  return (hash) => REWRITTEN_MIGRATIONS[hash] ?? current.get(hash) ?? hash;
}

/** Every application table: the ordinary tables of the public schema (drizzle keeps its own elsewhere). */
async function applicationTables(db: Db): Promise<TableInfo[]> {
  const found = await rows<{ name: string; columns: string[] | string; pk: string[] | string | null }>(
    db,
    sql`SELECT c.relname AS name,
          (SELECT json_agg(a.attname ORDER BY a.attnum)::text FROM pg_attribute a
            WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '') AS columns,
          (SELECT json_agg(a.attname ORDER BY array_position(i.indkey::int2[], a.attnum))::text
             FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey::int2[])
            WHERE i.indrelid = c.oid AND i.indisprimary) AS pk
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
          AND c.relname NOT IN ('__drizzle_migrations', 'rate_limit')
        ORDER BY c.relname`,
  );
  const list = (v: string[] | string | null) => (v == null ? [] : Array.isArray(v) ? v : (JSON.parse(v) as string[]));
  return found.map((r) => ({ name: r.name, columns: list(r.columns), primaryKey: list(r.pk) }));
}

/** Tables ordered so that every table comes after the tables its foreign keys point to. */
async function foreignKeyOrder(db: Db, tables: string[]): Promise<string[]> {
  const edges = await rows<{ child: string; parent: string }>(
    db,
    sql`SELECT DISTINCT c.relname AS child, p.relname AS parent
        FROM pg_constraint k
        JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace cn ON cn.oid = c.relnamespace
        JOIN pg_class p ON p.oid = k.confrelid JOIN pg_namespace pn ON pn.oid = p.relnamespace
        WHERE k.contype = 'f' AND cn.nspname = 'public' AND pn.nspname = 'public'`,
  );
  const known = new Set(tables);
  const parents = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const e of edges) {
    // a self-reference is checked per statement, so it does not constrain the order between tables
    if (e.child !== e.parent && known.has(e.child) && known.has(e.parent)) parents.get(e.child)!.add(e.parent);
  }
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const ready = tables.filter((t) => !placed.has(t) && [...parents.get(t)!].every((p) => placed.has(p)));
    if (ready.length === 0) {
      const left = tables.filter((t) => !placed.has(t));
      throw new BackupError(`The foreign keys between ${left.join(', ')} form a cycle; these tables cannot be restored in order.`);
    }
    for (const t of ready) {
      ordered.push(t);
      placed.add(t);
    }
  }
  return ordered;
}

function orderBy(t: TableInfo): SQL {
  if (t.primaryKey.length === 0) return sql``;
  return sql` ORDER BY ${sql.join(
    t.primaryKey.map((c) => sql.identifier(c)),
    sql`, `,
  )}`;
}

async function detectKind(db: Db): Promise<'pglite' | 'postgres'> {
  // PGlite is PostgreSQL compiled to WebAssembly; its version string says so
  const [v] = await rows<{ v: string }>(db, sql`SELECT version() AS v`);
  return /emscripten|wasm/i.test(v?.v ?? '') ? 'pglite' : 'postgres';
}

/**
 * Writes every application table to `file` from one consistent snapshot (a repeatable-read, read-only
 * transaction), streaming rows through a cursor so a large table never sits in memory whole. The file
 * appears only when complete (written beside it, then renamed) and is readable by its owner only: it
 * holds password hashes, session tokens and the signing secret.
 */
export async function backupDatabase(db: Db, file: string, opts: { kind?: 'pglite' | 'postgres' } = {}): Promise<BackupSummary> {
  const target = path.resolve(file);
  const partial = `${target}.partial-${process.pid}`;
  const kind = opts.kind ?? (await detectKind(db));
  let header!: BackupHeader;
  try {
    await db.transaction(
      async (tx) => {
        const found = await applicationTables(tx);
        // parents first, so a restore can stream every table straight in
        const order = await foreignKeyOrder(tx, found.map((t) => t.name));
        const tables = order.map((name) => found.find((t) => t.name === name)!);
        const counted: BackupTable[] = [];
        for (const t of tables) {
          const [c] = await rows<{ n: string }>(tx, sql`SELECT count(*)::text AS n FROM ${sql.identifier(t.name)}`);
          counted.push({ name: t.name, columns: t.columns, rows: Number(c!.n) });
        }
        header = {
          format: BACKUP_FORMAT,
          version: BACKUP_VERSION,
          createdAt: new Date().toISOString(),
          database: kind,
          migrations: await appliedMigrations(tx),
          tables: counted,
        };
        async function* lines() {
          yield `${JSON.stringify(header)}\n`;
          for (const t of tables) {
            const n = counted.find((c) => c.name === t.name)!.rows;
            yield `${JSON.stringify({ table: t.name, rows: n })}\n`;
            await tx.execute(
              sql`DECLARE convene_backup NO SCROLL CURSOR FOR SELECT row_to_json(t)::text AS j FROM ${sql.identifier(t.name)} t${orderBy(t)}`,
            );
            let written = 0;
            for (;;) {
              const batch = await rows<{ j: string }>(tx, sql.raw(`FETCH FORWARD ${BATCH_ROWS} FROM convene_backup`));
              if (batch.length === 0) break;
              written += batch.length;
              yield batch.map((r) => `${r.j}\n`).join('');
            }
            await tx.execute(sql`CLOSE convene_backup`);
            if (written !== n) throw new Error(`Table ${t.name} changed during the backup (${n} rows counted, ${written} read).`);
          }
          yield `${JSON.stringify({ end: true })}\n`;
        }
        await pipeline(lines, createGzip(), fs.createWriteStream(partial, { mode: 0o600 }));
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
    fs.renameSync(partial, target);
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  }
  return { file: target, header };
}

async function* readLines(file: string): AsyncGenerator<string> {
  const input = fs.createReadStream(file);
  const gunzip = createGunzip();
  input.on('error', (err) => gunzip.destroy(err));
  input.pipe(gunzip);
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of gunzip) {
    rest += decoder.write(chunk as Buffer);
    const parts = rest.split('\n');
    rest = parts.pop()!;
    yield* parts;
  }
  rest += decoder.end();
  if (rest) yield rest;
}

function describeReadError(file: string, err: unknown): BackupError {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return new BackupError(`${file}: no such file.`);
  if (e.code === 'Z_DATA_ERROR' || e.code === 'Z_BUF_ERROR' || e.code === 'Z_NEED_DICT') {
    return new BackupError(`${file} is not a Convene backup, or it is damaged (${e.message}).`);
  }
  return new BackupError(`${file} could not be read: ${e.message ?? String(err)}`);
}

function parseHeader(file: string, line: string | undefined): BackupHeader {
  let h: Partial<BackupHeader> | null = null;
  try {
    h = line ? (JSON.parse(line) as Partial<BackupHeader>) : null;
  } catch {
    /* reported below */
  }
  if (!h || typeof h !== 'object' || h.format !== BACKUP_FORMAT) throw new BackupError(`${file} is not a Convene backup.`);
  if (h.version !== BACKUP_VERSION) {
    throw new BackupError(`${file} is a Convene backup of format version ${h.version}; this Convene reads version ${BACKUP_VERSION}. Use a matching Convene to restore it.`);
  }
  if (!Array.isArray(h.migrations) || !Array.isArray(h.tables)) throw new BackupError(`${file} has a damaged header.`);
  return h as BackupHeader;
}

/** Reads and checks the header of a backup file (what it holds, when and where it was made). */
export async function readBackupHeader(file: string): Promise<BackupHeader> {
  const lines = readLines(file);
  try {
    const first = await lines.next();
    return parseHeader(file, first.done ? undefined : first.value);
  } catch (err) {
    if (err instanceof BackupError) throw err;
    throw describeReadError(file, err);
  } finally {
    await lines.return(undefined).catch(() => {});
  }
}

/**
 * Replaces the content of every application table with the backup in `file`, in one transaction: a
 * damaged file, a constraint violation or a crash leaves the database as it was. Refuses a backup made by
 * a Convene with migrations this database has not applied. Tables newer than the backup end up empty;
 * columns newer than the backup get their defaults. `afterLoad` runs in the same transaction once every row is in.
 */
export async function restoreDatabase(db: Db, file: string, opts: { afterLoad?: (tx: Db) => Promise<void> } = {}): Promise<RestoreSummary> {
  const lines = readLines(file);
  const next = async (): Promise<string | undefined> => {
    try {
      const r = await lines.next();
      return r.done ? undefined : r.value;
    } catch (err) {
      throw describeReadError(file, err);
    }
  };
  try {
    const header = parseHeader(file, await next());

    const key = migrationKey();
    const applied = new Set((await appliedMigrations(db)).map(key));
    const missing = header.migrations.filter((h) => !applied.has(key(h)));
    if (missing.length > 0) {
      throw new BackupError(
        `This backup was made by a newer Convene: it needs ${missing.length} migration(s) this database does not have. ` +
          `Upgrade Convene, run \`convene migrate\`, then restore again.`,
      );
    }
    const tables = await applicationTables(db);
    const byName = new Map(tables.map((t) => [t.name, t]));
    const unknown = header.tables.filter((t) => !byName.has(t.name)).map((t) => t.name);
    if (unknown.length > 0) throw new BackupError(`This database has no table ${unknown.join(', ')}, which the backup holds.`);
    const order = await foreignKeyOrder(
      db,
      tables.map((t) => t.name),
    );
    const rank = new Map(order.map((t, i) => [t, i]));

    return await db.transaction(async (tx) => {
      await tx.execute(sql`SET CONSTRAINTS ALL DEFERRED`);
      if (tables.length > 0) {
        await tx.execute(
          sql`TRUNCATE ${sql.join(
            tables.map((t) => sql.identifier(t.name)),
            sql`, `,
          )}`,
        );
      }
      const sections = new Map<string, string[][]>();
      const done: { name: string; rows: number }[] = [];
      const pending = [...header.tables].sort((a, b) => rank.get(a.name)! - rank.get(b.name)!);

      const insert = async (name: string, columns: string[], batch: string[]) => {
        const t = byName.get(name)!;
        const cols = columns.filter((c) => t.columns.includes(c));
        const list = sql.join(
          cols.map((c) => sql.identifier(c)),
          sql`, `,
        );
        try {
          await tx.execute(
            sql`INSERT INTO ${sql.identifier(name)} (${list}) OVERRIDING SYSTEM VALUE
                SELECT ${list} FROM json_populate_recordset(NULL::${sql.identifier(name)}, ${`[${batch.join(',')}]`}::json)`,
          );
        } catch (err) {
          const e = err as Error & { cause?: Error };
          throw new BackupError(`Restoring table ${name} failed, nothing was changed: ${(e.cause ?? e).message}`);
        }
      };

      // Sections arrive in the file's order (the source's foreign-key order). A section whose parents are
      // already in goes straight in, batch by batch; one that must wait is held (only then does it use memory).
      const flushReady = async () => {
        while (pending.length > 0 && sections.has(pending[0]!.name)) {
          const t = pending.shift()!;
          const held = sections.get(t.name)!;
          for (const b of held) await insert(t.name, t.columns, b);
          sections.delete(t.name);
          done.push({ name: t.name, rows: t.rows });
        }
      };

      for (;;) {
        const line = await next();
        if (line === undefined) throw new BackupError(`${file} ends too early: it is incomplete.`);
        let marker: { table?: string; rows?: number; end?: boolean };
        try {
          marker = JSON.parse(line);
        } catch {
          throw new BackupError(`${file} is damaged (a table heading is unreadable).`);
        }
        if (marker.end) break;
        const meta = header.tables.find((t) => t.name === marker.table);
        if (!meta || marker.rows !== meta.rows) throw new BackupError(`${file} is damaged (unexpected table heading ${line.slice(0, 80)}).`);
        const streamNow = pending[0]?.name === meta.name;
        const held: string[][] = [];
        let batch: string[] = [];
        let chars = 0;
        for (let i = 0; i < meta.rows; i++) {
          const row = await next();
          if (row === undefined || !row.startsWith('{')) throw new BackupError(`${file} is damaged or incomplete (table ${meta.name}, row ${i + 1}).`);
          batch.push(row);
          chars += row.length;
          if (batch.length >= BATCH_ROWS || chars >= BATCH_CHARS) {
            if (streamNow) await insert(meta.name, meta.columns, batch);
            else held.push(batch);
            batch = [];
            chars = 0;
          }
        }
        if (batch.length > 0) {
          if (streamNow) await insert(meta.name, meta.columns, batch);
          else held.push(batch);
        }
        if (streamNow) {
          pending.shift();
          done.push({ name: meta.name, rows: meta.rows });
        } else sections.set(meta.name, held);
        await flushReady();
      }
      if (pending.length > 0) throw new BackupError(`${file} is incomplete: no rows for ${pending.map((t) => t.name).join(', ')}.`);
      if ((await next()) !== undefined) throw new BackupError(`${file} is damaged (data after its end).`);

      // serial and identity columns continue after the restored rows (audit_entry.id among them)
      const seqs = await rows<{ tbl: string; col: string; seq: string }>(
        tx,
        sql`SELECT c.relname AS tbl, a.attname AS col, pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) AS seq
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
              AND pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) IS NOT NULL`,
      );
      for (const s of seqs) {
        if (!byName.has(s.tbl)) continue;
        await tx.execute(
          sql`SELECT setval(${s.seq}::regclass, COALESCE((SELECT max(${sql.identifier(s.col)}) FROM ${sql.identifier(s.tbl)}), 0) + 1, false)`,
        );
      }
      // the job queue, emptied with the data it was about (its tables exist once a server has started)
      let jobsDropped = 0;
      const [queue] = await rows<{ t: string | null }>(tx, sql`SELECT to_regclass('pgboss.job')::text AS t`);
      if (queue?.t) {
        const [n] = await rows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM pgboss.job WHERE name NOT LIKE '\_\_pgboss\_\_%'`);
        jobsDropped = n?.n ?? 0;
        await tx.execute(sql`TRUNCATE pgboss.job, pgboss.archive`);
      }
      // e.g. erasures made after the backup, applied again before anything restored is visible (docs/erasure.md)
      if (opts.afterLoad) await opts.afterLoad(tx);
      // the read models (outside backups) from the restored rows, once: the TRUNCATE above had their triggers wait
      await rebuildFromTables(tx);
      const restored = new Map(done.map((d) => [d.name, d.rows]));
      return {
        tables: tables.map((t) => ({ name: t.name, rows: restored.get(t.name) ?? 0 })),
        sequences: seqs.length,
        jobsDropped,
      };
    });
  } catch (err) {
    if (err instanceof BackupError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (e?.code?.startsWith?.('Z_') || e?.code === 'ENOENT') throw describeReadError(file, err);
    throw err;
  } finally {
    await lines.return(undefined).catch(() => {});
  }
}
