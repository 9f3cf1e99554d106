// The stack the API benchmarks run on: an embedded PostgreSQL, the dev server, one worker, the embedded identity
// provider and, in the same process, two instances of the API on them: one that verifies each request's bearer token,
// and a baseline handed the same principal without one (a measurement only: the product has no way to skip
// verification); and the API as deployed, in a process of its own (deployedApi). The workers run in this process, or
// each in its own as deployed (StackOptions.workers).
import { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
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
import { benchActivities } from './bench-activities.ts';

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
  return { start, stop, pause: stop };
}

/**
 * A process of the project's own (a deployment's entry point or a bench worker): from the sources with the tsx
 * loader, or from the production build (`compiled`: dist/, as the image runs it).
 */
async function ownProcess(script: string, env: Record<string, string>, ready: (child: ChildProcess) => Promise<boolean>, compiled = false) {
  const args = compiled ? [distPath(script)] : ['--import', 'tsx', fileURLToPath(new URL(script, import.meta.url))];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout!.setEncoding('utf8');
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}`);
    if (await ready(child)) break;
    if (i > 600) {
      child.kill('SIGKILL');
      throw new Error(`${script} was not ready within 60 s`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // What it writes once ready is not read: it flows away, so that a full pipe never blocks it.
  child.stdout!.resume();
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  return { child, stop };
}

/** The production build's file for an entry point given from the sources ('../api/server.ts': dist/api/server.js). */
const distPath = (script: string) => fileURLToPath(new URL(script.replace(/^\.\.\//, '../dist/').replace(/\.ts$/, '.js'), import.meta.url));

/** What every process of the stack is configured with: the stack's server, its store and the tests' payload key. */
const stackEnv = (address: string, databaseUrl: string) => ({
  TEMPORAL_ADDRESS: address,
  DATABASE_URL: databaseUrl,
  PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
});

const answers = (url: string) => () =>
  fetch(url).then(
    (r) => r.ok,
    () => false,
  );

/**
 * The API as it is deployed (docker-compose.yml's `api` service): api/server.ts in a process of its own, configured
 * by its environment, on the stack's server, store and identity provider, with the tests' payload key. Its event loop
 * is then its own, as in a deployment, not shared with the worker's activities and workflow activations.
 */
async function deployedApi(address: string, databaseUrl: string, issuer: string, audience: string, compiled: boolean) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...stackEnv(address, databaseUrl),
    PORT: String(port),
    HOST: '127.0.0.1',
    AUTH_ISSUER: issuer,
    AUTH_AUDIENCE: audience,
    RATE_LIMIT_PER_MINUTE: '1000000',
    CASE_COMMANDS_PER_MINUTE: '100000',
  };
  const { stop } = await ownProcess('../api/server.ts', env, answers(`${base}/health/live`), compiled);
  return { base, stop };
}

/**
 * The project's worker as it is deployed (docker-compose.yml's `worker` service): worker/main.ts in a process of its
 * own, configured by its environment, on the stack's server and store, with the tests' payload key; ready once its
 * readiness endpoint answers (it polls, and PostgreSQL answers).
 */
async function deployedWorker(address: string, databaseUrl: string, compiled: boolean) {
  const healthPort = await freePort();
  const env = {
    ...stackEnv(address, databaseUrl),
    HOST: '127.0.0.1',
    WORKER_HEALTH_PORT: String(healthPort),
    METRICS_PORT: String(await freePort()),
  };
  const { stop } = await ownProcess('../worker/main.ts', env, answers(`http://127.0.0.1:${healthPort}/health/ready`), compiled);
  // The production build polls as its Worker Deployment version: made current as docker-compose's promote service does.
  try {
    if (compiled) execFileSync(process.execPath, [distPath('../worker/promote.ts')], { env: { ...process.env, ...env }, stdio: 'ignore' });
  } catch (e) {
    await stop();
    throw e;
  }
  const refuse = async () => {
    throw new Error('the worker runs in its own process here: pause it only with in-process workers');
  };
  return { stop, start: refuse, pause: refuse };
}

/** A benchmark's own workflow on a worker in a process of its own (bench/worker-process.ts); ready once it polls. */
async function benchWorkerProcess(address: string, databaseUrl: string, taskQueue: string, file: string) {
  const env = { ...stackEnv(address, databaseUrl), BENCH_TASK_QUEUE: taskQueue, BENCH_WORKFLOWS: file };
  let out = '';
  return ownProcess('./worker-process.ts', env, async (child) => {
    let chunk: string | null;
    while ((chunk = child.stdout!.read() as string | null) !== null) out += chunk;
    return out.includes('polling');
  });
}

export interface StackOptions {
  /**
   * Where the workers run: in this process (the default; a benchmark can then pause the project's), or each in a
   * process of its own, as deployed, so that the benchmark's client shares no event loop with a worker's activities.
   */
  workers?: 'in-process' | 'own-processes';
  /**
   * With workers in processes of their own: the API and the project's worker run from the production build (dist/,
   * built first), as the image runs them, without the tsx loader and its source maps. Bench workers run from the sources.
   */
  compiled?: boolean;
}

/** A benchmark's own workflow on a worker in this process, with the project's activities and the benchmarks' own. */
async function benchWorkerInProcess(env: TestWorkflowEnvironment, store: Store, taskQueue: string, file: string) {
  const w = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: fileURLToPath(new URL(file, import.meta.url)),
    activities: { ...createActivities(configuredDeps(store, {})), ...benchActivities },
    dataConverter: testDataConverter,
  });
  const running = w.run();
  return { stop: () => (w.shutdown(), running) };
}

/** The dev server, a worker, the store, the identity provider and the three APIs; and how to stop them all. */
export async function startStack(opts: StackOptions = {}) {
  const ownProcesses = opts.workers === 'own-processes';
  const compiled = opts.compiled === true;
  if (compiled && !ownProcesses) throw new Error('a compiled stack runs its workers in processes of their own');
  if (compiled) execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/build.mjs', import.meta.url))], { stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), 'so-bench-auth-'));
  const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await freePort(), database: 'bench', persistent: false });
  const store = await openStore(pg.url);
  const env = await devServer();
  const project = ownProcesses ? await deployedWorker(env.address, pg.url, compiled) : await projectWorker(env, store);
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
  const deployed = await deployedApi(env.address, pg.url, idp.idp.issuer, idp.idp.audience, compiled);
  const benchWorkers: { stop: () => Promise<void> }[] = [];
  /**
   * Runs a benchmark's own workflow (`file`, next to this one) on a task queue of its own, with the project's
   * activities and the benchmarks' own (bench-activities.ts), on the same server, where the stack's workers run;
   * stopped with the stack.
   */
  const benchWorker = async (taskQueue: string, file: string) => {
    benchWorkers.push(
      ownProcesses
        ? await benchWorkerProcess(env.address, pg.url, taskQueue, file)
        : await benchWorkerInProcess(env, store, taskQueue, file),
    );
  };
  const stop = async () => {
    for (const s of [withAuth.server, baseline.server]) await new Promise((r) => s.close(r));
    await deployed.stop();
    await Promise.all(benchWorkers.map((b) => b.stop()));
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
    pauseWorker: project.pause,
    resumeWorker: project.start,
    stop,
  };
}
