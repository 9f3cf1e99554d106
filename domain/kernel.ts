// The small toolkit every part of the lifecycle uses to change a SentenceState: deadlines, the timeline, evidence on
// the outputs ledger, notifications, termination, re-evaluation and ownership. Pure (no I/O, no clock of its own);
// callers pass the instant. The state types live in lifecycle.ts; this module only imports them as types.
import { calendarFor, type BusinessCalendar } from './calendar/index.ts';
import { londonDate, londonEndOfDay, type IsoDate } from './dates.ts';
import { addEvidence, evaluateLedger, openEvent, settleEvent, type Evidence } from './outputs/ledger.ts';
import { measuredJsonOf } from './json.ts';
import { policyByVersion } from './policy.ts';
import type { Deadline, DeadlineKind, Notification, SentenceState, TerminationReason, TimelineEvent } from './state.ts';
import { deadlineId } from './deadlines.ts';
import { deadlineServes, rulesOf } from './rules.ts';

export const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/**
 * A copy of the state that a command, a delivery's result or the passage of time may change (made from the JSON its
 * fields were measured with, json.ts, when the state was measured, so it is not serialised again): deep, except for the two
 * records every rule treats as immutable, which are shared with the state they came from instead of copied (the
 * larger part of a busy case). The outputs ledger is only ever replaced, row by row (outputs/ledger.ts returns new
 * rows and arrays); the timeline only grows (its array is copied, its entries shared), and a command signs only the
 * entries it added. A rule that changed either in place would change the state it came from: the domain replay and
 * the unit tests compare every result with one computed from scratch.
 */
export function copyForChange(state: SentenceState): SentenceState {
  const { outputs, timeline, ...rest } = state;
  // Each field is copied from its JSON, which a finished state's fields already have (json.ts measure: the previous
  // command measured them), so the state before is not serialised again.
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rest)) {
    if (v === undefined) continue;
    copy[k] = typeof v === 'object' && v !== null ? JSON.parse(measuredJsonOf(v) ?? JSON.stringify(v)) : v;
  }
  return { ...(copy as typeof rest), outputs, timeline: timeline.slice() };
}

/** The calendar version the sentence computes with (never the newest by default: see domain/calendar). */
export function calendarOf(s: Pick<SentenceState, 'calendarVersion'>): BusinessCalendar {
  return calendarFor(s.calendarVersion);
}

/**
 * Why a value is not an identifier or code (1 to `max` letters, digits, "-" or "_"), or undefined if it is. Commands
 * can arrive as Signals or raw Updates that no API schema has checked, so the domain checks what it relies on.
 */
export function codeProblem(field: string, value: unknown, max = 32): string | undefined {
  return typeof value === 'string' && value.length >= 1 && value.length <= max && /^[A-Za-z0-9_-]+$/.test(value)
    ? undefined
    : `${field} must be 1-${max} letters, digits, "-" or "_"`;
}
export const iso = (ms: number): string => new Date(ms).toISOString();

export function makeDeadline(id: string, kind: DeadlineKind, label: string, dueDate: IsoDate): Deadline {
  return { id, kind, label, dueDate, expiresAt: iso(londonEndOfDay(dueDate)), status: 'pending' };
}

export function log(s: SentenceState, at: number | string, event: TimelineEvent, detail: string): void {
  s.timeline.push({ at: typeof at === 'number' ? iso(at) : at, event, detail });
}

export function meet(s: SentenceState, d: Deadline, on: IsoDate, nowMs: number): void {
  const wasOverdue = d.status === 'overdue';
  d.metOn = on;
  if (on <= d.dueDate) {
    d.status = 'met';
    if (wasOverdue) log(s, nowMs, 'deadline-met', `${d.label}: done on ${on}, on time but recorded after the due date`);
  } else {
    d.status = 'met-late';
    d.businessDaysLate = calendarOf(s).businessDaysBetween(d.dueDate, on);
    log(s, nowMs, 'deadline-met-late', `${d.label}: due ${d.dueDate}, done ${on} (${d.businessDaysLate} business days late)`);
  }
}

