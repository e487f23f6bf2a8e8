import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/server/db/client.ts';
import { createUserWithPassword } from '../../src/server/features/accounts/accounts.service.ts';
import { addPhoto, createPost, publishPost, putVersion } from '../../src/server/features/updates/updates.service.ts';
import { staffContext } from '../setup/event-factories.ts';
import { jpegWithGps } from '../setup/post-factories.ts';
import { startServer, tempDataDir, type ServerProcess } from '../setup/server-process.ts';
import { AXE_TAGS, CHROMIUM, root } from './support.ts';

// The public news site (issue 15) on a 375 px phone and a desktop with JavaScript off, in English, Hebrew and
// Arabic: axe finds nothing on the list and the post, nothing is wider than the phone, nothing is requested from
// another site, and the print stylesheet hides the navigation. Screenshots go to NEWS_SHOTS (when set).

const PHONE = { width: 375, height: 740 };
const DESKTOP = { width: 1280, height: 860 };
const SHOTS = process.env.NEWS_SHOTS;
const AXE_SOURCE = fs.readFileSync(path.join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');
let server: ServerProcess;
let browser: Browser;
const problems: string[] = [];
const SLUGS = { en: 'regional-meeting', he: 'regional-meeting-he', ar: 'regional-meeting-ar' } as const;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium first (apt-get update && apt-get install -y chromium).`);
  const dataDir = tempDataDir();
  const database = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
  await database.migrate();
  const db = database.db;
  const author = await createUserWithPassword(db, { name: 'Oliver', email: 'oliver@example.org', password: 'a long enough password', role: 'staff', locale: 'en', timeZone: 'Asia/Jerusalem' });
  const ctx = staffContext({ id: author.id });
  const body = {
    en: '## A week with our members\n\nWe met **64 member organisations** in Jerusalem and Ramallah, in two meetings held apart.\n\nPHOTO\n\n> Peace is built by the people who keep meeting.\n\n- More joint programmes for young people\n- Follow-ups with each organisation\n\nSee [the report](https://example.org/report).',
    he: '## שבוע עם הארגונים החברים\n\nנפגשנו עם **64 ארגונים חברים** בירושלים וברמאללה, בשתי פגישות נפרדות (Jerusalem, Ramallah).\n\nPHOTO\n\n> שלום בונים אנשים שממשיכים להיפגש.\n\n- עוד תוכניות משותפות לצעירים\n- מעקב מול כל ארגון',
    ar: '## أسبوع مع أعضائنا\n\nالتقينا بـ**64 منظمة عضوًا** في القدس ورام الله، في اجتماعين منفصلين.\n\nPHOTO\n\n> يبني السلامَ الناسُ الذين يواصلون اللقاء.\n\n- المزيد من البرامج المشتركة للشباب\n- متابعة مع كل منظمة',
  };
  const titles = { en: 'Regional team meeting in Ramallah', he: 'פגישת הצוות האזורי ברמאללה', ar: 'اجتماع الفريق الإقليمي في رام الله' };
  const post = await createPost(db, ctx, { visibility: 'public', versions: { en: { slug: SLUGS.en, title: titles.en, summary: 'The first week of July 2024.', body: body.en } } });
  await putVersion(db, ctx, post.id, 'he', { slug: SLUGS.he, title: titles.he, summary: 'השבוע הראשון של יולי 2024.', body: body.he });
  await putVersion(db, ctx, post.id, 'ar', { slug: SLUGS.ar, title: titles.ar, summary: 'الأسبوع الأول من تموز 2024.', body: body.ar });
  const photo = await addPhoto(db, ctx, post.id, { file: await jpegWithGps(1600, 1000), alt: { en: 'The team around a table', he: 'הצוות סביב שולחן', ar: 'الفريق حول طاولة' }, caption: { en: 'Ramallah, 3 July 2024', he: 'רמאללה, 3 ביולי 2024', ar: 'رام الله، 3 تموز 2024' }, credit: 'Coalition' });
  for (const l of ['en', 'he', 'ar'] as const) await putVersion(db, ctx, post.id, l, { slug: SLUGS[l], title: titles[l], summary: '', body: body[l].replace('PHOTO', `![](photo:${photo.id})`) });
  await publishPost(db, ctx, post.id, new Date('2024-07-08T07:00:00Z'));
  await database.close();
  server = await startServer({ dataDir });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  if (SHOTS) fs.mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
});

async function open(viewport: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, isMobile: viewport.width < 500, javaScriptEnabled: false });
  const page = await context.newPage();
  context.on('request', (r) => {
    if (!r.url().startsWith(server.url)) problems.push(`third-party request: ${r.url()}`);
  });
  return { context, page };
}

async function axe(page: Page, name: string) {
  await page.waitForLoadState('networkidle');
  const html = await page.content();
  const context = await browser.newContext({ viewport: PHONE, isMobile: true, javaScriptEnabled: true });
  const check = await context.newPage();
  await check.route('**/*', (route) => (route.request().url() === `${server.url}/axe-check` ? route.fulfill({ body: html, contentType: 'text/html' }) : route.continue()));
  await check.goto(`${server.url}/axe-check`);
  await check.evaluate(AXE_SOURCE);
  const result = await check.evaluate(async (tags) => {
    const a = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await a.run(document, { runOnly: { type: 'tag', values: tags } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  }, AXE_TAGS);
  await context.close();
  expect(result.map((v) => `${name}: [${v.impact}] ${v.id}: ${v.help} at ${v.targets.join(' | ')}`)).toEqual([]);
}

describe('the news site with JavaScript off', () => {
  for (const lang of ['en', 'he', 'ar'] as const) {
    it(`in ${lang}: the list and the post, axe-clean, right to left where it should be, no wider than a phone`, async () => {
      for (const [vp, label] of [
        [PHONE, 'phone'],
        [DESKTOP, 'desktop'],
      ] as const) {
        const { context, page } = await open(vp);
        await page.goto(`${server.url}/news?lang=${lang}`);
        expect(await page.locator('html').getAttribute('dir')).toBe(lang === 'en' ? 'ltr' : 'rtl');
        await axe(page, `list ${lang} ${label}`);
        if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `news-list-${lang}-${label}.png`), fullPage: true });
        await page.locator(`a[href="/news/${SLUGS[lang]}"]`).first().click();
        await page.waitForURL(new RegExp(`/news/${SLUGS[lang]}$`));
        await axe(page, `post ${lang} ${label}`);
        // the photo loaded (a format the browser takes) and is upright
        expect(await page.locator('figure.photo img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
        if (vp === PHONE) expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
        if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `news-post-${lang}-${label}.png`), fullPage: true });
        await context.close();
      }
    });
  }

  it('prints without the navigation, the share links and the feeds', async () => {
    const { context, page } = await open(DESKTOP);
    await page.goto(`${server.url}/news/${SLUGS.he}`);
    await page.emulateMedia({ media: 'print' });
    for (const sel of ['.top', '.share', '.feeds']) expect(await page.locator(sel).isVisible(), sel).toBe(false);
    expect(await page.locator('article h1').isVisible()).toBe(true);
    if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'news-post-he-print.png'), fullPage: true });
    await context.close();
  });

  it('asked nothing of another site', () => {
    expect(problems).toEqual([]);
  });
});
