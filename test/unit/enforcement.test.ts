// Enforcement at the edges: Schedule 10/16 para 6 counts the 12 months from the day of the warning, by dates.
import { calendarFor, FIRST_CALENDAR_VERSION } from '../../domain/calendar/index.ts';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../domain/dates.ts';
import {
  allowedDecisions,
  breachActionDue,
  compliancePosition,
  isUnacceptableFailure,
  liveWarnings,
  warningExpires,
} from '../../domain/enforcement.ts';

describe('enforcement rules', () => {
  it.each([
    ['2026-01-10', 364, ['referral']], // 2027-01-09: the last day of the 12 months beginning 2026-01-10
    ['2026-01-10', 365, ['warning', 'referral']], // 2027-01-10: the period has ended
    ['2026-01-10', 366, ['warning', 'referral']],
    ['2027-03-01', 364, ['referral']], // across 29 February 2028 the period is 366 days long
    ['2027-03-01', 365, ['referral']], // 2028-02-29 is still inside it
    ['2027-03-01', 366, ['warning', 'referral']], // 2028-03-01
  ])('a second unacceptable failure %i days after a warning given %s allows %j', (warnedOn, days, allowed) => {
    expect(allowedDecisions([{ givenOn: warnedOn as string }], addDays(warnedOn as string, days as number)).allowed).toEqual(allowed);
  });

  it('says why a warning is refused', () => {
    expect(allowedDecisions([{ givenOn: '2026-01-10' }], '2026-12-01').reason).toBe(
      'a warning was given on 2026-01-10 (its 12-month period runs to 2027-01-09): the failure on 2026-12-01 must be referred to court',
    );
  });

  it('lets warnings expire and counts only unacceptable failures', () => {
    expect(warningExpires({ givenOn: '2026-01-31' })).toBe('2027-01-30');
    expect(liveWarnings([{ givenOn: '2025-01-01' }, { givenOn: '2026-01-01' }], '2026-06-01')).toEqual([{ givenOn: '2026-01-01' }]);
    expect(isUnacceptableFailure('acceptable-absence')).toBe(false);
    expect(isUnacceptableFailure('rescheduled')).toBe(false);
    expect(isUnacceptableFailure('attended-failed-to-comply')).toBe(true);
    const position = compliancePosition(
      [
        { on: '2025-06-01', outcome: 'unacceptable-absence' }, // 12 months and a day before: out
        { on: '2025-06-02', outcome: 'unacceptable-absence' }, // exactly within the last 12 months
        { on: '2026-03-01', outcome: 'acceptable-absence' }, // does not count
        { on: '2026-05-01', outcome: 'attended-failed-to-comply' },
      ],
      [{ givenOn: '2025-06-02' }],
      '2026-06-01',
    );
    expect(position).toEqual({ failuresInLast12Months: 2, liveWarnings: [{ givenOn: '2025-06-02', expires: '2026-06-01' }] });
  });

  it('makes breach action due 10 business days after the officer became aware', () => {
    expect(breachActionDue(calendarFor(FIRST_CALENDAR_VERSION), '2026-12-18')).toBe('2027-01-06'); // across Christmas, the Boxing Day substitute and New Year
    expect(breachActionDue(calendarFor(FIRST_CALENDAR_VERSION), '2026-11-23')).toBe('2026-12-07');
  });
});
