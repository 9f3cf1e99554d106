// A slow step in a workflow task (worker/worker.ts ISOLATE_EXECUTION_TIMEOUT). A step that holds its task for 6
// seconds after an await, as a sentence's main loop can with the largest batch of Signals on a loaded machine: on the
// SDK's default limit of 5 seconds the worker gives it up as deadlocked, fails the workflow task, and the retry meets
// the same step and the same limit (the case stalls, retried for ever); on the project's settings the step finishes,
// the workflow completes and the same worker takes the next. Each worker is a process of its own.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHistory } from '../support/history.ts';
import { uniqueId } from '../support/fixtures.ts';
import { until } from '../support/poll.ts';
import { devServerEnv } from '../support/temporal.ts';

const STEP_MS = 6_000;
const script = fileURLToPath(new URL('../support/slow-worker.ts', import.meta.url));

let env: TestWorkflowEnvironment;
const children: ChildProcess[] = [];
beforeAll(async () => {
  env = await devServerEnv();
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await env?.teardown();
});

/** A worker process on its own task queue, once it polls; `stop` ends it with SIGTERM and resolves with its exit. */
async function workerProcess(mode: 'project' | 'sdk-defaults', taskQueue: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', script, mode, env.address, taskQueue], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('polling') && resolve());
    void ended.then((e) => reject(new Error(`worker exited before polling (${e.code ?? e.signal}): ${stderr.slice(-2000)}`)));
  });
  const stop = () => (child.kill('SIGTERM'), ended);
  return { child, stop };
}

const start = (taskQueue: string) => env.client.workflow.start('slowStep', { taskQueue, workflowId: uniqueId('slow'), args: [STEP_MS] });

describe('a slow step in a workflow task', () => {
  it('on the SDK default limit, fails its workflow task as deadlocked, and the retry fails the same way', async () => {
    const taskQueue = uniqueId('slow-sdk');
    const w = await workerProcess('sdk-defaults', taskQueue);
    const h = await start(taskQueue);
    // The server records the first failure; the retries after it show as the pending task's attempt.
    const attempt = await until('the workflow task retried after failing', async () => {
      const n = (await h.describe()).raw.pendingWorkflowTask?.attempt ?? 0;
      return n >= 3 ? n : undefined;
    });
    expect(attempt).toBeGreaterThanOrEqual(3);
    const failed = decodeHistory(await h.fetchHistory()).events!.filter((e) => e.workflowTaskFailedEventAttributes);
    expect(failed.map((e) => e.workflowTaskFailedEventAttributes!.failure!.message)).toEqual(['Script execution timed out after 5000ms']);
    expect((await h.describe()).status.name).toBe('RUNNING');
    await h.terminate('end of test');
    expect(await w.stop()).toEqual({ code: 0, signal: null });
  }, 90_000);

  it('on the project settings, finishes: the workflow completes and the same worker takes the next', async () => {
    const taskQueue = uniqueId('slow-project');
    const w = await workerProcess('project', taskQueue);
    const first = await start(taskQueue);
    expect(await first.result()).toBe('done');
    expect(await (await start(taskQueue)).result()).toBe('done');
    // Not given up by the worker (on a saturated machine the server may still time a 6 s task out and retry it).
    const events = decodeHistory(await first.fetchHistory()).events!;
    expect(events.filter((e) => e.workflowTaskFailedEventAttributes)).toEqual([]);
    expect(await w.stop()).toEqual({ code: 0, signal: null });
  }, 90_000);
});