export function open(d: Deadline): boolean {
  return d.status === 'pending' || d.status === 'overdue';
}

/** Meets the deadline with this id, when the case has it and it is still open. */
export function meetOpen(s: SentenceState, id: string, on: IsoDate, nowMs: number): void {
  const d = s.deadlines.find((x) => x.id === id);
  if (d && open(d)) meet(s, d, on, nowMs);
}

/** Deadlines that can no longer be met: pending ones are cancelled, overdue ones become missed. */
export function closeOpenDeadlines(s: SentenceState, which: (d: Deadline) => boolean, why: string, atMs: number): void {
  for (const d of s.deadlines) {
    if (!which(d)) continue;
    if (d.status === 'pending') d.status = 'cancelled';
    else if (d.status === 'overdue') {
      d.status = 'missed';
      log(s, atMs, 'deadline-missed', `${d.label}: due ${d.dueDate}, never done; ${why}`);
    }
  }
}

export function terminate(s: SentenceState, reason: TerminationReason, on: IsoDate, atMs: number): void {
  s.phase = 'terminated';
  s.termination = { reason, on };
  withdrawTransfers(s, on, `the order terminated (${reason})`, atMs);
  closeOpenDeadlines(s, () => true, `the order terminated on ${on}`, atMs);
  // A referral the NPS had not yet answered when the order ended is moot (an overdue one stays overdue: it was missed).
  const unanswered = s.risk.referrals
    .map((r, i) => ({ r, d: s.deadlines.find((x) => x.id === deadlineId.npsDecision(i + 1)) }))
    .filter(({ r }) => !r.decision);
  if (unanswered.length > 0 && unanswered.every(({ d }) => d?.status === 'cancelled')) {
    for (const r of [30, 31]) s.outputs = settleEvent(s.outputs, r, undefined, londonDate(atMs), calendarOf(s));
  }
  log(s, atMs, 'terminated', `terminated on ${on}: ${reason}`);
  // Since rules 2 a case whose outputs do not include an end-of-sentence review (row 34) closes when it terminates, and
  // so does an SSO whose review was done when its supervision period ended (endsInvolvement).
  const review = s.deadlines.find((d) => d.id === deadlineId.endOfSupervisionReview());
  const reviewed = review?.status === 'met' || review?.status === 'met-late';
  if (!deadlineServes(s, 34) || reviewed) {
    s.phase = 'closed';
    s.milestones.closedOn = on;
    const why = reviewed
      ? `its end-of-sentence review was done when the supervision period ended on ${s.milestones.supervisionEndedOn}`
      : 'no end-of-sentence review applies to it';
    log(s, atMs, 'closed', `case closed: ${why} (row 34)`);
    return;
  }
  dueEndOfSentenceReview(s, deadlineId.endOfSentenceReview(), on, 'termination');
}

export function applicabilityInput(s: SentenceState) {
  return {
    requirements: s.sentence.requirements,
    offender: s.offender,
    responsibleOfficer: s.sentence.responsibleOfficer,
    facts: s.facts,
    rules: rulesOf(s),
    agenciesTold: (s.outputs.find((o) => o.row === 2)?.parts ?? []).filter((p) => p.evidence.length > 0).map((p) => p.id),
  };
}

/** Outputs due "by the end of the order" are due by termination when the order ends early. */
export function ledgerContext(s: SentenceState) {
  const end = s.termination && s.termination.on < s.dates.orderEnd ? s.termination.on : s.dates.orderEnd;
  return { sentenceDate: s.dates.sentenceDate, orderEnd: end, deadlines: s.deadlines, calendar: calendarOf(s), rules: rulesOf(s) };
}

export function evidence(s: SentenceState, row: number, e: Omit<Evidence, 'at'>, nowMs: number): void {
  const entry = s.outputs.find((x) => x.row === row);
  if (!entry?.applies) return; // e.g. allocation (row 3) evidenced for an order where it does not apply
  s.outputs = addEvidence(s.outputs, row, { at: iso(nowMs), ...e }, londonDate(nowMs));
}

