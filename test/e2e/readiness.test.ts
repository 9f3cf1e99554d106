// Readiness follows what the API depends on: false while PostgreSQL or Temporal is stopped, true again once each is
// back, and false from the moment the process starts to stop. This file runs a PostgreSQL and a Temporal dev server of
// its own (real servers, free ports), so that stopping them disturbs no other test.
import { Client, Connection } from '@temporalio/client';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDataConverter } from '../support/codec.ts';
import { startTestIdp, type TestIdp } from '../support/auth.ts';

let idp: TestIdp;
import { createApp, temporalReadiness } from '../../api/app.ts';
import { openStore, type Store } from '../../store/index.ts';
import { freePort, startEmbeddedPostgres, type RunningPostgres } from '../../store/embedded.ts';
import { eventually } from '../support/poll.ts';
import { toolchain } from '../support/temporal.ts';

const dir = mkdtempSync(join(tmpdir(), 'so-ready-'));
let pgPort: number;
let temporalPort: number;
let postgres: RunningPostgres;
let temporal: ChildProcess | undefined;
let store: Store;
let connection: Connection;
let healthConnection: Connection;
let server: Server;
let base: string;
let draining = false;

async function startTemporal(): Promise<void> {
  const args = [
    'server',
    'start-dev',
    '--headless',
    '--ip',
    '127.0.0.1',
    '--port',
    String(temporalPort),
    '--db-filename',
    join(dir, 'temporal.db'),
  ];
  temporal = spawn(toolchain().cli, [...args, '--log-level', 'never'], { stdio: 'ignore' });
}

async function stopTemporal(): Promise<void> {
  const t = temporal!;
  const exited = new Promise((r) => t.once('exit', r));
  t.kill('SIGTERM');
  await exited;
}

const startPostgres = async () => {
  postgres = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: pgPort });
};

type Ready = { ready: boolean; draining: boolean; checks: Record<string, string> };
const readiness = async (): Promise<{ status: number; body: Ready }> => {
  const res = await fetch(`${base}/health/ready`);
  return { status: res.status, body: (await res.json()) as Ready };
};

beforeAll(async () => {
  [pgPort, temporalPort] = [await freePort(), await freePort()];
  await startPostgres();
  store = await openStore(postgres.url, { max: 2 });
  await startTemporal();
  connection = await eventually(
    () => Connection.connect({ address: `127.0.0.1:${temporalPort}`, connectTimeout: '1 second' }).catch(() => undefined),
    (c) => c !== undefined,
    'the dev server',
  ).then((c) => c!);
  const client = new Client({ connection, dataConverter: testDataConverter });
  healthConnection = await Connection.connect({ address: `127.0.0.1:${temporalPort}`, interceptors: [] });
  idp = await startTestIdp();
  server = createApp({
    client,
    auth: idp.auth,
    readiness: { temporal: temporalReadiness(healthConnection), postgres: () => store.ping() },
    draining: () => draining,
  }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await idp?.idp.stop();
  await connection?.close();
  await healthConnection?.close();
  await store?.close();
  if (temporal && temporal.exitCode === null) await stopTemporal();
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('readiness', () => {
  it('is true when Temporal and PostgreSQL answer, and liveness needs neither', async () => {
    const r = await eventually(readiness, (x) => x.status === 200, 'ready');
    expect(r.body).toEqual({ ready: true, draining: false, checks: { temporal: 'ok', postgres: 'ok' } });
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
  });

  it('is false while PostgreSQL is stopped, and true again once it is back', async () => {
    await postgres.stop();
    const down = await eventually(readiness, (x) => x.status === 503, 'not ready without PostgreSQL');
    expect(down.body.ready).toBe(false);
    expect(down.body.checks.temporal).toBe('ok');
    expect(down.body.checks.postgres).toMatch(/^failing: /);
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    await startPostgres();
    await eventually(readiness, (x) => x.status === 200, 'ready again with PostgreSQL');
  });

  it('is false while Temporal is stopped, and true again once it is back', async () => {
    await stopTemporal();
    const down = await eventually(readiness, (x) => x.status === 503, 'not ready without Temporal');
    expect(down.body.checks).toMatchObject({ postgres: 'ok', temporal: expect.stringMatching(/^failing: /) });
    await startTemporal();
    await eventually(readiness, (x) => x.status === 200, 'ready again with Temporal', 300);
  });

  it('is false from the moment the process starts to stop', async () => {
    draining = true;
    expect(await readiness()).toEqual({ status: 503, body: { ready: false, draining: true, checks: { temporal: 'ok', postgres: 'ok' } } });
  });
});
