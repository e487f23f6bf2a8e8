import { newParticipantToken, sha256 } from '../dialogues/participation.token.ts';

// A respondent's anonymous identity: a random token in a cookie; only its SHA-256 is stored
// (study_response.token_hash). The cookie is scoped to one survey link: its pages (/s/{link}) and its JSON API
// (/api/survey/{link}); someone answering two studies holds two unrelated tokens.

export const RESPONDENT_COOKIE = 'convene_respondent';
const MAX_AGE = 60 * 60 * 24 * 30;

export const newRespondentToken = newParticipantToken;

export function respondentHash(token: string): string {
  return sha256(`respondent:${token}`);
}

/** The token from a Cookie header; anything malformed counts as no cookie. */
export function respondentTokenFrom(cookieHeader: string | undefined): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const i = part.indexOf('=');
    if (i < 0 || part.slice(0, i).trim() !== RESPONDENT_COOKIE) continue;
    const v = part.slice(i + 1).trim();
    if (/^[A-Za-z0-9_-]{20,100}$/.test(v)) return v;
  }
  return null;
}

export function respondentCookies(link: string, token: string, opts: { secure: boolean }): string[] {
  const attrs = `HttpOnly; SameSite=Lax; Max-Age=${MAX_AGE}${opts.secure ? '; Secure' : ''}`;
  return [`/s/${link}`, `/api/survey/${link}`].map((p) => `${RESPONDENT_COOKIE}=${token}; Path=${p}; ${attrs}`);
}
