// The messages activities send: one definition each. System outputs are defined with their policy in domain/.
export type { OutputMessage, Recipient } from '../domain/outputs/delivery';

export interface Alert {
  idempotencyKey: string;
  sentenceId: string;
  kind: 'deadline-overdue' | 'output-overdue' | 'output-not-delivered' | 'risk-review-raised' | 'transfer-timed-out' | 'transfer-rejected';
  /** The deadline id, or `output-<row>[.<part>]`. */
  deadlineId: string;
  label: string;
  dueDate: string;
  overdueSince: string;
  offenderManagerId?: string;
  areaCode: string;
}
