// The rules versions (domain/rules.ts): issue 12's corrections hold for sentences on rules 2; a sentence that began on
// rules 1 keeps deciding as it did until its next run adopts the newest, so every recorded history replays as it ran.
import { describe, expect, it } from 'vitest';
import { currentCalendarVersion } from '../../domain/calendar/index.ts';
import { periodEnd } from '../../domain/dates.ts';
import { adoptRules, advanceTime, commence, isOverdue, rejectionReason, type Command, type SentenceState } from '../../domain/lifecycle.ts';
import { CURRENT_RULES, rulesOf } from '../../domain/rules.ts';
import { communityOrder, suspendedSentence } from '../support/fixtures.ts';
import { searchAttributeUpdates } from '../../contracts/index.ts';
import { view } from '../../api/app.ts';
import { applyOn, at } from '../support/scenario.ts';

const SD = '2026-01-12';
const apply = applyOn;
const onRules = (rules: number, sentence = communityOrder(SD, periodEnd(SD, 24))) =>
  apply(commence(sentence, 'h', at(SD), currentCalendarVersion(), rules), { type: 'allocate', offenderManagerId: 'OM1' }, SD);

const book = (s: SentenceState, id: string, date: string, on: string) =>
  apply(s, { type: 'record-appointment', appointmentId: id, date }, on);
const outcome = (s: SentenceState, id: string, o: 'unacceptable-absence' | 'attended-complied', on: string) =>
  apply(s, { type: 'record-appointment-outcome', appointmentId: id, outcome: o, on }, on);
const warning = (id: string, on: string): Command => ({
  type: 'record-enforcement-decision',
  appointmentId: id,
  decision: 'warning',
  circumstances: 'did not attend and gave no reason',
  on,
});
/** A warning as rules 1 took it: no content. */
const warningAsRules1 = (id: string, on: string): Command => ({
  type: 'record-enforcement-decision',
  appointmentId: id,
  decision: 'warning',
  on,
});

/**
 * The case: a failure on 5 February not yet decided; an earlier failure (2 February) warned on 10 February;
 * the outcome of the 5 February appointment recorded on 11 February.
 */
function twoFailures(rules: number, sentence?: ReturnType<typeof communityOrder>): SentenceState {
  let s = onRules(rules, sentence);
  s = book(s, 'a1', '2026-02-02', '2026-01-20');
  s = book(s, 'a2', '2026-02-05', '2026-01-20');
  s = outcome(s, 'a1', 'unacceptable-absence', '2026-02-02');
  s = apply(s, rules === 1 ? warningAsRules1('a1', '2026-02-10') : warning('a1', '2026-02-10'), '2026-02-10');
  return outcome(s, 'a2', 'unacceptable-absence', '2026-02-11');
}

describe('rules 2: the 12 months of Sch 10/16 para 6(2) count back from the officer’s decision', () => {
  it('a failure before an earlier failure’s warning, decided after it, must be referred: no second warning', () => {
    const s = twoFailures(2);
    expect(rejectionReason(s, warning('a2', '2026-02-11'), at('2026-02-11'))).toBe(
      'a warning is not allowed: a warning was given on 2026-02-10, within the 12 months before this decision on 2026-02-11 (Sentencing Act 2020 Sch 10 para 6(2)): the matter must be referred to an enforcement officer',
    );
    expect(
      rejectionReason(s, { type: 'record-enforcement-decision', appointmentId: 'a2', decision: 'referral' }, at('2026-02-11')),
    ).toBeUndefined();
    expect(s.timeline.at(-1)?.detail).toBe(
      'unacceptable failure on 2026-02-05: a warning was given on 2026-02-10, within the 12 months before this decision on 2026-02-11 (Sentencing Act 2020 Sch 10 para 6(2)): the matter must be referred to an enforcement officer',
    );
  });

  it('a suspended sentence order cites Sch 16 para 6(2)', () => {
    const s = twoFailures(2, suspendedSentence(SD, 24, 12));
    expect(rejectionReason(s, warning('a2', '2026-02-11'), at('2026-02-11'))).toMatch(/\(Sentencing Act 2020 Sch 16 para 6\(2\)\)/);
  });

  it('the window’s edges: a warning 11 months before the decision counts, one 13 months before does not', () => {
    let s = onRules(2);
    s = book(s, 'w', '2026-02-02', '2026-02-02');
    s = outcome(s, 'w', 'unacceptable-absence', '2026-02-02');
    s = apply(s, warning('w', '2026-02-02'), '2026-02-02');
    s = book(s, 'x', '2027-01-04', '2027-01-04');
    s = outcome(s, 'x', 'unacceptable-absence', '2027-01-04');
    expect(rejectionReason(s, warning('x', '2027-01-04'), at('2027-01-04'))).toMatch(
      /^a warning is not allowed: a warning was given on 2026-02-02/,
    );
    // The same failure, decided on the last day of the warning's 12 months and on the day after them.
    expect(rejectionReason(s, warning('x', '2027-02-01'), at('2027-02-01'))).toMatch(/^a warning is not allowed/);
    expect(rejectionReason(s, warning('x', '2027-02-02'), at('2027-02-02'))).toBeUndefined();
    s = book(s, 'y', '2027-03-01', '2027-03-01');
    s = outcome(s, 'y', 'unacceptable-absence', '2027-03-01');
    expect(rejectionReason(s, warning('y', '2027-03-01'), at('2027-03-01'))).toBeUndefined();
  });

  it('rules 1 (a sentence begun before 0.5.0) still judges from the failure’s date, as its history recorded', () => {
    const s = twoFailures(1);
    expect(rulesOf(s)).toBe(1);
    // Rules 1 recorded no warning's content: circumstances are refused there.
    expect(rejectionReason(s, warningAsRules1('a2', '2026-02-11'), at('2026-02-11'))).toBeUndefined();
    expect(rejectionReason(s, warning('a2', '2026-02-11'), at('2026-02-11'))).toBe(
      "a pending response, and a warning's circumstances, are recorded under rules 2 only",
    );
  });
});

