// Risk escalation and the NPS decision, transfers, court reports and further offences as pure rules.
import { describe, expect, it } from 'vitest';
import { addBusinessDays, businessDaysBefore, calendarFor } from '../../domain/calendar/index.ts';
import { londonEndOfDay, londonStartOfDay, periodEnd } from '../../domain/dates.ts';
import { drrReviewDates } from '../../domain/court-reports.ts';
import {
  advanceTime,
  applyCommand,
  commence,
  currentDetails,
  nextWakeUp,
  rejectionReason,
  type Command,
  type SentenceState,
} from '../../domain/lifecycle.ts';
import { assessChange } from '../../domain/risk.ts';
import { communityOrder, suspendedSentence, transferRequest } from '../support/fixtures.ts';
import { at, events, row, run } from '../support/scenario.ts';

const SD = '2026-11-23'; // a Monday

/** A 12-month CO, allocated to OM1, planned on SD. */
function supervised(over = {}): SentenceState {
  return run(
    commence(communityOrder(SD, periodEnd(SD, 12), over), 'h', at(SD)),
    [{ type: 'allocate', offenderManagerId: 'OM1' }, SD],
    [{ type: 'record-first-appointment' }, SD],
    [{ type: 'complete-plan' }, SD],
  );
}

describe('risk information and the NPS', () => {
  it('tells rising risk from other information', () => {
    expect(assessChange({ roshLevel: 'medium' }, { roshLevel: 'high', sourceCode: 'police', by: 'X' })).toEqual({
      increased: true,
      towardsHigh: true,
    });
    expect(assessChange({ roshLevel: 'low' }, { roshLevel: 'medium', sourceCode: 'police', by: 'X' })).toEqual({
      increased: true,
      towardsHigh: false,
    });
    expect(assessChange({ roshLevel: 'high' }, { roshLevel: 'medium', sourceCode: 'oasys', by: 'X' })).toEqual({
      increased: false,
      towardsHigh: false,
    });
    expect(assessChange({ roshLevel: 'medium' }, { mappa: { category: 2, level: 2 }, sourceCode: 'mappa', by: 'X' })).toEqual({
      increased: true,
      towardsHigh: false,
    });
    expect(assessChange({ roshLevel: 'medium' }, { escalationSuggested: true, sourceCode: 'prison', by: 'X' })).toEqual({
      increased: true,
      towardsHigh: true,
    });
  });

  it('escalation towards high: refers to the NPS, raises a review, makes home visits apply; a second referral waits for the decision', () => {
    const s = run(supervised(), [{ type: 'record-risk-information', roshLevel: 'high', sourceCode: 'police', by: 'OM1' }, '2026-12-01']);
    expect(s.offender.roshLevel).toBe('high');
    expect(s.risk.referrals).toEqual([
      expect.objectContaining({
        id: 'nps-1',
        on: '2026-12-01',
        reasonCode: 'risk-escalation',
        decisionDue: addBusinessDays('2026-12-01', 5),
      }),
    ]);
    expect(s.deadlines.map((d) => d.kind)).toEqual(expect.arrayContaining(['nps-decision', 'significant-change-review']));
    expect(s.notifications).toEqual([expect.objectContaining({ row: 22, recipient: 'nps', basis: 'risk-escalation' })]);
    expect(row(s, 11)).toMatchObject({ applies: true, appliesSince: '2026-12-01' });
    expect(row(s, 30)).toMatchObject({ applies: true, status: 'due', dueDate: addBusinessDays('2026-12-01', 5) });
    expect(rejectionReason(s, { type: 'refer-to-nps', reasonCode: 'X', by: 'OM1' }, at('2026-12-02'))).toMatch(/awaiting its decision/);
    // Information that only lowers risk opens nothing.
    const lower = run(supervised({ offender: { ...supervised().offender, roshLevel: 'medium' } }), [
      { type: 'record-risk-information', roshLevel: 'low', sourceCode: 'oasys', by: 'OM1' },
      '2026-12-01',
    ]);
    expect(lower.risk.referrals).toEqual([]);
    expect(row(lower, 22).evidence).toEqual([]);
  });

  it('NPS assumes responsibility: the case moves to an NPS offender manager, rows 30 and 31 are done', () => {
    const referred = run(supervised(), [
      { type: 'record-risk-information', roshLevel: 'high', sourceCode: 'police', by: 'OM1' },
      '2026-12-01',
    ]);
    expect(
      rejectionReason(
        referred,
        { type: 'record-nps-decision', decision: 'assumes-responsibility', roshLevel: 'medium', offenderManagerId: 'NPS9', by: 'SPO' },
        at('2026-12-03'),
      ),
    ).toMatch(/high risk of serious harm cases/);
    expect(
      rejectionReason(
        referred,
        { type: 'record-nps-decision', decision: 'assumes-responsibility', roshLevel: 'high', by: 'SPO' },
        at('2026-12-03'),
      ),
    ).toMatch(/offenderManagerId/);
    const s = run(referred, [
      { type: 'record-nps-decision', decision: 'assumes-responsibility', roshLevel: 'very-high', offenderManagerId: 'NPS9', by: 'SPO' },
      '2026-12-03',
    ]);
    expect(s.provider).toEqual({ providerCode: 'NPS', areaCode: 'LDN' });
    expect(s.offenderManagerId).toBe('NPS9');
    expect(s.ownership.map((o) => [o.providerCode, o.from, o.to])).toEqual([
      ['N07', SD, '2026-12-03'],
      ['NPS', '2026-12-03', undefined],
    ]);
    expect(s.deadlines.find((d) => d.kind === 'nps-decision')?.status).toBe('met');
    expect(row(s, 30).status).toBe('done');
    expect(row(s, 31).status).toBe('done');
    expect(s.risk.withNps).toBe(true);
    expect(rejectionReason(s, { type: 'refer-to-nps', reasonCode: 'X', by: 'OM1' }, at('2026-12-04'))).toBe(
      'the NPS already holds this case',
    );
  });

  it('NPS declines with a review date: the review is raised at the start of that day and due within 5 business days', () => {
    const referred = run(supervised(), [
      { type: 'record-risk-information', escalationSuggested: true, sourceCode: 'prison', by: 'OM1' },
      '2026-12-01',
    ]);
    expect(
      rejectionReason(
        referred,
        { type: 'record-nps-decision', decision: 'declines', roshLevel: 'medium', riskReviewOn: '2026-12-02', by: 'SPO' },
        at('2026-12-03'),
      ),
    ).toMatch(/must be after the decision/);
    const s = run(referred, [
      { type: 'record-nps-decision', decision: 'declines', roshLevel: 'medium', riskReviewOn: '2027-02-01', by: 'SPO' },
      '2026-12-03',
    ]);
    expect(s.provider.providerCode).toBe('N07');
    expect(nextWakeUp(s)?.atMs).toBeLessThanOrEqual(londonStartOfDay('2027-02-01'));
    const before = advanceTime(s, londonStartOfDay('2027-02-01') - 1).state;
    expect(before.deadlines.some((d) => d.kind === 'risk-review')).toBe(false);
    const raised = advanceTime(s, londonStartOfDay('2027-02-01'));
    expect(raised.state.deadlines.find((d) => d.kind === 'risk-review')).toMatchObject({
      dueDate: addBusinessDays('2027-02-01', 5),
      status: 'pending',
    });
    expect(raised.effects).toContainEqual(expect.objectContaining({ type: 'alert', kind: 'risk-review-raised' }));
    expect(events(raised.state)).toContain('risk-review-raised');
    // A completed assessment answers the review and evidences row 29.
    const done = run(raised.state, [
      { type: 'record-risk-information', roshLevel: 'medium', assessmentTool: 'OASys', sourceCode: 'officer', by: 'OM1' },
      '2027-02-03',
    ]);
    expect(done.deadlines.find((d) => d.kind === 'risk-review')?.status).toBe('met');
    expect(row(done, 29).evidence).toEqual([expect.objectContaining({ details: { tool: 'OASys', roshLevel: 'medium' } })]);
  });
});

