// Which of the 36 outputs apply to a case, and why (or why not). Pure: a function of the sentence, the offender's
// current characteristics, the responsible officer and a few facts that arise during the sentence.
import type { OffenderCharacteristics, Requirement, RequirementType, SentenceInput } from '../sentence.ts';
import { CURRENT_RULES } from '../rules.ts';
import { OUTPUTS, type OutputRow, type OutputType, type Trigger } from './catalogue.ts';

/**
 * The output level each requirement brings: Annex A's grid lost its cells in both editions, so it is derived here
 * from the definitions (Strategic Context, "Policy and Expectations", and the Annex A footnote):
 * - Type A applies to every order;
 * - Type B is added where the order needs "a level of face-to-face offender engagement and a sentence plan";
 * - Type C is added where the requirements have "a primarily rehabilitative purpose".
 * Annex A's columns name the requirements (Supervision, ATR, DRR, Rehab Services, Accredited Programmes, MHTR,
 * Community Payback, Senior Attendance Centre, Curfew (EM, asterisked), Residence, Prohibited Activity, Exclusion).
 * The few cell contents that survived agree with this: "Type C" against row 33 and "Type B" against row 25 in
 * treatment columns, "*" in the Curfew/EM column against exactly the asterisked rows.
 */
export const REQUIREMENT_LEVEL: Record<RequirementType, { level: OutputType; annexA: string; why: string }> = {
  'rehabilitation-activity': {
    level: 'C',
    annexA: 'Rehab Services (and Supervision, which the RAR replaced in 2015)',
    why: 'rehabilitative activity with the officer',
  },
  programme: { level: 'C', annexA: 'Accredited Programmes', why: 'an accredited programme addresses offending behaviour' },
  'mental-health-treatment': { level: 'C', annexA: 'Mental Health TR', why: 'treatment is rehabilitative' },
  'drug-rehabilitation': { level: 'C', annexA: 'Drugs Rehab Requirement', why: 'treatment and testing are rehabilitative' },
  'alcohol-treatment': { level: 'C', annexA: 'Alcohol Treatment Requirement', why: 'treatment is rehabilitative' },
  'unpaid-work': { level: 'B', annexA: 'Community Payback', why: 'supervised work face to face, reparative rather than rehabilitative' },
  'attendance-centre': { level: 'B', annexA: 'Senior Attendance Centre', why: 'attendance face to face, punitive in purpose' },
  curfew: { level: 'A', annexA: 'Deliver Curfew *', why: 'a restriction monitored electronically, no face-to-face engagement' },
  exclusion: { level: 'A', annexA: 'Deliver Exclusion', why: 'a restriction, no face-to-face engagement' },
  residence: { level: 'A', annexA: 'Deliver Residence', why: 'a restriction, no face-to-face engagement' },
  'prohibited-activity': { level: 'A', annexA: 'Deliver Prohibited Activity', why: 'a restriction, no face-to-face engagement' },
  'foreign-travel-prohibition': {
    level: 'A',
    annexA: '(not in Annex A: added in 2012) as Exclusion',
    why: 'a restriction, no face-to-face engagement',
  },
  'alcohol-abstinence-monitoring': {
    level: 'A',
    annexA: '(not in Annex A: added in 2014) as Curfew',
    why: 'monitored by a tag, no face-to-face engagement',
  },
  'electronic-monitoring': { level: 'A', annexA: 'Deliver Curfew * (the EM column)', why: 'monitoring only' },
};

const RANK: Record<OutputType, number> = { A: 1, B: 2, C: 3 };

/** The order's output level: the highest level among its requirements (an SSO without requirements: A). */
export function orderLevel(requirements: readonly Requirement[]): OutputType {
  let level: OutputType = 'A';
  for (const r of requirements) if (RANK[REQUIREMENT_LEVEL[r.type].level] > RANK[level]) level = REQUIREMENT_LEVEL[r.type].level;
  return level;
}

