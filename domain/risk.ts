// Risk information, escalation to the NPS and the NPS's decision (specification rows 22, 29, 30 and 31; Strategic
// Context: "the NPS must respond to information ... that suggests there may be a potential escalation to high risk
// of serious harm, undertake renewed risk assessments and take on the responsibility for the management of any
// cases in which risk of serious harm has become high"). Pure rules over the SentenceState.
import { rulesOf } from './rules.ts';
import { defineCommand, LIVE_PHASES } from './command.ts';
import { isIsoDate, londonDate, type IsoDate } from './dates.ts';
import {
  changeOwner,
  codeProblem,
  evidence,
  log,
  makeDeadline,
  meet,
  open,
  ownerSince,
  raise,
  reevaluate,
  significantChange,
  underReview,
  withdrawTransfers,
  calendarOf,
} from './kernel.ts';
import { openEvent, settleEvent } from './outputs/ledger.ts';
import { policyByVersion } from './policy.ts';
import type { OffenderCharacteristics, RoshLevel } from './sentence.ts';
import type { Effect, Mappa, NpsDecision, PlannedRiskReview, RiskState, SentenceState } from './state.ts';
import { deadlineId } from './deadlines.ts';

export const ROSH_RANK: Record<RoshLevel, number> = { low: 1, medium: 2, high: 3, 'very-high': 4 };
export const isHighRosh = (level: RoshLevel) => ROSH_RANK[level] >= ROSH_RANK.high;

export const emptyRisk = (): RiskState => ({ history: [], referrals: [], reviews: [], withNps: false });

/** The provider code the case takes when the NPS assumes responsibility and no other code is given. */
export const NPS_PROVIDER_CODE = 'NPS';

type ReferToNps = { reasonCode: string; by: string; on?: IsoDate };
export type RiskInformation = {
  roshLevel?: RoshLevel;
  /** A new MAPPA category and level; null when the offender is no longer managed under MAPPA. */
  mappa?: Mappa | null;
  escalationSuggested?: boolean;
  /** Where the information came from, as a code (e.g. "officer", "police", "prison", "oasys"). */
  sourceCode: string;
  /** The assessment tool, when this is a completed risk assessment (row 29), e.g. "OASys". */
  assessmentTool?: string;
  by: string;
  on?: IsoDate;
};
type NpsDecisionRecord = {
  decision: NpsDecision;
  /** The NPS's own assessment of the risk of serious harm. */
  roshLevel: RoshLevel;
  /** The NPS offender manager who takes the case (when it assumes responsibility). */
  offenderManagerId?: string;
  providerCode?: string;
  areaCode?: string;
  /** When it declines: the date of a planned risk review, raised on that day. */
  riskReviewOn?: IsoDate;
  reasonCode?: string;
  by: string;
  on?: IsoDate;
};

const awaitingDecision = (s: SentenceState) => s.risk.referrals.find((r) => !r.decision);

function refer(s: SentenceState, reasonCode: string, by: string, on: IsoDate, nowMs: number): void {
  const policy = policyByVersion(s.policyVersion);
  const n = s.risk.referrals.length + 1;
  const decisionDue = calendarOf(s).addBusinessDays(on, policy.npsDecisionBusinessDays);
  s.risk.referrals.push({ id: `nps-${n}`, on, by, reasonCode, decisionDue });
  s.deadlines.push(
    makeDeadline(
      deadlineId.npsDecision(n),
      'nps-decision',
      `NPS decision on referral ${n} within ${policy.npsDecisionBusinessDays} business days`,
      decisionDue,
    ),
  );
  s.facts = { ...s.facts, referredToNps: true };
  reevaluate(s, on, nowMs);
  // The NPS's decision and the officer's action on it (rows 30, 31) are now awaited.
  for (const r of [30, 31]) s.outputs = openEvent(s.outputs, r, on, londonDate(nowMs), calendarOf(s), decisionDue);
  raise(s, { row: 22, recipient: 'nps', event: 'nps-referral', basis: reasonCode, raisedOn: on, raisedBy: by }, nowMs);
  log(s, nowMs, 'referred-to-nps', `referred to the NPS (${reasonCode}) by ${by}; decision due ${decisionDue}`);
}

