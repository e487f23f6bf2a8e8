import { describe, expect, it } from 'vitest';
import { buildMeeting, buildOrganisation, buildPerson, buildTopic, daysAgo, isoDay } from '../setup/network-factories.ts';
import { createTestApp, type TestClient } from '../setup/test-app.ts';

// Side channels: everything a reader without grants receives — every list, count, page, search, timeline, feed,
// export and dashboard of the Network pillar — is the same, byte for byte but for the instants that say when the
// answer was made, before and after others record restricted things about the same organisations, people, topics
// and days. A restricted write that moved anything the reader sees (a count, an order, a timestamp, a total, a
// search rank) would tell them it happened.

const t = await createTestApp();
const admin = await t.signedIn('admin');
const insider = await t.signedIn('staff', { name: 'Insider' });
const reader = await t.signedIn('staff', { name: 'Reader Without Grants' });
const viewer = await t.signedIn('viewer', { name: 'Viewer Without Grants' });
const colleague = await t.signedIn('staff', { name: 'Granted Colleague' });

const olive = await buildOrganisation(t.db, { names: ['Olive Grove Forum', 'פורום חורשת הזיתים', 'منتدى بستان الزيتون'], city: 'Jenin', area: 'West Bank', tags: ['water'] });
const river = await buildOrganisation(t.db, { names: ['River Voices'], city: 'Haifa', country: 'IL' });
const mission = await buildOrganisation(t.db, { kind: 'mission', names: ['Embassy of Examplestan'], status: null });
const water = await buildTopic(t.db, { key: 'water-rights', nameEn: 'Water rights', nameHe: 'זכויות מים', nameAr: 'حقوق المياه' });
const ceasefire = await buildTopic(t.db, { key: 'ceasefire', nameEn: 'Ceasefire', nameHe: 'הפסקת אש', nameAr: 'وقف إطلاق النار' });
const amal = await buildPerson(t.db, { name: 'Amal Haddad', names: ['أمل حداد'], affiliations: [{ organisationId: olive.id, title: 'Director' }] });
const noam = await buildPerson(t.db, { name: 'Noam Levi', names: ['נועם לוי'], affiliations: [{ organisationId: river.id }] });
const source = await buildPerson(t.db, { name: 'Real Name Of Source', identityRestricted: true, pseudonym: 'Source R' });
const day = (n: number) => daysAgo(n);
const visibleMeetings = [
  await buildMeeting(t.db, {
    title: 'Water rights round table',
    startsAt: day(2),
    organisations: [olive.id, river.id],
    people: [amal.id, { personId: source.id, organisationId: olive.id }],
    topicIds: [water.id],
    staffIds: [insider.user.id],
    notes: 'Open notes about water',
    sharedItems: [{ organisationId: olive.id, body: 'Water permits are delayed', topicId: water.id }],
    followUps: [{ title: 'Send the water report', ownerId: insider.user.id, dueDate: isoDay(-1), organisationId: olive.id }],
  }),
  await buildMeeting(t.db, {
    title: 'Ceasefire briefing',
    kind: 'diplomatic',
    startsAt: day(9),
    organisations: [mission.id, olive.id],
    people: [noam.id],
    topicIds: [ceasefire.id],
    notes: 'Restricted notes of the briefing',
    notesRestricted: true,
    staffIds: [insider.user.id],
  }),
];

const range = `from=${encodeURIComponent(day(40).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString())}`;

/** Every Network answer a reader gets, keyed by what was asked. */
async function everything(c: TestClient): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const get = async (path: string) => {
    const res = await c.get(path);
    out[path] = `${res.status} ${res.headers.get('content-type')}\n${await res.text()}`;
  };
  for (const path of [
    '/api/organisations?limit=200',
    `/api/organisations?limit=200&tag=water`,
    '/api/people?limit=200',
    `/api/people?limit=200&organisationId=${olive.id}`,
    '/api/meetings?limit=200',
    `/api/meetings?${range}&limit=200`,
    `/api/meetings?organisationId=${olive.id}`,
    `/api/meetings?topicId=${water.id}`,
    `/api/meetings?personId=${amal.id}`,
    `/api/meetings?staffId=${insider.user.id}`,
    '/api/meetings?q=water',
    '/api/shared-items?limit=200',
    `/api/shared-items?organisationId=${olive.id}`,
    '/api/follow-ups?limit=200',
    `/api/follow-ups?organisationId=${olive.id}`,
    '/api/member-health?limit=500',
    '/api/member-health?limit=500&status=any&kind=any',
    `/api/dashboard?from=${isoDay(-40)}&to=${isoDay(1)}`,
    '/api/dashboard',
    '/api/topics',
    '/api/exports/organisations.csv',
    '/api/exports/people.csv',
    '/api/exports/meetings.csv',
    '/api/exports/member-health.csv',
    '/api/exports/follow-ups.csv',
  ])
    await get(path);
  for (const q of ['water', 'Water rights', 'olive', 'زيتون', 'חורשת', 'ceasefire', 'briefing', 'Amal', 'Source', 'Embassy', 'round table', 'Examplestan'])
    await get(`/api/search?q=${encodeURIComponent(q)}&limit=5`);
  for (const o of [olive, river, mission]) {
    await get(`/api/organisations/${o.id}`);
    await get(`/api/organisations/${o.id}/timeline`);
  }
  for (const p of [amal, noam, source]) {
    await get(`/api/people/${p.id}`);
    await get(`/api/people/${p.id}/timeline`);
  }
  for (const m of visibleMeetings) {
    await get(`/api/meetings/${m.id}`);
    await get(`/api/meetings/${m.id}/ics`);
  }
  return out;
}

