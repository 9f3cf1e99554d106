// Requirement progress and ending an order early (specification row 25: "the offender manager seeks early
// revocation of the order when minimum mandatory criteria and requirements of the order have been met").
//
// - Progress per requirement: unpaid work hours (with the Sentencing Act 2026 credit where the sentence's law has it,
//   law.ts), rehabilitation activity days used, programme sessions, attendance centre hours; curfew, exclusion,
//   monitoring and treatment requirements run for a period from the sentence date and are complete when it ends.
// - Early revocation on application (Sentencing Act 2020 Sch 10 para 14 for a CO: the court may revoke "in the
//   interests of justice", good progress counting; Sch 16 para 22 for an SSO: the court may cancel the community
//   requirements, the suspended sentence and operational period remain). The eligibility criteria below are local
//   policy (the specification's "minimum mandatory criteria" are not listed in it): every requirement complete, no
//   enforcement under way or live warning, and at least half the order served.
// - From the Sentencing Act 2026 (ss.38-39, where the sentence's law has it): the responsible officer ends a CO, or
//   an SSO's supervision period, once (a) the order has no s.217A/s.293A review provision, (b) no further
//   instructions are needed under the rehabilitation activity ("probation") requirement, (c) every other requirement
//   is complied with, and (d) the sentence plan's objectives are met; no court is involved.
import { defineCommand, SUPERVISED } from './command.ts';
import { addDays, periodEnd, type IsoDate } from './dates.ts';
import { endSupervision, evidence, iso, log, makeDeadline, terminate, calendarOf } from './kernel.ts';
import { deadlineId } from './deadlines.ts';
import { rulesOf } from './rules.ts';
import { ruleOn, LAW, type UnpaidWorkCredit } from './law.ts';
import { openEvent, settleEvent } from './outputs/ledger.ts';
import { liveWarnings, warningExpires } from './enforcement.ts';
import type { Requirement, RequirementType } from './sentence.ts';
import type { Deadline, ProgressEntry, ProgressState, SentenceState, UnpaidWorkLedger } from './state.ts';

/** Local policy for early revocation eligibility (row 25). */
export const EARLY_REVOCATION_POLICY = {
  minShareOfOrderServed: 0.5,
  source: 'local policy: P3 row 25 names "minimum mandatory criteria" without listing them',
} as const;

export function emptyProgress(requirements: readonly Requirement[]): ProgressState {
  return {
    entries: requirements.map((r, index) => ({
      index,
      type: r.type,
      amount: 0,
      ...(r.type === 'unpaid-work' ? { unpaidWork: { worked: 0 } } : {}),
      records: [],
    })),
  };
}

type RequirementProgress = {
  requirementIndex: number;
  amount?: number;
  completed?: boolean;
  removedFromPlacement?: boolean;
  by: string;
  on?: IsoDate;
};
type EarlyRevocationApplication = { by: string; on?: IsoDate };
type RevocationDecision = { decision: 'granted' | 'refused'; by: string; on?: IsoDate };
type EndOrderByOfficer = { noFurtherInstructionsNeeded: boolean; by: string; on?: IsoDate };

// --- unpaid work ---------------------------------------------------------------------------------------------

/** Hours still to work on an unpaid work requirement, with the credit where the law gives it. */
export function unpaidWorkPosition(ordered: number, ledger: UnpaidWorkLedger, credit: UnpaidWorkCredit | null) {
  const qualifying = credit ? ordered * credit.qualifyingFraction : Infinity;
  const earning = credit && ledger.qualifiedOn && !ledger.creditLost ? Math.max(0, ledger.worked - qualifying) : 0;
  const credited = credit ? (earning * credit.creditMinutesPerHour) / 60 : 0;
  const remaining = Math.max(0, ordered - ledger.worked - credited);
  return {
    ordered,
    worked: ledger.worked,
    qualifyingHours: credit ? qualifying : undefined,
    credited,
    remaining,
    complete: remaining === 0,
  };
}