/** Whether information shows the risk rising, and whether it rises towards high (which calls for the NPS). */
export function assessChange(before: { roshLevel: RoshLevel; mappa?: Mappa }, info: RiskInformation) {
  const rosh = info.roshLevel ?? before.roshLevel;
  const roshUp = ROSH_RANK[rosh] > ROSH_RANK[before.roshLevel];
  const mappaUp = Boolean(
    info.mappa && (!before.mappa || info.mappa.level > before.mappa.level || info.mappa.category !== before.mappa.category),
  );
  const increased = roshUp || mappaUp || Boolean(info.escalationSuggested);
  const towardsHigh = (roshUp && isHighRosh(rosh)) || Boolean(info.escalationSuggested);
  return { increased, towardsHigh };
}

/** The officer refers the case to the NPS: risk of serious harm may be escalating to high (row 22; rows 30-31 apply). */
const referToNps = defineCommand<ReferToNps>()({
  phases: LIVE_PHASES,
  reject: (s) => {
    if (s.risk.withNps) return 'the NPS already holds this case';
    const waiting = awaitingDecision(s);
    if (waiting) return `a referral to the NPS made on ${waiting.on} is awaiting its decision`;
    return undefined;
  },
  apply: (s, a, { on, nowMs }) => {
    refer(s, a.reasonCode, a.by, on, nowMs);
    return [];
  },
});

/** Risk information (police, prison, OASys, the officer): new RoSH, MAPPA, or escalation suggested. */
const recordRiskInformation = defineCommand<RiskInformation>()({
  phases: LIVE_PHASES,
  signal: true,
  reject: (_s, a) => {
    // It may come as a Signal from another system, unchecked by the API: the shape is checked here too.
    if (a.roshLevel !== undefined && !Object.hasOwn(ROSH_RANK, a.roshLevel))
      return `roshLevel must be one of ${Object.keys(ROSH_RANK).join(', ')}`;
    if (a.mappa != null && (![1, 2, 3].includes(a.mappa.category) || ![1, 2, 3].includes(a.mappa.level)))
      return 'mappa has a category and a level of 1, 2 or 3';
    if (a.escalationSuggested !== undefined && typeof a.escalationSuggested !== 'boolean') return 'escalationSuggested is true or false';
    {
      const bad = codeProblem('sourceCode', a.sourceCode) ?? codeProblem('by', a.by);
      if (bad) return bad;
    }
    if (a.roshLevel === undefined && a.mappa === undefined && !a.escalationSuggested) {
      return 'risk information needs a roshLevel, a mappa change or escalationSuggested';
    }
    if (a.assessmentTool !== undefined && a.roshLevel === undefined) return 'a completed assessment (assessmentTool) states its roshLevel';
    return undefined;
  },
  apply: (s, a, { on, nowMs, today }) => {
    const before = { roshLevel: s.offender.roshLevel, ...(s.offender.mappa ? { mappa: s.offender.mappa } : {}) };
    const { increased, towardsHigh } = assessChange(before, a);
    const offender: OffenderCharacteristics = { ...s.offender, ...(a.roshLevel ? { roshLevel: a.roshLevel } : {}) };
    if (a.mappa === null) delete offender.mappa;
    else if (a.mappa) offender.mappa = a.mappa;
    s.offender = offender;
    s.risk.history.push({
      on,
      by: a.by,
      sourceCode: a.sourceCode,
      roshLevel: offender.roshLevel,
      ...(offender.mappa ? { mappa: offender.mappa } : {}),
      escalationSuggested: Boolean(a.escalationSuggested),
      increased,
    });
    const mappaText = a.mappa === null ? ', MAPPA ended' : a.mappa ? `, MAPPA category ${a.mappa.category} level ${a.mappa.level}` : '';
    log(
      s,
      nowMs,
      'risk-information',
      `risk information from ${a.sourceCode} on ${on}: RoSH ${before.roshLevel} → ${offender.roshLevel}${mappaText}${a.escalationSuggested ? ', escalation suggested' : ''}`,
    );
    reevaluate(s, on, nowMs);
    // A completed assessment evidences row 29 and answers any planned risk review that is due.
    if (a.assessmentTool) {
      evidence(
        s,
        29,
        {
          on,
          by: a.by,
          what: `risk of harm assessed (${a.assessmentTool})`,
          details: { tool: a.assessmentTool, roshLevel: offender.roshLevel },
        },
        nowMs,
      );
      for (const d of s.deadlines) if (d.kind === 'risk-review' && open(d)) meet(s, d, on, nowMs);
    }
    if (increased) actOnIncreasedRisk(s, a, towardsHigh, on, nowMs, today);
    return [];
  },
});

