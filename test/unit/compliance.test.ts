// Appointments, failures and enforcement decisions through the lifecycle rules.
import { describe, expect, it } from 'vitest';
import { addDays, londonEndOfDay, periodEnd } from '../../domain/dates.ts';
import { advanceTime, commence, compliance, rejectionReason, type Command, type SentenceState } from '../../domain/lifecycle.ts';
import { communityOrder } from '../support/fixtures.ts';
import { applyOn, at } from '../support/scenario.ts';

const SD = '2026-01-12';
const apply = applyOn;

function failOn(s: SentenceState, id: string, date: string): SentenceState {
  s = apply(s, { type: 'record-appointment', appointmentId: id, date }, date);
  return apply(s, { type: 'record-appointment-outcome', appointmentId: id, outcome: 'unacceptable-absence', on: date }, date);
}

describe('compliance and enforcement in the lifecycle', () => {
  const allocated = () =>
    apply(commence(communityOrder(SD, periodEnd(SD, 24)), 'h', at(SD)), { type: 'allocate', offenderManagerId: 'OM1' }, SD);

  it('refuses a warning for a second failure within 12 months of a warning, with the reason; allows one after', () => {
    let s = failOn(allocated(), 'a1', '2026-02-02');
    s = apply(
      s,
      {
        type: 'record-enforcement-decision',
        appointmentId: 'a1',
        decision: 'warning',
        circumstances: 'did not attend and gave no reason',
        on: '2026-02-02',
      },
      '2026-02-02',
    );
    s = failOn(s, 'a2', '2027-01-04'); // 11 months later
    expect(
      rejectionReason(
        s,
        {
          type: 'record-enforcement-decision',
          appointmentId: 'a2',
          decision: 'warning',
          circumstances: 'did not attend and gave no reason',
        },
        at('2027-01-04'),
      ),
    ).toBe(
      'a warning is not allowed: a warning was given on 2026-02-02, within the 12 months before this decision on 2027-01-04 (Sentencing Act 2020 Sch 10 para 6(2)): the matter must be referred to an enforcement officer',
    );
    s = failOn(s, 'a3', '2027-03-01'); // 13 months after the warning
    expect(
      rejectionReason(
        s,
        {
          type: 'record-enforcement-decision',
          appointmentId: 'a3',
          decision: 'warning',
          circumstances: 'did not attend and gave no reason',
        },
        at('2027-03-01'),
      ),
    ).toBeUndefined();
    expect(compliance(s, '2027-03-01')).toMatchObject({ failuresInLast12Months: 2, liveWarnings: [], awaitingDecision: ['a2', 'a3'] });
  });

  it('starts the breach clock on a referral: overdue the day after 10 business days from awareness', () => {
    let s = failOn(allocated(), 'b1', '2026-12-17');
    s = apply(s, { type: 'record-enforcement-decision', appointmentId: 'b1', decision: 'referral' }, '2026-12-18');
    const d = s.deadlines.find((x) => x.id === 'breach-b1')!;
    expect(d.dueDate).toBe('2027-01-05'); // aware 17 Dec: 10 business days across Christmas and New Year
    s = advanceTime(s, londonEndOfDay('2027-01-05')).state;
    expect(s.deadlines.find((x) => x.id === 'breach-b1')).toMatchObject({
      status: 'overdue',
      overdueSince: new Date(londonEndOfDay('2027-01-05')).toISOString(),
    });
    expect(s.outputs.find((o) => o.row === 26)?.status).toBe('overdue');
    s = apply(s, { type: 'record-breach-action', appointmentId: 'b1', on: '2027-01-06' }, '2027-01-06');
    expect(s.deadlines.find((x) => x.id === 'breach-b1')).toMatchObject({ status: 'met-late', businessDaysLate: 1 });
    expect(s.outputs.find((o) => o.row === 26)?.status).toBe('late');
  });

  it('applies requirements amended by the court: the order runs on with them, progress kept, outputs re-evaluated', () => {
    const base = commence(communityOrder(SD, periodEnd(SD, 24), { requirements: [{ type: 'unpaid-work', hours: 100 }] }), 'h', at(SD));
    let s = apply(base, { type: 'allocate', offenderManagerId: 'OM1' }, SD);
    s = apply(s, { type: 'record-requirement-progress', requirementIndex: 0, amount: 12, by: 'OM1' }, SD);
    expect(s.outputs.find((e) => e.row === 20)?.applies).toBe(false); // Type C: no rehabilitative requirement yet
    s = failOn(s, 'm1', '2026-02-02');
    s = apply(s, { type: 'record-enforcement-decision', appointmentId: 'm1', decision: 'referral' }, '2026-02-02');
    s = apply(s, { type: 'record-breach-action', appointmentId: 'm1' }, '2026-02-03');
    const amended: Command = { type: 'record-court-outcome', appointmentId: 'm1', outcome: 'requirements-amended' };
    expect(rejectionReason(s, amended, at('2026-02-20'))).toMatch(/go with the outcome requirements-amended/);
    expect(
      rejectionReason(s, { ...amended, requirements: [{ type: 'curfew', hoursPerDay: 8, daysPerWeek: 7, months: 25 }] }, at('2026-02-20')),
    ).toBe(`the amended curfew requirement would run past ${periodEnd(SD, 24)}`);
    s = apply(
      s,
      {
        ...amended,
        requirements: [
          { type: 'unpaid-work', hours: 120 },
          { type: 'rehabilitation-activity', maxDays: 15 },
        ],
      },
      '2026-02-20',
    );
    expect(s.sentence.requirements.map((r) => r.type)).toEqual(['unpaid-work', 'rehabilitation-activity']);
    expect(s.progress.entries.map((e) => [e.type, e.amount])).toEqual([
      ['unpaid-work', 12],
      ['rehabilitation-activity', 0],
    ]);
    expect(s.outputs.find((e) => e.row === 20)).toMatchObject({ applies: true, appliesSince: '2026-02-20' });
    expect(s.timeline.map((e) => e.event)).toContain('requirements-amended');
  });

  it('applies the court outcome of a breach: a CO extended once by up to 6 months, an SSO activated or not', () => {
    let s = failOn(allocated(), 'd1', '2026-03-02');
    s = apply(s, { type: 'record-enforcement-decision', appointmentId: 'd1', decision: 'referral' }, '2026-03-02');
    expect(rejectionReason(s, { type: 'record-court-outcome', appointmentId: 'd1', outcome: 'order-continues' }, at('2026-03-20'))).toBe(
      "breach action for appointment d1 must be recorded before the court's outcome",
    );
    s = apply(s, { type: 'record-breach-action', appointmentId: 'd1' }, '2026-03-03');
    expect(
      rejectionReason(
        s,
        { type: 'record-court-outcome', appointmentId: 'd1', outcome: 'order-extended', extendMonths: 7 },
        at('2026-03-20'),
      ),
    ).toBe('an extension is 1 to 6 months');
    expect(rejectionReason(s, { type: 'record-court-outcome', appointmentId: 'd1', outcome: 'sso-activated' }, at('2026-03-20'))).toBe(
      'sso-activated applies to a suspended sentence order only',
    );
    s = apply(s, { type: 'record-court-outcome', appointmentId: 'd1', outcome: 'order-extended', extendMonths: 6 }, '2026-03-20');
    expect(s.dates.orderEnd).toBe('2028-07-11'); // 24 months from 2026-01-12 end 2028-01-11, plus 6 months
    s = failOn(s, 'd2', '2026-06-01');
    s = apply(s, { type: 'record-enforcement-decision', appointmentId: 'd2', decision: 'referral' }, '2026-06-01');
    s = apply(s, { type: 'record-breach-action', appointmentId: 'd2' }, '2026-06-02');
    expect(
      rejectionReason(
        s,
        { type: 'record-court-outcome', appointmentId: 'd2', outcome: 'order-extended', extendMonths: 1 },
        at('2026-06-10'),
      ),
    ).toBe('a community order may be extended only once');
    s = apply(s, { type: 'record-court-outcome', appointmentId: 'd2', outcome: 'revoked-and-resentenced' }, '2026-06-10');
    expect(s.termination).toEqual({ reason: 'revoked-and-resentenced', on: '2026-06-10' });
  });

  it('needs a reason for an acceptable absence, which never counts as a failure, and asks for missing outcomes', () => {
    let s = apply(allocated(), { type: 'record-appointment', appointmentId: 'c1', date: '2026-03-02' }, '2026-02-20');
    expect(
      rejectionReason(s, { type: 'record-appointment-outcome', appointmentId: 'c1', outcome: 'acceptable-absence' }, at('2026-03-02')),
    ).toBe('an acceptable absence needs its reason');
    const overdue = advanceTime(s, londonEndOfDay('2026-03-04')).state;
    expect(overdue.deadlines.find((d) => d.id === 'outcome-c1')?.status).toBe('overdue'); // outcome needed
    s = apply(
      s,
      { type: 'record-appointment-outcome', appointmentId: 'c1', outcome: 'acceptable-absence', reason: 'medical', on: '2026-03-02' },
      '2026-03-02',
    );
    expect(s.compliance.failures).toEqual([]);
    expect(
      rejectionReason(
        s,
        {
          type: 'record-enforcement-decision',
          appointmentId: 'c1',
          decision: 'warning',
          circumstances: 'did not attend and gave no reason',
        },
        at('2026-03-03'),
      ),
    ).toBe('appointment c1 is not an unacceptable failure to comply');
    expect(s.outputs.find((o) => o.row === 21)?.evidence).toHaveLength(1);
    expect(rejectionReason(s, { type: 'record-appointment', appointmentId: 'c1', date: '2026-03-09' }, at('2026-03-03'))).toBe(
      'appointment c1 is already recorded',
    );
    expect(
      rejectionReason(s, { type: 'record-appointment', appointmentId: 'c2', date: addDays(periodEnd(SD, 24), 1) }, at('2026-03-03')),
    ).toMatch(/outside the order/);
  });
});

