// Activity dependencies for tests: the project's real store (PostgreSQL, a database per test file) for the read model,
// and in-memory probes for alerts and outputs, where a test reads back what the workflow sent.
import { memoryOutbox, type Alert, type OutputMessage } from '../../activities/index.ts';
import { lazyStore } from './store.ts';

export function testDeps() {
  const store = lazyStore();
  return {
    alerts: memoryOutbox<Alert>(),
    outputs: memoryOutbox<OutputMessage>(),
    ledgers: store.ledgers,
    store,
  };
}
