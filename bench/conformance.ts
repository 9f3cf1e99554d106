// Benchmark: what GET /reports/conformance costs as the caseload grows. Starts a dev server and a worker, starts N
// sentences, then times the report (list by visibility + one state query per case + aggregation) against the pure
// aggregation of the same number of ledgers (the baseline, measured in the same run). Prints figures; asserts nothing.
// Usage: npm run bench:conformance -- [N ...]   (default: 250 1000)
import { Client } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { AddressInfo } from 'node:net';
import { createApp } from '../api/app';
import { londonDate, periodEnd } from '../domain/dates';
import { commence } from '../domain/lifecycle';
import { conformance } from '../domain/outputs/conformance';
import { createWorker } from '../worker/worker';
import { communityOrder, uniqueId } from '../test/support/fixtures';
import { testDeps } from '../test/support/deps';
import { devServerEnv, startSentenceWorkflow } from '../test/support/temporal';

Runtime.install({ logger: new DefaultLogger('ERROR') });
const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const ns = sizes.length > 0 ? sizes : [250, 1000];
const today = londonDate(Date.now());

const env = await devServerEnv();
const deps = testDeps();
const worker = await createWorker({ connection: env.nativeConnection, deps });
const running = worker.run();
const server = createApp({ client: env.client as Client, ledgers: deps.ledgers }).listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

console.log('N\tread_model_ms\tworkflows_ms\tper_case_workflows_ms\tbaseline_aggregate_ms\tworkflows/read_model');
for (const n of ns) {
  const area = uniqueId('B').replace(/-/g, '').slice(0, 12);
  const t0 = performance.now();
  const sentences = Array.from({ length: n }, () =>
    communityOrder(today, periodEnd(today, 12), { sentenceId: uniqueId('BN'), provider: { providerCode: 'N01', areaCode: area } }),
  );
  for (let i = 0; i < sentences.length; i += 50) {
    await Promise.all(sentences.slice(i, i + 50).map((s) => startSentenceWorkflow(env.client, s, 'bench')));
  }
  const report = async (source: string) => {
    const r0 = performance.now();
    const body = (await (await fetch(`${base}/reports/conformance?area=${area}&source=${source}`)).json()) as { cases: number };
    return { ms: performance.now() - r0, cases: body.cases };
  };
  // Wait until visibility lists them all and the read model holds them all.
  for (;;) {
    const c = await env.client.workflow.count(`ProbationArea = '${area}'`);
    if (c.count >= n && (await report('read-model')).cases >= n) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const startedS = (performance.now() - t0) / 1000;
  const readModel = await report('read-model');
  const workflows = n <= 2000 ? await report('workflows') : undefined;
  const ledgers = sentences.map((s) => commence(s, 'bench', Date.now()).outputs);
  const b0 = performance.now();
  conformance(ledgers);
  const baselineMs = performance.now() - b0;
  console.log(
    [
      n,
      readModel.ms.toFixed(0),
      workflows ? workflows.ms.toFixed(0) : 'skipped',
      workflows ? (workflows.ms / n).toFixed(2) : '-',
      baselineMs.toFixed(1),
      workflows ? (workflows.ms / readModel.ms).toFixed(1) : '-',
    ].join('\t'),
    `\t(${n} sentences started and published in ${startedS.toFixed(1)} s)`,
  );
}
server.close();
worker.shutdown();
await running;
await env.teardown();
