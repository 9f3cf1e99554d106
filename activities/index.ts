// Activities: side effects only. Each is idempotent (a key derived from the workflow id and the output or deadline it
// serves) and throws ApplicationFailure with an explicit type (non-retryable for permanent errors).
import { ApplicationFailure, log } from '@temporalio/activity';
import type { Alert, OutputMessage } from './messages';
import type { LedgerSummary } from '../domain/outputs/conformance';
import { endpointsFromEnv, httpDelivery } from './http';
import { fileLedgerStore, type LedgerStore } from './ledger-store';
import { jsonlOutbox, type Outbox } from './outbox';
import { join } from 'node:path';

export type { Alert, OutputMessage, Recipient } from './messages';
export { endpointsFromEnv, httpDelivery, sign, verify, type Endpoints } from './http';
export { fileLedgerStore, type LedgerStore } from './ledger-store';
export { jsonlOutbox, memoryOutbox, type Outbox } from './outbox';

export interface ActivityDeps {
  alerts: Outbox<Alert>;
  /** Where system-delivered outputs go (the embedded default: a local outbox file). */
  outputs: Outbox<OutputMessage>;
  /** The read model of outputs ledgers behind the conformance report. */
  ledgers: LedgerStore;
}

export function createActivities(deps: ActivityDeps) {
  return {
    async alertOverdue(alert: Alert): Promise<{ delivered: boolean }> {
      if (!alert.idempotencyKey || !alert.sentenceId) {
        throw ApplicationFailure.nonRetryable('alert without idempotency key or sentence id', 'InvalidAlert');
      }
      const delivered = await deps.alerts.deliver(alert);
      log.info(delivered ? 'alert delivered' : 'alert already delivered', { key: alert.idempotencyKey, deadline: alert.deadlineId });
      return { delivered };
    },

    /** Publishes a case's ledger summary to the read model (idempotent: a lower or equal seq is ignored). */
    async publishLedger(summary: LedgerSummary): Promise<void> {
      await deps.ledgers.put(summary);
    },

    /** Delivers a system output; its reference is the evidence on the outputs ledger. */
    async deliverOutput(message: OutputMessage): Promise<{ reference: string; delivered: boolean }> {
      if (!message.idempotencyKey) throw ApplicationFailure.nonRetryable('output without idempotency key', 'InvalidOutput');
      const delivered = await deps.outputs.deliver(message);
      log.info(delivered ? 'output delivered' : 'output already delivered', { key: message.idempotencyKey, recipient: message.recipient });
      return { reference: message.idempotencyKey, delivered };
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;

/**
 * Dependencies from configuration: system outputs go over HTTP to each agency whose endpoint is configured
 * (AGENCY_<NAME>_URL and _SECRET), and to the JSON Lines outbox in the data folder otherwise (the embedded default);
 * alerts go to their own outbox file.
 */
export function configuredDeps(dataDir: string, env: NodeJS.ProcessEnv = process.env): ActivityDeps {
  return {
    alerts: jsonlOutbox(join(dataDir, 'alerts.jsonl')),
    outputs: httpDelivery(endpointsFromEnv(env), jsonlOutbox(join(dataDir, 'outbox.jsonl'))),
    ledgers: fileLedgerStore(join(dataDir, 'ledgers')),
  };
}
