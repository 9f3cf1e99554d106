// The API's edge bounds through HTTP: a burst past a client's budget gets 429 with Retry-After while another client
// is still served; security headers on every answer; CORS closed to origins not configured, open to one that is; every
// class of request that body parsing and routing refuse answered with its 4xx and the reason, never a 500.
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { londonDate, periodEnd } from '../../domain/dates.ts';
import { testDeps } from '../support/deps.ts';
import { communityOrder, uniqueId } from '../support/fixtures.ts';
import { eventually } from '../support/poll.ts';
import { useApiHarness } from '../support/temporal.ts';

const deps = testDeps();
const ctx = useApiHarness(deps, [], {
  limits: { requestsPerMinute: 20, corsOrigins: ['https://ui.example.test'], commandsPerCasePerMinute: 5 },
});

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
    // Refused or not, every authenticated request is audited: the 429s too.
    const refusals = async () => (await deps.store.audit.query({ principal: 'OM1', limit: 1000 })).filter((e) => e.status === 429);
    expect((await eventually(refusals, (r) => r.length >= 6, 'the 429s audited')).length).toBe(6);
  });

  it('sends security headers, and CORS only to a configured origin', async () => {
    const res = await get('spo-ldn', { origin: 'https://evil.example.test' });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=/);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const ok = await get('spo-ldn', { origin: 'https://ui.example.test' });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://ui.example.test');
    expect(ok.headers.get('access-control-expose-headers')).toBe('location, retry-after, x-request-id, ratelimit, ratelimit-policy');
    expect(ok.headers.get('access-control-allow-headers')).toContain('prefer');
    const preflight = await fetch(`${ctx.base}/sentences`, { method: 'OPTIONS', headers: { origin: 'https://evil.example.test' } });
    expect(preflight.status).toBe(401); // no CORS answer: the browser stops there
  });
});

