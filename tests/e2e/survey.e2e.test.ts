import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/server/db/client.ts';
import { study, studyArm, studyInvite, studyPopulation, studyQuestion } from '../../src/server/features/studies/studies.schema.ts';
import { startServer, tempDataDir, type ServerProcess } from '../setup/server-process.ts';
import { AXE_TAGS, CHROMIUM, root } from './support.ts';

// Answering a message test on a phone (375×740): a Hebrew and an Arabic respondent go consent → covariate →
// the assigned message → outcomes → attention check → thank you; the back button, a reload and a second tab keep
// the message; axe-core on every page in en/he/ar; one run with JavaScript off. The study is seeded into the data
// folder before the server starts (the staff side has its own journeys).

const PHONE = { width: 375, height: 740 };
const SHOTS = path.join(root, 'screenshots');
const AXE_SOURCE = fs.readFileSync(path.join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');

let server: ServerProcess;
let browser: Browser;
let links: { ji: string; pal: string; closed: string; gone: string };
const problems: string[] = [];

const MESSAGES = [
  { en: 'Violence has never brought either people safety. Only an agreement can.', he: 'האלימות מעולם לא הביאה ביטחון לאף אחד מהעמים. רק הסכם יכול.', ar: 'لم يجلب العنف الأمان لأي من الشعبين قط. وحده الاتفاق يستطيع ذلك.' },
  { en: 'A diplomatic horizon is the only way out for both peoples.', he: 'אופק מדיני הוא הדרך היחידה החוצה לשני העמים.', ar: 'الأفق الدبلوماسي هو المخرج الوحيد للشعبين.' },
  { en: 'Our children deserve a future without fear, on both sides.', he: 'לילדים שלנו, משני הצדדים, מגיע עתיד בלי פחד.', ar: 'يستحق أطفالنا، على الجانبين، مستقبلًا بلا خوف.' },
];
const CONTROL = { en: 'The weather this week will be warm, with light winds in the afternoon.', he: 'מזג האוויר השבוע יהיה חם, עם רוחות קלות אחר הצהריים.', ar: 'سيكون الطقس هذا الأسبوع دافئًا مع رياح خفيفة بعد الظهر.' };
const ALL_TEXTS = [CONTROL, ...MESSAGES].flatMap((m) => Object.values(m));

async function seed(db: Db, status: string) {
  const [s] = await db
    .insert(study)
    .values({
      title: 'Non-violence messages, wave 1',
      languages: ['he', 'ar', 'en'],
      status,
      randomization: 'block',
      blockRepeats: 2,
      assignmentSeed: randomBytes(32).toString('hex'),
      consent: {
        en: 'This survey is run by a coalition of civil-society organisations. It takes about three minutes. You can stop at any time.',
        he: 'הסקר נערך בידי קואליציה של ארגוני חברה אזרחית. הוא אורך כשלוש דקות. אפשר להפסיק בכל שלב.',
        ar: 'يجري هذا الاستطلاع تحالفٌ من منظمات المجتمع المدني. يستغرق نحو ثلاث دقائق. يمكنك التوقف في أي وقت.',
      },
    })
    .returning();
  const pops: Record<string, string> = {};
  const tokens: Record<string, string> = {};
  for (const [i, p] of [
    { key: 'ji', languages: ['he', 'en'], name: { en: 'Jewish Israelis', he: 'יהודים ישראלים', ar: 'يهود إسرائيليون' } },
    { key: 'pal', languages: ['ar', 'en'], name: { en: 'Palestinians', he: 'פלסטינים', ar: 'فلسطينيون' } },
  ].entries()) {
    const [row] = await db.insert(studyPopulation).values({ studyId: s!.id, key: p.key, name: p.name, languages: p.languages, position: i }).returning();
    pops[p.key] = row!.id;
    tokens[p.key] = randomBytes(12).toString('base64url');
    await db.insert(studyInvite).values({ studyId: s!.id, populationId: row!.id, token: tokens[p.key]! });
  }
  tokens.gone = randomBytes(12).toString('base64url');
  await db.insert(studyInvite).values({ studyId: s!.id, populationId: pops.ji!, token: tokens.gone, revokedAt: new Date() });
  await db.insert(studyArm).values([{ key: 'control', control: true, text: CONTROL }, ...MESSAGES.map((text, i) => ({ key: `m${i + 1}`, text }))].map((a, i) => ({ ...a, studyId: s!.id, position: i })));
  await db.insert(studyQuestion).values([
    {
      studyId: s!.id,
      role: 'covariate',
      key: 'age',
      kind: 'choice',
      prompt: { en: 'How old are you?', he: 'מה גילך?', ar: 'كم عمرك؟' },
      options: [
        { id: 'young', label: { en: '18–39', he: '18–39', ar: '18–39' } },
        { id: 'old', label: { en: '40 or older', he: '40 ומעלה', ar: '40 أو أكثر' } },
      ],
      position: 0,
    },
    {
      studyId: s!.id,
      role: 'outcome',
      key: 'agree',
      kind: 'scale',
      scaleMin: 1,
      scaleMax: 7,
      scaleLabels: { min: { en: 'Strongly disagree', he: 'מתנגד/ת מאוד', ar: 'أعارض بشدة' }, max: { en: 'Strongly agree', he: 'מסכים/ה מאוד', ar: 'أوافق بشدة' } },
      prompt: { en: 'How much do you agree that the conflict must end through an agreement?', he: 'עד כמה את/ה מסכים/ה שהסכסוך חייב להסתיים בהסכם?', ar: 'إلى أي مدى توافق على أن الصراع يجب أن ينتهي باتفاق؟' },
      primary: true,
      position: 1,
    },
    { studyId: s!.id, role: 'outcome', key: 'share', kind: 'yes_no', prompt: { en: 'Would you share this message with a friend?', he: 'היית משתף/ת את המסר עם חבר/ה?', ar: 'هل ستشارك هذه الرسالة مع صديق؟' }, position: 2 },
    {
      studyId: s!.id,
      role: 'attention',
      key: 'check',
      kind: 'choice',
      prompt: { en: 'To show that you are reading, choose “Olive”.', he: 'כדי להראות שקראת, יש לבחור "זית".', ar: 'لتُظهر أنك تقرأ، اختر "زيتون".' },
      options: [
        { id: 'fig', label: { en: 'Fig', he: 'תאנה', ar: 'تين' } },
        { id: 'olive', label: { en: 'Olive', he: 'זית', ar: 'زيتون' } },
        { id: 'date', label: { en: 'Date', he: 'תמר', ar: 'تمر' } },
      ],
      correctOption: 'olive',
      position: 3,
    },
  ]);
  return tokens;
}

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium first (apt-get update && apt-get install -y chromium).`);
  fs.mkdirSync(SHOTS, { recursive: true });
  const dataDir = tempDataDir();
  const database = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
  await database.migrate();
  const open = await seed(database.db, 'open');
  const closed = await seed(database.db, 'closed');
  links = { ji: open.ji!, pal: open.pal!, gone: open.gone!, closed: closed.ji! };
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
});

async function phone(opts: { javaScriptEnabled?: boolean; locale?: string } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, javaScriptEnabled: opts.javaScriptEnabled ?? true, locale: opts.locale });
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // a 404 or 410 page is a failed load for the console; refusals and script errors are what matter
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of (400|404|410)/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  context.on('request', (r) => {
    if (!r.url().startsWith(server.url)) problems.push(`third-party request: ${r.url()}`);
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
  expect(result.map((v) => `${name}: [${v.impact}] ${v.id}: ${v.help} at ${v.targets.join(' | ')}`)).toEqual([]);
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(SHOTS, `survey-${name}.png`), fullPage: true });
}

const h1 = (page: Page) => page.locator('h1').innerText();
const messageShown = (page: Page) => page.locator('blockquote.message').innerText();

const WORDS = {
  he: { agree: 'מסכימים, אפשר להתחיל', next: 'הבא', finish: 'סיום', cont: 'המשך', old: '40 ומעלה', seven: /^7/, yes: 'כן', olive: 'זית', read: 'נא לקרוא בעיון', view: 'מה דעתך', thanks: 'תודה' },
  ar: { agree: 'أوافق، لنبدأ', next: 'التالي', finish: 'إنهاء', cont: 'متابعة', old: '40 أو أكثر', seven: /^7/, yes: 'نعم', olive: 'زيتون', read: 'يرجى قراءة هذا بعناية', view: 'رأيك', thanks: 'شكرًا لك' },
  en: { agree: 'I agree, start', next: 'Next', finish: 'Finish', cont: 'Continue', old: '40 or older', seven: /^7/, yes: 'Yes', olive: 'Olive', read: 'Please read this carefully', view: 'Your view', thanks: 'Thank you' },
} as const;

/** Consent to thank-you; axe and a screenshot on every page when `check` is set. Returns the message read. */
async function walk(page: Page, lang: keyof typeof WORDS, check: { axe: boolean; shots: string | null }) {
  const w = WORDS[lang];
  const at = async (name: string) => {
    if (check.axe) await axe(page, `${name} ${lang}`);
    if (check.shots) await shot(page, `${check.shots}-${name}`);
  };
  expect([await page.locator('html').getAttribute('lang'), await page.locator('html').getAttribute('dir')]).toEqual([lang, lang === 'en' ? 'ltr' : 'rtl']);
  await at('1-consent');
  await page.getByRole('button', { name: w.agree }).click();
  await page.getByRole('radio', { name: w.old }).waitFor();
  await at('2-covariates');
  await page.getByRole('radio', { name: w.old }).check();
  await page.getByRole('button', { name: w.next }).click();
  await page.getByRole('heading', { level: 1, name: w.read }).waitFor();
  const message = await messageShown(page);
  expect(ALL_TEXTS).toContain(message);
  await at('3-message');
  await page.getByRole('link', { name: w.cont }).click();
  await page.getByRole('heading', { level: 1, name: w.view }).waitFor();
  await at('4-outcomes');
  await page.getByRole('radio', { name: w.seven }).check();
  await page.getByRole('radio', { name: w.yes, exact: true }).check();
  await page.getByRole('button', { name: w.next }).click();
  await page.getByRole('radio', { name: w.olive }).waitFor();
  await at('5-attention');
  await page.getByRole('radio', { name: w.olive }).check();
  await page.getByRole('button', { name: w.finish }).click();
  await page.getByRole('heading', { level: 1, name: w.thanks }).waitFor();
  await at('6-thanks');
  return message;
}

describe('answering a message test on a phone', () => {
  it('a Hebrew respondent: the message stays the same through back, reload and a second tab', async () => {
    const { context, page } = await phone();
    await page.goto(`${server.url}/s/${links.ji}?lang=he`);
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['he', 'rtl']);
    // the staff's internal title is never shown to respondents
    expect(await page.content()).not.toContain('Non-violence messages');
    await page.getByRole('button', { name: WORDS.he.agree }).click();
    await page.getByRole('radio', { name: WORDS.he.old }).check();
    await page.getByRole('button', { name: WORDS.he.next }).click();
    const message = await messageShown(page);
    expect(message).toMatch(/[\u0590-\u05FF]/);
    await page.getByRole('link', { name: WORDS.he.cont }).click();
    await page.getByRole('heading', { level: 1, name: WORDS.he.view }).waitFor();

    // back, back, back: never the consent page again, always the same message
    for (let i = 0; i < 3; i++) {
      await page.goBack();
      expect(await h1(page)).not.toBe('לפני שמתחילים');
    }
    await page.reload();
    expect(await messageShown(page)).toBe(message);
    const tab = await context.newPage();
    await tab.goto(`${server.url}/s/${links.ji}`);
    expect(await messageShown(tab)).toBe(message);
    await tab.close();
    await context.close();
  });

  it('a Hebrew respondent walks through, every page axe-clean', async () => {
    const { context, page } = await phone();
    await page.goto(`${server.url}/s/${links.ji}?lang=he`);
    await walk(page, 'he', { axe: true, shots: 'he' });
    await context.close();
  });

  it('an Arabic respondent (the browser asks for Arabic), every page axe-clean; shown errors too', async () => {
    const { context, page } = await phone({ locale: 'ar' });
    await page.goto(`${server.url}/s/${links.pal}`);
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['ar', 'rtl']);
    const message = await walk(page, 'ar', { axe: true, shots: 'ar' });
    expect(message).toMatch(/[\u0600-\u06FF]/);

    // a page that comes back with errors (a browser that does not check required fields)
    const other = await phone({ locale: 'ar' });
    await other.page.goto(`${server.url}/s/${links.pal}`);
    await other.page.getByRole('button', { name: WORDS.ar.agree }).click();
    await other.page.getByRole('radio', { name: WORDS.ar.old }).waitFor();
    await other.page.evaluate(() => document.querySelectorAll('input[required]').forEach((i) => i.removeAttribute('required')));
    await other.page.getByRole('button', { name: WORDS.ar.next }).click();
    await other.page.getByRole('alert').waitFor();
    expect(await other.page.getByRole('alert').innerText()).toContain('يرجى الإجابة عن كل الأسئلة');
    await axe(other.page, 'errors ar');
    await shot(other.page, 'ar-errors');
    await other.context.close();
    await context.close();
  });

  it('English, and the notices, pass axe in English, Hebrew and Arabic', async () => {
    const { context, page } = await phone();
    await page.goto(`${server.url}/s/${links.pal}?lang=en`);
    await walk(page, 'en', { axe: true, shots: 'en' });
    for (const lang of ['en', 'he', 'ar']) {
      for (const [name, url] of [
        ['unknown', `/s/no-such-link?lang=${lang}`],
        ['withdrawn', `/s/${links.gone}?lang=${lang}`],
        ['closed', `/s/${links.closed}?lang=${lang}`],
      ] as const) {
        await page.goto(`${server.url}${url}`);
        expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
        await axe(page, `${name} ${lang}`);
      }
    }
    await shot(page, 'ar-closed');
    await context.close();
  });

  it('works with JavaScript off', async () => {
    const { context, page } = await phone({ javaScriptEnabled: false });
    await page.goto(`${server.url}/s/${links.ji}?lang=en`);
    await walk(page, 'en', { axe: false, shots: null });
    await shot(page, 'en-no-js-thanks');
    await context.close();
  });

  it('had no page errors, CSP refusals or third-party requests', () => {
    expect(problems).toEqual([]);
  });
});
