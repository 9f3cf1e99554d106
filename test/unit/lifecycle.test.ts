// The lifecycle rules without Temporal: commands, rejections, and the passage of time.
import { describe, expect, it } from 'vitest';
import { londonEndOfDay, periodEnd } from '../../domain/dates.ts';
import {
  adoptRules,
  advanceTime,
  alreadyApplied,
  applyCommand,
  APPLIED_COMMAND_IDS_KEPT,
  commence,
  isOverdue,
  nextDeadline,
  nextWakeUp,
  pendingDeliveries,
  recordDelivery,
  rejectionReason,
  upgradeState,
  type Command,
  type SentenceState,
} from '../../domain/lifecycle.ts';
import type { SuspendedSentenceOrder } from '../../domain/sentence.ts';
import { communityOrder, suspendedSentence } from '../support/fixtures.ts';
import { at, run } from '../support/scenario.ts';

const SD = '2026-11-23'; // a Monday
/** What the workflow does at once: deliver the system outputs that are due (rows 1 and 2). */
const delivered = (s: SentenceState, date: string) =>
  pendingDeliveries(s).reduce((st, d) => recordDelivery(st, d, { reference: `ref-${d.row}`, what: 'delivered' }, at(date)).state, s);
const lifecycleEvents = (s: SentenceState) => s.timeline.map((e) => e.event).filter((e) => !e.startsWith('output-'));

