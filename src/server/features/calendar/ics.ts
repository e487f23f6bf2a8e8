// RFC 5545 text, written by hand: escaping, folding at 75 octets without splitting a UTF-8 character, and a
// VTIMEZONE per zone built from the runtime's own time-zone data (Intl), listing each offset change in the
// years the events need. Calendar apps then show the local time of the place even where their own zone
// rules differ (Asia/Hebron's changes are not Asia/Jerusalem's).
//
// A start or end whose local time occurs twice (the hour repeated when clocks go back in autumn) is written in
// UTC instead: RFC 5545 reads such a local time as its first occurrence, but calendar libraries differ (ical.js
// and node-ical take the second), so a meeting in the first of the two hours would show an hour late. UTC has one
// reading everywhere, and every calendar app shows it in its reader's zone. Every other time keeps its TZID.

export type IcsEvent = {
  uid: string;
  start: Date;
  end: Date;
  timeZone: string;
  summary: string;
  location?: string | null;
  description?: string | null;
  url?: string | null;
  /** PUBLIC | PRIVATE | CONFIDENTIAL */
  klass?: string;
  categories?: string[];
  lastModified?: Date;
};

/** TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma, newline. */
export function escapeText(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

const encoder = new TextEncoder();

/** Folds one content line into lines of at most 75 octets, continuation lines starting with a space. */
export function foldLine(line: string): string {
  if (encoder.encode(line).length <= 75) return line;
  const out: string[] = [];
  let current = '';
  let bytes = 0;
  let limit = 75;
  for (const ch of line) {
    const n = encoder.encode(ch).length;
    if (bytes + n > limit) {
      out.push(current);
      current = '';
      bytes = 0;
      limit = 74; // the leading space counts
    }
    current += ch;
    bytes += n;
  }
  out.push(current);
  return out.join('\r\n ');
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** 20240709T083000Z */
export function utcStamp(d: Date): string {
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
const localFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in minutes (east positive). */
export function offsetMinutes(timeZone: string, at: Date): number {
  let f = offsetFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset', year: 'numeric' });
    offsetFormatters.set(timeZone, f);
  }
  const name = f.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = name.match(/GMT([+-])(\d{2}):?(\d{2})?(?::?(\d{2}))?/);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/** Local wall time of an instant in a zone: 20240709T113000 */
export function localStamp(timeZone: string, at: Date): string {
  let f = localFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    localFormatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  return `${pad(Number(p.year), 4)}${p.month}${p.day}T${p.hour}${p.minute}${p.second}`;
}

function offsetText(min: number): string {
  const sign = min < 0 ? '-' : '+';
  const a = Math.abs(min);
  return `${sign}${pad(Math.floor(a / 60))}${pad(a % 60)}`;
}

/**
 * Whether the local time of an instant in a zone also names another instant: the hour repeated when the offset
 * falls (01:30 on the night Asia/Jerusalem leaves summer time is 22:30Z and 23:30Z). Local times skipped when the
 * offset rises never come from an instant.
 */
export function localTimeIsAmbiguous(timeZone: string, at: Date): boolean {
  const offset = offsetMinutes(timeZone, at);
  const HOURS_12 = 12 * 3_600_000;
  for (const other of new Set([offsetMinutes(timeZone, new Date(at.getTime() - HOURS_12)), offsetMinutes(timeZone, new Date(at.getTime() + HOURS_12))])) {
    if (other === offset) continue;
    // the same wall time read at the other offset, if that offset is in force then
    const twin = new Date(at.getTime() + (offset - other) * 60_000);
    if (offsetMinutes(timeZone, twin) === other) return true;
  }
  return false;
}

/** Wall time of an instant read at a fixed offset (the VTIMEZONE DTSTART of a change is in the offset before it). */
function stampAtOffset(at: Date, offsetMin: number): string {
  return utcStamp(new Date(at.getTime() + offsetMin * 60_000)).slice(0, 15);
}

type Transition = { at: Date; from: number; to: number };

/** Every offset change of the zone between two instants (found day by day, then to the minute). */
export function transitions(timeZone: string, from: Date, to: Date): Transition[] {
  const out: Transition[] = [];
  const DAY = 86_400_000;
  let t = from.getTime();
  let off = offsetMinutes(timeZone, from);
  while (t < to.getTime()) {
    const next = Math.min(t + DAY, to.getTime());
    const nextOff = offsetMinutes(timeZone, new Date(next));
    if (nextOff !== off) {
      let lo = t;
      let hi = next;
      while (hi - lo > 60_000) {
        const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
        if (mid <= lo) break;
        if (offsetMinutes(timeZone, new Date(mid)) === off) lo = mid;
        else hi = mid;
      }
      out.push({ at: new Date(hi), from: off, to: nextOff });
      off = nextOff;
    }
    t = next;
  }
  return out;
}

/** VTIMEZONE lines for a zone, covering whole years fromYear..toYear. */
export function vtimezone(timeZone: string, fromYear: number, toYear: number): string[] {
  const start = new Date(Date.UTC(fromYear, 0, 1) - 86_400_000);
  const end = new Date(Date.UTC(toYear + 1, 0, 1) + 86_400_000);
  const changes = transitions(timeZone, start, end);
  const lines = ['BEGIN:VTIMEZONE', `TZID:${timeZone}`];
  const offsets = [offsetMinutes(timeZone, start), ...changes.map((c) => c.to)];
  // the lowest offset seen is taken as standard time; anything above it is daylight saving
  const standard = Math.min(...offsets);
  const component = (kind: 'STANDARD' | 'DAYLIGHT', dtstart: string, from: number, to: number) => [
    `BEGIN:${kind}`,
    `DTSTART:${dtstart}`,
    `TZOFFSETFROM:${offsetText(from)}`,
    `TZOFFSETTO:${offsetText(to)}`,
    `TZNAME:${offsetName(to)}`,
    `END:${kind}`,
  ];
  const first = offsets[0]!;
  lines.push(...component(first > standard ? 'DAYLIGHT' : 'STANDARD', stampAtOffset(start, first), first, first));
  for (const c of changes) lines.push(...component(c.to > standard ? 'DAYLIGHT' : 'STANDARD', stampAtOffset(c.at, c.from), c.from, c.to));
  lines.push('END:VTIMEZONE');
  return lines;
}

function offsetName(min: number): string {
  if (min === 0) return 'UTC';
  const a = Math.abs(min);
  return `UTC${min < 0 ? '-' : '+'}${Math.floor(a / 60)}${a % 60 ? `:${pad(a % 60)}` : ''}`;
}

/** A whole VCALENDAR: one VTIMEZONE per zone used, then the events. Lines end in CRLF. */
export function renderCalendar(opts: { name: string; host: string; events: IcsEvent[]; now?: Date }): string {
  const now = opts.now ?? new Date();
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:-//Convene//Network ${opts.host}//EN`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(opts.name)}`,
    'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
    'X-PUBLISHED-TTL:PT1H',
  ];
  // an event is written in its zone's local time unless its start or end falls in a repeated hour (then in UTC)
  const inUtc = new Set(opts.events.filter((e) => localTimeIsAmbiguous(e.timeZone, e.start) || localTimeIsAmbiguous(e.timeZone, e.end)));
  const years = new Map<string, { min: number; max: number }>();
  for (const e of opts.events) {
    if (inUtc.has(e)) continue;
    const y0 = e.start.getUTCFullYear();
    const y1 = e.end.getUTCFullYear();
    const r = years.get(e.timeZone);
    years.set(e.timeZone, r ? { min: Math.min(r.min, y0), max: Math.max(r.max, y1) } : { min: y0, max: y1 });
  }
  for (const [tz, r] of [...years].sort(([a], [b]) => a.localeCompare(b))) lines.push(...vtimezone(tz, r.min, r.max));
  for (const e of opts.events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `DTSTAMP:${utcStamp(now)}`,
      ...(inUtc.has(e)
        ? [`DTSTART:${utcStamp(e.start)}`, `DTEND:${utcStamp(e.end)}`]
        : [`DTSTART;TZID=${e.timeZone}:${localStamp(e.timeZone, e.start)}`, `DTEND;TZID=${e.timeZone}:${localStamp(e.timeZone, e.end)}`]),
      `SUMMARY:${escapeText(e.summary)}`,
    );
    if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`);
    if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
    if (e.categories?.length) lines.push(`CATEGORIES:${e.categories.map(escapeText).join(',')}`);
    if (e.url) lines.push(`URL:${e.url}`);
    if (e.lastModified) lines.push(`LAST-MODIFIED:${utcStamp(e.lastModified)}`);
    lines.push(`CLASS:${e.klass ?? 'PUBLIC'}`, 'STATUS:CONFIRMED', 'TRANSP:OPAQUE', 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
