import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, tempDataDir } from './server-process.ts';

// HAProxy (Debian's package) in front of app servers on 127.0.0.1, configured as docs/deploying.md shows: round robin,
// readiness checks on /api/ready, X-Forwarded-For for TRUST_PROXY, retries only when no server took the request.

export const HAPROXY = ['/usr/sbin/haproxy', '/usr/bin/haproxy'].find((p) => fs.existsSync(p));

export type Balancer = { url: string; port: number; proc: ChildProcess; output(): string; stop(): Promise<void> };

export async function startHaproxy(backendPorts: number[], opts: { checkMs?: number } = {}): Promise<Balancer> {
  if (!HAPROXY) throw new Error('HAProxy is missing: apt-get install haproxy (.ci/run does).');
  const port = await freePort();
  const dir = tempDataDir('convene-haproxy-');
  const cfg = `global
    maxconn 4000
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    timeout check 5s
    option forwardfor
    option http-server-close
frontend convene
    bind 127.0.0.1:${port}
    default_backend servers
backend servers
    balance roundrobin
    option httpchk GET /api/ready
    http-check expect status 200
    default-server inter ${opts.checkMs ?? 200}ms fall 3 rise 1
    retry-on conn-failure
    retries 3
${backendPorts.map((p, i) => `    server s${i} 127.0.0.1:${p} check`).join('\n')}
`;
  const file = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(file, cfg);
  const check = spawnSync(HAPROXY, ['-c', '-f', file], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`haproxy refused its configuration:\n${check.stdout}${check.stderr}`);
  let out = '';
  const proc = spawn(HAPROXY, ['-db', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    proc,
    output: () => out,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
