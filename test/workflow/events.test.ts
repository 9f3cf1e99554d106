// Risk escalation to the NPS, transfers and DRR court reports over real sentence time on the time-skipping server.
import type { WorkflowHandle } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { anyCommandSignal, SA, stateQuery, type SignalArgs } from '../../contracts/index.ts';
import { addBusinessDays, businessDaysBefore, calendarFor } from '../../domain/calendar/index.ts';
import { drrReviewDates } from '../../domain/court-reports.ts';
import { addDays, londonEndOfDay, londonStartOfDay, periodEnd, shiftMonths } from '../../domain/dates.ts';
import type { SentenceState } from '../../domain/lifecycle.ts';
import type { SentenceInput } from '../../domain/sentence.ts';
import { testDeps } from '../support/deps.ts';
import { communityOrder, transferRequest } from '../support/fixtures.ts';
import { recordHistory } from '../support/history.ts';
import { morningOf, serverClock } from '../support/clock.ts';
import { eventually } from '../support/poll.ts';
import { closeSentence, startSentenceWorkflow, useTimeSkippingWorker } from '../support/temporal.ts';
import { commandsFor, rejection } from '../support/commands.ts';
import { events, row } from '../support/scenario.ts';

const deps = testDeps();
const ctx = useTimeSkippingWorker(deps);

const { today, sleepUntil } = serverClock(ctx);

/** Starts a sentence; `cmd` sends a command as an Update and returns the state it left. */
async function start(sentence: SentenceInput) {
  const h = await startSentenceWorkflow(ctx.env.client, sentence);
  const cmd = commandsFor(h);
  return { h, cmd, state: () => h.query(stateQuery) };
}

/** A 12-month CO (or `over`) allocated to OM1, with its first appointment and plan on the sentence date. */
async function supervised(over: Partial<SentenceInput> = {}) {
  const sentenceDate = await today();
  const c = await start(communityOrder(sentenceDate, periodEnd(sentenceDate, 12), over));
  await c.cmd('allocate', { offenderManagerId: 'OM1' });
  await c.cmd('record-first-appointment', {});
  await c.cmd('complete-plan', {});
  return { ...c, sentenceDate };
}

const refusal = rejection;

const sentenceIdOf = (h: WorkflowHandle) => h.workflowId.replace(/^sentence-/, '');
const alertsFor = async (h: WorkflowHandle, deadlineId: string) =>
  (await deps.sent.alerts(sentenceIdOf(h))).filter((a) => a.deadlineId === deadlineId);