/**
 * Row 22: increased-risk information is acted on: the plan is reviewed, and the NPS told if RoSH may be escalating to
 * high (unless it already holds the case or is deciding on it).
 */
function actOnIncreasedRisk(s: SentenceState, a: RiskInformation, towardsHigh: boolean, on: IsoDate, nowMs: number, today: IsoDate): void {
  s.outputs = openEvent(s.outputs, 22, on, today, calendarOf(s));
  evidence(s, 22, { on, by: a.by, what: `increased-risk information recorded (${a.sourceCode}) and acted on` }, nowMs);
  if (underReview(s)) significantChange(s, 'risk-increased', on, nowMs);
  if (towardsHigh && !s.risk.withNps && !awaitingDecision(s)) refer(s, 'risk-escalation', a.by, on, nowMs);
  const stillOpen = s.notifications
    .filter((n) => n.row === 22 && !n.delivered && !n.failed)
    .map((n) => n.raisedOn)
    .sort()[0];
  s.outputs = settleEvent(s.outputs, 22, stillOpen, today, calendarOf(s));
}

function npsDecisionRejection(s: SentenceState, a: NpsDecisionRecord, today: IsoDate): string | undefined {
  const waiting = awaitingDecision(s);
  if (!waiting) return 'no referral to the NPS is awaiting a decision';
  for (const [field, value] of [
    ['offenderManagerId', a.offenderManagerId],
    ['providerCode', a.providerCode],
    ['areaCode', a.areaCode],
    ['reasonCode', a.reasonCode],
  ] as const) {
    const bad = value === undefined ? undefined : codeProblem(field, value);
    if (bad) return bad;
  }
  if (!Object.hasOwn(ROSH_RANK, a.roshLevel)) return `roshLevel must be one of ${Object.keys(ROSH_RANK).join(', ')}`;
  if (a.decision === 'assumes-responsibility') {
    if (!a.offenderManagerId) return 'the NPS names the offender manager who takes the case (offenderManagerId)';
    if (!isHighRosh(a.roshLevel))
      return `the NPS assumes responsibility for high risk of serious harm cases: its assessment is ${a.roshLevel}`;
    if (a.riskReviewOn !== undefined) return 'a planned risk review date goes with a decision to decline';
    if (s.phase === 'commenced') return 'allocate the case first: the NPS takes it from its offender manager';
    if ((a.on ?? today) < ownerSince(s)) return `the case cannot move (${a.on}) before its current owner took it (${ownerSince(s)})`;
  } else {
    // Row 30: "where the NPS determines that there is a high risk of serious harm, it will assume responsibility" (rules 2).
    if (rulesOf(s) >= 2 && isHighRosh(a.roshLevel))
      return `the NPS assesses the risk of serious harm as ${a.roshLevel}: it assumes responsibility and cannot decline (specification row 30)`;
    if (a.offenderManagerId !== undefined) return 'when the NPS declines, the case stays with its offender manager';
    if (a.riskReviewOn !== undefined) {
      if (!isIsoDate(a.riskReviewOn)) return `riskReviewOn ${a.riskReviewOn} is not a calendar date (YYYY-MM-DD)`;
      const on = a.on ?? today;
      if (a.riskReviewOn <= on) return `the planned risk review (${a.riskReviewOn}) must be after the decision (${on})`;
      if (a.riskReviewOn > s.dates.orderEnd)
        return `the planned risk review (${a.riskReviewOn}) is after the order ends (${s.dates.orderEnd})`;
    }
  }
  if ((a.on ?? today) < waiting.on) return `the decision (${a.on}) cannot precede the referral (${waiting.on})`;
  return undefined;
}

