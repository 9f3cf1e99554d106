// A command's latency through the API against a raw Update with a validator on a no-op workflow, side by side on one
// dev server (issue 11's goal: p50 within 1.5x).
//
// `npm run bench:command -- [N] [--workers-in-process | --compiled] [--fetch] [--seed=S]`
// - By default every worker runs in a process of its own, as deployed (the project's worker/main.ts, the no-op's
//   bench/worker-process.ts), and this process is only the client, as a case system is. With --workers-in-process
//   they run here, beside the client and a second API in the same process (the "api" kind). With --compiled the API
//   and the project's worker run from the production build (dist/, built first), as the image runs them.
// - The API's commands are sent with node:http and a keep-alive agent, the leanest client Node has, as the Updates
//   are sent with the SDK's client; --fetch sends them with fetch (undici), whose own cost is then measured too.
// - Each round sends one command of each kind in an order shuffled afresh (seeded by S, so that a run can be
//   repeated): no kind always follows the same other kind, whose background work (a sentence's publish) it would
//   then always meet.
import http from 'node:http';
import proto from '@temporalio/proto';
import { anyCommandUpdate } from '../contracts/index.ts';
import { londonDate, periodEnd } from '../domain/dates.ts';
import { communityOrder, uniqueId } from '../test/support/fixtures.ts';
import { noopUpdate } from './noop-workflow.ts';
import { startStack, summary, type StackHandle } from './stack.ts';
import { startSentenceWorkflow } from '../test/support/temporal.ts';

const args = process.argv.slice(2);
const WORKERS_IN_PROCESS = args.includes('--workers-in-process');
const FETCH = args.includes('--fetch');
const COMPILED = args.includes('--compiled');
if (COMPILED && WORKERS_IN_PROCESS) throw new Error('--compiled runs the workers in processes of their own: not with --workers-in-process');
const N = Number(args.find((a) => /^\d+$/.test(a)) ?? 150);
const SEED = Number(args.find((a) => a.startsWith('--seed='))?.slice('--seed='.length) ?? 1);
const WARM_UP = 15;
const NOOP_QUEUE = 'bench-noop';
const ALL_KINDS = ['deployed', 'api', 'raw', 'noop'] as const;
type Kind = (typeof ALL_KINDS)[number];
const KINDS: readonly Kind[] = WORKERS_IN_PROCESS ? ALL_KINDS : ALL_KINDS.filter((k) => k !== 'api');

const risk = (i: number) => ({ roshLevel: i % 2 === 0 ? 'low' : 'medium', sourceCode: 'bench', by: 'OM1' }) as const;

const LABELS: Record<Kind, string> = {
  deployed: 'POST /sentences/:id/risk, the API in its own process (as deployed)',
  api: "POST /sentences/:id/risk, the API in the worker's process",
  raw: 'raw Update record-risk-information on a sentence',
  noop: 'raw Update with a validator on a no-op workflow',
};

/** A small seeded generator of numbers in [0, 1) (mulberry32). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const agent = new http.Agent({ keepAlive: true });

/** POSTs a JSON body and answers the status, the body read to its end. */
async function post(url: string, token: string, body: string): Promise<number> {
  if (FETCH) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
    });
    await res.text();
    return res.status;
  }
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` };
    const req = http.request(url, { method: 'POST', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const { EventType } = proto.temporal.api.enums.v1;
const millis = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
  Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;

/**
 * The median time, in a workflow's history, from the start of each workflow task that accepted an Update to its
 * completion: the worker's turnaround (the poll's answer reaching it, the activation, the completion reaching the
 * server). What remains of a command's latency is the server's and the clients'.
 */
async function turnaround(h: StackHandle): Promise<number> {
  const events = (await h.fetchHistory()).events ?? [];
  const spans: number[] = [];
  events.forEach((e, i) => {
    if (e.eventType !== EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED) return;
    let done = i - 1;
    while (done > 0 && events[done]!.eventType !== EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) done--;
    const started = events[done - 1];
    if (started?.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED)
      spans.push(millis(events[done]!.eventTime) - millis(started.eventTime));
  });
  return summary(spans).p50;
}

function report(times: Record<Kind, number[]>, turnarounds: Record<Kind, number>): void {
  const s = Object.fromEntries(KINDS.map((k) => [k, summary(times[k])])) as Record<Kind, ReturnType<typeof summary>>;
  const where = WORKERS_IN_PROCESS
    ? "the workers in the client's process"
    : `each worker in a process of its own${COMPILED ? ', the API and the worker from the production build' : ''}`;
  const client = FETCH ? 'fetch' : 'node:http';
  console.log(`commands on one dev server, ${where}, the API's sent with ${client}, seed ${SEED}:`);
  console.log(`${KINDS.reduce((n, k) => n + s[k].n, 0)} measured, one at a time, in shuffled rounds`);
  console.log("| command | n | p50 ms | p99 ms | worker's turnaround p50 ms |");
  console.log('| --- | --- | --- | --- | --- |');
  for (const k of KINDS) {
    console.log(`| ${LABELS[k]} | ${s[k].n} | ${s[k].p50.toFixed(1)} | ${s[k].p99.toFixed(1)} | ${turnarounds[k].toFixed(1)} |`);
  }
  const ratio = (a: Kind, b: Kind) => (s[a].p50 / s[b].p50).toFixed(2);
  console.log(`p50 ratio API (as deployed) / no-op Update: ${ratio('deployed', 'noop')} (issue 11's goal: within 1.5x)`);
  if (WORKERS_IN_PROCESS) console.log(`p50 ratio API (in the worker's process) / no-op Update: ${ratio('api', 'noop')}`);
  console.log(
    `p50 ratio sentence Update / no-op Update: ${ratio('raw', 'noop')}; API (as deployed) / sentence Update: ${ratio('deployed', 'raw')}`,
  );
}

async function main() {
  const stack = await startStack({ workers: WORKERS_IN_PROCESS ? 'in-process' : 'own-processes', compiled: COMPILED });
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
    const send = async (kind: Kind, n: number) => {
      if (kind === 'deployed' || kind === 'api') {
        const [base, c] = kind === 'deployed' ? [stack.deployedApi, cases[0]!] : [stack.withAuth, cases[1]!];
        const status = await post(`${base}/sentences/${c.id}/risk`, stack.token, JSON.stringify(risk(n)));
        if (status !== 200) throw new Error(`POST /risk: ${status}`);
      } else if (kind === 'raw') {
        await cases[2]!.h.executeUpdate(anyCommandUpdate('record-risk-information'), { args: [risk(n)] });
      } else {
        await noop.executeUpdate(noopUpdate, { args: [risk(n)] });
      }
    };
    const random = seeded(SEED);
    for (let n = 0; n < N + WARM_UP; n++) {
      for (const kind of shuffled(KINDS, random)) {
        const t = performance.now();
        await send(kind, n);
        if (n >= WARM_UP) times[kind].push(performance.now() - t);
      }
    }
    const handles: Record<Kind, StackHandle> = { deployed: cases[0]!.h, api: cases[1]!.h, raw: cases[2]!.h, noop };
    const turnarounds = Object.fromEntries(await Promise.all(KINDS.map(async (k) => [k, await turnaround(handles[k])]))) as Record<
      Kind,
      number
    >;
    await noop.terminate('benchmark done');
    report(times, turnarounds);
  } finally {
    agent.destroy();
    await stack.stop();
  }
}

await main();
