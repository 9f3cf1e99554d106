// What a command changed, as a JSON Patch (domain/changes.ts): the answer a command's Update gives since 0.5.0.
import { describe, expect, it } from 'vitest';
import { RISK_HISTORY_KEPT, stateBytes, trimmed, TIMELINE_KEPT } from '../../domain/bounds.ts';
import { applyChanges, commandAnswer, stateChanges } from '../../domain/changes.ts';
import { sameJson } from '../../domain/json.ts';
import { applyCommand, type SentenceState } from '../../domain/lifecycle.ts';
import { communityOrder } from '../support/fixtures.ts';
import { at, given } from '../support/scenario.ts';

const SD = '2026-01-05';
const commenced = () => given(communityOrder(SD, '2027-01-04'));
const allocated = (s = commenced()) => applyCommand(s, { type: 'allocate', offenderManagerId: 'OM1' }, at(SD, 11)).state;
const evidence = (s: SentenceState, what: string, hour: number) =>
  applyCommand(s, { type: 'record-output-evidence', row: 13, by: 'OM1', what }, at('2026-02-02', hour)).state;
const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v)).length;

describe('what a command changed', () => {
  it('is the same whether the states were measured (fields compared by their JSON) or not (compared by value)', () => {
    const before = allocated();
    stateBytes(before); // measured, as the state a bounded command left
    const cmd = { type: 'record-risk-information', roshLevel: 'high', sourceCode: 'police', by: 'OM1' } as const;
    const after = applyCommand(before, cmd, at(SD, 12), undefined, undefined, { bounded: true }).state;
    const fromScratch = stateChanges(structuredClone(before), structuredClone(after));
    expect(fromScratch.map((c) => c.path)).toContain('/offender/roshLevel');
    expect(stateChanges(before, after)).toEqual(fromScratch);
    expect(applyChanges(before, stateChanges(before, after))).toEqual(JSON.parse(JSON.stringify(after)));
  });

  it('allocation: the phase, the milestone, row 3 evidenced, the timeline entry and the offender manager', () => {
    const before = commenced();
    expect(stateChanges(before, allocated(before))).toEqual([
      { op: 'replace', path: '/phase', value: 'allocated' },
      { op: 'add', path: '/milestones/allocatedOn', value: '2026-01-05' },
      { op: 'replace', path: '/outputs/2/status', value: 'done' },
      {
        op: 'add',
        path: '/outputs/2/evidence/0',
        value: { at: '2026-01-05T11:00:00.000Z', on: '2026-01-05', by: 'OM1', what: 'allocated to an offender manager' },
      },
      {
        op: 'add',
        path: '/timeline/1',
        value: { at: '2026-01-05T11:00:00.000Z', event: 'allocated', detail: 'allocated on 2026-01-05 to offender manager OM1' },
      },
      { op: 'add', path: '/ownership/0/offenderManagerId', value: 'OM1' },
      { op: 'add', path: '/offenderManagerId', value: 'OM1' },
    ]);
  });

  it('evidence on one row names only that row and the timeline entry, whatever else the ledger holds', () => {
    const before = allocated();
    const after = applyCommand(before, { type: 'record-output-evidence', row: 13, by: 'OM1', what: 'plan' }, at(SD, 12)).state;
    expect(stateChanges(before, after)).toEqual([
      { op: 'replace', path: '/outputs/12/status', value: 'done' },
      { op: 'add', path: '/outputs/12/evidence/0', value: { at: '2026-01-05T12:00:00.000Z', on: '2026-01-05', by: 'OM1', what: 'plan' } },
      {
        op: 'add',
        path: '/timeline/2',
        value: { at: '2026-01-05T12:00:00.000Z', event: 'output-evidenced', detail: 'output 13 evidenced on 2026-01-05 by OM1: plan' },
      },
    ]);
  });

  it('applied to the state before, the changes give exactly the state after, and leave the state before alone', () => {
    const before = allocated();
    const json = JSON.stringify(before);
    const after = applyCommand(
      before,
      { type: 'record-risk-information', roshLevel: 'high', sourceCode: 'police', by: 'OM1' },
      at('2026-02-02', 10),
    ).state;
    const changes = stateChanges(before, after);
    expect(JSON.parse(JSON.stringify(applyChanges(before, changes)))).toEqual(JSON.parse(JSON.stringify(after)));
    expect(JSON.stringify(before)).toBe(json);
  });

  it('a timeline at its bound loses its oldest entry and gains the new one: two changes, not five hundred', () => {
    let s = allocated();
    for (let i = 0; s.timeline.length < TIMELINE_KEPT; i++) s = trimmed(evidence(s, `note ${i}`, 9));
    const after = trimmed(evidence(s, 'last', 10));
    const timeline = stateChanges(s, after).filter((c) => c.path.startsWith('/timeline/'));
    expect(timeline).toEqual([
      { op: 'remove', path: '/timeline/0' },
      {
        op: 'add',
        path: '/timeline/499',
        value: { at: '2026-02-02T10:00:00.000Z', event: 'output-evidenced', detail: 'output 13 evidenced on 2026-02-02 by OM1: last' },
      },
    ]);
    expect(applyChanges(s, stateChanges(s, after)).timeline).toEqual(after.timeline);
  });

  it('a history of risk information at its bound (its entries copied by each command) loses one entry and gains one', () => {
    const risk = (n: number) =>
      ({ type: 'record-risk-information', roshLevel: n % 2 ? 'low' : 'medium', sourceCode: `src${n}`, by: 'OM1' }) as const;
    let s = allocated();
    for (let i = 0; s.risk.history.length < RISK_HISTORY_KEPT; i++) s = trimmed(applyCommand(s, risk(i), at(SD, 12)).state);
    const after = trimmed(applyCommand(s, risk(99), at(SD, 13)).state);
    const history = stateChanges(s, after).filter((c) => c.path.startsWith('/risk/history/'));
    expect(history.map((c) => `${c.op} ${c.path}`)).toEqual(['remove /risk/history/0', 'add /risk/history/49']);
    expect(history[1]).toMatchObject({ value: { roshLevel: 'low', sourceCode: 'src99' } });
    expect(applyChanges(s, stateChanges(s, after)).risk).toEqual(after.risk);
  });

  it("an answer's size follows the change, not the case: under 2 KB on a case of 100 KB", () => {
    let s = allocated();
    for (let i = 0; i < 400; i++) s = trimmed(evidence(s, `note ${i}: ${'x'.repeat(100)}`, 9));
    const after = evidence(s, 'last', 10);
    expect(bytes(s)).toBeGreaterThan(100_000);
    const answer = commandAnswer(s, after);
    expect(bytes(answer)).toBeLessThan(2_000);
    expect(answer.summary).toMatchObject({ phase: 'allocated', owner: { offenderManagerId: 'OM1' } });
  });

  it('a repeat changes nothing and says so', () => {
    const s = allocated();
    expect(commandAnswer(s, s, true)).toMatchObject({ changes: [], repeated: true });
    expect(commandAnswer(s, s).repeated).toBeUndefined();
  });
});

