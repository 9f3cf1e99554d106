// Case transfer between providers or areas (specification rows 27 and 28: the case is transferred out, and accepted
// in, "following approval of transfer, including change of Court jurisdiction as required"). Pure rules.
//
// request → approval by the sending side → acceptance by the receiving side within the policy's business days →
// the case continues with the new provider, area, offender manager and (where given) court. A refusal, a rejection
// or a missed acceptance deadline leaves the case where it was. The case always has exactly one owner: ownership
// changes in one step (kernel.changeOwner), at acceptance, and never otherwise.
import { defineCommand, SUPERVISED } from './command.ts';
import { londonDate, type IsoDate } from './dates.ts';
import { deadlineId } from './deadlines.ts';
import {
  changeOwner,
  codeProblem,
  evidence,
  log,
  makeDeadline,
  meet,
  open,
  ownerSince,
  reevaluate,
  significantChange,
  underReview,
  calendarOf,
} from './kernel.ts';
import { openEvent, settleEvent } from './outputs/ledger.ts';
import { policyByVersion } from './policy.ts';
import type { Deadline, Effect, SentenceState, Transfer, TransferStatus } from './state.ts';

type RequestTransfer = {
  transferId: string;
  toProviderCode: string;
  toAreaCode: string;
  toCourtCode?: string;
  reasonCode: string;
  by: string;
  on?: IsoDate;
};
type DecideTransfer = { transferId: string; decision: 'approved' | 'refused'; reasonCode?: string; by: string; on?: IsoDate };
type RespondToTransfer = {
  transferId: string;
  decision: 'accepted' | 'rejected';
  offenderManagerId?: string;
  reasonCode?: string;
  by: string;
  on?: IsoDate;
};

const LIVE: readonly TransferStatus[] = ['requested', 'approved'];
export const liveTransfer = (s: SentenceState) => s.transfers.find((t) => LIVE.includes(t.status));
const transfer = (s: SentenceState, id: string) => s.transfers.find((x) => x.id === id);

/** Closes the transfer's open occurrences of rows 27 and 28 (they stay evidenced if the transfer happened). */
function settle(s: SentenceState, today: IsoDate): void {
  for (const r of [27, 28]) s.outputs = settleEvent(s.outputs, r, undefined, today, calendarOf(s));
}

/** A transfer is requested (from the API or, as a Signal, from another system). */
const requestTransfer = defineCommand<RequestTransfer>()({
  phases: SUPERVISED,
  signal: true,
  reject: (s, a) => {
    const bad =
      codeProblem('transferId', a.transferId, 40) ??
      codeProblem('toProviderCode', a.toProviderCode) ??
      codeProblem('toAreaCode', a.toAreaCode) ??
      codeProblem('reasonCode', a.reasonCode) ??
      codeProblem('by', a.by) ??
      (a.toCourtCode !== undefined ? codeProblem('toCourtCode', a.toCourtCode) : undefined);
    if (bad) return bad;
    const t = transfer(s, a.transferId);
    if (t) return `transfer ${a.transferId} already exists (${t.status})`;
    const live = liveTransfer(s);
    if (live) return `transfer ${live.id} is already in progress (${live.status})`;
    if (a.toProviderCode === s.provider.providerCode && a.toAreaCode === s.provider.areaCode) {
      return `the case is already held by ${s.provider.providerCode}/${s.provider.areaCode}`;
    }
    return undefined;
  },
  apply: (s, a, { on, nowMs }) => {
    s.transfers.push({
      id: a.transferId,
      status: 'requested',
      requestedOn: on,
      requestedBy: a.by,
      reasonCode: a.reasonCode,
      from: { ...s.provider, ...(s.offenderManagerId ? { offenderManagerId: s.offenderManagerId } : {}), courtCode: s.courtCode },
      to: { providerCode: a.toProviderCode, areaCode: a.toAreaCode, ...(a.toCourtCode ? { courtCode: a.toCourtCode } : {}) },
    });
    log(
      s,
      nowMs,
      'transfer-requested',
      `transfer ${a.transferId} to ${a.toProviderCode}/${a.toAreaCode} requested on ${on} (${a.reasonCode}) by ${a.by}`,
    );
  },
});

