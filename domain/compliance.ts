// Appointments, failures to comply, enforcement decisions, breach action, further offences and the court's outcomes
// (specification rows 21 and 26; Sentencing Act 2020 Schedules 10 and 16). The rules of the law are in
// enforcement.ts; this module applies them to a SentenceState, like risk.ts, transfers.ts and the others.
import { addDays, isIsoDate, londonDate, periodEnd, shiftMonths, type IsoDate } from './dates';
import {
  allowedDecisions,
  breachActionDue,
  compliancePosition,
  isUnacceptableFailure,
  type AppointmentOutcome,
  type EnforcementDecision,
  type Warning,
} from './enforcement';
import { clone, codeProblem, evidence, log, makeDeadline, meet, open, reevaluate, significantChange, terminate, underReview, calendarOf } from './kernel';
import { openEvent, settleEvent } from './outputs/ledger';
import { emptyProgress, loseCredit } from './progress';
import type { Requirement, RequirementType } from './sentence';
import type { CourtOutcome, SentenceState } from './state';

export { COURT_OUTCOMES } from './state';
export type { Appointment, Compliance, CourtOutcome, Failure } from './state';
export const MAX_EXTENSION_MONTHS = 6;

/** Business days after an appointment by which its outcome must be recorded (local policy). */
export const OUTCOME_NEEDED_BUSINESS_DAYS = 2;

export type ComplianceCommand =
  | { type: 'record-further-offence'; offenceId: string; offenceOn: IsoDate; convictedOn: IsoDate; by: string; on?: IsoDate }
  | { type: 'record-appointment'; appointmentId: string; date: IsoDate; requirement?: RequirementType }
  | { type: 'record-appointment-outcome'; appointmentId: string; outcome: AppointmentOutcome; reason?: string; on?: IsoDate }
  | { type: 'record-enforcement-decision'; appointmentId: string; decision: EnforcementDecision; on?: IsoDate }
  | { type: 'record-breach-action'; appointmentId: string; on?: IsoDate }
  | {
      type: 'record-court-outcome';
      appointmentId: string;
      outcome: CourtOutcome;
      extendMonths?: number;
      reasonCode?: string;
      /** With 'requirements-amended': the order's requirements as the court amended them (the whole list). */
      requirements?: Requirement[];
      on?: IsoDate;
    };



