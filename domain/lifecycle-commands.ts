// The lifecycle's own commands, allocation to closure (specification rows 3-8, 32 and 34), and the commands on the
// outputs ledger and the case's circumstances. Each is one spec (domain/command.ts); domain/commands.ts gathers them.
import { notValidInPhase, type Refusal } from './refusals.ts';
import { defineCommand, LIVE_PHASES, OPEN_PHASES } from './command.ts';
import { addDays, type IsoDate } from './dates.ts';
import { deadlineId } from './deadlines.ts';
import {
  calendarOf,
  holdFirstAppointment,
  codeProblem,
  evidence,
  log,
  makeDeadline,
  meet,
  open,
  raise,
  reevaluate,
  significantChange,
  terminate,
} from './kernel.ts';
import type { CaseFacts } from './outputs/applicability.ts';
import { outputRow } from './outputs/catalogue.ts';
import { clearActionNeeded, evidenceRejection, markNotPossible } from './outputs/ledger.ts';
import { policyByVersion } from './policy.ts';
import { deadlineServes, rulesOf } from './rules.ts';
import type { OffenderCharacteristics } from './sentence.ts';
import { COMMAND_TERMINATION_REASONS, PHASES, type SentenceState } from './state.ts';

/** Schedules the next regular review from `from`, if it falls before supervision ends. */
function scheduleReview(s: SentenceState, from: IsoDate): void {
  const policy = policyByVersion(s.policyVersion);
  const due = calendarOf(s).onOrNextBusinessDay(addDays(from, policy.reviewCycleWeeks * 7));
  const windowEnd = s.milestones.supervisionEndedOn ?? s.dates.supervisionEnd ?? s.dates.orderEnd;
  // Since rules 2 only where reviews of the plan apply to the case (row 32).
  if (s.supervisionEnded || due > windowEnd || !deadlineServes(s, 32)) return;
  const n = s.reviewsCompleted + 1;
  s.deadlines.push(makeDeadline(deadlineId.review(n), 'review', `Review ${n} of the plan (${policy.reviewCycleWeeks}-week cycle)`, due));
}

const deadline = (s: SentenceState, id: string) => s.deadlines.find((d) => d.id === id);
/** Reviews follow the last review, or the plan. */
const sinceLastReview = (s: SentenceState) =>
  s.milestones.lastReviewOn
    ? { date: s.milestones.lastReviewOn, what: 'the last review' }
    : { date: s.milestones.planAgreedOn ?? s.dates.sentenceDate, what: 'the plan' };
const duringSupervision = (s: SentenceState, type: string): Refusal | undefined =>
  s.supervisionEnded
    ? { code: 'supervision-ended', reason: `${type} is not valid after the supervision period ended on ${s.milestones.supervisionEndedOn}` }
    : undefined;

/** Allocation to an offender manager (row 3). */
const allocate = defineCommand<{ offenderManagerId: string; allocatedOn?: IsoDate }>()({
  phases: ['commenced'],
  dateField: 'allocatedOn',
  reject: (_s, a) => codeProblem('offenderManagerId', a.offenderManagerId),
  apply: (s, a, { on, nowMs }) => {
    s.phase = 'allocated';
    s.offenderManagerId = a.offenderManagerId;
    s.ownership[s.ownership.length - 1]!.offenderManagerId = a.offenderManagerId;
    s.milestones.allocatedOn = on;
    log(s, nowMs, 'allocated', `allocated on ${on} to offender manager ${a.offenderManagerId}`);
    evidence(s, 3, { on, by: a.offenderManagerId, what: 'allocated to an offender manager' }, nowMs);
  },
});

/** The first appointment was held: the plan falls due. */
const recordFirstAppointment = defineCommand<{ heldOn?: IsoDate }>()({
  phases: ['allocated'],
  dateField: 'heldOn',
  apply: (s, _a, { on, nowMs }) => holdFirstAppointment(s, on, nowMs),
});

/** The sentence plan is agreed (row 8): the first review is scheduled. */
const completePlan = defineCommand<{ completedOn?: IsoDate }>()({
  phases: ['inducted'],
  dateField: 'completedOn',
  earliest: (s) => ({ date: s.milestones.firstAppointmentOn ?? s.dates.sentenceDate, what: 'the first appointment' }),
  apply: (s, _a, { on, nowMs }) => {
    s.phase = 'plan-agreed';
    s.milestones.planAgreedOn = on;
    const plan = deadline(s, deadlineId.plan());
    if (plan && open(plan)) meet(s, plan, on, nowMs);
    log(s, nowMs, 'plan-agreed', `plan completed on ${on}`);
    scheduleReview(s, on);
    evidence(s, 8, { on, by: s.offenderManagerId ?? 'unallocated', what: 'plan completed and recorded' }, nowMs);
  },
});

