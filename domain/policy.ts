// Timescales policy: data, versioned by sentence date. A sentence keeps the version in force on its sentence date
// for its whole life, so a policy change never moves the deadlines of a running sentence.
//
// Sources: the first-appointment and plan timescales are the national contract standards named in the design guide
// (GUIDE.md §4, "Timescales"); the review cycle and the significant-change and end-of-sentence review timescales are
// local policy choices (the specification, rows 32 and 34, asks for reviews "on a regular basis and when there is a
// significant change" and a review at the end without fixing numbers). Change them here, as a new version.
import type { IsoDate } from './dates';

export interface TimescalesPolicy {
  version: string;
  /** First day (inclusive) of sentence dates this version applies to. */
  effectiveFrom: IsoDate;
  source: string;
  firstAppointmentBusinessDays: number;
  planBusinessDaysAfterFirstAppointment: number;
  /** Calendar weeks from the plan (or the last review) to the next regular review, rolled to a business day. */
  reviewCycleWeeks: number;
  significantChangeReviewBusinessDays: number;
  endOfSentenceReviewBusinessDays: number;
}

export const TIMESCALES: readonly TimescalesPolicy[] = [
  {
    version: 'ts-2014.1',
    effectiveFrom: '2014-01-01',
    source: 'HMPPS P3.0/P3.1 National Minimum rows 3-8, 32, 34; contract timescales (GUIDE.md §4)',
    firstAppointmentBusinessDays: 5,
    planBusinessDaysAfterFirstAppointment: 15,
    reviewCycleWeeks: 16,
    significantChangeReviewBusinessDays: 10,
    endOfSentenceReviewBusinessDays: 10,
  },
];

/** The version in force on a sentence date: the latest whose effectiveFrom is on or before it. */
export function timescalesFor(sentenceDate: IsoDate, table: readonly TimescalesPolicy[] = TIMESCALES): TimescalesPolicy {
  let chosen: TimescalesPolicy | undefined;
  for (const p of table) {
    if (p.effectiveFrom <= sentenceDate && (!chosen || p.effectiveFrom > chosen.effectiveFrom)) chosen = p;
  }
  if (!chosen) throw new RangeError(`no timescales policy in force on ${sentenceDate}`);
  return chosen;
}

export function policyByVersion(version: string, table: readonly TimescalesPolicy[] = TIMESCALES): TimescalesPolicy {
  const p = table.find((t) => t.version === version);
  if (!p) throw new RangeError(`unknown timescales policy version ${version}`);
  return p;
}
