import type { MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { problemResponse } from './problem.ts';

/** Nothing is loaded from anywhere but this server; no inline script. */
const csp = (scriptSrc: string) => [
  "default-src 'self'",
  `script-src ${scriptSrc}`,
  // Mantine sets CSS variables through style attributes
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
const CSP = csp("'self'");
// the door app decodes QR codes with a WebAssembly build of ZXing (served from here) where the browser has no
// BarcodeDetector: compiling WebAssembly needs 'wasm-unsafe-eval' (not 'unsafe-eval'), on /checkin alone
const CHECKIN_CSP = csp("'self' 'wasm-unsafe-eval'");
const isCheckin = (path: string) => path === '/checkin' || path.startsWith('/checkin/');

export function securityHeaders(opts: { https: boolean }): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    h.set('Content-Security-Policy', isCheckin(c.req.path) ? CHECKIN_CSP : CSP);
    h.set('X-Content-Type-Options', 'nosniff');
    h.set('X-Frame-Options', 'DENY');
    h.set('Referrer-Policy', 'no-referrer');
    h.set('Cross-Origin-Opener-Policy', 'same-origin');
    h.set('Cross-Origin-Resource-Policy', 'same-origin');
    // the door app (/checkin) reads QR codes with the camera; nothing else may use it
    h.set('Permissions-Policy', `camera=${isCheckin(c.req.path) ? '(self)' : '()'}, microphone=(), geolocation=(), interest-cohort=()`);
    if (opts.https) h.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    if (c.req.path.startsWith('/api/')) h.set('Cache-Control', 'no-store');
  };
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Cookie-authenticated writes must come from our own pages: the Origin header (or, failing that,
 * Sec-Fetch-Site) must say so. A request without cookies carries no ambient authority and passes.
 */
export function csrfProtection(allowedOrigins: string[]): MiddlewareHandler {
  const allowed = new Set(allowedOrigins);
  return async (c, next) => {
    if (UNSAFE.has(c.req.method) && c.req.header('cookie')) {
      const origin = c.req.header('origin');
      const site = c.req.header('sec-fetch-site');
      const ok = origin ? allowed.has(origin) : site === 'same-origin';
      if (!ok) {
        return problemResponse(403, 'csrf_rejected', 'This request did not come from a Convene page (Origin check failed).');
      }
    }
    await next();
  };
}

export function clientIp(c: Parameters<MiddlewareHandler>[0], trustProxy: boolean): string {
  if (trustProxy) {
    const fwd = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (fwd) return fwd;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // app.request() in tests has no socket
  }
}

export function tooManyRequests(retryAfter: number): Response {
  return problemResponse(429, 'rate_limited', 'Too many attempts. Wait a while and try again.', undefined, {
    'retry-after': String(retryAfter),
  });
}
