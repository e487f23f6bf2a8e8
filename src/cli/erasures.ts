// `convene erasures list [--json]` and `convene erasures reapply [FILE]`: the erasures carried out on request, and
// applying them again after restoring a backup made before them (docs/erasure.md). `convene restore` re-applies the
// database's own list by itself; these are for the rest (a restore by other means, or a database lost whole).
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { Config } from '../server/config.ts';
import type { Db } from '../server/db/client.ts';
import { ERASABLE } from '../server/features/network/erasure.contract.ts';
import { erasureRecords, reapplyErasures, vacuumAfterErasure, type ErasureRecord, type ReapplyOutcome } from '../server/features/network/erasure.service.ts';
import { CliError } from './cli-error.ts';
import { openForCommand } from './open-database.ts';

export const ERASURES_HELP = `Usage: convene erasures list [--json]
       convene erasures reapply [FILE]

list             the erasures carried out on request: date, record, reference (nothing of what was erased).
                 With --json, one JSON object per line: keep this file with your backups, it is what
                 \`reapply\` reads.
reapply [FILE]   erase again every record in FILE (a \`list --json\` output) or, without FILE, in this
                 database's own list, where the data came back (a backup made before the erasure was restored
                 some other way than \`convene restore\`, which re-applies them by itself). Records already
                 erased are left as they are.`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads a `list --json` file: one object per line (a JSON array is accepted too). */
export function parseErasureList(text: string, file: string): ErasureRecord[] {
  const trimmed = text.trim();
  let items: unknown[];
  try {
    items = trimmed.startsWith('[') ? (JSON.parse(trimmed) as unknown[]) : trimmed.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as unknown);
  } catch {
    throw new CliError(`${file} is not a list of erasures (write one with \`convene erasures list --json\`).`);
  }
  return items.map((raw, i) => {
    const r = raw as Partial<ErasureRecord>;
    const valid =
      r &&
      typeof r.id === 'string' &&
      UUID.test(r.id) &&
      (ERASABLE as readonly string[]).includes(r.recordType as string) &&
      typeof r.recordId === 'string' &&
      UUID.test(r.recordId) &&
      typeof r.reference === 'string' &&
      typeof r.tombstone === 'string' &&
      r.tombstone.includes(r.reference) &&
      typeof r.erasedAt === 'string' &&
      !Number.isNaN(Date.parse(r.erasedAt));
    if (!valid) throw new CliError(`${file}, entry ${i + 1}: not an erasure as \`convene erasures list --json\` writes it.`);
    return {
      id: r.id!,
      recordType: r.recordType!,
      recordId: r.recordId!,
      reference: r.reference!,
      tombstone: r.tombstone!,
      erasedAt: r.erasedAt!,
      erasedBy: typeof r.erasedBy === 'string' ? r.erasedBy : null,
      requestedBy: typeof r.requestedBy === 'string' ? r.requestedBy : null,
      requestedAt: typeof r.requestedAt === 'string' && !Number.isNaN(Date.parse(r.requestedAt)) ? r.requestedAt : r.erasedAt!,
      redact: Array.isArray(r.redact) ? r.redact.filter((p) => p && typeof p.kind === 'string' && typeof p.id === 'string') : [],
    };
  });
}

export function describeReapplied(o: ReapplyOutcome): string {
  return `Erasures re-applied: ${o.reapplied}; already erased: ${o.alreadyErased}; records not in the database: ${o.absent}.`;
}

/** Re-applies in one transaction, then vacuums what it wrote. */
export async function reapplyInDatabase(db: Db, list: ErasureRecord[]): Promise<ReapplyOutcome> {
  const out = await db.transaction((tx) => reapplyErasures(tx, list));
  await vacuumAfterErasure(db, out.tables);
  return { reapplied: out.reapplied, alreadyErased: out.alreadyErased, absent: out.absent };
}

export async function erasuresCommand(config: Config, args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (!sub || sub === '--help' || sub === '-h') {
    console.log(ERASURES_HELP);
    return;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n\n${ERASURES_HELP}`, 2);
  }
  if (parsed.values.help) {
    console.log(ERASURES_HELP);
    return;
  }
  if (sub === 'list') {
    if (parsed.positionals.length > 0) throw new CliError(`Too many arguments.\n\n${ERASURES_HELP}`, 2);
    const database = await openForCommand(config);
    try {
      await database.migrate();
      const list = await erasureRecords(database.db);
      if (parsed.values.json) {
        for (const r of list) console.log(JSON.stringify(r));
      } else if (list.length === 0) {
        console.log('No erasure was carried out.');
      } else {
        for (const r of list) console.log(`${r.erasedAt}  ${r.recordType.padEnd(12)}  ${r.recordId}  ${r.reference}`);
      }
    } finally {
      await database.close();
    }
    return;
  }
  if (sub === 'reapply') {
    if (parsed.positionals.length > 1 || parsed.values.json) throw new CliError(`Too many arguments.\n\n${ERASURES_HELP}`, 2);
    const file = parsed.positionals[0];
    let fromFile: ErasureRecord[] | undefined;
    if (file) {
      if (!fs.existsSync(file)) throw new CliError(`${file}: no such file.`);
      fromFile = parseErasureList(fs.readFileSync(file, 'utf8'), file);
    }
    const database = await openForCommand(config);
    try {
      await database.migrate();
      const list = fromFile ?? (await erasureRecords(database.db));
      // the database's own list: rows marked done whose records hold data again are erased once more
      const outcome = fromFile ? await reapplyInDatabase(database.db, list) : await reapplyOwn(database.db, list);
      console.log(describeReapplied(outcome));
    } finally {
      await database.close();
    }
    return;
  }
  throw new CliError(`Unknown erasures command "${sub}".\n\n${ERASURES_HELP}`, 2);
}

/**
 * The database's own list is marked done already: those rows are set aside first (as if restored without them), so
 * that each record is checked and erased again when its data came back.
 */
async function reapplyOwn(db: Db, list: ErasureRecord[]): Promise<ReapplyOutcome> {
  const out = await db.transaction((tx) => reapplyErasures(tx, list, undefined, { recheck: true }));
  await vacuumAfterErasure(db, out.tables);
  return { reapplied: out.reapplied, alreadyErased: out.alreadyErased, absent: out.absent };
}
