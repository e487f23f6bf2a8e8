import exifr from 'exifr';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { jpegWithGps } from '../setup/post-factories.ts';
import { browserJourney, type Lang } from './support.ts';

// The Updates pillar in the staff app (issue 15) on the demo's data: the posts by state and the July 2024 post's
// editor in English, Hebrew and Arabic, on a phone and a desktop, axe-clean; then a Hebrew editor changes the
// Hebrew text (the live preview follows), uploads a photo carrying GPS through the form, and the revisions list
// her change with a diff. "Draft from data" for the demo week of 1–5 July 2024 in Jerusalem and Ramallah writes "We
// met N member organisations in Jerusalem and Ramallah" with N the dashboard's figure for a staff member with no
// grants (Maya), tested both ways: a restricted meeting with a new member added that week changes N for no one but
// those who see it, and not in the draft. Then the drafted post's Hebrew text is edited, and in Arabic its text is
// edited and a photo carrying GPS is uploaded and placed; the post, scheduled a few seconds ahead, is not on /news before its time and is there after,
// published by its job, and every file of its photo read back with exifr carries no GPS and no EXIF.

const journey = browserJourney('updates', { demo: true });
const { axe, shot } = journey;
const PHONE = { width: 375, height: 740 };
const DESKTOP = { width: 1366, height: 900 };
const PASSWORD = 'convene-demo-password';
const ACCOUNT: Record<Lang, string> = { en: 'oliver@demo.convene.example', he: 'noa@demo.convene.example', ar: 'rana@demo.convene.example' };
const origin = () => journey.server().url.replace('127.0.0.1', 'localhost');

async function signedIn(lang: Lang, viewport: { width: number; height: number }, email = ACCOUNT[lang]): Promise<{ context: BrowserContext; page: Page }> {
  const context = await journey.browser().newContext({ viewport, locale: lang, timezoneId: 'Asia/Jerusalem', isMobile: viewport.width < 500 });
  const page = await context.newPage();
  journey.watch(page);
  const res = await context.request.post(`${origin()}/api/auth/sign-in/email`, { data: { email, password: PASSWORD }, headers: { origin: origin() } });
  expect(res.status(), await res.text()).toBe(200);
  expect((await context.request.patch(`${origin()}/api/me`, { data: { locale: lang }, headers: { origin: origin() } })).status()).toBe(200);
  return { context, page };
}

