// The per-case outputs ledger: for every one of the 36 rows, whether it applies (and why), its status, its due date
// where a timescale applies, and the evidence that shows it was done. Pure functions over JSON-plain data.
import type { Actor } from '../actor.ts';
import type { BusinessCalendar } from '../calendar/index.ts';
import type { IsoDate } from '../dates.ts';
import { deadlineId, type Deadline } from '../deadlines.ts';
import {
  applicability,
  type ApplicabilityInput,
  type CaseFacts,
  type RowApplicability,
  type SubEntryApplicability,
} from './applicability.ts';
import { OUTPUTS, outputRow, type Trigger } from './catalogue.ts';
import { sameJson } from '../json.ts';

export type OutputStatus = 'not-applicable' | 'pending' | 'due' | 'done' | 'late' | 'overdue' | 'not-possible' | 'action-needed';

export interface Evidence {
  /** When it was recorded (workflow time). */
  at: string;
  /** The date the output was delivered. */
  on: IsoDate;
  /** Staff or system identifier: who did it. */
  by: string;
  what: string;
  reference?: string;
  part?: string;
  details?: Record<string, string | boolean>;
  /** Set when this evidence came after the due date of the occurrence it closed. */
  late?: boolean;
  /** The principal whose command recorded it (since 0.4.0). */
  actor?: Actor;
}

export interface LedgerPart {
  id: string;
  applies: boolean;
  reason: string;
  evidence: Evidence[];
  actionNeeded?: string;
}

export interface LedgerEntry {
  row: number;
  applies: boolean;
  reason: string;
  status: OutputStatus;
  dueDate?: IsoDate;
  trigger?: Trigger;
  /** For an event-driven output: the date of the oldest event not yet acted on (it is due from then). */
  openSince?: IsoDate;
  evidence: Evidence[];
  notPossible?: { reason: string; on: IsoDate; by: string };
  /** A system delivery for this row was permanently rejected: a person must act. */
  actionNeeded?: string;
  /** The date the output started to apply when that was after commencement (circumstances changed). */
  appliesSince?: IsoDate;
  /** The case is closed: what is still open can no longer be done. */
  closed?: boolean;
  parts?: LedgerPart[];
}

/** Where each row's timescale comes from: a lifecycle deadline, or the end of the order. */
export const ROW_TIMESCALE: Record<
  number,
  'sentence' | 'first-appointment' | 'plan' | 'review' | 'end-of-sentence-review' | 'closure' | 'order-end'
> = {
  1: 'sentence',
  2: 'sentence',
  3: 'first-appointment',
  4: 'first-appointment',
  5: 'first-appointment',
  6: 'first-appointment',
  7: 'first-appointment',
  8: 'plan',
  9: 'plan',
  10: 'plan',
  11: 'plan',
  12: 'plan',
  13: 'plan',
  14: 'plan',
  15: 'plan',
  16: 'order-end',
  17: 'order-end',
  18: 'order-end',
  19: 'plan',
  20: 'order-end',
  21: 'order-end',
  29: 'plan',
  32: 'review',
  33: 'review',
  34: 'end-of-sentence-review',
  35: 'end-of-sentence-review',
  36: 'closure',
};

/** The evidence details each manager-evidenced row asks for (beyond what, by, when). */
export const EVIDENCE_FIELDS: Record<number, string[]> = {
  4: ['choice'], // options offered, and the offender's choice
  5: ['choice'],
  6: ['understandingConfirmed'],
  7: ['support'], // e.g. interpreter, easy-read, adjustments
  9: ['cscResponse'],
  10: ['agenciesContacted'],
  11: ['visitOn'],
  12: ['schemes'],
  14: ['safetyPlanOffered'],
  15: ['safetyPlanPrepared'],
  19: ['protocol'],
  20: ['service'],
  21: ['contactType'],
  29: ['tool', 'roshLevel'],
  33: ['visitOn'],
};

/** Details that must be true for the evidence to show the output was delivered. */
export const MUST_BE_TRUE: Record<number, string[]> = {
  6: ['understandingConfirmed'],
  14: ['safetyPlanOffered'],
  15: ['safetyPlanPrepared'],
};

