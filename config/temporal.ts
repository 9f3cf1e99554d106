// How the worker and the API reach Temporal: address, namespace, TLS or mTLS, and API key, from the standard Temporal
// client configuration (@temporalio/envconfig): TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY,
// TEMPORAL_TLS*, TEMPORAL_PROFILE, or a TOML profile file (TEMPORAL_CONFIG_FILE). So the same build runs against a
// local server, a secured self-hosted cluster or Temporal Cloud. The API key is never logged.
import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';

export interface TemporalTarget {
  /** For NativeConnection.connect (the worker) and Connection.connect (the API, whose options share these fields). */
  connectionOptions: NativeConnectionOptions & { address: string };
  namespace: string;
  /** What to log: address, namespace and whether TLS and an API key are used, never their values. */
  summary: string;
}

export function temporalTarget(env: NodeJS.ProcessEnv = process.env): TemporalTarget {
  const vars = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
  const { connectionOptions, namespace } = loadClientConnectConfig({ overrideEnvVars: vars });
  const options = { ...connectionOptions, address: connectionOptions.address ?? '127.0.0.1:7233' };
  const ns = namespace ?? 'default';
  const tls = options.tls ? (typeof options.tls === 'object' && options.tls.clientCertPair ? 'mTLS' : 'TLS') : 'no TLS';
  return {
    connectionOptions: options,
    namespace: ns,
    summary: `${options.address} namespace ${ns}, ${tls}${options.apiKey ? ', API key' : ''}`,
  };
}
