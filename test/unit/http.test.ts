import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createReceiverVerifier, endpointsFromEnv, MIN_SECRET_LENGTH, sign, verify } from '../../activities/http.ts';

const SECRET = 'k'.repeat(32);
const KEY = 'S1/output/2.csc';
const BODY = '{"a":1}';
const TS = 1700000000;

describe('signed delivery (v2)', () => {
  it('signs "<timestamp>.<idempotencyKey>.<body>" with HMAC-SHA256, as a receiver can check independently', () => {
    const expected = createHmac('sha256', SECRET).update('1700000000.S1/output/2.csc.{"a":1}').digest('hex');
    expect(sign(SECRET, TS, KEY, BODY)).toBe(`v2=${expected}`);
    // one value written out (from `printf '1.x.{}' | openssl dgst -sha256 -hmac k`), independent of node:crypto
    expect(sign('k', 1, 'x', '{}')).toBe('v2=9eedd8dc408259e5049b8ec51beb323d05edbe507cda0801b19bdbf7ae00dbaf');
    expect(sign(SECRET, TS, KEY, BODY)).toMatch(/^v2=[0-9a-f]{64}$/);
  });

  it('verifies the signature, the key, the body and the timestamp window', () => {
    const sig = sign(SECRET, TS, KEY, BODY);
    expect(verify(SECRET, '1700000000', KEY, BODY, sig, TS + 100)).toBe(true);
    expect(verify(SECRET, '1700000000', KEY, BODY, sig, TS - 300)).toBe(true); // within the window, either side
    expect(verify(SECRET, '1700000000', 'S1/output/2.police', BODY, sig, TS + 100)).toBe(false); // the key is covered
    expect(verify(SECRET, '1700000000', KEY, '{"a":2}', sig, TS + 100)).toBe(false);
    expect(verify('o'.repeat(32), '1700000000', KEY, BODY, sig, TS + 100)).toBe(false);
    expect(verify(SECRET, '1700000001', KEY, BODY, sig, TS + 100)).toBe(false); // the timestamp is covered
    expect(verify(SECRET, '1700000000', KEY, BODY, sig, TS + 301)).toBe(false); // too old
    expect(verify(SECRET, '1700000000', KEY, BODY, sig, TS - 301)).toBe(false); // too far ahead
    expect(verify(SECRET, 'soon', KEY, BODY, sig, TS)).toBe(false);
    const v1 = `v1=${createHmac('sha256', SECRET).update(`${TS}.${BODY}`).digest('hex')}`;
    expect(verify(SECRET, '1700000000', KEY, BODY, v1, TS)).toBe(false); // the old format is not accepted
  });
});

describe('receiver verifier', () => {
  const clock = (seconds: number) => {
    const c = { now: seconds * 1000 };
    return { c, now: () => c.now };
  };
  const request = (timestamp: number, key = KEY, secret = SECRET) => ({
    timestamp: String(timestamp),
    idempotencyKey: key,
    body: BODY,
    signature: sign(secret, timestamp, key, BODY),
  });

  it('accepts a key once; an exact replay and the same key re-signed later are replayed', () => {
    const { c, now } = clock(TS);
    const receiver = createReceiverVerifier({ secret: SECRET, now });
    const first = request(TS);
    expect(receiver.check(first)).toBe('accepted');
    expect(receiver.check(first)).toBe('replayed'); // the exact same request again
    c.now += 60_000;
    expect(receiver.check(request(TS + 60))).toBe('replayed'); // the sender's retry: same key, fresh timestamp
    expect(receiver.check(request(TS + 60, 'S1/output/2.police'))).toBe('accepted'); // another key
    expect(receiver.remembered()).toBe(2);
  });

  it('refuses a bad signature or a timestamp outside the window, without remembering the key', () => {
    const { c, now } = clock(TS + 301);
    const receiver = createReceiverVerifier({ secret: SECRET, now });
    expect(receiver.check(request(TS))).toBe('invalid'); // 301 s old
    expect(receiver.check(request(TS + 301 + 301))).toBe('invalid'); // 301 s ahead
    expect(receiver.check(request(TS + 301, KEY, 'w'.repeat(32)))).toBe('invalid'); // wrong secret
    expect(receiver.check({ ...request(TS + 301), body: '{"a":2}' })).toBe('invalid');
    expect(receiver.remembered()).toBe(0);
    expect(receiver.check(request(TS + 301))).toBe('accepted');
    c.now += 1000;
    expect(receiver.check(request(TS + 300))).toBe('replayed');
  });

  it('forgets a key once no request carrying it can pass the timestamp check, and the old request stays refused', () => {
    const { c, now } = clock(TS);
    const receiver = createReceiverVerifier({ secret: SECRET, toleranceSeconds: 300, now });
    const first = request(TS);
    expect(receiver.check(first)).toBe('accepted');
    c.now += 200_000;
    const retry = request(TS + 200);
    expect(receiver.check(retry)).toBe('replayed'); // extends how long the key is kept: the retry could be replayed too
    c.now += 200_000; // TS + 400: the first request is out of the window, the retry is not
    expect(receiver.check(retry)).toBe('replayed');
    expect(receiver.check(first)).toBe('invalid');
    c.now += 101_000; // TS + 501: both out of the window
    expect(receiver.check(request(TS + 501, 'other'))).toBe('accepted');
    expect(receiver.remembered()).toBe(1); // KEY pruned: memory is bounded by one window's keys
    expect(receiver.check(retry)).toBe('invalid');
    expect(receiver.check(first)).toBe('invalid');
  });

  it('keeps memory bounded: many keys, all pruned a window later', () => {
    const { c, now } = clock(TS);
    const receiver = createReceiverVerifier({ secret: SECRET, now });
    for (let i = 0; i < 1000; i++) expect(receiver.check(request(TS, `k${i}`))).toBe('accepted');
    expect(receiver.remembered()).toBe(1000);
    c.now += 301_000;
    expect(receiver.check(request(TS + 301, 'fresh'))).toBe('accepted');
    expect(receiver.remembered()).toBe(1);
  });
});