/** One raw request (node:http, so that any header and any bytes can be sent). */
function raw(path: string, opts: { method?: string; headers?: Record<string, string>; body?: Buffer | string }) {
  return new Promise<{ status: number; body: { error?: string } }>((resolve, reject) => {
    const req = request(`${ctx.base}${path}`, { method: opts.method ?? 'POST', headers: opts.headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as { error?: string } }));
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

describe('requests the edge refuses, each with its 4xx', () => {
  const json = { 'content-type': 'application/json' };
  const cases: [string, string, Parameters<typeof raw>[1], number, string][] = [
    [
      'a non-UTF-8 charset',
      '/sentences',
      { headers: { 'content-type': 'application/json; charset=latin1' }, body: '{}' },
      415,
      'the body must be UTF-8 (charset latin1 is not accepted)',
    ],
    [
      'UTF-16 declared',
      '/sentences',
      { headers: { 'content-type': 'application/json; charset=utf-16' }, body: '{}' },
      415,
      'the body must be UTF-8 (charset utf-16 is not accepted)',
    ],
    [
      'an unknown Content-Encoding',
      '/sentences',
      { headers: { ...json, 'content-encoding': 'x-unknown' }, body: '{}' },
      415,
      'Content-Encoding must be one of identity, gzip, deflate or br, applied once (unsupported content encoding "x-unknown")',
    ],
    [
      'a stacked Content-Encoding',
      '/sentences',
      { headers: { ...json, 'content-encoding': 'gzip, gzip' }, body: gzipSync(gzipSync('{}')) },
      415,
      'Content-Encoding must be one of identity, gzip, deflate or br, applied once (unsupported content encoding "gzip, gzip")',
    ],
    [
      'gzip on a body that is not gzip',
      '/sentences',
      { headers: { ...json, 'content-encoding': 'gzip' }, body: '{}' },
      400,
      'the body could not be read: incorrect header check',
    ],
    [
      'a text/plain body (a browser\u2019s simple request)',
      '/sentences/S1/plan',
      { headers: { 'content-type': 'text/plain' }, body: '{}' },
      415,
      'send the body as JSON: Content-Type: application/json (an empty command is {})',
    ],
    [
      'a form body',
      '/sentences/S1/plan',
      { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' },
      415,
      'send the body as JSON: Content-Type: application/json (an empty command is {})',
    ],
    [
      'no Content-Type at all',
      '/sentences/S1/plan',
      { body: '{}' },
      415,
      'send the body as JSON: Content-Type: application/json (an empty command is {})',
    ],
    ['malformed JSON', '/sentences', { headers: json, body: '{"a":' }, 400, 'malformed JSON body'],
  ];
  it.each(cases)('%s', async (_what, path, opts, status, error) => {
    const res = await raw(path, opts);
    expect([res.status, res.body.error]).toEqual([status, error]);
  });

  it('a malformed percent-encoding in the sentence id', async () => {
    const res = await raw('/sentences/%zz', { method: 'GET', headers: { authorization: `Bearer ${await ctx.token('nps-officer')}` } });
    expect([res.status, res.body.error]).toEqual([400, 'the path has malformed percent-encoding']);
  });

  it('a gzip-compressed JSON body, once, is read', async () => {
    const body = gzipSync(JSON.stringify({ notAField: true }));
    const headers = { ...json, 'content-encoding': 'gzip', authorization: `Bearer ${await ctx.token('case-system')}` };
    const res = await raw('/sentences', { headers, body });
    expect(res.status).toBe(400); // read and validated: the body is not a sentence
    expect(res.body.error).toBe('invalid sentence');
  });
});

describe('a budget per case', () => {
  it('refuses commands past one case\u2019s budget with 429 and Retry-After, before they reach its workflow, and serves another case', async () => {
    const today = londonDate(Date.now());
    const [a, b] = [uniqueId('FLA'), uniqueId('FLB')].map((sentenceId) => communityOrder(today, periodEnd(today, 12), { sentenceId }));
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${await ctx.token('case-system')}` };
    for (const s of [a!, b!])
      expect((await fetch(`${ctx.base}/sentences`, { method: 'POST', headers, body: JSON.stringify(s) })).status).toBe(201);
    const risk = (id: string) =>
      fetch(`${ctx.base}/sentences/${id}/risk`, {
        method: 'POST',
        headers: { ...headers, prefer: 'respond-async' },
        body: JSON.stringify({ roshLevel: 'medium', sourceCode: 'police', by: 'OM1' }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await risk(a!.sentenceId)).status);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    const refused = await risk(a!.sentenceId);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: string }).error).toBe(
      'more than 5 commands a minute to this case: retry after the Retry-After seconds',
    );
    expect((await risk(b!.sentenceId)).status).toBe(202);
  });

  it('gives back the share of a command answered 404, so nobody uses up the budget of a case they cannot see', async () => {
    const today = londonDate(Date.now());
    const s = communityOrder(today, periodEnd(today, 12), {
      sentenceId: uniqueId('FLC'),
      provider: { providerCode: 'N07', areaCode: 'LDN' },
    });
    const system = { 'content-type': 'application/json', authorization: `Bearer ${await ctx.token('case-system')}` };
    expect((await fetch(`${ctx.base}/sentences`, { method: 'POST', headers: system, body: JSON.stringify(s) })).status).toBe(201);
    const risk = async (who: string, extra: Record<string, string> = {}) =>
      (
        await fetch(`${ctx.base}/sentences/${s.sentenceId}/risk`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await ctx.token(who)}`, ...extra },
          body: JSON.stringify({ roshLevel: 'medium', sourceCode: 'police', ...(who === 'case-system' && { by: 'OM1' }) }),
        })
      ).status;
    // Kent's practitioner may not see a London case: each valid command is refused by the workflow, 404.
    const outside: number[] = [];
    for (let i = 0; i < 7; i++) outside.push(await risk('practitioner-knt'));
    expect(outside).toEqual([404, 404, 404, 404, 404, 404, 404]);
    // The case's five a minute are all still there for those who hold it.
    const inside: number[] = [];
    for (let i = 0; i < 6; i++) inside.push(await risk('case-system', { prefer: 'respond-async' }));
    expect(inside).toEqual([202, 202, 202, 202, 202, 429]);
  });
});
