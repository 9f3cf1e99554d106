// The real Temporal server for the cluster test, pinned: built from the Go module proxy with the machine's Go
// toolchain (`go install go.temporal.io/server/cmd/server@v1.32.1` and its sql tool), into the git-ignored
// .tools/temporal-server, and reused once built. The PostgreSQL schema files come from the same module version.
// Plain Node, no dependencies.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './toolchain.mjs';

export const TEMPORAL_SERVER_VERSION = 'v1.32.1';
const MODULE = 'go.temporal.io/server';
const DIR = join(ROOT, '.tools', 'temporal-server');

function go(args, extraEnv = {}) {
  const res = spawnSync('go', args, { encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local', ...extraEnv } });
  if (res.error) throw new Error(`go is needed to build the Temporal server: ${res.error.message}`);
  return res;
}

/** Paths to the server and sql tool binaries and to the PostgreSQL schema folder, building them if missing. */
export function ensureTemporalServer({ quiet = false } = {}) {
  const server = join(DIR, 'server');
  const sql = join(DIR, 'sql');
  if (!existsSync(server) || !existsSync(sql)) {
    mkdirSync(DIR, { recursive: true });
    if (!quiet)
      process.stderr.write(
        `[cluster] building the Temporal server ${TEMPORAL_SERVER_VERSION} from the Go module proxy (several minutes, once)\n`,
      );
    const t0 = Date.now();
    const res = go(['install', `${MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION}`, `${MODULE}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`], {
      GOBIN: DIR,
    });
    if (res.status !== 0) throw new Error(`building the Temporal server failed:\n${res.stderr}`);
    if (!quiet) process.stderr.write(`[cluster] built in ${Math.round((Date.now() - t0) / 1000)} s\n`);
  }
  const modcache = go(['env', 'GOMODCACHE']).stdout.trim();
  const schema = join(modcache, `${MODULE}@${TEMPORAL_SERVER_VERSION}`, 'schema', 'postgresql', 'v12');
  if (!existsSync(schema)) {
    const dl = go(['mod', 'download', `${MODULE}@${TEMPORAL_SERVER_VERSION}`]);
    if (dl.status !== 0 || !existsSync(schema)) throw new Error(`the Temporal schema files are missing: ${schema}\n${dl.stderr}`);
  }
  return { server, sql, schema };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(ensureTemporalServer(), null, 2));
