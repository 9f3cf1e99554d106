// Activity dependencies for tests: in-memory outboxes, and the real file-based ledger read model in a temp folder.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileLedgerStore, memoryOutbox, type Alert, type OutputMessage } from '../../activities';

export function testDeps() {
  return {
    alerts: memoryOutbox<Alert>(),
    outputs: memoryOutbox<OutputMessage>(),
    ledgers: fileLedgerStore(mkdtempSync(join(tmpdir(), 'so-ledgers-'))),
  };
}
