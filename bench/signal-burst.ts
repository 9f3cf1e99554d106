// Benchmark: the longest workflow task a flood can make (issue 11, "defers them rather than exceeding its task
// deadline"). The server hands a run at most history.maximumSignalsPerExecution Signals (10,000 by default), and all of
// them can arrive in one workflow task when they come while no worker is free: here, sent while the worker is stopped.
// The case refuses them (a transfer request before allocation), counts at most REJECTIONS_PER_TASK a task and queues
// the rest. Prints, from the workflow's history, the first task's duration (started to completed) and the longest,
// against the worker's limit for one call into workflow code (worker/worker.ts ISOLATE_EXECUTION_TIMEOUT) and the
// server's workflow task timeout. Asserts nothing.
// Usage: npm run bench:burst -- [signals]   (default 10000)
import { anyCommandSignal, stateQuery } from '../contracts/index.ts';
import { londonDate, periodEnd } from '../domain/dates.ts';
import { ISOLATE_EXECUTION_TIMEOUT } from '../worker/worker.ts';
import { communityOrder, uniqueId } from '../test/support/fixtures.ts';
import { pool } from '../test/support/pool.ts';
import { startSentenceWorkflow } from '../test/support/temporal.ts';
import { startStack, type StackHandle } from './stack.ts';

const SIGNALS = Number(process.argv[2] ?? 10_000);

const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;

type HistoryEvent = NonNullable<Awaited<ReturnType<Handle['fetchHistory']>>['events']>[number];
type Handle = StackHandle;

/** Each completed workflow task's duration (started to completed), with the Signals received before it. */
function taskDurations(events: HistoryEvent[]): { ms: number; signalsBefore: number }[] {
  const started = new Map<string, number>();
  const tasks: { ms: number; signalsBefore: number }[] = [];
  let signals = 0;
  for (const e of events) {
    if (e.workflowExecutionSignaledEventAttributes) signals++;
    if (e.workflowTaskStartedEventAttributes) started.set(String(e.eventId), ms(e.eventTime));
    const done = e.workflowTaskCompletedEventAttributes;
    if (done) tasks.push({ ms: ms(e.eventTime) - started.get(String(done.startedEventId))!, signalsBefore: signals });
  }
  return tasks;
}

async function main() {
  const stack = await startStack();
  try {
    const today = londonDate(Date.now());
    const h = await startSentenceWorkflow(stack.client, communityOrder(today, periodEnd(today, 12), { sentenceId: uniqueId('SB') }));
    await h.query(stateQuery); // commenced: its first task done, so that the Signals all meet the next
    await stack.pauseWorker();
    const transfer = { toProviderCode: 'N03', toAreaCode: 'WMS', reasonCode: 'MOVED', by: 'OM1' };
    const t0 = performance.now();
    await pool(SIGNALS, 32, (i) => h.signal(anyCommandSignal('request-transfer'), { ...transfer, transferId: `T${i}` } as never));
    const sentS = (performance.now() - t0) / 1000;
    await stack.resumeWorker();
    const t1 = performance.now();
    for (;;) {
      if ((await h.query(stateQuery)).signalsRejected?.count === SIGNALS) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const handledS = (performance.now() - t1) / 1000;
    // The first run's: the one the Signals reached (the case may continue as new after them).
    const events = (await stack.client.workflow.getHandle(h.workflowId, h.firstExecutionRunId).fetchHistory()).events ?? [];
    const tasks = taskDurations(events);
    const failed = events.filter((e) => e.workflowTaskFailedEventAttributes || e.workflowTaskTimedOutEventAttributes).length;
    const first = tasks.find((t) => t.signalsBefore > 0)!;
    const longest = Math.max(...tasks.map((t) => t.ms));
    console.log(
      `${SIGNALS} refused Signals sent in ${sentS.toFixed(1)} s while no worker ran; all counted ${handledS.toFixed(1)} s after it started`,
    );
    console.log(
      '| the task that received them, ms | the longest task, ms | tasks | failed or timed out | limit per call into workflow code | server task timeout |',
    );
    console.log('| --- | --- | --- | --- | --- | --- |');
    console.log(`| ${first.ms.toFixed(0)} | ${longest.toFixed(0)} | ${tasks.length} | ${failed} | ${ISOLATE_EXECUTION_TIMEOUT} | 10 s |`);
  } finally {
    await stack.stop();
  }
}

await main();
