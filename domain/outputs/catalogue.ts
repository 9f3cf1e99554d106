// The National Minimum: the 36 mandatory output rows of HMPPS "Manage the Sentence for a Community Order or
// Suspended Sentence Order" (P3.1, 2017; P3.0, 2014 where the P3.1 scan is garbled), as data. Summaries are ours;
// row numbers, service elements, output types (Annex B), the asterisk (outputs that apply when the electronic
// monitoring provider is the responsible officer) and the applicable offender types are the specification's.
//
// Sources per field:
// - type: Annex B "Output Level" (both editions agree).
// - em: the asterisks on the row numbers of the National Minimum table (P3.0: rows 1-3, 5-7, 21, 23, 24, 26-28,
//   35, 36; the same rows carry "*" in the EM ("Deliver Curfew *") column of Annex A in both editions).
// - appliesTo: the "Applicable Offender Types" column; row 2 and row 19 list one sub-entry per agency or protocol.
// - delivery: "system" where this software delivers the output itself (creating and closing the case record,
//   agency notifications), "manager" where an offender manager's recorded evidence shows it.

export type OutputType = 'A' | 'B' | 'C';

export type ServiceElement =
  | 'sentence-commenced'
  | 'plan-prepared'
  | 'plan-implemented'
  | 'plan-implemented-by-referral'
  | 'monitoring-and-compliance'
  | 'risk-managed'
  | 'review-and-termination';

/** Who the row applies to, as the specification's "Applicable Offender Types" column states it. */
export type Audience =
  | 'all'
  | 'female'
  | 'communication-needs'
  | 'children-contact'
  | 'high-rosh-or-judgement'
  | 'vulnerable'
  | 'referred-to-nps'
  | 'sub-entries';

/** For outputs that fall due only when something happens during the sentence. */
export type Trigger =
  | 'risk-information'
  | 'child-wellbeing-information'
  | 'court-report-requested'
  | 'early-revocation-criteria-met'
  | 'failure-to-comply'
  | 'transfer-out'
  | 'transfer-in'
  | 'nps-referral';

export interface SubEntry {
  id: string;
  label: string;
  /** In words, the offenders the sub-entry covers. */
  appliesTo: string;
}

export interface OutputRow {
  row: number;
  element: ServiceElement;
  summary: string;
  type: OutputType;
  em: boolean;
  audience: Audience;
  appliesTo: string;
  themes: string[];
  delivery: 'system' | 'manager';
  trigger?: Trigger;
  subEntries?: SubEntry[];
  source: string;
}

const P31 = (row: number) => `P3.1 (2017) National Minimum row ${row}; Annex B`;
const P30 = (row: number) => `P3.0 (2014) National Minimum row ${row} (P3.1 scan garbled); Annex B`;

