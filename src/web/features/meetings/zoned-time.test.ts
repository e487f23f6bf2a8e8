import { describe, expect, it } from 'vitest';
import { addDays, dayOfWeek, dayRangeUtc, minutesIntoDay, sameWallClock, startOfWeek, utcToZoned, weekStartDay, zonedToUtc } from './zoned-time.ts';

describe('zonedToUtc: the wall time of a place -> a UTC instant', () => {
  it('uses summer time in July and standard time in January (Ramallah)', () => {
    expect(zonedToUtc('2024-07-09T10:00', 'Asia/Hebron')).toBe('2024-07-09T07:00:00.000Z');
    expect(zonedToUtc('2024-01-09T10:00', 'Asia/Hebron')).toBe('2024-01-09T08:00:00.000Z');
  });

  it('handles zones on either side of UTC', () => {
    expect(zonedToUtc('2024-07-09T10:00', 'Asia/Jerusalem')).toBe('2024-07-09T07:00:00.000Z');
    expect(zonedToUtc('2024-07-09T10:00', 'Europe/London')).toBe('2024-07-09T09:00:00.000Z');
    expect(zonedToUtc('2024-07-09T10:00', 'America/Los_Angeles')).toBe('2024-07-09T17:00:00.000Z');
    expect(zonedToUtc('2024-12-31T23:30', 'America/New_York')).toBe('2025-01-01T04:30:00.000Z');
    expect(zonedToUtc('2024-07-09T10:00', 'UTC')).toBe('2024-07-09T10:00:00.000Z');
  });

  it('moves a time that never happens forward by the gap (Jerusalem, clocks forward on 29 March 2024 at 02:00)', () => {
    expect(zonedToUtc('2024-03-29T01:59', 'Asia/Jerusalem')).toBe('2024-03-28T23:59:00.000Z');
    expect(zonedToUtc('2024-03-29T02:30', 'Asia/Jerusalem')).toBe('2024-03-29T00:30:00.000Z');
    expect(utcToZoned('2024-03-29T00:30:00.000Z', 'Asia/Jerusalem')).toBe('2024-03-29T03:30');
    expect(zonedToUtc('2024-03-29T03:00', 'Asia/Jerusalem')).toBe('2024-03-29T00:00:00.000Z');
  });

  it('takes the earlier of a time that happens twice (Jerusalem, clocks back on 27 October 2024 at 02:00)', () => {
    expect(zonedToUtc('2024-10-27T01:30', 'Asia/Jerusalem')).toBe('2024-10-26T22:30:00.000Z');
    expect(zonedToUtc('2024-10-27T02:30', 'Asia/Jerusalem')).toBe('2024-10-27T00:30:00.000Z');
  });

  it('round-trips every hour of a year in the region', () => {
    for (let h = 0; h < 366 * 24; h += 7) {
      const ms = Date.UTC(2024, 0, 1) + h * 3_600_000;
      const iso = new Date(ms).toISOString();
      for (const zone of ['Asia/Hebron', 'Asia/Jerusalem', 'Europe/Berlin', 'America/Los_Angeles']) {
        const wall = utcToZoned(iso, zone);
        // wall times that happen twice resolve to the earlier instant; every other one comes back unchanged
        const back = zonedToUtc(wall, zone)!;
        expect(Date.parse(back)).toBeLessThanOrEqual(ms);
        expect(utcToZoned(back, zone)).toBe(wall);
      }
    }
  });

  it('refuses text that is not a wall time', () => {
    expect(zonedToUtc('', 'Asia/Hebron')).toBeNull();
    expect(zonedToUtc('9 July', 'Asia/Hebron')).toBeNull();
    expect(zonedToUtc('2024-13-01T10:00', 'Asia/Hebron')).toBeNull();
  });
});

describe('weeks and days', () => {
  it('starts the week on Sunday in Hebrew and Arabic and on Monday in English', () => {
    expect(weekStartDay('he')).toBe(0);
    expect(weekStartDay('ar')).toBe(0);
    expect(weekStartDay('en')).toBe(1);
    // Tuesday 9 July 2024
    expect(dayOfWeek('2024-07-09')).toBe(2);
    expect(startOfWeek('2024-07-09', 1)).toBe('2024-07-08');
    expect(startOfWeek('2024-07-09', 0)).toBe('2024-07-07');
    expect(startOfWeek('2024-07-07', 1)).toBe('2024-07-01');
    expect(startOfWeek('2024-07-07', 0)).toBe('2024-07-07');
  });

  it('does calendar arithmetic across months and years', () => {
    expect(addDays('2024-12-30', 3)).toBe('2025-01-02');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it('gives a week as a UTC range of the viewer’s days, across a DST change', () => {
    expect(dayRangeUtc('2024-10-21', 7, 'Europe/London')).toEqual({ from: '2024-10-20T23:00:00.000Z', to: '2024-10-28T00:00:00.000Z' });
  });

  it('places an instant in the day of a zone and compares zones', () => {
    expect(minutesIntoDay('2024-07-09T08:30:00Z', 'Asia/Hebron')).toBe(11 * 60 + 30);
    expect(sameWallClock('2024-07-09T08:30:00Z', 'Asia/Hebron', 'Asia/Jerusalem')).toBe(true);
    expect(sameWallClock('2024-07-09T08:30:00Z', 'Asia/Hebron', 'Europe/London')).toBe(false);
  });
});
