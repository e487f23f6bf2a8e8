import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { generateApi } from 'swagger-typescript-api';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp, PASSWORD, problem } from '../setup/test-app.ts';

// The OpenAPI document as third-party tools see it: a linter (Redocly's, its strictest recommended rules) finds
// nothing in it, and a client generated from it (swagger-typescript-api, into a temporary folder) calls operations
// by their operationId and type-checks against the document's schemas. Neither tool may reach the network.

type Doc = {
  openapi: string;
  info: { license?: { name: string; identifier?: string } };
  servers?: { url: string }[];
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, { operationId?: string; tags?: string[]; responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, { required?: string[]; properties?: Record<string, unknown> }> };
};

/** An install as it would run: a real public address (a reserved .test name), so servers[0] names it. */
const PUBLIC = 'https://convene.coalition.test';
const live = await createTestApp({ config: { publicUrl: PUBLIC } });
const doc = (await (await live.app.request('/api/openapi.json')).json()) as Doc;
/** The usual test install, for the generated client's requests (our Origin, cookies). */
const t = await createTestApp();
const admin = await t.signedIn('admin');
const operations = Object.entries(doc.paths).flatMap(([p, ops]) => Object.entries(ops).map(([method, op]) => ({ key: `${method} ${p}`, op })));

/** Runs fn with every outgoing connection refused but those to this machine (the test database's). */
async function offline<T>(fn: () => Promise<T>): Promise<{ value: T; attempts: string[] }> {
  const attempts: string[] = [];
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    const first = args[0] as { host?: string; path?: string } | number | string;
    const host = typeof first === 'object' && first ? (first.path ? 'unix' : (first.host ?? 'localhost')) : typeof first === 'number' ? String(args[1] ?? 'localhost') : 'unix';
    if (!['unix', 'localhost', '127.0.0.1', '::1'].includes(host)) {
      attempts.push(host);
      throw new Error(`network access to ${host} refused in this test`);
    }
    return connect.apply(this, args as never);
  } as typeof connect;
  try {
    return { value: await fn(), attempts };
  } finally {
    net.Socket.prototype.connect = connect;
  }
}

