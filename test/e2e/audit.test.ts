// The audit trail through HTTP with real tokens: each read and each command, allowed or refused, leaves exactly one
// event with the caller's principal, roles and client and the outcome; an auditor reads them at GET /audit; the
// case's holders see who has seen it; the table refuses to change or lose a row.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { londonDate, periodEnd } from '../../domain/dates.ts';
import { testDeps } from '../support/deps.ts';
import { communityOrder, uniqueId } from '../support/fixtures.ts';
import { eventually } from '../support/poll.ts';
import { freshDatabase } from '../support/store.ts';
import { openStore } from '../../store/index.ts';
import { useApiHarness } from '../support/temporal.ts';

const deps = testDeps();
const ctx = useApiHarness(deps);

async function call(who: string, method: string, path: string, body?: unknown): Promise<number> {
  const res = await fetch(`${ctx.base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await ctx.token(who)}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  await res.text();
  return res.status;
}

type Item = {
  principal: string;
  principalKind: string;
  roles: string[];
  clientId: string;
  method: string;
  route: string;
  command?: string;
  status: number;
};

describe('the audit trail', () => {
  it('records each read and command once, with who and the outcome, and shows who has seen the case', async () => {
    const today = londonDate(Date.now());
    const s = communityOrder(today, periodEnd(today, 12), {
      sentenceId: uniqueId('AUD'),
      provider: { providerCode: 'N07', areaCode: 'LDN' },
    });
    const id = s.sentenceId;
    expect(await call('case-system', 'POST', '/sentences', s)).toBe(201);
    expect(await call('practitioner-ldn', 'GET', `/sentences/${id}`)).toBe(200);
    expect(await call('practitioner-knt', 'GET', `/sentences/${id}`)).toBe(404);
    expect(await call('practitioner-ldn', 'POST', `/sentences/${id}/allocation`, { offenderManagerId: 'OM1' })).toBe(403);
    expect(await call('spo-ldn', 'POST', `/sentences/${id}/allocation`, { offenderManagerId: 'OM1' })).toBe(200);
    expect(await call('spo-ldn', 'POST', `/sentences/${id}/allocation`, { offenderManagerId: 'bad id!' })).toBe(400);
    expect(await call('operator', 'GET', '/metrics')).toBe(200); // no case data: not audited
    // An event lost after every retry would be counted here, for an alert (api/audit.ts): none is.
    const metrics = await (
      await fetch(`${ctx.base}/metrics`, { headers: { authorization: `Bearer ${await ctx.token('operator')}` } })
    ).text();
    expect(metrics).toMatch(/^so_audit_events_lost_total 0$/m);

    const read = async () => {
      const res = await fetch(`${ctx.base}/audit?sentenceId=${id}`, { headers: { authorization: `Bearer ${await ctx.token('auditor')}` } });
      expect(res.status).toBe(200);
      return ((await res.json()) as { items: Item[] }).items;
    };
    // The auditor's own reads are audited too: set apart here, checked below.
    const ofCase = (all: Item[]) => all.filter((i) => i.route !== '/audit');
    const items = ofCase(await eventually(read, (i) => ofCase(i).length >= 6, 'six audit events'));
    expect(items.map((i) => [i.principal, i.method, i.route, i.command ?? null, i.status])).toEqual([
      ['case-system', 'POST', '/sentences', null, 201],
      ['OM1', 'GET', '/sentences/:id', null, 200],
      ['OM9', 'GET', '/sentences/:id', null, 404],
      ['OM1', 'POST', '/sentences/:id/allocation', 'allocate', 403],
      ['SPO1', 'POST', '/sentences/:id/allocation', 'allocate', 200],
      ['SPO1', 'POST', '/sentences/:id/allocation', 'allocate', 400],
    ]);
    expect(items[0]).toMatchObject({ principalKind: 'client', roles: ['case-system'], clientId: 'case-system' });
    expect(items[1]).toMatchObject({ principalKind: 'user', roles: ['practitioner'], clientId: 'practitioner-ldn' });
    const again = await eventually(read, (i) => i.some((x) => x.route === '/audit'), 'the audit read itself');
    expect(again.find((x) => x.route === '/audit')).toMatchObject({ principal: 'AUD1', method: 'GET', status: 200 });
    expect(ofCase(again)).toHaveLength(6); // exactly one event each
    // Only auditors read the audit log.
    expect(await call('spo-ldn', 'GET', `/audit?sentenceId=${id}`)).toBe(403);
    // Who has seen this case (successful reads and commands), for its holders.
    const res = await fetch(`${ctx.base}/sentences/${id}`, { headers: { authorization: `Bearer ${await ctx.token('spo-ldn')}` } });
    const seen = ((await res.json()) as { seenBy: { principal: string; times: number }[] }).seenBy;
    expect(seen.map((x) => x.principal).sort()).toEqual(['AUD1', 'OM1', 'SPO1', 'case-system']);
  });

  it('refuses to change or delete an audit event', async () => {
    const url = await freshDatabase();
    const store = await openStore(url, { max: 1 });
    const event = {
      principal: 'OM1',
      principalKind: 'user' as const,
      roles: ['practitioner'],
      clientId: 'c',
      method: 'GET',
      route: '/x',
      status: 200,
    };
    await store.audit.record(event);
    await store.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await expect(client.query(`UPDATE audit_events SET status = 200`)).rejects.toThrow('audit_events is append-only');
      await expect(client.query(`DELETE FROM audit_events`)).rejects.toThrow('audit_events is append-only');
      await expect(client.query(`TRUNCATE audit_events`)).rejects.toThrow('audit_events is append-only');
      expect((await client.query(`SELECT count(*)::int AS n FROM audit_events`)).rows).toEqual([{ n: 1 }]);
    } finally {
      await client.end();
    }
  });
});
