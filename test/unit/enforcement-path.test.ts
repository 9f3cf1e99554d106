// The decision path practitioners use, under rules 2 (issue 12 point 4): a decision put off until the person has
// responded, by a due date; a warning recorded with what Sch 10/16 para 6(4) requires it to say; an acceptable absence
// evidenced within ABSENCE_EVIDENCE_BUSINESS_DAYS, or it becomes unacceptable and enters the decision path.
import { describe, expect, it } from 'vitest';
import { currentCalendarVersion } from '../../domain/calendar/index.ts';
import { periodEnd } from '../../domain/dates.ts';
import { advanceTime, commence, compliance, rejectionReason, type Command, type SentenceState } from '../../domain/lifecycle.ts';
import { communityOrder } from '../support/fixtures.ts';
import { applyOn, at, events } from '../support/scenario.ts';

const SD = '2027-01-04'; // a Monday; no bank holiday in the weeks these tests use

const allocated = (rules = 2): SentenceState =>
  applyOn(
    commence(communityOrder(SD, periodEnd(SD, 24)), 'h', at(SD), currentCalendarVersion(), rules),
    { type: 'allocate', offenderManagerId: 'OM1' },
    SD,
  );
const book = (s: SentenceState, id: string, date: string) => applyOn(s, { type: 'record-appointment', appointmentId: id, date }, SD);
const outcome = (s: SentenceState, id: string, o: 'unacceptable-absence' | 'acceptable-absence', on: string, extra: object = {}) =>
  applyOn(s, { type: 'record-appointment-outcome', appointmentId: id, outcome: o, reason: 'unwell', ...extra } as Command, on);
const decide = (fields: object): Command => ({ type: 'record-enforcement-decision', appointmentId: 'a1', ...fields }) as Command;
const evidenceOf = (id: string): Command => ({ type: 'record-absence-evidence', appointmentId: id, reference: 'GP-LETTER-7', by: 'OM1' });
const deadline = (s: SentenceState, id: string) => s.deadlines.find((d) => d.id === id);

/** A failure at a1 on Monday 11 January 2027, known that day: breach action would be due on Monday 25 January. */
const failed = () => outcome(book(allocated(), 'a1', '2027-01-11'), 'a1', 'unacceptable-absence', '2027-01-11');

/** An allocated community order of 100 hours' unpaid work, on rules 2. */
const unpaidWorkCase = () =>
  applyOn(
    commence(
      communityOrder(SD, periodEnd(SD, 24), { requirements: [{ type: 'unpaid-work', hours: 100 }] }),
      'h',
      at(SD),
      currentCalendarVersion(),
      2,
    ),
    { type: 'allocate', offenderManagerId: 'OM1' },
    SD,
  );

