// Activity dependencies for tests: the production ones on the project's real store (PostgreSQL, a database per test
// file): alerts into the alert log, notifications into the delivery log (held there: no agency endpoint is configured),
// the read model into its tables. A test reads back what the workflow sent from the store, as an operator would.
import { loggedDelivery, type Alert, type OutputMessage, type Outbox } from '../../activities/index.ts';
import type { AlertRecord } from '../../store/index.ts';
import { lazyStore } from './store.ts';

export function testDeps() {
  const store = lazyStore();
  const alerts: Outbox<Alert> = store.alerts;
  const outputs: Outbox<OutputMessage> = loggedDelivery({}, store.deliveries);
  return {
    alerts,
    outputs,
    ledgers: store.ledgers,
    store,
    /** What the workflow sent for a sentence, read back from the store. */
    sent: {
      alerts: (sentenceId: string): Promise<AlertRecord[]> => store.alerts.list(sentenceId),
      outputs: async (sentenceId: string): Promise<OutputMessage[]> => (await store.deliveries.list(sentenceId)).map((r) => r.message),
    },
  };
}
