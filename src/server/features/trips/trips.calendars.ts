import { createRequire } from 'node:module';
import type * as Hebcal from '@hebcal/core';
import { addDays } from './trips.time.ts';

// The holidays of the region, from maintained calendars: Jewish holidays in Israel from @hebcal/core, Muslim ones
// from Intl's islamic-umalqura calendar, Christian ones computed (Easter by the Gregorian and the Julian computus).
// A holiday here is a day off for whoever keeps that calendar (trip_traveller.holidays); all are shown on the week view.

export type HolidayCalendar = 'jewish' | 'muslim' | 'christian_western' | 'christian_orthodox';

export interface Holiday {
  date: string;
  calendar: HolidayCalendar;
  /** a stable key for the catalogs (trips.holiday.<key>); Jewish holidays also carry hebcal's own names */
  key: string;
  /** names in English and Hebrew from hebcal (Jewish holidays only) */
  names?: { en: string; he: string };
  /** a day off (yom tov, Eid, Christmas…) rather than a day only shown */
  dayOff: boolean;
}

let hebcalModule: typeof Hebcal | undefined;
/**
 * @hebcal/core, loaded at its first use rather than at every start of the server (~0.1 s of CPU with the Temporal
 * polyfills it brings; docs/decisions/008-start-up-time.md). Node 20.19 require()s its ES modules; the path names its
 * entry because the package exports no `require` condition.
 */
const hebcal = () => (hebcalModule ??= createRequire(import.meta.url)('@hebcal/core/dist/esm/index') as typeof Hebcal);

function jewish(from: string, to: string): Holiday[] {
  const { HebrewCalendar, flags } = hebcal();
  const start = new Date(`${from}T12:00:00Z`);
  const end = new Date(`${to}T12:00:00Z`);
  const out: Holiday[] = [];
  for (const e of HebrewCalendar.calendar({ start, end, il: true, noMinorFast: true, noSpecialShabbat: true, noRoshChodesh: true, noModern: false })) {
    const f = e.getFlags();
    const chag = (f & flags.CHAG) !== 0;
    const shown = chag || (f & (flags.MAJOR_FAST | flags.MODERN_HOLIDAY | flags.CHOL_HAMOED | flags.EREV)) !== 0 || /Chanukah|Purim/.test(e.getDesc());
    if (!shown) continue;
    const d = e.getDate().greg();
    const date = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    const dayOff = chag || e.getDesc() === 'Yom Kippur' || /^(Yom HaAtzma'ut)$/.test(e.getDesc());
    out.push({ date, calendar: 'jewish', key: e.getDesc().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, ''), names: { en: e.render('en'), he: e.render('he') }, dayOff });
  }
  return out;
}

const islamicFormatter = new Intl.DateTimeFormat('en-u-ca-islamic-umalqura', { day: 'numeric', month: 'numeric', timeZone: 'UTC' });

/** The islamic-umalqura month and day of a Gregorian date. */
export function islamicDate(date: string): { month: number; day: number } {
  const parts = islamicFormatter.formatToParts(new Date(`${date}T12:00:00Z`));
  return { month: Number(parts.find((p) => p.type === 'month')?.value), day: Number(parts.find((p) => p.type === 'day')?.value) };
}

/** [month, first day, last day, key, day off] */
const ISLAMIC: Array<[number, number, number, string, boolean]> = [
  [1, 1, 1, 'islamic_new_year', true],
  [3, 12, 12, 'mawlid', true],
  [9, 1, 1, 'ramadan_begins', false],
  [10, 1, 3, 'eid_al_fitr', true],
  [12, 9, 9, 'day_of_arafah', false],
  [12, 10, 13, 'eid_al_adha', true],
];

function muslim(from: string, to: string): Holiday[] {
  const out: Holiday[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const { month, day } = islamicDate(d);
    for (const [m, a, b, key, dayOff] of ISLAMIC) if (month === m && day >= a && day <= b) out.push({ date: d, calendar: 'muslim', key, dayOff });
  }
  return out;
}

/** Western Easter Sunday (Gregorian computus, anonymous algorithm). */
export function westernEaster(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Orthodox Easter Sunday as a Gregorian date (Julian computus; the calendars differ by 13 days in 1900–2099). */
export function orthodoxEaster(year: number): string {
  const a = year % 4;
  const b = year % 7;
  const c = year % 19;
  const d = (19 * c + 15) % 30;
  const e = (2 * a + 4 * b - d + 34) % 7;
  const month = Math.floor((d + e + 114) / 31);
  const day = ((d + e + 114) % 31) + 1;
  const julian = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const shift = Math.floor(year / 100) - Math.floor(year / 400) - 2; // 13 in 1900–2099
  return addDays(julian, shift);
}

function christian(from: string, to: string): Holiday[] {
  const out: Holiday[] = [];
  const y0 = Number(from.slice(0, 4));
  const y1 = Number(to.slice(0, 4));
  for (let y = y0; y <= y1; y++) {
    const w = westernEaster(y);
    const o = orthodoxEaster(y);
    out.push(
      { date: addDays(w, -2), calendar: 'christian_western', key: 'good_friday', dayOff: true },
      { date: w, calendar: 'christian_western', key: 'easter', dayOff: true },
      { date: addDays(w, 1), calendar: 'christian_western', key: 'easter_monday', dayOff: false },
      { date: `${y}-12-25`, calendar: 'christian_western', key: 'christmas', dayOff: true },
      { date: addDays(o, -2), calendar: 'christian_orthodox', key: 'good_friday', dayOff: true },
      { date: o, calendar: 'christian_orthodox', key: 'easter', dayOff: true },
      { date: `${y}-01-07`, calendar: 'christian_orthodox', key: 'christmas', dayOff: true },
    );
  }
  return out.filter((h) => h.date >= from && h.date <= to);
}

/** Every holiday of the three traditions from `from` to `to` (local dates, inclusive), by date. */
export function holidaysBetween(from: string, to: string): Holiday[] {
  return [...jewish(from, to), ...muslim(from, to), ...christian(from, to)].sort((a, b) => a.date.localeCompare(b.date) || a.calendar.localeCompare(b.calendar));
}

/** The dates that are days off for someone keeping these calendars. */
export function daysOff(holidays: Holiday[], keeps: readonly string[]): Set<string> {
  return new Set(holidays.filter((h) => h.dayOff && keeps.includes(h.calendar)).map((h) => h.date));
}