describe('Updates in the staff app', () => {
  for (const lang of ['en', 'he', 'ar'] as const) {
    it(`in ${lang}: the list and the editor, axe-clean, no wider than the phone`, async () => {
      for (const [vp, label] of [
        [PHONE, 'phone'],
        [DESKTOP, 'desktop'],
      ] as const) {
        const { context, page } = await signedIn(lang, vp);
        await page.goto(`${origin()}/updates`);
        await page.getByTestId('post-row').first().waitFor();
        await axe(page, `list-${lang}-${label}`);
        await shot(page, `list-${lang}-${label}`);
        await page.getByTestId('post-row').first().locator('a').click();
        await page.locator('textarea').nth(1).waitFor();
        await page.locator('.post-preview h2').first().waitFor();
        await axe(page, `editor-${lang}-${label}`);
        await shot(page, `editor-${lang}-${label}`);
        if (vp === PHONE) expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width + 1);
        // "Draft from data": its form in the same language
        await page.goto(`${origin()}/updates/from-data`);
        await page.locator('input[type="date"]').first().waitFor();
        await axe(page, `from-data-${lang}-${label}`);
        await shot(page, `from-data-${lang}-${label}`);
        if (vp === PHONE) expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width + 1);
        await context.close();
      }
    });
  }

  it('a Hebrew edit shows in the preview, a photo with GPS is uploaded, and the revision is listed with its diff', async () => {
    const { context, page } = await signedIn('he', DESKTOP);
    await page.goto(`${origin()}/updates`);
    await page.getByTestId('post-row').first().locator('a').click();
    await page.getByRole('tab', { name: 'עברית' }).click();
    const body = page.getByLabel('טקסט (Markdown)');
    await body.waitFor();
    await body.fill(`${await body.inputValue()}\n\n## תוספת מהשטח`);
    await page.locator('.post-preview h2', { hasText: 'תוספת מהשטח' }).waitFor();
    await page.getByRole('button', { name: 'שמירה' }).click();
    await page.getByText('נשמר כגרסה 2').waitFor();
    await page.locator('input[type="file"]').setInputFiles({ name: 'team.jpg', mimeType: 'image/jpeg', buffer: await jpegWithGps(1200, 800) });
    for (const [label, text] of [
      ['טקסט חלופי (English)', 'The team'],
      ['טקסט חלופי (עברית)', 'הצוות'],
      ['טקסט חלופי (العربية)', 'الفريق'],
    ]) {
      await page.getByLabel(label).fill(text);
    }
    await page.getByRole('button', { name: 'העלאת תמונה' }).last().click();
    await page.locator('img[alt="הצוות"]').waitFor();
    await page.getByRole('button', { name: 'השוואה לנוכחית' }).first().click();
    await page.locator('ins', { hasText: 'תוספת מהשטח' }).waitFor();
    await axe(page, 'editor-he-after');
    await shot(page, 'editor-he-after');
    await context.close();
    expect(journey.pageProblems).toEqual([]);
  });

  it('Draft from data for 1–5 July 2024: N member organisations equal to the dashboard of a staff member with no grants, both ways', async () => {
    const { context, page } = await signedIn('en', DESKTOP); // Oliver: present at restricted meetings that week
    const maya = await signedIn('en', DESKTOP, 'maya@demo.convene.example'); // staff, no grants
    const week = 'from=2024-07-01&to=2024-07-05&city=Jerusalem&city=Ramallah';
    const members = async (ctx: BrowserContext) => {
      const res = await ctx.request.get(`${origin()}/api/dashboard?${week}`);
      expect(res.status()).toBe(200);
      return (await res.json()).memberOrganisationsMet as number;
    };
    const draftN = async (label: string) => {
      await page.goto(`${origin()}/updates`);
      await page.getByRole('link', { name: 'Draft from data' }).click();
      await page.getByLabel('First day').fill('2024-07-01');
      await page.getByLabel('Last day').fill('2024-07-05');
      await page.getByLabel('Only these cities (optional)').fill('Jerusalem, Ramallah');
      if (label === 'form') {
        await axe(page, 'from-data-en');
        await shot(page, 'from-data-en');
      }
      await page.getByRole('button', { name: 'Write the draft' }).click();
      const sentence = page.locator('.post-preview p', { hasText: /^We met \d+ member organisations in Jerusalem and Ramallah\.$/ }).first();
      await sentence.waitFor();
      await page.getByTestId('data-draft').waitFor();
      return Number(/We met (\d+)/.exec((await sentence.textContent()) ?? '')![1]);
    };
    const n = await draftN('form');
    expect(n).toBeGreaterThan(0);
    expect(n).toBe(await members(maya.context));
    // …and the dashboard page says the same to Maya
    await maya.page.goto(`${origin()}/network/dashboard`);
    await maya.page.locator('label', { hasText: /^Custom$/ }).click();
    await maya.page.getByLabel('Until', { exact: true }).fill('2024-07-05');
    await maya.page.getByLabel('From', { exact: true }).fill('2024-07-01');
    await maya.page.getByLabel('Only these cities (optional)').fill('Jerusalem, Ramallah');
    await expect.poll(() => maya.page.getByTestId('met-sentence').textContent()).toContain(`We met ${n} member organisations`);
    await axe(maya.page, 'dashboard-cities-en');
    await page.getByTestId('data-draft').locator('summary').first().click();
    await axe(page, 'from-data-editor-en');
    await shot(page, 'from-data-editor-en');

    // a restricted meeting that week in Ramallah with a member met nowhere else: Oliver's dashboard counts it, no draft does
    const post = (path: string, data: unknown) => context.request.post(`${origin()}${path}`, { data, headers: { origin: origin() } });
    const org = await post('/api/organisations', { kind: 'member', names: [{ name: 'Quiet Partners for Peace' }] });
    expect(org.status(), await org.text()).toBe(201);
    const me = await (await context.request.get(`${origin()}/api/me`)).json();
    const oliverBefore = await members(context);
    const meeting = await post('/api/meetings', {
      kind: 'group',
      title: 'Quiet meeting in Ramallah',
      startsAt: '2024-07-03T17:00:00+03:00',
      endsAt: '2024-07-03T18:00:00+03:00',
      timeZone: 'Asia/Hebron',
      city: 'Ramallah',
      restricted: true,
      organisations: [{ organisationId: (await org.json()).id }],
      people: [],
      staffIds: [me.id],
      topicIds: [],
    });
    expect(meeting.status(), await meeting.text()).toBe(201);
    expect(await members(context)).toBe(oliverBefore + 1);
    expect(await members(maya.context)).toBe(n);
    expect(await draftN('again')).toBe(n);
    await maya.context.close();
    await context.close();
    expect(journey.pageProblems).toEqual([]);
  });

  it('the drafted post, edited in Hebrew and in Arabic with a photo carrying GPS, is scheduled and appears on /news at its time; its photo files carry no metadata', async () => {
    const { context, page } = await signedIn('ar', DESKTOP);
    const api = (method: 'get' | 'post', path: string, data?: unknown) => context.request[method](`${origin()}${path}`, { data, headers: { origin: origin() } });
    const drafted = await api('post', '/api/posts/draft-from-data', { source: { kind: 'period', from: '2024-07-01', to: '2024-07-05', cities: ['Jerusalem', 'Ramallah'] } });
    expect(drafted.status(), await drafted.text()).toBe(201);
    const id = (await drafted.json()).id as string;
    const stored = async () => (await api('get', `/api/posts/${id}`)).json();

    // the Hebrew text edited by a Hebrew editor…
    const noa = await signedIn('he', DESKTOP);
    await noa.page.goto(`${origin()}/updates/${id}`);
    await noa.page.getByRole('tab', { name: 'עברית' }).click();
    const heBody = noa.page.getByLabel('טקסט (Markdown)');
    await heBody.waitFor();
    await heBody.fill(`${await heBody.inputValue()}\n\n## מהשטח, בקצרה`);
    await noa.page.locator('.post-preview h2', { hasText: 'מהשטח, בקצרה' }).waitFor();
    await noa.page.getByRole('button', { name: 'שמירה' }).click();
    await noa.page.getByText('נשמר כגרסה 2').waitFor();
    await noa.context.close();

    // …then the Arabic text, with a photo carrying GPS uploaded, in the Arabic staff app
    await page.goto(`${origin()}/updates/${id}`);
    await page.getByRole('tab', { name: 'العربية' }).click();
    const body = page.getByLabel('النص (Markdown)');
    await body.waitFor();
    await body.fill(`${await body.inputValue()}\n\n## إضافة من الميدان`);
    await page.locator('.post-preview h2', { hasText: 'إضافة من الميدان' }).waitFor();
    await page.getByRole('button', { name: 'حفظ' }).click();
    await page.getByText('حُفظ كمراجعة 2').waitFor();
    await page.locator('input[type="file"]').setInputFiles({ name: 'field.jpg', mimeType: 'image/jpeg', buffer: await jpegWithGps(1200, 800) });
    for (const [label, text] of [
      ['النص البديل (English)', 'The team in Ramallah'],
      ['النص البديل (עברית)', 'הצוות ברמאללה'],
      ['النص البديل (العربية)', 'الفريق في رام الله'],
    ]) {
      await page.getByLabel(label).fill(text);
    }
    await page.getByRole('button', { name: 'رفع صورة' }).last().click();
    await page.locator('img[alt="الفريق في رام الله"]').waitFor();
    const photoId = ((await stored()).photos as { id: string }[])[0]!.id;
    await body.fill(`${await body.inputValue()}\n\n![الفريق في رام الله](photo:${photoId})`);
    await page.locator('.post-preview picture').waitFor();
    await page.getByRole('button', { name: 'حفظ' }).click();
    await page.getByText('حُفظ كمراجعة 3').waitFor();

    // scheduled a few seconds ahead: not on the site before its time, then there, published by the job
    const slug = ((await stored()).versions as { language: string; slug: string }[]).find((v) => v.language === 'ar')!.slug;
    const at = new Date(Date.now() + 4_000).toISOString();
    const scheduled = await api('post', `/api/posts/${id}/schedule`, { at });
    expect(scheduled.status(), await scheduled.text()).toBe(200);
    expect((await fetch(`${origin()}/news/${slug}`)).status).toBe(404);
    await expect.poll(async () => (await fetch(`${origin()}/news/${slug}`)).status, { timeout: 90_000, interval: 500 }).toBe(200);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(at));
    const html = await (await fetch(`${origin()}/news/${slug}`)).text();
    expect(html).toContain('إضافة من الميدان');
    const heSlug = ((await stored()).versions as { language: string; slug: string }[]).find((v) => v.language === 'he')!.slug;
    expect(await (await fetch(`${origin()}/news/${heSlug}`)).text()).toContain('מהשטח, בקצרה');

    // every file of the published photo, read back with an EXIF library: no GPS, no EXIF at all
    const urls = [...new Set([...html.matchAll(/(?:src|srcset)="([^"]+)"/g)].flatMap((m) => m[1]!.split(',').map((part) => part.trim().split(/\s+/)[0]!)))].filter((u) => u.includes(photoId));
    expect(urls.length).toBeGreaterThanOrEqual(3);
    for (const u of urls) {
      const res = await fetch(new URL(u, origin()));
      expect(res.status, u).toBe(200);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(await exifr.gps(bytes).catch(() => undefined), u).toBeUndefined();
      expect(await exifr.parse(bytes, { tiff: true, exif: true, gps: true, xmp: true, iptc: true }).catch(() => undefined), u).toBeUndefined();
    }
    await context.close();
    expect(journey.pageProblems).toEqual([]);
  });

  it('the schedule is typed in the account’s time zone, not the browser’s; a language and then the post are deleted after a confirmation', async () => {
    const { context, page } = await signedIn('he', DESKTOP); // the browser in Asia/Jerusalem (UTC+2 in January)
    const api = (method: 'post' | 'patch', path: string, data: unknown) => context.request[method](`${origin()}${path}`, { data, headers: { origin: origin() } });
    const ownZone = (await (await context.request.get(`${origin()}/api/me`)).json()).timeZone as string;
    expect((await api('patch', '/api/me', { timeZone: 'Asia/Tokyo' })).status()).toBe(200); // the account in UTC+9
    const created = await api('post', '/api/posts', {
      visibility: 'public',
      versions: {
        en: { slug: 'zone-and-delete', title: 'A short note', summary: '', body: 'Nothing but a note.' },
        he: { slug: 'zone-and-delete-he', title: 'הודעה קצרה', summary: '', body: 'רק הודעה.' },
      },
    });
    expect(created.status(), await created.text()).toBe(201);
    const id = (await created.json()).id as string;
    const stored = async () => (await context.request.get(`${origin()}/api/posts/${id}`)).json();
    await page.goto(`${origin()}/updates/${id}`);
    await page.getByLabel('מועד הפרסום').fill('2030-01-15T10:00');
    await page.getByText('באזור הזמן שלכם (Asia/Tokyo)').waitFor();
    await page.getByRole('button', { name: 'תזמון', exact: true }).click();
    await expect.poll(async () => (await stored()).scheduledAt).toBe('2030-01-15T01:00:00.000Z');
    await page.reload();
    await expect.poll(() => page.getByLabel('מועד הפרסום').inputValue()).toBe('2030-01-15T10:00');
    await page.getByRole('button', { name: 'החזרה לטיוטה' }).click();
    await expect.poll(async () => (await stored()).state).toBe('draft');

    await page.getByRole('tab', { name: 'עברית' }).click();
    await page.getByRole('button', { name: 'מחיקת השפה הזאת' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('למחוק את הגרסה בשפה: עברית?').waitFor();
    await axe(page, 'delete-version-he');
    await shot(page, 'delete-version-he');
    await dialog.getByRole('button', { name: 'מחיקה' }).click();
    await expect.poll(async () => (await stored()).versions.map((v: { language: string }) => v.language)).toEqual(['en']);
    await page.getByRole('tab', { name: 'עברית +' }).waitFor();

    await page.getByRole('button', { name: 'מחיקת הפוסט' }).click();
    await page.getByRole('dialog').getByText('למחוק את הפוסט?').waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'מחיקה' }).click();
    await page.waitForURL(/\/updates$/);
    expect((await context.request.get(`${origin()}/api/posts/${id}`)).status()).toBe(404);
    expect((await api('patch', '/api/me', { timeZone: ownZone })).status()).toBe(200);
    await context.close();
    expect(journey.pageProblems).toEqual([]);
  });
});
