// Appointments, failures to comply, enforcement decisions, breach action, further offences and the court's outcomes
// (specification rows 21 and 26; Sentencing Act 2020 Schedules 10 and 16). The rules of the law are in
// enforcement.ts; this module applies them to a SentenceState, like risk.ts, transfers.ts and the others.
import { notValidInPhase, type Refusal } from './refusals.ts';
import { defineCommand, OPEN_PHASES, SUPERVISED } from './command.ts';
import { addDays, isIsoDate, periodEnd, shiftMonths, type IsoDate } from './dates.ts';
import {
  ABSENCE_EVIDENCE_BUSINESS_DAYS,
  BREACH_ACTION_BUSINESS_DAYS,
  allowedDecisions,
  breachActionDue,
  warningContent,
  decisionsAllowedOn,
  compliancePosition,
  isUnacceptableFailure,
  recommendationsFor,
  type AppointmentOutcome,
  type BreachRecommendation,
  type EnforcementDecision,
} from './enforcement.ts';
import {
  clone,
  codeProblem,
  evidence,
  holdFirstAppointment,
  log,
  makeDeadline,
  meet,
  meetOpen,
  reevaluate,
  significantChange,
  terminate,
  underReview,
  calendarOf,
} from './kernel.ts';
import { openEvent, settleEvent } from './outputs/ledger.ts';
import { emptyProgress, loseCredit, restoreCredit } from './progress.ts';
import type { Requirement, RequirementType } from './sentence.ts';
import type { Appointment, CourtOutcome, Deadline, Failure, FailureSource, SentenceState } from './state.ts';
import { deadlineId } from './deadlines.ts';
import { rulesOf } from './rules.ts';

export const MAX_EXTENSION_MONTHS = 6;

/** Business days after an appointment by which its outcome must be recorded (local policy). */
export const OUTCOME_NEEDED_BUSINESS_DAYS = 2;

type FurtherOffence = { offenceId: string; offenceOn: IsoDate; convictedOn: IsoDate; by: string; on?: IsoDate };
type FailureReport = { failureId: string; source: FailureSource; occurredOn: IsoDate; reportedBy: string; on?: IsoDate };
type AppointmentBooking = { appointmentId: string; date: IsoDate; requirement?: RequirementType; induction?: boolean };
type AppointmentOutcomeRecord = {
  appointmentId: string;
  outcome: AppointmentOutcome;
  reason?: string;
  /** An acceptable absence's evidence, already given (rules 2): otherwise it is due (ABSENCE_EVIDENCE_BUSINESS_DAYS). */
  evidenceReference?: string;
  on?: IsoDate;
};
type EnforcementDecisionRecord = {
  appointmentId: string;
  /**
   * A warning, a referral, or (rules 2) the decision put off until the person has responded, by `responseDueOn`, and
   * then, where the response shows a reasonable excuse, `excuse-accepted` (no breach: Sch 10/16 para 6(1)).
   */
  decision: EnforcementDecision | 'pending-response' | 'excuse-accepted';
  responseDueOn?: IsoDate;
  /** A warning's circumstances (rules 2: Sch 10/16 para 6(4)(a)), in the officer's words; kept, never logged. */
  circumstances?: string;
  on?: IsoDate;
};
type AbsenceEvidence = { appointmentId: string; reference: string; by: string; on?: IsoDate };
type BreachAction = { appointmentId: string; on?: IsoDate; recommendation?: BreachRecommendation };
type CourtOutcomeRecord = {
  appointmentId: string;
  outcome: CourtOutcome;
  extendMonths?: number;
  reasonCode?: string;
  /** With 'requirements-amended': the order's requirements as the court amended them (the whole list). */
  requirements?: Requirement[];
  on?: IsoDate;
};

const appointmentOf = (s: SentenceState, a: object) =>
  'appointmentId' in a ? s.compliance.appointments.find((x) => x.id === (a as { appointmentId: unknown }).appointmentId) : undefined;
const failureOf = (s: SentenceState, a: object) =>
  'appointmentId' in a ? s.compliance.failures.find((f) => f.appointmentId === (a as { appointmentId: unknown }).appointmentId) : undefined;
/** Who the officer's own records are by: the offender manager holding the case. */
const officer = (s: SentenceState) => s.offenderManagerId ?? 'unallocated';

/**
 * Since rules 2 the induction (the first appointment) may be booked as an appointment, before allocation too: the
 * allocation service lists unallocated cases with their initial appointment booked (SL004); its outcome then holds
 * the first appointment when attended, and a failure to attend enters the enforcement path like any other.
 */
function inductionRejection(s: SentenceState, a: AppointmentBooking): string | Refusal | undefined {
  if (rulesOf(s) < 2) {
    if (s.phase === 'commenced') return notValidInPhase('record-appointment', s.phase, SUPERVISED);
    return a.induction ? 'an induction appointment is booked under rules 2 only' : undefined;
  }
  if (s.phase === 'commenced' && !a.induction) return 'before allocation only the induction (induction: true) is booked';
  if (a.induction && s.milestones.firstAppointmentOn) return `the first appointment was held on ${s.milestones.firstAppointmentOn}`;
  if (a.induction && s.compliance.appointments.some((x) => x.induction && !x.outcome))
    return 'an induction appointment is already booked and awaits its outcome';
  return undefined;
}

