import { eq } from 'drizzle-orm';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { translate } from '../../../i18n/catalogs.ts';
import { dialogueStatement, dialogueVote } from './dialogues.schema.ts';
import { LIMITS } from './participation.limits.ts';
import { buildDialogue, buildParticipant, buildStatement, buildTranslation, buildVotes } from '../../../../tests/setup/dialogue-factories.ts';
import { createTestApp, TestClient } from '../../../../tests/setup/test-app.ts';

// The public pages with JavaScript off: plain HTML forms, POST then 303 to the next page.

const t = await createTestApp();

const SEGMENTS = [
  { key: 'ji', name: { en: 'Jewish Israelis', he: 'יהודים ישראלים', ar: 'يهود إسرائيليون' } },
  { key: 'pal', name: { en: 'Palestinians', he: 'פלסטינים', ar: 'فلسطينيون' } },
];

/** Posts a form as a browser with JavaScript off would (urlencoded, our Origin, cookies). */
function postForm(c: TestClient, path: string, fields: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
  return c.request(path, { method: 'POST', body });
}

async function html(res: Response, status = 200): Promise<string> {
  const text = await res.text();
  expect(res.status, text.slice(0, 500)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  return text;
}

/** The rules every public page keeps: lang and dir, no inline script or handler, our own assets only. */
function expectSafePage(page: string, lang: string, dir: 'ltr' | 'rtl') {
  expect(page).toMatch(new RegExp(`^<!doctype html><html lang="${lang}" dir="${dir}">`));
  const scripts = [...page.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  expect(scripts.length).toBe(1);
  for (const [, attrs, body] of scripts) {
    expect(attrs).toMatch(/src="\/p\/assets\/participate\.[0-9a-f]{10}\.js"/);
    expect(body!.trim()).toBe('');
  }
  expect(page).not.toMatch(/\son[a-z]+\s*=/i);
  expect(page).not.toMatch(/javascript:/i);
  expect(page).not.toMatch(/(src|href)="https?:\/\//);
}

const statementText = (page: string) => [...page.matchAll(/<blockquote class="text"[^>]*data-variant="(\w+)"([^>]*)><p>([^<]*)<\/p>/g)].map((m) => ({ variant: m[1], hidden: /hidden/.test(m[2]!), text: m[3] }));

describe('the entry page', () => {
  it('is in the chosen language, right-to-left for Hebrew and Arabic, with the segments to choose from', async () => {
    const d = await buildDialogue(t.db, { title: 'Voices for tomorrow', segments: SEGMENTS, sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open' }] }], invites: [{ key: 'i' }] });
    const inv = d.invites.i!;
    const res = await t.client().get(`/p/${inv}?lang=he`);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    const he = await html(res);
    expectSafePage(he, 'he', 'rtl');
    expect(he).toContain('ספרו לנו מה יגרום לכם להרגיש בטוחים.');
    expect(he).toContain('לאיזו קבוצה אתם שייכים?');
    expect(he).toContain('יהודים ישראלים');
    expect(he).toContain('>להשתתפות</button>');
    expect(he).toContain('<input type="hidden" name="language" value="he">');

    const ar = await html(await t.client().get(`/p/${inv}?lang=ar`));
    expectSafePage(ar, 'ar', 'rtl');
    expect(ar).toContain('إلى أي مجموعة تنتمي؟');
    expect(ar).toContain('فلسطينيون');

    const en = await html(await t.client().get(`/p/${inv}`, { headers: { 'accept-language': 'fr, en;q=0.8' } }));
    expectSafePage(en, 'en', 'ltr');
    expect(en).toContain('Which group do you belong to?');
    // the language switch names each language in itself
    expect(en).toMatch(/<a href="\/p\/[^"]+\?lang=ar" lang="ar" hreflang="ar">العربية<\/a>/);
  });

  it('says so clearly when the link is unknown (404), withdrawn (410) or nothing is open (404)', async () => {
    const d = await buildDialogue(t.db, { sessions: [{ key: 's', status: 'closed' }], invites: [{ key: 'live' }, { key: 'gone', revoked: true }] });
    expect(await html(await t.client().get('/p/nosuchinvite1?lang=ar'), 404)).toContain('لا يوجد حوار على هذا الرابط');
    const gone = await html(await t.client().get(`/p/${d.invites.gone}?lang=he`), 410);
    expectSafePage(gone, 'he', 'rtl');
    expect(gone).toContain('הקישור הזה בוטל');
    expect(await html(await t.client().get(`/p/${d.invites.live}?lang=en`), 404)).toContain('This dialogue is not open now');
  });

  it('refuses form posts from another site', async () => {
    const d = await buildDialogue(t.db, { sessions: [{ key: 's' }], invites: [{ key: 'i' }] });
    const res = await postForm(t.client({ origin: 'https://evil.example' }), `/p/${d.invites.i}/join`, { language: 'en' });
    expect(res.status).toBe(403);
    expect((await postForm(t.client({ origin: 'null', 'sec-fetch-site': 'cross-site' }), `/p/${d.invites.i}/join`, { language: 'en' })).status).toBe(403);
    // the refusal is a page in the language asked for, like every other message on /p
    const he = await html(await postForm(t.client({ origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }), `/p/${d.invites.i}/join?lang=he`, { language: 'he' }), 403);
    expectSafePage(he, 'he', 'rtl');
    expect(he).toContain(translate('he', 'participate.foreign'));
    expect(he).not.toContain(translate('en', 'participate.foreign'));
    // a form on our own page with Referrer-Policy: no-referrer: the browser sends Origin: null, and says same-origin
    expect((await postForm(t.client({ origin: 'null', 'sec-fetch-site': 'same-origin' }), `/p/${d.invites.i}/join`, { language: 'en' })).status).toBe(303);
  });
});

describe('taking part with JavaScript off', () => {
  it('joins, shows the resume code once, votes and writes through plain forms', async () => {
    const d = await buildDialogue(t.db, {
      moderation: 'post',
      segments: SEGMENTS,
      sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open', prompt: { en: 'What would make you feel safe?' }, seeds: ['Seed one', 'Seed two', 'Seed three'] }] }],
      invites: [{ key: 'i' }],
    });
    const inv = d.invites.i!;
    const c = t.client();

    // no segment chosen: the same page again, saying what is missing
    const missing = await html(await postForm(c, `/p/${inv}/join`, { language: 'en' }), 400);
    expect(missing).toContain('role="alert"');
    expect(c.cookies.has('convene_participant')).toBe(false);

    const joined = await postForm(c, `/p/${inv}/join`, { language: 'en', segmentId: d.segments.pal! });
    expect(joined.status).toBe(303);
    expect(joined.headers.get('location')).toBe(`/p/${inv}`);
    const setCookies = joined.headers.getSetCookie();
    expect(setCookies.some((k) => k.startsWith('convene_participant=') && k.includes(`Path=/p/${inv}`) && k.includes('HttpOnly') && k.includes('SameSite=Lax'))).toBe(true);

    let page = await html(await c.get(`/p/${inv}`));
    expectSafePage(page, 'en', 'ltr');
    const code = page.match(/<span class="code-value" dir="ltr">([0-9A-Z]{4}-[0-9A-Z]{4})<\/span>/)?.[1];
    expect(code).toBeTruthy();
    expect(page).toContain('Use it to continue on another device.');
    expect(page).toContain('What would make you feel safe?');
    expect(page).toContain('0 of 3');
    const first = statementText(page)[0]!.text;
    expect(['Seed one', 'Seed two', 'Seed three']).toContain(first);
    // shown once
    page = await html(await c.get(`/p/${inv}`));
    expect(page).not.toContain(code!);
    expect(statementText(page)[0]!.text).toBe(first); // the same card on reload

    const sid = page.match(/name="statementId" value="([^"]+)"/)![1]!;
    const voted = await postForm(c, `/p/${inv}/vote`, { statementId: sid, value: '-1' });
    expect(voted.status).toBe(303);
    expect(voted.headers.get('location')).toBe(`/p/${inv}`);
    page = await html(await c.get(voted.headers.get('location')!));
    expect(page).toContain('1 of 3');
    const second = statementText(page)[0]!.text;
    expect(second).not.toBe(first);
    const [vote] = await t.db.select().from(dialogueVote).where(eq(dialogueVote.statementId, sid));
    expect(vote?.value).toBe(-1);

    // a statement: empty is refused on the page itself, a good one thanks the writer
    const empty = await html(await postForm(c, `/p/${inv}/statement`, { questionId: d.questions.q!, body: '   ' }), 400);
    expect(empty).toContain('Write something first.');
    expect(empty).toContain('aria-invalid="true"');
    const long = await html(await postForm(c, `/p/${inv}/statement`, { questionId: d.questions.q!, body: 'x'.repeat(1001) }), 400);
    expect(long).toContain('At most 1000 characters.');
    const written = await postForm(c, `/p/${inv}/statement`, { questionId: d.questions.q!, body: 'Safe roads to school, for every child.' });
    expect(written.status).toBe(303);
    expect(written.headers.get('location')).toBe(`/p/${inv}?written=post`);
    page = await html(await c.get(written.headers.get('location')!));
    expect(page).toContain('Thank you. Others can now vote on your statement.');
    const [mine] = await t.db.select().from(dialogueStatement).where(eq(dialogueStatement.body, 'Safe roads to school, for every child.'));
    expect(mine).toMatchObject({ status: 'pending', language: 'en', segmentId: d.segments.pal });

    // vote through the rest: never the own statement, then done
    for (let i = 0; i < 5; i++) {
      const id = page.match(/name="statementId" value="([^"]+)"/)?.[1];
      if (!id) break;
      expect(id).not.toBe(mine!.id);
      await postForm(c, `/p/${inv}/vote`, { statementId: id, value: '1' });
      page = await html(await c.get(`/p/${inv}`));
    }
    expect(page).toContain('You have seen every statement for now');
    expect(page).toContain('3 of 3');

    // switching language is remembered
    const switched = await postForm(c, `/p/${inv}/language`, { language: 'ar' });
    expect(switched.status).toBe(303);
    page = await html(await c.get(`/p/${inv}`));
    expectSafePage(page, 'ar', 'rtl');
    expect(page).toContain('لقد رأيت كل العبارات حتى الآن');
    // Latin digits in Arabic, chosen explicitly (ar-PS-u-nu-latn)
    expect(page).toContain('3 من 3');
  });

  it('resumes on another device with the code', async () => {
    const d = await buildDialogue(t.db, { sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open', seeds: ['One'] }] }], invites: [{ key: 'i' }] });
    const inv = d.invites.i!;
    const p = await buildParticipant(t.db, { dialogueId: d.id, language: 'he' });
    const c = t.client();
    const form = await html(await c.get(`/p/${inv}/resume?lang=he`));
    expectSafePage(form, 'he', 'rtl');
    expect(form).toContain('המשך עם הקוד שלכם');
    const wrong = await html(await postForm(c, `/p/${inv}/resume`, { code: 'ZZZZ-ZZZ1', language: 'he' }), 404);
    expect(wrong).toContain('לאף משתתף בדיאלוג הזה אין קוד כזה');
    const ok = await postForm(c, `/p/${inv}/resume`, { code: p.resumeCode, language: 'he' });
    expect(ok.status).toBe(303);
    const page = await html(await c.get(`/p/${inv}`));
    expectSafePage(page, 'he', 'rtl');
    expect(statementText(page)[0]!.text).toBe('One');
  });

  it('answers polls and pairs through forms', async () => {
    const d = await buildDialogue(t.db, {
      pairwise: true,
      sessions: [
        {
          key: 's',
          questions: [
            { key: 'scale', kind: 'poll', pollMode: 'scale', prompt: { en: 'How hopeful are you?' }, scaleMax: 5 },
            { key: 'multi', kind: 'poll', pollMode: 'multiple', prompt: { en: 'Which matter most?' }, options: [{ en: 'Water' }, { en: 'Schools' }, { en: 'Roads' }] },
            { key: 'q', kind: 'open', seeds: ['1', '2', '3', '4', '5', '6'] },
          ],
        },
      ],
      invites: [{ key: 'i' }],
    });
    const inv = d.invites.i!;
    const p = await buildParticipant(t.db, { dialogueId: d.id });
    const c = t.client();
    c.cookies.set('convene_participant', p.token);
    let page = await html(await c.get(`/p/${inv}`));
    expect(page).toContain('How hopeful are you?');
    expect(page).toContain('From 1 (least) to 5 (most).');
    expect((page.match(/name="scale"/g) ?? []).length).toBe(5);
    const bad = await html(await postForm(c, `/p/${inv}/poll/${d.questions.scale}`, { scale: '9' }), 400);
    expect(bad).toContain('Choose an answer first.');
    expect((await postForm(c, `/p/${inv}/poll/${d.questions.scale}`, { scale: '4' })).status).toBe(303);
    page = await html(await c.get(`/p/${inv}`));
    expect(page).toContain('Which matter most?');
    expect(page).toContain('type="checkbox" name="choices" value="o2"');
    expect((await postForm(c, `/p/${inv}/poll/${d.questions.multi}`, { choices: ['o1', 'o3'] })).status).toBe(303);
    for (let i = 0; i < 5; i++) {
      page = await html(await c.get(`/p/${inv}`));
      const id = page.match(/name="statementId" value="([^"]+)"/)![1]!;
      expect((await postForm(c, `/p/${inv}/vote`, { statementId: id, value: '1' })).status).toBe(303);
    }
    page = await html(await c.get(`/p/${inv}`));
    expect(page).toContain('Which of these two do you prefer?');
    const [winner, loser] = [...page.matchAll(/name="winnerId" value="([^"]+)"/g)].map((m) => m[1]!);
    expect(winner).not.toBe(loser);
    expect((await postForm(c, `/p/${inv}/pairwise`, { questionId: d.questions.q!, winnerId: winner!, loserId: loser! })).status).toBe(303);
    page = await html(await c.get(`/p/${inv}`));
    expect(page).toContain('name="statementId"');
  });

  it('shows the translation with a switch to the original, and names the language of an untranslated one', async () => {
    const d = await buildDialogue(t.db, { sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open' }] }], invites: [{ key: 'i' }] });
    const inv = d.invites.i!;
    const author = await buildParticipant(t.db, { dialogueId: d.id, language: 'he' });
    const s = await buildStatement(t.db, { questionId: d.questions.q!, participantId: author.id, body: 'אנחנו רוצים ביטחון לכולם' });
    await buildTranslation(t.db, { statementId: s.id, language: 'ar', body: 'نريد الأمان للجميع' });
    await buildTranslation(t.db, { statementId: s.id, language: 'en', body: 'We want safety for everyone', source: 'human' });
    const reader = await buildParticipant(t.db, { dialogueId: d.id, language: 'ar' });
    const c = t.client();
    c.cookies.set('convene_participant', reader.token);

    let page = await html(await c.get(`/p/${inv}`));
    expect(statementText(page)).toEqual([
      { variant: 'translation', hidden: false, text: 'نريد الأمان للجميع' },
      { variant: 'original', hidden: true, text: 'אנחנו רוצים ביטחון לכולם' },
    ]);
    expect(page).toContain('lang="he" data-variant="original"');
    expect(page).toContain('مترجمة آليًا من العبرية');
    const href = page.match(/<a href="([^"]+)" data-toggle/)![1]!.replace(/&amp;/g, '&');
    expect(href).toBe(`/p/${inv}?s=${s.id}&show=original`);
    page = await html(await c.get(href));
    expect(statementText(page)).toEqual([
      { variant: 'translation', hidden: true, text: 'نريد الأمان للجميع' },
      { variant: 'original', hidden: false, text: 'אנחנו רוצים ביטחון לכולם' },
    ]);
    expect(page).toContain('>اعرض الترجمة</a>');

    // a human translation is not called machine-made
    await postForm(c, `/p/${inv}/language`, { language: 'en' });
    page = await html(await c.get(`/p/${inv}`));
    expect(page).toContain('Translated from Hebrew');
    expect(page).not.toContain('Machine-translated from Hebrew');

    // no translation: the original, its language named
    const other = await buildDialogue(t.db, { languages: ['en', 'ar'], sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open' }] }], invites: [{ key: 'i' }] });
    const a2 = await buildParticipant(t.db, { dialogueId: other.id });
    await buildStatement(t.db, { questionId: other.questions.q!, participantId: a2.id, body: 'نريد مدارس مشتركة' });
    const r2 = await buildParticipant(t.db, { dialogueId: other.id, language: 'en' });
    const c2 = t.client();
    c2.cookies.set('convene_participant', r2.token);
    page = await html(await c2.get(`/p/${other.invites.i}`));
    expect(statementText(page)).toEqual([{ variant: 'original', hidden: false, text: 'نريد مدارس مشتركة' }]);
    expect(page).toContain('dir="auto" lang="ar" data-variant="original"');
    expect(page).toContain('<figcaption class="note untranslated">Not translated yet — shown in Arabic, as it was written</figcaption>');
  });

  it('says "slow down" in the reader language, with Retry-After', async () => {
    const d = await buildDialogue(t.db, { sessions: [{ key: 's' }], invites: [{ key: 'i' }] });
    const c = t.client();
    let res: Response | undefined;
    for (let i = 0; i <= LIMITS.resumeAttempts.max; i++) {
      res = await postForm(c, `/p/${d.invites.i}/resume`, { code: 'ZZZZ-ZZZ2', language: 'ar' });
      if (res.status === 429) break;
    }
    const page = await html(res!, 429);
    expect(res!.headers.get('retry-after')).toMatch(/^\d+$/);
    expectSafePage(page, 'ar', 'rtl');
    expect(page).toContain('تمهّل');
  });
});

describe('results page', () => {
  it('shows per-segment agree rates as bars when the facilitator allows, and not before', async () => {
    const hidden = await buildDialogue(t.db, { sessions: [{ key: 's' }], invites: [{ key: 'i' }] });
    expect(await html(await t.client().get(`/p/${hidden.invites.i}/results?lang=en`), 404)).toContain('Results are not shown');

    const d = await buildDialogue(t.db, { resultsVisible: true, segments: SEGMENTS, sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open', seeds: ['Shared future'] }] }], invites: [{ key: 'i' }] });
    const [sid] = d.seeds.q!;
    const ps = await Promise.all(['ji', 'ji', 'pal', 'pal'].map((k) => buildParticipant(t.db, { dialogueId: d.id, segmentId: d.segments[k] })));
    await buildVotes(t.db, d.id, [
      [ps[0]!.id, sid!, 1],
      [ps[1]!.id, sid!, 1],
      [ps[2]!.id, sid!, 1],
      [ps[3]!.id, sid!, -1],
    ]);
    const page = await html(await t.client().get(`/p/${d.invites.i}/results?lang=he`));
    expectSafePage(page, 'he', 'rtl');
    expect(page).toContain('Shared future');
    expect(page).toContain('יהודים ישראלים');
    expect(page).toContain('100%');
    expect(page).toContain('inline-size: 50.0%');
    expect(page).toContain('(1 מתוך 2)');
    const entry = await html(await t.client().get(`/p/${d.invites.i}?lang=en`));
    expect(entry).toContain(`href="/p/${d.invites.i}/results?lang=en"`);
  });
});

describe('the script and stylesheet', () => {
  it('are served from /p/assets with long cache headers, gzipped, and small', async () => {
    const d = await buildDialogue(t.db, { sessions: [{ key: 's' }], invites: [{ key: 'i' }] });
    const page = await html(await t.client().get(`/p/${d.invites.i}`));
    const css = page.match(/href="(\/p\/assets\/participate\.[0-9a-f]{10}\.css)"/)![1]!;
    const js = page.match(/src="(\/p\/assets\/participate\.[0-9a-f]{10}\.js)"/)![1]!;
    const sizes: Record<string, number> = {};
    for (const url of [css, js]) {
      const res = await t.app.request(url, { headers: { 'accept-encoding': 'gzip, br' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('content-encoding')).toBe('gzip');
      sizes[url.endsWith('.js') ? 'js' : 'css'] = (await res.arrayBuffer()).byteLength;
      const plain = await t.app.request(url);
      expect(plain.headers.get('content-encoding')).toBeNull();
      expect(gzipSync(Buffer.from(await plain.arrayBuffer())).byteLength).toBeLessThan(50_000);
    }
    console.log(`participation assets, gzipped: js ${sizes.js} B, css ${sizes.css} B`);
    expect(sizes.js).toBeLessThan(50_000);
    expect(sizes.js! + sizes.css!).toBeLessThan(10_000);
    expect((await t.app.request('/p/assets/nothing.js')).status).toBe(404);
  });
});


