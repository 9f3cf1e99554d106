// Deadlines: what is due by when, and the one place their ids are made.
import type { IsoDate } from './dates';

export type DeadlineKind =
  | 'first-appointment'
  | 'plan'
  | 'review'
  | 'significant-change-review'
  | 'end-of-sentence-review'
  | 'appointment-outcome'
  | 'breach-action'
  | 'nps-decision'
  | 'risk-review'
  | 'transfer-acceptance'
  | 'court-report';

/** pending → met | met-late, or pending → overdue → met-late | missed (it can no longer be met: the order or
 * supervision ended first), or pending → cancelled (no longer needed). */
export type DeadlineStatus = 'pending' | 'met' | 'met-late' | 'overdue' | 'missed' | 'cancelled';

export interface Deadline {
  id: string;
  kind: DeadlineKind;
  label: string;
  dueDate: IsoDate;
  /** The instant the due date has fully passed in England and Wales. */
  expiresAt: string;
  status: DeadlineStatus;
  metOn?: IsoDate;
  overdueSince?: string;
  businessDaysLate?: number;
}
