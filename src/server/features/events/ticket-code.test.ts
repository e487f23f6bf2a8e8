import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateEventKeys, readTicketCode, signTicketCode, verifyTicketCode } from './ticket-code.ts';

describe('ticket codes (Ed25519, verifiable offline with the event’s public key)', () => {
  const keys = generateEventKeys();
  const other = generateEventKeys();
  const claim = { eventId: randomUUID(), ticketId: randomUUID(), version: 3 };
  const code = signTicketCode(keys.privateKey, claim);

  it('is compact base64url and verifies with the public key alone', () => {
    expect(code).toMatch(/^[A-Za-z0-9_-]{50}\.[A-Za-z0-9_-]{86}$/);
    expect(keys.publicKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(verifyTicketCode(keys.publicKey, code)).toEqual(claim);
  });

  it('refuses a code signed by another event’s key', () => {
    const foreign = signTicketCode(other.privateKey, claim);
    expect(verifyTicketCode(keys.publicKey, foreign)).toBeNull();
    expect(verifyTicketCode(other.publicKey, foreign)).toEqual(claim);
  });

  it('refuses an altered payload (another ticket, another version) with the original signature', () => {
    const [payload, signature] = code.split('.') as [string, string];
    const bytes = Buffer.from(payload, 'base64url');
    for (const at of [1, 20, 36]) {
      const altered = Buffer.from(bytes);
      altered[at] = altered[at]! ^ 1;
      const forged = `${altered.toString('base64url')}.${signature}`;
      expect(readTicketCode(forged)).not.toBeNull();
      expect(verifyTicketCode(keys.publicKey, forged)).toBeNull();
    }
  });

  it('refuses a forged signature, a truncated or padded code, and what is not a code at all', () => {
    const [payload, signature] = code.split('.') as [string, string];
    const flipped = Buffer.from(signature, 'base64url');
    flipped[10] = flipped[10]! ^ 0x80;
    for (const bad of [
      `${payload}.${flipped.toString('base64url')}`,
      `${payload}.${'A'.repeat(86)}`,
      `${payload}.${signature.slice(0, -2)}`,
      `${payload}=.${signature}`,
      `${payload}.${signature}.x`,
      payload,
      '',
      'not a code',
      `${Buffer.alloc(37).toString('base64url')}.${signature}`,
      'A'.repeat(500),
    ]) {
      expect(verifyTicketCode(keys.publicKey, bad), bad).toBeNull();
    }
  });
});