/** The NPS's decision on the referral awaiting one: it assumes responsibility (the case moves), or declines. */
const recordNpsDecision = defineCommand<NpsDecisionRecord>()({
  phases: LIVE_PHASES,
  reject: (s, a, { today }) => npsDecisionRejection(s, a, today),
  apply: (s, a, { on, nowMs, today }) => {
    const referral = awaitingDecision(s)!;
    const n = s.risk.referrals.indexOf(referral) + 1;
    referral.decision = {
      type: a.decision,
      on,
      by: a.by,
      roshLevel: a.roshLevel,
      ...(a.riskReviewOn ? { riskReviewOn: a.riskReviewOn } : {}),
      ...(a.reasonCode ? { reasonCode: a.reasonCode } : {}),
    };
    const d = s.deadlines.find((x) => x.id === deadlineId.npsDecision(n));
    if (d && open(d)) meet(s, d, on, nowMs);
    const previous = s.offender.roshLevel;
    s.offender = { ...s.offender, roshLevel: a.roshLevel };
    s.risk.history.push({
      on,
      by: a.by,
      sourceCode: 'nps',
      roshLevel: a.roshLevel,
      ...(s.offender.mappa ? { mappa: s.offender.mappa } : {}),
      escalationSuggested: false,
      increased: ROSH_RANK[a.roshLevel] > ROSH_RANK[previous],
    });
    evidence(
      s,
      30,
      { on, by: a.by, what: `NPS decision: ${a.decision} (RoSH ${a.roshLevel})`, ...(a.reasonCode ? { reference: a.reasonCode } : {}) },
      nowMs,
    );
    if (a.decision === 'assumes-responsibility') npsAssumes(s, a, on, nowMs);
    else {
      if (a.riskReviewOn)
        s.risk.reviews.push({
          id: deadlineId.riskReview(s.risk.reviews.length + 1),
          on: a.riskReviewOn,
          referralId: referral.id,
          raised: false,
        });
      evidence(
        s,
        31,
        {
          on,
          by: a.by,
          what: `NPS assessment acted on: case stays with ${s.provider.providerCode}${a.riskReviewOn ? `, risk review planned for ${a.riskReviewOn}` : ''}`,
        },
        nowMs,
      );
      log(
        s,
        nowMs,
        'nps-declined',
        `NPS declined on ${on} (RoSH ${a.roshLevel})${a.riskReviewOn ? `; planned risk review on ${a.riskReviewOn}` : ''}`,
      );
    }
    reevaluate(s, on, nowMs);
    for (const r of [30, 31]) s.outputs = settleEvent(s.outputs, r, undefined, today, calendarOf(s));
    return [];
  },
});

/** The NPS assumes responsibility: the case moves to its offender manager in one step, withdrawing any transfer. */
function npsAssumes(s: SentenceState, a: NpsDecisionRecord, on: IsoDate, nowMs: number): void {
  s.risk.withNps = true;
  withdrawTransfers(s, on, 'the NPS assumed responsibility', nowMs);
  changeOwner(
    s,
    {
      providerCode: a.providerCode ?? NPS_PROVIDER_CODE,
      areaCode: a.areaCode ?? s.provider.areaCode,
      offenderManagerId: a.offenderManagerId!,
    },
    on,
    `NPS assumed responsibility (RoSH ${a.roshLevel})`,
    nowMs,
  );
  evidence(s, 31, { on, by: a.by, what: `NPS assessment acted on: case transferred to the NPS (${a.offenderManagerId})` }, nowMs);
  log(
    s,
    nowMs,
    'nps-assumed-responsibility',
    `NPS assumed responsibility on ${on}: RoSH ${a.roshLevel}, offender manager ${a.offenderManagerId}`,
  );
  if (underReview(s)) significantChange(s, 'transferred-to-nps', on, nowMs);
}

export const RISK_COMMANDS = {
  'refer-to-nps': referToNps,
  'record-risk-information': recordRiskInformation,
  'record-nps-decision': recordNpsDecision,
};

/** Planned risk reviews not yet raised: each is raised at the start of its day. */
export function dueRiskReviews(s: SentenceState): PlannedRiskReview[] {
  return s.risk.reviews.filter((r) => !r.raised);
}

/** The planned risk review's day has come: the review is raised, due within the policy's business days, and alerted. */
export function raiseRiskReview(s: SentenceState, id: string, atMs: number): Effect[] {
  const r = s.risk.reviews.find((x) => x.id === id)!;
  r.raised = true;
  const policy = policyByVersion(s.policyVersion);
  const d = makeDeadline(
    id,
    'risk-review',
    `Planned risk review set by the NPS for ${r.on}`,
    calendarOf(s).addBusinessDays(r.on, policy.riskReviewBusinessDays),
  );
  s.deadlines.push(d);
  log(s, atMs, 'risk-review-raised', `planned risk review raised on ${r.on} (NPS decision on ${r.referralId}); due ${d.dueDate}`);
  return [{ type: 'alert', kind: 'risk-review-raised', id, label: d.label, dueDate: d.dueDate }];
}
