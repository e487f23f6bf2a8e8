import fs from 'node:fs';
import path from 'node:path';
import type { Context } from 'hono';

// The staff app's files (dist/web, built by Vite). Hashed files under /assets never change, so they are cached for a
// year ("immutable"); the page shell (index.html) is revalidated on every visit. Each text file was compressed at build
// time (scripts/precompress.mjs): the copy the browser accepts is sent as it is — brotli first, then gzip, else the
// file itself — with Vary: Accept-Encoding so that caches keep the variants apart.

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};
const COMPRESSIBLE = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json', '.map', '.txt']);
/** A hashed file's name: no folders, no dot files (Vite writes /assets/<name>-<hash>.<ext>). */
const ASSET_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,200}$/;

export type Encoding = 'br' | 'gzip' | 'identity';

/**
 * The encoding to send, from an Accept-Encoding header (RFC 9110 §12.5.3: q-values, `*`, `identity;q=0`): brotli
 * when accepted, else gzip, else none. `available` are the compressed copies that exist.
 */
export function chooseEncoding(header: string | undefined, available: ReadonlySet<'br' | 'gzip'>): Encoding {
  if (!header) return 'identity';
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qParam ? Number(qParam.slice(2)) : 1;
    q.set(name, Number.isFinite(value) ? value : 0);
  }
  const accepted = (coding: string) => (q.get(coding) ?? q.get('*') ?? 0) > 0;
  if (available.has('br') && accepted('br')) return 'br';
  if (available.has('gzip') && (accepted('gzip') || accepted('x-gzip'))) return 'gzip';
  return 'identity';
}

function statFile(p: string): fs.Stats | null {
  try {
    const st = fs.statSync(p);
    return st.isFile() ? st : null;
  } catch {
    return null;
  }
}

/**
 * Answers with the file at `file` (and its .br/.gz copies) as the request accepts it; null when there is no such file.
 * `cacheControl` is sent as given.
 */
export async function sendFile(c: Context, file: string, cacheControl: string): Promise<Response | null> {
  const stat = statFile(file);
  if (!stat) return null;
  const ext = path.extname(file).toLowerCase();
  const headers = new Headers({ 'Content-Type': TYPES[ext] ?? 'application/octet-stream', 'Cache-Control': cacheControl, 'X-Content-Type-Options': 'nosniff' });
  let body = file;
  let size = stat.size;
  if (COMPRESSIBLE.has(ext)) {
    headers.set('Vary', 'Accept-Encoding');
    const copies = { br: statFile(`${file}.br`), gzip: statFile(`${file}.gz`) };
    const available = new Set((['br', 'gzip'] as const).filter((e) => copies[e]));
    const encoding = chooseEncoding(c.req.header('accept-encoding'), available);
    if (encoding !== 'identity') {
      headers.set('Content-Encoding', encoding);
      body = `${file}${encoding === 'br' ? '.br' : '.gz'}`;
      size = copies[encoding]!.size;
    }
  }
  headers.set('Content-Length', String(size));
  headers.set('Last-Modified', stat.mtime.toUTCString());
  if (c.req.method === 'HEAD') return new Response(null, { status: 200, headers });
  return new Response(await fs.promises.readFile(body), { status: 200, headers });
}

/** GET/HEAD /assets/<name>: a hashed file, cached for a year; 404 (not the page shell) when it does not exist. */
export async function serveAsset(c: Context, distDir: string): Promise<Response> {
  const name = c.req.path.replace(/^\/assets\//, '');
  const found = ASSET_NAME.test(name) && !name.includes('..') ? await sendFile(c, path.join(distDir, 'assets', name), 'public, max-age=31536000, immutable') : null;
  return found ?? c.text('Not found', 404, { 'Cache-Control': 'no-store' });
}

/** A file's modification time in ms, or 0 when there is no such file. */
export function fileMtimeMs(file: string): number {
  return statFile(file)?.mtimeMs ?? 0;
}
