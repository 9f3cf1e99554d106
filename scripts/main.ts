// The main job: Temporal dev server (SQLite in .data/, Web UI on), PostgreSQL for the project store (embedded in
// .data/postgres unless DATABASE_URL is set), the worker and the API in one supervised
// process tree. Ctrl-C (SIGINT) or SIGTERM stops the API, drains the worker, then stops the server.
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Server } from 'node:http';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { msToTs } from '@temporalio/common/lib/time';
import { configuredDeps } from '../activities/index.ts';
import { endpointsOrExit } from '../activities/http.ts';
import { createApp, storeOptions, temporalReadiness } from '../api/app.ts';
import { createLogger, sdkLogger } from '../ops/log.ts';
import { apiLimits, loadConfigOrExit } from '../config/index.ts';
import { installTracing, tracingClientInterceptors } from '../ops/tracing.ts';
import { authSettings } from '../config/auth.ts';
import { createVerifier, DEFAULT_ALGORITHMS, DEFAULT_CLAIMS } from '../auth/verify.ts';
import { startEmbeddedIdp, type EmbeddedIdp } from '../auth/idp.ts';
import { DEMO_PRINCIPALS } from '../auth/demo.ts';
import type { ApiAuth } from '../api/auth.ts';
import { encryptingDataConverter, keyringFromEnv, newKeyEntry, type Keyring } from '../ops/codec.ts';
import { SEARCH_ATTRIBUTE_CLI_TYPES } from '../contracts/index.ts';
import { DEV_SERVER_SETTINGS } from '../ops/dev-server.ts';
import { pruneDaily } from '../store/idempotency.ts';
import { openStore, type Store } from '../store/index.ts';
import { startEmbeddedPostgres } from '../store/embedded.ts';
import { createWorker } from '../worker/worker.ts';
import { peopleSettingsOrExit } from '../activities/people.ts';
import { createWebApp } from '../web/app.ts';
import { DIGEST_SCHEDULE_ID, ensureDigestSchedule } from '../worker/schedules.ts';
import { ROOT } from './toolchain.mjs';

const config = loadConfigOrExit(process.env, 'main');
// The agencies' endpoints are checked before anything starts (https outside loopback, a strong secret).
const endpoints = endpointsOrExit('main');
const peopleSettings = peopleSettingsOrExit('main');
const HOST = config.HOST;
const temporalPort = config.TEMPORAL_PORT;
const uiPort = config.TEMPORAL_UI_PORT;
const apiPort = config.PORT;
const postgresPort = config.POSTGRES_PORT;
const dataDir = process.env.DATA_DIR ?? join(ROOT, '.data');
const cli = process.env.TEMPORAL_CLI_PATH ?? 'temporal';
const retentionDays = config.RETENTION_DAYS;
const serverLogLevel = config.TEMPORAL_LOG_LEVEL;
const uiOrigin = `http://${HOST}:${uiPort}`;
const codecEndpoint = `http://${HOST}:${apiPort}/codec`;

const say = (msg: string) => console.log(`[main] ${msg}`);
/** Structured logs (JSON lines, redacted): requests and the SDK's warnings; `say` prints the human-facing banner. */
const logger = createLogger({ name: 'main', level: process.env.LOG_LEVEL ?? 'warn' });
/** Set on the first stop signal: the API's readiness turns false. */
const lifecycle = { stopping: false };

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: HOST, port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

/** The Temporal dev server, with the project's search attributes, and a connection to it once it is up. */
async function startTemporal() {
  const args = ['server', 'start-dev', '--db-filename', join(dataDir, 'temporal.db'), '--ip', HOST, '--port', String(temporalPort)];
  args.push('--ui-port', String(uiPort), '--log-level', serverLogLevel, '--namespace', 'default', ...DEV_SERVER_SETTINGS);
  // The UI decodes payloads through the API's codec server (api/codec.ts), for an operator signed in to it.
  args.push('--ui-codec-endpoint', codecEndpoint, '--ui-disable-news-fetch');
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTE_CLI_TYPES)) args.push('--search-attribute', `${name}=${type}`);
  say(`starting Temporal dev server: ${cli} ${args.join(' ')}`);
  const server = spawn(cli, args, { stdio: ['ignore', 'inherit', 'inherit'], detached: true });
  const serverExit = new Promise<number | null>((resolve) => server.once('exit', resolve));
  process.once('exit', () => server.exitCode === null && server.kill('SIGTERM'));

  const address = `${HOST}:${temporalPort}`;
  let connection: NativeConnection | undefined;
  for (let i = 0; i < 120 && !connection; i++) {
    if (server.exitCode !== null) throw new Error(`Temporal dev server exited with ${server.exitCode}`);
    connection = await NativeConnection.connect({ address }).catch(() => undefined);
    if (!connection) await new Promise((r) => setTimeout(r, 500));
  }
  if (!connection) throw new Error(`Temporal dev server did not come up on ${address}`);
  return { server, serverExit, address, connection };
}

