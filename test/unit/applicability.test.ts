// Which outputs apply to which case: a table of sentence profiles, each with its exact applicable set and the
// reason for every output that does not apply.
import { describe, expect, it } from 'vitest';
import { OUTPUTS } from '../../domain/outputs/catalogue.ts';
import {
  applicability,
  orderLevel,
  REQUIREMENT_LEVEL,
  type ApplicabilityInput,
  type CaseFacts,
} from '../../domain/outputs/applicability.ts';
import type { OffenderCharacteristics, Requirement } from '../../domain/sentence.ts';
import { baseOffender } from '../support/fixtures.ts';

const RAR: Requirement = { type: 'rehabilitation-activity', maxDays: 20 };
const UPW: Requirement = { type: 'unpaid-work', hours: 100 };
const CURFEW: Requirement = { type: 'curfew', hoursPerDay: 10, daysPerWeek: 7, months: 6 };
const EXCLUSION: Requirement = { type: 'exclusion', placeCode: 'Z1', months: 6 };
const EM: Requirement = { type: 'electronic-monitoring', purpose: 'compliance', months: 6 };
const PROGRAMME: Requirement = { type: 'programme', programmeCode: 'BBR', days: 30 };
const DRR: Requirement = { type: 'drug-rehabilitation', months: 12, courtReviews: true };

// Rows by their audience, as the catalogue gives them.
const A_ALL = [1, 3, 6, 12, 13, 16, 17, 21, 22, 24, 26, 27, 28, 35, 36];
const B_ALL = [8, 10, 18, 25, 29, 32, 34];
const C_ALL = [20];
const EM_ALL = [1, 3, 6, 21, 24, 26, 27, 28, 35, 36];

const R = {
  female: 'applies to female offenders only',
  noThreat: 'applies to female offenders under threat of domestic abuse: no such threat recorded',
  comms: 'no interpreter, disability or learning difficulty recorded',
  children: 'no significant contact with children recorded',
  vulnerable: 'not recorded as vulnerable to victimisation',
  nps: 'not referred to the NPS',
  agencies: 'no agency or protocol applies',
  homeVisit: (rosh: string) => `RoSH ${rosh}, and no professional judgement recorded that home visits are needed`,
  em: 'the EM provider is the responsible officer: only asterisked outputs apply',
  typeC: (level: string, reqs: string) => `Type C output; the order is Type ${level} (${reqs}): no requirement is primarily rehabilitative`,
  typeB: (reqs: string) => `Type B output; the order is Type A (${reqs}): no requirement needs face-to-face engagement and a plan`,
};

interface Profile {
  name: string;
  requirements: Requirement[];
  offender?: Partial<OffenderCharacteristics>;
  em?: boolean;
  facts?: CaseFacts;
  applies: number[];
  excluded: Record<number, string>;
  level: 'A' | 'B' | 'C';
}

/** The reasons of a plain male, medium-RoSH offender with no flags, for the audience-limited rows. */
const plain = (over: Record<number, string> = {}): Record<number, string> => ({
  2: R.agencies,
  4: R.female,
  5: R.female,
  7: R.comms,
  9: R.children,
  11: R.homeVisit('medium'),
  14: R.vulnerable,
  15: R.female,
  19: R.agencies,
  23: R.children,
  30: R.nps,
  31: R.nps,
  33: R.homeVisit('medium'),
  ...over,
});
const without = (rec: Record<number, string>, ...rows: number[]) =>
  Object.fromEntries(Object.entries(rec).filter(([k]) => !rows.includes(Number(k))));
const sorted = (...lists: number[][]) => [...new Set(lists.flat())].sort((a, b) => a - b);

