import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/server/db/client.ts';
import { buildDialogue, buildTranslation, type BuiltDialogue } from '../setup/dialogue-factories.ts';
import { startServer, tempDataDir, type ServerProcess } from '../setup/server-process.ts';
import { AXE_TAGS, CHROMIUM, root } from './support.ts';

// Taking part on a phone (375×740): a Hebrew and an Arabic participant join, answer the poll, vote and write;
// axe-core on every public page in en/he/ar; one run with JavaScript off. The dialogue is seeded into the data
// folder before the server starts (the staff side is exercised by its own journeys).

const PHONE = { width: 375, height: 740 };
const SHOTS = path.join(root, 'screenshots');
const AXE_SOURCE = fs.readFileSync(path.join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');

let server: ServerProcess;
let browser: Browser;
let d: BuiltDialogue;
const problems: string[] = [];
const axeMinor: string[] = [];

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium first (apt-get update && apt-get install -y chromium).`);
  fs.mkdirSync(SHOTS, { recursive: true });
  const dataDir = tempDataDir();
  const database = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
  await database.migrate();
  d = await buildDialogue(database.db, {
    title: 'Voices for a shared tomorrow',
    intro: {
      en: 'Jewish Israelis, Palestinians in the West Bank and Gaza, and Palestinian citizens of Israel answer the same question. Your answers stay anonymous.',
      he: 'יהודים ישראלים, פלסטינים בגדה המערבית ובעזה ואזרחים פלסטינים של ישראל עונים על אותה שאלה. התשובות שלך נשארות אנונימיות.',
      ar: 'يجيب يهود إسرائيليون وفلسطينيون في الضفة الغربية وغزة ومواطنون فلسطينيون في إسرائيل على السؤال نفسه. تبقى إجاباتك مجهولة.',
    },
    resultsVisible: true,
    segments: [
      { key: 'ji', name: { en: 'Jewish Israelis', he: 'יהודים ישראלים', ar: 'يهود إسرائيليون' } },
      { key: 'pal', name: { en: 'Palestinians', he: 'פלסטינים', ar: 'فلسطينيون' } },
    ],
    sessions: [
      {
        key: 'joint',
        questions: [
          { key: 'hope', kind: 'poll', pollMode: 'single', prompt: { en: 'Do you believe peace is possible?', he: 'האם לדעתך שלום אפשרי?', ar: 'هل تعتقد أن السلام ممكن؟' }, options: [{ en: 'Yes', he: 'כן', ar: 'نعم' }, { en: 'No', he: 'לא', ar: 'لا' }, { en: 'Not sure', he: 'לא בטוח/ה', ar: 'لست متأكدًا' }] },
          {
            key: 'safe',
            kind: 'open',
            prompt: { en: 'What would make you feel safe?', he: 'מה יגרום לך להרגיש בטוח/ה?', ar: 'ما الذي يجعلك تشعر بالأمان؟' },
            seeds: ['Children on both sides should grow up without fear.', 'Leaders must talk to each other, not about each other.', 'Shared schools build trust.'],
          },
        ],
      },
    ],
    invites: [{ key: 'ji', segment: 'ji' }, { key: 'pal', segment: 'pal' }, { key: 'any' }, { key: 'gone', revoked: true }],
  });
  const translations: Record<string, [string, string]> = {
    'Children on both sides should grow up without fear.': ['ילדים משני הצדדים צריכים לגדול בלי פחד.', 'يجب أن يكبر الأطفال على الجانبين دون خوف.'],
    'Leaders must talk to each other, not about each other.': ['מנהיגים חייבים לדבר זה עם זה, לא זה על זה.', 'على القادة أن يتحدثوا مع بعضهم، لا عن بعضهم.'],
    'Shared schools build trust.': ['בתי ספר משותפים בונים אמון.', 'المدارس المشتركة تبني الثقة.'],
  };
  const bodies = Object.keys(translations);
  for (const [i, id] of d.seeds.safe!.entries()) {
    const [he, ar] = translations[bodies[i]!]!;
    await buildTranslation(database.db, { statementId: id, language: 'he', body: he });
    await buildTranslation(database.db, { statementId: id, language: 'ar', body: ar });
  }
  await database.close();
  server = await startServer({ dataDir });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
  if (axeMinor.length) console.log(`axe findings (minor/moderate):\n${axeMinor.join('\n')}`);
});

async function phone(opts: { javaScriptEnabled?: boolean; locale?: string } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, javaScriptEnabled: opts.javaScriptEnabled ?? true, locale: opts.locale });
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // a 404 or 410 page is a failed load for the console; refusals and script errors are what matter
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of (404|410)/.test(m.text())) problems.push(`console: ${m.text()} (${m.location().url})`);
  });
  context.on('request', (r) => {
    if (!r.url().startsWith(server.url) && !r.url().startsWith(`http://localhost:${server.port}`)) problems.push(`third-party request: ${r.url()}`);
  });
  return { context, page };
}

