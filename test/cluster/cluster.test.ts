// The project as a provider would run it: a real Temporal server (1.32, built from the Go module proxy) on PostgreSQL,
// two workers and two API processes, each in its own working folder as if on its own machine, sharing only Temporal and
// the project store. Sentences are started and commanded through both APIs; one worker is killed with SIGKILL midway
// and started again. Every sentence must then be served by both APIs in the right phase, the conformance report must
// count every case on both, and the agencies' receiver must have each notification once per idempotency key. Then a
// rolling upgrade (Worker Versioning): a second build's worker starts, is made current, the first build's workers stop,
// and the sentences started on the first build go on, on the second.
import type { ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { londonDate, periodEnd } from '../../domain/dates.ts';
import { baseOffender, communityOrder, uniqueId } from '../support/fixtures.ts';
import { freePort } from '../../store/embedded.ts';
import { until } from '../support/poll.ts';
import { TEST_PAYLOAD_KEYS } from '../support/codec.ts';
import { startTestIdp, type TestIdp } from '../support/auth.ts';
import { queryProjectStore, runProcess, startCluster, startProcess, stopProcess, waitForHttp, type Cluster } from './harness.ts';

const SENTENCES = 200;
const SECRET = 'cluster-test-secret-0123456789abcdef';
const dir = mkdtempSync(join(tmpdir(), 'so-cluster-'));
let cluster: Cluster;
let receiver: Server;
let receiverUrl: string;
const attempts = new Map<string, string[]>(); // idempotency key -> bodies received
const traceparents = new Map<string, string>(); // idempotency key -> the traceparent its delivery carried
/** Spans the processes exported (OTLP/HTTP JSON to this test's collector): service, trace, name. */
const spans: { service: string; traceId: string; name: string }[] = [];
let collector: Server;
let idp: TestIdp;
const workers: ChildProcess[] = [];
const apis: { process: ChildProcess; base: string }[] = [];
let workerEnv: Record<string, string>;
let commonEnv: Record<string, string>;
let metricsPorts: number[] = [];
/** The two builds of the rolling upgrade (the same code under two Worker Deployment build ids). */
const BUILD_A = 'cluster-a';
const BUILD_B = 'cluster-b';
/** The sentences of the first scenario (on build A), which the rolling upgrade carries on to build B. */
let firstRun: { sentenceId: string }[] = [];

/** A worker of a build, with its own metrics and health ports. */
async function startWorker(name: string, buildId: string, metricsPort: number): Promise<{ child: ChildProcess; health: string }> {
  const healthPort = await freePort();
  const env = { ...workerEnv, WORKER_BUILD_ID: buildId, METRICS_PORT: String(metricsPort), WORKER_HEALTH_PORT: String(healthPort) };
  const child = startProcess(name, 'worker/main.js', dir, env);
  const health = `http://127.0.0.1:${healthPort}/health/ready`;
  await waitForHttp(health);
  return { child, health };
}

/** Makes a build current through the production build's own command (it waits until the build is seen polling). */
async function promote(buildId: string): Promise<void> {
  expect(await runProcess(`promote-${buildId}`, 'worker/promote.js', dir, commonEnv, [buildId])).toBe(0);
}

async function versioning(sentenceId: string): Promise<{ buildId: string | undefined; used: string[] }> {
  const d = await cluster.connection.workflowService.describeWorkflowExecution({
    namespace: 'default',
    execution: { workflowId: `sentence-${sentenceId}` },
  });
  const used = d.workflowExecutionInfo?.searchAttributes?.indexedFields?.TemporalUsedWorkerDeploymentVersions?.data;
  return {
    buildId: d.workflowExecutionInfo?.versioningInfo?.deploymentVersion?.buildId ?? undefined,
    used: used ? (JSON.parse(Buffer.from(used).toString('utf8')) as string[]) : [],
  };
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const key = String(req.headers['idempotency-key']);
      attempts.set(key, [...(attempts.get(key) ?? []), body]);
      if (req.headers.traceparent) traceparents.set(key, String(req.headers.traceparent));
      res.writeHead(200).end('ok');
    });
  });
  receiver.listen(0, '127.0.0.1');
  await new Promise((r) => receiver.once('listening', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  collector = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      type Otlp = {
        resourceSpans: {
          resource: { attributes: { key: string; value: { stringValue?: string } }[] };
          scopeSpans: { spans: { traceId: string; name: string }[] }[];
        }[];
      };
      for (const rs of (JSON.parse(body) as Otlp).resourceSpans) {
        const service = rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
        for (const ss of rs.scopeSpans) for (const sp of ss.spans) spans.push({ service, traceId: sp.traceId, name: sp.name });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  collector.listen(0, '127.0.0.1');
  await new Promise((r) => collector.once('listening', r));
  cluster = await startCluster(dir);
  idp = await startTestIdp();
  const common = {
    TEMPORAL_ADDRESS: cluster.address,
    TEMPORAL_NAMESPACE: 'default',
    DATABASE_URL: cluster.projectDatabaseUrl,
    PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    AUTH_ISSUER: idp.idp.issuer,
    AUTH_AUDIENCE: idp.idp.audience,
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
  };
  commonEnv = common;
  workerEnv = {
    ...common,
    AGENCY_CASE_SYSTEM_URL: `${receiverUrl}/case-system`,
    AGENCY_CASE_SYSTEM_SECRET: SECRET,
    AGENCY_CSC_URL: `${receiverUrl}/csc`,
    AGENCY_CSC_SECRET: SECRET,
  };
  metricsPorts = [await freePort(), await freePort()];
  for (const [i, name] of ['worker-1', 'worker-2'].entries()) workers.push((await startWorker(name, BUILD_A, metricsPorts[i]!)).child);
  await promote(BUILD_A);
  for (const name of ['api-1', 'api-2']) {
    const port = await freePort();
    apis.push({
      process: startProcess(name, 'api/server.js', dir, { ...common, PORT: String(port), HOST: '127.0.0.1' }),
      base: `http://127.0.0.1:${port}`,
    });
  }
  for (const a of apis) await waitForHttp(`${a.base}/health/ready`);
});

afterAll(async () => {
  for (const p of [...apis.map((a) => a.process), ...workers]) await stopProcess(p);
  await cluster?.stop();
  await new Promise((r) => receiver?.close(r));
  await new Promise((r) => collector?.close(r));
  await idp?.idp.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The all-roles test service's token (test/support/auth.ts), or a demo principal's. */
const bearer = async (name?: string) => ({ authorization: `Bearer ${await idp.token(name)}` });

async function post(base: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<number> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await bearer()), ...headers },
    body: JSON.stringify(body),
  });
  await res.text();
  return res.status;
}