const profiles: Profile[] = [
  {
    name: 'CO, rehabilitative (RAR), no flags',
    requirements: [RAR],
    level: 'C',
    applies: sorted(A_ALL, B_ALL, C_ALL),
    excluded: plain(),
  },
  {
    name: 'CO, punitive (unpaid work only)',
    requirements: [UPW],
    level: 'B',
    applies: sorted(A_ALL, B_ALL),
    excluded: plain({ 11: R.typeC('B', 'unpaid-work'), 20: R.typeC('B', 'unpaid-work'), 33: R.typeC('B', 'unpaid-work') }),
  },
  {
    name: 'CO, restrictive only (curfew and exclusion)',
    requirements: [CURFEW, EXCLUSION],
    level: 'A',
    applies: A_ALL,
    excluded: {
      ...plain(),
      ...Object.fromEntries([...B_ALL, 9].map((r) => [r, R.typeB('curfew, exclusion')])),
      ...Object.fromEntries([11, 20, 33].map((r) => [r, R.typeC('A', 'curfew, exclusion')])),
    },
  },
  {
    name: 'CO, EM only with the EM provider as responsible officer',
    requirements: [CURFEW, EM],
    em: true,
    level: 'A',
    applies: EM_ALL,
    excluded: {
      ...Object.fromEntries(OUTPUTS.filter((o) => !o.em).map((o) => [o.row, R.em])),
      2: R.agencies,
      5: R.female,
      7: R.comms,
      23: R.children,
    },
  },
  {
    name: 'SSO, female domestic abuse perpetrator, RAR: row 15 is for women under threat of domestic abuse',
    requirements: [RAR],
    offender: { sex: 'female', domesticAbusePerpetrator: true },
    level: 'C',
    applies: sorted(A_ALL, B_ALL, C_ALL, [2, 4, 5, 19]),
    excluded: { ...without(plain(), 2, 4, 5, 19), 15: R.noThreat },
  },
  {
    name: 'CO, woman under threat of domestic abuse, RAR',
    requirements: [RAR],
    offender: { sex: 'female', threatOfDomesticAbuse: true },
    level: 'C',
    applies: sorted(A_ALL, B_ALL, C_ALL, [4, 5, 15]),
    excluded: without(plain(), 4, 5, 15),
  },
  {
    name: 'CO, living with a child on a child protection plan',
    requirements: [RAR, UPW],
    offender: { livesWithOrHasSignificantContactWithChildren: true, childProtectionPlan: true },
    level: 'C',
    applies: sorted(A_ALL, B_ALL, C_ALL, [2, 9, 19, 23]),
    excluded: without(plain(), 2, 9, 19, 23),
  },
  {
    name: 'CO, registered sex offender on a programme',
    requirements: [PROGRAMME],
    offender: { registeredSexOffender: true },
    level: 'C',
    applies: sorted(A_ALL, B_ALL, C_ALL, [2, 19]),
    excluded: without(plain(), 2, 19),
  },
  {
    name: 'CO, subject to a deportation order, unpaid work',
    requirements: [UPW],
    offender: { subjectToDeportationOrder: true },
    level: 'B',
    applies: sorted(A_ALL, B_ALL, [2]),
    excluded: without(plain({ 11: R.typeC('B', 'unpaid-work'), 20: R.typeC('B', 'unpaid-work'), 33: R.typeC('B', 'unpaid-work') }), 2),
  },
  {
    name: 'CO, high RoSH with a DRR',
    requirements: [DRR],
    offender: { roshLevel: 'high' },
    level: 'C',
    applies: sorted(A_ALL, B_ALL, C_ALL, [11, 33]),
    excluded: without(plain(), 11, 33),
  },
  {
    name: 'CO, very high RoSH but unpaid work only: home visits are Type C',
    requirements: [UPW],
    offender: { roshLevel: 'very-high' },
    level: 'B',
    applies: sorted(A_ALL, B_ALL),
    excluded: plain({ 11: R.typeC('B', 'unpaid-work'), 20: R.typeC('B', 'unpaid-work'), 33: R.typeC('B', 'unpaid-work') }),
  },
  {
    name: 'CO, communication needs (interpreter)',
    requirements: [RAR],
    offender: { communicationNeeds: { interpreterLanguage: 'pl', disability: false, learningDifficulty: false } },
    level: 'C',
    applies: sorted(A_ALL, B_ALL, C_ALL, [7]),
    excluded: without(plain(), 7),
  },
  {
    name: 'CO, MAPPA category 2 level 2',
    requirements: [RAR],
    offender: { mappa: { category: 2, level: 2 } },
    level: 'C',
    applies: sorted(A_ALL, B_ALL, C_ALL, [19]),
    excluded: without(plain(), 19),
  },
  {
    name: 'CO, vulnerable to victimisation',
    requirements: [RAR],
    offender: { vulnerableToVictimisation: true },
    level: 'C',
    applies: sorted(A_ALL, B_ALL, C_ALL, [14]),
    excluded: without(plain(), 14),
  },
  {
    name: 'SSO without requirements',
    requirements: [],
    level: 'A',
    applies: A_ALL,
    excluded: {
      ...plain(),
      ...Object.fromEntries([...B_ALL, 9].map((r) => [r, R.typeB('no requirements')])),
      ...Object.fromEntries([11, 20, 33].map((r) => [r, R.typeC('A', 'no requirements')])),
    },
  },
  {
    name: 'EM provider, female with children: only the asterisked rows that fit her',
    requirements: [CURFEW],
    em: true,
    offender: { sex: 'female', livesWithOrHasSignificantContactWithChildren: true },
    level: 'A',
    applies: sorted(EM_ALL, [5, 23]),
    excluded: { ...Object.fromEntries(OUTPUTS.filter((o) => !o.em).map((o) => [o.row, R.em])), 2: R.agencies, 7: R.comms },
  },
  {
    name: 'CO, medium RoSH referred to the NPS, home visits by judgement',
    requirements: [RAR],
    facts: { referredToNps: true, homeVisitsByJudgement: true },
    level: 'C',
    applies: sorted(A_ALL, B_ALL, C_ALL, [11, 30, 31, 33]),
    excluded: without(plain(), 11, 30, 31, 33),
  },
];

