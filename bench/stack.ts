// The stack the API benchmarks run on: an embedded PostgreSQL, the dev server, one worker, the embedded identity
// provider and, in the same process, two instances of the API on them: one that verifies each request's bearer token,
// and a baseline handed the same principal without one (a measurement only: the product has no way to skip
// verification); and the API as deployed, in a process of its own (deployedApi).
import { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { configuredDeps, createActivities } from '../activities/index.ts';
import { createApp, storeOptions, type AppOptions } from '../api/app.ts';
import { SEARCH_ATTRIBUTES } from '../contracts/index.ts';
import { DEV_SERVER_SETTINGS } from '../ops/dev-server.ts';
import { ensureToolchain } from '../scripts/toolchain.mjs';
import { freePort, startEmbeddedPostgres } from '../store/embedded.ts';
import { openStore, type Store } from '../store/index.ts';
import { createWorker } from '../worker/worker.ts';
import { startTestIdp } from '../test/support/auth.ts';
import { TEST_PAYLOAD_KEYS, testDataConverter } from '../test/support/codec.ts';

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** The median, the 99th percentile and the count of a set of timings (ms). */
export function summary(times: readonly number[]): { p50: number; p99: number; n: number } {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), n: sorted.length };
}

async function listen(opts: AppOptions): Promise<{ server: Server; base: string }> {
  const server = createApp(opts).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A workflow handle on the stack's client (the benchmarks' one type for it). */
export type StackHandle = ReturnType<Awaited<ReturnType<typeof startStack>>['client']['workflow']['getHandle']>;

/** The embedded dev server with the project's settings and search attributes. */
function devServer(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    client: { dataConverter: testDataConverter },
    server: {
      executable: { type: 'existing-path', path: ensureToolchain({ quiet: true }).cli },
      searchAttributes: [...SEARCH_ATTRIBUTES],
      extraArgs: ['--log-level', 'never', ...DEV_SERVER_SETTINGS],
    },
  });
}

/**
 * The project's worker on the stack's server; `stop` and `start` it again so that messages wait for the next
 * (bench/signal-burst.ts).
 */
async function projectWorker(env: TestWorkflowEnvironment, store: Store) {
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  const start = async () => {
    worker = await createWorker({ connection: env.nativeConnection, deps: configuredDeps(store, {}), dataConverter: testDataConverter });
    running = worker.run();
  };
  const stop = async () => {
    worker?.shutdown();
    await running;
    worker = running = undefined;
  };
  await start();
  return { start, stop };
}

/**
 * The API as it is deployed (docker-compose.yml's `api` service): api/server.ts in a process of its own, configured
 * by its environment, on the stack's server, store and identity provider, with the tests' payload key. Its event loop
 * is then its own, as in a deployment, not shared with the worker's activities and workflow activations.
 */
async function deployedApi(address: string, databaseUrl: string, issuer: string, audience: string) {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../api/server.ts', import.meta.url))], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      TEMPORAL_ADDRESS: address,
      DATABASE_URL: databaseUrl,
      AUTH_ISSUER: issuer,
      AUTH_AUDIENCE: audience,
      PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
      RATE_LIMIT_PER_MINUTE: '1000000',
      CASE_COMMANDS_PER_MINUTE: '100000',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the API process exited with ${child.exitCode}`);
    const up = await fetch(`${base}/health/live`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (i > 300) throw new Error('the API process did not start within 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  return { base, stop };
}

/** The dev server, a worker, the store, the identity provider and the three APIs; and how to stop them all. */
export async function startStack() {
  const dir = mkdtempSync(join(tmpdir(), 'so-bench-auth-'));
  const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await freePort(), database: 'bench', persistent: false });
  const store = await openStore(pg.url);
  const env = await devServer();
  const project = await projectWorker(env, store);
  const idp = await startTestIdp();
  const client = new Client({ connection: env.connection, dataConverter: testDataConverter });
  const common = {
    client,
    ...storeOptions(store),
    limits: { requestsPerMinute: 1_000_000, commandsPerCasePerMinute: 1_000_000 },
  };
  const token = await idp.token('test-service');
  const principal = await idp.auth.verify(token);
  const withAuth = await listen({ ...common, auth: idp.auth });
  const baseline = await listen({ ...common, auth: { verify: async () => principal } });
  const deployed = await deployedApi(env.address, pg.url, idp.idp.issuer, idp.idp.audience);
  const benchWorkers: { worker: Worker; running: Promise<void> }[] = [];
  /**
   * Runs a benchmark's own workflow (`file`, next to this one) on a task queue of its own, with the project's
   * activities, on the same server; stopped with the stack.
   */
  const benchWorker = async (taskQueue: string, file: string) => {
    const w = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: fileURLToPath(new URL(file, import.meta.url)),
      activities: createActivities(configuredDeps(store, {})),
      dataConverter: testDataConverter,
    });
    benchWorkers.push({ worker: w, running: w.run() });
  };
  const stop = async () => {
    for (const s of [withAuth.server, baseline.server]) await new Promise((r) => s.close(r));
    await deployed.stop();
    for (const b of benchWorkers) b.worker.shutdown();
    for (const b of benchWorkers) await b.running;
    await project.stop();
    await env.teardown();
    await idp.idp.stop();
    await store.close();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  return {
    idp,
    token,
    client,
    withAuth: withAuth.base,
    /** The API in its own process, as deployed (deployedApi). */
    deployedApi: deployed.base,
    baseline: baseline.base,
    benchWorker,
    pauseWorker: project.stop,
    resumeWorker: project.start,
    stop,
  };
}
