import { gzipSync } from 'node:zlib';
import type { Context, TypedResponse } from 'hono';
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import { textArray } from '../../db/array-literal.ts';
import type { RequestContext } from '../../core/context.ts';
import { isUuid, notFound } from '../../core/errors.ts';
import { auditRestrictedReads } from '../../access/need-to-know.ts';
import type { Actor } from '../../access/roles.ts';
import { campaignAnswerKey, campaignReader } from '../../access/campaigns.ts';
import { chooseEncoding } from '../../http/static-assets.ts';
import { computeGrid, loadVisibleCampaign, type AuditedRead } from './campaigns.service.ts';
import { chartMonthOf, computeMovementChart } from './campaigns-insights.service.ts';
import type { Grid, MovementChart } from './campaigns.contract.ts';

// The grid, its movement since a day and the movement chart, kept serialised (docs/campaigns.md, item 3 "Answers kept"):
// an answer is not derived again while nothing it shows has changed. Its key is the campaign's token
// (read_model.campaign_version: every write that can change the answer replaces it, in the same statement), the
// reader's guarded-cell signature (access/campaigns.ts campaignAnswerKey: which restricted meetings cited and restricted
// people targeted the reader may see; an administrator sees all), the route and its parameters. The key is read from
// the database on EVERY request, in one query that also says whether the reader sees the campaign at all, so a kept
// answer is given only when the database would give the same one now, whichever server wrote last: the cache is per
// process, its validity is not. An answer derived while a write committed is not kept (the key is read again after it
// is derived and must be the same). Every answer given still audits its restricted reads (the campaign, the restricted
// people and meetings it shows), as when it was derived.

type KeyRow = { id: string; restricted: boolean; version: string | null; meetings: string; people: string[] };

/**
 * An answer kept: `bytes` is the body of type T serialised as c.json would send it, in UTF-8 (encoded once, not per
 * request), `gzip` those gzipped (made the first time a client accepting gzip asks).
 */
export type Answer<T = unknown> = { bytes: Uint8Array<ArrayBuffer>; audit: AuditedRead[]; gzip?: Uint8Array<ArrayBuffer>; body?: T };

const utf8 = (text: string) => {
  const b = Buffer.from(text, 'utf8');
  return new Uint8Array(b.buffer as ArrayBuffer, b.byteOffset, b.byteLength);
};

/** At most this many bytes of answers per process (their UTF-8; a gzipped copy adds about a sixth); the least recently given go first. */
const MAX_BYTES = 64 * 1024 * 1024;
const kept = new Map<string, Answer>();
let keptBytes = 0;

function keep(key: string, a: Answer) {
  const old = kept.get(key);
  if (old) keptBytes -= old.bytes.byteLength;
  kept.set(key, a);
  keptBytes += a.bytes.byteLength;
  for (const [k, v] of kept) {
    if (keptBytes <= MAX_BYTES) break;
    kept.delete(k);
    keptBytes -= v.bytes.byteLength;
  }
}

function find(key: string): Answer | undefined {
  const a = kept.get(key);
  if (a) {
    // most recently given last
    kept.delete(key);
    kept.set(key, a);
  }
  return a;
}

/** How many answers this process keeps (tests and benches). */
export const keptAnswers = () => ({ answers: kept.size, bytes: keptBytes });

async function readKey(db: Db, actor: Actor, id: string): Promise<KeyRow> {
  if (!isUuid(id)) throw notFound('campaign');
  const [k] = await rows<KeyRow>(db, campaignAnswerKey(actor, id));
  if (!k) throw notFound('campaign');
  return k;
}

const readerOf = (actor: Actor, k: KeyRow) => (actor.role === 'admin' ? 'admin' : `${k.meetings}/${k.people.join(',')}`);

/**
 * Per reader and route, the key of the last answer given and what it audits: the next request of that reader reads the
 * key and, if it is still that one, writes the audit rows in the same statement (one round trip, one commit).
 */
type Given = { key: string; k: KeyRow; audit: AuditedRead[] };
const MAX_GIVEN = 10_000;
const lastGiven = new Map<string, Given>();

function remember(slot: string, g: Given) {
  lastGiven.delete(slot);
  lastGiven.set(slot, g);
  if (lastGiven.size > MAX_GIVEN) lastGiven.delete(lastGiven.keys().next().value!);
}

/**
 * The key, and, when it is still `guess`'s, the audit of `guess`'s answer written in the same statement (the
 * campaign's row only while it is restricted, as auditRestrictedReads is called for it).
 */