/** 503s answered to commands while a worker was killed (each retried, as a client would). */
let unanswered = 0;

/**
 * A command as a careful client sends it: with an Idempotency-Key, and again with the same key when the API answers 503
 * (no worker answered within ANSWER_TIMEOUT_MS, as while a killed worker's tasks wait out their timeout); applied once.
 */
async function command(base: string, path: string, body: unknown): Promise<number> {
  const key = { 'idempotency-key': path.replace(/[^A-Za-z0-9_.:-]/g, '.') };
  let status = await post(base, path, body, key);
  for (let i = 0; i < 6 && status === 503; i++) {
    unanswered++;
    status = await post(base, path, body, key);
  }
  return status;
}

async function inBatches<T>(items: T[], size: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map((x, j) => fn(x, i + j)));
}

describe('two workers and two APIs on a real Temporal cluster', () => {
  it('serves every sentence through both APIs across a worker killed midway', async () => {
    const today = londonDate(Date.now());
    // Children at risk: Children's Social Care is told of commencement (row 2), as well as the case system (row 1).
    const offender = { ...baseOffender, livesWithOrHasSignificantContactWithChildren: true, assessedRiskToChildren: true };
    const area = uniqueId('CL').replace(/-/g, '').slice(0, 16);
    const sentences = Array.from({ length: SENTENCES }, () =>
      communityOrder(today, periodEnd(today, 12), {
        sentenceId: uniqueId('CLS'),
        offender,
        provider: { providerCode: 'N07', areaCode: area },
      }),
    );
    firstRun = sentences;
    const api = (i: number) => apis[i % 2]!.base;
    let commands = 0;
    const t0 = performance.now();
    // Started through both APIs in turn; the first with the case system's trace context.
    const TRACE = '0af7651916cd43dd8448eb211c80319c';
    await inBatches(sentences, 10, async (s, i) =>
      expect(await post(api(i), '/sentences', s, i === 0 ? { traceparent: `00-${TRACE}-b7ad6b7169203331-01` } : {})).toBe(201),
    );
    // Allocated through the other API; worker 1 is killed half-way through.
    let killed = false;
    await inBatches(sentences, 10, async (s, i) => {
      if (i >= SENTENCES / 2 && !killed) {
        killed = true;
        await stopProcess(workers[0]!, 'SIGKILL');
      }
      expect(await command(api(i + 1), `/sentences/${s.sentenceId}/allocation`, { offenderManagerId: `OM${i % 7}` })).toBe(200);
      commands++;
    });
    workers[0] = (await startWorker('worker-1', BUILD_A, metricsPorts[0]!)).child;
    await inBatches(sentences, 10, async (s, i) => {
      expect(await command(api(i), `/sentences/${s.sentenceId}/first-appointment`, {})).toBe(200);
      commands++;
    });

    // Both APIs serve every sentence, inducted.
    for (const a of apis) {
      await inBatches(sentences, 20, async (s) => {
        const res = await fetch(`${a.base}/sentences/${s.sentenceId}`, { headers: await bearer() });
        expect(res.status).toBe(200);
        expect(((await res.json()) as { phase: string }).phase).toBe('inducted');
      });
    }
    // The conformance report counts every case on both (the read model is the shared store, published by both workers).
    for (const a of apis) {
      const report = await until('every case in the read model', async () => {
        const r = (await (await fetch(`${a.base}/reports/conformance?area=${area}`, { headers: await bearer() })).json()) as {
          cases: number;
          rows: { row: number; applied: number }[];
        };
        return r.cases === SENTENCES && r.rows[2]!.applied === SENTENCES ? r : undefined;
      });
      expect(report.rows[0]!.applied).toBe(SENTENCES);
    }
    // Each sentence's two notifications (case created: row 1; commencement to CSC: row 2) reached the receiver, each
    // under one idempotency key with one body, and the delivery log holds one delivered row per notification.
    const expected = sentences.flatMap((s) => [`sentence-${s.sentenceId}/output/1`, `sentence-${s.sentenceId}/output/2.csc`]).sort();
    await until('every notification', async () => {
      const missing = expected.filter((k) => !attempts.has(k));
      if (missing.length > 0) throw new Error(`${missing.length} not received yet, e.g. ${missing[0]}`);
      return true;
    });
    const mine = [...attempts.entries()].filter(([k]) => expected.includes(k));
    expect(mine.map(([k]) => k).sort()).toEqual(expected);
    for (const [, bodies] of mine) expect(new Set(bodies).size).toBe(1);
    const duplicated = mine.reduce((n, [, bodies]) => n + bodies.length - 1, 0);
    const log = await queryProjectStore<{ status: string; n: number }>(
      cluster.projectDatabaseUrl,
      `SELECT status, count(*)::int AS n FROM deliveries WHERE sentence_id = ANY($1) GROUP BY status`,
      [sentences.map((s) => s.sentenceId)],
    );
    expect(log).toEqual([{ status: 'delivered', n: expected.length }]);
    // Each worker exports the Temporal SDK's runtime metrics; each API the store's figures.
    const sdkMetrics = await (await fetch(`http://127.0.0.1:${metricsPorts[1]}/metrics`)).text();
    expect(sdkMetrics).toMatch(/^temporal_workflow_task_execution_latency\w*\{/m);
    const inducted = new RegExp(`^so_sentences\\{phase="inducted"\\} ${SENTENCES}$`, 'm');
    await until('every sentence inducted in the store figures', async () =>
      inducted.test(await (await fetch(`${apis[0]!.base}/metrics`, { headers: await bearer('operator') })).text()) ? true : undefined,
    );
    // One trace across the processes: the API's request and start, the worker's activity and its HTTP call, which
    // carried the trace to the agency.
    const first = sentences[0]!.sentenceId;
    expect(traceparents.get(`sentence-${first}/output/1`)).toMatch(new RegExp(`^00-${TRACE}-[0-9a-f]{16}-01$`));
    const traced = await until("the first sentence's spans from both processes", async () => {
      const names = spans.filter((sp) => sp.traceId === TRACE).map((sp) => `${sp.service} ${sp.name}`);
      return names.includes('worker POST case-system') && names.includes('api POST /sentences') ? names : undefined;
    });
    expect(traced).toEqual(
      expect.arrayContaining([
        'api POST /sentences',
        'api UpdateWithStartWorkflow:answer-start',
        'worker RunActivity:deliverOutput',
        'worker POST case-system',
      ]),
    );
    console.log(
      `[cluster] ${SENTENCES} sentences, ${commands} commands through 2 APIs, 1 worker SIGKILLed and restarted ` +
        `(${unanswered} answers of 503 meanwhile, each retried with its key); ` +
        `notifications expected ${expected.length}, received ${mine.length} keys, ${duplicated} duplicate attempts (same key); ` +
        `${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  });

  it('upgrades to a second build while the sentences started on the first keep running (Worker Versioning)', async () => {
    expect(firstRun).toHaveLength(SENTENCES);
    // Every sentence so far ran on build A only.
    for (const s of firstRun.slice(0, 5))
      expect(await versioning(s.sentenceId)).toEqual({ buildId: BUILD_A, used: [`sentence-orchestrator:${BUILD_A}`] });
    // Build B's worker starts beside A's and is made current; then A's workers stop (SIGTERM: they finish what they hold).
    const b = await startWorker('worker-b1', BUILD_B, await freePort());
    await promote(BUILD_B);
    for (const w of workers) await stopProcess(w);
    workers.push(b.child);
    // The first build's sentences go on, on build B: each agrees its plan (phase plan-agreed), through both APIs.
    const today = londonDate(Date.now());
    await inBatches(firstRun, 10, async (s, i) => {
      expect(await post(apis[i % 2]!.base, `/sentences/${s.sentenceId}/plan`, { completedOn: today })).toBe(200);
    });
    for (const a of apis) {
      await inBatches(firstRun, 20, async (s) => {
        const res = await fetch(`${a.base}/sentences/${s.sentenceId}`, { headers: await bearer() });
        expect(((await res.json()) as { phase: string }).phase).toBe('plan-agreed');
      });
    }
    // Each moved to B at its next workflow task (AUTO_UPGRADE), and ran on A before.
    const moved = await Promise.all(firstRun.map((s) => versioning(s.sentenceId)));
    expect(moved.filter((v) => v.buildId === BUILD_B)).toHaveLength(SENTENCES);
    for (const v of moved)
      expect(v.used).toEqual(expect.arrayContaining([`sentence-orchestrator:${BUILD_A}`, `sentence-orchestrator:${BUILD_B}`]));
    // A sentence started now runs on B alone.
    const fresh = communityOrder(today, periodEnd(today, 12), { sentenceId: uniqueId('CLB') });
    expect(await post(apis[0]!.base, '/sentences', fresh)).toBe(201);
    expect(await versioning(fresh.sentenceId)).toEqual({ buildId: BUILD_B, used: [`sentence-orchestrator:${BUILD_B}`] });
    console.log(
      `[cluster] rolling upgrade ${BUILD_A} -> ${BUILD_B}: ${SENTENCES} sentences started on ${BUILD_A} moved to ${BUILD_B} and agreed their plans`,
    );
  });
});
