import { localStamp, offsetMinutes } from '../calendar/ics.ts';
import type { Minute } from './solver/model.ts';

// The planning model counts wall-clock minutes from 00:00 of the trip's first day in its zone (day d covers
// [d * 1440, (d + 1) * 1440)). These turn instants and local dates into those minutes and back.

const DAY_MS = 86_400_000;

/** Days from `from` to `to` (YYYY-MM-DD, calendar arithmetic). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The local date `n` days after `date`. */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** The day of the week of a local date: 0 Sunday … 6 Saturday. */
export function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** An instant as minutes from the trip's epoch (its local wall clock). */
export function toMinute(at: Date, timeZone: string, epochDate: string): Minute {
  const s = localStamp(timeZone, at); // 20260702T093000
  const date = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
  return daysBetween(epochDate, date) * 1440 + Number(s.slice(9, 11)) * 60 + Number(s.slice(11, 13));
}

/** Minutes from the trip's epoch as an instant (a wall time skipped by a clock change lands after it). */
export function toInstant(minute: Minute, timeZone: string, epochDate: string): Date {
  const day = Math.floor(minute / 1440);
  const m = minute - day * 1440;
  const date = addDays(epochDate, day);
  const wall = Date.parse(`${date}T00:00:00Z`) + m * 60_000;
  let guess = wall - offsetMinutes(timeZone, new Date(wall)) * 60_000;
  guess = wall - offsetMinutes(timeZone, new Date(guess)) * 60_000;
  return new Date(guess);
}

/** The local date of day `day` of the trip. */
export function dateOfDay(epochDate: string, day: number): string {
  return addDays(epochDate, day);
}
