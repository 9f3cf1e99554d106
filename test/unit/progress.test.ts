// Requirement progress, the Sentencing Act 2026 rules by date, early revocation and ending by the officer.
import { describe, expect, it } from 'vitest';
import { londonStartOfDay, periodEnd, shiftMonths } from '../../domain/dates.ts';
import { LAW, lawForSentence, ruleOn, SENTENCING_ACT_2026 } from '../../domain/law.ts';
import { advanceTime, applyCommand, commence, rejectionReason, type Command, type SentenceState } from '../../domain/lifecycle.ts';
import { earlyRevocationBlockers, requirementPositions, unpaidWorkPosition } from '../../domain/progress.ts';
import type { Requirement } from '../../domain/sentence.ts';
import { communityOrder, suspendedSentence } from '../support/fixtures.ts';
import { at, row, run } from '../support/scenario.ts';

const COMMENCED = SENTENCING_ACT_2026.managementOfOrders.date; // ss.36-39 and s.37
const BEFORE = '2026-05-10';

function planned(sentenceDate: string, requirements: Requirement[], months = 12): SentenceState {
  return run(
    commence(communityOrder(sentenceDate, periodEnd(sentenceDate, months), { requirements }), 'h', at(sentenceDate)),
    [{ type: 'allocate', offenderManagerId: 'OM1' }, sentenceDate],
    [{ type: 'record-first-appointment' }, sentenceDate],
    [{ type: 'complete-plan' }, sentenceDate],
  );
}

describe('the law by date', () => {
  it('resolves each rule on its key date, the day of commencement included', () => {
    expect(ruleOn(LAW.unpaidWorkCredit, BEFORE).value).toBeNull();
    expect(ruleOn(LAW.unpaidWorkCredit, COMMENCED).value).toEqual({ qualifyingFraction: 0.25, creditMinutesPerHour: 30 });
    expect(ruleOn(LAW.officerMayEndOrder, BEFORE).value).toBe(false);
    expect(ruleOn(LAW.officerMayEndOrder, COMMENCED).value).toBe(true);
    expect(ruleOn(LAW.unpaidWorkWindowMonths, BEFORE).value).toBe(12);
    expect(ruleOn(LAW.unpaidWorkWindowMonths, COMMENCED).value).toBeNull();
    expect(ruleOn(LAW.ssoMaxMonths, '2026-03-21').value.operationalPeriodMonths).toBe(24);
    expect(ruleOn(LAW.ssoMaxMonths, '2026-03-22').value.operationalPeriodMonths).toBe(36);
    for (const rule of Object.values(LAW)) for (const v of rule.versions) expect(v.source).toMatch(/Sentencing Act 20(20|26)/);
  });

  it("fixes a sentence's law at commencement", () => {
    expect(lawForSentence(BEFORE)).toMatchObject({ unpaidWorkCredit: null, officerMayEndOrder: false });
    expect(commence(communityOrder(COMMENCED, periodEnd(COMMENCED, 12)), 'h', at(COMMENCED)).law.officerMayEndOrder).toBe(true);
  });
});