/** Rows that the system delivers itself (evidenced by the activity that delivered them), never by a manager. */
export const SYSTEM_ROWS = OUTPUTS.filter((o) => o.delivery === 'system').map((o) => o.row);

export interface LedgerContext {
  sentenceDate: IsoDate;
  orderEnd: IsoDate;
  deadlines: readonly Deadline[];
  /** The sentence's own calendar version (SentenceState.calendarVersion). */
  calendar: BusinessCalendar;
  /** The rules version the case computes with (domain/rules.ts); the first when not given. */
  rules?: number;
}

/**
 * Rows done again for each review of the plan (since rules 2, issue 12): the assessment of risk of harm and of
 * reoffending (row 29, reassessed at each review and significant change) and the home visit that informs the review
 * in higher-risk cases (row 33, while it applies). While a review is awaited and the row has no evidence since the
 * cycle began (domain/sync.ts), it is open, due by that review.
 */
export const REDONE_EACH_REVIEW = [29, 33];

/**
 * Rows done again at each stage of the work with the person (since rules 2, issue 12 point 12): row 7, communication
 * enabled "for the purposes of induction, assessment, planning review and evaluation" (specification row 7). It is due
 * by the induction (the first appointment) as before; then, while the plan is awaited after the induction, by the plan,
 * and while a review is awaited, by that review, until evidenced in that stage (domain/sync.ts).
 */
export const REDONE_EACH_STAGE = [7];

/** The plan deadline still awaited, if any. */
export const awaitedPlan = (deadlines: readonly Deadline[]): Deadline | undefined =>
  deadlines.find((d) => d.kind === 'plan' && (d.status === 'pending' || d.status === 'overdue'));

/** A review of the plan (regular or after a significant change) still awaited, or missed. */
export const isAwaitedReview = (d: Deadline): boolean =>
  (d.kind === 'review' || d.kind === 'significant-change-review') &&
  (d.status === 'pending' || d.status === 'overdue' || d.status === 'missed');

/** The due date of the review awaited now, or the order's end. */
function openReviewDue(ctx: LedgerContext): IsoDate {
  return (
    ctx.deadlines
      .filter(isAwaitedReview)
      .map((d) => d.dueDate)
      .sort()[0] ?? ctx.orderEnd
  );
}

/** Business days to deliver an output that starts to apply mid-sentence, counted from the change. */
export const NEWLY_APPLICABLE_BUSINESS_DAYS: Partial<Record<number, number>> & { default: number } = { default: 5, 2: 1 };

function dueDateFor(row: number, ctx: LedgerContext, appliesSince?: IsoDate): IsoDate | undefined {
  const normal = scheduledDueDate(row, ctx);
  if (!appliesSince || !normal) return normal;
  const fromChange = ctx.calendar.addBusinessDays(
    appliesSince,
    NEWLY_APPLICABLE_BUSINESS_DAYS[row] ?? NEWLY_APPLICABLE_BUSINESS_DAYS.default,
  );
  return fromChange > normal ? fromChange : normal;
}

function scheduledDueDate(row: number, ctx: LedgerContext): IsoDate | undefined {
  const byKind = (kind: Deadline['kind']) =>
    ctx.deadlines
      .filter((d) => d.kind === kind && d.status !== 'cancelled')
      .map((d) => d.dueDate)
      .sort()[0];
  switch (ROW_TIMESCALE[row]) {
    case 'sentence':
      return ctx.calendar.addBusinessDays(ctx.sentenceDate, 1);
    case 'first-appointment':
      return byKind('first-appointment');
    case 'plan':
      return byKind('plan');
    case 'review':
      return openReviewDue(ctx);
    case 'end-of-sentence-review':
      return byKind('end-of-sentence-review') ?? ctx.orderEnd;
    case 'closure': {
      // By the end-of-sentence review at termination, which closes the case. Since rules 2 a case with no review then
      // (none applies, or an SSO's was done when its supervision ended) closes as its order ends, at the end of that
      // day: the case system is told by the next business day, as it is told of a new case (row 1).
      const review = ctx.deadlines.find((d) => d.id === deadlineId.endOfSentenceReview() && d.status !== 'cancelled');
      if (review) return review.dueDate;
      return (ctx.rules ?? 1) >= 2 ? ctx.calendar.addBusinessDays(ctx.orderEnd, 1) : ctx.orderEnd;
    }
    case 'order-end':
      return ctx.orderEnd;
    default:
      return undefined;
  }
}

