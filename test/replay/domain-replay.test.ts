// The domain replay (golden master) over the whole corpus: every history of every release, re-run through today's
// pure domain code, must reproduce the states, alerts and deliveries that were recorded. It fails when a published
// policy, law or calendar, or a rule, is changed under running cases (see test/support/domain-replay.ts).
import { describe, expect, it } from 'vitest';
import { domainReplay, type DomainReplayResult } from '../support/domain-replay.ts';
import { loadCorpus } from '../support/history.ts';

describe('domain replay of the recorded histories', () => {
  const corpus = loadCorpus();
  const totals: DomainReplayResult['compared'][] = [];
  it.each(corpus.map((h) => [h.workflowId, h] as const))('%s reproduces what was recorded', (_id, h) => {
    const r = domainReplay(h.history);
    expect(r.mismatches.slice(0, 3)).toEqual([]);
    const compared = Object.values(r.compared).reduce((a, b) => a + b, 0);
    const finished = h.history.events?.some(
      (e) => e.workflowExecutionCompletedEventAttributes || e.workflowExecutionContinuedAsNewEventAttributes,
    );
    // Only a run still open when it was recorded may end without a value to compare (its start is still replayed).
    if (finished) expect(compared).toBeGreaterThan(0);
    totals.push(r.compared);
  });

  it('compared the recorded values of every kind across the corpus', () => {
    const sum = (k: keyof (typeof totals)[number]) => totals.reduce((a, t) => a + t[k], 0);
    expect(totals.length).toBe(corpus.length);
    expect(sum('update')).toBeGreaterThan(100);
    for (const k of ['signal', 'alert', 'delivery', 'continue-as-new', 'result'] as const) expect(sum(k)).toBeGreaterThan(0);
  });
});