describe('unpaid work hours and the 2026 credit (Sch 9 para 3A)', () => {
  const credit = { qualifyingFraction: 0.25, creditMinutesPerHour: 30 };
  it.each([
    // ordered, worked, qualified, credit?, remaining
    [100, 24, false, true, 76],
    [100, 25, true, true, 75], // qualifying share reached: nothing credited yet
    [100, 45, true, true, 45], // 20 credit-earning hours → 10 hours off
    [100, 75, true, true, 0], // 50 earning → 25 off: 75 worked completes 100
    [100, 75, true, false, 25], // no credit under the old law
    [40, 30, true, true, 0],
  ])('%i hours ordered, %i worked (qualified %s, credit law %s): %i remaining', (ordered, worked, qualified, hasCredit, remaining) => {
    const p = unpaidWorkPosition(ordered, { worked, ...(qualified ? { qualifiedOn: '2026-06-01' } : {}) }, hasCredit ? credit : null);
    expect(p.remaining).toBe(remaining);
    expect(p.complete).toBe(remaining === 0);
  });

  it('loses the credit after an unacceptable failure at unpaid work before qualifying, not after', () => {
    const SD = '2026-11-23';
    const s0 = planned(SD, [{ type: 'unpaid-work', hours: 40 }]);
    const failed = run(
      s0,
      [{ type: 'record-appointment', appointmentId: 'uw1', date: SD, requirement: 'unpaid-work' }, SD],
      [{ type: 'record-appointment-outcome', appointmentId: 'uw1', outcome: 'unacceptable-absence' }, SD],
      [{ type: 'record-requirement-progress', requirementIndex: 0, amount: 30, by: 'OM1' }, SD],
    );
    expect(failed.progress.entries[0]?.unpaidWork?.creditLost).toMatch(/unacceptable failure/);
    expect(requirementPositions(failed, SD)[0]).toMatchObject({ done: 30, credited: 0, remaining: 10, complete: false });
    const clean = run(
      s0,
      [{ type: 'record-requirement-progress', requirementIndex: 0, amount: 10, by: 'OM1' }, SD],
      [{ type: 'record-requirement-progress', requirementIndex: 0, amount: 20, by: 'OM1' }, SD],
    );
    expect(requirementPositions(clean, SD)[0]).toMatchObject({ done: 30, credited: 10, remaining: 0, complete: true });
    const removedLater = run(clean, [
      { type: 'record-requirement-progress', requirementIndex: 0, removedFromPlacement: true, by: 'OM1' },
      SD,
    ]);
    expect(removedLater.progress.entries[0]?.unpaidWork?.creditLost).toBeUndefined();
  });

  it('refuses progress that cannot be: a period requirement, RAR days beyond the maximum, odd amounts', () => {
    const s = planned('2026-11-23', [
      { type: 'rehabilitation-activity', maxDays: 5 },
      { type: 'curfew', hoursPerDay: 8, daysPerWeek: 7, months: 3 },
    ]);
    const why = (c: Omit<Extract<Command, { type: 'record-requirement-progress' }>, 'type' | 'by'>) =>
      rejectionReason(s, { type: 'record-requirement-progress', by: 'OM1', ...c }, at('2026-11-23'));
    expect(why({ requirementIndex: 1, amount: 1 })).toMatch(/runs for a period/);
    expect(why({ requirementIndex: 0, amount: 6 })).toMatch(/at most 5 days/);
    expect(why({ requirementIndex: 0, amount: 0.3 })).toMatch(/quarters/);
    expect(why({ requirementIndex: 2, amount: 1 })).toMatch(/no requirement 2/);
    expect(why({ requirementIndex: 0, amount: 2 })).toBeUndefined();
  });
});

