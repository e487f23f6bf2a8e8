import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserJourney } from './support.ts';

// Who runs a survey, and how far along a respondent is, as Hebrew respondents on phones read it: the administrator
// names the organisation in Settings (Hebrew and English; Arabic left empty falls back); every survey page says
// "a survey by …"; a control respondent and a message respondent each read one count from consent to the last part
// ("Part 1 of 3" throughout, the message page counted with the questions after it); a thank-you that only repeats
// the title ("תודה.") gives way to the sentence that says the answers were recorded. The study is created with a
// population named in English only (a missing translation is allowed and shown in another language). axe is clean.

const journey = browserJourney('survey-voice');
const { pageProblems, axe, shot, switchLanguage } = journey;
const PHONE = { width: 375, height: 740 };
const tri = (en: string, he: string, ar: string) => ({ en, he, ar });

async function progressText(page: Page): Promise<string | null> {
  const p = page.locator('.progress span:not(.sr-only)');
  return (await p.count()) ? (await p.first().innerText()).trim() : null;
}

describe('a survey says who runs it and counts its parts the same for every arm', () => {
  it('walks a control and a message respondent in Hebrew', async () => {
    const setupLink = journey.server().setupLink();
    expect(setupLink, journey.server().output()).toBeTruthy();
    const origin = new URL(setupLink!).origin;
    const staffContext = await journey.browser().newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-GB' });
    const staff = await staffContext.newPage();
    journey.watch(staff);
    await journey.setUpFirstAdmin(staff, { name: 'Dana Levi-Nasser', email: 'dana@example.org', password: 'two peoples one coastline' });

    // ---- Settings, in Hebrew: the organisation's name ----
    await switchLanguage(staff, 'he');
    await staff.goto(`${origin}/admin/settings`);
    await journey.heading(staff, 'הגדרות');
    await staff.getByRole('textbox', { name: 'השם בעברית' }).fill('פורום השלום האזרחי');
    await staff.getByRole('textbox', { name: 'השם באנגלית' }).fill('Civic Peace Forum');
    await staff.getByRole('button', { name: 'שמירה' }).click();
    await staff.getByRole('status').filter({ hasText: 'נשמר' }).waitFor();
    await axe(staff, 'settings-he');

    // ---- a study whose population is named in English only ----
    const ok = async (method: 'POST' | 'PATCH', p: string, data?: unknown) => {
      const res = await staff.request.fetch(`${origin}/api${p}`, { method, data, headers: { origin, 'content-type': 'application/json' } });
      const body = await res.json().catch(() => null);
      expect(res.status(), `${method} ${p}: ${JSON.stringify(body)}`).toBeLessThan(300);
      return body;
    };
    const s = await ok('POST', '/studies', {
      title: 'Ceasefire messages',
      languages: ['he', 'ar', 'en'],
      randomization: 'block',
      blockRepeats: 1,
      populations: [{ key: 'all', name: { en: 'Everyone' }, languages: ['he', 'ar', 'en'] }],
      arms: [
        { key: 'control', control: true, text: {} },
        { key: 'safety', text: tri('Both peoples have a right to live in safety.', 'לשני העמים יש זכות לחיות בביטחון.', 'للشعبين الحق في العيش بأمان.') },
      ],
      questions: [
        { key: 'support', role: 'outcome', kind: 'yes_no', prompt: tri('Do you support a ceasefire?', 'האם אתם תומכים בהפסקת אש?', 'هل تؤيدون وقف إطلاق النار؟') },
        { key: 'check', role: 'attention', kind: 'choice', prompt: tri('Choose blue', 'בחרו כחול', 'اختاروا الأزرق'), options: [{ id: 'red', label: tri('Red', 'אדום', 'أحمر') }, { id: 'blue', label: tri('Blue', 'כחול', 'أزرق') }], correctOption: 'blue' },
      ],
      thanks: tri('Thank you.', 'תודה.', 'شكرًا.'),
    });
    expect(s.populations[0].name).toEqual({ en: 'Everyone' });
    const withInvite = await ok('POST', `/studies/${s.id}/invites`, { populationId: s.populations[0].id });
    await ok('PATCH', `/studies/${s.id}`, { status: 'open', consent: tri('Three short questions.', 'שלוש שאלות קצרות.', 'ثلاثة أسئلة قصيرة.') });
    const link = new URL(withInvite.invites[0].url).pathname;

    // ---- two respondents (a block of two holds both arms), in Hebrew ----
    const arms: string[] = [];
    for (const who of ['first', 'second']) {
      const context = await journey.browser().newContext({ viewport: PHONE, locale: 'he-IL', isMobile: true, hasTouch: true });
      const page = await context.newPage();
      journey.watch(page);
      await page.goto(`${origin}${link}?lang=he`);
      const counts: string[] = [];
      await page.getByText('סקר מטעם פורום השלום האזרחי').waitFor();
      counts.push((await progressText(page))!);
      if (who === 'first') await axe(page, 'consent-he');
      await page.getByRole('button', { name: /אני מסכים|מסכימ/ }).click();
      let sawMessage = false;
      for (let step = 0; step < 6; step++) {
        await page.waitForLoadState('domcontentloaded');
        if (await page.getByRole('heading', { level: 1, name: 'תודה' }).count()) break;
        expect(await page.getByText('סקר מטעם פורום השלום האזרחי').count()).toBe(1);
        counts.push((await progressText(page))!);
        const continueButton = page.getByRole('link', { name: 'המשך' }).or(page.getByRole('button', { name: 'המשך' }));
        if (await page.getByText('לשני העמים יש זכות לחיות בביטחון.').count()) {
          sawMessage = true;
          await continueButton.first().click();
          continue;
        }
        if (await page.getByRole('radio', { name: 'כחול' }).count()) await page.getByRole('radio', { name: 'כחול' }).check();
        else await page.getByRole('radio', { name: 'כן' }).first().check();
        await page.getByRole('button', { name: /הבא|סיום/ }).click();
      }
      arms.push(sawMessage ? 'message' : 'control');
      // one count for every page: 3 parts (consent, outcomes with the message before them, the attention check)
      expect(counts.every((c) => /מתוך 3$/.test(c)), counts.join(' | ')).toBe(true);
      expect(counts[0]).toBe('חלק 1 מתוך 3');
      expect(counts.at(-1)).toBe('חלק 3 מתוך 3');
      // the thank-you: the title once, then what happened (the study's "תודה." only repeated it)
      await page.getByRole('heading', { level: 1, name: 'תודה' }).waitFor();
      const done = (await page.locator('.done').innerText()).replace(/\s+/g, ' ');
      expect(done).not.toMatch(/תודה.*תודה/);
      expect(done).toContain('התשובות');
      expect(await page.getByText('סקר מטעם פורום השלום האזרחי').count()).toBe(1);
      if (who === 'first') {
        await axe(page, 'thanks-he');
        await shot(page, `thanks-he`);
      }
      await context.close();
    }
    expect(arms.sort()).toEqual(['control', 'message']);

    // ---- in Arabic, where no name was given: the English one ----
    const ar = await journey.browser().newContext({ viewport: PHONE, locale: 'ar', isMobile: true });
    const arPage = await ar.newPage();
    journey.watch(arPage);
    await arPage.goto(`${origin}${link}?lang=ar`);
    await arPage.getByText('استطلاع تجريه Civic Peace Forum').waitFor();
    expect(await progressText(arPage)).toBe('الجزء 1 من 3');
    await axe(arPage, 'consent-ar');
    await ar.close();

    expect(pageProblems).toEqual([]);
    await staffContext.close();
  });
});
