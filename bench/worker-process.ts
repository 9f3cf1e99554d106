// A benchmark's own workflow (bench/noop-workflow.ts, bench/bare-workflow.ts) on a worker in a process of its own, as
// the project's worker runs when deployed (worker/main.ts), so that the benchmark's client does not share its event
// loop (bench/stack.ts, `workers: 'own-processes'`). Configured by its environment: TEMPORAL_ADDRESS, PAYLOAD_KEYS,
// DATABASE_URL (the project's activities, on the stack's store, with the benchmarks' own beside them:
// bench-activities.ts), BENCH_TASK_QUEUE and BENCH_WORKFLOWS (a file next to this one). Writes "polling" once the
// worker runs; stops on SIGTERM, finishing the tasks in hand.
import { NativeConnection, Worker } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { configuredDeps, createActivities } from '../activities/index.ts';
import { encryptingDataConverter, keyringOrExit } from '../ops/codec.ts';
import { openStore } from '../store/index.ts';
import { benchActivities } from './bench-activities.ts';

const taskQueue = process.env.BENCH_TASK_QUEUE;
const workflows = process.env.BENCH_WORKFLOWS;
const address = process.env.TEMPORAL_ADDRESS;
const databaseUrl = process.env.DATABASE_URL;
if (!taskQueue || !workflows || !address || !databaseUrl) {
  process.stderr.write('[bench worker] BENCH_TASK_QUEUE, BENCH_WORKFLOWS, TEMPORAL_ADDRESS and DATABASE_URL must be set\n');
  process.exit(2);
}
const store = await openStore(databaseUrl);
const connection = await NativeConnection.connect({ address });
const worker = await Worker.create({
  connection,
  taskQueue,
  workflowsPath: fileURLToPath(new URL(workflows, import.meta.url)),
  activities: { ...createActivities(configuredDeps(store, {})), ...benchActivities },
  dataConverter: encryptingDataConverter(keyringOrExit('bench worker')),
});
const running = worker.run();
process.stdout.write('polling\n');
await running;
await connection.close();
await store.close();
