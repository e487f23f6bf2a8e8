import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEntry } from '../audit/audit.schema.ts';
import { detectScript, normalizeName } from '../network/names.ts';
import { person, personName } from '../network/network.schema.ts';
import { post } from './updates.schema.ts';
import { publishScheduled } from './updates.service.ts';
import { createTestApp } from '../../../../tests/setup/test-app.ts';
import { createPostVia, version } from '../../../../tests/setup/post-factories.ts';

// Posts through /api/posts (issue 15): versions per language as translations, revisions and diffs, the states and
// who may move a post between them, "publishing needs a second person", scheduled publishing as a job (run here
// by its function with its own clock), and what lesser roles may not do.

const t = await createTestApp({ jobs: { work: false } });
const admin = await t.signedIn('admin');
const staff = await t.signedIn('staff');
const other = await t.signedIn('staff');
const viewer = await t.signedIn('viewer');
const anon = t.client();

const audits = async (id: string) => (await t.db.select().from(auditEntry).where(eq(auditEntry.entityId, id))).map((a) => a.action);

describe('writing a post', () => {
  it('creates a draft in several languages, each version its first revision, audited', async () => {
    const p = await createPostVia(staff, { en: version('team-meeting'), he: version('team-meeting-he', 'פגישת צוות') });
    expect(p.state).toBe('draft');
    expect(p.versions.map((v) => [v.language, v.revision])).toEqual([
      ['en', 1],
      ['he', 1],
    ]);
    expect(await audits(p.id)).toEqual(['post.create']);
  });

  it('a slug taken by any post or language is 409 post_slug_taken naming the field; nothing is written', async () => {
    await createPostVia(staff, { en: version('taken-slug') });
    const before = (await t.db.select().from(post)).length;
    const res = await staff.post('/api/posts', { versions: { ar: version('taken-slug') } });
    expect(res.status).toBe(409);
    const body = await res.json();
    expect(body.code).toBe('post_slug_taken');
    expect(body.errors[0].field).toBe('body.versions.ar.slug');
    expect((await t.db.select().from(post)).length).toBe(before);
    const twice = await staff.post('/api/posts', { versions: { en: version('same-twice'), he: version('same-twice') } });
    expect(twice.status).toBe(409);
  });

  it('bad input: no language, bad slug, unknown fields, a huge body', async () => {
    expect((await staff.post('/api/posts', { versions: {} })).status).toBe(400);
    const bad = await staff.post('/api/posts', { versions: { en: { ...version('x'), slug: 'Not A Slug' } } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0].field).toBe('body.versions.en.slug');
    expect((await staff.post('/api/posts', { versions: { en: version('unknown-field') }, extra: 1 })).status).toBe(400);
    expect((await staff.post('/api/posts', { versions: { en: { ...version('too-long'), body: 'x'.repeat(50_001) } } })).status).toBe(400);
    expect((await staff.post('/api/posts', { versions: { en: { ...version('way-too-long'), body: 'x'.repeat(2_000_000) } } })).status).toBe(413);
  });

  it('translating adds a version; editing makes a revision with its author; the diff shows what changed', async () => {
    const p = await createPostVia(staff, { en: version('diffed', 'Meeting', 'Line one\nLine two\nLine three') });
    const tr = await other.put(`/api/posts/${p.id}/versions/ar`, version('diffed-ar', 'اجتماع', 'سطر'));
    expect(tr.status).toBe(200);
    expect((await tr.json()).versions.map((v: { language: string }) => v.language)).toEqual(['en', 'ar']);
    const edit = await other.put(`/api/posts/${p.id}/versions/en`, version('diffed', 'Meeting in Ramallah', 'Line one\nLine 2\nLine three\nLine four'));
    expect((await edit.json()).versions[0].revision).toBe(2);
    // the same text again is no new revision
    await other.put(`/api/posts/${p.id}/versions/en`, version('diffed', 'Meeting in Ramallah', 'Line one\nLine 2\nLine three\nLine four'));
    const revs = await (await viewer.get(`/api/posts/${p.id}/versions/en/revisions`)).json();
    expect(revs.items.map((r: { number: number; authorId: string }) => [r.number, r.authorId])).toEqual([
      [2, other.user.id],
      [1, staff.user.id],
    ]);
    const diff = await (await viewer.get(`/api/posts/${p.id}/versions/en/diff?from=1&to=2`)).json();
    expect(diff.title).toEqual([
      { op: 'remove', text: 'Meeting' },
      { op: 'add', text: 'Meeting in Ramallah' },
    ]);
    expect(diff.body).toEqual([
      { op: 'same', text: 'Line one' },
      { op: 'remove', text: 'Line two' },
      { op: 'add', text: 'Line 2' },
      { op: 'same', text: 'Line three' },
      { op: 'add', text: 'Line four' },
    ]);
    expect((await viewer.get(`/api/posts/${p.id}/versions/en/diff?from=1&to=9`)).status).toBe(404);
    expect(await audits(p.id)).toEqual(expect.arrayContaining(['post.create', 'post.translate', 'post.edit']));
  });

  it('the preview renders Markdown with raw HTML off, safe links and dir="auto" blocks', async () => {
    const res = await viewer.post('/api/posts/preview', { markdown: '# שלום\n\n<script>x</script> [a](javascript:alert(1)) [b](https://example.org)' });
    const { html } = await res.json();
    expect(html).toContain('<h1 dir="auto">שלום</h1>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('href="javascript');
    expect(html).toContain('<a href="https://example.org" rel="noopener noreferrer">b</a>');
  });
});

describe('who may not', () => {
  it('viewers read but write nothing; the signed-out read nothing; nothing is written', async () => {
    const p = await createPostVia(staff, { en: version('guarded') });
    expect((await viewer.get(`/api/posts/${p.id}`)).status).toBe(200);
    expect((await viewer.post('/api/posts', { versions: { en: version('by-viewer') } })).status).toBe(403);
    expect((await viewer.put(`/api/posts/${p.id}/versions/he`, version('by-viewer-he'))).status).toBe(403);
    expect((await viewer.patch(`/api/posts/${p.id}`, { visibility: 'internal' })).status).toBe(403);
    for (const action of ['submit', 'publish', 'unpublish', 'withdraw']) expect((await viewer.post(`/api/posts/${p.id}/${action}`)).status).toBe(403);
    expect((await viewer.post(`/api/posts/${p.id}/schedule`, { at: new Date(Date.now() + 3600_000).toISOString() })).status).toBe(403);
    expect((await viewer.request(`/api/posts/${p.id}`, { method: 'DELETE' })).status).toBe(403);
    expect((await viewer.put('/api/posts-settings', { publishNeedsSecondPerson: true })).status).toBe(403);
    expect((await staff.put('/api/posts-settings', { publishNeedsSecondPerson: true })).status).toBe(403);
    expect((await anon.get('/api/posts')).status).toBe(401);
    expect((await anon.get(`/api/posts/${p.id}`)).status).toBe(401);
    expect(await audits(p.id)).toEqual(['post.create']);
    const [row] = await t.db.select().from(post).where(eq(post.id, p.id));
    expect([row!.state, row!.visibility]).toEqual(['draft', 'public']);
  });

  it('an unknown or malformed id is 404', async () => {
    expect((await staff.get('/api/posts/not-a-uuid')).status).toBe(404);
    expect((await staff.post('/api/posts/00000000-0000-4000-8000-000000000000/publish')).status).toBe(404);
  });
});

describe('states', () => {
  it('draft -> in review -> published -> unpublished, with 409 for moves that do not exist', async () => {
    const p = await createPostVia(staff, { en: version('states') });
    expect((await staff.post(`/api/posts/${p.id}/unpublish`)).status).toBe(409);
    expect((await (await staff.post(`/api/posts/${p.id}/submit`)).json()).state).toBe('in_review');
    expect((await staff.post(`/api/posts/${p.id}/submit`)).status).toBe(409);
    const published = await (await other.post(`/api/posts/${p.id}/publish`)).json();
    expect(published.state).toBe('published');
    expect(published.publishedBy).toBe(other.user.id);
    expect((await other.post(`/api/posts/${p.id}/publish`)).status).toBe(409);
    expect((await staff.request(`/api/posts/${p.id}`, { method: 'DELETE' })).status).toBe(409);
    expect((await (await staff.post(`/api/posts/${p.id}/unpublish`)).json()).state).toBe('unpublished');
    expect(await audits(p.id)).toEqual(['post.create', 'post.submit', 'post.publish', 'post.unpublish']);
  });

  it('with "publishing needs a second person", an author may not publish or schedule; someone else may', async () => {
    expect((await admin.put('/api/posts-settings', { publishNeedsSecondPerson: true })).status).toBe(200);
    try {
      const p = await createPostVia(staff, { en: version('two-people') });
      const self = await staff.post(`/api/posts/${p.id}/publish`);
      expect(self.status).toBe(403);
      expect((await self.json()).code).toBe('second_person_required');
      expect((await staff.post(`/api/posts/${p.id}/schedule`, { at: new Date(Date.now() + 3600_000).toISOString() })).status).toBe(403);
      // a translator is an author too
      await other.put(`/api/posts/${p.id}/versions/he`, version('two-people-he'));
      expect((await other.post(`/api/posts/${p.id}/publish`)).status).toBe(403);
      expect((await admin.post(`/api/posts/${p.id}/publish`)).status).toBe(200);
    } finally {
      await admin.put('/api/posts-settings', { publishNeedsSecondPerson: false });
    }
  });

  it('a schedule in the past is 422 schedule_in_past naming body.at; nothing changes', async () => {
    const p = await createPostVia(staff, { en: version('past') });
    const res = await staff.post(`/api/posts/${p.id}/schedule`, { at: new Date(Date.now() - 60_000).toISOString() });
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.code).toBe('schedule_in_past');
    expect(body.errors).toEqual([{ field: 'body.at', detail: 'In the past' }]);
    expect((await (await staff.get(`/api/posts/${p.id}`)).json()).state).toBe('draft');
    expect((await staff.post(`/api/posts/${p.id}/schedule`, { at: 'tomorrow' })).status).toBe(400);
  });

  it('a scheduled post is published by its job at its time, not before, and only once', async () => {
    const p = await createPostVia(staff, { en: version('scheduled') });
    const at = new Date(Date.now() + 2 * 3600_000);
    const res = await staff.post(`/api/posts/${p.id}/schedule`, { at: at.toISOString() });
    expect(res.status).toBe(200);
    expect((await res.json()).scheduledAt).toBe(at.toISOString());
    // the job is in the queue, due at the time
    const jobs = await t.db.execute(`SELECT data, start_after FROM pgboss.job WHERE name = 'updates.publish-scheduled' AND data->>'postId' = '${p.id}'`);
    const rows = (jobs as unknown as { rows: { data: { at: string }; start_after: string | Date }[] }).rows;
    expect(rows).toHaveLength(1);
    expect(Math.abs(new Date(rows[0]!.start_after).getTime() - at.getTime())).toBeLessThan(5_000);
    const data = { postId: p.id, at: at.toISOString() };
    expect(await publishScheduled(t.db, data, new Date(at.getTime() - 1000))).toBe('not_yet');
    expect((await (await staff.get(`/api/posts/${p.id}`)).json()).state).toBe('scheduled');
    expect(await publishScheduled(t.db, data, at)).toBe('published');
    const after = await (await staff.get(`/api/posts/${p.id}`)).json();
    expect([after.state, after.publishedAt, after.publishedBy]).toEqual(['published', at.toISOString(), staff.user.id]);
    expect(await publishScheduled(t.db, data, at)).toBe('skipped');
    const [entry] = await t.db.select().from(auditEntry).where(and(eq(auditEntry.entityId, p.id), eq(auditEntry.action, 'post.publish')));
    expect(entry!.actorId).toBe(staff.user.id);
  });

  it('a withdrawn or rescheduled post is not published by the old job', async () => {
    const p = await createPostVia(staff, { en: version('withdrawn') });
    const at = new Date(Date.now() + 3600_000).toISOString();
    await staff.post(`/api/posts/${p.id}/schedule`, { at });
    expect((await (await staff.post(`/api/posts/${p.id}/withdraw`)).json()).state).toBe('draft');
    expect(await publishScheduled(t.db, { postId: p.id, at }, new Date(Date.now() + 7200_000))).toBe('skipped');
    const later = new Date(Date.now() + 7200_000).toISOString();
    await staff.post(`/api/posts/${p.id}/schedule`, { at: later });
    expect(await publishScheduled(t.db, { postId: p.id, at }, new Date(Date.now() + 9000_000))).toBe('skipped');
    expect(await publishScheduled(t.db, { postId: p.id, at: later }, new Date(Date.now() + 9000_000))).toBe('published');
  });

  it('publishing a post without text in any language is 422 post_empty', async () => {
    const p = await createPostVia(staff, { en: version('emptied') });
    await staff.request(`/api/posts/${p.id}/versions/en`, { method: 'DELETE' });
    const res = await other.post(`/api/posts/${p.id}/publish`);
    expect(res.status).toBe(422);
    expect((await res.json()).code).toBe('post_empty');
  });
});

