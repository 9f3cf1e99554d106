// The state of one sentence, as the workflow holds it and carries it across continue-as-new: JSON-plain (ISO strings,
// arrays), typed here in one place, below every module that changes it. Types and constants only: no rules.
import type { Actor } from './actor.ts';
import type { IsoDate } from './dates.ts';
import type { Deadline } from './deadlines.ts';
import type { AppointmentOutcome, EnforcementDecision, Warning } from './enforcement.ts';
import type { SentenceLaw } from './law.ts';
import type { CaseFacts } from './outputs/applicability.ts';
import type { LedgerEntry } from './outputs/ledger.ts';
import type { OffenderCharacteristics, RequirementType, RoshLevel, SentenceInput } from './sentence.ts';

export type { Deadline, DeadlineKind, DeadlineStatus } from './deadlines.ts';

export const PHASES = ['commenced', 'allocated', 'inducted', 'plan-agreed', 'supervision', 'terminated', 'closed'] as const;

export type Phase = (typeof PHASES)[number];

/**
 * Every event a timeline records. Running sentences hold these names in their state for years (and the domain replay
 * compares them): add new ones, never rename one.
 */
export const TIMELINE_EVENTS = [
  'access-changed',
  'allocated',
  'appointment-booked',
  'appointment-outcome',
  'breach-actioned',
  'breach-referral',
  'calendar-adopted',
  'rules-adopted',
  'child-wellbeing-information',
  'circumstances-changed',
  'closed',
  'commenced',
  'court-jurisdiction-changed',
  'court-outcome',
  'court-report-requested',
  'court-report-submitted',
  'deadline-met',
  'deadline-met-late',
  'deadline-missed',
  'deadline-overdue',
  'early-revocation-applied',
  'early-revocation-criteria-met',
  'early-revocation-decided',
  'end-of-sentence-review-completed',
  'failure-to-comply',
  'first-appointment-held',
  'further-offence',
  'nps-assumed-responsibility',
  'nps-declined',
  'order-extended',
  'output-applies',
  'output-delivered',
  'output-evidenced',
  'output-no-longer-applies',
  'output-not-delivered',
  'output-not-possible',
  'output-overdue',
  'owner-changed',
  'plan-agreed',
  'referred-to-nps',
  'requirement-progress',
  'requirements-amended',
  'review-completed',
  'risk-information',
  'risk-review-raised',
  'signal-rejected',
  'significant-change',
  'supervision-period-ended',
  'terminated',
  'transfer-approved',
  'transfer-refused',
  'transfer-rejected',
  'transfer-requested',
  'transfer-timed-out',
  'transfer-withdrawn',
  'unpaid-work-credit-lost',
  'unpaid-work-credit-qualified',
  'warning-given',
  'order-continues-for-unpaid-work',
  'unpaid-work-completed',
  'warning-withdrawn',
  'decision-pending',
  'absence-evidence-received',
  'absence-unevidenced',
  'excuse-accepted',
  'unpaid-work-credit-restored',
] as const;
export type TimelineEvent = (typeof TIMELINE_EVENTS)[number];

export type { Actor } from './actor.ts';

export interface TimelineEntry {
  at: string;
  event: TimelineEvent;
  detail: string;
  actor?: Actor;
}

export const TERMINATION_REASONS = [
  'end-of-order',
  'revoked',
  'early-termination',
  'revoked-and-resentenced',
  'sso-activated',
  'ended-by-officer',
] as const;

/** Reasons an officer's termination command may give; the court's outcomes give the others. */
export const COMMAND_TERMINATION_REASONS = ['revoked', 'early-termination'] as const;

export type TerminationReason = (typeof TERMINATION_REASONS)[number];

/** The shape of SentenceState this code writes; upgradeState brings every older carried shape up to it. */
export const SCHEMA_VERSION = 2;

