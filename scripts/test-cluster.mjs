// `npm run test:cluster`: the cluster test on a real Temporal server (built once from the Go module proxy) on
// PostgreSQL, with two workers and two API processes of the production build (dist/, built here first), and a
// rolling upgrade to a second build: test/cluster/cluster.test.ts. Run by .ci/run after `npm test`.
import { bootstrap, run } from './bootstrap.mjs';
import { ensureTemporalServer } from './temporal-server.mjs';

const tools = bootstrap();
const server = ensureTemporalServer();
if (run(process.execPath, ['scripts/build.mjs']) !== 0) process.exit(1);
const env = {
  TEMPORAL_CLI_PATH: tools.cli,
  TEMPORAL_TEST_SERVER_PATH: tools.testServer,
  TEMPORAL_SERVER_PATH: server.server,
  TEMPORAL_SQL_TOOL_PATH: server.sql,
  TEMPORAL_SCHEMA_DIR: server.schema,
};
process.exit(run('npx', ['vitest', 'run', '--config', 'vitest.cluster.config.ts', ...process.argv.slice(2)], env));
