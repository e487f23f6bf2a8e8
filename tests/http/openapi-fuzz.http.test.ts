import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/server/db/client.ts';
import { apiBodyLimit } from '../../src/server/http/limits.ts';
import { badText, decodeLikeRouter } from '../../src/server/http/text.ts';
import type { Role } from '../../src/server/access/roles.ts';
import { buildDialogue, buildParticipant } from '../setup/dialogue-factories.ts';
import { buildFollowUp, buildMeeting, buildOrganisation, buildOrganisationLink, buildPerson, buildTopic } from '../setup/network-factories.ts';
import { fillPath, HOSTILE_STRINGS, mutate, pathParams, RequestArbitraries, SPOILERS, type IdPool, type OpenApiDocument, type Operation, type Schema } from '../setup/openapi-fuzz.ts';
import { buildResponses, buildStudy } from '../setup/study-factories.ts';
import { createTestApp, PASSWORD, type TestClient } from '../setup/test-app.ts';

// The API fuzzed from its own OpenAPI document. For every operation and every role (anonymous, viewer, staff,
// admin), requests are generated from the operation's schemas: valid-looking values, and hostile ones (NUL bytes,
// lone surrogates, very long strings, wrong types, extra fields, empty bodies, bodies that are not JSON, bodies over
// the limit, bad query parameters, unknown and malformed ids). What must hold for every answer:
//   - no 5xx, ever;
//   - the status is one the document declares for the operation (the shared 413/415/431 included);
//   - every error answer is application/problem+json with its status and a code;
//   - a request holding a NUL or a lone surrogate anywhere is never a success.
// Fixed seed, bounded runs; the figures are printed (cases, statuses per operation).

const SEED = 20_260_611;
/** generated cases per operation and role, on top of the fixed ones (over-the-limit bodies, NUL in every path parameter);
 * FUZZ_RUNS=30 for a longer hunt, FUZZ_SHOW=500 to print more findings */
const RUNS = Number(process.env.FUZZ_RUNS ?? 6);

// every request comes from its own address (TRUST_PROXY + X-Forwarded-For), so the per-address limits spread out;
// per-participant and per-respondent limits spread over pools of them
const t = await createTestApp({ config: { trustProxy: true } });
const doc = (await (await t.app.request('/api/openapi.json')).json()) as OpenApiDocument;

const ROLES: ('anonymous' | Role)[] = ['anonymous', 'viewer', 'staff', 'admin'];
type Finding = { op: string; role: string; status: number; why: string; request: string; answer: string };
const findings: Finding[] = [];
const statusesByOp = new Map<string, Map<number, number>>();
let cases = 0;
let ip = 0;

type Req = { method: string; path: string; query: [string, string][]; body?: { type?: string; text?: string; stream?: 'over-limit'; length?: number } };

/** percent-encodes text, including what encodeURIComponent refuses (a lone surrogate becomes its WTF-8 bytes) */
function enc(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) out += [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    else out += encodeURIComponent(ch);
  }
  return out;
}

function describeReq(r: Req): string {
  const q = r.query.map(([k, v]) => `${k}=${JSON.stringify(v).slice(1, -1)}`).join('&');
  const body = r.body ? ` [${r.body.type ?? 'no type'}] ${r.body.stream ? `(${r.body.stream}, ${r.body.length} bytes)` : JSON.stringify(r.body.text ?? '').slice(0, 300)}` : '';
  return `${r.method} ${r.path}${q ? `?${q}` : ''}${body}`;
}

/** Whether the server gets to see a NUL or a lone surrogate: in a URL only a NUL can arrive (a lone surrogate is sent as
 * malformed UTF-8, which stays percent-encoded), in a JSON body both can. */
function holdsBadText(r: Req): boolean {
  const seen = (s: string) => decodeLikeRouter(s.replace(/\+/g, ' '));
  if (r.path.split('/').some((seg) => badText(seen(seg)))) return true;
  if (r.query.some(([k, v]) => badText(seen(enc(k))) || badText(seen(enc(v))))) return true;
  if (r.body?.text && /application\/json/.test(r.body.type ?? '')) {
    try {
      return containsBad(JSON.parse(r.body.text));
    } catch {
      return false;
    }
  }
  return false;
}

