// The tests' identity provider: the embedded one (auth/idp.ts), started once per test file, with the demo principals
// and one more for tests that exercise the service rather than its access rules: every role, in every area. Every
// token is a real signed JWT from the token endpoint, verified by the API as any token is.
import { DEMO_PRINCIPALS, type DemoPrincipal } from '../../auth/demo.ts';
import type { JWK } from 'jose';
import { newSigningKey, startEmbeddedIdp, type EmbeddedIdp, type WebClient } from '../../auth/idp.ts';
import { ROLES } from '../../auth/principal.ts';
import { createVerifier, DEFAULT_ALGORITHMS, DEFAULT_CLAIMS } from '../../auth/verify.ts';
import type { ApiAuth } from '../../api/auth.ts';

export const TEST_SERVICE: DemoPrincipal = {
  name: 'test-service',
  secret: 'test-secret-service',
  kind: 'client',
  roles: [...ROLES],
  areas: ['*'],
  describe: 'the tests: every role in every area',
};

export interface TestIdp {
  idp: EmbeddedIdp;
  /** The provider's signing key (private JWK), for tests that make tokens of their own with it. */
  signingKey: JWK;
  auth: ApiAuth;
  /** A token for a principal (cached: tokens last an hour). */
  token(name?: string): Promise<string>;
}

export async function startTestIdp(webClients: readonly WebClient[] = []): Promise<TestIdp> {
  const signingKey = await newSigningKey();
  const idp = await startEmbeddedIdp({ principals: [...DEMO_PRINCIPALS, TEST_SERVICE], signingKey, webClients });
  const verify = createVerifier({
    issuer: idp.issuer,
    audience: idp.audience,
    claims: DEFAULT_CLAIMS,
    algorithms: DEFAULT_ALGORITHMS,
    clockToleranceSeconds: 30,
  });
  const tokens = new Map<string, Promise<string>>();
  return {
    idp,
    signingKey,
    auth: { verify, issuer: idp.issuer },
    token: (name = TEST_SERVICE.name) => {
      if (!tokens.has(name)) tokens.set(name, idp.token(name));
      return tokens.get(name)!;
    },
  };
}