describe('the induction as an appointment (SL004; rules 2)', () => {
  const ISD = '2026-11-23'; // a Monday: the first appointment is due within 5 business days, by 2026-11-30
  const commenced = () => commence(communityOrder(ISD, periodEnd(ISD, 12)), 'h', at(ISD));

  it('is booked before allocation; attended, it holds the first appointment on its day', () => {
    let s = applyOn(commenced(), { type: 'record-appointment', appointmentId: 'i1', date: '2026-11-27', induction: true }, ISD);
    expect(s.phase).toBe('commenced');
    expect(s.compliance.appointments).toEqual([{ id: 'i1', date: '2026-11-27', induction: true }]);
    expect(rejectionReason(s, { type: 'record-appointment', appointmentId: 'x1', date: '2026-11-28' } as Command, at(ISD))).toBe(
      'before allocation only the induction (induction: true) is booked',
    );
    expect(
      rejectionReason(s, { type: 'record-appointment', appointmentId: 'i2', date: '2026-11-28', induction: true } as Command, at(ISD)),
    ).toBe('an induction appointment is already booked and awaits its outcome');
    s = applyOn(s, { type: 'allocate', offenderManagerId: 'OM1' }, '2026-11-24');
    s = applyOn(s, { type: 'record-appointment-outcome', appointmentId: 'i1', outcome: 'attended-complied' }, '2026-11-27');
    expect(s.phase).toBe('inducted');
    expect(s.milestones.firstAppointmentOn).toBe('2026-11-27');
    expect(s.deadlines.find((d) => d.id === 'first-appointment')).toMatchObject({ status: 'met', metOn: '2026-11-27' });
    expect(s.deadlines.find((d) => d.id === 'plan')?.dueDate).toBe('2026-12-18');
  });

  it('missed without an acceptable reason, enters the enforcement path like any other failure', () => {
    let s = applyOn(commenced(), { type: 'record-appointment', appointmentId: 'i1', date: '2026-11-27', induction: true }, ISD);
    s = applyOn(s, { type: 'allocate', offenderManagerId: 'OM1' }, '2026-11-24');
    s = applyOn(s, { type: 'record-appointment-outcome', appointmentId: 'i1', outcome: 'unacceptable-absence' }, '2026-11-27');
    expect(s.phase).toBe('allocated');
    expect(s.compliance.failures).toEqual([{ appointmentId: 'i1', on: '2026-11-27', awareOn: '2026-11-27' }]);
    expect(compliance(s, '2026-11-27').awaitingDecision).toEqual(['i1']);
    // A new induction may be booked once the first has its outcome.
    const again = applyOn(s, { type: 'record-appointment', appointmentId: 'i2', date: '2026-12-01', induction: true }, '2026-11-27');
    expect(again.compliance.appointments.map((a) => a.id)).toEqual(['i1', 'i2']);
  });

  it('under rules 1 no appointment is booked before allocation', () => {
    const s = { ...commenced(), rules: 1 };
    expect(
      rejectionReason(s, { type: 'record-appointment', appointmentId: 'i1', date: '2026-11-27', induction: true } as Command, at(ISD)),
    ).toBe('record-appointment is not valid in phase commenced (valid in: allocated, inducted, plan-agreed, supervision)');
  });
});

