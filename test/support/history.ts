// Records a finished workflow's history under test/histories/ when RECORD_HISTORIES=1, for the replay test.
import type { WorkflowHandle } from '@temporalio/client';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from '../../scripts/toolchain.mjs';

export const HISTORIES_DIR = join(ROOT, 'test', 'histories');

export async function recordHistory(name: string, handle: WorkflowHandle): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await handle.fetchHistory();
  await writeFile(join(HISTORIES_DIR, `${name}.json`), JSON.stringify(history, null, 1));
}