describe('endpoints from the environment', () => {
  const secret = 's'.repeat(MIN_SECRET_LENGTH);

  it('reads endpoints and refuses an unsigned one', () => {
    expect(MIN_SECRET_LENGTH).toBe(32);
    expect(endpointsFromEnv({})).toEqual({});
    expect(endpointsFromEnv({ AGENCY_CSC_URL: 'https://csc.example/notify', AGENCY_CSC_SECRET: secret })).toEqual({
      csc: { url: 'https://csc.example/notify', secret },
    });
    expect(() => endpointsFromEnv({ AGENCY_POLICE_URL: 'https://police.example' })).toThrow(/AGENCY_POLICE_SECRET/);
  });

  it('requires https except on a loopback host', () => {
    expect(endpointsFromEnv({ AGENCY_NPS_URL: 'https://example.org', AGENCY_NPS_SECRET: secret }).nps?.url).toBe('https://example.org');
    for (const url of ['http://127.0.0.1:8080/in', 'http://localhost/in', 'http://[::1]:9/in']) {
      expect(endpointsFromEnv({ AGENCY_CSC_URL: url, AGENCY_CSC_SECRET: secret }).csc?.url).toBe(url);
    }
    for (const url of ['http://example.org/in', 'http://10.0.0.5/in', 'http://127.0.0.1.example.org/in']) {
      expect(() => endpointsFromEnv({ AGENCY_CSC_URL: url, AGENCY_CSC_SECRET: secret })).toThrow(/^AGENCY_CSC_URL must use https:\/\//);
    }
    expect(() => endpointsFromEnv({ AGENCY_CSC_URL: 'ftp://example.org/in', AGENCY_CSC_SECRET: secret })).toThrow(
      /^AGENCY_CSC_URL must be an https:\/\/ URL/,
    );
  });

  it('refuses an unparsable URL, naming the variable and not echoing the value', () => {
    let error: unknown;
    try {
      endpointsFromEnv({ AGENCY_IMMIGRATION_URL: 'not a url with-token-xyz', AGENCY_IMMIGRATION_SECRET: secret });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('AGENCY_IMMIGRATION_URL is not a valid URL');
  });

  it('refuses a secret shorter than the minimum, naming the variable and the minimum', () => {
    expect(() => endpointsFromEnv({ AGENCY_CSC_URL: 'https://csc.example', AGENCY_CSC_SECRET: 's'.repeat(31) })).toThrow(
      'AGENCY_CSC_SECRET is too short: it must be at least 32 characters',
    );
    expect(endpointsFromEnv({ AGENCY_CSC_URL: 'https://csc.example', AGENCY_CSC_SECRET: 's'.repeat(32) }).csc?.secret).toHaveLength(32);
  });
});