describe('sentence lifecycle rules', () => {
  const fresh = () => delivered(commence(communityOrder(SD, periodEnd(SD, 12)), 'h', at(SD)), SD);

  it('commences with the first appointment due 5 business days after sentence', () => {
    const s = fresh();
    expect(s.phase).toBe('commenced');
    expect(s.deadlines).toEqual([expect.objectContaining({ id: 'first-appointment', dueDate: '2026-11-30', status: 'pending' })]);
    expect(s.dates).toEqual({ sentenceDate: SD, orderEnd: '2027-11-22' });
  });

  it('moves through allocation, induction and plan, scheduling the plan and the first review', () => {
    const s = run(
      fresh(),
      [{ type: 'allocate', offenderManagerId: 'OM1' }, SD],
      [{ type: 'record-first-appointment', heldOn: '2026-11-25' }, '2026-11-25'],
      [{ type: 'complete-plan', completedOn: '2026-12-10' }, '2026-12-10'],
    );
    expect(s.phase).toBe('plan-agreed');
    expect(s.deadlines.map((d) => [d.id, d.dueDate, d.status])).toEqual([
      ['first-appointment', '2026-11-30', 'met'],
      ['plan', '2026-12-16', 'met'],
      ['review-1', '2027-04-01', 'pending'], // 16 weeks after 2026-12-10
    ]);
  });

  it('asks to continue as new after each review', () => {
    const s = run(
      fresh(),
      [{ type: 'allocate', offenderManagerId: 'OM1' }, SD],
      [{ type: 'record-first-appointment' }, SD],
      [{ type: 'complete-plan' }, SD],
    );
    const t = applyCommand(s, { type: 'complete-review' }, at('2027-03-10'));
    expect(t.effects).toContainEqual({ type: 'continue-as-new' });
    expect(t.state.phase).toBe('supervision');
  });

  it('gives the reason a command is refused, without changing the case', () => {
    const s = fresh();
    const copy = JSON.stringify(s);
    expect(rejectionReason(s, { type: 'complete-plan' }, at(SD))).toBe(
      'complete-plan is not valid in phase commenced (valid in: inducted)',
    );
    expect(rejectionReason(s, { type: 'allocate', offenderManagerId: 'OM1', allocatedOn: '2026-11-24' }, at(SD))).toMatch(/in the future/);
    expect(rejectionReason(s, { type: 'allocate', offenderManagerId: 'OM1', allocatedOn: '2026-11-20' }, at(SD))).toMatch(
      /before the sentence date/,
    );
    expect(rejectionReason(s, { type: 'allocate', offenderManagerId: 'bad id' }, at(SD))).toMatch(/offenderManagerId/);
    expect(() => applyCommand(s, { type: 'complete-plan' }, at(SD))).toThrow(/not valid in phase/);
    expect(JSON.stringify(s)).toBe(copy);
  });

  it('marks an unmet deadline overdue at the end of its due day and records a late completion', () => {
    const s0 = run(fresh(), [{ type: 'allocate', offenderManagerId: 'OM1' }, SD]);
    expect(nextWakeUp(s0)?.atMs).toBe(londonEndOfDay('2026-11-30'));
    expect(advanceTime(s0, londonEndOfDay('2026-11-30') - 1).effects).toEqual([]);
    const t = advanceTime(s0, londonEndOfDay('2026-11-30'));
    expect(t.effects[0]).toEqual({
      type: 'alert-overdue',
      deadline: expect.objectContaining({ id: 'first-appointment', status: 'overdue' }),
    });
    // The outputs due with the first appointment (induction, 4-7) fall overdue with it, in one alert.
    expect(t.effects.slice(1)).toEqual([
      { type: 'alert-overdue-outputs', rows: [6], at: new Date(londonEndOfDay('2026-11-30')).toISOString() },
    ]);
    const late = applyCommand(t.state, { type: 'record-first-appointment', heldOn: '2026-12-02' }, at('2026-12-02'));
    expect(late.state.deadlines[0]).toMatchObject({ status: 'met-late', businessDaysLate: 2 });
  });

  it('processes a deadline due on the last day before the end of the order, then terminates', () => {
    const rar = { requirements: [{ type: 'rehabilitation-activity' as const, maxDays: 5 }] };
    const s = run(delivered(commence(communityOrder(SD, '2026-11-30', rar), 'h', at(SD)), SD), [
      { type: 'allocate', offenderManagerId: 'OM1' },
      SD,
    ]);
    const t = advanceTime(s, londonEndOfDay('2026-11-30'));
    expect(lifecycleEvents(t.state).slice(-3)).toEqual(['deadline-overdue', 'deadline-missed', 'terminated']);
    expect(t.state.phase).toBe('terminated');
    expect(t.state.deadlines.find((d) => d.id === 'end-of-sentence-review')?.dueDate).toBe('2026-12-14');
    expect(nextWakeUp(t.state)?.atMs).toBe(londonEndOfDay('2026-12-14'));
  });

  it('ends SSO supervision before the operational period and cancels pending reviews', () => {
    let s = delivered(commence(suspendedSentence(SD, 12, 6), 'h', at(SD)), SD);
    s = run(
      s,
      [{ type: 'allocate', offenderManagerId: 'OM1' }, SD],
      [{ type: 'record-first-appointment' }, SD],
      [{ type: 'complete-plan' }, SD],
    );
    s = applyCommand(s, { type: 'complete-review' }, at('2027-03-01')).state;
    expect(s.deadlines.find((d) => d.id === 'review-2')).toBeUndefined(); // 16 weeks on is past the supervision end
    const t = advanceTime(s, londonEndOfDay('2027-05-22'));
    expect(t.state.supervisionEnded).toBe(true);
    expect(t.state.phase).toBe('supervision');
    expect(rejectionReason(t.state, { type: 'complete-review' }, at('2027-05-24'))).toMatch(/supervision period ended/);
    expect(advanceTime(t.state, londonEndOfDay('2027-11-22')).state.termination).toEqual({ reason: 'end-of-order', on: '2027-11-22' });
  });

  describe('an SSO whose supervision period ends before its operational period (rules 2)', () => {
    // Sentenced Monday 2026-11-23: supervision to Saturday 2027-05-22, the operational period to 2027-11-22.
    const supervised = () =>
      run(
        delivered(commence(suspendedSentence(SD, 12, 6), 'h', at(SD)), SD),
        [{ type: 'allocate', offenderManagerId: 'OM1' }, SD],
        [{ type: 'record-first-appointment' }, SD],
        [{ type: 'complete-plan' }, SD],
      );
    const supervisionOver = () => advanceTime(supervised(), londonEndOfDay('2027-05-22')).state;
    const review = (s: SentenceState) => s.deadlines.find((d) => d.id === 'end-of-supervision-review');

    it("makes the end-of-sentence review and the partner agencies' notice due when supervision ends", () => {
      const s = supervisionOver();
      expect(s.phase).toBe('plan-agreed');
      expect(s.milestones.involvementEndedOn).toBe('2027-05-22');
      // 10 business days from Saturday 22 May 2027, over the spring bank holiday (Monday 31 May).
      expect(review(s)).toEqual(expect.objectContaining({ kind: 'end-of-sentence-review', dueDate: '2027-06-07', status: 'pending' }));
      expect(s.outputs.find((o) => o.row === 34)?.dueDate).toBe('2027-06-07');
      expect(pendingDeliveries(s).map((d) => d.row)).toContain(35);
      expect(pendingDeliveries(s).map((d) => d.row)).not.toContain(36);
    });

    it('records the review then and keeps the case open, with nothing due, until the operational period ends', () => {
      let s = applyCommand(
        supervisionOver(),
        { type: 'complete-end-of-sentence-review', completedOn: '2027-05-28' },
        at('2027-05-28'),
      ).state;
      expect(s.phase).toBe('plan-agreed');
      expect(review(s)?.status).toBe('met');
      expect(s.outputs.find((o) => o.row === 34)?.status).toBe('done');
      expect(s.timeline.find((e) => e.event === 'end-of-sentence-review-completed')?.detail).toBe(
        'end-of-sentence review completed on 2027-05-28: statutory involvement ended with the supervision period on 2027-05-22; ' +
          'the case closes when the operational period ends on 2027-11-22',
      );
      expect(s.deadlines.filter((d) => d.status === 'pending' || d.status === 'overdue')).toEqual([]);
      expect(rejectionReason(s, { type: 'complete-end-of-sentence-review' }, at('2027-06-01'))).toBe(
        'complete-end-of-sentence-review is not valid in phase plan-agreed (valid in: terminated)',
      );
      s = advanceTime(s, londonEndOfDay('2027-11-22')).state;
      expect(s.phase).toBe('closed');
      expect(s.milestones.closedOn).toBe('2027-11-22');
      expect(s.termination).toEqual({ reason: 'end-of-order', on: '2027-11-22' });
      expect(s.timeline.at(-1)?.detail).toBe(
        'case closed: its end-of-sentence review was done when the supervision period ended on 2027-05-22 (row 34)',
      );
      expect(s.outputs.find((o) => o.row === 36)?.dueDate).toBe('2027-11-23');
      expect(pendingDeliveries(s).map((d) => d.row)).toContain(36);
    });

    it('refuses the review dated before supervision ended', () => {
      expect(
        rejectionReason(supervisionOver(), { type: 'complete-end-of-sentence-review', completedOn: '2027-05-21' }, at('2027-05-28')),
      ).toMatch(/before the end of the supervision period/);
    });

    it("misses a review not done by the order's end, and asks for it again from termination", () => {
      let s = advanceTime(supervisionOver(), londonEndOfDay('2027-06-07')).state;
      expect(review(s)?.status).toBe('overdue');
      expect(isOverdue(s)).toBe(true);
      s = advanceTime(s, londonEndOfDay('2027-11-22')).state;
      expect(s.phase).toBe('terminated');
      expect(review(s)?.status).toBe('missed');
      expect(s.deadlines.find((d) => d.id === 'end-of-sentence-review')).toEqual(
        expect.objectContaining({ dueDate: '2027-12-06', status: 'pending' }),
      );
      s = applyCommand(s, { type: 'complete-end-of-sentence-review' }, at('2027-11-30')).state;
      expect(s.phase).toBe('closed');
    });

    it('leaves rules 1 as it was: nothing due when supervision ends, the review only after termination', () => {
      const s = advanceTime({ ...supervised(), rules: 1 }, londonEndOfDay('2027-05-22')).state;
      expect(s.supervisionEnded).toBe(true);
      expect(review(s)).toBeUndefined();
      expect(pendingDeliveries(s).map((d) => d.row)).not.toContain(35);
      // Nor does a case whose supervision ended under rules 1 take the rule when it adopts rules 2 later.
      const adopted = adoptRules(s, 2, at('2027-06-01'));
      expect(adopted.milestones.involvementEndedOn).toBeUndefined();
      expect(pendingDeliveries(adopted).map((d) => d.row)).not.toContain(35);
      expect(rejectionReason(s, { type: 'complete-end-of-sentence-review' }, at('2027-05-28'))).toBe(
        'complete-end-of-sentence-review is not valid in phase plan-agreed (valid in: terminated)',
      );
    });
  });

  it('refuses the end-of-sentence review of a community order still running, with the phase rule', () => {
    const s = run(fresh(), [{ type: 'allocate', offenderManagerId: 'OM1' }, SD]);
    expect(rejectionReason(s, { type: 'complete-end-of-sentence-review' }, at(SD))).toBe(
      'complete-end-of-sentence-review is not valid in phase allocated (valid in: terminated)',
    );
  });

  /** Row 6, the induction the missed first appointment would have held. */
  const OVERDUE_AFTER_TERMINATION = [6];
  it('turns deadlines that can no longer be met into missed ones; the outputs they served stay overdue (rules 2)', () => {
    let s = run(fresh(), [{ type: 'allocate', offenderManagerId: 'OM1' }, SD]);
    s = advanceTime(s, londonEndOfDay('2026-11-30')).state;
    expect(isOverdue(s)).toBe(true);
    s = applyCommand(s, { type: 'terminate', reason: 'revoked' }, at('2026-12-01')).state;
    expect(s.deadlines.find((d) => d.id === 'first-appointment')?.status).toBe('missed');
    expect(s.deadlines.filter((d) => d.status === 'overdue')).toEqual([]);
    expect(s.outputs.filter((o) => o.status === 'overdue').map((o) => o.row)).toEqual(OVERDUE_AFTER_TERMINATION);
    expect(isOverdue(s)).toBe(true);
    // On rules 1 (a sentence begun before 0.5.0) the case was not overdue once no deadline was.
    expect(isOverdue({ ...s, rules: 1 })).toBe(false);
    expect(s.timeline.map((e) => e.event)).toContain('deadline-missed');
    expect(nextDeadline(s)?.id).toBe('end-of-sentence-review');
  });

  it('refuses a date that is not a calendar date without throwing', () => {
    const s = run(fresh(), [{ type: 'allocate', offenderManagerId: 'OM1' }, SD]);
    expect(rejectionReason(s, { type: 'record-first-appointment', heldOn: '2026-09-31' }, at('2026-12-01'))).toBe(
      'heldOn 2026-09-31 is not a calendar date (YYYY-MM-DD)',
    );
  });

  it('continues as new when a review falls overdue, not only when one is recorded', () => {
    const s = run(
      fresh(),
      [{ type: 'allocate', offenderManagerId: 'OM1' }, SD],
      [{ type: 'record-first-appointment' }, SD],
      [{ type: 'complete-plan' }, SD],
    );
    const review = s.deadlines.find((d) => d.id === 'review-1')!;
    const t = advanceTime(s, londonEndOfDay(review.dueDate));
    expect(t.effects.map((e) => e.type)).toEqual(expect.arrayContaining(['alert-overdue', 'continue-as-new']));
    expect(t.state.deadlines.find((d) => d.id === 'review-1')?.status).toBe('overdue');
  });

  it('remembers applied command ids, boundedly, so a retry is not applied twice', () => {
    let s = fresh();
    s = applyCommand(s, { type: 'allocate', offenderManagerId: 'OM1' }, at(SD), 'cmd-1').state;
    expect(alreadyApplied(s, 'cmd-1')).toBe(true);
    expect(alreadyApplied(s, 'cmd-2')).toBe(false);
    expect(alreadyApplied(s, undefined)).toBe(false);
    for (let i = 0; i < APPLIED_COMMAND_IDS_KEPT + 5; i++) {
      s = applyCommand(s, { type: 'terminate', reason: 'revoked' }, at(SD), `x-${i}`).state;
      s = { ...s, phase: 'allocated', termination: undefined };
    }
    expect(s.appliedCommandIds).toHaveLength(APPLIED_COMMAND_IDS_KEPT);
    expect(alreadyApplied(s, 'cmd-1')).toBe(false);
    expect(alreadyApplied(s, `x-${APPLIED_COMMAND_IDS_KEPT + 4}`)).toBe(true);
  });

  it('runs an SSO without community requirements for its operational period alone: Type A outputs, no plan or reviews', () => {
    const sso = suspendedSentence(SD, 12, 6);
    const { supervisionPeriodMonths: _none, ...order } = sso.order as SuspendedSentenceOrder;
    let s = commence({ ...sso, order, requirements: [] }, 'h', at(SD));
    expect(s.dates).toEqual({ sentenceDate: SD, orderEnd: '2027-11-22' });
    // Type A rows, and rows 4 and 5 for a woman (the fixture's offender).
    expect(s.outputs.filter((o) => o.applies).map((o) => o.row)).toEqual([1, 3, 4, 5, 6, 12, 13, 16, 17, 21, 22, 24, 26, 27, 28, 35, 36]);
    expect(s.outputs.find((o) => o.row === 8)?.reason).toBe(
      'Type B output; the order is Type A (no requirements): no requirement needs face-to-face engagement and a plan',
    );
    s = applyCommand(s, { type: 'allocate', offenderManagerId: 'OM1' }, at(SD)).state;
    s = applyCommand(s, { type: 'record-first-appointment' }, at('2026-11-25')).state;
    expect(s.deadlines.map((d) => [d.id, d.status])).toEqual([['first-appointment', 'met']]);
    s = advanceTime(s, at('2027-11-24')).state;
    expect(s.phase).toBe('closed');
    expect(s.termination).toEqual({ reason: 'end-of-order', on: '2027-11-22' });
  });

  it('ends an order early only by a route the law gives: a bare early termination is refused under rules 2', () => {
    const s = fresh();
    expect(rejectionReason(s, { type: 'terminate', reason: 'early-termination' }, at(SD))).toBe(
      'an order ends early only by the court (its revocation: reason revoked, or the early-revocation decision, Sentencing Act 2020 Sch 10 para 14 / Sch 16 para 22; ' +
        'its outcome on breach: record-court-outcome) or by the responsible officer under the Sentencing Act 2026 ss.38-39 ' +
        '(end-order-by-officer, which checks Sch 10 para 15A / Sch 16 para 22A): "early-termination" is none of them',
    );
    expect(rejectionReason(s, { type: 'terminate', reason: 'revoked' }, at(SD))).toBeUndefined();
    // A sentence still on rules 1 keeps the route it had.
    expect(rejectionReason({ ...s, rules: 1 }, { type: 'terminate', reason: 'early-termination' }, at(SD))).toBeUndefined();
  });

  it('closes after the end-of-sentence review and refuses everything afterwards', () => {
    let s = run(fresh(), [{ type: 'terminate', reason: 'revoked', terminatedOn: SD }, SD]);
    expect(s.deadlines.find((d) => d.id === 'first-appointment')?.status).toBe('cancelled');
    s = applyCommand(s, { type: 'complete-end-of-sentence-review' }, at(SD)).state;
    expect(s.phase).toBe('closed');
    expect(rejectionReason(s, { type: 'allocate', offenderManagerId: 'OM1' }, at(SD))).toBe('the sentence is closed');
    expect(nextWakeUp(s)).toBeUndefined();
  });
});

