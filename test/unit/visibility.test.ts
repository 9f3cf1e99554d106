// Who may see a case (domain/visibility.ts): the one rule the API applies to reads and the workflow to commands.
import { describe, expect, it } from 'vitest';
import { canSee, holdingOf, isViewer, type Holding, type Viewer } from '../../domain/visibility.ts';
import { commence } from '../../domain/lifecycle.ts';
import { periodEnd } from '../../domain/dates.ts';
import { communityOrder } from '../support/fixtures.ts';
import { at } from '../support/scenario.ts';

const om1: Viewer = { id: 'OM1', kind: 'user', provider: 'N07', areas: ['LDN'] };
const caseSystem: Viewer = { id: 'cs', kind: 'client', areas: ['*'], onlyStartedBy: 'cs' };
const london: Holding = { provider: 'N07', area: 'LDN', startedBy: 'cs' };

describe('canSee', () => {
  it('keeps a caller to their provider and areas', () => {
    expect(canSee(om1, london)).toBe(true);
    expect(canSee(om1, { ...london, area: 'KNT' })).toBe(false);
    expect(canSee(om1, { ...london, provider: 'N08' })).toBe(false);
    expect(canSee({ ...om1, areas: ['*'] }, { ...london, area: 'KNT' })).toBe(true);
    // A case whose holding is unknown is seen by nobody.
    expect(canSee({ ...om1, areas: ['*'] }, {})).toBe(false);
  });

  it('keeps a person from a limited-access case kept from them, but not a machine client', () => {
    expect(canSee(om1, { ...london, excluded: ['OM1'] })).toBe(false);
    expect(canSee(om1, { ...london, restrictedTo: ['OM2'] })).toBe(false);
    expect(canSee(om1, { ...london, restrictedTo: ['OM2', 'OM1'] })).toBe(true);
    expect(canSee(caseSystem, { ...london, excluded: ['cs'], restrictedTo: ['OM2'] })).toBe(true);
  });

  it('keeps a case system to the sentences it started (and those started before the starter was kept)', () => {
    expect(canSee(caseSystem, london)).toBe(true);
    expect(canSee(caseSystem, { ...london, startedBy: 'other' })).toBe(false);
    expect(canSee(caseSystem, { provider: 'N07', area: 'LDN' })).toBe(true);
  });
});

describe('holdingOf', () => {
  it('reads where the case is held and its lists from the state, and who started it from the memo', () => {
    const SD = '2026-11-23';
    const s = commence(
      communityOrder(SD, periodEnd(SD, 12), { provider: { providerCode: 'N07', areaCode: 'KNT' }, access: { excluded: ['OM7'] } }),
      'h',
      at(SD),
    );
    expect(holdingOf(s, 'cs')).toEqual({ provider: 'N07', area: 'KNT', excluded: ['OM7'], startedBy: 'cs' });
    expect(holdingOf({ ...s, provider: { providerCode: 'N07', areaCode: 'LDN' } }, undefined)).toEqual({
      provider: 'N07',
      area: 'LDN',
      excluded: ['OM7'],
    });
  });
});

describe('isViewer', () => {
  it('takes only a well-formed viewer from a message', () => {
    expect(isViewer(om1)).toBe(true);
    expect(isViewer(caseSystem)).toBe(true);
    for (const bad of [
      undefined,
      null,
      'OM1',
      {},
      { ...om1, kind: 'admin' },
      { ...om1, areas: 'LDN' },
      { ...om1, areas: [1] },
      { ...om1, provider: 7 },
    ])
      expect(isViewer(bad)).toBe(false);
  });
});
