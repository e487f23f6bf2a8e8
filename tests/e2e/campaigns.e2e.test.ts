import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { G7 } from '../../src/cli/demo/missions.ts';
import { browserJourney, pickOption, root, VIEWPORT } from './support.ts';

// Issue 13's acceptance in a browser, on the demo's data: create "G7: civil society in the day-after" with three asks,
// the seven G7 embassies (bulk-added) and their ambassadors as targets; record a meeting with one mission in Network and
// tag it with the campaign and an ask; move that mission from neutral to supportive with the meeting as evidence; the
// grid shows the move; print a briefing for another mission in Hebrew and in Arabic to PDF. axe on every campaign page
// (the list, a campaign, a cell's history) in en, he and ar.

const journey = browserJourney('campaigns', { demo: true });
const { axe, shot, switchLanguage } = journey;
const h1 = journey.heading;
const PASSWORD = 'convene-demo-password';
const PDFS = path.join(root, 'test-results');

/** A Mantine select's text box by its label. */
function selectInput(page: Page | Locator, label: string | RegExp) {
  return page.getByLabel(label).and(page.locator('input:not([type=hidden])'));
}

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

describe('campaigns, end to end', () => {
  it('creates the G7 campaign, targets the missions, moves one with a tagged meeting as evidence, and prints briefings in Hebrew and Arabic', async () => {
    const origin = journey.server().url.replace('127.0.0.1', 'localhost');
    const context = await journey.browser().newContext({ viewport: VIEWPORT, locale: 'en-GB', timezoneId: 'Asia/Jerusalem' });
    const page = await context.newPage();
    journey.watch(page);
    const signIn = await context.request.post(`${origin}/api/auth/sign-in/email`, { data: { email: 'admin@demo.convene.example', password: PASSWORD }, headers: { origin } });
    expect(signIn.status()).toBe(200);
    await context.request.patch(`${origin}/api/me`, { data: { locale: 'en' }, headers: { origin } });
    const api = async (method: 'POST' | 'GET', p: string, data?: unknown) => {
      const res = await context.request.fetch(`${origin}/api${p}`, { method, data, headers: { origin, 'content-type': 'application/json' } });
      const body = await res.json().catch(() => null);
      expect(res.ok(), `${method} ${p}: ${res.status()} ${JSON.stringify(body)}`).toBe(true);
      return body;
    };

    // ---- a campaign with three asks, through the form ----
    await page.goto(`${origin}/campaigns`);
    await h1(page, 'Campaigns');
    await axe(page, 'campaigns en');
    await page.getByLabel('Name (EN)').fill('G7: civil society in the day-after');
    await page.getByLabel('Goal (EN)').fill('A role for Israeli and Palestinian civil society in any diplomatic initiative for the day after.');
    await page.getByRole('button', { name: 'Another ask' }).click();
    await page.getByRole('button', { name: 'Another ask' }).click();
    const asks = ['A role for civil society in the day-after framework', 'An international fund for peacebuilding', 'Protection for civil society partners'];
    for (const [i, text] of asks.entries()) await page.getByLabel(`Ask ${i + 1} (EN)`).fill(text);
    await page.getByLabel('Ask 1 (HE)').fill('תפקיד לחברה האזרחית במסגרת של היום שאחרי');
    await page.getByLabel('Ask 1 (AR)').fill('دور للمجتمع المدني في إطار اليوم التالي');
    await page.getByRole('button', { name: 'Create the campaign' }).click();
    await page.waitForURL(/\/campaigns\/[0-9a-f-]{36}$/);
    const campaignId = page.url().split('/').pop()!;
    await h1(page, 'G7: civil society in the day-after');

    // ---- the asks' order: the third moves up a place, and back down (one request each, the whole order) ----
    const askAt = (i: number) => page.getByRole('region', { name: 'Asks', exact: true }).locator('ol > li').nth(i).innerText();
    const reordered = () => page.waitForResponse((r) => r.url().endsWith('/asks/order') && r.request().method() === 'PUT');
    let answer = reordered();
    await page.getByRole('button', { name: `Move up: ${asks[2]}` }).click();
    expect((await answer).status()).toBe(200);
    await expect.poll(() => askAt(1), { timeout: 15_000 }).toContain(asks[2]);
    expect(await askAt(2)).toContain(asks[1]);
    answer = reordered();
    await page.getByRole('button', { name: `Move down: ${asks[2]}` }).click();
    expect((await answer).status()).toBe(200);
    await expect.poll(() => askAt(2), { timeout: 15_000 }).toContain(asks[2]);

    // ---- the seven embassies at once, with their group ----
    const missions = selectInput(page, /^Missions/);
    await missions.click();
    for (const g of G7) {
      await missions.fill(g.en);
      const option = page.getByRole('option', { name: `Embassy of ${g.en} in Tel Aviv` }).first();
      await option.waitFor();
      await option.click();
    }
    await page.keyboard.press('Escape');
    await page.getByLabel('Group', { exact: true }).first().fill('G7');
    await page.getByRole('button', { name: 'Add 7 missions' }).click();
    await expect.poll(() => page.getByTestId('grid-row').count(), { timeout: 15_000 }).toBe(7);
    // and their ambassadors, as officials (through the API: the same route the official form uses)
    const campaign = await api('GET', `/campaigns/${campaignId}`);
    for (const g of G7) {
      const people = await api('GET', `/people?q=${encodeURIComponent(g.diplomats[0]![0])}&limit=5`);
      const person = people.items.find((p: { displayName: string }) => p.displayName === g.diplomats[0]![0]);
      expect(person, g.diplomats[0]![0]).toBeTruthy();
      await api('POST', `/campaigns/${campaignId}/targets`, { personId: person.id, groupLabel: 'G7 officials' });
    }
    const canada = campaign.targets.find((x: { name: string }) => x.name === 'Embassy of Canada in Tel Aviv');
    const france = campaign.targets.find((x: { name: string }) => x.name === 'Embassy of France in Tel Aviv');
    const [ask1] = campaign.asks;
    // where Canada stood a month ago
    await api('POST', `/campaigns/${campaignId}/stances`, { targetId: canada.id, askId: ask1.id, value: 'neutral', asOf: daysAgo(30), evidence: { kind: 'judgement', reason: 'Listened politely at the reception.' } });

    // ---- a meeting with Canada recorded in Network, tagged with the campaign and the first ask ----
    const held = new Date(Date.now() - 2 * 86_400_000);
    const meeting = await api('POST', '/meetings', {
      kind: 'diplomatic',
      title: 'Civil society in the day-after: call with Canada',
      startsAt: held.toISOString(),
      endsAt: new Date(held.getTime() + 3_600_000).toISOString(),
      timeZone: 'Asia/Jerusalem',
      organisations: [{ organisationId: canada.organisationId }],
      notes: 'The ambassador will recommend a civil society seat to Ottawa.',
    });
    await page.reload();
    await h1(page, 'G7: civil society in the day-after');
    const tag = page.getByTestId('tag-meeting');
    const meetingPicker = tag.getByRole('textbox', { name: 'Meeting' }).or(tag.getByRole('combobox', { name: 'Meeting' })).first();
    await meetingPicker.click();
    await meetingPicker.fill('call with Canada');
    await pickOption(page, meetingPicker, /call with Canada/);
    const tagTargets = tag.getByRole('textbox', { name: 'Targets met' }).or(tag.getByRole('combobox', { name: 'Targets met' })).first();
    await tagTargets.click();
    await page.getByRole('option', { name: 'Embassy of Canada in Tel Aviv' }).click();
    await page.keyboard.press('Escape');
    const tagAsks = tag.getByRole('textbox', { name: 'Asks discussed' }).or(tag.getByRole('combobox', { name: 'Asks discussed' })).first();
    await tagAsks.click();
    await page.getByRole('option', { name: asks[0] }).click();
    await page.keyboard.press('Escape');
    await tag.getByRole('button', { name: 'Tag the meeting' }).click();
    await expect.poll(() => page.getByTestId('campaign-meetings').getByText('Civil society in the day-after: call with Canada').count(), { timeout: 15_000 }).toBe(1);

    // ---- movement since a week ago, then Canada moves from neutral to supportive with the meeting as evidence ----
    await page.getByLabel('Show movement since').fill(daysAgo(7));
    await expect.poll(() => page.getByTestId('grid-moves').textContent()).toContain('0 moves');
    const cell = page.getByRole('button', { name: new RegExp(`^Embassy of Canada in Tel Aviv, ${asks[0]}: Neutral`) });
    await cell.click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.getByTestId('stance-entry').count()).toBe(1);
    await axe(page, 'cell history en');
    await dialog.getByLabel('Stance', { exact: true }).and(dialog.locator('input:not([type=hidden])')).click();
    await page.getByRole('option', { name: 'Supportive' }).click();
    const evidencePicker = dialog.getByLabel('Meeting', { exact: true }).and(dialog.locator('input:not([type=hidden])'));
    await evidencePicker.click();
    await page.getByRole('option', { name: /call with Canada/ }).first().click();
    await dialog.getByRole('button', { name: 'Record the stance' }).click();
    await expect.poll(() => dialog.getByTestId('stance-entry').count(), { timeout: 15_000 }).toBe(2);
    await expect.poll(() => dialog.getByTestId('stance-entry').first().textContent()).toContain('call with Canada');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // the grid shows the move: the cell's words and colour, an arrow up, and the count
    await expect.poll(() => page.getByTestId('grid-moves').textContent(), { timeout: 15_000 }).toContain('1 move since');
    const moved = page.getByRole('button', { name: new RegExp(`^Embassy of Canada in Tel Aviv, ${asks[0]}: Supportive`) });
    await expect.poll(() => moved.getAttribute('data-stance')).toBe('supportive');
    expect(await moved.getByRole('img', { name: 'up, moved from Neutral' }).count()).toBe(1);
    await shot(page, 'campaign-en');
    await axe(page, 'campaign en');
    // the meeting itself is in Network
    expect((await api('GET', `/meetings/${meeting.id}`)).title).toBe('Civil society in the day-after: call with Canada');

    // ---- a briefing for France, printed to PDF in Hebrew and in Arabic ----
    fs.mkdirSync(PDFS, { recursive: true });
    for (const lang of ['he', 'ar'] as const) {
      const print = await context.newPage();
      journey.watch(print);
      await print.goto(`${origin}/api/campaigns/${campaignId}/targets/${france.id}/briefing?lang=${lang}`);
      expect(await print.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([lang, 'rtl']);
      expect(await print.locator('h1').textContent()).toBe('Embassy of France in Tel Aviv');
      await axe(print, `briefing ${lang}`);
      const pdf = await print.pdf({ path: path.join(PDFS, `campaigns-briefing-${lang}.pdf`), format: 'A4' });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdf.length).toBeGreaterThan(5_000);
      await print.close();
    }

    // ---- the Hebrew briefing uploaded as a reference document, downloaded again; the grid exported ----
    await page.getByTestId('upload-document').locator('input[type=file]').setInputFiles(path.join(PDFS, 'campaigns-briefing-he.pdf'));
    await page.getByLabel('Title (the file’s name if left empty)').fill('Briefing on France (Hebrew)');
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    const uploaded = page.getByTestId('campaign-document').filter({ hasText: 'Briefing on France (Hebrew)' });
    await expect.poll(() => uploaded.count(), { timeout: 15_000 }).toBe(1);
    const href = await uploaded.getByRole('link', { name: /^Download/ }).getAttribute('href');
    const file = await context.request.get(`${origin}${href}`);
    expect(file.headers()['content-type']).toBe('application/pdf');
    expect(file.headers()['content-disposition']).toMatch(/^attachment;/);
    expect((await file.body()).subarray(0, 5).toString()).toBe('%PDF-');
    // its title corrected in place
    await uploaded.getByRole('button', { name: 'Edit: Briefing on France (Hebrew)' }).click();
    await uploaded.getByLabel('Title').fill('Briefing on France, in Hebrew');
    await uploaded.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByTestId('campaign-document').filter({ hasText: 'Briefing on France, in Hebrew' }).count(), { timeout: 15_000 }).toBe(1);
    const grid = await context.request.get(`${origin}${await page.getByTestId('export-grid').getAttribute('href')}`);
    expect(await grid.text()).toContain('Embassy of Canada in Tel Aviv,organisation,G7,supportive');
    // a next step for Canada, from the coverage panel: a Network follow-up with owner and due day
    const step = page.getByTestId('add-follow-up');
    await selectInput(step, 'Mission').click();
    await page.getByRole('option', { name: 'Embassy of Canada in Tel Aviv' }).click();
    await step.getByLabel('What to do').fill('Send Ottawa the civil society paper');
    await step.getByLabel('Due').fill(daysAgo(-7));
    await step.getByRole('button', { name: 'Add follow-up' }).click();
    await expect.poll(() => page.getByText('Send Ottawa the civil society paper').count(), { timeout: 15_000 }).toBe(1);
    await axe(page, 'campaign with a document en');
    // the meeting untagged: it leaves the campaign's meetings, and stays in Network
    await page.getByRole('button', { name: 'Untag: Civil society in the day-after: call with Canada' }).click();
    await expect.poll(() => page.getByTestId('campaign-meetings').count(), { timeout: 15_000 }).toBe(0);
    expect((await api('GET', `/campaigns/${campaignId}/meetings`)).total).toBe(0);
    expect((await api('GET', `/meetings/${meeting.id}`)).title).toBe('Civil society in the day-after: call with Canada');

    // ---- every campaign page in Hebrew and Arabic ----
    for (const lang of ['he', 'ar'] as const) {
      await switchLanguage(page, lang);
      await page.goto(`${origin}/campaigns`);
      await expect.poll(() => page.locator('h1').count(), { timeout: 15_000 }).toBeGreaterThan(0);
      await axe(page, `campaigns ${lang}`);
      await page.goto(`${origin}/campaigns/${campaignId}`);
      await h1(page, 'G7: civil society in the day-after');
      await expect.poll(() => page.getByTestId('grid-row').count(), { timeout: 15_000 }).toBe(14);
      await axe(page, `campaign ${lang}`);
      await page.getByTestId('grid-cell').first().click();
      await page.getByRole('dialog').waitFor();
      await axe(page, `cell history ${lang}`);
      await page.keyboard.press('Escape');
      await shot(page, `campaign-${lang}`);
    }
    // narrow: the documents and meetings panels at 375 px, in Arabic
    await page.setViewportSize({ width: 375, height: 800 });
    await page.locator('#campaign-documents').scrollIntoViewIfNeeded();
    await shot(page, 'campaign-ar-375');
    await axe(page, 'campaign ar 375');
    await context.close();
  });

  it('edits and shares a campaign from its page, chooses the coverage period, and tags a meeting from its form', async () => {
    const origin = journey.server().url.replace('127.0.0.1', 'localhost');
    const context = await journey.browser().newContext({ viewport: VIEWPORT, locale: 'en-GB', timezoneId: 'Asia/Jerusalem' });
    const page = await context.newPage();
    journey.watch(page);
    expect((await context.request.post(`${origin}/api/auth/sign-in/email`, { data: { email: 'admin@demo.convene.example', password: PASSWORD }, headers: { origin } })).status()).toBe(200);
    await context.request.patch(`${origin}/api/me`, { data: { locale: 'en' }, headers: { origin } });
    const api = async (method: 'POST' | 'GET', p: string, data?: unknown) => {
      const res = await context.request.fetch(`${origin}/api${p}`, { method, data, headers: { origin, 'content-type': 'application/json' } });
      const body = await res.json().catch(() => null);
      expect(res.ok(), `${method} ${p}: ${res.status()} ${JSON.stringify(body)}`).toBe(true);
      return body;
    };
    const italy = (await api('GET', '/organisations?kind=mission&q=Italy&limit=5')).items.find((o: { name: string }) => o.name === 'Embassy of Italy in Tel Aviv');
    expect(italy).toBeTruthy();
    const c = await api('POST', '/campaigns', { name: { en: 'Quiet diplomacy' }, goal: { en: 'To be heard' }, asks: [{ en: 'A seat at the table' }] });
    await api('POST', `/campaigns/${c.id}/targets`, { organisationId: italy.id, groupLabel: 'EU' });
    const held = new Date(Date.now() - 3 * 86_400_000);
    const meeting = await api('POST', '/meetings', {
      kind: 'diplomatic',
      title: 'Coffee with the Italian embassy',
      startsAt: held.toISOString(),
      endsAt: new Date(held.getTime() + 3_600_000).toISOString(),
      timeZone: 'Asia/Jerusalem',
      organisations: [{ organisationId: italy.id }],
    });

    // ---- editing: the name and the period; the goal cleared ----
    await page.goto(`${origin}/campaigns/${c.id}`);
    await h1(page, 'Quiet diplomacy');
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const edit = page.getByTestId('edit-campaign');
    await edit.getByLabel('Name (EN)').fill('Quiet diplomacy in Europe');
    await edit.getByLabel('Name (HE)').fill('דיפלומטיה שקטה באירופה');
    await edit.getByLabel('Ends on').fill('2027-06-30');
    await edit.getByLabel('Goal (EN)').fill('');
    await axe(page, 'campaign edit en');
    await edit.getByRole('button', { name: 'Save' }).click();
    await h1(page, 'Quiet diplomacy in Europe');
    expect(await api('GET', `/campaigns/${c.id}`)).toMatchObject({ name: { en: 'Quiet diplomacy in Europe', he: 'דיפלומטיה שקטה באירופה' }, goal: {}, endsOn: '2027-06-30', restricted: true });

    // ---- sharing, and taking the grant away ----
    const sharing = page.locator('#campaign-sharing').locator('..');
    await sharing.getByText('Not shared with anyone yet.').waitFor();
    await selectInput(sharing, 'Share with').click();
    const first = page.getByRole('option').first();
    const who = (await first.textContent())!.trim();
    await first.click();
    await sharing.getByRole('button', { name: 'Share', exact: true }).click();
    await expect.poll(() => sharing.getByTestId('campaign-grants').locator('li').count(), { timeout: 15_000 }).toBe(1);
    expect((await api('GET', `/campaigns/${c.id}/grants`)).items.map((g: { name: string }) => g.name)).toEqual([who]);
    await sharing.getByRole('button', { name: `Stop sharing with ${who}` }).click();
    await sharing.getByText('Not shared with anyone yet.').waitFor();

    // ---- coverage over a chosen period: met once, three days ago ----
    const coverage = page.getByTestId('coverage-groups');
    await page.getByLabel('Met from').fill(daysAgo(10));
    await page.getByLabel('Met until').fill(daysAgo(0));
    await expect.poll(() => coverage.textContent(), { timeout: 15_000 }).toMatch(/We met 1 of 1 targets in EU between/);
    await page.getByLabel('Met until').fill(daysAgo(5));
    await expect.poll(() => coverage.textContent(), { timeout: 15_000 }).toMatch(/We met 0 of 1 targets in EU between/);

    // ---- the meeting's form tags it with the campaign; Italy, at the meeting, is recorded as met ----
    await page.goto(`${origin}/network/meetings/${meeting.id}/edit`);
    const field = selectInput(page, 'Part of the campaigns');
    await field.click();
    await field.fill('Quiet diplomacy');
    await page.getByRole('option', { name: 'Quiet diplomacy in Europe' }).click();
    await page.keyboard.press('Escape');
    await axe(page, 'meeting form with campaigns en');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(new RegExp(`/network/meetings/${meeting.id}$`));
    const tagged = await api('GET', `/campaigns/${c.id}/meetings`);
    expect(tagged.total).toBe(1);
    expect(tagged.items[0].targetIds).toHaveLength(1);
    await page.getByTestId('meeting-campaigns').getByText('Quiet diplomacy in Europe').waitFor();

    // ---- the edit form and sharing in Hebrew and Arabic, and at 375 px ----
    for (const lang of ['he', 'ar'] as const) {
      await switchLanguage(page, lang);
      await page.goto(`${origin}/campaigns/${c.id}`);
      await expect.poll(() => page.locator('#campaign-sharing').count(), { timeout: 15_000 }).toBe(1);
      await page.getByRole('button', { name: lang === 'he' ? 'עריכה' : 'تعديل', exact: true }).click();
      await page.getByTestId('edit-campaign').waitFor();
      await axe(page, `campaign edit ${lang}`);
      await shot(page, `campaign-edit-${lang}`);
    }
    await page.setViewportSize({ width: 375, height: 800 });
    await page.getByTestId('edit-campaign').scrollIntoViewIfNeeded();
    await shot(page, 'campaign-edit-ar-375');
    await page.locator('#campaign-sharing').scrollIntoViewIfNeeded();
    await shot(page, 'campaign-sharing-ar-375');
    await axe(page, 'campaign edit ar 375');
    await context.close();
  });
});