async function readKeyAndAudit(db: Db, ctx: RequestContext, actor: Actor, id: string, guess: Given): Promise<KeyRow & { audited: boolean }> {
  if (!isUuid(id)) throw notFound('campaign');
  const types = ['campaign', ...guess.audit.map((r) => r.entityType)];
  const ids = [id, ...guess.audit.map((r) => r.entityId)];
  const [k] = await rows<KeyRow & { audited: boolean }>(
    db,
    sql`WITH k AS (${campaignAnswerKey(actor, id)}),
      same AS (SELECT k.* FROM k WHERE k.version = ${guess.k.version} AND k.meetings = ${guess.k.meetings} AND k.people = ${textArray(guess.k.people)}::text[]),
      a AS (INSERT INTO audit_entry (actor_id, actor_email, action, entity_type, entity_id, ip, user_agent, detail)
        SELECT ${actor.id}, ${actor.email}, 'record.read', x.t, x.i, ${ctx.ip}, ${ctx.userAgent.slice(0, 500)}, '{"restricted": true}'::jsonb
        FROM same, unnest(${textArray(types)}::text[], ${textArray(ids)}::text[]) x(t, i)
        WHERE x.t <> 'campaign' OR same.restricted
        RETURNING 1)
    SELECT k.*, EXISTS (SELECT 1 FROM same) AS audited, (SELECT count(*) FROM a) AS written FROM k`,
  );
  if (!k) throw notFound('campaign');
  return k;
}

async function answer<T>(db: Db, ctx: RequestContext, id: string, what: string, derive: (actor: Actor) => Promise<{ body: T; audit: AuditedRead[] }>): Promise<Answer<T>> {
  const actor = campaignReader(ctx);
  const slot = `${actor.id}|${id}|${what}`;
  const guess = lastGiven.get(slot);
  const k = guess ? await readKeyAndAudit(db, ctx, actor, id, guess) : { ...(await readKey(db, actor, id)), audited: false };
  const key = k.version ? `${k.id}|${what}|${k.version}|${readerOf(actor, k)}` : null;
  let a = (key ? find(key) : undefined) as Answer<T> | undefined;
  if (!a) {
    const made = await derive(actor);
    a = { bytes: utf8(JSON.stringify(made.body)), audit: made.audit };
    if (key) {
      const again = await readKey(db, actor, id).catch(() => null);
      if (again && again.version === k.version && readerOf(actor, again) === readerOf(actor, k)) keep(key, a);
    }
  }
  // the audit: written with the key when the key was the last one given this reader here (the same key, the same
  // answer, the same restricted records shown), else now
  if (!k.audited) await auditRestrictedReads(db, ctx, [...(k.restricted ? [{ entityType: 'campaign', entityId: k.id }] : []), ...a.audit]);
  if (key) remember(slot, { key, k: { id: k.id, restricted: k.restricted, version: k.version, meetings: k.meetings, people: k.people }, audit: a.audit });
  else lastGiven.delete(slot);
  return a;
}

/** GET /campaigns/{id}/grid?since= (campaigns.service.ts getGrid's answer). */
export function gridAnswer(db: Db, ctx: RequestContext, id: string, since?: string): Promise<Answer<Grid>> {
  return answer(db, ctx, id, `grid:${since ?? ''}`, async (actor) => {
    const c = await loadVisibleCampaign(db, actor, id);
    const { grid, audit } = await computeGrid(db, actor, c, since);
    return { body: grid, audit };
  });
}

/** GET /campaigns/{id}/movement?askId= (campaigns-insights.service.ts getMovementChart's answer); it ends this month in the reader's time zone. */
export function movementAnswer(db: Db, ctx: RequestContext, id: string, askId?: string): Promise<Answer<MovementChart>> {
  return answer(db, ctx, id, `movement:${askId ?? ''}:${ctx.actor ? chartMonthOf(ctx.actor) : ''}`, async (actor) => {
    const c = await loadVisibleCampaign(db, actor, id);
    const { chart, audit } = await computeMovementChart(db, actor, c, askId);
    return { body: chart, audit };
  });
}

const GZIP = new Set(['gzip'] as const);

/** Sends a kept answer as JSON, gzipped once (then kept too) for a client that accepts it. */
export function sendAnswer<T>(c: Context, a: Answer<T>): Response & TypedResponse<T, 200, 'json'> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Vary: 'Accept-Encoding' };
  if (a.bytes.byteLength >= 1024 && chooseEncoding(c.req.header('accept-encoding'), GZIP) === 'gzip') {
    if (!a.gzip) {
      const z = gzipSync(a.bytes);
      a.gzip = new Uint8Array(z.buffer as ArrayBuffer, z.byteOffset, z.byteLength);
    }
    return c.body(a.gzip, 200, { ...headers, 'Content-Encoding': 'gzip' }) as unknown as Response & TypedResponse<T, 200, 'json'>;
  }
  return c.body(a.bytes, 200, headers) as unknown as Response & TypedResponse<T, 200, 'json'>;
}

/** Forgets every answer kept (tests: what is given afterwards is derived afresh). */
export function forgetAnswers() {
  kept.clear();
  lastGiven.clear();
  keptBytes = 0;
}
