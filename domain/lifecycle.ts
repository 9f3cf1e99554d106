// The sentence lifecycle as pure rules: phases, commands, deadlines, the passage of time. The workflow holds a
// SentenceState, asks these functions what a command or an instant does to it, and performs the side effects they
// name. State is JSON-plain (ISO strings, arrays) so it survives continue-as-new and history serialisation.
import { calendarFor, calendarVersions, currentCalendarVersion, FIRST_CALENDAR_VERSION } from './calendar';
import { addDays, isIsoDate, londonDate, londonEndOfDay, londonStartOfDay, periodEnd, type IsoDate } from './dates';
import type { CaseFacts } from './outputs/applicability';
import {
  addEvidence,
  evaluateLedger,
  clearActionNeeded,
  settleEvent,
  evidenceRejection,
  markNotPossible,
  refreshLedger,
  type LedgerEntry,
} from './outputs/ledger';
import {
  applicabilityInput,
  calendarOf,
  clone,
  codeProblem,
  endSupervision,
  evidence,
  iso,
  ledgerContext,
  log,
  makeDeadline,
  meet,
  oldestOpen,
  open,
  raise,
  reevaluate,
  significantChange,
  terminate,
} from './kernel';
import { applyRisk, dueRiskReviews, emptyRisk, raiseRiskReview, riskRejection, type RiskCommand } from './risk';
import { applyTransfer, transferRejection, transferTimedOut, type TransferCommand } from './transfers';
import { lawForSentence, type SentenceLaw } from './law';
import { applyCompliance, complianceRejection, type ComplianceCommand } from './compliance';
import {
  applyProgress,
  checkEarlyRevocation,
  emptyProgress,
  progressRejection,
  progressWakeDates,
  type ProgressCommand,
} from './progress';
import { applyCourtReport, courtReportRejection, refreshCourtReports, scheduleDrrReports, type CourtReportCommand } from './court-reports';
import { outputRow } from './outputs/catalogue';
import { policyByVersion, timescalesFor } from './policy';
import type { OffenderCharacteristics, SentenceInput } from './sentence';
import { APPLIED_COMMAND_IDS_KEPT, COMMAND_TERMINATION_REASONS, COURT_OUTCOMES, SCHEMA_VERSION } from './state';
import type { Appointment, Compliance, CourtOutcome, Deadline, Delivery, Effect, Failure, Phase, RiskState, SentenceState, Transfer, Transition } from './state';

export { APPLIED_COMMAND_IDS_KEPT, COMMAND_TERMINATION_REASONS, PHASES, SCHEMA_VERSION, TERMINATION_REASONS } from './state';
export type { Deadline, DeadlineKind, DeadlineStatus, Delivery, Effect, Notification, Ownership, Phase, SentenceState, TerminationReason, TimelineEntry, Transition } from './state';

export { compliance, MAX_EXTENSION_MONTHS, OUTCOME_NEEDED_BUSINESS_DAYS } from './compliance';
export { COURT_OUTCOMES } from './state';
export type { ComplianceCommand } from './compliance';
export type { Appointment, Compliance, CourtOutcome, Failure } from './state';

export type Command =
  | { type: 'allocate'; offenderManagerId: string; allocatedOn?: IsoDate }
  | { type: 'record-first-appointment'; heldOn?: IsoDate }
  | { type: 'complete-plan'; completedOn?: IsoDate }
  | { type: 'complete-review'; completedOn?: IsoDate; objectivesMet?: boolean }
  | { type: 'record-significant-change'; changeCode: string; occurredOn?: IsoDate }
  | { type: 'terminate'; reason: (typeof COMMAND_TERMINATION_REASONS)[number]; terminatedOn?: IsoDate }
  | { type: 'complete-end-of-sentence-review'; completedOn?: IsoDate }
  | {
      type: 'record-output-evidence';
      row: number;
      part?: string;
      on?: IsoDate;
      by: string;
      what: string;
      reference?: string;
      details?: Record<string, string | boolean>;
    }
  | { type: 'record-output-not-possible'; row: number; reason: string; by: string; on?: IsoDate }
  | { type: 'change-circumstances'; offender?: Partial<OffenderCharacteristics>; facts?: CaseFacts; on?: IsoDate }
  | { type: 'record-child-wellbeing-information'; categoryCode: string; by: string; on?: IsoDate }
  | RiskCommand
  | TransferCommand
  | CourtReportCommand
  | ProgressCommand
  | ComplianceCommand;
export type CommandType = Command['type'];

/** The dates an order runs between. SSO: the supervision period ends first; the operational period ends the order. */
export function orderDates(sentence: SentenceInput): SentenceState['dates'] {
  const o = sentence.order;
  if (o.type === 'CO') return { sentenceDate: o.sentenceDate, orderEnd: o.endDate };
  return {
    sentenceDate: o.sentenceDate,
    supervisionEnd: periodEnd(o.sentenceDate, o.supervisionPeriodMonths),
    orderEnd: periodEnd(o.sentenceDate, o.operationalPeriodMonths),
  };
}

