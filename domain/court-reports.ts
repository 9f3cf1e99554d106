// Reports to court (specification row 24: "assessment, progress and breach reports are completed for courts within
// the required timescale"). Each report has a due date, a status (its deadline) and an alert when overdue.
//
// Drug rehabilitation requirement reviews (Sentencing Act 2020 Schedule 9 paras 20-21): a DRR of more than 12
// months must, and a shorter one may, provide for the requirement to be reviewed periodically at intervals of not
// less than one month, at a review hearing, with a written report from the responsible officer on the offender's
// progress before each review. The review schedule is derived here from the requirement's interval; the report is
// due a policy number of business days before each hearing.
import type { BusinessCalendar } from './calendar';
import { addDays, isIsoDate, periodEnd, shiftMonths, type IsoDate } from './dates';
import { codeProblem, evidence, log, makeDeadline, meet, open, calendarOf } from './kernel';
import { openEvent, settleEvent } from './outputs/ledger';
import { policyByVersion } from './policy';
import type { Requirement, SentenceInput } from './sentence';
import type { CourtReport, CourtReportKind, Effect, SentenceState } from './state';

export { COURT_REPORT_KINDS } from './state';
export type { CourtReport, CourtReportKind } from './state';

export type CourtReportCommand =
  | { type: 'request-court-report'; reportId: string; kind: Exclude<CourtReportKind, 'drr-progress'>; dueOn: IsoDate; hearingOn?: IsoDate; by: string; on?: IsoDate }
  | { type: 'submit-court-report'; reportId: string; reference?: string; by: string; on?: IsoDate };

/** Schedule 9 para 21: a DRR of more than 12 months must provide for reviews; the interval is at least a month. */
export const DRR_MIN_REVIEW_INTERVAL_MONTHS = 1;
export const DRR_REVIEWS_REQUIRED_OVER_MONTHS = 12;

type Drr = Extract<Requirement, { type: 'drug-rehabilitation' }>;

/**
 * The DRR review hearings: every `reviewIntervalMonths` (default 1) from the sentence date, on a business day, each
 * at least the interval after the one before, within the requirement's period and the order.
 */
export function drrReviewDates(sentence: SentenceInput, orderEnd: IsoDate, cal: BusinessCalendar): IsoDate[] {
  const drr = sentence.requirements.find((r): r is Drr => r.type === 'drug-rehabilitation');
  if (!drr?.courtReviews) return [];
  const interval = Math.max(DRR_MIN_REVIEW_INTERVAL_MONTHS, drr.reviewIntervalMonths ?? 1);
  const start = sentence.order.sentenceDate;
  const last = [periodEnd(start, drr.months), orderEnd].sort()[0]!;
  const dates: IsoDate[] = [];
  for (let k = 1; ; k++) {
    const scheduled = shiftMonths(start, k * interval);
    const floor = dates.length > 0 ? shiftMonths(dates[dates.length - 1]!, interval) : scheduled;
    const date = cal.onOrNextBusinessDay(scheduled > floor ? scheduled : floor);
    if (date > last) return dates;
    dates.push(date);
  }
}

function addReport(s: SentenceState, r: CourtReport, label: string, today: IsoDate): void {
  s.courtReports.push(r);
  s.deadlines.push(makeDeadline(`report-${r.id}`, 'court-report', label, r.dueOn));
  syncRow24(s, today);
}

/** Row 24 is open while a report is outstanding, due by the earliest outstanding report's due date. */
function syncRow24(s: SentenceState, today: IsoDate): void {
  // Outstanding: not submitted and still expected (pending or overdue), or missed (never done: row 24 stays overdue).
  const outstanding = s.courtReports.filter((r) => !r.submitted && s.deadlines.some((d) => d.id === `report-${r.id}` && (open(d) || d.status === 'missed')));
  const oldest = outstanding.map((r) => r.requestedOn).sort()[0];
  const due = outstanding.map((r) => r.dueOn).sort()[0];
  s.outputs = settleEvent(s.outputs, 24, undefined, today, calendarOf(s));
  if (oldest && due) s.outputs = openEvent(s.outputs, 24, oldest, today, calendarOf(s), due);
}