/** The sending side approves the transfer (acceptance then due; rows 27 and 28 open) or refuses it. */
const decideTransfer = defineCommand<DecideTransfer>()({
  phases: SUPERVISED,
  reject: (s, a, { today }) => {
    const t = transfer(s, a.transferId);
    const on = a.on ?? today;
    if (!t) return `no transfer ${a.transferId}`;
    if (t.status !== 'requested') return `transfer ${t.id} is ${t.status}: only a requested transfer can be approved or refused`;
    if (on < t.requestedOn) return `the decision (${on}) cannot precede the request (${t.requestedOn})`;
    return undefined;
  },
  apply: (s, a, { on, nowMs, today }) => {
    const t = transfer(s, a.transferId)!;
    t.approval = { on, by: a.by, decision: a.decision, ...(a.reasonCode ? { reasonCode: a.reasonCode } : {}) };
    if (a.decision === 'refused') {
      t.status = 'refused';
      log(
        s,
        nowMs,
        'transfer-refused',
        `transfer ${t.id} refused on ${on}${a.reasonCode ? ` (${a.reasonCode})` : ''}: the case stays with ${t.from.providerCode}/${t.from.areaCode}`,
      );
      return;
    }
    const policy = policyByVersion(s.policyVersion);
    t.status = 'approved';
    t.acceptanceDue = calendarOf(s).addBusinessDays(on, policy.transferAcceptanceBusinessDays);
    s.deadlines.push(
      makeDeadline(
        deadlineId.transferAcceptance(t.id),
        'transfer-acceptance',
        `Acceptance of transfer ${t.id} by ${t.to.providerCode}/${t.to.areaCode} within ${policy.transferAcceptanceBusinessDays} business days`,
        t.acceptanceDue,
      ),
    );
    // Row 27 (the sending side arranges the transfer) and row 28 (the receiving side arranges acceptance) are open.
    for (const r of [27, 28]) s.outputs = openEvent(s.outputs, r, on, today, calendarOf(s), t.acceptanceDue);
    log(s, nowMs, 'transfer-approved', `transfer ${t.id} approved on ${on} by ${a.by}; acceptance due ${t.acceptanceDue}`);
  },
});

/** The receiving side accepts (naming the offender manager: the owner changes) or rejects the transfer. */
const respondToTransfer = defineCommand<RespondToTransfer>()({
  phases: SUPERVISED,
  reject: (s, a, { today }) => {
    const t = transfer(s, a.transferId);
    const on = a.on ?? today;
    if (!t) return `no transfer ${a.transferId}`;
    if (t.status === 'timed-out')
      return `transfer ${t.id} timed out: it was not accepted by ${t.acceptanceDue}; the case stays with ${t.from.providerCode}/${t.from.areaCode}`;
    if (t.status !== 'approved') return `transfer ${t.id} is ${t.status}: only an approved transfer can be accepted or rejected`;
    if (on < t.approval!.on) return `the response (${on}) cannot precede the approval (${t.approval!.on})`;
    const badManager = a.offenderManagerId === undefined ? undefined : codeProblem('offenderManagerId', a.offenderManagerId);
    if (badManager) return badManager;
    if (a.decision === 'accepted' && !a.offenderManagerId)
      return 'the receiving side names the offender manager who takes the case (offenderManagerId)';
    if (a.decision === 'accepted' && on < ownerSince(s))
      return `the case cannot move (${on}) before its current owner took it (${ownerSince(s)})`;
    if (a.decision === 'rejected' && a.offenderManagerId) return 'a rejected transfer names no new offender manager';
    return undefined;
  },
  apply: (s, a, { on, nowMs, today }) => {
    const t = transfer(s, a.transferId)!;
    const d = s.deadlines.find((x) => x.id === deadlineId.transferAcceptance(t.id));
    t.response = {
      on,
      by: a.by,
      decision: a.decision,
      ...(a.offenderManagerId ? { offenderManagerId: a.offenderManagerId } : {}),
      ...(a.reasonCode ? { reasonCode: a.reasonCode } : {}),
    };
    if (a.decision === 'rejected') {
      t.status = 'rejected';
      if (d && open(d)) d.status = 'cancelled';
      settle(s, today);
      log(
        s,
        nowMs,
        'transfer-rejected',
        `transfer ${t.id} rejected by ${t.to.providerCode}/${t.to.areaCode} on ${on}${a.reasonCode ? ` (${a.reasonCode})` : ''}: the case stays with ${t.from.providerCode}/${t.from.areaCode}`,
      );
      return [
        {
          type: 'alert',
          kind: 'transfer-rejected',
          id: deadlineId.transferAcceptance(t.id),
          label: `Transfer ${t.id} rejected by ${t.to.providerCode}/${t.to.areaCode}: the case stays with you`,
          dueDate: on,
        },
      ];
    }
    accept(s, t, d, a, on, nowMs, today);
    return [];
  },
});

