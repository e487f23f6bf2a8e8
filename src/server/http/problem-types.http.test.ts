import { describe, expect, it } from 'vitest';
import { flattenCatalog, LOCALES, localeInfo } from '../../i18n/locales.ts';
import { AUTH_CODES, PROBLEM_CODES, describeProblem, problemCatalogs } from './problem-types.ts';
import { registryText, scanProblemCodes } from '../../../tests/setup/problem-scan.ts';
import { createTestApp, problem } from '../../../tests/setup/test-app.ts';

// Problem `type` URIs (/problems/<code>) lead to a page explaining the problem, in the reader's language, or to JSON.
// The registry of codes is generated from what the server throws and must explain every one of them.

const t = await createTestApp();
const scan = scanProblemCodes();
const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort().join();

describe('the registry of problem codes', () => {
  it('is generated from every code the server answers with (npx vitest run -u regenerates it)', async () => {
    // a code built at run time cannot be checked: every AppError names its code literally (notFound's are read from its calls)
    expect(scan.dynamic).toEqual([]);
    expect(Object.keys(scan.codes).length).toBeGreaterThan(120);
    for (const code of ['meeting_not_found', 'invalid_request', 'method_not_allowed', 'unsupported_media_type', 'csrf_rejected', 'study_has_responses']) {
      expect(scan.codes, code).toHaveProperty(code);
    }
    expect(scan.codes.unsupported_media_type).toEqual([415]);
    expect(scan.codes.dialogue_not_found).toEqual([404, 422]);
    await expect(registryText(scan.codes)).toMatchFileSnapshot('./problem-codes.json');
    expect([...PROBLEM_CODES].sort()).toEqual([...new Set([...Object.keys(scan.codes), ...AUTH_CODES])].sort());
  });

  it('explains every code in English, Hebrew and Arabic, with the same placeholders', () => {
    const missing: string[] = [];
    for (const code of PROBLEM_CODES) {
      for (const l of LOCALES) {
        const d = describeProblem(l, code);
        if (!d || !d.title.trim() || !d.text.trim()) missing.push(`${l}: ${code}`);
        else if (/\{\{/.test(d.title + d.text)) missing.push(`${l}: ${code} keeps a placeholder`);
      }
    }
    expect(missing).toEqual([]);
    const flat = Object.fromEntries(LOCALES.map((l) => [l, flattenCatalog(problemCatalogs[l])]));
    for (const l of LOCALES) {
      expect(Object.keys(flat[l]!).sort(), `${l} has the keys of en`).toEqual(Object.keys(flat.en!).sort());
      for (const [k, v] of Object.entries(flat[l]!)) {
        expect(v.trim(), `${l}: ${k}`).not.toBe('');
        expect(vars(v), `${l}: ${k}`).toBe(vars(flat.en![k]!));
      }
    }
  });

  it('keeps no explanation of a code the server no longer gives', () => {
    const known = new Set(PROBLEM_CODES);
    expect(Object.keys(problemCatalogs.en.codes).filter((c) => !known.has(c))).toEqual([]);
    const things = new Set(PROBLEM_CODES.map((c) => c.match(/^(\w+)_not_found$/)?.[1]).filter(Boolean));
    expect(Object.keys(problemCatalogs.en.things).filter((k) => !things.has(k))).toEqual([]);
  });
});

describe('/problems/<code>', () => {
  it('answers a page for every code in each language, right-to-left for Hebrew and Arabic', async () => {
    for (const code of PROBLEM_CODES) {
      for (const l of LOCALES) {
        const res = await t.app.request(`/problems/${code}?lang=${l}`);
        expect(res.status, `${l} ${code}`).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/^text\/html/);
        const html = await res.text();
        expect(html).toContain(`<html lang="${l}" dir="${localeInfo[l].dir}">`);
        const d = describeProblem(l, code)!;
        const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
        expect(html, `${l} ${code}`).toContain(`<h1>${esc(d.title)}</h1>`);
        expect(html).toContain(esc(d.text));
        expect(html).not.toMatch(/<script/i);
      }
    }
  });

  it("follows Accept-Language, and answers JSON when asked", async () => {
    const he = await t.app.request('/problems/meeting_not_found', { headers: { 'accept-language': 'fr;q=0.9, he-IL;q=0.8, en;q=0.5' } });
    expect(he.headers.get('content-language')).toBe('he');
    expect(he.headers.get('vary')).toMatch(/Accept-Language/);
    expect(await he.text()).toContain('לא נמצא: פגישה');

    const ar = await t.app.request('/problems/try_again', { headers: { accept: 'application/json', 'accept-language': 'ar' } });
    expect(ar.status).toBe(200);
    expect(ar.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await ar.json()).toEqual({
      type: '/problems/try_again',
      code: 'try_again',
      language: 'ar',
      title: problemCatalogs.ar.codes.try_again!.title,
      explanation: problemCatalogs.ar.codes.try_again!.text,
      statuses: [503],
    });
    // a browser's Accept puts HTML first
    const browser = await t.app.request('/problems/try_again', { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
    expect(browser.headers.get('content-type')).toMatch(/^text\/html/);

    const list = await t.app.request('/problems?lang=en', { headers: { accept: 'application/problem+json' } });
    const body = (await list.json()) as { items: { code: string; type: string }[] };
    expect(body.items.map((i) => i.code)).toEqual([...PROBLEM_CODES]);
  });

  it('answers 404 for a code the API never gives, as a page or as a problem', async () => {
    const page = await t.app.request('/problems/no_such_code?lang=ar');
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('لا يوجد نوع مشكلة no_such_code');
    const json = await problem(await t.app.request('/problems/no_such_code', { headers: { accept: 'application/json' } }), 404);
    expect(json).toMatchObject({ code: 'route_not_found', instance: '/problems/no_such_code' });
  });

  it('is where the type of what the API answers leads, and the title is the type\'s own', async () => {
    const anon = t.client();
    const staff = await t.signedIn('staff');
    const answers: [string, Response][] = [
      ['/api/me', await anon.get('/api/me')],
      ['/api/nowhere', await anon.get('/api/nowhere?x=1')],
      ['/api/topics', await staff.request('/api/topics', { method: 'PUT' })],
      ['/api/topics', await staff.post('/api/topics', { key: 1 })],
      ['/api/meetings/no-such-id', await staff.get('/api/meetings/no-such-id')],
      ['/api/topics', await staff.request('/api/topics', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' })],
      ['/api/me', await staff.patch('/api/me', { name: 'x' }, { headers: { origin: 'https://elsewhere.example' } })],
    ];
    const codes: string[] = [];
    for (const [path, res] of answers) {
      const p = (await res.json()) as { type: string; title: string; code: string; instance: string };
      codes.push(p.code);
      expect(p.type).toBe(`/problems/${p.code}`);
      expect(p.title).toBe(describeProblem('en', p.code)!.title);
      expect(p.instance).toBe(path);
      const page = await t.app.request(p.type, { headers: { accept: 'application/json' } });
      expect(page.status, p.type).toBe(200);
      expect(((await page.json()) as { code: string }).code).toBe(p.code);
    }
    expect(codes).toEqual(['not_signed_in', 'route_not_found', 'method_not_allowed', 'invalid_request', 'meeting_not_found', 'unsupported_media_type', 'csrf_rejected']);
  });
});
