// A verified token is remembered for a while (auth/verify.ts VERIFIED_TOKEN_TTL_MS), never past its own expiry: tokens
// from the embedded identity provider, verified against its keys on a clock the test sets.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createVerifier, DEFAULT_ALGORITHMS, DEFAULT_CLAIMS, TokenError, VERIFIED_TOKEN_TTL_MS } from '../../auth/verify.ts';
import { startTestIdp, type TestIdp } from '../support/auth.ts';

let idp: TestIdp;
beforeAll(async () => {
  idp = await startTestIdp();
});
afterAll(async () => {
  await idp.idp.stop();
});

const expOf = (token: string): number => (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp;

function verifierAt(clock: { now: number }) {
  const settings = {
    issuer: idp.idp.issuer,
    audience: idp.idp.audience,
    claims: DEFAULT_CLAIMS,
    algorithms: DEFAULT_ALGORITHMS,
    clockToleranceSeconds: 30,
  };
  return createVerifier(settings, () => clock.now);
}

describe('verified tokens are remembered, never past their expiry', () => {
  it('checks the signature of a token seen before only once it is no longer remembered', async () => {
    const token = await idp.token('test-service');
    const clock = { now: expOf(token) * 1000 - 3_600_000 };
    const verify = verifierAt(clock);
    const checks = vi.spyOn(crypto.subtle, 'verify');
    try {
      await verify(token);
      expect(checks).toHaveBeenCalledTimes(1);
      clock.now += VERIFIED_TOKEN_TTL_MS - 1;
      await verify(token);
      expect(checks).toHaveBeenCalledTimes(1);
      clock.now += 1;
      await verify(token);
      expect(checks).toHaveBeenCalledTimes(2);
    } finally {
      checks.mockRestore();
    }
  });

  it('answers a token seen before with a principal of its own, and refuses it once it has expired', async () => {
    const token = await idp.token('test-service');
    const exp = expOf(token) * 1000;
    const clock = { now: exp - 3_600_000 };
    const verify = verifierAt(clock);
    const first = await verify(token);
    expect(first.id).toBe('test-service');
    const roles = [...first.roles];
    expect(roles).toContain('case-system');
    first.roles.length = 0; // a caller changing its copy changes nothing remembered
    clock.now += VERIFIED_TOKEN_TTL_MS - 1;
    expect((await verify(token)).roles).toEqual(roles);
    // Past the time it is remembered, and near its expiry: verified again, still valid.
    clock.now = exp - 10_000;
    expect((await verify(token)).id).toBe('test-service');
    // Remembered only to its expiry: past it (and the clock tolerance) it is refused.
    clock.now = exp + 31_000;
    await expect(verify(token)).rejects.toThrow(new TokenError('invalid_token', 'the token has expired'));
  });

  it('refuses a changed token while the real one is remembered', async () => {
    const token = await idp.token('test-service');
    const verify = verifierAt({ now: expOf(token) * 1000 - 3_600_000 });
    await verify(token);
    const [head, body, sig] = token.split('.');
    const forged = `${head}.${body}.${sig!.slice(0, -2)}${sig!.endsWith('AA') ? 'BB' : 'AA'}`;
    await expect(verify(forged)).rejects.toThrow("the token's signature does not verify with the issuer's keys");
  });
});