/** An appointment is booked (it may be ahead); its outcome is then due within the policy's business days. */
const recordAppointment = defineCommand<AppointmentBooking>()({
  phases: ['commenced', ...SUPERVISED],
  dateField: null, // an appointment may be booked ahead; its date is checked on its own
  reject: (s, a) => {
    const bad = codeProblem('appointmentId', a.appointmentId, 40) ?? inductionRejection(s, a);
    if (bad) return bad;
    if (appointmentOf(s, a)) return `appointment ${a.appointmentId} is already recorded`;
    if (failureOf(s, a)) return `${a.appointmentId} is already used for a further offence`;
    if (!isIsoDate(a.date)) return `date ${a.date} is not a calendar date (YYYY-MM-DD)`;
    if (a.date < s.dates.sentenceDate || a.date > s.dates.orderEnd)
      return `appointment date ${a.date} is outside the order (${s.dates.sentenceDate} to ${s.dates.orderEnd})`;
    return undefined;
  },
  apply: (s, a, { nowMs }) => {
    s.compliance.appointments.push({
      id: a.appointmentId,
      date: a.date,
      ...(a.requirement ? { requirement: a.requirement } : {}),
      ...(a.induction ? { induction: true } : {}),
    });
    s.deadlines.push(
      makeDeadline(
        deadlineId.appointmentOutcome(a.appointmentId),
        'appointment-outcome',
        `Outcome of appointment ${a.appointmentId} (${a.date}) within ${OUTCOME_NEEDED_BUSINESS_DAYS} business days`,
        calendarOf(s).addBusinessDays(a.date, OUTCOME_NEEDED_BUSINESS_DAYS),
      ),
    );
    log(
      s,
      nowMs,
      'appointment-booked',
      `${a.induction ? 'induction ' : ''}appointment ${a.appointmentId} on ${a.date}${a.requirement ? ` (${a.requirement})` : ''}`,
    );
  },
});

/** The outcomes an appointment may have before its day (rules 2): an absence agreed ahead, or a new date. */
const NOTICE_AHEAD: readonly AppointmentOutcome[] = ['acceptable-absence', 'rescheduled'];

/** The outcome of an appointment (row 21); an unacceptable failure awaits an enforcement decision (row 26). */
const recordAppointmentOutcome = defineCommand<AppointmentOutcomeRecord>()({
  phases: SUPERVISED,
  reject: (s, a, { today }) => {
    const appointment = appointmentOf(s, a);
    if (!appointment) return `no appointment ${a.appointmentId}`;
    if (appointment.outcome) return `appointment ${a.appointmentId} already has an outcome (${appointment.outcome})`;
    if (a.outcome === 'acceptable-absence' && !a.reason) return 'an acceptable absence needs its reason';
    if (a.evidenceReference !== undefined) {
      if (rulesOf(s) < 2) return 'evidenceReference is taken under rules 2 only';
      if (a.outcome !== 'acceptable-absence') return 'evidenceReference is the evidence of an acceptable absence';
    }
    // Since rules 2: nobody attends, or fails to, an appointment still to come; an absence agreed ahead and a
    // rescheduling are the only outcomes it can have before its day.
    const on = a.on ?? today;
    if (rulesOf(s) >= 2 && appointment.date > on && !NOTICE_AHEAD.includes(a.outcome))
      return `appointment ${a.appointmentId} is on ${appointment.date}, after ${on}: before its day it can only be rescheduled or an absence accepted`;
    return undefined;
  },
  apply: (s, cmd, { on, nowMs, today }) => {
    const c = s.compliance;
    const a = c.appointments.find((x) => x.id === cmd.appointmentId)!;
    a.outcome = cmd.outcome;
    a.outcomeRecordedOn = on;
    if (cmd.reason) a.reason = cmd.reason;
    meetOpen(s, deadlineId.appointmentOutcome(a.id), on, nowMs);
    log(s, nowMs, 'appointment-outcome', `appointment ${a.id} (${a.date}): ${cmd.outcome}${cmd.reason ? ` (${cmd.reason})` : ''}`);
    if (cmd.outcome === 'acceptable-absence' && rulesOf(s) >= 2) awaitAbsenceEvidence(s, a, cmd.evidenceReference, on);
    // An attended induction is the first appointment held (the case is inducted on its day).
    if (a.induction && cmd.outcome.startsWith('attended') && s.phase === 'allocated') holdFirstAppointment(s, a.date, nowMs);
    evidence(s, 21, { on, by: officer(s), what: `appointment ${a.id} outcome recorded`, details: { contactType: 'appointment' } }, nowMs);
    if (isUnacceptableFailure(cmd.outcome)) {
      if (a.requirement === 'unpaid-work') loseCredit(s, `unacceptable failure at unpaid work (appointment ${a.id})`, a.date, nowMs, a.id);
      enterEnforcement(s, { appointmentId: a.id, on: a.date, awareOn: on }, `unacceptable failure on ${a.date}`, nowMs, today);
    }
  },
});

