import { describe, expect, it } from 'vitest';
import { apiBodyLimit, BODY_LIMIT_RULES, DEFAULT_LIMIT, MiB, PUBLIC_LIMIT } from '../../src/server/http/limits.ts';
import { buildDialogue, buildParticipant } from '../setup/dialogue-factories.ts';
import { buildFollowUp, buildMeeting, buildOrganisation, buildTopic } from '../setup/network-factories.ts';
import { buildStudy } from '../setup/study-factories.ts';
import { createTestApp, ORIGIN, problem, type TestClient } from '../setup/test-app.ts';

// What the outside attacker of "Need-to-know under attack" found, item by item: bodies without a size limit,
// HTTP 500 on text PostgreSQL refuses (NUL, lone surrogates), an empty PATCH, a short Pol.is row, and the
// contract's defects (patterns with a JavaScript flag, an unsatisfiable allOf, undocumented 409/413/431).

const t = await createTestApp();
const staff = await t.signedIn('staff');
const anonymous = t.client();

type Doc = {
  paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, { $ref?: string; description?: string; content?: Record<string, unknown> }> }>>;
  components: { schemas: Record<string, Record<string, unknown>>; responses?: Record<string, { description: string; content?: unknown }> };
};
const doc = (await (await t.app.request('/api/openapi.json')).json()) as Doc;

/** A body that records whether anything pulled a byte of it; it pulls nothing until asked. */
function watchedBody(bytes: number) {
  const seen = { pulled: 0 };
  let left = bytes;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(c) {
        const n = Math.min(left, 16 * 1024);
        left -= n;
        seen.pulled += n;
        if (n) c.enqueue(new Uint8Array(n).fill(0x20));
        else c.close();
      },
    },
    { highWaterMark: 0 },
  );
  return { body, seen };
}

async function send(client: TestClient, path: string, init: RequestInit) {
  return client.request(path, { duplex: 'half', ...init } as RequestInit);
}