/** Unpaid work hours still to work on the order, across its unpaid work requirements (credit counted). */
export function unpaidWorkOutstanding(s: SentenceState): number {
  return s.sentence.requirements.reduce((sum, r, i) => {
    const uw = s.progress.entries[i]?.unpaidWork;
    return r.type === 'unpaid-work' && uw ? sum + unpaidWorkPosition(r.hours, uw, s.law.unpaidWorkCredit).remaining : sum;
  }, 0);
}

/**
 * The end date of the order has passed (its timer fired). A community order with an unpaid work requirement remains
 * in force until the offender has worked the hours, unless revoked (Sentencing Act 2020 s.220, as the Criminal Justice
 * Act 2003 s.200(3) before it; the 2026 Act s.36 removed the 12 months for the work, whenever the order was made).
 * Since rules 2 such an order does not end silently: it stays open, an overdue deadline says what is outstanding and
 * alerts the manager, and the order ends when the hours are worked or when the court revokes or amends it. Otherwise
 * the order terminates at its end date.
 */
export function orderEndReached(s: SentenceState, atMs: number): Deadline | undefined {
  const hours = s.sentence.order.type === 'CO' && rulesOf(s) >= 2 ? unpaidWorkOutstanding(s) : 0;
  if (hours === 0) {
    terminate(s, 'end-of-order', s.dates.orderEnd, atMs);
    return undefined;
  }
  s.unpaidWorkBeyondEnd = { since: s.dates.orderEnd, hours };
  const d = makeDeadline(
    deadlineId.unpaidWorkOutstanding(),
    'unpaid-work-outstanding',
    `Unpaid work outstanding at the end date: ${hours} hours. The order stays in force until they are worked (Sentencing Act 2020 s.220): ` +
      'arrange the work, or apply to the court to revoke the order (Sch 10 para 14) or amend it (Sch 10 Part 4)',
    s.dates.orderEnd,
  );
  d.status = 'overdue';
  d.overdueSince = iso(atMs);
  s.deadlines.push(d);
  log(
    s,
    atMs,
    'order-continues-for-unpaid-work',
    `end date ${s.dates.orderEnd} passed with ${hours} hours of unpaid work outstanding: the order stays in force`,
  );
  return d;
}

/** The hours outstanding after the end date are worked: the deadline is met and the order ends that day. */
function unpaidWorkCompletedAfterEnd(s: SentenceState, on: IsoDate, nowMs: number): void {
  if (!s.unpaidWorkBeyondEnd || unpaidWorkOutstanding(s) > 0) return;
  const d = s.deadlines.find((x) => x.id === deadlineId.unpaidWorkOutstanding());
  if (d && d.status === 'overdue') {
    d.status = 'met-late';
    d.metOn = on;
  }
  log(s, nowMs, 'unpaid-work-completed', `the unpaid work outstanding since ${s.unpaidWorkBeyondEnd.since} is done: the order ends`);
  terminate(s, 'end-of-order', on, nowMs);
}

/** An unacceptable failure at unpaid work, or removal from a placement, before qualifying loses the credit. */
export function loseCredit(s: SentenceState, why: string, on: IsoDate, nowMs: number, failureId?: string): void {
  const restorable = rulesOf(s) >= 2;
  for (const e of s.progress.entries) {
    const uw = e.unpaidWork;
    // Only what happened in the relevant period (before the qualifying share was reached) counts.
    if (!uw || !s.law.unpaidWorkCredit || (uw.qualifiedOn !== undefined && on >= uw.qualifiedOn)) continue;
    if (uw.creditLost) {
      // Lost already: a further failure must be excused too before it comes back; anything else keeps it lost.
      if (uw.creditLostBy && failureId !== undefined) uw.creditLostBy = [...uw.creditLostBy, failureId];
      else delete uw.creditLostBy;
      continue;
    }
    uw.creditLost = `${why} on ${on}`;
    if (restorable && failureId !== undefined) uw.creditLostBy = [failureId];
    log(s, nowMs, 'unpaid-work-credit-lost', `unpaid work credit can no longer be earned: ${why} on ${on}`);
  }
}