export function raise(s: SentenceState, n: Omit<Notification, 'id'>, nowMs: number): void {
  const id = `${n.row}-${s.notifications.filter((x) => x.row === n.row).length + 1}`;
  s.notifications.push({ id, ...n });
  s.outputs = openEvent(s.outputs, n.row, n.raisedOn, londonDate(nowMs), calendarOf(s));
}

/** The oldest raised notification for a row not yet delivered (nor failed), if any. */
export function oldestOpen(s: SentenceState, row: number): IsoDate | undefined {
  return s.notifications
    .filter((n) => n.row === row && !n.delivered && !n.failed)
    .map((n) => n.raisedOn)
    .sort()[0];
}

/** Re-evaluates which outputs apply after something changed on `on`; every change is logged on the timeline. */
export function reevaluate(s: SentenceState, on: IsoDate, nowMs: number): void {
  const { ledger, changes } = evaluateLedger(s.outputs, applicabilityInput(s), ledgerContext(s), londonDate(nowMs), on);
  s.outputs = ledger;
  for (const c of changes) log(s, nowMs, c.applies ? 'output-applies' : 'output-no-longer-applies', `output ${c.row}: ${c.reason}`);
}

/** Whether the plan is in force and supervised, so that a review on significant change can be asked for. */
export function underReview(s: SentenceState): boolean {
  return (s.phase === 'plan-agreed' || s.phase === 'supervision') && !s.supervisionEnded;
}

/** A significant change (row 32): a review of the plan falls due within the policy's business days. */
export function significantChange(s: SentenceState, changeCode: string, on: IsoDate, nowMs: number): void {
  const policy = policyByVersion(s.policyVersion);
  s.significantChanges += 1;
  const n = s.significantChanges;
  // Since rules 2 the review falls due only where reviews of the plan apply to the case (row 32).
  if (deadlineServes(s, 32))
    s.deadlines.push(
      makeDeadline(
        deadlineId.significantChangeReview(n),
        'significant-change-review',
        `Review after significant change ${n} (${changeCode}) within ${policy.significantChangeReviewBusinessDays} business days`,
        calendarOf(s).addBusinessDays(on, policy.significantChangeReviewBusinessDays),
      ),
    );
  log(s, nowMs, 'significant-change', `significant change ${changeCode} on ${on}`);
}

/**
 * Hands the case to a new owner. The case always has exactly one: the current owner is `s.provider` (with
 * `s.offenderManagerId`), and `s.ownership` records each owner's period, the last one open.
 */
/** The day the current owner took the case: a change of owner cannot be dated before it. */
export function ownerSince(s: SentenceState): IsoDate {
  return s.ownership[s.ownership.length - 1]?.from ?? s.dates.sentenceDate;
}

export function changeOwner(
  s: SentenceState,
  to: { providerCode: string; areaCode: string; offenderManagerId: string },
  on: IsoDate,
  reason: string,
  nowMs: number,
): void {
  const current = s.ownership[s.ownership.length - 1];
  if (current) current.to = on;
  s.provider = { providerCode: to.providerCode, areaCode: to.areaCode };
  s.offenderManagerId = to.offenderManagerId;
  s.ownership.push({ ...s.provider, offenderManagerId: to.offenderManagerId, from: on, reason });
  log(
    s,
    nowMs,
    'owner-changed',
    `case now held by ${to.providerCode}/${to.areaCode}, offender manager ${to.offenderManagerId}, from ${on} (${reason})`,
  );
}

/** The SSO supervision period ends on `on` (run its course, cancelled by the court, or ended by the officer). */
/** Deadlines of supervision itself; court, NPS, transfer and breach deadlines run on into the operational period. */
const SUPERVISION_DEADLINES: readonly DeadlineKind[] = [
  'first-appointment',
  'plan',
  'review',
  'significant-change-review',
  'appointment-outcome',
  'absence-evidence',
  'risk-review',
];

