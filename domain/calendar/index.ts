// Business days in England and Wales: Monday to Friday, less bank holidays.
import { addDays, weekday, type IsoDate } from '../dates';
import { BANK_HOLIDAYS_ENGLAND_AND_WALES, SNAPSHOT_FIRST_YEAR, SNAPSHOT_LAST_YEAR } from './bank-holidays';
import { ruleBankHolidays } from './rules';

const snapshot = new Set(BANK_HOLIDAYS_ENGLAND_AND_WALES.map((h) => h.date));
const byRule = new Map<number, Set<IsoDate>>();

export function isBankHoliday(date: IsoDate): boolean {
  const year = Number(date.slice(0, 4));
  if (year >= SNAPSHOT_FIRST_YEAR && year <= SNAPSHOT_LAST_YEAR) return snapshot.has(date);
  let days = byRule.get(year);
  if (!days) {
    days = new Set(ruleBankHolidays(year));
    byRule.set(year, days);
  }
  return days.has(date);
}

export function isBusinessDay(date: IsoDate): boolean {
  const wd = weekday(date);
  return wd !== 0 && wd !== 6 && !isBankHoliday(date);
}

/**
 * The business day `n` business days after `date` (n >= 1): "within 5 business days of 2026-12-21" is due
 * on the fifth business day that follows it. `date` itself never counts, whether or not it is a business day.
 */
export function addBusinessDays(date: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`business days must be a whole number >= 0: ${n}`);
  let d = date;
  for (let left = n; left > 0; ) {
    d = addDays(d, 1);
    if (isBusinessDay(d)) left--;
  }
  return d;
}

/** The date itself if it is a business day, otherwise the next one. */
export function onOrNextBusinessDay(date: IsoDate): IsoDate {
  let d = date;
  while (!isBusinessDay(d)) d = addDays(d, 1);
  return d;
}

/** Business days in (from, to]: how many business days late `to` is against a due date `from`. */
export function businessDaysBetween(from: IsoDate, to: IsoDate): number {
  if (to <= from) return 0;
  let count = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isBusinessDay(d)) count++;
  return count;
}
