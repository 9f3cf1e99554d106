// Enforcement rules for a failure to comply (Sentencing Act 2020, Schedule 10 paras 5-6 for a community order and
// Schedule 16 paras 5-6 for a suspended sentence order's community requirements): pure functions over dates.
//
// - After an unacceptable failure the responsible officer gives a warning or refers the matter to court.
// - Para 6: if a warning was given and, in the period of 12 months beginning with the day it was given, the offender
//   fails again without reasonable excuse, the officer must refer (no second warning). The window is counted by
//   calendar dates (the corresponding-date rule), not by counting failures or days.
// - Breach action is due within 10 business days of the officer becoming aware of the failure (national standard,
//   GUIDE.md §4).
// Acceptable absences and attended-and-complied appointments are not failures and never count.
import type { BusinessCalendar } from './calendar/index.ts';
import { addDays, periodEnd, shiftMonths, type IsoDate } from './dates.ts';

export const APPOINTMENT_OUTCOMES = [
  'attended-complied',
  'attended-failed-to-comply',
  'acceptable-absence',
  'unacceptable-absence',
  'rescheduled',
] as const;
export type AppointmentOutcome = (typeof APPOINTMENT_OUTCOMES)[number];

/** Outcomes that are a failure to comply without reasonable excuse (an "unacceptable failure"). */
export function isUnacceptableFailure(outcome: AppointmentOutcome): boolean {
  return outcome === 'attended-failed-to-comply' || outcome === 'unacceptable-absence';
}

export const WARNING_WINDOW_MONTHS = 12;
export const BREACH_ACTION_BUSINESS_DAYS = 10;

/** What a warning says (Sch 10/16 para 6(4)), recorded with it since rules 2. */
export interface WarningContent {
  /** Para 6(4)(a): the circumstances of the failure, in the officer's words. */
  circumstances: string;
  /** Para 6(4)(b): that the failure is unacceptable. */
  unacceptable: string;
  /** Para 6(4)(c): what follows a further failure within the 12 months beginning with the day of the warning. */
  consequence: string;
}

export interface Warning {
  givenOn: IsoDate;
  /** What the warning said (since rules 2). */
  content?: WarningContent;
  /** The failure it was given for (since rules 2). */
  failureId?: string;
  /** Withdrawn (since rules 2): it no longer counts. */
  withdrawn?: { on: IsoDate; reasonCode: string; by: string };
}

/** The last day of the 12-month period that begins on the day a warning is given. */
export function warningExpires(w: Warning): IsoDate {
  return periodEnd(w.givenOn, WARNING_WINDOW_MONTHS);
}

/** Warnings whose 12-month period includes `date`; a warning withdrawn (rules 2) no longer counts. */
export function liveWarnings(warnings: readonly Warning[], date: IsoDate): Warning[] {
  return warnings.filter((w) => !w.withdrawn && w.givenOn <= date && date <= warningExpires(w));
}

export type EnforcementDecision = 'warning' | 'referral';

/**
 * What the law allows after an unacceptable failure on `failureOn`: a referral is always allowed; a warning only if
 * no warning's 12-month period includes the failure date.
 */
export function allowedDecisions(warnings: readonly Warning[], failureOn: IsoDate): { allowed: EnforcementDecision[]; reason: string } {
  const live = liveWarnings(warnings, failureOn);
  if (live.length > 0) {
    const w = live[live.length - 1]!;
    return {
      allowed: ['referral'],
      reason: `a warning was given on ${w.givenOn} (its 12-month period runs to ${warningExpires(w)}): the failure on ${failureOn} must be referred to court`,
    };
  }
  return { allowed: ['warning', 'referral'], reason: 'no warning in the 12 months before the failure: a warning or a referral' };
}

/**
 * What the law allows when the officer decides, on `decidedOn`, about a failure (rules from version 2, domain/rules.ts):
 * Sentencing Act 2020 Sch 10 para 6 (a community order) and Sch 16 para 6 (a suspended sentence order's community
 * requirements) apply "where the responsible officer is of the opinion that the offender has without reasonable
 * excuse breached a requirement" (para 6(1)); "if the offender has been given a warning under this paragraph within
 * the previous 12 months", counted back from that opinion, whatever the date of the failure itself, "the officer must
 * refer the matter to an enforcement officer" (para 6(2)); otherwise a warning or a referral (para 6(3)). Both
 * paragraphs read so in the Act as enacted and as in force: no amendment to them is known (the 2026 Act's changes to
 * the Schedules are elsewhere).
 */
export function decisionsAllowedOn(
  warnings: readonly Warning[],
  decidedOn: IsoDate,
  order: 'CO' | 'SSO',
): { allowed: EnforcementDecision[]; reason: string } {
  const para = order === 'CO' ? 'Sentencing Act 2020 Sch 10 para 6(2)' : 'Sentencing Act 2020 Sch 16 para 6(2)';
  const live = liveWarnings(warnings, decidedOn);
  if (live.length > 0) {
    const w = live[live.length - 1]!;
    return {
      allowed: ['referral'],
      reason: `a warning was given on ${w.givenOn}, within the 12 months before this decision on ${decidedOn} (${para}): the matter must be referred to an enforcement officer`,
    };
  }
  return {
    allowed: ['warning', 'referral'],
    reason: `no warning within the 12 months before ${decidedOn}: a warning or a referral to an enforcement officer (para 6(3))`,
  };
}