/** Business days within which an event-driven output is due once its event happens (local policy; 25: seek early
 * revocation within 10 business days of meeting the criteria, 26: breach action, Sch 10/16 para 6 and GUIDE.md §4). */
export const EVENT_TIMESCALE_BUSINESS_DAYS: Partial<Record<number, number>> = { 22: 1, 23: 1, 25: 10, 26: 10 };

function statusOf(e: LedgerEntry, today: IsoDate): OutputStatus {
  if (!e.applies) return 'not-applicable';
  if (e.actionNeeded || e.parts?.some((p) => p.applies && p.actionNeeded)) return 'action-needed';
  // An open occurrence (an event not yet acted on, or the current review cycle) is due or overdue whatever came before.
  if (e.openSince && e.dueDate) return e.closed || today > e.dueDate ? 'overdue' : 'due';
  if (e.notPossible) return 'not-possible';
  const all = [...e.evidence, ...(e.parts ?? []).flatMap((p) => p.evidence)];
  const done = e.parts ? e.parts.filter((p) => p.applies).every((p) => p.evidence.length > 0) : e.evidence.length > 0;
  if (done) return all.some((x) => x.late) ? 'late' : 'done';
  if (e.trigger && !e.openSince) return 'pending';
  if (e.closed && outputRow(e.row).delivery === 'manager') return 'overdue'; // never done, and now it cannot be
  if (!e.dueDate) return 'pending';
  return today > e.dueDate ? 'overdue' : 'due';
}

function mergeParts(previous: LedgerPart[] | undefined, now: SubEntryApplicability[] | undefined): LedgerPart[] | undefined {
  if (!now) return undefined;
  return now.map((s) => {
    const old = previous?.find((p) => p.id === s.id);
    const keep = old && old.evidence.length > 0 && !s.applies;
    return {
      id: s.id,
      applies: s.applies || Boolean(keep),
      reason: keep ? `${s.reason}; kept: already evidenced` : s.reason,
      evidence: old?.evidence ?? [],
      ...(old?.actionNeeded ? { actionNeeded: old.actionNeeded } : {}),
    };
  });
}

/**
 * Builds or re-evaluates the ledger. An output that newly applies is added; one that no longer applies is kept
 * applicable if it already has evidence (it never silently disappears once evidenced).
 */
export function evaluateLedger(
  previous: readonly LedgerEntry[] | undefined,
  input: ApplicabilityInput,
  ctx: LedgerContext,
  today: IsoDate,
  changedOn?: IsoDate,
): { ledger: LedgerEntry[]; changes: { row: number; applies: boolean; reason: string }[] } {
  const result = applicability(input);
  const changes: { row: number; applies: boolean; reason: string }[] = [];
  const ledger = result.rows.map((a: RowApplicability): LedgerEntry => {
    const old = previous?.find((e) => e.row === a.row);
    const parts = mergeParts(old?.parts, a.subEntries);
    const evidenced = (old?.evidence.length ?? 0) > 0 || Boolean(parts?.some((p) => p.evidence.length > 0));
    const applies = a.applies || (evidenced && Boolean(old?.applies));
    const reason = a.applies || !applies ? a.reason : `${a.reason}; kept: already evidenced`;
    if (old && old.applies !== applies) changes.push({ row: a.row, applies, reason });
    const entry: LedgerEntry = {
      row: a.row,
      applies,
      reason,
      status: 'pending',
      evidence: old?.evidence ?? [],
      ...(a.trigger ? { trigger: a.trigger } : {}),
      ...(old?.notPossible ? { notPossible: old.notPossible } : {}),
      ...(parts ? { parts } : {}),
    };
    if (old?.openSince) entry.openSince = old.openSince;
    if (old?.actionNeeded) entry.actionNeeded = old.actionNeeded;
    if (old?.appliesSince) entry.appliesSince = old.appliesSince;
    else if (old && !old.applies && applies && changedOn) entry.appliesSince = changedOn;
    const due = a.trigger ? eventDueDate(entry, old?.dueDate, ctx.calendar) : dueDateFor(a.row, ctx, entry.appliesSince);
    if (due) entry.dueDate = due;
    entry.status = statusOf(entry, today);
    // A row that did not change stays the same row (shared from state to state: see kernel.ts copyForChange), so
    // that what measures, compares or publishes rows stops at it.
    return old && sameJson(old, entry) ? old : entry;
  });
  return { ledger, changes };
}