/**
 * A new sentence's state. `calendarVersion` is the calendar its workflow was started with (recorded in its input, so a
 * later refresh of the bank holidays cannot change it on replay); new sentences take the newest.
 */
export function commence(sentence: SentenceInput, inputHash: string, nowMs: number, calendarVersion = currentCalendarVersion()): SentenceState {
  const policy = timescalesFor(sentence.order.sentenceDate);
  const dates = orderDates(sentence);
  const s: SentenceState = {
    schemaVersion: SCHEMA_VERSION,
    sentence: clone(sentence),
    inputHash,
    policyVersion: policy.version,
    calendarVersion,
    dates,
    phase: 'commenced',
    milestones: {},
    reviewsCompleted: 0,
    significantChanges: 0,
    supervisionEnded: false,
    deadlines: [
      makeDeadline(
        'first-appointment',
        'first-appointment',
        `First appointment within ${policy.firstAppointmentBusinessDays} business days of sentence`,
        calendarFor(calendarVersion).addBusinessDays(dates.sentenceDate, policy.firstAppointmentBusinessDays),
      ),
    ],
    offender: clone(sentence.offender),
    facts: {},
    outputs: [],
    timeline: [],
    runs: 0,
    appliedCommandIds: [],
    publishedSeq: 0,
    notifications: [],
    compliance: { appointments: [], failures: [], warnings: [], courtOutcomes: [] },
    provider: { ...sentence.provider },
    courtCode: sentence.order.courtCode,
    ownership: [{ ...sentence.provider, from: dates.sentenceDate, reason: 'commencement' }],
    risk: emptyRisk(),
    transfers: [],
    courtReports: [],
    law: lawForSentence(sentence.order.sentenceDate),
    progress: emptyProgress(sentence.requirements),
  };
  s.outputs = evaluateLedger(undefined, applicabilityInput(s), ledgerContext(s), londonDate(nowMs)).ledger;
  scheduleDrrReports(s, londonDate(nowMs));
  const end = dates.supervisionEnd
    ? `supervision ends ${dates.supervisionEnd}, operational period ends ${dates.orderEnd}`
    : `order ends ${dates.orderEnd}`;
  log(s, nowMs, 'commenced', `${sentence.order.type} sentenced ${dates.sentenceDate} (policy ${policy.version}); ${end}`);
  return s;
}

/**
 * Brings a state carried across continue-as-new by older code up to SCHEMA_VERSION, one version at a time. Each step
 * fills what that version added as commencement would have (nothing about the case is guessed beyond what its own
 * input says). A state from newer code than this fails the workflow task (to be retried by a newer worker), never the
 * sentence. test/unit/carried-state.test.ts checks every carried state in the corpus of recorded histories.
 */
export function upgradeState(carried: SentenceState): SentenceState {
  let s = carried as unknown as Record<string, unknown> & { schemaVersion?: number };
  const from = s.schemaVersion ?? 1;
  if (!Number.isInteger(from) || from < 1 || from > SCHEMA_VERSION) {
    throw new Error(`carried state has schema version ${String(s.schemaVersion)}; this code reads 1 to ${SCHEMA_VERSION}`);
  }
  for (let v = from; v < SCHEMA_VERSION; v++) s = UPGRADES[v]!(s);
  return s as unknown as SentenceState;
}

type Carried = Record<string, unknown>;

/** UPGRADES[v] turns a schema-v state into a schema-(v+1) one. */
const UPGRADES: Record<number, (s: Carried) => Carried> = {
  // 1 → 2: release 0.1.0's states (including those carried by its earlier builds, which lacked the event fields),
  // and the calendar: every 0.1.0 sentence computed with the one calendar there was.
  1: (carried) => {
    const s = carried as unknown as Partial<SentenceState> & Omit<SentenceState, 'calendarVersion'>;
    const v2 = { ...s, schemaVersion: 2, calendarVersion: FIRST_CALENDAR_VERSION } as SentenceState;
    return {
      ...v2,
      provider: s.provider ?? { ...s.sentence.provider },
      courtCode: s.courtCode ?? s.sentence.order.courtCode,
      ownership: s.ownership ?? [{ ...s.sentence.provider, ...(s.offenderManagerId ? { offenderManagerId: s.offenderManagerId } : {}), from: s.dates.sentenceDate, reason: 'commencement' }],
      risk: s.risk ?? upgradedRisk(v2),
      transfers: s.transfers ?? [],
      courtReports: s.courtReports ?? [],
      law: s.law ?? lawForSentence(s.dates.sentenceDate),
      progress: s.progress ?? emptyProgress(s.sentence.requirements),
    };
  },
};

/** Older code referred at most once and recorded no decision: its referral is still awaiting one. */
function upgradedRisk(s: SentenceState): RiskState {
  const risk = emptyRisk();
  const referral = s.notifications.find((n) => n.event === 'nps-referral');
  if (referral) {
    const decisionDue = calendarOf(s).addBusinessDays(referral.raisedOn, policyByVersion(s.policyVersion).npsDecisionBusinessDays);
    risk.referrals.push({ id: 'nps-1', on: referral.raisedOn, by: referral.raisedBy, reasonCode: referral.basis, decisionDue });
  }
  return risk;
}