export function endSupervision(s: SentenceState, on: IsoDate, why: string, atMs: number): void {
  if (s.supervisionEnded) return;
  s.supervisionEnded = true;
  s.milestones.supervisionEndedOn = on;
  closeOpenDeadlines(s, (d) => SUPERVISION_DEADLINES.includes(d.kind), `the supervision period ended on ${on}`, atMs);
  log(s, atMs, 'supervision-period-ended', `supervision period ended on ${on} (${why}); operational period runs to ${s.dates.orderEnd}`);
  if (rulesOf(s) >= 2 && s.sentence.order.type === 'SSO' && on < s.dates.orderEnd) {
    s.milestones.involvementEndedOn = on;
    dueEndOfSentenceReview(s, deadlineId.endOfSupervisionReview(), on, 'the end of the supervision period');
  }
}

/**
 * Since rules 2, the end of an SSO's supervision period before its operational period ends is the end of probation's
 * statutory involvement: the community requirements are to be complied with during the supervision period (Sentencing
 * Act 2020 s.286(2), s.288), so only a contravention within it is a breach for the officer to act on (s.286(3)(b),
 * Sch 16 para 6); a further offence in the rest of the operational period is an activation event for the court
 * (s.286(3)(a), Sch 16 para 13). So the review of outcomes (row 34) and the partner agencies' notice "at termination
 * of statutory involvement" (row 35) fall due then, not when the operational period ends; the case stays open, with
 * nothing due, until it does (row 36, the closure, comes then).
 */
export function endsInvolvement(s: SentenceState): boolean {
  return s.milestones.involvementEndedOn !== undefined;
}

function dueEndOfSentenceReview(s: SentenceState, id: string, on: IsoDate, what: string): void {
  if (!deadlineServes(s, 34)) return;
  const days = policyByVersion(s.policyVersion).endOfSentenceReviewBusinessDays;
  s.deadlines.push(
    makeDeadline(
      id,
      'end-of-sentence-review',
      `End-of-sentence review within ${days} business days of ${what}`,
      calendarOf(s).addBusinessDays(on, days),
    ),
  );
}

/** The order ended while a transfer was in progress: the transfer is withdrawn (the case never moved). */
export function withdrawTransfers(s: SentenceState, on: IsoDate, why: string, atMs: number): void {
  const live = s.transfers.filter((t) => t.status === 'requested' || t.status === 'approved');
  for (const t of live) {
    const d = s.deadlines.find((x) => x.id === deadlineId.transferAcceptance(t.id));
    if (d?.status === 'pending') d.status = 'cancelled';
    else if (d?.status === 'overdue') d.status = 'missed';
    t.status = 'withdrawn';
    t.response = { on, by: 'system', decision: 'withdrawn', reasonCode: why };
    log(s, atMs, 'transfer-withdrawn', `transfer ${t.id} withdrawn on ${on}: ${why}`);
  }
  if (live.length > 0) for (const r of [27, 28]) s.outputs = settleEvent(s.outputs, r, undefined, londonDate(atMs), calendarOf(s));
}

/**
 * The first appointment (induction) is held: the case is inducted, the first-appointment deadline met, and the plan
 * falls due (since rules 2 only where a plan is among the case's outputs, row 8). From record-first-appointment, or
 * (rules 2) from an attended induction appointment booked with record-appointment (compliance.ts).
 */
export function holdFirstAppointment(s: SentenceState, on: IsoDate, nowMs: number): void {
  const policy = policyByVersion(s.policyVersion);
  s.phase = 'inducted';
  s.milestones.firstAppointmentOn = on;
  const fa = s.deadlines.find((d) => d.id === deadlineId.firstAppointment());
  if (fa && open(fa)) meet(s, fa, on, nowMs);
  if (deadlineServes(s, 8))
    s.deadlines.push(
      makeDeadline(
        deadlineId.plan(),
        'plan',
        `Plan within ${policy.planBusinessDaysAfterFirstAppointment} business days of the first appointment`,
        calendarOf(s).addBusinessDays(on, policy.planBusinessDaysAfterFirstAppointment),
      ),
    );
  log(s, nowMs, 'first-appointment-held', `first appointment held on ${on}`);
}
