import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEntry } from '../audit/audit.schema.ts';
import { post, postPhoto, postRevision, postVersion } from './updates.schema.ts';
import { createTestApp } from '../../../../tests/setup/test-app.ts';
import { createPostVia, jpegWithGps, uploadPhoto, version } from '../../../../tests/setup/post-factories.ts';

// Erasure on request looks into posts (docs/updates.md): erasing a Network person replaces each of their names (every
// script recorded in Network) by the tombstone in every post version's title, summary and text, in every stored
// revision, in the photos' alt texts, captions and credits, in the erasure's own transaction, audited; the preview
// counts the posts; other people's names and other posts stay as they were; the public page no longer names them.

const t = await createTestApp({ jobs: { work: false } });
const admin = await t.signedIn('admin');
const staff = await t.signedIn('staff');

async function ok<T = any>(res: Response | Promise<Response>, status = [200, 201]): Promise<T> {
  const r = await res;
  const text = await r.text();
  if (!status.includes(r.status)) throw new Error(`expected ${status.join('/')}, got ${r.status}: ${text}`);
  return JSON.parse(text) as T;
}

const newPerson = (names: string[]) => ok<{ id: string }>(staff.post('/api/people', { names: names.map((name) => ({ name })) }));
const dumpOf = async (postId: string) =>
  JSON.stringify([
    await t.db.select().from(postVersion).where(eq(postVersion.postId, postId)),
    await t.db.select().from(postRevision).where(eq(postRevision.postId, postId)),
    await t.db.select().from(postPhoto).where(eq(postPhoto.postId, postId)),
    (await t.db.select({ d: post.dataDraft }).from(post).where(eq(post.id, postId)))[0],
  ]);

