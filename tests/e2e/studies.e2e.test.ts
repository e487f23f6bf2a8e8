import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { browserJourney, root, VIEWPORT, type Lang } from './support.ts';

// Staff set up a message test through the browser: two populations (one reading Hebrew and English, one Arabic
// and English), a control and three messages, an attention check; the power calculator answers as the numbers
// change. 400 respondents then take the public survey over HTTP (the JSON API, each with their own cookie and
// address), answering as if message 1 persuades both populations, message 2 only the first, and message 3
// backfires. The analysis page must show those verdicts and the coefficient plots in English, Hebrew and Arabic,
// axe-clean. A second study imports a panel vendor's CSV through the import page, mapping its labels.

// respondents come from many addresses (the survey limits starts per address); the server trusts X-Forwarded-For
process.env.TRUST_PROXY = 'true';

const journey = browserJourney('studies');
const { pageProblems, axe, shot, switchLanguage } = journey;
const h1 = journey.heading;

/** A Mantine select's text box by its label. */
function selectInput(scope: Page | ReturnType<Page['locator']>, label: string) {
  return scope.getByLabel(new RegExp(`^${label}( \\*)?$`)).and(scope.locator('input:not([type=hidden])'));
}

async function pick(page: Page, name: string | RegExp) {
  const option = page.getByRole('option', { name }).first();
  await option.waitFor();
  await option.click();
}

/** A small seeded generator, so the simulated answers (and so the verdicts) are the same on every run. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MESSAGES = [
  {
    en: 'Both peoples have a right to live in safety and dignity.',
    he: 'לשני העמים יש זכות לחיות בביטחון ובכבוד.',
    ar: 'لكلا الشعبين الحق في العيش بأمان وكرامة.',
  },
  {
    en: 'Security for our families comes first.',
    he: 'הביטחון של המשפחות שלנו קודם לכל.',
    ar: 'أمن عائلاتنا يأتي أولًا.',
  },
  {
    en: 'The other side only understands force.',
    he: 'הצד השני מבין רק כוח.',
    ar: 'الطرف الآخر لا يفهم إلا القوة.',
  },
];
const CONTROL = { en: 'Thank you for taking part in this survey.', he: 'תודה שהשתתפת בסקר הזה.', ar: 'شكرًا لمشاركتك في هذا الاستطلاع.' };
const POPULATIONS = [
  { en: 'Jewish Israelis', he: 'יהודים ישראלים', ar: 'يهود إسرائيليون', reads: ['he', 'en'] as const, language: 'he' as const },
  { en: 'Palestinians', he: 'פלסטינים', ar: 'فلسطينيون', reads: ['ar', 'en'] as const, language: 'ar' as const },
];
const NEW_STUDY: Record<Lang, string> = { en: 'New study', he: 'מחקר חדש', ar: 'دراسة جديدة' };
const LANGUAGE_NAME = { he: 'Hebrew', ar: 'Arabic', en: 'English' } as const;

/** The effect each message has in each population (points on the 1–7 scale): persuades both, one, backfires. */
const EFFECT = [
  [1.4, 1.4],
  [1.4, 0],
  [-1.4, -1.4],
];

let origin = '';
let page: Page;
let studyId = '';

