// Whole sentences on the Java SDK's time-skipping test server: months of sentence time in seconds of wall time,
// with the real policy durations.
import type { WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { COMMAND_REJECTED, SA, stateQuery, workflowIdFor, type CommandArgs } from '../../contracts/index.ts';
import { addBusinessDays } from '../../domain/calendar/index.ts';
import { addDays, londonDate, londonEndOfDay, periodEnd } from '../../domain/dates.ts';
import type { CommandType, SentenceState } from '../../domain/lifecycle.ts';
import type { SentenceInput } from '../../domain/sentence.ts';
import { sentenceWorkflow } from '../../workflows/index.ts';
import { baseOffender, communityOrder, suspendedSentence } from '../support/fixtures.ts';
import { recordHistory } from '../support/history.ts';
import { testDeps } from '../support/deps.ts';
import { morningOf, serverClock } from '../support/clock.ts';
import { eventually } from '../support/poll.ts';
import { closeSentence, startSentenceWorkflow, useTimeSkippingWorker } from '../support/temporal.ts';
import { commandsFor, rejection } from '../support/commands.ts';

const deps = testDeps();
const { sent: fromStore } = deps;
const ctx = useTimeSkippingWorker(deps);

const { today, sleepUntil } = serverClock(ctx);

function start(sentence: SentenceInput): Promise<WorkflowHandleWithFirstExecutionRunId<typeof sentenceWorkflow>> {
  return startSentenceWorkflow(ctx.env.client, sentence);
}

/** A command to a sentence's workflow, typed by its arguments (the shared sender). */
function command<T extends CommandType>(h: WorkflowHandle, type: T, args: CommandArgs<T>): Promise<SentenceState> {
  return commandsFor(h)(type, args);
}

/**
 * Completes each review on its due date until none is pending. The next one is read from the review's own answer (the
 * state after it), not from a query: each review continues the run as new, and the time-skipping server can leave a
 * query sent in that moment unanswered.
 */
async function reviewUntilSupervisionEnds(h: WorkflowHandle): Promise<number> {
  let reviews = 0;
  let s = await h.query(stateQuery);
  for (;;) {
    const due = s.deadlines.find((d) => d.kind === 'review' && d.status === 'pending');
    if (!due) return reviews;
    await sleepUntil(morningOf(due.dueDate));
    s = await command(h, 'complete-review', { completedOn: due.dueDate });
    reviews++;
  }
}

/**
 * A 24-month SSO with `supervisionMonths` of supervision, allocated, inducted and planned on its sentence date, each
 * review done on its due date, until just after its supervision period has ended.
 */
async function ssoToSupervisionEnd(supervisionMonths: number, offenderManagerId: string) {
  const sentenceDate = await today();
  const sentence = suspendedSentence(sentenceDate, 24, supervisionMonths);
  const h = await start(sentence);
  await command(h, 'allocate', { offenderManagerId });
  await command(h, 'record-first-appointment', { heldOn: sentenceDate });
  await command(h, 'complete-plan', { completedOn: sentenceDate });
  const reviews = await reviewUntilSupervisionEnds(h);
  const supervisionEnd = periodEnd(sentenceDate, supervisionMonths);
  await sleepUntil(londonEndOfDay(supervisionEnd) + 60_000);
  const ended = await eventually(
    () => h.query(stateQuery),
    (s) => s.supervisionEnded,
    'end of supervision',
  );
  return { sentenceDate, sentence, h, reviews, supervisionEnd, ended };
}

describe('sentence lifecycle (time-skipping server)', () => {
  it('marks a missed plan deadline overdue at the end of the due business day, alerts once, and carries on', async () => {
    // Each test has a fresh server, its clock at the real date: the next 10 December gives a plan timescale
    // across Christmas and New Year, with the due date known independently of the code under test.
    const now = await today();
    const target = ['2026-12-10', '2027-12-10'].find((d) => d >= now);
    if (target) await sleepUntil(morningOf(target));
    const sentenceDate = await today();
    const sentence = communityOrder(sentenceDate, periodEnd(sentenceDate, 6));
    const h = await start(sentence);
    await command(h, 'allocate', { offenderManagerId: 'OM003' });
    await command(h, 'record-first-appointment', { heldOn: sentenceDate });
    const planDue = addBusinessDays(sentenceDate, 15);
    const known: Record<string, string> = { '2026-12-10': '2027-01-05', '2027-12-10': '2028-01-05' };
    if (known[sentenceDate]) expect(planDue).toBe(known[sentenceDate]);
    const expiry = londonEndOfDay(planDue);

    await sleepUntil(expiry - 3_600_000); // 23:00 on the due day: not yet overdue
    const before = await h.query(stateQuery);
    expect(before.deadlines.find((d) => d.id === 'plan')).toMatchObject({ dueDate: planDue, status: 'pending' });

    await sleepUntil(expiry + 60_000);
    const after = await eventually(
      () => h.query(stateQuery),
      (s) => s.deadlines.some((d) => d.id === 'plan' && d.status === 'overdue'),
      'plan overdue',
    );
    const plan = after.deadlines.find((d) => d.id === 'plan')!;
    expect(plan.overdueSince).toBe(new Date(expiry).toISOString());
    expect(londonDate(Date.parse(plan.overdueSince!))).toBe(addDays(planDue, 1));
    expect(after.timeline.find((e) => e.event === 'deadline-overdue')).toMatchObject({ at: new Date(expiry).toISOString() });
    const key = `${workflowIdFor(sentence.sentenceId)}/deadline-overdue/plan`;
    await eventually(
      async () => (await fromStore.alerts(sentence.sentenceId)).filter((a) => a.idempotencyKey === key).length,
      (n) => n === 1,
      'one alert',
    );
    const description = await eventually(
      () => h.describe(),
      (d) => d.typedSearchAttributes.get(SA.overdue) === true,
      'Overdue search attribute',
    );
    expect(description.typedSearchAttributes.get(SA.phase)).toBe('inducted');

    // The case carries on: the plan done the next business day is recorded as late.
    const doneOn = addBusinessDays(planDue, 1);
    await sleepUntil(morningOf(doneOn));
    const late = await command(h, 'complete-plan', { completedOn: doneOn });
    expect(late.deadlines.find((d) => d.id === 'plan')).toMatchObject({ status: 'met-late', businessDaysLate: 1, metOn: doneOn });
    expect(late.phase).toBe('plan-agreed');
    await command(h, 'terminate', { reason: 'revoked' });
    await command(h, 'complete-end-of-sentence-review', {});
    expect((await h.result()).termination?.reason).toBe('revoked');
    await recordHistory('co-plan-overdue', ctx.env.client, h.workflowId, h.firstExecutionRunId);
  });

  it('runs a 12-month community order from commencement to closure', async () => {
    const t0 = performance.now();
    const sentenceDate = await today();
    const sentence = communityOrder(sentenceDate, periodEnd(sentenceDate, 12));
    const h = await start(sentence);
    await command(h, 'allocate', { offenderManagerId: 'OM001' });
    expect((await command(h, 'record-first-appointment', { heldOn: sentenceDate })).phase).toBe('inducted');
    expect((await command(h, 'complete-plan', { completedOn: sentenceDate })).phase).toBe('plan-agreed');
    // The 120 hours of unpaid work are done (an order with hours outstanding stays in force past its end date: below).
    await command(h, 'record-requirement-progress', { requirementIndex: 0, amount: 120, by: 'OM001' });

    const reviews = await reviewUntilSupervisionEnds(h);
    expect(reviews).toBe(3); // 16-week cycle inside 12 months: weeks 16, 32, 48

    await sleepUntil(londonEndOfDay(periodEnd(sentenceDate, 12)) + 60_000);
    const terminated = await eventually(
      () => h.query(stateQuery),
      (s) => s.phase === 'terminated',
      'termination at end of order',
    );
    expect(terminated.termination).toEqual({ reason: 'end-of-order', on: periodEnd(sentenceDate, 12) });
    const review = terminated.deadlines.find((d) => d.id === 'end-of-sentence-review')!;
    expect(review.dueDate).toBe(addBusinessDays(periodEnd(sentenceDate, 12), 10));

    await command(h, 'complete-end-of-sentence-review', { completedOn: await today() });
    const final = await h.result();
    expect(final.phase).toBe('closed');
    expect(final.deadlines.filter((d) => d.status !== 'met')).toEqual([]);
    expect(final.timeline.map((e) => e.event).filter((e) => !e.startsWith('output-'))).toEqual([
      'commenced',
      'allocated',
      'first-appointment-held',
      'plan-agreed',
      'unpaid-work-credit-qualified',
      'requirement-progress',
      'review-completed',
      'review-completed',
      'review-completed',
      'terminated',
      'end-of-sentence-review-completed',
      'closed',
    ]);
    expect(final.runs).toBe(3); // continued as new once per review cycle, nothing lost
    // (A closed sentence refusing commands is tested over HTTP on the dev server: an Update sent to a completed run
    // can leave the time-skipping server's clock locked for the tests that follow.)
    console.log(`[lifecycle] 12-month CO commencement to closure: ${((performance.now() - t0) / 1000).toFixed(2)} s wall time`);
    await recordHistory('co-12-months', ctx.env.client, h.workflowId, h.firstExecutionRunId);
  });

  it('keeps an order whose end date passes with unpaid work outstanding in force, alerts, and ends it when the hours are done', async () => {
    const sentenceDate = await today();
    const end = periodEnd(sentenceDate, 4);
    const sentence = communityOrder(sentenceDate, end, { requirements: [{ type: 'unpaid-work', hours: 60 }] });
    const h = await start(sentence);
    await command(h, 'allocate', { offenderManagerId: 'OM004' });
    await command(h, 'record-first-appointment', { heldOn: sentenceDate });
    await command(h, 'complete-plan', { completedOn: sentenceDate });
    await command(h, 'record-requirement-progress', { requirementIndex: 0, amount: 10, by: 'OM004' });

    await sleepUntil(londonEndOfDay(end) + 60_000);
    const kept = await eventually(
      () => h.query(stateQuery),
      (s) => s.unpaidWorkBeyondEnd !== undefined,
      'the order kept in force for its unpaid work',
    );
    expect(kept.phase).toBe('plan-agreed');
    expect(kept.termination).toBeUndefined();
    expect(kept.unpaidWorkBeyondEnd).toEqual({ since: end, hours: 50 });
    expect(kept.deadlines.find((d) => d.id === 'unpaid-work-outstanding')).toMatchObject({ dueDate: end, status: 'overdue' });
    const key = `${workflowIdFor(sentence.sentenceId)}/deadline-overdue/unpaid-work-outstanding`;
    await eventually(
      async () => (await fromStore.alerts(sentence.sentenceId)).filter((a) => a.idempotencyKey === key).length,
      (n) => n === 1,
      'the manager alerted once',
    );

    // A month later the hours are done: the order ends that day.
    const doneOn = addDays(end, 30);
    await sleepUntil(morningOf(doneOn));
    const ended = await command(h, 'record-requirement-progress', { requirementIndex: 0, amount: 50, by: 'OM004', on: doneOn });
    expect(ended.termination).toEqual({ reason: 'end-of-order', on: doneOn });
    expect(ended.deadlines.find((d) => d.id === 'unpaid-work-outstanding')).toMatchObject({ status: 'met-late', metOn: doneOn });
    await command(h, 'complete-end-of-sentence-review', {});
    expect((await h.result()).phase).toBe('closed');
  });

  it('runs a 24-month suspended sentence order with a 12-month supervision period: reviewed when supervision ends, closed with the order', async () => {
    const t0 = performance.now();
    const { sentenceDate, sentence, h, reviews, supervisionEnd, ended: afterSupervision } = await ssoToSupervisionEnd(12, 'OM002');
    expect(reviews).toBe(3);
    expect(afterSupervision.phase).toBe('supervision');
    expect(afterSupervision.milestones.supervisionEndedOn).toBe(supervisionEnd);
    expect(await rejection(command(h, 'complete-review', {}))).toMatch(/after the supervision period ended/);

    // Statutory involvement ends with the supervision period (rules 2): the partner agencies are told then (row 35),
    // with the day supervision ended, and the end-of-sentence review is done then; the case stays open, nothing due.
    const told = await eventually(
      async () => (await fromStore.outputs(sentence.sentenceId)).filter((m) => m.row === 35),
      (m) => m.length === 1,
      'row 35 delivered at the end of supervision',
    );
    expect(told.map((m) => [m.event, m.supervisionEndedOn, m.terminationReason ?? null])).toEqual([
      ['case-terminated', supervisionEnd, null],
    ]);
    const reviewed = await command(h, 'complete-end-of-sentence-review', {});
    expect(reviewed.phase).toBe('supervision');
    expect(reviewed.deadlines.filter((d) => d.status === 'pending' || d.status === 'overdue')).toEqual([]);

    // When the operational period ends the case closes at once: the review was done.
    const orderEnd = periodEnd(sentenceDate, 24);
    await sleepUntil(londonEndOfDay(orderEnd) + 60_000);
    const final = await h.result();
    expect(final.phase).toBe('closed');
    expect(final.termination).toEqual({ reason: 'end-of-order', on: orderEnd });
    expect(final.milestones.closedOn).toBe(orderEnd);
    expect([34, 35, 36].map((n) => final.outputs.find((o) => o.row === n)?.status)).toEqual(['done', 'done', 'done']);
    expect((await fromStore.outputs(sentence.sentenceId)).filter((m) => m.row >= 35).map((m) => m.event)).toEqual([
      'case-terminated',
      'case-closed',
    ]);
    expect(final.timeline.map((e) => e.event)).toContain('supervision-period-ended');
    expect(final.timeline.findIndex((e) => e.event === 'supervision-period-ended')).toBeLessThan(
      final.timeline.findIndex((e) => e.event === 'terminated'),
    );
    console.log(`[lifecycle] 24-month SSO commencement to closure: ${((performance.now() - t0) / 1000).toFixed(2)} s wall time`);
    await recordHistory('sso-24-12-months', ctx.env.client, h.workflowId, h.firstExecutionRunId);
  });

  it('runs an SSO with 6 months of supervision in a 24-month operational period to the end: reviewed late when supervision ends', async () => {
    const { sentenceDate, sentence, h, reviews, supervisionEnd, ended } = await ssoToSupervisionEnd(6, 'OM004');
    // One 16-week review fits in the 6 months of supervision (the second would fall at 32 weeks).
    expect(reviews).toBe(1);
    const reviewDue = addBusinessDays(supervisionEnd, 10);
    expect(ended.deadlines.filter((d) => d.status === 'pending').map((d) => [d.id, d.dueDate])).toEqual([
      ['end-of-supervision-review', reviewDue],
    ]);

    // Not done in time: overdue and alerted at the end of its due day; done the next business day, late.
    await sleepUntil(londonEndOfDay(reviewDue) + 60_000);
    const key = `${workflowIdFor(sentence.sentenceId)}/deadline-overdue/end-of-supervision-review`;
    await eventually(
      async () => (await fromStore.alerts(sentence.sentenceId)).filter((a) => a.idempotencyKey === key).length,
      (n) => n === 1,
      'one alert for the overdue review',
    );
    const doneOn = addBusinessDays(reviewDue, 1);
    await sleepUntil(morningOf(doneOn));
    const reviewed = await command(h, 'complete-end-of-sentence-review', { completedOn: doneOn });
    expect(reviewed.phase).toBe('supervision');
    expect(reviewed.deadlines.find((d) => d.id === 'end-of-supervision-review')).toMatchObject({ status: 'met-late', businessDaysLate: 1 });

    // Eighteen months on, the operational period ends and the case closes with it.
    const orderEnd = periodEnd(sentenceDate, 24);
    await sleepUntil(londonEndOfDay(orderEnd) + 60_000);
    const final = await h.result();
    expect(final.phase).toBe('closed');
    expect(final.termination).toEqual({ reason: 'end-of-order', on: orderEnd });
    expect([34, 35, 36].map((n) => final.outputs.find((o) => o.row === n)?.status)).toEqual(['late', 'done', 'done']);
    const told = (await fromStore.outputs(sentence.sentenceId)).filter((m) => m.row >= 35);
    expect(told.map((m) => [m.row, m.event, m.supervisionEndedOn ?? null, m.terminationReason ?? null])).toEqual([
      [35, 'case-terminated', supervisionEnd, null],
      [36, 'case-closed', null, 'end-of-order'],
    ]);
    await recordHistory('sso-24-6-months', ctx.env.client, h.workflowId, h.firstExecutionRunId);
  });

  it('runs an EM-provider curfew case from commencement to closure with no plan, review or end-of-sentence review, and no alert for one', async () => {
    const sentenceDate = await today();
    const orderEnd = periodEnd(sentenceDate, 6);
    const sentence = communityOrder(sentenceDate, orderEnd, {
      responsibleOfficer: 'em-provider',
      requirements: [{ type: 'curfew', hoursPerDay: 10, daysPerWeek: 7, months: 6 }],
    });
    const h = await start(sentence);
    await command(h, 'allocate', { offenderManagerId: 'EM001' });
    const inducted = await command(h, 'record-first-appointment', { heldOn: sentenceDate });
    expect(inducted.phase).toBe('inducted');
    // Past where a plan (15 business days) and a first review (16 weeks) would have fallen: nothing falls due.
    await sleepUntil(londonEndOfDay(addDays(sentenceDate, 120)) + 60_000);
    const running = await h.query(stateQuery);
    expect(running.deadlines.map((d) => [d.id, d.status])).toEqual([['first-appointment', 'met']]);
    expect([8, 32, 34].map((n) => running.outputs.find((o) => o.row === n)?.applies)).toEqual([false, false, false]);

    // The order's end closes the case at once: no end-of-sentence review applies (row 34).
    await sleepUntil(londonEndOfDay(orderEnd) + 60_000);
    const final = await h.result();
    expect(final.phase).toBe('closed');
    expect(final.termination).toEqual({ reason: 'end-of-order', on: orderEnd });
    expect(final.milestones.closedOn).toBe(orderEnd);
    expect(final.timeline.filter((e) => e.event === 'deadline-overdue')).toEqual([]);
    const alerts = await fromStore.alerts(sentence.sentenceId);
    expect(alerts.filter((a) => a.idempotencyKey.includes('/deadline-overdue/'))).toEqual([]);
    await recordHistory('em-curfew-to-closure', ctx.env.client, h.workflowId, h.firstExecutionRunId);
  });

  it('keeps the outputs ledger: delivered by the system, evidenced on time, late, missed, not possible, re-evaluated', async () => {
    const sentenceDate = await today();
    const sentence = communityOrder(sentenceDate, periodEnd(sentenceDate, 12), {
      offender: {
        ...baseOffender,
        sex: 'female',
        livesWithOrHasSignificantContactWithChildren: true,
        childProtectionPlan: true,
        registeredSexOffender: true,
      },
    });
    const h = await start(sentence);
    const wf = workflowIdFor(sentence.sentenceId);
    const row = (s: SentenceState, n: number) => s.outputs.find((o) => o.row === n)!;

    // Rows 1 and 2 are delivered by the system at commencement, one message per applicable agency.
    const delivered = await eventually(
      () => h.query(stateQuery),
      (s) => row(s, 1).status === 'done' && row(s, 2).status === 'done',
      'rows 1 and 2 delivered',
    );
    expect(
      row(delivered, 2)
        .parts?.filter((p) => p.applies)
        .map((p) => [p.id, p.evidence[0]?.reference]),
    ).toEqual([
      ['csc', `${wf}/output/2.csc`],
      ['police-rso', `${wf}/output/2.police-rso`],
    ]);
    const sent = await fromStore.outputs(sentence.sentenceId);
    expect(sent.map((m) => [m.row, m.recipient, m.basis ?? null]).sort()).toEqual([
      [1, 'case-system', null],
      [2, 'csc', 'risk-to-children'],
      [2, 'police', 'registered-sex-offender'],
    ]);
    expect(Object.keys(sent.find((m) => m.row === 1)!).sort()).toEqual([
      'areaCode',
      'caseReference',
      'event',
      'idempotencyKey',
      'orderEnd',
      'orderType',
      'providerCode',
      'recipient',
      'row',
      'sentenceDate',
      'sentenceId',
    ]);

    // Allocation evidences row 3; row 4 on time; row 5 after its due date (late); row 6 never (overdue).
    await command(h, 'allocate', { offenderManagerId: 'OM010' });
    await command(h, 'record-output-evidence', {
      row: 4,
      by: 'OM010',
      what: 'offered a female offender manager',
      details: { choice: 'female-om' },
    });
    expect(await rejection(command(h, 'record-output-evidence', { row: 1, by: 'OM010', what: 'x' }))).toBe(
      'output 1 is delivered and evidenced by the system',
    );
    expect(await rejection(command(h, 'record-output-evidence', { row: 7, by: 'OM010', what: 'x', details: { support: 'x' } }))).toMatch(
      /^output 7 does not apply to this case/,
    );
    expect(await rejection(command(h, 'record-output-evidence', { row: 5, by: 'OM010', what: 'x' }))).toBe(
      'evidence for output 5 needs details: choice',
    );
    const faDue = addBusinessDays(sentenceDate, 5);
    await sleepUntil(londonEndOfDay(faDue) + 60_000);
    const overdue = await eventually(
      () => h.query(stateQuery),
      (s) => row(s, 6).status === 'overdue',
      'row 6 overdue',
    );
    expect(overdue.timeline.find((e) => e.event === 'output-overdue' && e.detail.startsWith('output 6 '))?.at).toBe(
      new Date(londonEndOfDay(faDue)).toISOString(),
    );
    expect(row(overdue, 4).status).toBe('done');
    await eventually(
      () => h.describe(),
      (d) => (d.typedSearchAttributes.get(SA.overdueOutputs) ?? 0) >= 2,
      'OverdueOutputs search attribute',
    );
    const lateOn = await today();
    const late = await command(h, 'record-output-evidence', {
      row: 5,
      by: 'OM010',
      what: 'offered a female-only environment',
      on: lateOn,
      details: { choice: 'accepted' },
    });
    expect(row(late, 5)).toMatchObject({ status: 'late', dueDate: faDue });
    const np = await command(h, 'record-output-not-possible', { row: 12, by: 'OM010', reason: 'scheme records unavailable' });
    expect(row(np, 12)).toMatchObject({ status: 'not-possible', notPossible: { reason: 'scheme records unavailable', by: 'OM010' } });

    // Circumstances change: RoSH high makes the home visit (row 11) apply; evidenced, it stays when RoSH falls back.
    expect(row(late, 11)).toMatchObject({ applies: false });
    const high = await command(h, 'change-circumstances', { offender: { roshLevel: 'high' } });
    expect(row(high, 11)).toMatchObject({ applies: true, reason: 'RoSH high' });
    expect(row(high, 33)).toMatchObject({ applies: true });
    await command(h, 'record-output-evidence', { row: 11, by: 'OM010', what: 'home visit', details: { visitOn: lateOn } });
    const lower = await command(h, 'change-circumstances', { offender: { roshLevel: 'medium' } });
    expect(row(lower, 11)).toMatchObject({
      applies: true,
      reason: 'RoSH medium, and no professional judgement recorded that home visits are needed; kept: already evidenced',
    });
    expect(row(lower, 33)).toMatchObject({ applies: false });
    expect(lower.timeline.filter((e) => e.event === 'output-no-longer-applies').map((e) => e.detail)).toEqual([
      'output 33: RoSH medium, and no professional judgement recorded that home visits are needed',
    ]);

    // Termination delivers row 35; closure delivers row 36 and evidences the end-of-sentence review (row 34).
    await command(h, 'terminate', { reason: 'revoked' });
    await command(h, 'complete-end-of-sentence-review', {});
    const final = await h.result();
    expect([34, 35, 36].map((n) => row(final, n).status)).toEqual(['done', 'done', 'done']);
    expect((await fromStore.outputs(sentence.sentenceId)).map((m) => m.event)).toEqual(
      expect.arrayContaining(['case-terminated', 'case-closed']),
    );
    await recordHistory('co-outputs', ctx.env.client, h.workflowId, h.firstExecutionRunId);
  });

  it('rejects a command that is not valid in the current phase and leaves the case unchanged', async () => {
    const sentenceDate = await today();
    const h = await start(communityOrder(sentenceDate, periodEnd(sentenceDate, 12)));
    // The case record (row 1) is delivered at commencement; wait for it so that nothing else moves the state.
    const before = await eventually(
      () => h.query(stateQuery),
      (s) => s.outputs.find((o) => o.row === 1)?.status === 'done',
      'row 1 delivered',
    );
    const error = await command(h, 'complete-plan', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (error as WorkflowUpdateFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe(COMMAND_REJECTED);
    expect(cause?.message).toBe('complete-plan is not valid in phase commenced (valid in: inducted)');
    expect(await h.query(stateQuery)).toEqual(before);
    expect(await rejection(command(h, 'allocate', { offenderManagerId: 'OM9', allocatedOn: addDays(sentenceDate, 1) }))).toMatch(
      /in the future/,
    );
    expect((await command(h, 'allocate', { offenderManagerId: 'OM9' })).phase).toBe('allocated');
    expect((await closeSentence(h)).phase).toBe('closed');
  });
});
