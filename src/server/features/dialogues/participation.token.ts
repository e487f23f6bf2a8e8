import { randomInt } from 'node:crypto';
import { newAnonymousToken, scopedCookies, sha256, tokenFromCookie } from '../../public/tokens.ts';

// A participant's anonymous identity: a random cookie token and a short resume code. Only SHA-256 hashes of
// both are stored (dialogue_participant.token_hash / resume_hash); the token lives in the participant's cookie,
// the code is shown to them once.

export const PARTICIPANT_COOKIE = 'convene_participant';
/** The resume code just made, shown once on the next page and then cleared. */
export const CODE_FLASH_COOKIE = 'convene_code';

export const newParticipantToken = newAnonymousToken;

// Crockford base32: no I, L, O, U, so a code read aloud or copied by hand is hard to get wrong
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 8 characters (40 bits), shown as K7QM-2XPA. */
export function newResumeCode(): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += CROCKFORD[randomInt(32)];
  return `${s.slice(0, 4)}-${s.slice(4)}`;
}

/** What people type back: any case, with or without the dash or spaces; I/L read as 1 and O as 0. */
export function normalizeResumeCode(input: string): string | null {
  const s = input
    .toUpperCase()
    .replace(/[\s\-_.]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
  if (s.length !== 8 || [...s].some((ch) => !CROCKFORD.includes(ch))) return null;
  return s;
}

export function resumeCodeHash(code: string): string | null {
  const n = normalizeResumeCode(code);
  return n ? sha256(`resume:${n}`) : null;
}

export function tokenHash(token: string): string {
  return sha256(`participant:${token}`);
}

/** The participant token from a Cookie header (the last one wins if a browser sends several). */
export function participantTokenFrom(cookieHeader: string | undefined): string | null {
  return tokenFromCookie(cookieHeader, PARTICIPANT_COOKIE);
}

/**
 * The cookie is scoped to one invite link: its pages (/p/{invite}) and its API (/api/participate/{invite}).
 * A browser sends a Path=/p cookie nowhere under /api, so the same token is set for both paths; someone taking
 * part in two dialogues holds two independent identities.
 */
export function participantCookies(inviteToken: string, token: string, opts: { secure: boolean }): string[] {
  return scopedCookies(PARTICIPANT_COOKIE, token, [`/p/${inviteToken}`, `/api/participate/${inviteToken}`], 60 * 60 * 24 * 180, opts);
}

export function codeFlashCookie(inviteToken: string, code: string | null, opts: { secure: boolean }): string {
  return scopedCookies(CODE_FLASH_COOKIE, code ?? '', [`/p/${inviteToken}`], code ? 600 : 0, opts)[0]!;
}