describe('a decision pending the person’s response', () => {
  it('needs a due date after the decision and no later than the day breach action would be due', () => {
    const s = failed();
    const pending = (responseDueOn?: string) =>
      rejectionReason(s, decide({ decision: 'pending-response', responseDueOn }), at('2027-01-11'));
    expect(pending()).toBe('a pending response needs its responseDueOn (YYYY-MM-DD)');
    const window =
      'responseDueOn must fall after 2027-01-11 and no later than 2027-01-25, the day breach action would be due (10 business days from 2027-01-11)';
    expect(pending('2027-01-11')).toBe(window);
    expect(pending('2027-01-26')).toBe(window);
    expect(pending('2027-01-25')).toBeUndefined();
    expect(rejectionReason(s, decide({ decision: 'referral', responseDueOn: '2027-01-18' }), at('2027-01-11'))).toBe(
      'responseDueOn goes with a pending-response decision',
    );
  });

  it('waits for the response; when none comes by the due date the deadline is overdue and alerted; the decision then meets it late', () => {
    let s = applyOn(failed(), decide({ decision: 'pending-response', responseDueOn: '2027-01-18' }), '2027-01-11');
    expect(s.compliance.failures[0]).toEqual({
      appointmentId: 'a1',
      on: '2027-01-11',
      awareOn: '2027-01-11',
      pending: { askedOn: '2027-01-11', responseDueOn: '2027-01-18' },
    });
    expect(deadline(s, 'response-a1')).toMatchObject({ kind: 'enforcement-response', dueDate: '2027-01-18', status: 'pending' });
    expect(compliance(s, '2027-01-12')).toMatchObject({
      awaitingDecision: ['a1'],
      awaitingResponse: [{ failureId: 'a1', responseDueOn: '2027-01-18' }],
    });
    expect(events(s)).toContain('decision-pending');
    expect(rejectionReason(s, decide({ decision: 'pending-response', responseDueOn: '2027-01-20' }), at('2027-01-12'))).toBe(
      'a response to a1 is already awaited, due by 2027-01-18',
    );

    const timedOut = advanceTime(s, at('2027-01-19'));
    expect(deadline(timedOut.state, 'response-a1')).toMatchObject({ status: 'overdue', overdueSince: '2027-01-19T00:00:00.000Z' });
    expect(timedOut.effects).toContainEqual({ type: 'alert-overdue', deadline: expect.objectContaining({ id: 'response-a1' }) });

    s = applyOn(timedOut.state, decide({ decision: 'warning', circumstances: 'missed the appointment on 11 January' }), '2027-01-19');
    expect(deadline(s, 'response-a1')).toMatchObject({ status: 'met-late', metOn: '2027-01-19' });
    expect(s.compliance.failures[0]!.decision).toEqual({ type: 'warning', on: '2027-01-19' });
    expect(compliance(s, '2027-01-19')).toMatchObject({ awaitingDecision: [], awaitingResponse: [] });
  });

  it('a response in time: the decision meets the deadline', () => {
    let s = applyOn(failed(), decide({ decision: 'pending-response', responseDueOn: '2027-01-18' }), '2027-01-11');
    s = applyOn(s, decide({ decision: 'referral' }), '2027-01-14');
    expect(deadline(s, 'response-a1')).toMatchObject({ status: 'met', metOn: '2027-01-14' });
    expect(deadline(s, 'breach-a1')).toMatchObject({ dueDate: '2027-01-25', status: 'pending' });
  });
});

