import v8 from 'node:v8';
import type { Config } from '../server/config.ts';
import { openFromConfig, type Database } from '../server/db/client.ts';
import { acquireDataDirLock, DataDirLockedError } from '../server/db/lock.ts';
import { CliError } from './cli-error.ts';

export type CommandOpenOptions = {
  /** the embedded database's shared_buffers for this process (see OpenOptions in src/server/db/client.ts) */
  sharedBuffers?: string;
  /**
   * A command that reads once and exits (`convene dialogue analyze`): the embedded database's WebAssembly is compiled
   * by V8's baseline compiler only. Optimising its hot functions as well (TurboFan, on other threads) is what a
   * long-lived server wants, but in a command of a second or two it costs more than it saves: ~0.3 s of CPU to open the
   * database and ~60 MB of peak memory, against reading 50,000 votes a little faster. The flag holds for the rest of
   * this process (every WebAssembly module compiled after it), which ends with the command.
   */
  shortLived?: boolean;
};

/**
 * Opens the database the server would use. On the embedded database it first takes the data-folder lock,
 * as the server does: two processes writing one PGlite folder would corrupt it.
 */
export async function openForCommand(config: Config, opts: CommandOpenOptions = {}): Promise<Database & { where: string }> {
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
  if (opts.shortLived && !config.databaseUrl) v8.setFlagsFromString('--liftoff-only');
  let database: Database;
  try {
    database = await openFromConfig(config, { sharedBuffers: opts.sharedBuffers });
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
