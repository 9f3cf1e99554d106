// The worker process's own health endpoints, for a container's HEALTHCHECK or an orchestrator's probes:
// /health/live (the process answers) and /health/ready (the worker is running and PostgreSQL answers; 503 from the
// first stop signal, before the drain). Plain node:http: a worker has no API.
import { createServer, type Server } from 'node:http';
import { checkOutcome } from '../ops/health.ts';

export interface WorkerHealth {
  /** The SDK worker's state ('RUNNING' while it polls). */
  state: () => string;
  postgres: () => Promise<unknown>;
  draining: () => boolean;
}

export function startHealthServer(port: number, host: string, health: WorkerHealth): Promise<Server> {
  const server = createServer((req, res) => {
    const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method !== 'GET') return send(405, { error: 'GET only' });
    if (req.url === '/health/live') return send(200, { status: 'ok' });
    if (req.url !== '/health/ready') return send(404, { error: 'not found' });
    void checkOutcome(health.postgres).then((postgres) => {
      const worker = health.state() === 'RUNNING' ? 'ok' : `failing: worker ${health.state().toLowerCase()}`;
      const draining = health.draining();
      const ready = !draining && worker === 'ok' && postgres === 'ok';
      send(ready ? 200 : 503, { status: ready ? 'ready' : draining ? 'stopping' : 'not ready', checks: { worker, postgres } });
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