export interface SentenceState {
  /** 1: release 0.1.0. 2: adds calendarVersion. */
  schemaVersion: typeof SCHEMA_VERSION;
  sentence: SentenceInput;
  inputHash: string;
  policyVersion: string;
  /** The bank-holiday calendar version this sentence computes business days with (domain/calendar). */
  calendarVersion: string;
  /** The version of the rules this sentence decides with (domain/rules.ts); absent in states from before it: 1. */
  rules?: number;
  dates: { sentenceDate: IsoDate; supervisionEnd?: IsoDate; orderEnd: IsoDate };
  phase: Phase;
  offenderManagerId?: string;
  milestones: {
    allocatedOn?: IsoDate;
    firstAppointmentOn?: IsoDate;
    planAgreedOn?: IsoDate;
    lastReviewOn?: IsoDate;
    supervisionEndedOn?: IsoDate;
    /**
     * Since rules 2, the day an SSO's statutory involvement ended with its supervision period, before its operational
     * period (kernel.ts endsInvolvement): set when supervision ends, so a case whose supervision ended under rules 1
     * does not take the rule later.
     */
    involvementEndedOn?: IsoDate;
    closedOn?: IsoDate;
  };
  reviewsCompleted: number;
  significantChanges: number;
  supervisionEnded: boolean;
  /**
   * A community order whose end date passed with unpaid work hours still to work: it stays in force until they are
   * worked or the court revokes it (Sentencing Act 2020 s.220; since rules 2, domain/progress.ts).
   */
  unpaidWorkBeyondEnd?: { since: IsoDate; hours: number };
  termination?: { reason: TerminationReason; on: IsoDate };
  deadlines: Deadline[];
  /** The offender's characteristics as they stand now (the sentence keeps those given at commencement). */
  offender: OffenderCharacteristics;
  facts: CaseFacts;
  /** The National Minimum outputs ledger: every row, applicable or not, with status and evidence. */
  outputs: LedgerEntry[];
  timeline: TimelineEntry[];
  /** Since the bounds (domain/bounds.ts): how many of the oldest timeline entries are no longer kept here. */
  timelineOmitted?: number;
  /** Since the bounds: Signals the case could not take, counted, with the latest few (instead of timeline entries). */
  signalsRejected?: SignalsRejected;
  /** How many times this sentence's workflow has continued as new. */
  runs: number;
  /** Ids of the most recent commands applied (idempotency across retries and continue-as-new), newest last. */
  appliedCommandIds: string[];
  /** The seq of the last ledger summary published to the read model. */
  publishedSeq: number;
  /** Event-driven notifications the system delivers (row 23 to CSC, row 22 referrals to the NPS). */
  notifications: Notification[];
  /** Appointments, failures to comply, warnings and breach referrals (row 21, row 26). */
  compliance: Compliance;
  /** Who holds the case now: exactly one provider and area (the sentence keeps the one at commencement). */
  provider: { providerCode: string; areaCode: string };
  /** The court that holds jurisdiction now (a transfer can move it). */
  courtCode: string;
  /** Every owner's period, oldest first; the last is the current owner and has no `to`. */
  ownership: Ownership[];
  /** Risk information, referrals to the NPS and planned risk reviews (rows 22, 29-31). */
  risk: RiskState;
  /** Transfers requested, approved, accepted, refused, rejected or timed out (rows 27, 28). */
  transfers: Transfer[];
  /** Reports requested by courts and DRR progress reports (row 24). */
  courtReports: CourtReport[];
  /** The date-keyed law this sentence follows, resolved on its sentence date (law.ts). */
  law: SentenceLaw;
  /** Progress per requirement, early revocation and ending by the officer (row 25). */
  progress: ProgressState;
}

export interface Ownership {
  providerCode: string;
  areaCode: string;
  offenderManagerId?: string;
  from: IsoDate;
  to?: IsoDate;
  reason: string;
}

export interface Notification {
  id: string;
  row: 22 | 23;
  recipient: 'csc' | 'nps';
  event: 'child-wellbeing-information' | 'nps-referral';
  /** A code for what the information or the referral is about (no free text). */
  basis: string;
  raisedOn: IsoDate;
  raisedBy: string;
  delivered?: { reference: string; at: string };
  failed?: string;
}

/** A Signal the case could not take (domain/bounds.ts keeps the latest few), with how many times its key came. */
export interface RejectedSignal {
  at: string;
  type: string;
  reason: string;
  commandId?: string;
  /** How many times this key came for this reason (1 the first time). */
  times: number;
}