describe('transfers', () => {
  const request: Command = { type: 'request-transfer', ...transferRequest };

  it('request → approval → acceptance: one owner at every moment, court jurisdiction moved, rows 27 and 28 done', () => {
    const s0 = supervised();
    expect(rejectionReason(s0, { ...request, toProviderCode: 'N07', toAreaCode: 'LDN' }, at(SD))).toMatch(/already held by N07\/LDN/);
    const approved = run(
      s0,
      [request, '2026-12-01'],
      [{ type: 'decide-transfer', transferId: 'T1', decision: 'approved', by: 'SPO1' }, '2026-12-02'],
    );
    expect(approved.provider.providerCode).toBe('N07');
    expect(approved.deadlines.find((d) => d.id === 'transfer-T1')).toMatchObject({
      kind: 'transfer-acceptance',
      dueDate: addBusinessDays('2026-12-02', 20),
    });
    expect(row(approved, 27).status).toBe('due');
    expect(rejectionReason(approved, { ...request, transferId: 'T2' }, at('2026-12-03'))).toMatch(/T1 is already in progress/);
    expect(
      rejectionReason(approved, { type: 'respond-to-transfer', transferId: 'T1', decision: 'accepted', by: 'SPO2' }, at('2026-12-03')),
    ).toMatch(/offenderManagerId/);
    const s = run(approved, [
      { type: 'respond-to-transfer', transferId: 'T1', decision: 'accepted', offenderManagerId: 'OM2', by: 'SPO2' },
      '2026-12-04',
    ]);
    expect(s.provider).toEqual({ providerCode: 'N03', areaCode: 'WMS' });
    expect(s.offenderManagerId).toBe('OM2');
    expect(s.courtCode).toBe('B20BL');
    expect(s.ownership).toHaveLength(2);
    expect(s.ownership.filter((o) => o.to === undefined)).toHaveLength(1);
    expect(row(s, 27)).toMatchObject({
      status: 'done',
      evidence: [expect.objectContaining({ what: expect.stringContaining('court jurisdiction changed to B20BL') })],
    });
    expect(row(s, 28).status).toBe('done');
    expect(s.deadlines.find((d) => d.id === 'transfer-T1')?.status).toBe('met');
    // Re-evaluated on the transfer: the new offender manager reviews the plan (row 32 open again, due with the
    // significant-change review), and what was evidenced before stays.
    const review = s.deadlines.find((d) => d.kind === 'significant-change-review')!;
    expect(review.dueDate).toBe(addBusinessDays('2026-12-04', 10));
    expect(row(approved, 32).dueDate).toBe(approved.deadlines.find((d) => d.id === 'review-1')!.dueDate);
    expect(row(s, 32)).toMatchObject({ status: 'due', dueDate: review.dueDate });
    expect(row(s, 8).evidence).toEqual(row(s0, 8).evidence);
    expect(s.timeline.map((e) => e.event)).toEqual(
      expect.arrayContaining([
        'transfer-requested',
        'transfer-approved',
        'owner-changed',
        'court-jurisdiction-changed',
        'significant-change',
      ]),
    );
  });

  it('a rejection and a refusal leave the case where it was', () => {
    const rejected = run(
      supervised(),
      [request, '2026-12-01'],
      [{ type: 'decide-transfer', transferId: 'T1', decision: 'approved', by: 'SPO1' }, '2026-12-01'],
      [{ type: 'respond-to-transfer', transferId: 'T1', decision: 'rejected', reasonCode: 'no-capacity', by: 'SPO2' }, '2026-12-02'],
    );
    expect(rejected.provider.providerCode).toBe('N07');
    expect(rejected.transfers[0]?.status).toBe('rejected');
    expect(row(rejected, 27).status).toBe('pending');
    const refused = run(
      supervised(),
      [request, '2026-12-01'],
      [{ type: 'decide-transfer', transferId: 'T1', decision: 'refused', by: 'SPO1' }, '2026-12-01'],
    );
    expect(refused.transfers[0]?.status).toBe('refused');
    expect(refused.ownership).toHaveLength(1);
  });

  it('is withdrawn when the order ends first', () => {
    const s = run(
      supervised(),
      [request, '2026-12-01'],
      [{ type: 'decide-transfer', transferId: 'T1', decision: 'approved', by: 'SPO1' }, '2026-12-01'],
      [{ type: 'terminate', reason: 'revoked' }, '2026-12-02'],
    );
    expect(s.transfers[0]).toMatchObject({ status: 'withdrawn', response: { decision: 'withdrawn', on: '2026-12-02' } });
    expect(s.deadlines.find((d) => d.id === 'transfer-T1')?.status).toBe('cancelled');
    expect(row(s, 27).status).not.toBe('due');
  });

  it('times out at the end of the acceptance day: the transfer lapses and a late acceptance is refused', () => {
    const approved = run(
      supervised(),
      [request, '2026-12-01'],
      [{ type: 'decide-transfer', transferId: 'T1', decision: 'approved', by: 'SPO1' }, '2026-12-01'],
    );
    const due = addBusinessDays('2026-12-01', 20);
    expect(advanceTime(approved, londonEndOfDay(due) - 1).state.transfers[0]?.status).toBe('approved');
    const lapsed = advanceTime(approved, londonEndOfDay(due));
    expect(lapsed.state.transfers[0]?.status).toBe('timed-out');
    expect(lapsed.state.deadlines.find((d) => d.id === 'transfer-T1')?.status).toBe('missed');
    expect(lapsed.state.provider.providerCode).toBe('N07');
    expect(lapsed.effects).toContainEqual(expect.objectContaining({ type: 'alert', kind: 'transfer-timed-out' }));
    expect(
      rejectionReason(
        lapsed.state,
        { type: 'respond-to-transfer', transferId: 'T1', decision: 'accepted', offenderManagerId: 'OM2', by: 'SPO2' },
        londonEndOfDay(due) + 3_600_000,
      ),
    ).toMatch(/timed out/);
  });
});