describe('the OpenAPI document', () => {
  it('names every operation with a stable, unique camelCase operationId', () => {
    expect(operations.length).toBeGreaterThan(170);
    const ids = operations.map((o) => o.op.operationId);
    expect(operations.filter((o) => !o.op.operationId).map((o) => o.key)).toEqual([]);
    expect(ids.filter((id) => !/^[a-z][a-zA-Z0-9]*$/.test(id!))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    // a few, as clients know them: renaming one breaks every generated client
    expect(doc.paths['/api/meetings']!.post!.operationId).toBe('createMeeting');
    expect(doc.paths['/api/organisations/{id}']!.get!.operationId).toBe('getOrganisation');
    expect(doc.paths['/api/auth/sign-in/email']!.post!.operationId).toBe('signInWithEmail');
    expect(doc.paths['/api/participate/{inviteToken}/votes']!.post!.operationId).toBe('castVote');
  });

  it('names its server, its licence and each tag', () => {
    expect(doc.servers).toEqual([{ url: PUBLIC, description: expect.any(String) }]);
    expect(doc.info.license).toEqual({ name: expect.stringContaining('Affero'), identifier: 'AGPL-3.0-or-later' });
    const used = new Set(operations.flatMap((o) => o.op.tags ?? []));
    expect(doc.tags!.map((t) => t.name).sort()).toEqual([...used].sort());
    for (const t of doc.tags!) expect(t.description, t.name).toMatch(/\w{3}/);
  });

  it('declares error responses on every operation: a 4xx problem and the 500', () => {
    for (const { key, op } of operations) {
      expect(Object.keys(op.responses).filter((s) => /^4\d\d$/.test(s) && s !== '431').length, key).toBeGreaterThan(0);
      expect(op.responses['500'], key).toEqual({ $ref: '#/components/responses/InternalError' });
    }
    // the three that declared none before
    expect(Object.keys(doc.paths['/api/auth/sign-out']!.post!.responses)).toEqual(expect.arrayContaining(['403', '500', '503']));
    expect(Object.keys(doc.paths['/api/setup']!.get!.responses)).toEqual(expect.arrayContaining(['400', '500']));
    expect(Object.keys(doc.paths['/api/health']!.get!.responses)).toEqual(expect.arrayContaining(['400', '500', '503']));
    expect(doc.components.schemas.Problem!.required).toEqual(expect.arrayContaining(['type', 'title', 'status', 'code', 'instance']));
  });

  it("passes Redocly's linter with its recommended-strict rules: no error, no warning, nothing fetched", async () => {
    const { value: problems, attempts } = await offline(async () => {
      const config = await createConfig({ extends: ['recommended-strict'] });
      return lintFromString({ source: JSON.stringify(doc), absoluteRef: path.join(os.tmpdir(), 'convene-openapi.json'), config });
    });
    const found = problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '?'}`);
    console.log(`Redocly openapi-core lint (recommended-strict) of ${operations.length} operations: ${found.length} problems`);
    expect(found).toEqual([]);
    expect(attempts).toEqual([]);
  });
});

describe('a client generated from the document', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-client-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is generated offline, type-checks against a caller, and calls five operations by name', async () => {
    const served = await (await t.app.request('/api/openapi.json')).json();
    const { attempts } = await offline(() => generateApi({ spec: served, output: dir, fileName: 'convene-api.ts', httpClientType: 'fetch', silent: true }));
    expect(attempts).toEqual([]);
    const generated = fs.readFileSync(path.join(dir, 'convene-api.ts'), 'utf8');
    for (const name of ['signInWithEmail', 'getMe', 'createOrganisation', 'getOrganisation', 'listOrganisations', 'getMeeting']) {
      expect(generated, name).toMatch(new RegExp(`\\b${name}: \\(`));
    }

    // what a developer would write against the generated client; tsc checks it against the generated types
    fs.writeFileSync(
      path.join(dir, 'journey.ts'),
      `import { Api } from './convene-api.ts';

export async function journey(api: Api<unknown>, email: string, password: string) {
  const signedIn = await api.api.signInWithEmail({ email, password });
  const me = await api.api.getMe();
  const created = await api.api.createOrganisation({ kind: 'member', status: 'active', names: [{ name: 'Parents Circle' }, { name: 'פורום המשפחות' }, { name: 'منتدى العائلات' }] });
  const one = await api.api.getOrganisation(created.data.id);
  const list = await api.api.listOrganisations({ q: 'Parents', limit: 10 });
  let missing: unknown;
  try {
    await api.api.getMeeting('no-such-meeting');
  } catch (res) {
    missing = (res as { status: number; error: unknown }).error;
  }
  return { signedIn: signedIn.data, me: me.data, created: created.data, one: one.data, list: list.data, missing };
}
`,
    );
    const compilerOptions = { strict: true, noEmit: true, skipLibCheck: true, target: 'es2022', module: 'preserve', moduleResolution: 'bundler', allowImportingTsExtensions: true, lib: ['es2022', 'dom'], types: [] };
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['journey.ts'] }));
    const tsc = spawnSync(process.execPath, [path.resolve('node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr, 'tsc on the generated client and its caller').toBe('');
    expect(tsc.status).toBe(0);

    // run it against the app: each request goes through app.request() with a cookie jar of its own
    const jar = t.client();
    const { Api } = (await import(pathToFileURL(path.join(dir, 'convene-api.ts')).href)) as { Api: new (config: { baseUrl: string; customFetch: typeof fetch }) => unknown };
    const api = new Api({ baseUrl: (served as Doc).servers![0]!.url, customFetch: ((url: string, init: RequestInit) => jar.request(url, init)) as typeof fetch });
    const { journey } = (await import(pathToFileURL(path.join(dir, 'journey.ts')).href)) as { journey: (api: unknown, email: string, password: string) => Promise<Record<string, any>> };
    const r = await journey(api, admin.user.email, PASSWORD);

    expect(r.signedIn.user.email).toBe(admin.user.email);
    expect(r.me).toMatchObject({ id: admin.user.id, role: 'admin' });
    expect(r.created.names.map((n: { name: string }) => n.name)).toEqual(expect.arrayContaining(['Parents Circle', 'פורום המשפחות', 'منتدى العائلات']));
    expect(r.one.id).toBe(r.created.id);
    expect(r.list.items.map((o: { id: string }) => o.id)).toContain(r.created.id);
    expect(r.missing).toEqual({
      type: '/problems/meeting_not_found',
      title: expect.any(String),
      status: 404,
      code: 'meeting_not_found',
      detail: expect.any(String),
      instance: '/api/meetings/no-such-meeting',
    });
    // the record the generated client wrote is the API's own
    await problem(await admin.get('/api/organisations/not-an-id'), 404);
    expect((await (await admin.get(`/api/organisations/${r.created.id}`)).json()).id).toBe(r.created.id);
  });
});