export interface SignalsRejected {
  /** Every Signal not applied since the bounds applied to the case. */
  count: number;
  /** The latest few, oldest first. */
  latest: RejectedSignal[];
}

/** How many applied command ids a sentence remembers. */
export const APPLIED_COMMAND_IDS_KEPT = 200;

/** A thing the workflow must do because of a transition. */
export type Effect =
  | { type: 'alert-overdue'; deadline: Deadline }
  | { type: 'alert-overdue-outputs'; rows: number[]; at: string }
  | { type: 'alert'; kind: 'risk-review-raised' | 'transfer-timed-out' | 'transfer-rejected'; id: string; label: string; dueDate: IsoDate }
  | { type: 'continue-as-new' }
  | { type: 'closed' };

export interface Transition {
  state: SentenceState;
  effects: Effect[];
}

export interface Delivery {
  row: number;
  part?: string;
  notification?: string;
}

export type Mappa = NonNullable<OffenderCharacteristics['mappa']>;

export interface RiskRecord {
  on: IsoDate;
  by: string;
  sourceCode: string;
  roshLevel: RoshLevel;
  mappa?: Mappa;
  escalationSuggested: boolean;
  /** Whether this information showed the risk rising (a higher RoSH, new or higher MAPPA, or escalation suggested). */
  increased: boolean;
}

export const NPS_DECISIONS = ['assumes-responsibility', 'declines'] as const;

export type NpsDecision = (typeof NPS_DECISIONS)[number];

export interface NpsReferral {
  id: string;
  on: IsoDate;
  by: string;
  reasonCode: string;
  decisionDue: IsoDate;
  decision?: { type: NpsDecision; on: IsoDate; by: string; roshLevel: RoshLevel; riskReviewOn?: IsoDate; reasonCode?: string };
}

export interface PlannedRiskReview {
  id: string;
  /** The date the NPS set: the review is raised on this day. */
  on: IsoDate;
  referralId: string;
  raised: boolean;
}

export interface RiskState {
  history: RiskRecord[];
  /** Since the bounds (domain/bounds.ts): how many of the oldest risk records are no longer kept here. */
  historyOmitted?: number;
  referrals: NpsReferral[];
  reviews: PlannedRiskReview[];
  /** The NPS has assumed responsibility: escalation referrals no longer apply (the NPS holds the case). */
  withNps: boolean;
}

export const TRANSFER_STATUSES = ['requested', 'approved', 'refused', 'accepted', 'rejected', 'timed-out', 'withdrawn'] as const;

export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

export interface Transfer {
  id: string;
  status: TransferStatus;
  requestedOn: IsoDate;
  requestedBy: string;
  reasonCode: string;
  from: { providerCode: string; areaCode: string; offenderManagerId?: string; courtCode: string };
  to: { providerCode: string; areaCode: string; courtCode?: string };
  approval?: { on: IsoDate; by: string; decision: 'approved' | 'refused'; reasonCode?: string };
  /** The last day the receiving side may accept (set on approval). */
  acceptanceDue?: IsoDate;
  response?: {
    on: IsoDate;
    by: string;
    decision: 'accepted' | 'rejected' | 'timed-out' | 'withdrawn';
    offenderManagerId?: string;
    reasonCode?: string;
  };
}

export const COURT_REPORT_KINDS = ['drr-progress', 'progress', 'breach', 'other'] as const;

export type CourtReportKind = (typeof COURT_REPORT_KINDS)[number];

export interface CourtReport {
  id: string;
  kind: CourtReportKind;
  requestedOn: IsoDate;
  dueOn: IsoDate;
  hearingOn?: IsoDate;
  courtCode: string;
  submitted?: { on: IsoDate; by: string; reference?: string };
}

export interface Appointment {
  id: string;
  date: IsoDate;
  requirement?: RequirementType;
  /** The induction, the first appointment (rules 2: compliance.ts). */
  induction?: boolean;
  outcome?: AppointmentOutcome;
  outcomeRecordedOn?: IsoDate;
  reason?: string;
  /**
   * An acceptable absence's evidence (rules 2): due by `dueOn`, received (with its reference), or not received in
   * time, when the absence became unacceptable on `lapsedOn` (compliance.ts absenceUnevidenced).
   */
  absenceEvidence?: { dueOn: IsoDate; reference?: string; receivedOn?: IsoDate; by?: string; lapsedOn?: IsoDate };
  /** The day the officer accepted the person's reasonable excuse for the failure at it (rules 2): no longer counted. */
  excusedOn?: IsoDate;
}

