// One trace from the HTTP request to the agency's HTTP call (OpenTelemetry): the API, a real worker and a dev server
// in this process, spans exported by the real OTLP/HTTP exporter to a local collector (an HTTP receiver at the OTLP
// path), and the agency a local HTTP receiver. The case system's request carries a traceparent; every span of the
// sentence's start, its activity and the delivery must be in that trace, each a child of the one before, and the
// agency must receive the trace in its own traceparent header. No personal value is in any span.
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { loggedDelivery, type Endpoints } from '../../activities/index.ts';
import { londonDate, periodEnd } from '../../domain/dates.ts';
import { installTracing, tracingClientInterceptors, type Tracing } from '../../ops/tracing.ts';
import { createWorker } from '../../worker/worker.ts';
import { testDataConverter } from '../support/codec.ts';
import { startTestIdp, type TestIdp } from '../support/auth.ts';
import { testDeps } from '../support/deps.ts';
import { baseOffender, communityOrder } from '../support/fixtures.ts';
import { eventually } from '../support/poll.ts';
import { devServerEnv } from '../support/temporal.ts';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: Record<string, unknown> }[];
}
interface OtlpBody {
  resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
}

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const spans: (OtlpSpan & { service: string })[] = [];
const agency: { path: string; traceparent: string | undefined }[] = [];
const deps = testDeps();
let collector: Server;
let receiver: Server;
let api: Server;
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let tracing: Tracing;
let base: string;
let idp: TestIdp;

function listen(handler: (path: string, headers: Record<string, string | string[] | undefined>, body: string) => void): Promise<Server> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      handler(req.url ?? '/', req.headers, body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}
const urlOf = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;

beforeAll(async () => {
  collector = await listen((path, _h, body) => {
    if (path !== '/v1/traces') return;
    for (const rs of (JSON.parse(body) as OtlpBody).resourceSpans) {
      const service = rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
      for (const ss of rs.scopeSpans) for (const s of ss.spans) spans.push({ ...s, service });
    }
  });
  receiver = await listen((path, headers) => agency.push({ path, traceparent: headers.traceparent as string | undefined }));
  // The standard OpenTelemetry variable, as an operator would set it.
  tracing = installTracing('tracing-test', { OTEL_EXPORTER_OTLP_ENDPOINT: urlOf(collector) });
  const endpoints = { 'case-system': { url: `${urlOf(receiver)}/case-system`, secret: 'trace-secret-0123456789abcdef' } } as Endpoints;
  env = await devServerEnv();
  worker = await createWorker({
    connection: env.nativeConnection,
    deps: { ...deps, outputs: loggedDelivery(endpoints, deps.store.deliveries) },
    tracing,
    dataConverter: testDataConverter,
  });
  running = worker.run();
  const client = new Client({ connection: env.connection, interceptors: tracingClientInterceptors(), dataConverter: testDataConverter });
  idp = await startTestIdp();
  api = createApp({ client, auth: idp.auth, ledgers: deps.store.ledgers, deliveries: deps.store.deliveries }).listen(0, '127.0.0.1');
  await new Promise((r) => api.once('listening', r));
  base = urlOf(api);
});

afterAll(async () => {
  await new Promise((r) => (api ? api.close(r) : r(undefined)));
  worker?.shutdown();
  await running;
  await tracing?.shutdown();
  await idp?.idp.stop();
  await env?.teardown();
  for (const s of [collector, receiver]) await new Promise((r) => (s ? s.close(r) : r(undefined)));
});

describe('tracing', () => {
  it("follows a sentence's start from the case system's request to the agency's HTTP call", async () => {
    const today = londonDate(Date.now());
    const offender = { ...baseOffender, communicationNeeds: { disability: true, learningDifficulty: false, interpreterLanguage: 'qq' } };
    const sentence = communityOrder(today, periodEnd(today, 12), { offender });
    const res = await fetch(`${base}/sentences`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await idp.token('case-system')}`,
        traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01`,
      },
      body: JSON.stringify(sentence),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('traceparent')).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));

    // The case system is told the case was created (row 1) by the worker's delivery activity, in the same trace.
    const told = await eventually(
      async () => agency.find((a) => a.path === '/case-system'),
      (a) => a !== undefined,
      'the case-system notification',
    );
    expect(told!.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));

    // The chain of spans from the caller's to the agency's HTTP call: the workflow passes the start's trace context on
    // to the activities it schedules (workflows/tracing.ts).
    const chainTo = (ours: OtlpSpan[], name: string) => {
      const byId = new Map(ours.map((s) => [s.spanId, s]));
      const path: string[] = [];
      for (let s = ours.find((x) => x.name === name); s; s = s.parentSpanId ? byId.get(s.parentSpanId) : undefined) {
        path.unshift(s.name);
        if (!s.parentSpanId || !byId.has(s.parentSpanId)) path.unshift(`parent ${s.parentSpanId ?? 'none'}`);
      }
      return path;
    };
    const { chain, ours } = await eventually(
      async () => {
        await tracing.spanProcessor.forceFlush();
        const ours = spans.filter((s) => s.traceId === TRACE_ID);
        return { ours, chain: chainTo(ours, 'POST case-system') };
      },
      (c) => c.chain[0] === `parent ${CALLER_SPAN}`,
      'the spans from the request to the delivery',
    );
    expect(chain).toEqual([
      `parent ${CALLER_SPAN}`,
      'POST /sentences',
      'UpdateWithStartWorkflow:answer-start',
      'RunActivity:deliverOutput',
      'POST case-system',
    ]);
    // Exported from this process's resource, and carrying no personal value.
    expect(new Set(ours.map((s) => s.service))).toEqual(new Set(['tracing-test']));
    const text = JSON.stringify(ours);
    for (const marker of ['"qq"', sentence.caseReference, 'interpreterLanguage', 'communicationNeeds'])
      expect(text, marker).not.toContain(marker);
    const server = ours.find((s) => s.name === 'POST /sentences')!;
    expect(server.attributes).toEqual(
      expect.arrayContaining([
        { key: 'http.route', value: { stringValue: '/sentences' } },
        { key: 'http.response.status_code', value: { intValue: 201 } },
      ]),
    );
  });
});
