import { describe, expect, it } from 'vitest';
import { addBusinessDays, businessDaysBetween, isBankHoliday, isBusinessDay, onOrNextBusinessDay } from '../../domain/calendar/index.ts';
import { CALENDAR } from '../../domain/calendar/versions/ew-2026-11-23.ts';

const { holidays: BANK_HOLIDAYS_ENGLAND_AND_WALES, firstYear: SNAPSHOT_FIRST_YEAR, lastYear: SNAPSHOT_LAST_YEAR } = CALENDAR;
import { easterSunday, ruleBankHolidays } from '../../domain/calendar/rules.ts';
import { isIsoDate, londonDate, londonEndOfDay, londonStartOfDay, periodEnd, weekday } from '../../domain/dates.ts';

describe('business days in England and Wales', () => {
  it.each([
    ['2026-11-23', 5, '2026-11-30', 'plain week (Mon + 5 = next Mon)'],
    ['2026-11-21', 1, '2026-11-23', 'from a Saturday'],
    ['2026-12-21', 5, '2026-12-30', 'Christmas Friday and Boxing Day substitute Monday skipped'],
    ['2026-12-30', 3, '2027-01-05', 'across the year end, New Year on a Friday'],
    ['2027-12-23', 2, '2027-12-29', 'Christmas and Boxing Day both at a weekend: 27th and 28th substitutes'],
    ['2027-03-25', 1, '2027-03-30', 'Good Friday and Easter Monday'],
    ['2020-05-07', 1, '2020-05-11', 'the 2020 May Day moved to VE Day, Friday 8 May'],
    ['2022-09-16', 1, '2022-09-20', 'the State Funeral, Monday 19 September 2022'],
    ['2023-05-05', 1, '2023-05-09', 'the Coronation, Monday 8 May 2023'],
    ['2026-11-23', 15, '2026-12-14', 'plan timescale: three weeks'],
    ['2026-12-01', 15, '2026-12-22', 'plan timescale: three weeks and a day in December'],
    ['2026-12-10', 15, '2027-01-05', 'plan timescale across Christmas and New Year'],
    ['2030-12-23', 3, '2030-12-30', 'beyond the snapshot: rule-based holidays (Christmas Wednesday 2030)'],
    ['2026-11-23', 0, '2026-11-23', 'zero days is the date itself'],
  ])('%s + %i business days = %s (%s)', (from, n, expected) => {
    expect(addBusinessDays(from, n)).toBe(expected);
  });

  it('rejects a negative or fractional count', () => {
    expect(() => addBusinessDays('2026-11-23', -1)).toThrow(RangeError);
    expect(() => addBusinessDays('2026-11-23', 1.5)).toThrow(RangeError);
  });

  it('knows weekends and bank holidays are not business days', () => {
    expect(isBusinessDay('2026-11-21')).toBe(false);
    expect(isBusinessDay('2026-11-22')).toBe(false);
    expect(isBusinessDay('2026-12-25')).toBe(false);
    expect(isBusinessDay('2026-12-28')).toBe(false);
    expect(isBusinessDay('2026-12-24')).toBe(true);
    expect(isBankHoliday('2031-12-25')).toBe(true);
    expect(onOrNextBusinessDay('2026-12-25')).toBe('2026-12-29');
    expect(onOrNextBusinessDay('2026-12-24')).toBe('2026-12-24');
  });

  it('counts how many business days late a date is', () => {
    expect(businessDaysBetween('2026-12-24', '2026-12-29')).toBe(1);
    expect(businessDaysBetween('2026-12-24', '2026-12-24')).toBe(0);
    expect(businessDaysBetween('2026-12-24', '2026-12-20')).toBe(0);
    expect(businessDaysBetween('2026-12-31', '2027-01-08')).toBe(5);
  });
});