describe('applicability of the National Minimum', () => {
  it('catalogues 36 rows with Types from Annex B and the asterisked rows', () => {
    expect(OUTPUTS.map((o) => o.row)).toEqual(Array.from({ length: 36 }, (_, i) => i + 1));
    expect(OUTPUTS.filter((o) => o.type === 'B').map((o) => o.row)).toEqual([8, 9, 10, 18, 25, 29, 32, 34]);
    expect(OUTPUTS.filter((o) => o.type === 'C').map((o) => o.row)).toEqual([11, 20, 33]);
    expect(OUTPUTS.filter((o) => o.em).map((o) => o.row)).toEqual([1, 2, 3, 5, 6, 7, 21, 23, 24, 26, 27, 28, 35, 36]);
    expect(OUTPUTS.find((o) => o.row === 2)?.subEntries?.map((s) => s.id)).toEqual(['csc', 'police-rso', 'police-da', 'immigration']);
    expect(OUTPUTS.find((o) => o.row === 19)?.subEntries?.map((s) => s.id)).toEqual([
      'mappa',
      'visor',
      'safeguarding-children',
      'marac',
      'cpa',
    ]);
  });

  it('derives the order level from every requirement type', () => {
    expect(Object.keys(REQUIREMENT_LEVEL)).toHaveLength(14);
    expect(orderLevel([CURFEW, UPW])).toBe('B');
    expect(orderLevel([CURFEW, UPW, RAR])).toBe('C');
    expect(orderLevel([])).toBe('A');
  });

  it(`covers at least 12 profiles (${profiles.length})`, () => {
    expect(profiles.length).toBeGreaterThanOrEqual(12);
  });

  it.each(profiles.map((p) => [p.name, p] as const))('%s', (_name, p) => {
    const input: ApplicabilityInput = {
      requirements: p.requirements,
      offender: { ...baseOffender, ...p.offender },
      responsibleOfficer: p.em ? 'em-provider' : 'offender-manager',
      facts: p.facts,
    };
    const result = applicability(input);
    expect(result.level).toBe(p.level);
    expect(result.rows.filter((r) => r.applies).map((r) => r.row)).toEqual(p.applies);
    const excluded = Object.fromEntries(result.rows.filter((r) => !r.applies).map((r) => [r.row, r.reason]));
    expect(excluded).toEqual(Object.fromEntries(Object.entries(p.excluded).filter(([row]) => !p.applies.includes(Number(row)))));
    expect(result.rows).toHaveLength(36);
  });

  it('names which agencies row 2 notifies and why', () => {
    const r = applicability({
      requirements: [RAR],
      offender: { ...baseOffender, assessedRiskToChildren: true, subjectToDeportationOrder: true },
      responsibleOfficer: 'offender-manager',
    }).rows.find((x) => x.row === 2)!;
    expect(r.subEntries).toEqual([
      { id: 'csc', applies: true, reason: 'assessed as a risk of harm to children' },
      { id: 'police-rso', applies: false, reason: 'not a registered sex offender' },
      { id: 'police-da', applies: false, reason: 'not a domestic abuse perpetrator' },
      { id: 'immigration', applies: true, reason: 'subject to a deportation order' },
    ]);
  });
});