/**
 * The payload keys (ops/codec.ts): PAYLOAD_KEYS or PAYLOAD_KEYS_FILE when set; otherwise the embedded default, a key
 * generated once into DATA_DIR/payload-keys (readable by this user only) and kept, so that a restart reads its data.
 */
function payloadKeyring(): Keyring {
  const given = keyringFromEnv();
  if (given) return given;
  const file = join(dataDir, 'payload-keys');
  if (!existsSync(file)) {
    writeFileSync(
      file,
      `# generated by npm start; keep it with .data (without it the sentences cannot be read)\n${newKeyEntry(`local-${Date.now()}`)}\n`,
      {
        mode: 0o600,
      },
    );
    say(`generated a payload key in ${file}`);
  }
  return keyringFromEnv({ PAYLOAD_KEYS_FILE: file })!;
}

/**
 * The identity provider: AUTH_ISSUER and AUTH_AUDIENCE when set; otherwise the embedded one on IDP_PORT (loopback),
 * with the demo principals (auth/demo.ts).
 */
/** The web service's client at the identity provider: configured, or made for the embedded one at each start. */
const webClient = {
  clientId: config.WEB_CLIENT_ID ?? 'sentence-orchestrator-web',
  clientSecret: config.WEB_CLIENT_SECRET ?? randomBytes(24).toString('base64url'),
  redirectUris: [`http://127.0.0.1:${config.WEB_PORT}/auth/callback`],
  postLogoutRedirectUris: [`http://127.0.0.1:${config.WEB_PORT}/signed-out`],
};

async function startIdentity(): Promise<{ auth: ApiAuth; embedded: EmbeddedIdp | undefined }> {
  const given = authSettings(config);
  if (given) return { auth: { verify: createVerifier(given), issuer: given.issuer }, embedded: undefined };
  // Always on loopback, whatever HOST says: its demo clients' secrets are public (auth/demo.ts).
  const embedded = await startEmbeddedIdp({
    port: config.IDP_PORT,
    host: '127.0.0.1',
    principals: DEMO_PRINCIPALS,
    webClients: [webClient],
  });
  const settings = { issuer: embedded.issuer, audience: embedded.audience, claims: DEFAULT_CLAIMS, algorithms: DEFAULT_ALGORITHMS };
  const verify = createVerifier({ ...settings, clockToleranceSeconds: config.AUTH_CLOCK_TOLERANCE_SECONDS });
  return { auth: { verify, issuer: embedded.issuer }, embedded };
}

/** Closed sentences stay readable (GET, queries) for the retention period; the dev server's default is one day. */
async function keepClosedSentences(connection: Connection): Promise<void> {
  await connection.workflowService.updateNamespace({
    namespace: 'default',
    config: { workflowExecutionRetentionTtl: msToTs(`${retentionDays} days`) },
  });
}

/** Every port the main job listens on is free (another npm start may hold them). */
async function checkPorts(): Promise<void> {
  for (const [name, port] of [
    ['Temporal', temporalPort],
    ['Temporal UI', uiPort],
    ['API', apiPort],
    ['web service', config.WEB_PORT],
    ['metrics', config.METRICS_PORT],
    ...(config.AUTH_ISSUER ? [] : ([['identity provider', config.IDP_PORT]] as const)),
    ...(config.DATABASE_URL ? [] : ([['PostgreSQL', postgresPort]] as const)),
  ] as const) {
    if (await portInUse(port)) throw new Error(`${name} port ${port} is already in use (is another npm start running?)`);
  }
}

