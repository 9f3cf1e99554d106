import { anyCommandUpdate } from '../contracts/index.ts';
import { londonDate, periodEnd } from '../domain/dates.ts';
import { communityOrder, uniqueId } from '../test/support/fixtures.ts';
import { noopUpdate } from './noop-workflow.ts';
import { startStack, summary } from './stack.ts';
import { startSentenceWorkflow } from '../test/support/temporal.ts';

const N = Number(process.argv[2] ?? 150);
const WARM_UP = 15;
const NOOP_QUEUE = 'bench-noop';
const KINDS = ['deployed', 'api', 'raw', 'noop'] as const;
type Kind = (typeof KINDS)[number];

const risk = (i: number) => ({ roshLevel: i % 2 === 0 ? 'low' : 'medium', sourceCode: 'bench', by: 'OM1' }) as const;

const LABELS: Record<Kind, string> = {
  deployed: 'POST /sentences/:id/risk, the API in its own process (as deployed)',
  api: "POST /sentences/:id/risk, the API in the worker's process",
  raw: 'raw Update record-risk-information on a sentence',
  noop: 'raw Update with a validator on a no-op workflow',
};

function report(times: Record<Kind, number[]>): void {
  const s = Object.fromEntries(KINDS.map((k) => [k, summary(times[k])])) as Record<Kind, ReturnType<typeof summary>>;
  console.log(`commands on one dev server, ${KINDS.reduce((n, k) => n + s[k].n, 0)} measured, in turn, one at a time`);
  console.log('| command | n | p50 ms | p99 ms |');
  console.log('| --- | --- | --- | --- |');
  for (const k of KINDS) console.log(`| ${LABELS[k]} | ${s[k].n} | ${s[k].p50.toFixed(1)} | ${s[k].p99.toFixed(1)} |`);
  const ratio = (a: Kind, b: Kind) => (s[a].p50 / s[b].p50).toFixed(2);
  console.log(`p50 ratio API (as deployed) / no-op Update: ${ratio('deployed', 'noop')} (issue 11's goal: within 1.5x)`);
  console.log(`p50 ratio API (in the worker's process) / no-op Update: ${ratio('api', 'noop')}`);
  console.log(
    `p50 ratio sentence Update / no-op Update: ${ratio('raw', 'noop')}; API (as deployed) / sentence Update: ${ratio('deployed', 'raw')}`,
  );
}

async function main() {
  const stack = await startStack();
  await stack.benchWorker(NOOP_QUEUE, './noop-workflow.ts');
  const today = londonDate(Date.now());
  const times: Record<Kind, number[]> = { deployed: [], api: [], raw: [], noop: [] };
  try {
    const cases = await Promise.all(
      ['deployed', 'api', 'raw'].map(async () => {
        const s = communityOrder(today, periodEnd(today, 36), { sentenceId: uniqueId('CL') });
        const h = await startSentenceWorkflow(stack.client, s, 'bench');
        await h.executeUpdate(anyCommandUpdate('allocate'), { args: [{ offenderManagerId: 'OM1' }] });
        return { id: s.sentenceId, h };
      }),
    );
    const noop = await stack.client.workflow.start('noopWorkflow', { workflowId: uniqueId('noop'), taskQueue: NOOP_QUEUE });
    for (let i = 0; i < KINDS.length * (N + WARM_UP); i++) {
      const kind = KINDS[i % KINDS.length]!;
      const n = Math.floor(i / KINDS.length);
      const t = performance.now();
      if (kind === 'deployed' || kind === 'api') {
        const [base, c] = kind === 'deployed' ? [stack.deployedApi, cases[0]!] : [stack.withAuth, cases[1]!];
        const res = await fetch(`${base}/sentences/${c.id}/risk`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.token}` },
          body: JSON.stringify(risk(n)),
        });
        await res.text();
        if (res.status !== 200) throw new Error(`POST /risk: ${res.status}`);
      } else if (kind === 'raw') {
        await cases[2]!.h.executeUpdate(anyCommandUpdate('record-risk-information'), { args: [risk(n)] });
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
