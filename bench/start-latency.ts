// Benchmark: what a start through the API costs against a bare start on the same server, in one run (issue 11's
// "a start in one round trip"). Alternating, one at a time: POST /sentences (validation, authentication, the start,
// then the query that waits for the first workflow task, the audit event) and a bare `workflow.start` of the same
// workflow with the same input, which answers once the server has the start and waits for no task. Prints figures;
// asserts nothing. Usage: npm run bench:start -- [starts]   (default 200)
import { initialSearchAttributes, newSentenceInput, TASK_QUEUE, workflowIdFor } from '../contracts/index.ts';
import { londonDate, periodEnd } from '../domain/dates.ts';
import { communityOrder, uniqueId } from '../test/support/fixtures.ts';
import { sentenceWorkflow } from '../workflows/index.ts';
import { startStack, summary } from './stack.ts';

const N = Number(process.argv[2] ?? 200);
const WARM_UP = 20;

async function main() {
  const stack = await startStack();
  const today = londonDate(Date.now());
  const times: Record<'api' | 'bare', number[]> = { api: [], bare: [] };
  try {
    for (let i = 0; i < N + WARM_UP; i++) {
      const s = communityOrder(today, periodEnd(today, 12), { sentenceId: uniqueId('BS') });
      const which = i % 2 === 0 ? 'api' : 'bare';
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
        await stack.client.workflow.start(sentenceWorkflow, {
          workflowId: workflowIdFor(s.sentenceId),
          taskQueue: TASK_QUEUE,
          args: [newSentenceInput(s, 'bench')],
          typedSearchAttributes: initialSearchAttributes(s),
        });
      }
      if (i >= WARM_UP) times[which].push(performance.now() - t);
    }
  } finally {
    await stack.stop();
  }
  const [a, b] = [summary(times.api), summary(times.bare)];
  console.log(`starts on one dev server, ${a.n + b.n} measured, alternating, one at a time`);
  console.log('| start | n | p50 ms | p99 ms |');
  console.log('| --- | --- | --- | --- |');
  console.log(`| POST /sentences (answers the commenced state) | ${a.n} | ${a.p50.toFixed(1)} | ${a.p99.toFixed(1)} |`);
  console.log(`| bare workflow.start (answers once started) | ${b.n} | ${b.p50.toFixed(1)} | ${b.p99.toFixed(1)} |`);
  console.log(`p50 ratio API / bare: ${(a.p50 / b.p50).toFixed(2)} (issue 11's goal: within 2x of the bare start plus one workflow task)`);
}

await main();