function containsBad(v: unknown): boolean {
  if (typeof v === 'string') return !!badText(v);
  if (Array.isArray(v)) return v.some(containsBad);
  if (v && typeof v === 'object') return Object.entries(v).some(([k, x]) => !!badText(k) || containsBad(x));
  return false;
}

/** whether the body of the request under way was read (by anything) */
let pulled = false;

async function send(client: TestClient, r: Req, extraCookies: string): Promise<Response> {
  const url = `${r.path}${r.query.length ? `?${r.query.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&')}` : ''}`;
  const headers = new Headers({ 'x-forwarded-for': `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip & 255}` });
  ip++;
  let body: BodyInit | undefined;
  let duplex: 'half' | undefined;
  if (r.body) {
    if (r.body.type) headers.set('content-type', r.body.type);
    if (r.body.stream === 'over-limit') {
      // Content-Length says too much; the stream counts whether anything was read (nothing may be)
      headers.set('content-length', String(r.body.length));
      let left = r.body.length!;
      body = new ReadableStream(
        {
          pull: (c) => {
            pulled = true;
            const n = Math.min(left, 64 * 1024);
            left -= n;
            if (n) c.enqueue(new Uint8Array(n).fill(32));
            else c.close();
          },
        },
        { highWaterMark: 0 },
      );
      duplex = 'half';
    } else body = r.body.text;
  }
  const saved = new Map(client.cookies);
  if (extraCookies) for (const kv of extraCookies.split('; ')) client.cookies.set(kv.split('=')[0]!, kv.split('=').slice(1).join('='));
  try {
    return await client.request(url, { method: r.method, headers, body, ...(duplex ? { duplex } : {}) } as RequestInit);
  } finally {
    // participants' and respondents' cookies are lent per request; the session cookie stays
    for (const k of [...client.cookies.keys()]) if (k.startsWith('convene_')) client.cookies.delete(k);
    for (const [k, v] of saved) if (!k.startsWith('convene_')) client.cookies.set(k, v);
  }
}
async function check(opKey: string, op: Operation, role: string, r: Req, res: Response) {
  cases++;
  const text = await res.text();
  const by = statusesByOp.get(opKey) ?? new Map<number, number>();
  by.set(res.status, (by.get(res.status) ?? 0) + 1);
  statusesByOp.set(opKey, by);
  const note = (why: string) => findings.push({ op: opKey, role, status: res.status, why, request: describeReq(r).slice(0, 500), answer: text.slice(0, 300) });
  if (res.status >= 500) note('5xx');
  if (!(String(res.status) in op.responses)) note('status not declared for the operation');
  if (res.status >= 400) {
    const type = res.headers.get('content-type') ?? '';
    if (!type.startsWith('application/problem+json')) note(`error answer is ${type || 'untyped'}, not problem+json`);
    else {
      try {
        const p = JSON.parse(text) as { status?: number; code?: string };
        if (p.status !== res.status || typeof p.code !== 'string') note('problem without its status or code');
      } catch {
        note('problem+json that is not JSON');
      }
    }
  }
  if (res.status < 400 && holdsBadText(r)) note('a request holding a NUL or a lone surrogate succeeded');
  if (r.body?.stream === 'over-limit') {
    if (res.status !== 413) note('a body over the limit was not refused with 413');
    if (pulled) note('a body whose Content-Length was over the limit was read');
  }
}

// ---------- the world the requests land in ----------

type World = { ids: IdPool; participants: string[]; respondents: Map<string, string[]> };

async function seed(janitor: TestClient, users: string[]): Promise<World> {
  const db = t.db;
  const orgs = [await buildOrganisation(db, { names: ['ארגון לדוגמה', 'منظمة'] }), await buildOrganisation(db, { kind: 'partner' })];
  const people = [
    await buildPerson(db, { contacts: [{ kind: 'email', value: `p${Date.now()}@example.org` }], affiliations: [{ organisationId: orgs[0]!.id }] }),
    await buildPerson(db, { restricted: true, identityRestricted: true, grantedTo: [users[0]!] }),
  ];
  const topics = [await buildTopic(db), await buildTopic(db)];
  const link = await buildOrganisationLink(db, { fromId: orgs[0]!.id, toId: orgs[1]!.id });
  const meetings = [
    await buildMeeting(db, {
      organisations: [orgs[0]!.id, orgs[1]!.id],
      people: [people[0]!.id],
      staffIds: users.slice(1, 2),
      topicIds: [topics[0]!.id],
      notes: 'Notes',
      sharedItems: [{ organisationId: orgs[0]!.id, body: 'A concern' }],
      followUps: [{ ownerId: users[1]!, title: 'Call back' }],
    }),
    await buildMeeting(db, { restricted: true, organisations: [orgs[1]!.id], grantedTo: [users[0]!], sharedItems: [{ organisationId: orgs[1]!.id, restricted: true }] }),
  ];
  await buildFollowUp(db, { ownerId: users[0]!, title: 'On its own' });
  const d = await buildDialogue(db, {
    segments: [
      { key: 'a', name: { en: 'A', he: 'א', ar: 'أ' } },
      { key: 'b', name: { en: 'B', he: 'ב', ar: 'ب' } },
    ],
    sessions: [
      {
        key: 'open',
        questions: [
          { key: 'q', kind: 'open', seeds: ['We all want safety', 'אנחנו רוצים שקט', 'نريد السلام'] },
          { key: 'poll', kind: 'poll', pollMode: 'multiple', options: [{ en: 'One' }, { en: 'Two' }] },
        ],
      },
    ],
    invites: [{ key: 'any' }, { key: 'a', segment: 'a' }],
    pairwise: true,
    resultsVisible: true,
  });
  const participants: string[] = [];
  for (let i = 0; i < 12; i++) participants.push((await buildParticipant(db, { dialogueId: d.id, segmentId: d.segments[i % 2 ? 'a' : 'b'] })).token);
  const s = await buildStudy(db, { status: 'open', invites: [{ key: 'il', population: 'israelis' }, { key: 'ps', population: 'palestinians' }] });
  await buildResponses(db, s, [
    { population: 'israelis', arm: 'control', answers: { support: 4, attention: { choice: 'blue' } } },
    { population: 'israelis', arm: 'message-1', answers: { support: 6, attention: { choice: 'blue' } } },
    { population: 'palestinians', arm: 'control', answers: { support: 3, attention: { choice: 'red' } } },
  ]);
  // respondents who consented, by survey link: their cookies
  const respondents = new Map<string, string[]>();
  for (const link of Object.values(s.invites)) {
    const list: string[] = [];
    for (let i = 0; i < 6; i++) {
      const c = t.client({ 'x-forwarded-for': `10.250.${list.length}.${respondents.size}` });
      const res = await c.post(`/api/survey/${link}/start`, { language: 'en' });
      expect(res.status, await res.clone().text()).toBeLessThan(300);
      list.push(c.cookies.get('convene_respondent')!);
    }
    respondents.set(link, list);
  }
  // records made through the API: an invitation, an office, a saved segment, a calendar feed, a summary
  const made = async (path: string, body: unknown) => {
    const res = await janitor.post(path, body);
    expect(res.status, `${path}: ${await res.clone().text()}`).toBeLessThan(300);
    return (await res.json()) as Record<string, unknown>;
  };
  const invitation = await made('/api/invitations', { email: `invited${Date.now()}${Math.random().toString(36).slice(2, 6)}@example.org`, name: 'Invited', role: 'viewer' });
  const office = await made('/api/offices', { name: `Office ${Math.random().toString(36).slice(2, 8)}`, city: 'Jerusalem', timeZone: 'Asia/Jerusalem' });
  const savedSegment = await made('/api/segments', { name: `Segment ${Math.random().toString(36).slice(2, 8)}`, list: 'organisations', filter: {} });
  const feedRes = await janitor.post('/api/calendar/feeds', {});
  const feed = feedRes.status === 201 ? ((await feedRes.json()) as Record<string, unknown>) : {};
  await janitor.post(`/api/dialogue-questions/${d.questions.q}/summaries`, { language: 'en' });

  const ids = async (table: string, where = sql``) => (await rows<{ id: string }>(db, sql`SELECT id::text AS id FROM ${sql.raw(table)} ${where} ORDER BY created_at DESC NULLS LAST LIMIT 3`)).map((r) => r.id);
  const idsNoTime = async (table: string) => (await rows<{ id: string }>(db, sql`SELECT id::text AS id FROM ${sql.raw(table)} LIMIT 3`)).map((r) => r.id);
  return {
    participants,
    respondents,
    ids: {
      user: users,
      invitation: [(invitation.invitation as { id: string }).id],
      office: [String(office.id)],
      segment: [String(savedSegment.id)],
      calendarFeed: feed.id ? [String(feed.id)] : [],
      feedFile: feed.url ? [String(feed.url).split('/').pop()!] : [],
      organisation: orgs.map((o) => o.id),
      organisationName: orgs.flatMap((o) => o.names.map((n: { id: string }) => n.id)),
      organisationLink: [link.id],
      person: people.map((p) => p.id),
      personName: people.flatMap((p) => p.names.map((n: { id: string }) => n.id)),
      personContact: people.flatMap((p) => p.contacts.map((n: { id: string }) => n.id)),
      affiliation: people.flatMap((p) => p.affiliations.map((n: { id: string }) => n.id)),
      topic: topics.map((x) => x.id),
      meeting: meetings.map((m) => m.id),
      sharedItem: await ids('shared_item'),
      followUp: await ids('follow_up'),
      dialogue: [d.id],
      dialogueSegment: Object.values(d.segments),
      dialogueSession: Object.values(d.sessions),
      dialogueQuestion: Object.values(d.questions),
      pollQuestion: [d.questions.poll!],
      dialogueInvite: await idsNoTime(`dialogue_invite WHERE dialogue_id = '${d.id}'`),
      dialogueStatement: Object.values(d.seeds).flat(),
      dialogueSummary: await idsNoTime(`dialogue_summary WHERE question_id = '${d.questions.q}'`),
      inviteToken: Object.values(d.invites),
      study: [s.id],
      studyPopulation: Object.values(s.populations),
      studyArm: Object.values(s.arms),
      studyQuestion: Object.values(s.questions),
      studyInvite: Object.values(s.inviteIds),
      surveyToken: Object.values(s.invites),
    },
  };
}

/** Which kind of id a path parameter takes, from the segment before it. */
function kindOf(template: string, name: string, after: string): string | undefined {
  if (name === 'nameId') return template.includes('/organisations/') ? 'organisationName' : 'personName';
  if (name === 'userId') return 'user';
  const byAfter: Record<string, string> = {
    users: 'user',
    invitations: 'invitation',
    offices: 'office',
    organisations: 'organisation',
    'organisation-links': 'organisationLink',
    people: 'person',
    contacts: 'personContact',
    affiliations: 'affiliation',
    topics: 'topic',
    meetings: 'meeting',
    'shared-items': 'sharedItem',
    'follow-ups': 'followUp',
    segments: 'segment',
    feeds: 'calendarFeed',
    feed: 'feedFile',
    dialogues: 'dialogue',
    'dialogue-segments': 'dialogueSegment',
    'dialogue-sessions': 'dialogueSession',
    'dialogue-questions': 'dialogueQuestion',
    'dialogue-invites': 'dialogueInvite',
    'dialogue-statements': 'dialogueStatement',
    'dialogue-summaries': 'dialogueSummary',
    studies: 'study',
    'study-populations': 'studyPopulation',
    'study-arms': 'studyArm',
    'study-questions': 'studyQuestion',
    'study-invites': 'studyInvite',
    participate: 'inviteToken',
    polls: 'pollQuestion',
    survey: 'surveyToken',
  };
  return byAfter[after];
}

// ---------- generating the requests of one operation ----------

type Generated = { params: Record<string, string>; query: [string, string][]; body?: Req['body'] };

function requestsFor(template: string, method: string, op: Operation, world: World, seedOffset: number): Generated[] {
  const arbs = new RequestArbitraries(doc, world.ids);
  const params = pathParams(template);
  const declared = new Map((op.parameters ?? []).filter((p) => p.in === 'path').map((p) => [p.name, p.schema]));
  const allIds = Object.values(world.ids).flat();
  const knownOf = (name: string, after: string) => {
    const kind = kindOf(template, name, after);
    return (kind && world.ids[kind]?.filter(Boolean)) || [];
  };
  // path parameters: the id of the right kind (the parameter's own valid values when there is none)
  const goodParams = fc.record(
    Object.fromEntries(
      params.map(({ name, after }) => {
        const known = knownOf(name, after);
        return [name, known.length ? fc.constantFrom(...known) : (arbs.valid(declared.get(name) ?? { type: 'string' }, name) as fc.Arbitrary<string>)];
      }),
    ),
  ) as fc.Arbitrary<Record<string, string>>;
  // …or one of them unknown, of another kind, malformed or hostile
  const badParams = params.length
    ? fc.tuple(goodParams, fc.nat(params.length - 1), fc.oneof(fc.uuid(), fc.constantFrom(...allIds), fc.constantFrom(...HOSTILE_STRINGS.filter((x) => x !== '')))).map(([good, i, v]) => ({ ...good, [params[i]!.name]: v }))
    : goodParams;

  const queryParams = (op.parameters ?? []).filter((p) => p.in === 'query');
  const toQuery = (values: unknown[]): [string, string][] =>
    values.flatMap((v, i) => (v === null || v === undefined ? [] : [[queryParams[i]!.name, typeof v === 'string' ? v : JSON.stringify(v)] as [string, string]]));
  // declared parameters, each present or not, valid-looking (no cursor: a made-up one is only ever a 400)
  const goodQuery = fc.tuple(...queryParams.map((p) => (p.name === 'cursor' ? fc.constant(null) : fc.option(arbs.valid(p.schema, p.name), { freq: 2 })))).map(toQuery);
  // …with one of them hostile, or an undeclared one
  const badQuery = fc
    .tuple(
      goodQuery,
      fc.oneof(
        ...(queryParams.length ? [fc.tuple(fc.constantFrom(...queryParams.map((p) => p.name)), fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.constantFrom('eyJhIjoxfQ', 'WyJcdTAwMDAiLCJ4Il0', 'WzEsMl0', '-1', '0', '1e9', 'true', '2024-13-45')))] : []),
        fc.tuple(fc.constantFrom('extra', 'q', 'limit', 'cursor', '\u0000', 'x\uD800'), fc.constantFrom(...HOSTILE_STRINGS)),
      ),
    )
    .map(([q, [k, v]]) => [...q.filter(([name]) => name !== k), [k, v]] as [string, string][]);

  const json = op.requestBody?.content['application/json']?.schema as Schema | undefined;
  // an operation that declares no body gets none, or now and then one it must ignore or refuse
  const noBody: fc.Arbitrary<Req['body'] | undefined> =
    method === 'GET'
      ? fc.constant(undefined)
      : fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom<Req['body']>({ type: 'application/json', text: '{"x":"\\u0000"}' }, { type: 'application/json', text: '{"a":1}' }, { type: 'text/plain', text: 'hello' }) });
  const goodBody: fc.Arbitrary<Req['body'] | undefined> = json ? arbs.valid(json).map((v) => ({ type: 'application/json', text: JSON.stringify(v) })) : noBody;
  const badBody: fc.Arbitrary<Req['body'] | undefined> = json
    ? fc.oneof(
        { weight: 3, arbitrary: arbs.hostile(json).map((v) => ({ type: 'application/json', text: JSON.stringify(v) ?? '' })) },
        {
          weight: 1,
          arbitrary: fc.constantFrom<Req['body']>(
            { type: 'application/json', text: '' },
            { type: 'application/json', text: '{}' },
            { type: 'application/json', text: 'null' },
            { type: 'application/json', text: '[]' },
            { type: 'application/json', text: 'not json' },
            { type: 'application/json', text: '{"title": "\\ud800", "name": "\\udfff"}' },
            { type: 'application/json', text: '{"a":' },
            { type: 'application/json', text: '"\\u0000"' },
            { type: 'application/json', text: '['.repeat(5000) + ']'.repeat(5000) },
            { type: 'application/json; charset=utf-8', text: '{"\\u0000": 1}' },
            { type: 'text/plain', text: '{}' },
            { type: 'application/x-www-form-urlencoded', text: 'a=%00&b=%ED%A0%80' },
            { type: undefined, text: '{}' },
            undefined,
          ),
        },
      )
    : fc.constant(undefined);

  const kinds = [
    // valid-looking: these reach the services
    { weight: 5, arbitrary: fc.record({ params: goodParams, query: goodQuery, body: goodBody }) },
    { weight: json ? 4 : 0, arbitrary: fc.record({ params: goodParams, query: goodQuery, body: badBody }) },
    { weight: 2, arbitrary: fc.record({ params: goodParams, query: badQuery, body: goodBody }) },
    { weight: params.length ? 2 : 0, arbitrary: fc.record({ params: badParams, query: goodQuery, body: goodBody }) },
  ].filter((k) => k.weight > 0);
  return fc.sample(fc.oneof(...kinds), { seed: SEED + seedOffset, numRuns: RUNS }) as Generated[];
}