// --- commands -------------------------------------------------------------------------------------------------

const OPEN_PHASES: readonly Phase[] = ['commenced', 'allocated', 'inducted', 'plan-agreed', 'supervision', 'terminated'];

/** A case with an offender manager and an order still running. */
const SUPERVISED: readonly Phase[] = ['allocated', 'inducted', 'plan-agreed', 'supervision'];

const ACCEPTED_IN: Record<CommandType, readonly Phase[]> = {
  'record-output-evidence': OPEN_PHASES,
  'record-output-not-possible': OPEN_PHASES,
  'change-circumstances': OPEN_PHASES.filter((p) => p !== 'terminated'),
  'record-child-wellbeing-information': OPEN_PHASES.filter((p) => p !== 'terminated'),
  'refer-to-nps': OPEN_PHASES.filter((p) => p !== 'terminated'),
  'record-appointment': ['allocated', 'inducted', 'plan-agreed', 'supervision'],
  'record-appointment-outcome': ['allocated', 'inducted', 'plan-agreed', 'supervision'],
  'record-enforcement-decision': ['allocated', 'inducted', 'plan-agreed', 'supervision'],
  'record-breach-action': OPEN_PHASES,
  'record-court-outcome': ['allocated', 'inducted', 'plan-agreed', 'supervision'],
  'record-further-offence': ['allocated', 'inducted', 'plan-agreed', 'supervision'],
  'record-risk-information': OPEN_PHASES.filter((p) => p !== 'terminated'),
  'record-nps-decision': OPEN_PHASES.filter((p) => p !== 'terminated'),
  'request-transfer': SUPERVISED,
  'decide-transfer': SUPERVISED,
  'respond-to-transfer': SUPERVISED,
  'request-court-report': OPEN_PHASES.filter((p) => p !== 'terminated'),
  'submit-court-report': OPEN_PHASES,
  'record-requirement-progress': SUPERVISED,
  'apply-for-early-revocation': SUPERVISED,
  'record-revocation-decision': SUPERVISED,
  'end-order-by-officer': SUPERVISED,
  allocate: ['commenced'],
  'record-first-appointment': ['allocated'],
  'complete-plan': ['inducted'],
  'complete-review': ['plan-agreed', 'supervision'],
  'record-significant-change': ['plan-agreed', 'supervision'],
  terminate: ['commenced', 'allocated', 'inducted', 'plan-agreed', 'supervision'],
  'complete-end-of-sentence-review': ['terminated'],
};

function commandDate(cmd: Command): IsoDate | undefined {
  switch (cmd.type) {
    case 'allocate':
      return cmd.allocatedOn;
    case 'record-first-appointment':
      return cmd.heldOn;
    case 'complete-plan':
    case 'complete-review':
    case 'complete-end-of-sentence-review':
      return cmd.completedOn;
    case 'record-significant-change':
      return cmd.occurredOn;
    case 'terminate':
      return cmd.terminatedOn;
    case 'record-appointment':
      return undefined; // an appointment may be booked ahead; its date is checked on its own
    default:
      return cmd.on;
  }
}

/** The earliest date a command may carry: it cannot precede the milestone it follows. */
function earliestDate(s: SentenceState, cmd: Command): { date: IsoDate; what: string } {
  const m = s.milestones;
  switch (cmd.type) {
    case 'complete-plan':
      return { date: m.firstAppointmentOn ?? s.dates.sentenceDate, what: 'the first appointment' };
    case 'complete-review':
    case 'record-significant-change':
      return m.lastReviewOn
        ? { date: m.lastReviewOn, what: 'the last review' }
        : { date: m.planAgreedOn ?? s.dates.sentenceDate, what: 'the plan' };
    case 'complete-end-of-sentence-review':
      return { date: s.termination?.on ?? s.dates.sentenceDate, what: 'termination' };
    default:
      return { date: s.dates.sentenceDate, what: 'the sentence date' };
  }
}

/** The dates any command may carry: far enough apart for any sentence, near enough for date arithmetic. */
const EARLIEST_DATE = '1900-01-01';
const LATEST_DATE = '2199-12-31';