/** Facts that arise during the sentence and change what applies. */
export interface CaseFacts {
  /** The officer judged that home visits are needed although RoSH is not high (rows 11 and 33). */
  homeVisitsByJudgement?: boolean;
  /** The case has been referred to the NPS (rows 30 and 31). */
  referredToNps?: boolean;
  /** The offender is subject to a Mental Health Act care programme (row 19, CPA). */
  careProgrammeApproach?: boolean;
}

export interface SubEntryApplicability {
  id: string;
  applies: boolean;
  reason: string;
}

export interface RowApplicability {
  row: number;
  applies: boolean;
  reason: string;
  trigger?: Trigger;
  subEntries?: SubEntryApplicability[];
}

export interface ApplicabilityResult {
  level: OutputType;
  rows: RowApplicability[];
}

export interface ApplicabilityInput {
  requirements: readonly Requirement[];
  offender: OffenderCharacteristics;
  responsibleOfficer: SentenceInput['responsibleOfficer'];
  facts?: CaseFacts;
  /** The rules version the case computes with (domain/rules.ts); the current rules when not given. */
  rules?: number;
  /** The agencies row 2 has told of the case (its parts with evidence), for row 35 (since rules 2). */
  agenciesTold?: readonly string[];
}

/** The rules version that first reads rows 12, 15 and 19 as below (domain/rules.ts, issue 12). */
const READS_SCHEMES_AND_THREAT = 2;

const isHighRosh = (o: OffenderCharacteristics) => o.roshLevel === 'high' || o.roshLevel === 'very-high';
const hasCommunicationNeeds = (o: OffenderCharacteristics) =>
  Boolean(o.communicationNeeds.interpreterLanguage) || o.communicationNeeds.disability || o.communicationNeeds.learningDifficulty;

function subEntries(row: OutputRow, o: OffenderCharacteristics, facts: CaseFacts, rules: number): SubEntryApplicability[] {
  const yes = (id: string, reason: string): SubEntryApplicability => ({ id, applies: true, reason });
  const no = (id: string, reason: string): SubEntryApplicability => ({ id, applies: false, reason });
  if (row.row === 2) {
    const childRisk = o.assessedRiskToChildren || (o.livesWithOrHasSignificantContactWithChildren && o.childProtectionPlan);
    return [
      childRisk
        ? yes(
            'csc',
            o.assessedRiskToChildren
              ? 'assessed as a risk of harm to children'
              : 'lives with or has significant contact with a child on a child protection plan',
          )
        : no('csc', 'not assessed as a risk to children, and no contact with a child on a child protection plan'),
      o.registeredSexOffender ? yes('police-rso', 'registered sex offender') : no('police-rso', 'not a registered sex offender'),
      o.domesticAbusePerpetrator ? yes('police-da', 'domestic abuse perpetrator') : no('police-da', 'not a domestic abuse perpetrator'),
      o.subjectToDeportationOrder
        ? yes('immigration', 'subject to a deportation order')
        : no('immigration', 'not subject to a deportation order'),
    ];
  }
  // ViSOR: "MAPPA offenders" in the spec; registered sex offenders are MAPPA category 1 whether or not recorded so.
  const mappaViSOR = o.mappa !== undefined;
  return [
    mappaEntry(o, rules),
    mappaViSOR || o.registeredSexOffender
      ? yes('visor', o.registeredSexOffender ? 'registered sex offender' : `MAPPA category ${o.mappa!.category}`)
      : no('visor', 'not a MAPPA offender'),
    o.livesWithOrHasSignificantContactWithChildren
      ? yes('safeguarding-children', 'lives with or has significant contact with a child')
      : no('safeguarding-children', 'no significant contact with children'),
    o.marac || o.domesticAbusePerpetrator
      ? yes('marac', o.marac ? 'case heard at MARAC' : 'a risk to victims of domestic abuse')
      : no('marac', 'no MARAC case and no domestic abuse'),
    facts.careProgrammeApproach
      ? yes('cpa', 'subject to a care programme')
      : no('cpa', 'not subject to a Mental Health Act care programme'),
  ];
}