describe('message tests, staff side', () => {
  it('creates a study with two populations and three messages through the wizard, with the power calculator live', async () => {
    const setupLink = journey.server().setupLink();
    expect(setupLink, journey.server().output()).toBeTruthy();
    origin = new URL(setupLink!).origin;
    const context = await journey.browser().newContext({ viewport: VIEWPORT, locale: 'en-GB', timezoneId: 'Europe/London' });
    page = await context.newPage();
    journey.watch(page);

    await journey.setUpFirstAdmin(page, { name: 'Rana Khoury', email: 'rana@example.org', password: 'olive branch 2024 bridge' });

    await page.goto(`${origin}/research/studies`);
    await h1(page, 'Message tests');
    await axe(page, 'studies list en');
    await page.getByRole('button', { name: 'New study' }).click();
    const wizard = page.getByRole('dialog');
    const step = (name: string) => expect.poll(() => wizard.getByTestId('wizard-step').textContent()).toBe(name);

    // ---- basics ----
    await wizard.getByRole('textbox', { name: 'Title' }).fill('Non-violence and a diplomatic horizon');
    await wizard.getByRole('textbox', { name: 'Description' }).fill('Which messages persuade Israelis and Palestinians alike?');
    // Next refuses an empty step and says so
    await wizard.getByRole('textbox', { name: 'Title' }).fill('');
    await wizard.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => wizard.getByText('Required', { exact: true }).count()).toBeGreaterThan(0);
    await step('Basics');
    await wizard.getByRole('textbox', { name: 'Title' }).fill('Non-violence and a diplomatic horizon');
    await wizard.getByRole('button', { name: 'Next' }).click();

    // ---- populations: each reads its own languages ----
    await step('Populations');
    for (const [i, p] of POPULATIONS.entries()) {
      const g = wizard.getByRole('group', { name: `Population ${i + 1}` });
      for (const l of ['he', 'ar', 'en'] as const) if (!(p.reads as readonly string[]).includes(l)) await g.getByRole('checkbox', { name: LANGUAGE_NAME[l] }).uncheck();
      // named in every language staff read; required only in those the population reads
      for (const l of ['he', 'ar', 'en'] as const) await g.getByRole('textbox', { name: `Name (${LANGUAGE_NAME[l]})` }).fill(p[l]);
      await g.getByRole('textbox', { name: 'Target sample size' }).fill('200');
    }
    // the short key follows the English name
    expect(await wizard.getByRole('group', { name: 'Population 2' }).getByRole('textbox', { name: 'Short key' }).inputValue()).toBe('palestinians');
    await axe(page, 'wizard populations en');
    await shot(page, 'en-wizard-populations');
    await wizard.getByRole('button', { name: 'Next' }).click();

    // ---- control and three messages, each in three languages side by side ----
    await step('Control and messages');
    const control = wizard.getByRole('group', { name: 'Control', exact: true });
    for (const l of ['he', 'ar', 'en'] as const) await control.getByRole('textbox', { name: `Control text (${LANGUAGE_NAME[l]})` }).fill(CONTROL[l]);
    for (const [i, m] of MESSAGES.entries()) {
      if (i > 0) await wizard.getByRole('button', { name: 'Add message' }).click();
      const g = wizard.getByRole('group', { name: `Message ${i + 1}` });
      for (const l of ['he', 'ar', 'en'] as const) {
        const box = g.getByRole('textbox', { name: `Message (${LANGUAGE_NAME[l]})` });
        await box.fill(m[l]);
        // typed in its own direction (Mantine puts dir on the input's wrapper)
        expect(await box.evaluate((e) => e.closest('[dir]')?.getAttribute('dir'))).toBe(l === 'en' ? 'ltr' : 'rtl');
      }
    }
    await axe(page, 'wizard messages en');
    await shot(page, 'en-wizard-messages');
    await wizard.getByRole('button', { name: 'Next' }).click();

    // ---- questions: the default agreement outcome, and an attention check ----
    await step('Questions');
    expect(await wizard.getByRole('textbox', { name: 'Question (Hebrew)' }).first().inputValue()).toContain('מסכימים');
    await wizard.getByRole('switch', { name: 'Ask an attention check' }).check({ force: true });
    await expect.poll(() => selectInput(wizard, 'Correct answer').inputValue()).toBe('Blue');
    await axe(page, 'wizard questions en');
    await wizard.getByRole('button', { name: 'Next' }).click();

    // ---- randomization and power: the figures change as the numbers do ----
    await step('Randomization and power');
    const rows = wizard.getByTestId('power-row');
    await expect.poll(() => rows.count()).toBe(3);
    const mdeBefore = await rows.first().locator('td').nth(1).textContent();
    expect(await rows.first().locator('td').first().textContent()).toBe('50'); // 200 people / 4 conditions
    await wizard.getByRole('textbox', { name: 'Outcome standard deviation' }).fill('1');
    await expect.poll(() => rows.first().locator('td').nth(1).textContent()).not.toBe(mdeBefore);
    // 50 per arm, sd 1, α 0.05, power 0.8: MDE = (t.975 + t.80) on 98 df × sqrt(2/50) ≈ 0.566 (R: power.t.test)
    expect(await rows.first().locator('td').nth(1).textContent()).toMatch(/^0\.5[67]/);
    await wizard.getByText('Sample size for an effect', { exact: true }).click();
    await wizard.getByRole('textbox', { name: 'Effect to detect' }).fill('0.5');
    await expect.poll(async () => Number(await rows.first().locator('td').first().textContent())).toBeGreaterThan(50);
    await axe(page, 'wizard power en');
    await shot(page, 'en-wizard-power');
    await wizard.getByRole('button', { name: 'Next' }).click();

    await step('Review');
    await wizard.getByRole('button', { name: 'Create study' }).click();
    await page.waitForURL(/\/research\/studies\/[0-9a-f-]{36}/);
    studyId = new URL(page.url()).pathname.split('/').pop()!;
    await h1(page, 'Non-violence and a diplomatic horizon');
    await expect.poll(() => page.getByTestId('study-status').textContent()).toBe('Draft');
    await expect.poll(() => page.getByTestId('messages-table').locator('tbody tr').count()).toBe(4);
  });

  it('opens the survey, makes a link per population, and 400 respondents answer over HTTP', async () => {
    await page.getByTestId('status-button').click();
    await expect.poll(() => page.getByTestId('study-status').textContent()).toBe('Open');
    for (const p of POPULATIONS) {
      await page.getByRole('button', { name: `Create link: ${p.en}` }).click();
    }
    await expect.poll(() => page.getByTestId('invite-url').count()).toBe(2);
    const urls = await page.getByTestId('invite-url').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    expect(urls.every((u) => /\/s\/[A-Za-z0-9_-]+$/.test(u))).toBe(true);
    await axe(page, 'study overview en');
    await shot(page, 'en-overview');

    // ---- respondents: each their own cookie and address; they answer as the message they were shown moves them ----
    // The k-th respondent of each condition in a population draws the k-th noise of one fixed list, so a message
    // without effect gets exactly the control's answers: the verdicts do not depend on the server's random order.
    const random = mulberry32(20240707);
    const normal = () => Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
    const NOISE = Array.from({ length: 200 }, normal);
    const plan = Array.from({ length: 400 }, (_, i) => ({ population: i % 2, address: `10.${Math.floor(i / 250)}.${i % 250}.7` }));
    const tokens = urls.map((u) => u.split('/s/')[1]!);
    const seen: Record<string, number> = {};
    const counters = new Map<string, number>();
    async function respond(r: (typeof plan)[number]) {
      const token = tokens[r.population]!;
      const headers = { origin, 'content-type': 'application/json', 'x-forwarded-for': r.address };
      const start = await fetch(`${origin}/api/survey/${token}/start`, { method: 'POST', headers, body: JSON.stringify({ language: POPULATIONS[r.population]!.language }) });
      const state = await start.json();
      expect(start.status, JSON.stringify(state)).toBe(201);
      const cookie = (start.headers.getSetCookie?.() ?? [start.headers.get('set-cookie') ?? '']).map((c) => c.split(';')[0]).join('; ');
      expect(state.step).toBe('outcomes');
      const text: string | null = state.message?.text ?? null;
      const arm = MESSAGES.findIndex((m) => Object.values(m).includes(text ?? ''));
      seen[arm] = (seen[arm] ?? 0) + 1;
      const k = counters.get(`${r.population}:${arm}`) ?? 0;
      counters.set(`${r.population}:${arm}`, k + 1);
      const effect = arm < 0 ? 0 : EFFECT[arm]![r.population]!;
      const value = Math.min(7, Math.max(1, Math.round(4 + effect + 1.2 * NOISE[k]!)));
      const attentive = k % 25 !== 3; // two in fifty fail the attention check
      const res = await fetch(`${origin}/api/survey/${token}/answers`, {
        method: 'POST',
        headers: { ...headers, cookie },
        body: JSON.stringify({ answers: [{ questionKey: 'agreement', value }, { questionKey: 'attention', choice: attentive ? 'blue' : 'red' }] }),
      });
      const done = await res.json();
      expect(res.status, JSON.stringify(done)).toBe(200);
      expect(done.step).toBe('complete');
    }
    for (let i = 0; i < plan.length; i += 8) await Promise.all(plan.slice(i, i + 8).map(respond));
    // block randomization: 200 per population in blocks of 8 → exactly 50 per condition per population, 100 in all
    expect(seen).toEqual({ '-1': 100, '0': 100, '1': 100, '2': 100 });

    await page.reload();
    await h1(page, 'Non-violence and a diplomatic horizon');
    await expect.poll(() => page.getByTestId('study-counts').textContent()).toContain('400 responses (400 complete)');
    await shot(page, 'en-overview-responses');
  });

  it('shows the verdicts, the coefficient plots and the figures, axe-clean, in English, Hebrew and Arabic', async () => {
    const verdicts: Record<Lang, string[]> = {
      en: ['Persuades both', 'Persuades one', 'Backfires'],
      he: ['משכנע את שתיהן', 'משכנע אחת', 'פועל הפוך'],
      ar: ['يُقنع الطرفين', 'يُقنع طرفًا واحدًا', 'نتيجة عكسية'],
    };
    const headings: Record<Lang, string> = { en: 'Verdicts', he: 'הכרעות', ar: 'الأحكام' };
    for (const lang of ['en', 'he', 'ar'] as const) {
      if (lang !== 'en') await switchLanguage(page, lang);
      await page.goto(`${origin}/research/studies/${studyId}?tab=analysis`);
      await expect.poll(() => page.getByRole('heading', { name: headings[lang] }).count(), { timeout: 20_000 }).toBe(1);
      const rows = page.getByTestId('verdict-row');
      await expect.poll(() => rows.count()).toBe(3);
      expect(await rows.getByTestId('verdict').allTextContents()).toEqual(verdicts[lang]);
      // a plot per population side by side, each message's measured (filled) and shrunk (hollow) effect
      await expect.poll(() => page.getByTestId('coefficient-plot').count()).toBe(2);
      expect(await page.getByTestId('raw-marker').count()).toBe(6);
      expect(await page.getByTestId('shrunk-marker').count()).toBe(6);
      // the numbers on the axis grow left to right in every language: message 3 (backfires) is left of zero
      const plot = page.getByTestId('coefficient-plot').first();
      const xs = await plot.getByTestId('raw-marker').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().x));
      expect(xs[2]!).toBeLessThan(xs[0]!);
      // the table alternative has Holm and BH columns for every message; attention exclusions are stated
      expect(await page.getByTestId('figures-row').count()).toBe(6);
      if (lang === 'en') expect(await page.getByTestId('analysis-basis').textContent()).toContain('384 passed, 16 failed and were left out');
      expect(await page.getByTestId('verdict-rule').textContent()).toContain('Holm');
      await expect.poll(() => page.getByTestId('differences-table').locator('tbody tr').count()).toBe(3);
      await axe(page, `analysis ${lang}`);
      await shot(page, `${lang}-analysis`);
      await page.locator('section[aria-labelledby="plots-title"]').screenshot({ path: path.join(root, 'screenshots', `studies-${lang}-plots.png`) });
      await page.locator('section[aria-labelledby="figures-title"]').screenshot({ path: path.join(root, 'screenshots', `studies-${lang}-figures.png`) });
      if (lang !== 'en') {
        expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
        await page.goto(`${origin}/research/studies/${studyId}?tab=overview`);
        await expect.poll(() => page.getByTestId('invite-url').count(), { timeout: 15_000 }).toBe(2);
        await axe(page, `overview ${lang}`);
        await shot(page, `${lang}-overview`);
        for (const tab of ['import', 'export']) {
          await page.goto(`${origin}/research/studies/${studyId}?tab=${tab}`);
          await axe(page, `${tab} ${lang}`);
        }
        await page.goto(`${origin}/research/studies`);
        await expect.poll(() => page.getByTestId('study-row').count(), { timeout: 15_000 }).toBe(1);
        await axe(page, `list ${lang}`);
        // the wizard mirrored: basics, then populations with names side by side
        await page.getByRole('button', { name: NEW_STUDY[lang] }).click();
        const wizard = page.getByRole('dialog');
        // axe measures contrast: wait for the dialog's fade-in to end
        await expect.poll(() => page.locator('.mantine-Modal-content').evaluate((e) => getComputedStyle(e).opacity)).toBe('1');
        await wizard.locator('input').first().fill('בדיקה · اختبار');
        await axe(page, `wizard basics ${lang}`);
        await wizard.locator('button[type=submit]').click();
        await expect.poll(() => wizard.getByTestId('population-draft').count()).toBe(2);
        await axe(page, `wizard populations ${lang}`);
        await shot(page, `${lang}-wizard-populations`);
        await page.keyboard.press('Escape');
        await wizard.waitFor({ state: 'detached' });
      }
    }
    await switchLanguage(page, 'en');
    const csv = await page.request.get(`${origin}/api/studies/${studyId}/export/estimates.csv`);
    expect(csv.ok()).toBe(true);
    expect((await csv.text()).split('\n')[0]).toContain('verdict');
    // the export tab's report link: printable HTML in the reader's language, with the plots inline
    await page.goto(`${origin}/research/studies/${studyId}?tab=export`);
    const href = await page.getByRole('link', { name: 'Open the report' }).getAttribute('href');
    expect(href).toBe(`/api/studies/${studyId}/report?lang=en`);
    const report = await page.request.get(`${origin}${href}`);
    expect(report.ok()).toBe(true);
    expect(await report.text()).toContain('<svg');
  });

  it('imports a panel vendor CSV through the import page, mapping its labels', async () => {
    // a one-population study, made through the API to save time
    const created = await page.request.post(`${origin}/api/studies`, {
      headers: { origin },
      data: {
        title: 'Panel wave 2',
        languages: ['en'],
        populations: [{ key: 'all', name: { en: 'Panel' }, languages: ['en'] }],
        arms: [
          { key: 'control', control: true, text: {} },
          { key: 'horizon', text: { en: 'A diplomatic horizon is possible.' } },
        ],
        questions: [{ key: 'support', role: 'outcome', kind: 'scale', scaleMin: 1, scaleMax: 7, prompt: { en: 'How much do you support it?' } }],
      },
    });
    expect(created.status(), await created.text()).toBe(201);
    const id = (await created.json()).id as string;
    const random = mulberry32(7);
    const lines = ['respondent;population;condition;support'];
    for (let i = 0; i < 120; i++) {
      const treated = i % 2 === 1;
      const v = i === 5 ? 'NA' : String(Math.min(7, Math.max(1, Math.round(3.5 + (treated ? 1 : 0) + 2 * (random() - 0.5)))));
      lines.push(`r${i};Panel;${treated ? 'Horizon message' : ' Control '};${v}`);
    }

    await page.goto(`${origin}/research/studies/${id}?tab=import`);
    await h1(page, 'Panel wave 2');
    await page.locator('input[type=file]').setInputFiles({ name: 'wave2.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
    await expect.poll(() => page.getByTestId('import-columns').textContent()).toBe('4 columns found.');
    // columns guessed from the header; the outcome column from its key
    expect(await selectInput(page, 'Population column').inputValue()).toBe('population');
    expect(await selectInput(page, 'Condition column').inputValue()).toBe('condition');
    await page.getByRole('button', { name: 'Check the file' }).click();
    // the file's labels are not the study's keys: they are asked for
    await expect.poll(() => page.getByTestId('arm-value').count()).toBe(2);
    await selectInput(page, 'Population "Panel"').click();
    await pick(page, 'Panel');
    await selectInput(page, 'Condition "Control"').click();
    await pick(page, 'Control');
    await selectInput(page, 'Condition "Horizon message"').click();
    await pick(page, /^Message 1/);
    await page.getByRole('button', { name: 'Check again' }).click();
    await expect.poll(() => page.getByTestId('import-summary').textContent()).toBe('120 rows read, 120 can be imported, 0 with errors.');
    await axe(page, 'import en');
    await shot(page, 'en-import');
    await page.getByRole('button', { name: 'Import 120 responses' }).click();
    await expect.poll(() => page.getByTestId('import-done').textContent()).toBe('120 responses imported.');
    await expect.poll(() => page.getByTestId('study-counts').textContent()).toContain('120 responses');
    await page.goto(`${origin}/research/studies/${id}?tab=analysis`);
    await expect.poll(() => page.getByTestId('coefficient-plot').count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('figures-row').count()).toBe(1);
    await shot(page, 'en-import-analysis');
  });

  it('says plainly when there is no AI provider, and when a dialogue has no bridging statements yet', async () => {
    // this server has no AI provider: drafting variants and predicting a ranking answer 409 ai_not_configured
    await page.goto(`${origin}/research/studies/${studyId}?tab=overview`);
    await h1(page, 'Non-violence and a diplomatic horizon');
    await page.getByRole('textbox', { name: 'Brief for AI drafts' }).fill('Messages about non-violence that both populations accept.');
    await page.getByRole('button', { name: 'Save brief' }).click();
    // said before any click: the button is disabled and the reason shown
    await expect.poll(() => page.getByTestId('ai-not-configured').textContent()).toContain('No AI provider is configured');
    expect(await page.getByRole('button', { name: 'Draft variants with AI' }).isDisabled()).toBe(true);
    await page.goto(`${origin}/research/studies/${studyId}?tab=analysis`);
    await expect.poll(() => page.getByText('so there is no predicted ranking').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Ask the model for a ranking' }).isDisabled()).toBe(true);

    // "test these statements" from a dialogue that has none yet
    const d = await page.request.post(`${origin}/api/dialogues`, { headers: { origin }, data: { title: 'July joint session', languages: ['he', 'ar', 'en'] } });
    expect(d.status(), await d.text()).toBe(201);
    await page.goto(`${origin}/research/studies`);
    await page.getByRole('button', { name: "From a dialogue's bridging statements" }).click();
    const dialog = page.getByRole('dialog');
    await selectInput(dialog, 'Dialogue').click();
    await pick(page, 'July joint session');
    await axe(page, 'from dialogue en');
    await dialog.getByRole('button', { name: 'Create the study' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('This dialogue has no bridging statements yet.');

    expect(pageProblems).toEqual([]);
  });
});
