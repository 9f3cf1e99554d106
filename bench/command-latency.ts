import { anyCommandUpdate } from '../contracts/index.ts';
import { londonDate, periodEnd } from '../domain/dates.ts';
import { communityOrder, uniqueId } from '../test/support/fixtures.ts';
import { noopUpdate } from './noop-workflow.ts';
import { startStack, summary } from './stack.ts';
import { startSentenceWorkflow } from '../test/support/temporal.ts';

const N = Number(process.argv[2] ?? 150);
const WARM_UP = 15;
const NOOP_QUEUE = 'bench-noop';
type Kind = 'api' | 'raw' | 'noop';

const risk = (i: number) => ({ roshLevel: i % 2 === 0 ? 'low' : 'medium', sourceCode: 'bench', by: 'OM1' }) as const;

function report(times: Record<Kind, number[]>): void {
  const [a, r, o] = [summary(times.api), summary(times.raw), summary(times.noop)];
  console.log(`commands on one dev server, ${a.n + r.n + o.n} measured, in turn, one at a time`);
  console.log('| command | n | p50 ms | p99 ms |');
  console.log('| --- | --- | --- | --- |');
  console.log(`| POST /sentences/:id/risk (through the API) | ${a.n} | ${a.p50.toFixed(1)} | ${a.p99.toFixed(1)} |`);
  console.log(`| raw Update record-risk-information on a sentence | ${r.n} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} |`);
  console.log(`| raw Update with a validator on a no-op workflow | ${o.n} | ${o.p50.toFixed(1)} | ${o.p99.toFixed(1)} |`);
  console.log(`p50 ratio API / no-op Update: ${(a.p50 / o.p50).toFixed(2)} (issue 11's goal: within 1.5x)`);
  console.log(
    `p50 ratio sentence Update / no-op Update: ${(r.p50 / o.p50).toFixed(2)}; API / sentence Update: ${(a.p50 / r.p50).toFixed(2)}`,
  );
}

async function main() {
  const stack = await startStack();
  await stack.benchWorker(NOOP_QUEUE, './noop-workflow.ts');
  const today = londonDate(Date.now());
  const times: Record<Kind, number[]> = { api: [], raw: [], noop: [] };
  try {
    const cases = await Promise.all(
      ['api', 'raw'].map(async () => {
        const s = communityOrder(today, periodEnd(today, 36), { sentenceId: uniqueId('CL') });
        const h = await startSentenceWorkflow(stack.client, s, 'bench');
        await h.executeUpdate(anyCommandUpdate('allocate'), { args: [{ offenderManagerId: 'OM1' }] });
        return { id: s.sentenceId, h };
      }),
    );
    const noop = await stack.client.workflow.start('noopWorkflow', { workflowId: uniqueId('noop'), taskQueue: NOOP_QUEUE });
    for (let i = 0; i < 3 * (N + WARM_UP); i++) {
      const kind = (['api', 'raw', 'noop'] as const)[i % 3]!;
      const n = Math.floor(i / 3);
      const t = performance.now();
      if (kind === 'api') {
        const res = await fetch(`${stack.withAuth}/sentences/${cases[0]!.id}/risk`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.token}` },
          body: JSON.stringify(risk(n)),
        });
        await res.text();
        if (res.status !== 200) throw new Error(`POST /risk: ${res.status}`);
      } else if (kind === 'raw') {
        await cases[1]!.h.executeUpdate(anyCommandUpdate('record-risk-information'), { args: [risk(n)] });
      } else {
        await noop.executeUpdate(noopUpdate, { args: [risk(n)] });
      }
      if (n >= WARM_UP) times[kind].push(performance.now() - t);
    }
    await noop.terminate('benchmark done');
  } finally {
    await stack.stop();
  }
  report(times);
}

await main();
