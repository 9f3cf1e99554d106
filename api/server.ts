// The API as its own process (deployment): PORT (default 3000), TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE.
import { Client, Connection } from '@temporalio/client';
import { join } from 'node:path';
import { fileLedgerStore } from '../activities';
import { createApp } from './app';

const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';

const connection = await Connection.connect({ address });
// The conformance read model is written by the worker into DATA_DIR/ledgers (a volume shared with the API).
const ledgers = fileLedgerStore(join(process.env.DATA_DIR ?? '.data', 'ledgers'));
const server = createApp({ client: new Client({ connection, namespace }), ledgers }).listen(port, host, () => {
  console.log(`[api] listening on ${host}:${port}, Temporal ${namespace} at ${address}`);
});
const stop = () => {
  server.close(() => {
    void connection.close().then(() => process.exit(0));
  });
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