/**
 * The failure that lost the credit turned out to have a reasonable excuse (rules 2): it was not a failure "without
 * reasonable excuse" (Sch 9 para 3A), so the credit is as if never lost: qualified now if the share is already done.
 */
export function restoreCredit(s: SentenceState, failureId: string, on: IsoDate, nowMs: number): void {
  const credit = s.law.unpaidWorkCredit;
  s.progress.entries.forEach((e, i) => {
    const uw = e.unpaidWork;
    const r = s.sentence.requirements[i];
    if (!uw?.creditLostBy?.includes(failureId) || !credit || r?.type !== 'unpaid-work') return;
    uw.creditLostBy = uw.creditLostBy.filter((x) => x !== failureId);
    if (uw.creditLostBy.length > 0) return; // another failure lost it too, its excuse not (yet) accepted
    delete uw.creditLost;
    delete uw.creditLostBy;
    log(s, nowMs, 'unpaid-work-credit-restored', `unpaid work credit restored on ${on}: the failure ${failureId} had a reasonable excuse`);
    // Qualified on the day the share was reached, as if the credit had never been lost.
    const share = r.hours * credit.qualifyingFraction;
    let done = 0;
    const reached = e.records.find((x) => (done += x.amount) >= share)?.on;
    if (!uw.qualifiedOn && reached !== undefined) qualify(s, uw, r.hours, credit, reached, nowMs);
  });
}

/** The qualifying share is done with a clean record, on `on`: credit accrues from then (Sch 9 para 3A). */
function qualify(s: SentenceState, uw: UnpaidWorkLedger, hours: number, credit: UnpaidWorkCredit, on: IsoDate, nowMs: number): void {
  uw.qualifiedOn = on;
  log(
    s,
    nowMs,
    'unpaid-work-credit-qualified',
    `${uw.worked} of ${hours} hours done with a clean record: each further hour earns ${credit.creditMinutesPerHour} minutes' credit (Sch 9 para 3A)`,
  );
}

// --- the view --------------------------------------------------------------------------------------------------

export interface RequirementPosition {
  index: number;
  type: RequirementType;
  unit: 'hours' | 'days' | 'sessions' | 'period';
  target?: number;
  done?: number;
  credited?: number;
  remaining?: number;
  periodEnds?: IsoDate;
  complete: boolean;
  note?: string;
}

/** The last day of a requirement that runs for a period from the sentence date, if it has one. */
function periodOf(r: Requirement, sentenceDate: IsoDate): IsoDate | undefined {
  switch (r.type) {
    case 'curfew':
    case 'exclusion':
    case 'prohibited-activity':
    case 'foreign-travel-prohibition':
    case 'mental-health-treatment':
    case 'drug-rehabilitation':
    case 'alcohol-treatment':
    case 'electronic-monitoring':
      return periodEnd(sentenceDate, r.months);
    case 'alcohol-abstinence-monitoring':
      return addDays(sentenceDate, r.days - 1);
    default:
      return undefined;
  }
}

export function requirementPositions(s: SentenceState, today: IsoDate): RequirementPosition[] {
  return s.sentence.requirements.map((r, index) => positionOf(s, r, index, today));
}

