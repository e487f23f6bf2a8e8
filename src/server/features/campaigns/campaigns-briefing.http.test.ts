import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEntry } from '../audit/audit.schema.ts';
import { createTestApp, problem } from '../../../../tests/setup/test-app.ts';
import { startAiStandIn } from '../../../../tests/setup/ai-stand-in.ts';
import { buildFollowUp, buildMeeting, buildOrganisation } from '../../../../tests/setup/network-factories.ts';

// The printable briefing per target (issue 13, item 6): in the reader's language, from what the reader may see only:
// a restricted meeting they were not granted is neither listed nor cited, the stance it supports is not there, and
// nothing of it reaches the AI provider. Talking points from the provider cite evidence; without an answer, the template.

const standIn = await startAiStandIn();
const t = await createTestApp({ config: { ai: { baseUrl: standIn.baseUrl, model: 'stand-in', timeoutMs: 5000, maxConcurrency: 2 } } });
const owner = await t.signedIn('staff', { name: 'Owner' });
const insider = await t.signedIn('staff', { name: 'Insider' });
const outsider = await t.signedIn('staff', { name: 'Outsider' });
const stranger = await t.signedIn('staff', { name: 'Stranger' });

const DAY = 86_400_000;
const at = (offset: number) => new Date(Date.now() + offset * DAY).toISOString();
const day = (offset: number) => at(offset).slice(0, 10);

const missionA = await buildOrganisation(t.db, { name: 'Embassy of Alphaland', kind: 'mission', languages: ['ar'], country: 'FR', city: 'Tel Aviv-Yafo' });
const missionB = await buildOrganisation(t.db, { name: 'Embassy of Betaland', kind: 'mission' });
const openMeeting = await buildMeeting(t.db, { title: 'Lunch at Alphaland', kind: 'diplomatic', organisations: [missionA.id], startsAt: at(-20), notes: 'They asked for our paper on the fund.' });
const secretMeeting = await buildMeeting(t.db, {
  title: 'Quiet talk with the Alphaland ambassador',
  kind: 'diplomatic',
  restricted: true,
  organisations: [missionA.id],
  staffIds: [owner.user.id],
  grantedTo: [insider.user.id],
  startsAt: at(-3),
  notes: 'The ambassador said privately that the capital will back the civil society role.',
});
await buildFollowUp(t.db, { ownerId: owner.user.id, title: 'Send Alphaland the fund paper', organisationId: missionA.id, dueDate: day(7) });
await buildFollowUp(t.db, { ownerId: owner.user.id, title: 'Confirm the capital’s backing quietly', meetingId: secretMeeting.id, organisationId: missionA.id });

let id = '';
let targetA = '';
let targetB = '';

beforeAll(async () => {
  const c = await (
    await owner.post('/api/campaigns', {
      name: { en: 'G7: civil society in the day-after', he: 'G7: החברה האזרחית ביום שאחרי' },
      asks: [
        { en: 'A role for civil society', he: 'תפקיד לחברה האזרחית', ar: 'دور للمجتمع المدني' },
        { en: 'A fund', ar: 'صندوق دولي' },
      ],
    })
  ).json();
  id = c.id;
  for (const u of [insider, outsider]) expect((await owner.post(`/api/campaigns/${id}/grants`, { userId: u.user.id })).status).toBe(201);
  targetA = (await (await owner.post(`/api/campaigns/${id}/targets`, { organisationId: missionA.id, groupLabel: 'G7' })).json()).id;
  targetB = (await (await owner.post(`/api/campaigns/${id}/targets`, { organisationId: missionB.id, groupLabel: 'G7' })).json()).id;
  const [ask1, ask2] = c.asks.map((a: { id: string }) => a.id);
  const ok = async (body: Record<string, unknown>) => expect((await owner.post(`/api/campaigns/${id}/stances`, body)).status).toBe(201);
  await ok({ targetId: targetA, askId: ask1, value: 'neutral', asOf: day(-20), evidence: { kind: 'meeting', meetingId: openMeeting.id } });
  await ok({ targetId: targetA, askId: ask1, value: 'supportive', asOf: day(-3), evidence: { kind: 'meeting', meetingId: secretMeeting.id } });
  await ok({ targetId: targetA, askId: ask2, value: 'sceptical', asOf: day(-30), evidence: { kind: 'judgement', reason: 'Worried about <script>costs</script>' } });
});

