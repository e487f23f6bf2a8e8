import ICAL from 'ical.js';
import nodeIcal from 'node-ical';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../../../tests/setup/test-app.ts';

// Meetings around the clock changes, read back by two iCalendar libraries (ical.js and node-ical): each must give
// the instants the API holds. In autumn an hour of local time happens twice: 01:30 on that night is two instants,
// and a library reading the local time alone picks one of them (both of these pick the second). In spring an hour
// of local time is skipped. Asia/Jerusalem and Asia/Hebron change on different days, so each is checked.

const t = await createTestApp();
const staff = await t.signedIn('staff');

const HOUR = 3_600_000;
const MINUTE = 60_000;
// next calendar year: the feed holds meetings from 90 days back, whatever today is
const Y = new Date().getUTCFullYear() + 1;

/** The zone's offset in minutes at an instant, from the runtime's zone data (independent of the code under test). */
const formats = new Map<string, Intl.DateTimeFormat>();
function offset(timeZone: string, at: number): number {
  if (!formats.has(timeZone)) formats.set(timeZone, new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }));
  const name = formats.get(timeZone)!.formatToParts(at).find((p) => p.type === 'timeZoneName')!.value;
  const m = name.match(/GMT([+-])(\d{2}):(\d{2})/);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** The instants of year Y at which the zone's offset rises (spring) and falls (autumn), found to the minute. */
function changes(timeZone: string): { spring: number; autumn: number } {
  const found: { at: number; rise: boolean }[] = [];
  for (let h = Date.UTC(Y, 0, 1); h < Date.UTC(Y + 1, 0, 1); h += HOUR) {
    const before = offset(timeZone, h);
    const after = offset(timeZone, h + HOUR);
    if (before === after) continue;
    let at = h;
    while (offset(timeZone, at) === before) at += MINUTE;
    found.push({ at, rise: after > before });
  }
  const spring = found.find((c) => c.rise);
  const autumn = found.find((c) => !c.rise);
  if (!spring || !autumn) throw new Error(`${timeZone} has no daylight saving time in ${Y}`);
  return { spring: spring.at, autumn: autumn.at };
}

