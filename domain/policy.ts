// Timescales policy: data, versioned by sentence date. A sentence keeps the version in force on its sentence date
// for its whole life, so a policy change never moves the deadlines of a running sentence.
//
// Sources: the first-appointment and plan timescales are the national contract standards named in the design guide
// (GUIDE.md §4, "Timescales"); the review cycle and the significant-change and end-of-sentence review timescales are
// local policy choices (the specification, rows 32 and 34, asks for reviews "on a regular basis and when there is a
// significant change" and a review at the end without fixing numbers). Change them here, as a new version.
//
// The event timescales added for issue 4 and where each number comes from:
// - npsDecisionBusinessDays: PI 57/2014 asks providers to refer suspected high-RoSH cases to the NPS "without
//   delay" but sets no time for the NPS's decision (none found in public sources): 5 business days is local policy.
// - riskReviewBusinessDays: a planned risk review is raised on the date the NPS set and is due within this many
//   business days (local policy).
// - transferAcceptanceBusinessDays: the Case Transfer Policy Framework (HMPPS, relaunched 2022) expects the whole
//   transfer within 20 working days; no separate acceptance deadline was found, so acceptance is due within 20
//   business days of approval.
// - drrReportLeadBusinessDays: Sentencing Act 2020 Sch 9 para 21 requires a written progress report "before each
//   review"; it is due 3 business days before the hearing so the court can read it (local policy).
import type { IsoDate } from './dates.ts';

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
  npsDecisionBusinessDays: number;
  riskReviewBusinessDays: number;
  transferAcceptanceBusinessDays: number;
  drrReportLeadBusinessDays: number;
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
    npsDecisionBusinessDays: 5,
    riskReviewBusinessDays: 5,
    transferAcceptanceBusinessDays: 20,
    drrReportLeadBusinessDays: 3,
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
