// The API as its own process (deployment): PORT (default 3000), TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE.
import { Client, Connection } from '@temporalio/client';
import { createApp } from './app';

const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';

const connection = await Connection.connect({ address });
const server = createApp({ client: new Client({ connection, namespace }) }).listen(port, host, () => {
  console.log(`[api] listening on ${host}:${port}, Temporal ${namespace} at ${address}`);
});
const stop = () => {
  server.close(() => {
    void connection.close().then(() => process.exit(0));
  });
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