describe('rules 2: no outcome of an appointment still to come but a rescheduling or an absence accepted ahead', () => {
  it('refuses an unacceptable absence and attendance before the day; accepts both on it', () => {
    let s = book(onRules(2), 'f1', '2026-02-06', '2026-02-04');
    const absent: Command = { type: 'record-appointment-outcome', appointmentId: 'f1', outcome: 'unacceptable-absence' };
    expect(rejectionReason(s, absent, at('2026-02-04'))).toBe(
      'appointment f1 is on 2026-02-06, after 2026-02-04: before its day it can only be rescheduled or an absence accepted',
    );
    expect(rejectionReason(s, { ...absent, outcome: 'attended-complied' }, at('2026-02-04'))).toMatch(/^appointment f1 is on 2026-02-06/);
    expect(rejectionReason(s, { ...absent, outcome: 'acceptable-absence', reason: 'hospital' }, at('2026-02-04'))).toBeUndefined();
    expect(rejectionReason(s, { ...absent, outcome: 'rescheduled' }, at('2026-02-04'))).toBeUndefined();
    expect(rejectionReason(s, absent, at('2026-02-06'))).toBeUndefined();
    s = apply(s, absent, '2026-02-06');
    expect(s.compliance.failures).toEqual([{ appointmentId: 'f1', on: '2026-02-06', awareOn: '2026-02-06' }]);
  });

  it('rules 1 took it, as recorded', () => {
    const s = book(onRules(1), 'f1', '2026-02-06', '2026-02-04');
    const absent: Command = { type: 'record-appointment-outcome', appointmentId: 'f1', outcome: 'unacceptable-absence' };
    expect(rejectionReason(s, absent, at('2026-02-04'))).toBeUndefined();
  });
});

describe('rules 2: the NPS assumes responsibility where it finds a high risk of serious harm (row 30)', () => {
  /** A case referred to the NPS by risk information reaching high. */
  const referred = (rules: number) =>
    apply(onRules(rules), { type: 'record-risk-information', roshLevel: 'high', sourceCode: 'police', by: 'OM1' }, '2026-01-20');
  const declines = (roshLevel: 'high' | 'very-high' | 'medium'): Command => ({
    type: 'record-nps-decision',
    decision: 'declines',
    roshLevel,
    by: 'NPS1',
  });

  it('refuses a decline with its own assessment high or very high; takes one at medium', () => {
    const s = referred(2);
    expect(rejectionReason(s, declines('high'), at('2026-01-21'))).toBe(
      'the NPS assesses the risk of serious harm as high: it assumes responsibility and cannot decline (specification row 30)',
    );
    expect(rejectionReason(s, declines('very-high'), at('2026-01-21'))).toMatch(/as very-high: it assumes responsibility/);
    expect(rejectionReason(s, declines('medium'), at('2026-01-21'))).toBeUndefined();
  });

  it('rules 1 took a decline at high, as recorded', () => {
    expect(rejectionReason(referred(1), declines('high'), at('2026-01-21'))).toBeUndefined();
  });
});

