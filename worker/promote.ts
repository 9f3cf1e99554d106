// `node dist/worker/promote.js [build-id]` (or `npm run promote -- [build-id]` from the sources): makes a build the
// current version of the Worker Deployment (WORKER_DEPLOYMENT_NAME), waiting until its workers are seen polling. The
// step of a rolling upgrade between starting the new build's workers and stopping the old ones (README, "Worker
// Versioning"). The build id defaults to WORKER_BUILD_ID, then to this build's own.
import { Connection } from '@temporalio/client';
import { loadConfigOrExit } from '../config/index.ts';
import { temporalTarget } from '../config/temporal.ts';
import { buildInfo } from '../ops/build.ts';
import { createLogger } from '../ops/log.ts';
import { deploymentVersion, promoteBuild } from './deployment.ts';

const logger = createLogger({ name: 'promote' });
const config = loadConfigOrExit({ ...process.env, ...(process.argv[2] && { WORKER_BUILD_ID: process.argv[2] }) }, 'promote');
const version = deploymentVersion(config, buildInfo());
if (!version) {
  logger.error('no build id: give one as the argument or WORKER_BUILD_ID, or run the production build');
  process.exit(2);
}
const temporal = temporalTarget();
const connection = await Connection.connect(temporal.connectionOptions);
try {
  await promoteBuild(connection, version, {
    namespace: temporal.namespace,
    onWait: (reason) => logger.info({ version, reason }, 'waiting for the build to be seen polling'),
  });
  logger.info({ version }, 'current version set');
} finally {
  await connection.close();
}
