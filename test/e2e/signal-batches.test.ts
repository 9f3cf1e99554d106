// Signals in batches (domain/bounds.ts): 250 Signals the case applies and 2,500 it refuses reach a sentence's
// workflow before any worker runs, so that its first workflow task receives all 2,750 at once. That task applies 100
// and keeps the rest, in order, for the next tasks, each started by a 1 ms timer: the second applies 100 more, the
// third the last 50 and refuses 2,000, the fourth refuses the last 500. Every one is handled, in the order it came, no
// task fails, and the domain replay reproduces the run.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anyCommandSignal, stateQuery } from '../../contracts/index.ts';
import { londonDate, periodEnd } from '../../domain/dates.ts';
import { createWorker } from '../../worker/worker.ts';
import { testDataConverter } from '../support/codec.ts';
import { testDeps } from '../support/deps.ts';
import { domainReplay } from '../support/domain-replay.ts';
import { communityOrder } from '../support/fixtures.ts';
import { decodeHistory } from '../support/history.ts';
import { eventually } from '../support/poll.ts';
import { pool } from '../support/pool.ts';
import { devServerEnv, startSentenceWorkflow } from '../support/temporal.ts';

const APPLIED = 250;
const REFUSED = 2_500;

let env: TestWorkflowEnvironment;
let worker: Worker | undefined;
let running: Promise<void> | undefined;
beforeAll(async () => {
  env = await devServerEnv();
});
afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

describe('signals in batches', () => {
  it('a task applies at most 100 signals and refuses at most 2,000; the rest follow in order in the next tasks', async () => {
    const today = londonDate(Date.now());
    const h = await startSentenceWorkflow(env.client, communityOrder(today, periodEnd(today, 12)));
    // No worker yet: every signal waits for the first workflow task. Applied ones first, one at a time (in order).
    for (let i = 0; i < APPLIED; i++) {
      await h.signal(anyCommandSignal('record-risk-information'), { roshLevel: 'medium', sourceCode: `src${i}`, by: 'OM1' } as never);
    }
    await pool(REFUSED, 32, async (i) => {
      const transfer = { transferId: `T${i}`, toProviderCode: 'N03', toAreaCode: 'WMS', reasonCode: 'MOVED', by: 'OM1' };
      await h.signal(anyCommandSignal('request-transfer'), transfer as never);
    });
    worker = await createWorker({ connection: env.nativeConnection, deps: testDeps(), dataConverter: testDataConverter });
    running = worker.run();

    const state = await eventually(
      () => h.query(stateQuery),
      (s) => s.signalsRejected?.count === REFUSED && s.risk.history.length + (s.risk.historyOmitted ?? 0) === APPLIED,
      'every signal handled',
      600,
    );
    // In the order they came: the risk history keeps the latest 50, src200 to src249.
    expect(state.risk.history.map((r) => r.sourceCode)).toEqual(Array.from({ length: 50 }, (_, i) => `src${200 + i}`));
    expect(state.signalsRejected?.latest.map((r) => r.reason)).toEqual(
      new Array<string>(10).fill(
        'request-transfer is not valid in phase commenced (valid in: allocated, inducted, plan-agreed, supervision)',
      ),
    );

    const history = await h.fetchHistory();
    const events = history.events ?? [];
    const batchTimers = events.filter((e) => {
      const t = e.timerStartedEventAttributes?.startToFireTimeout;
      return t && Number(t.seconds ?? 0) === 0 && Number(t.nanos ?? 0) === 1_000_000;
    });
    expect(batchTimers).toHaveLength(3);
    expect(events.filter((e) => e.workflowTaskFailedEventAttributes || e.workflowTaskTimedOutEventAttributes)).toEqual([]);
    const replay = domainReplay(decodeHistory(history));
    expect(replay.mismatches.slice(0, 3)).toEqual([]);
    expect(replay.compared.signal).toBe(APPLIED + REFUSED);
  }, 120_000);
});