/** Where one requirement stands: hours, days or sessions done, or the end of its period. */
function positionOf(s: SentenceState, r: Requirement, index: number, today: IsoDate): RequirementPosition {
  const e = s.progress.entries[index]!;
  const counted = (unit: RequirementPosition['unit'], target: number) => ({
    index,
    type: r.type,
    unit,
    target,
    done: e.amount,
    remaining: Math.max(0, target - e.amount),
    complete: e.amount >= target,
  });
  switch (r.type) {
    case 'unpaid-work':
      return unpaidWorkPositionOf(s, r.hours, e, index, today);
    case 'attendance-centre':
      return counted('hours', r.hours);
    case 'programme':
      return counted('sessions', r.days);
    case 'rehabilitation-activity':
      return {
        ...counted('days', r.maxDays),
        complete: e.completedOn !== undefined || e.amount >= r.maxDays,
        ...(e.completedOn ? { note: `officer judged no further activity needed on ${e.completedOn}` } : {}),
      };
    case 'residence':
      // No period of its own: complied with while there is no breach of it (it runs while the order does).
      return {
        index,
        type: r.type,
        unit: 'period',
        complete: !s.compliance.failures.some((f) => !f.decision || f.decision.type === 'referral'),
        note: 'runs with the order; complied with so far unless a failure is being enforced',
      };
    default: {
      const end = periodOf(r, s.dates.sentenceDate)!;
      return { index, type: r.type, unit: 'period', periodEnds: end, complete: today > end };
    }
  }
}

function unpaidWorkPositionOf(s: SentenceState, hours: number, e: ProgressEntry, index: number, today: IsoDate): RequirementPosition {
  const p = unpaidWorkPosition(hours, e.unpaidWork!, s.law.unpaidWorkCredit);
  const window = ruleOn(LAW.unpaidWorkWindowMonths, today).value;
  const note = [
    s.law.unpaidWorkCredit
      ? e.unpaidWork!.creditLost
        ? `credit lost: ${e.unpaidWork!.creditLost}`
        : e.unpaidWork!.qualifiedOn
          ? `credit earning since ${e.unpaidWork!.qualifiedOn}`
          : `credit after ${p.qualifyingHours} hours with a clean record`
      : 'no credit under the law of this sentence',
    window ? `to be completed by ${periodEnd(s.dates.sentenceDate, window)}` : 'no 12-month completion period (Sentencing Act 2026 s.36)',
  ].join('; ');
  return {
    index,
    type: 'unpaid-work',
    unit: 'hours',
    target: hours,
    done: p.worked,
    credited: p.credited,
    remaining: p.remaining,
    complete: p.complete,
    note,
  };
}

// --- commands --------------------------------------------------------------------------------------------------

const COUNTED: readonly RequirementType[] = ['unpaid-work', 'attendance-centre', 'programme', 'rehabilitation-activity'];

/**
 * Half-way through the period the requirements run in: a CO's whole length, an SSO's supervision period (its
 * community requirements end with it; the operational period runs on without them).
 */
export function halfwayDate(s: SentenceState): IsoDate {
  const start = Date.parse(s.dates.sentenceDate);
  const end = Date.parse(s.dates.supervisionEnd ?? s.dates.orderEnd);
  return new Date(start + (end - start) * EARLY_REVOCATION_POLICY.minShareOfOrderServed).toISOString().slice(0, 10);
}

/** What stands between the case and early revocation (empty when eligible). */
export function earlyRevocationBlockers(s: SentenceState, today: IsoDate): string[] {
  const blockers: string[] = [];
  for (const p of requirementPositions(s, today)) if (!p.complete) blockers.push(`requirement ${p.index} (${p.type}) is not complete`);
  if (s.compliance.failures.some((f) => !f.decision)) blockers.push('a failure to comply awaits an enforcement decision');
  if (s.deadlines.some((d) => d.kind === 'breach-action' && (d.status === 'pending' || d.status === 'overdue')))
    blockers.push('breach action is in progress');
  const pendingCourt = s.compliance.failures.some(
    (f) => f.decision?.type === 'referral' && !s.compliance.courtOutcomes.some((o) => o.appointmentId === f.appointmentId),
  );
  if (pendingCourt) blockers.push('a breach awaits the court');
  const live = liveWarnings(s.compliance.warnings, today);
  if (live.length > 0) blockers.push(`a warning given on ${live[live.length - 1]!.givenOn} is live`);
  const halfway = halfwayDate(s);
  if (today < halfway) blockers.push(`less than half the order has been served (half-way on ${halfway})`);
  if (s.sentence.order.type === 'SSO' && s.supervisionEnded)
    blockers.push('the supervision period has ended: there are no community requirements to cancel');
  return blockers;
}

