// Wall-clock times of a place <-> UTC instants, with the IANA rules the browser ships (DST included).
// A meeting is recorded as "10:00 in Ramallah" and stored as an instant; the week calendar is drawn in the
// viewer's zone. Dates here are plain 'YYYY-MM-DD' strings and wall times 'YYYY-MM-DDTHH:mm', so no Date
// object ever carries the browser's own zone by accident.

const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export type WallTime = { year: number; month: number; day: number; hour: number; minute: number; second: number };

/** The wall clock in `timeZone` at an instant. */
export function wallTimeAt(instant: number | string | Date, timeZone: string): WallTime {
  const ms = typeof instant === 'number' ? instant : new Date(instant).getTime();
  const parts = partsFormatter(timeZone).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour') % 24, minute: get('minute'), second: get('second') };
}

/** The zone's offset from UTC (ms) at an instant: +3 h in Jerusalem in summer. */
export function offsetAt(ms: number, timeZone: string): number {
  const w = wallTimeAt(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

function parseWall(local: string): { y: number; m: number; d: number; hh: number; mm: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?$/.exec(local.trim());
  if (!m) return null;
  const [y, mo, d, hh = 0, mm = 0] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v)));
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > 31 || hh! > 23 || mm! > 59) return null;
  return { y: y!, m: mo!, d: d!, hh: hh!, mm: mm! };
}

/**
 * A wall time of a place ('2024-07-09T10:00' in 'Asia/Hebron') -> the UTC instant ('2024-07-09T07:00:00.000Z').
 * Like Temporal's 'compatible' disambiguation: a time that happens twice (clocks go back) is the earlier one;
 * a time that never happens (clocks go forward) is moved forward by the gap (02:30 -> 03:30).
 * Returns null for text that is not a wall time.
 */
export function zonedToUtc(local: string, timeZone: string): string | null {
  const w = parseWall(local);
  if (!w) return null;
  const guess = Date.UTC(w.y, w.m - 1, w.d, w.hh, w.mm);
  // the zone's offset changes at most once around any wall time: the offsets a day before and a day after cover both sides
  const before = offsetAt(guess - DAY_MS, timeZone);
  const after = offsetAt(guess + DAY_MS, timeZone);
  const matches = [...new Set([before, after])]
    .map((o) => guess - o)
    .filter((ms) => {
      const back = wallTimeAt(ms, timeZone);
      return Date.UTC(back.year, back.month - 1, back.day, back.hour, back.minute) === guess;
    })
    .sort((a, b) => a - b);
  // in a gap no offset fits: the offset in force before the change moves the time forward past the gap
  const ms = matches[0] ?? guess - before;
  return new Date(ms).toISOString();
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An instant -> the wall time of a zone as a datetime-local value: '2024-07-09T10:00'. */
export function utcToZoned(instant: string | number | Date, timeZone: string): string {
  const w = wallTimeAt(instant, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** The calendar day of an instant in a zone: '2024-07-09'. */
export function zonedDate(instant: string | number | Date, timeZone: string): string {
  return utcToZoned(instant, timeZone).slice(0, 10);
}

/** Calendar arithmetic on 'YYYY-MM-DD' (no zone involved). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + days)).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d!)).getUTCDay();
}

/** The first day of the week: Sunday in Hebrew and Arabic (the week of Israel and Palestine), Monday otherwise. */
export function weekStartDay(lang: string): 0 | 1 {
  return lang === 'he' || lang === 'ar' ? 0 : 1;
}

/** The first day of the week that holds `date`. */
export function startOfWeek(date: string, firstDay: 0 | 1): string {
  return addDays(date, -((dayOfWeek(date) - firstDay + 7) % 7));
}

/** The UTC range of whole days [from, to) in a zone: the days from `firstDate` for `days` days. */
export function dayRangeUtc(firstDate: string, days: number, timeZone: string): { from: string; to: string } {
  return { from: zonedToUtc(`${firstDate}T00:00`, timeZone)!, to: zonedToUtc(`${addDays(firstDate, days)}T00:00`, timeZone)! };
}

/** Minutes since the zone's midnight of the instant (for placing a block in a day column). */
export function minutesIntoDay(instant: string | number | Date, timeZone: string): number {
  const w = wallTimeAt(instant, timeZone);
  return w.hour * 60 + w.minute;
}

/** Whether two zones show different wall clocks at an instant (Asia/Hebron and Asia/Jerusalem usually do not). */
export function sameWallClock(instant: string | number | Date, a: string, b: string): boolean {
  if (a === b) return true;
  const ms = typeof instant === 'number' ? instant : new Date(instant).getTime();
  return offsetAt(ms, a) === offsetAt(ms, b);
}