describe('erasing a Network person named in posts', () => {
  it('replaces their names in every script in versions, revisions and photo texts; the preview counts the posts; audited', async () => {
    const rana = await newPerson(['Rana Haddad', 'رنا حداد', 'ראנה חדאד']);
    await newPerson(['Omar Nasser']);
    const p = await createPostVia(staff, {
      en: { ...version('erasure-story', 'Rana Haddad opens the meeting'), body: 'First draft: Rana Haddad spoke.' },
      ar: { ...version('erasure-story-ar', 'اجتماع الفريق'), body: 'تحدثت رنا حداد عن القرية.' },
    });
    // a second revision in English: the first one still holds the name, and so does the current one
    await ok(staff.put(`/api/posts/${p.id}/versions/en`, { slug: 'erasure-story', title: 'Rana Haddad opens the meeting', summary: 'With Omar Nasser.', body: 'Rana Haddad and Omar Nasser spoke.' }));
    await ok(staff.put(`/api/posts/${p.id}/versions/he`, { slug: 'erasure-story-he', title: 'פגישת הצוות', summary: '', body: 'ראנה חדאד דיברה.' }));
    const photo = await ok(
      uploadPhoto(staff, p.id, await jpegWithGps(600, 400), {
        alt_en: 'Rana Haddad at the table',
        alt_he: 'ראנה חדאד ליד השולחן',
        alt_ar: 'رنا حداد حول الطاولة',
        caption_en: 'Omar Nasser listens',
        credit: 'Photo: Rana Haddad',
      }),
    );
    await ok(staff.post(`/api/posts/${p.id}/publish?overrideNames=true`));
    const untouched = await createPostVia(staff, { en: version('erasure-other', 'Omar Nasser visits', 'Nothing about anyone else.') });
    expect(await (await t.client().get('/news/erasure-story')).text()).toContain('Rana Haddad');

    // the preview counts the post (not the other one); nothing is written by it; staff may not erase
    const preview = await ok(admin.get(`/api/people/${rana.id}/erasure/preview`));
    expect(preview.erases.posts).toBe(1);
    expect((await staff.post(`/api/people/${rana.id}/erasure`, { confirmName: 'Rana Haddad' })).status).toBe(403);
    expect(await dumpOf(p.id)).toContain('Rana Haddad');

    const out = await ok(admin.post(`/api/people/${rana.id}/erasure`, { confirmName: 'Rana Haddad' }));
    const tombstone = `[${out.erasure.tombstone}]`;

    const dump = await dumpOf(p.id);
    for (const name of ['Rana Haddad', 'رنا حداد', 'ראנה חדאד']) expect(dump).not.toContain(name);
    expect(dump).toContain('Omar Nasser');
    const versions = await t.db.select().from(postVersion).where(eq(postVersion.postId, p.id));
    const en = versions.find((v) => v.language === 'en')!;
    expect(en.title).toBe(`${tombstone} opens the meeting`);
    expect(en.body).toBe(`${tombstone} and Omar Nasser spoke.`);
    expect(en.revision).toBe(2); // no revision added: the revisions themselves are redacted
    expect(versions.find((v) => v.language === 'ar')!.body).toBe(`تحدثت ${tombstone} عن القرية.`);
    expect(versions.find((v) => v.language === 'he')!.body).toBe(`${tombstone} דיברה.`);
    const revisions = await t.db.select().from(postRevision).where(eq(postRevision.postId, p.id));
    expect(revisions.find((r) => r.language === 'en' && r.number === 1)!.body).toBe(`First draft: ${tombstone} spoke.`);
    const [ph] = await t.db.select().from(postPhoto).where(eq(postPhoto.id, photo.id));
    expect(ph!.alt).toEqual({ en: `${tombstone} at the table`, he: `${tombstone} ליד השולחן`, ar: `${tombstone} حول الطاولة` });
    expect(ph!.caption).toEqual({ en: 'Omar Nasser listens' });
    expect(ph!.credit).toBe(`Photo: ${tombstone}`);
    // the post is still published; the diff between the revisions still works and names nobody
    expect((await ok(staff.get(`/api/posts/${p.id}`))).state).toBe('published');
    expect(JSON.stringify(await ok(staff.get(`/api/posts/${p.id}/versions/en/diff?from=1&to=2`)))).not.toContain('Rana');
    // the other post is as it was
    expect(await dumpOf(untouched.id)).toContain('Omar Nasser visits');
    // the public page and the safety check no longer name her
    const page = await (await t.client().get('/news/erasure-story')).text();
    expect(page).not.toContain('Rana Haddad');
    expect(page).toContain('Erased person');
    expect(JSON.stringify(await ok(staff.get(`/api/posts/${p.id}/names`)))).not.toContain('Rana');

    const [audited] = await t.db.select().from(auditEntry).where(eq(auditEntry.action, 'person.erase'));
    expect(audited!.entityId).toBe(rana.id);
    expect(audited!.detail).toMatchObject({ postsRedacted: [p.id], postVersionsRedacted: 3, postRevisionsRedacted: 4, postPhotosRedacted: 1, postsToReview: [] });
    // erased: the preview of another person counts no post of hers
    expect((await ok(admin.get(`/api/people/${(await newPerson(['Never Named']))!.id}/erasure/preview`))).erases.posts).toBe(0);
  });

  it('an organisation erased is replaced too, in a draft as in a published post', async () => {
    const org = await ok<{ id: string }>(staff.post('/api/organisations', { kind: 'member', status: 'active', name: 'Olive Lantern Circle', names: [{ name: 'Olive Lantern Circle' }, { name: 'دائرة فانوس الزيتون' }] }));
    const p = await createPostVia(staff, { en: { ...version('org-erasure', 'We met Olive Lantern Circle'), body: 'Olive Lantern Circle hosted us.' }, ar: { ...version('org-erasure-ar', 'لقاء'), body: 'استضافتنا دائرة فانوس الزيتون.' } });
    expect((await ok(admin.get(`/api/organisations/${org.id}/erasure/preview`))).erases.posts).toBe(1);
    const out = await ok(admin.post(`/api/organisations/${org.id}/erasure`, { confirmName: 'Olive Lantern Circle' }));
    const dump = await dumpOf(p.id);
    expect(dump).not.toContain('Olive Lantern');
    expect(dump).not.toContain('فانوس');
    expect(dump).toContain(`[${out.erasure.tombstone}] hosted us.`);
    expect((await ok(staff.get(`/api/posts/${p.id}`))).state).toBe('draft');
  });
});
