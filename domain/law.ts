// Rules that the Sentencing Act 2026 changed, as data keyed by date, so that sentences passed under different law run
// side by side, each by its own. A sentence resolves the rules keyed on its sentence date once, at commencement, and
// keeps them (`SentenceState.law`): a later correction of this table never changes the law a running sentence follows.
// Rules keyed on the date of an event (the Act applies them to orders "whenever made") are resolved when it happens.
//
// Sources (read from legislation.gov.uk and reproductions of its text; research notes in the closing note of issue 4):
// - Sentencing Act 2026 (2026 c. 2), Royal Assent 22 January 2026; s.49(4): ss.1, 2, 4, 5, 7-9, 11 etc. in force
//   22 March 2026 (two months after Royal Assent).
// - SI 2026/402 (commencement regulations) brings into force ss.21, 34, 36, 38, 39 and Schedule 5. Its appointed day
//   could not be read from the sources available here; legislation.gov.uk dates the first consequential change it
//   records for the unpaid-work provisions 11 May 2026. PROVISIONAL: that date is used for ss.36-39 until confirmed,
//   and is flagged `confirmed: false` below. Change it here (one place) once confirmed.
// - The Act's transitional provision for ss.37-39 was not found. s.36(3) applies s.36 to orders "whenever made".
//   For ss.37-39 this system keys on the sentence date (an order made before the day keeps the old law), which is
//   the conservative reading; change `keyedOn` here if the regulations say otherwise.
import type { IsoDate } from './dates.ts';

export interface Commencement {
  date: IsoDate;
  confirmed: boolean;
  source: string;
}

export const SENTENCING_ACT_2026 = {
  royalAssent: { date: '2026-01-22', confirmed: true, source: 'Sentencing Act 2026 (c. 2), enacted 22 January 2026' },
  /** s.49(4): ss.1, 2, 4, 5, 7-9, 11, 19, 20, 40, 41, 43, Schs 1-2. */
  twoMonthsAfterAssent: {
    date: '2026-03-22',
    confirmed: true,
    source: 'Sentencing Act 2026 s.49(4); legislation.gov.uk "in force at 22.3.2026"',
  },
  /** SI 2026/402 reg 2: ss.36, 38, 39; and s.37 (unpaid work credit) on the same day as recorded by legislation.gov.uk. */
  managementOfOrders: {
    date: '2026-05-11',
    confirmed: false,
    source:
      'SI 2026/402 reg 2 (ss.36, 38, 39); s.37 valid from 2026-05-11 on legislation.gov.uk. Appointed day not confirmed from the SI text',
  },
} as const satisfies Record<string, Commencement>;

/**
 * Corrections to the published commencement record above, which is frozen (test/unit/frozen.test.ts): s.37 (the
 * unpaid work credit) is not among the provisions SI 2026/402 reg 2 brings into force (ss.21, 34, 36, 38, 39 and
 * Sch 5). legislation.gov.uk shows it in force from 11 May 2026; the instrument that commenced it was not identified
 * here, so its day stays unconfirmed.
 */
export const COMMENCEMENT_CORRECTIONS = {
  unpaidWorkCredit: {
    date: '2026-05-11',
    confirmed: false,
    source:
      'Sentencing Act 2026 s.37: not in SI 2026/402 reg 2 (which lists ss.21, 34, 36, 38, 39 and Sch 5); in force from 2026-05-11 on legislation.gov.uk, the commencing instrument not identified',
  },
} as const satisfies Record<string, Commencement>;

export type KeyedOn = 'sentence-date' | 'conviction-date' | 'event-date';

export interface LawVersion<T> {
  /** First date (inclusive) this version applies to, by the rule's key. */
  from: IsoDate;
  value: T;
  source: string;
}

export interface LawRule<T> {
  id: string;
  description: string;
  keyedOn: KeyedOn;
  versions: readonly LawVersion<T>[];
}

export interface UnpaidWorkCredit {
  /** Share of the ordered hours to work, without an unacceptable absence or removal from a placement, to qualify. */
  qualifyingFraction: number;
  /** Minutes taken off the hours still to do for each credit-earning hour worked after qualifying. */
  creditMinutesPerHour: number;
}

const EARLIEST = '1900-01-01';
const MGMT = SENTENCING_ACT_2026.managementOfOrders.date;

