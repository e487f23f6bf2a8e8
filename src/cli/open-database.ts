import type { Config } from '../server/config.ts';
import { openFromConfig, type Database } from '../server/db/client.ts';
import { acquireDataDirLock, DataDirLockedError } from '../server/db/lock.ts';
import { CliError } from './cli-error.ts';

/**
 * Opens the database the server would use. On the embedded database it first takes the data-folder lock,
 * as the server does: two processes writing one PGlite folder would corrupt it.
 */
export async function openForCommand(config: Config, opts: { sharedBuffers?: string } = {}): Promise<Database & { where: string }> {
  let release = () => {};
  if (!config.databaseUrl) {
    try {
      release = acquireDataDirLock(config.dataDir);
    } catch (err) {
      if (err instanceof DataDirLockedError) {
        throw new CliError(
          `A Convene server (process ${err.pid}) is using the data folder ${config.dataDir}.\n` +
            `The embedded database allows one process at a time: stop the server first, then run this command again.`,
        );
      }
      throw err;
    }
  }
  let database: Database;
  try {
    database = await openFromConfig(config, opts);
  } catch (err) {
    release();
    throw err;
  }
  return {
    ...database,
    where: config.databaseUrl ? `PostgreSQL (${redact(config.databaseUrl)})` : `the embedded database in ${config.dataDir}`,
    close: async () => {
      try {
        await database.close();
      } finally {
        release();
      }
    },
  };
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'DATABASE_URL';
  }
}
