// Test process setup: the Temporal SDK's logs (Runtime, workers, workflows, activities) at INFO, printed from WARN up,
// and forwarded to a test's own logger when it sets one (test/e2e/logs.test.ts checks what reaches a log line).
import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';

export interface SdkLogForward {
  target?: (entry: LogEntry) => void;
}
const forward: SdkLogForward = {};
(globalThis as { sdkLogForward?: SdkLogForward }).sdkLogForward = forward;

const RANK = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4 } as const;
try {
  Runtime.install({
    logger: new DefaultLogger('INFO', (entry) => {
      forward.target?.(entry);
      if (RANK[entry.level] >= RANK.WARN) console.error(`[sdk] ${entry.level} ${entry.message}`, entry.meta ?? '');
    }),
  });
} catch {
  // already installed in this process
}
process.env.LOG_LEVEL ??= 'warn';
