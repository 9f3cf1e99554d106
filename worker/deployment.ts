// Worker Versioning (Worker Deployments): which deployment version a worker polls as, and the one step of a rolling
// upgrade that is not starting and stopping processes: making a build the deployment's current version, after which
// every new sentence and every running one (at its next workflow task: AUTO_UPGRADE, worker/worker.ts) runs on it.
import type { Connection } from '@temporalio/client';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import type { Config } from '../config/index.ts';
import type { BuildInfo } from '../ops/build.ts';

/** The version a worker polls as: WORKER_BUILD_ID, else the production build's id; none when run from the sources. */
export function deploymentVersion(config: Config, build: BuildInfo | undefined): WorkerDeploymentVersion | undefined {
  const buildId = config.WORKER_BUILD_ID ?? build?.buildId;
  return buildId ? { deploymentName: config.WORKER_DEPLOYMENT_NAME, buildId } : undefined;
}

/** gRPC status codes the server answers while the version has not been seen polling yet. */
const NOT_YET = new Set([5 /* NOT_FOUND */, 9 /* FAILED_PRECONDITION */]);

export interface PromoteOptions {
  namespace: string;
  identity?: string;
  /** How long to wait for the version's workers to be seen polling (default 120 s). */
  timeoutMs?: number;
  onWait?: (reason: string) => void;
}

/**
 * Makes `version` the deployment's current version. The server accepts it only once workers of that version have
 * polled every task queue the current version serves, so this waits (up to the timeout) for them to appear.
 */
export async function promoteBuild(connection: Connection, version: WorkerDeploymentVersion, opts: PromoteOptions): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  for (;;) {
    try {
      await connection.workflowService.setWorkerDeploymentCurrentVersion({
        namespace: opts.namespace,
        deploymentName: version.deploymentName,
        buildId: version.buildId,
        identity: opts.identity ?? 'sentence-orchestrator promote',
      });
      return;
    } catch (e) {
      const code = (e as { code?: number }).code;
      if (code === undefined || !NOT_YET.has(code) || Date.now() > deadline) throw e;
      opts.onWait?.((e as Error).message.split('\n')[0] ?? String(code));
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** The deployment's current build id, or undefined when it has none (or the deployment does not exist yet). */
export async function currentBuild(connection: Connection, namespace: string, deploymentName: string): Promise<string | undefined> {
  try {
    const res = await connection.workflowService.describeWorkerDeployment({ namespace, deploymentName });
    return res.workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId ?? undefined;
  } catch (e) {
    if ((e as { code?: number }).code === 5) return undefined;
    throw e;
  }
}
