// The worker process's health endpoints (worker/health.ts): live while the process answers; ready only while the SDK
// worker runs, PostgreSQL answers and no stop signal has come. The checks are given as functions; the server is real.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { startHealthServer } from '../../worker/health.ts';

let state = 'RUNNING';
let postgresUp = true;
let draining = false;
let server: Server;
let base: string;

beforeAll(async () => {
  server = await startHealthServer(0, '127.0.0.1', {
    state: () => state,
    postgres: async () => {
      if (!postgresUp) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    },
    draining: () => draining,
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

const get = async (path: string) => {
  const res = await fetch(`${base}${path}`);
  return { status: res.status, body: (await res.json()) as unknown };
};

describe("the worker's health endpoints", () => {
  it('are ready while the worker runs and PostgreSQL answers', async () => {
    expect(await get('/health/live')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await get('/health/ready')).toEqual({ status: 200, body: { status: 'ready', checks: { worker: 'ok', postgres: 'ok' } } });
  });

  it('are not ready while PostgreSQL is down or the worker is not running, and ready again after', async () => {
    postgresUp = false;
    expect(await get('/health/ready')).toEqual({
      status: 503,
      body: { status: 'not ready', checks: { worker: 'ok', postgres: 'failing: connect ECONNREFUSED 127.0.0.1:5432' } },
    });
    postgresUp = true;
    state = 'STOPPING';
    expect(await get('/health/ready')).toEqual({
      status: 503,
      body: { status: 'not ready', checks: { worker: 'failing: worker stopping', postgres: 'ok' } },
    });
    state = 'RUNNING';
    expect((await get('/health/ready')).status).toBe(200);
  });

  it('turns not ready from the first stop signal, while still live', async () => {
    draining = true;
    expect(await get('/health/ready')).toEqual({ status: 503, body: { status: 'stopping', checks: { worker: 'ok', postgres: 'ok' } } });
    expect((await get('/health/live')).status).toBe(200);
    expect((await get('/nothing')).status).toBe(404);
    draining = false;
  });
});
