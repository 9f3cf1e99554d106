// A bare workflow with the sentence's first activities and nothing else: it answers its start's Update at once,
// publishes a ledger summary, delivers one output, publishes again, and waits. The floor the start throughput is
// measured against (bench/start-throughput.ts); bundled by that benchmark's own worker, never by the project's.
import { condition, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities, OutputMessage } from '../activities/index.ts';
import type { LedgerSummary } from '../domain/outputs/conformance.ts';

export const bareStarted = defineUpdate<boolean, []>('bare-started');

const { publishLedger, deliverOutput } = proxyActivities<Activities>({ startToCloseTimeout: '1 minute' });

export async function bareWorkflow(input: { summary: LedgerSummary; message: OutputMessage }): Promise<void> {
  setHandler(bareStarted, () => true);
  await Promise.all([publishLedger(input.summary), deliverOutput(input.message)]);
  await publishLedger({ ...input.summary, seq: input.summary.seq + 1 });
  await condition(() => false);
}
