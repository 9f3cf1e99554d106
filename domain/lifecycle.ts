// The sentence lifecycle as pure rules: commencement, the carried state, deliveries, the passage of time, views. The workflow holds a
// SentenceState, asks these functions what a command or an instant does to it, and performs the side effects they
// name. State is JSON-plain (ISO strings, arrays) so it survives continue-as-new and history serialisation. Commands
// are defined one spec each in their modules (domain/command.ts) and dispatched by domain/commands.ts.
import { calendarFor, calendarVersions, currentCalendarVersion, FIRST_CALENDAR_VERSION } from './calendar/index.ts';
import { CURRENT_RULES, FIRST_RULES, isKnownRulesVersion, rulesOf } from './rules.ts';
import { scheduleDrrReports } from './court-reports.ts';
import { deadlineId } from './deadlines.ts';
import { londonDate, londonEndOfDay, londonStartOfDay, periodEnd, type IsoDate } from './dates.ts';
import {
  applicabilityInput,
  calendarOf,
  clone,
  copyForChange,
  endSupervision,
  endsInvolvement,
  iso,
  ledgerContext,
  log,
  makeDeadline,
  oldestOpen,
  open,
} from './kernel.ts';
import { lawForSentence } from './law.ts';
import { addEvidence, evaluateLedger, overdueOutputs, settleEvent } from './outputs/ledger.ts';
import { policyByVersion, timescalesFor } from './policy.ts';
import { emptyProgress, orderEndReached, progressWakeDates } from './progress.ts';
import { dueRiskReviews, emptyRisk, raiseRiskReview } from './risk.ts';
import type { SentenceInput } from './sentence.ts';
import { SCHEMA_VERSION } from './state.ts';
import type { Deadline, Delivery, Effect, RiskState, SentenceState, Transition } from './state.ts';
import { statuses, syncLedger } from './sync.ts';
import { transferTimedOut } from './transfers.ts';

export {
  APPLIED_COMMAND_IDS_KEPT,
  COMMAND_TERMINATION_REASONS,
  COURT_OUTCOMES,
  PHASES,
  SCHEMA_VERSION,
  TERMINATION_REASONS,
} from './state.ts';
export type {
  Appointment,
  Compliance,
  CourtOutcome,
  Deadline,
  DeadlineKind,
  DeadlineStatus,
  Delivery,
  Effect,
  Failure,
  Notification,
  Ownership,
  Phase,
  SentenceState,
  TerminationReason,
  TimelineEntry,
  Transition,
} from './state.ts';
export { compliance, MAX_EXTENSION_MONTHS, OUTCOME_NEEDED_BUSINESS_DAYS } from './compliance.ts';
import { absenceUnevidenced } from './compliance.ts';
export { alreadyApplied, applyCommand, COMMAND_TYPES, refusalOf, rejectionReason, rejectSignal, SIGNAL_COMMAND_TYPES } from './commands.ts';
export type { Command, CommandArgs, CommandType, SignalCommandType } from './commands.ts';

/** The dates an order runs between. SSO: the supervision period ends first; the operational period ends the order. */
export function orderDates(sentence: SentenceInput): SentenceState['dates'] {
  const o = sentence.order;
  if (o.type === 'CO') return { sentenceDate: o.sentenceDate, orderEnd: o.endDate };
  return {
    sentenceDate: o.sentenceDate,
    // An SSO without community requirements has no supervision period (s.286(2)): only its operational period.
    ...(o.supervisionPeriodMonths !== undefined ? { supervisionEnd: periodEnd(o.sentenceDate, o.supervisionPeriodMonths) } : {}),
    orderEnd: periodEnd(o.sentenceDate, o.operationalPeriodMonths),
  };
}

/**
 * A new sentence's state. `calendarVersion` is the calendar its workflow was started with (recorded in its input, so a
 * later refresh of the bank holidays cannot change it on replay), `rules` the version of the rules (domain/rules.ts,
 * recorded the same way); new sentences take the newest of each.
 */