/**
 * An acceptable absence is evidenced (rules 2): at once, when the evidence is in hand, or within
 * ABSENCE_EVIDENCE_BUSINESS_DAYS of the absence (or of its recording, when later), or it becomes unacceptable.
 */
function awaitAbsenceEvidence(s: SentenceState, a: Appointment, reference: string | undefined, on: IsoDate): void {
  const dueOn = calendarOf(s).addBusinessDays(a.date > on ? a.date : on, ABSENCE_EVIDENCE_BUSINESS_DAYS);
  if (reference !== undefined) {
    a.absenceEvidence = { dueOn, reference, receivedOn: on, by: officer(s) };
    return;
  }
  a.absenceEvidence = { dueOn };
  s.deadlines.push(
    makeDeadline(
      deadlineId.absenceEvidence(a.id),
      'absence-evidence',
      `Evidence of the acceptable absence at appointment ${a.id} (${a.date}) within ${ABSENCE_EVIDENCE_BUSINESS_DAYS} business days`,
      dueOn,
    ),
  );
}

/** The evidence of an acceptable absence, received (rules 2). */
const recordAbsenceEvidence = defineCommand<AbsenceEvidence>()({
  phases: SUPERVISED,
  reject: (s, a) => {
    if (rulesOf(s) < 2) return 'absence evidence is recorded under rules 2 only';
    const bad =
      codeProblem('by', a.by) ??
      (typeof a.reference === 'string' && a.reference.length >= 1 && a.reference.length <= 128
        ? undefined
        : 'reference is 1-128 characters');
    if (bad) return bad;
    const appointment = appointmentOf(s, a);
    if (!appointment) return `no appointment ${a.appointmentId}`;
    const e = appointment.absenceEvidence;
    if (e?.lapsedOn)
      return `the absence at appointment ${a.appointmentId} became unacceptable on ${e.lapsedOn}: its evidence was due by ${e.dueOn}`;
    if (!e || appointment.outcome !== 'acceptable-absence')
      return `appointment ${a.appointmentId} is not an acceptable absence awaiting evidence`;
    if (e.receivedOn) return `the evidence for appointment ${a.appointmentId} was received on ${e.receivedOn}`;
    return undefined;
  },
  apply: (s, a, { on, nowMs }) => {
    const appointment = appointmentOf(s, a)!;
    appointment.absenceEvidence = { ...appointment.absenceEvidence!, reference: a.reference, receivedOn: on, by: a.by };
    meetOpen(s, deadlineId.absenceEvidence(appointment.id), on, nowMs);
    log(
      s,
      nowMs,
      'absence-evidence-received',
      `evidence of the absence at appointment ${appointment.id} (${appointment.date}) received on ${on}`,
    );
  },
});

/**
 * An acceptable absence whose evidence did not come by its due date becomes unacceptable (rules 2): the officer is
 * taken to know it at the end of that day, and it enters the decision path like any other failure. Called when the
 * evidence deadline expires (lifecycle.ts advanceTime), after its alert.
 */
export function absenceUnevidenced(s: SentenceState, d: Deadline, atMs: number): void {
  const a = s.compliance.appointments.find((x) => d.id === deadlineId.absenceEvidence(x.id));
  d.status = 'missed';
  if (!a || a.outcome !== 'acceptable-absence' || !a.absenceEvidence) return;
  const lapsedOn = d.dueDate;
  a.outcome = 'unacceptable-absence';
  a.absenceEvidence = { ...a.absenceEvidence, lapsedOn };
  log(s, atMs, 'absence-unevidenced', `no evidence of the absence at appointment ${a.id} (${a.date}) by ${d.dueDate}: now unacceptable`);
  if (a.requirement === 'unpaid-work') loseCredit(s, `unevidenced absence at unpaid work (appointment ${a.id})`, a.date, atMs, a.id);
  enterEnforcement(s, { appointmentId: a.id, on: a.date, awareOn: lapsedOn }, `unacceptable absence on ${a.date}`, atMs, lapsedOn);
}

/**
 * A failure to comply enters the one decision path (row 26): it awaits the officer's decision (warning or referral),
 * which Schedule 10/16 para 6 limits. Since rules 2 what is allowed is judged when the officer forms the opinion (the
 * day the failure is known), not at the failure.
 */
function enterEnforcement(s: SentenceState, f: Failure, what: string, nowMs: number, today: IsoDate): void {
  const c = s.compliance;
  c.failures.push(f);
  s.outputs = openEvent(s.outputs, 26, f.awareOn, today, calendarOf(s));
  log(s, nowMs, 'failure-to-comply', `${what}: ${decisionsFor(s, f, f.awareOn).reason}`);
}

/**
 * What Schedule 10/16 para 6 allows for a failure: since rules 2 judged on the day of the decision (the officer's
 * opinion), counting every warning given in the 12 months before it; before, at the failure, from the warnings given by then.
 */
