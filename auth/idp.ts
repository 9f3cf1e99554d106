// The embedded identity provider: a real OpenID provider (the `oidc-provider` library) on loopback, for `npm start`
// and the tests when no real one is configured. It publishes its discovery document and JWKS, and issues RS256 JWT
// access tokens by the client-credentials grant to the demo principals (auth/demo.ts), with their roles, staff id,
// provider and areas as claims. Its signing key is generated at each start (tokens last an hour). A real deployment
// points AUTH_ISSUER at HMPPS Auth, Entra ID or Keycloak instead (README, "Identity").
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider from 'oidc-provider';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoClaims, type DemoPrincipal } from './demo.ts';
import { clientCredentialsToken } from './token-client.ts';

/** The API's audience (and resource indicator) in tokens of the embedded provider. */
export const EMBEDDED_AUDIENCE = 'urn:sentence-orchestrator:api';

export interface EmbeddedIdp {
  issuer: string;
  audience: string;
  /** A fresh access token for a principal, through the token endpoint (client credentials), as a client gets one. */
  token(name: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startEmbeddedIdp(opts: {
  port?: number;
  host?: string;
  principals: readonly DemoPrincipal[];
  /** The signing key (a private JWK with its kid); generated when not given. The tests give theirs. */
  signingKey?: JWK;
}): Promise<EmbeddedIdp> {
  const host = opts.host ?? '127.0.0.1';
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(opts.port ?? 0, host, resolve));
  const issuer = `http://${host}:${(server.address() as AddressInfo).port}`;
  const byName = new Map(opts.principals.map((p) => [p.name, p]));
  const provider = await oidcProvider(issuer, opts.principals, opts.signingKey);
  server.on('request', provider.callback());
  const token = async (name: string) => {
    const p = byName.get(name);
    if (!p) throw new Error(`no demo principal ${name}`);
    return clientCredentialsToken(issuer, p);
  };
  return {
    issuer,
    audience: EMBEDDED_AUDIENCE,
    token,
    stop: () => new Promise((r) => server.close(() => r())),
  };
}

/** The provider: one confidential client per principal, RS256 JWT access tokens for the API carrying their claims. */
async function oidcProvider(issuer: string, principals: readonly DemoPrincipal[], signingKey?: JWK): Promise<Provider> {
  const clients = new Map(principals.map((p) => [p.name, p]));
  const jwk = signingKey ?? (await newSigningKey());
  return new Provider(issuer, {
    clients: principals.map((p) => ({
      client_id: p.name,
      client_secret: p.secret,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    jwks: { keys: [jwk] },
    ttl: { ClientCredentials: 3600 },
    scopes: ['api'],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => EMBEDDED_AUDIENCE,
        useGrantedResource: async () => true,
        getResourceServerInfo: async () => ({
          scope: 'api',
          audience: EMBEDDED_AUDIENCE,
          accessTokenTTL: 3600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    extraTokenClaims: async (_ctx, token) => {
      const p = clients.get(String((token as { clientId?: string }).clientId));
      return p ? demoClaims(p) : undefined;
    },
  });
}

/** A new RS256 signing key, as a private JWK with a kid. */
export async function newSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: `embedded-${Date.now()}` };
}