describe('lists', () => {
  it('lists posts by state, pages with a cursor', async () => {
    const p = await createPostVia(staff, { en: version('listed-draft') });
    const drafts = await (await viewer.get('/api/posts?state=draft&limit=200')).json();
    expect(drafts.items.some((i: { id: string }) => i.id === p.id)).toBe(true);
    expect(drafts.items.every((i: { state: string }) => i.state === 'draft')).toBe(true);
    const published = await (await viewer.get('/api/posts?state=published&limit=200')).json();
    expect(published.items.some((i: { id: string }) => i.id === p.id)).toBe(false);
    const first = await (await viewer.get('/api/posts?limit=2')).json();
    expect(first.items).toHaveLength(2);
    const second = await (await viewer.get(`/api/posts?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items[0].id).not.toBe(first.items[0].id);
  });
});

describe('the safety check before publishing', () => {
  it('finds Network people named in any script, flags them, refuses to publish without an explicit override, audits the override', async () => {
    const ins = async (display: string, names: [string, string][], flags: { restricted?: boolean; identityRestricted?: boolean; pseudonym?: string } = {}) => {
      const [p] = await t.db.insert(person).values({ displayName: display, restricted: !!flags.restricted, identityRestricted: !!flags.identityRestricted, pseudonym: flags.pseudonym ?? null }).returning();
      for (const [name, kind] of names) await t.db.insert(personName).values({ personId: p!.id, name, script: detectScript(name), kind, norm: normalizeName(name) });
      return p!.id;
    };
    const open = await ins('Samira Haddad', [['Samira Haddad', 'primary'], ['سميرة حداد', 'alternate']]);
    await ins('Official A', [['Yossi Mizrahi', 'primary']], { identityRestricted: true, pseudonym: 'Official A' });
    await ins('Hidden Person', [['Dalia Nasser', 'primary']], { restricted: true });
    await ins('Not Named', [['Rami Levi', 'primary']]);
    const p = await createPostVia(staff, {
      en: { ...version('names-post'), body: 'We met Samira Haddad and YOSSI MIZRAHI.' },
      ar: { ...version('names-post-ar'), body: 'التقينا بـ سميرة حدّاد وداليا ناصر.', title: 'لقاء' },
    });
    // Arabic with a shadda, Latin in capitals: the Network folding finds them; "Dalia Nasser" is named in Arabic only
    await ins('Dalia Arabic', [['داليا ناصر', 'primary']], { restricted: true });
    const check = await (await viewer.get(`/api/posts/${p.id}/names`)).json();
    const byName = Object.fromEntries(check.names.map((n: { name: string; flags: string[]; personId: string | null }) => [n.name, n]));
    expect(byName['Samira Haddad'] ?? byName['سميرة حداد']).toMatchObject({ personId: open, flags: ['no_consent'] });
    expect(byName['Yossi Mizrahi']).toMatchObject({ personId: null, displayName: null, flags: ['no_consent', 'pseudonymous'] });
    expect(byName['داليا ناصر']).toMatchObject({ personId: null, flags: ['no_consent', 'restricted'] });
    expect(check.names.some((n: { name: string }) => n.name === 'Rami Levi' || n.name === 'Dalia Nasser')).toBe(false);
    const refused = await other.post(`/api/posts/${p.id}/publish`);
    expect(refused.status).toBe(422);
    const body = await refused.json();
    expect(body.code).toBe('names_flagged');
    expect(body.errors).toHaveLength(3);
    expect((await (await staff.get(`/api/posts/${p.id}`)).json()).state).toBe('draft');
    expect((await other.post(`/api/posts/${p.id}/schedule?overrideNames=false`, { at: new Date(Date.now() + 3600_000).toISOString() })).status).toBe(422);
    const published = await other.post(`/api/posts/${p.id}/publish?overrideNames=true`);
    expect(published.status).toBe(200);
    const [entry] = await t.db.select().from(auditEntry).where(and(eq(auditEntry.entityId, p.id), eq(auditEntry.action, 'post.names_override')));
    expect(entry).toMatchObject({ actorId: other.user.id, detail: { names: 3 } });
  });

  it('a person who agreed to be named publicly (set on the person, audited) passes unflagged; a protected one still does not', async () => {
    const create = async (name: string, extra: Record<string, unknown> = {}) => {
      const res = await staff.post('/api/people', { names: [{ name, kind: 'primary' }], ...extra });
      expect(res.status, await res.clone().text()).toBe(201);
      return (await res.json()) as { id: string; namedPublicly: boolean };
    };
    const agreed = await create('Maryam Khoury', { namedPublicly: true });
    expect(agreed.namedPublicly).toBe(true);
    const later = await create('Tomer Avraham');
    expect(later.namedPublicly).toBe(false);
    const guarded = await create('Hana Odeh', { namedPublicly: true, identityRestricted: true, pseudonym: 'Source H' });
    const p = await createPostVia(staff, { en: { ...version('consent-post'), body: 'With Maryam Khoury, Tomer Avraham and Hana Odeh.' } });
    const flags = async () => Object.fromEntries(((await (await staff.get(`/api/posts/${p.id}/names`)).json()).names as { name: string; flags: string[] }[]).map((n) => [n.name, n.flags]));
    expect(await flags()).toEqual({ 'Maryam Khoury': [], 'Tomer Avraham': ['no_consent'], 'Hana Odeh': ['pseudonymous'] });
    // a viewer may not record consent; staff may, audited
    expect((await viewer.patch(`/api/people/${later.id}`, { namedPublicly: true })).status).toBe(403);
    const res = await staff.patch(`/api/people/${later.id}`, { namedPublicly: true });
    expect(res.status).toBe(200);
    expect((await res.json()).namedPublicly).toBe(true);
    const [audit] = await t.db.select().from(auditEntry).where(and(eq(auditEntry.entityId, later.id), eq(auditEntry.action, 'person.update')));
    expect(audit!.detail).toMatchObject({ namedPublicly: true, before: { namedPublicly: false } });
    expect((await flags())['Tomer Avraham']).toEqual([]);
    // whoever sees only the pseudonym is not told anything about the consent
    expect((await (await viewer.get(`/api/people/${guarded.id}`)).json()).namedPublicly).toBe(false);
  });

  it('an edit of a scheduled post that names a newly flagged person cancels the schedule (back to review, audited); other edits keep it', async () => {
    const [flagged] = await t.db.insert(person).values({ displayName: 'Nadia Saleh' }).returning();
    await t.db.insert(personName).values({ personId: flagged!.id, name: 'Nadia Saleh', script: 'latin', kind: 'primary', norm: normalizeName('Nadia Saleh') });
    const p = await createPostVia(staff, { en: version('scheduled-edit') });
    const at = new Date(Date.now() + 3600_000).toISOString();
    expect((await other.post(`/api/posts/${p.id}/schedule`, { at })).status).toBe(200);
    const typo = await staff.put(`/api/posts/${p.id}/versions/en`, { ...version('scheduled-edit'), body: 'A typo fixed.' });
    expect((await typo.json()).state).toBe('scheduled');
    const named = await staff.put(`/api/posts/${p.id}/versions/en`, { ...version('scheduled-edit'), body: 'A typo fixed. With Nadia Saleh.' });
    expect(named.status).toBe(200);
    expect(await named.json()).toMatchObject({ state: 'in_review', scheduledAt: null });
    expect(await audits(p.id)).toContain('post.schedule_cancelled');
    // the job due at that time then leaves it alone
    await publishScheduled(t.db, { postId: p.id, at }, new Date(Date.parse(at) + 1000));
    expect((await (await staff.get(`/api/posts/${p.id}`)).json()).state).toBe('in_review');
  });
});