/** The fixed cases of an operation: NUL in each path parameter, a body over the route's limit. */
function fixedFor(template: string, method: string, op: Operation, world: World, role: string, seedOffset: number): Generated[] {
  const signedIn = role !== 'anonymous';
  const out: Generated[] = [];
  const params = pathParams(template);
  const good = Object.fromEntries(params.map(({ name, after }) => [name, world.ids[kindOf(template, name, after) ?? '']?.[0] ?? '00000000-0000-4000-8000-000000000000']));
  for (const { name } of params) out.push({ params: { ...good, [name]: `${good[name]}\u0000` }, query: [] });
  // the empty object, and a valid-looking body with a NUL in one string and a lone surrogate in another
  const json = op.requestBody?.content['application/json']?.schema as Schema | undefined;
  if (json) {
    out.push({ params: good, query: [], body: { type: 'application/json', text: '{}' } });
    const [value] = fc.sample(new RequestArbitraries(doc, world.ids).valid(json), { seed: SEED + seedOffset, numRuns: 1 });
    for (const [i, spoil] of [SPOILERS[0]!, SPOILERS[3]!].entries()) {
      out.push({ params: good, query: [], body: { type: 'application/json', text: JSON.stringify(mutate(value, i, { kind: 'spoil', v: spoil })) } });
    }
  }
  // a body can come with any request but a GET, declared or not
  if (method !== 'GET') {
    const limit = apiBodyLimit(method, fillPath(template, good), signedIn).bytes;
    out.push({ params: good, query: [], body: { type: 'application/json', stream: 'over-limit', length: limit + 1 } });
    // a body of unknown length just over the limit, really sent (over the 1 MiB one by one role only: it costs)
    if (limit <= 64 * 1024 || (limit <= 1024 * 1024 && role === 'staff')) out.push({ params: good, query: [], body: { type: 'application/json', text: JSON.stringify({ pad: 'x'.repeat(limit) }) } });
  }
  return out;
}

