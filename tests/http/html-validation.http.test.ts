import { HtmlValidate, type ConfigData } from 'html-validate';
import { describe, expect, it } from 'vitest';
import { PROBLEM_CODES } from '../../src/server/http/problem-types.ts';
import { buildDialogue, buildParticipant, buildStatement, buildVotes } from '../setup/dialogue-factories.ts';
import { buildResponses, buildStudy, simulatedResponses } from '../setup/study-factories.ts';
import { createTestApp, type TestClient } from '../setup/test-app.ts';

// Every page the server renders itself, requested over HTTP as a browser would and checked by an HTML validator
// (html-validate, offline): the participation pages (/p/…), the survey pages (/s/…), the printable reports, the API
// reference and the problem pages, in each language. The pages are found by walking what a person meets, so the test
// holds whatever the pages' markup becomes.

// the HTML standard's rules and the whole-document ones (doctype, lang, title, one <main>), and ids that are valid
// names (a letter first; no spaces) and unique; the preset's matters of style (inline styles for data-driven bar
// widths, trailing spaces, SRI on our own hashed assets) are not validity and are left out
const VALIDATOR: ConfigData = {
  extends: ['html-validate:standard', 'html-validate:document'],
  rules: { 'require-sri': 'off', 'valid-id': ['error', { relaxed: false }], 'no-dup-id': 'error', 'no-redundant-for': 'error', 'wcag/h32': 'error', 'wcag/h37': 'error', 'wcag/h63': 'error' },
};
const validator = new HtmlValidate(VALIDATOR);

const t = await createTestApp();
const staff = await t.signedIn('staff');
const LANGS = ['en', 'he', 'ar'] as const;

