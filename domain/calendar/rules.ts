// The standing statutory pattern of bank holidays in England and Wales (Banking and Financial Dealings Act 1971
// and the annual royal proclamations), used for years the committed snapshot does not cover. One-off days (jubilees,
// state funerals, coronations, moved May Days) cannot be predicted: refresh the snapshot to pick them up.
import { addDays, fromDayNumber, toDayNumber, weekday, type IsoDate } from '../dates.ts';

/** Western Easter Sunday by the anonymous Gregorian algorithm. */
export function easterSunday(year: number): IsoDate {
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

function firstMonday(year: number, month: number): IsoDate {
  const first = `${year}-${String(month).padStart(2, '0')}-01`;
  return addDays(first, (8 - weekday(first)) % 7);
}

function lastMonday(year: number, month: number): IsoDate {
  const last = fromDayNumber(toDayNumber(`${year}-${String(month + 1).padStart(2, '0')}-01`) - 1);
  return addDays(last, -((weekday(last) + 6) % 7));
}

/** Weekday bank holidays of a year by rule, with weekend holidays moved to their substitute weekdays. */
export function ruleBankHolidays(year: number): IsoDate[] {
  const days: IsoDate[] = [];
  const newYear = `${year}-01-01`;
  const ny = weekday(newYear);
  days.push(ny === 6 ? addDays(newYear, 2) : ny === 0 ? addDays(newYear, 1) : newYear);
  const easter = easterSunday(year);
  days.push(addDays(easter, -2), addDays(easter, 1));
  days.push(firstMonday(year, 5), lastMonday(year, 5), lastMonday(year, 8));
  const christmas = `${year}-12-25`;
  switch (weekday(christmas)) {
    case 5: // Friday: Boxing Day on Saturday moves to Monday
      days.push(christmas, addDays(christmas, 3));
      break;
    case 6: // Saturday: Christmas to Monday, Boxing Day to Tuesday
      days.push(addDays(christmas, 2), addDays(christmas, 3));
      break;
    case 0: // Sunday: Boxing Day on Monday, Christmas substitute on Tuesday
      days.push(addDays(christmas, 1), addDays(christmas, 2));
      break;
    default:
      days.push(christmas, addDays(christmas, 1));
  }
  return days.sort();
}
