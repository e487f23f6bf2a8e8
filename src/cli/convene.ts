// `convene <command>`: administration from the shell, on the database the server uses (same environment).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './cli-error.ts';
// commands (and the configuration, with zod) are imported when run, so help, usage errors and `study` load no
// database driver or server module

const ENVIRONMENT = `Environment (as for the server):
  CONVENE_DATA_DIR  the data folder of the embedded database (default ./data)
  DATABASE_URL      postgres://… to use PostgreSQL instead
With the embedded database, stop the server first: one process at a time may use the data folder.`;

const HELP: Record<string, string> = {
  '': `Usage: convene <command> [options]

Commands:
  create-admin --email E --name N   create an administrator account
  migrate                           apply pending database migrations
  rebuild-read-models               rebuild the derived data (read models) from the tables
  backup FILE                       write a backup of all data to FILE
  restore FILE [--yes]              replace all data with the backup in FILE (erasures made since are re-applied)
  erasures list [--json]            the erasures carried out on request (ids and references only)
  erasures reapply [FILE]           erase again what a restored backup brought back (docs/erasure.md)
  study analyze --csv FILE …        message-test effects from a responses CSV (no database)
  trip solve-optw FILE …            the trip planner's core on an OPTW instance (no database)
  dialogue import-polis DIR         import a Pol.is export folder as a dialogue; prints {"id": …}
  dialogue analyze ID [--json]      a dialogue's opinion groups, counts and consensus

Run \`convene <command> --help\` for a command's options.

${ENVIRONMENT}`,
  'create-admin': `Usage: convene create-admin --email E --name N [options]

Creates an administrator (runs pending migrations first). Use it for the first account instead of the
setup link, or to regain access.

Options:
  --email E             email address to sign in with
  --name N              name shown in the app
  --password P          the password (at least 10 characters). Without it, the password is read from
                        standard input when piped, or asked for on the terminal (not echoed; leave it
                        empty there to generate one)
  --generate-password   generate a password and print it once
  --locale L            interface language: en, he or ar (default en)
  --time-zone TZ        IANA time zone, e.g. Asia/Jerusalem (default: this machine's)

${ENVIRONMENT}`,
  migrate: `Usage: convene migrate

Applies the database migrations this version of Convene has and the database lacks, and names them.
(The server does this at start too.)

${ENVIRONMENT}`,
  'rebuild-read-models': `Usage: convene rebuild-read-models

Applies the read models' SQL again (src/server/read-models/: derived data such as member health's figures, the
organisation list's names, dialogue vote counts, the search change log) and rebuilds every read model from the
application's tables, in one transaction (pending migrations first). Nothing it rebuilds is in backups: it is all
computed from what is. The server keeps them current by itself; use this after loading data with triggers off, or if a
read model is ever suspected wrong. On PostgreSQL, running servers wait until it is done (seconds at 200,000 meetings).

${ENVIRONMENT}`,
  backup: `Usage: convene backup FILE

Writes every table from one consistent snapshot to FILE (gzip'ed JSON lines). A backup from the embedded
database restores on PostgreSQL and the other way round. The file holds password hashes and session
tokens; it is created readable by its owner only.

${ENVIRONMENT}`,
  restore: `Usage: convene restore FILE [--yes]

Replaces ALL data with the backup in FILE, in one transaction: if anything fails, nothing changes.
Runs pending migrations first. A backup from a newer Convene is refused: upgrade first.
Erasures on request this database holds are applied again to the restored data, in the same transaction
(a backup made before an erasure still holds what was erased; see docs/erasure.md).

Options:
  --yes   do not ask for confirmation (needed when not on a terminal)

${ENVIRONMENT}`,
};

const OPTIONS: Record<string, ParseArgsConfig['options']> = {
  'create-admin': {
    email: { type: 'string' },
    name: { type: 'string' },
    password: { type: 'string' },
    'generate-password': { type: 'boolean' },
    locale: { type: 'string' },
    'time-zone': { type: 'string' },
  },
  migrate: {},
  'rebuild-read-models': {},
  backup: {},
  restore: { yes: { type: 'boolean', short: 'y' } },
};
const POSITIONALS: Record<string, number> = { 'create-admin': 0, migrate: 0, 'rebuild-read-models': 0, backup: 1, restore: 1 };

async function run(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    const topic = command === 'help' && rest[0] && HELP[rest[0]] ? rest[0] : '';
    console.log(HELP[topic]);
    return;
  }
  // `study` has subcommands and its own options, and needs neither configuration nor database
  if (command === 'study') return (await import('./study.ts')).study(rest);
  if (command === 'trip') return (await import('./trip.ts')).trip(rest);
  if (command === 'dialogue') return (await import('./dialogue.ts')).dialogueCommand(rest, ENVIRONMENT);
  if (command === 'erasures') {
    const { loadConfig } = await import('../server/config.ts');
    let config;
    try {
      config = loadConfig();
    } catch (err) {
      throw new CliError((err as Error).message);
    }
    return (await import('./erasures.ts')).erasuresCommand(config, rest);
  }
  const options = OPTIONS[command];
  if (!options) throw new CliError(`Unknown command "${command}".\n\n${HELP['']}`, 2);

  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n\n${HELP[command]}`, 2);
  }
  const { values, positionals } = parsed as { values: Record<string, string | boolean | undefined>; positionals: string[] };
  if (values.help) {
    console.log(HELP[command]);
    return;
  }
  if (positionals.length > POSITIONALS[command]!) throw new CliError(`Too many arguments.\n\n${HELP[command]}`, 2);

  const { loadConfig } = await import('../server/config.ts');
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  const s = (k: string) => values[k] as string | undefined;
  switch (command) {
    case 'create-admin': {
      const { createAdmin } = await import('./create-admin.ts');
      return createAdmin(config, {
        email: s('email'),
        name: s('name'),
        password: s('password'),
        generatePassword: values['generate-password'] === true,
        locale: s('locale'),
        timeZone: s('time-zone'),
      });
    }
    case 'migrate': {
      const { openForCommand } = await import('./open-database.ts');
      const { describeMigrations, describeReadModels, migrateWithReport } = await import('./migrate.ts');
      const database = await openForCommand(config);
      try {
        console.log(`Migrating ${database.where}.`);
        const { migrations, readModels } = await migrateWithReport(database);
        console.log(describeMigrations(migrations));
        const derived = describeReadModels(readModels);
        if (derived) console.log(derived);
      } finally {
        await database.close();
      }
      return;
    }
    case 'rebuild-read-models':
      return (await import('./read-models.ts')).rebuildReadModelsCommand(config);
    case 'backup':
      return (await import('./backup-restore.ts')).backup(config, positionals[0]);
    case 'restore':
      return (await import('./backup-restore.ts')).restore(config, positionals[0], { yes: values.yes === true });
  }
}

run(process.argv.slice(2)).then(
  () => process.exit(0),
  (err) => {
    if (err instanceof CliError) {
      console.error(err.message);
      process.exit(err.exitCode);
    }
    console.error(`convene: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