// ---------- the run ----------

const clients = new Map<string, TestClient>();
const emails = new Map<string, string>();
let janitor: TestClient;

async function signIn(role: Role): Promise<TestClient> {
  const c = await t.signedIn(role);
  emails.set(role, c.user.email);
  return c;
}

/** A fuzzed request may sign its own client out (sign-out, a session ended): sign in again, as a new user if need be. */
async function ensureSignedIn(role: Role) {
  const c = clients.get(role)!;
  if ((await c.get('/api/me')).status === 200) return;
  const res = await c.post('/api/auth/sign-in/email', { email: emails.get(role), password: PASSWORD });
  if (res.status === 200 && !(await res.json()).twoFactorRedirect && (await c.get('/api/me')).status === 200) return;
  clients.set(role, await signIn(role));
}

beforeAll(async () => {
  janitor = await t.signedIn('admin');
  clients.set('anonymous', t.client());
  for (const role of ['viewer', 'staff', 'admin'] as Role[]) clients.set(role, await signIn(role));
});

const operations = Object.entries(doc.paths)
  .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method: method.toUpperCase(), op })))
  // reads first, then writes, deletes last: the records the others need stay there as long as possible
  .sort((a, b) => ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].indexOf(a.method) - ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].indexOf(b.method));

const started = Date.now();