/** Why a command cannot be applied now, or undefined when it can. Never changes the state. */
export function rejectionReason(s: SentenceState, cmd: Command, nowMs: number): string | undefined {
  if (s.phase === 'closed') return 'the sentence is closed';
  const allowed = ACCEPTED_IN[cmd.type];
  if (!allowed) return `unknown command ${String((cmd as { type: unknown }).type)}`;
  if (!allowed.includes(s.phase)) {
    return `${cmd.type} is not valid in phase ${s.phase} (valid in: ${allowed.join(', ')})`;
  }
  // Every date a command carries is a calendar date (the API checks this too; a Signal or a raw Update may not have).
  for (const [field, value] of Object.entries(cmd)) {
    if ((field.endsWith('On') || field === 'date') && value !== undefined && (typeof value !== 'string' || !isIsoDate(value))) {
      return `${field} ${String(value)} is not a calendar date (YYYY-MM-DD)`;
    }
    if ((field.endsWith('On') || field === 'date') && typeof value === 'string' && (value < EARLIEST_DATE || value > LATEST_DATE)) {
      return `${field} ${value} is outside ${EARLIEST_DATE} to ${LATEST_DATE}`;
    }
  }
  if ((cmd.type === 'complete-review' || cmd.type === 'record-significant-change') && s.supervisionEnded) {
    return `${cmd.type} is not valid after the supervision period ended on ${s.milestones.supervisionEndedOn}`;
  }
  const badManager = cmd.type === 'allocate' ? codeProblem('offenderManagerId', cmd.offenderManagerId) : undefined;
  if (badManager) return badManager;
  if (cmd.type === 'record-output-evidence') {
    const why = evidenceRejection(s.outputs, cmd);
    if (why) return why;
  }
  if (cmd.type === 'record-child-wellbeing-information') {
    const row23 = s.outputs.find((e) => e.row === 23);
    if (!row23?.applies) return `output 23 does not apply to this case: ${row23?.reason ?? 'unknown'}`;
  }
  const why = eventRejection(s, cmd, nowMs);
  if (why) return why;
  if (cmd.type === 'record-output-not-possible') {
    const entry = s.outputs.find((e) => e.row === cmd.row);
    if (!entry) return `no output row ${cmd.row}`;
    if (outputRow(cmd.row).delivery === 'system') return `output ${cmd.row} is delivered by the system`;
    if (!entry.applies) return `output ${cmd.row} does not apply to this case: ${entry.reason}`;
    if (entry.status === 'done' || entry.status === 'late') return `output ${cmd.row} is already evidenced`;
  }
  const date = commandDate(cmd);
  if (date !== undefined) {
    if (typeof date !== 'string' || !isIsoDate(date)) return `date ${String(date)} is not a calendar date (YYYY-MM-DD)`;
    const today = londonDate(nowMs);
    if (date > today) return `date ${date} is in the future (today is ${today})`;
    const earliest = earliestDate(s, cmd);
    if (date < earliest.date) return `date ${date} is before ${earliest.what} (${earliest.date})`;
  }
  return undefined;
}

/** Schedules the next regular review from `from`, if it falls before supervision ends. */
function scheduleReview(s: SentenceState, from: IsoDate): void {
  const policy = policyByVersion(s.policyVersion);
  const due = calendarOf(s).onOrNextBusinessDay(addDays(from, policy.reviewCycleWeeks * 7));
  const windowEnd = s.milestones.supervisionEndedOn ?? s.dates.supervisionEnd ?? s.dates.orderEnd;
  if (s.supervisionEnded || due > windowEnd) return;
  const n = s.reviewsCompleted + 1;
  s.deadlines.push(makeDeadline(`review-${n}`, 'review', `Review ${n} of the plan (${policy.reviewCycleWeeks}-week cycle)`, due));
}

/** Whether a command with this id was already applied (a retry): it must then be answered, not applied again. */
export function alreadyApplied(s: SentenceState, commandId: string | undefined): boolean {
  return commandId !== undefined && s.appliedCommandIds.includes(commandId);
}

function remember(s: SentenceState, commandId: string | undefined): void {
  if (commandId === undefined) return;
  s.appliedCommandIds.push(commandId);
  if (s.appliedCommandIds.length > APPLIED_COMMAND_IDS_KEPT) s.appliedCommandIds.splice(0, s.appliedCommandIds.length - APPLIED_COMMAND_IDS_KEPT);
}

