// What a bank-holiday refresh does: it adds a calendar version (as `npm run refresh:bank-holidays` adds a file to
// domain/calendar/versions). A running sentence keeps computing with the version it recorded, so no date it has
// acted on moves and the recorded histories replay exactly; it moves to the new version only at continue-as-new
// (adoptCalendar), for dates computed from then on; a new sentence starts on the new version.
import { describe, expect, it } from 'vitest';
import { calendarFor, currentCalendarVersion, registerCalendarVersion } from '../../domain/calendar/index.ts';
import { CALENDAR as FIRST } from '../../domain/calendar/versions/ew-2026-11-23.ts';
import { periodEnd } from '../../domain/dates.ts';
import { adoptCalendar, commence } from '../../domain/lifecycle.ts';
import { domainReplay } from '../support/domain-replay.ts';
import { communityOrder } from '../support/fixtures.ts';
import { loadCorpus } from '../support/history.ts';
import { at, due, run } from '../support/scenario.ts';

const SD = '2026-11-23'; // a Monday

/** A refresh that proclaims two new bank holidays inside running cases' windows. */
const REFRESHED = {
  version: 'ew-2099-01-01',
  taken: '2099-01-01',
  firstYear: FIRST.firstYear,
  lastYear: FIRST.lastYear,
  holidays: [...FIRST.holidays, { date: '2026-11-25', title: 'A proclaimed holiday' }, { date: '2026-12-09', title: 'Another' }].sort(
    (a, b) => a.date.localeCompare(b.date),
  ),
};

describe('a bank-holiday refresh', () => {
  // Before the refresh: a running case, on the first calendar.
  const running = run(
    commence(communityOrder(SD, periodEnd(SD, 12)), 'h', at(SD), 'ew-2026-11-23'),
    [{ type: 'allocate', offenderManagerId: 'OM1' }, SD],
    [{ type: 'record-first-appointment', heldOn: '2026-11-24' }, '2026-11-24'],
  );
  registerCalendarVersion(REFRESHED);

  it('is the newest version, and versions are immutable', () => {
    expect(currentCalendarVersion()).toBe('ew-2099-01-01');
    expect(calendarFor('ew-2099-01-01').isBankHoliday('2026-11-25')).toBe(true);
    expect(calendarFor('ew-2026-11-23').isBankHoliday('2026-11-25')).toBe(false);
    expect(() => registerCalendarVersion(REFRESHED)).toThrow(/immutable/);
  });

  it("leaves a running case's dates alone, before and after it moves to the new version", () => {
    expect(due(running, 'first-appointment')).toBe('2026-11-30'); // 5 business days on the first calendar
    expect(due(running, 'plan')).toBe('2026-12-15'); // 15 business days after 2026-11-24, no holiday on the first calendar
    // Still on its own version: a date computed now ignores the refresh.
    const planned = run(running, [{ type: 'complete-plan', completedOn: '2026-11-26' }, '2026-11-26']);
    expect(
      run(planned, [{ type: 'record-significant-change', changeCode: 'ADDR', occurredOn: '2026-12-01' }, '2026-12-01']).deadlines.at(-1)
        ?.dueDate,
    ).toBe('2026-12-15');
    // At continue-as-new it moves on: dates it had stay, dates computed from then on use the new holidays.
    const moved = adoptCalendar(planned, currentCalendarVersion(), at('2026-11-27'));
    expect(moved.calendarVersion).toBe('ew-2099-01-01');
    expect(moved.timeline.at(-1)).toMatchObject({ event: 'calendar-adopted' });
    expect(moved.deadlines.map((d) => [d.id, d.dueDate])).toEqual(planned.deadlines.map((d) => [d.id, d.dueDate]));
    const changed = run(moved, [{ type: 'record-significant-change', changeCode: 'ADDR', occurredOn: '2026-12-01' }, '2026-12-01']);
    expect(changed.deadlines.at(-1)?.dueDate).toBe('2026-12-16'); // 10 business days, 9 December now a holiday
    expect(() => adoptCalendar(moved, 'ew-2026-11-23', at('2026-11-27'))).toThrow(/older/);
  });

  it('gives a new case the new version', () => {
    const s = commence(communityOrder(SD, periodEnd(SD, 12)), 'h', at(SD));
    expect(s.calendarVersion).toBe('ew-2099-01-01');
    expect(due(s, 'first-appointment')).toBe('2026-12-01'); // 25 November is now a holiday
  });

  it('keeps every recorded history replaying exactly (each case keeps the calendar it recorded)', () => {
    const corpus = loadCorpus();
    const mismatched = corpus.filter((h) => domainReplay(h.history).mismatches.length > 0).map((h) => h.workflowId);
    expect(corpus.length).toBeGreaterThan(0);
    expect(mismatched).toEqual([]);
  });
});