describe('court reports', () => {
  it('schedules DRR reviews at least a month apart on business days, with each report due 3 business days before', () => {
    const sentence = communityOrder(SD, periodEnd(SD, 12), {
      requirements: [{ type: 'drug-rehabilitation', months: 6, courtReviews: true }],
    });
    const dates = drrReviewDates(sentence, periodEnd(SD, 12), calendarFor('ew-2026-11-23'));
    // Each hearing is at least a month after the one before; a sixth would fall after the requirement ends on 2027-05-22.
    expect(dates).toEqual(['2026-12-23', '2027-01-25', '2027-02-25', '2027-03-25', '2027-04-26']); // 25 April 2027 (a month after the last hearing) is a Sunday
    const s = commence(sentence, 'h', at(SD));
    expect(s.courtReports.map((r) => [r.hearingOn, r.dueOn])).toEqual(dates.map((d) => [d, businessDaysBefore(d, 3)]));
    expect(row(s, 24)).toMatchObject({ status: 'due', dueDate: businessDaysBefore('2026-12-23', 3) });
    // An unsubmitted report is overdue the day after it was due; submitting it moves row 24 on to the next.
    const late = advanceTime(s, londonEndOfDay(businessDaysBefore('2026-12-23', 3)));
    expect(late.state.deadlines.find((d) => d.id === 'report-drr-review-1')?.status).toBe('overdue');
    expect(row(late.state, 24).status).toBe('overdue');
    const sent = applyCommand(late.state, { type: 'submit-court-report', reportId: 'drr-review-1', by: 'OM1' }, at('2026-12-21')).state;
    expect(row(sent, 24)).toMatchObject({ status: 'due', dueDate: businessDaysBefore('2027-01-25', 3) });
    expect(row(sent, 24).evidence).toEqual([expect.objectContaining({ late: true })]);
  });

  it('takes reports requested by a court, each with its due date', () => {
    const s = run(supervised(), [
      { type: 'request-court-report', reportId: 'R1', kind: 'progress', dueOn: '2026-12-14', by: 'court' },
      '2026-12-01',
    ]);
    expect(row(s, 24)).toMatchObject({ status: 'due', dueDate: '2026-12-14' });
    expect(
      rejectionReason(
        s,
        { type: 'request-court-report', reportId: 'R1', kind: 'other', dueOn: '2026-12-14', by: 'court' },
        at('2026-12-01'),
      ),
    ).toMatch(/already requested/);
    const done = run(s, [{ type: 'submit-court-report', reportId: 'R1', by: 'OM1' }, '2026-12-10']);
    expect(row(done, 24).status).toBe('done');
    expect(rejectionReason(done, { type: 'submit-court-report', reportId: 'R1', by: 'OM1' }, at('2026-12-11'))).toMatch(
      /already submitted/,
    );
  });
});