/** A review of the plan (row 32): every open review is met, the next is scheduled, and the run may continue as new. */
const completeReview = defineCommand<{ completedOn?: IsoDate; objectivesMet?: boolean }>()({
  phases: ['plan-agreed', 'supervision'],
  dateField: 'completedOn',
  earliest: sinceLastReview,
  reject: (s) => duringSupervision(s, 'complete-review'),
  apply: (s, a, { on, nowMs }) => {
    for (const d of s.deadlines) {
      if ((d.kind === 'review' || d.kind === 'significant-change-review') && open(d)) meet(s, d, on, nowMs);
    }
    s.reviewsCompleted += 1;
    s.milestones.lastReviewOn = on;
    s.phase = 'supervision';
    log(
      s,
      nowMs,
      'review-completed',
      `review ${s.reviewsCompleted} completed on ${on}${a.objectivesMet ? ': sentence plan objectives met' : ''}`,
    );
    if (a.objectivesMet) s.progress.objectivesMetOn = on;
    else delete s.progress.objectivesMetOn;
    evidence(s, 32, { on, by: s.offenderManagerId ?? 'unallocated', what: `review ${s.reviewsCompleted} of the plan` }, nowMs);
    scheduleReview(s, on);
    return [{ type: 'continue-as-new' }];
  },
});

/** A significant change: a review falls due within the policy's business days. */
const recordSignificantChange = defineCommand<{ changeCode: string; occurredOn?: IsoDate }>()({
  phases: ['plan-agreed', 'supervision'],
  dateField: 'occurredOn',
  earliest: sinceLastReview,
  reject: (s) => duringSupervision(s, 'record-significant-change'),
  apply: (s, a, { on, nowMs }) => significantChange(s, a.changeCode, on, nowMs),
});

/**
 * Since rules 2 an order ends early only by a route the law gives, each with its own conditions: the court's
 * revocation (recorded here as `revoked`, or through the early-revocation decision, Sch 10 para 14 / Sch 16 para 22),
 * the court's outcome on breach (record-court-outcome), or the responsible officer under the Sentencing Act 2026 ss.38-39
 * (end-order-by-officer: Sch 10 para 15A / Sch 16 para 22A). A bare "early termination" is none of them (issue 12).
 */
const EARLY_TERMINATION_REFUSED =
  'an order ends early only by the court (its revocation: reason revoked, or the early-revocation decision, Sentencing Act 2020 Sch 10 para 14 / Sch 16 para 22; ' +
  'its outcome on breach: record-court-outcome) or by the responsible officer under the Sentencing Act 2026 ss.38-39 ' +
  '(end-order-by-officer, which checks Sch 10 para 15A / Sch 16 para 22A): "early-termination" is none of them';

/** The officer's record that the order ended (revoked, or terminated early); the end-of-sentence review falls due. */
const terminateOrder = defineCommand<{ reason: (typeof COMMAND_TERMINATION_REASONS)[number]; terminatedOn?: IsoDate }>()({
  phases: LIVE_PHASES,
  dateField: 'terminatedOn',
  reject: (s, a): Refusal | undefined =>
    a.reason === 'early-termination' && rulesOf(s) >= 2
      ? { code: 'termination-route-not-lawful', reason: EARLY_TERMINATION_REFUSED }
      : undefined,
  apply: (s, a, { on, nowMs }) => terminate(s, a.reason, on, nowMs),
});

/**
 * An SSO's end-of-sentence review due at the end of its supervision period, not yet done: it exists only where
 * involvement ended then (rules 2, kernel.ts endsInvolvement), and termination closes it.
 */
const openSupervisionReview = (s: SentenceState) => {
  const r = deadline(s, deadlineId.endOfSupervisionReview());
  return r && open(r) ? r : undefined;
};

/**
 * The end-of-sentence review (row 34). After termination the case closes. Since rules 2 an SSO whose supervision period
 * ended before its operational period is reviewed then (kernel.ts endsInvolvement): the review is recorded and the case
 * stays open, with nothing due, until the operational period ends, when it closes.
 */
const completeEndOfSentenceReview = defineCommand<{ completedOn?: IsoDate }>()({
  phases: PHASES,
  dateField: 'completedOn',
  earliest: (s) =>
    openSupervisionReview(s)
      ? { date: s.milestones.supervisionEndedOn ?? s.dates.sentenceDate, what: 'the end of the supervision period' }
      : { date: s.termination?.on ?? s.dates.sentenceDate, what: 'termination' },
  // The phase rule as it was (terminated only), with the one exception above.
  reject: (s) =>
    s.phase === 'terminated' || openSupervisionReview(s)
      ? undefined
      : notValidInPhase('complete-end-of-sentence-review', s.phase, ['terminated']),
  apply: (s, _a, { on, nowMs }) => {
    const by = s.offenderManagerId ?? 'unallocated';
    const supervisionReview = openSupervisionReview(s);
    if (supervisionReview) {
      meet(s, supervisionReview, on, nowMs);
      const why = `statutory involvement ended with the supervision period on ${s.milestones.supervisionEndedOn}`;
      log(
        s,
        nowMs,
        'end-of-sentence-review-completed',
        `end-of-sentence review completed on ${on}: ${why}; the case closes when the operational period ends on ${s.dates.orderEnd}`,
      );
      evidence(s, 34, { on, by, what: 'review of outcomes at the end of the supervision period' }, nowMs);
      return;
    }
    const r = deadline(s, deadlineId.endOfSentenceReview());
    if (r && open(r)) meet(s, r, on, nowMs);
    s.phase = 'closed';
    s.milestones.closedOn = on;
    log(s, nowMs, 'end-of-sentence-review-completed', `end-of-sentence review completed on ${on}`);
    evidence(s, 34, { on, by, what: 'review of outcomes at the end of the sentence' }, nowMs);
    log(s, nowMs, 'closed', 'case closed');
    return [{ type: 'closed' }];
  },
});

