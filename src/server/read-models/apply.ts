import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/db.types.ts';
import { READ_MODELS, SHARED_FILES, withDependents, type ReadModel } from './registry.ts';
import { wiringSql } from './wiring.ts';
import { paths } from '../paths.ts';

// Applies the read models' SQL (this folder's files and the wiring generated from registry.ts) after the migrations,
// on both databases (db/client.ts calls it at the end of migrate(): the server, every `convene` command and the tests
// go through it).
//
// read_model.applied (migration 0015) holds a hash per read model (its file and its registry entry) and one for what
// they share (rebuilding.sql and the generated wiring). When every hash matches, nothing happens: one small query at
// start. Otherwise, in ONE transaction, under an advisory lock (servers starting at once on one PostgreSQL apply once:
// the second finds the hashes written when the lock is its own):
//   1. every function of the read_model schema is dropped, and with them every trigger that calls one: the database
//      then holds exactly what the files say (a function a file no longer defines does not linger);
//   2. the tables of the read models whose definition changed are dropped (their columns may have changed: the files
//      own them, and they hold nothing a rebuild cannot make again);
//   3. the shared files, each read model's file and the wiring are executed, in registry order (idempotent:
//      CREATE TABLE IF NOT EXISTS, CREATE OR REPLACE FUNCTION, DROP TRIGGER IF EXISTS + CREATE TRIGGER);
//   4. the read models whose definition changed, and those that depend on them, are rebuilt (all of them when what
//      they share changed);
//   5. the hashes are stored.

export const readModelsFolder = paths.readModels;

/** the key of what every read model shares in read_model.applied */
const SHARED = '(shared)';
/** serialises appliers (the key is arbitrary, fixed; 727043101 and 727043102 are the search log's and member health's) */
const APPLY_LOCK = 727043103;

export type ApplyOptions = {
  /** apply and rebuild everything, whatever the hashes say (`convene rebuild-read-models`) */
  force?: boolean;
  /** reads a file of this folder (tests change one) */
  read?: (file: string) => string;
};

export type ApplyResult = {
  /** whether the files were applied (false: the database already held them) */
  applied: boolean;
  /** the read models rebuilt, in the order they were */
  rebuilt: string[];
  ms: number;
};

type Plan = { hashes: Map<string, string>; shared: string[]; models: { model: ReadModel; text: string }[]; wiring: string };

const sha256 = (...parts: string[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
};

const readFile = (file: string) => fs.readFileSync(path.join(readModelsFolder, file), 'utf8');
let defaultPlan: Plan | undefined;

function planOf(read: (file: string) => string): Plan {
  const shared = SHARED_FILES.map(read);
  const wiring = wiringSql();
  const models = READ_MODELS.map((model) => ({ model, text: read(model.file) }));
  const hashes = new Map<string, string>([[SHARED, sha256(...shared, wiring)]]);
  for (const { model, text } of models) hashes.set(model.key, sha256(text, JSON.stringify(model)));
  return { hashes, shared, models, wiring };
}

/** What the files stand for now: a hash per read model and one for what they share. */
export function currentHashes(read?: (file: string) => string): Map<string, string> {
  return (read ? planOf(read) : (defaultPlan ??= planOf(readFile))).hashes;
}

async function storedHashes(db: Db): Promise<Map<string, string>> {
  const res = (await db.execute(sql`SELECT key, hash FROM read_model.applied`)) as unknown as { rows?: { key: string; hash: string }[] } | { key: string; hash: string }[];
  const found = Array.isArray(res) ? res : (res.rows ?? []);
  return new Map(found.map((r) => [r.key, r.hash]));
}

const same = (a: Map<string, string>, b: Map<string, string>) => a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);