describe('the API, fuzzed from its OpenAPI document', () => {
  for (const [r, role] of ROLES.entries()) {
    it(`answers every operation for ${role === 'anonymous' ? 'anonymous callers' : `a signed-in ${role}`} with a declared status, never a 5xx`, { timeout: 180_000 }, async () => {
      const users = ['viewer', 'staff', 'admin'].map((x) => (clients.get(x) as TestClient & { user: { id: string } }).user.id);
      const world = await seed(janitor, users);
      let recheck = true;
      for (const [i, { path, method, op }] of operations.entries()) {
        const opKey = `${method} ${path}`;
        const generated = [...fixedFor(path, method, op, world, role, r * 1000 + i), ...requestsFor(path, method, op, world, r * 1000 + i)];
        for (const [n, g] of generated.entries()) {
          if (role !== 'anonymous' && recheck) await ensureSignedIn(role);
          // an admin turning two-factor on for everyone would lock every later request out (403): kept off
          let body = g.body;
          if (opKey === 'PATCH /api/settings' && body?.text?.includes('"requireTwoFactor":true')) body = { ...body, text: body.text.replace('"requireTwoFactor":true', '"requireTwoFactor":false') };
          const req: Req = { method, path: path.replace(/\{([^}]+)\}/g, (_, name: string) => enc(g.params[name] ?? '')), query: g.query, body };
          const participant = world.participants[(n + i) % world.participants.length]!;
          const link = Object.keys(g.params).includes('token') ? g.params.token! : '';
          const respondent = world.respondents.get(link)?.[(n + i) % 6];
          const cookies = [`convene_participant=${participant}`, respondent ? `convene_respondent=${respondent}` : ''].filter(Boolean).join('; ');
          pulled = false;
          const res = await send(clients.get(role)!, req, path.startsWith('/api/participate') || path.startsWith('/api/survey') ? cookies : '');
          // what may have ended the session: a 401, signing out, ending sessions, changing users
          recheck = res.status === 401 || /^\/api\/(auth|me|users)\//.test(path);
          await check(opKey, op, role, req, res);
        }
      }
      expect(findings.filter((f) => f.role === role)).toEqual([]);
    });
  }
});