describe('the patch format (RFC 6902, paths as RFC 6901 pointers)', () => {
  const withDetails = (details: Record<string, unknown>) => ({ details }) as unknown as SentenceState;

  it('escapes "/" and "~" in keys, removes a key that became undefined, and replaces values of another kind', () => {
    const before = withDetails({ 'a/b': 1, 'c~d': 'x', gone: true, kind: [1] });
    const after = withDetails({ 'a/b': 2, 'c~d': 'x', gone: undefined, kind: { one: 1 } });
    const changes = stateChanges(before, after);
    expect(changes).toEqual([
      { op: 'replace', path: '/details/a~1b', value: 2 },
      { op: 'remove', path: '/details/gone' },
      { op: 'replace', path: '/details/kind', value: { one: 1 } },
    ]);
    expect(applyChanges(before, changes)).toEqual({ details: { 'a/b': 2, 'c~d': 'x', kind: { one: 1 } } });
  });

  it('a shorter list loses items from its end, a longer one gains them at its end', () => {
    const shorter = stateChanges(withDetails({ xs: [1, 2, 3] }), withDetails({ xs: [1] }));
    expect(shorter).toEqual([
      { op: 'remove', path: '/details/xs/2' },
      { op: 'remove', path: '/details/xs/1' },
    ]);
    expect(applyChanges(withDetails({ xs: [1, 2, 3] }), shorter)).toEqual({ details: { xs: [1] } });
    expect(stateChanges(withDetails({ xs: [1] }), withDetails({ xs: [1, 5] }))).toEqual([{ op: 'add', path: '/details/xs/1', value: 5 }]);
  });

  it('compares as JSON does: a key holding undefined is no key', () => {
    expect(sameJson({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameJson({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(sameJson({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] })).toBe(false);
    expect(sameJson([1], { 0: 1 })).toBe(false);
  });

  it('refuses a patch that does not fit the state', () => {
    expect(() => applyChanges(withDetails({}), [{ op: 'replace', path: '/details/x/y', value: 1 }])).toThrow('no /details/x/y to change');
  });
});