function decisionsFor(s: SentenceState, f: Failure, decidedOn: IsoDate): { allowed: EnforcementDecision[]; reason: string } {
  return rulesOf(s) >= 2
    ? decisionsAllowedOn(s.compliance.warnings, decidedOn, s.sentence.order.type)
    : allowedDecisions(
        s.compliance.warnings.filter((w) => w.givenOn <= f.on),
        f.on,
      );
}

/**
 * Failures reported by the system that knows (rules 2, issue 12): the monitoring provider (a curfew or monitoring
 * violation), a testing service (a drug or alcohol test failed or missed), the officer or a provider (leaving the
 * residence, removal from an unpaid work placement, a programme session missed). Each needs the requirement it breaks
 * in the order, and enters the same decision path as a missed appointment. It may come as a Signal.
 */
export const FAILURE_SOURCES: Record<FailureSource, { requirements: readonly RequirementType[]; what: string }> = {
  'curfew-violation': { requirements: ['curfew'], what: 'curfew violated' },
  'monitoring-violation': {
    requirements: ['electronic-monitoring', 'curfew', 'exclusion', 'alcohol-abstinence-monitoring'],
    what: 'electronic monitoring violation',
  },
  'drug-test-failed': { requirements: ['drug-rehabilitation'], what: 'drug test failed' },
  'drug-test-missed': { requirements: ['drug-rehabilitation'], what: 'drug test missed' },
  'alcohol-test-failed': { requirements: ['alcohol-abstinence-monitoring', 'alcohol-treatment'], what: 'alcohol test failed' },
  'residence-left': { requirements: ['residence'], what: 'left the residence' },
  'placement-removal': { requirements: ['unpaid-work'], what: 'removed from an unpaid work placement' },
  'programme-session-missed': { requirements: ['programme'], what: 'programme session missed' },
};

function failureReportRejection(s: SentenceState, a: FailureReport, today: IsoDate): string | undefined {
  if (rulesOf(s) < 2) return 'failures other than at appointments are recorded under rules 2 only';
  const bad = codeProblem('failureId', a.failureId, 40) ?? codeProblem('reportedBy', a.reportedBy);
  if (bad) return bad;
  const source = Object.hasOwn(FAILURE_SOURCES, a.source) ? FAILURE_SOURCES[a.source] : undefined;
  if (!source) return `source must be one of ${Object.keys(FAILURE_SOURCES).join(', ')}`;
  if (appointmentOf(s, { appointmentId: a.failureId }) || failureOf(s, { appointmentId: a.failureId }))
    return `${a.failureId} is already recorded`;
  if (!isIsoDate(a.occurredOn)) return `occurredOn ${String(a.occurredOn)} is not a calendar date (YYYY-MM-DD)`;
  if (a.occurredOn < s.dates.sentenceDate || a.occurredOn > s.dates.orderEnd)
    return `the failure (${a.occurredOn}) is outside the order (${s.dates.sentenceDate} to ${s.dates.orderEnd})`;
  if (a.occurredOn > (a.on ?? today)) return `the failure (${a.occurredOn}) has not happened yet`;
  if (!s.sentence.requirements.some((r) => source.requirements.includes(r.type)))
    return `${a.source} breaks a ${source.requirements.join(' or ')} requirement, and the order has none`;
  return undefined;
}

const recordFailureToComply = defineCommand<FailureReport>()({
  phases: SUPERVISED,
  signal: true,
  reject: (s, a, { today }) => failureReportRejection(s, a, today),
  apply: (s, a, { on, nowMs, today }) => {
    const source = FAILURE_SOURCES[a.source];
    if (a.source === 'placement-removal') loseCredit(s, 'removed from an unpaid work placement', a.occurredOn, nowMs, a.failureId);
    const f: Failure = { appointmentId: a.failureId, kind: 'requirement', source: a.source, on: a.occurredOn, awareOn: on };
    enterEnforcement(s, f, `${source.what} on ${a.occurredOn} (${a.failureId}, reported by ${a.reportedBy})`, nowMs, today);
  },
});

type WarningWithdrawal = { appointmentId: string; reasonCode: string; by: string; on?: IsoDate };
/** The warning given for a failure (warnings name their failure since rules 2). */
const warningFor = (s: SentenceState, failureId: string) => s.compliance.warnings.find((x) => x.failureId === failureId);

/**
 * A warning withdrawn (rules 2, issue 12): given in error, or the failure found acceptable after all. It stays on the
 * record, and no longer counts towards Sch 10/16 para 6(2) (a later failure may be warned again).
 */
const withdrawWarning = defineCommand<WarningWithdrawal>()({
  phases: SUPERVISED,
  reject: (s, a) => {
    if (rulesOf(s) < 2) return 'warnings are withdrawn under rules 2 only';
    const bad = codeProblem('reasonCode', a.reasonCode) ?? codeProblem('by', a.by);
    if (bad) return bad;
    const w = warningFor(s, a.appointmentId);
    if (!w) return `no warning was given for ${a.appointmentId}`;
    if (w.withdrawn) return `the warning for ${a.appointmentId} was withdrawn on ${w.withdrawn.on}`;
    return undefined;
  },
  apply: (s, a, { on, nowMs }) => {
    const w = warningFor(s, a.appointmentId)!;
    w.withdrawn = { on, reasonCode: a.reasonCode, by: a.by };
    log(s, nowMs, 'warning-withdrawn', `the warning of ${w.givenOn} for ${a.appointmentId} withdrawn on ${on} (${a.reasonCode})`);
  },
});