describe('a response that shows a reasonable excuse (Sch 10/16 para 6(1): a failure "without reasonable excuse")', () => {
  it('is accepted only on a response awaited, and only under rules 2', () => {
    expect(rejectionReason(failed(), decide({ decision: 'excuse-accepted' }), at('2027-01-12'))).toBe(
      "an excuse is accepted on the person's response: first put the decision off for it (pending-response)",
    );
    const one = outcome(book(allocated(1), 'a1', '2027-01-11'), 'a1', 'unacceptable-absence', '2027-01-11');
    expect(rejectionReason(one, decide({ decision: 'excuse-accepted' }), at('2027-01-12'))).toBe(
      'an excuse is accepted on a pending response, under rules 2 only',
    );
  });

  it('ends the path with no breach: the response deadline met, row 26 settled, the failure no longer counted', () => {
    let s = applyOn(failed(), decide({ decision: 'pending-response', responseDueOn: '2027-01-18' }), '2027-01-11');
    expect(compliance(s, '2027-01-12')).toMatchObject({ failuresInLast12Months: 1, awaitingDecision: ['a1'] });
    s = applyOn(s, decide({ decision: 'excuse-accepted' }), '2027-01-14');
    expect(s.compliance.failures[0]!.decision).toEqual({ type: 'excuse-accepted', on: '2027-01-14' });
    expect(deadline(s, 'response-a1')).toMatchObject({ status: 'met', metOn: '2027-01-14' });
    expect(deadline(s, 'breach-a1')).toBeUndefined();
    expect(s.compliance.appointments[0]).toMatchObject({ outcome: 'unacceptable-absence', excusedOn: '2027-01-14' });
    expect(compliance(s, '2027-01-14')).toMatchObject({ failuresInLast12Months: 0, awaitingDecision: [], awaitingResponse: [] });
    expect(s.outputs.find((o) => o.row === 26)).toMatchObject({ status: 'done' });
    expect(s.timeline.filter((e) => e.event === 'excuse-accepted').map((e) => e.detail)).toEqual([
      "a reasonable excuse for the failure on 2027-01-11 accepted on 2027-01-14, on the person's response: no breach",
    ]);
    expect(rejectionReason(s, decide({ decision: 'warning', circumstances: 'x' }), at('2027-01-15'))).toBe(
      'a excuse-accepted was already decided for appointment a1 on 2027-01-14',
    );
  });

  it('gives back the unpaid work credit the failure lost (Sch 9 para 3A)', () => {
    let s = unpaidWorkCase();
    s = applyOn(s, { type: 'record-appointment', appointmentId: 'u1', date: '2027-01-11', requirement: 'unpaid-work' }, SD);
    s = applyOn(s, { type: 'record-appointment-outcome', appointmentId: 'u1', outcome: 'unacceptable-absence' }, '2027-01-11');
    expect(s.progress.entries[0]!.unpaidWork).toMatchObject({
      creditLost: 'unacceptable failure at unpaid work (appointment u1) on 2027-01-11',
    });
    s = applyOn(s, { type: 'record-requirement-progress', requirementIndex: 0, amount: 30, by: 'UPW1' }, '2027-01-12');
    expect(s.progress.entries[0]!.unpaidWork!.qualifiedOn).toBeUndefined();
    s = applyOn(
      s,
      { type: 'record-enforcement-decision', appointmentId: 'u1', decision: 'pending-response', responseDueOn: '2027-01-18' },
      '2027-01-12',
    );
    s = applyOn(s, { type: 'record-enforcement-decision', appointmentId: 'u1', decision: 'excuse-accepted' }, '2027-01-13');
    // 30 of 100 hours is past the 25% share: qualified on the day it was reached, as if the credit had never been lost.
    expect(s.progress.entries[0]!.unpaidWork).toEqual({ worked: 30, qualifiedOn: '2027-01-12' });
    expect(events(s).slice(-3)).toEqual(['unpaid-work-credit-restored', 'unpaid-work-credit-qualified', 'excuse-accepted']);
  });
});

describe('the unpaid work credit after excuses accepted (Sch 9 para 3A)', () => {
  const upw = () => {
    let s = unpaidWorkCase();
    for (const [id, date] of [
      ['u1', '2027-01-11'],
      ['u2', '2027-01-12'],
    ] as const) {
      s = applyOn(s, { type: 'record-appointment', appointmentId: id, date, requirement: 'unpaid-work' }, SD);
      s = applyOn(s, { type: 'record-appointment-outcome', appointmentId: id, outcome: 'unacceptable-absence' }, date);
    }
    return s;
  };
  const pend = (id: string): Command => ({
    type: 'record-enforcement-decision',
    appointmentId: id,
    decision: 'pending-response',
    responseDueOn: '2027-01-20',
  });
  const excuse = (id: string): Command => ({ type: 'record-enforcement-decision', appointmentId: id, decision: 'excuse-accepted' });

  it('comes back only when every failure that lost it is excused', () => {
    let s = applyOn(applyOn(upw(), pend('u1'), '2027-01-13'), pend('u2'), '2027-01-13');
    expect(s.progress.entries[0]!.unpaidWork).toMatchObject({ creditLostBy: ['u1', 'u2'] });
    s = applyOn(s, excuse('u1'), '2027-01-14');
    expect(s.progress.entries[0]!.unpaidWork).toEqual({
      worked: 0,
      creditLost: 'unacceptable failure at unpaid work (appointment u1) on 2027-01-11',
      creditLostBy: ['u2'],
    });
    s = applyOn(s, excuse('u2'), '2027-01-15');
    expect(s.progress.entries[0]!.unpaidWork).toEqual({ worked: 0 });
  });

  it('stays lost when something other than a failure lost it too (asked to leave a placement)', () => {
    let s = applyOn(
      upw(),
      { type: 'record-requirement-progress', requirementIndex: 0, removedFromPlacement: true, by: 'UPW1' },
      '2027-01-13',
    );
    s = applyOn(applyOn(s, pend('u1'), '2027-01-13'), pend('u2'), '2027-01-13');
    s = applyOn(applyOn(s, excuse('u1'), '2027-01-14'), excuse('u2'), '2027-01-14');
    expect(s.progress.entries[0]!.unpaidWork).toEqual({
      worked: 0,
      creditLost: 'unacceptable failure at unpaid work (appointment u1) on 2027-01-11',
    });
  });

  it('comes back when a removal from a placement reported as a failure is excused', () => {
    let s = unpaidWorkCase();
    s = applyOn(
      s,
      { type: 'record-failure-to-comply', failureId: 'p1', source: 'placement-removal', occurredOn: '2027-01-11', reportedBy: 'UPW1' },
      '2027-01-11',
    );
    expect(s.progress.entries[0]!.unpaidWork).toMatchObject({ creditLostBy: ['p1'] });
    s = applyOn(applyOn(s, pend('p1'), '2027-01-12'), excuse('p1'), '2027-01-13');
    expect(s.progress.entries[0]!.unpaidWork).toEqual({ worked: 0 });
  });
});

