import { newAnonymousToken, scopedCookies, sha256, tokenFromCookie } from '../../public/tokens.ts';

// A respondent's anonymous identity: a random token in a cookie; only its SHA-256 is stored
// (study_response.token_hash). The cookie is scoped to one survey link: its pages (/s/{link}) and its JSON API
// (/api/survey/{link}); someone answering two studies holds two unrelated tokens.

export const RESPONDENT_COOKIE = 'convene_respondent';
const MAX_AGE = 60 * 60 * 24 * 30;

export const newRespondentToken = newAnonymousToken;

export function respondentHash(token: string): string {
  return sha256(`respondent:${token}`);
}

/** The token from a Cookie header; anything malformed counts as no cookie. */
export function respondentTokenFrom(cookieHeader: string | undefined): string | null {
  return tokenFromCookie(cookieHeader, RESPONDENT_COOKIE);
}

export function respondentCookies(link: string, token: string, opts: { secure: boolean }): string[] {
  return scopedCookies(RESPONDENT_COOKIE, token, [`/s/${link}`, `/api/survey/${link}`], MAX_AGE, opts);
}
