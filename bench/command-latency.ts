// A command's latency through the API against a raw Update with a validator on a no-op workflow, side by side on one
// dev server (issue 11's goal: p50 within 1.5x).
//
// `npm run bench:command -- [N] [--workers-in-process | --compiled] [--fetch] [--seed=S] [--pause=MS | --back-to-back] [--floor]`
// - By default every worker runs in a process of its own, as deployed (the project's worker/main.ts, the no-op's
//   bench/worker-process.ts), and this process is only the client, as a case system is. With --workers-in-process
//   they run here, beside the client and a second API in the same process (the "api" kind). With --compiled the API
//   and the project's worker run from the production build (dist/, built first), as the image runs them.
// - The API's commands are sent with node:http and a keep-alive agent, the leanest client Node has, as the Updates
//   are sent with the SDK's client; --fetch sends them with fetch (undici), whose own cost is then measured too.
// - Each round sends one command of each kind in an order shuffled afresh (seeded by S, so that a run can be
//   repeated): no kind always follows the same other kind, whose background work (a sentence's publish) it would
//   then always meet.
// - Each command is sent MS (40) after the one before was answered, so that it meets a system done with what that one
//   left running (a sentence's publish and its workflow task, the API's audit insert): its latency is then its own.
//   --back-to-back sends each as soon as the one before is answered, as until 4 December 2026: each kind then also
//   meets the background work of whichever kind came before it, and the ratio moves with the mix of kinds.
// - --floor adds the floor's parts (bench/noop-workflow.ts floorWorkflow): the no-op Update with one indexed search
//   attribute upserted, with one activity scheduled, with an answer as large as the sentence's, and with all three;
//   and the HTTP round trip to the API's process with no work behind it (GET /health/live). Each shows what one thing
//   a command must do costs at the server and in the SDK, with no rules applied.
import http from 'node:http';
import proto from '@temporalio/proto';
import { anyCommandUpdate } from '../contracts/index.ts';
import { londonDate, periodEnd } from '../domain/dates.ts';
import { communityOrder, uniqueId } from '../test/support/fixtures.ts';
import { floorUpdate, noopUpdate, type FloorArgs } from './noop-workflow.ts';
import { startStack, summary, type StackHandle } from './stack.ts';
import { startSentenceWorkflow } from '../test/support/temporal.ts';

const args = process.argv.slice(2);
const WORKERS_IN_PROCESS = args.includes('--workers-in-process');
const FETCH = args.includes('--fetch');
const COMPILED = args.includes('--compiled');
if (COMPILED && WORKERS_IN_PROCESS) throw new Error('--compiled runs the workers in processes of their own: not with --workers-in-process');
const FLOOR = args.includes('--floor');
const N = Number(args.find((a) => /^\d+$/.test(a)) ?? 150);
const SEED = Number(args.find((a) => a.startsWith('--seed='))?.slice('--seed='.length) ?? 1);
const pause = args.find((a) => a.startsWith('--pause='))?.slice('--pause='.length);
if (pause !== undefined && args.includes('--back-to-back')) throw new Error('--pause and --back-to-back: one or the other');
const PAUSE_MS = args.includes('--back-to-back') ? 0 : Number(pause ?? 40);
if (!Number.isInteger(PAUSE_MS) || PAUSE_MS < 0) throw new Error(`--pause=${pause}: a whole number of ms is needed`);
const WARM_UP = 15;
const NOOP_QUEUE = 'bench-noop';
const FLOOR_KINDS = ['floor-upsert', 'floor-schedule', 'floor-answer', 'floor-all', 'hop'] as const;
const ALL_KINDS = ['deployed', 'api', 'raw', 'noop', ...FLOOR_KINDS] as const;
type Kind = (typeof ALL_KINDS)[number];
type FloorKind = Exclude<(typeof FLOOR_KINDS)[number], 'hop'>;
const KINDS: readonly Kind[] = ALL_KINDS.filter(
  (k) => (k !== 'api' || WORKERS_IN_PROCESS) && (FLOOR || !(FLOOR_KINDS as readonly string[]).includes(k)),
);

const risk = (i: number) => ({ roshLevel: i % 2 === 0 ? 'low' : 'medium', sourceCode: 'bench', by: 'OM1' }) as const;