/** An instant as ISO 8601 with the given offset in minutes: what someone typing the local time would send. */
function withOffset(at: number, minutes: number): string {
  const local = new Date(at + minutes * MINUTE).toISOString().slice(0, 19);
  const sign = minutes < 0 ? '-' : '+';
  const a = Math.abs(minutes);
  return `${local}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

type Case = { id: string; title: string; startsAt: string; endsAt: string };

async function createMeeting(timeZone: string, title: string, startsAt: string, endsAt: string): Promise<Case> {
  const res = await staff.post('/api/meetings', { kind: 'group', title, startsAt, endsAt, timeZone, city: 'Jerusalem', staffIds: [staff.user.id] });
  expect(res.status, await res.clone().text()).toBe(201);
  const m = (await res.json()) as { id: string };
  // the instants as the API holds them
  const got = (await (await staff.get(`/api/meetings/${m.id}`)).json()) as Case;
  return { id: m.id, title, startsAt: new Date(got.startsAt).toISOString(), endsAt: new Date(got.endsAt).toISOString() };
}

const cases: (Case & { zone: string })[] = [];
for (const zone of ['Asia/Jerusalem', 'Asia/Hebron']) {
  const { spring, autumn } = changes(zone);
  const summer = offset(zone, autumn - HOUR);
  const winter = offset(zone, autumn + HOUR);
  const add = async (title: string, start: string, end: string) => cases.push({ zone, ...(await createMeeting(zone, `${zone} ${title}`, start, end)) });
  // autumn: the repeated hour, in its first occurrence (summer time), in its second (winter time), and across both
  await add('first 01:30 of the repeated hour', withOffset(autumn - 30 * MINUTE, summer), withOffset(autumn - 10 * MINUTE, summer));
  await add('second 01:30 of the repeated hour', withOffset(autumn + 30 * MINUTE, winter), withOffset(autumn + 50 * MINUTE, winter));
  await add('across the repeated hour', withOffset(autumn - 45 * MINUTE, summer), withOffset(autumn + 45 * MINUTE, winter));
  await add('the hour before the repeat', withOffset(autumn - 120 * MINUTE, summer), withOffset(autumn - 70 * MINUTE, summer));
  await add('the hour after the repeat', withOffset(autumn + 60 * MINUTE, winter), withOffset(autumn + 120 * MINUTE, winter));
  // spring: a wall time typed in the skipped hour (with the winter offset), and meetings on either side and across it
  await add('typed in the skipped hour', withOffset(spring + 30 * MINUTE, winter), withOffset(spring + 90 * MINUTE, winter));
  await add('just before the skipped hour', withOffset(spring - 30 * MINUTE, winter), withOffset(spring - 5 * MINUTE, winter));
  await add('across the skipped hour', withOffset(spring - 30 * MINUTE, winter), withOffset(spring + 30 * MINUTE, summer));
  await add('just after the skipped hour', withOffset(spring, summer), withOffset(spring + 45 * MINUTE, summer));
}

/** start and end instants (ISO) by summary, as each library reads them */
function readWithIcalJs(text: string): Map<string, [string, string]> {
  const comp = new ICAL.Component(ICAL.parse(text));
  for (const tz of comp.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  const out = new Map<string, [string, string]>();
  for (const v of comp.getAllSubcomponents('vevent')) {
    const e = new ICAL.Event(v);
    out.set(e.summary, [e.startDate.toJSDate().toISOString(), e.endDate.toJSDate().toISOString()]);
  }
  return out;
}

function readWithNodeIcal(text: string): Map<string, [string, string]> {
  const out = new Map<string, [string, string]>();
  for (const e of Object.values(nodeIcal.sync.parseICS(text))) {
    if (e?.type !== 'VEVENT') continue;
    const summary = typeof e.summary === 'string' ? e.summary : String((e.summary as { val?: string })?.val ?? e.summary);
    out.set(summary, [new Date(e.start).toISOString(), new Date(e.end!).toISOString()]);
  }
  return out;
}

function expectInstants(text: string, expected: (Case & { zone: string })[]) {
  for (const [library, read] of [
    ['ical.js', readWithIcalJs],
    ['node-ical', readWithNodeIcal],
  ] as const) {
    const got = read(text);
    for (const c of expected) expect(got.get(c.title), `${library}: ${c.title}`).toEqual([c.startsAt, c.endsAt]);
  }
}

describe('iCalendar around the clock changes', () => {
  it('the cases are where they should be: two instants share a local time in autumn, none falls in the skipped hour', () => {
    expect(cases).toHaveLength(18);
    const local = (zone: string, iso: string) => new Date(Date.parse(iso) + offset(zone, Date.parse(iso)) * MINUTE).toISOString().slice(11, 16);
    for (const zone of ['Asia/Jerusalem', 'Asia/Hebron']) {
      const first = cases.find((c) => c.zone === zone && c.title.endsWith('first 01:30 of the repeated hour'))!;
      const second = cases.find((c) => c.zone === zone && c.title.endsWith('second 01:30 of the repeated hour'))!;
      expect(local(zone, first.startsAt)).toBe(local(zone, second.startsAt));
      expect(Date.parse(second.startsAt) - Date.parse(first.startsAt)).toBe(HOUR);
      const typed = cases.find((c) => c.zone === zone && c.title.endsWith('typed in the skipped hour'))!;
      expect(Date.parse(typed.startsAt)).toBe(changes(zone).spring + 30 * MINUTE);
    }
  });

  it("a meeting's .ics gives the API's instants in ical.js and node-ical", async () => {
    for (const c of cases) {
      const res = await staff.get(`/api/meetings/${c.id}/ics`);
      expect(res.status).toBe(200);
      const text = await res.text();
      expectInstants(text, [c]);
      // local time with its zone where it names one instant; UTC where the start's or the end's names two
      const twice = (iso: string) => [-HOUR, HOUR].some((d) => Date.parse(iso) + d + offset(c.zone, Date.parse(iso) + d) * MINUTE === Date.parse(iso) + offset(c.zone, Date.parse(iso)) * MINUTE);
      if (twice(c.startsAt) || twice(c.endsAt)) expect(text, c.title).toMatch(/\r\nDTSTART:\d{8}T\d{6}Z\r\nDTEND:\d{8}T\d{6}Z\r\n/);
      else expect(text, c.title).toContain(`DTSTART;TZID=${c.zone}:`);
    }
  });

  it("the feed gives the API's instants in ical.js and node-ical, for both zones", async () => {
    const feed = await staff.post('/api/calendar/feeds');
    expect(feed.status).toBe(201);
    const { url } = (await feed.json()) as { url: string };
    const res = await t.client().get(new URL(url).pathname);
    expect(res.status).toBe(200);
    const text = await res.text();
    expectInstants(text, cases);
    // the zones are still defined for the events that name them
    expect(text).toContain('TZID:Asia/Jerusalem');
    expect(text).toContain('TZID:Asia/Hebron');
  });
});
