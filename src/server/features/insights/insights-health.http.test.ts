import { describe, expect, it } from 'vitest';
import {
  buildFollowUp,
  buildMeeting,
  buildOrganisation,
  buildOrganisationLink,
  buildPerson,
  daysAgo,
  isoDay,
} from '../../../../tests/setup/network-factories.ts';
import { createTestApp, problem } from '../../../../tests/setup/test-app.ts';

// Timelines and member health: what a viewer sees of an organisation's history, and that a restricted
// meeting leaves no trace in a non-granted user's figures.

const t = await createTestApp();
const admin = await t.signedIn('admin');
const viewer = await t.signedIn('viewer');
const granted = await t.signedIn('staff');
const owner = await t.signedIn('staff');

const galilee = await buildOrganisation(t.db, {
  names: ['Galilee Youth Forum', 'פורום הנוער בגליל'],
  area: 'Galilee',
  country: 'IL',
  tags: ['youth'],
  ownerId: owner.user.id,
  statusHistory: [{ status: 'active', since: '2023-01-15', note: 'Joined at the general assembly' }],
});
const neverMet = await buildOrganisation(t.db, { name: 'Hebron Dialogue Circle', area: 'West Bank', country: 'PS' });
const funder = await buildOrganisation(t.db, { name: 'Northern Foundation', kind: 'funder' });
const suspended = await buildOrganisation(t.db, { name: 'Suspended Society', status: 'suspended' });
const link = await buildOrganisationLink(t.db, { fromId: galilee.id, toId: funder.id, kind: 'funded_by', startDate: '2024-02-01' });
const rana = await buildPerson(t.db, { name: 'Rana Khoury', affiliations: [{ organisationId: galilee.id, title: 'Coordinator', startDate: '2022-05-01' }] });
const hiddenPerson = await buildPerson(t.db, {
  name: 'Hidden Hani',
  restricted: true,
  grantedTo: [granted.user.id],
  affiliations: [{ organisationId: galilee.id, title: 'Board member' }],
});

const open = await buildMeeting(t.db, {
  title: 'Youth forum visit',
  startsAt: daysAgo(10),
  city: 'Nazareth',
  organisations: [galilee.id],
  people: [{ personId: rana.id, organisationId: galilee.id }],
  sharedItems: [{ organisationId: galilee.id, body: 'Funding for summer camps is short' }],
  followUps: [{ title: 'Send the camp budget template', ownerId: owner.user.id, organisationId: galilee.id, dueDate: isoDay(5) }],
});
const restricted = await buildMeeting(t.db, {
  title: 'Closed-door consultation',
  startsAt: daysAgo(2),
  restricted: true,
  staffIds: [granted.user.id],
  organisations: [galilee.id, neverMet.id],
  people: [{ personId: rana.id, organisationId: galilee.id }, { personId: hiddenPerson.id }],
  sharedItems: [{ organisationId: galilee.id, body: 'Members fear reprisals for joint events' }],
  followUps: [{ title: 'Arrange a secure channel', ownerId: granted.user.id, organisationId: galilee.id }],
});
await buildFollowUp(t.db, { title: 'Call about the annual report', ownerId: owner.user.id, organisationId: galilee.id, status: 'done' });

type Health = {
  id: string;
  name: string;
  lastMeetingAt: string | null;
  daysSinceLastMeeting: number | null;
  meetingsLast90Days: number;
  openConcerns: number;
  openFollowUps: number;
  ownerName: string | null;
};
async function health(client: typeof admin, query = ''): Promise<{ items: Health[]; nextCursor: string | null }> {
  const res = await client.get(`/api/member-health${query}`);
  expect(res.status).toBe(200);
  return res.json();
}
type Entry = { type: string; id: string; at: string; title: string; restricted: boolean };
async function timeline(client: typeof admin, path: string): Promise<Entry[]> {
  const res = await client.get(path);
  expect(res.status).toBe(200);
  return (await res.json()).items;
}

describe('member health', () => {
  it('lists active members, never met first, counting only meetings the viewer may see', async () => {
    const { items } = await health(viewer);
    expect(items.map((i) => i.name)).toEqual(['Hebron Dialogue Circle', 'Galilee Youth Forum']);
    expect(items[0]).toMatchObject({ id: neverMet.id, lastMeetingAt: null, daysSinceLastMeeting: null, meetingsLast90Days: 0, openConcerns: 0, openFollowUps: 0 });
    expect(items[1]).toMatchObject({
      id: galilee.id,
      lastMeetingAt: open.startsAt.toISOString(),
      daysSinceLastMeeting: 10,
      meetingsLast90Days: 1,
      openConcerns: 1,
      openFollowUps: 1,
      ownerName: owner.user.name,
    });
  });

  it('counts the restricted meeting for its staff and for admins', async () => {
    for (const client of [granted, admin]) {
      const { items } = await health(client);
      const g = items.find((i) => i.id === galilee.id)!;
      expect(g).toMatchObject({ lastMeetingAt: restricted.startsAt.toISOString(), daysSinceLastMeeting: 2, meetingsLast90Days: 2, openConcerns: 2, openFollowUps: 2 });
      expect(items.find((i) => i.id === neverMet.id)).toMatchObject({ daysSinceLastMeeting: 2, meetingsLast90Days: 1 });
    }
  });

  it('filters by area, country, tag, owner, status and kind', async () => {
    const ids = async (q: string) => (await health(viewer, q)).items.map((i) => i.id);
    expect(await ids('?area=Galilee')).toEqual([galilee.id]);
    expect(await ids('?country=ps')).toEqual([neverMet.id]);
    expect(await ids('?tag=youth')).toEqual([galilee.id]);
    expect(await ids(`?ownerId=${owner.user.id}`)).toEqual([galilee.id]);
    expect(await ids('?status=suspended')).toEqual([suspended.id]);
    expect(await ids('?kind=funder&status=any')).toEqual([funder.id]);
    const bad = await problem(await viewer.get('/api/member-health?status=sleepy&limit=501'), 400);
    expect(bad.errors?.map((e) => e.field).sort()).toEqual(['query.limit', 'query.status']);
  });

  it('pages with a cursor in the same order', async () => {
    const first = await health(viewer, '?limit=1');
    expect(first.items.map((i) => i.id)).toEqual([neverMet.id]);
    const second = await health(viewer, `?limit=1&cursor=${first.nextCursor}`);
    expect(second.items.map((i) => i.id)).toEqual([galilee.id]);
    expect(second.nextCursor).toBeNull();
    await problem(await viewer.get('/api/member-health?cursor=forged'), 400);
  });
});

