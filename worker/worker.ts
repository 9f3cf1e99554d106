// Builds the worker: the sentence workflow plus its activities on the shared task queue.
import { NativeConnection, Worker, bundleWorkflowCode, type WorkflowBundleOption } from '@temporalio/worker';
import { OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor } from '@temporalio/interceptors-opentelemetry';
import { existsSync } from 'node:fs';
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
    logger: quietBundlerLogger,
  };
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
}

export async function createWorker(opts: WorkerOptions): Promise<Worker> {
  // The activity interceptors below report to the process's tracer provider: make sure there is one.
  if (!opts.tracing) installTracing('worker');
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace ?? 'default',
    taskQueue: opts.taskQueue ?? TASK_QUEUE,
    workflowBundle: await workflowBundle(),
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
    // Sentences run for years and continue as new at every review: pinning each to the build that started it would
    // keep every old build running for years. They move to the current build at their next workflow task instead, and
    // every change to the workflow's behaviour goes behind patched() (proven by the history replay and the domain replay).
    ...(opts.deployment && {
      workerDeploymentOptions: { version: opts.deployment, useWorkerVersioning: true, defaultVersioningBehavior: 'AUTO_UPGRADE' },
    }),
  });
}