export const LAW = {
  unpaidWorkCredit: {
    id: 'unpaid-work-credit',
    description:
      'Unpaid work credit (Sch 9 para 3A): once 25% of the hours are done with no unacceptable absence and no removal from a placement, each further hour worked takes 30 minutes off the hours (a "credit earning hour" is read as an hour worked after qualifying: the definition in para 3A(4) could not be read)',
    keyedOn: 'sentence-date',
    versions: [
      { from: EARLIEST, value: null, source: 'Sentencing Act 2020 Sch 9 para 2: the hours ordered are the hours to work' },
      {
        from: MGMT,
        value: { qualifyingFraction: 0.25, creditMinutesPerHour: 30 },
        source: 'Sentencing Act 2026 s.37, inserting Sentencing Act 2020 Sch 9 para 3A',
      },
    ],
  } satisfies LawRule<UnpaidWorkCredit | null>,
  unpaidWorkWindowMonths: {
    id: 'unpaid-work-window',
    description:
      'Unpaid work to be performed within 12 months (extendable by the court), until s.36 removed the period for orders whenever made',
    keyedOn: 'event-date',
    versions: [
      { from: EARLIEST, value: 12, source: 'Sentencing Act 2020 Sch 9 para 1(1)(b) and (2)' },
      { from: MGMT, value: null, source: 'Sentencing Act 2026 s.36 (applies to orders whenever made, s.36(3))' },
    ],
  } satisfies LawRule<number | null>,
  officerMayEndOrder: {
    id: 'officer-may-end-order',
    description:
      'The responsible officer ends a community order (Sch 10 para 15A) or an SSO supervision period (Sch 16 para 22A) once no further probation instructions are needed, every other requirement is complied with and the sentence plan objectives are met; before, only a court could revoke (Sch 10 para 14) or cancel the community requirements (Sch 16 para 22)',
    keyedOn: 'sentence-date',
    versions: [
      { from: EARLIEST, value: false, source: 'Sentencing Act 2020 Sch 10 para 14 and Sch 16 para 22 (court application only)' },
      { from: MGMT, value: true, source: 'Sentencing Act 2026 s.38 (Sch 10 Part 3A para 15A) and s.39 (Sch 16 para 22A)' },
    ],
  } satisfies LawRule<boolean>,
  /**
   * The same power, keyed on the day the officer acts (rules 2, issue 12): SI 2026/402 reg 2 brings ss.38-39 into force
   * with no transitional or saving provision (its explanatory note describes none), so the power applies to every
   * order in force from that day, whenever it was made. The version above (keyed on the sentence date) stays for
   * sentences on rules 1.
   */
  officerMayEndOrderInForce: {
    id: 'officer-may-end-order-in-force',
    description:
      'The responsible officer may end a community order (Sch 10 para 15A) or an SSO supervision period (Sch 16 para 22A) from the day ss.38-39 came into force, whenever the order was made',
    keyedOn: 'event-date',
    versions: [
      { from: EARLIEST, value: false, source: 'Sentencing Act 2020 Sch 10 para 14 and Sch 16 para 22 (court application only)' },
      {
        from: MGMT,
        value: true,
        source:
          'Sentencing Act 2026 ss.38-39, brought into force by SI 2026/402 reg 2 with no saving provision (day PROVISIONAL: see SENTENCING_ACT_2026)',
      },
    ],
  } satisfies LawRule<boolean>,
  ssoMaxMonths: {
    id: 'sso-maximum-periods',
    description: 'The longest custodial term that may be suspended, and the longest operational period',
    keyedOn: 'conviction-date',
    versions: [
      { from: EARLIEST, value: { custodialTermDays: 730, operationalPeriodMonths: 24 }, source: 'Sentencing Act 2020 ss.277, 288' },
      {
        from: SENTENCING_ACT_2026.twoMonthsAfterAssent.date,
        value: { custodialTermDays: 1095, operationalPeriodMonths: 36 },
        source:
          'Sentencing Act 2026 s.2 (in force 22 March 2026): 3 years may be suspended; the 3-year operational period is from practitioner summaries, s.2 text not read',
      },
    ],
  } satisfies LawRule<{ custodialTermDays: number; operationalPeriodMonths: number }>,
} as const;

/** The version of a rule in force on a date (the latest whose `from` is on or before it). */
export function ruleOn<T>(rule: LawRule<T>, date: IsoDate): LawVersion<T> {
  let chosen = rule.versions[0]!;
  for (const v of rule.versions) if (v.from <= date && v.from >= chosen.from) chosen = v;
  return chosen;
}