describe('state carried by an older version', () => {
  it('is upgraded with the fields added since, as commencement would have set them', () => {
    const s = commence(communityOrder(SD, periodEnd(SD, 12)), 'h', at(SD), 'ew-2026-11-23');
    const {
      provider: _p,
      courtCode: _c,
      ownership: _o,
      risk: _r,
      transfers: _t,
      courtReports: _cr,
      law: _l,
      progress: _g,
      calendarVersion: _v,
      ...v2
    } = s;
    const old = { ...v2, schemaVersion: 1 };
    expect(upgradeState(old as unknown as SentenceState)).toEqual(s);
  });
});

describe('deliveries and older state, edges found in the third review', () => {
  it('keeps a delivery that landed while its output stopped applying, and does not deliver it again', () => {
    const offender = { ...communityOrder(SD, periodEnd(SD, 12)).offender, domesticAbusePerpetrator: true };
    const s0 = commence(communityOrder(SD, periodEnd(SD, 12), { offender }), 'h', at(SD));
    const police = pendingDeliveries(s0).find((d) => d.part === 'police-da')!;
    expect(police).toBeDefined();
    const off = applyCommand(s0, { type: 'change-circumstances', offender: { domesticAbusePerpetrator: false } }, at(SD)).state;
    const landed = recordDelivery(off, police, { reference: 'ref-police', what: 'police told' }, at(SD)).state;
    const back = applyCommand(landed, { type: 'change-circumstances', offender: { domesticAbusePerpetrator: true } }, at(SD)).state;
    expect(pendingDeliveries(back).some((d) => d.part === 'police-da')).toBe(false);
    expect(back.outputs.find((e) => e.row === 2)?.parts?.find((p) => p.id === 'police-da')?.evidence).toEqual([
      expect.objectContaining({ reference: 'ref-police' }),
    ]);
  });

  it('rebuilds the referral an older state made, so the NPS decision can still be recorded', () => {
    const s = applyCommand(
      run(commence(communityOrder(SD, periodEnd(SD, 12)), 'h', at(SD)), [{ type: 'allocate', offenderManagerId: 'OM1' }, SD]),
      { type: 'refer-to-nps', reasonCode: 'concern', by: 'OM1' },
      at(SD),
    ).state;
    const { risk: _r, calendarVersion: _v, ...v2 } = s;
    const up = upgradeState({ ...v2, schemaVersion: 1 } as unknown as SentenceState);
    expect(up.risk.referrals).toEqual([expect.objectContaining({ id: 'nps-1', on: SD, reasonCode: 'concern' })]);
    expect(
      rejectionReason(up, { type: 'record-nps-decision', decision: 'declines', roshLevel: 'medium', by: 'SPO' }, at(SD)),
    ).toBeUndefined();
    expect(
      rejectionReason(
        up,
        { type: 'record-nps-decision', decision: 'declines', roshLevel: 'medium', providerCode: 42, by: 'SPO' } as unknown as Command,
        at(SD),
      ),
    ).toMatch(/providerCode must be/);
  });
});