describe('further offence during an SSO', () => {
  it('is a breach for the court: the clock runs, the court activates, the order terminates with that reason', () => {
    const s0 = run(commence(suspendedSentence(SD, 24, 12), 'h', at(SD)), [{ type: 'allocate', offenderManagerId: 'OM1' }, SD]);
    expect(
      rejectionReason(
        s0,
        { type: 'record-further-offence', offenceId: 'F1', offenceOn: '2026-11-01', convictedOn: '2026-12-01', by: 'OM1' },
        at('2026-12-02'),
      ),
    ).toMatch(/not committed during the operational period/);
    const s = run(s0, [
      { type: 'record-further-offence', offenceId: 'F1', offenceOn: '2026-11-28', convictedOn: '2026-12-01', by: 'OM1' },
      '2026-12-02',
    ]);
    expect(s.deadlines.find((d) => d.id === 'breach-F1')).toMatchObject({
      kind: 'breach-action',
      dueDate: addBusinessDays('2026-12-02', 10),
    });
    const ended = run(
      s,
      [{ type: 'record-breach-action', appointmentId: 'F1' }, '2026-12-03'],
      [{ type: 'record-court-outcome', appointmentId: 'F1', outcome: 'sso-activated' }, '2026-12-10'],
    );
    expect(ended.termination).toEqual({ reason: 'sso-activated', on: '2026-12-10' });
    const co = supervised();
    expect(
      rejectionReason(co, { type: 'record-further-offence', offenceId: 'F1', offenceOn: SD, convictedOn: SD, by: 'OM1' }, at(SD)),
    ).toMatch(/suspended sentence order/);
  });
});