describe('early revocation (row 25) and ending by the officer', () => {
  it('opens row 25 on the day the case first meets the criteria (half-way, requirements done, no enforcement)', () => {
    const SD = '2026-11-23';
    const s = run(planned(SD, [{ type: 'unpaid-work', hours: 40 }]), [
      { type: 'record-requirement-progress', requirementIndex: 0, amount: 40, by: 'OM1' },
      '2026-12-01',
    ]);
    expect(earlyRevocationBlockers(s, '2026-12-01')).toEqual([
      expect.stringMatching(/less than half the order has been served \(half-way on 2027-05-24\)/),
    ]);
    expect(row(s, 25).status).toBe('pending');
    const later = advanceTime(s, londonStartOfDay('2027-05-24')).state;
    expect(later.progress.earlyRevocation?.eligibleSince).toBe('2027-05-24');
    expect(row(later, 25)).toMatchObject({ status: 'due', openSince: '2027-05-24' });
    const applied = run(later, [{ type: 'apply-for-early-revocation', by: 'OM1' }, '2027-05-25']);
    expect(row(applied, 25).status).toBe('done');
    const granted = run(applied, [{ type: 'record-revocation-decision', decision: 'granted', by: 'court' }, '2027-06-01']);
    expect(granted.termination).toEqual({ reason: 'revoked', on: '2027-06-01' });
  });

  it('a live warning or a breach in progress blocks eligibility', () => {
    const SD = '2026-11-23';
    const s = run(
      planned(SD, [{ type: 'unpaid-work', hours: 40 }]),
      [{ type: 'record-appointment', appointmentId: 'a1', date: SD }, SD],
      [{ type: 'record-appointment-outcome', appointmentId: 'a1', outcome: 'unacceptable-absence' }, SD],
    );
    expect(earlyRevocationBlockers(s, '2027-06-01')).toContain('a failure to comply awaits an enforcement decision');
    const warned = run(s, [
      { type: 'record-enforcement-decision', appointmentId: 'a1', decision: 'warning', circumstances: 'did not attend and gave no reason' },
      SD,
    ]);
    expect(earlyRevocationBlockers(warned, '2027-06-01')).toContain(`a warning given on ${SD} is live`);
  });

  it("an SSO's community requirements cancelled by the court end supervision, not the order", () => {
    const SD = '2026-11-23';
    const s0 = run(commence(suspendedSentence(SD, 24, 12), 'h', at(SD)), [{ type: 'allocate', offenderManagerId: 'OM1' }, SD]);
    const s = run(
      s0,
      [{ type: 'apply-for-early-revocation', by: 'OM1' }, SD],
      [{ type: 'record-revocation-decision', decision: 'granted', by: 'court' }, '2026-12-01'],
    );
    expect(s.supervisionEnded).toBe(true);
    expect(s.milestones.supervisionEndedOn).toBe('2026-12-01');
    expect(s.phase).toBe('allocated');
    expect(s.termination).toBeUndefined();
  });

  // The same case under the two laws: requirements done, objectives met; only a post-commencement sentence may be
  // ended by its officer (Sentencing Act 2026 s.38); the earlier one needs the court (Sentencing Act 2020 Sch 10 para 14).
  it.each([
    [BEFORE, false],
    [COMMENCED, true],
  ])('sentence of %s: the officer may end the order = %s', (sentenceDate, allowed) => {
    const s = run(
      planned(sentenceDate, [
        { type: 'unpaid-work', hours: 40 },
        { type: 'rehabilitation-activity', maxDays: 10 },
      ]),
      [{ type: 'record-requirement-progress', requirementIndex: 0, amount: 40, by: 'OM1' }, sentenceDate],
      [{ type: 'complete-review', objectivesMet: true }, sentenceDate],
    );
    const end: Command = { type: 'end-order-by-officer', noFurtherInstructionsNeeded: true, by: 'OM1' };
    const why = rejectionReason(s, end, at(sentenceDate));
    if (!allowed) {
      // Rules 2: not before ss.38-39 were in force; from that day the power applies to this order too (no saving
      // provision in SI 2026/402). Rules 1 keyed it on the sentence date, so such an order needed the court for good.
      expect(why).toBe(
        'the responsible officer may not end an order on 2026-05-10: the Sentencing Act 2026 ss.38-39 were not yet in force; apply to the court instead (Sentencing Act 2020 Sch 10 para 14)',
      );
      expect(rejectionReason(s, end, at(COMMENCED))).toBeUndefined();
      expect(rejectionReason({ ...s, rules: 1 }, end, at(COMMENCED))).toMatch(
        /before the Sentencing Act 2026 ss.38-39 applied; apply to the court instead \(Sentencing Act 2020 Sch 10 para 14\)/,
      );
      return;
    }
    expect(why).toBeUndefined();
    expect(rejectionReason(s, { ...end, noFurtherInstructionsNeeded: false }, at(sentenceDate))).toMatch(/further instructions are needed/);
    const ended = applyCommand(s, end, at(sentenceDate)).state;
    expect(ended.termination).toEqual({ reason: 'ended-by-officer', on: sentenceDate });
    expect(row(ended, 25).evidence).toEqual([expect.objectContaining({ what: expect.stringContaining('Sch 10 para 15A') })]);
  });

  it('asks for the sentence plan objectives only where a plan was prepared (Sch 10 para 15A(1)(e); rules 2)', () => {
    const SD = '2026-11-23';
    const s = run(
      commence(communityOrder(SD, periodEnd(SD, 12), { requirements: [{ type: 'unpaid-work', hours: 40 }] }), 'h', at(SD)),
      [{ type: 'allocate', offenderManagerId: 'OM1' }, SD],
      [{ type: 'record-first-appointment' }, SD],
      [{ type: 'record-requirement-progress', requirementIndex: 0, amount: 40, by: 'OM1' }, SD],
    );
    const end: Command = { type: 'end-order-by-officer', noFurtherInstructionsNeeded: true, by: 'OM1' };
    // No plan prepared yet: nothing about objectives stands in the way.
    expect(rejectionReason(s, end, at(SD))).toBeUndefined();
    expect(rejectionReason({ ...s, rules: 1 }, end, at(SD))).toBe(
      'the order cannot be ended yet: no review has recorded the sentence plan objectives as met',
    );
    const withPlan = run(s, [{ type: 'complete-plan' }, SD]);
    expect(rejectionReason(withPlan, end, at(SD))).toBe(
      'the order cannot be ended yet: no review has recorded the sentence plan objectives as met',
    );
  });

  it('the officer may not end an order whose requirements are not complied with or objectives not met', () => {
    const SD = '2026-11-23';
    const s = planned(SD, [
      { type: 'unpaid-work', hours: 40 },
      { type: 'curfew', hoursPerDay: 8, daysPerWeek: 7, months: 3 },
    ]);
    const why = rejectionReason(s, { type: 'end-order-by-officer', noFurtherInstructionsNeeded: true, by: 'OM1' }, at(SD));
    expect(why).toMatch(/requirement 0 \(unpaid-work\) is not complied with in full/);
    expect(why).toMatch(/requirement 1 \(curfew\) is not complied with in full/);
    expect(why).toMatch(/objectives/);
    expect(requirementPositions(s, shiftMonths(SD, 4))[1]).toMatchObject({ unit: 'period', periodEnds: periodEnd(SD, 3), complete: true });
  });
});