/**
 * Rules 2's own checks on a decision: what a pending response needs (a due date after the decision and no later than
 * the day breach action would be due, so that a referral can still be made in time), and a warning's circumstances.
 */
function decisionShapeRejection(s: SentenceState, f: Failure, a: EnforcementDecisionRecord, today: IsoDate): string | undefined {
  const on = a.on ?? today;
  if (rulesOf(s) < 2) {
    if (a.decision === 'excuse-accepted') return 'an excuse is accepted on a pending response, under rules 2 only';
    if (a.decision === 'pending-response' || a.responseDueOn !== undefined || a.circumstances !== undefined)
      return "a pending response, and a warning's circumstances, are recorded under rules 2 only";
    return undefined;
  }
  if (a.decision !== 'pending-response' && a.responseDueOn !== undefined) return 'responseDueOn goes with a pending-response decision';
  if (a.decision !== 'warning' && a.circumstances !== undefined) return 'circumstances go with a warning';
  if (
    a.decision === 'warning' &&
    (typeof a.circumstances !== 'string' || a.circumstances.trim().length === 0 || a.circumstances.length > 500)
  )
    return 'a warning describes the circumstances of the failure (Sentencing Act 2020 Sch 10/16 para 6(4)(a)): circumstances, 1-500 characters';
  if (a.decision === 'excuse-accepted')
    return f.pending ? undefined : "an excuse is accepted on the person's response: first put the decision off for it (pending-response)";
  if (a.decision !== 'pending-response') return undefined;
  if (f.pending) return `a response to ${f.appointmentId} is already awaited, due by ${f.pending.responseDueOn}`;
  if (typeof a.responseDueOn !== 'string' || !isIsoDate(a.responseDueOn)) return 'a pending response needs its responseDueOn (YYYY-MM-DD)';
  const latest = breachActionDue(calendarOf(s), f.awareOn);
  if (a.responseDueOn <= on || a.responseDueOn > latest)
    return `responseDueOn must fall after ${on} and no later than ${latest}, the day breach action would be due (${BREACH_ACTION_BUSINESS_DAYS} business days from ${f.awareOn})`;
  return undefined;
}

/**
 * After an unacceptable failure: a warning (Sch 10/16 para 6 decides whether one is allowed) or a referral to court;
 * since rules 2 the decision may first wait for the person's response.
 */
const recordEnforcementDecision = defineCommand<EnforcementDecisionRecord>()({
  phases: SUPERVISED,
  reject: (s, a, { today }) => {
    const failure = failureOf(s, a);
    if (!failure) return `appointment ${a.appointmentId} is not an unacceptable failure to comply`;
    if (failure.decision)
      return `a ${failure.decision.type} was already decided for appointment ${a.appointmentId} on ${failure.decision.on}`;
    if (a.decision !== 'pending-response' && a.decision !== 'excuse-accepted') {
      const allowed = decisionsFor(s, failure, a.on ?? today);
      if (!allowed.allowed.includes(a.decision))
        return { code: 'warning-not-allowed', reason: `a warning is not allowed: ${allowed.reason}` };
    }
    return decisionShapeRejection(s, failure, a, today);
  },
  apply: (s, a, { on, nowMs, today }) => {
    const f = s.compliance.failures.find((x) => x.appointmentId === a.appointmentId)!;
    if (a.decision === 'pending-response') return awaitResponse(s, f, a.responseDueOn!, on, nowMs);
    f.decision = { type: a.decision, on };
    meetOpen(s, deadlineId.enforcementResponse(f.appointmentId), on, nowMs);
    if (a.decision === 'excuse-accepted') return acceptExcuse(s, f, on, nowMs, today);
    if (a.decision === 'warning') {
      // Since rules 2 a warning names its failure, so that it can be withdrawn, and records what it said.
      s.compliance.warnings.push(
        rulesOf(s) >= 2
          ? { givenOn: on, failureId: f.appointmentId, content: warningContent(s.sentence.order.type, a.circumstances!, on) }
          : { givenOn: on },
      );
      log(s, nowMs, 'warning-given', `warning given on ${on} for the failure on ${f.on}`);
      evidence(s, 26, { on, by: officer(s), what: `warning for the failure on ${f.on}` }, nowMs);
      s.outputs = settleEvent(s.outputs, 26, oldestUndecided(s), today, calendarOf(s));
    } else {
      s.deadlines.push(
        makeDeadline(
          deadlineId.breachAction(f.appointmentId),
          'breach-action',
          `Breach action for the failure on ${f.on} within 10 business days`,
          breachActionDue(calendarOf(s), f.awareOn),
        ),
      );
      log(
        s,
        nowMs,
        'breach-referral',
        `referred to court on ${on} for the failure on ${f.on}; breach action due ${breachActionDue(calendarOf(s), f.awareOn)}`,
      );
    }
  },
});

