// The embedded identity provider: a real OpenID provider (the `oidc-provider` library) on loopback, for `npm start`
// and the tests when no real one is configured. It publishes its discovery document and JWKS, and issues RS256 JWT
// access tokens by the client-credentials grant to the demo principals (auth/demo.ts), with their roles, staff id,
// provider and areas as claims. People also log in to the web service (web/) by the authorization-code grant with
// PKCE, on a login page of its own: the demo person's name and demo password. Its signing key is generated at each
// start (tokens last an hour). A real deployment points AUTH_ISSUER at HMPPS Auth, Entra ID or Keycloak instead
// (README, "Identity").
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider from 'oidc-provider';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
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

/** A web client that logs people in by the authorization-code grant (the web service, web/). */
export interface WebClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
}

export async function startEmbeddedIdp(opts: {
  port?: number;
  host?: string;
  principals: readonly DemoPrincipal[];
  /** The web service's client, when it logs people in here. */
  webClients?: readonly WebClient[];
  /** The signing key (a private JWK with its kid); generated when not given. The tests give theirs. */
  signingKey?: JWK;
}): Promise<EmbeddedIdp> {
  const host = opts.host ?? '127.0.0.1';
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(opts.port ?? 0, host, resolve));
  const issuer = `http://${host}:${(server.address() as AddressInfo).port}`;
  const byName = new Map(opts.principals.map((p) => [p.name, p]));
  const provider = await oidcProvider(issuer, opts.principals, opts.signingKey, opts.webClients ?? []);
  const callback = provider.callback();
  server.on('request', (req, res) => {
    if (req.url?.startsWith('/interaction/')) void loginInteraction(provider, opts.principals, req, res);
    else callback(req, res);
  });
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

/**
 * The provider: one confidential client per principal and the web clients; RS256 JWT access tokens for the API carrying
 * the principal's claims (a machine client's own, or those of the person who logged in).
 */
async function oidcProvider(
  issuer: string,
  principals: readonly DemoPrincipal[],
  signingKey: JWK | undefined,
  webClients: readonly WebClient[],
): Promise<Provider> {
  const clients = new Map(principals.map((p) => [p.name, p]));
  const people = new Map(principals.filter((p) => p.kind === 'user').map((p) => [p.name, p]));
  const jwk = signingKey ?? (await newSigningKey());
  return new Provider(issuer, {
    clients: clientsOf(principals, webClients),
    // A person who logged in: their demo claims in the ID token too (name only: the staff id and roles).
    findAccount: (_ctx, id) => {
      const p = people.get(id);
      return p ? { accountId: id, claims: () => ({ sub: id, ...demoClaims(p) }) } : undefined;
    },
    claims: { openid: ['sub'], profile: ['roles', 'staff_id', 'provider', 'areas'] },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    pkce: { required: () => true },
    cookies: { keys: [randomBytes(32).toString('hex')] },
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
      const t = token as { clientId?: string; accountId?: string };
      // A person's token (authorization code): their claims; a machine client's (client credentials): its own.
      const p = t.accountId ? people.get(t.accountId) : clients.get(String(t.clientId));
      return p ? demoClaims(p) : undefined;
    },
  });
}

/** One confidential client per principal (client credentials), and the web clients (authorization code). */
function clientsOf(principals: readonly DemoPrincipal[], webClients: readonly WebClient[]) {
  return [
    ...principals.map((p) => ({
      client_id: p.name,
      client_secret: p.secret,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_basic' as const,
    })),
    ...webClients.map((w) => ({
      client_id: w.clientId,
      client_secret: w.clientSecret,
      grant_types: ['authorization_code'],
      response_types: ['code' as const],
      redirect_uris: w.redirectUris,
      post_logout_redirect_uris: w.postLogoutRedirectUris ?? [],
      token_endpoint_auth_method: 'client_secret_basic' as const,
    })),
  ];
}

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><main>${body}</main></body></html>`;
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The login page and its answer: a demo person's name and password (auth/demo.ts), then the grant of the scopes and
 * the API's resource the web client asked for (a first-party client: no consent page).
 */
async function loginInteraction(provider: Provider, principals: readonly DemoPrincipal[], req: IncomingMessage, res: ServerResponse) {
  try {
    const details = await provider.interactionDetails(req, res);
    const uid = details.uid;
    if (req.method === 'GET') {
      const form = `<h1>Sign in</h1><form method="post" action="/interaction/${escape(uid)}">
<label for="username">Username</label> <input id="username" name="username" autocomplete="username">
<label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password">
<button type="submit">Sign in</button></form>`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page('Sign in', form));
      return;
    }
    const form = new URLSearchParams(await bodyOf(req));
    const person = principals.find((p) => p.kind === 'user' && p.name === form.get('username') && p.secret === form.get('password'));
    if (!person) {
      res
        .writeHead(401, { 'content-type': 'text/html; charset=utf-8' })
        .end(page('Sign in', '<h1>Sign in</h1><p>Wrong username or password.</p>'));
      return;
    }
    const grant = new provider.Grant({ accountId: person.name, clientId: String(details.params.client_id) });
    grant.addOIDCScope(String(details.params.scope ?? 'openid'));
    grant.addResourceScope(EMBEDDED_AUDIENCE, 'api');
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: person.name }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  } catch (e) {
    res.writeHead(400, { 'content-type': 'text/plain' }).end(`sign-in failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function bodyOf(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let raw = '';
    req.on('data', (c: Buffer) => {
      raw += c.toString('utf8');
      if (raw.length > 4096) req.destroy(new Error('form too large'));
    });
    req.on('end', () => resolve(raw));
    req.on('error', reject);
  });
}

/** A new RS256 signing key, as a private JWK with a kid. */
export async function newSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: `embedded-${Date.now()}` };
}