const LABELS: Record<Kind, string> = {
  deployed: 'POST /sentences/:id/risk, the API in its own process (as deployed)',
  api: "POST /sentences/:id/risk, the API in the worker's process",
  raw: 'raw Update record-risk-information on a sentence',
  noop: 'raw Update with a validator on a no-op workflow',
  'floor-upsert': 'the no-op Update, upserting one indexed search attribute',
  'floor-schedule': 'the no-op Update, scheduling one activity',
  'floor-answer': "the no-op Update, answering as much as the sentence's",
  'floor-all': 'the no-op Update, doing all three',
  hop: "GET /health/live, the API's process with no work behind it",
};

/** What each floor kind's Update does (FloorArgs, besides its number); `answerBytes` is the sentence's answer's size. */
const floorParts = (answerBytes: number): Record<FloorKind, Omit<FloorArgs, 'n'>> => ({
  'floor-upsert': { upsert: true },
  'floor-schedule': { schedule: true },
  'floor-answer': { answerBytes },
  'floor-all': { upsert: true, schedule: true, answerBytes },
});

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

/** POSTs a JSON body (with the token), or GETs without either, and answers the status, the body read to its end. */
async function send(url: string, post?: { token: string; body: string }): Promise<number> {
  const headers = post && { 'content-type': 'application/json', authorization: `Bearer ${post.token}` };
  if (FETCH) {
    const res = await fetch(url, post ? { method: 'POST', headers, body: post.body } : {});
    await res.text();
    return res.status;
  }
  return new Promise((resolve, reject) => {
    const options = post ? { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(post.body) } } : { agent };
    const req = http.request(url, options, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(post?.body);
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

function report(times: Record<Kind, number[]>, turnarounds: Partial<Record<Kind, number>>): void {
  const s = Object.fromEntries(KINDS.map((k) => [k, summary(times[k])])) as Record<Kind, ReturnType<typeof summary>>;
  const where = WORKERS_IN_PROCESS
    ? "the workers in the client's process"
    : `each worker in a process of its own${COMPILED ? ', the API and the worker from the production build' : ''}`;
  const client = FETCH ? 'fetch' : 'node:http';
  const pace =
    PAUSE_MS > 0 ? `each ${PAUSE_MS} ms after the one before was answered` : 'each as soon as the one before was answered (back to back)';
  console.log(`commands on one dev server, ${where}, the API's sent with ${client}, seed ${SEED}:`);
  console.log(`${KINDS.reduce((n, k) => n + s[k].n, 0)} measured, one at a time, ${pace}, in shuffled rounds`);
  console.log("| command | n | p50 ms | p99 ms | worker's turnaround p50 ms |");
  console.log('| --- | --- | --- | --- | --- |');
  for (const k of KINDS) {
    const turnaround = turnarounds[k] === undefined ? '-' : turnarounds[k].toFixed(1);
    console.log(`| ${LABELS[k]} | ${s[k].n} | ${s[k].p50.toFixed(1)} | ${s[k].p99.toFixed(1)} | ${turnaround} |`);
  }
  const ratio = (a: Kind, b: Kind) => (s[a].p50 / s[b].p50).toFixed(2);
  console.log(`p50 ratio API (as deployed) / no-op Update: ${ratio('deployed', 'noop')} (issue 11's goal: within 1.5x)`);
  if (WORKERS_IN_PROCESS) console.log(`p50 ratio API (in the worker's process) / no-op Update: ${ratio('api', 'noop')}`);
  console.log(
    `p50 ratio sentence Update / no-op Update: ${ratio('raw', 'noop')}; API (as deployed) / sentence Update: ${ratio('deployed', 'raw')}`,
  );
  if (!FLOOR) return;
  const parts = FLOOR_KINDS.filter((k) => k !== 'hop').map((k) => `${k.slice('floor-'.length)} ${ratio(k, 'noop')}`);
  console.log(`p50 ratio of each floor part / no-op Update: ${parts.join(', ')}`);
  const added = (a: Kind, b: Kind) => (s[a].p50 - s[b].p50).toFixed(1);
  console.log(
    `p50 ms added: the floor's parts ${added('floor-all', 'noop')}, the sentence's rules and publish ${added('raw', 'floor-all')}, ` +
      `the API ${added('deployed', 'raw')} (its process with no work: ${s.hop.p50.toFixed(1)})`,
  );
  console.log(`p50 ratio API (as deployed) / the floor with all three: ${ratio('deployed', 'floor-all')}`);
}

/** The cases and workflows each kind's commands go to, and how to send one. */
async function targets(stack: StackHandleSet) {
  const today = londonDate(Date.now());
  const cases = await Promise.all(
    ['deployed', 'api', 'raw'].map(async () => {
      const s = communityOrder(today, periodEnd(today, 36), { sentenceId: uniqueId('CL') });
      const h = await startSentenceWorkflow(stack.client, s, 'bench');
      await h.executeUpdate(anyCommandUpdate('allocate'), { args: [{ offenderManagerId: 'OM1' }] });
      return { id: s.sentenceId, h };
    }),
  );
  const noop = await stack.client.workflow.start('noopWorkflow', { workflowId: uniqueId('noop'), taskQueue: NOOP_QUEUE });
  // With the floor's parts: the size of a sentence's answer to the command measured (its JSON), for the floor's answers.
  const answerBytes = FLOOR
    ? JSON.stringify(await cases[2]!.h.executeUpdate(anyCommandUpdate('record-risk-information'), { args: [risk(1)] })).length
    : 0;
  const parts = floorParts(answerBytes);
  const floors = Object.fromEntries(
    await Promise.all(
      (FLOOR ? (Object.keys(parts) as FloorKind[]) : []).map(async (k) => [
        k,
        await stack.client.workflow.start('floorWorkflow', { workflowId: uniqueId('floor'), taskQueue: NOOP_QUEUE }),
      ]),
    ),
  ) as Record<FloorKind, StackHandle>;
  const handles: Partial<Record<Kind, StackHandle>> = { deployed: cases[0]!.h, api: cases[1]!.h, raw: cases[2]!.h, noop, ...floors };
  const command = async (kind: Kind, n: number): Promise<void> => {
    if (kind === 'deployed' || kind === 'api') {
      const [base, c] = kind === 'deployed' ? [stack.deployedApi, cases[0]!] : [stack.withAuth, cases[1]!];
      const status = await send(`${base}/sentences/${c.id}/risk`, { token: stack.token, body: JSON.stringify(risk(n)) });
      if (status !== 200) throw new Error(`POST /risk: ${status}`);
    } else if (kind === 'hop') {
      const status = await send(`${stack.deployedApi}/health/live`);
      if (status !== 200) throw new Error(`GET /health/live: ${status}`);
    } else if (kind === 'raw') {
      await cases[2]!.h.executeUpdate(anyCommandUpdate('record-risk-information'), { args: [risk(n)] });
    } else if (kind === 'noop') {
      await noop.executeUpdate(noopUpdate, { args: [risk(n)] });
    } else {
      await floors[kind].executeUpdate(floorUpdate, { args: [{ n, ...parts[kind] }] });
    }
  };
  return { handles, command, answerBytes, benchWorkflows: [noop, ...Object.values(floors)] };
}

type StackHandleSet = Awaited<ReturnType<typeof startStack>>;

async function main() {
  const stack = await startStack({ workers: WORKERS_IN_PROCESS ? 'in-process' : 'own-processes', compiled: COMPILED });
  await stack.benchWorker(NOOP_QUEUE, './noop-workflow.ts');
  const times = Object.fromEntries(KINDS.map((k) => [k, [] as number[]])) as Record<Kind, number[]>;
  try {
    const { handles, command, answerBytes, benchWorkflows } = await targets(stack);
    if (FLOOR) console.log(`the sentence's answer: ${answerBytes} bytes of JSON`);
    const random = seeded(SEED);
    for (let n = 0; n < N + WARM_UP; n++) {
      for (const kind of shuffled(KINDS, random)) {
        if (PAUSE_MS > 0) await new Promise((r) => setTimeout(r, PAUSE_MS));
        const t = performance.now();
        await command(kind, n);
        if (n >= WARM_UP) times[kind].push(performance.now() - t);
      }
    }
    const measured = KINDS.filter((k) => handles[k] !== undefined);
    const turnarounds = Object.fromEntries(await Promise.all(measured.map(async (k) => [k, await turnaround(handles[k]!)])));
    await Promise.all(benchWorkflows.map((h) => h.terminate('benchmark done')));
    report(times, turnarounds);
  } finally {
    agent.destroy();
    await stack.stop();
  }
}

await main();
