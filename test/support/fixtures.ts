// Sentences for tests: valid by default, each profile overridable.
import type { OutputMessage } from '../../domain/outputs/delivery.ts';
import type { OffenderCharacteristics, SentenceInput } from '../../domain/sentence.ts';

export const baseOffender: OffenderCharacteristics = {
  sex: 'male',
  communicationNeeds: { disability: false, learningDifficulty: false },
  livesWithOrHasSignificantContactWithChildren: false,
  childProtectionPlan: false,
  assessedRiskToChildren: false,
  registeredSexOffender: false,
  domesticAbusePerpetrator: false,
  subjectToDeportationOrder: false,
  vulnerableToVictimisation: false,
  roshLevel: 'medium',
  iom: false,
  ppo: false,
  marac: false,
};

let seq = 0;
export function uniqueId(prefix = 'T'): string {
  seq += 1;
  return `${prefix}${String(Date.now() % 1_000_000).padStart(6, '0')}-${process.pid}-${seq}`;
}

export function communityOrder(sentenceDate: string, endDate: string, over: Partial<SentenceInput> = {}): SentenceInput {
  return {
    sentenceId: uniqueId('CO'),
    caseReference: 'X123456',
    order: { type: 'CO', sentenceDate, endDate, courtCode: 'B01CN' },
    requirements: [
      { type: 'unpaid-work', hours: 120 },
      { type: 'rehabilitation-activity', maxDays: 20 },
    ],
    offender: baseOffender,
    provider: { providerCode: 'N07', areaCode: 'LDN' },
    responsibleOfficer: 'offender-manager',
    ...over,
  };
}

export function suspendedSentence(
  sentenceDate: string,
  operationalPeriodMonths: number,
  supervisionPeriodMonths: number,
  over: Partial<SentenceInput> = {},
): SentenceInput {
  return {
    sentenceId: uniqueId('SSO'),
    caseReference: 'Y654321',
    order: { type: 'SSO', sentenceDate, courtCode: 'B20BL', custodialTermDays: 180, operationalPeriodMonths, supervisionPeriodMonths },
    requirements: [{ type: 'rehabilitation-activity', maxDays: 15 }],
    offender: { ...baseOffender, sex: 'female' },
    provider: { providerCode: 'N03', areaCode: 'WMS' },
    responsibleOfficer: 'offender-manager',
    ...over,
  };
}

/** A transfer request from N07/LDN to N03/WMS with a new court, for tests of transfers. */
export const transferRequest = {
  transferId: 'T1',
  toProviderCode: 'N03',
  toAreaCode: 'WMS',
  toCourtCode: 'B20BL',
  reasonCode: 'moved-address',
  by: 'OM1',
};

/** A notification to Children's Social Care of a case's commencement (row 2), as the delivery tests send it. */
export const outputMessage = (key: string, sentenceId = 'S1'): OutputMessage => ({
  idempotencyKey: key,
  recipient: 'csc',
  row: 2,
  part: 'csc',
  event: 'case-commenced',
  sentenceId,
  caseReference: 'X123456',
  orderType: 'CO',
  sentenceDate: '2026-11-23',
  orderEnd: '2027-11-22',
  providerCode: 'N07',
  areaCode: 'LDN',
});
