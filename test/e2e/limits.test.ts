// The API's edge bounds through HTTP: a burst past a client's budget gets 429 with Retry-After while another client
// is still served; security headers on every answer; CORS closed to origins not configured, open to one that is.
import { describe, expect, it } from 'vitest';
import { testDeps } from '../support/deps.ts';
import { useApiHarness } from '../support/temporal.ts';

const deps = testDeps();
const ctx = useApiHarness(deps, [], { limits: { requestsPerMinute: 20, corsOrigins: ['https://ui.example.test'] } });

const get = async (who: string, headers: Record<string, string> = {}) =>
  fetch(`${ctx.base}/sentences?limit=1`, { headers: { authorization: `Bearer ${await ctx.token(who)}`, ...headers } });

describe('the edge', () => {
  it('answers 429 with Retry-After past one client\u2019s budget, and keeps serving the others', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await get('practitioner-ldn')).status);
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429, 429, 429, 429]);
    const limited = await get('practitioner-ldn');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { error: string }).error).toMatch(/more than 20 requests a minute/);
    expect((await get('spo-ldn')).status).toBe(200);
  });

  it('sends security headers, and CORS only to a configured origin', async () => {
    const res = await get('spo-ldn', { origin: 'https://evil.example.test' });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=/);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const ok = await get('spo-ldn', { origin: 'https://ui.example.test' });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://ui.example.test');
    const preflight = await fetch(`${ctx.base}/sentences`, { method: 'OPTIONS', headers: { origin: 'https://evil.example.test' } });
    expect(preflight.status).toBe(401); // no CORS answer: the browser stops there
  });
});
