import { randomBytes } from 'node:crypto';
import type { Config } from '../server/config.ts';
import { EmailSchema, NameSchema, PasswordSchema, TimeZoneSchema } from '../server/features/accounts/accounts.contract.ts';
import { createUserWithPassword } from '../server/features/accounts/accounts.service.ts';
import { recordAudit } from '../server/features/audit/audit.service.ts';
import { AppError } from '../server/http/problem.ts';
import { isLocale, LOCALES } from '../i18n/locales.ts';
import { CliError } from './cli-error.ts';
import { describeMigrations, migrateWithReport } from './migrate.ts';
import { openForCommand } from './open-database.ts';
import { promptHidden, readPipedLine } from './prompt.ts';

export type CreateAdminOptions = {
  email?: string;
  name?: string;
  password?: string;
  generatePassword?: boolean;
  locale?: string;
  timeZone?: string;
};

function check<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } } }, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new CliError(`${what}: ${r.error.issues.map((i) => i.message).join('; ')}.`);
  return r.data;
}

/** Where the password comes from: --password, a pipe, a prompt on the terminal, or generated. */
async function obtainPassword(opts: CreateAdminOptions): Promise<{ password: string; generated: boolean }> {
  const generate = () => ({ password: randomBytes(18).toString('base64url'), generated: true });
  if (opts.password !== undefined) return { password: opts.password, generated: false };
  if (opts.generatePassword) return generate();
  if (!process.stdin.isTTY) {
    const piped = await readPipedLine();
    if (!piped) throw new CliError('No password: pass --password, pipe one on standard input, or use --generate-password.');
    return { password: piped, generated: false };
  }
  const first = await promptHidden('Password (at least 10 characters; leave empty to generate one): ');
  if (first === '') return generate();
  check(PasswordSchema, first, 'Password');
  const again = await promptHidden('The same password again: ');
  if (again !== first) throw new CliError('The two passwords differ; nothing was created.');
  return { password: first, generated: false };
}

export async function createAdmin(config: Config, opts: CreateAdminOptions): Promise<void> {
  if (!opts.email || !opts.name) throw new CliError('create-admin needs --email and --name (see convene create-admin --help).', 2);
  const email = check(EmailSchema, opts.email, 'Email');
  const name = check(NameSchema, opts.name, 'Name');
  const locale = opts.locale ?? 'en';
  if (!isLocale(locale)) throw new CliError(`Language: one of ${LOCALES.join(', ')}.`);
  const timeZone = check(TimeZoneSchema, opts.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC', 'Time zone');
  const { password, generated } = await obtainPassword(opts);
  check(PasswordSchema, password, 'Password');

  const database = await openForCommand(config);
  try {
    const { migrations: applied } = await migrateWithReport(database);
    if (applied.length > 0) console.log(describeMigrations(applied));
    const created = await database.db.transaction(async (tx) => {
      const u = await createUserWithPassword(tx, { name, email, password, role: 'admin', locale, timeZone });
      await recordAudit(
        tx,
        { actor: null, ip: 'cli', userAgent: 'convene create-admin' },
        { action: 'user.create_admin', entityType: 'user', entityId: u.id, detail: { email: u.email, name: u.name, role: 'admin' } },
      );
      return u;
    });
    console.log(`Created the administrator ${created.name} <${created.email}> in ${database.where}.`);
    if (generated) {
      console.log(`Password (shown this once; store it now): ${password}`);
    }
  } catch (err) {
    if (err instanceof AppError && err.code === 'email_taken') throw new CliError(`An account with the email ${email} already exists; nothing was created.`);
    throw err;
  } finally {
    await database.close();
  }
}