/** The rules a sentence follows for its whole life, resolved on its sentence date. */
export interface SentenceLaw {
  unpaidWorkCredit: UnpaidWorkCredit | null;
  officerMayEndOrder: boolean;
  sources: string[];
}

export function lawForSentence(sentenceDate: IsoDate): SentenceLaw {
  const credit = ruleOn(LAW.unpaidWorkCredit, sentenceDate);
  const officer = ruleOn(LAW.officerMayEndOrder, sentenceDate);
  return { unpaidWorkCredit: credit.value, officerMayEndOrder: officer.value, sources: [credit.source, officer.source] };
}

/** A provision of the Sentencing Act 2026 on community orders or SSOs not in force on the sources read here. */
export interface ProvisionNotInForce {
  provision: string;
  /** What it will change. */
  changes: string;
  /** What this system does until it is in force. */
  meanwhile: string;
  /** The requirement type it adds, refused at start until then. */
  requirementType?: string;
  source: string;
}

const NOT_COMMENCED =
  'not among the provisions in force two months after Royal Assent (s.49(4)) nor those SI 2026/402 brings into force (reg 2: ss.21, 34, 36, 38, 39, Sch 5; reg 3: s.42); ' +
  'legislation.gov.uk shows it as prospective. Commenced by regulations not yet identified';

/**
 * The 2026 Act's other provisions on the requirements of community orders and SSOs (issue 12 point 18), none in force
 * on the sources read here. Each new requirement applies only where the offence was committed on or after the day its
 * provision comes into force (the Code's new s.207(A1)-(D1) and s.291(A1)-(D1)), so when one commences it becomes a
 * LAW rule keyed on the offence date, and its entry here goes.
 */
export const NOT_YET_IN_FORCE: readonly ProvisionNotInForce[] = [
  {
    provision: 'Sentencing Act 2026 s.12',
    changes: 'the court no longer specifies the maximum number of days of a rehabilitation activity requirement (Sch 9 para 4(2) omitted)',
    meanwhile: 'a rehabilitation activity requirement states its maximum days (maxDays), as Sch 9 para 4(2) requires',
    source: `s.12: ${NOT_COMMENCED}`,
  },
  {
    provision: 'Sentencing Act 2026 s.13',
    changes: 'the rehabilitation activity requirement is renamed the probation requirement throughout the Code',
    meanwhile: 'the requirement keeps its name (rehabilitation-activity); ss.38-39, in force, already speak of a "probation requirement"',
    source: `s.13: ${NOT_COMMENCED}`,
  },
  {
    provision: 'Sentencing Act 2026 s.14',
    changes: 'a driving prohibition requirement (Sch 9 Part 4A)',
    meanwhile: 'refused at start',
    requirementType: 'driving-prohibition',
    source: `s.14: ${NOT_COMMENCED}`,
  },
  {
    provision: 'Sentencing Act 2026 s.15',
    changes: 'a public event attendance prohibition requirement (Sch 9 Part 4B)',
    meanwhile: 'refused at start',
    requirementType: 'public-event-attendance-prohibition',
    source: `s.15: ${NOT_COMMENCED}`,
  },
  {
    provision: 'Sentencing Act 2026 s.16',
    changes: 'a drinking establishment entry prohibition requirement (Sch 9 Part 4C)',
    meanwhile: 'refused at start',
    requirementType: 'drinking-establishment-entry-prohibition',
    source: `s.16: ${NOT_COMMENCED}`,
  },
  {
    provision: 'Sentencing Act 2026 s.17',
    changes: 'a restriction zone requirement (Sch 9 Part 4D)',
    meanwhile: 'refused at start',
    requirementType: 'restriction-zone',
    source: `s.17: ${NOT_COMMENCED}`,
  },
  {
    provision: 'Sentencing Act 2026 s.18',
    changes: 'a power for the Secretary of State to add or alter requirements by regulations (Sch 23 para 13A)',
    meanwhile: 'the requirements are those of the Code as in force',
    source: `s.18: ${NOT_COMMENCED}`,
  },
];

/** The provision that would add a requirement of this type, when it is one not yet in force. */
export function requirementNotInForce(type: unknown): ProvisionNotInForce | undefined {
  return NOT_YET_IN_FORCE.find((p) => p.requirementType !== undefined && p.requirementType === type);
}
