// The work a case asks of people (issue 13, "Work items and notifications"). Each open deadline, and each output the
// offender manager delivers that is due, overdue or needs action, is a work item. It goes to the offender manager
// holding the case. While the case is unallocated, or once the item is overdue by more than ESCALATE_AFTER_BUSINESS_DAYS,
// it goes to the managers of the area holding it.
//
// Two halves, both pure. caseWorkOf takes from the state the facts the read model needs (who holds the case, its
// open deadlines, its outputs' due dates). The workflow publishes those with the ledger summary
// (workflows/sentence.ts, behind WORK_PUBLISHED), so what it publishes, and when, depends on the state alone.
// workItemsOf turns those facts into items, in the store's activity (store/work.ts). That rule may change between
// releases without touching a running case's history. Identifiers, codes, labels and dates only: no personal data.
import { calendarOf } from './kernel.ts';
import type { IsoDate } from './dates.ts';
import type { DeadlineKind, SentenceState } from './state.ts';
import { outputRow } from './outputs/catalogue.ts';
import type { LedgerSummary } from './outputs/conformance.ts';

/**
 * How many business days past its due date an item goes to the area's managers as well as its holder (local policy:
 * the specification names no threshold; a week of working days is long enough to act and short enough to catch).
 */
export const ESCALATE_AFTER_BUSINESS_DAYS = 5;

/** What the read model needs to know of a case's work: facts as the state holds them. */
export interface CaseWork {
  /** The case's own calendar (its business days count the escalation). */
  calendarVersion: string;
  offenderManagerId: string | null;
  roshLevel: string;
  requirements: string[];
  restrictedTo?: string[];
  excluded?: string[];
  /** The deadlines still open (pending or overdue). */
  deadlines: { id: string; kind: DeadlineKind; label: string; dueDate: IsoDate; status: 'pending' | 'overdue' }[];
  /** Each output row's due date, where it has one. */
  outputDueDates: { row: number; dueDate: IsoDate }[];
}

/** The read model's summary of a case, with its work (published since WORK_PUBLISHED). */
export type WorkSummary = LedgerSummary & { work: CaseWork };

export function caseWorkOf(s: SentenceState): CaseWork {
  const access = s.sentence.access;
  return {
    calendarVersion: s.calendarVersion,
    offenderManagerId: s.offenderManagerId ?? null,
    roshLevel: s.offender.roshLevel,
    requirements: s.sentence.requirements.map((r) => r.type),
    ...(access?.restrictedTo?.length && { restrictedTo: access.restrictedTo }),
    ...(access?.excluded?.length && { excluded: access.excluded }),
    deadlines: s.deadlines.flatMap((d) =>
      d.status === 'pending' || d.status === 'overdue'
        ? [{ id: d.id, kind: d.kind, label: d.label, dueDate: d.dueDate, status: d.status }]
        : [],
    ),
    outputDueDates: s.outputs.flatMap((e) => (e.applies && e.dueDate ? [{ row: e.row, dueDate: e.dueDate }] : [])),
  };
}

export interface WorkItem {
  /** Unique within the case: `deadline:<id>` or `output:<row>`. */
  key: string;
  kind: 'deadline' | 'output';
  /** The deadline's kind, or `output-<row>`. */
  what: string;
  label: string;
  dueDate: IsoDate;
  overdue: boolean;
  /** From this day the item goes to the area's managers too (ESCALATE_AFTER_BUSINESS_DAYS past its due date). */
  escalatesOn: IsoDate;
}

/** Output statuses that ask a person to act now. */
const ACTIONABLE = new Set(['due', 'overdue', 'action-needed']);

/**
 * The case's work items, from its published summary: none once it is closed. An output is an item when the
 * offender manager delivers it (not the system) and it is due, overdue or needs action; one the system delivers is
 * an item only when its delivery needs a person to act.
 */
export function workItemsOf(summary: WorkSummary): WorkItem[] {
  if (summary.phase === 'closed') return [];
  const calendar = calendarOf(summary.work);
  const escalation = (due: IsoDate) => calendar.addBusinessDays(due, ESCALATE_AFTER_BUSINESS_DAYS);
  const deadlines = summary.work.deadlines.map((d): WorkItem => ({
    key: `deadline:${d.id}`,
    kind: 'deadline',
    what: d.kind,
    label: d.label,
    dueDate: d.dueDate,
    overdue: d.status === 'overdue',
    escalatesOn: escalation(d.dueDate),
  }));
  const dueDates = new Map(summary.work.outputDueDates.map((o) => [o.row, o.dueDate]));
  const outputs = summary.outputs.flatMap((o): WorkItem[] => {
    // A delivery that needs a person to act is due now, even when the output had no date of its own.
    const due = dueDates.get(o.row) ?? o.openSince ?? (o.status === 'action-needed' ? summary.sentenceDate : undefined);
    if (!o.applies || !ACTIONABLE.has(o.status) || !due) return [];
    const row = outputRow(o.row);
    if (row.delivery === 'system' && o.status !== 'action-needed') return [];
    const words = o.status === 'action-needed' ? `${row.summary}: action needed` : row.summary;
    return [
      {
        key: `output:${o.row}`,
        kind: 'output',
        what: `output-${o.row}`,
        label: `Output ${o.row}: ${words}`,
        dueDate: due,
        overdue: o.status !== 'due',
        escalatesOn: escalation(due),
      },
    ];
  });
  return [...deadlines, ...outputs].sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.key.localeCompare(b.key));
}
