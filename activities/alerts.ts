// Alert delivery: the side effect behind "a missed deadline alerts". Idempotent by key: a retried or replayed
// activity delivers the same alert once.
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface Alert {
  idempotencyKey: string;
  sentenceId: string;
  kind: 'deadline-overdue';
  deadlineId: string;
  label: string;
  dueDate: string;
  overdueSince: string;
  offenderManagerId?: string;
  areaCode: string;
}

export interface AlertSink {
  /** Delivers the alert; returns false when an alert with the same key was already delivered. */
  deliver(alert: Alert): Promise<boolean>;
}

/** Appends alerts to a JSON Lines file that a person (or a log shipper) can read: the embedded default. */
export function fileAlertSink(path: string): AlertSink {
  let chain: Promise<unknown> = Promise.resolve();
  const deliver = async (alert: Alert): Promise<boolean> => {
    await mkdir(dirname(path), { recursive: true });
    const existing = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return '';
      throw e;
    });
    if (existing.includes(`"idempotencyKey":${JSON.stringify(alert.idempotencyKey)}`)) return false;
    await appendFile(path, `${JSON.stringify(alert)}\n`);
    return true;
  };
  return {
    deliver(alert) {
      const result = chain.then(() => deliver(alert));
      chain = result.catch(() => undefined);
      return result;
    },
  };
}

/** Keeps alerts in memory (tests, and embedding). */
export function memoryAlertSink(): AlertSink & { alerts: Alert[] } {
  const alerts: Alert[] = [];
  return {
    alerts,
    async deliver(alert) {
      if (alerts.some((a) => a.idempotencyKey === alert.idempotencyKey)) return false;
      alerts.push(alert);
      return true;
    },
  };
}