async function axe(page: Page, name: string) {
  await page.waitForLoadState('networkidle');
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async (tags) => {
    const a = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await a.run(document, { runOnly: { type: 'tag', values: tags } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  }, AXE_TAGS);
  for (const v of result) axeMinor.push(`${name}: [${v.impact}] ${v.id} ${v.help} at ${v.targets.join(' | ')}`);
  expect(result.map((v) => `${name}: [${v.impact}] ${v.id}: ${v.help} at ${v.targets.join(' | ')}`)).toEqual([]);
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(SHOTS, `participation-${name}.png`), fullPage: true });
}

const shownStatement = (page: Page) => page.locator('[data-statement] blockquote:not([hidden])').innerText();

describe('taking part on a phone', () => {
  it('a Hebrew participant joins, answers the poll, votes without reloads, and writes', async () => {
    const { context, page } = await phone();
    await page.goto(`${server.url}/p/${d.invites.ji}?lang=he`);
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['he', 'rtl']);
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Voices for a shared tomorrow' }).count()).toBe(1);
    await axe(page, 'entry he');
    await shot(page, 'he-1-entry');

    await page.getByRole('button', { name: 'להשתתפות' }).click();
    await page.getByText('הקוד שלכם:').waitFor();
    const code = await page.locator('.code-value').innerText();
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await axe(page, 'poll he');
    await shot(page, 'he-2-poll');
    await page.getByRole('radio', { name: 'כן', exact: true }).check();
    await page.getByRole('button', { name: 'מענה' }).click();

    await page.getByRole('button', { name: 'מסכימים', exact: true }).waitFor();
    await expect.poll(() => page.locator('[data-progress]').innerText()).toBe('1 מתוך 4');
    const first = await shownStatement(page);
    expect(first).toMatch(/[\u0590-\u05FF]/); // the translation, not the English original
    await expect.poll(() => page.locator('figcaption').innerText()).toContain('תורגם אוטומטית מאנגלית');
    await axe(page, 'statement he');
    await shot(page, 'he-3-statement');

    // the switch to the original happens in place
    await page.getByRole('link', { name: 'הצגת המקור' }).click();
    await expect.poll(() => shownStatement(page)).toMatch(/^[A-Za-z]/);
    await page.getByRole('link', { name: 'הצגת התרגום' }).click();
    await expect.poll(() => shownStatement(page)).toBe(first);

    // voting swaps in the next statement without a reload
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    await page.getByRole('button', { name: 'מסכימים', exact: true }).click();
    await expect.poll(() => shownStatement(page)).not.toBe(first);
    await expect.poll(() => page.locator('[data-progress]').innerText()).toBe('2 מתוך 4');
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);

    await page.getByLabel('האמירה שלכם', { exact: true }).fill('אני רוצה שהילדים שלי יכירו את השכנים שלהם.');
    await page.getByRole('button', { name: 'שליחה' }).click();
    await page.getByText('תודה. משתתפים אחרים יכולים כעת להצביע על האמירה שלכם.').waitFor();
    await shot(page, 'he-4-written');

    // the code continues on another device
    const other = await phone();
    await other.page.goto(`${server.url}/p/${d.invites.ji}/resume?lang=he`);
    await axe(other.page, 'resume he');
    await other.page.getByLabel('הקוד שלכם').fill(code.toLowerCase());
    await other.page.getByRole('button', { name: 'המשך' }).click();
    await expect.poll(() => other.page.locator('[data-progress]').innerText()).toBe('2 מתוך 4');
    await other.context.close();
    await context.close();
  });

  it('an Arabic participant chooses a segment, votes on the Hebrew statement and writes; results show', async () => {
    const { context, page } = await phone({ locale: 'ar' });
    await page.goto(`${server.url}/p/${d.invites.any}`);
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['ar', 'rtl']);
    await axe(page, 'entry ar');
    await shot(page, 'ar-1-entry');
    await page.getByRole('radio', { name: 'فلسطينيون' }).check();
    await page.getByRole('button', { name: 'شارك' }).click();
    await page.getByText('رمزك:').waitFor();
    await page.getByRole('radio', { name: 'لست متأكدًا' }).check();
    await page.getByRole('button', { name: 'أجب' }).click();
    await page.getByRole('button', { name: 'أوافق', exact: true }).waitFor();
    await axe(page, 'statement ar');
    await shot(page, 'ar-2-statement');

    // vote through: the statements an Arabic reader can read (the seeds, translated) come first; then the Hebrew
    // participant's statement, in Hebrew, marked as not yet translated (no AI provider)
    const done = page.getByRole('heading', { name: 'لقد رأيت كل العبارات حتى الآن' });
    const shownNow = async () => (await page.locator('[data-statement] blockquote:not([hidden])').allInnerTexts())[0] ?? '';
    let sawHebrew = false;
    const shown: string[] = [];
    for (let i = 0; i < 8 && !(await done.count()); i++) {
      const text = await shownNow();
      shown.push(text);
      if (/אני רוצה שהילדים שלי/.test(text)) {
        sawHebrew = true;
        expect(await page.locator('figcaption').innerText()).toBe('لم تُترجم بعد — معروضة بالعبرية كما كُتبت');
        expect(await page.locator('[data-statement] blockquote').getAttribute('lang')).toBe('he');
        await shot(page, 'ar-3-hebrew-original');
      }
      await page.getByRole('button', { name: i % 2 ? 'لا أوافق' : 'أوافق', exact: true }).click();
      await expect.poll(async () => (await done.count()) > 0 || (await shownNow()) !== text).toBe(true);
    }
    // the three seeds in Arabic, then the Hebrew statement last
    expect(shown.length).toBe(4);
    for (const text of shown.slice(0, 3)) expect(text).toMatch(/^[\u0600-\u06FF]/);
    expect(shown[3]).toMatch(/אני רוצה שהילדים שלי/);
    expect(sawHebrew).toBe(true);
    await done.waitFor();
    await axe(page, 'done ar');
    await page.getByLabel('عبارتك', { exact: true }).fill('نريد أن يعيش أطفالنا بأمان وكرامة.');
    await page.getByRole('button', { name: 'أرسل' }).click();
    await page.getByText('شكرًا. يمكن للآخرين الآن التصويت على عبارتك.').waitFor();
    await shot(page, 'ar-4-done-written');

    await page.getByRole('link', { name: 'اعرض النتائج' }).click();
    await page.getByRole('heading', { level: 1, name: 'النتائج' }).waitFor();
    await axe(page, 'results ar');
    await shot(page, 'ar-5-results');
    await context.close();
  });

  it('every public page passes axe in English, Hebrew and Arabic', async () => {
    const { context, page } = await phone();
    for (const lang of ['en', 'he', 'ar']) {
      for (const [name, url] of [
        ['entry', `/p/${d.invites.any}?lang=${lang}`],
        ['resume', `/p/${d.invites.any}/resume?lang=${lang}`],
        ['results', `/p/${d.invites.any}/results?lang=${lang}`],
        ['withdrawn', `/p/${d.invites.gone}?lang=${lang}`],
        ['unknown', `/p/no-such-invite?lang=${lang}`],
      ] as const) {
        await page.goto(`${server.url}${url}`);
        expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
        await axe(page, `${name} ${lang}`);
      }
    }
    await shot(page, 'en-unknown');
    // an English participant's statement page and poll page
    await page.goto(`${server.url}/p/${d.invites.pal}?lang=en`);
    await page.getByRole('button', { name: 'Take part' }).click();
    await axe(page, 'poll en');
    await page.getByRole('radio', { name: 'No', exact: true }).check();
    await page.getByRole('button', { name: 'Answer' }).click();
    await page.getByRole('button', { name: 'Agree', exact: true }).waitFor();
    await axe(page, 'statement en');
    await shot(page, 'en-statement');
    // 200% zoom of a 640 px window is a 320 px viewport: nothing may need sideways scrolling (WCAG 1.4.10)
    await page.setViewportSize({ width: 320, height: 640 });
    for (const url of [`/p/${d.invites.pal}`, `/p/${d.invites.any}?lang=ar`, `/p/${d.invites.any}/results?lang=he`]) {
      await page.goto(`${server.url}${url}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), url).toBeLessThanOrEqual(0);
    }
    await context.close();
  });

  it('works with JavaScript off: a vote and a statement through plain forms', async () => {
    const { context, page } = await phone({ javaScriptEnabled: false });
    await page.goto(`${server.url}/p/${d.invites.any}?lang=en`);
    await page.getByRole('radio', { name: 'Jewish Israelis' }).check();
    await page.getByRole('button', { name: 'Take part' }).click();
    await page.getByText('Your code:').waitFor();
    await page.getByRole('radio', { name: 'Yes', exact: true }).check();
    await page.getByRole('button', { name: 'Answer' }).click();
    await expect.poll(() => page.locator('[data-progress]').innerText()).toMatch(/^1 of \d+$/);
    const before = await page.locator('[data-statement] blockquote').first().innerText();
    await page.getByRole('button', { name: 'Disagree' }).click();
    await expect.poll(() => page.locator('[data-progress]').innerText()).toMatch(/^2 of \d+$/);
    expect(await page.locator('[data-statement] blockquote').first().innerText()).not.toBe(before);
    // "show original" is a link that reloads the same statement the other way round
    const toggle = page.getByRole('link', { name: 'Show original' });
    if (await toggle.count()) {
      await toggle.click();
      await page.getByRole('link', { name: 'Show translation' }).waitFor();
    }
    await page.getByLabel('Your statement', { exact: true }).fill('Trust grows when we meet in person.');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText('Thank you. Others can now vote on your statement.').waitFor();
    await shot(page, 'en-no-js');
    await context.close();
  });

  it('had no page errors, CSP refusals or third-party requests', () => {
    expect(problems).toEqual([]);
  });
});
