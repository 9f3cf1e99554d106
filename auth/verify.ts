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

/**
 * How long a verified token is remembered: a client sends the same token with every request until it expires, and
 * checking its signature again each time cost about 0.6 ms of every request (issue 11). Never past the token's own
 * `exp` (without the clock tolerance); a key the issuer withdraws stops being trusted for tokens already seen within
 * this time. At most VERIFIED_TOKENS_KEPT are remembered, the oldest forgotten first.
 */
export const VERIFIED_TOKEN_TTL_MS = 60_000;
export const VERIFIED_TOKENS_KEPT = 5_000;

const copyOf = (p: Principal): Principal => ({ ...p, roles: [...p.roles], areas: [...p.areas] });

/** A verifier for one issuer: the discovery document and the JWKS are fetched once and refreshed by jose as keys rotate. */
export function createVerifier(settings: AuthSettings, now: () => number = Date.now): (token: string) => Promise<Principal> {
  const verified = new Map<string, { principal: Principal; until: number }>();
  const remember = (token: string, principal: Principal, exp: number | undefined) => {
    if (exp === undefined) return;
    if (verified.size >= VERIFIED_TOKENS_KEPT) verified.delete(verified.keys().next().value!);
    verified.set(token, { principal: copyOf(principal), until: Math.min(now() + VERIFIED_TOKEN_TTL_MS, exp * 1000) });
  };
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
    const seen = verified.get(token);
    if (seen && now() < seen.until) return copyOf(seen.principal);
    if (seen) verified.delete(token);
    if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token)) throw new TokenError('invalid_token', 'the token is not a JWT');
    try {
      const { payload } = await jwtVerify(token, await keys(), {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: settings.algorithms,
        clockTolerance: settings.clockToleranceSeconds,
        requiredClaims: ['exp'],
        currentDate: new Date(now()),
      });
      const principal = principalOf(payload, settings.claims);
      remember(token, principal, payload.exp);
      return principal;
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