describe('body limits', () => {
  it('refuses a body whose Content-Length is over the limit with 413 problem+json before reading any of it', async () => {
    const { body, seen } = watchedBody(700 * MiB);
    const res = await send(anonymous, '/api/auth/sign-in/email', { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(700 * MiB) }, body });
    const p = await problem(res, 413);
    expect(p.code).toBe('request_too_large');
    expect(p.detail).toContain('64 KiB');
    expect(p.errors).toEqual([{ field: 'body', detail: 'At most 64 KiB' }]);
    expect(res.headers.get('connection')).toBe('close');
    expect(seen.pulled).toBe(0);
  });

  it('stops reading a body of unknown length the moment it passes the limit', async () => {
    const { body, seen } = watchedBody(50 * MiB);
    const res = await send(anonymous, '/api/auth/sign-in/email', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect((await problem(res, 413)).detail).toContain('64 KiB');
    // read up to the limit and one chunk past it, not the 50 MiB offered
    expect(seen.pulled).toBeGreaterThan(PUBLIC_LIMIT.bytes);
    expect(seen.pulled).toBeLessThanOrEqual(PUBLIC_LIMIT.bytes + 16 * 1024);
  });

  it('passes a body of unknown length within the limit on to the route, whole', async () => {
    const text = JSON.stringify({ key: 'streamed-topic', nameEn: 'Streamed', nameHe: 'זרם', nameAr: 'تدفق' });
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        const bytes = new TextEncoder().encode(text);
        c.enqueue(bytes.slice(0, 10));
        c.enqueue(bytes.slice(10));
        c.close();
      },
    });
    const res = await send(staff, '/api/topics', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status, await res.clone().text()).toBe(201);
    expect(await res.json()).toMatchObject({ key: 'streamed-topic', nameHe: 'זרם' });
  });

  it('gives anyone not signed in the small limit on every route, signed-in users the route’s own', async () => {
    const meeting = { pad: 'x'.repeat(100 * 1024) };
    // anonymous: 64 KiB everywhere, before the 401
    expect((await problem(await anonymous.post('/api/meetings', meeting), 413)).detail).toContain('64 KiB');
    // signed in: a JSON body of 1.5 MB is over the default 1 MiB…
    expect((await problem(await staff.post('/api/topics', { key: 'x', pad: 'x'.repeat(1_500_000) }), 413)).detail).toContain('1 MiB');
    // …and within the CSV import's 32 MiB (it is read and answered on its own terms)
    const csv = `name,city\n${Array.from({ length: 60_000 }, (_, i) => `Organisation ${i},Haifa`).join('\n')}\n`;
    expect(csv.length).toBeGreaterThan(DEFAULT_LIMIT.bytes);
    const res = await staff.post('/api/imports/preview', { list: 'organisations', csv });
    expect(res.status, (await res.clone().text()).slice(0, 300)).toBe(200);
  });

  it('lets the largest meeting the contract allows through: notes of 20,000 characters and 200 shared items of 10,000', async () => {
    const org = await buildOrganisation(t.db);
    const hebrew = (n: number) => 'שלום עולם '.repeat(Math.ceil(n / 10)).slice(0, n);
    const body = {
      kind: 'group',
      title: 'The longest meeting',
      startsAt: '2024-07-09T08:30:00Z',
      endsAt: '2024-07-09T10:30:00Z',
      timeZone: 'Asia/Jerusalem',
      notes: hebrew(20_000),
      organisations: [{ organisationId: org.id }],
      sharedItems: Array.from({ length: 200 }, () => ({ organisationId: org.id, kind: 'concern', body: hebrew(10_000) })),
    };
    const bytes = Buffer.byteLength(JSON.stringify(body));
    expect(bytes).toBeGreaterThan(DEFAULT_LIMIT.bytes);
    const res = await staff.post('/api/meetings', body);
    expect(res.status, (await res.clone().text()).slice(0, 300)).toBe(201);
    expect((await res.json()).sharedItems).toHaveLength(200);
  }, 60_000);

  it('gives the public pages’ form posts a small limit', async () => {
    const d = await buildDialogue(t.db, { sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open' }] }], invites: [{ key: 'any' }] });
    const res = await anonymous.request(`/p/${d.invites.any}/statement`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `questionId=${d.questions.q}&body=${'x'.repeat(70 * 1024)}`,
    });
    expect((await problem(res, 413)).detail).toContain('64 KiB');
    const survey = await anonymous.request(`/s/abcdefghijkl/start`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `language=${'x'.repeat(70 * 1024)}` });
    await problem(survey, 413);
  });

  it('fits every body the contracts accept, written in any script, within its route’s limit (the imports and a whole study excepted, whose limit is the binding one)', () => {
    type S = Record<string, unknown>;
    const resolve = (x: S): S => {
      let s = x;
      while (typeof s.$ref === 'string') s = doc.components.schemas[(s.$ref as string).split('/').pop()!]!;
      return s;
    };
    /** the largest JSON text of the declared fields, 3 bytes a character; free-form entries (records) count nothing */
    const largest = (x: S, depth = 0): number => {
      const s = resolve(x);
      if (depth > 12) return 0;
      if (Array.isArray(s.allOf)) return (s.allOf as S[]).reduce((n, p) => n + largest(p, depth + 1), 0);
      if (Array.isArray(s.anyOf)) return Math.max(...(s.anyOf as S[]).map((p) => largest(p, depth + 1)));
      if (Array.isArray(s.enum)) return Math.max(...s.enum.map((e) => JSON.stringify(e).length));
      const type = Array.isArray(s.type) ? (s.type as string[]).find((x) => x !== 'null') : (s.type as string | undefined);
      if (type === 'string') return 2 + 3 * ((s.maxLength as number | undefined) ?? (s.format === 'date-time' ? 40 : 100));
      if (type === 'integer') return 1 + Math.max(String(s.maximum ?? 1e15).length, String(s.minimum ?? 0).length);
      if (type === 'number') return 24;
      if (type === 'boolean' || type === 'null') return 5;
      if (type === 'array') return 2 + ((s.maxItems as number | undefined) ?? 1) * (1 + largest(s.items as S, depth + 1));
      const props = (s.properties ?? {}) as Record<string, S>;
      return 2 + Object.entries(props).reduce((n, [k, v]) => n + k.length + 4 + largest(v, depth + 1), 0);
    };
    let checked = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const schema = (op.requestBody as { content?: Record<string, { schema: S }> } | undefined)?.content?.['application/json']?.schema;
        if (!schema) continue;
        const sample = path.replace(/\{[^}]+\}/g, 'x');
        if (BODY_LIMIT_RULES.some((r) => r.belowContract && r.method === method.toUpperCase() && r.path.test(sample))) continue;
        expect(largest(schema), `${method} ${path}`).toBeLessThanOrEqual(apiBodyLimit(method.toUpperCase(), sample, true).bytes);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(70);
    // the meeting's is the one that needs more than the default
    expect(largest((doc.paths['/api/meetings']!.post!.requestBody as { content: Record<string, { schema: S }> }).content['application/json']!.schema)).toBeGreaterThan(DEFAULT_LIMIT.bytes);
  });

  it('documents 413 with its limit on every operation but a GET, 415 on every operation with a body, and 431 once for all', async () => {
    expect(doc.components.responses?.RequestHeaderFieldsTooLarge?.description).toContain('16 KiB');
    let withBody = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        expect(op.responses['431'], `${method} ${path}`).toEqual({ $ref: '#/components/responses/RequestHeaderFieldsTooLarge' });
        expect(op.responses['400'], `${method} ${path}`).toBeDefined();
        if (method !== 'get') expect(op.responses['413'], `${method} ${path}`).toBeDefined();
        if (!op.requestBody) continue;
        withBody++;
        const limit = apiBodyLimit(method.toUpperCase(), path.replace(/\{[^}]+\}/g, 'x'), true);
        expect(op.responses['413']?.description, `${method} ${path}`).toContain(`at most ${limit.bytes / MiB >= 1 ? `${limit.bytes / MiB} MiB` : `${limit.bytes / 1024} KiB`}`);
        expect(op.responses['415'], `${method} ${path}`).toEqual({ $ref: '#/components/responses/UnsupportedMediaType' });
      }
    }
    expect(withBody).toBeGreaterThan(70);
    // each larger limit applies to a route that exists
    for (const rule of BODY_LIMIT_RULES) {
      expect(Object.entries(doc.paths).some(([p, ops]) => rule.method.toLowerCase() in ops && rule.path.test(p.replace(/\{[^}]+\}/g, 'x'))), String(rule.path)).toBe(true);
    }
  });
});

