// A limited-access case's lists changed by command (domain/access.ts), as pure rules.
import { describe, expect, it } from 'vitest';
import { periodEnd } from '../../domain/dates.ts';
import { applyCommand, commence, rejectionReason, type Command } from '../../domain/lifecycle.ts';
import { searchAttributeUpdates, SA } from '../../contracts/index.ts';
import { communityOrder } from '../support/fixtures.ts';
import { at, run } from '../support/scenario.ts';

const SD = '2026-11-23';
const start = () => commence(communityOrder(SD, periodEnd(SD, 12), { access: { excluded: ['OM7'] } }), 'h', at(SD));
const set = (a: Omit<Extract<Command, { type: 'set-case-access' }>, 'type'>): Command => ({ type: 'set-case-access', ...a });

describe('set-case-access', () => {
  it('replaces only the list it names, and [] clears one', () => {
    const s = applyCommand(start(), set({ restrictedTo: ['OM1', 'OM1', 'SPO1'] }), at(SD)).state;
    expect(s.sentence.access).toEqual({ restrictedTo: ['OM1', 'SPO1'], excluded: ['OM7'] });
    const cleared = applyCommand(s, set({ restrictedTo: [], excluded: [] }), at(SD)).state;
    expect(cleared.sentence.access).toBeUndefined();
    expect(cleared.timeline.at(-1)).toMatchObject({ event: 'access-changed', detail: 'limited access: not restricted, 0 excluded' });
  });

  it('refuses a change that names nobody, names someone on both lists, or hides the case from its holder', () => {
    const s = start();
    expect(rejectionReason(s, set({}), at(SD))).toBe('name restrictedTo, excluded or both');
    expect(rejectionReason(s, set({ restrictedTo: ['OM7'] }), at(SD))).toBe('staff OM7 cannot be both allowed and excluded');
    expect(rejectionReason(s, set({ excluded: ['bad id'] }), at(SD))).toBe('excluded must be 1-32 letters, digits, "-" or "_"');
    const held = run(s, [{ type: 'allocate', offenderManagerId: 'OM1' }, SD]);
    expect(rejectionReason(held, set({ excluded: ['OM1'] }), at(SD))).toBe(
      'the offender manager holding the case (OM1) cannot be excluded; reallocate it first',
    );
    expect(rejectionReason(held, set({ restrictedTo: ['SPO1'] }), at(SD))).toBe(
      'a restricted case must remain visible to its offender manager (OM1): include them in restrictedTo',
    );
    expect(rejectionReason(held, set({ restrictedTo: ['OM1'] }), at(SD))).toBeUndefined();
  });

  it('is indexed at once: the search attributes carry the new lists, and none when cleared', () => {
    const s = applyCommand(start(), set({ restrictedTo: ['OM1'], excluded: [] }), at(SD)).state;
    const sa = searchAttributeUpdates(s, { caseReference: false, accessLists: true });
    expect(sa.find((p) => p.key.name === SA.restrictedTo.name)?.value).toEqual(['OM1']);
    expect(sa.find((p) => p.key.name === SA.excludedStaff.name)?.value).toBeNull();
  });
});
