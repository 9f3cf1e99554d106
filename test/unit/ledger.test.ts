// The outputs ledger without Temporal: due dates from the lifecycle, statuses, evidence rules, re-evaluation.
import { describe, expect, it } from 'vitest';
import { periodEnd } from '../../domain/dates.ts';
import {
  advanceTime,
  applyCommand,
  commence,
  pendingDeliveries,
  recordDelivery,
  recordDeliveryFailure,
  type Command,
  type SentenceState,
} from '../../domain/lifecycle.ts';
import { conformance } from '../../domain/outputs/conformance.ts';
import { outputMessage } from '../../domain/outputs/delivery.ts';
import { evidenceRejection, overdueOutputs } from '../../domain/outputs/ledger.ts';
import { baseOffender, communityOrder } from '../support/fixtures.ts';
import { at, row, run } from '../support/scenario.ts';

const SD = '2026-11-23';

describe('outputs ledger', () => {
  const fresh = () =>
    commence(
      communityOrder(SD, periodEnd(SD, 12), {
        offender: { ...baseOffender, subjectToDeportationOrder: true, domesticAbusePerpetrator: true },
      }),
      'h',
      at(SD),
    );

  it('lists all 36 rows with due dates taken from the lifecycle timescales', () => {
    const s = fresh();
    expect(s.outputs).toHaveLength(36);
    expect(row(s, 1)).toMatchObject({ applies: true, status: 'due', dueDate: '2026-11-24' });
    expect(row(s, 6)).toMatchObject({ status: 'due', dueDate: '2026-11-30' }); // with the first appointment
    expect(row(s, 8)).toMatchObject({ status: 'pending' }); // the plan's due date is set by the first appointment
    expect(row(s, 16)).toMatchObject({ status: 'due', dueDate: '2027-11-22' }); // by the end of the order
    expect(row(s, 26)).toMatchObject({ applies: true, status: 'pending', trigger: 'failure-to-comply' });
    expect(row(s, 4)).toMatchObject({ applies: false, status: 'not-applicable', reason: 'applies to female offenders only' });
    const withPlan = applyCommand(
      applyCommand(s, { type: 'allocate', offenderManagerId: 'OM1' }, at(SD)).state,
      { type: 'record-first-appointment' },
      at(SD),
    ).state;
    expect(row(withPlan, 8)).toMatchObject({ status: 'due', dueDate: '2026-12-14' });
    expect(row(withPlan, 3)).toMatchObject({ status: 'done', evidence: [expect.objectContaining({ by: 'OM1', on: SD })] });
  });

  it('delivers row 2 per agency part and records a permanent failure as action needed', () => {
    const s = fresh();
    expect(pendingDeliveries(s)).toEqual([{ row: 1 }, { row: 2, part: 'police-da' }, { row: 2, part: 'immigration' }]);
    let t = recordDelivery(s, { row: 2, part: 'police-da' }, { reference: 'r1', what: 'police told' }, at(SD)).state;
    expect(row(t, 2).status).toBe('due'); // one part still to go
    t = recordDeliveryFailure(t, { row: 2, part: 'immigration' }, 'endpoint rejected the message (400)', at(SD)).state;
    expect(row(t, 2).status).toBe('action-needed');
    expect(overdueOutputs(t.outputs)).toBe(1);
    expect(pendingDeliveries(t)).toEqual([{ row: 1 }]);
    expect(t.timeline.at(-1)).toMatchObject({ event: 'output-not-delivered' });
  });

  it('explains why evidence is refused', () => {
    const s = fresh();
    expect(evidenceRejection(s.outputs, { row: 2, part: 'csc' })).toBe('output 2 is delivered and evidenced by the system');
    expect(evidenceRejection(s.outputs, { row: 19, part: 'mappa', details: { protocol: 'x' } })).toBe(
      'output 19 part mappa does not apply: not MAPPA eligible',
    );
    expect(evidenceRejection(s.outputs, { row: 19, details: { protocol: 'x' } })).toBe(
      'output 19 is recorded per part: one of mappa, visor, safeguarding-children, marac, cpa',
    );
    expect(evidenceRejection(s.outputs, { row: 19, part: 'marac', details: { protocol: 'MARAC referral' } })).toBeUndefined();
    expect(evidenceRejection(s.outputs, { row: 13, part: 'x' })).toBe('output 13 has no parts');
    expect(evidenceRejection(s.outputs, { row: 37 })).toBe('no output row 37');
    expect(evidenceRejection(s.outputs, { row: 29, details: { tool: 'OASys' } })).toBe('evidence for output 29 needs details: roshLevel');
  });

  it('makes row 23 due a business day after new child-wellbeing information, and done once CSC is told', () => {
    const base = commence(
      communityOrder(SD, periodEnd(SD, 12), { offender: { ...baseOffender, livesWithOrHasSignificantContactWithChildren: true } }),
      'h',
      at(SD),
    );
    expect(row(base, 23)).toMatchObject({ applies: true, status: 'pending', trigger: 'child-wellbeing-information' });
    let s = applyCommand(
      base,
      { type: 'record-child-wellbeing-information', categoryCode: 'DV', by: 'OM1', on: '2026-12-24' },
      at('2026-12-24'),
    ).state;
    expect(row(s, 23)).toMatchObject({ status: 'due', dueDate: '2026-12-29', openSince: '2026-12-24' }); // over Christmas
    expect(pendingDeliveries(s)).toContainEqual({ row: 23, notification: '23-1' });
    s = recordDelivery(s, { row: 23, notification: '23-1' }, { reference: 'k', what: 'CSC told' }, at('2026-12-24')).state;
    expect(row(s, 23)).toMatchObject({ status: 'done' });
    expect(row(s, 23).openSince).toBeUndefined();
    expect(s.notifications[0]?.delivered?.reference).toBe('k');
    // Not applicable without contact with children: refused with the reason.
    expect(() => applyCommand(fresh(), { type: 'record-child-wellbeing-information', categoryCode: 'DV', by: 'OM1' }, at(SD))).toThrow(
      /output 23 does not apply to this case: no significant contact with children recorded/,
    );
  });

  it('refers to the NPS once: rows 30 and 31 apply and the NPS is notified', () => {
    const s = applyCommand(fresh(), { type: 'refer-to-nps', reasonCode: 'ROSH-UP', by: 'OM1' }, at(SD)).state;
    expect(row(s, 30)).toMatchObject({ applies: true, reason: 'referred to the NPS' });
    expect(row(s, 22)).toMatchObject({ status: 'due', dueDate: '2026-11-24' });
    expect(s.notifications).toEqual([expect.objectContaining({ id: '22-1', recipient: 'nps', basis: 'ROSH-UP' })]);
    expect(() => applyCommand(s, { type: 'refer-to-nps', reasonCode: 'ROSH-UP', by: 'OM1' }, at(SD))).toThrow(/is awaiting its decision/);
    const failed = recordDeliveryFailure(s, { row: 22, notification: '22-1' }, 'rejected (403)', at(SD)).state;
    expect(row(failed, 22)).toMatchObject({ status: 'action-needed', actionNeeded: 'rejected (403)' });
  });

  it('marks what was never done overdue when the case closes', () => {
    let s = applyCommand(fresh(), { type: 'terminate', reason: 'revoked' }, at(SD)).state;
    s = applyCommand(s, { type: 'complete-end-of-sentence-review' }, at(SD)).state;
    expect(row(s, 13).status).toBe('overdue'); // the plan was never produced
    expect(row(s, 34).status).toBe('done');
    expect(row(s, 36).status).toBe('due'); // still to be delivered by the system at closure
    expect(row(s, 26).status).toBe('pending'); // contingent: no failure to comply ever happened
    expect(s.timeline.filter((e) => e.event === 'output-overdue').map((e) => e.detail.split(' ')[1])).toContain('13');
  });

  it('keeps row 32 open while a review is awaited: late when done late, overdue when missed', () => {
    let s = applyCommand(
      applyCommand(
        applyCommand(fresh(), { type: 'allocate', offenderManagerId: 'OM1' }, at(SD)).state,
        { type: 'record-first-appointment' },
        at(SD),
      ).state,
      { type: 'complete-plan' },
      at(SD),
    ).state;
    const due1 = s.deadlines.find((d) => d.id === 'review-1')!.dueDate;
    expect(row(s, 32)).toMatchObject({ status: 'due', dueDate: due1 });
    s = applyCommand(s, { type: 'complete-review', completedOn: '2027-04-01' }, at('2027-04-01')).state; // after 2027-03-15
    expect(row(s, 32).evidence.at(-1)).toMatchObject({ late: true });
    expect(row(s, 32)).toMatchObject({ status: 'due' }); // the next cycle is open, review 2 awaited
    s = advanceTime(s, at('2027-09-01')).state; // review 2 was due 2027-07-22
    expect(row(s, 32).status).toBe('overdue');
    s = applyCommand(s, { type: 'terminate', reason: 'revoked' }, at('2027-09-01')).state;
    expect(s.deadlines.find((d) => d.id === 'review-2')?.status).toBe('missed');
    expect(row(s, 32).status).toBe('overdue');
  });

  it('gives an output that starts to apply mid-sentence a due date from the change, not from commencement', () => {
    const s = commence(communityOrder(SD, periodEnd(SD, 12)), 'h', at(SD));
    const t = applyCommand(
      s,
      { type: 'change-circumstances', offender: { subjectToDeportationOrder: true }, on: '2027-02-01' },
      at('2027-02-01'),
    );
    expect(row(t.state, 2)).toMatchObject({ applies: true, status: 'due', dueDate: '2027-02-02', appliesSince: '2027-02-01' });
    expect(pendingDeliveries(t.state)).toContainEqual({ row: 2, part: 'immigration' });
  });

  it('starts row 15 for a woman when a threat of domestic abuse is recorded during the order, and keeps it once evidenced', () => {
    const s = commence(communityOrder(SD, periodEnd(SD, 12), { offender: { ...baseOffender, sex: 'female' } }), 'h', at(SD));
    expect(row(s, 15)).toMatchObject({
      applies: false,
      reason: 'applies to female offenders under threat of domestic abuse: no such threat recorded',
    });
    const t = applyCommand(
      s,
      { type: 'change-circumstances', offender: { threatOfDomesticAbuse: true }, on: '2027-02-01' },
      at('2027-02-01'),
    );
    expect(row(t.state, 15)).toMatchObject({
      applies: true,
      reason: 'female offender under threat of domestic abuse',
      appliesSince: '2027-02-01',
    });
    const done = applyCommand(
      t.state,
      { type: 'record-output-evidence', row: 15, by: 'OM1', what: 'safety plan', details: { safetyPlanPrepared: true } },
      at('2027-02-03'),
    ).state;
    const lifted = applyCommand(done, { type: 'change-circumstances', offender: { threatOfDomesticAbuse: false } }, at('2027-03-01')).state;
    expect(row(lifted, 15)).toMatchObject({
      applies: true,
      reason: 'applies to female offenders under threat of domestic abuse: no such threat recorded; kept: already evidenced',
    });
  });

  it('asks again at each review for the reassessment (row 29) and, while RoSH is high, the home visit (row 33): rules 2', () => {
    const assessed = { tool: 'OASys', roshLevel: 'high' };
    const status = (s: SentenceState, n: number) => {
      const e = row(s, n);
      return [e.status, e.dueDate, e.openSince ?? null, e.evidence.length];
    };
    const through = (rules: 1 | 2) => {
      let s = commence(communityOrder(SD, periodEnd(SD, 12), { offender: { ...baseOffender, roshLevel: 'high' } }), 'h', at(SD));
      s = { ...s, rules };
      s = run(
        s,
        [{ type: 'allocate', offenderManagerId: 'OM1' }, SD],
        [{ type: 'record-first-appointment' }, '2026-11-25'],
        [{ type: 'record-output-evidence', row: 29, by: 'OM1', what: 'assessed', details: assessed }, '2026-11-26'],
        [{ type: 'complete-plan' }, '2026-11-27'],
      );
      const afterPlan = s;
      s = run(
        s,
        [{ type: 'record-output-evidence', row: 29, by: 'OM1', what: 'reassessed', details: assessed }, '2027-03-10'],
        [{ type: 'record-output-evidence', row: 33, by: 'OM1', what: 'home visit', details: { visitOn: '2027-03-10' } }, '2027-03-10'],
      );
      const evidenced = s;
      return { afterPlan, evidenced, afterReview: run(s, [{ type: 'complete-review' }, '2027-03-15']) };
    };
    const two = through(2);
    // The plan opens the first review cycle (review 1 due 2027-03-19): the reassessment and the home visit are due by it.
    expect(status(two.afterPlan, 29)).toEqual(['due', '2027-03-19', '2026-11-27', 1]);
    expect(status(two.afterPlan, 33)).toEqual(['due', '2027-03-19', '2026-11-27', 0]);
    expect(status(two.evidenced, 29)).toEqual(['done', '2026-12-16', null, 2]);
    expect(status(two.evidenced, 33)).toEqual(['done', '2027-03-19', null, 1]);
    // Review 1 done: review 2 (2027-07-05) opens the next cycle for both.
    expect(status(two.afterReview, 29)).toEqual(['due', '2027-07-05', '2027-03-15', 2]);
    expect(status(two.afterReview, 33)).toEqual(['due', '2027-07-05', '2027-03-15', 1]);
    // Rules 1: once evidenced, done for good.
    const one = through(1);
    expect(status(one.afterReview, 29)).toEqual(['done', '2026-12-16', null, 2]);
    expect(status(one.afterReview, 33)).toEqual(['done', '2027-07-05', null, 1]);
  });

  it('asks for communication to be enabled at the induction, the planning and each review (row 7): rules 2', () => {
    const status = (s: SentenceState) => {
      const e = row(s, 7);
      return [e.status, e.dueDate, e.openSince ?? null, e.evidence.length];
    };
    const enabled = (on: string): [Command, string] => [
      { type: 'record-output-evidence', row: 7, by: 'OM1', what: 'interpreter booked', details: { support: 'interpreter (Polish)' } },
      on,
    ];
    const through = (rules: 1 | 2) => {
      const offender = { ...baseOffender, communicationNeeds: { interpreterLanguage: 'pl', disability: false, learningDifficulty: false } };
      let s = commence(communityOrder(SD, periodEnd(SD, 12), { offender }), 'h', at(SD));
      s = { ...s, rules };
      const fresh = s;
      s = run(
        s,
        [{ type: 'allocate', offenderManagerId: 'OM1' }, SD],
        [{ type: 'record-first-appointment' }, '2026-11-25'],
        enabled('2026-11-25'),
      );
      const inducted = s;
      s = run(s, enabled('2026-12-01'));
      const planning = s;
      s = run(s, [{ type: 'complete-plan' }, '2026-12-02']);
      return { fresh, inducted, planning, planned: s, reviewing: run(s, enabled('2027-03-10')) };
    };
    const two = through(2);
    // Due with the induction (the first appointment, 5 business days after sentence).
    expect(status(two.fresh)).toEqual(['due', '2026-11-30', null, 0]);
    // Induction held and enabled on 25 November: the planning stage opens the next day, due with the plan.
    expect(status(two.inducted)).toEqual(['due', '2026-12-16', '2026-11-26', 1]);
    expect(status(two.planning)).toEqual(['done', '2026-11-30', null, 2]);
    // The plan agreed on 2 December: review 1 (16 weeks on, Wednesday 24 March 2027) is the next stage.
    expect(status(two.planned)).toEqual(['due', '2027-03-24', '2026-12-03', 2]);
    expect(status(two.reviewing)).toEqual(['done', '2026-11-30', null, 3]);
    // Rules 1: enabled once, done for good.
    expect(status(through(1).planned)).toEqual(['done', '2026-11-30', null, 2]);
  });

  it('tells each agency row 2 told of the case that the order has ended (row 35), one message each', () => {
    const offender = { ...baseOffender, registeredSexOffender: true, subjectToDeportationOrder: true };
    let s = commence(communityOrder(SD, periodEnd(SD, 12), { offender }), 'h', at(SD));
    for (const d of pendingDeliveries(s))
      s = recordDelivery(s, d, { reference: `ref-${d.row}-${d.part ?? ''}`, what: 'sent' }, at(SD)).state;
    s = applyCommand(s, { type: 'terminate', reason: 'revoked' }, at('2027-02-01')).state;
    expect(pendingDeliveries(s)).toEqual([
      { row: 35, part: 'police-rso' },
      { row: 35, part: 'immigration' },
    ]);
    const messages = pendingDeliveries(s).map((d) => outputMessage(s, d, 'wf').message);
    expect(messages.map((m) => [m.recipient, m.event, m.basis, m.idempotencyKey])).toEqual([
      ['police', 'case-terminated', 'registered-sex-offender', 'wf/output/35.police-rso'],
      ['immigration', 'case-terminated', 'deportation-order', 'wf/output/35.immigration'],
    ]);
  });

  it('evidences only what was achieved, lets a person resolve a rejected delivery, and treats a recap as a recap', () => {
    const s = fresh();
    expect(() =>
      applyCommand(
        s,
        { type: 'record-output-evidence', row: 6, by: 'OM1', what: 'induction', details: { understandingConfirmed: false } },
        at(SD),
      ),
    ).toThrow('output 6 is evidenced only when understandingConfirmed is true');
    const failed = recordDeliveryFailure(s, { row: 2, part: 'immigration' }, 'rejected (400)', at(SD)).state;
    const resolved = applyCommand(
      failed,
      { type: 'record-output-evidence', row: 2, part: 'immigration', by: 'OM1', what: 'notified by secure email', reference: 'EMAIL-1' },
      at(SD),
    ).state;
    expect(row(resolved, 2).parts?.find((p) => p.id === 'immigration')?.actionNeeded).toBeUndefined();
    let done = applyCommand(s, { type: 'record-output-evidence', row: 13, by: 'OM1', what: 'plan', on: SD }, at(SD)).state;
    done = applyCommand(
      done,
      { type: 'record-output-evidence', row: 13, by: 'OM1', what: 'recap', on: '2027-01-20' },
      at('2027-01-20'),
    ).state;
    expect(row(done, 13).status).toBe('done');
  });

  it('counts rows 30 and 31 in conformance once the case is referred to the NPS', () => {
    const s = applyCommand(fresh(), { type: 'refer-to-nps', reasonCode: 'ROSH-UP', by: 'OM1' }, at(SD)).state;
    const report = conformance([s.outputs]);
    expect(report.rows[29]).toMatchObject({ row: 30, applied: 1, open: 1 });
    expect(report.rows[30]).toMatchObject({ row: 31, applied: 1, open: 1 });
    expect(conformance([fresh().outputs]).rows[29]).toMatchObject({ applied: 0 });
  });

  it('marks outputs late, overdue or done by their dates', () => {
    let s = applyCommand(fresh(), { type: 'record-output-evidence', row: 13, by: 'OM1', what: 'plan', on: SD }, at(SD)).state;
    expect(row(s, 13).status).toBe('done');
    s = applyCommand(
      s,
      { type: 'record-output-evidence', row: 6, by: 'OM1', what: 'induction', on: '2026-12-01', details: { understandingConfirmed: true } },
      at('2026-12-01'),
    ).state;
    expect(row(s, 6)).toMatchObject({ status: 'late', dueDate: '2026-11-30' });
  });
});
