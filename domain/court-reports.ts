// Reports to court (specification row 24: "assessment, progress and breach reports are completed for courts within
// the required timescale"). Each report has a due date, a status (its deadline) and an alert when overdue.
//
// Drug rehabilitation requirement reviews (Sentencing Act 2020 Schedule 9 paras 20-21): a DRR of more than 12
// months must, and a shorter one may, provide for the requirement to be reviewed periodically at intervals of not
// less than one month, at a review hearing, with a written report from the responsible officer on the offender's
// progress before each review. The review schedule is derived here from the requirement's interval; the report is
// due a policy number of business days before each hearing.
import type { BusinessCalendar } from './calendar/index.ts';
import { defineCommand, LIVE_PHASES, OPEN_PHASES } from './command.ts';
import { addDays, isIsoDate, periodEnd, shiftMonths, type IsoDate } from './dates.ts';
import { codeProblem, evidence, log, makeDeadline, meet, open, calendarOf } from './kernel.ts';
import { openEvent, settleEvent } from './outputs/ledger.ts';
import { policyByVersion } from './policy.ts';
import type { Requirement, SentenceInput } from './sentence.ts';
import type { CourtReport, CourtReportKind, SentenceState } from './state.ts';
import { deadlineId } from './deadlines.ts';

type RequestCourtReport = {
  reportId: string;
  kind: Exclude<CourtReportKind, 'drr-progress'>;
  dueOn: IsoDate;
  hearingOn?: IsoDate;
  by: string;
  on?: IsoDate;
};
type SubmitCourtReport = { reportId: string; reference?: string; by: string; on?: IsoDate };

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
  s.deadlines.push(makeDeadline(deadlineId.courtReport(r.id), 'court-report', label, r.dueOn));
  syncRow24(s, today);
}

/** Row 24 is open while a report is outstanding, due by the earliest outstanding report's due date. */
function syncRow24(s: SentenceState, today: IsoDate): void {
  // Outstanding: not submitted and still expected (pending or overdue), or missed (never done: row 24 stays overdue).
  const outstanding = s.courtReports.filter(
    (r) => !r.submitted && s.deadlines.some((d) => d.id === deadlineId.courtReport(r.id) && (open(d) || d.status === 'missed')),
  );
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

/** A court asks for a report (progress, breach, other): a deadline on its due date, row 24 open. */
const requestCourtReport = defineCommand<RequestCourtReport>()({
  phases: LIVE_PHASES,
  reject: (s, a, { today }) => {
    const bad = codeProblem('reportId', a.reportId, 40);
    if (bad) return bad;
    if (s.courtReports.some((x) => x.id === a.reportId)) return `report ${a.reportId} is already requested`;
    if (!isIsoDate(a.dueOn) || (a.hearingOn !== undefined && !isIsoDate(a.hearingOn)))
      return 'dueOn and hearingOn are calendar dates (YYYY-MM-DD)';
    const on = a.on ?? today;
    if (a.dueOn < on) return `the report's due date (${a.dueOn}) is before the request (${on})`;
    if (a.dueOn > s.dates.orderEnd) return `the report's due date (${a.dueOn}) is after the order ends (${s.dates.orderEnd})`;
    if (a.hearingOn !== undefined && a.hearingOn > addDays(s.dates.orderEnd, 366))
      return `the hearing (${a.hearingOn}) is more than a year after the order ends`;
    if (a.hearingOn !== undefined && a.hearingOn < a.dueOn) return `the hearing (${a.hearingOn}) is before the report is due (${a.dueOn})`;
    return undefined;
  },
  apply: (s, a, { on, nowMs, today }) => {
    addReport(
      s,
      {
        id: a.reportId,
        kind: a.kind,
        requestedOn: on,
        dueOn: a.dueOn,
        ...(a.hearingOn ? { hearingOn: a.hearingOn } : {}),
        courtCode: s.courtCode,
      },
      `Court report ${a.reportId} (${a.kind}) due ${a.dueOn}`,
      today,
    );
    log(
      s,
      nowMs,
      'court-report-requested',
      `${a.kind} report ${a.reportId} requested on ${on}, due ${a.dueOn}${a.hearingOn ? ` for the hearing on ${a.hearingOn}` : ''}`,
    );
    return [];
  },
});

/** The report was submitted: its deadline met (or late), row 24 evidenced. */
const submitCourtReport = defineCommand<SubmitCourtReport>()({
  phases: OPEN_PHASES,
  reject: (s, a, { today }) => {
    const r = s.courtReports.find((x) => x.id === a.reportId);
    if (!r) return `no report ${a.reportId}`;
    if (r.submitted) return `report ${a.reportId} was already submitted on ${r.submitted.on}`;
    const d = s.deadlines.find((x) => x.id === deadlineId.courtReport(r.id));
    if (d && !open(d) && d.status !== 'missed') return `report ${a.reportId} is no longer awaited (${d.status})`;
    if ((a.on ?? today) < r.requestedOn) return `the report cannot be submitted (${a.on}) before it was requested (${r.requestedOn})`;
    return undefined;
  },
  apply: (s, a, { on, nowMs, today }) => {
    const r = s.courtReports.find((x) => x.id === a.reportId)!;
    r.submitted = { on, by: a.by, ...(a.reference ? { reference: a.reference } : {}) };
    const d = s.deadlines.find((x) => x.id === deadlineId.courtReport(r.id));
    if (d && (open(d) || d.status === 'missed')) meet(s, d, on, nowMs);
    evidence(
      s,
      24,
      {
        on,
        by: a.by,
        what: `${r.kind} report ${r.id} submitted to court ${r.courtCode}`,
        late: on > r.dueOn,
        ...(a.reference ? { reference: a.reference } : {}),
      },
      nowMs,
    );
    log(s, nowMs, 'court-report-submitted', `report ${r.id} (${r.kind}) submitted on ${on}, due ${r.dueOn}`);
    syncRow24(s, today);
    return [];
  },
});

export const COURT_REPORT_COMMANDS = {
  'request-court-report': requestCourtReport,
  'submit-court-report': submitCourtReport,
};

/** Called whenever deadlines may have closed (termination, supervision end): row 24 follows what is outstanding. */
export function refreshCourtReports(s: SentenceState, today: IsoDate): void {
  if (s.courtReports.length > 0) syncRow24(s, today);
}
