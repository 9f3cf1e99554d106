// Verifies OAuth2 bearer access tokens (RFC 6750) as JWTs against the issuer's keys, found through its OpenID discovery
// document: the signature (by a key of the issuer's JWKS, with an algorithm from the allow-list: never `none`, never
// an HMAC, so a token "signed" with the public key as a secret is refused), `iss`, `aud`, and `exp`/`nbf` with a small
// clock tolerance. The claims that name the roles, staff id, provider and areas differ between identity providers
// (HMPPS Auth, Entra ID, Keycloak): which claim holds which is configuration (README, "Identity").
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { ROLES, type Principal, type Role } from './principal.ts';

export interface ClaimMapping {
  /** Dotted paths into the token's claims, e.g. `realm_access.roles` (Keycloak). */
  roles: string;
  staffId: string;
  provider: string;
  areas: string;
  clientId: string;
  /** Optional: a prefix removed from each role value (e.g. `ROLE_` for HMPPS Auth's authorities). */
  rolePrefix?: string;
}

export interface AuthSettings {
  issuer: string;
  audience: string;
  claims: ClaimMapping;
  algorithms: string[];
  clockToleranceSeconds: number;
}

export const DEFAULT_CLAIMS: ClaimMapping = {
  roles: 'roles',
  staffId: 'staff_id',
  provider: 'provider',
  areas: 'areas',
  clientId: 'client_id',
};
export const DEFAULT_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];

/** Why a token was refused: the RFC 6750 error code and a description safe to return. */
export class TokenError extends Error {
  constructor(
    readonly code: 'invalid_request' | 'invalid_token',
    message: string,
  ) {
    super(message);
  }
}

function claim(payload: JWTPayload, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), payload);
}

const list = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : typeof v === 'string' && v !== '' ? v.split(/[\s,]+/).filter(Boolean) : [];

/** The principal a verified token names, under the claim mapping. Roles the project does not know are ignored. */
export function principalOf(payload: JWTPayload, claims: ClaimMapping): Principal {
  const prefix = (claims.rolePrefix ?? '').toLowerCase();
  const roles = list(claim(payload, claims.roles))
    .map((r) => r.toLowerCase())
    .map((r) => (prefix && r.startsWith(prefix) ? r.slice(prefix.length) : r).replace(/_/g, '-'))
    .filter((r): r is Role => (ROLES as readonly string[]).includes(r));
  const staffId = claim(payload, claims.staffId);
  const clientId = String(claim(payload, claims.clientId) ?? payload.azp ?? payload.sub ?? '');
  const provider = claim(payload, claims.provider);
  return {
    id: typeof staffId === 'string' && staffId ? staffId : clientId,
    kind: typeof staffId === 'string' && staffId ? 'user' : 'client',
    clientId,
    roles: [...new Set(roles)],
    ...(typeof provider === 'string' && provider ? { provider } : {}),
    areas: list(claim(payload, claims.areas)),
  };
}

/** A verifier for one issuer: the discovery document and the JWKS are fetched once and refreshed by jose as keys rotate. */
export function createVerifier(settings: AuthSettings): (token: string) => Promise<Principal> {
  let jwks: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  const keys = () =>
    (jwks ??= (async () => {
      const url = `${settings.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
      const res = await fetch(url);
      if (!res.ok) throw new Error(`OpenID discovery at ${url} answered ${res.status}`);
      const doc = (await res.json()) as { issuer?: string; jwks_uri?: string };
      if (!doc.jwks_uri) throw new Error(`OpenID discovery at ${url} gives no jwks_uri`);
      return createRemoteJWKSet(new URL(doc.jwks_uri));
    })().catch((e) => {
      jwks = undefined; // try again on the next request
      throw e;
    }));
  return async (token) => {
    if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token)) throw new TokenError('invalid_token', 'the token is not a JWT');
    try {
      const { payload } = await jwtVerify(token, await keys(), {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: settings.algorithms,
        clockTolerance: settings.clockToleranceSeconds,
        requiredClaims: ['exp'],
      });
      return principalOf(payload, settings.claims);
    } catch (e) {
      if (e instanceof errors.JWTExpired) throw new TokenError('invalid_token', 'the token has expired');
      if (e instanceof errors.JWTClaimValidationFailed)
        throw new TokenError('invalid_token', `the token's ${e.claim} claim is not accepted`);
      if (e instanceof errors.JOSEAlgNotAllowed)
        throw new TokenError('invalid_token', 'the token is signed with an algorithm that is not allowed');
      if (e instanceof errors.JWSSignatureVerificationFailed || e instanceof errors.JWKSNoMatchingKey)
        throw new TokenError('invalid_token', "the token's signature does not verify with the issuer's keys");
      if (e instanceof errors.JOSEError) throw new TokenError('invalid_token', 'the token is not valid');
      throw e;
    }
  };
}
