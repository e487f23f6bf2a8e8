import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from './context.ts';
import { KiB, PUBLIC_LIMIT, apiBodyLimit, formatBytes } from './limits.ts';
import { ProblemSchema, validationHook } from './problem.ts';

/** Every feature's router: validation failures become problem+json naming the fields. */
export function newRouter() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook as never });
}

export function jsonBody<T extends z.ZodTypeAny>(schema: T, description?: string) {
  return { required: true, description, content: { 'application/json': { schema } } };
}

export function json<T extends z.ZodTypeAny>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

const problemDescriptions: Record<number, string> = {
  400: 'Invalid request: each bad field is named in errors',
  401: 'Not signed in',
  403: 'Not allowed (role, CSRF, or two-factor required)',
  404: 'No such record (or not one you may see)',
  409: 'Conflicts with the current state',
  413: 'The body is too large (request_too_large)',
  410: 'Gone',
  422: 'Well-formed but not acceptable',
  429: 'Rate limited; see Retry-After',
  503: 'An outside service (the AI provider) did not answer',
};

export function problems(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((s) => [s, { description: problemDescriptions[s] ?? 'Error', content: { 'application/problem+json': { schema: ProblemSchema } } }]),
  );
}

export const IdParamSchema = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' } }) });

type Operation = { requestBody?: unknown; responses?: Record<string, unknown>; description?: string; tags?: string[]; security?: unknown[] };
type Document = {
  paths?: Record<string, Record<string, Operation>>;
  components?: Record<string, Record<string, unknown>>;
  tags?: { name: string; description?: string }[];
};

/** What the document says of itself: the server it describes, its licence, how to sign in, how errors look. */
export function documentConfig(publicUrl: string, version: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Convene',
      version,
      description:
        'Sign in with POST /api/auth/sign-in/email; the session cookie authenticates later calls. Writes must send an Origin header of this server. Errors are RFC 9457 application/problem+json: `code` is stable, `type` (/problems/{code}) is a page explaining it, `instance` is the request\'s path. A method a path does not take answers 405 with Allow. Lists use cursor pagination (limit, cursor -> nextCursor).',
      license: { name: 'GNU Affero General Public License v3.0 or later', identifier: 'AGPL-3.0-or-later' },
    },
    servers: [{ url: publicUrl.replace(/\/+$/, ''), description: 'This Convene install (its PUBLIC_URL)' }],
    security: [{ session: [] }],
  };
}

/** Paths that stay reachable while an install requires two-factor and the caller's is off (see app.ts). */
const TWO_FACTOR_EXEMPT = /^\/api\/(me(\/|$)|auth\/|health$|setup$)/;

/** What each tag of operations covers (the reference's sections). */
export const TAG_DESCRIPTIONS: Record<string, string> = {
  Health: 'Whether the server and its database answer',
  'Sign-in and two-factor': 'Sessions (an httpOnly cookie) and TOTP two-factor with backup codes',
  Accounts: 'The first administrator, your own account and sessions, users, invitations and install settings',
  'Audit log': 'Who did what to which record, when and from where (administrators)',
  Jobs: 'Background jobs: what is queued, running and failed, with its error; retry or cancel (administrators)',
  Erasure: 'Erasing a person or an organisation on request, optionally confirmed by a second administrator',
  'Offices and staff': "The coalition's offices and which office each staff member works from",
  Organisations: 'Organisations with names in several scripts, membership status history and links between them',
  People: 'People with names, contacts, affiliations, pseudonyms and need-to-know grants',
  Topics: 'The topics meetings are tagged with',
  Meetings: 'Meetings with who was there, notes and need-to-know restriction',
  'Shared items': 'What members shared in meetings: concerns, updates, requests, opportunities',
  'Follow-ups': 'Tasks that come out of meetings, with owners and due dates',
  Insights: 'Search, timelines, member health, saved segments and the dashboard',
  Imports: 'CSV import (preview, then nothing written while a row is wrong; long files by a background job) and merging duplicates',
  Exports: 'Lists as CSV, with the same filters as the lists',
  Calendar: 'Private iCalendar feeds of your meetings, and one meeting as an .ics file',
  Trips: 'Trips: a week of meetings for travelling staff, planned under availability, travel time, checkpoints and access rules',
  Campaigns: 'Campaigns: asks, targets, each target’s stance on each ask over time with its evidence, and the grid',
  Dialogues: 'Collective dialogues: segments, sessions, questions, invite links, statements, moderation and translation',
  'Dialogue analysis': "A dialogue's analysis, poll results, summaries, Pol.is import and export, and its report",
  Studies: 'Message tests: populations, conditions, questions, survey links, imports, analysis and report',
  Events: 'Events: ticket types, co-hosts from Network, referral links, registration questions and totals',
  'Check-in': 'A paired door phone: its event and public key, the ticket list for offline checks, and its scans (a device token, not a session)',
  'Taking part': 'Dialogue participants and survey respondents: no account, a cookie of their own',
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** "/api/meetings/{id}" -> a path Hono would match, for the body-limit rules */
const samplePath = (template: string) => template.replace(/\{[^}]+\}/g, 'x');