describe('risk escalation and the NPS (time-skipping server)', () => {
  it('NPS assumes responsibility: a signal applied once refers the case, the NPS is told, the case moves to the NPS', async () => {
    const env = ctx.env;
    const { h, cmd, state } = await supervised();
    const info: SignalArgs<'record-risk-information'> = { roshLevel: 'high', sourceCode: 'police', by: 'OM1', commandId: 'sig-1' };
    await h.signal(anyCommandSignal('record-risk-information'), info);
    await h.signal(anyCommandSignal('record-risk-information'), info);
    const referred = await eventually(
      state,
      (s) => s.risk.referrals.length > 0 && s.notifications.every((n) => n.delivered),
      'NPS referral delivered',
    );
    expect(referred.risk.referrals).toEqual([expect.objectContaining({ id: 'nps-1', reasonCode: 'risk-escalation' })]);
    expect(referred.notifications).toEqual([expect.objectContaining({ id: '22-1', row: 22, recipient: 'nps', basis: 'risk-escalation' })]);
    const sent = (await deps.sent.outputs(sentenceIdOf(h))).filter((m) => m.idempotencyKey.startsWith(`${h.workflowId}/notification/`));
    expect(sent).toEqual([
      expect.objectContaining({ row: 22, recipient: 'nps', event: 'nps-referral', basis: 'risk-escalation', providerCode: 'N07' }),
    ]);
    expect(referred.notifications[0]?.delivered?.reference).toBe(sent[0]?.idempotencyKey);
    expect(row(referred, 22).evidence).toEqual(
      expect.arrayContaining([expect.objectContaining({ by: 'system', reference: sent[0]?.idempotencyKey })]),
    );

    const s = (await cmd('record-nps-decision', {
      decision: 'assumes-responsibility',
      roshLevel: 'high',
      offenderManagerId: 'NPS9',
      by: 'SPO1',
    })) as SentenceState;
    // The second signal (same commandId) was handled before this update: still one piece of information, one referral.
    expect(s.risk.referrals).toHaveLength(1);
    expect(s.risk.history.filter((r) => r.sourceCode === 'police')).toHaveLength(1);
    expect(events(s).filter((e) => e === 'risk-information')).toHaveLength(1);
    expect(events(s)).not.toContain('signal-rejected');
    expect(s.provider.providerCode).toBe('NPS');
    expect(s.offenderManagerId).toBe('NPS9');
    expect(s.ownership).toHaveLength(2);
    expect(s.ownership.filter((o) => o.to === undefined)).toEqual([
      expect.objectContaining({ providerCode: 'NPS', offenderManagerId: 'NPS9' }),
    ]);
    expect(row(s, 11).applies).toBe(true);
    expect(row(s, 33).applies).toBe(true);
    expect(row(s, 30).status).toBe('done');
    expect(row(s, 31).status).toBe('done');
    expect(s.deadlines.find((d) => d.id === 'nps-decision-1')?.status).toBe('met');
    const d = await eventually(
      () => h.describe(),
      (x) => x.typedSearchAttributes.get(SA.providerCode) === 'NPS',
      'ProviderCode search attribute',
    );
    expect(d.typedSearchAttributes.get(SA.roshLevel)).toBe('high');
    expect(d.typedSearchAttributes.get(SA.offenderManagerId)).toBe('NPS9');
    expect((await closeSentence(h)).phase).toBe('closed');
    await recordHistory('nps-assumes-responsibility', env.client, h.workflowId, h.firstExecutionRunId);
  });

  it('NPS declines with a review date: the review is raised at the start of that day, due in 5 business days', async () => {
    const env = ctx.env;
    const { h, cmd, state, sentenceDate } = await supervised();
    await cmd('refer-to-nps', { reasonCode: 'officer-concern', by: 'OM1' });
    const reviewOn = shiftMonths(sentenceDate, 2);
    await cmd('record-nps-decision', { decision: 'declines', roshLevel: 'medium', riskReviewOn: reviewOn, by: 'SPO1' });

    await sleepUntil(morningOf(addDays(reviewOn, -1)));
    const before = await state();
    expect(before.deadlines.some((d) => d.kind === 'risk-review')).toBe(false);
    expect(before.provider.providerCode).toBe('N07');

    await sleepUntil(morningOf(reviewOn));
    const s = await eventually(state, (x) => x.deadlines.some((d) => d.kind === 'risk-review'), 'risk review raised');
    expect(s.deadlines.find((d) => d.kind === 'risk-review')).toMatchObject({
      id: 'risk-review-1',
      dueDate: addBusinessDays(reviewOn, 5),
      status: 'pending',
    });
    expect(s.timeline.find((e) => e.event === 'risk-review-raised')?.at).toBe(new Date(londonStartOfDay(reviewOn)).toISOString());
    await eventually(
      async () => alertsFor(h, 'risk-review-1'),
      (a) => a.length === 1 && a[0]?.kind === 'risk-review-raised',
      'risk review alert',
    );
    expect((await closeSentence(h)).phase).toBe('closed');
    await recordHistory('nps-declines-risk-review', env.client, h.workflowId, h.firstExecutionRunId);
  });
});

describe('signals from other systems (time-skipping server)', () => {
  it('a signal without a body, with null, or with values the case cannot take is counted with its reason and harms nothing', async () => {
    const { h, cmd, state } = await supervised();
    const risk = anyCommandSignal('record-risk-information');
    await h.signal(risk as never);
    await h.signal(risk, null as never);
    await h.signal(risk, { roshLevel: 'constructor', sourceCode: 'police', by: 'OM1' } as never);
    const s = await eventually(state, (x) => x.signalsRejected?.count === 3, 'three signals rejected');
    expect(s.offender.roshLevel).toBe('medium');
    expect(s.signalsRejected?.latest.map((r) => r.reason)).toEqual([
      'sourceCode must be 1-32 letters, digits, "-" or "_"',
      'sourceCode must be 1-32 letters, digits, "-" or "_"',
      'roshLevel must be one of low, medium, high, very-high',
    ]);
    expect(s.timeline.filter((e) => e.event === 'signal-rejected')).toEqual([]);
    expect(((await cmd('record-significant-change', { changeCode: 'after-signals' })) as SentenceState).significantChanges).toBe(1);
    expect((await closeSentence(h)).phase).toBe('closed');
  });
});

