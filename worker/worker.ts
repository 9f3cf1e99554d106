// Builds the worker: the sentence workflow plus its activities on the shared task queue.
import { NativeConnection, Worker, bundleWorkflowCode, type BundleOptions, type WorkflowBundleOption } from '@temporalio/worker';
import { OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor } from '@temporalio/interceptors-opentelemetry';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataConverter, Duration, WorkerDeploymentVersion } from '@temporalio/common';
import { createActivities, type ActivityDeps } from '../activities/index.ts';
import { TASK_QUEUE } from '../contracts/index.ts';
import { installTracing, type Tracing } from '../ops/tracing.ts';
import { FAILURE_CONVERTER_PATH } from '../ops/codec.ts';
import { COMPILED } from '../ops/build.ts';

/**
 * How the workflow code is bundled, in one place for the bundle made from the sources and the one the production build
 * makes ahead of time (scripts/bundle-workflows.ts): the workflows, their interceptors (the trace context passed on to
 * activities, replay-safe) and the failure converter (encoded failure messages). A bundle made otherwise would run
 * the sentences differently in production.
 */
export function workflowBundleOptions() {
  return {
    workflowsPath: fileURLToPath(new URL('../workflows/index.ts', import.meta.url)),
    workflowInterceptorModules: [fileURLToPath(new URL('../workflows/tracing.ts', import.meta.url))],
    failureConverterPath: FAILURE_CONVERTER_PATH,
    preloadModules: SHARED_MODULES(),
    logger: quietBundlerLogger,
    webpackConfigHook: nativeSyntax,
  };
}

/**
 * The rules the workflow computes with (every module of domain/), loaded once per worker thread and shared by every
 * sentence it runs, instead of once per sentence: in a reusable V8 context the SDK gives each workflow its own copy of
 * every module loaded after it starts, so each new sentence ran the top level of the whole domain (the catalogue of
 * outputs, the calendars, the law's records) again. Only pure modules belong here: the SDK deep-freezes what they
 * export, and their module-level state is shared between sentences, which for the domain is memoised arithmetic
 * (domain/dates.ts summer times, domain/bounds.ts sizes, domain/calendar built calendars), the same for every case.
 * None of them reads the workflow's context at load: the domain imports only itself (test/unit/architecture.test.ts),
 * never @temporalio/workflow.
 */
const DOMAIN = fileURLToPath(new URL('../domain/', import.meta.url));
const SHARED_MODULES = () =>
  readdirSync(DOMAIN, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => join(DOMAIN, f));

/**
 * The SDK's bundler compiles the workflow code for ES2017, which rewrites every object spread and rest (the domain's
 * way of changing a state without mutating it) into calls of helper functions several times slower than the syntax
 * itself. Node runs ES2022 natively (tsconfig.json targets it), so the workflow code is compiled for ES2022: the same
 * semantics for plain data, and what the workflow sends to Temporal is unchanged (every recorded history replays).
 */
type Configuration = Parameters<NonNullable<BundleOptions['webpackConfigHook']>>[0];
function nativeSyntax(config: Configuration): Configuration {
  for (const rule of config.module?.rules ?? []) {
    const use = rule && typeof rule === 'object' ? rule.use : undefined;
    if (use && typeof use === 'object' && !Array.isArray(use) && typeof use.loader === 'string' && use.loader.includes('swc-loader')) {
      const options = use.options as { jsc?: { target?: string } } | undefined;
      if (options?.jsc) options.jsc.target = 'es2022';
    }
  }
  return config;
}

let bundle: Promise<WorkflowBundleOption> | undefined;
/**
 * The workflow code. The production build carries it bundled ahead of time (dist/workflow-bundle.js, written by
 * scripts/build.mjs), so a production worker neither bundles at start nor needs the sources; from the sources it is
 * bundled once per process (bundling takes seconds; every worker in a process shares it).
 */
export function workflowBundle(): Promise<WorkflowBundleOption> {
  bundle ??= COMPILED ? Promise.resolve(prebuiltBundle()) : fromSources();
  return bundle;
}

