// Enforcement over months of sentence time on the time-skipping server (Schedule 10 para 6, breach clock).
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { commandSignals, stateQuery } from '../../contracts/index.ts';
import { addBusinessDays } from '../../domain/calendar/index.ts';
import { londonDate, londonEndOfDay, londonStartOfDay, periodEnd, shiftMonths } from '../../domain/dates.ts';
import { testDeps } from '../support/deps.ts';
import { communityOrder, suspendedSentence } from '../support/fixtures.ts';
import { recordHistory } from '../support/history.ts';
import { eventually } from '../support/poll.ts';
import { closeSentence, startSentenceWorkflow, useTimeSkippingWorker } from '../support/temporal.ts';
import { commandsFor } from '../support/commands.ts';

const deps = testDeps();
const ctx = useTimeSkippingWorker(deps);

describe('enforcement (time-skipping server)', () => {
  it('terminates a suspended sentence activated on breach, with that reason', async () => {
    const env = ctx.env;
    const sentenceDate = londonDate(await env.currentTimeMs());
    const h = await startSentenceWorkflow(env.client, suspendedSentence(sentenceDate, 24, 12));
    const cmd = commandsFor(h);
    await cmd('allocate', { offenderManagerId: 'OM041' });
    await cmd('record-appointment', { appointmentId: 's1', date: sentenceDate });
    await cmd('record-appointment-outcome', { appointmentId: 's1', outcome: 'attended-failed-to-comply' });
    await cmd('record-enforcement-decision', { appointmentId: 's1', decision: 'referral' });
    await cmd('record-breach-action', { appointmentId: 's1' });
    await env.sleep(7 * 86_400_000);
    const terminated = await cmd('record-court-outcome', { appointmentId: 's1', outcome: 'sso-activated' });
    expect((terminated as { phase: string; termination: unknown }).termination).toEqual({
      reason: 'sso-activated',
      on: londonDate(await env.currentTimeMs()),
    });
    await cmd('complete-end-of-sentence-review', {});
    const final = await h.result();
    expect(final.phase).toBe('closed');
    expect(final.timeline.map((e) => e.event)).toEqual(
      expect.arrayContaining(['breach-referral', 'breach-actioned', 'court-outcome', 'terminated']),
    );
    await recordHistory('sso-activated', env.client, h.workflowId, h.firstExecutionRunId);
  });

  it('takes failures reported against requirements, as an Update and as a Signal, into the same decision path; a warning withdrawn', async () => {
    const env = ctx.env;
    const sentenceDate = londonDate(await env.currentTimeMs());
    const curfew = { type: 'curfew' as const, hoursPerDay: 10, daysPerWeek: 7, months: 6 };
    const h = await startSentenceWorkflow(
      env.client,
      communityOrder(sentenceDate, periodEnd(sentenceDate, 12), { requirements: [curfew] }),
    );
    const cmd = commandsFor(h);
    await cmd('allocate', { offenderManagerId: 'OM044' });
    await env.sleep(3 * 86_400_000);
    const day = londonDate(await env.currentTimeMs());
    // The monitoring provider's report, sent and left (a Signal), then the officer's own record of another (an Update).
    await h.signal(commandSignals['record-failure-to-comply'], {
      failureId: 'em-1',
      source: 'curfew-violation',
      occurredOn: sentenceDate,
      reportedBy: 'EMS',
    });
    const s = await cmd('record-failure-to-comply', {
      failureId: 'em-2',
      source: 'monitoring-violation',
      occurredOn: day,
      reportedBy: 'OM044',
    });
    expect(s.compliance.failures.map((f) => [f.appointmentId, f.source])).toEqual([
      ['em-1', 'curfew-violation'],
      ['em-2', 'monitoring-violation'],
    ]);
    await cmd('record-enforcement-decision', {
      appointmentId: 'em-1',
      decision: 'warning',
      circumstances: 'did not attend and gave no reason',
    });
    // The warning was given in error: withdrawn, it no longer counts, so the second failure may be warned too.
    const withdrawn = await cmd('withdraw-warning', { appointmentId: 'em-1', reasonCode: 'GIVEN-IN-ERROR', by: 'SPO44' });
    expect(withdrawn.compliance.warnings.map((w) => w.withdrawn?.reasonCode)).toEqual(['GIVEN-IN-ERROR']);
    await cmd('record-enforcement-decision', {
      appointmentId: 'em-2',
      decision: 'warning',
      circumstances: 'did not attend and gave no reason',
    });
    await env.sleep(86_400_000);
    const em3 = londonDate(await env.currentTimeMs());
    await cmd('record-failure-to-comply', { failureId: 'em-3', source: 'curfew-violation', occurredOn: em3, reportedBy: 'EMS' });
    await cmd('record-enforcement-decision', { appointmentId: 'em-3', decision: 'referral' });
    await cmd('record-breach-action', { appointmentId: 'em-3' });
    expect((await closeSentence(h)).phase).toBe('closed');
    await recordHistory('requirement-failures', env.client, h.workflowId, h.firstExecutionRunId);
  });

  it('a further offence during the operational period goes to court with a breach report; the SSO continues', async () => {
    const env = ctx.env;
    const sentenceDate = londonDate(await env.currentTimeMs());
    const h = await startSentenceWorkflow(env.client, suspendedSentence(sentenceDate, 24, 12));
    const cmd = commandsFor(h);
    await cmd('allocate', { offenderManagerId: 'OM042' });
    await env.sleep(30 * 86_400_000);
    const today = londonDate(await env.currentTimeMs());
    await cmd('record-further-offence', { offenceId: 'fo1', offenceOn: addBusinessDays(sentenceDate, 5), convictedOn: today, by: 'OM042' });
    await cmd('record-risk-information', { roshLevel: 'medium', mappa: { category: 2, level: 1 }, sourceCode: 'police', by: 'OM042' });
    await cmd('request-court-report', { reportId: 'br1', kind: 'breach', dueOn: addBusinessDays(today, 5), by: 'court' });
    await cmd('record-breach-action', { appointmentId: 'fo1' });
    await cmd('submit-court-report', { reportId: 'br1', by: 'OM042' });
    const s = await cmd('record-court-outcome', { appointmentId: 'fo1', outcome: 'sso-not-activated', reasonCode: 'progress' });
    expect(s.termination).toBeUndefined();
    expect(s.courtReports[0]?.submitted).toBeDefined();
    expect(s.offender.mappa).toEqual({ category: 2, level: 1 });
    expect((await closeSentence(h)).phase).toBe('closed');
    await recordHistory('further-offence', env.client, h.workflowId, h.firstExecutionRunId);
  });

  it('refuses a warning 11 months after one, allows it 13 months after, and marks unactioned breach overdue on the day', async () => {
    const env = ctx.env;
    const today = async () => londonDate(await env.currentTimeMs());
    const sleepToMorningOf = async (date: string) => {
      const target = londonStartOfDay(date) + 10 * 3_600_000;
      const now = await env.currentTimeMs();
      if (target > now) await env.sleep(target - now);
    };
    const sentenceDate = await today();
    const h = await startSentenceWorkflow(env.client, communityOrder(sentenceDate, periodEnd(sentenceDate, 36)));
    const cmd = commandsFor(h);
    const refusal = async (p: Promise<unknown>) => {
      const e = await p.then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(WorkflowUpdateFailedError);
      return (e as WorkflowUpdateFailedError).cause?.message;
    };
    const fail = async (id: string, date: string) => {
      await cmd('record-appointment', { appointmentId: id, date });
      await sleepToMorningOf(date);
      await cmd('record-appointment-outcome', { appointmentId: id, outcome: 'unacceptable-absence' });
    };
    await cmd('allocate', { offenderManagerId: 'OM040' });

    const first = shiftMonths(sentenceDate, 1);
    await fail('f1', first);
    await cmd('record-enforcement-decision', {
      appointmentId: 'f1',
      decision: 'warning',
      circumstances: 'did not attend and gave no reason',
    });

    const elevenMonths = shiftMonths(first, 11);
    await fail('f2', elevenMonths);
    expect(
      await refusal(
        cmd('record-enforcement-decision', {
          appointmentId: 'f2',
          decision: 'warning',
          circumstances: 'did not attend and gave no reason',
        }),
      ),
    ).toMatch(/^a warning is not allowed: a warning was given on /);
    await cmd('record-enforcement-decision', { appointmentId: 'f2', decision: 'referral' });
    const due = addBusinessDays(elevenMonths, 10);
    await env.sleep(londonEndOfDay(due) + 60_000 - (await env.currentTimeMs()));
    const overdue = await eventually(
      () => h.query(stateQuery),
      (s) => s.deadlines.some((d) => d.id === 'breach-f2' && d.status === 'overdue'),
      'breach overdue',
    );
    expect(overdue.deadlines.find((d) => d.id === 'breach-f2')?.overdueSince).toBe(new Date(londonEndOfDay(due)).toISOString());
    await cmd('record-breach-action', { appointmentId: 'f2' });

    const thirteenMonths = shiftMonths(first, 13);
    await fail('f3', thirteenMonths);
    const warned = await cmd('record-enforcement-decision', {
      appointmentId: 'f3',
      decision: 'warning',
      circumstances: 'did not attend and gave no reason',
    });
    expect((warned as { compliance: { warnings: unknown[] } }).compliance.warnings).toHaveLength(2);
    expect((await closeSentence(h)).phase).toBe('closed');
    await recordHistory('enforcement', env.client, h.workflowId, h.firstExecutionRunId);
  });

  it('alerts a decision pending a response that did not come, and turns an absence never evidenced into a failure', async () => {
    const env = ctx.env;
    const today = async () => londonDate(await env.currentTimeMs());
    const sentenceDate = await today();
    const sentence = communityOrder(sentenceDate, periodEnd(sentenceDate, 12));
    const h = await startSentenceWorkflow(env.client, sentence);
    const cmd = commandsFor(h);
    await cmd('allocate', { offenderManagerId: 'OM045' });
    await cmd('record-appointment', { appointmentId: 'p1', date: sentenceDate });
    await cmd('record-appointment-outcome', { appointmentId: 'p1', outcome: 'unacceptable-absence' });
    const responseDueOn = addBusinessDays(sentenceDate, 3);
    await cmd('record-enforcement-decision', { appointmentId: 'p1', decision: 'pending-response', responseDueOn });
    // Two absences accepted: one evidenced in time, one never.
    await cmd('record-appointment', { appointmentId: 'p2', date: sentenceDate });
    await cmd('record-appointment-outcome', { appointmentId: 'p2', outcome: 'acceptable-absence', reason: 'hospital appointment' });
    await cmd('record-appointment', { appointmentId: 'p3', date: sentenceDate });
    await cmd('record-appointment-outcome', { appointmentId: 'p3', outcome: 'acceptable-absence', reason: 'unwell' });
    await env.sleep(86_400_000);
    const evidencedOn = await today();
    await cmd('record-absence-evidence', { appointmentId: 'p2', reference: 'HOSPITAL-LETTER-1', by: 'OM045' });

    // No response by its day: the deadline is overdue and alerted; the absence never evidenced is a failure from the
    // end of its fifth business day.
    const evidenceDue = addBusinessDays(sentenceDate, 5);
    await env.sleep(londonEndOfDay(evidenceDue) + 60_000 - (await env.currentTimeMs()));
    const lapsed = await eventually(
      () => h.query(stateQuery),
      (s) => s.compliance.failures.some((f) => f.appointmentId === 'p3'),
      'the unevidenced absence entered the decision path',
    );
    expect(lapsed.deadlines.find((d) => d.id === 'response-p1')).toMatchObject({
      status: 'overdue',
      overdueSince: new Date(londonEndOfDay(responseDueOn)).toISOString(),
    });
    expect(
      lapsed.compliance.appointments.map((a) => [a.id, a.outcome, a.absenceEvidence?.receivedOn ?? a.absenceEvidence?.lapsedOn]),
    ).toEqual([
      ['p1', 'unacceptable-absence', undefined],
      ['p2', 'acceptable-absence', evidencedOn],
      ['p3', 'unacceptable-absence', evidenceDue],
    ]);
    const alerted = await eventually(
      () => deps.sent.alerts(sentence.sentenceId),
      (xs) => ['response-p1', 'absence-evidence-p3'].every((id) => xs.some((a) => a.deadlineId === id)),
      'both alerts delivered',
    );
    expect(alerted.filter((a) => a.deadlineId === 'response-p1' || a.deadlineId === 'absence-evidence-p3').map((a) => a.kind)).toEqual([
      'deadline-overdue',
      'deadline-overdue',
    ]);
    // The decision, late: both failures decided, the response deadline met late.
    const decided = await cmd('record-enforcement-decision', { appointmentId: 'p1', decision: 'referral' });
    expect(decided.deadlines.find((d) => d.id === 'response-p1')?.status).toBe('met-late');
    await cmd('record-enforcement-decision', { appointmentId: 'p3', decision: 'referral' });
    await cmd('record-breach-action', { appointmentId: 'p1' });
    await cmd('record-breach-action', { appointmentId: 'p3' });
    expect((await closeSentence(h)).phase).toBe('closed');
    await recordHistory('decision-pending', env.client, h.workflowId, h.firstExecutionRunId);
  });
});
