// The API as its own process (deployment): PORT (default 3000), Temporal from the standard client configuration
// (address, namespace, TLS/mTLS, API key; config/temporal.ts), DATABASE_URL (the project's store: the conformance read
// model and the delivery log the workers write).
import { Client, Connection } from '@temporalio/client';
import { apiLimits, loadConfigOrExit } from '../config/index.ts';
import { authSettings } from '../config/auth.ts';
import { createVerifier } from '../auth/verify.ts';
import { temporalTarget } from '../config/temporal.ts';
import { createLogger } from '../ops/log.ts';
import { installTracing, tracingClientInterceptors } from '../ops/tracing.ts';
import { encryptingDataConverter, keyringOrExit } from '../ops/codec.ts';
import { pruneDaily } from '../store/idempotency.ts';
import { openStore } from '../store/index.ts';
import { createApp, storeOptions, temporalReadiness } from './app.ts';

// The API listens on loopback unless HOST says otherwise (docker-compose.yml sets 0.0.0.0 in its containers).
const config = loadConfigOrExit(process.env, 'api');
const logger = createLogger({ name: 'api' });
const temporal = temporalTarget();
const namespace = temporal.namespace;
const port = config.PORT;
const host = config.HOST;

const dataConverter = encryptingDataConverter(keyringOrExit('api'));
const auth = authSettings(config);
if (!auth) {
  process.stderr.write('[api] AUTH_ISSUER and AUTH_AUDIENCE must be set: every route but health needs a bearer token (README, Identity)\n');
  process.exit(2);
}
const databaseUrl = config.DATABASE_URL;
if (!databaseUrl) {
  process.stderr.write('[api] DATABASE_URL must be set: the API reads the project store (PostgreSQL) the workers write\n');
  process.exit(2);
}
const store = await openStore(databaseUrl);
// Idempotency keys are kept 30 days (store/idempotency.ts).
pruneDaily(store.idempotency, (e) => logger.warn({ err: e }, 'pruning idempotency keys failed'));
const connection = await Connection.connect(temporal.connectionOptions);
const tracing = installTracing('api');
// The request's trace goes on into the workflow (OpenTelemetry client interceptor, ops/tracing.ts).
const client = new Client({ connection, namespace, interceptors: tracingClientInterceptors(), dataConverter });
// Readiness checks call Temporal without retries (see temporalReadiness).
const healthConnection = await Connection.connect({ ...temporal.connectionOptions, interceptors: [] });
let draining = false;
const app = createApp({
  client,
  auth: { verify: createVerifier(auth), issuer: auth.issuer },
  answerTimeoutMs: config.ANSWER_TIMEOUT_MS,
  limits: apiLimits(config),
  ...storeOptions(store),
  readiness: { temporal: temporalReadiness(healthConnection), postgres: () => store.ping() },
  draining: () => draining,
  logger,
});
const server = app.listen(port, host, () => {
  logger.info({ host, port, temporal: temporal.summary }, 'api listening');
});
/** How long readiness answers 503 before the server stops taking requests (for a load balancer to notice). */
const DRAIN_NOTICE_MS = 2000;
const stop = () => {
  draining = true;
  setTimeout(() => {
    server.close(() => {
      void Promise.all([connection.close(), healthConnection.close(), store.close(), tracing.shutdown()]).then(() => process.exit(0));
    });
  }, DRAIN_NOTICE_MS);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
