// Carried state is versioned and checked: every state that a release carried across continue-as-new (taken from the
// corpus of recorded histories, one set per release) must come out of upgradeState with the current schema version
// and every field that commencement gives a new sentence today. A field added to the state without its upgrade step
// fails here, before it can fail a running sentence's workflow task at its next continue-as-new.
import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import type { SentenceWorkflowInput } from '../../contracts/index.ts';
import { londonStartOfDay } from '../../domain/dates.ts';
import { commence, SCHEMA_VERSION, upgradeState, type SentenceState } from '../../domain/lifecycle.ts';
import { TIMELINE_EVENTS } from '../../domain/state.ts';
import { rulesOf } from '../../domain/rules.ts';
import { historySets, loadCorpus } from '../support/history.ts';

/** Key paths present in `fresh` (objects only; array items are checked against the first item) missing from `s`. */
function missingFields(s: unknown, fresh: unknown, path = '$'): string[] {
  if (!fresh || typeof fresh !== 'object') return [];
  if (Array.isArray(fresh)) {
    if (!Array.isArray(s)) return [path];
    return fresh.length > 0 && s.length > 0 ? missingFields(s[0], fresh[0], `${path}[0]`) : [];
  }
  if (!s || typeof s !== 'object') return [path];
  return Object.entries(fresh).flatMap(([k, v]) =>
    k in s ? missingFields((s as Record<string, unknown>)[k], v, `${path}.${k}`) : [`${path}.${k}`],
  );
}

/** Every state carried into continue-as-new in a set's histories. */
function carriedStates(set: string): { file: string; carried: SentenceState }[] {
  return loadCorpus([set]).flatMap((h) =>
    (h.history.events ?? [])
      .map((e) => e.workflowExecutionContinuedAsNewEventAttributes?.input?.payloads?.[0])
      .filter((p) => p !== undefined && p !== null)
      .map((p) => ({
        file: h.file,
        carried: (defaultPayloadConverter.fromPayload(p) as Extract<SentenceWorkflowInput, { carried: unknown }>).carried,
      })),
  );
}

describe('carried state across releases', () => {
  const sets = historySets();

  it('every release set in the corpus carries states across continue-as-new', () => {
    expect(sets).toContain('v0.1.0');
    for (const set of sets) expect(carriedStates(set).length).toBeGreaterThan(0);
  });

  for (const set of sets) {
    it(`upgrades every state carried by ${set} to schema ${SCHEMA_VERSION} with every field a new sentence has`, () => {
      for (const { file, carried } of carriedStates(set)) {
        const up = upgradeState(carried);
        expect(up.schemaVersion).toBe(SCHEMA_VERSION);
        // A new sentence on the same rules (a state from before the rules were versioned names none: rules 1).
        const fresh = commence(up.sentence, up.inputHash, londonStartOfDay(up.dates.sentenceDate), up.calendarVersion, rulesOf(up));
        expect({ file, missing: missingFields(up, fresh) }).toEqual({ file, missing: [] });
        // Nothing the carried state recorded is lost or changed by the upgrade.
        for (const [k, v] of Object.entries(carried))
          if (k !== 'schemaVersion') expect((up as unknown as Record<string, unknown>)[k]).toEqual(v);
      }
    });
  }

  it('knows every timeline event a recorded state holds (events are added, never renamed)', () => {
    const recorded = new Set(sets.flatMap((set) => carriedStates(set).flatMap(({ carried }) => carried.timeline.map((e) => e.event))));
    expect(recorded.size).toBeGreaterThan(20);
    expect([...recorded].filter((e) => !(TIMELINE_EVENTS as readonly string[]).includes(e))).toEqual([]);
  });

  it('release 0.1.0 states (schema 1) compute with the first calendar', () => {
    const [first] = carriedStates('v0.1.0');
    expect(first!.carried.schemaVersion).toBe(1);
    expect(upgradeState(first!.carried).calendarVersion).toBe('ew-2026-11-23');
  });

  it('finds a field that an upgrade forgot (the check can fail)', () => {
    const [first] = carriedStates('v0.1.0');
    const up = upgradeState(first!.carried);
    const fresh = {
      ...commence(up.sentence, up.inputHash, londonStartOfDay(up.dates.sentenceDate), up.calendarVersion, rulesOf(up)),
      supervisionNotes: [] as string[],
    };
    fresh.compliance = { ...fresh.compliance, curfewViolations: [] } as typeof fresh.compliance;
    expect(missingFields(up, fresh)).toEqual(['$.compliance.curfewViolations', '$.supervisionNotes']);
  });

  it('refuses a state from a newer schema (the task fails and is retried by newer code; the sentence is unharmed)', () => {
    const [first] = carriedStates('v0.1.0');
    expect(() => upgradeState({ ...first!.carried, schemaVersion: 99 } as unknown as SentenceState)).toThrow(/schema version 99/);
  });
});
