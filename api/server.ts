// The API as its own process (deployment): PORT (default 3000), TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, DATABASE_URL
// (the project's store: the conformance read model and the delivery log the workers write).
import { Client, Connection } from '@temporalio/client';
import { openStore } from '../store';
import { createApp } from './app';

const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('DATABASE_URL is not set: the API reads the project store (PostgreSQL) the workers write');
const store = await openStore(databaseUrl);
const connection = await Connection.connect({ address });
const app = createApp({ client: new Client({ connection, namespace }), ledgers: store.ledgers, deliveries: store.deliveries });
const server = app.listen(port, host, () => {
  console.log(`[api] listening on ${host}:${port}, Temporal ${namespace} at ${address}`);
});
const stop = () => {
  server.close(() => {
    void Promise.all([connection.close(), store.close()]).then(() => process.exit(0));
  });
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
