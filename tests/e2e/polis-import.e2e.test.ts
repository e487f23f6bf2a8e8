import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserJourney, root, VIEWPORT } from './support.ts';

// A Pol.is export folder imported through the browser (the four files of tests/fixtures/polis/15-per-hour-seattle):
// the dialogue opens on its analysis with two opinion groups, as Pol.is found (found from the votes alone: summary.csv is only shown).

const journey = browserJourney('polis-import');
const FOLDER = path.join(root, 'tests/fixtures/polis/15-per-hour-seattle');

describe('Pol.is import in the browser', () => {
  it('imports comments, votes, participants-votes and summary, and shows the two opinion groups', async () => {
    const context = await journey.browser().newContext({ viewport: VIEWPORT, locale: 'en-GB' });
    const page = await context.newPage();
    journey.watch(page);
    await journey.setUpFirstAdmin(page, { name: 'Rana Khoury', email: 'rana@example.org', password: 'olive branch 2024 bridge' });

    await page.locator('.mantine-AppShell-navbar').getByRole('link', { name: 'Dialogues' }).click();
    await page.getByRole('button', { name: /Import from Pol\.is/ }).click();
    const form = page.getByRole('dialog');
    await form.getByRole('textbox', { name: 'Title' }).fill('$15/hour in Seattle (Pol.is, 2014)');
    // Mantine's FileInput keeps a hidden <input type=file> per field, in the order shown
    const inputs = form.locator('input[type=file]');
    await expect.poll(() => inputs.count()).toBe(4);
    for (const [i, file] of ['comments.csv', 'votes.csv', 'participants-votes.csv', 'summary.csv'].entries()) await inputs.nth(i).setInputFiles(path.join(FOLDER, file));
    // what a missing vote counts as: detected from the export unless chosen (here Pol.is's since October 2017, as detected)
    expect(await form.getByRole('radio', { name: 'Detect from the export' }).isChecked()).toBe(true);
    await form.getByRole('radio', { name: 'Leave out' }).check();
    await journey.axe(page, 'polis import en');
    await journey.shot(page, 'en-import-form');
    const sent = page.waitForRequest((r) => r.url().endsWith('/api/dialogues/import/polis') && r.method() === 'POST');
    await form.getByRole('button', { name: 'Import', exact: true }).click();
    expect((await sent).postDataJSON()).toMatchObject({ missingVotes: 'mean' });
    await page.waitForURL(/\/research\/dialogues\/[0-9a-f-]{36}\?tab=analysis/, { timeout: 60_000 });
    await expect.poll(() => page.getByTestId('fig-groups').textContent(), { timeout: 60_000 }).toBe('2');
    await expect.poll(() => page.getByTestId('fig-statements').textContent()).toBeTruthy();
    await journey.shot(page, 'en-analysis');

    // Pol.is's own groups beside Convene's: the agreement between them, where each Pol.is group's members are, who moved
    // (the figures themselves are checked over HTTP, dialogues-analysis.http.test.ts)
    const comparison = page.getByTestId('polis-comparison');
    await expect.poll(() => page.getByTestId('polis-ari').textContent()).toMatch(/^Agreement with Pol\.is \(adjusted Rand index\): 0\.\d{3}$/);
    expect(await comparison.getByTestId('polis-crosstab').locator('tbody tr').count()).toBe(2);
    await comparison.getByTestId('polis-moved').locator('summary').click();
    expect(await comparison.getByTestId('polis-moved').locator('li').count()).toBeGreaterThan(0);
    await journey.axe(page, 'polis comparison en');
    for (const lang of ['he', 'ar'] as const) {
      await journey.switchLanguage(page, lang);
      await expect.poll(() => page.getByTestId('polis-ari').textContent()).toMatch(lang === 'he' ? /^התאמה ל־Pol\.is/ : /^التوافق مع Pol\.is/);
      await journey.axe(page, `polis comparison ${lang}`);
      await journey.shot(page, `${lang}-polis-comparison`);
    }
    // the import form in Arabic on a phone: the missing-votes choice and its help read right to left
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(page.url().replace(/\/research\/dialogues\/.*$/, '/research'));
    await page.getByRole('button', { name: /استيراد من Pol\.is/ }).click();
    await expect.poll(() => page.getByRole('dialog').getByRole('radio').count()).toBe(3);
    await journey.axe(page, 'polis import ar 375');
    await page.getByRole('dialog').getByRole('radio').last().scrollIntoViewIfNeeded();
    await journey.shot(page, 'ar-375-import-form');
    expect(journey.pageProblems).toEqual([]);
    await context.close();
  });
});