/** An event-driven output is due a few business days after its oldest open event; once acted on it keeps that date. */
function eventDueDate(e: LedgerEntry, previous: IsoDate | undefined, cal: BusinessCalendar): IsoDate | undefined {
  const days = EVENT_TIMESCALE_BUSINESS_DAYS[e.row];
  if (e.openSince && days !== undefined) return cal.addBusinessDays(e.openSince, days);
  return previous;
}

/** Rows that recur on a cycle the lifecycle sets (reviews): open while a review is awaited, closed when it is done. */
export const CYCLE_ROWS = [32, 33];

/** Changes one row (`change` gets a copy it may edit) and restates its status for `today`. */
function changeRow(ledger: readonly LedgerEntry[], row: number, today: IsoDate, change: (next: LedgerEntry) => void): LedgerEntry[] {
  return ledger.map((e) => {
    if (e.row !== row) return e;
    const next: LedgerEntry = { ...e };
    change(next);
    next.status = statusOf(next, today);
    return next;
  });
}

/** Sets when a row's oldest open event began (or clears it) and the due date that follows from it. */
function setOpenSince(next: LedgerEntry, openSince: IsoDate | undefined, cal: BusinessCalendar): void {
  if (openSince) next.openSince = openSince;
  else delete next.openSince;
  const due = eventDueDate(next, next.dueDate, cal);
  if (due) next.dueDate = due;
}

/** Opens an event for an event-driven row. `due` overrides the row's event timescale (e.g. a court's date). */
export function openEvent(
  ledger: readonly LedgerEntry[],
  row: number,
  on: IsoDate,
  today: IsoDate,
  cal: BusinessCalendar,
  due?: IsoDate,
): LedgerEntry[] {
  return changeRow(ledger, row, today, (next) => {
    setOpenSince(next, next.openSince && next.openSince < on ? next.openSince : on, cal);
    if (due) next.dueDate = due;
  });
}

/** Closes the open event of a row once every event is acted on (`stillOpenSince`: the oldest still open, if any). */
export function settleEvent(
  ledger: readonly LedgerEntry[],
  row: number,
  stillOpenSince: IsoDate | undefined,
  today: IsoDate,
  cal: BusinessCalendar,
): LedgerEntry[] {
  return changeRow(ledger, row, today, (next) => setOpenSince(next, stillOpenSince, cal));
}

/** Recomputes due dates and statuses (time passed, deadlines moved), leaving applicability and evidence alone. */
export function refreshLedger(ledger: readonly LedgerEntry[], ctx: LedgerContext, today: IsoDate, closed = false): LedgerEntry[] {
  return ledger.map((e) => {
    const next: LedgerEntry = { ...e };
    if (closed) next.closed = true;
    const redone = e.openSince !== undefined && (ctx.rules ?? 1) >= 2;
    const cycle = redone && REDONE_EACH_REVIEW.includes(e.row);
    const stage = redone && REDONE_EACH_STAGE.includes(e.row);
    const due = e.trigger
      ? eventDueDate(e, e.dueDate, ctx.calendar)
      : cycle
        ? openReviewDue(ctx)
        : stage
          ? (awaitedPlan(ctx.deadlines)?.dueDate ?? openReviewDue(ctx))
          : dueDateFor(e.row, ctx, e.appliesSince);
    if (due) next.dueDate = due;
    else delete next.dueDate;
    next.status = statusOf(next, today);
    // A row that did not change stays the same row (shared from state to state: see kernel.ts copyForChange).
    return next.closed === e.closed && next.dueDate === e.dueDate && next.status === e.status ? e : next;
  });
}

