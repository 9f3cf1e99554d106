// Calendar-date helpers on ISO strings (YYYY-MM-DD). Pure, no time zone surprises: a date is a day number in UTC.

export type IsoDate = string;

const DAY_MS = 86_400_000;

/**
 * The day number (days since 1970-01-01) of a calendar date written YYYY-MM-DD, or undefined when it is not one. By
 * arithmetic (the proleptic Gregorian calendar), not by Date: the rules read dates thousands of times per command.
 * Years before 0100 are not dates here, as they were not when this was done by Date (which reads years 0–99 as
 * 1900–1999); test/unit/dates.test.ts holds the two to the same answers.
 */
function dayNumberOf(value: string): number | undefined {
  if (value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return undefined;
  const y = digits(value, 0, 4);
  const m = digits(value, 5, 7);
  const d = digits(value, 8, 10);
  if (y < 100 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  // Days from the civil date: years counted from March, so that a leap day ends its year.
  const ym = m <= 2 ? y - 1 : y;
  const era = Math.floor(ym / 400);
  const yearOfEra = ym - era * 400;
  const dayOfYear = Math.floor((153 * ((m + 9) % 12) + 2) / 5) + d - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The number written by the ASCII digits from `start` to `end`, or -1 when any is not a digit. */
function digits(value: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = value.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

export function isIsoDate(value: string): boolean {
  return typeof value === 'string' && dayNumberOf(value) !== undefined;
}

export function toDayNumber(date: IsoDate): number {
  const day = typeof date === 'string' ? dayNumberOf(date) : undefined;
  if (day === undefined) throw new RangeError(`not an ISO date: ${date}`);
  return day;
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

/** Each year's summer time, [start, end) in ms, worked out once per year (pure: the same answer every time). */
const summerTimes = new Map<number, readonly [number, number]>();
function summerTime(year: number): readonly [number, number] {
  let bst = summerTimes.get(year);
  if (bst === undefined) summerTimes.set(year, (bst = [lastSundayUtc(year, 2), lastSundayUtc(year, 9)]));
  return bst;
}

export function londonOffsetMs(instantMs: number): number {
  const [start, end] = summerTime(new Date(instantMs).getUTCFullYear());
  return instantMs >= start && instantMs < end ? 3_600_000 : 0;
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