/** Applies the read models' SQL if the database does not hold it yet (or `force`), and rebuilds what that requires. */
export async function applyReadModels(db: Db, opts: ApplyOptions = {}): Promise<ApplyResult> {
  const t0 = performance.now();
  const plan = opts.read ? planOf(opts.read) : (defaultPlan ??= planOf(readFile));
  const none = () => ({ applied: false, rebuilt: [], ms: performance.now() - t0 });
  if (!opts.force && same(await storedHashes(db), plan.hashes)) return none();
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${APPLY_LOCK})`);
    const stored = await storedHashes(tx);
    if (!opts.force && same(stored, plan.hashes)) return none();
    const changed =
      opts.force || stored.get(SHARED) !== plan.hashes.get(SHARED) ? READ_MODELS : READ_MODELS.filter((m) => stored.get(m.key) !== plan.hashes.get(m.key));

    await tx.execute(sql.raw(DROP_EVERY_FUNCTION));
    for (const m of changed) for (const t of m.owns) await tx.execute(sql.raw(`DROP TABLE IF EXISTS ${t} CASCADE`));
    const run = async (name: string, text: string) => {
      for (const s of statements(text)) {
        try {
          await tx.execute(sql.raw(s.text));
        } catch (err) {
          const e = err as Error & { cause?: Error };
          throw new Error(`src/server/read-models/${name}, the statement at line ${s.line}: ${(e.cause ?? e).message}`, { cause: err });
        }
      }
    };
    for (const [i, file] of SHARED_FILES.entries()) await run(file, plan.shared[i]!);
    for (const { model, text } of plan.models) await run(model.file, text);
    await run('wiring.ts (generated)', plan.wiring);

    const rebuilt = await rebuild(tx, withDependents(changed.map((m) => m.key)));
    await tx.execute(sql`DELETE FROM read_model.applied`);
    for (const [key, hash] of plan.hashes) await tx.execute(sql`INSERT INTO read_model.applied (key, hash) VALUES (${key}, ${hash})`);
    return { applied: true, rebuilt, ms: performance.now() - t0 };
  });
}

/** Rebuilds these read models from what they derive from, in registry order (their dependencies first). */
async function rebuild(tx: Db, models: ReadModel[]): Promise<string[]> {
  if (models.length === READ_MODELS.length) {
    await tx.execute(sql`SELECT read_model.rebuild()`);
  } else if (models.length > 0) {
    // what read_model.rebuild() does for all of them: the statement triggers stand aside meanwhile
    await tx.execute(sql`SELECT set_config('read_model.rebuilding', 'on', true)`);
    for (const m of models) await tx.execute(sql.raw(`SELECT ${m.rebuild}()`));
    await tx.execute(sql`SELECT set_config('read_model.rebuilding', 'off', true)`);
  }
  return models.map((m) => m.key);
}

/**
 * Every read model rebuilt from the application's tables, after the files are applied again: what
 * `convene rebuild-read-models` does. Runs in one transaction; several servers may keep running meanwhile (on
 * PostgreSQL; they wait for it: the tables its triggers follow are locked until it commits).
 */
export function rebuildReadModels(db: Db): Promise<ApplyResult> {
  return applyReadModels(db, { force: true });
}

/**
 * Every read model rebuilt from the tables, as the database holds them now (read_model.rebuild(): the registry's order),
 * without applying the files again: for a transaction that must not drop triggers, such as a restore (its deferred
 * triggers are still to fire at commit).
 */
export async function rebuildFromTables(db: Db): Promise<void> {
  await db.execute(sql`SELECT read_model.rebuild()`);
}

const DROP_EVERY_FUNCTION = `DO $$
DECLARE
  f text;
BEGIN
  FOR f IN SELECT p.oid::regprocedure::text FROM pg_proc p WHERE p.pronamespace = 'read_model'::regnamespace LOOP
    EXECUTE 'DROP FUNCTION IF EXISTS ' || f || ' CASCADE';
  END LOOP;
END;
$$`;

/** The statements of a SQL text, with the line each starts on (splits at semicolons outside quotes, comments and $$ bodies). */
export function statements(text: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  let start = 0;
  let i = 0;
  const push = (end: number) => {
    const s = text.slice(start, end);
    if (!s.replace(/--[^\n]*/g, '').trim()) return;
    const lead = s.length - s.trimStart().length;
    out.push({ text: s.trim(), line: text.slice(0, start + lead).split('\n').length });
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '-' && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (c === "'") {
      const escapes = /[eE]/.test(text[i - 1] ?? '') && !/[\w$]/.test(text[i - 2] ?? ' ');
      i++;
      while (i < text.length) {
        if (escapes && text[i] === '\\') i += 2;
        else if (text[i] === "'" && text[i + 1] === "'") i += 2;
        else if (text[i] === "'") break;
        else i++;
      }
      i++;
    } else if (c === '"') {
      const end = text.indexOf('"', i + 1);
      i = end < 0 ? text.length : end + 1;
    } else if (c === '$' && !/[\w$]/.test(text[i - 1] ?? ' ') && /^\$(?:[A-Za-z_]\w*)?\$/.test(text.slice(i, i + 64))) {
      const tag = /^\$(?:[A-Za-z_]\w*)?\$/.exec(text.slice(i, i + 64))![0];
      const end = text.indexOf(tag, i + tag.length);
      i = end < 0 ? text.length : end + tag.length;
    } else if (c === ';') {
      push(i);
      start = ++i;
    } else {
      i++;
    }
  }
  push(text.length);
  return out;
}
