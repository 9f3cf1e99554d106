// Every route in the OpenAPI document, called once at least through HTTP against a worker and a dev server, each answer
// checked against the document by the harness (test/support/openapi.ts); then that every route was checked. Also: the
// reference page at /docs under the API's CSP, and GET /sentences a page at a time with Temporal's page token.
import { describe, expect, it } from 'vitest';
import { HTTP_COMMANDS } from '../../api/commands.ts';
import { openApiDocument } from '../../api/openapi.ts';
import { londonDate, periodEnd } from '../../domain/dates.ts';
import { BREACH_RECOMMENDATIONS } from '../../domain/enforcement.ts';
import { configuredDeps } from '../../activities/index.ts';
import { testDeps } from '../support/deps.ts';
import { communityOrder, uniqueId } from '../support/fixtures.ts';
import { checked } from '../support/openapi.ts';
import { eventually } from '../support/poll.ts';
import { useApiHarness } from '../support/temporal.ts';

const base = testDeps();
const ctx = useApiHarness({ ...base, ...configuredDeps(base.store, {}) });
const today = londonDate(Date.now());

type Body = Record<string, unknown>;
async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${ctx.base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await ctx.token()}`, ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const type = res.headers.get('content-type') ?? '';
  return {
    status: res.status,
    type,
    csp: res.headers.get('content-security-policy'),
    body: (type.includes('json') ? await res.json() : await res.text()) as Body,
  };
}

const inArea = (area: string) =>
  communityOrder(today, periodEnd(today, 12), { sentenceId: uniqueId('OAS'), provider: { providerCode: 'N07', areaCode: area } });

describe('every route answers as the OpenAPI document says', () => {
  it('the sentences, their reads and every command (accepted, refused or malformed)', async () => {
    const s = inArea('LDN');
    const id = s.sentenceId;
    expect((await call('POST', '/sentences', s)).status).toBe(201);
    expect((await call('POST', '/sentences', s)).status).toBe(200);
    expect((await call('GET', `/sentences/${id}`)).status).toBe(200);
    expect((await call('GET', `/sentences/${id}/summary`)).status).toBe(200);
    expect((await call('GET', `/sentences/${id}/outputs`)).status).toBe(200);
    // The refusal in the document's example is the API's own.
    const refused = await call('POST', `/sentences/${id}/plan`, {});
    const plan = openApiDocument().paths['/sentences/{id}/plan'] as {
      post: { responses: Record<number, { content: Record<string, { examples: Body }> }> };
    };
    const example = plan.post.responses[409]!.content['application/problem+json']!.examples.notValidInPhase as { value: Body };
    expect(refused).toMatchObject({ status: 409, body: example.value });
    expect((await call('POST', `/sentences/${id}/allocation`, { offenderManagerId: 'OM1' })).status).toBe(200);
    expect((await call('POST', `/sentences/${id}/first-appointment`, {}, { Prefer: 'return=representation' })).status).toBe(200);
    expect((await call('POST', `/sentences/${id}/risk`, { sourceCode: 'OASYS', by: 'OM1' }, { Prefer: 'respond-async' })).status).toBe(202);
    for (const { route } of Object.values(HTTP_COMMANDS)) {
      // Every other command once, with a body it cannot take: answered 400 (or 409, or 200 where nothing is needed).
      const r = await call('POST', `/sentences/${id}/${route}`, { unknownField: true });
      expect([400, 409], route).toContain(r.status);
    }
    expect((await call('GET', `/sentences/${id}/letters/warning/no-such-failure`)).status).toBe(404);
    const breach = `/sentences/${id}/letters/breach-report/no-such-failure`;
    expect((await call('GET', breach)).status).toBe(400);
    expect((await call('GET', `${breach}?recommendation=${Object.keys(BREACH_RECOMMENDATIONS.CO)[0]}`)).status).toBe(404);
    expect((await call('GET', '/sentences/no-such-case')).status).toBe(404);
  });

  it('the work, the reports, the logs and what needs no token', async () => {
    const s = inArea('LDN');
    expect((await call('POST', '/sentences', s)).status).toBe(201);
    for (const path of [
      '/worklist',
      '/caseload',
      '/alerts?all=true',
      '/team?area=LDN',
      '/reports/conformance',
      '/metrics',
      '/audit?limit=5',
    ])
      expect((await call('GET', path)).status, path).toBe(200);
    expect((await call('GET', '/reports/conformance?source=workflows&area=LDN')).status).toBe(200);
    expect((await call('GET', `/deliveries?sentenceId=${s.sentenceId}`)).status).toBe(200);
    expect((await call('POST', `/sentences/${s.sentenceId}/alerts/acknowledgement`, { key: 'no-such-alert' })).status).toBe(404);
    expect((await call('GET', '/worklist?cursor=%21')).status).toBe(400);
    for (const path of ['/health', '/health/live', '/health/ready', '/openapi.json', '/problems', '/problems/not-valid-in-phase', '/docs'])
      expect((await fetch(`${ctx.base}${path}`)).status, path).toBe(200);
    expect((await fetch(`${ctx.base}/sentences`)).status).toBe(401);
  });

  it('serves the reference page at /docs without a token, from this origin only, under the API\u2019s CSP', async () => {
    const page = await fetch(`${ctx.base}/docs`);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('data-url="/openapi.json"');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    const scripts = [...html.matchAll(/<script src="([^"]+)"><\/script>/g)].map((m) => m[1]!);
    expect(scripts).toEqual(['/docs/assets/swagger-ui-bundle.js', '/docs/init.js']);
    expect(html).not.toMatch(/<script>/); // no inline script: none is allowed
    for (const asset of [...scripts, '/docs/assets/swagger-ui.css']) {
      const r = await fetch(`${ctx.base}${asset}`);
      expect(r.status, asset).toBe(200);
      expect((await r.arrayBuffer()).byteLength, asset).toBeGreaterThan(100);
    }
  });

  it('lists sentences a page at a time: every case once, the cursor tied to its filter', async () => {
    const area = `PG${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
    const cases = Array.from({ length: 7 }, () => inArea(area));
    for (const s of cases) expect((await call('POST', '/sentences', s)).status).toBe(201);
    await eventually(
      () => call('GET', `/sentences?area=${area}&limit=100`),
      (r) => (r.body.items as unknown[]).length === 7,
      'all seven listed',
    );
    const seen: string[] = [];
    let next: string | null = null;
    let pages = 0;
    do {
      const r = await call('GET', `/sentences?area=${area}&limit=3${next ? `&cursor=${next}` : ''}`);
      expect(r.status).toBe(200);
      const items = r.body.items as { sentenceId: string }[];
      expect(items.length).toBeLessThanOrEqual(3);
      seen.push(...items.map((i) => i.sentenceId));
      next = r.body.next as string | null;
      if (pages++ === 0) {
        expect(next).toMatch(/^[A-Za-z0-9_-]+$/);
        const other = await call('GET', `/sentences?area=LDN&limit=3&cursor=${next}`);
        expect(other).toMatchObject({ status: 400, body: { problems: [{ path: 'cursor' }] } });
      }
    } while (next && pages < 10);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(seen.sort()).toEqual(cases.map((c) => c.sentenceId).sort());
    expect((await call('GET', `/sentences?area=${area}&cursor=not-a-cursor`)).status).toBe(400);
  });

  it('has checked an answer of every route in the document', () => {
    const paths = openApiDocument().paths as Record<string, object>;
    const all = Object.entries(paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(all.filter((r) => !checked.has(r))).toEqual([]);
  });
});