describe('failures from every requirement, reported by the system that knows (rules 2)', () => {
  const FSD = '2026-11-23';
  const curfewCase = () =>
    applyOn(
      commence(
        communityOrder(FSD, periodEnd(FSD, 12), {
          requirements: [
            { type: 'curfew', hoursPerDay: 10, daysPerWeek: 7, months: 6 },
            { type: 'unpaid-work', hours: 100 },
          ],
        }),
        'h',
        at(FSD),
      ),
      { type: 'allocate', offenderManagerId: 'OM1' },
      FSD,
    );
  const report = (failureId: string, source: string, occurredOn: string) =>
    ({ type: 'record-failure-to-comply', failureId, source, occurredOn, reportedBy: 'EMS' }) as Command;

  it('enters a curfew violation into the same decision path as a missed appointment', () => {
    let s = applyOn(curfewCase(), report('em-1', 'curfew-violation', '2026-12-01'), '2026-12-02');
    expect(s.compliance.failures).toEqual([
      { appointmentId: 'em-1', kind: 'requirement', source: 'curfew-violation', on: '2026-12-01', awareOn: '2026-12-02' },
    ]);
    expect(compliance(s, '2026-12-02').awaitingDecision).toEqual(['em-1']);
    expect(s.timeline.at(-1)?.detail).toMatch(/^curfew violated on 2026-12-01 \(em-1, reported by EMS\): /);
    s = applyOn(
      s,
      {
        type: 'record-enforcement-decision',
        appointmentId: 'em-1',
        decision: 'warning',
        circumstances: 'did not attend and gave no reason',
      },
      '2026-12-02',
    );
    // A second failure, from another source, within 12 months of the warning: the matter must be referred.
    s = applyOn(s, report('ab-1', 'monitoring-violation', '2027-01-10'), '2027-01-11');
    expect(
      rejectionReason(
        s,
        {
          type: 'record-enforcement-decision',
          appointmentId: 'ab-1',
          decision: 'warning',
          circumstances: 'did not attend and gave no reason',
        },
        at('2027-01-11'),
      ),
    ).toMatch(/^a warning is not allowed: a warning was given on 2026-12-02/);
  });

  it('refuses a failure of a requirement the order does not have, one still to come, a repeat, and under rules 1', () => {
    const s = curfewCase();
    expect(rejectionReason(s, report('d1', 'drug-test-failed', '2026-12-01'), at('2026-12-02'))).toBe(
      'drug-test-failed breaks a drug-rehabilitation requirement, and the order has none',
    );
    expect(rejectionReason(s, report('c1', 'curfew-violation', '2026-12-05'), at('2026-12-02'))).toBe(
      'the failure (2026-12-05) has not happened yet',
    );
    expect(rejectionReason(s, report('c1', 'teleport', '2026-12-01'), at('2026-12-02'))).toMatch(
      /^source must be one of curfew-violation, /,
    );
    const once = applyOn(s, report('c1', 'curfew-violation', '2026-12-01'), '2026-12-02');
    expect(rejectionReason(once, report('c1', 'curfew-violation', '2026-12-01'), at('2026-12-02'))).toBe('c1 is already recorded');
    expect(rejectionReason({ ...s, rules: 1 }, report('c2', 'curfew-violation', '2026-12-01'), at('2026-12-02'))).toBe(
      'failures other than at appointments are recorded under rules 2 only',
    );
  });

  it('loses the unpaid work credit on a removal from a placement (Sch 9 para 3A(1)(e))', () => {
    const s = applyOn(curfewCase(), report('p1', 'placement-removal', '2026-12-01'), '2026-12-02');
    expect(s.progress.entries[1]?.unpaidWork?.creditLost).toBe('removed from an unpaid work placement on 2026-12-01');
    expect(compliance(s, '2026-12-02').awaitingDecision).toEqual(['p1']);
  });
});

