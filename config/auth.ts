// The API's token verification settings from the configuration (config/index.ts): issuer, audience, claim mapping,
// algorithms and clock tolerance. README, "Identity", gives the mapping for HMPPS Auth, Entra ID and Keycloak.
import type { AuthSettings } from '../auth/verify.ts';
import type { Config } from './index.ts';

/** The settings, or undefined when no issuer and audience are configured. */
export function authSettings(config: Config): AuthSettings | undefined {
  if (!config.AUTH_ISSUER || !config.AUTH_AUDIENCE) return undefined;
  return {
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
    claims: {
      roles: config.AUTH_CLAIM_ROLES,
      staffId: config.AUTH_CLAIM_STAFF_ID,
      provider: config.AUTH_CLAIM_PROVIDER,
      areas: config.AUTH_CLAIM_AREAS,
      clientId: config.AUTH_CLAIM_CLIENT_ID,
      ...(config.AUTH_ROLE_PREFIX && { rolePrefix: config.AUTH_ROLE_PREFIX }),
    },
    algorithms: config.AUTH_ALGORITHMS.split(','),
    clockToleranceSeconds: config.AUTH_CLOCK_TOLERANCE_SECONDS,
  };
}
