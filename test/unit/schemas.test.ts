// Every input limit at its valid and invalid edges, through the API's zod schema.
import { describe, expect, it } from 'vitest';
import { HTTP_COMMANDS } from '../../api/commands.ts';
import { problemsOf, SentenceInputSchema } from '../../api/schemas.ts';
import { periodEnd } from '../../domain/dates.ts';
import type { Requirement, SentenceInput, SuspendedSentenceOrder } from '../../domain/sentence.ts';
import { communityOrder, suspendedSentence } from '../support/fixtures.ts';

const SD = '2026-11-23';
const co = (over: Partial<SentenceInput> = {}) => communityOrder(SD, periodEnd(SD, 36), over);
const problems = (input: unknown) => {
  const r = SentenceInputSchema.safeParse(input);
  return r.success ? [] : problemsOf(r.error);
};
const withRequirement = (r: Requirement) => co({ requirements: [r] });

describe('sentence input limits', () => {
  it('accepts the fixtures', () => {
    expect(problems(co())).toEqual([]);
    expect(problems(suspendedSentence(SD, 24, 12))).toEqual([]);
  });

  it.each([
    ['unpaid work 40 hours', { type: 'unpaid-work', hours: 40 }, true],
    ['unpaid work 39 hours', { type: 'unpaid-work', hours: 39 }, false],
    ['unpaid work 300 hours', { type: 'unpaid-work', hours: 300 }, true],
    ['unpaid work 301 hours', { type: 'unpaid-work', hours: 301 }, false],
    ['unpaid work 40.5 hours', { type: 'unpaid-work', hours: 40.5 }, false],
    ['RAR 1 day', { type: 'rehabilitation-activity', maxDays: 1 }, true],
    ['RAR 0 days', { type: 'rehabilitation-activity', maxDays: 0 }, false],
    ['curfew 2 h/day', { type: 'curfew', hoursPerDay: 2, daysPerWeek: 7, months: 6 }, true],
    ['curfew 1 h/day', { type: 'curfew', hoursPerDay: 1, daysPerWeek: 7, months: 6 }, false],
    ['curfew 20 h/day, 5 days (100 h/week)', { type: 'curfew', hoursPerDay: 20, daysPerWeek: 5, months: 6 }, true],
    ['curfew 21 h/day', { type: 'curfew', hoursPerDay: 21, daysPerWeek: 1, months: 6 }, false],
    ['curfew 16 h x 7 = 112 h/week', { type: 'curfew', hoursPerDay: 16, daysPerWeek: 7, months: 6 }, true],
    ['curfew 17 h x 7 = 119 h/week', { type: 'curfew', hoursPerDay: 17, daysPerWeek: 7, months: 6 }, false],
    ['curfew 24 months', { type: 'curfew', hoursPerDay: 8, daysPerWeek: 7, months: 24 }, true],
    ['curfew 25 months', { type: 'curfew', hoursPerDay: 8, daysPerWeek: 7, months: 25 }, false],
    ['exclusion 24 months', { type: 'exclusion', placeCode: 'ZONE1', months: 24 }, true],
    ['exclusion 25 months', { type: 'exclusion', placeCode: 'ZONE1', months: 25 }, false],
    ['foreign travel 12 months', { type: 'foreign-travel-prohibition', months: 12 }, true],
    ['foreign travel 13 months', { type: 'foreign-travel-prohibition', months: 13 }, false],
    ['alcohol abstinence 120 days', { type: 'alcohol-abstinence-monitoring', days: 120 }, true],
    ['alcohol abstinence 121 days', { type: 'alcohol-abstinence-monitoring', days: 121 }, false],
    ['attendance centre 12 hours', { type: 'attendance-centre', hours: 12 }, true],
    ['attendance centre 11 hours', { type: 'attendance-centre', hours: 11 }, false],
    ['attendance centre 36 hours', { type: 'attendance-centre', hours: 36 }, true],
    ['attendance centre 37 hours', { type: 'attendance-centre', hours: 37 }, false],
    ['DRR 6 months with reviews', { type: 'drug-rehabilitation', months: 6, courtReviews: true }, true],
    ['DRR 5 months', { type: 'drug-rehabilitation', months: 5, courtReviews: false }, false],
    ['programme 20 days', { type: 'programme', programmeCode: 'BBR', days: 20 }, true],
    ['prohibited activity', { type: 'prohibited-activity', activityCode: 'PUB', months: 12 }, true],
    ['residence', { type: 'residence', premisesType: 'approved-premises' }, true],
    ['residence, unknown premises', { type: 'residence', premisesType: 'hotel' }, false],
    ['mental health treatment', { type: 'mental-health-treatment', setting: 'non-resident', months: 12 }, true],
    ['alcohol treatment', { type: 'alcohol-treatment', setting: 'resident', months: 6 }, true],
    ['electronic monitoring', { type: 'electronic-monitoring', purpose: 'location', months: 12 }, true],
    ['unknown requirement', { type: 'tagging', months: 12 }, false],
    ['RAR 365 days', { type: 'rehabilitation-activity', maxDays: 365 }, true],
    ['RAR 366 days', { type: 'rehabilitation-activity', maxDays: 366 }, false],
    ['programme 0 days', { type: 'programme', programmeCode: 'BBR', days: 0 }, false],
    ['programme 366 days', { type: 'programme', programmeCode: 'BBR', days: 366 }, false],
    ['electronic monitoring 36 months', { type: 'electronic-monitoring', purpose: 'location', months: 36 }, true],
    ['electronic monitoring 37 months', { type: 'electronic-monitoring', purpose: 'location', months: 37 }, false],
    ['DRR 37 months', { type: 'drug-rehabilitation', months: 37, courtReviews: false }, false],
    ['prohibited activity 0 months', { type: 'prohibited-activity', activityCode: 'PUB', months: 0 }, false],
    ['prohibited activity 37 months', { type: 'prohibited-activity', activityCode: 'PUB', months: 37 }, false],
    ['mental health treatment 37 months', { type: 'mental-health-treatment', setting: 'resident', months: 37 }, false],
    ['alcohol treatment 37 months', { type: 'alcohol-treatment', setting: 'resident', months: 37 }, false],
    ['alcohol abstinence 0 days', { type: 'alcohol-abstinence-monitoring', days: 0 }, false],
    ['curfew 0 days a week', { type: 'curfew', hoursPerDay: 8, daysPerWeek: 0, months: 6 }, false],
    ['curfew 8 days a week', { type: 'curfew', hoursPerDay: 8, daysPerWeek: 8, months: 6 }, false],
    ['exclusion without a place code', { type: 'exclusion', placeCode: '', months: 6 }, false],
  ])('%s: valid = %s', (_name, requirement, valid) => {
    expect(problems(withRequirement(requirement as Requirement)).length === 0).toBe(valid);
  });

  it('limits a community order to 3 years after the date of the order (s.209(2)): the corresponding date, not a day more', () => {
    expect(problems(communityOrder(SD, periodEnd(SD, 36)))).toEqual([]);
    expect(problems(communityOrder(SD, '2029-11-23'))).toEqual([]);
    expect(problems(communityOrder(SD, '2029-11-24'))).toEqual([
      {
        path: 'order.endDate',
        message:
          "a community order's end date is not more than 3 years after the date of the order (Sentencing Act 2020 s.209(2)): 2029-11-23 at the latest",
      },
    ]);
    // Made on 29 February: three years on there is none, so the last day of February.
    expect(problems(communityOrder('2028-02-29', '2031-02-28'))).toEqual([]);
    expect(problems(communityOrder('2028-02-29', '2031-03-01'))[0]?.path).toBe('order.endDate');
    expect(problems(communityOrder(SD, SD))[0]?.path).toBe('order.endDate');
  });

  it('needs at least one requirement for a community order but not for a suspended sentence (below)', () => {
    expect(problems(co({ requirements: [] }))).toEqual([
      { path: 'requirements', message: 'a community order needs at least one requirement' },
    ]);
  });

  // Convicted before the Sentencing Act 2026 s.2 (22 March 2026): operational period at most 24 months.
  const PRE_2026 = '2026-03-21';
  it.each([
    [6, 6, true],
    [5, 5, false],
    [24, 24, true],
    [25, 12, false],
    [12, 13, false],
    [24, 6, true],
  ])('SSO convicted before 22 March 2026, operational %i months, supervision %i months: valid = %s', (op, sup, valid) => {
    const s = suspendedSentence(PRE_2026, op, sup);
    expect(problems(s).length === 0).toBe(valid);
  });

  it.each([
    ['2026-03-21', 25, 731, ['order.custodialTermDays', 'order.operationalPeriodMonths']],
    ['2026-03-22', 25, 731, []],
    ['2026-03-22', 36, 1095, []],
    ['2026-03-22', 37, 1096, ['order.custodialTermDays', 'order.operationalPeriodMonths']],
  ])(
    'SSO limits follow the conviction date (%s): operational %i months, custody %i days → problems at %j',
    (convictionDate, op, days, paths) => {
      const s = suspendedSentence(SD, op, 12);
      const order = { ...s.order, convictionDate, custodialTermDays: days };
      expect([...new Set(problems({ ...s, order }).map((p) => p.path))].sort()).toEqual(paths);
    },
  );

  it('takes an SSO without community requirements, then without a supervision period (s.286(2))', () => {
    const { supervisionPeriodMonths: _dropped, ...withoutPeriod } = suspendedSentence(SD, 12, 6).order as SuspendedSentenceOrder;
    const bare = { ...suspendedSentence(SD, 12, 6), order: withoutPeriod, requirements: [] };
    expect(problems(bare)).toEqual([]);
    expect(problems({ ...bare, order: { ...withoutPeriod, supervisionPeriodMonths: 6 } })).toEqual([
      {
        path: 'order.supervisionPeriodMonths',
        message:
          'an SSO without community requirements has no supervision period (Sentencing Act 2020 s.286(2)): omit supervisionPeriodMonths',
      },
    ]);
    expect(problems({ ...bare, requirements: [{ type: 'unpaid-work', hours: 40 }] })).toEqual([
      {
        path: 'order.supervisionPeriodMonths',
        message: 'an SSO with community requirements has a supervision period (Sentencing Act 2020 s.288)',
      },
    ]);
  });

  it('requires court reviews for a DRR of more than 12 months (Sch 9 para 21)', () => {
    const drr = (months: number, courtReviews: boolean) => co({ requirements: [{ type: 'drug-rehabilitation', months, courtReviews }] });
    expect(problems(drr(12, false))).toEqual([]);
    expect(problems(drr(13, false)).map((p) => p.path)).toEqual(['requirements.0.courtReviews']);
    expect(problems(drr(13, true))).toEqual([]);
  });

  it('refuses what the Sentencing Act 2026 ss.12-17 add or remove until they are in force, naming the provision', () => {
    const withRaw = (r: unknown) => ({ ...co(), requirements: [r] });
    const notCommenced =
      'not among the provisions in force two months after Royal Assent (s.49(4)) nor those SI 2026/402 brings into force (reg 2: ss.21, 34, 36, 38, 39, Sch 5; reg 3: s.42); ' +
      'legislation.gov.uk shows it as prospective. Commenced by regulations not yet identified';
    expect(problems(withRaw({ type: 'driving-prohibition', months: 6 }))).toEqual([
      {
        path: 'requirements.0.type',
        message: `driving-prohibition: a driving prohibition requirement (Sch 9 Part 4A) is not yet in force (s.14: ${notCommenced})`,
      },
    ]);
    expect(problems(withRaw({ type: 'restriction-zone' }))[0]?.message).toMatch(
      /^restriction-zone: a restriction zone requirement \(Sch 9 Part 4D\) is not yet in force \(s\.17: /,
    );
    expect(problems(withRaw({ type: 'public-event-attendance-prohibition' }))[0]?.message).toMatch(/not yet in force \(s\.15: /);
    expect(problems(withRaw({ type: 'drinking-establishment-entry-prohibition' }))[0]?.message).toMatch(/not yet in force \(s\.16: /);
    // s.13 (the renaming) is not in force either: the new name is an unknown requirement.
    expect(problems(withRaw({ type: 'probation', maxDays: 10 }))[0]?.message).toMatch(/^Invalid discriminator value/);
    // s.12 not in force: the order still specifies the RAR's maximum days.
    expect(problems(withRaw({ type: 'rehabilitation-activity' }))).toEqual([
      {
        path: 'requirements.0.maxDays',
        message:
          'a rehabilitation activity requirement specifies the maximum number of days (Sentencing Act 2020 Sch 9 para 4(2); the Sentencing Act 2026 s.12, which removes that, is not yet in force)',
      },
    ]);
  });

  it('keeps a requirement inside the order or the supervision period', () => {
    const tooLong = communityOrder(SD, periodEnd(SD, 12), {
      requirements: [{ type: 'curfew', hoursPerDay: 8, daysPerWeek: 7, months: 13 }],
    });
    expect(problems(tooLong)).toEqual([{ path: 'requirements.0.months', message: 'the curfew requirement would run past 2027-11-22' }]);
    const ssoTooLong = suspendedSentence(SD, 24, 6, { requirements: [{ type: 'foreign-travel-prohibition', months: 7 }] });
    expect(problems(ssoTooLong)[0]?.path).toBe('requirements.0.months');
  });

  it('reports every problem at once, and rejects unknown fields and bad identifiers', () => {
    const bad = {
      ...co(),
      sentenceId: 'bad id!',
      caseReference: 'x1',
      surname: 'Smith',
      requirements: [{ type: 'unpaid-work', hours: 10 }],
      order: { type: 'CO', sentenceDate: '2026-02-30', endDate: '2026-12-01', courtCode: 'B01' },
    };
    const paths = problems(bad)
      .map((p) => p.path)
      .sort();
    expect(paths).toEqual(['(body)', 'caseReference', 'order.sentenceDate', 'requirements.0.hours', 'sentenceId']);
  });

  it.each([
    ['custodial term 14 days', { custodialTermDays: 14 }, true],
    ['custodial term 13 days', { custodialTermDays: 13 }, false],
    ['custodial term 730 days', { custodialTermDays: 730 }, true],
    ['custodial term 731 days', { custodialTermDays: 731 }, false],
    ['supervision 5 months within 12 operational', { operationalPeriodMonths: 12, supervisionPeriodMonths: 5 }, false],
    ['operational 5 months', { operationalPeriodMonths: 5, supervisionPeriodMonths: 5 }, false],
  ])('SSO %s: valid = %s', (_name, order, valid) => {
    const s = suspendedSentence(PRE_2026, 12, 6);
    expect(problems({ ...s, order: { ...s.order, ...order } }).length === 0).toBe(valid);
  });

  it.each([
    [
      'interpreter language as an ISO code',
      { communicationNeeds: { interpreterLanguage: 'pl', disability: false, learningDifficulty: false } },
      true,
    ],
    [
      'interpreter language as a name',
      { communicationNeeds: { interpreterLanguage: 'Polish', disability: false, learningDifficulty: false } },
      false,
    ],
    ['MAPPA category 3 level 1', { mappa: { category: 3, level: 1 } }, true],
    ['MAPPA category 4', { mappa: { category: 4, level: 1 } }, false],
    ['RoSH unknown', { roshLevel: 'extreme' }, false],
    ['a name (personal data not accepted)', { name: 'Jane' }, false],
  ])('offender %s: valid = %s', (_name, offender, valid) => {
    const s = co();
    expect(problems({ ...s, offender: { ...s.offender, ...offender } }).length === 0).toBe(valid);
  });

  it('bounds identifiers and the sentence date', () => {
    expect(problems(co({ sentenceId: `X${'1'.repeat(63)}` }))).toEqual([]);
    expect(problems(co({ sentenceId: `X${'1'.repeat(64)}` }))[0]?.path).toBe('sentenceId');
    expect(problems(communityOrder('2013-12-31', '2014-06-30'))).toEqual([
      { path: 'order.sentenceDate', message: 'no timescales policy covers a sentence date before 2014-01-01' },
    ]);
    expect(problems(communityOrder('2014-01-01', '2014-06-30'))).toEqual([]);
  });

  it('validates command bodies', () => {
    expect(HTTP_COMMANDS.allocate.schema.safeParse({ offenderManagerId: 'OM1' }).success).toBe(true);
    expect(HTTP_COMMANDS.allocate.schema.safeParse({}).success).toBe(false);
    expect(HTTP_COMMANDS.terminate.schema.safeParse({ reason: 'end-of-order' }).success).toBe(false);
    expect(HTTP_COMMANDS.terminate.schema.safeParse({ reason: 'revoked', terminatedOn: '2026-11-31' }).success).toBe(false);
    expect(HTTP_COMMANDS['complete-review'].schema.safeParse({ completedOn: '2026-11-23', extra: 1 }).success).toBe(false);
  });
});
