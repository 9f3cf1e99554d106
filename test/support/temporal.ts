// Real Temporal servers for tests, started from the binaries the project installs (never downloaded at run time).
import { TestWorkflowEnvironment } from '@temporalio/testing';
import protos from '@temporalio/proto';

const { temporal } = protos;
import { SearchAttributeType } from '@temporalio/common';
import { ensureToolchain } from '../../scripts/toolchain.mjs';
import type { Client, Connection, WorkflowHandle } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createApp, storeOptions, type AppOptions } from '../../api/app.ts';
import type { WebClient } from '../../auth/idp.ts';
import type { ActivityDeps } from '../../activities/index.ts';
import type { Store } from '../../store/index.ts';
import { checkingFetch } from './openapi.ts';
import {
  anyCommandUpdate,
  initialSearchAttributes,
  newSentenceInput,
  SEARCH_ATTRIBUTES,
  stateQuery,
  TASK_QUEUE,
  workflowIdFor,
} from '../../contracts/index.ts';
import type { CommandType, SentenceState } from '../../domain/lifecycle.ts';
import type { SentenceInput } from '../../domain/sentence.ts';
import { sentenceWorkflow } from '../../workflows/index.ts';
import { createWorker } from '../../worker/worker.ts';
import { freePort } from '../../store/embedded.ts';
import { testDataConverter } from './codec.ts';
import { startTestIdp, type TestIdp } from './auth.ts';
import { DEV_SERVER_SETTINGS } from '../../ops/dev-server.ts';

const IndexedValueType = temporal.api.enums.v1.IndexedValueType;

export function toolchain() {
  return ensureToolchain({ quiet: true });
}

export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: toolchain().testServer } },
    client: { dataConverter: testDataConverter },
  });
  await addSearchAttributes(env.connection);
  return env;
}

const INDEXED: Record<string, number> = {
  [SearchAttributeType.KEYWORD]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.KEYWORD_LIST]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  [SearchAttributeType.DATETIME]: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  [SearchAttributeType.BOOL]: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  [SearchAttributeType.INT]: IndexedValueType.INDEXED_VALUE_TYPE_INT,
};

/** Registers the project's search attributes (contracts' SA) in a namespace, through the operator service. */
export async function addSearchAttributes(connection: Pick<Connection, 'operatorService'>, namespace = 'default'): Promise<void> {
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(SEARCH_ATTRIBUTES.map((k) => [k.name, INDEXED[k.type as string]!])),
  });
}

/** A dev server (SQLite in memory) with the project's search attributes; `extraArgs` for dynamic config. */
export async function devServerEnv(extraArgs: string[] = [], webUi?: { uiPort: number }): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    client: { dataConverter: testDataConverter },
    server: {
      executable: { type: 'existing-path', path: toolchain().cli },
      searchAttributes: [...SEARCH_ATTRIBUTES],
      ...(webUi ? { ui: true, uiPort: webUi.uiPort } : {}),
      extraArgs: ['--log-level', 'never', ...DEV_SERVER_SETTINGS, ...extraArgs],
    },
  });
}

/** Starts a sentence's workflow directly (as a case system with a Temporal client would), with its search attributes. */
export function startSentenceWorkflow(client: Client, sentence: SentenceInput, inputHash = 'test') {
  return client.workflow.start(sentenceWorkflow, {
    workflowId: workflowIdFor(sentence.sentenceId),
    taskQueue: TASK_QUEUE,
    args: [newSentenceInput(sentence, inputHash)],
    typedSearchAttributes: initialSearchAttributes(sentence),
  });
}

/**
 * A fresh time-skipping server and worker for each test, started before it and stopped after it; `ctx.env` is the
 * current test's. One server per test (about a second each) keeps tests independent: the server stops skipping time
 * for good when a workflow task or activity of an already completed run is left over, and that must not hang the
 * tests that follow.
 */
export function useTimeSkippingWorker(deps: ActivityDeps): { env: TestWorkflowEnvironment } {
  const ctx = {} as { env: TestWorkflowEnvironment };
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  beforeEach(async () => {
    ctx.env = await timeSkippingEnv();
    worker = await createWorker({ connection: ctx.env.nativeConnection, deps, dataConverter: testDataConverter });
    running = worker.run();
  });
  afterEach(async () => {
    worker?.shutdown();
    await running;
    await ctx.env?.teardown();
  });
  return ctx;
}

