// A worker process for test/workflow/slow-task.test.ts, polling `taskQueue` on the server at `address` with the
// workflow test/support/workflows/slow-step.ts: with the project's settings (`project`: worker/worker.ts createWorker)
// or with the SDK's defaults (`sdk-defaults`). Runs until it is sent SIGTERM; its exit code or signal is what the test
// reads when the process did not live that long.
import { NativeConnection, Worker } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { TASK_QUEUE } from '../../contracts/index.ts';
import { createWorker } from '../../worker/worker.ts';
import { testDataConverter } from './codec.ts';

const [mode, address, taskQueue = TASK_QUEUE] = process.argv.slice(2);
const workflowsPath = fileURLToPath(new URL('./workflows/slow-step.ts', import.meta.url));
const unused = { deliver: () => Promise.reject(new Error('no activity runs in this test')) };
const deps = { alerts: unused, outputs: unused, ledgers: { put: () => Promise.resolve(true) } };

const connection = await NativeConnection.connect({ address: address! });
const common = { connection, taskQueue, dataConverter: testDataConverter };
const worker =
  mode === 'project' ? await createWorker({ ...common, workflowsPath, deps }) : await Worker.create({ ...common, workflowsPath });
process.once('SIGTERM', () => worker.shutdown());
process.stdout.write('polling\n');
await worker.run();
await connection.close();
