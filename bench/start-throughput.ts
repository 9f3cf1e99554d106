// Benchmark: how many sentences a second start through the API against a bare workflow with the same activities, on
// the same server, in one run (issue 11; the goal: at least 0.8 of the bare rate). Each variant starts N at a time
// from C concurrent senders and is timed until every start has answered (the API: POST /sentences answers 201 with
// the commenced case; the bare workflow: its update-with-start answers after its first task). The bare workflow runs
// the sentence's first activities (bench/bare-workflow.ts) with inputs computed beforehand, so the difference is the
// project's own work: the API's and the sentence workflow's. Prints figures; asserts nothing.
// Usage: npm run bench:throughput-start -- [starts] [concurrency]   (default 400, 16)
import { WithStartWorkflowOperation } from '@temporalio/client';
import { londonDate, periodEnd } from '../domain/dates.ts';
import { commence, pendingDeliveries } from '../domain/lifecycle.ts';
import { ledgerSummary } from '../domain/outputs/conformance.ts';
import { outputMessage } from '../domain/outputs/delivery.ts';
import type { SentenceInput } from '../domain/sentence.ts';
import { communityOrder, uniqueId } from '../test/support/fixtures.ts';
import { bareStarted } from './bare-workflow.ts';
import { startStack } from './stack.ts';
import { pool } from '../test/support/pool.ts';

const N = Number(process.argv[2] ?? 400);
const C = Number(process.argv[3] ?? 16);
const BARE_QUEUE = 'bench-bare';

/** Runs `n` calls of `fn`, `concurrency` at a time; the seconds it took. */
async function timed(n: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<number> {
  const t = performance.now();
  await pool(n, concurrency, fn);
  return (performance.now() - t) / 1000;
}

/** The bare workflow's input for a sentence: the ledger summary and the first output, as the sentence computes them. */
function bareInput(s: SentenceInput) {
  const state = commence(s, 'bench', Date.now());
  const [first] = pendingDeliveries(state);
  return { summary: ledgerSummary(state, 1), message: outputMessage(state, first!, `bare-${s.sentenceId}`).message };
}

async function main() {
  const stack = await startStack();
  await stack.benchWorker(BARE_QUEUE, './bare-workflow.ts');
  const today = londonDate(Date.now());
  const sentence = () => communityOrder(today, periodEnd(today, 12), { sentenceId: uniqueId('TP') });
  const rates: Record<'api' | 'bare', number[]> = { api: [], bare: [] };
  try {
    // Two rounds each, alternating, after a warm-up of each.
    for (const round of [0, 1, 2]) {
      const api = await timed(round === 0 ? 50 : N, C, async () => {
        const res = await fetch(`${stack.withAuth}/sentences`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.token}` },
          body: JSON.stringify(sentence()),
        });
        await res.text();
        if (res.status !== 201) throw new Error(`POST /sentences: ${res.status}`);
      });
      const bare = await timed(round === 0 ? 50 : N, C, async () => {
        const s = sentence();
        const startWorkflowOperation = new WithStartWorkflowOperation('bareWorkflow', {
          workflowId: `bare-${s.sentenceId}`,
          taskQueue: BARE_QUEUE,
          args: [bareInput(s)],
          workflowIdConflictPolicy: 'FAIL',
        });
        await stack.client.workflow.executeUpdateWithStart(bareStarted, { startWorkflowOperation });
      });
      if (round > 0) {
        rates.api.push(N / api);
        rates.bare.push(N / bare);
      }
    }
  } finally {
    await stack.stop();
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(`starts on one dev server: ${N} per round, ${C} at a time, two rounds each, alternating`);
  console.log('| start | sentences/s (rounds) | mean |');
  console.log('| --- | --- | --- |');
  console.log(
    `| POST /sentences (answers the commenced case) | ${rates.api.map((r) => r.toFixed(1)).join(', ')} | ${mean(rates.api).toFixed(1)} |`,
  );
  console.log(
    `| bare workflow, same activities (update-with-start) | ${rates.bare.map((r) => r.toFixed(1)).join(', ')} | ${mean(rates.bare).toFixed(1)} |`,
  );
  console.log(`ratio API / bare: ${(mean(rates.api) / mean(rates.bare)).toFixed(2)} (issue 11's goal: at least 0.8)`);
}

await main();
