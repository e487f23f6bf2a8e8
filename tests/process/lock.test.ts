import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deadPid, trackProcesses } from './process-helpers.ts';

const procs = trackProcesses();

describe('the data-folder lock', () => {
  it('makes a second server on the same folder exit at once, naming the server that holds it', { timeout: 90_000 }, async () => {
    const dataDir = procs.dataDir();
    const first = await procs.start({ dataDir });
    const lockFile = path.join(dataDir, 'convene.lock');
    expect(fs.readFileSync(lockFile, 'utf8').trim()).toBe(String(first.proc.pid));

    const second = await procs.start({ dataDir, waitForHealth: false });
    const code = await second.exited;
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(second.output()).toContain('Another Convene server');
    expect(second.output()).toContain(`process ${first.proc.pid}`);
    expect(second.output()).not.toContain('Convene is running');

    // the first server is untouched and still holds the folder
    expect((await fetch(`${first.url}/api/health`)).status).toBe(200);
    expect(fs.readFileSync(lockFile, 'utf8').trim()).toBe(String(first.proc.pid));
  });

  it('takes over a stale lock left by a process that has exited, and removes it on SIGTERM', { timeout: 90_000 }, async () => {
    const dataDir = procs.dataDir();
    const lockFile = path.join(dataDir, 'convene.lock');
    const stale = await deadPid();
    fs.writeFileSync(lockFile, `${stale}\n`);

    const server = await procs.start({ dataDir });
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    expect(fs.readFileSync(lockFile, 'utf8').trim()).toBe(String(server.proc.pid));

    await server.stop();
    expect(await server.exited).toBe(0);
    expect(fs.existsSync(lockFile)).toBe(false);
  });
});
