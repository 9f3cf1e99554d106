// Calendar-date helpers on ISO strings (YYYY-MM-DD). Pure, no time zone surprises: a date is a day number in UTC.

export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

export function toDayNumber(date: IsoDate): number {
  if (!isIsoDate(date)) throw new RangeError(`not an ISO date: ${date}`);
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS;
}

export function fromDayNumber(day: number): IsoDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days);
}

export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

/** 0 = Sunday … 6 = Saturday */
export function weekday(date: IsoDate): number {
  return new Date(toDayNumber(date) * DAY_MS).getUTCDay();
}

/**
 * The last day of a period of `months` calendar months beginning on `start` (the corresponding-date rule): the day
 * before the same day of the month `months` later, so a 12-month order from 2026-01-15 ends 2027-01-14. Where that
 * month has no corresponding day (a period from 31 January), the period ends on the last day of that month.
 */
export function periodEnd(start: IsoDate, months: number): IsoDate {
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  const lastDay = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  if (d > lastDay) return new Date(Date.UTC(y, m - 1 + months, lastDay)).toISOString().slice(0, 10);
  return addDays(new Date(Date.UTC(y, m - 1 + months, d)).toISOString().slice(0, 10), -1);
}

/** The same day of the month `months` later (or earlier, when negative), clamped to the month's last day. */
export function shiftMonths(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const lastDay = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 1 + months, Math.min(d, lastDay))).toISOString().slice(0, 10);
}

// --- Europe/London wall clock (GMT in winter, BST = UTC+1 from the last Sunday of March 01:00 UTC to the last
// Sunday of October 01:00 UTC). Kept here so that workflows need no Intl time-zone data.

function lastSundayUtc(year: number, monthIndex: number): number {
  const last = new Date(Date.UTC(year, monthIndex + 1, 0));
  return Date.UTC(year, monthIndex, last.getUTCDate() - last.getUTCDay(), 1);
}

export function londonOffsetMs(instantMs: number): number {
  const year = new Date(instantMs).getUTCFullYear();
  return instantMs >= lastSundayUtc(year, 2) && instantMs < lastSundayUtc(year, 9) ? 3_600_000 : 0;
}

/** The calendar date in England and Wales at an instant. */
export function londonDate(instantMs: number): IsoDate {
  return new Date(instantMs + londonOffsetMs(instantMs)).toISOString().slice(0, 10);
}

/** The instant at which a London calendar day starts (midnight local time). */
export function londonStartOfDay(date: IsoDate): number {
  const utcMidnight = toDayNumber(date) * DAY_MS;
  // The offset at local midnight is the offset one hour before UTC midnight's local equivalent; midnight never falls
  // in a DST transition hour in the UK (transitions are at 01:00 UTC), so a single correction is exact.
  return utcMidnight - londonOffsetMs(utcMidnight - 3_600_000);
}

/** The instant at which a London calendar day has fully passed: a deadline "by date D" expires here. */
export function londonEndOfDay(date: IsoDate): number {
  return londonStartOfDay(addDays(date, 1));
}