const briefing = (c: typeof owner, target: string, lang?: string) => c.get(`/api/campaigns/${id}/targets/${target}/briefing${lang ? `?lang=${lang}` : ''}`);
const readsOf = (actorId: string, entityId: string) =>
  t.db
    .select()
    .from(auditEntry)
    .where(and(eq(auditEntry.action, 'record.read'), eq(auditEntry.actorId, actorId), eq(auditEntry.entityId, entityId)));

describe('the briefing', () => {
  it('shows who they are, each stance with its history and evidence, meetings and what was said, follow-ups, the asks in their language, cited talking points', async () => {
    const before = standIn.requests.length;
    const res = await briefing(insider, targetA, 'he');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('<html lang="he" dir="rtl">');
    expect(html).toContain('Embassy of Alphaland');
    expect(html).toContain('G7: החברה האזרחית ביום שאחרי');
    expect(html).toContain('תדריך');
    // stances: the current one and the history, with evidence
    expect(html).toContain('תומך');
    expect(html).toContain('Quiet talk with the Alphaland ambassador');
    expect(html).toContain('Lunch at Alphaland');
    expect(html).toContain('The ambassador said privately');
    expect(html).toContain('Send Alphaland the fund paper');
    expect(html).toContain('Confirm the capital’s backing quietly');
    // the asks in the target's working language (Arabic)
    expect(html).toContain('<li lang="ar" dir="rtl">دور للمجتمع المدني</li>');
    // escaped, never markup
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;costs');
    // talking points from the provider, citing evidence numbers
    expect(standIn.requests.slice(before).map((r) => r.task)).toEqual(['talking_points']);
    expect(html).toMatch(/\[he\] Build on: [^<]*<\/bdi> <span class="cite">\[\d\]<\/span>/);
    expect(await readsOf(insider.user.id, secretMeeting.id)).not.toHaveLength(0);
    expect(await readsOf(insider.user.id, id)).not.toHaveLength(0);
  });

  it('leaves out, for whoever was not granted it, the restricted meeting, what was said there, the stance it supports, its follow-up; nothing of it goes to the provider', async () => {
    const before = standIn.requests.length;
    const res = await briefing(outsider, targetA, 'en');
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const hidden of [secretMeeting.id, 'Quiet talk', 'said privately', 'Confirm the capital', 'Supportive']) expect(html).not.toContain(hidden);
    expect(html).toContain('Lunch at Alphaland');
    expect(html).toContain('Neutral');
    expect(html).toContain('Send Alphaland the fund paper');
    const sent = JSON.stringify(standIn.requests.slice(before).map((r) => r.body));
    expect(sent).not.toContain('Quiet talk');
    expect(sent).not.toContain('supportive');
    expect(await readsOf(outsider.user.id, secretMeeting.id)).toHaveLength(0);
  });

  it('falls back to the template when the provider does not answer, and for a target with no evidence', async () => {
    standIn.setFailure('500');
    try {
      const html = await (await briefing(owner, targetA, 'ar')).text();
      expect(html).toContain('لم يجب مزوّد الذكاء الاصطناعي');
      expect(html).toContain('بشأن «دور للمجتمع المدني»');
    } finally {
      standIn.setFailure(null);
    }
    const before = standIn.requests.length;
    const html = await (await briefing(owner, targetB, 'en')).text();
    expect(standIn.requests.length).toBe(before);
    expect(html).toContain('From the template');
    expect(html).toContain('we do not know where they stand');
    expect(html).toContain('Their working language is not recorded');
  });

  it('is in the reader’s own language by default', async () => {
    const html = await (await briefing(owner, targetB)).text();
    expect(html).toContain('<html lang="en" dir="ltr">');
  });

  it('is not there for whoever does not see the campaign or the target; bad input is refused', async () => {
    await problem(await briefing(stranger, targetA), 404);
    await problem(await t.client().get(`/api/campaigns/${id}/targets/${targetA}/briefing`), 401);
    await problem(await briefing(owner, 'not-a-target'), 404);
    const other = await (await owner.post('/api/campaigns', { name: { en: 'Other' } })).json();
    await problem(await owner.get(`/api/campaigns/${other.id}/targets/${targetA}/briefing`), 404);
    await problem(await briefing(owner, targetA, 'fr'), 400);
  });
});
