// Risk information, escalation to the NPS and the NPS's decision (specification rows 22, 29, 30 and 31; Strategic
// Context: "the NPS must respond to information ... that suggests there may be a potential escalation to high risk
// of serious harm, undertake renewed risk assessments and take on the responsibility for the management of any
// cases in which risk of serious harm has become high"). Pure rules over the SentenceState.
import { isIsoDate, londonDate, type IsoDate } from './dates';
import { changeOwner, codeProblem, evidence, log, makeDeadline, meet, open, ownerSince, raise, reevaluate, significantChange, underReview, withdrawTransfers, calendarOf } from './kernel';
import { openEvent, settleEvent } from './outputs/ledger';
import { policyByVersion } from './policy';
import type { OffenderCharacteristics, RoshLevel } from './sentence';
import type { Effect, Mappa, NpsDecision, PlannedRiskReview, RiskState, SentenceState } from './state';

export { NPS_DECISIONS } from './state';
export type { Mappa, NpsDecision, NpsReferral, PlannedRiskReview, RiskRecord, RiskState } from './state';

export const ROSH_RANK: Record<RoshLevel, number> = { low: 1, medium: 2, high: 3, 'very-high': 4 };
export const isHighRosh = (level: RoshLevel) => ROSH_RANK[level] >= ROSH_RANK.high;

export const emptyRisk = (): RiskState => ({ history: [], referrals: [], reviews: [], withNps: false });

/** The provider code the case takes when the NPS assumes responsibility and no other code is given. */
export const NPS_PROVIDER_CODE = 'NPS';

