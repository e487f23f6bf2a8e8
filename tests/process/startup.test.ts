import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freePort } from '../setup/server-process.ts';
import { createFirstAdmin, trackProcesses } from './process-helpers.ts';

const procs = trackProcesses();

// Node leaves out environment entries whose value is undefined: this is how a test unsets a variable
// that the helper would otherwise pass.
const UNSET = undefined as unknown as string;

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

describe('server start-up', () => {
  it('prints a setup link while no account exists, binds 127.0.0.1 by default, honours PORT, and prints no link once the admin exists', { timeout: 120_000 }, async () => {
    const dataDir = procs.dataDir();
    const port = await freePort();
    const first = await procs.start({ dataDir, port, env: { HOST: UNSET } });
    expect(first.port).toBe(port);
    expect(first.output()).toContain(`listening on 127.0.0.1:${port}`);
    expect(first.setupLink()).toMatch(new RegExp(`^http://localhost:${port}/setup\\?token=[\\w-]{20,}$`));
    expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(200);

    await createFirstAdmin(first);
    await first.stop();

    const second = await procs.start({ dataDir, env: { HOST: UNSET } });
    expect(second.output()).toContain('Convene is running');
    expect(second.setupLink()).toBeUndefined();
    expect(second.output()).not.toContain('/setup?token=');
    const status = (await (await fetch(`${second.url}/api/setup`)).json()) as { needsSetup: boolean };
    expect(status.needsSetup).toBe(false);
  });

  it('refuses an invalid configuration, naming the variable', { timeout: 60_000 }, async () => {
    const server = await procs.start({ dataDir: procs.dataDir(), env: { PORT: 'abc' }, waitForHealth: false });
    const code = await server.exited;
    expect(code).not.toBeNull();
    expect(code).not.toBe(0);
    expect(server.output()).toMatch(/Invalid configuration[\s\S]*PORT/);
    expect(server.output()).not.toContain('Convene is running');
  });

  it('starts on every database available here: always embedded PGlite, and PostgreSQL when TEST_DATABASE_URL is set', { timeout: 120_000 }, async () => {
    const checked: string[] = [];

    const embedded = await procs.start({ dataDir: procs.dataDir() });
    const h1 = (await (await fetch(`${embedded.url}/api/health`)).json()) as { database: string; databaseOk: boolean };
    expect(h1).toMatchObject({ database: 'pglite', databaseOk: true });
    expect(embedded.output()).toContain('embedded database in');
    await embedded.stop();
    checked.push('pglite');

    const url = process.env.TEST_DATABASE_URL;
    if (url) {
      const name = `convene_proc_${process.pid}_${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
        const server = await procs.start({ dataDir: procs.dataDir(), env: { DATABASE_URL: withDatabase(url, name) } });
        const h2 = (await (await fetch(`${server.url}/api/health`)).json()) as { database: string; databaseOk: boolean };
        expect(h2).toMatchObject({ database: 'postgres', databaseOk: true });
        // migrations ran on it: a fresh database needs its first administrator
        expect(server.setupLink()).toBeDefined();
        await server.stop();
        checked.push('postgres');
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      }
    }
    console.log(`start-up checked on: ${checked.join(', ')}`);
  });
});