/**
 * Row 19's MAPPA part. A registered sex offender (subject to the notification requirements of Part 2 of the Sexual
 * Offences Act 2003) is a relevant sexual offender under Criminal Justice Act 2003 s.327(2), for whom the MAPPA
 * arrangements of s.325 exist (MAPPA category 1): since rules 2 the part applies to them whether or not a MAPPA
 * category was recorded.
 */
function mappaEntry(o: OffenderCharacteristics, rules: number): SubEntryApplicability {
  if (o.mappa) return { id: 'mappa', applies: true, reason: `MAPPA category ${o.mappa.category}, level ${o.mappa.level}` };
  if (o.registeredSexOffender && rules >= READS_SCHEMES_AND_THREAT)
    return { id: 'mappa', applies: true, reason: 'registered sex offender: MAPPA category 1 (Criminal Justice Act 2003 s.327(2))' };
  return { id: 'mappa', applies: false, reason: 'not MAPPA eligible' };
}

/**
 * Row 12 applies to every case: the manager establishes whether any multi-agency or special scheme covers the
 * offender. Since rules 2 its reason names the schemes the case's record already shows (MAPPA, IOM, PPO, MARAC, a care
 * programme), the ones the manager confirms and records, or says that none is recorded.
 */
function schemesReason(o: OffenderCharacteristics, facts: CaseFacts): string {
  const schemes = [
    ...(o.mappa ? [`MAPPA category ${o.mappa.category}`] : o.registeredSexOffender ? ['MAPPA category 1'] : []),
    ...(o.iom ? ['Integrated Offender Management'] : []),
    ...(o.ppo ? ['Prolific and other Priority Offenders'] : []),
    ...(o.marac ? ['MARAC'] : []),
    ...(facts.careProgrammeApproach ? ['Care Programme Approach'] : []),
  ];
  return schemes.length > 0
    ? `applies to all offenders; schemes recorded: ${schemes.join(', ')}`
    : 'applies to all offenders; no multi-agency or special scheme recorded (MAPPA, IOM, PPO, MARAC, care programme)';
}

/**
 * Rows 4 and 5 apply to every woman. Row 15 helps "female offenders subject to the threat of domestic abuse": since
 * rules 2 it applies to a woman under that threat (an input that can change during the order), not to every woman.
 */
function femaleAudience(row: OutputRow, o: OffenderCharacteristics, rules: number): { applies: boolean; reason: string } {
  if (o.sex !== 'female') return { applies: false, reason: 'applies to female offenders only' };
  if (row.row !== 15 || rules < READS_SCHEMES_AND_THREAT) return { applies: true, reason: 'female offender' };
  return o.threatOfDomesticAbuse
    ? { applies: true, reason: 'female offender under threat of domestic abuse' }
    : { applies: false, reason: 'applies to female offenders under threat of domestic abuse: no such threat recorded' };
}

/**
 * Row 35: "informs partner agencies and others, as appropriate, at termination of statutory involvement". Since rules
 * 2 it reaches each agency that row 2 told of the case, or would tell now (children's social care, the police, the
 * immigration authority), as a part of its own; with none, the one message to the partner agencies.
 */
function endOfInvolvement(
  input: ApplicabilityInput,
  facts: CaseFacts,
): { applies: boolean; reason: string; subEntries?: SubEntryApplicability[] } {
  const row2 = OUTPUTS.find((r) => r.row === 2)!;
  const told = new Set(input.agenciesTold ?? []);
  const parts = subEntries(row2, input.offender, facts, READS_SCHEMES_AND_THREAT)
    .filter((p) => p.applies || told.has(p.id))
    .map((p) => ({ id: p.id, applies: true, reason: told.has(p.id) ? 'told of the case under row 2' : `row 2 applies: ${p.reason}` }));
  if (parts.length === 0)
    return { applies: true, reason: 'applies to all offenders; no agency was told under row 2: the partner agencies' };
  return { applies: true, reason: `the agencies told under row 2: ${parts.map((p) => p.id).join(', ')}`, subEntries: parts };
}