/** The 2026 Act's conditions for the officer to end the order (Sch 10 para 15A / Sch 16 para 22A), unmet ones listed. */
export function officerEndBlockers(s: SentenceState, today: IsoDate, noFurtherInstructionsNeeded: boolean): string[] {
  const blockers: string[] = [];
  if (s.sentence.order.reviewProvision) blockers.push('the order has a review provision (s.217A / s.293A): the court deals with it');
  const hasRar = s.sentence.requirements.some((r) => r.type === 'rehabilitation-activity');
  if (hasRar && !noFurtherInstructionsNeeded)
    blockers.push('further instructions are needed under the rehabilitation activity requirement');
  for (const p of requirementPositions(s, today)) {
    if (p.type !== 'rehabilitation-activity' && !p.complete)
      blockers.push(`requirement ${p.index} (${p.type}) is not complied with in full`);
  }
  // Para 15A(1)(e) / 22A(1)(d) apply "in a case where a sentence plan has been prepared" (rules 2; before, always).
  const planned = rulesOf(s) < 2 || s.milestones.planAgreedOn !== undefined;
  if (planned && !s.progress.objectivesMetOn) blockers.push('no review has recorded the sentence plan objectives as met');
  return blockers;
}

function progressRejection(s: SentenceState, a: RequirementProgress): string | undefined {
  const r = s.sentence.requirements[a.requirementIndex];
  if (!r) return `no requirement ${a.requirementIndex} (the order has ${s.sentence.requirements.length})`;
  if (!COUNTED.includes(r.type))
    return `requirement ${a.requirementIndex} (${r.type}) runs for a period: its progress follows from the dates`;
  if (a.completed && r.type !== 'rehabilitation-activity')
    return "only a rehabilitation activity requirement is completed by the officer's judgement";
  if (a.removedFromPlacement && r.type !== 'unpaid-work') return 'removal from a placement applies to unpaid work';
  if (a.amount === undefined && !a.completed && !a.removedFromPlacement)
    return 'progress needs an amount, completed or removedFromPlacement';
  if (
    a.amount !== undefined &&
    (typeof a.amount !== 'number' || !(a.amount > 0) || a.amount > 24 * 7 || Math.round(a.amount * 4) !== a.amount * 4)
  ) {
    return 'amount must be positive, at most 168, in quarters (e.g. 2.5 hours)';
  }
  const e = s.progress.entries[a.requirementIndex]!;
  if (r.type === 'rehabilitation-activity' && a.amount !== undefined && e.amount + a.amount > r.maxDays) {
    return `the rehabilitation activity requirement allows at most ${r.maxDays} days (${e.amount} used)`;
  }
  return undefined;
}