function prebuiltBundle(): WorkflowBundleOption {
  const codePath = fileURLToPath(new URL('../workflow-bundle.js', import.meta.url));
  if (!existsSync(codePath)) throw new Error(`${codePath} is missing: build with npm run build`);
  return { codePath };
}

function fromSources(): Promise<WorkflowBundleOption> {
  return bundleWorkflowCode(workflowBundleOptions());
}

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (m: string, meta?: unknown) => console.warn(m, meta ?? ''),
  error: (m: string, meta?: unknown) => console.error(m, meta ?? ''),
};

/**
 * How long one call into a sentence's workflow code may run before the worker gives it up as deadlocked (the SDK's
 * default is 5 seconds). A call that passes it fails its workflow task, and the retry replays the same work into the
 * same limit: on a loaded machine the case stalls, retried for ever (test/workflow/slow-task.test.ts shows both sides).
 *
 * What one call does is bounded: the server hands a run at most history.maximumSignalsPerExecution Signals (10,000 by
 * default), and all of them may arrive in one workflow task; the workflow applies at most SIGNALS_PER_TASK of them,
 * refuses at most REJECTIONS_PER_TASK and only queues the rest (domain/bounds.ts), but the SDK's own handling of each
 * Signal remains. That task took 3.4 s on this project's 2-core machine (npm run bench:burst), two thirds of the
 * default: the limit is set well past it, and past the server's 10 s workflow task timeout, so that only a task that
 * never ends is given up.
 *
 * The SDK takes the setting (its defaults are overridden by what a worker is given) but does not declare it in its
 * types ("not exposed at the moment"): should an upgrade stop taking it, test/workflow/slow-task.test.ts fails.
 */
export const ISOLATE_EXECUTION_TIMEOUT = '60 seconds';
const notInTheSdkTypes = { isolateExecutionTimeout: ISOLATE_EXECUTION_TIMEOUT };

export interface WorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue?: string;
  deps: ActivityDeps;
  /** The encrypting data converter (ops/codec.ts): required, so that no worker writes a payload in clear. */
  dataConverter: DataConverter;
  /** How long activities in flight may run on after shutdown begins before they are cancelled. */
  shutdownGraceTime?: Duration;
  /**
   * The Worker Deployment version this build polls as (Worker Versioning: README, "Worker Versioning"). Unset: an
   * unversioned worker (the tests and the development main job).
   */
  deployment?: WorkerDeploymentVersion;
  /** The process's tracing (ops/tracing.ts); installed with the service name `worker` when not given. */
  tracing?: Tracing;
  /**
   * Other workflow code than the sentence's, bundled with the same options: only for tests of the worker's own
   * settings (test/workflow/slow-task.test.ts).
   */
  workflowsPath?: string;
}

export async function createWorker(opts: WorkerOptions): Promise<Worker> {
  // The activity interceptors below report to the process's tracer provider: make sure there is one.
  if (!opts.tracing) installTracing('worker');
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace ?? 'default',
    taskQueue: opts.taskQueue ?? TASK_QUEUE,
    workflowBundle: opts.workflowsPath
      ? await bundleWorkflowCode({ ...workflowBundleOptions(), workflowsPath: opts.workflowsPath })
      : await workflowBundle(),
    dataConverter: opts.dataConverter,
    activities: createActivities(opts.deps),
    // Each activity runs in a span of its caller's trace (the header workflows/tracing.ts passes on).
    interceptors: {
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
    },
    shutdownGraceTime: opts.shutdownGraceTime ?? '10 seconds',
    ...notInTheSdkTypes,
    // Sentences run for years and continue as new at every review: pinning each to the build that started it would
    // keep every old build running for years. They move to the current build at their next workflow task instead, and
    // every change to the workflow's behaviour goes behind patched() (proven by the history replay and the domain replay).
    ...(opts.deployment && {
      workerDeploymentOptions: { version: opts.deployment, useWorkerVersioning: true, defaultVersioningBehavior: 'AUTO_UPGRADE' },
    }),
  });
}
