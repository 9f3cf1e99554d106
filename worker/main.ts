// The worker as its own process (deployment): connects to TEMPORAL_ADDRESS and runs until SIGINT/SIGTERM,
// finishing the tasks in hand before it exits.
import { NativeConnection } from '@temporalio/worker';
import { configuredDeps } from '../activities';
import { createWorker } from './worker';

const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
const dataDir = process.env.DATA_DIR ?? '.data';

const connection = await NativeConnection.connect({ address });
const worker = await createWorker({ connection, namespace, deps: configuredDeps(dataDir) });
console.log(`[worker] polling ${namespace} on ${address}`);
await worker.run();
await connection.close();
console.log('[worker] stopped');
