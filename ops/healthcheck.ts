// The container's HEALTHCHECK (Dockerfile): `node dist/ops/healthcheck.js` exits 0 when HEALTHCHECK_URL answers 2xx
// within two seconds, 1 otherwise. The default is the API's liveness on PORT; docker-compose.yml points the worker's
// at its own readiness (WORKER_HEALTH_PORT, worker/health.ts). No dependencies: the image has no curl.
const url = process.env.HEALTHCHECK_URL || `http://127.0.0.1:${process.env.PORT || '3000'}/health/live`;
try {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  if (!res.ok) {
    process.stderr.write(`unhealthy: ${url} answered ${res.status}\n`);
    process.exitCode = 1;
  }
} catch (e) {
  process.stderr.write(`unhealthy: ${url}: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}
export {};
