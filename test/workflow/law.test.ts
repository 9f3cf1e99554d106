// Two sentences side by side on one worker, one passed before the Sentencing Act 2026 ss.36-39 applied and one
// after: the same case history gives the different outcomes each law requires (time-skipping server).
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { londonDate, periodEnd } from '../../domain/dates.ts';
import { SENTENCING_ACT_2026 } from '../../domain/law.ts';
import { testDeps } from '../support/deps.ts';
import { communityOrder } from '../support/fixtures.ts';
import { recordHistory } from '../support/history.ts';
import { startSentenceWorkflow, useTimeSkippingWorker } from '../support/temporal.ts';
import { commandsFor } from '../support/commands.ts';

const ctx = useTimeSkippingWorker(testDeps());

describe('the law of each sentence (time-skipping server)', () => {
  it('unpaid work credit and ending the order: a 2025 sentence follows the 2020 Act, a current one the 2026 Act', async () => {
    const env = ctx.env;
    const today = londonDate(await env.currentTimeMs());
    expect(today >= SENTENCING_ACT_2026.managementOfOrders.date).toBe(true);
    const start = async (sentenceDate: string) => {
      const sentence = communityOrder(sentenceDate, periodEnd(sentenceDate, 36), {
        requirements: [
          { type: 'unpaid-work', hours: 40 },
          { type: 'rehabilitation-activity', maxDays: 10 },
        ],
      });
      const h = await startSentenceWorkflow(env.client, sentence);
      const cmd = commandsFor(h);
      await cmd('allocate', { offenderManagerId: 'OM7' });
      await cmd('record-first-appointment', {});
      await cmd('complete-plan', {});
      await cmd('record-requirement-progress', { requirementIndex: 0, amount: 10, by: 'OM7' });
      const worked = await cmd('record-requirement-progress', { requirementIndex: 0, amount: 20, by: 'OM7' });
      await cmd('complete-review', { objectivesMet: true });
      return { h, cmd, worked };
    };
    const old = await start('2025-06-02');
    const current = await start(today);

    // 30 hours worked of 40: under the 2026 Act 10 hours are credited (20 after qualifying at 10, 30 minutes each).
    expect(old.worked.law.unpaidWorkCredit).toBeNull();
    expect(old.worked.progress.entries[0]?.unpaidWork).toEqual({ worked: 30 });
    expect(current.worked.progress.entries[0]?.unpaidWork).toEqual({ worked: 30, qualifiedOn: today });

    // The officer may end the current order. Under rules 2 the power is the law on the day the officer acts, so it
    // reaches the 2025 order too (no saving provision in SI 2026/402), but its hours, without the credit, are not done.
    const end = { noFurtherInstructionsNeeded: true, by: 'OM7' };
    const refused = await old.cmd('end-order-by-officer', end).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refused as WorkflowUpdateFailedError).cause?.message).toBe(
      'the order cannot be ended yet: requirement 0 (unpaid-work) is not complied with in full',
    );
    const ended = await current.cmd('end-order-by-officer', end);
    expect(ended.termination).toEqual({ reason: 'ended-by-officer', on: today });

    await old.cmd('record-requirement-progress', { requirementIndex: 0, amount: 10, by: 'OM7' });
    await old.cmd('apply-for-early-revocation', { by: 'OM7' });
    const revoked = await old.cmd('record-revocation-decision', { decision: 'granted', by: 'court' });
    expect(revoked.termination).toEqual({ reason: 'revoked', on: today });

    for (const { h, cmd } of [old, current]) {
      await cmd('complete-end-of-sentence-review', {});
      expect((await h.result()).phase).toBe('closed');
    }
    await recordHistory('law-2020', env.client, old.h.workflowId, old.h.firstExecutionRunId);
    await recordHistory('law-2026', env.client, current.h.workflowId, current.h.firstExecutionRunId);
  });
});