/** Applies a command that rejectionReason accepted. Throws if it would not have been. */
export function applyCommand(state: SentenceState, cmd: Command, nowMs: number, commandId?: string): Transition {
  const reason = rejectionReason(state, cmd, nowMs);
  if (reason) throw new Error(reason);
  const s = clone(state);
  const before = statuses(s);
  remember(s, commandId);
  const effects: Effect[] = [];
  const policy = policyByVersion(s.policyVersion);
  const on = commandDate(cmd) ?? londonDate(nowMs);
  const deadline = (id: string) => s.deadlines.find((d) => d.id === id);
  switch (cmd.type) {
    case 'allocate':
      s.phase = 'allocated';
      s.offenderManagerId = cmd.offenderManagerId;
      s.ownership[s.ownership.length - 1]!.offenderManagerId = cmd.offenderManagerId;
      s.milestones.allocatedOn = on;
      log(s, nowMs, 'allocated', `allocated on ${on} to offender manager ${cmd.offenderManagerId}`);
      evidence(s, 3, { on, by: cmd.offenderManagerId, what: 'allocated to an offender manager' }, nowMs);
      break;
    case 'record-first-appointment': {
      s.phase = 'inducted';
      s.milestones.firstAppointmentOn = on;
      const fa = deadline('first-appointment');
      if (fa && open(fa)) meet(s, fa, on, nowMs);
      s.deadlines.push(
        makeDeadline(
          'plan',
          'plan',
          `Plan within ${policy.planBusinessDaysAfterFirstAppointment} business days of the first appointment`,
          calendarOf(s).addBusinessDays(on, policy.planBusinessDaysAfterFirstAppointment),
        ),
      );
      log(s, nowMs, 'first-appointment-held', `first appointment held on ${on}`);
      break;
    }
    case 'complete-plan': {
      s.phase = 'plan-agreed';
      s.milestones.planAgreedOn = on;
      const plan = deadline('plan');
      if (plan && open(plan)) meet(s, plan, on, nowMs);
      log(s, nowMs, 'plan-agreed', `plan completed on ${on}`);
      scheduleReview(s, on);
      evidence(s, 8, { on, by: s.offenderManagerId ?? 'unallocated', what: 'plan completed and recorded' }, nowMs);
      break;
    }
    case 'complete-review': {
      for (const d of s.deadlines) {
        if ((d.kind === 'review' || d.kind === 'significant-change-review') && open(d)) meet(s, d, on, nowMs);
      }
      s.reviewsCompleted += 1;
      s.milestones.lastReviewOn = on;
      s.phase = 'supervision';
      log(s, nowMs, 'review-completed', `review ${s.reviewsCompleted} completed on ${on}${cmd.objectivesMet ? ': sentence plan objectives met' : ''}`);
      if (cmd.objectivesMet) s.progress.objectivesMetOn = on;
      else delete s.progress.objectivesMetOn;
      evidence(s, 32, { on, by: s.offenderManagerId ?? 'unallocated', what: `review ${s.reviewsCompleted} of the plan` }, nowMs);
      scheduleReview(s, on);
      effects.push({ type: 'continue-as-new' });
      break;
    }
    case 'record-significant-change':
      significantChange(s, cmd.changeCode, on, nowMs);
      break;
    case 'terminate':
      terminate(s, cmd.reason, on, nowMs);
      break;
    case 'complete-end-of-sentence-review': {
      const r = deadline('end-of-sentence-review');
      if (r && open(r)) meet(s, r, on, nowMs);
      s.phase = 'closed';
      s.milestones.closedOn = on;
      log(s, nowMs, 'end-of-sentence-review-completed', `end-of-sentence review completed on ${on}`);
      evidence(s, 34, { on, by: s.offenderManagerId ?? 'unallocated', what: 'review of outcomes at the end of the sentence' }, nowMs);
      log(s, nowMs, 'closed', 'case closed');
      effects.push({ type: 'closed' });
      break;
    }
    case 'record-output-evidence': {
      const { row, part, by, what, reference, details } = cmd;
      evidence(s, row, { on, by, what, ...(part ? { part } : {}), ...(reference ? { reference } : {}), ...(details ? { details } : {}) }, nowMs);
      s.outputs = clearActionNeeded(s.outputs, row, part, londonDate(nowMs));
      log(s, nowMs, 'output-evidenced', `output ${row}${part ? ` (${part})` : ''} evidenced on ${on} by ${by}: ${what}`);
      break;
    }
    case 'record-output-not-possible':
      s.outputs = markNotPossible(s.outputs, cmd.row, { reason: cmd.reason, on, by: cmd.by }, londonDate(nowMs));
      log(s, nowMs, 'output-not-possible', `output ${cmd.row} not possible (${cmd.by}): ${cmd.reason}`);
      break;
    case 'change-circumstances': {
      s.offender = { ...s.offender, ...cmd.offender, communicationNeeds: { ...s.offender.communicationNeeds, ...cmd.offender?.communicationNeeds } };
      s.facts = { ...s.facts, ...cmd.facts };
      log(s, nowMs, 'circumstances-changed', `circumstances changed on ${on}: ${Object.keys({ ...cmd.offender, ...cmd.facts }).join(', ') || 'nothing'}`);
      reevaluate(s, on, nowMs);
      break;
    }
    case 'record-child-wellbeing-information':
      raise(s, { row: 23, recipient: 'csc', event: 'child-wellbeing-information', basis: cmd.categoryCode, raisedOn: on, raisedBy: cmd.by }, nowMs);
      log(s, nowMs, 'child-wellbeing-information', `new information (${cmd.categoryCode}) recorded by ${cmd.by}: Children's Social Care to be notified`);
      break;
    case 'record-appointment':
    case 'record-appointment-outcome':
    case 'record-enforcement-decision':
    case 'record-breach-action':
    case 'record-court-outcome':
      applyCompliance(s, cmd, on, nowMs);
      break;
    case 'record-further-offence':
      applyCompliance(s, cmd, on, nowMs);
      break;
    case 'refer-to-nps':
    case 'record-risk-information':
    case 'record-nps-decision':
      effects.push(...applyRisk(s, cmd, on, nowMs));
      break;
    case 'request-transfer':
    case 'decide-transfer':
    case 'respond-to-transfer':
      effects.push(...applyTransfer(s, cmd, on, nowMs));
      break;
    case 'request-court-report':
    case 'submit-court-report':
      effects.push(...applyCourtReport(s, cmd, on, nowMs, londonDate(nowMs)));
      break;
    case 'record-requirement-progress':
    case 'apply-for-early-revocation':
    case 'record-revocation-decision':
    case 'end-order-by-officer':
      effects.push(...applyProgress(s, cmd, on, nowMs));
      break;
  }
  effects.push(...syncLedger(s, nowMs, before));
  return { state: s, effects };
}

