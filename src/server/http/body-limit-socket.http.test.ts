import net from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MiB, PUBLIC_LIMIT } from './limits.ts';
import { createTestApp, ORIGIN, PASSWORD } from '../../../tests/setup/test-app.ts';

// The body limits over a real socket (app.request() does not stream): the app served by @hono/node-server on a
// free port, spoken to in raw HTTP/1.1 so that the test decides what is sent, when, and sees what the server does.

const t = await createTestApp();
let server: ServerType;
let port = 0;

beforeAll(async () => {
  await new Promise<void>((resolve) => {
    server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      port = info.port;
      resolve();
    });
  });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

type Exchange = { head: string; body: string; sent: number; closedByServer: boolean };

/**
 * Sends `head` and then body chunks from `chunks()` (each written once the socket has room), until the server
 * answers or closes; returns the answer and how many body bytes went out.
 */
function exchange(head: string, chunks: () => Iterator<Buffer>): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    let sent = 0;
    let done = false;
    let closedByServer = false;
    const finish = () => {
      if (done) return;
      done = true;
      const [h, ...rest] = answer.split('\r\n\r\n');
      resolve({ head: h ?? '', body: rest.join('\r\n\r\n'), sent, closedByServer });
      socket.destroy();
    };
    socket.on('data', (d) => {
      answer += d.toString('utf8');
      // the whole answer is in once its announced length is
      const m = answer.match(/content-length: (\d+)/i);
      const i = answer.indexOf('\r\n\r\n');
      if (m && i >= 0 && Buffer.byteLength(answer.slice(i + 4)) >= Number(m[1])) {
        // wait a moment longer for the server to close, when it does (Connection: close)
        socket.once('end', () => ((closedByServer = true), finish()));
        setTimeout(finish, 2000).unref();
      }
    });
    socket.on('end', () => {
      closedByServer = true;
      finish();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // the server closed while we were still writing
      if (err.code === 'EPIPE' || err.code === 'ECONNRESET') {
        closedByServer = true;
        if (answer) finish();
        return;
      }
      if (!done) reject(err);
    });
    socket.on('close', finish);
    socket.write(head);
    const it = chunks();
    const pump = () => {
      while (!done && !socket.destroyed) {
        const next = it.next();
        if (next.done) return;
        sent += next.value.length;
        if (!socket.write(next.value)) {
          socket.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
}

describe('body limits over a real socket', () => {
  it('answers 413 to a huge Content-Length at once and closes, without waiting for the body', async () => {
    const huge = 700 * MiB;
    const head = `POST /api/auth/sign-in/email HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${ORIGIN}\r\nContent-Type: application/json\r\nContent-Length: ${huge}\r\n\r\n`;
    // the first 64 KiB of the 700 MiB are sent; nothing more is, unless the server asked for it
    const r = await exchange(head, function* () {
      yield Buffer.alloc(64 * 1024, 0x20);
    });
    expect(r.head).toMatch(/^HTTP\/1\.1 413/);
    expect(r.head).toMatch(/content-type: application\/problem\+json/i);
    expect(r.head).toMatch(/connection: close/i);
    expect(JSON.parse(r.body)).toMatchObject({ status: 413, code: 'request_too_large' });
    expect(r.closedByServer).toBe(true);
    expect(r.sent).toBeLessThan(huge);
  });

  it('stops reading a chunked body the moment it passes the limit: 413, and the connection is closed', async () => {
    const head = `POST /api/auth/sign-in/email HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${ORIGIN}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const offered = 256 * MiB;
    const chunk = 64 * 1024;
    const frame = Buffer.concat([Buffer.from(`${chunk.toString(16)}\r\n`), Buffer.alloc(chunk, 0x20), Buffer.from('\r\n')]);
    const r = await exchange(head, function* () {
      for (let n = 0; n < offered; n += chunk) yield frame;
      yield Buffer.from('0\r\n\r\n');
    });
    expect(r.head).toMatch(/^HTTP\/1\.1 413/);
    expect(JSON.parse(r.body)).toMatchObject({ code: 'request_too_large', detail: expect.stringContaining('64 KiB') });
    expect(r.closedByServer).toBe(true);
    // what went out before the server stopped reading is what the socket buffers held, far from all of it
    expect(r.sent).toBeGreaterThan(PUBLIC_LIMIT.bytes);
    expect(r.sent).toBeLessThan(offered / 4);
  });

  it('answers request headers over 16 KiB with 431, as the document says for every operation', async () => {
    const head = `GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Padding: ${'x'.repeat(20 * 1024)}\r\n\r\n`;
    const r = await exchange(head, function* () {});
    expect(r.head).toMatch(/^HTTP\/1\.1 431/);
    const doc = (await (await t.app.request('/api/openapi.json')).json()) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    expect(doc.paths['/api/health']!.get!.responses['431']).toEqual({ $ref: '#/components/responses/RequestHeaderFieldsTooLarge' });
  });

  it('takes a chunked body within the limit whole', async () => {
    const u = await t.signedIn('viewer');
    const json = Buffer.from(JSON.stringify({ email: u.user.email, password: PASSWORD }));
    const head = `POST /api/auth/sign-in/email HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${ORIGIN}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`;
    const r = await exchange(head, function* () {
      for (const part of [json.subarray(0, 7), json.subarray(7)]) yield Buffer.concat([Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n')]);
      yield Buffer.from('0\r\n\r\n');
    });
    expect(r.head).toMatch(/^HTTP\/1\.1 200/);
    expect(JSON.parse(r.body).user.email).toBe(u.user.email);
  });
});