/**
 * The person's response shows a reasonable excuse (rules 2): para 6 applies only to a failure "without reasonable
 * excuse" (Sentencing Act 2020 Sch 10 para 6(1), Sch 16 para 6(1)), so there is no breach to act on. The failure no
 * longer counts (the compliance position, the unpaid work credit it lost) and the enforcement output (row 26) is
 * settled by the decision.
 */
function acceptExcuse(s: SentenceState, f: Failure, on: IsoDate, nowMs: number, today: IsoDate): void {
  const a = s.compliance.appointments.find((x) => x.id === f.appointmentId);
  if (a && f.kind === undefined) a.excusedOn = on;
  restoreCredit(s, f.appointmentId, on, nowMs);
  log(s, nowMs, 'excuse-accepted', `a reasonable excuse for the failure on ${f.on} accepted on ${on}, on the person's response: no breach`);
  evidence(s, 26, { on, by: officer(s), what: `reasonable excuse accepted for the failure on ${f.on}` }, nowMs);
  s.outputs = settleEvent(s.outputs, 26, oldestUndecided(s), today, calendarOf(s));
}

/** The decision waits for the person's response (rules 2): a deadline for it, overdue (and alerted) when none comes. */
function awaitResponse(s: SentenceState, f: Failure, responseDueOn: IsoDate, on: IsoDate, nowMs: number): void {
  f.pending = { askedOn: on, responseDueOn };
  s.deadlines.push(
    makeDeadline(
      deadlineId.enforcementResponse(f.appointmentId),
      'enforcement-response',
      `Response to the failure on ${f.on}, then the enforcement decision, by ${responseDueOn}`,
      responseDueOn,
    ),
  );
  log(s, nowMs, 'decision-pending', `decision on the failure on ${f.on} pending the response due by ${responseDueOn}`);
}

/** Breach action taken on a referral (due within 10 business days of the officer becoming aware). */
const recordBreachAction = defineCommand<BreachAction>()({
  phases: OPEN_PHASES,
  reject: (s, a) => {
    const breach = s.deadlines.find((d) => d.id === deadlineId.breachAction(a.appointmentId));
    if (!breach) return `no breach referral for appointment ${a.appointmentId}`;
    if (breach.status === 'met' || breach.status === 'met-late')
      return `breach action for appointment ${a.appointmentId} is already recorded`;
    if (breach.status !== 'pending' && breach.status !== 'overdue')
      return `breach action for appointment ${a.appointmentId} is no longer awaited (${breach.status})`;
    const powers = recommendationsFor(s.sentence.order.type);
    if (a.recommendation !== undefined && !Object.hasOwn(powers, a.recommendation))
      return `a recommendation for a ${s.sentence.order.type} is one of: ${Object.keys(powers).join(', ')}`;
    return undefined;
  },
  apply: (s, a, { on, nowMs, today }) => {
    const d = s.deadlines.find((x) => x.id === deadlineId.breachAction(a.appointmentId))!;
    meet(s, d, on, nowMs);
    // The recommendation, when given, is kept with the failure: the breach report is made with it (kept with the case).
    const f = s.compliance.failures.find((x) => x.appointmentId === a.appointmentId);
    if (a.recommendation !== undefined && f) f.recommendation = { code: a.recommendation, on };
    const recommending = a.recommendation === undefined ? '' : `, recommending ${a.recommendation}`;
    log(s, nowMs, 'breach-actioned', `breach action taken on ${on} for appointment ${a.appointmentId}${recommending}`);
    evidence(s, 26, { on, by: officer(s), what: `breach action for appointment ${a.appointmentId}` }, nowMs);
    s.outputs = settleEvent(s.outputs, 26, oldestUndecided(s), today, calendarOf(s));
  },
});