/** At commencement: the DRR progress reports, one before each review hearing. */
export function scheduleDrrReports(s: SentenceState, today: IsoDate): void {
  const policy = policyByVersion(s.policyVersion);
  drrReviewDates(s.sentence, s.dates.orderEnd, calendarOf(s)).forEach((hearingOn, i) => {
    const dueOn = calendarOf(s).businessDaysBefore(hearingOn, policy.drrReportLeadBusinessDays);
    addReport(
      s,
      { id: `drr-review-${i + 1}`, kind: 'drr-progress', requestedOn: s.dates.sentenceDate, dueOn, hearingOn, courtCode: s.courtCode },
      `DRR progress report for review ${i + 1} (hearing ${hearingOn}), due ${policy.drrReportLeadBusinessDays} business days before`,
      today,
    );
  });
}

export function courtReportRejection(s: SentenceState, cmd: CourtReportCommand, today: IsoDate): string | undefined {
  const r = s.courtReports.find((x) => x.id === cmd.reportId);
  switch (cmd.type) {
    case 'request-court-report': {
      const bad = codeProblem('reportId', cmd.reportId, 40);
      if (bad) return bad;
      if (r) return `report ${cmd.reportId} is already requested`;
      if (!isIsoDate(cmd.dueOn) || (cmd.hearingOn !== undefined && !isIsoDate(cmd.hearingOn))) return 'dueOn and hearingOn are calendar dates (YYYY-MM-DD)';
      const on = cmd.on ?? today;
      if (cmd.dueOn < on) return `the report's due date (${cmd.dueOn}) is before the request (${on})`;
      if (cmd.dueOn > s.dates.orderEnd) return `the report's due date (${cmd.dueOn}) is after the order ends (${s.dates.orderEnd})`;
      if (cmd.hearingOn !== undefined && cmd.hearingOn > addDays(s.dates.orderEnd, 366)) return `the hearing (${cmd.hearingOn}) is more than a year after the order ends`;
      if (cmd.hearingOn !== undefined && cmd.hearingOn < cmd.dueOn) return `the hearing (${cmd.hearingOn}) is before the report is due (${cmd.dueOn})`;
      return undefined;
    }
    case 'submit-court-report': {
      if (!r) return `no report ${cmd.reportId}`;
      if (r.submitted) return `report ${cmd.reportId} was already submitted on ${r.submitted.on}`;
      const d = s.deadlines.find((x) => x.id === `report-${r.id}`);
      if (d && !open(d) && d.status !== 'missed') return `report ${cmd.reportId} is no longer awaited (${d.status})`;
      if ((cmd.on ?? today) < r.requestedOn) return `the report cannot be submitted (${cmd.on}) before it was requested (${r.requestedOn})`;
      return undefined;
    }
  }
}

export function applyCourtReport(s: SentenceState, cmd: CourtReportCommand, on: IsoDate, nowMs: number, today: IsoDate): Effect[] {
  switch (cmd.type) {
    case 'request-court-report':
      addReport(
        s,
        { id: cmd.reportId, kind: cmd.kind, requestedOn: on, dueOn: cmd.dueOn, ...(cmd.hearingOn ? { hearingOn: cmd.hearingOn } : {}), courtCode: s.courtCode },
        `Court report ${cmd.reportId} (${cmd.kind}) due ${cmd.dueOn}`,
        today,
      );
      log(s, nowMs, 'court-report-requested', `${cmd.kind} report ${cmd.reportId} requested on ${on}, due ${cmd.dueOn}${cmd.hearingOn ? ` for the hearing on ${cmd.hearingOn}` : ''}`);
      return [];
    case 'submit-court-report': {
      const r = s.courtReports.find((x) => x.id === cmd.reportId)!;
      r.submitted = { on, by: cmd.by, ...(cmd.reference ? { reference: cmd.reference } : {}) };
      const d = s.deadlines.find((x) => x.id === `report-${r.id}`);
      if (d && (open(d) || d.status === 'missed')) meet(s, d, on, nowMs);
      evidence(s, 24, { on, by: cmd.by, what: `${r.kind} report ${r.id} submitted to court ${r.courtCode}`, late: on > r.dueOn, ...(cmd.reference ? { reference: cmd.reference } : {}) }, nowMs);
      log(s, nowMs, 'court-report-submitted', `report ${r.id} (${r.kind}) submitted on ${on}, due ${r.dueOn}`);
      syncRow24(s, today);
      return [];
    }
  }
}

/** Called whenever deadlines may have closed (termination, supervision end): row 24 follows what is outstanding. */
export function refreshCourtReports(s: SentenceState, today: IsoDate): void {
  if (s.courtReports.length > 0) syncRow24(s, today);
}
