import { createHash, createHmac } from 'node:crypto';

// A registration's ticket link (/e/{slug}/t/{token}): the token is derived from the install's secret and the
// registration's id, so that the link can be sent again (an email retried, a second registration with the same
// address); only its SHA-256 is stored, to find the registration by it.

/** The token of a registration's ticket link: derived from the install's secret, stored only as its hash. */
export function manageToken(secret: string, registrationId: string): string {
  return createHmac('sha256', secret).update(`event-registration:${registrationId}`).digest('base64url');
}
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