describe('a warning withdrawn (rules 2)', () => {
  const WSD = '2026-11-23';
  const allocated = () =>
    applyOn(commence(communityOrder(WSD, periodEnd(WSD, 24)), 'h', at(WSD)), { type: 'allocate', offenderManagerId: 'OM1' }, WSD);
  const fail = (s: SentenceState, id: string, date: string) => {
    const booked = applyOn(s, { type: 'record-appointment', appointmentId: id, date }, date);
    return applyOn(booked, { type: 'record-appointment-outcome', appointmentId: id, outcome: 'unacceptable-absence' }, date);
  };
  const withdraw = (appointmentId: string) =>
    ({ type: 'withdraw-warning', appointmentId, reasonCode: 'GIVEN-IN-ERROR', by: 'SPO1' }) as Command;

  it('no longer counts: a later failure may be warned again; it stays on the record, withdrawn once', () => {
    let s = fail(allocated(), 'a1', '2026-12-01');
    s = applyOn(
      s,
      { type: 'record-enforcement-decision', appointmentId: 'a1', decision: 'warning', circumstances: 'did not attend and gave no reason' },
      '2026-12-01',
    );
    s = fail(s, 'a2', '2027-01-05');
    const warnA2 = {
      type: 'record-enforcement-decision',
      appointmentId: 'a2',
      decision: 'warning',
      circumstances: 'did not attend and gave no reason',
    } as Command;
    expect(rejectionReason(s, warnA2, at('2027-01-05'))).toMatch(/^a warning is not allowed: a warning was given on 2026-12-01/);
    s = applyOn(s, withdraw('a1'), '2027-01-05');
    expect(s.compliance.warnings).toEqual([
      {
        givenOn: '2026-12-01',
        failureId: 'a1',
        content: {
          circumstances: 'did not attend and gave no reason',
          unacceptable: 'This failure to comply with your community order is unacceptable (Sentencing Act 2020 Sch 10 para 6(4)(b)).',
          consequence:
            'If you fail again, without a reasonable excuse, to comply with any requirement of the order between 2026-12-01 and ' +
            '2027-11-30, the matter will be referred to an enforcement officer, who may bring you before the court ' +
            '(Sentencing Act 2020 Sch 10 para 6(2) and 6(4)(c)).',
        },
        withdrawn: { on: '2027-01-05', reasonCode: 'GIVEN-IN-ERROR', by: 'SPO1' },
      },
    ]);
    expect(compliance(s, '2027-01-05').liveWarnings).toEqual([]);
    expect(rejectionReason(s, warnA2, at('2027-01-05'))).toBeUndefined();
    expect(rejectionReason(s, withdraw('a1'), at('2027-01-06'))).toBe('the warning for a1 was withdrawn on 2027-01-05');
    expect(rejectionReason(s, withdraw('a2'), at('2027-01-06'))).toBe('no warning was given for a2');
    expect(rejectionReason({ ...s, rules: 1 }, withdraw('a1'), at('2027-01-06'))).toBe('warnings are withdrawn under rules 2 only');
  });
});