function courtOutcomeRejection(s: SentenceState, a: CourtOutcomeRecord): string | undefined {
  const c = s.compliance;
  const breach = s.deadlines.find((d) => d.id === deadlineId.breachAction(a.appointmentId));
  if (!breach) return `no breach referral for appointment ${a.appointmentId}`;
  if (c.courtOutcomes.some((o) => o.appointmentId === a.appointmentId))
    return `the court's outcome for appointment ${a.appointmentId} is already recorded`;
  if (breach.status !== 'met' && breach.status !== 'met-late')
    return `breach action for appointment ${a.appointmentId} must be recorded before the court's outcome`;
  const type = s.sentence.order.type;
  if ((a.outcome === 'sso-activated' || a.outcome === 'sso-not-activated') && type !== 'SSO')
    return `${a.outcome} applies to a suspended sentence order only`;
  if ((a.outcome === 'order-extended' || a.outcome === 'revoked-and-resentenced') && type !== 'CO') {
    return `${a.outcome} applies to a community order only`;
  }
  if (a.outcome === 'sso-not-activated' && !a.reasonCode) return 'the court gives its reason for not activating the sentence (reasonCode)';
  if ((a.outcome === 'requirements-amended') !== (a.requirements !== undefined)) {
    return 'the amended requirements (requirements) go with the outcome requirements-amended, and only with it';
  }
  if (a.requirements && type === 'CO' && a.requirements.length === 0) return 'a community order keeps at least one requirement';
  // An amended requirement still ends within the order (CO) or the supervision period (SSO).
  const window = s.dates.supervisionEnd ?? s.dates.orderEnd;
  const tooLong = a.requirements?.find((r) => 'months' in r && periodEnd(s.dates.sentenceDate, r.months) > window);
  if (tooLong) return `the amended ${tooLong.type} requirement would run past ${window}`;
  if (a.outcome === 'order-extended') {
    if (!Number.isInteger(a.extendMonths) || a.extendMonths! < 1 || a.extendMonths! > MAX_EXTENSION_MONTHS) {
      return `an extension is 1 to ${MAX_EXTENSION_MONTHS} months`;
    }
    if (c.courtOutcomes.some((o) => o.outcome === 'order-extended')) return 'a community order may be extended only once';
  }
  return undefined;
}

/** What the court decided on a breach referral (Sch 10 paras 10-13 for a CO, Sch 16 paras 13-14 for an SSO). */
const recordCourtOutcome = defineCommand<CourtOutcomeRecord>()({
  phases: SUPERVISED,
  reject: (s, a) => courtOutcomeRejection(s, a),
  apply: (s, a, { on, nowMs }) => {
    s.compliance.courtOutcomes.push({
      appointmentId: a.appointmentId,
      outcome: a.outcome,
      on,
      ...(a.extendMonths ? { extendMonths: a.extendMonths } : {}),
      ...(a.reasonCode ? { reasonCode: a.reasonCode } : {}),
    });
    log(
      s,
      nowMs,
      'court-outcome',
      `court outcome on ${on} for the failure at appointment ${a.appointmentId}: ${a.outcome}${a.reasonCode ? ` (${a.reasonCode})` : ''}`,
    );
    if (a.outcome === 'order-extended') {
      const from = s.dates.orderEnd;
      s.dates = { ...s.dates, orderEnd: addDays(shiftMonths(addDays(from, 1), a.extendMonths!), -1) };
      log(s, nowMs, 'order-extended', `order extended by ${a.extendMonths} months: ends ${s.dates.orderEnd} (was ${from})`);
    } else if (a.outcome === 'requirements-amended') {
      amendRequirements(s, a.requirements!, on, nowMs);
    } else if (a.outcome === 'revoked-and-resentenced' || a.outcome === 'sso-activated') {
      terminate(s, a.outcome, on, nowMs);
    }
  },
});

/**
 * Schedule 16 Part 2: a conviction for an offence committed during the operational period brings the SSO back before
 * the court. It goes to court like a referral: the breach clock runs from the day the officer knew.
 */
const recordFurtherOffence = defineCommand<FurtherOffence>()({
  phases: SUPERVISED,
  reject: (s, a, { today }) => {
    if (s.sentence.order.type !== 'SSO') return 'a further offence is an event of a suspended sentence order (Schedule 16 Part 2)';
    const bad = codeProblem('offenceId', a.offenceId, 40);
    if (bad) return bad;
    if (s.compliance.failures.some((f) => f.appointmentId === a.offenceId) || appointmentOf(s, a))
      return `${a.offenceId} is already recorded`;
    if (!isIsoDate(a.offenceOn) || !isIsoDate(a.convictedOn)) return 'offenceOn and convictedOn are calendar dates (YYYY-MM-DD)';
    if (a.offenceOn < s.dates.sentenceDate || a.offenceOn > s.dates.orderEnd) {
      return `the offence (${a.offenceOn}) was not committed during the operational period (${s.dates.sentenceDate} to ${s.dates.orderEnd})`;
    }
    if (a.convictedOn < a.offenceOn) return `the conviction (${a.convictedOn}) cannot precede the offence (${a.offenceOn})`;
    if (a.convictedOn > today) return `the conviction (${a.convictedOn}) is in the future`;
    return undefined;
  },
  apply: (s, a, { on, nowMs, today }) => {
    s.compliance.failures.push({
      appointmentId: a.offenceId,
      kind: 'further-offence',
      on: a.offenceOn,
      awareOn: on,
      decision: { type: 'referral', on },
    });
    s.outputs = openEvent(s.outputs, 26, on, today, calendarOf(s));
    s.deadlines.push(
      makeDeadline(
        deadlineId.breachAction(a.offenceId),
        'breach-action',
        `Breach action for the further offence of ${a.offenceOn} within 10 business days`,
        breachActionDue(calendarOf(s), on),
      ),
    );
    log(
      s,
      nowMs,
      'further-offence',
      `further offence on ${a.offenceOn} (convicted ${a.convictedOn}) during the operational period; breach action due ${breachActionDue(calendarOf(s), on)}`,
    );
  },
});