export type RiskCommand =
  | { type: 'refer-to-nps'; reasonCode: string; by: string; on?: IsoDate }
  | {
      type: 'record-risk-information';
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
    }
  | {
      type: 'record-nps-decision';
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

export function riskRejection(s: SentenceState, cmd: RiskCommand, today: IsoDate): string | undefined {
  switch (cmd.type) {
    case 'refer-to-nps': {
      if (s.risk.withNps) return 'the NPS already holds this case';
      const waiting = awaitingDecision(s);
      if (waiting) return `a referral to the NPS made on ${waiting.on} is awaiting its decision`;
      return undefined;
    }
    case 'record-risk-information':
      // It may come as a Signal from another system, unchecked by the API: the shape is checked here too.
      if (cmd.roshLevel !== undefined && !Object.hasOwn(ROSH_RANK, cmd.roshLevel)) return `roshLevel must be one of ${Object.keys(ROSH_RANK).join(', ')}`;
      if (cmd.mappa != null && (![1, 2, 3].includes(cmd.mappa.category) || ![1, 2, 3].includes(cmd.mappa.level))) return 'mappa has a category and a level of 1, 2 or 3';
      if (cmd.escalationSuggested !== undefined && typeof cmd.escalationSuggested !== 'boolean') return 'escalationSuggested is true or false';
      {
        const bad = codeProblem('sourceCode', cmd.sourceCode) ?? codeProblem('by', cmd.by);
        if (bad) return bad;
      }
      if (cmd.roshLevel === undefined && cmd.mappa === undefined && !cmd.escalationSuggested) {
        return 'risk information needs a roshLevel, a mappa change or escalationSuggested';
      }
      if (cmd.assessmentTool !== undefined && cmd.roshLevel === undefined) return 'a completed assessment (assessmentTool) states its roshLevel';
      return undefined;
    case 'record-nps-decision': {
      const waiting = awaitingDecision(s);
      if (!waiting) return 'no referral to the NPS is awaiting a decision';
      for (const [field, value] of [['offenderManagerId', cmd.offenderManagerId], ['providerCode', cmd.providerCode], ['areaCode', cmd.areaCode], ['reasonCode', cmd.reasonCode]] as const) {
        const bad = value === undefined ? undefined : codeProblem(field, value);
        if (bad) return bad;
      }
      if (!Object.hasOwn(ROSH_RANK, cmd.roshLevel)) return `roshLevel must be one of ${Object.keys(ROSH_RANK).join(', ')}`;
      if (cmd.decision === 'assumes-responsibility') {
        if (!cmd.offenderManagerId) return 'the NPS names the offender manager who takes the case (offenderManagerId)';
        if (!isHighRosh(cmd.roshLevel)) return `the NPS assumes responsibility for high risk of serious harm cases: its assessment is ${cmd.roshLevel}`;
        if (cmd.riskReviewOn !== undefined) return 'a planned risk review date goes with a decision to decline';
        if (s.phase === 'commenced') return 'allocate the case first: the NPS takes it from its offender manager';
        if ((cmd.on ?? today) < ownerSince(s)) return `the case cannot move (${cmd.on}) before its current owner took it (${ownerSince(s)})`;
      } else {
        if (cmd.offenderManagerId !== undefined) return 'when the NPS declines, the case stays with its offender manager';
        if (cmd.riskReviewOn !== undefined) {
          if (!isIsoDate(cmd.riskReviewOn)) return `riskReviewOn ${cmd.riskReviewOn} is not a calendar date (YYYY-MM-DD)`;
          const on = cmd.on ?? today;
          if (cmd.riskReviewOn <= on) return `the planned risk review (${cmd.riskReviewOn}) must be after the decision (${on})`;
          if (cmd.riskReviewOn > s.dates.orderEnd) return `the planned risk review (${cmd.riskReviewOn}) is after the order ends (${s.dates.orderEnd})`;
        }
      }
      if ((cmd.on ?? today) < waiting.on) return `the decision (${cmd.on}) cannot precede the referral (${waiting.on})`;
      return undefined;
    }
  }
}

function refer(s: SentenceState, reasonCode: string, by: string, on: IsoDate, nowMs: number): void {
  const policy = policyByVersion(s.policyVersion);
  const n = s.risk.referrals.length + 1;
  const decisionDue = calendarOf(s).addBusinessDays(on, policy.npsDecisionBusinessDays);
  s.risk.referrals.push({ id: `nps-${n}`, on, by, reasonCode, decisionDue });
  s.deadlines.push(makeDeadline(`nps-decision-${n}`, 'nps-decision', `NPS decision on referral ${n} within ${policy.npsDecisionBusinessDays} business days`, decisionDue));
  s.facts = { ...s.facts, referredToNps: true };
  reevaluate(s, on, nowMs);
  // The NPS's decision and the officer's action on it (rows 30, 31) are now awaited.
  for (const r of [30, 31]) s.outputs = openEvent(s.outputs, r, on, londonDate(nowMs), calendarOf(s), decisionDue);
  raise(s, { row: 22, recipient: 'nps', event: 'nps-referral', basis: reasonCode, raisedOn: on, raisedBy: by }, nowMs);
  log(s, nowMs, 'referred-to-nps', `referred to the NPS (${reasonCode}) by ${by}; decision due ${decisionDue}`);
}

/** Whether information shows the risk rising, and whether it rises towards high (which calls for the NPS). */
export function assessChange(before: { roshLevel: RoshLevel; mappa?: Mappa }, info: Extract<RiskCommand, { type: 'record-risk-information' }>) {
  const rosh = info.roshLevel ?? before.roshLevel;
  const roshUp = ROSH_RANK[rosh] > ROSH_RANK[before.roshLevel];
  const mappaUp = Boolean(info.mappa && (!before.mappa || info.mappa.level > before.mappa.level || info.mappa.category !== before.mappa.category));
  const increased = roshUp || mappaUp || Boolean(info.escalationSuggested);
  const towardsHigh = (roshUp && isHighRosh(rosh)) || Boolean(info.escalationSuggested);
  return { increased, towardsHigh };
}

export function applyRisk(s: SentenceState, cmd: RiskCommand, on: IsoDate, nowMs: number): Effect[] {
  const today = londonDate(nowMs);
  switch (cmd.type) {
    case 'refer-to-nps':
      refer(s, cmd.reasonCode, cmd.by, on, nowMs);
      return [];
    case 'record-risk-information': {
      const before = { roshLevel: s.offender.roshLevel, ...(s.offender.mappa ? { mappa: s.offender.mappa } : {}) };
      const { increased, towardsHigh } = assessChange(before, cmd);
      const offender: OffenderCharacteristics = { ...s.offender, ...(cmd.roshLevel ? { roshLevel: cmd.roshLevel } : {}) };
      if (cmd.mappa === null) delete offender.mappa;
      else if (cmd.mappa) offender.mappa = cmd.mappa;
      s.offender = offender;
      s.risk.history.push({
        on, by: cmd.by, sourceCode: cmd.sourceCode, roshLevel: offender.roshLevel, ...(offender.mappa ? { mappa: offender.mappa } : {}),
        escalationSuggested: Boolean(cmd.escalationSuggested), increased,
      });
      const mappaText = cmd.mappa === null ? ', MAPPA ended' : cmd.mappa ? `, MAPPA category ${cmd.mappa.category} level ${cmd.mappa.level}` : '';
      log(s, nowMs, 'risk-information', `risk information from ${cmd.sourceCode} on ${on}: RoSH ${before.roshLevel} → ${offender.roshLevel}${mappaText}${cmd.escalationSuggested ? ', escalation suggested' : ''}`);
      reevaluate(s, on, nowMs);
      // A completed assessment evidences row 29 and answers any planned risk review that is due.
      if (cmd.assessmentTool) {
        evidence(s, 29, { on, by: cmd.by, what: `risk of harm assessed (${cmd.assessmentTool})`, details: { tool: cmd.assessmentTool, roshLevel: offender.roshLevel } }, nowMs);
        for (const d of s.deadlines) if (d.kind === 'risk-review' && open(d)) meet(s, d, on, nowMs);
      }
      if (increased) {
        // Row 22: increased-risk information is acted on: the plan is reviewed, and the NPS told if RoSH may be
        // escalating to high (unless it already holds the case or is deciding on it).
        s.outputs = openEvent(s.outputs, 22, on, today, calendarOf(s));
        evidence(s, 22, { on, by: cmd.by, what: `increased-risk information recorded (${cmd.sourceCode}) and acted on` }, nowMs);
        if (underReview(s)) significantChange(s, 'risk-increased', on, nowMs);
        if (towardsHigh && !s.risk.withNps && !awaitingDecision(s)) refer(s, 'risk-escalation', cmd.by, on, nowMs);
        const stillOpen = s.notifications.filter((n) => n.row === 22 && !n.delivered && !n.failed).map((n) => n.raisedOn).sort()[0];
        s.outputs = settleEvent(s.outputs, 22, stillOpen, today, calendarOf(s));
      }
      return [];
    }
    case 'record-nps-decision': {
      const referral = awaitingDecision(s)!;
      const n = s.risk.referrals.indexOf(referral) + 1;
      referral.decision = {
        type: cmd.decision, on, by: cmd.by, roshLevel: cmd.roshLevel,
        ...(cmd.riskReviewOn ? { riskReviewOn: cmd.riskReviewOn } : {}), ...(cmd.reasonCode ? { reasonCode: cmd.reasonCode } : {}),
      };
      const d = s.deadlines.find((x) => x.id === `nps-decision-${n}`);
      if (d && open(d)) meet(s, d, on, nowMs);
      const previous = s.offender.roshLevel;
      s.offender = { ...s.offender, roshLevel: cmd.roshLevel };
      s.risk.history.push({ on, by: cmd.by, sourceCode: 'nps', roshLevel: cmd.roshLevel, ...(s.offender.mappa ? { mappa: s.offender.mappa } : {}), escalationSuggested: false, increased: ROSH_RANK[cmd.roshLevel] > ROSH_RANK[previous] });
      evidence(s, 30, { on, by: cmd.by, what: `NPS decision: ${cmd.decision} (RoSH ${cmd.roshLevel})`, ...(cmd.reasonCode ? { reference: cmd.reasonCode } : {}) }, nowMs);
      if (cmd.decision === 'assumes-responsibility') {
        s.risk.withNps = true;
        withdrawTransfers(s, on, 'the NPS assumed responsibility', nowMs);
        changeOwner(
          s,
          { providerCode: cmd.providerCode ?? NPS_PROVIDER_CODE, areaCode: cmd.areaCode ?? s.provider.areaCode, offenderManagerId: cmd.offenderManagerId! },
          on,
          `NPS assumed responsibility (RoSH ${cmd.roshLevel})`,
          nowMs,
        );
        evidence(s, 31, { on, by: cmd.by, what: `NPS assessment acted on: case transferred to the NPS (${cmd.offenderManagerId})` }, nowMs);
        log(s, nowMs, 'nps-assumed-responsibility', `NPS assumed responsibility on ${on}: RoSH ${cmd.roshLevel}, offender manager ${cmd.offenderManagerId}`);
        if (underReview(s)) significantChange(s, 'transferred-to-nps', on, nowMs);
      } else {
        if (cmd.riskReviewOn) s.risk.reviews.push({ id: `risk-review-${s.risk.reviews.length + 1}`, on: cmd.riskReviewOn, referralId: referral.id, raised: false });
        evidence(s, 31, { on, by: cmd.by, what: `NPS assessment acted on: case stays with ${s.provider.providerCode}${cmd.riskReviewOn ? `, risk review planned for ${cmd.riskReviewOn}` : ''}` }, nowMs);
        log(s, nowMs, 'nps-declined', `NPS declined on ${on} (RoSH ${cmd.roshLevel})${cmd.riskReviewOn ? `; planned risk review on ${cmd.riskReviewOn}` : ''}`);
      }
      reevaluate(s, on, nowMs);
      for (const r of [30, 31]) s.outputs = settleEvent(s.outputs, r, undefined, today, calendarOf(s));
      return [];
    }
  }
}

/** Planned risk reviews not yet raised: each is raised at the start of its day. */
export function dueRiskReviews(s: SentenceState): PlannedRiskReview[] {
  return s.risk.reviews.filter((r) => !r.raised);
}

/** The planned risk review's day has come: the review is raised, due within the policy's business days, and alerted. */
export function raiseRiskReview(s: SentenceState, id: string, atMs: number): Effect[] {
  const r = s.risk.reviews.find((x) => x.id === id)!;
  r.raised = true;
  const policy = policyByVersion(s.policyVersion);
  const d = makeDeadline(id, 'risk-review', `Planned risk review set by the NPS for ${r.on}`, calendarOf(s).addBusinessDays(r.on, policy.riskReviewBusinessDays));
  s.deadlines.push(d);
  log(s, atMs, 'risk-review-raised', `planned risk review raised on ${r.on} (NPS decision on ${r.referralId}); due ${d.dueDate}`);
  return [{ type: 'alert', kind: 'risk-review-raised', id, label: d.label, dueDate: d.dueDate }];
}
