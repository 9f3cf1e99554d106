// Agency notifications delivered for real: a signing HTTP client in the worker, a real HTTP receiver in this test
// process, the dev server between them. Covers a worker stopped and restarted mid-delivery, a receiver that fails
// with 5xx until it recovers, and one that rejects with 4xx (the "not delivered: action needed" path).
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedDelivery, type Endpoints } from '../../activities/index.ts';
import { stateQuery, workflowIdFor } from '../../contracts/index.ts';
import { londonDate, periodEnd } from '../../domain/dates.ts';
import type { SentenceState } from '../../domain/lifecycle.ts';
import { createWorker } from '../../worker/worker.ts';
import { testDataConverter } from '../support/codec.ts';
import { baseOffender, communityOrder } from '../support/fixtures.ts';
import { testDeps } from '../support/deps.ts';
import { recordHistory } from '../support/history.ts';
import { eventually } from '../support/poll.ts';
import { devServerEnv, startSentenceWorkflow } from '../support/temporal.ts';
import { commandsFor } from '../support/commands.ts';

interface Received {
  recipient: string;
  key: string;
  body: string;
  signatureValid: boolean;
  status: number;
}

const SECRETS: Record<string, string> = {
  'case-system': 's-case',
  csc: 's-csc',
  police: 's-police',
  immigration: 's-imm',
  'partner-agencies': 's-partners',
  nps: 's-nps',
};

let env: TestWorkflowEnvironment;
let receiver: Server;
let worker: Worker;
let running: Promise<void>;
const received: Received[] = [];
const processed = new Map<string, string>(); // idempotency key -> body, as a receiver that de-duplicates keeps it
const held: ServerResponse[] = [];
let holdCsc = true;
let policeFailuresLeft = 2;
const deps = testDeps();
let endpoints: Endpoints;

function respond(recipient: string, req: IncomingMessage, res: ServerResponse, body: string): void {
  const ts = String(req.headers['x-signature-timestamp']);
  const key = String(req.headers['idempotency-key']);
  const expected = `v2=${createHmac('sha256', SECRETS[recipient]!).update(`${ts}.${key}.${body}`).digest('hex')}`;
  const entry: Received = { recipient, key, body, signatureValid: req.headers['x-signature'] === expected, status: 0 };
  received.push(entry);
  const send = (status: number, text = '') => {
    entry.status = status;
    if (status < 300 && !processed.has(key)) processed.set(key, body);
    res.writeHead(status).end(text);
  };
  if (!entry.signatureValid) return send(401, 'bad signature');
  if (recipient === 'csc' && holdCsc) {
    held.push(res); // never answered: the worker is stopped while this request is in flight
    return;
  }
  if (recipient === 'police' && policeFailuresLeft > 0) {
    policeFailuresLeft--;
    return send(503, 'try later');
  }
  if (recipient === 'immigration') return send(400, 'unknown case reference');
  send(200, 'ok');
}

async function startWorker(): Promise<void> {
  worker = await createWorker({
    connection: env.nativeConnection,
    deps: { ...deps, outputs: loggedDelivery(endpoints, deps.store.deliveries) },
    shutdownGraceTime: '200 ms',
    dataConverter: testDataConverter,
  });
  running = worker.run();
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => respond((req.url ?? '/').slice(1), req, res, body));
  });
  receiver.listen(0, '127.0.0.1');
  await new Promise((r) => receiver.once('listening', r));
  const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  endpoints = Object.fromEntries(Object.entries(SECRETS).map(([r, secret]) => [r, { url: `${base}/${r}`, secret }])) as Endpoints;
  env = await devServerEnv();
  await startWorker();
});

afterAll(async () => {
  for (const res of held) res.destroy();
  worker?.shutdown();
  await running;
  await env?.teardown();
  await new Promise((r) => receiver?.close(r));
});

