// Deadlines: what is due by when, and the one place their ids are made.
import type { IsoDate } from './dates.ts';

export type DeadlineKind =
  | 'first-appointment'
  | 'plan'
  | 'review'
  | 'significant-change-review'
  | 'end-of-sentence-review'
  | 'appointment-outcome'
  | 'breach-action'
  | 'nps-decision'
  | 'risk-review'
  | 'transfer-acceptance'
  | 'court-report'
  | 'unpaid-work-outstanding'
  | 'enforcement-response'
  | 'absence-evidence';

/** pending → met | met-late, or pending → overdue → met-late | missed (it can no longer be met: the order or
 * supervision ended first), or pending → cancelled (no longer needed). */
export type DeadlineStatus = 'pending' | 'met' | 'met-late' | 'overdue' | 'missed' | 'cancelled';

export interface Deadline {
  id: string;
  kind: DeadlineKind;
  label: string;
  dueDate: IsoDate;
  /** The instant the due date has fully passed in England and Wales. */
  expiresAt: string;
  status: DeadlineStatus;
  metOn?: IsoDate;
  overdueSince?: string;
  businessDaysLate?: number;
}

/** Every deadline's id, built here only: the kind and what it is for (ids must stay as they are: running cases hold them). */
export const deadlineId = {
  firstAppointment: () => 'first-appointment',
  plan: () => 'plan',
  /** The n-th regular review of the plan. */
  review: (n: number) => `review-${n}`,
  /** The review after the n-th significant change. */
  significantChangeReview: (n: number) => `significant-change-review-${n}`,
  endOfSentenceReview: () => 'end-of-sentence-review',
  /** The end-of-sentence review of an SSO whose supervision period ended before its operational period (rules 2). */
  endOfSupervisionReview: () => 'end-of-supervision-review',
  /** The outcome of an appointment, to be recorded. */
  appointmentOutcome: (appointmentId: string) => `outcome-${appointmentId}`,
  /** Breach action on a failure (an appointment's id, or a further offence's). */
  breachAction: (failureId: string) => `breach-${failureId}`,
  /** The NPS's decision on the n-th referral. */
  npsDecision: (n: number) => `nps-decision-${n}`,
  /** The n-th planned risk review (also the review's own id). */
  riskReview: (n: number) => `risk-review-${n}`,
  transferAcceptance: (transferId: string) => `transfer-${transferId}`,
  courtReport: (reportId: string) => `report-${reportId}`,
  /** Unpaid work hours still to work when a community order's end date passed (s.220). */
  unpaidWorkOutstanding: () => 'unpaid-work-outstanding',
  /** The person's response to a failure, awaited before the enforcement decision (rules 2). */
  enforcementResponse: (failureId: string) => `response-${failureId}`,
  /** The evidence of an acceptable absence (rules 2). */
  absenceEvidence: (appointmentId: string) => `absence-evidence-${appointmentId}`,
} as const;