/**
 * A warning's content as Sch 10 para 6(4) (a community order) and Sch 16 para 6(4) (a suspended sentence order's
 * community requirements) require it: (a) the circumstances of the failure, (b) a statement that it is unacceptable,
 * (c) that a further failure within the 12 months beginning with the day of the warning will be referred to an
 * enforcement officer (para 6(2), which then allows no second warning). The statements are the project's own words.
 */
export function warningContent(order: 'CO' | 'SSO', circumstances: string, givenOn: IsoDate): WarningContent {
  const schedule = order === 'CO' ? 'Sch 10' : 'Sch 16';
  const what = order === 'CO' ? 'community order' : 'suspended sentence order';
  return {
    circumstances,
    unacceptable: `This failure to comply with your ${what} is unacceptable (Sentencing Act 2020 ${schedule} para 6(4)(b)).`,
    consequence:
      `If you fail again, without a reasonable excuse, to comply with any requirement of the order between ${givenOn} and ` +
      `${warningExpires({ givenOn })}, the matter will be referred to an enforcement officer, who may bring you before ` +
      `the court (Sentencing Act 2020 ${schedule} para 6(2) and 6(4)(c)).`,
  };
}

/**
 * Business days after an acceptable absence (its day, or the day it was recorded when later) within which its
 * evidence is to be given, or it becomes unacceptable (rules 2). Local policy, as PC 05/2008 (Determining Unacceptable
 * Absences, named by the specification) leaves the period to providers: published community payback rules ask for
 * written proof of an absence within 7 days, which 5 business days approximates.
 */
export const ABSENCE_EVIDENCE_BUSINESS_DAYS = 5;

/** The day breach action is due: 10 business days after the officer became aware of the failure. */
export function breachActionDue(cal: BusinessCalendar, awareOn: IsoDate): IsoDate {
  return cal.addBusinessDays(awareOn, BREACH_ACTION_BUSINESS_DAYS);
}

export interface ComplianceFailure {
  on: IsoDate;
  outcome: AppointmentOutcome;
}

/** The compliance position on a date: unacceptable failures in the last 12 months and live warnings with expiry. */
export function compliancePosition(failures: readonly ComplianceFailure[], warnings: readonly Warning[], date: IsoDate) {
  // The 12 months ending with `date` begin the day after the same date a year earlier.
  const windowStart = addDays(shiftMonths(date, -WARNING_WINDOW_MONTHS), 1);
  return {
    failuresInLast12Months: failures.filter((f) => isUnacceptableFailure(f.outcome) && f.on >= windowStart && f.on <= date).length,
    liveWarnings: liveWarnings(warnings, date).map((w) => ({
      givenOn: w.givenOn,
      expires: warningExpires(w),
      ...(w.failureId && { failureId: w.failureId }),
    })),
  };
}

/**
 * What the officer may recommend to the court on a breach (the breach report, domain/breach-report.ts; recorded with the
 * breach action since 0.5.0): the court's powers for the order's type, Sentencing Act 2020 Sch 10 paras 10(5) and
 * 11(2) for a community order, Sch 16 para 13(1) for a suspended sentence order, as the Act reads on
 * legislation.gov.uk (revised to 2025). The wording is the project's own.
 */
export const BREACH_RECOMMENDATIONS = {
  CO: {
    'more-onerous-requirements': 'amend the order to impose more onerous requirements (Sch 10 para 10(5)(a), para 11(2)(a))',
    fine: 'order the offender to pay a fine, the order continuing (Sch 10 para 10(5)(b), para 11(2)(b))',
    'revoke-and-resentence':
      "revoke the order and deal with the offender for the offence in any way it could have on conviction (Sch 10 para 10(5)(c) for an order made by a magistrates' court, para 11(2)(c) for one made by the Crown Court)",
  },
  SSO: {
    'activate-in-full': 'order that the suspended sentence take effect with its original term (Sch 16 para 13(1)(a))',
    'activate-in-part': 'order that the suspended sentence take effect with a lesser term (Sch 16 para 13(1)(b))',
    fine: 'order the offender to pay a fine (Sch 16 para 13(1)(c))',
    'more-onerous-requirements': 'amend the order to impose more onerous community requirements (Sch 16 para 13(1)(d)(i))',
    'extend-periods': 'amend the order to extend the supervision or operational period (Sch 16 para 13(1)(d)(ii), (iii))',
  },
} as const;

export type BreachRecommendation = keyof (typeof BREACH_RECOMMENDATIONS)['CO'] | keyof (typeof BREACH_RECOMMENDATIONS)['SSO'];

/** The recommendations the order's type allows, by code. */
export function recommendationsFor(order: 'CO' | 'SSO'): Record<string, string> {
  return BREACH_RECOMMENDATIONS[order];
}

/** Every recommendation's code, whatever the order's type (the API's schema; the case refuses one its type lacks). */
export const BREACH_RECOMMENDATION_CODES = [
  ...new Set([...Object.keys(BREACH_RECOMMENDATIONS.CO), ...Object.keys(BREACH_RECOMMENDATIONS.SSO)]),
] as [BreachRecommendation, ...BreachRecommendation[]];
