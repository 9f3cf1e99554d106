// Failing fast when no worker runs the cases: a start that reached Temporal answers 202 with the sentence's location
// once ANSWER_TIMEOUT_MS has passed, a read or a command 503 with Retry-After; once a worker runs, the same start
// answers 200 and the same command (same Idempotency-Key) is answered, applied once.
import { describe, expect, it } from 'vitest';
import { londonDate, periodEnd } from '../../domain/dates.ts';
import { createWorker } from '../../worker/worker.ts';
import { testDataConverter } from '../support/codec.ts';
import { testDeps } from '../support/deps.ts';
import { communityOrder, uniqueId } from '../support/fixtures.ts';
import { useApiHarness } from '../support/temporal.ts';

const deps = testDeps();
const ANSWER_TIMEOUT_MS = 1500;
const ctx = useApiHarness(deps, [], { answerTimeoutMs: ANSWER_TIMEOUT_MS }, { worker: false });

async function call(who: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const started = performance.now();
  const res = await fetch(`${ctx.base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await ctx.token(who)}`, ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as Record<string, unknown>;
  return { status: res.status, json, headers: res.headers, ms: performance.now() - started };
}

/** The same request again while it answers 202 or 503, up to 10 times. */
async function answered(send: () => ReturnType<typeof call>): ReturnType<typeof call> {
  let res = await send();
  for (let i = 0; i < 10 && (res.status === 202 || res.status === 503); i++) res = await send();
  return res;
}

describe('with no worker running', () => {
  it('answers 202 to a start, 503 with Retry-After to reads and commands, and 200 once a worker runs', async () => {
    const today = londonDate(Date.now());
    const s = communityOrder(today, periodEnd(today, 12), { sentenceId: uniqueId('DOWN') });
    const id = s.sentenceId;
    const started = await call('case-system', 'POST', '/sentences', s);
    expect(started.status).toBe(202);
    expect(started.headers.get('location')).toBe(`/sentences/${id}`);
    expect(started.headers.get('retry-after')).toBe('5');
    expect(started.json).toMatchObject({ sentenceId: id, started: true });
    // Gave up after the configured time, not a gRPC default (which is far longer).
    expect(started.ms).toBeLessThan(ANSWER_TIMEOUT_MS * 4);

    const read = await call('spo-ldn', 'GET', `/sentences/${id}`);
    expect([read.status, read.headers.get('retry-after')]).toEqual([503, '5']);
    expect(read.json.error).toBe(
      'the case did not answer within 1.5 s (is a worker running?); try again (a command with the same Idempotency-Key is applied once)',
    );
    const key = { 'idempotency-key': 'allocate-once' };
    const cmd = await call('spo-ldn', 'POST', `/sentences/${id}/allocation`, { offenderManagerId: 'OM1' }, key);
    expect(cmd.status).toBe(503);
    expect(cmd.ms).toBeLessThan(ANSWER_TIMEOUT_MS * 4);

    const worker = await createWorker({ connection: ctx.env.nativeConnection, deps, dataConverter: testDataConverter });
    const running = worker.run();
    try {
      // As a client would: the same request again while it answers 202 or 503 (the worker still warming up on a busy
      // machine, each wait bounded by the short ANSWER_TIMEOUT_MS of this file).
      const again = await answered(() => call('case-system', 'POST', '/sentences', s));
      expect(again.status).toBe(200);
      expect(again.json.sentenceId).toBe(id);
      // The command that got 503 may still be applied when a worker comes (the server held it): its retry with the same
      // key answers its outcome, and it is applied once either way.
      const retried = await answered(() => call('spo-ldn', 'POST', `/sentences/${id}/allocation`, { offenderManagerId: 'OM1' }, key));
      expect([retried.status, retried.json.phase]).toEqual([200, 'allocated']);
      const twice = await answered(() => call('spo-ldn', 'POST', `/sentences/${id}/allocation`, { offenderManagerId: 'OM1' }, key));
      expect(twice.status).toBe(200);
      const timeline = (await answered(() => call('spo-ldn', 'GET', `/sentences/${id}`))).json.timeline as { event: string }[];
      expect(timeline.filter((e) => e.event === 'allocated')).toHaveLength(1);
    } finally {
      worker.shutdown();
      await running;
    }
  }, 60_000);
});