describe('progress edges found in review', () => {
  const SD = '2026-11-23';

  it('a failure at unpaid work before the qualifying share loses the credit even when its outcome is recorded later', () => {
    const s = run(
      planned(SD, [{ type: 'unpaid-work', hours: 40 }]),
      [{ type: 'record-appointment', appointmentId: 'uw1', date: '2026-11-25', requirement: 'unpaid-work' }, SD],
      [{ type: 'record-requirement-progress', requirementIndex: 0, amount: 10, by: 'OM1' }, '2026-11-26'],
      [{ type: 'record-appointment-outcome', appointmentId: 'uw1', outcome: 'unacceptable-absence' }, '2026-11-27'],
    );
    expect(s.progress.entries[0]?.unpaidWork).toMatchObject({
      qualifiedOn: '2026-11-26',
      creditLost: expect.stringMatching(/on 2026-11-25$/),
    });
    const after = run(s, [{ type: 'record-requirement-progress', requirementIndex: 0, amount: 20, by: 'OM1' }, '2026-11-28']);
    expect(requirementPositions(after, '2026-11-28')[0]).toMatchObject({ done: 30, credited: 0, remaining: 10 });
  });

  it("amended requirements keep each one's progress whatever its new place in the list", () => {
    let s = planned(SD, [
      { type: 'unpaid-work', hours: 120 },
      { type: 'rehabilitation-activity', maxDays: 20 },
    ]);
    s = run(
      s,
      [{ type: 'record-requirement-progress', requirementIndex: 0, amount: 60, by: 'OM1' }, SD],
      [{ type: 'record-requirement-progress', requirementIndex: 1, amount: 10, by: 'OM1' }, SD],
      [{ type: 'record-appointment', appointmentId: 'a1', date: SD }, SD],
      [{ type: 'record-appointment-outcome', appointmentId: 'a1', outcome: 'unacceptable-absence' }, SD],
      [{ type: 'record-enforcement-decision', appointmentId: 'a1', decision: 'referral' }, SD],
      [{ type: 'record-breach-action', appointmentId: 'a1' }, SD],
      [
        {
          type: 'record-court-outcome',
          appointmentId: 'a1',
          outcome: 'requirements-amended',
          requirements: [
            { type: 'rehabilitation-activity', maxDays: 20 },
            { type: 'unpaid-work', hours: 120 },
          ],
        },
        SD,
      ],
    );
    expect(s.progress.entries.map((e) => [e.index, e.type, e.amount])).toEqual([
      [0, 'rehabilitation-activity', 10],
      [1, 'unpaid-work', 60],
    ]);
  });

  it('a residence requirement does not hold early revocation back; an SSO is half-way through its supervision period', () => {
    const s = planned(SD, [{ type: 'residence', premisesType: 'specified-address' }]);
    expect(requirementPositions(s, SD)[0]).toMatchObject({ type: 'residence', complete: true });
    const order = run(commence(suspendedSentence(SD, 24, 12), 'h', at(SD)), [{ type: 'allocate', offenderManagerId: 'OM1' }, SD]);
    // Half-way through supervision (to 2027-11-22), not the 24-month operational period (to 2028-11-22).
    expect(earlyRevocationBlockers(order, '2027-05-01')).toContainEqual(expect.stringMatching(/half-way on 2027-05-24/));
  });
});

