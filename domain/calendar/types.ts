// The shape of a calendar version: a dated snapshot of England and Wales bank holidays (versions/), with the statutory
// rules (rules.ts) for the years it does not cover.
export interface BankHoliday {
  readonly date: string;
  readonly title: string;
  readonly notes?: string;
}

export interface CalendarSnapshot {
  /** `ew-<date taken>`: a sentence records the version it computes with (SentenceState.calendarVersion). */
  readonly version: string;
  readonly taken: string;
  readonly firstYear: number;
  readonly lastYear: number;
  /** Weekdays only (a holiday at a weekend is listed as its substitute weekday), sorted. */
  readonly holidays: readonly BankHoliday[];
}