/** Hours, days or sessions done on a requirement; a RAR the officer judges complete; removal from a placement. */
const recordRequirementProgress = defineCommand<RequirementProgress>()({
  phases: SUPERVISED,
  reject: (s, a) => progressRejection(s, a),
  apply: (s, a, { on, nowMs }) => {
    const r = s.sentence.requirements[a.requirementIndex]!;
    const e = s.progress.entries[a.requirementIndex]!;
    if (a.removedFromPlacement) loseCredit(s, 'asked to leave a work placement', on, nowMs);
    if (a.amount !== undefined) {
      e.amount += a.amount;
      e.records.push({ on, by: a.by, amount: a.amount });
      const uw = e.unpaidWork;
      if (uw && r.type === 'unpaid-work') {
        uw.worked += a.amount;
        const credit = s.law.unpaidWorkCredit;
        if (credit && !uw.qualifiedOn && !uw.creditLost && uw.worked >= r.hours * credit.qualifyingFraction)
          qualify(s, uw, r.hours, credit, on, nowMs);
      }
    }
    if (a.completed) e.completedOn = on;
    const p = requirementPositions(s, on)[a.requirementIndex]!;
    log(
      s,
      nowMs,
      'requirement-progress',
      `requirement ${a.requirementIndex} (${r.type}): ${a.amount !== undefined ? `+${a.amount} ${p.unit}, ` : ''}${p.done ?? 0} done${p.credited ? `, ${p.credited} credited` : ''}${p.complete ? ' — complete' : `, ${p.remaining} remaining`}`,
    );
    unpaidWorkCompletedAfterEnd(s, on, nowMs);
    return [];
  },
});

/** Early revocation is sought from the court (row 25; Sch 10 para 14 / Sch 16 para 22). */
const applyForEarlyRevocation = defineCommand<EarlyRevocationApplication>()({
  phases: SUPERVISED,
  reject: (s) => {
    const er = s.progress.earlyRevocation;
    if (s.sentence.order.type === 'SSO' && s.supervisionEnded)
      return 'the supervision period has ended: there are no community requirements to cancel';
    if (er?.application && !er.decision) return `an application made on ${er.application.on} awaits the court's decision`;
    if (er?.decision?.decision === 'granted') return 'early revocation was already granted';
    return undefined;
  },
  apply: (s, a, { on, nowMs }) => {
    s.progress.earlyRevocation = { ...s.progress.earlyRevocation, application: { on, by: a.by } };
    delete s.progress.earlyRevocation.decision;
    evidence(
      s,
      25,
      {
        on,
        by: a.by,
        what: `early revocation sought from the court (${s.sentence.order.type === 'CO' ? 'Sch 10 para 14' : 'Sch 16 para 22'})`,
      },
      nowMs,
    );
    s.outputs = settleEvent(s.outputs, 25, undefined, on, calendarOf(s));
    log(s, nowMs, 'early-revocation-applied', `application for early revocation made on ${on} by ${a.by}`);
    return [];
  },
});

/** The court's decision on early revocation: granted revokes a CO, or ends an SSO's supervision period. */
const recordRevocationDecision = defineCommand<RevocationDecision>()({
  phases: SUPERVISED,
  reject: (s, a, { today }) => {
    const er = s.progress.earlyRevocation;
    if (!er?.application || er.decision) return 'no application for early revocation awaits a decision';
    if ((a.on ?? today) < er.application.on) return `the decision (${a.on}) cannot precede the application (${er.application.on})`;
    return undefined;
  },
  apply: (s, a, { on, nowMs }) => {
    const er = s.progress.earlyRevocation!;
    er.decision = { on, by: a.by, decision: a.decision };
    log(s, nowMs, 'early-revocation-decided', `the court ${a.decision} early revocation on ${on}`);
    if (a.decision === 'granted') {
      if (s.sentence.order.type === 'CO') terminate(s, 'revoked', on, nowMs);
      else endSupervision(s, on, 'the court cancelled the community requirements (Sch 16 para 22)', nowMs);
    }
    return [];
  },
});

