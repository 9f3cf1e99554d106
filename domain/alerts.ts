// The alerts a sentence raises, built from the effects of its transitions: one pure definition that the workflow
// sends through its alert activity and the domain replay (test/support/domain-replay.ts) checks against history.
// Identifiers and codes only (a deadline's label is written by this code from codes and dates, never free text).
import type { Delivery, Effect, SentenceState } from './state.ts';
import { outputRow } from './outputs/catalogue.ts';

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

type AlertBody = Omit<Alert, 'idempotencyKey' | 'sentenceId' | 'offenderManagerId' | 'areaCode'>;

function addressed(s: SentenceState, workflowId: string, a: AlertBody): Alert {
  return {
    ...a,
    idempotencyKey: `${workflowId}/${a.kind}/${a.deadlineId}`,
    sentenceId: s.sentence.sentenceId,
    offenderManagerId: s.offenderManagerId,
    areaCode: s.provider.areaCode,
  };
}

/** The alert an effect raises at `nowMs`, addressed to whoever holds the case in `s`; undefined if it raises none. */
export function alertForEffect(effect: Effect, s: SentenceState, workflowId: string, nowMs: number): Alert | undefined {
  const now = new Date(nowMs).toISOString();
  switch (effect.type) {
    case 'alert-overdue': {
      const d = effect.deadline;
      return addressed(s, workflowId, {
        kind: 'deadline-overdue',
        deadlineId: d.id,
        label: d.label,
        dueDate: d.dueDate,
        overdueSince: d.overdueSince ?? now,
      });
    }
    case 'alert':
      return addressed(s, workflowId, {
        kind: effect.kind,
        deadlineId: effect.id,
        label: effect.label,
        dueDate: effect.dueDate,
        overdueSince: now,
      });
    case 'alert-overdue-outputs':
      return addressed(s, workflowId, {
        kind: 'output-overdue',
        deadlineId: `outputs-${effect.rows.join('-')}-${effect.at}`,
        label: `Outputs overdue: ${effect.rows.map((r) => `${r} (${outputRow(r).summary})`).join('; ')}`,
        dueDate: effect.at.slice(0, 10),
        overdueSince: effect.at,
      });
    case 'continue-as-new':
    case 'closed':
      return undefined;
  }
}

/** A system output that could not be delivered: a person must act. */
export function deliveryFailureAlert(d: Delivery, reason: string, s: SentenceState, workflowId: string, nowMs: number): Alert {
  const now = new Date(nowMs).toISOString();
  return addressed(s, workflowId, {
    kind: 'output-not-delivered',
    deadlineId: `output-${d.row}${d.part ? `.${d.part}` : ''}${d.notification ? `.${d.notification}` : ''}`,
    label: `Output ${d.row}${d.part ? ` (${d.part})` : ''} not delivered: action needed (${reason})`,
    dueDate: now.slice(0, 10),
    overdueSince: now,
  });
}

/** The key under which the workflow remembers that it started a delivery (one in flight per delivery). */
export function deliveryKey(d: Delivery): string {
  return `${d.row}.${d.part ?? ''}.${d.notification ?? ''}`;
}