describe('a decision the law does not know', () => {
  it('is refused under either rules, as before', () => {
    for (const rules of [1, 2]) {
      const s = outcome(book(allocated(rules), 'a1', '2027-01-11'), 'a1', 'unacceptable-absence', '2027-01-11');
      expect(rejectionReason(s, decide({ decision: 'caution' }), at('2027-01-12'))).toMatch(/^a warning is not allowed: /);
    }
  });
});

describe('a warning says what Sch 10/16 para 6(4) requires', () => {
  it('refuses a warning without its circumstances, and circumstances on anything else', () => {
    const s = failed();
    const para64a =
      'a warning describes the circumstances of the failure (Sentencing Act 2020 Sch 10/16 para 6(4)(a)): circumstances, 1-500 characters';
    expect(rejectionReason(s, decide({ decision: 'warning' }), at('2027-01-11'))).toBe(para64a);
    expect(rejectionReason(s, decide({ decision: 'warning', circumstances: '   ' }), at('2027-01-11'))).toBe(para64a);
    expect(rejectionReason(s, decide({ decision: 'referral', circumstances: 'x' }), at('2027-01-11'))).toBe(
      'circumstances go with a warning',
    );
  });

  it('records the circumstances, that the failure is unacceptable, and what a further failure within 12 months brings', () => {
    const s = applyOn(
      failed(),
      decide({ decision: 'warning', circumstances: 'did not attend on 11 January and did not call' }),
      '2027-01-12',
    );
    expect(s.compliance.warnings).toEqual([
      {
        givenOn: '2027-01-12',
        failureId: 'a1',
        content: {
          circumstances: 'did not attend on 11 January and did not call',
          unacceptable: 'This failure to comply with your community order is unacceptable (Sentencing Act 2020 Sch 10 para 6(4)(b)).',
          consequence:
            'If you fail again, without a reasonable excuse, to comply with any requirement of the order between 2027-01-12 and ' +
            '2028-01-11, the matter will be referred to an enforcement officer, who may bring you before the court ' +
            '(Sentencing Act 2020 Sch 10 para 6(2) and 6(4)(c)).',
        },
      },
    ]);
    // The officer's words stay in the case; the timeline does not repeat them.
    expect(JSON.stringify(s.timeline)).not.toContain('did not call');
  });
});