describe('text no service may see: NUL and lone surrogates', () => {
  it('refuses a NUL in any JSON field with a 400 naming the field', async () => {
    const p = await problem(await staff.post('/api/topics', { key: 'nul-topic', nameEn: 'a\u0000b', nameHe: 'א', nameAr: 'ب' }), 400);
    expect(p.code).toBe('invalid_text');
    expect(p.errors).toEqual([{ field: 'body.nameEn', detail: expect.stringContaining('NUL') }]);
  });

  it('refuses a lone surrogate sent as a JSON escape, deep in the body too', async () => {
    const org = await buildOrganisation(t.db);
    const raw = `{"kind":"group","title":"T","startsAt":"2024-07-09T08:30:00Z","endsAt":"2024-07-09T09:30:00Z","timeZone":"UTC","organisations":[],"sharedItems":[{"organisationId":"${org.id}","kind":"concern","body":"broken \\ud800 text"}]}`;
    const res = await staff.request('/api/meetings', { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw });
    const p = await problem(res, 400);
    expect(p.errors).toEqual([{ field: 'body.sharedItems.0.body', detail: expect.stringContaining('surrogate') }]);
  });

  it('refuses a bad field name in a free-form object, and accepts well-formed surrogate pairs', async () => {
    const p = await problem(await staff.post('/api/segments', { name: 'S', list: 'organisations', filter: { 'area\u0000': 'x' } }), 400);
    expect(p.errors![0]!.field).toBe('body.filter.area\uFFFD');
    const res = await staff.post('/api/topics', { key: 'emoji-topic', nameEn: 'Peace 🕊️', nameHe: 'שלום 🕊️', nameAr: 'سلام 🕊️' });
    expect(res.status).toBe(201);
  });

  it('refuses it from an anonymous participant too (the statement never reaches the database)', async () => {
    const d = await buildDialogue(t.db, { sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open' }] }], invites: [{ key: 'any' }] });
    const p = await buildParticipant(t.db, { dialogueId: d.id });
    const c = t.client();
    c.cookies.set('convene_participant', p.token);
    const res = await c.post(`/api/participate/${d.invites.any}/statements`, { questionId: d.questions.q, body: 'we want\u0000peace' });
    expect((await problem(res, 400)).errors).toEqual([{ field: 'body.body', detail: expect.stringContaining('NUL') }]);
  });

  it('refuses it in a query parameter, naming it', async () => {
    const p = await problem(await staff.get('/api/meetings?q=a%00b'), 400);
    expect(p.errors).toEqual([{ field: 'query.q', detail: expect.stringContaining('NUL') }]);
    // a forged cursor carrying a NUL in its text
    const cursor = Buffer.from(JSON.stringify(['\u0000', 'x'])).toString('base64url');
    expect((await problem(await staff.get(`/api/organisations?cursor=${cursor}`), 400)).errors).toEqual([{ field: 'query.cursor', detail: 'Invalid cursor' }]);
  });

  it('refuses it in a path parameter, naming it, even beside malformed escapes', async () => {
    for (const id of ['%00', 'abc%00def', 'a%00b%FF']) {
      const p = await problem(await staff.get(`/api/meetings/${id}`), 400);
      expect(p.errors).toEqual([{ field: 'param.id', detail: expect.stringContaining('NUL') }]);
    }
    const inv = await problem(await anonymous.get('/api/participate/abcd%00efgh/next'), 400);
    expect(inv.errors).toEqual([{ field: 'param.inviteToken', detail: expect.stringContaining('NUL') }]);
    const grant = await problem(await staff.delete(`/api/people/${crypto.randomUUID()}/grants/u%00`), 400);
    expect(grant.errors).toEqual([{ field: 'param.userId', detail: expect.stringContaining('NUL') }]);
  });

  it('answers the public pages’ form posts and addresses holding a NUL with a 400 page in the reader’s language', async () => {
    const d = await buildDialogue(t.db, { sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open' }] }], invites: [{ key: 'any' }] });
    const p = await buildParticipant(t.db, { dialogueId: d.id });
    const c = t.client();
    c.cookies.set('convene_participant', p.token);
    const form = (path: string, body: string) => c.request(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    for (const res of [
      await form(`/p/${d.invites.any}/statement?lang=he`, `questionId=${d.questions.q}&body=${encodeURIComponent('שלום\u0000')}`),
      await form(`/p/${d.invites.any}/join?lang=he`, 'language=he%00'),
      await c.get(`/p/${d.invites.any}%00?lang=he`),
    ]) {
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('text/html');
      const html = await res.text();
      expect(html).toContain('dir="rtl"');
    }
    const s = await buildStudy(t.db, { status: 'open', invites: [{ key: 'il', population: 'israelis' }] });
    for (const res of [await form(`/s/${s.invites.il}/start`, 'language=%00'), await c.get(`/s/${s.invites.il}%00`)]) {
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('text/html');
    }
  });
});

describe('the specific crashes', () => {
  it('answers an empty PATCH of a follow-up (or a topic) with a 400 naming the body, and leaves the follow-up as it was', async () => {
    const f = await buildFollowUp(t.db, { ownerId: staff.user.id, title: 'Call back' });
    for (const init of [{}, { body: '{}', headers: { 'content-type': 'application/json' } }] as RequestInit[]) {
      const res = await staff.request(`/api/follow-ups/${f.id}`, { method: 'PATCH', ...init });
      expect((await problem(res, 400)).errors).toEqual([{ field: 'body', detail: expect.stringContaining('at least one field') }]);
    }
    const list = await (await staff.get('/api/follow-ups?mine=true')).json();
    expect(list.items.find((x: { id: string }) => x.id === f.id)).toMatchObject({ title: 'Call back', status: 'open' });
    // the same for a topic (found by the fuzz test)
    const topic = await buildTopic(t.db);
    expect((await problem(await staff.patch(`/api/topics/${topic.id}`, {}), 400)).errors).toEqual([{ field: 'body', detail: expect.stringContaining('at least one field') }]);
  });

  it('answers a Pol.is row shorter than its header with a 422 naming the file and the line', async () => {
    const admin = await t.signedIn('admin');
    const comments = 'timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n1,x,0,0,0,0,1,Hello\n';
    const votes = 'timestamp,datetime,comment-id,voter-id,vote\n1,x,0,5,1\n';
    const cases = [
      { body: { participantsVotes: 'participant,group-id,n-comments,n-votes,n-agree,n-disagree,0\n5,0,0,1,1,0,1\n6,1\n' }, field: 'body.participantsVotes', text: 'participants-votes.csv: line 3 has 2 cells' },
      { body: { votes: 'timestamp,datetime,comment-id,voter-id,vote\n1,x,0\n' }, field: 'body.votes', text: 'votes.csv: line 2 has 3 cells' },
      { body: { comments: 'timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n1,x\n' }, field: 'body.comments', text: 'comments.csv: line 2 has 2 cells' },
    ];
    for (const c of cases) {
      const p = await problem(await admin.post('/api/dialogues/import/polis', { title: 'Imported', comments, votes, ...c.body }), 422);
      expect(p.code).toBe('polis_format');
      expect(p.errors).toEqual([{ field: c.field, detail: expect.stringContaining(c.text) }]);
    }
    // trailing comment cells left out are no votes, as before
    const ok = await admin.post('/api/dialogues/import/polis', { title: 'Imported', comments, votes, participantsVotes: 'participant,group-id,n-comments,n-votes,n-agree,n-disagree,0\n5,0,0,1,1,0,1\n6,,0,0,0,0\n' });
    expect(ok.status, await ok.clone().text()).toBe(201);
  });
});

describe('the contract', () => {
  it('has no pattern that ends in a JavaScript flag: every pattern is a plain regular expression', () => {
    const patterns: string[] = [];
    JSON.stringify(doc, (k, v: unknown) => {
      if (k === 'pattern' && typeof v === 'string') patterns.push(v);
      return v;
    });
    expect(patterns.length).toBeGreaterThan(40);
    for (const p of patterns) {
      expect(p, p).not.toMatch(/\/[dgimsuvy]+$/);
      expect(() => new RegExp(p, 'u')).not.toThrow();
    }
    // the ids of taking part match as written, upper case included
    const join = doc.components.schemas.JoinDialogue as { properties: { segmentId: { pattern?: string; anyOf?: { pattern?: string }[] } } };
    const pattern = join.properties.segmentId.pattern ?? join.properties.segmentId.anyOf?.find((x) => x.pattern)?.pattern;
    expect(new RegExp(pattern!).test('0F8FAD5B-D9CB-469F-A165-70867728950E')).toBe(true);
  });

  it('declares CreateFollowUp as one closed object a body can satisfy', async () => {
    const schema = doc.components.schemas.CreateFollowUp as { type?: string; allOf?: unknown; additionalProperties?: boolean; properties: Record<string, unknown> };
    expect(schema.allOf).toBeUndefined();
    expect(schema).toMatchObject({ type: 'object', additionalProperties: false });
    expect(Object.keys(schema.properties).sort()).toEqual(['dueDate', 'meetingId', 'organisationId', 'ownerId', 'status', 'title']);
    const m = await buildMeeting(t.db, { staffIds: [staff.user.id] });
    const res = await staff.post('/api/follow-ups', { title: 'Send the minutes', ownerId: staff.user.id, meetingId: m.id, status: 'open' });
    expect(res.status, await res.clone().text()).toBe(201);
  });

  it('documents the 409 of deleting an organisation or a person that appears in meetings, and answers it', async () => {
    expect(doc.paths['/api/organisations/{id}']!.delete!.responses['409']).toBeDefined();
    expect(doc.paths['/api/people/{id}']!.delete!.responses['409']).toBeDefined();
    const admin = await t.signedIn('admin');
    const org = await buildOrganisation(t.db);
    await buildMeeting(t.db, { organisations: [org.id] });
    expect((await problem(await admin.delete(`/api/organisations/${org.id}`), 409)).code).toBe('organisation_has_history');
  });

  it('answers a body that is not JSON with 415 problem+json, as documented', async () => {
    const res = await staff.request('/api/topics', { method: 'POST', headers: { 'content-type': 'text/plain', origin: ORIGIN }, body: '{}' });
    expect((await problem(res, 415)).code).toBe('unsupported_media_type');
  });
});
