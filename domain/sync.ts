// Keeps the outputs ledger in step with the case after anything changed it: a command, a delivery, time.
import { refreshCourtReports } from './court-reports.ts';
import { addDays, londonDate, londonEndOfDay } from './dates.ts';
import { iso, ledgerContext, log } from './kernel.ts';
import { outputRow } from './outputs/catalogue.ts';
import { awaitedPlan, isAwaitedReview, REDONE_EACH_REVIEW, REDONE_EACH_STAGE, refreshLedger } from './outputs/ledger.ts';
import { rulesOf } from './rules.ts';
import { checkEarlyRevocation } from './progress.ts';
import type { Effect, SentenceState } from './state.ts';

export function statuses(s: SentenceState): Map<number, string> {
  return new Map(s.outputs.map((e) => [e.row, e.status]));
}

/**
 * Brings the ledger's due dates and statuses up to `atMs`; outputs that became overdue since `before` are logged and
 * alerted. Row 32 (plans reviewed) is open while a review is awaited, or one was missed; since rules 2 rows 29 and 33
 * are open in each review cycle until they are evidenced in it (ledger.ts REDONE_EACH_REVIEW), and row 7 in each stage
 * after the induction, the plan and then each review (REDONE_EACH_STAGE).
 */
export function syncLedger(s: SentenceState, atMs: number, before: Map<number, string> = statuses(s)): Effect[] {
  const reviewOpen = s.deadlines.some(isAwaitedReview);
  const cycleStart = s.milestones.lastReviewOn ?? s.milestones.planAgreedOn ?? s.dates.sentenceDate;
  const rules2 = rulesOf(s) >= 2;
  const redone = rules2 ? REDONE_EACH_REVIEW : [];
  const staged = rules2 ? REDONE_EACH_STAGE : [];
  // The stage of the work awaited after the induction (rules 2, row 7): the plan, then each review. A stage begins the
  // day after the one before it ended, so that what enabled the induction or the plan is not counted for the next.
  const inducted = s.milestones.firstAppointmentOn;
  const stageStart = inducted && awaitedPlan(s.deadlines) ? addDays(inducted, 1) : reviewOpen ? addDays(cycleStart, 1) : undefined;
  s.outputs = s.outputs.map((e) => {
    if (e.row !== 32 && !redone.includes(e.row) && !staged.includes(e.row)) return e;
    // Row 32 is open while a review is awaited; rows 29 and 33 (rules 2) until evidenced since the cycle began; row 7
    // (rules 2) until evidenced since the stage began.
    const since = staged.includes(e.row) ? stageStart : reviewOpen ? cycleStart : undefined;
    const open = since !== undefined && (e.row === 32 || (e.applies && !e.evidence.some((x) => x.on >= since)));
    if (open) return e.openSince === since ? e : { ...e, openSince: since };
    if (e.openSince === undefined && !('openSince' in e)) return e;
    const { openSince: _closed, ...rest } = e;
    return rest;
  });
  refreshCourtReports(s, londonDate(atMs));
  checkEarlyRevocation(s, londonDate(atMs), atMs);
  s.outputs = refreshLedger(s.outputs, ledgerContext(s), londonDate(atMs), s.phase === 'closed');
  const newlyOverdue = s.outputs.filter((e) => e.status === 'overdue' && before.get(e.row) !== 'overdue');
  for (const e of newlyOverdue) {
    const at = e.dueDate ? Math.min(atMs, londonEndOfDay(e.dueDate)) : atMs;
    log(s, at, 'output-overdue', `output ${e.row} (${outputRow(e.row).summary}) due ${e.dueDate}, not evidenced`);
  }
  return newlyOverdue.length > 0 ? [{ type: 'alert-overdue-outputs', rows: newlyOverdue.map((e) => e.row), at: iso(atMs) }] : [];
}
