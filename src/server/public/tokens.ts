import { createHash, randomBytes } from 'node:crypto';

// Anonymous identities on the public pages (a dialogue participant, a survey respondent, and whatever public page
// comes next): a random token in an HttpOnly cookie scoped to one link, of which only a SHA-256 is stored.

export function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** 32 random bytes, base64url: the token a cookie carries. */
export function newAnonymousToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A cookie's value from a Cookie header (the last one wins if a browser sends several); a malformed escape is none. */
export function cookieValue(cookieHeader: string | undefined, name: string): string | null {
  if (!cookieHeader) return null;
  let found: string | null = null;
  for (const part of cookieHeader.split(';')) {
    const i = part.indexOf('=');
    if (i >= 0 && part.slice(0, i).trim() === name) found = safeDecode(part.slice(i + 1).trim());
  }
  return found;
}

/** The anonymous token in cookie `name`; anything that does not look like one counts as no cookie. */
export function tokenFromCookie(cookieHeader: string | undefined, name: string): string | null {
  const v = cookieValue(cookieHeader, name);
  return v && /^[A-Za-z0-9_-]{20,100}$/.test(v) ? v : null;
}

/**
 * Set-Cookie values holding `token` for each of `paths` (a link's pages and its JSON API: a browser sends a
 * Path=/p cookie nowhere under /api, so the same token is set for both).
 */
export function scopedCookies(name: string, token: string, paths: string[], maxAgeSeconds: number, opts: { secure: boolean }): string[] {
  const attrs = `HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${opts.secure ? '; Secure' : ''}`;
  return paths.map((p) => `${name}=${token}; Path=${p}; ${attrs}`);
}

/** A malformed escape in a cookie (%E0) is no token, not a server error. */
function safeDecode(v: string): string | null {
  try {
    return decodeURIComponent(v);
  } catch {
    return null;
  }
}
