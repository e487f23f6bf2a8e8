import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, tempDataDir, type ServerProcess } from '../setup/server-process.ts';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/convene.mjs');
const PASSWORD = 'a long enough password';

type Result = { code: number | null; stdout: string; stderr: string };

/** Runs the real command, as `npx convene …` would, with stdin a pipe (not a terminal). */
function convene(args: string[], opts: { dataDir: string; input?: string }): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: root,
      env: { ...process.env, CONVENE_DATA_DIR: opts.dataDir, DATABASE_URL: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

async function signIn(server: ServerProcess, email: string, password: string): Promise<number> {
  const res = await fetch(`${server.url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: `http://localhost:${server.port}` },
    body: JSON.stringify({ email, password }),
  });
  await res.arrayBuffer();
  return res.status;
}

const dirs: string[] = [];
const servers: ServerProcess[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
function newDir() {
  const d = tempDataDir('convene-cli-test-');
  dirs.push(d);
  return d;
}

describe('convene command', { timeout: 120_000 }, () => {
  const dataDir = newDir();
  const backupFile = path.join(newDir(), 'convene.jsonl.gz');

  it('explains itself', async () => {
    const help = await convene(['--help'], { dataDir });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/create-admin[\s\S]*migrate[\s\S]*backup FILE[\s\S]*restore FILE/);
    const unknown = await convene(['frobnicate'], { dataDir });
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('Unknown command "frobnicate"');
  });

  it('migrate names what it applied, then says all are applied', async () => {
    const first = await convene(['migrate'], { dataDir });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const journal = JSON.parse(fs.readFileSync(path.join(root, 'drizzle/meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
    const tags = journal.entries.map((e) => e.tag);
    expect(first.stdout).toContain(`Applied ${tags.length} migration`);
    for (const tag of tags) expect(first.stdout).toContain(tag);
    const again = await convene(['migrate'], { dataDir });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('All migrations were already applied');
  });

  it('create-admin makes administrators, from --password or a piped password', async () => {
    const a = await convene(['create-admin', '--email', 'Admin@Example.org', '--name', 'מנהלת', '--password', PASSWORD], { dataDir });
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    expect(a.stdout).toContain('Created the administrator מנהלת <admin@example.org>');
    const piped = await convene(['create-admin', '--email', 'second@example.org', '--name', 'مديرة'], { dataDir, input: 'piped password 42\n' });
    expect(piped.code).toBe(0);
    expect(piped.stdout).toContain('<second@example.org>');
  });

  it('create-admin refuses bad input and an existing email', async () => {
    const badEmail = await convene(['create-admin', '--email', 'not-an-email', '--name', 'X', '--password', PASSWORD], { dataDir });
    expect(badEmail.code).toBe(1);
    expect(badEmail.stderr).toContain('Email: Not an email address');
    const shortPassword = await convene(['create-admin', '--email', 'x@example.org', '--name', 'X', '--password', 'short'], { dataDir });
    expect(shortPassword.code).toBe(1);
    expect(shortPassword.stderr).toContain('Password: At least 10 characters');
    const noPassword = await convene(['create-admin', '--email', 'x@example.org', '--name', 'X'], { dataDir, input: '' });
    expect(noPassword.code).toBe(1);
    expect(noPassword.stderr).toContain('No password');
    const taken = await convene(['create-admin', '--email', 'admin@example.org', '--name', 'Again', '--password', PASSWORD], { dataDir });
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('already exists');
  });

  it('backup writes every table and the audit of create-admin', async () => {
    const b = await convene(['backup', backupFile], { dataDir });
    expect(b.stderr).toBe('');
    expect(b.code).toBe(0);
    expect(b.stdout).toMatch(/user\s+2\n/);
    expect(b.stdout).toMatch(/account\s+2\n/);
    const lines = gunzipSync(fs.readFileSync(backupFile)).toString('utf8').trimEnd().split('\n');
    const audits = lines.filter((l) => l.includes('"action":"user.create_admin"')).map((l) => JSON.parse(l));
    expect(audits).toHaveLength(2);
    expect(audits[0]).toMatchObject({ actor_id: null, ip: 'cli', user_agent: 'convene create-admin', entity_type: 'user' });
  });

  it('the server then prints no setup link and the administrators sign in; meanwhile the command refuses the data folder', async () => {
    const server = await startServer({ dataDir });
    servers.push(server);
    expect(server.setupLink()).toBeUndefined();
    expect(server.output()).not.toContain('setup?token=');
    expect(await signIn(server, 'admin@example.org', PASSWORD)).toBe(200);
    expect(await signIn(server, 'second@example.org', 'piped password 42')).toBe(200);
    expect(await signIn(server, 'admin@example.org', 'wrong password!!')).toBe(401);

    const locked = await convene(['create-admin', '--email', 'third@example.org', '--name', 'Third', '--password', PASSWORD], { dataDir });
    expect(locked.code).not.toBe(0);
    expect(locked.stderr).toContain(`A Convene server (process ${server.proc.pid}) is using the data folder`);
    expect(locked.stderr).toContain('stop the server first');
    const lockedBackup = await convene(['backup', path.join(path.dirname(backupFile), 'other.gz')], { dataDir });
    expect(lockedBackup.code).not.toBe(0);
    expect(lockedBackup.stderr).toContain('stop the server first');
    await server.stop();
  });

  it('restore needs --yes off a terminal, refuses a file that is not a backup, and brings the data back', async () => {
    const target = newDir();
    const unconfirmed = await convene(['restore', backupFile], { dataDir: target });
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.stderr).toContain('--yes');

    const junk = path.join(target, 'junk.gz');
    fs.writeFileSync(junk, 'not a backup');
    const bad = await convene(['restore', junk, '--yes'], { dataDir: target });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('is not a Convene backup');

    const r = await convene(['restore', backupFile, '--yes'], { dataDir: target });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Restored ${backupFile}`);
    expect(r.stdout).toMatch(/user\s+2\n/);
    expect(r.stdout).toMatch(/audit_entry\s+2\n/);

    const server = await startServer({ dataDir: target });
    servers.push(server);
    expect(server.setupLink()).toBeUndefined();
    expect(await signIn(server, 'admin@example.org', PASSWORD)).toBe(200);
    await server.stop();
  });
});