export interface ApiHarness {
  env: TestWorkflowEnvironment;
  base: string;
  /** The file's identity provider (test/support/auth.ts); `token()` is the all-roles test service's. */
  idp: TestIdp;
  token: (name?: string) => Promise<string>;
  /** With `webUi`: the dev server's Temporal Web UI, its codec endpoint the API's codec server. */
  ui?: string;
}

export interface HarnessOptions {
  /** Run the dev server's Web UI (on a free port) wired to the API's codec server, its origin allowed by CORS. */
  webUi?: boolean;
  /** false: no worker (the test starts one when it wants, on ctx.env.nativeConnection). */
  worker?: false;
  /** Web clients the identity provider lets people log in to (the web service, web/). */
  webClients?: WebClient[];
  /**
   * Check every answer of the API against the OpenAPI document (test/support/openapi.ts): on unless the file says
   * otherwise, or tests the web service (webClients), whose pages are what its tests check.
   */
  checkAnswers?: boolean;
}

/**
 * The whole main job in the test process for one test file: a dev server (SQLite, free ports), a worker, the embedded
 * identity provider and the HTTP API on a free loopback port, started before its tests and stopped after them.
 * `ctx.base` is the API's URL; `ctx.token(name)` a real access token for a demo principal.
 */
export function useApiHarness(
  deps: ActivityDeps & { store: Store },
  extraArgs: string[] = [],
  app: Partial<AppOptions> = {},
  options: HarnessOptions = {},
): ApiHarness {
  const ctx = { token: (name?: string) => ctx.idp.token(name) } as ApiHarness;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  let server: Server | undefined;
  const original = globalThis.fetch;
  const mismatches: string[] = [];
  if (options.checkAnswers ?? !options.webClients) {
    beforeAll(() => {
      globalThis.fetch = checkingFetch(() => ctx.base, original, mismatches);
    });
    afterAll(() => {
      globalThis.fetch = original;
      if (mismatches.length > 0) throw new Error(`answers that do not match the OpenAPI document:\n${mismatches.join('\n')}`);
    });
  }
  beforeAll(async () => {
    // The API's port first: the Web UI is started with its codec endpoint.
    server = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => server!.once('listening', r));
    ctx.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const uiPort = options.webUi ? await freePort() : undefined;
    const uiArgs = uiPort ? ['--ui-codec-endpoint', `${ctx.base}/codec`, '--ui-disable-news-fetch'] : [];
    ctx.env = await devServerEnv([...extraArgs, ...uiArgs], uiPort ? { uiPort } : undefined);
    if (uiPort) ctx.ui = `http://127.0.0.1:${uiPort}`;
    ctx.idp = await startTestIdp(options.webClients);
    if (options.worker !== false) {
      worker = await createWorker({ connection: ctx.env.nativeConnection, deps, dataConverter: testDataConverter });
      running = worker.run();
    }
    const limits = ctx.ui ? { ...app.limits, corsOrigins: [ctx.ui] } : app.limits;
    const handler = createApp({
      client: ctx.env.client,
      auth: ctx.idp.auth,
      ...storeOptions(deps.store),
      ...app,
      ...(limits && { limits }),
    });
    server.on('request', handler);
  });
  afterAll(async () => {
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    worker?.shutdown();
    await running;
    await ctx.idp?.idp.stop();
    await ctx.env?.teardown();
  });
  return ctx;
}

/**
 * Ends a case through its own commands (termination, then the end-of-sentence review) and waits for its workflow to
 * finish, so that nothing is in flight when a test ends. Terminating the workflow instead can leave an activity that
 * the time-skipping server never unlocks its clock for (harmless across tests, each having its own server, but it
 * would hang a later step of the same test).
 */
export async function closeSentence(h: WorkflowHandle<typeof sentenceWorkflow>): Promise<SentenceState> {
  const cmd = (type: CommandType) => h.executeUpdate(anyCommandUpdate(type), { args: [type === 'terminate' ? { reason: 'revoked' } : {}] });
  const s = await h.query(stateQuery);
  if (s.phase !== 'terminated' && s.phase !== 'closed') await cmd('terminate');
  // A case without an end-of-sentence review (rules 2: row 34 does not apply) closes when it terminates.
  if ((await h.query(stateQuery)).phase !== 'closed') await cmd('complete-end-of-sentence-review');
  return h.result();
}