async function main() {
  await checkPorts();
  mkdirSync(dataDir, { recursive: true });
  Runtime.install({
    logger: sdkLogger(logger, 'WARN'),
    shutdownSignals: [],
    telemetryOptions: { metrics: { prometheus: { bindAddress: `${HOST}:${config.METRICS_PORT}` } } },
  });
  const { server, serverExit, address, connection } = await startTemporal();

  const postgres = await startPostgres();
  const store = await openStore(postgres.url);
  // Idempotency keys are kept 30 days (store/idempotency.ts).
  pruneDaily(store.idempotency, (e) => logger.warn({ err: e }, 'pruning idempotency keys failed'));
  const deps = configuredDeps(store, process.env, endpoints, peopleSettings);
  const tracing = installTracing('sentence-orchestrator');
  const dataConverter = encryptingDataConverter(payloadKeyring());
  const worker = await createWorker({ connection, deps, tracing, dataConverter });
  const workerRun = worker.run();
  const clientConnection = await Connection.connect({ address });
  await keepClosedSentences(clientConnection);
  const client = new Client({ connection: clientConnection, interceptors: tracingClientInterceptors(), dataConverter });
  // The daily digest to people runs as a Temporal Schedule (worker/schedules.ts).
  if (await ensureDigestSchedule(client)) logger.info({ schedule: DIGEST_SCHEDULE_ID }, 'digest schedule created');
  // Readiness checks call Temporal without retries (see temporalReadiness).
  const healthConnection = await Connection.connect({ address, interceptors: [] });
  const identity = await startIdentity();
  const app = apiApp(client, identity.auth, store, healthConnection, worker);
  const http = app.listen(apiPort, HOST);
  await new Promise<void>((resolve, reject) => http.once('listening', resolve).once('error', reject));
  const webServer = await startWeb(identity, postgres.url);

  printBanner(address, postgres.embedded);
  printLogins(identity.embedded);
  say('ready; Ctrl-C stops everything');
  const idp = identity.embedded;
  stopOnSignals({
    http,
    webServer,
    worker,
    workerRun,
    clientConnection,
    healthConnection,
    connection,
    server,
    serverExit,
    store,
    postgres,
    idp,
  });
}

/** The API of the main job, its readiness on Temporal, the store and the worker. */
function apiApp(client: Client, auth: ApiAuth, store: Store, healthConnection: Connection, worker: Worker) {
  return createApp({
    client,
    auth,
    // The dev server's Web UI calls the codec server from the browser: its origin is allowed too.
    answerTimeoutMs: config.ANSWER_TIMEOUT_MS,
    limits: { ...apiLimits(config), corsOrigins: [...new Set([...apiLimits(config).corsOrigins, uiOrigin])] },
    ...storeOptions(store),
    readiness: {
      temporal: temporalReadiness(healthConnection),
      postgres: () => store.ping(),
      worker: async () => {
        if (worker.getState() !== 'RUNNING') throw new Error(`worker ${worker.getState()}`);
      },
    },
    draining: () => lifecycle.stopping,
    logger,
  });
}

/** How to log in as each demo principal of the embedded identity provider. */
function printLogins(idp: EmbeddedIdp | undefined): void {
  if (!idp) {
    say(`identity        ${config.AUTH_ISSUER} (AUTH_ISSUER), audience ${config.AUTH_AUDIENCE}`);
    return;
  }
  say(`identity        embedded OpenID provider ${idp.issuer} (demo principals; set AUTH_ISSUER for a real one)`);
  for (const d of DEMO_PRINCIPALS) say(`  ${d.name.padEnd(18)} ${d.describe}`);
  say(
    `  a token:        TOKEN=$(npm run -s token -- practitioner-ldn); curl -H "Authorization: Bearer $TOKEN" http://${HOST}:${apiPort}/sentences`,
  );
  say(`  the web service: sign in as a person above (e.g. practitioner-ldn), password demo-secret-<name> (auth/demo.ts)`);
}

