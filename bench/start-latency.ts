// Benchmark: what a start through the API costs against a bare start on the same server, in one run (issue 11's
// "a start in one round trip"). In turn, one at a time: POST /sentences (validation, authentication, the
// update-with-start that answers once the first workflow task has run, the audit event); a bare `workflow.start` of
// the same workflow with the same input, which answers once the server has the start and waits for no task; and the
// same update-with-start from the client, which is the bare start plus its first workflow task; and an update-with-start
// of a workflow that does nothing (bench/noop-workflow.ts), a start plus one empty task. Prints figures; asserts
// nothing. Usage: npm run bench:start -- [starts]   (default 400)
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
import { noopUpdate } from './noop-workflow.ts';
import { startStack, summary } from './stack.ts';

const N = Number(process.argv[2] ?? 400);
const WARM_UP = 40;
const NOOP_QUEUE = 'bench-noop';

async function main() {
  const stack = await startStack();
  const today = londonDate(Date.now());
  await stack.benchWorker(NOOP_QUEUE, './noop-workflow.ts');
  const kinds = ['api', 'bare', 'task', 'empty'] as const;
  const times: Record<(typeof kinds)[number], number[]> = { api: [], bare: [], task: [], empty: [] };
  try {
    for (let i = 0; i < N + WARM_UP; i++) {
      const s = communityOrder(today, periodEnd(today, 12), { sentenceId: uniqueId('BS') });
      const which = kinds[i % kinds.length]!;
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
        else if (which === 'empty') {
          // A start plus one workflow task of a workflow that does nothing: the floor for a start that answers.
          const startWorkflowOperation = new WithStartWorkflowOperation('noopWorkflow', {
            workflowId: `empty-${s.sentenceId}`,
            taskQueue: NOOP_QUEUE,
            workflowIdConflictPolicy: 'FAIL',
          });
          await stack.client.workflow.executeUpdateWithStart(noopUpdate, { args: [{}], startWorkflowOperation });
        } else {
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
  const [a, b, c, e] = [summary(times.api), summary(times.bare), summary(times.task), summary(times.empty)];
  console.log(`starts on one dev server, ${a.n + b.n + c.n + e.n} measured, in turn, one at a time`);
  console.log('| start | n | p50 ms | p99 ms |');
  console.log('| --- | --- | --- | --- |');
  console.log(`| POST /sentences (answers the commenced state) | ${a.n} | ${a.p50.toFixed(1)} | ${a.p99.toFixed(1)} |`);
  console.log(`| bare workflow.start (answers once started) | ${b.n} | ${b.p50.toFixed(1)} | ${b.p99.toFixed(1)} |`);
  console.log(`| update-with-start from the client (the start plus its first task) | ${c.n} | ${c.p50.toFixed(1)} | ${c.p99.toFixed(1)} |`);
  console.log(`| update-with-start of a workflow that does nothing | ${e.n} | ${e.p50.toFixed(1)} | ${e.p99.toFixed(1)} |`);
  console.log(`p50 ratio API / bare: ${(a.p50 / b.p50).toFixed(2)}`);
  console.log(`p50 ratio API / (the sentence's start plus its first task): ${(a.p50 / c.p50).toFixed(2)}`);
  console.log(`p50 ratio API / (a start plus one empty task): ${(a.p50 / e.p50).toFixed(2)} (issue 11's goal: within 2x)`);
}

await main();