describe('transfers (time-skipping server)', () => {
  const request = transferRequest;

  it('a transfer not accepted by the end of its acceptance day times out: the case stays with the sending provider', async () => {
    const env = ctx.env;
    const { h, cmd, state } = await supervised();
    // The request comes as a Signal (from the case system of the area the offender moved to).
    await h.signal(anyCommandSignal('request-transfer'), { ...request, commandId: 'transfer-request-1' });
    await eventually(state, (x) => x.transfers.length === 1, 'transfer requested by signal');
    await cmd('decide-transfer', { transferId: 'T1', decision: 'approved', by: 'SPO1' });
    const due = addBusinessDays(await today(), 20);
    await sleepUntil(londonEndOfDay(due) + 60_000);
    const s = await eventually(state, (x) => x.transfers[0]?.status === 'timed-out', 'transfer timed out');
    expect(s.provider).toEqual({ providerCode: 'N07', areaCode: 'LDN' });
    expect(s.offenderManagerId).toBe('OM1');
    expect(s.courtCode).toBe('B01CN');
    expect(s.ownership).toHaveLength(1);
    expect(s.deadlines.find((d) => d.id === 'transfer-T1')).toMatchObject({ dueDate: due, status: 'missed' });
    expect(s.timeline.find((e) => e.event === 'transfer-timed-out')?.at).toBe(new Date(londonEndOfDay(due)).toISOString());
    await eventually(
      async () => alertsFor(h, 'transfer-T1'),
      (a) => a.length === 1 && a[0]?.kind === 'transfer-timed-out',
      'timeout alert',
    );
    const late = cmd('respond-to-transfer', { transferId: 'T1', decision: 'accepted', offenderManagerId: 'OM2', by: 'SPO2' });
    expect(await refusal(late)).toMatch(/timed out/);
    expect((await closeSentence(h)).phase).toBe('closed');
    await recordHistory('transfer-timed-out', env.client, h.workflowId, h.firstExecutionRunId);
  });

  it('a transfer accepted in time moves provider, offender manager and court; rows 27 and 28 are done', async () => {
    const env = ctx.env;
    const { h, cmd } = await supervised();
    await cmd('request-transfer', request);
    await cmd('decide-transfer', { transferId: 'T1', decision: 'approved', by: 'SPO1' });
    const acceptOn = addBusinessDays(await today(), 5);
    await sleepUntil(morningOf(acceptOn));
    const s = (await cmd('respond-to-transfer', {
      transferId: 'T1',
      decision: 'accepted',
      offenderManagerId: 'OM2',
      by: 'SPO2',
    })) as SentenceState;
    expect(s.transfers[0]?.status).toBe('accepted');
    expect(s.provider).toEqual({ providerCode: 'N03', areaCode: 'WMS' });
    expect(s.offenderManagerId).toBe('OM2');
    expect(s.courtCode).toBe('B20BL');
    expect(s.ownership.map((o) => [o.providerCode, o.to])).toEqual([
      ['N07', acceptOn],
      ['N03', undefined],
    ]);
    expect(s.deadlines.find((d) => d.id === 'transfer-T1')).toMatchObject({ status: 'met', metOn: acceptOn });
    expect(row(s, 27).status).toBe('done');
    expect(row(s, 28).status).toBe('done');
    const d = await eventually(
      () => h.describe(),
      (x) => x.typedSearchAttributes.get(SA.providerCode) === 'N03',
      'ProviderCode search attribute',
    );
    expect(d.typedSearchAttributes.get(SA.areaCode)).toBe('WMS');
    expect(d.typedSearchAttributes.get(SA.offenderManagerId)).toBe('OM2');
    expect((await closeSentence(h)).phase).toBe('closed');
    await recordHistory('transfer-accepted', env.client, h.workflowId, h.firstExecutionRunId);
  });
});

describe('court reports (time-skipping server)', () => {
  it('DRR progress reports fall due before each review hearing; one not submitted is overdue at the end of its day and alerted', async () => {
    const env = ctx.env;
    const { h, cmd, state, sentenceDate } = await supervised({
      requirements: [{ type: 'drug-rehabilitation', months: 6, courtReviews: true }],
    });
    const s0 = await state();
    const hearings = drrReviewDates(s0.sentence, s0.dates.orderEnd, calendarFor(s0.calendarVersion));
    expect(hearings).toHaveLength(5);
    expect(hearings[0]! > sentenceDate).toBe(true);
    expect(s0.courtReports.map((r) => [r.id, r.hearingOn, r.dueOn])).toEqual(
      hearings.map((d, i) => [`drr-review-${i + 1}`, d, businessDaysBefore(d, 3)]),
    );
    const [first, second] = s0.courtReports;

    await sleepUntil(morningOf(addDays(first!.dueOn, -1)));
    const sent = (await cmd('submit-court-report', { reportId: 'drr-review-1', by: 'OM1' })) as SentenceState;
    expect(sent.deadlines.find((d) => d.id === 'report-drr-review-1')).toMatchObject({ status: 'met' });
    expect(row(sent, 24)).toMatchObject({ status: 'due', dueDate: second!.dueOn });

    const expiry = londonEndOfDay(second!.dueOn);
    await sleepUntil(expiry + 60_000);
    const s = await eventually(
      state,
      (x) => x.deadlines.some((d) => d.id === 'report-drr-review-2' && d.status === 'overdue'),
      'second report overdue',
    );
    expect(s.deadlines.find((d) => d.id === 'report-drr-review-2')?.overdueSince).toBe(new Date(expiry).toISOString());
    expect(s.deadlines.find((d) => d.id === 'report-drr-review-1')?.status).toBe('met');
    expect(row(s, 24).status).toBe('overdue');
    const alerts = await eventually(
      async () => alertsFor(h, 'report-drr-review-2'),
      (a) => a.length >= 1,
      'overdue report alert',
    );
    expect(alerts).toEqual([
      expect.objectContaining({
        kind: 'deadline-overdue',
        dueDate: second!.dueOn,
        overdueSince: new Date(expiry).toISOString(),
        offenderManagerId: 'OM1',
      }),
    ]);
    expect((await closeSentence(h)).phase).toBe('closed');
    await recordHistory('drr-reports', env.client, h.workflowId, h.firstExecutionRunId);
  });
});