describe('edges found in review', () => {
  const sso = (sd: string, op: number, sup: number) =>
    run(
      commence(suspendedSentence(sd, op, sup), 'h', at(sd)),
      [{ type: 'allocate', offenderManagerId: 'OM1' }, sd],
      [{ type: 'record-first-appointment' }, sd],
      [{ type: 'complete-plan' }, sd],
    );

  it('the end of SSO supervision closes supervision deadlines only: a transfer, the NPS decision and a court report run on', () => {
    const SDx = '2026-06-01';
    let s = sso(SDx, 24, 6);
    s = run(
      s,
      [
        { type: 'request-transfer', transferId: 'T1', toProviderCode: 'N09', toAreaCode: 'XYZ', reasonCode: 'moved', by: 'OM1' },
        '2026-11-25',
      ],
      [{ type: 'decide-transfer', transferId: 'T1', decision: 'approved', by: 'SPO' }, '2026-11-26'],
      [{ type: 'refer-to-nps', reasonCode: 'concern', by: 'OM1' }, '2026-11-26'],
      [{ type: 'request-court-report', reportId: 'B1', kind: 'breach', dueOn: '2026-12-10', by: 'court' }, '2026-11-27'],
    );
    const after = advanceTime(s, londonEndOfDay('2026-11-30') + 1).state;
    expect(after.supervisionEnded).toBe(true);
    const status = (id: string) => after.deadlines.find((d) => d.id === id)?.status;
    expect([status('transfer-T1'), status('nps-decision-1'), status('report-B1')]).toEqual(['pending', 'pending', 'pending']);
    const supervision = after.deadlines.filter((d) => d.kind === 'review' || d.kind === 'significant-change-review');
    expect(supervision.length).toBeGreaterThan(0);
    expect(supervision.every((d) => d.status !== 'pending' && d.status !== 'overdue')).toBe(true);
    expect(rejectionReason(after, { type: 'apply-for-early-revocation', by: 'OM1' }, at('2026-12-02'))).toMatch(
      /no community requirements to cancel/,
    );
    expect(rejectionReason(after, { type: 'submit-court-report', reportId: 'B1', by: 'OM1' }, at('2026-12-03'))).toBeUndefined();
  });

  it('the NPS taking the case withdraws a transfer in progress; a case moved away from the NPS can be referred again', () => {
    const referred = run(
      supervised(),
      [
        { type: 'request-transfer', transferId: 'T1', toProviderCode: 'N09', toAreaCode: 'XYZ', reasonCode: 'moved', by: 'OM1' },
        '2026-12-01',
      ],
      [{ type: 'decide-transfer', transferId: 'T1', decision: 'approved', by: 'SPO' }, '2026-12-01'],
      [{ type: 'record-risk-information', roshLevel: 'high', sourceCode: 'police', by: 'OM1' }, '2026-12-02'],
      [
        { type: 'record-nps-decision', decision: 'assumes-responsibility', roshLevel: 'high', offenderManagerId: 'NPS1', by: 'SPO' },
        '2026-12-08',
      ],
    );
    expect(referred.transfers[0]?.status).toBe('withdrawn');
    expect(referred.ownership.filter((o) => !o.to)).toEqual([expect.objectContaining({ providerCode: 'NPS', from: '2026-12-08' })]);
    const moved = run(
      referred,
      [
        { type: 'request-transfer', transferId: 'T2', toProviderCode: 'N09', toAreaCode: 'XYZ', reasonCode: 'moved', by: 'NPS1' },
        '2026-12-09',
      ],
      [{ type: 'decide-transfer', transferId: 'T2', decision: 'approved', by: 'SPO' }, '2026-12-09'],
    );
    // A request and approval backdated before the NPS took the case cannot move it on a date before that.
    const backdated = run(
      referred,
      [
        {
          type: 'request-transfer',
          transferId: 'T3',
          toProviderCode: 'N09',
          toAreaCode: 'XYZ',
          reasonCode: 'moved',
          by: 'NPS1',
          on: '2026-12-03',
        },
        '2026-12-09',
      ],
      [{ type: 'decide-transfer', transferId: 'T3', decision: 'approved', by: 'SPO', on: '2026-12-04' }, '2026-12-09'],
    );
    expect(
      rejectionReason(
        backdated,
        { type: 'respond-to-transfer', transferId: 'T3', decision: 'accepted', offenderManagerId: 'OM9', by: 'SPO9', on: '2026-12-07' },
        at('2026-12-10'),
      ),
    ).toMatch(/before its current owner took it \(2026-12-08\)/);
    const away = run(moved, [
      { type: 'respond-to-transfer', transferId: 'T2', decision: 'accepted', offenderManagerId: 'OM9', by: 'SPO9' },
      '2026-12-10',
    ]);
    expect(away.risk.withNps).toBe(false);
    expect(rejectionReason(away, { type: 'refer-to-nps', reasonCode: 'concern', by: 'OM9' }, at('2026-12-11'))).toBeUndefined();
  });

  it('at termination a missed court report keeps row 24 overdue and can still be submitted late; an unanswered referral is settled', () => {
    let s = run(
      supervised(),
      [{ type: 'request-court-report', reportId: 'R1', kind: 'progress', dueOn: '2026-12-10', by: 'court' }, '2026-12-01'],
      [{ type: 'refer-to-nps', reasonCode: 'concern', by: 'OM1' }, '2026-12-14'],
    );
    s = advanceTime(s, at('2026-12-14', 12)).state;
    expect(row(s, 24).status).toBe('overdue');
    s = run(s, [{ type: 'terminate', reason: 'revoked' }, '2026-12-14']);
    expect(s.deadlines.find((d) => d.id === 'report-R1')?.status).toBe('missed');
    expect(row(s, 24).status).toBe('overdue');
    expect([row(s, 30).status, row(s, 31).status]).toEqual(['pending', 'pending']);
    const late = run(s, [{ type: 'submit-court-report', reportId: 'R1', by: 'OM1' }, '2026-12-15']);
    expect(late.deadlines.find((d) => d.id === 'report-R1')?.status).toBe('met-late');
    expect(row(late, 24).status).toBe('late');
  });

  it('checks what other systems send, and dates against the events they follow', () => {
    const s = supervised();
    const why = (c: Command, date = '2026-12-01') => rejectionReason(s, c, at(date));
    expect(
      why({ type: 'request-transfer', toProviderCode: 'N09', toAreaCode: 'X', reasonCode: 'm', by: 'OM1' } as unknown as Command),
    ).toMatch(/transferId must be/);
    expect(why({ type: 'record-risk-information', roshLevel: 'extreme', sourceCode: 'police', by: 'OM1' } as unknown as Command)).toMatch(
      /roshLevel must be one of/,
    );
    expect(why({ type: 'request-court-report', reportId: 'R9', kind: 'other', dueOn: '2026-99-99', by: 'court' })).toMatch(
      /dueOn 2026-99-99 is not a calendar date/,
    );
    expect(why({ type: 'record-appointment', appointmentId: 'A1', date: '2026-02-30' })).toMatch(/date 2026-02-30 is not a calendar date/);
    const applied = run(s, [{ type: 'apply-for-early-revocation', by: 'OM1' }, '2026-12-10']);
    expect(
      rejectionReason(
        applied,
        { type: 'record-revocation-decision', decision: 'granted', by: 'court', on: '2026-12-09' },
        at('2026-12-11'),
      ),
    ).toMatch(/cannot precede the application/);
  });

  it('a further offence and an appointment cannot share an id; a future conviction is refused', () => {
    const s0 = run(commence(suspendedSentence(SD, 24, 12), 'h', at(SD)), [{ type: 'allocate', offenderManagerId: 'OM1' }, SD]);
    expect(
      rejectionReason(
        s0,
        { type: 'record-further-offence', offenceId: 'X1', offenceOn: SD, convictedOn: '2026-12-20', by: 'OM1' },
        at('2026-12-01'),
      ),
    ).toMatch(/in the future/);
    const s = run(s0, [{ type: 'record-further-offence', offenceId: 'X1', offenceOn: SD, convictedOn: SD, by: 'OM1' }, SD]);
    expect(rejectionReason(s, { type: 'record-appointment', appointmentId: 'X1', date: '2026-12-01' }, at(SD))).toMatch(
      /already used for a further offence/,
    );
  });
});