export const OUTPUTS: readonly OutputRow[] = [
  {
    row: 1,
    element: 'sentence-commenced',
    summary: 'Case created or updated on the approved case system',
    type: 'A',
    em: true,
    audience: 'all',
    appliesTo: 'All',
    themes: [],
    delivery: 'system',
    source: P31(1),
  },
  {
    row: 2,
    element: 'sentence-commenced',
    summary: 'Agencies notified that the case has commenced',
    type: 'A',
    em: true,
    audience: 'sub-entries',
    appliesTo: 'Per agency',
    themes: ['Safeguarding children', 'Domestic abuse'],
    delivery: 'system',
    source: P30(2),
    subEntries: [
      {
        id: 'csc',
        label: "Children's Social Care",
        appliesTo:
          'Assessed as a risk of harm to children, or living with or in significant contact with a child subject to a child protection plan',
      },
      { id: 'police-rso', label: 'Police (registered sex offenders)', appliesTo: 'Registered sex offenders' },
      { id: 'police-da', label: 'Police (domestic abuse)', appliesTo: 'Domestic abuse perpetrators' },
      { id: 'immigration', label: 'Immigration authority', appliesTo: 'Subject to a deportation order' },
    ],
  },
  {
    row: 3,
    element: 'sentence-commenced',
    summary: 'Case allocated to an offender manager for the whole sentence',
    type: 'A',
    em: true,
    audience: 'all',
    appliesTo: 'All',
    themes: [],
    delivery: 'manager',
    source: P31(3),
  },
  {
    row: 4,
    element: 'sentence-commenced',
    summary: 'Female offender offered a female offender manager',
    type: 'A',
    em: false,
    audience: 'female',
    appliesTo: 'Female offenders',
    themes: ['Female offenders'],
    delivery: 'manager',
    source: P30(4),
  },
  {
    row: 5,
    element: 'sentence-commenced',
    summary: 'Female offender offered interviews in a female-only environment',
    type: 'A',
    em: true,
    audience: 'female',
    appliesTo: 'Female offenders',
    themes: ['Female offenders'],
    delivery: 'manager',
    source: P31(5),
  },
  {
    row: 6,
    element: 'sentence-commenced',
    summary: 'Offender understands the sentence, obligations, rights and consequences of failure',
    type: 'A',
    em: true,
    audience: 'all',
    appliesTo: 'All',
    themes: ['Compliance', 'Enforcement'],
    delivery: 'manager',
    source: P31(6),
  },
  {
    row: 7,
    element: 'sentence-commenced',
    summary: 'Offender with language, disability or learning needs enabled to communicate',
    type: 'A',
    em: true,
    audience: 'communication-needs',
    appliesTo: 'Offenders with relevant characteristics',
    themes: ['Diversity'],
    delivery: 'manager',
    source: P30(7),
  },
  {
    row: 8,
    element: 'plan-prepared',
    summary: 'Plan completed after allocation and recorded',
    type: 'B',
    em: false,
    audience: 'all',
    appliesTo: 'All',
    themes: ['Effective practice', 'Risk management'],
    delivery: 'manager',
    source: P31(8),
  },
  {
    row: 9,
    element: 'plan-prepared',
    summary: "Assessment informed by a Children's Social Care check",
    type: 'B',
    em: false,
    audience: 'children-contact',
    appliesTo: 'Living with or in contact with children',
    themes: ['Safeguarding children'],
    delivery: 'manager',
    source: P30(9),
  },
  {
    row: 10,
    element: 'plan-prepared',
    summary: 'Information shared with agencies on domestic-abuse risk; assessment informed by it',
    type: 'B',
    em: false,
    audience: 'all',
    appliesTo: 'All',
    themes: ['Domestic abuse'],
    delivery: 'manager',
    source: P31(10),
  },
  {
    row: 11,
    element: 'plan-prepared',
    summary: 'At least one home visit informs the plan',
    type: 'C',
    em: false,
    audience: 'high-rosh-or-judgement',
    appliesTo: 'High risk of serious harm, and others by professional judgement',
    themes: ['Public protection'],
    delivery: 'manager',
    source: P30(11),
  },
  {
    row: 12,
    element: 'plan-prepared',
    summary: 'Established whether a multi-agency or special scheme covers the offender',
    type: 'A',
    em: false,
    audience: 'all',
    appliesTo: 'All',
    themes: ['Various'],
    delivery: 'manager',
    source: P30(12),
  },
  {
    row: 13,
    element: 'plan-prepared',
    summary: 'Plan meets the order and statutory duties and manages known risks',
    type: 'A',
    em: false,
    audience: 'all',
    appliesTo: 'All',
    themes: [],
    delivery: 'manager',
    source: P31(13),
  },
  {
    row: 14,
    element: 'plan-prepared',
    summary: 'Vulnerable offender offered help with a safety plan',
    type: 'A',
    em: false,
    audience: 'vulnerable',
    appliesTo: 'Vulnerable offenders at risk of victimisation',
    themes: ['Equalities', 'Safeguarding vulnerable adults'],
    delivery: 'manager',
    source: P30(14),
  },
  {
    row: 15,
    element: 'plan-prepared',
    summary: 'Offender under threat of domestic abuse helped with a safety plan',
    type: 'A',
    em: false,
    audience: 'female',
    appliesTo: 'Female offenders',
    themes: ['Domestic abuse'],
    delivery: 'manager',
    source: P31(15),
  },
  {
    row: 16,
    element: 'plan-implemented',
    summary: 'Offender engaged as an active participant in the plan',
    type: 'A',
    em: false,
    audience: 'all',
    appliesTo: 'All',
    themes: ['Effective practice'],
    delivery: 'manager',
    source: P31(16),
  },
  {
    row: 17,
    element: 'plan-implemented',
    summary: 'Plan and management take account of diverse needs',
    type: 'A',
    em: false,
    audience: 'all',
    appliesTo: 'All',
    themes: ['Diversity', 'Equality of outcome'],
    delivery: 'manager',
    source: P31(17),
  },
  {
    row: 18,
    element: 'plan-implemented',
    summary: 'Arrangements and information exchange with agencies implement the plan and requirements',
    type: 'B',
    em: false,
    audience: 'all',
    appliesTo: 'All',
    themes: [],
    delivery: 'manager',
    source: P31(18),
  },
  {
    row: 19,
    element: 'plan-implemented',
    summary: 'National and local inter-agency protection protocols followed',
    type: 'A',
    em: false,
    audience: 'sub-entries',
    appliesTo: 'Per protocol',
    themes: ['Public protection'],
    delivery: 'manager',
    source: P30(19),
    subEntries: [
      { id: 'mappa', label: 'MAPPA', appliesTo: 'MAPPA-eligible offenders' },
      { id: 'visor', label: 'ViSOR', appliesTo: 'MAPPA offenders (registered sex offenders are MAPPA category 1)' },
      { id: 'safeguarding-children', label: 'Safeguarding children', appliesTo: 'Living with or in significant contact with a child' },
      { id: 'marac', label: 'MARAC', appliesTo: 'A risk to victims of domestic abuse' },
      { id: 'cpa', label: 'Care Programme Approach', appliesTo: 'Subject to a Mental Health Act care programme' },
    ],
  },
  {
    row: 20,
    element: 'plan-implemented-by-referral',
    summary: 'Offender supported to access specialist community services',
    type: 'C',
    em: false,
    audience: 'all',
    appliesTo: 'All',
    themes: ['Reducing reoffending pathways'],
    delivery: 'manager',
    source: P31(20),
  },
  {
    row: 21,
    element: 'monitoring-and-compliance',
    summary: 'All contacts and key events recorded; providers told of actions in time',
    type: 'A',
    em: true,
    audience: 'all',
    appliesTo: 'All',
    themes: [],
    delivery: 'manager',
    source: P30(21),
  },
  {
    row: 22,
    element: 'monitoring-and-compliance',
    summary: 'Increased-risk information acted on; NPS told when RoSH may be escalating to high',
    type: 'A',
    em: false,
    audience: 'all',
    appliesTo: 'All',
    themes: ['Risk management', 'Compliance management'],
    delivery: 'manager',
    trigger: 'risk-information',
    source: P31(22),
  },
  {
    row: 23,
    element: 'monitoring-and-compliance',
    summary: "Children's Social Care told of new information on a child's wellbeing",
    type: 'A',
    em: true,
    audience: 'children-contact',
    appliesTo: 'Living with or in significant contact with a child',
    themes: ['Safeguarding children'],
    delivery: 'system',
    trigger: 'child-wellbeing-information',
    source: P31(23),
  },
  {
    row: 24,
    element: 'monitoring-and-compliance',
    summary: 'Assessment, progress and breach reports completed for courts in time',
    type: 'A',
    em: true,
    audience: 'all',
    appliesTo: 'All',
    themes: ['Compliance'],
    delivery: 'manager',
    trigger: 'court-report-requested',
    source: P30(24),
  },
  {
    row: 25,
    element: 'monitoring-and-compliance',
    summary: 'Early revocation sought once the criteria and requirements are met',
    type: 'B',
    em: false,
    audience: 'all',
    appliesTo: 'All',
    themes: ['Compliance'],
    delivery: 'manager',
    trigger: 'early-revocation-criteria-met',
    source: P30(25),
  },
  {
    row: 26,
    element: 'monitoring-and-compliance',
    summary: 'Statutory enforcement action taken for failure to comply',
    type: 'A',
    em: true,
    audience: 'all',
    appliesTo: 'All',
    themes: ['Enforcement', 'Public protection'],
    delivery: 'manager',
    trigger: 'failure-to-comply',
    source: P31(26),
  },
  {
    row: 27,
    element: 'monitoring-and-compliance',
    summary: 'Case transferred out to a provider after approval, court jurisdiction changed as required',
    type: 'A',
    em: true,
    audience: 'all',
    appliesTo: 'All',
    themes: ['Public protection', 'Compliance'],
    delivery: 'manager',
    trigger: 'transfer-out',
    source: P31(27),
  },
  {
    row: 28,
    element: 'monitoring-and-compliance',
    summary: 'Case accepted in from a provider after approval, court jurisdiction changed as required',
    type: 'A',
    em: true,
    audience: 'all',
    appliesTo: 'All',
    themes: ['Public protection', 'Compliance'],
    delivery: 'manager',
    trigger: 'transfer-in',
    source: P31(28),
  },
  {
    row: 29,
    element: 'monitoring-and-compliance',
    summary: 'Risk of harm and likelihood of reoffending assessed and recorded',
    type: 'B',
    em: false,
    audience: 'all',
    appliesTo: 'All',
    themes: ['Public protection'],
    delivery: 'manager',
    source: P30(29),
  },
  {
    row: 30,
    element: 'risk-managed',
    summary: 'NPS decides on a referred case: assumes high-RoSH cases, may set a risk review date',
    type: 'A',
    em: false,
    audience: 'referred-to-nps',
    appliesTo: 'Cases referred to the NPS',
    themes: ['Public protection', 'Compliance'],
    delivery: 'manager',
    trigger: 'nps-referral',
    source: P31(30),
  },
  {
    row: 31,
    element: 'risk-managed',
    summary: 'NPS assessment received and acted on, including transfer of high-RoSH cases',
    type: 'A',
    em: false,
    audience: 'referred-to-nps',
    appliesTo: 'Cases referred to the NPS',
    themes: ['Public protection'],
    delivery: 'manager',
    trigger: 'nps-referral',
    source: P31(31),
  },
  {
    row: 32,
    element: 'review-and-termination',
    summary: 'Plans checked and adjusted regularly and on significant change',
    type: 'B',
    em: false,
    audience: 'all',
    appliesTo: 'All',
    themes: ['Public protection', 'Compliance'],
    delivery: 'manager',
    source: P31(32),
  },
  {
    row: 33,
    element: 'review-and-termination',
    summary: 'Home visit informs the review in higher-risk cases',
    type: 'C',
    em: false,
    audience: 'high-rosh-or-judgement',
    appliesTo: 'High risk of serious harm, and others by professional judgement',
    themes: ['Public protection', 'Female offenders', 'Safeguarding children'],
    delivery: 'manager',
    source: P30(33),
  },
  {
    row: 34,
    element: 'review-and-termination',
    summary: 'Outcomes reviewed at the end of the sentence and recorded',
    type: 'B',
    em: false,
    audience: 'all',
    appliesTo: 'All',
    themes: ['Effective practice'],
    delivery: 'manager',
    source: P31(34),
  },
  {
    row: 35,
    element: 'review-and-termination',
    summary: 'Partner agencies informed at the end of statutory involvement',
    type: 'A',
    em: true,
    audience: 'all',
    appliesTo: 'All',
    themes: ['Safeguarding'],
    delivery: 'system',
    source: P30(35),
  },
  {
    row: 36,
    element: 'review-and-termination',
    summary: 'Case closed and the case system updated',
    type: 'A',
    em: true,
    audience: 'all',
    appliesTo: 'All',
    themes: [],
    delivery: 'system',
    source: P31(36),
  },
];

export function outputRow(row: number): OutputRow {
  const r = OUTPUTS.find((o) => o.row === row);
  if (!r) throw new RangeError(`no output row ${row}`);
  return r;
}
