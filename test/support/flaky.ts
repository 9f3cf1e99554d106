// Outboxes that fail before they succeed: an agency endpoint or the alerts channel that is down for a while. Each
// wraps a real one (the store's, test/support/deps.ts); a test says which messages fail, how many times (or until it
// calls heal()), and reads back every attempt; what landed is read from the store.
import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import type { Outbox } from '../../activities/index.ts';

interface FailureRule<T> {
  match: (message: T) => boolean;
  /** Attempts to fail; undefined: until heal(). */
  times?: number;
  failed: number;
}

export interface FlakyOutbox<T extends { idempotencyKey: string }> extends Outbox<T> {
  /** Every call to deliver, failed or not, in order. */
  readonly attempts: { message: T; failed: boolean }[];
  /** Matching messages fail with a retryable error `times` times, or until heal() when `times` is not given. */
  failWhen(match: (message: T) => boolean, times?: number): void;
  /** Stops failing: the next attempt of every message succeeds. */
  heal(): void;
  /** Attempts (failed or not) of the messages with this idempotency key. */
  attemptsFor(idempotencyKey: string): { message: T; failed: boolean }[];
}

export function flakyOutbox<T extends { idempotencyKey: string }>(inner: Outbox<T>, error = 'service unavailable (503)'): FlakyOutbox<T> {
  const attempts: { message: T; failed: boolean }[] = [];
  let rule: FailureRule<T> | undefined;
  return {
    attempts,
    failWhen(match, times) {
      rule = { match, ...(times === undefined ? {} : { times }), failed: 0 };
    },
    heal() {
      rule = undefined;
    },
    attemptsFor(key) {
      return attempts.filter((a) => a.message.idempotencyKey === key);
    },
    async deliver(message) {
      if (rule && rule.match(message) && (rule.times === undefined || rule.failed < rule.times)) {
        rule.failed++;
        attempts.push({ message, failed: true });
        // BENIGN: an expected outage, logged by the worker at DEBUG rather than a warning per attempt.
        throw ApplicationFailure.create({
          message: error,
          type: 'DeliveryFailed',
          nonRetryable: false,
          category: ApplicationFailureCategory.BENIGN,
        });
      }
      attempts.push({ message, failed: false });
      return inner.deliver(message);
    },
  };
}