describe('the public pages, fuzzed with hostile text', () => {
  it('answer every form post and page with hostile text without a 5xx, and refuse NUL and lone surrogates with a 400 page', async () => {
    const users = ['viewer', 'staff', 'admin'].map((x) => (clients.get(x) as TestClient & { user: { id: string } }).user.id);
    const world = await seed(janitor, users);
    const invite = world.ids.inviteToken![0]!;
    const link = world.ids.surveyToken![0]!;
    const statement = world.ids.dialogueStatement![0]!;
    const question = world.ids.dialogueQuestion![0]!;
    const poll = world.ids.pollQuestion![0]!;
    const forms: { path: string; fields: string[] }[] = [
      { path: `/p/${invite}/join`, fields: ['language', 'segmentId'] },
      { path: `/p/${invite}/resume`, fields: ['language', 'code'] },
      { path: `/p/${invite}/language`, fields: ['language'] },
      { path: `/p/${invite}/vote`, fields: ['statementId', 'value'] },
      { path: `/p/${invite}/statement`, fields: ['questionId', 'body'] },
      { path: `/p/${invite}/poll/${poll}`, fields: ['choices', 'scale'] },
      { path: `/p/${invite}/pairwise`, fields: ['questionId', 'winnerId', 'loserId'] },
      { path: `/s/${link}/start`, fields: ['language'] },
      { path: `/s/${link}/answers`, fields: ['step', 'a_support', 'a_attention'] },
      { path: `/s/${link}/language`, fields: ['language', 'back'] },
    ];
    const plain = { language: 'he', segmentId: world.ids.dialogueSegment![0]!, code: 'ABCD-EFGH', statementId: statement, value: '1', questionId: question, body: 'שלום', choices: 'o1', scale: '3', winnerId: statement, loserId: world.ids.dialogueStatement![1]!, step: 'outcomes', a_support: '5', a_attention: 'blue', back: 'questions' } as Record<string, string>;
    const valueArb = fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) }, { weight: 1, arbitrary: fc.string({ maxLength: 30 }) });
    const c = t.client();
    let n = 0;
    for (const [i, f] of forms.entries()) {
      const samples = fc.sample(fc.tuple(fc.constantFrom(...f.fields), valueArb, fc.boolean()), { seed: SEED + 7000 + i, numRuns: Math.max(RUNS, 8) });
      // the plain form first (it reaches the service), then the hostile ones
      for (const [field, value, inPath] of [[f.fields[0]!, plain[f.fields[0]!] ?? 'x', false] as const, ...samples]) {
        const asPath = inPath && value !== '';
        const fields = { ...Object.fromEntries(f.fields.map((k) => [k, plain[k] ?? 'x'])), [field]: value };
        const body = Object.entries(fields).map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
        const participant = world.participants[n % world.participants.length]!;
        c.cookies.set('convene_participant', participant);
        const respondent = world.respondents.get(link)?.[n % 6];
        if (respondent) c.cookies.set('convene_respondent', respondent);
        // hostile text in the address instead, now and then
        const path = asPath ? f.path.replace(/\/([^/]+)$/, `/${enc(value)}`) : f.path;
        const res = await c.request(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `10.200.${n >> 8}.${n & 255}` }, body });
        const text = await res.text();
        cases++;
        n++;
        const key = `POST ${f.path.replace(invite, '{token}').replace(link, '{token}').replace(poll, '{questionId}')} (page)`;
        const by = statusesByOp.get(key) ?? new Map<number, number>();
        by.set(res.status, (by.get(res.status) ?? 0) + 1);
        statusesByOp.set(key, by);
        // what the server gets to see: a lone surrogate cannot be sent in a URL or a form (it arrives as U+FFFD or
        // stays percent-encoded); a NUL can
        const bad = asPath ? badText(decodeLikeRouter(enc(value))) !== null : badText(new URLSearchParams(`v=${enc(value)}`).get('v')!) !== null;
        const req = `POST ${path} ${JSON.stringify(body).slice(0, 200)}`;
        if (res.status >= 500) findings.push({ op: key, role: 'participant', status: res.status, why: '5xx', request: req, answer: text.slice(0, 300) });
        else if (bad && res.status !== 400 && res.status !== 404) findings.push({ op: key, role: 'participant', status: res.status, why: 'hostile text was not refused with a 400 page', request: req, answer: text.slice(0, 200) });
        else if (bad && res.status === 400 && !(res.headers.get('content-type') ?? '').startsWith('text/html')) findings.push({ op: key, role: 'participant', status: res.status, why: 'the 400 is not a page', request: req, answer: text.slice(0, 200) });
      }
    }
    // the pages themselves, with hostile text in the address and the query
    for (const [i, value] of HOSTILE_STRINGS.filter((x) => x !== '').entries()) {
      for (const path of [`/p/${enc(value)}`, `/p/${invite}?lang=${enc(value)}&s=${enc(value)}`, `/p/${invite}/results?lang=${enc(value)}`, `/s/${enc(value)}`, `/s/${link}?lang=${enc(value)}`, `/s/${link}/questions?x=${enc(value)}`]) {
        const res = await c.request(path, { headers: { 'x-forwarded-for': `10.201.0.${i}` } });
        cases++;
        if (res.status >= 500) findings.push({ op: 'GET (page)', role: 'participant', status: res.status, why: '5xx', request: path, answer: (await res.text()).slice(0, 300) });
      }
    }
    expect(findings.filter((f) => f.op.endsWith('(page)'))).toEqual([]);
  });
});

afterAll(() => {
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const lines = [...statusesByOp.entries()].map(([op, by]) => `  ${op}: ${[...by.entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(' ')}`);
  const fivexx = findings.filter((f) => f.status >= 500).length;
  console.log(
    [
      `OpenAPI fuzz: ${cases} requests over ${operations.length} operations × ${ROLES.length} roles (+ public pages), seed ${SEED}, ${RUNS} generated per operation and role, ${seconds} s`,
      `  5xx: ${fivexx}; findings: ${findings.length}`,
      ...findings.slice(0, Number(process.env.FUZZ_SHOW ?? 60)).map((f) => `  ! ${f.why} — ${f.role} ${f.op} → ${f.status}: ${f.request} => ${f.answer}`),
      'statuses per operation:',
      ...lines,
    ].join('\n'),
  );
});
