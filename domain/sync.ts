// Keeps the outputs ledger in step with the case after anything changed it: a command, a delivery, time.
import { refreshCourtReports } from './court-reports.ts';
import { londonDate, londonEndOfDay } from './dates.ts';
import { iso, ledgerContext, log } from './kernel.ts';
import { outputRow } from './outputs/catalogue.ts';
import { isAwaitedReview, REDONE_EACH_REVIEW, refreshLedger } from './outputs/ledger.ts';
import { rulesOf } from './rules.ts';
import { checkEarlyRevocation } from './progress.ts';
import type { Effect, SentenceState } from './state.ts';

export function statuses(s: SentenceState): Map<number, string> {
  return new Map(s.outputs.map((e) => [e.row, e.status]));
}

/**
 * Brings the ledger's due dates and statuses up to `atMs`; outputs that became overdue since `before` are logged and
 * alerted. Row 32 (plans reviewed) is open while a review is awaited, or one was missed; since rules 2 rows 29 and 33
 * are open in each review cycle until they are evidenced in it (ledger.ts REDONE_EACH_REVIEW).
 */
export function syncLedger(s: SentenceState, atMs: number, before: Map<number, string> = statuses(s)): Effect[] {
  const reviewOpen = s.deadlines.some(isAwaitedReview);
  const cycleStart = s.milestones.lastReviewOn ?? s.milestones.planAgreedOn ?? s.dates.sentenceDate;
  const redone = rulesOf(s) >= 2 ? REDONE_EACH_REVIEW : [];
  s.outputs = s.outputs.map((e) => {
    if (e.row !== 32 && !redone.includes(e.row)) return e;
    // Row 32 is open while a review is awaited; rows 29 and 33 (rules 2) until evidenced since the cycle began.
    const open = reviewOpen && (e.row === 32 || (e.applies && !e.evidence.some((x) => x.on >= cycleStart)));
    if (open) return e.openSince === cycleStart ? e : { ...e, openSince: cycleStart };
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