/** Rejections of the event-driven commands whose rules live in their own modules. */
function eventRejection(s: SentenceState, cmd: Command, nowMs: number): string | undefined {
  const today = londonDate(nowMs);
  switch (cmd.type) {
    case 'record-appointment':
    case 'record-appointment-outcome':
    case 'record-enforcement-decision':
    case 'record-breach-action':
    case 'record-court-outcome':
    case 'record-further-offence':
      return complianceRejection(s, cmd, nowMs);
    case 'refer-to-nps':
    case 'record-risk-information':
    case 'record-nps-decision':
      return riskRejection(s, cmd, today);
    case 'request-transfer':
    case 'decide-transfer':
    case 'respond-to-transfer':
      return transferRejection(s, cmd, today);
    case 'request-court-report':
    case 'submit-court-report':
      return courtReportRejection(s, cmd, today);
    case 'record-requirement-progress':
    case 'apply-for-early-revocation':
    case 'record-revocation-decision':
    case 'end-order-by-officer':
      return progressRejection(s, cmd, today);
    default:
      return undefined;
  }
}

/**
 * The sentence moves to a newer calendar version (at continue-as-new: the version is then recorded in the next run's
 * input). Dates already set keep the calendar they were computed with; business days computed from now on use the
 * new one. A version older than the one in use, or unknown, is refused.
 */
export function adoptCalendar(state: SentenceState, version: string, nowMs: number): SentenceState {
  if (version === state.calendarVersion) return state;
  const order = calendarVersions().map((v) => v.version);
  if (!order.includes(version)) throw new RangeError(`unknown calendar version ${version}`);
  if (order.indexOf(version) < order.indexOf(state.calendarVersion)) throw new RangeError(`calendar version ${version} is older than ${state.calendarVersion}`);
  const s = clone(state);
  s.calendarVersion = version;
  log(s, nowMs, 'calendar-adopted', `bank holidays from calendar ${version} (was ${state.calendarVersion}) for dates computed from now on`);
  return s;
}

/**
 * A command that arrived as a Signal and could not be applied: nothing is lost, the timeline keeps it and why. Its id
 * is not remembered (it was not applied), so the same key sent again, as a Signal or an Update, is judged afresh.
 */
export function rejectSignal(state: SentenceState, type: CommandType, reason: string, nowMs: number): Transition {
  const s = clone(state);
  log(s, nowMs, 'signal-rejected', `${type} not applied: ${reason}`);
  return { state: s, effects: [] };
}

// --- outputs ledger -------------------------------------------------------------------------------------------

function statuses(s: SentenceState): Map<number, string> {
  return new Map(s.outputs.map((e) => [e.row, e.status]));
}

/**
 * Brings the ledger's due dates and statuses up to `atMs`; outputs that became overdue since `before` are logged and
 * alerted. Row 32 (plans reviewed) is open while a review is awaited, or one was missed.
 */
function syncLedger(s: SentenceState, atMs: number, before: Map<number, string> = statuses(s)): Effect[] {
  const reviewOpen = s.deadlines.some(
    (d) => (d.kind === 'review' || d.kind === 'significant-change-review') && (d.status === 'pending' || d.status === 'overdue' || d.status === 'missed'),
  );
  const cycleStart = s.milestones.lastReviewOn ?? s.milestones.planAgreedOn ?? s.dates.sentenceDate;
  s.outputs = s.outputs.map((e) => {
    if (e.row !== 32) return e;
    if (reviewOpen) return { ...e, openSince: cycleStart };
    const { openSince: _closed, ...rest } = e;
    return rest;
  });
  refreshCourtReports(s, londonDate(atMs));
  checkEarlyRevocation(s, londonDate(atMs), atMs);
  s.outputs = refreshLedger(s.outputs, ledgerContext(s), londonDate(atMs), s.phase === 'closed');
  const newlyOverdue = s.outputs.filter((e) => e.status === 'overdue' && before.get(e.row) !== 'overdue');
  for (const e of newlyOverdue) {
    const at = e.dueDate ? Math.min(atMs, londonEndOfDay(e.dueDate)) : atMs;
    log(s, at, 'output-overdue', `output ${e.row} (${outputRow(e.row).summary}) due ${e.dueDate}, not evidenced`);
  }
  return newlyOverdue.length > 0 ? [{ type: 'alert-overdue-outputs', rows: newlyOverdue.map((e) => e.row), at: iso(atMs) }] : [];
}

