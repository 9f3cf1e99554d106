// The calendar arithmetic (domain/dates.ts) gives the same answers as the Date-based reading it replaced: a change in
// what counts as a date, or in a date's day number, would change what a running case decides, so the two are compared
// over every day of the years the rules use and at the edges of what the format can write.
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, fromDayNumber, isIsoDate, londonDate, londonOffsetMs, toDayNumber } from '../../domain/dates.ts';

/** The reading before: a regular expression, then Date (which reads years 0–99 as 1900–1999). */
function byDate(value: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value ? Date.parse(`${value}T00:00:00Z`) / 86_400_000 : undefined;
}

const read = (v: string) => (isIsoDate(v) ? toDayNumber(v) : undefined);

describe('calendar dates', () => {
  it('read every day from 1900 to 2100, and each impossible day of each month, as Date did', () => {
    let checked = 0;
    for (let y = 1900; y <= 2100; y++) {
      for (let m = 1; m <= 12; m++) {
        for (let d = 0; d <= 32; d++) {
          const v = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          expect(read(v), v).toBe(byDate(v));
          checked++;
        }
      }
    }
    expect(checked).toBe(201 * 12 * 33);
  });

  it('agree at the edges of the format', () => {
    const edges = ['0000-01-01', '0099-12-31', '0100-01-01', '0100-02-29', '0400-02-29', '1600-02-29', '1700-02-29', '9999-12-31'];
    for (const v of edges) expect(read(v), v).toBe(byDate(v));
    expect(read('0099-12-31')).toBeUndefined();
    expect(toDayNumber('0100-01-01')).toBe(-683_003);
    expect(toDayNumber('9999-12-31')).toBe(2_932_896);
    expect(toDayNumber('1970-01-01')).toBe(0);
    expect(toDayNumber('2026-12-02')).toBe(20_789);
  });

  it('refuse what is not a date, as Date did', () => {
    const bad = [
      '',
      '2026-1-01',
      '2026-01-1',
      '2026/01/01',
      '２０２６-01-01',
      '2026-01-01 ',
      ' 2026-01-01',
      '2026-01-01\n',
      '+02026-01-01',
      '2026-00-10',
      '2026-12-32',
      'abcd-ef-gh',
      '2026-0a-01',
    ];
    for (const v of bad) {
      expect(isIsoDate(v), JSON.stringify(v)).toBe(false);
      expect(byDate(v), JSON.stringify(v)).toBeUndefined();
      expect(() => toDayNumber(v)).toThrow(RangeError);
    }
    expect(isIsoDate(undefined as unknown as string)).toBe(false);
    expect(() => toDayNumber(20_789 as unknown as string)).toThrow(RangeError);
  });

  it('count days across leap years and summer time', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(daysBetween('2026-12-02', '2029-12-02')).toBe(1096);
    expect(fromDayNumber(toDayNumber('2100-03-01') - 1)).toBe('2100-02-28');
    // British Summer Time 2027: from 01:00 UTC on Sunday 28 March to 01:00 UTC on Sunday 31 October.
    expect(londonOffsetMs(Date.UTC(2027, 2, 28, 0, 59))).toBe(0);
    expect(londonOffsetMs(Date.UTC(2027, 2, 28, 1, 0))).toBe(3_600_000);
    expect(londonOffsetMs(Date.UTC(2027, 9, 31, 0, 59))).toBe(3_600_000);
    expect(londonOffsetMs(Date.UTC(2027, 9, 31, 1, 0))).toBe(0);
    expect(londonDate(Date.UTC(2027, 5, 30, 23, 30))).toBe('2027-07-01');
  });
});