/** The instants that say when an answer was made, not what it says. */
const unstamp = (text: string) => text.replace(/^DTSTAMP:.*$/gm, 'DTSTAMP:…').replace(/"generatedAt":"[^"]*"/g, '"generatedAt":"…"');

function diff(before: Record<string, string>, after: Record<string, string>): string[] {
  const changed: string[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = unstamp(before[key] ?? '');
    const b = unstamp(after[key] ?? '');
    if (a === b) continue;
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    changed.push(`${key}\n  before: …${a.slice(Math.max(0, i - 80), i + 120)}\n  after:  …${b.slice(Math.max(0, i - 80), i + 120)}`);
  }
  return changed;
}

describe('restricted writes leave no trace for readers without grants', () => {
  it('every answer is the same before and after', async () => {
    const readers = [reader, viewer];
    const before = await Promise.all(readers.map(everything));
    // the check can fail: someone who may see the restricted writes gets different answers
    const insiderBefore = await everything(insider);

    // restricted meetings on the same days, with the same organisations, people, topics and words
    const hiddenGuest = await buildPerson(t.db, { name: 'Hidden Guest', restricted: true, grantedTo: [insider.user.id], affiliations: [{ organisationId: olive.id }] });
    const created = await insider.post('/api/meetings', {
      kind: 'diplomatic',
      title: 'Water rights round table with the Examplestan ambassador',
      startsAt: day(2).toISOString(),
      endsAt: new Date(day(2).getTime() + 3600_000).toISOString(),
      timeZone: 'Asia/Jerusalem',
      city: 'Jenin',
      restricted: true,
      notes: 'Olive Grove and River Voices asked about water permits',
      organisations: [
        { organisationId: olive.id, role: 'participant' },
        { organisationId: mission.id, role: 'host' },
      ],
      people: [
        { personId: amal.id, organisationId: olive.id },
        { personId: source.id, organisationId: river.id },
        { personId: hiddenGuest.id },
      ],
      staffIds: [insider.user.id],
      topicIds: [water.id, ceasefire.id],
      sharedItems: [{ organisationId: olive.id, kind: 'concern', body: 'Water permits concern raised in secret', topicId: water.id }],
      followUps: [{ title: 'Send the water report again', ownerId: insider.user.id, dueDate: isoDay(-3), organisationId: olive.id }],
    });
    expect(created.status).toBe(201);
    const secret = await created.json();
    // restricted additions to the visible meetings: an attendee, a shared item, a follow-up's owner, the notes
    const [open, briefing] = visibleMeetings;
    const openNow = await (await insider.get(`/api/meetings/${open!.id}`)).json();
    const people = openNow.people.map((p: { personId: string; organisationId: string | null; role: string }) => ({ personId: p.personId, organisationId: p.organisationId, role: p.role }));
    expect((await insider.patch(`/api/meetings/${open!.id}`, { people: [...people, { personId: hiddenGuest.id, organisationId: river.id }] })).status).toBe(200);
    expect(
      (await insider.post(`/api/meetings/${open!.id}/shared-items`, { organisationId: river.id, kind: 'request', body: 'Water rights request, restricted', topicId: water.id, restricted: true })).status,
    ).toBe(201);
    expect((await insider.patch(`/api/meetings/${briefing!.id}`, { notes: 'Ceasefire: changed restricted notes' })).status).toBe(200);
    expect((await insider.post(`/api/follow-ups`, { title: 'Water follow-up on the secret meeting', ownerId: admin.user.id, meetingId: secret.id, dueDate: isoDay(-5) })).status).toBe(201);
    // the restricted meeting changes: its title, time on the same day, people and topics
    expect((await insider.patch(`/api/meetings/${secret.id}`, { title: 'Olive Grove water briefing', topicIds: [ceasefire.id], people: [{ personId: noam.id }] })).status).toBe(200);
    expect((await insider.post(`/api/meetings/${secret.id}/grants`, { userId: colleague.user.id })).status).toBe(201);
    // restricted people affiliated with the same organisations; the pseudonymous source's real identity changes
    expect((await admin.post(`/api/people/${source.id}/names`, { name: 'Another Real Name', kind: 'alternate' })).status).toBe(201);
    expect((await admin.post(`/api/people/${source.id}/affiliations`, { organisationId: mission.id, title: 'Adviser' })).status).toBe(201);
    expect((await admin.patch(`/api/people/${source.id}`, { notes: 'Met twice in Jenin' })).status).toBe(200);
    expect((await admin.post(`/api/people/${hiddenGuest.id}/contacts`, { kind: 'email', value: 'guest@example.org' })).status).toBe(201);
    const secondSecret = await buildMeeting(t.db, { title: 'Ceasefire briefing follow-up', kind: 'one_on_one', restricted: true, startsAt: day(9), organisations: [mission.id], people: [noam.id], topicIds: [ceasefire.id] });
    expect((await admin.delete(`/api/meetings/${secondSecret.id}`)).status).toBe(204);

    const after = await Promise.all(readers.map(everything));
    for (const [i, r] of readers.entries()) expect(diff(before[i]!, after[i]!), r.user.name).toEqual([]);
    expect(diff(insiderBefore, await everything(insider)).length).toBeGreaterThan(5);
  }, 120_000);
});
