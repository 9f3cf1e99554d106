// The paths a sentence takes over years, on the time-skipping server, each recorded for the replay corpus: a review
// going overdue and the run continuing as new on its timer, the continue-as-new wait timing out while a delivery is
// retried, the order ending on its own timer, every court outcome and appointment outcome, transfers that do not
// happen, a rejected signal, an SSO's operational period outliving its supervision period, an alert retried, and a
// three-year order with weekly contact from commencement to closure.
//
// Dates: every test first moves its server's clock to the first Monday of October on or after today (10:00 London)
// and sentences on that day (A). From there the business-day timescales checked below can be counted by hand for any
// year: October to mid-December has no bank holiday in England and Wales, so from a Monday 2 business days is the
// Wednesday (+2 days), 5 the next Monday (+7), 10 the Monday after (+14), 15 (+21) and 20 (+28); from a Thursday 10
// business days is the Thursday two weeks on (+14). A + 112 days (the 16-week review) is a Monday between 21 and 27
// January, and 5 business days after it the next Monday (+7); A + 140 days is a Monday in late February, and 10
// business days after it (+14) falls before Good Friday (20 March at the earliest).
import type { WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import protos from '@temporalio/proto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Alert, OutputMessage } from '../../activities/index.ts';
import { commandSignals, stateQuery, type SignalArgs } from '../../contracts/index.ts';
import { addDays, londonEndOfDay, periodEnd, weekday, type IsoDate } from '../../domain/dates.ts';
import type { SentenceState } from '../../domain/lifecycle.ts';
import type { Actor } from '../../domain/state.ts';
import type { SentenceInput } from '../../domain/sentence.ts';
import { sentenceWorkflow } from '../../workflows/index.ts';
import { morningOf, serverClock } from '../support/clock.ts';
import { testDeps } from '../support/deps.ts';
import { communityOrder, suspendedSentence, transferRequest } from '../support/fixtures.ts';
import { flakyOutbox } from '../support/flaky.ts';
import { decodeHistory, recordHistory } from '../support/history.ts';
import { eventually } from '../support/poll.ts';
import { closeSentence, startSentenceWorkflow, useTimeSkippingWorker } from '../support/temporal.ts';
import { commandsFor, rejection } from '../support/commands.ts';

/** Orders that end at their end date: no unpaid work hours outstanding (those keep an order in force, s.220: lifecycle.test.ts). */
const NO_UNPAID_WORK = { requirements: [{ type: 'rehabilitation-activity' as const, maxDays: 20 }] };
const { temporal } = protos;
const History = temporal.api.history.v1.History;
type IHistory = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;

const deps = testDeps();
// The store's own outboxes, made to fail on demand; what landed is read back from the store (deps.sent).
const alerts = flakyOutbox<Alert>(deps.alerts, 'alerts channel unavailable (503)');
const outputs = flakyOutbox<OutputMessage>(deps.outputs, 'agency endpoint unavailable (503)');
const ctx = useTimeSkippingWorker({ ...deps, alerts, outputs });
const { today, sleepUntil } = serverClock(ctx);

beforeEach(() => {
  alerts.heal();
  outputs.heal();
});

type Handle = WorkflowHandleWithFirstExecutionRunId<typeof sentenceWorkflow>;

/** Moves the clock to 10:00 London on the first Monday of October on or after today, and returns that date. */
async function firstMondayOfOctober(): Promise<IsoDate> {
  let d = await today();
  while (!(d.slice(5, 7) === '10' && Number(d.slice(8, 10)) <= 7 && weekday(d) === 1)) d = addDays(d, 1);
  await sleepUntil(morningOf(d));
  return d;
}

/** Starts a sentence; `cmd` sends a command as an Update and returns the state it left. */
async function start(sentence: SentenceInput) {
  const h = await startSentenceWorkflow(ctx.env.client, sentence);
  const cmd = commandsFor(h);
  return { h, cmd, state: () => h.query(stateQuery) };
}

/** A sentence allocated to OM1, with its first appointment and plan on the day it starts. */
async function supervised(sentence: SentenceInput) {
  const c = await start(sentence);
  await c.cmd('allocate', { offenderManagerId: 'OM1' });
  await c.cmd('record-first-appointment', {});
  await c.cmd('complete-plan', {});
  return c;
}

/**
 * Waits until the workflow has continued as new from run `runId`, and returns the new run's id. It asks the server
 * (describe), not the worker: a query that reaches a run as it completes leaves a workflow task of a completed run
 * behind, and the time-skipping server then stops skipping time for good (seen in this file before this wait).
 */
async function continuedFrom(h: Handle, runId: string): Promise<string> {
  return (
    await eventually(
      () => h.describe(),
      (d) => d.runId !== runId,
      `continue-as-new from run ${runId}`,
    )
  ).runId;
}

/** Completes every regular review on its due date, up to `through`. Returns how many were completed. */
async function reviewOnTime(c: Awaited<ReturnType<typeof start>>, through: IsoDate): Promise<number> {
  let n = 0;
  for (;;) {
    const due = (await c.state()).deadlines.find((d) => d.kind === 'review' && d.status === 'pending');
    if (!due || due.dueDate > through) return n;
    await sleepUntil(morningOf(due.dueDate));
    const run = (await c.h.describe()).runId;
    await c.cmd('complete-review', { completedOn: due.dueDate });
    await continuedFrom(c.h, run); // every review continues as new
    n++;
  }
}

/** Books an appointment on `date` and, on that day, records it as an unacceptable absence referred to court with
 * breach action taken: the court's outcome can then be recorded. */
async function breach(c: Awaited<ReturnType<typeof start>>, appointmentId: string, date: IsoDate): Promise<void> {
  await sleepUntil(morningOf(date));
  await c.cmd('record-appointment', { appointmentId, date });
  await c.cmd('record-appointment-outcome', { appointmentId, outcome: 'unacceptable-absence' });
  await c.cmd('record-enforcement-decision', { appointmentId, decision: 'referral' });
  await c.cmd('record-breach-action', { appointmentId });
}

/** The reason a command was refused (the validator's message). */
const refusal = rejection;

/** Every run of a workflow, first to last, following continue-as-new. */
async function runs(h: Handle): Promise<{ runId: string; history: IHistory; events: number; bytes: number }[]> {
  const out: { runId: string; history: IHistory; events: number; bytes: number }[] = [];
  let runId: string | null | undefined = h.firstExecutionRunId;
  while (runId) {
    const raw = await ctx.env.client.workflow.getHandle(h.workflowId, runId).fetchHistory();
    const json = JSON.stringify(History.toObject(History.fromObject(raw), { longs: String, enums: String, bytes: String }));
    // Sizes as stored (encrypted); contents as the keys read them.
    const history = decodeHistory(raw);
    out.push({ runId, history, events: history.events?.length ?? 0, bytes: Buffer.byteLength(json) });
    runId = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
  }
  return out;
}

/** The summary of each timer that fired in a run, in order (undefined for a timer without one: a condition's timeout). */
function firedTimers(history: IHistory): (string | undefined)[] {
  const events = history.events ?? [];
  const started = new Map(events.filter((e) => e.timerStartedEventAttributes).map((e) => [String(e.eventId), e]));
  return events
    .filter((e) => e.timerFiredEventAttributes)
    .map((e) => {
      const summary = started.get(String(e.timerFiredEventAttributes!.startedEventId))?.userMetadata?.summary;
      return summary ? defaultPayloadConverter.fromPayload<string>(summary as Payload) : undefined;
    });
}

const iso = (ms: number) => new Date(ms).toISOString();
const events = (s: SentenceState, event: string) => s.timeline.filter((e) => e.event === event);
const sentenceIdOf = (h: Handle) => h.workflowId.replace(/^sentence-/, '');
const alertsFor = async (h: Handle, key: string) =>
  (await deps.sent.alerts(sentenceIdOf(h))).filter((a) => a.idempotencyKey === `${h.workflowId}/${key}`);
const seconds = (t0: number) => `${((performance.now() - t0) / 1000).toFixed(2)} s`;

describe('continue-as-new over the years (time-skipping server)', () => {
  it('a review not recorded by its due date is overdue, alerted, and the run continues as new on its timer', async () => {
    const t0 = performance.now();
    const A = await firstMondayOfOctober();
    const c = await supervised(communityOrder(A, periodEnd(A, 12)));
    const review = addDays(A, 112); // a Monday in late January: due on the day itself
    expect((await c.state()).deadlines.find((d) => d.id === 'review-1')).toMatchObject({ dueDate: review, status: 'pending' });

    await sleepUntil(londonEndOfDay(review) - 3_600_000); // 23:00 on the due day
    const before = await c.state();
    expect(before.deadlines.find((d) => d.id === 'review-1')?.status).toBe('pending');
    expect(before.runs).toBe(0);

    await sleepUntil(londonEndOfDay(review) + 60_000);
    const secondRun = await continuedFrom(c.h, c.h.firstExecutionRunId);
    const after = await c.state();
    expect(after.runs).toBe(1);
    expect(after.deadlines.find((d) => d.id === 'review-1')).toMatchObject({
      status: 'overdue',
      overdueSince: iso(londonEndOfDay(review)),
    });
    expect(events(after, 'deadline-overdue').map((e) => [e.at, e.detail])).toEqual([
      [iso(londonEndOfDay(review)), `Review 1 of the plan (16-week cycle): due ${review}, not done`],
    ]);
    expect(events(after, 'commenced')).toHaveLength(1); // the whole state was carried into the new run
    const overdueAlerts = await eventually(
      async () => alertsFor(c.h, 'deadline-overdue/review-1'),
      (a) => a.length === 1,
      'review alert',
    );
    expect(overdueAlerts[0]).toMatchObject({
      kind: 'deadline-overdue',
      dueDate: review,
      overdueSince: iso(londonEndOfDay(review)),
      offenderManagerId: 'OM1',
    });
    const [first] = await runs(c.h);
    expect(firedTimers(first!.history)).toContain(`Review 1 of the plan (16-week cycle): due ${review}`);
    expect(first!.history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();

    // The case carries on in the new run: the review done the next day is late by one business day.
    await sleepUntil(morningOf(addDays(review, 1)));
    const late = await c.cmd('complete-review', { completedOn: addDays(review, 1) });
    expect(late.deadlines.find((d) => d.id === 'review-1')).toMatchObject({ status: 'met-late', businessDaysLate: 1 });
    expect(late.deadlines.find((d) => d.id === 'review-2')).toMatchObject({ dueDate: addDays(review, 113), status: 'pending' });
    await continuedFrom(c.h, secondRun);
    expect((await c.state()).runs).toBe(2);
    const final = await closeSentence(c.h);
    expect(final.phase).toBe('closed');
    expect(final.runs).toBe(2);
    expect(await alertsFor(c.h, 'deadline-overdue/review-1')).toHaveLength(1);
    console.log(`[durability] review-overdue-can: ${seconds(t0)}`);
    await recordHistory('review-overdue-can', ctx.env.client, c.h.workflowId, c.h.firstExecutionRunId);
  });

  it('continue-as-new waits for a delivery being retried only until the next wake-up, and the case carries on', async () => {
    const t0 = performance.now();
    const A = await firstMondayOfOctober();
    const c = await supervised(communityOrder(A, periodEnd(A, 12)));
    const review = addDays(A, 112);
    const key = `${c.h.workflowId}/notification/22-1`;
    outputs.failWhen((m) => m.idempotencyKey === key); // the NPS's endpoint is down until healed

    // On the review's due day the officer refers the case to the NPS (row 22): that delivery keeps failing.
    await sleepUntil(morningOf(review));
    const referred = await c.cmd('refer-to-nps', { reasonCode: 'officer-concern', by: 'OM1' });
    const decisionDue = addDays(review, 7); // 5 business days after a Monday in late January
    expect(referred.deadlines.find((d) => d.id === 'nps-decision-1')).toMatchObject({ dueDate: decisionDue, status: 'pending' });

    // The review goes overdue: continue-as-new is asked for, but the delivery is in flight, so the run waits.
    await sleepUntil(londonEndOfDay(review) + 60_000);
    const waiting = await eventually(
      c.state,
      (s) => s.deadlines.some((d) => d.id === 'review-1' && d.status === 'overdue'),
      'review overdue',
    );
    expect(waiting.runs).toBe(0);
    expect(waiting.notifications).toEqual([expect.objectContaining({ id: '22-1', row: 22, recipient: 'nps' })]);
    expect(waiting.notifications[0]?.delivered).toBeUndefined();

    // The wait times out at each wake-up: row 22 (due one business day after the referral) is overdue at the end of
    // the Tuesday, and the NPS decision deadline at the end of its own day, all in the run that is waiting.
    await sleepUntil(londonEndOfDay(decisionDue) + 60_000);
    const later = await eventually(
      c.state,
      (s) => s.deadlines.some((d) => d.id === 'nps-decision-1' && d.status === 'overdue'),
      'NPS decision overdue',
    );
    expect(later.deadlines.find((d) => d.id === 'nps-decision-1')?.overdueSince).toBe(iso(londonEndOfDay(decisionDue)));
    expect(later.runs).toBe(0);
    expect(later.notifications[0]?.delivered).toBeUndefined();
    expect(
      events(later, 'output-overdue')
        .filter((e) => e.detail.startsWith('output 22 '))
        .map((e) => e.at),
    ).toEqual([iso(londonEndOfDay(addDays(review, 1)))]);
    await eventually(
      async () => alertsFor(c.h, 'deadline-overdue/nps-decision-1'),
      (a) => a.length === 1,
      'NPS decision alert',
    );
    const failedSoFar = outputs.attemptsFor(key).length;
    expect(failedSoFar).toBeGreaterThan(100); // retried every 5 minutes for a week
    expect(outputs.attemptsFor(key).every((a) => a.failed)).toBe(true);

    // The endpoint recovers: the next retry lands, and with nothing left in flight the run continues as new.
    outputs.heal();
    await sleepUntil((await ctx.env.currentTimeMs()) + 10 * 60_000);
    await continuedFrom(c.h, c.h.firstExecutionRunId);
    const continued = await c.state();
    expect(continued.runs).toBe(1);
    expect(continued.notifications[0]?.delivered?.reference).toBe(key);
    expect((await deps.sent.outputs(sentenceIdOf(c.h))).filter((m) => m.idempotencyKey === key)).toHaveLength(1);
    expect(outputs.attemptsFor(key).filter((a) => !a.failed)).toHaveLength(1);
    const [first] = await runs(c.h);
    const timeouts = firedTimers(first!.history).filter((t) => t === undefined);
    expect(timeouts).toHaveLength(2); // the wait timed out at both wake-ups (row 22, the NPS decision) before the delivery landed
    expect(first!.history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();

    const final = await closeSentence(c.h);
    expect(final.phase).toBe('closed');
    expect(final.runs).toBe(1);
    console.log(
      `[durability] can-wait-timeout: ${seconds(t0)} (${failedSoFar} failed delivery attempts, ${timeouts.length} wait timeouts)`,
    );
    await recordHistory('can-wait-timeout', ctx.env.client, c.h.workflowId, c.h.firstExecutionRunId);
  });
});

describe('timers that end an order (time-skipping server)', () => {
  it('a CO ends on its own timer at the end of its end date; the end-of-sentence review closes it', async () => {
    const t0 = performance.now();
    const A = await firstMondayOfOctober();
    const end = addDays(A, 140); // a Monday in late February
    const c = await start(communityOrder(A, end, NO_UNPAID_WORK));
    await c.cmd('allocate', { offenderManagerId: 'OM1' });

    await sleepUntil(londonEndOfDay(end) - 3_600_000);
    const before = await c.state();
    expect(before.phase).toBe('allocated');
    expect(before.termination).toBeUndefined();

    await sleepUntil(londonEndOfDay(end) + 60_000);
    const s = await eventually(c.state, (x) => x.phase === 'terminated', 'terminated at the end of the order');
    expect(s.termination).toEqual({ reason: 'end-of-order', on: end });
    expect(events(s, 'terminated').map((e) => [e.at, e.detail])).toEqual([
      [iso(londonEndOfDay(end)), `terminated on ${end}: end-of-order`],
    ]);
    // The first appointment never held: overdue 5 business days after sentence, missed once the order ended.
    expect(s.deadlines.find((d) => d.id === 'first-appointment')).toMatchObject({ dueDate: addDays(A, 7), status: 'missed' });
    expect(s.deadlines.find((d) => d.id === 'end-of-sentence-review')).toMatchObject({ dueDate: addDays(end, 14), status: 'pending' });

    await sleepUntil(morningOf(addDays(end, 3)));
    await c.cmd('complete-end-of-sentence-review', {});
    const final = await c.h.result();
    expect(final.phase).toBe('closed');
    expect(final.deadlines.find((d) => d.id === 'end-of-sentence-review')).toMatchObject({ status: 'met', metOn: addDays(end, 3) });
    expect(final.milestones.closedOn).toBe(addDays(end, 3));
    console.log(`[durability] order-end-timer: ${seconds(t0)}`);
    await recordHistory('order-end-timer', ctx.env.client, c.h.workflowId, c.h.firstExecutionRunId);
  });

  it('an SSO runs on after its supervision period to the end of its operational period', async () => {
    const t0 = performance.now();
    const A = await firstMondayOfOctober();
    const c = await supervised(suspendedSentence(A, 12, 8));
    const supervisionEnd = periodEnd(A, 8);
    const orderEnd = periodEnd(A, 12);
    const s0 = await c.state();
    expect(s0.dates).toEqual({ sentenceDate: A, supervisionEnd, orderEnd });

    // Two 16-week reviews fit in the 8 months of supervision (the third would fall in September).
    expect(await reviewOnTime(c, supervisionEnd)).toBe(2);
    const afterReviews = await c.state();
    expect(afterReviews.deadlines.filter((d) => d.kind === 'review').map((d) => [d.id, d.dueDate, d.status])).toEqual([
      ['review-1', addDays(A, 112), 'met'],
      ['review-2', addDays(A, 224), 'met'],
    ]);

    // A significant change three days before supervision ends: its review would be due after it ended.
    await sleepUntil(morningOf(addDays(supervisionEnd, -3)));
    await c.cmd('record-significant-change', { changeCode: 'ADDRESS' });
    await sleepUntil(londonEndOfDay(supervisionEnd) + 60_000);
    const ended = await eventually(c.state, (x) => x.supervisionEnded, 'end of supervision');
    expect(ended.phase).toBe('supervision');
    expect(ended.milestones.supervisionEndedOn).toBe(supervisionEnd);
    expect(events(ended, 'supervision-period-ended').map((e) => e.at)).toEqual([iso(londonEndOfDay(supervisionEnd))]);
    expect(ended.deadlines.find((d) => d.id === 'significant-change-review-1')?.status).toBe('cancelled');
    expect(await refusal(c.cmd('complete-review', {}))).toBe(
      `complete-review is not valid after the supervision period ended on ${supervisionEnd}`,
    );
    expect(await refusal(c.cmd('record-significant-change', { changeCode: 'JOB' }))).toBe(
      `record-significant-change is not valid after the supervision period ended on ${supervisionEnd}`,
    );

    // Statutory involvement ended with supervision (rules 2): the end-of-sentence review is due now, and done; the
    // case stays open.
    expect(ended.deadlines.filter((d) => d.status === 'pending').map((d) => d.id)).toEqual(['end-of-supervision-review']);
    expect((await c.cmd('complete-end-of-sentence-review', {})).phase).toBe('supervision');

    // Past where a third review would have fallen: nothing falls due, nothing goes overdue; the order still runs.
    await sleepUntil(londonEndOfDay(addDays(A, 336)) + 60_000);
    const quiet = await c.state();
    expect(quiet.phase).toBe('supervision');
    expect(quiet.deadlines.filter((d) => d.status === 'pending' || d.status === 'overdue')).toEqual([]);
    expect(events(quiet, 'deadline-overdue')).toEqual([]);

    await sleepUntil(londonEndOfDay(orderEnd) - 3_600_000);
    expect((await c.state()).phase).toBe('supervision');
    await sleepUntil(londonEndOfDay(orderEnd) + 60_000);
    // The review was done: the case closes as the operational period ends.
    const final = await c.h.result();
    expect(final.termination).toEqual({ reason: 'end-of-order', on: orderEnd });
    expect(events(final, 'terminated').map((e) => e.at)).toEqual([iso(londonEndOfDay(orderEnd))]);
    expect(final.phase).toBe('closed');
    expect(final.milestones.closedOn).toBe(orderEnd);
    expect(final.runs).toBe(2);
    expect(events(final, 'deadline-overdue')).toEqual([]);
    console.log(`[durability] sso-operational-period: ${seconds(t0)}`);
    await recordHistory('sso-operational-period', ctx.env.client, c.h.workflowId, c.h.firstExecutionRunId);
  });
});

describe('court outcomes on breach (time-skipping server)', () => {
  it('a CO: the order continues, continues with a fine, has its requirements amended', async () => {
    const t0 = performance.now();
    const A = await firstMondayOfOctober();
    const orderEnd = periodEnd(A, 12);
    const c = await supervised(communityOrder(A, orderEnd));

    await breach(c, 'f1', addDays(A, 7));
    await sleepUntil(morningOf(addDays(A, 10)));
    expect(await refusal(c.cmd('record-court-outcome', { appointmentId: 'f1', outcome: 'sso-activated' }))).toBe(
      'sso-activated applies to a suspended sentence order only',
    );
    expect(await refusal(c.cmd('record-court-outcome', { appointmentId: 'f1', outcome: 'sso-not-activated', reasonCode: 'x' }))).toBe(
      'sso-not-activated applies to a suspended sentence order only',
    );
    await c.cmd('record-court-outcome', { appointmentId: 'f1', outcome: 'order-continues' });

    await breach(c, 'f2', addDays(A, 14));
    await sleepUntil(morningOf(addDays(A, 17)));
    await c.cmd('record-court-outcome', { appointmentId: 'f2', outcome: 'order-continues-with-fine' });

    await breach(c, 'f3', addDays(A, 21));
    await sleepUntil(morningOf(addDays(A, 24))); // a Thursday
    expect(await refusal(c.cmd('record-court-outcome', { appointmentId: 'f3', outcome: 'requirements-amended' }))).toBe(
      'the amended requirements (requirements) go with the outcome requirements-amended, and only with it',
    );
    const amended = await c.cmd('record-court-outcome', {
      appointmentId: 'f3',
      outcome: 'requirements-amended',
      requirements: [
        { type: 'unpaid-work', hours: 160 },
        { type: 'curfew', hoursPerDay: 8, daysPerWeek: 7, months: 3 },
      ],
    });
    expect(amended.sentence.requirements).toEqual([
      { type: 'unpaid-work', hours: 160 },
      { type: 'curfew', hoursPerDay: 8, daysPerWeek: 7, months: 3 },
    ]);
    expect(events(amended, 'requirements-amended').map((e) => e.detail)).toEqual([
      `requirements amended on ${addDays(A, 24)}: unpaid-work, rehabilitation-activity → unpaid-work, curfew`,
    ]);
    // An amendment is a significant change: a review within 10 business days (a Thursday two weeks on).
    expect(amended.deadlines.find((d) => d.id === 'significant-change-review-1')).toMatchObject({
      dueDate: addDays(A, 38),
      status: 'pending',
    });
    expect(amended.compliance.courtOutcomes).toEqual([
      { appointmentId: 'f1', outcome: 'order-continues', on: addDays(A, 10) },
      { appointmentId: 'f2', outcome: 'order-continues-with-fine', on: addDays(A, 17) },
      { appointmentId: 'f3', outcome: 'requirements-amended', on: addDays(A, 24) },
    ]);
    expect(amended.deadlines.filter((d) => d.kind === 'breach-action').map((d) => [d.id, d.dueDate, d.status])).toEqual([
      ['breach-f1', addDays(A, 21), 'met'],
      ['breach-f2', addDays(A, 28), 'met'],
      ['breach-f3', addDays(A, 35), 'met'],
    ]);
    expect(amended.phase).toBe('plan-agreed');
    expect(amended.termination).toBeUndefined();
    expect(amended.dates.orderEnd).toBe(orderEnd);
    expect(await refusal(c.cmd('record-court-outcome', { appointmentId: 'f3', outcome: 'order-continues' }))).toBe(
      "the court's outcome for appointment f3 is already recorded",
    );

    const final = await closeSentence(c.h);
    expect(final.phase).toBe('closed');
    expect(final.termination?.reason).toBe('revoked');
    console.log(`[durability] court-outcomes-co: ${seconds(t0)}`);
    await recordHistory('court-outcomes-co', ctx.env.client, c.h.workflowId, c.h.firstExecutionRunId);
  });

  it('a CO extended on breach (once, by 1 to 6 months) ends by its timer on the new end date', async () => {
    const t0 = performance.now();
    const A = await firstMondayOfOctober();
    const originalEnd = periodEnd(A, 4);
    const newEnd = periodEnd(A, 6);
    const c = await supervised(communityOrder(A, originalEnd, NO_UNPAID_WORK));

    await breach(c, 'f1', addDays(A, 7));
    await sleepUntil(morningOf(addDays(A, 10)));
    expect(await refusal(c.cmd('record-court-outcome', { appointmentId: 'f1', outcome: 'order-extended', extendMonths: 7 }))).toBe(
      'an extension is 1 to 6 months',
    );
    expect(await refusal(c.cmd('record-court-outcome', { appointmentId: 'f1', outcome: 'order-extended' }))).toBe(
      'an extension is 1 to 6 months',
    );
    const extended = await c.cmd('record-court-outcome', { appointmentId: 'f1', outcome: 'order-extended', extendMonths: 2 });
    expect(extended.dates.orderEnd).toBe(newEnd);
    expect(events(extended, 'order-extended').map((e) => e.detail)).toEqual([
      `order extended by 2 months: ends ${newEnd} (was ${originalEnd})`,
    ]);
    expect(extended.compliance.courtOutcomes).toEqual([
      { appointmentId: 'f1', outcome: 'order-extended', on: addDays(A, 10), extendMonths: 2 },
    ]);

    await breach(c, 'f2', addDays(A, 14));
    expect(await refusal(c.cmd('record-court-outcome', { appointmentId: 'f2', outcome: 'order-extended', extendMonths: 1 }))).toBe(
      'a community order may be extended only once',
    );
    await c.cmd('record-court-outcome', { appointmentId: 'f2', outcome: 'order-continues' });

    expect(await reviewOnTime(c, newEnd)).toBe(1); // week 16; week 32 is after the new end
    await sleepUntil(londonEndOfDay(originalEnd) + 60_000);
    const running = await c.state();
    expect(running.phase).toBe('supervision');
    expect(running.termination).toBeUndefined();

    await sleepUntil(londonEndOfDay(newEnd) + 60_000);
    const s = await eventually(c.state, (x) => x.phase === 'terminated', 'terminated at the new end date');
    expect(s.termination).toEqual({ reason: 'end-of-order', on: newEnd });
    expect(events(s, 'terminated').map((e) => e.at)).toEqual([iso(londonEndOfDay(newEnd))]);
    await c.cmd('complete-end-of-sentence-review', {});
    const final = await c.h.result();
    expect(final.phase).toBe('closed');
    expect(final.runs).toBe(1);
    console.log(`[durability] court-order-extended: ${seconds(t0)}`);
    await recordHistory('court-order-extended', ctx.env.client, c.h.workflowId, c.h.firstExecutionRunId);
  });

  it('a CO revoked and the offender re-sentenced: terminated that day', async () => {
    const t0 = performance.now();
    const A = await firstMondayOfOctober();
    const c = await supervised(communityOrder(A, periodEnd(A, 12)));
    await breach(c, 'f1', addDays(A, 7));
    await sleepUntil(morningOf(addDays(A, 10))); // a Thursday
    const s = await c.cmd('record-court-outcome', { appointmentId: 'f1', outcome: 'revoked-and-resentenced' });
    expect(s.phase).toBe('terminated');
    expect(s.termination).toEqual({ reason: 'revoked-and-resentenced', on: addDays(A, 10) });
    expect(s.deadlines.find((d) => d.id === 'review-1')?.status).toBe('cancelled');
    expect(s.deadlines.find((d) => d.id === 'end-of-sentence-review')).toMatchObject({ dueDate: addDays(A, 24), status: 'pending' });
    expect(await refusal(c.cmd('record-appointment', { appointmentId: 'f2', date: addDays(A, 14) }))).toBe(
      'record-appointment is not valid in phase terminated (valid in: commenced, allocated, inducted, plan-agreed, supervision)',
    );
    await c.cmd('complete-end-of-sentence-review', {});
    const final = await c.h.result();
    expect(final.phase).toBe('closed');
    expect(final.termination).toEqual({ reason: 'revoked-and-resentenced', on: addDays(A, 10) });
    console.log(`[durability] court-revoked: ${seconds(t0)}`);
    await recordHistory('court-revoked', ctx.env.client, c.h.workflowId, c.h.firstExecutionRunId);
  });

  it('an SSO: not activated (with the reason), then activated: terminated', async () => {
    const t0 = performance.now();
    const A = await firstMondayOfOctober();
    const c = await supervised(suspendedSentence(A, 24, 12));

    await breach(c, 'f1', addDays(A, 7));
    await sleepUntil(morningOf(addDays(A, 10)));
    expect(await refusal(c.cmd('record-court-outcome', { appointmentId: 'f1', outcome: 'order-extended', extendMonths: 2 }))).toBe(
      'order-extended applies to a community order only',
    );
    expect(await refusal(c.cmd('record-court-outcome', { appointmentId: 'f1', outcome: 'revoked-and-resentenced' }))).toBe(
      'revoked-and-resentenced applies to a community order only',
    );
    expect(await refusal(c.cmd('record-court-outcome', { appointmentId: 'f1', outcome: 'sso-not-activated' }))).toBe(
      'the court gives its reason for not activating the sentence (reasonCode)',
    );
    const kept = await c.cmd('record-court-outcome', { appointmentId: 'f1', outcome: 'sso-not-activated', reasonCode: 'good-progress' });
    expect(kept.termination).toBeUndefined();
    expect(kept.phase).toBe('plan-agreed');
    expect(events(kept, 'court-outcome').map((e) => e.detail)).toEqual([
      `court outcome on ${addDays(A, 10)} for the failure at appointment f1: sso-not-activated (good-progress)`,
    ]);

    await breach(c, 'f2', addDays(A, 14));
    await sleepUntil(morningOf(addDays(A, 17)));
    const activated = await c.cmd('record-court-outcome', { appointmentId: 'f2', outcome: 'sso-activated' });
    expect(activated.phase).toBe('terminated');
    expect(activated.termination).toEqual({ reason: 'sso-activated', on: addDays(A, 17) });
    expect(activated.compliance.courtOutcomes).toEqual([
      { appointmentId: 'f1', outcome: 'sso-not-activated', on: addDays(A, 10), reasonCode: 'good-progress' },
      { appointmentId: 'f2', outcome: 'sso-activated', on: addDays(A, 17) },
    ]);
    await c.cmd('complete-end-of-sentence-review', {});
    const final = await c.h.result();
    expect(final.phase).toBe('closed');
    console.log(`[durability] court-outcomes-sso: ${seconds(t0)}`);
    await recordHistory('court-outcomes-sso', ctx.env.client, c.h.workflowId, c.h.firstExecutionRunId);
  });
});

describe('appointments (time-skipping server)', () => {
  it('records every appointment outcome, a warning, a referral when a warning is no longer allowed, and a late outcome', async () => {
    const t0 = performance.now();
    const A = await firstMondayOfOctober();
    const c = await supervised(communityOrder(A, periodEnd(A, 12)));
    const on = (week: number) => addDays(A, 7 * week); // Mondays
    for (let w = 1; w <= 6; w++) await c.cmd('record-appointment', { appointmentId: `a${w}`, date: on(w) });
    expect((await c.state()).deadlines.find((d) => d.id === 'outcome-a1')).toMatchObject({ dueDate: addDays(on(1), 2), status: 'pending' });

    await sleepUntil(morningOf(on(1)));
    await c.cmd('record-appointment-outcome', { appointmentId: 'a1', outcome: 'attended-complied' });

    await sleepUntil(morningOf(on(2)));
    await c.cmd('record-appointment-outcome', { appointmentId: 'a2', outcome: 'attended-failed-to-comply' });
    const warned = await c.cmd('record-enforcement-decision', {
      appointmentId: 'a2',
      decision: 'warning',
      circumstances: 'did not attend and gave no reason',
    });
    expect(warned.compliance.warnings).toEqual([
      { givenOn: on(2), failureId: 'a2', content: expect.objectContaining({ circumstances: 'did not attend and gave no reason' }) },
    ]);

    await sleepUntil(morningOf(on(3)));
    expect(await refusal(c.cmd('record-appointment-outcome', { appointmentId: 'a3', outcome: 'acceptable-absence' }))).toBe(
      'an acceptable absence needs its reason',
    );
    await c.cmd('record-appointment-outcome', {
      appointmentId: 'a3',
      outcome: 'acceptable-absence',
      reason: 'hospital appointment',
      evidenceReference: 'HOSPITAL-LETTER',
    });

    await sleepUntil(morningOf(on(4)));
    await c.cmd('record-appointment-outcome', { appointmentId: 'a4', outcome: 'unacceptable-absence' });
    expect(
      await refusal(
        c.cmd('record-enforcement-decision', {
          appointmentId: 'a4',
          decision: 'warning',
          circumstances: 'did not attend and gave no reason',
        }),
      ),
    ).toBe(
      `a warning is not allowed: a warning was given on ${on(2)}, within the 12 months before this decision on ${on(4)} (Sentencing Act 2020 Sch 10 para 6(2)): the matter must be referred to an enforcement officer`,
    );
    const referred = await c.cmd('record-enforcement-decision', { appointmentId: 'a4', decision: 'referral' });
    expect(referred.deadlines.find((d) => d.id === 'breach-a4')).toMatchObject({ dueDate: addDays(on(4), 14), status: 'pending' });

    await sleepUntil(morningOf(on(5)));
    await c.cmd('record-appointment-outcome', { appointmentId: 'a5', outcome: 'rescheduled' });
    await c.cmd('record-breach-action', { appointmentId: 'a4' });

    // a6's outcome is not recorded within 2 business days (by the Wednesday): overdue, alerted, then recorded late.
    const a6Due = addDays(on(6), 2);
    await sleepUntil(londonEndOfDay(a6Due) + 60_000);
    const overdue = await eventually(
      c.state,
      (x) => x.deadlines.some((d) => d.id === 'outcome-a6' && d.status === 'overdue'),
      'outcome of a6 overdue',
    );
    expect(overdue.deadlines.find((d) => d.id === 'outcome-a6')?.overdueSince).toBe(iso(londonEndOfDay(a6Due)));
    await eventually(
      async () => alertsFor(c.h, 'deadline-overdue/outcome-a6'),
      (a) => a.length === 1,
      'a6 alert',
    );
    await sleepUntil(morningOf(addDays(a6Due, 1)));
    const s = await c.cmd('record-appointment-outcome', { appointmentId: 'a6', outcome: 'attended-complied' });

    expect(s.compliance.appointments.map((a) => [a.id, a.date, a.outcome, a.outcomeRecordedOn, a.reason ?? null])).toEqual([
      ['a1', on(1), 'attended-complied', on(1), null],
      ['a2', on(2), 'attended-failed-to-comply', on(2), null],
      ['a3', on(3), 'acceptable-absence', on(3), 'hospital appointment'],
      ['a4', on(4), 'unacceptable-absence', on(4), null],
      ['a5', on(5), 'rescheduled', on(5), null],
      ['a6', on(6), 'attended-complied', addDays(on(6), 3), null],
    ]);
    expect(s.compliance.failures).toEqual([
      { appointmentId: 'a2', on: on(2), awareOn: on(2), decision: { type: 'warning', on: on(2) } },
      { appointmentId: 'a4', on: on(4), awareOn: on(4), decision: { type: 'referral', on: on(4) } },
    ]);
    expect(s.deadlines.filter((d) => d.kind === 'appointment-outcome').map((d) => [d.id, d.status, d.businessDaysLate ?? 0])).toEqual([
      ['outcome-a1', 'met', 0],
      ['outcome-a2', 'met', 0],
      ['outcome-a3', 'met', 0],
      ['outcome-a4', 'met', 0],
      ['outcome-a5', 'met', 0],
      ['outcome-a6', 'met-late', 1],
    ]);
    expect(s.deadlines.find((d) => d.id === 'breach-a4')).toMatchObject({ status: 'met', metOn: on(5) });
    expect(events(s, 'warning-given')).toHaveLength(1);
    expect(events(s, 'breach-referral')).toHaveLength(1);
    expect(events(s, 'failure-to-comply')).toHaveLength(2);

    const final = await closeSentence(c.h);
    expect(final.phase).toBe('closed');
    console.log(`[durability] appointment-outcomes: ${seconds(t0)}`);
    await recordHistory('appointment-outcomes', ctx.env.client, c.h.workflowId, c.h.firstExecutionRunId);
  });
});

describe('transfers that do not happen (time-skipping server)', () => {
  const request = transferRequest;

  it('a refused transfer: the case stays, no acceptance deadline', async () => {
    const t0 = performance.now();
    const A = await firstMondayOfOctober();
    const c = await supervised(communityOrder(A, periodEnd(A, 12)));
    await c.cmd('request-transfer', request);
    await sleepUntil(morningOf(addDays(A, 1)));
    const s = await c.cmd('decide-transfer', { transferId: 'T1', decision: 'refused', reasonCode: 'risk-plan-incomplete', by: 'SPO1' });
    expect(s.transfers).toEqual([
      expect.objectContaining({
        id: 'T1',
        status: 'refused',
        requestedOn: A,
        approval: { on: addDays(A, 1), by: 'SPO1', decision: 'refused', reasonCode: 'risk-plan-incomplete' },
      }),
    ]);
    expect(s.transfers[0]?.acceptanceDue).toBeUndefined();
    expect(s.deadlines.find((d) => d.kind === 'transfer-acceptance')).toBeUndefined();
    expect(s.provider).toEqual({ providerCode: 'N07', areaCode: 'LDN' });
    expect(s.ownership).toHaveLength(1);
    expect(
      await refusal(c.cmd('respond-to-transfer', { transferId: 'T1', decision: 'accepted', offenderManagerId: 'OM2', by: 'SPO2' })),
    ).toBe('transfer T1 is refused: only an approved transfer can be accepted or rejected');
    expect(await refusal(c.cmd('decide-transfer', { transferId: 'T1', decision: 'approved', by: 'SPO1' }))).toBe(
      'transfer T1 is refused: only a requested transfer can be approved or refused',
    );
    const final = await closeSentence(c.h);
    expect(final.phase).toBe('closed');
    expect(final.transfers[0]?.status).toBe('refused');
    console.log(`[durability] transfer-refused: ${seconds(t0)}`);
    await recordHistory('transfer-refused', ctx.env.client, c.h.workflowId, c.h.firstExecutionRunId);
  });

  it('a rejected transfer: the acceptance deadline is cancelled, the sender alerted, the case stays', async () => {
    const t0 = performance.now();
    const A = await firstMondayOfOctober();
    const c = await supervised(communityOrder(A, periodEnd(A, 12)));
    await c.cmd('request-transfer', request);
    const approved = await c.cmd('decide-transfer', { transferId: 'T1', decision: 'approved', by: 'SPO1' });
    expect(approved.transfers[0]?.acceptanceDue).toBe(addDays(A, 28)); // 20 business days
    expect(approved.deadlines.find((d) => d.id === 'transfer-T1')).toMatchObject({ dueDate: addDays(A, 28), status: 'pending' });

    await sleepUntil(morningOf(addDays(A, 9)));
    const s = await c.cmd('respond-to-transfer', { transferId: 'T1', decision: 'rejected', reasonCode: 'no-capacity', by: 'SPO2' });
    expect(s.transfers[0]).toMatchObject({
      status: 'rejected',
      response: { on: addDays(A, 9), by: 'SPO2', decision: 'rejected', reasonCode: 'no-capacity' },
    });
    expect(s.deadlines.find((d) => d.id === 'transfer-T1')?.status).toBe('cancelled');
    expect(s.provider).toEqual({ providerCode: 'N07', areaCode: 'LDN' });
    expect(s.offenderManagerId).toBe('OM1');
    expect(s.courtCode).toBe('B01CN');
    expect(s.ownership).toHaveLength(1);
    const rejected = await eventually(
      async () => alertsFor(c.h, 'transfer-rejected/transfer-T1'),
      (a) => a.length === 1,
      'rejection alert',
    );
    expect(rejected[0]).toMatchObject({ kind: 'transfer-rejected', dueDate: addDays(A, 9), offenderManagerId: 'OM1', areaCode: 'LDN' });

    // Past the acceptance due date nothing times out: the deadline was cancelled.
    await sleepUntil(londonEndOfDay(addDays(A, 28)) + 60_000);
    const after = await c.state();
    expect(after.transfers[0]?.status).toBe('rejected');
    expect(events(after, 'transfer-timed-out')).toEqual([]);
    const final = await closeSentence(c.h);
    expect(final.phase).toBe('closed');
    console.log(`[durability] transfer-rejected: ${seconds(t0)}`);
    await recordHistory('transfer-rejected', ctx.env.client, c.h.workflowId, c.h.firstExecutionRunId);
  });

  it('a transfer still awaiting acceptance when the order ends is withdrawn', async () => {
    const t0 = performance.now();
    const A = await firstMondayOfOctober();
    const end = addDays(A, 140); // a Monday in late February
    const c = await supervised(communityOrder(A, end, NO_UNPAID_WORK));
    expect(await reviewOnTime(c, end)).toBe(1);

    const askedOn = addDays(end, -7); // a Monday: acceptance would be due 4 weeks on, after the order ends
    await sleepUntil(morningOf(askedOn));
    await c.cmd('request-transfer', request);
    const approved = await c.cmd('decide-transfer', { transferId: 'T1', decision: 'approved', by: 'SPO1' });
    expect(approved.transfers[0]?.acceptanceDue).toBe(addDays(askedOn, 28));

    await sleepUntil(londonEndOfDay(end) + 60_000);
    const s = await eventually(c.state, (x) => x.phase === 'terminated', 'terminated at the end of the order');
    expect(s.termination).toEqual({ reason: 'end-of-order', on: end });
    expect(s.transfers[0]).toMatchObject({
      status: 'withdrawn',
      response: { on: end, by: 'system', decision: 'withdrawn', reasonCode: 'the order terminated (end-of-order)' },
    });
    expect(s.deadlines.find((d) => d.id === 'transfer-T1')?.status).toBe('cancelled');
    expect(events(s, 'transfer-withdrawn').map((e) => [e.at, e.detail])).toEqual([
      [iso(londonEndOfDay(end)), `transfer T1 withdrawn on ${end}: the order terminated (end-of-order)`],
    ]);
    expect(s.provider).toEqual({ providerCode: 'N07', areaCode: 'LDN' });
    expect(
      await refusal(c.cmd('respond-to-transfer', { transferId: 'T1', decision: 'accepted', offenderManagerId: 'OM2', by: 'SPO2' })),
    ).toBe('respond-to-transfer is not valid in phase terminated (valid in: allocated, inducted, plan-agreed, supervision)');
    await c.cmd('complete-end-of-sentence-review', {});
    const final = await c.h.result();
    expect(final.phase).toBe('closed');
    expect(final.transfers.map((t) => t.status)).toEqual(['withdrawn']);
    console.log(`[durability] transfer-withdrawn: ${seconds(t0)}`);
    await recordHistory('transfer-withdrawn', ctx.env.client, c.h.workflowId, c.h.firstExecutionRunId);
  });
});

describe('limited access (time-skipping server)', () => {
  it('a manager changes who may see a case; each change is signed by its actor and refused in words when it would hide the case from its holder', async () => {
    const A = await firstMondayOfOctober();
    const c = await supervised(communityOrder(A, periodEnd(A, 6), { access: { excluded: ['OM7'] } }));
    const spo: Actor = { id: 'SPO1', kind: 'user', roles: ['senior-probation-officer'], clientId: 'spo-ldn' };
    const set = (args: { restrictedTo?: string[]; excluded?: string[] }) => commandsFor(c.h)('set-case-access', args, { actor: spo });
    expect((await set({ restrictedTo: ['OM1', 'SPO1'] })).sentence.access).toEqual({ restrictedTo: ['OM1', 'SPO1'], excluded: ['OM7'] });
    expect(await refusal(set({ restrictedTo: ['SPO1'] }))).toBe(
      'a restricted case must remain visible to its offender manager (OM1): include them in restrictedTo',
    );
    const cleared = await set({ restrictedTo: [], excluded: [] });
    expect(cleared.sentence.access).toBeUndefined();
    expect(events(cleared, 'access-changed').map((e) => [e.detail, e.actor?.id])).toEqual([
      ['limited access: restricted to 2 named staff, 1 excluded', 'SPO1'],
      ['limited access: not restricted, 0 excluded', 'SPO1'],
    ]);
    const final = await closeSentence(c.h);
    expect(final.phase).toBe('closed');
    await recordHistory('access-changed', ctx.env.client, c.h.workflowId, c.h.firstExecutionRunId);
  });
});

describe('signals and side effects that fail (time-skipping server)', () => {
  it('a signal the case cannot take is counted with its reason (signalsRejected), not on the timeline; the workflow carries on', async () => {
    const t0 = performance.now();
    const A = await firstMondayOfOctober();
    const c = await start(communityOrder(A, periodEnd(A, 12)));
    const transfer: SignalArgs<'request-transfer'> = {
      transferId: 'T1',
      toProviderCode: 'N03',
      toAreaCode: 'WMS',
      reasonCode: 'moved-address',
      by: 'case-system',
      commandId: 'transfer-signal-1',
    };
    await c.h.signal(commandSignals['request-transfer'], transfer); // before allocation
    await eventually(c.state, (s) => s.signalsRejected?.count === 1, 'first signal rejected');
    await c.cmd('allocate', { offenderManagerId: 'OM1' });
    await c.h.signal(commandSignals['request-transfer'], {
      ...transfer,
      toProviderCode: 'N07',
      toAreaCode: 'LDN',
      commandId: 'transfer-signal-2',
    });
    const s = await eventually(c.state, (x) => x.signalsRejected?.count === 2, 'second signal rejected');
    expect(s.signalsRejected?.latest.map(({ type, reason, commandId, times }) => ({ type, reason, commandId, times }))).toEqual([
      {
        type: 'request-transfer',
        reason: 'request-transfer is not valid in phase commenced (valid in: allocated, inducted, plan-agreed, supervision)',
        commandId: 'transfer-signal-1',
        times: 1,
      },
      { type: 'request-transfer', reason: 'the case is already held by N07/LDN', commandId: 'transfer-signal-2', times: 1 },
    ]);
    expect(events(s, 'signal-rejected')).toEqual([]);
    expect(s.transfers).toEqual([]);
    expect(s.appliedCommandIds).not.toContain('transfer-signal-1');
    expect(s.appliedCommandIds).not.toContain('transfer-signal-2');
    expect(s.phase).toBe('allocated');

    // Unharmed: commands are served, and the first signal's id, never applied, is judged afresh when sent again.
    expect((await c.cmd('record-first-appointment', {})).phase).toBe('inducted');
    await c.h.signal(commandSignals['request-transfer'], transfer);
    const applied = await eventually(c.state, (x) => x.transfers.length === 1, 'signal applied');
    expect(applied.transfers[0]).toMatchObject({ id: 'T1', status: 'requested', to: { providerCode: 'N03', areaCode: 'WMS' } });
    expect(applied.appliedCommandIds.at(-1)).toBe('transfer-signal-1');
    expect(applied.signalsRejected?.count).toBe(2);

    const final = await closeSentence(c.h);
    expect(final.phase).toBe('closed');
    expect(final.transfers[0]?.status).toBe('withdrawn');
    console.log(`[durability] signal-rejected: ${seconds(t0)}`);
    await recordHistory('signal-rejected', ctx.env.client, c.h.workflowId, c.h.firstExecutionRunId);
  });

  it('an alert that fails twice is retried and delivered exactly once; the case carries on', async () => {
    const t0 = performance.now();
    const A = await firstMondayOfOctober();
    const c = await start(communityOrder(A, periodEnd(A, 12)));
    const key = `${c.h.workflowId}/deadline-overdue/first-appointment`;
    alerts.failWhen((a) => a.idempotencyKey === key, 2);
    await c.cmd('allocate', { offenderManagerId: 'OM1' });
    const due = addDays(A, 7); // 5 business days after a Monday
    expect((await c.state()).deadlines.find((d) => d.id === 'first-appointment')).toMatchObject({ dueDate: due, status: 'pending' });

    await sleepUntil(londonEndOfDay(due) + 60_000);
    const delivered = await eventually(
      async () => (await deps.sent.alerts(sentenceIdOf(c.h))).filter((a) => a.idempotencyKey === key),
      (a) => a.length === 1,
      'alert delivered',
    );
    expect(delivered[0]).toMatchObject({
      kind: 'deadline-overdue',
      deadlineId: 'first-appointment',
      dueDate: due,
      overdueSince: iso(londonEndOfDay(due)),
    });
    expect(alerts.attemptsFor(key).map((a) => a.failed)).toEqual([true, true, false]);
    const s = await c.state();
    expect(s.deadlines.find((d) => d.id === 'first-appointment')).toMatchObject({
      status: 'overdue',
      overdueSince: iso(londonEndOfDay(due)),
    });

    // The case carries on: the first appointment held the next day is one business day late.
    await sleepUntil(morningOf(addDays(due, 1)));
    const late = await c.cmd('record-first-appointment', {});
    expect(late.deadlines.find((d) => d.id === 'first-appointment')).toMatchObject({
      status: 'met-late',
      businessDaysLate: 1,
      metOn: addDays(due, 1),
    });
    expect(late.phase).toBe('inducted');
    const final = await closeSentence(c.h);
    expect(final.phase).toBe('closed');
    expect(alerts.attemptsFor(key)).toHaveLength(3); // no attempt after the one that succeeded
    expect((await deps.sent.alerts(sentenceIdOf(c.h))).filter((a) => a.idempotencyKey === key)).toHaveLength(1);
    console.log(`[durability] alert-retry: ${seconds(t0)}`);
    await recordHistory('alert-retry', ctx.env.client, c.h.workflowId, c.h.firstExecutionRunId);
  });
});

describe('a three-year order with weekly contact (time-skipping server)', () => {
  it('runs a 36-month CO with an appointment every week and every review on time; each run stays short', async () => {
    const t0 = performance.now();
    const A = await firstMondayOfOctober();
    const orderEnd = periodEnd(A, 36);
    const c = await supervised(communityOrder(A, orderEnd, NO_UNPAID_WORK));
    let s = await c.state();
    let appointments = 0;
    let reviews = 0;
    for (let week = 1; addDays(A, 7 * week) <= orderEnd; week++) {
      const day = addDays(A, 7 * week);
      // A review due by this appointment's day is completed on its due date first.
      const review = s.deadlines.find((d) => d.kind === 'review' && d.status === 'pending' && d.dueDate <= day);
      if (review) {
        await sleepUntil(morningOf(review.dueDate));
        const run = (await c.h.describe()).runId;
        await c.cmd('complete-review', { completedOn: review.dueDate });
        await continuedFrom(c.h, run);
        reviews++;
      }
      await sleepUntil(morningOf(day));
      await c.cmd('record-appointment', { appointmentId: `w${week}`, date: day });
      s = await c.cmd('record-appointment-outcome', { appointmentId: `w${week}`, outcome: 'attended-complied' });
      appointments++;
    }
    expect(appointments).toBe(156);
    expect(reviews).toBe(9); // weeks 16, 32, ..., 144 (week 160 is after the order ends)
    expect(s.deadlines.some((d) => d.kind === 'review' && d.status === 'pending')).toBe(false);

    await sleepUntil(londonEndOfDay(orderEnd) + 60_000);
    const terminated = await eventually(c.state, (x) => x.phase === 'terminated', 'terminated at the end of the order');
    expect(terminated.termination).toEqual({ reason: 'end-of-order', on: orderEnd });
    await c.cmd('complete-end-of-sentence-review', {});
    const final = await c.h.result();
    expect(final.phase).toBe('closed');
    expect(final.compliance.appointments).toHaveLength(156);
    expect(final.compliance.appointments.every((a) => a.outcome === 'attended-complied')).toBe(true);
    expect(final.deadlines.filter((d) => d.status !== 'met' && d.status !== 'cancelled')).toEqual([]);
    expect(final.reviewsCompleted).toBe(9);
    expect(events(final, 'deadline-overdue')).toEqual([]);
    const wall = seconds(t0);

    const all = await runs(c.h);
    for (const [i, r] of all.entries())
      console.log(`[durability] three-year-weekly run ${i}: ${r.events} events, ${r.bytes} bytes of history JSON`);
    console.log(
      `[durability] three-year-weekly: ${all.length} runs, ${all.reduce((n, r) => n + r.events, 0)} events, ` +
        `${all.reduce((n, r) => n + r.bytes, 0)} bytes in all, state ${Buffer.byteLength(JSON.stringify(final))} bytes at closure; ${wall}`,
    );
    expect(all).toHaveLength(10); // continued as new after each of the 9 reviews
    expect(final.runs).toBe(9);
    expect(Math.max(...all.map((r) => r.events))).toBeLessThan(4096);
    await recordHistory('three-year-weekly', ctx.env.client, c.h.workflowId, c.h.firstExecutionRunId);
  });
});