describe('bank-holiday snapshot', () => {
  it('lists weekdays only, sorted, unique, within its stated years', () => {
    const dates = BANK_HOLIDAYS_ENGLAND_AND_WALES.map((h) => h.date);
    expect(dates.every(isIsoDate)).toBe(true);
    expect(dates.every((d) => weekday(d) !== 0 && weekday(d) !== 6)).toBe(true);
    expect([...dates].sort()).toEqual(dates);
    expect(new Set(dates).size).toBe(dates.length);
    expect(dates[0]!.startsWith(String(SNAPSHOT_FIRST_YEAR))).toBe(true);
    expect(dates.at(-1)!.startsWith(String(SNAPSHOT_LAST_YEAR))).toBe(true);
    for (const h of BANK_HOLIDAYS_ENGLAND_AND_WALES) {
      expect(h.title).toMatch(/^[A-Za-z][A-Za-z' ]+[a-zI]$/);
      if (h.notes !== undefined) expect(h.notes).toBe('Substitute day');
    }
  });

  // The statutory pattern agrees with the snapshot in every ordinary year; the one-off years differ exactly by
  // their proclaimed days. This cross-checks both the snapshot and the rules used beyond it.
  const oneOffs: Record<number, { onlyInSnapshot: string[]; onlyByRule: string[] }> = {
    2020: { onlyInSnapshot: ['2020-05-08'], onlyByRule: ['2020-05-04'] },
    2022: { onlyInSnapshot: ['2022-06-02', '2022-06-03', '2022-09-19'], onlyByRule: ['2022-05-30'] },
    2023: { onlyInSnapshot: ['2023-05-08'], onlyByRule: [] },
  };
  for (let year = SNAPSHOT_FIRST_YEAR; year <= SNAPSHOT_LAST_YEAR; year++) {
    it(`agrees with the statutory rules for ${year}`, () => {
      const snap = BANK_HOLIDAYS_ENGLAND_AND_WALES.map((h) => h.date).filter((d) => d.startsWith(`${year}-`));
      const rule = ruleBankHolidays(year);
      const expected = oneOffs[year] ?? { onlyInSnapshot: [], onlyByRule: [] };
      expect(snap.filter((d) => !rule.includes(d))).toEqual(expected.onlyInSnapshot);
      expect(rule.filter((d) => !snap.includes(d))).toEqual(expected.onlyByRule);
    });
  }

  it.each([
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2030, '2030-04-21'],
    [2038, '2038-04-25'],
  ])('computes Easter Sunday %i as %s', (year, date) => {
    expect(easterSunday(year)).toBe(date);
  });
});

describe('order periods and the London clock', () => {
  it.each([
    ['2026-01-15', 12, '2027-01-14'],
    ['2026-11-23', 24, '2028-11-22'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2027-11-30', 3, '2028-02-29'],
    ['2026-03-01', 36, '2029-02-28'],
  ])('a period of months from %s (%i months) ends %s', (start, months, end) => {
    expect(periodEnd(start, months)).toBe(end);
  });

  it('ends a day at local midnight in winter and summer, and on the clock-change days', () => {
    expect(new Date(londonEndOfDay('2026-12-01')).toISOString()).toBe('2026-12-02T00:00:00.000Z');
    expect(new Date(londonEndOfDay('2026-07-01')).toISOString()).toBe('2026-07-01T23:00:00.000Z');
    expect(new Date(londonStartOfDay('2026-03-29')).toISOString()).toBe('2026-03-29T00:00:00.000Z');
    expect(new Date(londonEndOfDay('2026-03-29')).toISOString()).toBe('2026-03-29T23:00:00.000Z');
    expect(new Date(londonEndOfDay('2026-10-25')).toISOString()).toBe('2026-10-26T00:00:00.000Z');
    expect(londonDate(Date.parse('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
    expect(londonDate(Date.parse('2026-12-31T23:30:00Z'))).toBe('2026-12-31');
  });

  it('validates ISO calendar dates', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2027-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('26-11-23')).toBe(false);
  });
});