/** System-delivered outputs whose moment has come and that are not yet delivered: the workflow delivers them. */
export function pendingDeliveries(s: SentenceState): Delivery[] {
  const moment: Record<number, boolean> = {
    1: true,
    2: true,
    35: s.phase === 'terminated' || s.phase === 'closed',
    36: s.phase === 'closed',
  };
  const out: Delivery[] = [];
  for (const n of s.notifications) if (!n.delivered && !n.failed) out.push({ row: n.row, notification: n.id });
  for (const e of s.outputs) {
    if (!e.applies || !moment[e.row]) continue;
    if (e.parts) {
      for (const p of e.parts) if (p.applies && p.evidence.length === 0 && !p.actionNeeded) out.push({ row: e.row, part: p.id });
    } else if (e.evidence.length === 0 && !e.notPossible && !e.actionNeeded) {
      out.push({ row: e.row });
    }
  }
  return out;
}

/** Records the delivery of a system output (the activity's result is its evidence). */
export function recordDelivery(state: SentenceState, d: Delivery, result: { reference: string; what: string }, nowMs: number): Transition {
  const s = clone(state);
  const before = statuses(s);
  const n = d.notification ? s.notifications.find((x) => x.id === d.notification) : undefined;
  if (n) n.delivered = { reference: result.reference, at: iso(nowMs) };
  // What was delivered is evidenced even if the row stopped applying while the delivery was under way: it happened,
  // and it counts again (no second delivery) should the row apply once more.
  s.outputs = addEvidence(s.outputs, d.row, { at: iso(nowMs), on: londonDate(nowMs), by: 'system', what: result.what, reference: result.reference, ...(d.part ? { part: d.part } : {}) }, londonDate(nowMs));
  if (n) s.outputs = settleEvent(s.outputs, d.row, oldestOpen(s, d.row), londonDate(nowMs), calendarOf(s));
  log(s, nowMs, 'output-delivered', `output ${d.row}${d.part ? ` (${d.part})` : ''}: ${result.what} [${result.reference}]`);
  return { state: s, effects: syncLedger(s, nowMs, before) };
}

/** A permanent delivery failure: the output needs a person's action; nothing is lost and the case carries on. */
export function recordDeliveryFailure(state: SentenceState, d: Delivery, reason: string, nowMs: number): Transition {
  const s = clone(state);
  const before = statuses(s);
  const n = d.notification ? s.notifications.find((x) => x.id === d.notification) : undefined;
  if (n) n.failed = reason;
  s.outputs = s.outputs.map((e) => {
    if (e.row !== d.row) return e;
    if (e.parts && d.part) return { ...e, parts: e.parts.map((p) => (p.id === d.part ? { ...p, actionNeeded: reason } : p)) };
    return { ...e, actionNeeded: reason };
  });
  if (n) s.outputs = settleEvent(s.outputs, d.row, oldestOpen(s, d.row), londonDate(nowMs), calendarOf(s));
  log(s, nowMs, 'output-not-delivered', `output ${d.row}${d.part ? ` (${d.part})` : ''} not delivered, action needed: ${reason}`);
  return { state: s, effects: syncLedger(s, nowMs, before) };
}

// --- time -----------------------------------------------------------------------------------------------------

type TimedEvent =
  | { kind: 'risk-review'; atMs: number; reviewId: string; label: string }
  | { kind: 'progress-check'; atMs: number; date: IsoDate; label: string }
  | { kind: 'deadline-expiry'; atMs: number; deadlineId: string; label: string }
  | { kind: 'output-expiry'; atMs: number; label: string }
  | { kind: 'supervision-end'; atMs: number; label: string }
  | { kind: 'order-end'; atMs: number; label: string };

const ORDER: Record<TimedEvent['kind'], number> = { 'progress-check': 0, 'risk-review': 0, 'deadline-expiry': 1, 'output-expiry': 2, 'supervision-end': 3, 'order-end': 4 };

function timedEvents(s: SentenceState): TimedEvent[] {
  const events: TimedEvent[] = [];
  for (const d of s.deadlines) {
    if (d.status === 'pending') {
      events.push({ kind: 'deadline-expiry', atMs: Date.parse(d.expiresAt), deadlineId: d.id, label: `${d.label}: due ${d.dueDate}` });
    }
  }
  for (const e of s.phase === 'closed' ? [] : s.outputs) {
    if (e.status === 'due' && e.dueDate) {
      events.push({ kind: 'output-expiry', atMs: londonEndOfDay(e.dueDate), label: `Output ${e.row} due ${e.dueDate}` });
    }
  }
  const live = s.phase !== 'terminated' && s.phase !== 'closed';
  if (live) {
    for (const r of dueRiskReviews(s)) events.push({ kind: 'risk-review', atMs: londonStartOfDay(r.on), reviewId: r.id, label: `Planned risk review on ${r.on}` });
    const checked = s.progress.checkedThrough ?? s.dates.sentenceDate;
    const check = progressWakeDates(s).filter((d) => d > checked && d <= s.dates.orderEnd).sort()[0];
    if (check) events.push({ kind: 'progress-check', atMs: londonStartOfDay(check), date: check, label: `Early revocation criteria checked on ${check}` });
  }
  if (live && s.dates.supervisionEnd && !s.supervisionEnded) {
    events.push({ kind: 'supervision-end', atMs: londonEndOfDay(s.dates.supervisionEnd), label: `Supervision period ends ${s.dates.supervisionEnd}` });
  }
  if (live) events.push({ kind: 'order-end', atMs: londonEndOfDay(s.dates.orderEnd), label: `Order ends ${s.dates.orderEnd}` });
  return events.sort((a, b) => a.atMs - b.atMs || ORDER[a.kind] - ORDER[b.kind]);
}

