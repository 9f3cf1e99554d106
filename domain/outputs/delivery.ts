// What the system delivers for rows 1, 2, 35 and 36, and to whom: the payload carries what the recipient needs to
// match its own records and act, and nothing more (identifiers and codes; no names, addresses or free text).
import type { Delivery, SentenceState } from '../state.ts';

export type Recipient = 'case-system' | 'csc' | 'police' | 'immigration' | 'partner-agencies' | 'nps';

export interface OutputMessage {
  idempotencyKey: string;
  recipient: Recipient;
  row: number;
  part?: string;
  event: 'case-created' | 'case-commenced' | 'case-terminated' | 'case-closed' | 'child-wellbeing-information' | 'nps-referral';
  sentenceId: string;
  caseReference: string;
  orderType: 'CO' | 'SSO';
  sentenceDate: string;
  orderEnd: string;
  providerCode: string;
  areaCode: string;
  offenderManagerId?: string;
  /** Why this recipient is told, as a code, e.g. "registered-sex-offender". */
  basis?: string;
  terminationReason?: string;
  /**
   * Row 35 for an SSO whose statutory involvement ended with its supervision period (rules 2, kernel.ts
   * endsInvolvement): the day supervision ended, the operational period running on to orderEnd.
   */
  supervisionEndedOn?: string;
}

const PART: Record<string, { recipient: Recipient; basis: string }> = {
  csc: { recipient: 'csc', basis: 'risk-to-children' },
  'police-rso': { recipient: 'police', basis: 'registered-sex-offender' },
  'police-da': { recipient: 'police', basis: 'domestic-abuse-perpetrator' },
  immigration: { recipient: 'immigration', basis: 'deportation-order' },
};

const ROW: Record<number, { recipient: Recipient; event: OutputMessage['event']; what: string }> = {
  1: { recipient: 'case-system', event: 'case-created', what: 'case created on the case system' },
  2: { recipient: 'csc', event: 'case-commenced', what: 'agency notified of commencement' },
  35: { recipient: 'partner-agencies', event: 'case-terminated', what: 'partner agencies informed of termination' },
  36: { recipient: 'case-system', event: 'case-closed', what: 'case closed on the case system' },
};

export function isDeliverable(row: number): boolean {
  return row in ROW;
}

/** The message for one system delivery; its idempotency key is stable across retries, restarts and continue-as-new. */
/** What every message says about the case: identifiers and codes the recipient matches its own records with. */
function about(s: SentenceState) {
  return {
    sentenceId: s.sentence.sentenceId,
    caseReference: s.sentence.caseReference,
    orderType: s.sentence.order.type,
    sentenceDate: s.dates.sentenceDate,
    orderEnd: s.dates.orderEnd,
    providerCode: s.provider.providerCode,
    areaCode: s.provider.areaCode,
    ...(s.offenderManagerId ? { offenderManagerId: s.offenderManagerId } : {}),
  };
}

export function outputMessage(s: SentenceState, d: Delivery, workflowId: string): { message: OutputMessage; what: string } {
  const n = d.notification ? s.notifications.find((x) => x.id === d.notification) : undefined;
  if (n) {
    const message: OutputMessage = {
      idempotencyKey: `${workflowId}/notification/${n.id}`,
      recipient: n.recipient,
      row: n.row,
      event: n.event,
      ...about(s),
      basis: n.basis,
    };
    const what =
      n.recipient === 'csc' ? `Children's Social Care notified (${n.basis})` : `NPS informed: risk may be escalating (${n.basis})`;
    return { message, what };
  }
  const r = ROW[d.row];
  if (!r) throw new RangeError(`output ${d.row} is not delivered by the system`);
  const part = d.part ? PART[d.part] : undefined;
  const message: OutputMessage = {
    idempotencyKey: `${workflowId}/output/${d.row}${d.part ? `.${d.part}` : ''}`,
    recipient: part?.recipient ?? r.recipient,
    row: d.row,
    ...(d.part ? { part: d.part } : {}),
    event: r.event,
    ...about(s),
    ...(part ? { basis: part.basis } : {}),
    ...(s.termination && d.row >= 35 ? { terminationReason: s.termination.reason } : {}),
    ...(!s.termination && d.row === 35 && s.milestones.involvementEndedOn ? { supervisionEndedOn: s.milestones.involvementEndedOn } : {}),
  };
  const what = part ? `${r.what}: ${part.recipient} (${part.basis})` : r.what;
  return { message, what };
}
