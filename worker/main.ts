// The worker as its own process (deployment): connects to Temporal (the standard client configuration: address,
// namespace, TLS/mTLS, API key; config/temporal.ts) and DATABASE_URL, and runs until SIGINT/SIGTERM, finishing the
// tasks in hand before it exits. The production build polls as its Worker Deployment version (worker/deployment.ts);
// its health endpoints are on WORKER_HEALTH_PORT (worker/health.ts).
import { NativeConnection, Runtime } from '@temporalio/worker';
import { createLogger, sdkLogger } from '../ops/log.ts';
import { buildInfo } from '../ops/build.ts';
import { installTracing } from '../ops/tracing.ts';
import { encryptingDataConverter, keyringOrExit } from '../ops/codec.ts';
import { configuredDeps } from '../activities/index.ts';
import { endpointsOrExit } from '../activities/http.ts';
import { peopleSettingsOrExit } from '../activities/people.ts';
import { loadConfigOrExit } from '../config/index.ts';
import { temporalTarget } from '../config/temporal.ts';
import { openStore } from '../store/index.ts';
import { deploymentVersion } from './deployment.ts';
import { startHealthServer } from './health.ts';
import { createWorker } from './worker.ts';
import { DIGEST_SCHEDULE_ID, ensureDigestSchedule } from './schedules.ts';
import { Client, Connection } from '@temporalio/client';

// The health endpoints listen on loopback unless HOST says otherwise (docker-compose.yml sets 0.0.0.0).
const config = loadConfigOrExit(process.env, 'worker');
const logger = createLogger({ name: 'worker' });
// The SDK's own logs (workers, workflows, activities) go through the same redacted JSON logger.
Runtime.install({
  logger: sdkLogger(logger, 'INFO'),
  // The SDK's runtime metrics (task latencies, slots, polls, sticky cache) for Prometheus at :METRICS_PORT/metrics, on
  // loopback unless HOST says otherwise, like the health endpoints.
  telemetryOptions: { metrics: { prometheus: { bindAddress: `${config.HOST}:${config.METRICS_PORT}` } } },
});
const temporal = temporalTarget();
const dataConverter = encryptingDataConverter(keyringOrExit('worker'));
const databaseUrl = config.DATABASE_URL;
if (!databaseUrl) {
  process.stderr.write('[worker] DATABASE_URL must be set: the worker keeps alerts, deliveries and the read model in PostgreSQL\n');
  process.exit(2);
}
// The agencies' endpoints are checked before anything connects (https outside loopback, a strong secret).
const endpoints = endpointsOrExit('worker');
const peopleSettings = peopleSettingsOrExit('worker');

const store = await openStore(databaseUrl);
const connection = await NativeConnection.connect(temporal.connectionOptions);
// The daily digest to people runs as a Temporal Schedule (worker/schedules.ts): created once, by whichever starts first.
{
  const clientConnection = await Connection.connect(temporal.connectionOptions);
  const client = new Client({ connection: clientConnection, namespace: temporal.namespace, dataConverter });
  if (await ensureDigestSchedule(client)) logger.info({ schedule: DIGEST_SCHEDULE_ID }, 'digest schedule created');
  await clientConnection.close();
}
const deployment = deploymentVersion(config, buildInfo());
const tracing = installTracing('worker');
const worker = await createWorker({
  connection,
  namespace: temporal.namespace,
  deps: configuredDeps(store, process.env, endpoints, peopleSettings),
  deployment,
  tracing,
  dataConverter,
});
let draining = false;
const health = await startHealthServer(config.WORKER_HEALTH_PORT, config.HOST, {
  state: () => worker.getState(),
  postgres: () => store.ping(),
  draining: () => draining,
});
// The SDK stops the worker on SIGINT/SIGTERM (its default shutdownSignals); readiness turns false first.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => (draining = true));
logger.info(
  { temporal: temporal.summary, deployment: deployment ?? 'unversioned', healthPort: config.WORKER_HEALTH_PORT },
  deployment
    ? 'worker polling; it takes sentences once its build is the current version (node dist/worker/promote.js)'
    : 'worker polling (unversioned)',
);
await worker.run();
await connection.close();
await store.close();
await tracing.shutdown();
await new Promise((r) => health.close(r));
logger.info('worker stopped');