/** The next instant at which time alone changes the case, with a label for the timer. */
export function nextWakeUp(s: SentenceState): { atMs: number; label: string } | undefined {
  const next = timedEvents(s)[0];
  return next && { atMs: next.atMs, label: next.label };
}

/** Applies everything that time has brought about by `nowMs`, in the order it happened. */
export function advanceTime(state: SentenceState, nowMs: number): Transition {
  let s = state;
  const effects: Effect[] = [];
  for (;;) {
    const next = timedEvents(s)[0];
    if (!next || next.atMs > nowMs) break;
    if (s === state) s = clone(state);
    const at = next.atMs;
    const before = statuses(s);
    switch (next.kind) {
      case 'deadline-expiry': {
        const d = s.deadlines.find((x) => x.id === next.deadlineId)!;
        d.status = 'overdue';
        d.overdueSince = iso(at);
        log(s, at, 'deadline-overdue', `${d.label}: due ${d.dueDate}, not done`);
        // A transfer not accepted in time lapses (its own alert says so); anything else overdue is alerted.
        if (d.kind === 'transfer-acceptance') effects.push(...transferTimedOut(s, d, at));
        else effects.push({ type: 'alert-overdue', deadline: clone(d) });
        // A review cycle has passed even though no review was recorded: keep history short all the same.
        if (d.kind === 'review') effects.push({ type: 'continue-as-new' });
        break;
      }
      case 'risk-review':
        effects.push(...raiseRiskReview(s, next.reviewId, at));
        break;
      case 'supervision-end':
        endSupervision(s, s.dates.supervisionEnd!, 'the supervision period ran its course', at);
        break;
      case 'progress-check':
        s.progress.checkedThrough = next.date;
        break;
      case 'order-end':
        terminate(s, 'end-of-order', s.dates.orderEnd, at);
        break;
      case 'output-expiry':
        break;
    }
    effects.push(...syncLedger(s, at, before));
  }
  return { state: s, effects };
}

// --- views ----------------------------------------------------------------------------------------------------

export function isOverdue(s: SentenceState): boolean {
  return s.deadlines.some((d) => d.status === 'overdue');
}

/** The earliest due date among deadlines not yet met (overdue ones included). */
export function nextDeadline(s: SentenceState): Deadline | undefined {
  return s.deadlines.filter(open).sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0))[0];
}

/** What the case waits for now, in words: for operators (Temporal UI current details) and the API. */
export function waitingFor(s: SentenceState): string {
  const d = nextDeadline(s);
  const due = d ? `${d.label}, due ${d.dueDate}${d.status === 'overdue' ? ' (OVERDUE)' : ''}` : undefined;
  switch (s.phase) {
    case 'commenced':
      return `allocation to an offender manager; then ${due ?? 'the first appointment'}`;
    case 'closed':
      return 'nothing: the case is closed';
    default:
      return due ?? (s.phase === 'terminated' ? 'the end-of-sentence review' : `the end of the order on ${s.dates.orderEnd}`);
  }
}

export function currentDetails(s: SentenceState): string {
  const lines = [
    `**Phase:** ${s.phase}`,
    `**Waiting for:** ${waitingFor(s)}`,
    `**Held by:** ${s.provider.providerCode}/${s.provider.areaCode}, offender manager ${s.offenderManagerId ?? 'not allocated'}, court ${s.courtCode}`,
    `**Risk:** RoSH ${s.offender.roshLevel}${s.offender.mappa ? `, MAPPA category ${s.offender.mappa.category} level ${s.offender.mappa.level}` : ''}${s.risk.referrals.some((r) => !r.decision) ? ', NPS decision awaited' : ''}${s.risk.withNps ? ', held by the NPS' : ''}`,
    `**Overdue deadlines:** ${s.deadlines.filter((d) => d.status === 'overdue').map((d) => `${d.label} (due ${d.dueDate})`).join('; ') || 'none'}`,
  ];
  const transfer = s.transfers.find((t) => t.status === 'requested' || t.status === 'approved');
  if (transfer) lines.push(`**Transfer:** ${transfer.id} to ${transfer.to.providerCode}/${transfer.to.areaCode} ${transfer.status}${transfer.acceptanceDue ? `, acceptance due ${transfer.acceptanceDue}` : ''}`);
  if (s.termination) lines.push(`**Terminated:** ${s.termination.on} (${s.termination.reason})`);
  return lines.join('\n');
}

export function staticSummary(sentence: SentenceInput): string {
  const o = sentence.order;
  const length = o.type === 'CO' ? `to ${o.endDate}` : `${o.operationalPeriodMonths}m operational / ${o.supervisionPeriodMonths}m supervision`;
  return `${o.type} ${sentence.sentenceId} (${sentence.caseReference}), sentenced ${o.sentenceDate} ${length}, area ${sentence.provider.areaCode}`;
}
