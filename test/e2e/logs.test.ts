// No personal field reaches a log line. A sentence carrying marker values in its personal and free-text fields is
// started, commanded and made to fail through the HTTP API against a real worker and dev server, with the API's
// request logs and the Temporal SDK's logs (workers, workflows, activities) written through the project's logger into
// a buffer; none of the markers may appear there, while the log lines themselves (requests with their ids) do.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { londonDate, periodEnd } from '../../domain/dates.ts';
import { createLogger, sdkLogger } from '../../ops/log.ts';
import { httpClient } from '../support/commands.ts';
import { testDeps } from '../support/deps.ts';
import { baseOffender, communityOrder } from '../support/fixtures.ts';
import { eventually } from '../support/poll.ts';
import type { SdkLogForward } from '../support/setup.ts';
import { useApiHarness } from '../support/temporal.ts';

const lines: string[] = [];
const capture = new Writable({
  write(chunk: Buffer, _enc, done) {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  },
});
const logger = createLogger({ name: 'logs-test', level: 'debug', destination: capture });
const forward = (globalThis as { sdkLogForward?: SdkLogForward }).sdkLogForward!;
const sdk = sdkLogger(logger, 'DEBUG');
beforeAll(() => {
  forward.target = (e) => sdk.log(e.level, e.message, e.meta);
});
afterAll(() => {
  forward.target = undefined;
});

const deps = testDeps();
const ctx = useApiHarness(deps, [], { logger });
const http = httpClient(
  () => ctx.base,
  () => ctx.token(),
);
const MARKERS = ['MARKERLANG', 'MARKER-REASON-7731', 'MARKER-EVIDENCE-4417', 'MARKER-DETAIL-9902', 'MARKERBADBODY'];

describe('logs', () => {
  it('carry requests and the SDK, and none of the personal or free-text values', async () => {
    const today = londonDate(Date.now());
    // interpreterLanguage is personal (a communication need): a valid-shaped value here is a marker of its own.
    const offender = { ...baseOffender, communicationNeeds: { disability: true, learningDifficulty: false, interpreterLanguage: 'zz' } };
    const s = communityOrder(today, periodEnd(today, 12), { offender });
    expect((await http.post('/sentences', s, { 'X-Request-Id': 'req-start-1' })).status).toBe(201);
    const id = s.sentenceId;
    await http.command(id, 'allocate', { offenderManagerId: 'OM1' });
    await http.command(id, 'record-first-appointment', {});
    await http.command(id, 'record-appointment', { appointmentId: 'A1', date: today });
    await http.command(id, 'record-appointment-outcome', { appointmentId: 'A1', outcome: 'acceptable-absence', reason: MARKERS[1]! });
    await http.command(id, 'record-output-evidence', { row: 4, by: 'OM1', what: MARKERS[2]!, details: { note: MARKERS[3]! } });
    // Failures: a malformed body, an invalid one, a refused command and an unknown sentence.
    expect((await http.send('POST', `/sentences/${id}/reviews`, undefined, {}, `{"${MARKERS[4]}":`)).status).toBe(400);
    expect((await http.post('/sentences', { ...s, sentenceId: 'bad id', caseReference: MARKERS[4] })).status).toBe(400);
    expect(
      (await http.command(id, 'record-appointment-outcome', { appointmentId: 'A1', outcome: 'acceptable-absence', reason: MARKERS[1]! }))
        .status,
    ).toBe(409);
    expect((await http.command('nobody-1', 'allocate', { offenderManagerId: 'OM1' })).status).toBe(404);
    // Code that logs a whole sentence, a body or an error carrying one is redacted too; and what is not personal is
    // written (the capture sees everything that is logged).
    logger.info({ sentence: s, body: { reason: MARKERS[1] }, nested: { deeper: { offender } }, note: 'CAPTURE-WORKS' }, 'a careless line');
    logger.error({ err: Object.assign(new Error('failed'), { details: MARKERS[3] }) }, 'an error');
    await eventually(
      async () => lines.filter((l) => l.includes('"sdk":true')).length,
      (n) => n > 0,
      'SDK log lines',
    );
    const all = lines.join('\n');
    expect(lines.some((l) => l.includes('"req-start-1"'))).toBe(true); // the request id is logged
    expect(lines.filter((l) => l.includes('"path":')).length).toBeGreaterThanOrEqual(10);
    expect(all).toContain('CAPTURE-WORKS');
    for (const marker of [...MARKERS, '"zz"', s.caseReference]) expect(all, marker).not.toContain(marker);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });
});
