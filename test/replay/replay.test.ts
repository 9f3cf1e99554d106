// Replays every release's recorded histories against today's workflow code: a change that would break a running
// sentence (non-determinism) fails the build. The corpus is append-only (test/support/history.ts): released sets are
// sealed by hash and never re-recorded; new behaviour is recorded into the current release's set, beside them.
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { testDataConverter } from '../support/codec.ts';
import { COMMAND_TYPES, IN_SCOPE_PREFIX, SIGNAL_COMMAND_TYPES, startAnswerUpdate } from '../../contracts/index.ts';
import { workflowBundle } from '../../worker/worker.ts';
import { currentSet, hashSet, historySets, loadCorpus, readSeals } from '../support/history.ts';

describe('the corpus of recorded histories', () => {
  it('keeps every released set exactly as it was recorded (sealed by SHA-256)', () => {
    const seals = readSeals();
    // Released sets can never leave the corpus: 0.1.0 (the first release) and 0.2.0.
    expect(Object.keys(seals)).toEqual(expect.arrayContaining(['v0.1.0', 'v0.2.0', 'v0.3.0', 'v0.4.0']));
    for (const [set, files] of Object.entries(seals)) {
      expect(historySets()).toContain(set);
      expect(hashSet(set)).toEqual(files);
    }
    // The set being recorded is not sealed yet; every other set is.
    expect(historySets().filter((s) => s !== currentSet() && !seals[s])).toEqual([]);
  });

  it('replays every history of every release without non-determinism', async () => {
    // As recorded (encrypted since v0.3.0): the replay worker decodes with the codec, as a worker would.
    const corpus = loadCorpus(undefined, { raw: true });
    expect(corpus.filter((h) => h.set === 'v0.1.0').length).toBe(28);
    expect(corpus.filter((h) => h.set === 'v0.2.0').length).toBe(60);
    const outcomes: { workflowId: string; error?: unknown }[] = [];
    const histories = corpus.map((h) => ({ workflowId: h.workflowId, history: h.history }));
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: await workflowBundle(), dataConverter: testDataConverter },
      histories,
    )) {
      outcomes.push({ workflowId: result.workflowId, error: result.error });
    }
    expect(outcomes.map((o) => o.workflowId).sort()).toEqual(corpus.map((h) => h.workflowId).sort());
    expect(outcomes.filter((o) => o.error).map((o) => `${o.workflowId}: ${String(o.error)}`)).toEqual([]);

    // The histories exercise what running sentences do: every command, a timer firing, continue-as-new.
    const events = corpus.flatMap((h) => h.history.events ?? []);
    const updates = new Set(
      events
        .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name)
        .filter((n): n is string => Boolean(n)),
    );
    // Every command under its own name (and, from 0.5.0, the start's own Update, which is not a command).
    const named = [...updates].filter((u) => u !== startAnswerUpdate.name && !u.startsWith(IN_SCOPE_PREFIX));
    expect(named.sort()).toEqual([...COMMAND_TYPES].sort());
    // From 0.5.0 the API's commands come as in-scope Updates, each named for a command.
    const inScope = [...updates].filter((u) => u.startsWith(IN_SCOPE_PREFIX)).map((u) => u.slice(IN_SCOPE_PREFIX.length));
    expect(inScope).toEqual(expect.arrayContaining(['allocate', 'complete-plan', 'complete-review']));
    expect(inScope.filter((t) => !(COMMAND_TYPES as readonly string[]).includes(t))).toEqual([]);
    const signals = new Set(events.map((e) => e.workflowExecutionSignaledEventAttributes?.signalName).filter(Boolean));
    expect([...signals].sort()).toEqual([...SIGNAL_COMMAND_TYPES].sort());
    expect(events.some((e) => e.workflowExecutionContinuedAsNewEventAttributes)).toBe(true);
    expect(events.some((e) => e.timerFiredEventAttributes)).toBe(true);
    expect(events.some((e) => e.activityTaskCompletedEventAttributes)).toBe(true);
  });
});
