import { isLocale, localeInfo, type Locale } from '../i18n/locales.ts';

/** Intl locale tag for a language (Arabic asks for Latin digits explicitly). */
export function intlLocale(lang: string): string {
  return localeInfo[isLocale(lang) ? lang : 'en'].intl;
}

function toDate(v: string | Date): Date {
  return typeof v === 'string' ? new Date(v) : v;
}

// One way to write dates, per language: day, month's name and year ("24 Jun 2021", "24 ביוני 2021",
// "24 يونيو 2021"), times on the 24-hour clock. Every page formats dates through these functions, never Intl directly,
// so a date reads the same on every page. Formatters are cached (Intl builds them slowly).
const DAY: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric' };
const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(lang: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}|${timeZone}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(intlLocale(lang), { ...options, timeZone });
    } catch {
      f = new Intl.DateTimeFormat(intlLocale(lang), { ...options, timeZone: 'UTC' });
    }
    cache.set(key, f);
  }
  return f;
}

/** A calendar day (YYYY-MM-DD, or the day part of an ISO string) in the viewer's language; a day has no time zone. */
export function formatDay(day: string | null | undefined, lang: string): string {
  if (!day) return '';
  const d = new Date(`${day.slice(0, 10)}T12:00:00Z`);
  if (Number.isNaN(d.getTime())) return day;
  return formatter(lang, 'UTC', DAY).format(d);
}

/** Two calendar days as one range ("3–9 Jul 2024"). */
export function formatDayRange(from: string, to: string, lang: string): string {
  const f = formatter(lang, 'UTC', DAY);
  return f.formatRange(new Date(`${from.slice(0, 10)}T12:00:00Z`), new Date(`${to.slice(0, 10)}T12:00:00Z`));
}

/** A calendar day with its weekday ("Tuesday 9 Jul"), for a week's columns. */
export function formatWeekday(day: string, lang: string, opts: { year?: boolean } = {}): string {
  return formatter(lang, 'UTC', { weekday: 'long', day: 'numeric', month: 'short', ...(opts.year ? { year: 'numeric' } : {}) }).format(new Date(`${day.slice(0, 10)}T12:00:00Z`));
}

/** A calendar day without its year ("9 Jul"), where the year is said elsewhere (a chart's axis). */
export function formatDayShort(day: string, lang: string): string {
  return formatter(lang, 'UTC', { day: 'numeric', month: 'short' }).format(new Date(`${day.slice(0, 10)}T12:00:00Z`));
}

/** The day an instant falls on, in a time zone. */
export function formatDate(v: string | Date, lang: string, timeZone: string): string {
  return formatter(lang, timeZone, DAY).format(toDate(v));
}

/** A date and time in the viewer's language and time zone, e.g. "3 Jul 2024, 14:05". */
export function formatDateTime(v: string | Date, lang: string, timeZone: string): string {
  return formatter(lang, timeZone, { ...DAY, ...TIME }).format(toDate(v));
}

/** The same with seconds, where order matters (the audit log). */
export function formatDateTimeLong(v: string | Date, lang: string, timeZone: string): string {
  return formatter(lang, timeZone, { ...DAY, ...TIME, second: '2-digit' }).format(toDate(v));
}

/** "10:00" in a zone. */
export function formatTime(v: string | Date, lang: string, timeZone: string): string {
  return formatter(lang, timeZone, TIME).format(toDate(v));
}

/** "10:00–11:30" in a zone, in the language's order (a trip's itinerary, where the day is the column's). */
export function formatTimeRange(start: string | Date, end: string | Date, lang: string, timeZone: string): string {
  const f = formatter(lang, timeZone, TIME);
  try {
    return f.formatRange(toDate(start), toDate(end));
  } catch {
    return `${f.format(toDate(start))} – ${f.format(toDate(end))}`;
  }
}

/** A meeting's span with its weekday: "Tue, 9 Jul 2024, 10:00–11:30" in a zone. */
export function formatSpan(start: string | Date, end: string | Date, lang: string, timeZone: string): string {
  const f = formatter(lang, timeZone, { weekday: 'short', ...DAY, ...TIME });
  try {
    return f.formatRange(toDate(start), toDate(end));
  } catch {
    return `${f.format(toDate(start))} – ${f.format(toDate(end))}`;
  }
}

export function formatNumber(n: number, lang: string): string {
  return new Intl.NumberFormat(intlLocale(lang)).format(n);
}

/** "Asia/Jerusalem" -> "Asia/Jerusalem (GMT+3)": the zone with its current offset, named in the language. */
export function timeZoneLabel(timeZone: string, lang: string, at = new Date()): string {
  try {
    const parts = new Intl.DateTimeFormat(intlLocale(lang), { timeZone, timeZoneName: 'shortOffset' }).formatToParts(at);
    const offset = parts.find((p) => p.type === 'timeZoneName')?.value;
    // isolates keep "Europe/London" and a right-to-left offset name ("غرينتش+0") each in its own order
    return offset ? `\u2066${timeZone.replace(/_/g, ' ')}\u2069 (\u2068${offset}\u2069)` : timeZone;
  } catch {
    return timeZone;
  }
}

/** Every IANA zone the browser knows; UTC first. */
export function allTimeZones(): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return ['UTC', ...zones.filter((z) => z !== 'UTC')];
}

/** The browser's own zone, for defaults. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** datetime-local input value ("2024-07-03T14:05") in a zone -> ISO instant. */
export function zonedLocalToIso(local: string, timeZone: string): string {
  const [d, t = '00:00'] = local.split('T');
  const [y, m, day] = d!.split('-').map(Number);
  const [hh, mm] = t.split(':').map(Number);
  const guess = Date.UTC(y!, m! - 1, day!, hh!, mm!);
  // the zone's offset at that moment, found by formatting the guess in the zone
  const offset = zoneOffsetMs(new Date(guess), timeZone);
  let instant = guess - offset;
  const offset2 = zoneOffsetMs(new Date(instant), timeZone);
  if (offset2 !== offset) instant = guess - offset2;
  return new Date(instant).toISOString();
}

function zoneOffsetMs(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** Wraps text typed by people in Unicode isolates, so a Hebrew name in an English sentence (or the reverse) keeps its order. */
export function isolate(s: string): string {
  return `\u2068${s}\u2069`;
}

export type { Locale };

const collators = new Map<string, Intl.Collator>();
/**
 * Compares names as the reader's language sorts them (Intl.Collator: Hebrew letters in Hebrew order for a Hebrew
 * reader, Arabic ones in Arabic order for an Arabic reader, accents and case as that language treats them).
 */
export function compareNames(lang: string): (a: string, b: string) => number {
  const locale = intlLocale(lang);
  let c = collators.get(locale);
  if (!c) {
    c = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
    collators.set(locale, c);
  }
  return c.compare;
}

/** A copy of `items` sorted by the name shown to the reader, with the reader's collation. */
export function sortByShownName<T>(items: readonly T[], shown: (item: T) => string, lang: string): T[] {
  const compare = compareNames(lang);
  return items.map((item) => ({ item, name: shown(item) })).sort((a, b) => compare(a.name, b.name)).map((x) => x.item);
}

/** A language's name in the reader's language ("ar" -> "العربية" for an Arabic reader); the code when unknown. */
export function languageName(code: string, lang: string): string {
  try {
    return new Intl.DisplayNames([intlLocale(lang)], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}
