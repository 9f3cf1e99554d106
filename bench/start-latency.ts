// Benchmark: what a start through the API costs against a bare start on the same server, in one run (issue 11's
// "a start in one round trip"). In turn, one at a time: POST /sentences (validation, authentication, the
// update-with-start that answers once the first workflow task has run, the audit event); a bare `workflow.start` of
// the same workflow with the same input, which answers once the server has the start and waits for no task; and the
// same update-with-start from the client, which is the bare start plus its first workflow task. Prints figures;
// asserts nothing. Usage: npm run bench:start -- [starts]   (default 300)
import { WithStartWorkflowOperation } from '@temporalio/client';
import {
  initialSearchAttributes,
  newSentenceInput,
  startAnswerUpdate,
  TASK_QUEUE,
  workflowIdFor,
  type SentenceWorkflowInput,
} from '../contracts/index.ts';
import { londonDate, periodEnd } from '../domain/dates.ts';
import { communityOrder, uniqueId } from '../test/support/fixtures.ts';
import { sentenceWorkflow } from '../workflows/index.ts';
import { startStack, summary } from './stack.ts';

const N = Number(process.argv[2] ?? 300);
const WARM_UP = 30;

async function main() {
  const stack = await startStack();
  const today = londonDate(Date.now());
  const times: Record<'api' | 'bare' | 'task', number[]> = { api: [], bare: [], task: [] };
  try {
    for (let i = 0; i < N + WARM_UP; i++) {
      const s = communityOrder(today, periodEnd(today, 12), { sentenceId: uniqueId('BS') });
      const which = (['api', 'bare', 'task'] as const)[i % 3]!;
      const t = performance.now();
      if (which === 'api') {
        const res = await fetch(`${stack.withAuth}/sentences`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.token}` },
          body: JSON.stringify(s),
        });
        await res.text();
        if (res.status !== 201) throw new Error(`POST /sentences: ${res.status}`);
      } else {
        const options = {
          workflowId: workflowIdFor(s.sentenceId),
          taskQueue: TASK_QUEUE,
          args: [newSentenceInput(s, 'bench')] as [SentenceWorkflowInput],
          typedSearchAttributes: initialSearchAttributes(s),
        };
        if (which === 'bare') await stack.client.workflow.start(sentenceWorkflow, options);
        else {
          // The bare start plus its first workflow task: the same update-with-start the API sends, from the client.
          const startWorkflowOperation = new WithStartWorkflowOperation(sentenceWorkflow, { ...options, workflowIdConflictPolicy: 'FAIL' });
          await stack.client.workflow.executeUpdateWithStart(startAnswerUpdate, { startWorkflowOperation });
        }
      }
      if (i >= WARM_UP) times[which].push(performance.now() - t);
    }
  } finally {
    await stack.stop();
  }
  const [a, b, c] = [summary(times.api), summary(times.bare), summary(times.task)];
  console.log(`starts on one dev server, ${a.n + b.n + c.n} measured, in turn, one at a time`);
  console.log('| start | n | p50 ms | p99 ms |');
  console.log('| --- | --- | --- | --- |');
  console.log(`| POST /sentences (answers the commenced state) | ${a.n} | ${a.p50.toFixed(1)} | ${a.p99.toFixed(1)} |`);
  console.log(`| bare workflow.start (answers once started) | ${b.n} | ${b.p50.toFixed(1)} | ${b.p99.toFixed(1)} |`);
  console.log(`| update-with-start from the client (the start plus its first task) | ${c.n} | ${c.p50.toFixed(1)} | ${c.p99.toFixed(1)} |`);
  console.log(`p50 ratio API / bare: ${(a.p50 / b.p50).toFixed(2)}`);
  console.log(`p50 ratio API / (start plus first task): ${(a.p50 / c.p50).toFixed(2)} (issue 11's goal: within 2x)`);
}

await main();