describe('rules 2: plan, review and end-of-sentence-review deadlines only where their outputs apply', () => {
  const emCurfew = (rules: number) =>
    commence(
      communityOrder(SD, periodEnd(SD, 6), {
        responsibleOfficer: 'em-provider',
        requirements: [{ type: 'curfew', hoursPerDay: 10, daysPerWeek: 7, months: 6 }],
      }),
      'h',
      at(SD),
      currentCalendarVersion(),
      rules,
    );
  const kinds = (s: SentenceState) => s.deadlines.map((d) => d.kind);

  it('an EM-provider curfew case has no plan, review or end-of-sentence review, and closes at its end without one', () => {
    let s = apply(emCurfew(2), { type: 'allocate', offenderManagerId: 'EM1' }, SD);
    expect(s.outputs.filter((o) => [8, 32, 34].includes(o.row)).map((o) => [o.row, o.applies])).toEqual([
      [8, false],
      [32, false],
      [34, false],
    ]);
    s = apply(s, { type: 'record-first-appointment' }, '2026-01-14');
    s = apply(s, { type: 'complete-plan' }, '2026-01-20');
    s = apply(s, { type: 'record-significant-change', changeCode: 'ADDRESS' }, '2026-02-02');
    expect(kinds(s)).toEqual(['first-appointment']);
    const ended = advanceTime(s, at('2026-07-13'));
    expect(ended.state.phase).toBe('closed');
    expect(ended.state.termination).toEqual({ reason: 'end-of-order', on: '2026-07-11' });
    expect(ended.state.milestones.closedOn).toBe('2026-07-11');
    expect(kinds(ended.state)).toEqual(['first-appointment']);
    expect(ended.state.timeline.slice(-2).map((e) => e.detail)).toEqual([
      'terminated on 2026-07-11: end-of-order',
      'case closed: no end-of-sentence review applies to it (row 34)',
    ]);
    expect(ended.effects.map((e) => e.type)).not.toContain('alert-overdue');
  });

  it('a case managed by its offender manager keeps all three', () => {
    let s = apply(onRules(2), { type: 'record-first-appointment' }, '2026-01-14');
    expect(kinds(s)).toContain('plan');
    s = apply(s, { type: 'complete-plan' }, '2026-01-20');
    s = apply(s, { type: 'record-significant-change', changeCode: 'ADDRESS' }, '2026-02-02');
    expect(kinds(s)).toEqual(['first-appointment', 'plan', 'review', 'significant-change-review']);
    s = apply(s, { type: 'terminate', reason: 'revoked' }, '2026-03-02');
    expect(s.phase).toBe('terminated');
    expect(kinds(s).at(-1)).toBe('end-of-sentence-review');
  });

  it('rules 1 gave the EM-provider case its plan deadline and its overdue alert, as recorded', () => {
    const s = apply(
      apply(emCurfew(1), { type: 'allocate', offenderManagerId: 'EM1' }, SD),
      { type: 'record-first-appointment' },
      '2026-01-14',
    );
    expect(kinds(s)).toEqual(['first-appointment', 'plan']);
    const late = advanceTime(s, at('2026-03-02'));
    expect(late.effects.flatMap((e) => (e.type === 'alert-overdue' ? [e.deadline.id] : []))).toEqual(['plan']);
  });
});

describe('rules 2: a case with an output overdue is overdue, in the view, the list and its search attribute', () => {
  /** A case on time by its deadlines, with one output (row 13) overdue. */
  const lateOutput = (rules: number) => {
    const s = onRules(rules);
    return { ...s, outputs: s.outputs.map((o) => (o.row === 13 ? { ...o, status: 'overdue' as const } : o)) };
  };
  const overdueAttribute = (s: SentenceState) =>
    searchAttributeUpdates(s, { caseReference: false }).find((u) => u.key.name === 'Overdue')?.value;

  it('is overdue with no deadline overdue; rules 1 said it was not', () => {
    expect(lateOutput(2).deadlines.some((d) => d.status === 'overdue')).toBe(false);
    expect(isOverdue(lateOutput(2))).toBe(true);
    expect(overdueAttribute(lateOutput(2))).toBe(true);
    expect(view(lateOutput(2))).toMatchObject({ overdue: true, overdueDeadlines: 0, overdueOutputs: 1 });
    expect(isOverdue(lateOutput(1))).toBe(false);
    expect(overdueAttribute(lateOutput(1))).toBe(false);
    expect(view(lateOutput(1))).toMatchObject({ overdue: false, overdueDeadlines: 0, overdueOutputs: 1 });
    expect(isOverdue(onRules(2))).toBe(false);
  });
});

describe('adopting the rules', () => {
  it('new sentences begin on the newest rules; a sentence on rules 1 adopts them with a timeline entry, and not backwards', () => {
    expect(CURRENT_RULES).toBe(2);
    expect(rulesOf(commence(communityOrder(SD, periodEnd(SD, 24)), 'h', at(SD)))).toBe(2);
    const old = onRules(1);
    const adopted = adoptRules(old, 2, at('2026-03-02'));
    expect(rulesOf(adopted)).toBe(2);
    expect(adopted.timeline.at(-1)).toEqual({
      at: '2026-03-02T10:00:00.000Z',
      event: 'rules-adopted',
      detail: 'rules version 2 (was 1) for decisions from now on',
    });
    expect(rulesOf(old)).toBe(1);
    expect(adoptRules(adopted, 2, at('2026-03-03'))).toBe(adopted);
    expect(() => adoptRules(adopted, 1, at('2026-03-03'))).toThrow('rules version 1 is older than 2');
    expect(() => adoptRules(old, 9, at('2026-03-03'))).toThrow('unknown rules version 9');
  });
});
