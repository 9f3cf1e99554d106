import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { endpointsFromEnv, sign, verify } from '../../activities/http.ts';

describe('signed delivery', () => {
  it('signs the timestamp and body with HMAC-SHA256, as a receiver can check independently', () => {
    const body = '{"a":1}';
    expect(sign('k', 1700000000, body)).toBe(`v1=${createHmac('sha256', 'k').update(`1700000000.${body}`).digest('hex')}`);
    expect(verify('k', '1700000000', body, sign('k', 1700000000, body), 1700000100)).toBe(true);
    expect(verify('k', '1700000000', '{"a":2}', sign('k', 1700000000, body), 1700000100)).toBe(false);
    expect(verify('other', '1700000000', body, sign('k', 1700000000, body), 1700000100)).toBe(false);
    expect(verify('k', '1700000000', body, sign('k', 1700000000, body), 1700000000 + 301)).toBe(false); // too old
    expect(verify('k', 'soon', body, sign('k', 1700000000, body), 1700000000)).toBe(false);
  });

  it('reads endpoints from the environment and refuses an unsigned one', () => {
    expect(endpointsFromEnv({})).toEqual({});
    expect(endpointsFromEnv({ AGENCY_CSC_URL: 'https://csc.example/notify', AGENCY_CSC_SECRET: 's' })).toEqual({
      csc: { url: 'https://csc.example/notify', secret: 's' },
    });
    expect(() => endpointsFromEnv({ AGENCY_POLICE_URL: 'https://police.example' })).toThrow(/AGENCY_POLICE_SECRET/);
  });
});