describe('timelines', () => {
  it('shows an organisation’s meetings, items, follow-ups, links, people and status, newest first', async () => {
    const items = await timeline(viewer, `/api/organisations/${galilee.id}/timeline`);
    expect(items.map((i) => `${i.type}:${i.id}`)).toEqual(
      expect.arrayContaining([
        `meeting:${open.id}`,
        `shared_item:${open.sharedItems[0]!.id}`,
        `follow_up:${open.followUps[0]!.id}`,
        `link:${link.id}`,
        `affiliation:${rana.affiliations[0]!.id}`,
        `status:${galilee.statusHistory[0]!.id}`,
      ]),
    );
    const ats = items.map((i) => i.at);
    expect([...ats].sort().reverse()).toEqual(ats);
    expect(items.find((i) => i.type === 'link')).toMatchObject({ title: 'funded_by Northern Foundation', at: '2024-02-01T00:00:00.000Z' });
  });

  it('leaves out the restricted meeting, its items and follow-ups, and restricted people, for a viewer', async () => {
    const items = await timeline(viewer, `/api/organisations/${galilee.id}/timeline`);
    const ids = items.map((i) => i.id);
    expect(ids).not.toContain(restricted.id);
    expect(ids).not.toContain(restricted.sharedItems[0]!.id);
    expect(ids).not.toContain(restricted.followUps[0]!.id);
    expect(ids).not.toContain(hiddenPerson.affiliations[0]!.id);
    expect(JSON.stringify(items)).not.toMatch(/Closed-door|reprisals|secure channel|Hidden Hani/);

    const all = await timeline(granted, `/api/organisations/${galilee.id}/timeline`);
    expect(all.find((i) => i.id === restricted.id)).toMatchObject({ type: 'meeting', restricted: true, at: restricted.startsAt.toISOString() });
    expect(all.find((i) => i.id === restricted.followUps[0]!.id)).toMatchObject({ type: 'follow_up', at: restricted.startsAt.toISOString() });
    expect(all.map((i) => i.id)).toEqual(expect.arrayContaining([restricted.sharedItems[0]!.id, restricted.followUps[0]!.id, hiddenPerson.affiliations[0]!.id]));
  });

  it('pages with before and limit', async () => {
    const all = await timeline(admin, `/api/organisations/${galilee.id}/timeline`);
    const firstTwo = await timeline(admin, `/api/organisations/${galilee.id}/timeline?limit=2`);
    expect(firstTwo.map((i) => i.id)).toEqual(all.slice(0, 2).map((i) => i.id));
    const rest = await timeline(admin, `/api/organisations/${galilee.id}/timeline?before=${encodeURIComponent(firstTwo[1]!.at)}`);
    expect(rest.every((i) => i.at < firstTwo[1]!.at)).toBe(true);
    expect(rest.length).toBeGreaterThan(0);
  });

  it('shows a person’s visible meetings and hides a restricted person entirely', async () => {
    const items = await timeline(viewer, `/api/people/${rana.id}/timeline`);
    expect(items.filter((i) => i.type === 'meeting').map((i) => i.id)).toEqual([open.id]);
    expect(items.map((i) => i.id)).toEqual(expect.arrayContaining([open.sharedItems[0]!.id, open.followUps[0]!.id, rana.affiliations[0]!.id]));
    // the organisation comes with its recorded names, to be named in the reader's script
    const affiliation = items.find((i) => i.id === rana.affiliations[0]!.id) as unknown as { organisationNames: { name: string; script: string }[] };
    expect(affiliation.organisationNames).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'פורום הנוער בגליל', script: 'hebrew' })]));
    expect((await timeline(granted, `/api/people/${rana.id}/timeline`)).filter((i) => i.type === 'meeting').map((i) => i.id)).toEqual([restricted.id, open.id]);

    await problem(await viewer.get(`/api/people/${hiddenPerson.id}/timeline`), 404);
    expect((await timeline(granted, `/api/people/${hiddenPerson.id}/timeline`)).map((i) => i.id)).toContain(restricted.id);
  });

  it('answers 404 for unknown records and 401 to anonymous callers', async () => {
    await problem(await viewer.get('/api/organisations/00000000-0000-4000-8000-000000000000/timeline'), 404);
    await problem(await viewer.get('/api/organisations/not-a-uuid/timeline'), 404);
    await problem(await viewer.get('/api/people/00000000-0000-4000-8000-000000000000/timeline'), 404);
    await problem(await t.client().get(`/api/organisations/${galilee.id}/timeline`), 401);
    await problem(await t.client().get('/api/member-health'), 401);
  });
});