export function commence(
  sentence: SentenceInput,
  inputHash: string,
  nowMs: number,
  calendarVersion = currentCalendarVersion(),
  rules: number = CURRENT_RULES,
): SentenceState {
  const policy = timescalesFor(sentence.order.sentenceDate);
  const dates = orderDates(sentence);
  const s: SentenceState = {
    schemaVersion: SCHEMA_VERSION,
    sentence: clone(sentence),
    inputHash,
    policyVersion: policy.version,
    calendarVersion,
    ...(rules !== FIRST_RULES && { rules }),
    dates,
    phase: 'commenced',
    milestones: {},
    reviewsCompleted: 0,
    significantChanges: 0,
    supervisionEnded: false,
    deadlines: [
      makeDeadline(
        deadlineId.firstAppointment(),
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
      ownership: s.ownership ?? [
        {
          ...s.sentence.provider,
          ...(s.offenderManagerId ? { offenderManagerId: s.offenderManagerId } : {}),
          from: s.dates.sentenceDate,
          reason: 'commencement',
        },
      ],
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

/**
 * The sentence moves to a newer calendar version (at continue-as-new: the version is then recorded in the next run's
 * input). Dates already set keep the calendar they were computed with; business days computed from now on use the
 * new one. A version older than the one in use, or unknown, is refused.
 */
export function adoptCalendar(state: SentenceState, version: string, nowMs: number): SentenceState {
  if (version === state.calendarVersion) return state;
  const order = calendarVersions().map((v) => v.version);
  if (!order.includes(version)) throw new RangeError(`unknown calendar version ${version}`);
  if (order.indexOf(version) < order.indexOf(state.calendarVersion))
    throw new RangeError(`calendar version ${version} is older than ${state.calendarVersion}`);
  const s = copyForChange(state);
  s.calendarVersion = version;
  log(s, nowMs, 'calendar-adopted', `bank holidays from calendar ${version} (was ${state.calendarVersion}) for dates computed from now on`);
  return s;
}

/** The sentence moves to a newer version of the rules (at continue-as-new); an older or unknown version is refused. */
export function adoptRules(state: SentenceState, version: number, nowMs: number): SentenceState {
  if (version === rulesOf(state)) return state;
  if (!isKnownRulesVersion(version)) throw new RangeError(`unknown rules version ${version}`);
  if (version < rulesOf(state)) throw new RangeError(`rules version ${version} is older than ${rulesOf(state)}`);
  const s = copyForChange(state);
  s.rules = version;
  log(s, nowMs, 'rules-adopted', `rules version ${version} (was ${rulesOf(state)}) for decisions from now on`);
  return s;
}

/** System-delivered outputs whose moment has come and that are not yet delivered: the workflow delivers them. */
export function pendingDeliveries(s: SentenceState): Delivery[] {
  const moment: Record<number, boolean> = {
    1: true,
    2: true,
    // Since rules 2 an SSO's statutory involvement ends with its supervision period, when that ends first (endsInvolvement).
    35: s.phase === 'terminated' || s.phase === 'closed' || endsInvolvement(s),
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
  const s = copyForChange(state);
  const before = statuses(s);
  const n = d.notification ? s.notifications.find((x) => x.id === d.notification) : undefined;
  if (n) n.delivered = { reference: result.reference, at: iso(nowMs) };
  // What was delivered is evidenced even if the row stopped applying while the delivery was under way: it happened,
  // and it counts again (no second delivery) should the row apply once more.
  s.outputs = addEvidence(
    s.outputs,
    d.row,
    {
      at: iso(nowMs),
      on: londonDate(nowMs),
      by: 'system',
      what: result.what,
      reference: result.reference,
      ...(d.part ? { part: d.part } : {}),
    },
    londonDate(nowMs),
  );
  if (n) s.outputs = settleEvent(s.outputs, d.row, oldestOpen(s, d.row), londonDate(nowMs), calendarOf(s));
  log(s, nowMs, 'output-delivered', `output ${d.row}${d.part ? ` (${d.part})` : ''}: ${result.what} [${result.reference}]`);
  return { state: s, effects: syncLedger(s, nowMs, before) };
}

/** A permanent delivery failure: the output needs a person's action; nothing is lost and the case carries on. */
export function recordDeliveryFailure(state: SentenceState, d: Delivery, reason: string, nowMs: number): Transition {
  const s = copyForChange(state);
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

const ORDER: Record<TimedEvent['kind'], number> = {
  'progress-check': 0,
  'risk-review': 0,
  'deadline-expiry': 1,
  'output-expiry': 2,
  'supervision-end': 3,
  'order-end': 4,
};

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
    for (const r of dueRiskReviews(s))
      events.push({ kind: 'risk-review', atMs: londonStartOfDay(r.on), reviewId: r.id, label: `Planned risk review on ${r.on}` });
    const checked = s.progress.checkedThrough ?? s.dates.sentenceDate;
    const check = progressWakeDates(s)
      .filter((d) => d > checked && d <= s.dates.orderEnd)
      .sort()[0];
    if (check)
      events.push({
        kind: 'progress-check',
        atMs: londonStartOfDay(check),
        date: check,
        label: `Early revocation criteria checked on ${check}`,
      });
  }
  if (live && s.dates.supervisionEnd && !s.supervisionEnded) {
    events.push({
      kind: 'supervision-end',
      atMs: londonEndOfDay(s.dates.supervisionEnd),
      label: `Supervision period ends ${s.dates.supervisionEnd}`,
    });
  }
  if (live && !s.unpaidWorkBeyondEnd)
    events.push({ kind: 'order-end', atMs: londonEndOfDay(s.dates.orderEnd), label: `Order ends ${s.dates.orderEnd}` });
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
    if (s === state) s = copyForChange(state);
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
        // An acceptable absence not evidenced in time becomes unacceptable (rules 2; only rules 2 makes the deadline).
        if (d.kind === 'absence-evidence') absenceUnevidenced(s, d, at);
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
      case 'order-end': {
        const outstanding = orderEndReached(s, at);
        if (outstanding) effects.push({ type: 'alert-overdue', deadline: clone(outstanding) });
        break;
      }
      case 'output-expiry':
        break;
    }
    effects.push(...syncLedger(s, at, before));
  }
  return { state: s, effects };
}

// --- views ----------------------------------------------------------------------------------------------------

/**
 * Whether the case is late: a deadline overdue, or (since rules 2, issue 12) an output overdue, so that a case whose
 * outputs are late is not shown as on time in the view, the list and the `Overdue` search attribute.
 */
export function isOverdue(s: SentenceState): boolean {
  return s.deadlines.some((d) => d.status === 'overdue') || (rulesOf(s) >= 2 && overdueOutputs(s.outputs) > 0);
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
      if (s.unpaidWorkBeyondEnd && s.phase !== 'terminated')
        return `unpaid work outstanding since the end date ${s.unpaidWorkBeyondEnd.since}: the order stays in force until it is worked or revoked`;
      return due ?? (s.phase === 'terminated' ? 'the end-of-sentence review' : `the end of the order on ${s.dates.orderEnd}`);
  }
}

/** The case in brief (the compact state query): what it waits for and what is late, without its records. */
export function caseSummary(s: SentenceState) {
  const next = nextDeadline(s);
  return {
    sentenceId: s.sentence.sentenceId,
    phase: s.phase,
    waitingFor: waitingFor(s),
    nextDeadline: next ? { id: next.id, label: next.label, dueDate: next.dueDate, status: next.status } : null,
    overdueDeadlines: s.deadlines.filter((d) => d.status === 'overdue').length,
    overdueOutputs: overdueOutputs(s.outputs),
    owner: { ...s.provider, offenderManagerId: s.offenderManagerId ?? null },
    dates: s.dates,
    termination: s.termination ?? null,
    signalsRejected: s.signalsRejected?.count ?? 0,
    runs: s.runs,
  };
}
export type CaseSummary = ReturnType<typeof caseSummary>;

export function currentDetails(s: SentenceState): string {
  const lines = [
    `**Phase:** ${s.phase}`,
    `**Waiting for:** ${waitingFor(s)}`,
    `**Held by:** ${s.provider.providerCode}/${s.provider.areaCode}, offender manager ${s.offenderManagerId ?? 'not allocated'}, court ${s.courtCode}`,
    `**Risk:** RoSH ${s.offender.roshLevel}${s.offender.mappa ? `, MAPPA category ${s.offender.mappa.category} level ${s.offender.mappa.level}` : ''}${s.risk.referrals.some((r) => !r.decision) ? ', NPS decision awaited' : ''}${s.risk.withNps ? ', held by the NPS' : ''}`,
    `**Overdue deadlines:** ${
      s.deadlines
        .filter((d) => d.status === 'overdue')
        .map((d) => `${d.label} (due ${d.dueDate})`)
        .join('; ') || 'none'
    }`,
  ];
  const transfer = s.transfers.find((t) => t.status === 'requested' || t.status === 'approved');
  if (transfer)
    lines.push(
      `**Transfer:** ${transfer.id} to ${transfer.to.providerCode}/${transfer.to.areaCode} ${transfer.status}${transfer.acceptanceDue ? `, acceptance due ${transfer.acceptanceDue}` : ''}`,
    );
  if (s.termination) lines.push(`**Terminated:** ${s.termination.on} (${s.termination.reason})`);
  return lines.join('\n');
}

export function staticSummary(sentence: SentenceInput): string {
  const o = sentence.order;
  const length =
    o.type === 'CO'
      ? `to ${o.endDate}`
      : `${o.operationalPeriodMonths}m operational / ${o.supervisionPeriodMonths === undefined ? 'no' : `${o.supervisionPeriodMonths}m`} supervision`;
  return `${o.type} ${sentence.sentenceId} (${sentence.caseReference}), sentenced ${o.sentenceDate} ${length}, area ${sentence.provider.areaCode}`;
}
