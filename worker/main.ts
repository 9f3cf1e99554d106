// The worker as its own process (deployment): connects to Temporal (the standard client configuration: address,
// namespace, TLS/mTLS, API key; config/temporal.ts) and DATABASE_URL, and runs until SIGINT/SIGTERM, finishing the
// tasks in hand before it exits.
import { NativeConnection, Runtime } from '@temporalio/worker';
import { createLogger, sdkLogger } from '../ops/log';
import { configuredDeps } from '../activities';
import { loadConfig } from '../config';
import { temporalTarget } from '../config/temporal';
import { openStore } from '../store';
import { createWorker } from './worker';

const config = loadConfig();
const logger = createLogger({ name: 'worker' });
// The SDK's own logs (workers, workflows, activities) go through the same redacted JSON logger.
Runtime.install({
  logger: sdkLogger(logger, 'INFO'),
  // The SDK's runtime metrics (task latencies, slots, polls, sticky cache) for Prometheus at :METRICS_PORT/metrics.
  telemetryOptions: { metrics: { prometheus: { bindAddress: `0.0.0.0:${config.METRICS_PORT}` } } },
});
const temporal = temporalTarget();
const databaseUrl = config.DATABASE_URL;
if (!databaseUrl) throw new Error('DATABASE_URL is not set: the worker keeps alerts, deliveries and the read model in PostgreSQL');

const store = await openStore(databaseUrl);
const connection = await NativeConnection.connect(temporal.connectionOptions);
const worker = await createWorker({ connection, namespace: temporal.namespace, deps: configuredDeps(store) });
logger.info({ temporal: temporal.summary }, 'worker polling');
await worker.run();
await connection.close();
await store.close();
logger.info('worker stopped');