describe('current details for operators', () => {
  it('show who holds the case, the risk and a transfer in progress, and follow each change', () => {
    const s = run(
      supervised(),
      [
        { type: 'record-risk-information', roshLevel: 'high', mappa: { category: 2, level: 2 }, sourceCode: 'police', by: 'OM1' },
        '2026-12-01',
      ],
      [
        { type: 'request-transfer', transferId: 'T1', toProviderCode: 'N03', toAreaCode: 'WMS', reasonCode: 'moved', by: 'OM1' },
        '2026-12-01',
      ],
    );
    const details = currentDetails(s);
    expect(details).toContain('**Held by:** N07/LDN, offender manager OM1, court B01CN');
    expect(details).toContain('**Risk:** RoSH high, MAPPA category 2 level 2, NPS decision awaited');
    expect(details).toContain('**Transfer:** T1 to N03/WMS requested');
  });
});

describe('edges found in the second review', () => {
  it('refuses dates no order can use, and values that are not what they claim', () => {
    const s = supervised();
    const why = (c: Command) => rejectionReason(s, c, at('2026-12-01'));
    expect(why({ type: 'request-court-report', reportId: 'R1', kind: 'other', dueOn: '9999-12-31', by: 'court' })).toMatch(
      /outside 1900-01-01 to 2199-12-31/,
    );
    expect(why({ type: 'request-court-report', reportId: 'R1', kind: 'other', dueOn: '2028-01-04', by: 'court' })).toMatch(
      /after the order ends/,
    );
    expect(why({ type: 'record-risk-information', roshLevel: 'constructor', sourceCode: 'x', by: 'OM1' } as unknown as Command)).toMatch(
      /roshLevel must be one of/,
    );
    expect(
      why({ type: 'record-risk-information', escalationSuggested: 'false', sourceCode: 'x', by: 'OM1' } as unknown as Command),
    ).toMatch(/true or false/);
  });

  it('a withdrawn transfer leaves no acceptance deadline behind; a move within the NPS keeps the case with the NPS', () => {
    const s = run(
      supervised(),
      [
        { type: 'request-transfer', transferId: 'T1', toProviderCode: 'N09', toAreaCode: 'XYZ', reasonCode: 'moved', by: 'OM1' },
        '2026-12-01',
      ],
      [{ type: 'decide-transfer', transferId: 'T1', decision: 'approved', by: 'SPO' }, '2026-12-01'],
      [{ type: 'refer-to-nps', reasonCode: 'concern', by: 'OM1' }, '2026-12-02'],
      [
        {
          type: 'record-nps-decision',
          decision: 'assumes-responsibility',
          roshLevel: 'high',
          offenderManagerId: 'NPS1',
          providerCode: 'NPS-SE',
          by: 'SPO',
        },
        '2026-12-03',
      ],
    );
    expect(s.deadlines.find((d) => d.id === 'transfer-T1')?.status).toBe('cancelled');
    const within = run(
      s,
      [
        { type: 'request-transfer', transferId: 'T2', toProviderCode: 'NPS-SE', toAreaCode: 'KNT', reasonCode: 'moved', by: 'NPS1' },
        '2026-12-04',
      ],
      [{ type: 'decide-transfer', transferId: 'T2', decision: 'approved', by: 'SPO' }, '2026-12-04'],
      [{ type: 'respond-to-transfer', transferId: 'T2', decision: 'accepted', offenderManagerId: 'NPS2', by: 'SPO2' }, '2026-12-07'],
    );
    expect(within.risk.withNps).toBe(true);
    const unallocated = run(commence(communityOrder(SD, periodEnd(SD, 12)), 'h', at(SD)), [
      { type: 'refer-to-nps', reasonCode: 'concern', by: 'OM1' },
      SD,
    ]);
    expect(
      rejectionReason(
        unallocated,
        { type: 'record-nps-decision', decision: 'assumes-responsibility', roshLevel: 'high', offenderManagerId: 'NPS1', by: 'SPO' },
        at(SD),
      ),
    ).toMatch(/allocate the case first/);
  });

  it('settles rows 30 and 31 at termination when only the last referral is unanswered', () => {
    let s = run(
      supervised(),
      [{ type: 'refer-to-nps', reasonCode: 'concern', by: 'OM1' }, '2026-12-01'],
      [{ type: 'record-nps-decision', decision: 'declines', roshLevel: 'medium', by: 'SPO' }, '2026-12-14'],
      [{ type: 'refer-to-nps', reasonCode: 'concern', by: 'OM1' }, '2027-01-04'],
    );
    expect(s.deadlines.find((d) => d.id === 'nps-decision-1')?.status).toBe('met-late');
    s = run(s, [{ type: 'terminate', reason: 'revoked' }, '2027-01-05']);
    expect([row(s, 30).status, row(s, 31).status]).not.toContain('due');
  });

  it('no review is scheduled once the court has ended SSO supervision; dropped DRR reports are no longer due; on-time reports are not late', () => {
    const s0 = run(commence(suspendedSentence(SD, 24, 12), 'h', at(SD)), [{ type: 'allocate', offenderManagerId: 'OM1' }, SD]);
    const ended = run(
      s0,
      [{ type: 'apply-for-early-revocation', by: 'OM1' }, SD],
      [{ type: 'record-revocation-decision', decision: 'granted', by: 'court' }, '2026-11-24'],
      [{ type: 'record-first-appointment' }, '2026-11-25'],
      [{ type: 'complete-plan' }, '2026-11-26'],
    );
    expect(ended.deadlines.some((d) => d.kind === 'review')).toBe(false);

    const drr = commence(
      communityOrder(SD, periodEnd(SD, 12), { requirements: [{ type: 'drug-rehabilitation', months: 6, courtReviews: true }] }),
      'h',
      at(SD),
    );
    const amended = run(
      drr,
      [{ type: 'allocate', offenderManagerId: 'OM1' }, SD],
      [{ type: 'record-appointment', appointmentId: 'a1', date: SD }, SD],
      [{ type: 'record-appointment-outcome', appointmentId: 'a1', outcome: 'unacceptable-absence' }, SD],
      [{ type: 'record-enforcement-decision', appointmentId: 'a1', decision: 'referral' }, SD],
      [{ type: 'record-breach-action', appointmentId: 'a1' }, SD],
      [
        {
          type: 'record-court-outcome',
          appointmentId: 'a1',
          outcome: 'requirements-amended',
          requirements: [{ type: 'unpaid-work', hours: 60 }],
        },
        SD,
      ],
    );
    expect(amended.deadlines.filter((d) => d.kind === 'court-report').map((d) => d.status)).toEqual(Array(5).fill('cancelled'));

    let two = run(
      supervised(),
      [{ type: 'request-court-report', reportId: 'A', kind: 'progress', dueOn: '2026-12-10', by: 'court' }, '2026-12-01'],
      [{ type: 'request-court-report', reportId: 'B', kind: 'progress', dueOn: '2026-12-21', by: 'court' }, '2026-12-01'],
    );
    two = advanceTime(two, at('2026-12-15')).state;
    two = run(two, [{ type: 'submit-court-report', reportId: 'B', by: 'OM1' }, '2026-12-15']);
    expect(row(two, 24).evidence).toEqual([expect.objectContaining({ what: expect.stringContaining('report B'), late: false })]);
    expect(row(two, 24).status).toBe('overdue'); // report A is still outstanding
  });
});
