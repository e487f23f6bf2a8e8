import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { trackProcesses } from './process-helpers.ts';

const procs = trackProcesses();

/** One request: its status and Connection header, or the connection's error code. */
async function ask(url: string): Promise<{ status: number; connection: string | null } | { error: string }> {
  try {
    const res = await fetch(url);
    await res.arrayBuffer();
    return { status: res.status, connection: res.headers.get('connection') };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    return { error: cause?.code ?? String(err) };
  }
}

async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a server asked to stop (SIGTERM)', () => {
  it('answers not ready while the balancer notices, stops taking connections, finishes the request in flight, then exits 0', { timeout: 180_000 }, async () => {
    const s = await procs.start({ env: { SHUTDOWN_DRAIN_SECONDS: '4', SHUTDOWN_TIMEOUT_SECONDS: '60' } });
    // healthy as soon as it listens; ready once its background jobs are set up (until then: 503, reason `starting`)
    const ready = await until('readiness after the start', () => ask(`${s.url}/api/ready`), (v) => !('status' in v && v.status === 503));
    expect(ready).toEqual({ status: 200, connection: 'keep-alive' });

    // a request in flight: its headers and half its body sent
    const body = JSON.stringify({ email: 'nobody@example.org', password: 'not the password at all' });
    const socket = net.connect(s.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    let answer = '';
    socket.on('data', (d) => (answer += d.toString('latin1')));
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(
      `POST /api/auth/sign-in/email HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nOrigin: http://localhost:${s.port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
    );

    s.proc.kill('SIGTERM');
    // while draining: not ready, still alive, and every response asks its client to reconnect elsewhere
    const notReady = await until('readiness', () => ask(`${s.url}/api/ready`), (v) => 'status' in v && v.status === 503);
    expect(notReady).toEqual({ status: 503, connection: 'close' });
    expect(await ask(`${s.url}/api/health`)).toEqual({ status: 200, connection: 'close' });
    expect(s.proc.exitCode).toBeNull();

    // after the drain period the port takes no new connection, while the request in flight still waits
    await until('refusing connections', () => ask(`${s.url}/api/health`), (v) => 'error' in v);
    expect(s.proc.exitCode).toBeNull();
    socket.write(body.slice(10));
    await ended;
    expect(answer, s.output()).toMatch(/^HTTP\/1\.1 401 /);
    expect(await s.exited).toBe(0);
  });
});
