// Each refusal has its stable code beside its words (domain/refusals.ts): the API answers it as the problem's type.
import { describe, expect, it } from 'vitest';
import { refusalCodeOf } from '../../api/problems.ts';
import { periodEnd } from '../../domain/dates.ts';
import { advanceTime, commence, refusalOf, rejectionReason, type Command } from '../../domain/lifecycle.ts';
import { communityOrder, suspendedSentence } from '../support/fixtures.ts';
import { applyOn, at } from '../support/scenario.ts';

const SD = '2027-01-04'; // a Monday
const fresh = () => commence(communityOrder(SD, periodEnd(SD, 12)), 'h', at(SD));

describe('refusal codes', () => {
  it('names the phase, with where the command is valid', () => {
    expect(refusalOf(fresh(), { type: 'complete-plan' }, at(SD))).toEqual({
      code: 'not-valid-in-phase',
      reason: 'complete-plan is not valid in phase commenced (valid in: inducted)',
      validIn: ['inducted'],
    });
    expect(refusalOf(fresh(), { type: 'complete-end-of-sentence-review' }, at(SD))).toEqual({
      code: 'not-valid-in-phase',
      reason: 'complete-end-of-sentence-review is not valid in phase commenced (valid in: terminated)',
      validIn: ['terminated'],
    });
  });

  it('names the dates: not a date, in the future, before what it follows', () => {
    const code = (c: Command) => refusalOf(fresh(), c, at(SD))?.code;
    expect(code({ type: 'allocate', offenderManagerId: 'OM1', allocatedOn: '2027-02-30' })).toBe('date-not-valid');
    expect(code({ type: 'allocate', offenderManagerId: 'OM1', allocatedOn: '2027-01-05' })).toBe('date-in-future');
    expect(code({ type: 'allocate', offenderManagerId: 'OM1', allocatedOn: '2027-01-01' })).toBe('date-before-earliest');
  });

  it('names a warning the law does not allow, and gives any other rule the general code, with the same words', () => {
    let s = applyOn(fresh(), { type: 'allocate', offenderManagerId: 'OM1' }, SD);
    for (const [id, date] of [
      ['a1', '2027-01-11'],
      ['a2', '2027-01-18'],
    ] as const) {
      s = applyOn(s, { type: 'record-appointment', appointmentId: id, date }, SD);
      s = applyOn(s, { type: 'record-appointment-outcome', appointmentId: id, outcome: 'unacceptable-absence' }, date);
    }
    const warn = (id: string): Command => ({
      type: 'record-enforcement-decision',
      appointmentId: id,
      decision: 'warning',
      circumstances: 'missed',
    });
    s = applyOn(s, warn('a1'), '2027-01-18');
    const refused = refusalOf(s, warn('a2'), at('2027-01-19'));
    expect(refused?.code).toBe('warning-not-allowed');
    expect(refused?.reason).toMatch(/^a warning is not allowed: /);
    expect(rejectionReason(s, warn('a2'), at('2027-01-19'))).toBe(refused?.reason);
    expect(refusalOf(s, { type: 'record-appointment', appointmentId: 'a1', date: '2027-01-25' }, at('2027-01-19'))).toEqual({
      code: 'command-refused',
      reason: 'appointment a1 is already recorded',
    });
  });

  it('names work of the supervision period after it ended, and an early end the law does not give', () => {
    const sso = commence(suspendedSentence(SD, 12, 6), 'h', at(SD));
    let s = applyOn(sso, { type: 'allocate', offenderManagerId: 'OM1' }, SD);
    s = applyOn(s, { type: 'record-first-appointment' }, SD);
    s = applyOn(s, { type: 'complete-plan' }, SD);
    s = advanceTime(s, at('2027-07-06')).state;
    expect(refusalOf(s, { type: 'complete-review' }, at('2027-07-06'))).toEqual({
      code: 'supervision-ended',
      reason: 'complete-review is not valid after the supervision period ended on 2027-07-03',
    });
    expect(refusalOf(s, { type: 'terminate', reason: 'early-termination' }, at('2027-07-06'))?.code).toBe('termination-route-not-lawful');
  });

  it('reads the code a refusal carried from the workflow, and takes a refusal without one (an older worker) as command-refused', () => {
    expect(refusalCodeOf(['warning-not-allowed'])).toBe('warning-not-allowed');
    expect(refusalCodeOf(['not-valid-in-phase', ['inducted']])).toBe('not-valid-in-phase');
    expect(refusalCodeOf(undefined)).toBe('command-refused');
    expect(refusalCodeOf([])).toBe('command-refused');
    expect(refusalCodeOf(['made-up-code'])).toBe('command-refused');
  });
});
