import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserJourney, VIEWPORT } from './support.ts';

// Two records of one person (Muhammad / Mohammed Khalil), one of them in a meeting: merged in the browser in
// Hebrew from the surviving person's page, with a side-by-side preview; the survivor then holds both names, both
// emails and the meeting. The merge dialog passes axe in English, Hebrew and Arabic; a failed merge shows the
// catalog's sentence; an organisation merges the same way; viewers are not offered the action. Organisations are
// named in the reader's script on the meeting pages, and the week calendar's chevrons point the reading way.

const journey = browserJourney('merge');
const { requests, pageProblems, axe, shot, switchLanguage } = journey;
const h1 = journey.heading;

/** A Mantine select's text box by its label (a required field's label ends with an asterisk). */
function selectInput(scope: Page | ReturnType<Page['locator']>, label: string) {
  return scope.getByLabel(new RegExp(`^${label}( \\*)?$`)).and(scope.locator('input:not([type=hidden])'));
}

describe('merging duplicates, end to end', () => {
  it('merges a duplicate person in Hebrew after a side-by-side preview; the survivor shows both names and the meeting', async () => {
    const setupLink = journey.server().setupLink();
    expect(setupLink, journey.server().output()).toBeTruthy();
    const origin = new URL(setupLink!).origin;
    const context = await journey.browser().newContext({ viewport: VIEWPORT, locale: 'en-GB', timezoneId: 'Asia/Jerusalem' });
    const page = await context.newPage();
    journey.watch(page);

    await journey.setUpFirstAdmin(page, { name: 'Dana Levi-Nasser', email: 'dana@example.org', password: 'two peoples one coastline' });

    // ---- seeded through the API (the browser's cookie) ----
    const api = async (method: 'POST' | 'GET' | 'DELETE', p: string, data?: unknown) => {
      const res = await page.request.fetch(`${origin}/api${p}`, { method, data, headers: { origin, 'content-type': 'application/json' } });
      const body = await res.json().catch(() => null);
      return { status: res.status(), body };
    };
    const ok = async (method: 'POST' | 'GET', p: string, data?: unknown) => {
      const r = await api(method, p, data);
      expect(r.status, `${method} ${p}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
      return r.body;
    };
    const forum = { en: 'Bereaved Families Forum', he: 'פורום המשפחות השכולות', ar: 'منتدى العائلات الثكلى' };
    const org = await ok('POST', '/organisations', { kind: 'member', status: 'active', name: forum.en, names: [{ name: forum.en }, { name: forum.he }, { name: forum.ar }], city: 'Jerusalem', country: 'IL' });
    const keep = await ok('POST', '/people', {
      names: [{ name: 'Muhammad Khalil' }, { name: 'מוחמד ח׳ליל', kind: 'alternate' }],
      contacts: [{ kind: 'email', value: 'm.khalil@example.org' }],
      affiliations: [{ organisationId: org.id, title: 'Coordinator' }],
    });
    const duplicate = await ok('POST', '/people', {
      names: [{ name: 'Mohammed Khalil' }, { name: 'محمد خليل', kind: 'alternate' }],
      contacts: [{ kind: 'email', value: 'mohammed.khalil@example.org' }],
    });
    const meetingTitle = 'Families forum: ceasefire vigil planning';
    const meeting = await ok('POST', '/meetings', {
      kind: 'one_on_one',
      title: meetingTitle,
      startsAt: '2024-07-10T10:00:00+03:00',
      endsAt: '2024-07-10T11:00:00+03:00',
      timeZone: 'Asia/Jerusalem',
      city: 'Jerusalem',
      organisations: [{ organisationId: org.id }],
      people: [{ personId: duplicate.id, organisationId: org.id }],
    });
    // a third record, for the preview in English and Arabic and for a merge that fails
    const third = await ok('POST', '/people', { names: [{ name: 'Muhamad Kalil' }], contacts: [{ kind: 'phone', value: '+972 2 555 0101' }] });

    // ---- in Hebrew: the merge, from the surviving person's page ----
    await switchLanguage(page, 'he');
    await page.goto(`${origin}/network/people/${keep.id}`);
    // the heading is the name recorded in the reader's script
    await h1(page, 'מוחמד ח׳ליל');
    await page.getByRole('button', { name: 'מיזוג כפילות' }).click();
    const dialog = page.getByRole('dialog', { name: 'מיזוג כפילות לתוך הרשומה הזאת' });
    await dialog.waitFor();
    // keyboard only: type part of a name, arrow to the option, Enter
    const picker = selectInput(dialog, 'הרשומה הכפולה');
    await picker.focus();
    await page.keyboard.type('Mohammed');
    // the server's answer for what was typed (not the list shown before it): one person
    await expect.poll(() => page.getByRole('option').count()).toBe(1);
    await page.getByRole('option', { name: 'Mohammed Khalil' }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const preview = dialog.getByTestId('merge-preview');
    await preview.waitFor();
    // side by side: the duplicate's column lists its names, email and meeting; the survivor's lists its own
    const rowOf = (key: string) => preview.locator(`tr[data-row="${key}"]`);
    await expect.poll(() => rowOf('meetings').locator('td').nth(1).textContent()).toContain(meetingTitle);
    expect(await rowOf('meetings').locator('td').first().textContent()).toBe('—');
    expect(await rowOf('names').locator('td').nth(1).textContent()).toContain('محمد خليل');
    expect(await rowOf('names').locator('td').first().textContent()).toContain('Muhammad Khalil');
    expect(await rowOf('contacts').locator('td').nth(1).textContent()).toContain('mohammed.khalil@example.org');
    expect(await rowOf('affiliations').locator('td').first().textContent()).toContain(forum.en);
    await axe(page, 'merge dialog he');
    await shot(page, 'he-merge-dialog');
    // the red action is reached with the keyboard too
    const mergeButton = dialog.getByRole('button', { name: 'מיזוג', exact: true });
    await mergeButton.focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });

    // ---- the survivor: a notice, both names, both emails, the meeting ----
    await page.waitForURL(`${origin}/network/people/${keep.id}`);
    const notice = page.getByTestId('notice');
    await expect.poll(() => notice.textContent()).toContain('Mohammed Khalil');
    expect(await notice.textContent()).toContain('הכפילות מוזגה');
    const names = page.locator('section[aria-labelledby="person-names"]');
    for (const n of ['Muhammad Khalil', 'מוחמד ח׳ליל', 'Mohammed Khalil', 'محمد خليل']) {
      await expect.poll(() => names.getByText(n, { exact: true }).count(), { message: n }).toBe(1);
    }
    const contacts = page.locator('section[aria-labelledby="person-contacts"]');
    await expect.poll(() => contacts.getByText('mohammed.khalil@example.org').count()).toBe(1);
    const timeline = page.getByTestId('timeline');
    await expect.poll(() => timeline.getByRole('link', { name: meetingTitle }).count()).toBe(1);
    await axe(page, 'person after merge he');
    await shot(page, 'he-person-merged');
    // the duplicate is gone, and the meeting names the survivor
    expect((await api('GET', `/people/${duplicate.id}`)).status).toBe(404);
    const stored = await ok('GET', `/meetings/${meeting.id}`);
    expect(stored.people.map((p: { personId: string }) => p.personId)).toEqual([keep.id]);

    // ---- the meeting pages name the organisation in the reader's script ----
    await page.goto(`${origin}/network/meetings/${meeting.id}`);
    await h1(page, meetingTitle);
    await expect.poll(() => page.getByRole('link', { name: forum.he }).count()).toBe(1);
    await page.goto(`${origin}/network/meetings`);
    await expect.poll(() => page.locator('tbody').getByText(forum.he).count()).toBeGreaterThan(0);
    // the week calendar's chevrons point the reading way: "previous" to the right in Hebrew
    await page.goto(`${origin}/network/meetings?view=week&week=2024-07-10`);
    await page.getByRole('link', { name: meetingTitle }).waitFor();
    await expect.poll(() => page.getByTestId('previous-week-icon').getAttribute('class')).toContain('tabler-icon-chevron-right');
    expect(await page.getByTestId('next-week-icon').getAttribute('class')).toContain('tabler-icon-chevron-left');
    const prevBox = (await page.getByRole('button', { name: 'השבוע הקודם' }).boundingBox())!;
    const nextBox = (await page.getByRole('button', { name: 'השבוע הבא' }).boundingBox())!;
    expect(prevBox.x).toBeGreaterThan(nextBox.x);
    await shot(page, 'he-week');

    // ---- the dialog in Arabic: preview of the third record, axe, then closed with Escape ----
    await switchLanguage(page, 'ar');
    await page.goto(`${origin}/network/people/${keep.id}`);
    // the Arabic name came with the merged duplicate
    await h1(page, 'محمد خليل');
    await page.getByRole('button', { name: 'دمج سجل مكرر' }).click();
    const arDialog = page.getByRole('dialog', { name: 'دمج سجل مكرر في هذا الشخص' });
    const arPicker = selectInput(arDialog, 'الشخص المكرر');
    await arPicker.fill('Muhamad');
    await page.getByRole('option', { name: 'Muhamad Kalil' }).click();
    await arDialog.getByTestId('merge-preview').waitFor();
    await expect.poll(() => arDialog.getByTestId('merge-preview').locator('tr[data-row="contacts"] td').nth(1).textContent()).toContain('+972 2 555 0101');
    await axe(page, 'merge dialog ar');
    await shot(page, 'ar-merge-dialog');
    await page.keyboard.press('Escape');
    await arDialog.waitFor({ state: 'detached' });
    await page.goto(`${origin}/network/meetings/${meeting.id}`);
    await expect.poll(() => page.getByRole('link', { name: forum.ar }).count()).toBe(1);
    await page.goto(`${origin}/network/meetings?view=week&week=2024-07-10`);
    await page.getByRole('link', { name: meetingTitle }).waitFor();
    await expect.poll(() => page.getByTestId('previous-week-icon').getAttribute('class')).toContain('tabler-icon-chevron-right');
    await shot(page, 'ar-week');

    // ---- in English: axe on the dialog, then a merge that fails is explained in words ----
    await switchLanguage(page, 'en');
    await page.goto(`${origin}/network/people/${keep.id}`);
    await h1(page, 'Muhammad Khalil');
    await page.getByRole('button', { name: 'Merge a duplicate' }).click();
    const enDialog = page.getByRole('dialog', { name: 'Merge a duplicate into this person' });
    await selectInput(enDialog, 'Duplicate person').fill('Muhamad');
    await page.getByRole('option', { name: 'Muhamad Kalil' }).click();
    await enDialog.getByTestId('merge-preview').waitFor();
    await axe(page, 'merge dialog en');
    await shot(page, 'en-merge-dialog');
    // someone else deletes the third record meanwhile: the server answers 404 problem+json, shown as the catalog's sentence
    expect((await api('DELETE', `/people/${third.id}`)).status).toBe(204);
    await enDialog.getByRole('button', { name: 'Merge', exact: true }).click();
    await expect.poll(() => enDialog.getByRole('alert').filter({ hasText: 'This person does not exist, or you do not have access to them.' }).count()).toBe(1);
    await shot(page, 'en-merge-failed');
    await enDialog.getByRole('button', { name: 'Cancel' }).click();
    await enDialog.waitFor({ state: 'detached' });

    // in English the meeting names the organisation in Latin script
    await page.goto(`${origin}/network/meetings/${meeting.id}`);
    await expect.poll(() => page.getByRole('link', { name: forum.en }).count()).toBe(1);

    // ---- an organisation too: its duplicate's names and people move; a name both have is marked, not copied ----
    const oldForum = await ok('POST', '/organisations', { kind: 'member', status: 'active', name: 'Forum of Bereaved Families', names: [{ name: 'Forum of Bereaved Families' }, { name: forum.he }] });
    await ok('POST', '/people', { names: [{ name: 'Yael Ben-Ami' }], affiliations: [{ organisationId: oldForum.id, title: 'Spokesperson' }] });
    await page.goto(`${origin}/network/organisations/${org.id}`);
    await h1(page, forum.en);
    await page.getByRole('button', { name: 'Merge a duplicate' }).click();
    const orgDialog = page.getByRole('dialog', { name: 'Merge a duplicate into this organisation' });
    await selectInput(orgDialog, 'Duplicate organisation').fill('Forum of');
    await page.getByRole('option', { name: 'Forum of Bereaved Families' }).click();
    const orgPreview = orgDialog.getByTestId('merge-preview');
    await orgPreview.waitFor();
    const dupNames = orgPreview.locator('tr[data-row="names"] td').nth(1);
    await expect.poll(() => dupNames.getByRole('listitem').filter({ hasText: forum.he }).filter({ hasText: 'already here' }).count()).toBe(1);
    expect(await orgPreview.locator('tr[data-row="people"] td').nth(1).textContent()).toContain('Yael Ben-Ami');
    await axe(page, 'organisation merge dialog en');
    await shot(page, 'en-organisation-merge-dialog');
    await orgDialog.getByRole('button', { name: 'Merge', exact: true }).click();
    await orgDialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('notice').textContent()).toContain('was merged into this record');
    expect(await page.getByTestId('notice').textContent()).toContain('Forum of Bereaved Families');
    await expect.poll(() => page.locator('section[aria-labelledby="org-names"]').getByText('Forum of Bereaved Families', { exact: true }).count()).toBe(1);
    await expect.poll(() => page.locator('section[aria-labelledby="org-people"]').getByRole('link', { name: 'Yael Ben-Ami' }).count()).toBe(1);
    expect((await api('GET', `/organisations/${oldForum.id}`)).status).toBe(404);

    // ---- a viewer sees neither merge action ----
    const invited = await ok('POST', '/invitations', { email: 'vera@example.org', name: 'Vera Viewer', role: 'viewer', locale: 'en' });
    const viewerContext = await journey.browser().newContext({ viewport: VIEWPORT, locale: 'en-GB', timezoneId: 'Asia/Jerusalem' });
    const vp = await viewerContext.newPage();
    journey.watch(vp);
    await vp.goto(invited.link);
    await h1(vp, 'Join Convene');
    await vp.getByLabel('Choose a password').fill('a quiet grove of olives');
    await vp.getByRole('button', { name: 'Create account and sign in' }).click();
    await vp.waitForURL(`${origin}/`);
    await vp.goto(`${origin}/network/people/${keep.id}`);
    await h1(vp, 'Muhammad Khalil');
    await vp.getByTestId('timeline').waitFor();
    expect(await vp.getByRole('button', { name: 'Merge a duplicate' }).count()).toBe(0);
    await vp.goto(`${origin}/network/organisations/${org.id}`);
    await h1(vp, forum.en);
    await vp.getByTestId('timeline').waitFor();
    expect(await vp.getByRole('button', { name: 'Merge a duplicate' }).count()).toBe(0);
    await viewerContext.close();

    const foreign = requests.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== origin);
    expect(foreign).toEqual([]);
    expect(pageProblems).toEqual([]);
    await context.close();
  }, 300_000);
});