/** A browser's request for a page, in a language. */
async function page(client: TestClient, path: string, status = 200): Promise<string> {
  const res = await client.get(path, { headers: { accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8' } });
  const text = await res.text();
  expect(res.status, `${path}: ${text.slice(0, 300)}`).toBe(status);
  expect(res.headers.get('content-type'), path).toMatch(/^text\/html/);
  return text;
}

const checked: string[] = [];
async function expectValid(where: string, html: string) {
  const report = await validator.validateString(html, where);
  const messages = report.results.flatMap((r) => r.messages.map((m) => `${where}:${m.line}:${m.column} ${m.ruleId} ${m.message} [${html.split('\n')[m.line - 1]?.slice(Math.max(0, m.column - 60), m.column + 60)}]`));
  expect(messages).toEqual([]);
  checked.push(where);
}

const attr = (tag: string, name: string) => tag.match(new RegExp(`\\s${name}="([^"]*)"`))?.[1];
const unescape = (s: string) => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&').replace(/&quot;/g, '"');

/**
 * What a person with JavaScript off does on a page: fills in its first form (the language switch aside) with the first
 * choice of each question, some text where text is asked, and its first button, and sends it.
 */
function firstForm(html: string): { action: string; body: URLSearchParams } | undefined {
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const open = m[1]!;
    const action = attr(open, 'action');
    if (!action || !/method="post"/i.test(open) || /\/language$/.test(action)) continue;
    const body = new URLSearchParams();
    for (const field of m[2]!.matchAll(/<(input|textarea|select|button)\b([^>]*)>/g)) {
      const [, tag, attrs] = field;
      const name = attr(attrs!, 'name');
      if (!name) continue;
      const type = attr(attrs!, 'type') ?? (tag === 'button' ? 'submit' : 'text');
      const value = unescape(attr(attrs!, 'value') ?? '');
      if (type === 'submit') {
        if (![...body.keys()].includes(name)) body.set(name, value);
      } else if (type === 'radio' || type === 'checkbox') {
        if (!body.has(name)) body.set(name, value);
      } else if (tag === 'textarea' || (tag === 'input' && ['text', 'search', ''].includes(type) && !value)) body.set(name, 'Enough for everyone to live in safety');
      else if (tag === 'select') body.set(name, unescape(m[2]!.slice(field.index!).match(/<option[^>]*value="([^"]*)"/)?.[1] ?? ''));
      else if (type === 'number') body.set(name, value || '4');
      else body.set(name, value);
    }
    return { action: unescape(action), body };
  }
  return undefined;
}

/** The first link inside <main> to another page of the same public area (a "Continue"), the language links aside. */
function continueLink(html: string, area: string): string | undefined {
  const main = html.slice(html.indexOf('<main'));
  for (const m of main.matchAll(/<a\b([^>]*)>/g)) {
    const href = attr(m[1]!, 'href');
    if (href && href.startsWith(area) && !/[?&]lang=/.test(href)) return unescape(href);
  }
  return undefined;
}

/**
 * From a page, goes on as a person would (at most `steps` times): sends its first form, or follows its "Continue"
 * link when it has no form, and checks every page that leads to.
 */
async function walk(c: TestClient, label: string, html: string, steps: number) {
  const area = label.startsWith('/s') ? '/s/' : '/p/';
  for (let step = 0; step < steps; step++) {
    const form = firstForm(html);
    if (!form) {
      const link = continueLink(html, area);
      if (!link) return;
      html = await page(c, link);
      await expectValid(`${label} step ${step}`, html);
      continue;
    }
    const res = await c.request(form.action, { method: 'POST', body: form.body });
    const to = res.headers.get('location');
    if (res.status === 303 && to) html = await page(c, to);
    else {
      expect(res.headers.get('content-type'), `${label}: ${form.action} answered ${res.status}`).toMatch(/^text\/html/);
      html = await res.text();
    }
    await expectValid(`${label} step ${step}`, html);
  }
}

describe('server-rendered HTML is valid', () => {
  it('the participation pages, in each language, along a participant\'s way', async () => {
    const d = await buildDialogue(t.db, {
      title: 'Voices & <futures>',
      segments: [
        { key: 'ji', name: { en: 'Jewish Israelis', he: 'יהודים ישראלים', ar: 'يهود إسرائيليون' } },
        { key: 'pal', name: { en: 'Palestinians', he: 'פלסטינים', ar: 'فلسطينيون' } },
      ],
      resultsVisible: true,
      pairwise: true,
      sessions: [
        {
          key: 's',
          questions: [
            { key: 'q', kind: 'open', seeds: ['Both peoples deserve to live in safety', { body: 'לשני העמים מגיע לחיות בביטחון', language: 'he' }, { body: 'الأمان حق للشعبين', language: 'ar' }] },
            { key: 'poll', kind: 'poll', pollMode: 'single', options: [{ en: 'Yes', he: 'כן', ar: 'نعم' }, { en: 'No', he: 'לא', ar: 'لا' }] },
          ],
        },
      ],
      invites: [{ key: 'i' }, { key: 'gone', revoked: true }],
    });
    const inv = d.invites.i!;
    const voters = [];
    for (let i = 0; i < 8; i++) voters.push(await buildParticipant(t.db, { dialogueId: d.id, segmentId: d.segments[i % 2 ? 'pal' : 'ji'] }));
    await buildVotes(t.db, d.id, voters.flatMap((p, i) => d.seeds.q!.map((s, k) => [p.id, s, (i + k) % 3 - 1] as [string, string, number])));
    await buildStatement(t.db, { questionId: d.questions.q!, participantId: voters[0]!.id, body: 'A statement a participant wrote' });

    for (const l of LANGS) {
      const c = t.client();
      await expectValid(`/p entry ${l}`, await page(c, `/p/${inv}?lang=${l}`));
      await expectValid(`/p resume ${l}`, await page(c, `/p/${inv}/resume?lang=${l}`));
      await expectValid(`/p results ${l}`, await page(c, `/p/${inv}/results?lang=${l}`));
      await expectValid(`/p unknown link ${l}`, await page(c, `/p/nosuchinvite1?lang=${l}`, 404));
      await expectValid(`/p withdrawn link ${l}`, await page(c, `/p/${d.invites.gone}?lang=${l}`, 410));
      // joining, then the pages of taking part: what each form leads to
      await walk(c, `/p ${l}`, await page(c, `/p/${inv}?lang=${l}`), 8);
    }
  });

  it('the survey pages, in each language, from consent to thanks', async () => {
    const s = await buildStudy(t.db, { status: 'open', languages: ['he', 'ar', 'en'], invites: [{ key: 'il', population: 'israelis' }, { key: 'gone', population: 'israelis', revoked: true }] });
    for (const l of LANGS) {
      const c = t.client();
      const first = await page(c, `/s/${s.invites.il}?lang=${l}`);
      await expectValid(`/s consent ${l}`, first);
      await expectValid(`/s withdrawn link ${l}`, await page(t.client(), `/s/${s.invites.gone}?lang=${l}`, 410));
      await expectValid(`/s unknown link ${l}`, await page(t.client(), `/s/nosuchlink000?lang=${l}`, 404));
      await walk(c, `/s ${l}`, first, 10);
    }
  });

  it('the printable reports of a dialogue and of a study, with p-values under 0.001', async () => {
    const viewer = await t.signedIn('viewer');
    const d = await buildDialogue(t.db, {
      segments: [
        { key: 'ji', name: { en: 'Jewish Israelis', he: 'יהודים ישראלים' } },
        { key: 'pal', name: { en: 'Palestinians', ar: 'فلسطينيون' } },
      ],
      sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open', seeds: ['Both peoples deserve safety', 'The other side wants peace', 'A third view'] }] }],
    });
    const people = [];
    for (let i = 0; i < 20; i++) people.push(await buildParticipant(t.db, { dialogueId: d.id, segmentId: d.segments[i % 2 ? 'pal' : 'ji'] }));
    await buildVotes(t.db, d.id, people.flatMap((p, i) => d.seeds.q!.map((s, k) => [p.id, s, k === 0 ? 1 : (i % 2 ? 1 : -1) * (k === 1 ? 1 : -1)] as [string, string, number])));

    const s = await buildStudy(t.db);
    // large effects on many responses: p-values far under 0.001, printed as "< 0.001"
    await buildResponses(t.db, s, simulatedResponses({ perCell: 80, effects: { israelis: { control: 0, 'message-1': 2, 'message-2': -2 }, palestinians: { control: 0, 'message-1': 2, 'message-2': 0 } }, seed: 3, sd: 0.7 }));

    for (const l of LANGS) {
      await expectValid(`dialogue report ${l}`, await page(viewer, `/api/dialogues/${d.id}/report?lang=${l}`));
      const report = await page(viewer, `/api/studies/${s.id}/report?lang=${l}`);
      expect(report).toContain('&lt; 0.001');
      expect(report).not.toContain('< 0.001');
      await expectValid(`study report ${l}`, report);
    }
    const empty = await buildStudy(t.db);
    await expectValid('study report, no responses', await page(viewer, `/api/studies/${empty.id}/report`));
  });

  it('the API reference', async () => {
    await expectValid('/api/docs', await page(staff, '/api/docs'));
  });

  it('the problem pages, each code in each language, and their index', { timeout: 180_000 }, async () => {
    for (const l of LANGS) {
      await expectValid(`/problems ${l}`, await page(t.client(), `/problems?lang=${l}`));
      await expectValid(`/problems unknown ${l}`, await page(t.client(), `/problems/no_such_code?lang=${l}`, 404));
      for (const code of PROBLEM_CODES) await expectValid(`/problems/${code} ${l}`, await page(t.client(), `/problems/${code}?lang=${l}`));
    }
  });

  it('checked every kind of page', () => {
    const kinds = ['/p entry', '/p en step 3', '/p he step 3', '/p ar step 3', '/p results', '/s consent', '/s en step 2', '/s he step 2', '/s ar step 2', 'dialogue report', 'study report', '/api/docs', '/problems/'];
    for (const k of kinds) expect(checked.some((w) => w.startsWith(k)), k).toBe(true);
    console.log(`html-validate: ${checked.length} pages valid`);
  });
});