/** What runs where, for the person who started it. */
function printBanner(address: string, embedded: boolean): void {
  say(`Temporal gRPC   ${address}`);
  say(`Temporal Web UI ${uiOrigin}/namespaces/default/workflows`);
  say(
    `codec server    ${codecEndpoint} (operators sign in at ${codecEndpoint}/session, then turn on the UI's "Include cross-origin credentials")`,
  );
  say(`API             http://${HOST}:${apiPort}  (OpenAPI: http://${HOST}:${apiPort}/openapi.json)`);
  say(
    `store           ${embedded ? `embedded PostgreSQL on 127.0.0.1:${postgresPort}, data in ${join(dataDir, 'postgres')}` : 'DATABASE_URL'}`,
  );
  say(`deliveries      http://${HOST}:${apiPort}/deliveries?sentenceId=…  (agency and case-system notifications)`);
  say(
    `metrics         http://${HOST}:${apiPort}/metrics (API, store figures), http://${HOST}:${config.METRICS_PORT}/metrics (Temporal SDK)`,
  );
  say(`closed sentences kept ${retentionDays} days (RETENTION_DAYS)`);
}

/**
 * The web service (web/) on WEB_PORT, logging people in at the identity provider: the embedded one, or the configured
 * one when WEB_CLIENT_ID and WEB_CLIENT_SECRET name its client there (without them it does not start).
 */
async function startWeb(identity: { auth: ApiAuth; embedded: EmbeddedIdp | undefined }, databaseUrl: string): Promise<Server | undefined> {
  const { embedded } = identity;
  const issuer = embedded?.issuer ?? config.AUTH_ISSUER;
  const audience = embedded?.audience ?? config.AUTH_AUDIENCE;
  if (!issuer || !audience || (!embedded && (!config.WEB_CLIENT_ID || !config.WEB_CLIENT_SECRET))) {
    say('web service     not started: set WEB_CLIENT_ID and WEB_CLIENT_SECRET (its client at AUTH_ISSUER)');
    return undefined;
  }
  const web = createWebApp({
    apiBase: `http://127.0.0.1:${apiPort}`,
    issuer,
    audience,
    clientId: webClient.clientId,
    clientSecret: webClient.clientSecret,
    baseUrl: `http://127.0.0.1:${config.WEB_PORT}`,
    sessionSecret: config.WEB_SESSION_SECRET ?? randomBytes(32).toString('base64url'),
    databaseUrl,
    auth: identity.auth,
  });
  const server = web.listen(config.WEB_PORT, HOST);
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  say(`web service     http://127.0.0.1:${config.WEB_PORT}  (sign in as a demo person: see below)`);
  return server;
}

/** DATABASE_URL, or else the embedded PostgreSQL with its data in DATA_DIR/postgres (kept across restarts). */
async function startPostgres(): Promise<{ url: string; embedded: boolean; stop: () => Promise<void> }> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, embedded: false, stop: async () => undefined };
  say(`starting embedded PostgreSQL on 127.0.0.1:${postgresPort}`);
  const pg = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port: postgresPort });
  return { url: pg.url, embedded: true, stop: pg.stop };
}

/** Ctrl-C (or SIGTERM, or the server dying): stop the API, drain the worker, stop Temporal, in that order. */
function stopOnSignals(p: {
  http: Server;
  webServer: Server | undefined;
  worker: Worker;
  workerRun: Promise<void>;
  clientConnection: Connection;
  healthConnection: Connection;
  connection: NativeConnection;
  server: ChildProcess;
  serverExit: Promise<number | null>;
  store: Store;
  postgres: { stop: () => Promise<void> };
  idp: EmbeddedIdp | undefined;
}) {
  const { http, webServer, worker, workerRun, clientConnection, healthConnection, connection, server, serverExit, store, postgres, idp } =
    p;
  const stop = async (signal: string) => {
    if (lifecycle.stopping) return;
    // Readiness answers 503 from here on, before anything stops.
    lifecycle.stopping = true;
    say(`${signal}: stopping API, draining worker, stopping Temporal`);
    await new Promise<void>((resolve) => http.close(() => resolve()));
    if (webServer) await new Promise<void>((resolve) => webServer.close(() => resolve()));
    worker.shutdown();
    await workerRun.catch((e) => console.error('[main] worker ended with', e));
    await clientConnection.close();
    await healthConnection.close();
    await connection.close();
    await store.close();
    await installTracing('sentence-orchestrator').shutdown();
    await idp?.stop();
    await postgres.stop();
    server.kill('SIGTERM');
    await serverExit;
    say('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  serverExit.then((code) => {
    if (!lifecycle.stopping) {
      console.error(`[main] Temporal dev server exited unexpectedly (${code}); stopping`);
      void stop('server exit');
    }
  });
}

main().catch((e) => {
  console.error(`[main] ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