export const COMPLIANCE_COMMANDS = {
  'record-appointment': recordAppointment,
  'record-appointment-outcome': recordAppointmentOutcome,
  'record-enforcement-decision': recordEnforcementDecision,
  'record-breach-action': recordBreachAction,
  'record-court-outcome': recordCourtOutcome,
  'record-further-offence': recordFurtherOffence,
  'record-failure-to-comply': recordFailureToComply,
  'withdraw-warning': withdrawWarning,
  'record-absence-evidence': recordAbsenceEvidence,
};

/**
 * The court amended the order's requirements (Sch 10 para 10 / Sch 16 para 14 on breach): the order runs on with the
 * new list. Progress carries over to the requirement of the same type (first come, first kept); outputs are re-evaluated
 * (a new rehabilitative requirement can bring Type C outputs); the amendment is a significant change for the plan.
 */
function amendRequirements(s: SentenceState, requirements: Requirement[], on: IsoDate, nowMs: number): void {
  const before = s.sentence.requirements;
  // Progress follows the requirement, not its place in the list: each new one takes the first unused old entry of its type.
  const unused = [...s.progress.entries];
  const kept = emptyProgress(requirements).entries.map((fresh) => {
    const i = unused.findIndex((old) => old.type === fresh.type);
    if (i < 0) return fresh;
    const [old] = unused.splice(i, 1);
    return { ...old!, index: fresh.index };
  });
  s.sentence = { ...s.sentence, requirements: clone(requirements) };
  // Without a DRR with court reviews, its progress reports are no longer due.
  if (!requirements.some((r) => r.type === 'drug-rehabilitation' && r.courtReviews)) {
    for (const r of s.courtReports.filter((x) => x.kind === 'drr-progress' && !x.submitted)) {
      const d = s.deadlines.find((x) => x.id === deadlineId.courtReport(r.id));
      if (d?.status === 'pending') d.status = 'cancelled';
    }
  }
  s.progress = { ...s.progress, entries: kept };
  log(
    s,
    nowMs,
    'requirements-amended',
    `requirements amended on ${on}: ${before.map((r) => r.type).join(', ') || 'none'} → ${requirements.map((r) => r.type).join(', ') || 'none'}`,
  );
  if (underReview(s)) significantChange(s, 'requirements-amended', on, nowMs);
  reevaluate(s, on, nowMs);
}

/** The awareness date of the oldest failure still awaiting enforcement (a decision, or breach action), if any. */
function oldestUndecided(s: SentenceState): IsoDate | undefined {
  const waiting = s.compliance.failures.filter((f) => {
    if (!f.decision) return true;
    if (f.decision.type !== 'referral') return false;
    const d = s.deadlines.find((x) => x.id === deadlineId.breachAction(f.appointmentId));
    return d !== undefined && (d.status === 'pending' || d.status === 'overdue');
  });
  return waiting.map((f) => f.awareOn).sort()[0];
}

/** The compliance position on a date: failures in the last 12 months, live warnings with expiry, breach in progress. */
export function compliance(s: SentenceState, today: IsoDate) {
  const position = compliancePosition(
    // A failure whose reasonable excuse was accepted (rules 2) is not counted.
    s.compliance.appointments.flatMap((a) => (a.outcome && !a.excusedOn ? [{ on: a.date, outcome: a.outcome }] : [])),
    s.compliance.warnings,
    today,
  );
  const breachInProgress = s.deadlines.filter((d) => d.kind === 'breach-action' && (d.status === 'pending' || d.status === 'overdue'));
  const undecided = s.compliance.failures.filter((f) => !f.decision);
  return {
    ...position,
    awaitingDecision: undecided.map((f) => f.appointmentId),
    // The enforcement prompt for each failure awaiting a decision: what the law allows now, and why.
    decisions: undecided.map((f) => ({ appointmentId: f.appointmentId, ...decisionsFor(s, f, today) })),
    ...(rulesOf(s) >= 2 && {
      awaitingResponse: undecided.flatMap((f) =>
        f.pending ? [{ failureId: f.appointmentId, responseDueOn: f.pending.responseDueOn }] : [],
      ),
      awaitingAbsenceEvidence: s.compliance.appointments.flatMap((a) =>
        a.absenceEvidence && !a.absenceEvidence.receivedOn && !a.absenceEvidence.lapsedOn
          ? [{ appointmentId: a.id, dueOn: a.absenceEvidence.dueOn }]
          : [],
      ),
    }),
    breachInProgress,
    referred: referralsOf(s),
  };
}

/**
 * Each failure referred to court (a breach action deadline was set for it): that deadline's status and, once recorded
 * with the breach action, the recommendation (the breach report, domain/breach-report.ts).
 */
export function referralsOf(s: Pick<SentenceState, 'compliance' | 'deadlines'>) {
  return s.compliance.failures.flatMap((f) => {
    const d = s.deadlines.find((x) => x.id === deadlineId.breachAction(f.appointmentId));
    return d ? [{ failureId: f.appointmentId, breachAction: d.status, ...(f.recommendation && { recommendation: f.recommendation }) }] : [];
  });
}
