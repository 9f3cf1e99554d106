// Business days in England and Wales: Monday to Friday, less bank holidays, by calendar version.
//
// A sentence computes with the calendar version it records (SentenceState.calendarVersion): the one its workflow was
// started with, moved on to the newest only when the workflow continues as new (a point recorded in history). A
// refresh of the bank holidays is a new version (versions/), so it never changes a date that a running sentence has
// already acted on, and the domain replay of recorded histories stays exact.
//
// Domain code asks for the calendar of the sentence (`calendarFor(s.calendarVersion)`, kernel's `calendarOf`); the
// free functions at the end use the newest version and are for code outside a sentence (the API, tests).
import { addDays, weekday, type IsoDate } from '../dates.ts';
import { ruleBankHolidays } from './rules.ts';
import type { CalendarSnapshot } from './types.ts';
import { CALENDAR_SNAPSHOTS } from './versions/index.ts';

export type { BankHoliday, CalendarSnapshot } from './types.ts';

export interface BusinessCalendar {
  readonly version: string;
  isBankHoliday(date: IsoDate): boolean;
  isBusinessDay(date: IsoDate): boolean;
  /**
   * The business day `n` business days after `date` (n >= 0): "within 5 business days of 2026-12-21" is due on the
   * fifth business day that follows it. `date` itself never counts, whether or not it is a business day.
   */
  addBusinessDays(date: IsoDate, n: number): IsoDate;
  /** The business day `n` business days before `date`. */
  businessDaysBefore(date: IsoDate, n: number): IsoDate;
  /** The date itself if it is a business day, otherwise the next one. */
  onOrNextBusinessDay(date: IsoDate): IsoDate;
  /** Business days in (from, to]: how many business days late `to` is against a due date `from`. */
  businessDaysBetween(from: IsoDate, to: IsoDate): number;
}

/** The calendar every sentence of release 0.1.0 computed with (before calendars were versioned). */
export const FIRST_CALENDAR_VERSION = 'ew-2026-11-23';

const snapshots: CalendarSnapshot[] = [...CALENDAR_SNAPSHOTS];
const built = new Map<string, BusinessCalendar>();

/** Every known calendar version, oldest first. */
export function calendarVersions(): readonly CalendarSnapshot[] {
  return snapshots;
}

/** The newest calendar version: new sentences start with it, running ones move to it at continue-as-new. */
export function currentCalendarVersion(): string {
  return snapshots[snapshots.length - 1]!.version;
}

/**
 * Adds a version at run time, as a refresh would add a file to versions/: for tests of what a refresh does to running
 * and new sentences. A version that exists already is refused (versions are immutable).
 */
export function registerCalendarVersion(snapshot: CalendarSnapshot): void {
  if (snapshots.some((v) => v.version === snapshot.version))
    throw new Error(`calendar version ${snapshot.version} exists already: versions are immutable`);
  snapshots.push(snapshot);
}

export function isKnownCalendarVersion(version: string): boolean {
  return snapshots.some((v) => v.version === version);
}

export function calendarFor(version: string): BusinessCalendar {
  let cal = built.get(version);
  if (!cal) {
    const snapshot = snapshots.find((v) => v.version === version);
    if (!snapshot) throw new RangeError(`unknown calendar version ${version}`);
    cal = build(snapshot);
    built.set(version, cal);
  }
  return cal;
}

function build(snapshot: CalendarSnapshot): BusinessCalendar {
  const listed = new Set(snapshot.holidays.map((h) => h.date));
  const byRule = new Map<number, Set<IsoDate>>();
  const isBankHoliday = (date: IsoDate): boolean => {
    const year = Number(date.slice(0, 4));
    if (year >= snapshot.firstYear && year <= snapshot.lastYear) return listed.has(date);
    let days = byRule.get(year);
    if (!days) {
      days = new Set(ruleBankHolidays(year));
      byRule.set(year, days);
    }
    return days.has(date);
  };
  const isBusinessDay = (date: IsoDate): boolean => {
    const wd = weekday(date);
    return wd !== 0 && wd !== 6 && !isBankHoliday(date);
  };
  const step = (date: IsoDate, n: number, by: 1 | -1): IsoDate => {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`business days must be a whole number >= 0: ${n}`);
    let d = date;
    for (let left = n; left > 0;) {
      d = addDays(d, by);
      if (isBusinessDay(d)) left--;
    }
    return d;
  };
  return {
    version: snapshot.version,
    isBankHoliday,
    isBusinessDay,
    addBusinessDays: (date, n) => step(date, n, 1),
    businessDaysBefore: (date, n) => step(date, n, -1),
    onOrNextBusinessDay: (date) => {
      let d = date;
      while (!isBusinessDay(d)) d = addDays(d, 1);
      return d;
    },
    businessDaysBetween: (from, to) => {
      if (to <= from) return 0;
      let count = 0;
      for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isBusinessDay(d)) count++;
      return count;
    },
  };
}

// --- the newest calendar, for code outside a sentence ----------------------------------------------------------
const current = () => calendarFor(currentCalendarVersion());
export const isBankHoliday = (date: IsoDate) => current().isBankHoliday(date);
export const isBusinessDay = (date: IsoDate) => current().isBusinessDay(date);
export const addBusinessDays = (date: IsoDate, n: number) => current().addBusinessDays(date, n);
export const onOrNextBusinessDay = (date: IsoDate) => current().onOrNextBusinessDay(date);
export const businessDaysBetween = (from: IsoDate, to: IsoDate) => current().businessDaysBetween(from, to);
export const businessDaysBefore = (date: IsoDate, n: number) => current().businessDaysBefore(date, n);
