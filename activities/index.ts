// Activities: side effects only. Each is idempotent and throws ApplicationFailure with an explicit type.
import { ApplicationFailure, log } from '@temporalio/activity';
import type { Alert, AlertSink } from './alerts';

export type { Alert, AlertSink } from './alerts';
export { fileAlertSink, memoryAlertSink } from './alerts';

export interface ActivityDeps {
  alerts: AlertSink;
}

export function createActivities(deps: ActivityDeps) {
  return {
    async alertOverdue(alert: Alert): Promise<{ delivered: boolean }> {
      if (!alert.idempotencyKey || !alert.sentenceId) {
        throw ApplicationFailure.nonRetryable('alert without idempotency key or sentence id', 'InvalidAlert');
      }
      const delivered = await deps.alerts.deliver(alert);
      log.info(delivered ? 'overdue alert delivered' : 'overdue alert already delivered', {
        key: alert.idempotencyKey,
        deadline: alert.deadlineId,
      });
      return { delivered };
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
