import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { startServer, tempDataDir, type ServerProcess } from '../setup/server-process.ts';

// What every browser journey needs: Debian's chromium, the built web app, a real server on a fresh data folder,
// axe-core in the page, screenshots, and a record of every request and page error.

export const root = path.resolve(import.meta.dirname, '../..');
export const CHROMIUM = '/usr/bin/chromium';
export const VIEWPORT = { width: 1280, height: 860 };
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const AXE_SOURCE = fs.readFileSync(path.join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');
const SHOTS = path.join(root, 'screenshots');

export type Lang = 'en' | 'he' | 'ar';
export const LANGUAGE_LABEL: Record<Lang, string> = { en: 'English', he: 'עברית', ar: 'العربية' };

/**
 * Registers beforeAll/afterAll for a journey file; screenshots are saved as screenshots/<prefix>-<name>.png.
 * `env` is added to the server's environment (e.g. the AI provider's address).
 */
export function browserJourney(prefix: string, opts: { env?: Record<string, string>; demo?: boolean } = {}) {
  let server: ServerProcess;
  let browser: Browser;
  const requests: string[] = [];
  const pageProblems: string[] = [];
  const axeFindings: string[] = [];
  const watched: Page[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium first (apt-get update && apt-get install -y chromium); the tests install nothing.`);
    const build = spawnSync(process.execPath, [path.join(root, 'scripts/ensure-build.mjs')], { cwd: root, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`building the web app failed:\n${build.stdout}\n${build.stderr}`);
    fs.mkdirSync(SHOTS, { recursive: true });
    // demo: the server starts on a data folder the demo seeded (its accounts, network, dialogue and study)
    let dataDir: string | undefined;
    if (opts.demo) {
      dataDir = tempDataDir('convene-e2e-demo-');
      const seeded = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/demo.ts')], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, CONVENE_DATA_DIR: dataDir, DATABASE_URL: '', CONVENE_DEMO_SEED_ONLY: '1' },
      });
      if (seeded.status !== 0) throw new Error(`seeding the demo failed:\n${seeded.stdout}\n${seeded.stderr}`);
    }
    server = await startServer({ env: opts.env, dataDir });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  // a failed journey leaves a picture of every page it watched, and says where each one was
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail') return;
    for (const [i, page] of watched.entries()) {
      if (page.isClosed()) continue;
      const file = path.join(SHOTS, `FAILED-${prefix}-${i}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      console.log(`failed journey: page ${i} was at ${page.url()}; picture in ${path.relative(root, file)}`);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
    if (axeFindings.length) console.log(`axe findings (minor/moderate):\n${axeFindings.join('\n')}`);
  });

  return {
    server: () => server,
    browser: () => browser,
    requests,
    pageProblems,

    /** Records the page's requests, errors and CSP refusals. */
    watch(page: Page) {
      watched.push(page);
      page.context().on('request', (r) => requests.push(r.url()));
      page.on('pageerror', (e) => pageProblems.push(`page error: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) pageProblems.push(`console: ${m.text()}`);
      });
    },

    /** Runs axe-core (WCAG 2.2 AA tags) on the page: no serious or critical violation. */
    async axe(page: Page, name: string) {
      await page.waitForLoadState('networkidle');
      // a dialog still fading in has its text at part opacity: axe would measure a contrast nobody reads
      await page.evaluate(() =>
        Promise.all(
          document
            .getAnimations()
            .filter((a) => a.effect?.getComputedTiming().endTime !== Infinity) // a spinner never ends
            .map((a) => a.finished.catch(() => undefined)),
        ),
      );
      // evaluated, not added as a <script>: the CSP refuses inline scripts
      await page.evaluate(AXE_SOURCE);
      const result = await page.evaluate(async (tags) => {
        const axe = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
        const r = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
      }, AXE_TAGS);
      for (const v of result) axeFindings.push(`${name}: [${v.impact}] ${v.id} ${v.help} at ${v.targets.join(' | ')}`);
      const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${name}: [${v.impact}] ${v.id}: ${v.help} at ${v.targets.join(' | ')}`)).toEqual([]);
    },

    async shot(page: Page, name: string) {
      // from the top, so the fixed header is not painted halfway down a full-page image
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: path.join(SHOTS, `${prefix}-${name}.png`), fullPage: true });
    },

    async switchLanguage(page: Page, lang: Lang) {
      await page.getByRole('button', { name: /^(Language|שפה|اللغة):/ }).click();
      await page.getByRole('menuitem', { name: LANGUAGE_LABEL[lang] }).click();
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(lang);
      await page.getByRole('menu').waitFor({ state: 'detached' });
    },

    /** Opens the server's one-time setup link and creates the first administrator, who is then signed in. */
    async setUpFirstAdmin(page: Page, who: { name: string; email: string; password: string }) {
      const link = server.setupLink();
      expect(link, server.output()).toBeTruthy();
      await page.goto(link!);
      await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Set up Convene' }).count(), { timeout: 15_000 }).toBeGreaterThan(0);
      await page.getByLabel('Name', { exact: false }).first().fill(who.name);
      await page.getByRole('textbox', { name: 'Email' }).fill(who.email);
      await page.getByLabel('Choose a password').fill(who.password);
      await page.getByRole('button', { name: 'Create administrator and sign in' }).click();
      await page.waitForURL(`${new URL(link!).origin}/`);
      // the address changes while the setup page is still drawn (the signed-in shell loads its code): wait for home
      await expect.poll(() => page.getByRole('heading', { level: 1, name: `Welcome, ${who.name}` }).count(), { timeout: 15_000 }).toBe(1);
    },

    async heading(page: Page, name: string | RegExp) {
      await expect.poll(() => page.getByRole('heading', { level: 1, name }).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    },
  };
}

/**
 * Picks an option of a Mantine select or multi-select through its input: opens its list and clicks the option. On a
 * busy machine the list can close again while the page's later panels render, or open before its options have
 * arrived and then be closed by a re-render; it is opened again (ArrowDown) until the option shows.
 */
export async function pickOption(page: Page, input: Locator, option: string | RegExp): Promise<void> {
  await input.click({ force: true });
  const choice = page.getByRole('option', { name: option }).first();
  await expect
    .poll(
      async () => {
        if (await choice.isVisible()) return true;
        await input.press('ArrowDown');
        return false;
      },
      { timeout: 30_000, interval: 1_000 },
    )
    .toBe(true);
  await choice.click();
}