function audience(
  row: OutputRow,
  o: OffenderCharacteristics,
  facts: CaseFacts,
  rules: number,
): { applies: boolean; reason: string; subEntries?: SubEntryApplicability[] } {
  switch (row.audience) {
    case 'all':
      return row.row === 12 && rules >= READS_SCHEMES_AND_THREAT
        ? { applies: true, reason: schemesReason(o, facts) }
        : { applies: true, reason: 'applies to all offenders' };
    case 'female':
      return femaleAudience(row, o, rules);
    case 'communication-needs':
      return hasCommunicationNeeds(o)
        ? { applies: true, reason: 'communication needs recorded' }
        : { applies: false, reason: 'no interpreter, disability or learning difficulty recorded' };
    case 'children-contact':
      return o.livesWithOrHasSignificantContactWithChildren
        ? { applies: true, reason: 'lives with or has significant contact with children' }
        : { applies: false, reason: 'no significant contact with children recorded' };
    case 'high-rosh-or-judgement':
      if (isHighRosh(o)) return { applies: true, reason: `RoSH ${o.roshLevel}` };
      return facts.homeVisitsByJudgement
        ? { applies: true, reason: 'professional judgement' }
        : { applies: false, reason: `RoSH ${o.roshLevel}, and no professional judgement recorded that home visits are needed` };
    case 'vulnerable':
      return o.vulnerableToVictimisation
        ? { applies: true, reason: 'vulnerable to victimisation' }
        : { applies: false, reason: 'not recorded as vulnerable to victimisation' };
    case 'referred-to-nps':
      return facts.referredToNps ? { applies: true, reason: 'referred to the NPS' } : { applies: false, reason: 'not referred to the NPS' };
    case 'sub-entries': {
      const subs = subEntries(row, o, facts, rules);
      const applying = subs.filter((s) => s.applies);
      return applying.length > 0
        ? { applies: true, reason: applying.map((s) => `${s.id}: ${s.reason}`).join('; '), subEntries: subs }
        : { applies: false, reason: 'no agency or protocol applies', subEntries: subs };
    }
  }
}

/** Every one of the 36 rows, each applying with its reason or not applying with the reason why not. */
export function applicability(input: ApplicabilityInput): ApplicabilityResult {
  const level = orderLevel(input.requirements);
  const facts = input.facts ?? {};
  const rules = input.rules ?? CURRENT_RULES;
  const em = input.responsibleOfficer === 'em-provider';
  const requirementList = input.requirements.map((r) => r.type).join(', ') || 'no requirements';
  const rows = OUTPUTS.map((row): RowApplicability => {
    const base = { row: row.row, ...(row.trigger ? { trigger: row.trigger } : {}) };
    if (em && !row.em)
      return { ...base, applies: false, reason: 'the EM provider is the responsible officer: only asterisked outputs apply' };
    if (RANK[row.type] > RANK[level]) {
      const why =
        row.type === 'C' ? 'no requirement is primarily rehabilitative' : 'no requirement needs face-to-face engagement and a plan';
      return { ...base, applies: false, reason: `Type ${row.type} output; the order is Type ${level} (${requirementList}): ${why}` };
    }
    const a =
      row.row === 35 && rules >= READS_SCHEMES_AND_THREAT ? endOfInvolvement(input, facts) : audience(row, input.offender, facts, rules);
    return { ...base, applies: a.applies, reason: a.reason, ...(a.subEntries ? { subEntries: a.subEntries } : {}) };
  });
  return { level, rows };
}

export function applicableRows(input: ApplicabilityInput): number[] {
  return applicability(input)
    .rows.filter((r) => r.applies)
    .map((r) => r.row);
}
