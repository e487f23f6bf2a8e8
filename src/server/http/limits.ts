// How large a request body may be, per route: small for JSON and for the public forms, larger only for the
// imports (and for recording a meeting with everything said in it). A body whose Content-Length says too much is
// refused before a byte of it is read; a body of unknown length (chunked) is read until it passes the limit, and
// no further. The answer is 413 problem+json `request_too_large`, naming the limit, with Connection: close.
import type { Context, MiddlewareHandler } from 'hono';
import { problemResponse } from './problem.ts';

export const KiB = 1024;
export const MiB = 1024 * KiB;

export type BodyLimit = { bytes: number; name: string };

/** Anyone not signed in (sign-in, invitations, the setup link, participants, respondents): every /api route. */
export const PUBLIC_LIMIT: BodyLimit = { bytes: 64 * KiB, name: 'public' };
/** The public pages' form posts (/p/…, /s/…): a statement of 1,000 characters is under 10 KB, percent-encoded. */
export const PUBLIC_FORM_LIMIT: BodyLimit = { bytes: 64 * KiB, name: 'public form' };
/** A signed-in user's JSON body, unless a rule below says otherwise. */
export const DEFAULT_LIMIT: BodyLimit = { bytes: 1 * MiB, name: 'default' };

/**
 * Routes with larger bodies, for signed-in users (first match wins). Sizes come from the contracts: a body the
 * contract accepts, written in any script (up to 3 bytes a character in UTF-8), fits.
 */
export const BODY_LIMIT_RULES: { method: string; path: RegExp; limit: BodyLimit; why: string; belowContract?: true; /** the limit holds without a session too */ anyone?: true }[] = [
  {
    method: 'POST',
    path: /^\/api\/auth\//,
    limit: PUBLIC_LIMIT,
    why: 'sign-in and two-factor bodies (an email, a password, a code) are re-sent to better-auth: signed in or not, they stay small',
  },
  {
    method: 'POST',
    path: /^\/api\/meetings$/,
    limit: { bytes: 8 * MiB, name: 'meeting' },
    why: 'a meeting with its notes (20,000 characters), 200 shared items of 10,000 characters and 100 follow-ups',
  },
  {
    method: 'POST',
    path: /^\/api\/studies$/,
    limit: { bytes: 8 * MiB, name: 'study' },
    belowContract: true,
    why: 'a whole message test at once: 30 messages and 12 populations in three languages of 4,000 characters, 50 questions with their prompts and scale labels (a study whose 50 questions each had 20 options with 4,000-character labels would not fit: add such questions one by one)',
  },
  {
    method: 'POST',
    path: /^\/api\/posts\/[^/]+\/photos$/,
    limit: { bytes: 21 * MiB, name: 'photo' },
    why: 'a photo of up to 20 MiB (MAX_PHOTO_BYTES in updates.contract.ts) with its alt texts and captions, as multipart/form-data',
  },
  {
    method: 'POST',
    path: /^\/api\/campaigns\/[^/]+\/documents\/upload$/,
    limit: { bytes: 21 * MiB, name: 'campaign document' },
    why: 'a reference document of up to 20 MiB (MAX_DOCUMENT_BYTES in campaigns.contract.ts) with its title, as multipart/form-data',
  },
  {
    method: 'POST',
    path: /^\/api\/imports\/(preview|commit)$/,
    limit: { bytes: 32 * MiB, name: 'CSV import' },
    why: 'a CSV file of up to 10 Mi characters in any script, sent as a JSON string',
  },
  {
    method: 'POST',
    path: /^\/api\/studies\/[^/]+\/imports(\/preview)?$/,
    limit: { bytes: 64 * MiB, name: 'response import' },
    belowContract: true,
    why: "a panel vendor's response CSV, sent as a JSON string (the contract allows 100 M characters: this limit is the binding one)",
  },
  {
    method: 'POST',
    path: /^\/api\/dialogues\/import\/polis$/,
    limit: { bytes: 64 * MiB, name: 'Pol.is import' },
    belowContract: true,
    why: "a Pol.is export's comments.csv, votes.csv and participants-votes.csv, sent as JSON strings (the contract's field maxima are larger: this limit is the binding one)",
  },
  {
    method: 'POST',
    path: /^\/api\/checkin\/scans$/,
    limit: { bytes: 640 * KiB, name: 'check-in scans' },
    belowContract: true,
    anyone: true,
    why: "a door phone's batch (a device token, no session): 1,000 scans of a nonce, a ticket code (about 140 characters), a date, a gate and a flag take about 260 KB; a batch of 10,000 is refused (the contract's field maxima are larger: this limit is the binding one)",
  },
];

/** The limit of a request to `path` (an /api path) by a signed-in user, or by anyone when `signedIn` is false. */
export function apiBodyLimit(method: string, path: string, signedIn: boolean): BodyLimit {
  const rule = BODY_LIMIT_RULES.find((r) => r.method === method && r.path.test(path));
  if (!signedIn) return rule?.anyone ? rule.limit : PUBLIC_LIMIT;
  return rule?.limit ?? DEFAULT_LIMIT;
}

/** "64 KiB", "8 MiB" */
export function formatBytes(n: number): string {
  if (n >= MiB && n % MiB === 0) return `${n / MiB} MiB`;
  if (n >= KiB && n % KiB === 0) return `${n / KiB} KiB`;
  return `${n} bytes`;
}

export function tooLargeDetail(limit: BodyLimit): string {
  return `The request body is larger than this route accepts: at most ${formatBytes(limit.bytes)} (${limit.bytes} bytes).`;
}

export function tooLarge(limit: BodyLimit): Response {
  return problemResponse(413, 'request_too_large', tooLargeDetail(limit), [{ field: 'body', detail: `At most ${formatBytes(limit.bytes)}` }], {
    // what was not read of the body is not waited for
    connection: 'close',
  });
}

/**
 * Enforces `limitOf(c)` on the request body before anything reads it. With a Content-Length (and no
 * Transfer-Encoding, which would override it): refused at once when it says too much, nothing read. Without:
 * read chunk by chunk, and the moment the total passes the limit the reading stops (the stream is cancelled)
 * and 413 answers; a body within the limit is kept in memory for the handlers (Hono's own bodyLimit does the
 * same, without cancelling the stream).
 */
export function bodyLimit(limitOf: (c: Context) => BodyLimit, tooLargeResponse: (c: Context, limit: BodyLimit) => Response = (_c, l) => tooLarge(l)): MiddlewareHandler {
  return async (c, next) => {
    const raw = c.req.raw;
    if (!raw.body) return next();
    const limit = limitOf(c);
    const length = raw.headers.get('content-length');
    if (length !== null && !raw.headers.has('transfer-encoding')) {
      // Node has checked that it is one decimal number and will deliver no more than it says
      return Number(length) > limit.bytes ? tooLargeResponse(c, limit) : next();
    }
    const reader = raw.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit.bytes) {
        await reader.cancel().catch(() => {});
        return tooLargeResponse(c, limit);
      }
      chunks.push(value);
    }
    const body = new Uint8Array(size);
    let at = 0;
    for (const ch of chunks) {
      body.set(ch, at);
      at += ch.byteLength;
    }
    const headers = new Headers(raw.headers);
    headers.delete('transfer-encoding');
    headers.set('content-length', String(size));
    c.req.raw = new Request(raw.url, { method: raw.method, headers, body, signal: raw.signal });
    await next();
  };
}