describe('rows 12, 15 and 19 as rules 2 reads them (issue 12), and as rules 1 did', () => {
  const row = (n: number, offender: Partial<OffenderCharacteristics>, rules: number, facts: CaseFacts = {}) =>
    applicability({
      requirements: [RAR],
      offender: { ...baseOffender, ...offender },
      responsibleOfficer: 'offender-manager',
      facts,
      rules,
    }).rows.find((r) => r.row === n)!;

  it('row 15: a woman under threat of domestic abuse, not every woman; rules 1 took every woman', () => {
    expect(row(15, { sex: 'female', threatOfDomesticAbuse: true }, 2)).toMatchObject({
      applies: true,
      reason: 'female offender under threat of domestic abuse',
    });
    expect(row(15, { sex: 'female' }, 2)).toMatchObject({
      applies: false,
      reason: 'applies to female offenders under threat of domestic abuse: no such threat recorded',
    });
    expect(row(15, { sex: 'female', threatOfDomesticAbuse: false }, 2).applies).toBe(false);
    expect(row(15, { sex: 'male', threatOfDomesticAbuse: true }, 2)).toMatchObject({
      applies: false,
      reason: 'applies to female offenders only',
    });
    expect(row(15, { sex: 'female' }, 1)).toMatchObject({ applies: true, reason: 'female offender' });
    // Rows 4 and 5 are for every woman under both.
    expect(row(4, { sex: 'female' }, 2)).toMatchObject({ applies: true, reason: 'female offender' });
    expect(row(5, { sex: 'female' }, 2)).toMatchObject({ applies: true, reason: 'female offender' });
  });

  it("row 19: a registered sex offender is MAPPA category 1 (CJA 2003 s.327(2)) for the MAPPA part as for ViSOR's", () => {
    const parts = (rules: number) =>
      row(19, { registeredSexOffender: true }, rules).subEntries!.filter((p) => p.id === 'mappa' || p.id === 'visor');
    expect(parts(2)).toEqual([
      { id: 'mappa', applies: true, reason: 'registered sex offender: MAPPA category 1 (Criminal Justice Act 2003 s.327(2))' },
      { id: 'visor', applies: true, reason: 'registered sex offender' },
    ]);
    expect(parts(1)).toEqual([
      { id: 'mappa', applies: false, reason: 'not MAPPA eligible' },
      { id: 'visor', applies: true, reason: 'registered sex offender' },
    ]);
    expect(row(19, { mappa: { category: 2, level: 2 } }, 2).subEntries!.find((p) => p.id === 'mappa')).toEqual({
      id: 'mappa',
      applies: true,
      reason: 'MAPPA category 2, level 2',
    });
  });

  it('row 35: reaches each agency row 2 told of the case or would tell now; with none, the partner agencies', () => {
    const row35 = (offender: Partial<OffenderCharacteristics>, rules: number, agenciesTold: string[] = []) =>
      applicability({
        requirements: [RAR],
        offender: { ...baseOffender, ...offender },
        responsibleOfficer: 'offender-manager',
        rules,
        agenciesTold,
      }).rows.find((r) => r.row === 35)!;
    expect(row35({ registeredSexOffender: true, subjectToDeportationOrder: true }, 2)).toMatchObject({
      applies: true,
      reason: 'the agencies told under row 2: police-rso, immigration',
      subEntries: [
        { id: 'police-rso', applies: true, reason: 'row 2 applies: registered sex offender' },
        { id: 'immigration', applies: true, reason: 'row 2 applies: subject to a deportation order' },
      ],
    });
    // Told at commencement, no longer a risk to children now: told of the end all the same.
    expect(row35({}, 2, ['csc']).subEntries).toEqual([{ id: 'csc', applies: true, reason: 'told of the case under row 2' }]);
    expect(row35({}, 2)).toEqual({
      row: 35,
      applies: true,
      reason: 'applies to all offenders; no agency was told under row 2: the partner agencies',
    });
    expect(row35({ registeredSexOffender: true }, 1)).toEqual({ row: 35, applies: true, reason: 'applies to all offenders' });
  });

  it('row 12: names the schemes the record shows (MAPPA, IOM, PPO, MARAC, a care programme), or that none is', () => {
    expect(row(12, { iom: true, ppo: true }, 2)).toMatchObject({
      applies: true,
      reason: 'applies to all offenders; schemes recorded: Integrated Offender Management, Prolific and other Priority Offenders',
    });
    expect(row(12, { registeredSexOffender: true, marac: true }, 2, { careProgrammeApproach: true }).reason).toBe(
      'applies to all offenders; schemes recorded: MAPPA category 1, MARAC, Care Programme Approach',
    );
    expect(row(12, {}, 2)).toMatchObject({
      applies: true,
      reason: 'applies to all offenders; no multi-agency or special scheme recorded (MAPPA, IOM, PPO, MARAC, care programme)',
    });
    expect(row(12, { iom: true }, 1)).toMatchObject({ applies: true, reason: 'applies to all offenders' });
  });
});
