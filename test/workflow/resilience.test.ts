// A side effect that keeps failing (an agency endpoint down for days) must not hold up the case: deadlines still
// fall overdue on their day, and commands are still served, while the delivery is retried.
import { describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import type { OutputMessage } from '../../activities/index.ts';
import { stateQuery } from '../../contracts/index.ts';
import { addBusinessDays } from '../../domain/calendar/index.ts';
import { londonDate, londonEndOfDay, periodEnd } from '../../domain/dates.ts';
import { testDeps } from '../support/deps.ts';
import { communityOrder } from '../support/fixtures.ts';
import { eventually } from '../support/poll.ts';
import { startSentenceWorkflow, useTimeSkippingWorker } from '../support/temporal.ts';
import { commandsFor } from '../support/commands.ts';

let attempts = 0;
const deps = testDeps();
const ctx = useTimeSkippingWorker({
  ...deps,
  outputs: {
    // The case system is down; every other notification goes to the store's delivery log.
    async deliver(message: OutputMessage) {
      if (message.row === 1) {
        attempts++;
        throw ApplicationFailure.retryable('case system unavailable (503)', 'DeliveryFailed');
      }
      return deps.outputs.deliver(message);
    },
  },
});

describe('a failing delivery does not hold up the case', () => {
  it('marks a deadline overdue on its day while the case record delivery is still being retried', async () => {
    const env = ctx.env;
    const today = londonDate(await env.currentTimeMs());
    const sentence = communityOrder(today, periodEnd(today, 12));
    const h = await startSentenceWorkflow(env.client, sentence);
    const update = commandsFor(h);
    await update('allocate', { offenderManagerId: 'OM030' });
    await update('record-first-appointment', {});
    await update('complete-plan', {});
    await update('complete-review', {}); // asks to continue as new, which must wait for the delivery in flight
    await update('record-significant-change', { changeCode: 'ADDRESS' });
    const due = addBusinessDays(today, 10);
    const now = await env.currentTimeMs();
    await env.sleep(londonEndOfDay(due) + 60_000 - now);
    const s = await eventually(
      () => h.query(stateQuery),
      (st) => st.deadlines.some((d) => d.id === 'significant-change-review-1' && d.status === 'overdue'),
      'significant-change review overdue',
    );
    expect(s.outputs.find((o) => o.row === 1)?.status).toBe('overdue'); // still not delivered, and seen to be overdue
    expect(s.outputs.find((o) => o.row === 1)?.evidence).toEqual([]);
    expect(attempts).toBeGreaterThan(1);
    expect(s.runs).toBe(0); // not continued as new while the delivery is in flight
    // Terminated with a delivery still being retried: the point of this test (each test has its own server, so the
    // activity left over cannot hold the clock of another; see useTimeSkippingWorker).
    await h.terminate('test finished');
  });
});
