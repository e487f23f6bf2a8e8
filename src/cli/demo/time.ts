// Time in the demo: wall-clock times in the zones where meetings happen, and days relative to `now`.

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
function offsetMinutes(timeZone: string, at: Date): number {
  let f = offsetFormatters.get(timeZone);
  if (!f) offsetFormatters.set(timeZone, (f = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })));
  const m = (f.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? '').match(/([+-])(\d{2}):(\d{2})/);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** The instant of a wall-clock time in a zone: zoned('2024-07-02T10:00', 'Asia/Jerusalem') = 07:00Z. */
export function zoned(local: string, timeZone: string): Date {
  const wall = Date.parse(`${local}:00Z`);
  let t = wall - offsetMinutes(timeZone, new Date(wall)) * 60_000;
  t = wall - offsetMinutes(timeZone, new Date(t)) * 60_000;
  return new Date(t);
}

export const day = (d: Date) => d.toISOString().slice(0, 10);
export const addDays = (d: Date, n: number) => new Date(d.getTime() + n * 86_400_000);

export function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