/**
 * What every operation shares, added to the generated document: 400 (any path or query text may hold a NUL or a
 * lone surrogate), 413 with the route's body limit on every operation but a GET, 415 on every operation with a
 * body, and 431 (Node answers
 * it, without a body, when the request line and headers pass 16 KiB) once as a shared response for all.
 */
export function finishDocument<T extends object>(generated: T): T {
  const doc = structuredClone(generated) as T & Document;
  const problem = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
  doc.components ??= {};
  doc.components.responses = {
    ...doc.components.responses,
    RequestHeaderFieldsTooLarge: {
      description: `The request line and headers together are larger than ${formatBytes(16 * KiB)}: Node answers 431 before Convene sees the request (no body)`,
    },
    UnsupportedMediaType: { description: 'The body is not of a media type the operation accepts (unsupported_media_type; send Content-Type: application/json)', content: problem },
    InternalError: { description: 'Something went wrong on the server (internal_error); it is logged there', content: problem },
  };
  const tags = new Set<string>();
  for (const [path, ops] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = ops[method];
      if (!op) continue;
      const responses = (op.responses ??= {});
      responses['400'] ??= {
        description: 'Invalid request: a path or query parameter holds a NUL character or an unpaired surrogate (invalid_text)',
        content: problem,
      };
      // a body can come with any request but a GET (an operation that declares none gets the same limit)
      if (op.requestBody || method !== 'get') {
        const limit = apiBodyLimit(method.toUpperCase(), samplePath(path), true);
        const without = apiBodyLimit(method.toUpperCase(), samplePath(path), false);
        const anonymous = limit.bytes === without.bytes ? '' : ` (${formatBytes(without.bytes)} without a session)`;
        responses['413'] ??= {
          description: `The body is larger than this operation accepts: at most ${formatBytes(limit.bytes)}${anonymous} (request_too_large; refused before it is read)`,
          content: problem,
        };
      }
      if (op.requestBody) responses['415'] ??= { $ref: '#/components/responses/UnsupportedMediaType' };
      // refused before the operation runs: a write with a session cookie from another origin, or a signed-in
      // caller without two-factor where the install requires it
      const csrf = method !== 'get';
      const twoFactor = !TWO_FACTOR_EXEMPT.test(path);
      if (csrf || twoFactor) {
        const why = [
          csrf && 'a write carrying a session cookie without an Origin of this server (csrf_rejected)',
          twoFactor && 'signed in without two-factor where the install requires it (two_factor_required)',
        ].filter(Boolean);
        responses['403'] ??= { description: `Refused: ${why.join('; or ')}`, content: problem };
      }
      // two writers that took the same rows' locks in opposite orders: the database aborts one, nothing of it stays
      if (method !== 'get') {
        const tryAgain = 'try_again: a write to the same records at the same moment won; nothing was written, send it again (Retry-After)';
        const existing = responses['503'] as { description?: string } | undefined;
        if (!existing) responses['503'] = { description: tryAgain, content: problem };
        else if (existing.description && !existing.description.includes('try_again')) existing.description += `; or ${tryAgain}`;
      }
      responses['431'] ??= { $ref: '#/components/responses/RequestHeaderFieldsTooLarge' };
      responses['500'] ??= { $ref: '#/components/responses/InternalError' };
      for (const tag of op.tags ?? []) tags.add(tag);
    }
  }
  doc.tags = [...tags].map((name) => ({ name, description: TAG_DESCRIPTIONS[name] ?? name }));
  return doc;
}
