// Search attributes are stored and shown in clear (they are never encrypted): identifiers and codes only. The list is
// written out here, so adding one fails until it is reviewed; and what a sentence indexes holds nothing personal, and
// no longer its case reference.
import { describe, expect, it } from 'vitest';
import { initialSearchAttributes, SEARCH_ATTRIBUTES, searchAttributeUpdates } from '../../contracts/index.ts';
import { periodEnd } from '../../domain/dates.ts';
import { commence } from '../../domain/lifecycle.ts';
import { baseOffender, communityOrder } from '../support/fixtures.ts';

describe('search attributes', () => {
  it('are exactly the reviewed identifiers and codes', () => {
    expect(SEARCH_ATTRIBUTES.map((k) => `${k.name}:${k.type}`).sort()).toEqual([
      'CaseReference:KEYWORD', // registered for the sentences recorded with it; no longer written
      'ExcludedStaff:KEYWORD_LIST', // staff ids of a limited-access case
      'NextDeadline:DATETIME',
      'OffenderManagerId:KEYWORD',
      'OrderType:KEYWORD',
      'Overdue:BOOL',
      'OverdueOutputs:INT',
      'ProbationArea:KEYWORD',
      'ProviderCode:KEYWORD',
      'RestrictedTo:KEYWORD_LIST', // staff ids of a limited-access case
      'RoshLevel:KEYWORD',
      'SentencePhase:KEYWORD',
    ]);
  });

  it('index no personal value and no case reference for a sentence carrying markers', () => {
    const offender = {
      ...baseOffender,
      sex: 'female' as const,
      registeredSexOffender: true,
      communicationNeeds: { disability: true, learningDifficulty: true, interpreterLanguage: 'qz' },
    };
    const s = communityOrder('2026-11-02', periodEnd('2026-11-02', 12), { caseReference: 'Q111222', offender });
    const state = commence(s, 'hash', Date.parse('2026-11-02T10:00:00Z'));
    const written = [...initialSearchAttributes(s), ...searchAttributeUpdates(state, { caseReference: false })];
    expect(written.filter((p) => p.key.name === 'CaseReference').map((p) => p.value)).toEqual([null]);
    const values = JSON.stringify(written.map((p) => p.value));
    for (const marker of ['Q111222', 'qz', 'female', 'true,true']) expect(values, marker).not.toContain(marker);
    expect(Object.fromEntries(initialSearchAttributes(s).map((p) => [p.key.name, p.value]))).toEqual({
      OrderType: 'CO',
      SentencePhase: 'commenced',
      ProbationArea: s.provider.areaCode,
      ProviderCode: s.provider.providerCode,
      RoshLevel: offender.roshLevel,
      Overdue: false,
      OverdueOutputs: 0,
    });
  });
});
