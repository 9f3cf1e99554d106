// Benchmark: does the cost of one message grow with the case's age? (issue 11, "flat cost per message"). One case on
// the dev server receives earlier messages as Signals, as fast as they go, alternating risk information the case
// applies (RoSH medium, high, ...: each adds to the timeline and the risk history) and a transfer it refuses (counted).
// After 10, 1,000 and 10,000 of them it measures, one at a time:
// - an Update through the client (record-risk-information), end to end: server, worker and workflow;
// - the workflow's own work for the same command, in the domain alone (applyCommand under the bounds, then the trim);
// - the workflow's own work for a Signal it refuses in a flood (domain/signals.ts, time already applied).
// The goal: the ratio of the figures after 10,000 to those after 10 under 1.5. Prints figures; asserts nothing.
// Usage: npm run bench:message -- [updates per point]   (default 30)
import { anyCommandSignal, anyCommandUpdate, stateQuery } from '../contracts/index.ts';
import { trimmed } from '../domain/bounds.ts';
import { londonDate, periodEnd } from '../domain/dates.ts';
import { applyCommand, type Command } from '../domain/lifecycle.ts';
import { communityOrder, uniqueId } from '../test/support/fixtures.ts';
import { signalOutcome } from '../domain/signals.ts';
import { startStack, summary, type StackHandle } from './stack.ts';
import { startSentenceWorkflow } from '../test/support/temporal.ts';
import { pool } from '../test/support/pool.ts';

const UPDATES = Number(process.argv[2] ?? 30);
const POINTS = [10, 1_000, 10_000];
const DOMAIN_REPEATS = 200;

const risk = (n: number) => ({ roshLevel: n % 4 === 0 ? 'low' : 'medium', sourceCode: `src${n % 50}`, by: 'OM1' }) as const;

type Handle = StackHandle;
interface Row {
  after: number;
  update: ReturnType<typeof summary>;
  domainUs: number;
  refusedUs: number;
  bytes: number;
  runs: number;
}

/** Sends the earlier messages from..to (alternately applied and refused), 16 at a time, and waits until all are in. */
async function sendEarlier(h: Handle, from: number, to: number): Promise<void> {
  const transfer = { toProviderCode: 'N07', toAreaCode: 'LDN', reasonCode: 'MOVED', by: 'OM1' };
  await pool(to - from, 16, async (k) => {
    const i = from + k;
    if (i % 2 === 0) await h.signal(anyCommandSignal('record-risk-information'), risk(i) as never);
    else await h.signal(anyCommandSignal('request-transfer'), { ...transfer, transferId: `T${i}` } as never);
  });
  for (;;) {
    const state = await h.query(stateQuery);
    const handled = (state.signalsRejected?.count ?? 0) + state.risk.history.length + (state.risk.historyOmitted ?? 0);
    if (handled >= to) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The Updates' latency end to end, then the domain's own cost for the same command on the state as it now is. */
async function measure(h: Handle, after: number): Promise<Row> {
  const times: number[] = [];
  for (let u = 0; u < UPDATES; u++) {
    const t = performance.now();
    await h.executeUpdate(anyCommandUpdate('record-risk-information'), { args: [risk(after + u)] });
    times.push(performance.now() - t);
  }
  const state = await h.query(stateQuery);
  const cmd = { type: 'record-risk-information', ...risk(1) } as Command;
  const domainUs = microseconds(() => trimmed(applyCommand(state, cmd, Date.now(), undefined, undefined, { bounded: true }).state));
  // A Signal the case refuses, as the workflow takes one in a flood: time already applied at this instant.
  const refusal = { toProviderCode: 'N07', toAreaCode: 'LDN', reasonCode: 'MOVED', by: 'OM1', transferId: 'R1' };
  const refusedUs = microseconds(() =>
    signalOutcome(state, 'request-transfer', refusal, Date.now(), { bounded: true, turns: { applied: 0, rejected: 0 }, timeApplied: true }),
  );
  const bytes = new TextEncoder().encode(JSON.stringify(state)).length;
  return { after, update: summary(times), domainUs, refusedUs, bytes, runs: state.runs };
}

/** The median time of `fn` in the domain alone, in microseconds, over DOMAIN_REPEATS runs. */
function microseconds(fn: () => unknown): number {
  const times: number[] = [];
  for (let r = 0; r < DOMAIN_REPEATS; r++) {
    const t = performance.now();
    fn();
    times.push((performance.now() - t) * 1000);
  }
  return summary(times).p50;
}

function report(rows: Row[]): void {
  console.log(`one case, earlier messages as Signals (half applied, half refused); ${UPDATES} Updates measured at each point`);
  console.log('| after messages | Update p50 ms | Update p99 ms | domain apply p50 µs | refused Signal p50 µs | state bytes | runs |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    console.log(
      `| ${r.after} | ${r.update.p50.toFixed(1)} | ${r.update.p99.toFixed(1)} | ${r.domainUs.toFixed(0)} | ${r.refusedUs.toFixed(1)} | ${r.bytes} | ${r.runs} |`,
    );
  }
  const [first, last] = [rows[0]!, rows.at(-1)!];
  console.log(
    `ratio after ${last.after} / after ${first.after}: Update p50 ${(last.update.p50 / first.update.p50).toFixed(2)}, ` +
      `domain ${(last.domainUs / first.domainUs).toFixed(2)} (issue 11's goal: under 1.5)`,
  );
}

async function main() {
  const stack = await startStack();
  const today = londonDate(Date.now());
  const s = communityOrder(today, periodEnd(today, 36), { sentenceId: uniqueId('MC') });
  const rows: Row[] = [];
  try {
    const h = await startSentenceWorkflow(stack.client, s, 'bench');
    await h.executeUpdate(anyCommandUpdate('allocate'), { args: [{ offenderManagerId: 'OM1' }] });
    let sent = 0;
    for (const point of POINTS) {
      await sendEarlier(h, sent, point);
      sent = point;
      rows.push(await measure(h, point));
    }
  } finally {
    await stack.stop();
  }
  report(rows);
}

await main();