describe('an acceptable absence is evidenced in time, or becomes unacceptable', () => {
  // a2 and a3 on Wednesday 13 January: evidence due within 5 business days, by Wednesday 20 January.
  const absent = (id: string, extra: object = {}) =>
    outcome(book(allocated(), id, '2027-01-13'), id, 'acceptable-absence', '2027-01-13', extra);

  it('evidence received by the due date meets it, once', () => {
    let s = absent('a2');
    expect(deadline(s, 'absence-evidence-a2')).toMatchObject({ kind: 'absence-evidence', dueDate: '2027-01-20', status: 'pending' });
    expect(compliance(s, '2027-01-14')).toMatchObject({ awaitingAbsenceEvidence: [{ appointmentId: 'a2', dueOn: '2027-01-20' }] });
    s = applyOn(s, evidenceOf('a2'), '2027-01-15');
    expect(s.compliance.appointments[0]).toMatchObject({
      outcome: 'acceptable-absence',
      absenceEvidence: { dueOn: '2027-01-20', reference: 'GP-LETTER-7', receivedOn: '2027-01-15', by: 'OM1' },
    });
    expect(deadline(s, 'absence-evidence-a2')).toMatchObject({ status: 'met', metOn: '2027-01-15' });
    expect(rejectionReason(s, evidenceOf('a2'), at('2027-01-16'))).toBe('the evidence for appointment a2 was received on 2027-01-15');
    expect(advanceTime(s, at('2027-01-25')).state.compliance.failures).toEqual([]);
  });

  it('evidence given with the outcome needs no deadline', () => {
    const s = absent('a2', { evidenceReference: 'HOSPITAL-LETTER' });
    expect(deadline(s, 'absence-evidence-a2')).toBeUndefined();
    expect(s.compliance.appointments[0]!.absenceEvidence).toEqual({
      dueOn: '2027-01-20',
      reference: 'HOSPITAL-LETTER',
      receivedOn: '2027-01-13',
      by: 'OM1',
    });
    const refused = rejectionReason(
      book(allocated(), 'a9', '2027-01-13'),
      { type: 'record-appointment-outcome', appointmentId: 'a9', outcome: 'unacceptable-absence', evidenceReference: 'X' },
      at('2027-01-13'),
    );
    expect(refused).toBe('evidenceReference is the evidence of an acceptable absence');
  });

  it('no evidence by the due date: the absence becomes unacceptable and enters the decision path', () => {
    const lapsed = advanceTime(absent('a3'), at('2027-01-21'));
    const s = lapsed.state;
    expect(s.compliance.appointments[0]).toMatchObject({
      outcome: 'unacceptable-absence',
      absenceEvidence: { dueOn: '2027-01-20', lapsedOn: '2027-01-20' },
    });
    expect(s.compliance.failures).toEqual([{ appointmentId: 'a3', on: '2027-01-13', awareOn: '2027-01-20' }]);
    expect(deadline(s, 'absence-evidence-a3')).toMatchObject({ status: 'missed', overdueSince: '2027-01-21T00:00:00.000Z' });
    expect(lapsed.effects).toContainEqual({
      type: 'alert-overdue',
      deadline: expect.objectContaining({ id: 'absence-evidence-a3', status: 'overdue' }),
    });
    expect(events(s)).toEqual(expect.arrayContaining(['absence-unevidenced', 'failure-to-comply']));
    expect(compliance(s, '2027-01-21')).toMatchObject({ awaitingDecision: ['a3'], awaitingAbsenceEvidence: [] });
    expect(rejectionReason(s, evidenceOf('a3'), at('2027-01-21'))).toBe(
      'the absence at appointment a3 became unacceptable on 2027-01-20: its evidence was due by 2027-01-20',
    );
  });

  it('rules 1 took an acceptable absence as it was: no evidence due, and no evidence command', () => {
    const s = outcome(book(allocated(1), 'a2', '2027-01-13'), 'a2', 'acceptable-absence', '2027-01-13');
    expect(deadline(s, 'absence-evidence-a2')).toBeUndefined();
    expect(s.compliance.appointments[0]!.absenceEvidence).toBeUndefined();
    expect(rejectionReason(s, evidenceOf('a2'), at('2027-01-14'))).toBe('absence evidence is recorded under rules 2 only');
    expect(advanceTime(s, at('2027-02-01')).state.compliance.failures).toEqual([]);
  });
});
