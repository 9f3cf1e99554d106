// The sentence as the case system hands it over: plain types, no validation library. The API validates input
// against these shapes (api/schemas.ts) using the limits below, which are the single source of the numbers.
import type { IsoDate } from './dates.ts';

export type OrderType = 'CO' | 'SSO';

/**
 * Statutory limits. Sources: Sentencing Act 2020 s.177 (CO up to 3 years), s.288 (SSO operational period and
 * supervision period 6 months to 2 years, supervision not longer than operational), Schedule 9 (requirements).
 */
export const LIMITS = {
  coMaxMonths: 36,
  ssoPeriodMonths: { min: 6, max: 24 },
  unpaidWorkHours: { min: 40, max: 300 }, // Sch 9 para 2
  rarMaxDays: { min: 1, max: 365 }, // Sch 9 para 4: the court sets a maximum number of days; no statutory cap, sanity bound
  programmeDays: { min: 1, max: 365 }, // Sch 9 para 6
  curfew: { hoursPerDayMin: 2, hoursPerDayMax: 20, hoursPerWeekMax: 112, maxMonths: 24 }, // Sch 9 para 9-10 (as amended 2022)
  exclusionMaxMonths: 24, // Sch 9 para 12
  foreignTravelMaxMonths: 12, // Sch 9 para 15
  alcoholAbstinenceDays: { min: 1, max: 120 }, // Sch 9 para 25 (as amended 2022)
  attendanceCentreHours: { min: 12, max: 36 }, // Sch 9 para 28 (offenders under 25)
  electronicMonitoringMaxMonths: 36,
} as const;

export const REQUIREMENT_TYPES = [
  'unpaid-work',
  'rehabilitation-activity',
  'programme',
  'prohibited-activity',
  'curfew',
  'exclusion',
  'residence',
  'foreign-travel-prohibition',
  'mental-health-treatment',
  'drug-rehabilitation',
  'alcohol-treatment',
  'alcohol-abstinence-monitoring',
  'attendance-centre',
  'electronic-monitoring',
] as const;
export type RequirementType = (typeof REQUIREMENT_TYPES)[number];

export type Requirement =
  | { type: 'unpaid-work'; hours: number }
  | { type: 'rehabilitation-activity'; maxDays: number }
  | { type: 'programme'; programmeCode: string; days: number }
  | { type: 'prohibited-activity'; activityCode: string; months: number }
  | { type: 'curfew'; hoursPerDay: number; daysPerWeek: number; months: number }
  | { type: 'exclusion'; placeCode: string; months: number }
  | { type: 'residence'; premisesType: 'approved-premises' | 'specified-address' | 'other' }
  | { type: 'foreign-travel-prohibition'; months: number }
  | { type: 'mental-health-treatment'; setting: 'resident' | 'non-resident' | 'practitioner'; months: number }
  | { type: 'drug-rehabilitation'; months: number; courtReviews: boolean; reviewIntervalMonths?: number }
  | { type: 'alcohol-treatment'; setting: 'resident' | 'non-resident'; months: number }
  | { type: 'alcohol-abstinence-monitoring'; days: number }
  | { type: 'attendance-centre'; hours: number }
  | { type: 'electronic-monitoring'; purpose: 'compliance' | 'location'; months: number };

export type RoshLevel = 'low' | 'medium' | 'high' | 'very-high';

/** Only the characteristics that the specification's rows depend on; no names, no free text. */
export interface OffenderCharacteristics {
  sex: 'female' | 'male' | 'other' | 'not-stated';
  communicationNeeds: {
    interpreterLanguage?: string; // ISO 639 code
    disability: boolean;
    learningDifficulty: boolean;
  };
  livesWithOrHasSignificantContactWithChildren: boolean;
  childProtectionPlan: boolean;
  assessedRiskToChildren: boolean;
  registeredSexOffender: boolean;
  domesticAbusePerpetrator: boolean;
  subjectToDeportationOrder: boolean;
  vulnerableToVictimisation: boolean;
  /**
   * Under threat of domestic abuse (row 15: "helps female offenders subject to the threat of domestic abuse to prepare
   * a safety plan"). A fact that can change during the order (change-circumstances); unrecorded, none is known.
   */
  threatOfDomesticAbuse?: boolean;
  roshLevel: RoshLevel;
  mappa?: { category: 1 | 2 | 3; level: 1 | 2 | 3 };
  iom: boolean;
  ppo: boolean;
  marac: boolean;
}

export type ResponsibleOfficer = 'offender-manager' | 'em-provider';

interface OrderBase {
  sentenceDate: IsoDate;
  courtCode: string;
  /** The date of conviction, where the law keys a rule on it (Sentencing Act 2026 s.2); defaults to the sentence date. */
  convictionDate?: IsoDate;
  /** The order provides for review by the court under s.217A (CO) or s.293A (SSO). */
  reviewProvision?: boolean;
}
export interface CommunityOrder extends OrderBase {
  type: 'CO';
  endDate: IsoDate;
}
export interface SuspendedSentenceOrder extends OrderBase {
  type: 'SSO';
  custodialTermDays: number;
  operationalPeriodMonths: number;
  /**
   * The period for complying with the order's community requirements. An SSO may impose none (Sentencing Act 2020
   * s.286(2): it "may also specify" requirements): then it has no supervision period, only its operational period.
   */
  supervisionPeriodMonths?: number;
}
export type Order = CommunityOrder | SuspendedSentenceOrder;

export interface SentenceInput {
  /** Supplied by the case system, e.g. CRN plus event number: "X123456-1". */
  sentenceId: string;
  /** The offender's case reference number (CRN). */
  caseReference: string;
  order: Order;
  requirements: Requirement[];
  offender: OffenderCharacteristics;
  provider: { providerCode: string; areaCode: string };
  responsibleOfficer: ResponsibleOfficer;
  /**
   * A limited-access case (as HMPPS' restricted and excluded cases): only the named staff may see it (`restrictedTo`),
   * or the named staff must never see it (`excluded`). Staff ids; enforced by the API on every read, list and command.
   */
  access?: CaseAccess;
}

export interface CaseAccess {
  restrictedTo?: string[];
  excluded?: string[];
}
