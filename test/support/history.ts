// Records every run of a finished workflow (following continue-as-new) under test/histories/ when
// RECORD_HISTORIES=1, for the replay test. `npm run record:histories` re-records them all.
import type { WorkflowClient } from '@temporalio/client';
import protos from '@temporalio/proto';

const { temporal } = protos;
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from '../../scripts/toolchain.mjs';

const History = temporal.api.history.v1.History;

/** Reads a history written by recordHistory. */
export function historyFromFile(text: string) {
  return History.fromObject(JSON.parse(text) as Record<string, unknown>);
}

export const HISTORIES_DIR = join(ROOT, 'test', 'histories');

export async function recordHistory(name: string, client: { workflow: WorkflowClient }, workflowId: string, firstRunId: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  let runId: string | null | undefined = firstRunId;
  for (let run = 0; runId; run++) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const json = History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String });
    await writeFile(join(HISTORIES_DIR, `${name}.run${run}.json`), JSON.stringify(json));
    runId = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
  }
}
