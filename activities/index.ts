// Activities: side effects only. Each is idempotent (a key derived from the workflow id and the output or deadline it
// serves) and throws ApplicationFailure with an explicit type (non-retryable for permanent errors).
import { ApplicationFailure, log } from '@temporalio/activity';
import type { Alert, OutputMessage } from './messages.ts';
import type { LedgerSummary } from '../domain/outputs/conformance.ts';
import type { LedgerStore, Store, WorkStore } from '../store/index.ts';
import { people, peopleSettingsFromEnv, type People, type PeopleSettings } from './people.ts';
import type { IsoDate } from '../domain/dates.ts';
import { endpointsFromEnv, loggedDelivery } from './http.ts';
import type { Outbox } from './outbox.ts';

export type { Alert, OutputMessage, Recipient } from './messages.ts';
export { endpointsFromEnv, loggedDelivery, sign, verify, type Endpoints } from './http.ts';
export type { Outbox } from './outbox.ts';

export interface ActivityDeps {
  alerts: Outbox<Alert>;
  /** Where system-delivered outputs go (the delivery log, then the recipient's endpoint: loggedDelivery). */
  outputs: Outbox<OutputMessage>;
  /** The read model of outputs ledgers behind the conformance report. */
  ledgers: Pick<LedgerStore, 'put'>;
  /** Messages to people (activities/people.ts): alerts to the officer or the area's managers, and the daily digest. */
  people?: People;
  /** The open work items, for the digest. */
  work?: Pick<WorkStore, 'dueBy'>;
}

export function createActivities(deps: ActivityDeps) {
  return {
    async alertOverdue(alert: Alert): Promise<{ delivered: boolean }> {
      if (!alert.idempotencyKey || !alert.sentenceId) {
        throw ApplicationFailure.nonRetryable('alert without idempotency key or sentence id', 'InvalidAlert');
      }
      const delivered = await deps.alerts.deliver(alert);
      log.info(delivered ? 'alert delivered' : 'alert already delivered', { key: alert.idempotencyKey, deadline: alert.deadlineId });
      // The person it is for is told (once: a retry finds the message sent); a failure retries the activity.
      if (deps.people) {
        const told = await deps.people.alert(alert);
        log.info('alert told to people', { key: alert.idempotencyKey, ...told });
      }
      return { delivered };
    },

    /** Sends each person their digest of what is due on or before `until` (the daily digest Schedule's workflow). */
    async sendDigests(q: { on: IsoDate; until: IsoDate }): Promise<{ people: number; sent: number; held: number }> {
      if (!deps.people || !deps.work) throw ApplicationFailure.nonRetryable('no people channel or work store configured', 'NotConfigured');
      const items = await deps.work.dueBy(q);
      const outcome = await deps.people.digest({ ...q, items });
      log.info('digests sent', { on: q.on, items: items.length, ...outcome });
      return outcome;
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
 * Dependencies from configuration, on the project's store (PostgreSQL): alerts in its alert log; system outputs logged
 * once each in its delivery log and sent over HTTP to each agency whose endpoint is configured (AGENCY_<NAME>_URL and
 * _SECRET), held in the log where none is; ledger summaries in its read model.
 */
export function configuredDeps(
  store: Store,
  env: NodeJS.ProcessEnv = process.env,
  endpoints = endpointsFromEnv(env),
  peopleSettings: PeopleSettings = peopleSettingsFromEnv(env),
): ActivityDeps {
  return {
    alerts: store.alerts,
    outputs: loggedDelivery(endpoints, store.deliveries),
    ledgers: store.ledgers,
    people: people(peopleSettings, store.people),
    work: store.work,
  };
}