export function complianceRejection(s: SentenceState, cmd: ComplianceCommand, nowMs: number): string | undefined {
  const c = s.compliance;
  const appointment = 'appointmentId' in cmd ? c.appointments.find((a) => a.id === cmd.appointmentId) : undefined;
  const failure = 'appointmentId' in cmd ? c.failures.find((f) => f.appointmentId === cmd.appointmentId) : undefined;
  switch (cmd.type) {
    case 'record-appointment': {
      const bad = codeProblem('appointmentId', cmd.appointmentId, 40);
      if (bad) return bad;
      if (appointment) return `appointment ${cmd.appointmentId} is already recorded`;
      if (failure) return `${cmd.appointmentId} is already used for a further offence`;
      if (!isIsoDate(cmd.date)) return `date ${cmd.date} is not a calendar date (YYYY-MM-DD)`;
      if (cmd.date < s.dates.sentenceDate || cmd.date > s.dates.orderEnd) return `appointment date ${cmd.date} is outside the order (${s.dates.sentenceDate} to ${s.dates.orderEnd})`;
      return undefined;
    }
    case 'record-appointment-outcome':
      if (!appointment) return `no appointment ${cmd.appointmentId}`;
      if (appointment.outcome) return `appointment ${cmd.appointmentId} already has an outcome (${appointment.outcome})`;
      if (cmd.outcome === 'acceptable-absence' && !cmd.reason) return 'an acceptable absence needs its reason';
      return undefined;
    case 'record-enforcement-decision': {
      if (!failure) return `appointment ${cmd.appointmentId} is not an unacceptable failure to comply`;
      if (failure.decision) return `a ${failure.decision.type} was already decided for appointment ${cmd.appointmentId} on ${failure.decision.on}`;
      // Warnings given before this failure count; Schedule 10/16 para 6 decides what is allowed.
      const earlier = c.warnings.filter((w) => w.givenOn <= failure.on);
      const allowed = allowedDecisions(earlier, failure.on);
      if (!allowed.allowed.includes(cmd.decision)) return `a warning is not allowed: ${allowed.reason}`;
      return undefined;
    }
    case 'record-further-offence': {
      if (s.sentence.order.type !== 'SSO') return 'a further offence is an event of a suspended sentence order (Schedule 16 Part 2)';
      const bad = codeProblem('offenceId', cmd.offenceId, 40);
      if (bad) return bad;
      if (c.failures.some((f) => f.appointmentId === cmd.offenceId) || appointment) return `${cmd.offenceId} is already recorded`;
      if (!isIsoDate(cmd.offenceOn) || !isIsoDate(cmd.convictedOn)) return 'offenceOn and convictedOn are calendar dates (YYYY-MM-DD)';
      if (cmd.offenceOn < s.dates.sentenceDate || cmd.offenceOn > s.dates.orderEnd) {
        return `the offence (${cmd.offenceOn}) was not committed during the operational period (${s.dates.sentenceDate} to ${s.dates.orderEnd})`;
      }
      if (cmd.convictedOn < cmd.offenceOn) return `the conviction (${cmd.convictedOn}) cannot precede the offence (${cmd.offenceOn})`;
      if (cmd.convictedOn > londonDate(nowMs)) return `the conviction (${cmd.convictedOn}) is in the future`;
      return undefined;
    }
    case 'record-breach-action': {
      const breach = s.deadlines.find((d) => d.id === `breach-${cmd.appointmentId}`);
      if (!breach) return `no breach referral for appointment ${cmd.appointmentId}`;
      if (breach.status === 'met' || breach.status === 'met-late') return `breach action for appointment ${cmd.appointmentId} is already recorded`;
      if (breach.status !== 'pending' && breach.status !== 'overdue') return `breach action for appointment ${cmd.appointmentId} is no longer awaited (${breach.status})`;
      return undefined;
    }
    case 'record-court-outcome': {
      const breach = s.deadlines.find((d) => d.id === `breach-${cmd.appointmentId}`);
      if (!breach) return `no breach referral for appointment ${cmd.appointmentId}`;
      if (c.courtOutcomes.some((o) => o.appointmentId === cmd.appointmentId)) return `the court's outcome for appointment ${cmd.appointmentId} is already recorded`;
      if (breach.status !== 'met' && breach.status !== 'met-late') return `breach action for appointment ${cmd.appointmentId} must be recorded before the court's outcome`;
      const type = s.sentence.order.type;
      if ((cmd.outcome === 'sso-activated' || cmd.outcome === 'sso-not-activated') && type !== 'SSO') return `${cmd.outcome} applies to a suspended sentence order only`;
      if ((cmd.outcome === 'order-extended' || cmd.outcome === 'revoked-and-resentenced') && type !== 'CO') {
        return `${cmd.outcome} applies to a community order only`;
      }
      if (cmd.outcome === 'sso-not-activated' && !cmd.reasonCode) return 'the court gives its reason for not activating the sentence (reasonCode)';
      if ((cmd.outcome === 'requirements-amended') !== (cmd.requirements !== undefined)) {
        return 'the amended requirements (requirements) go with the outcome requirements-amended, and only with it';
      }
      if (cmd.requirements && type === 'CO' && cmd.requirements.length === 0) return 'a community order keeps at least one requirement';
      // An amended requirement still ends within the order (CO) or the supervision period (SSO).
      const window = s.dates.supervisionEnd ?? s.dates.orderEnd;
      const tooLong = cmd.requirements?.find((r) => 'months' in r && periodEnd(s.dates.sentenceDate, r.months) > window);
      if (tooLong) return `the amended ${tooLong.type} requirement would run past ${window}`;
      if (cmd.outcome === 'order-extended') {
        if (!Number.isInteger(cmd.extendMonths) || cmd.extendMonths! < 1 || cmd.extendMonths! > MAX_EXTENSION_MONTHS) {
          return `an extension is 1 to ${MAX_EXTENSION_MONTHS} months`;
        }
        if (c.courtOutcomes.some((o) => o.outcome === 'order-extended')) return 'a community order may be extended only once';
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

export function applyCompliance(s: SentenceState, cmd: ComplianceCommand, on: IsoDate, nowMs: number): void {
  const c = s.compliance;
  const by = s.offenderManagerId ?? 'unallocated';
  switch (cmd.type) {
    case 'record-appointment': {
      c.appointments.push({ id: cmd.appointmentId, date: cmd.date, ...(cmd.requirement ? { requirement: cmd.requirement } : {}) });
      s.deadlines.push(
        makeDeadline(
          `outcome-${cmd.appointmentId}`,
          'appointment-outcome',
          `Outcome of appointment ${cmd.appointmentId} (${cmd.date}) within ${OUTCOME_NEEDED_BUSINESS_DAYS} business days`,
          calendarOf(s).addBusinessDays(cmd.date, OUTCOME_NEEDED_BUSINESS_DAYS),
        ),
      );
      log(s, nowMs, 'appointment-booked', `appointment ${cmd.appointmentId} on ${cmd.date}${cmd.requirement ? ` (${cmd.requirement})` : ''}`);
      break;
    }
    case 'record-appointment-outcome': {
      const a = c.appointments.find((x) => x.id === cmd.appointmentId)!;
      a.outcome = cmd.outcome;
      a.outcomeRecordedOn = on;
      if (cmd.reason) a.reason = cmd.reason;
      const d = s.deadlines.find((x) => x.id === `outcome-${a.id}`);
      if (d && open(d)) meet(s, d, on, nowMs);
      log(s, nowMs, 'appointment-outcome', `appointment ${a.id} (${a.date}): ${cmd.outcome}${cmd.reason ? ` (${cmd.reason})` : ''}`);
      evidence(s, 21, { on, by, what: `appointment ${a.id} outcome recorded`, details: { contactType: 'appointment' } }, nowMs);
      if (isUnacceptableFailure(cmd.outcome)) {
        if (a.requirement === 'unpaid-work') loseCredit(s, `unacceptable failure at unpaid work (appointment ${a.id})`, a.date, nowMs);
        c.failures.push({ appointmentId: a.id, on: a.date, awareOn: on });
        s.outputs = openEvent(s.outputs, 26, on, londonDate(nowMs), calendarOf(s));
        const earlier = c.warnings.filter((w) => w.givenOn <= a.date);
        log(s, nowMs, 'failure-to-comply', `unacceptable failure on ${a.date}: ${allowedDecisions(earlier, a.date).reason}`);
      }
      break;
    }
    case 'record-enforcement-decision': {
      const f = c.failures.find((x) => x.appointmentId === cmd.appointmentId)!;
      f.decision = { type: cmd.decision, on };
      if (cmd.decision === 'warning') {
        c.warnings.push({ givenOn: on });
        log(s, nowMs, 'warning-given', `warning given on ${on} for the failure on ${f.on}`);
        evidence(s, 26, { on, by, what: `warning for the failure on ${f.on}` }, nowMs);
        s.outputs = settleEvent(s.outputs, 26, oldestUndecided(s), londonDate(nowMs), calendarOf(s));
      } else {
        s.deadlines.push(
          makeDeadline(`breach-${f.appointmentId}`, 'breach-action', `Breach action for the failure on ${f.on} within 10 business days`, breachActionDue(calendarOf(s), f.awareOn)),
        );
        log(s, nowMs, 'breach-referral', `referred to court on ${on} for the failure on ${f.on}; breach action due ${breachActionDue(calendarOf(s), f.awareOn)}`);
      }
      break;
    }
    case 'record-court-outcome': {
      c.courtOutcomes.push({ appointmentId: cmd.appointmentId, outcome: cmd.outcome, on, ...(cmd.extendMonths ? { extendMonths: cmd.extendMonths } : {}), ...(cmd.reasonCode ? { reasonCode: cmd.reasonCode } : {}) });
      log(s, nowMs, 'court-outcome', `court outcome on ${on} for the failure at appointment ${cmd.appointmentId}: ${cmd.outcome}${cmd.reasonCode ? ` (${cmd.reasonCode})` : ''}`);
      if (cmd.outcome === 'order-extended') {
        const from = s.dates.orderEnd;
        s.dates = { ...s.dates, orderEnd: addDays(shiftMonths(addDays(from, 1), cmd.extendMonths!), -1) };
        log(s, nowMs, 'order-extended', `order extended by ${cmd.extendMonths} months: ends ${s.dates.orderEnd} (was ${from})`);
      } else if (cmd.outcome === 'requirements-amended') {
        amendRequirements(s, cmd.requirements!, on, nowMs);
      } else if (cmd.outcome === 'revoked-and-resentenced' || cmd.outcome === 'sso-activated') {
        terminate(s, cmd.outcome, on, nowMs);
      }
      break;
    }
    case 'record-further-offence': {
      // Schedule 16 Part 2: a conviction for an offence committed during the operational period brings the SSO back
      // before the court. It goes to court like a referral: the breach clock runs from the day the officer knew.
      c.failures.push({ appointmentId: cmd.offenceId, kind: 'further-offence', on: cmd.offenceOn, awareOn: on, decision: { type: 'referral', on } });
      s.outputs = openEvent(s.outputs, 26, on, londonDate(nowMs), calendarOf(s));
      s.deadlines.push(
        makeDeadline(`breach-${cmd.offenceId}`, 'breach-action', `Breach action for the further offence of ${cmd.offenceOn} within 10 business days`, breachActionDue(calendarOf(s), on)),
      );
      log(s, nowMs, 'further-offence', `further offence on ${cmd.offenceOn} (convicted ${cmd.convictedOn}) during the operational period; breach action due ${breachActionDue(calendarOf(s), on)}`);
      break;
    }
    case 'record-breach-action': {
      const d = s.deadlines.find((x) => x.id === `breach-${cmd.appointmentId}`)!;
      meet(s, d, on, nowMs);
      log(s, nowMs, 'breach-actioned', `breach action taken on ${on} for appointment ${cmd.appointmentId}`);
      evidence(s, 26, { on, by, what: `breach action for appointment ${cmd.appointmentId}` }, nowMs);
      s.outputs = settleEvent(s.outputs, 26, oldestUndecided(s), londonDate(nowMs), calendarOf(s));
      break;
    }
  }
}

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
      const d = s.deadlines.find((x) => x.id === `report-${r.id}`);
      if (d?.status === 'pending') d.status = 'cancelled';
    }
  }
  s.progress = { ...s.progress, entries: kept };
  log(s, nowMs, 'requirements-amended', `requirements amended on ${on}: ${before.map((r) => r.type).join(', ') || 'none'} → ${requirements.map((r) => r.type).join(', ') || 'none'}`);
  if (underReview(s)) significantChange(s, 'requirements-amended', on, nowMs);
  reevaluate(s, on, nowMs);
}

/** The awareness date of the oldest failure still awaiting enforcement (a decision, or breach action), if any. */
function oldestUndecided(s: SentenceState): IsoDate | undefined {
  const waiting = s.compliance.failures.filter((f) => {
    if (!f.decision) return true;
    if (f.decision.type === 'warning') return false;
    const d = s.deadlines.find((x) => x.id === `breach-${f.appointmentId}`);
    return d !== undefined && (d.status === 'pending' || d.status === 'overdue');
  });
  return waiting.map((f) => f.awareOn).sort()[0];
}

/** The compliance position on a date: failures in the last 12 months, live warnings with expiry, breach in progress. */
export function compliance(s: SentenceState, today: IsoDate) {
  const position = compliancePosition(
    s.compliance.appointments.flatMap((a) => (a.outcome ? [{ on: a.date, outcome: a.outcome }] : [])),
    s.compliance.warnings,
    today,
  );
  const breachInProgress = s.deadlines.filter((d) => d.kind === 'breach-action' && (d.status === 'pending' || d.status === 'overdue'));
  return { ...position, awaitingDecision: s.compliance.failures.filter((f) => !f.decision).map((f) => f.appointmentId), breachInProgress };
}
