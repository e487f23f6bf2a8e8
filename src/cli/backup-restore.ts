import fs from 'node:fs';
import type { Config } from '../server/config.ts';
import { backupDatabase, BackupError, readBackupHeader, restoreDatabase } from '../server/db/backup.ts';
import { erasureRecords, reapplyErasures, vacuumAfterErasure, type ReapplyOutcome } from '../server/features/network/erasure.service.ts';
import { CliError } from './cli-error.ts';
import { describeReapplied } from './erasures.ts';
import { describeMigrations, migrateWithReport } from './migrate.ts';
import { openForCommand } from './open-database.ts';
import { ask } from './prompt.ts';

function table(rows: { name: string; rows: number }[]): string {
  const width = Math.max(...rows.map((r) => r.name.length), 5);
  const total = rows.reduce((n, r) => n + r.rows, 0);
  return [...rows.map((r) => `  ${r.name.padEnd(width)}  ${String(r.rows).padStart(9)}`), `  ${'total'.padEnd(width)}  ${String(total).padStart(9)}`].join('\n');
}

export async function backup(config: Config, file: string | undefined): Promise<void> {
  if (!file) throw new CliError('backup needs the file to write, e.g. convene backup convene-backup.jsonl.gz', 2);
  const database = await openForCommand(config);
  try {
    const { file: written, header } = await backupDatabase(database.db, file, { kind: database.kind });
    console.log(`Backed up ${database.where} to ${written}:`);
    console.log(table(header.tables));
    console.log('The file holds password hashes and session tokens: keep it as safe as the database itself.');
  } finally {
    await database.close();
  }
}

export async function restore(config: Config, file: string | undefined, opts: { yes?: boolean }): Promise<void> {
  if (!file) throw new CliError('restore needs the backup file to read, e.g. convene restore convene-backup.jsonl.gz', 2);
  if (!fs.existsSync(file)) throw new CliError(`${file}: no such file.`);
  if (!opts.yes && !process.stdin.isTTY) {
    throw new CliError('restore replaces everything in the database: add --yes to confirm when not on a terminal.');
  }
  let header;
  try {
    header = await readBackupHeader(file);
  } catch (err) {
    if (err instanceof BackupError) throw new CliError(`${err.message}\nThe database was not changed.`);
    throw err;
  }
  const database = await openForCommand(config);
  try {
    if (!opts.yes) {
      const rows = header.tables.reduce((n, t) => n + t.rows, 0);
      console.log(`The backup ${file} was made ${header.createdAt} on ${header.database === 'pglite' ? 'an embedded database' : 'PostgreSQL'}: ${rows} rows in ${header.tables.length} tables.`);
      const answer = await ask(`This replaces ALL data in ${database.where} with it.\nType "yes" to go on: `);
      if (answer.trim().toLowerCase() !== 'yes') throw new CliError('Nothing was changed.');
    }
    const { migrations: applied } = await migrateWithReport(database);
    if (applied.length > 0) console.log(describeMigrations(applied));
    // erasures on request made before this restore stay made: applied again to what the backup brings back
    const erasures = await erasureRecords(database.db);
    let reapplied: (ReapplyOutcome & { tables: string[] }) | undefined;
    const result = await restoreDatabase(database.db, file, {
      afterLoad: async (tx) => {
        if (erasures.length) reapplied = await reapplyErasures(tx, erasures);
      },
    });
    console.log(`Restored ${file} into ${database.where}:`);
    console.log(table(result.tables));
    if (result.jobsDropped > 0) console.log(`${result.jobsDropped} background job(s) about the data before the restore were removed from the queue.`);
    if (reapplied) {
      await vacuumAfterErasure(database.db, reapplied.tables);
      console.log(describeReapplied(reapplied));
    }
    if (config.databaseUrl) console.log('Restart any running Convene server so it starts from the restored data.');
  } catch (err) {
    if (err instanceof BackupError) throw new CliError(`${err.message}\nThe database was not changed.`);
    throw err;
  } finally {
    await database.close();
  }
}