describe('progress edges found in the second review', () => {
  const SD = '2026-11-23';
  it('becomes eligible the day a warning lapses, and never after the order has ended', () => {
    let s = planned(SD, [{ type: 'unpaid-work', hours: 40 }], 24);
    s = run(
      s,
      [{ type: 'record-appointment', appointmentId: 'w1', date: '2027-01-11' }, SD],
      [{ type: 'record-appointment-outcome', appointmentId: 'w1', outcome: 'unacceptable-absence' }, '2027-01-11'],
      [
        {
          type: 'record-enforcement-decision',
          appointmentId: 'w1',
          decision: 'warning',
          circumstances: 'did not attend and gave no reason',
        },
        '2027-01-11',
      ],
      [{ type: 'record-requirement-progress', requirementIndex: 0, amount: 40, by: 'OM1' }, '2027-01-12'],
    );
    const later = advanceTime(s, at('2028-01-11', 12)).state;
    expect(later.progress.earlyRevocation?.eligibleSince).toBe('2028-01-11');

    const curfew = planned(SD, [
      { type: 'unpaid-work', hours: 40 },
      { type: 'curfew', hoursPerDay: 8, daysPerWeek: 7, months: 12 },
    ]);
    const done = run(curfew, [{ type: 'record-requirement-progress', requirementIndex: 0, amount: 40, by: 'OM1' }, '2026-12-01']);
    const after = advanceTime(done, at('2028-01-15')).state;
    expect(after.progress.earlyRevocation?.eligibleSince).toBeUndefined();
    expect(row(after, 25).status).not.toBe('overdue');
  });
});

describe('unpaid work outstanding at the end date (Sentencing Act 2020 s.220; rules 2)', () => {
  const SD = '2026-11-23';
  const END = '2027-01-29';
  const UPW_ONLY: Requirement[] = [{ type: 'unpaid-work', hours: 120 }];
  /** An order with 20 of its 120 hours worked, its end date just passed. */
  function pastEnd(rules?: 1) {
    let s = run(
      commence(communityOrder(SD, END, { requirements: UPW_ONLY }), 'h', at(SD)),
      [{ type: 'allocate', offenderManagerId: 'OM1' }, SD],
      [{ type: 'record-first-appointment' }, '2026-11-25'],
      [{ type: 'record-requirement-progress', requirementIndex: 0, amount: 20, by: 'OM1' }, '2026-12-01'],
    );
    if (rules) s = { ...s, rules };
    return advanceTime(s, at('2027-02-01'));
  }

  it('keeps the order in force, with an overdue deadline that alerts the manager and names the paths to court', () => {
    const { state: s, effects } = pastEnd();
    expect(s.phase).toBe('inducted');
    expect(s.termination).toBeUndefined();
    expect(s.unpaidWorkBeyondEnd).toEqual({ since: END, hours: 100 });
    const d = s.deadlines.find((x) => x.id === 'unpaid-work-outstanding')!;
    expect(d).toMatchObject({ kind: 'unpaid-work-outstanding', dueDate: END, status: 'overdue' });
    expect(d.label).toBe(
      'Unpaid work outstanding at the end date: 100 hours. The order stays in force until they are worked (Sentencing Act 2020 s.220): ' +
        'arrange the work, or apply to the court to revoke the order (Sch 10 para 14) or amend it (Sch 10 Part 4)',
    );
    expect(effects).toContainEqual({ type: 'alert-overdue', deadline: d });
    expect(s.timeline.map((e) => e.event)).toContain('order-continues-for-unpaid-work');
    // Nothing more happens by time alone: the next step is the work, or the court.
    expect(advanceTime(s, at('2027-06-01')).state.phase).toBe('inducted');
    expect(
      rejectionReason(s, { type: 'record-requirement-progress', requirementIndex: 0, amount: 8, by: 'OM1' }, at('2027-02-02')),
    ).toBeUndefined();
  });

  it('ends the order on the day the hours are worked', () => {
    const done = applyCommand(
      pastEnd().state,
      { type: 'record-requirement-progress', requirementIndex: 0, amount: 100, by: 'OM1' },
      at('2027-03-01'),
    ).state;
    expect(done.phase).toBe('terminated');
    expect(done.termination).toEqual({ reason: 'end-of-order', on: '2027-03-01' });
    expect(done.deadlines.find((x) => x.id === 'unpaid-work-outstanding')).toMatchObject({ status: 'met-late', metOn: '2027-03-01' });
  });

  it('ends when the court revokes it, the hours never worked', () => {
    const revoked = applyCommand(pastEnd().state, { type: 'terminate', reason: 'revoked' }, at('2027-03-01')).state;
    expect(revoked.termination).toEqual({ reason: 'revoked', on: '2027-03-01' });
    expect(revoked.deadlines.find((x) => x.id === 'unpaid-work-outstanding')?.status).toBe('missed');
  });

  it('under rules 1 (sentences begun before 0.5.0, until they adopt rules 2) the order ended at its end date', () => {
    const { state: s } = pastEnd(1);
    expect(s.termination).toEqual({ reason: 'end-of-order', on: END });
    expect(s.unpaidWorkBeyondEnd).toBeUndefined();
  });
});
