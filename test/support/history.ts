// Records a finished workflow's history under test/histories/ when RECORD_HISTORIES=1, for the replay test.
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from '../../scripts/toolchain.mjs';

const History = temporal.api.history.v1.History;

/** Reads a history written by recordHistory. */
export function historyFromFile(text: string) {
  return History.fromObject(JSON.parse(text) as Record<string, unknown>);
}

export const HISTORIES_DIR = join(ROOT, 'test', 'histories');

export async function recordHistory(name: string, handle: WorkflowHandle): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await handle.fetchHistory();
  const json = History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String });
  await writeFile(join(HISTORIES_DIR, `${name}.json`), JSON.stringify(json));
}
