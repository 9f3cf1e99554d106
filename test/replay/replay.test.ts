// Replays committed histories of real runs against today's workflow code: a change that would break a running
// sentence (non-determinism) fails the build. Re-record with `npm run record:histories` only for intended changes
// that are guarded by patched(), keeping the old histories too.
import { Worker } from '@temporalio/worker';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMAND_TYPES, SIGNAL_COMMAND_TYPES } from '../../contracts';
import { workflowBundle } from '../../worker/worker';
import { HISTORIES_DIR, historyFromFile } from '../support/history';

describe('replay of recorded sentence histories', () => {
  it('replays every committed history without non-determinism', async () => {
    const files = (await readdir(HISTORIES_DIR)).filter((f) => f.endsWith('.json')).sort();
    expect(files.length).toBeGreaterThanOrEqual(4);
    const histories = await Promise.all(
      files.map(async (f) => ({ workflowId: f.replace(/\.json$/, ''), history: historyFromFile(await readFile(join(HISTORIES_DIR, f), 'utf8')) })),
    );
    const outcomes: { workflowId: string; error?: unknown }[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, histories)) {
      outcomes.push({ workflowId: result.workflowId, error: result.error });
    }
    expect(outcomes.map((o) => o.workflowId).sort()).toEqual(files.map((f) => f.replace(/\.json$/, '')));
    expect(outcomes.filter((o) => o.error).map((o) => `${o.workflowId}: ${String(o.error)}`)).toEqual([]);

    // The histories exercise what running sentences do: every command, a timer firing, continue-as-new.
    const events = histories.flatMap((h) => h.history.events ?? []);
    const updates = new Set(events.map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name).filter(Boolean));
    expect([...updates].sort()).toEqual([...COMMAND_TYPES].sort());
    const signals = new Set(events.map((e) => e.workflowExecutionSignaledEventAttributes?.signalName).filter(Boolean));
    expect([...signals].sort()).toEqual([...SIGNAL_COMMAND_TYPES].sort());
    expect(events.some((e) => e.workflowExecutionContinuedAsNewEventAttributes)).toBe(true);
    expect(events.some((e) => e.timerFiredEventAttributes)).toBe(true);
    expect(events.some((e) => e.activityTaskCompletedEventAttributes)).toBe(true);
  });
});