/** The officer ends a CO, or an SSO's supervision period, under the 2026 Act (Sch 10 para 15A / Sch 16 para 22A). */
const endOrderByOfficer = defineCommand<EndOrderByOfficer>()({
  phases: SUPERVISED,
  reject: (s, a, { today }) => {
    const court = `apply to the court instead (Sentencing Act 2020 ${s.sentence.order.type === 'CO' ? 'Sch 10 para 14' : 'Sch 16 para 22'})`;
    // Since rules 2 the power is the law on the day the officer acts, whenever the order was made (law.ts).
    if (rulesOf(s) >= 2) {
      const day = a.on ?? today;
      if (!ruleOn(LAW.officerMayEndOrderInForce, day).value)
        return `the responsible officer may not end an order on ${day}: the Sentencing Act 2026 ss.38-39 were not yet in force; ${court}`;
    } else if (!s.law.officerMayEndOrder) {
      return `the responsible officer may not end this order: it was made on ${s.dates.sentenceDate}, before the Sentencing Act 2026 ss.38-39 applied; ${court}`;
    }
    if (s.sentence.order.type === 'SSO' && s.supervisionEnded) return 'the supervision period has already ended';
    const blockers = officerEndBlockers(s, today, a.noFurtherInstructionsNeeded);
    if (blockers.length > 0) return `the order cannot be ended yet: ${blockers.join('; ')}`;
    if (a.on !== undefined && s.progress.objectivesMetOn && a.on < s.progress.objectivesMetOn) {
      return `the order cannot end (${a.on}) before the objectives were met (${s.progress.objectivesMetOn})`;
    }
    return undefined;
  },
  apply: (s, a, { on, nowMs }) => {
    s.progress.endedByOfficer = { on, by: a.by };
    evidence(
      s,
      25,
      {
        on,
        by: a.by,
        what: `order ended by the responsible officer (${s.sentence.order.type === 'CO' ? 'Sch 10 para 15A' : 'Sch 16 para 22A'})`,
      },
      nowMs,
    );
    s.outputs = settleEvent(s.outputs, 25, undefined, on, calendarOf(s));
    if (s.sentence.order.type === 'CO') terminate(s, 'ended-by-officer', on, nowMs);
    else endSupervision(s, on, 'the responsible officer ended the supervision period (Sch 16 para 22A)', nowMs);
    return [];
  },
});

export const PROGRESS_COMMANDS = {
  'record-requirement-progress': recordRequirementProgress,
  'apply-for-early-revocation': applyForEarlyRevocation,
  'record-revocation-decision': recordRevocationDecision,
  'end-order-by-officer': endOrderByOfficer,
};

/** Opens row 25 once the case first meets the early revocation criteria (checked whenever the case changes). */
export function checkEarlyRevocation(s: SentenceState, today: IsoDate, nowMs: number): void {
  const live = s.phase === 'allocated' || s.phase === 'inducted' || s.phase === 'plan-agreed' || s.phase === 'supervision';
  if (!live || s.progress.earlyRevocation?.eligibleSince || s.progress.earlyRevocation?.application || s.progress.endedByOfficer) return;
  if (today > (s.dates.supervisionEnd ?? s.dates.orderEnd) || s.supervisionEnded) return; // nothing left to revoke
  if (earlyRevocationBlockers(s, today).length > 0) return;
  s.progress.earlyRevocation = { ...s.progress.earlyRevocation, eligibleSince: today };
  s.outputs = openEvent(s.outputs, 25, today, today, calendarOf(s));
  log(
    s,
    nowMs,
    'early-revocation-criteria-met',
    'every requirement complete, no enforcement under way, half the order served: early revocation to be sought',
  );
}

/** Dates on which time alone can make the case eligible (half-way, the end of a requirement's period). */
export function progressWakeDates(s: SentenceState): IsoDate[] {
  if (s.progress.earlyRevocation?.eligibleSince || s.progress.earlyRevocation?.application || s.supervisionEnded) return [];
  const halfway = halfwayDate(s);
  const ends = s.sentence.requirements.map((r) => periodOf(r, s.dates.sentenceDate)).filter((d): d is IsoDate => d !== undefined);
  // A warning stops counting the day after its 12-month period ends.
  const lapses = s.compliance.warnings.map((w) => addDays(warningExpires(w), 1));
  return [halfway, ...ends.map((d) => addDays(d, 1)), ...lapses];
}