/** Why evidence for a row cannot be recorded now, or undefined. */
export function evidenceRejection(
  ledger: readonly LedgerEntry[],
  ev: { row: number; part?: string; details?: Record<string, string | boolean> },
  system = false,
): string | undefined {
  const e = ledger.find((x) => x.row === ev.row);
  if (!e) return `no output row ${ev.row}`;
  const row = outputRow(ev.row);
  const needsAction = Boolean(e.actionNeeded || e.parts?.find((p) => p.id === ev.part)?.actionNeeded);
  // A system output is evidenced by its delivery, unless a delivery was rejected: then a person records what they did.
  if (!system && row.delivery === 'system' && !needsAction) return `output ${ev.row} is delivered and evidenced by the system`;
  if (!e.applies) return `output ${ev.row} does not apply to this case: ${e.reason}`;
  if (e.parts) {
    const part = e.parts.find((p) => p.id === ev.part);
    if (!part) return `output ${ev.row} is recorded per part: one of ${e.parts.map((p) => p.id).join(', ')}`;
    if (!part.applies) return `output ${ev.row} part ${ev.part} does not apply: ${part.reason}`;
  } else if (ev.part !== undefined) {
    return `output ${ev.row} has no parts`;
  }
  const missing = (EVIDENCE_FIELDS[ev.row] ?? []).filter((f) => ev.details?.[f] === undefined || ev.details[f] === '');
  if (missing.length > 0) return `evidence for output ${ev.row} needs details: ${missing.join(', ')}`;
  const untrue = (MUST_BE_TRUE[ev.row] ?? []).filter((f) => ev.details?.[f] !== true);
  if (untrue.length > 0) return `output ${ev.row} is evidenced only when ${untrue.join(', ')} is true`;
  return undefined;
}

/** Adds evidence to a row (or a part of it). Call evidenceRejection first. */
export function addEvidence(ledger: readonly LedgerEntry[], row: number, given: Evidence, today: IsoDate): LedgerEntry[] {
  return ledger.map((e) => {
    if (e.row !== row) return e;
    // Late if it closes an occurrence after its due date; evidence added to an output already done is a recap.
    const awaited = e.status === 'due' || e.status === 'overdue' || e.status === 'pending' || e.status === 'action-needed';
    // A caller that knows the occurrence's own due date (e.g. one court report among several) says `late` itself.
    const evidence: Evidence = given.late === undefined && awaited && e.dueDate && given.on > e.dueDate ? { ...given, late: true } : given;
    const next: LedgerEntry = { ...e };
    if (e.parts && evidence.part) {
      next.parts = e.parts.map((p) => {
        if (p.id !== evidence.part) return p;
        const { actionNeeded: _cleared, ...part } = p;
        return { ...part, evidence: [...p.evidence, evidence] };
      });
    } else {
      next.evidence = [...e.evidence, evidence];
    }
    next.status = statusOf(next, today);
    return next;
  });
}

/** A person resolved what a rejected delivery needed (e.g. told the agency another way): the flag is cleared. */
export function clearActionNeeded(ledger: readonly LedgerEntry[], row: number, part: string | undefined, today: IsoDate): LedgerEntry[] {
  return changeRow(ledger, row, today, (next) => {
    delete next.actionNeeded;
    if (next.parts)
      next.parts = next.parts.map((p) => (part === undefined || p.id === part ? (({ actionNeeded: _a, ...rest }) => rest)(p) : p));
  });
}

export function markNotPossible(
  ledger: readonly LedgerEntry[],
  row: number,
  np: { reason: string; on: IsoDate; by: string },
  today: IsoDate,
): LedgerEntry[] {
  return changeRow(ledger, row, today, (next) => {
    next.notPossible = np;
  });
}

export function overdueOutputs(ledger: readonly LedgerEntry[]): number {
  return ledger.filter((e) => e.status === 'overdue' || e.status === 'action-needed').length;
}

export type { CaseFacts };