describe('agency notifications over HTTP', () => {
  it('delivers each notification once per idempotency key, signed, through a worker restart, 5xx and 4xx', async () => {
    const today = londonDate(Date.now());
    const sentence = communityOrder(today, periodEnd(today, 12), {
      offender: {
        ...baseOffender,
        assessedRiskToChildren: true,
        livesWithOrHasSignificantContactWithChildren: true,
        registeredSexOffender: true,
        subjectToDeportationOrder: true,
      },
    });
    const wf = workflowIdFor(sentence.sentenceId);
    const h = await startSentenceWorkflow(env.client, sentence);

    // The CSC request is in flight: stop the worker, then start a new one; Temporal retries with the same key.
    await eventually(
      async () => received.filter((r) => r.recipient === 'csc').length,
      (n) => n === 1,
      'CSC request in flight',
    );
    worker.shutdown();
    await running;
    holdCsc = false;
    for (const res of held.splice(0)) res.destroy();
    await startWorker();

    const row2 = (s: SentenceState) => s.outputs.find((o) => o.row === 2)!;
    const settled = await eventually(
      () => h.query(stateQuery),
      (s) =>
        row2(s)
          .parts!.filter((p) => p.applies)
          .every((p) => p.evidence.length > 0 || p.actionNeeded),
      'row 2 settled',
      300,
    );
    const parts = Object.fromEntries(
      row2(settled)
        .parts!.filter((p) => p.applies)
        .map((p) => [p.id, p]),
    );
    expect(parts.csc?.evidence[0]?.reference).toBe(`${wf}/output/2.csc`);
    expect(parts['police-rso']?.evidence[0]?.reference).toBe(`${wf}/output/2.police-rso`);
    expect(parts.immigration?.actionNeeded).toMatch(/immigration rejected the message with 400: unknown case reference/);
    expect(row2(settled).status).toBe('action-needed');
    await eventually(
      async () => (await deps.sent.alerts(sentence.sentenceId)).filter((a) => a.kind === 'output-not-delivered').length,
      (n) => n === 1,
      'action-needed alert',
    );

    // The case carries on: allocation, termination and closure, which notify partner agencies and the case system.
    const update = commandsFor(h);
    await update('allocate', { offenderManagerId: 'OM020' });
    // Events during the sentence: new child-wellbeing information (row 23, twice) and a referral to the NPS (row 22).
    await update('record-child-wellbeing-information', { categoryCode: 'DOMESTIC-INCIDENT', by: 'OM020' });
    await update('record-child-wellbeing-information', { categoryCode: 'SUBSTANCE-MISUSE', by: 'OM020' });
    await update('refer-to-nps', { reasonCode: 'ROSH-ESCALATING', by: 'OM020' });
    const afterEvents = await eventually(
      () => h.query(stateQuery),
      (s) => s.notifications.every((n) => n.delivered),
      'event notifications delivered',
      300,
    );
    expect(afterEvents.outputs.find((o) => o.row === 23)).toMatchObject({
      status: 'done',
      evidence: [expect.anything(), expect.anything()],
    });
    expect(afterEvents.outputs.find((o) => o.row === 22)).toMatchObject({ status: 'done' });
    expect(afterEvents.outputs.find((o) => o.row === 30)).toMatchObject({ applies: true, reason: 'referred to the NPS' });
    await update('terminate', { reason: 'revoked' });
    await update('complete-end-of-sentence-review', {});
    const final = await h.result();
    // Row 35 tells each agency row 2 is for (rules 2): the immigration authority rejects this case again, for a person.
    expect(final.outputs.filter((o) => [1, 35, 36].includes(o.row)).map((o) => o.status)).toEqual(['done', 'action-needed', 'done']);
    expect(final.outputs.find((o) => o.row === 35)!.parts!.map((p) => [p.id, p.evidence.length, p.actionNeeded !== undefined])).toEqual([
      ['csc', 1, false],
      ['police-rso', 1, false],
      ['immigration', 0, true],
    ]);

    const mine = received.filter((r) => r.key.startsWith(`${wf}/`));
    expect(mine.every((r) => r.signatureValid)).toBe(true);
    const byKey = new Map<string, Received[]>();
    for (const r of mine) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
    // Every attempt for a key carries the same message; each key was accepted once.
    for (const attempts of byKey.values()) expect(new Set(attempts.map((a) => a.body)).size).toBe(1);
    expect([...byKey.keys()].sort()).toEqual(
      [
        ...['1', '2.csc', '2.immigration', '2.police-rso', '35.csc', '35.immigration', '35.police-rso', '36'].map(
          (k) => `${wf}/output/${k}`,
        ),
        ...['22-1', '23-1', '23-2'].map((k) => `${wf}/notification/${k}`),
      ].sort(),
    );
    expect([...processed.keys()].filter((k) => k.startsWith(`${wf}/`)).sort()).toEqual(
      [
        ...['1', '2.csc', '2.police-rso', '35.csc', '35.police-rso', '36'].map((k) => `${wf}/output/${k}`),
        ...['22-1', '23-1', '23-2'].map((k) => `${wf}/notification/${k}`),
      ].sort(),
    );
    expect(JSON.parse(processed.get(`${wf}/notification/22-1`)!)).toMatchObject({
      recipient: 'nps',
      event: 'nps-referral',
      basis: 'ROSH-ESCALATING',
    });
    expect(byKey.get(`${wf}/output/2.csc`)!.length).toBeGreaterThanOrEqual(2); // before and after the restart
    expect(byKey.get(`${wf}/output/2.police-rso`)!.map((a) => a.status)).toEqual([503, 503, 200]);
    expect(byKey.get(`${wf}/output/2.immigration`)!.map((a) => a.status)).toEqual([400]);
    // The payload carries identifiers and codes only.
    const body = JSON.parse(processed.get(`${wf}/output/2.police-rso`)!) as Record<string, unknown>;
    expect(body).toMatchObject({ recipient: 'police', basis: 'registered-sex-offender', caseReference: sentence.caseReference });
    // The delivery log (the project's store) has exactly one row per notification, whatever the retries and the
    // worker restart; none held (every recipient has an endpoint here).
    const log = await deps.store.deliveries.list(sentence.sentenceId);
    expect(log.map((r) => [r.idempotencyKey.slice(wf.length + 1), r.status, r.channel]).sort()).toEqual(
      [
        ...['1', '2.csc', '2.police-rso', '35.csc', '35.police-rso', '36'].map((k) => [`output/${k}`, 'delivered', 'http']),
        ['output/2.immigration', 'rejected', 'http'],
        ['output/35.immigration', 'rejected', 'http'],
        ...['22-1', '23-1', '23-2'].map((k) => [`notification/${k}`, 'delivered', 'http']),
      ].sort(),
    );
    expect(log.find((r) => r.idempotencyKey.endsWith('/output/2.police-rso'))?.attempts).toBe(3);
    await recordHistory('notifications', env.client, wf, h.firstExecutionRunId);
  });
});