/** Where a failure other than at an appointment comes from (compliance.ts FAILURE_SOURCES; rules 2). */
export const FAILURE_SOURCE_TYPES = [
  'curfew-violation',
  'monitoring-violation',
  'drug-test-failed',
  'drug-test-missed',
  'alcohol-test-failed',
  'residence-left',
  'placement-removal',
  'programme-session-missed',
] as const;
export type FailureSource = (typeof FAILURE_SOURCE_TYPES)[number];

export interface Failure {
  /**
   * The appointment of the failure, the offenceId of a further offence during an SSO's operational period, or the
   * failureId of a failure reported against a requirement.
   */
  appointmentId: string;
  kind?: 'further-offence' | 'requirement';
  source?: FailureSource;
  /** The day of the failure (the appointment's date). */
  on: IsoDate;
  /** The day the officer became aware of it (the outcome was recorded). */
  awareOn: IsoDate;
  /** The decision; since rules 2 also `excuse-accepted`, the person's response showing a reasonable excuse. */
  decision?: { type: EnforcementDecision | 'excuse-accepted'; on: IsoDate };
  /** The decision waits for the person's response (rules 2): asked on `askedOn`, due by `responseDueOn`. */
  pending?: { askedOn: IsoDate; responseDueOn: IsoDate };
  /**
   * The officer's recommendation to the court, recorded with the breach action when one was given (since 0.5.0): the
   * breach report is made with it (domain/breach-report.ts). Absent from cases whose breach action gave none.
   */
  recommendation?: { code: string; on: IsoDate };
}

export interface Compliance {
  appointments: Appointment[];
  failures: Failure[];
  warnings: Warning[];
  courtOutcomes: { appointmentId: string; outcome: CourtOutcome; on: IsoDate; extendMonths?: number; reasonCode?: string }[];
}

/**
 * What the court decided on a breach (Sentencing Act 2020 Sch 10 paras 10-11 for a CO, with the once-only extension of
 * up to 6 months in para 13; Sch 16 paras 13-14 for an SSO):
 * the order continues (with or without a fine), requirements are amended, a CO is extended by up to 6 months (once),
 * the order is revoked and the offender re-sentenced, or an SSO's custodial term is activated (in whole or in part) or
 * not (with the reason).
 */
export const COURT_OUTCOMES = [
  'order-continues',
  'order-continues-with-fine',
  'requirements-amended',
  'order-extended',
  'revoked-and-resentenced',
  'sso-activated',
  'sso-not-activated',
] as const;

export type CourtOutcome = (typeof COURT_OUTCOMES)[number];

export interface UnpaidWorkLedger {
  worked: number;
  /** The day the qualifying share was first reached with a clean record (credit then accrues). */
  qualifiedOn?: IsoDate;
  /** Why credit can no longer be earned (a failure or removal before qualifying). */
  creditLost?: string;
  /**
   * Since rules 2, the failures that lost the credit, while every loss was a failure's: the credit comes back when the
   * excuse of each is accepted (compliance.ts). Absent when something else lost it too (it cannot then come back).
   */
  creditLostBy?: string[];
}

export interface ProgressEntry {
  index: number;
  type: RequirementType;
  /** Hours (unpaid work, attendance centre), days (RAR), sessions (programme). */
  amount: number;
  unpaidWork?: UnpaidWorkLedger;
  /** The officer judged that no further activity is needed (RAR). */
  completedOn?: IsoDate;
  records: { on: IsoDate; by: string; amount: number }[];
}

export interface ProgressState {
  entries: ProgressEntry[];
  objectivesMetOn?: IsoDate;
  earlyRevocation?: {
    eligibleSince?: IsoDate;
    application?: { on: IsoDate; by: string };
    decision?: { on: IsoDate; by: string; decision: 'granted' | 'refused' };
  };
  endedByOfficer?: { on: IsoDate; by: string };
  /** The last date on which time alone was checked for eligibility (progressWakeDates). */
  checkedThrough?: IsoDate;
}
