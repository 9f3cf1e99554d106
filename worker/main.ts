// The worker as its own process (deployment): connects to TEMPORAL_ADDRESS and DATABASE_URL and runs until SIGINT/SIGTERM,
// finishing the tasks in hand before it exits.
import { NativeConnection } from '@temporalio/worker';
import { configuredDeps } from '../activities';
import { loadConfig } from '../config';
import { openStore } from '../store';
import { createWorker } from './worker';

const config = loadConfig();
const address = config.TEMPORAL_ADDRESS;
const namespace = config.TEMPORAL_NAMESPACE;
const databaseUrl = config.DATABASE_URL;
if (!databaseUrl) throw new Error('DATABASE_URL is not set: the worker keeps alerts, deliveries and the read model in PostgreSQL');

const store = await openStore(databaseUrl);
const connection = await NativeConnection.connect({ address });
const worker = await createWorker({ connection, namespace, deps: configuredDeps(store) });
console.log(`[worker] polling ${namespace} on ${address}`);
await worker.run();
await connection.close();
await store.close();
console.log('[worker] stopped');