/** The receiving side accepted: the case moves to it in one step, with its court where one was given. */
function accept(
  s: SentenceState,
  t: Transfer,
  d: Deadline | undefined,
  a: RespondToTransfer,
  on: IsoDate,
  nowMs: number,
  today: IsoDate,
): void {
  t.status = 'accepted';
  if (d && open(d)) meet(s, d, on, nowMs);
  const court = t.to.courtCode && t.to.courtCode !== s.courtCode ? t.to.courtCode : undefined;
  // A case the NPS held that moves to another provider is no longer the NPS's (escalation applies again); a move
  // between the NPS's own areas keeps it there.
  if (s.risk.withNps && t.to.providerCode !== s.provider.providerCode) s.risk.withNps = false;
  changeOwner(
    s,
    { providerCode: t.to.providerCode, areaCode: t.to.areaCode, offenderManagerId: a.offenderManagerId! },
    on,
    `transfer ${t.id}`,
    nowMs,
  );
  if (court) {
    log(s, nowMs, 'court-jurisdiction-changed', `court jurisdiction moved from ${s.courtCode} to ${court} on ${on}`);
    s.courtCode = court;
  }
  const jurisdiction = court ? `; court jurisdiction changed to ${court}` : '; court jurisdiction unchanged';
  evidence(
    s,
    27,
    { on, by: t.approval!.by, what: `case transferred out to ${t.to.providerCode}/${t.to.areaCode}${jurisdiction}`, reference: t.id },
    nowMs,
  );
  evidence(
    s,
    28,
    {
      on,
      by: a.by,
      what: `case accepted by ${t.to.providerCode}/${t.to.areaCode}, offender manager ${a.offenderManagerId}${jurisdiction}`,
      reference: t.id,
    },
    nowMs,
  );
  settle(s, today);
  // A transfer is a significant change: the new offender manager reviews the plan; and what applies is
  // re-evaluated for the case as it now stands.
  if (underReview(s)) significantChange(s, 'transferred', on, nowMs);
  reevaluate(s, on, nowMs);
}

export const TRANSFER_COMMANDS = {
  'request-transfer': requestTransfer,
  'decide-transfer': decideTransfer,
  'respond-to-transfer': respondToTransfer,
};

/** The acceptance deadline passed without an answer: the transfer lapses and the case stays with the sender. */
export function transferTimedOut(s: SentenceState, d: Deadline, atMs: number): Effect[] {
  const t = s.transfers.find((x) => deadlineId.transferAcceptance(x.id) === d.id && x.status === 'approved');
  if (!t) return [];
  t.status = 'timed-out';
  t.response = { on: d.dueDate, by: 'system', decision: 'timed-out' };
  d.status = 'missed';
  settle(s, londonDate(atMs));
  log(
    s,
    atMs,
    'transfer-timed-out',
    `transfer ${t.id} was not accepted by ${d.dueDate}: the case stays with ${t.from.providerCode}/${t.from.areaCode}`,
  );
  return [
    {
      type: 'alert',
      kind: 'transfer-timed-out',
      id: deadlineId.transferAcceptance(t.id),
      label: `Transfer ${t.id} to ${t.to.providerCode}/${t.to.areaCode} timed out: the case stays with you`,
      dueDate: d.dueDate,
    },
  ];
}