type OutputEvidence = {
  row: number;
  part?: string;
  on?: IsoDate;
  by: string;
  what: string;
  reference?: string;
  details?: Record<string, string | boolean>;
};

/** Evidence for a manager-delivered output. */
const recordOutputEvidence = defineCommand<OutputEvidence>()({
  phases: OPEN_PHASES,
  reject: (s, a) => evidenceRejection(s.outputs, a),
  apply: (s, a, { on, nowMs, today }) => {
    const { row, part, by, what, reference, details } = a;
    evidence(
      s,
      row,
      { on, by, what, ...(part ? { part } : {}), ...(reference ? { reference } : {}), ...(details ? { details } : {}) },
      nowMs,
    );
    s.outputs = clearActionNeeded(s.outputs, row, part, today);
    log(s, nowMs, 'output-evidenced', `output ${row}${part ? ` (${part})` : ''} evidenced on ${on} by ${by}: ${what}`);
  },
});

/** An output that cannot be delivered, with the reason. */
const recordOutputNotPossible = defineCommand<{ row: number; reason: string; by: string; on?: IsoDate }>()({
  phases: OPEN_PHASES,
  reject: (s, a) => {
    const entry = s.outputs.find((e) => e.row === a.row);
    if (!entry) return `no output row ${a.row}`;
    if (outputRow(a.row).delivery === 'system') return `output ${a.row} is delivered by the system`;
    if (!entry.applies) return `output ${a.row} does not apply to this case: ${entry.reason}`;
    if (entry.status === 'done' || entry.status === 'late') return `output ${a.row} is already evidenced`;
    return undefined;
  },
  apply: (s, a, { nowMs, today, on }) => {
    s.outputs = markNotPossible(s.outputs, a.row, { reason: a.reason, on, by: a.by }, today);
    log(s, nowMs, 'output-not-possible', `output ${a.row} not possible (${a.by}): ${a.reason}`);
  },
});

/** Changed characteristics or facts: which outputs apply is re-evaluated from the date of the change. */
const changeCircumstances = defineCommand<{ offender?: Partial<OffenderCharacteristics>; facts?: CaseFacts; on?: IsoDate }>()({
  phases: LIVE_PHASES,
  apply: (s, a, { on, nowMs }) => {
    s.offender = {
      ...s.offender,
      ...a.offender,
      communicationNeeds: { ...s.offender.communicationNeeds, ...a.offender?.communicationNeeds },
    };
    s.facts = { ...s.facts, ...a.facts };
    log(
      s,
      nowMs,
      'circumstances-changed',
      `circumstances changed on ${on}: ${Object.keys({ ...a.offender, ...a.facts }).join(', ') || 'nothing'}`,
    );
    reevaluate(s, on, nowMs);
  },
});

/** New information that a child's wellbeing may be at risk: Children's Social Care is notified (row 23). */
const recordChildWellbeingInformation = defineCommand<{ categoryCode: string; by: string; on?: IsoDate }>()({
  phases: LIVE_PHASES,
  reject: (s) => {
    const row23 = s.outputs.find((e) => e.row === 23);
    if (!row23?.applies) return `output 23 does not apply to this case: ${row23?.reason ?? 'unknown'}`;
    return undefined;
  },
  apply: (s, a, { on, nowMs }) => {
    raise(
      s,
      { row: 23, recipient: 'csc', event: 'child-wellbeing-information', basis: a.categoryCode, raisedOn: on, raisedBy: a.by },
      nowMs,
    );
    log(
      s,
      nowMs,
      'child-wellbeing-information',
      `new information (${a.categoryCode}) recorded by ${a.by}: Children's Social Care to be notified`,
    );
  },
});

export const LIFECYCLE_COMMANDS = {
  allocate,
  'record-first-appointment': recordFirstAppointment,
  'complete-plan': completePlan,
  'complete-review': completeReview,
  'record-significant-change': recordSignificantChange,
  terminate: terminateOrder,
  'complete-end-of-sentence-review': completeEndOfSentenceReview,
  'record-output-evidence': recordOutputEvidence,
  'record-output-not-possible': recordOutputNotPossible,
  'change-circumstances': changeCircumstances,
  'record-child-wellbeing-information': recordChildWellbeingInformation,
};
