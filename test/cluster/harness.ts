// The cluster test's machinery: PostgreSQL (the embedded server) holding Temporal's persistence and visibility and the
// project store; a real Temporal server (the pinned build, scripts/temporal-server.mjs) with its schema set up by its
// own sql tool; and the project's worker and API as separate processes of the production build (dist/, built by
// scripts/test-cluster.mjs), each in a working folder of its own.
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { until } from '../support/poll.ts';
import { addSearchAttributes } from '../support/temporal.ts';
import { freePort, startEmbeddedPostgres, type RunningPostgres } from '../../store/embedded.ts';
import { ROOT } from '../../scripts/toolchain.mjs';

const DIST = join(ROOT, 'dist');

function need(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the cluster test with npm run test:cluster`);
  return v;
}

export interface Cluster {
  dir: string;
  postgres: RunningPostgres;
  projectDatabaseUrl: string;
  address: string;
  connection: Connection;
  stop(): Promise<void>;
}

/** Temporal's two databases on the PostgreSQL, created and brought to the current schema by the sql tool. */
function setupSchema(port: number, user: string, password: string): void {
  const sql = need('TEMPORAL_SQL_TOOL_PATH');
  const schema = need('TEMPORAL_SCHEMA_DIR');
  for (const [db, dir] of [
    ['temporal', 'temporal'],
    ['temporal_visibility', 'visibility'],
  ] as const) {
    const base = ['--plugin', 'postgres12', '--ep', '127.0.0.1', '-p', String(port), '-u', user, '--pw', password, '--db', db];
    for (const args of [['create-database'], ['setup-schema', '-v', '0.0'], ['update-schema', '-d', join(schema, dir, 'versioned')]]) {
      const r = spawnSync(sql, [...base, ...args], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`temporal sql tool ${args[0]} on ${db} failed:\n${r.stdout}\n${r.stderr}`);
    }
  }
}

/** A free port below 32768: Temporal keeps membership ports in a smallint column. */
async function freeLowPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const srv = createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

async function serverConfig(dir: string, pgPort: number, user: string, password: string): Promise<{ file: string; frontend: number }> {
  const ports = { frontend: await freePort(), history: await freePort(), matching: await freePort(), worker: await freePort() };
  const rpc = async (grpcPort: number) => ({ grpcPort, membershipPort: await freeLowPort(), bindOnLocalHost: true });
  const store = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `127.0.0.1:${pgPort}`,
      connectProtocol: 'tcp',
      user,
      password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const dynamic = join(dir, 'dynamicconfig.yaml');
  writeFileSync(dynamic, 'system.forceSearchAttributesCacheRefreshOnRead:\n  - value: true\n');
  const config = {
    log: { stdout: true, level: 'error' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      // Fixed for the life of a cluster (it cannot change later); 4 is plenty for a test, a production cluster sizes it
      // for its peak workflow throughput (docker-compose.yml).
      numHistoryShards: 4,
      datastores: { 'postgres-default': store('temporal', 20), 'postgres-visibility': store('temporal_visibility', 5) },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: {
      frontend: { rpc: { ...(await rpc(ports.frontend)), httpPort: await freePort() } },
      history: { rpc: await rpc(ports.history) },
      matching: { rpc: await rpc(ports.matching) },
      worker: { rpc: await rpc(ports.worker) },
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `127.0.0.1:${ports.frontend}` },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
    dynamicConfigClient: { filepath: dynamic, pollInterval: '10s' },
  };
  const file = join(dir, 'temporal.yaml');
  writeFileSync(file, JSON.stringify(config, null, 2)); // JSON is YAML
  return { file, frontend: ports.frontend };
}

/** The namespace `default` with ten years' retention and the project's search attributes. */
async function registerNamespace(connection: Connection): Promise<void> {
  await connection.workflowService.registerNamespace({ namespace: 'default', workflowExecutionRetentionPeriod: msToTs('3650 days') });
  await until('the namespace', async () => (await connection.workflowService.describeNamespace({ namespace: 'default' })).namespaceInfo);
  await until('the search attributes', async () => {
    await addSearchAttributes(connection);
    return true;
  });
}

export async function startCluster(dir: string): Promise<Cluster> {
  const postgres = await startEmbeddedPostgres({
    dataDir: join(dir, 'pg'),
    port: await freePort(),
    database: 'orchestrator',
    persistent: false,
  });
  const url = new URL(postgres.url);
  const [user, password, pgPort] = [decodeURIComponent(url.username), decodeURIComponent(url.password), Number(url.port)];
  setupSchema(pgPort, user, password);
  const { file, frontend } = await serverConfig(dir, pgPort, user, password);
  const logFile = join(dir, 'temporal-server.log');
  const out = openSync(logFile, 'a');
  const server = spawn(need('TEMPORAL_SERVER_PATH'), ['--config-file', file, '--allow-no-auth', 'start'], { stdio: ['ignore', out, out] });
  const serverLog = () => readFileSync(logFile, 'utf8').slice(-3000);
  const address = `127.0.0.1:${frontend}`;
  const connection = await until(`the Temporal server at ${address}`, async () => {
    if (server.exitCode !== null) throw new Error(`the Temporal server exited (${server.exitCode}): ${serverLog()}`);
    const c = await Connection.connect({ address, connectTimeout: '2 seconds' });
    await c.workflowService.getSystemInfo({});
    return c;
  });
  await registerNamespace(connection);
  return {
    dir,
    postgres,
    projectDatabaseUrl: postgres.url,
    address,
    connection,
    async stop() {
      await connection.close();
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
      await postgres.stop();
    },
  };
}

/** A production-build process (worker, API, promote) as if on its own machine: its own working folder, its environment. */
export function startProcess(
  name: string,
  script: 'worker/main.js' | 'api/server.js' | 'worker/promote.js',
  dir: string,
  env: Record<string, string>,
  args: string[] = [],
): ChildProcess {
  const cwd = join(dir, name);
  mkdirSync(cwd, { recursive: true });
  if (!existsSync(join(DIST, script))) throw new Error(`dist/${script} is missing: run the cluster test with npm run test:cluster`);
  const child = spawn(process.execPath, [join(DIST, script), ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', openSync(join(cwd, 'out.log'), 'a'), 'pipe'],
  });
  child.stderr!.on('data', (d: Buffer) => {
    const text = d.toString();
    if (/error/i.test(text) && !/WARN/.test(text)) process.stderr.write(`[${name}] ${text}`);
  });
  return child;
}

/** Runs a production-build command to its end; its exit code. */
export async function runProcess(name: string, script: 'worker/promote.js', dir: string, env: Record<string, string>, args: string[]) {
  const child = startProcess(name, script, dir, env, args);
  return new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

export async function waitForHttp(url: string): Promise<void> {
  await until(url, async () => ((await fetch(url).catch(() => undefined))?.ok ? true : undefined));
}

/** Rows of the project store, for the test's own checks. */
export async function queryProjectStore<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
