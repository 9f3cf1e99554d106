// Messages to people, with a worker and a dev server. GOV.UK Notify cannot be reached from here, so the project's real
// client (notifications-node-client) talks to a local receiver at Notify's API path, which checks each request's JSON
// Web Token as Notify does (HS256 with the key's secret, issued by the service). An alert goes to the area's manager of
// an unallocated case, with the right template and only its fields, once, and it is retried after a 5xx. The daily
// digest Schedule sends one message per person with the right cases, and again that day sends nothing more. The signed
// webhook is checked by the receiver's verify().
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { people } from '../../activities/people.ts';
import { verify } from '../../activities/http.ts';
import { londonDate, periodEnd } from '../../domain/dates.ts';
import { ensureDigestSchedule } from '../../worker/schedules.ts';
import { testDeps } from '../support/deps.ts';
import { communityOrder, uniqueId } from '../support/fixtures.ts';
import { eventually } from '../support/poll.ts';
import { useApiHarness } from '../support/temporal.ts';

const SERVICE_ID = randomUUID();
const SECRET = randomUUID();
const API_KEY = `so-test-${SERVICE_ID}-${SECRET}`;
const TEMPLATES = { alert: randomUUID(), digest: randomUUID() };

/** A local stand-in for Notify's POST /v2/notifications/email: checks the token, keeps each body, fails when told. */
interface Received {
  body: { template_id: string; email_address: string; personalisation: Record<string, string>; reference: string };
  raw: string;
}
const received: Received[] = [];
const failNext: Record<string, number> = {};
let receiver: Server;
let receiverUrl = '';

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', async () => {
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      try {
        await jwtVerify(token, new TextEncoder().encode(SECRET), { issuer: SERVICE_ID, algorithms: ['HS256'] });
      } catch {
        res.writeHead(403).end(JSON.stringify({ errors: [{ error: 'AuthError' }] }));
        return;
      }
      if (req.method !== 'POST' || req.url !== '/v2/notifications/email') {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(raw) as Received['body'];
      received.push({ body, raw });
      // References the tests choose: a refusal (Notify's 400) and a redirect elsewhere.
      if (body.reference.startsWith('refuse/')) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ error: 'BadRequestError' }] }));
        return;
      }
      if (body.reference.startsWith('redirect/')) {
        res.writeHead(302, { location: 'http://elsewhere.example/v2/notifications/email' }).end();
        return;
      }
      const prefix = Object.keys(failNext).find((p) => body.reference.startsWith(p) && failNext[p]! > 0);
      if (prefix) {
        failNext[prefix]!--;
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ error: 'Exception' }] }));
        return;
      }
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: randomUUID(), reference: body.reference }));
    });
  });
  receiver.listen(0, '127.0.0.1');
  await new Promise((r) => receiver.once('listening', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => receiver.close(r)));

const base = testDeps();
const directory = {
  staff: { OM1: { email: 'om1@probation.example' }, SPO1: { email: 'spo1@probation.example' } },
  areaManagers: { LDN: ['SPO1'] },
};
// The people channel reads the receiver's address when it first sends (the receiver starts before the worker).
const deps = {
  ...base,
  work: base.store.work,
  get people() {
    return people(
      {
        channel: 'notify',
        directory,
        publicUrl: 'https://so.example',
        notify: { apiKey: API_KEY, baseUrl: receiverUrl, templates: TEMPLATES },
      },
      base.store.people,
    );
  },
};
const ctx = useApiHarness(deps);

async function start(s: ReturnType<typeof communityOrder>) {
  const res = await fetch(`${ctx.base}/sentences`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await ctx.token('case-system')}` },
    body: JSON.stringify(s),
  });
  expect(res.status).toBe(201);
}
/** An alert that a case's plan is overdue, held by OM1 in London. */
const overduePlan = (idempotencyKey: string, sentenceId: string) => ({
  idempotencyKey,
  sentenceId,
  kind: 'deadline-overdue' as const,
  deadlineId: 'plan',
  label: 'Plan within 15 business days of the first appointment',
  dueDate: '2026-12-16',
  overdueSince: '2026-12-17T00:00:00.000Z',
  offenderManagerId: 'OM1',
  areaCode: 'LDN',
});

const inArea = (areaCode: string, sentenceDate = londonDate(Date.now())) =>
  communityOrder(sentenceDate, periodEnd(sentenceDate, 12), { sentenceId: uniqueId('PPL'), provider: { providerCode: 'N07', areaCode } });

describe('an alert, by GOV.UK Notify', () => {
  it('goes to the manager of an unallocated case\u2019s area, with the alert template and only its fields, once, after a 5xx', async () => {
    // Sentenced 30 days ago and never allocated: the first appointment is overdue from the start.
    const s = inArea('LDN', londonDate(Date.now() - 30 * 86_400_000));
    const prefix = `sentence-${s.sentenceId}/deadline-overdue/first-appointment`;
    failNext[prefix] = 2;
    await start(s);
    const mine = () => received.filter((r) => r.body.reference.startsWith(prefix));
    await eventually(
      async () => mine(),
      (l) => l.length >= 3,
      'the alert sent after two 5xx answers',
      300,
    );
    const [first, , last] = mine();
    // Three requests for one message: the same reference each time, retried by the activity.
    expect(new Set(mine().map((r) => r.body.reference)).size).toBe(1);
    expect(last!.raw).toBe(first!.raw);
    expect(last!.body).toEqual({
      template_id: TEMPLATES.alert,
      email_address: 'spo1@probation.example',
      reference: `${prefix}/to/SPO1`,
      personalisation: {
        case: s.sentenceId,
        what: 'First appointment within 5 business days of sentence',
        due: last!.body.personalisation.due,
        link: `https://so.example/cases/${s.sentenceId}`,
      },
    });
    expect(last!.body.personalisation.due).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // Nothing of the person: no case reference, none of their characteristics.
    expect(last!.raw).not.toContain(s.caseReference);
    expect(last!.raw).not.toMatch(/male|roshLevel|medium|offender/);
    const logged = (await base.store.people.list('SPO1')).find((m) => m.key === `${prefix}/to/SPO1`);
    expect(logged).toMatchObject({ status: 'sent', channel: 'notify', kind: 'alert', attempts: 3 });
  });
});

describe('a message Notify refuses', () => {
  it('is refused for good on a 4xx and on a redirect (not followed), and logged so', async () => {
    const p = people(
      {
        channel: 'notify',
        directory,
        publicUrl: 'https://so.example',
        notify: { apiKey: API_KEY, baseUrl: receiverUrl, templates: TEMPLATES },
      },
      base.store.people,
    );
    for (const prefix of ['refuse', 'redirect']) {
      const alert = overduePlan(`${prefix}/${uniqueId('N')}`, 'N1');
      const failed = await p.alert(alert).then(
        () => undefined,
        (e: unknown) => e as { nonRetryable?: boolean; type?: string },
      );
      expect([failed?.type, failed?.nonRetryable]).toEqual(['PersonNotificationRejected', true]);
      const logged = (await base.store.people.list('OM1')).find((m) => m.key === `${alert.idempotencyKey}/to/OM1`);
      expect(logged).toMatchObject({ status: 'rejected', attempts: 1 });
    }
  });
});

describe('the daily digest Schedule', () => {
  it('sends each person one message with their cases due this week, and nothing more that day', async () => {
    const held = inArea('LDN');
    const waiting = inArea('LDN');
    const kent = inArea('KNT');
    for (const s of [held, waiting, kent]) await start(s);
    const allocate = async (id: string, who: string, om: string) =>
      fetch(`${ctx.base}/sentences/${id}/allocation`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await ctx.token(who)}` },
        body: JSON.stringify({ offenderManagerId: om }),
      });
    expect((await allocate(held.sentenceId, 'spo-ldn', 'OM1')).status).toBe(200);
    expect((await allocate(kent.sentenceId, 'spo-knt', 'OM9')).status).toBe(200);
    // The store has the allocations (the read model follows each case).
    await eventually(
      () => base.store.work.dueBy({ on: londonDate(Date.now()), until: '2999-01-01' }),
      (items) => items.some((i) => i.sentenceId === held.sentenceId && i.holder === 'OM1') && items.some((i) => i.holder === 'OM9'),
      'the allocations in the store',
    );

    const scheduleId = uniqueId('digest');
    expect(await ensureDigestSchedule(ctx.env.client, { scheduleId })).toBe(true);
    expect(await ensureDigestSchedule(ctx.env.client, { scheduleId })).toBe(false);
    const schedule = ctx.env.client.schedule.getHandle(scheduleId);
    try {
      const digests = () => received.filter((r) => r.body.template_id === TEMPLATES.digest);
      await schedule.trigger();
      await eventually(
        async () => digests(),
        (l) => l.length >= 2,
        'the digests',
        300,
      );
      const on = londonDate(Date.now());
      const byEmail = Object.fromEntries(digests().map((d) => [d.body.email_address, d.body]));
      expect(Object.keys(byEmail).sort()).toEqual(['om1@probation.example', 'spo1@probation.example']);
      expect(byEmail['om1@probation.example']!.reference).toBe(`digest/${on}/OM1`);
      expect(byEmail['om1@probation.example']!.personalisation.cases).toMatch(new RegExp(`^${held.sentenceId} \\(\\d+\\)$`));
      // The manager's: the unallocated cases of London, this one among them; never the case OM1 holds, nor Kent's.
      const managers = byEmail['spo1@probation.example']!.personalisation.cases!;
      expect(managers).toContain(waiting.sentenceId);
      expect(managers).not.toContain(held.sentenceId);
      expect(managers).not.toContain(kent.sentenceId);
      // OM9 has no address: the digest is held in the store, not sent.
      expect((await base.store.people.list('OM9')).map((m) => `${m.key} ${m.status}`)).toEqual([`digest/${on}/OM9 held`]);

      // Run again the same day: every person's message was sent already.
      const runs = async () => {
        let n = 0;
        for await (const _ of ctx.env.client.workflow.list({ query: `WorkflowType = 'digestWorkflow' AND ExecutionStatus = 'Completed'` }))
          n++;
        return n;
      };
      // A trigger while the first run is still running would be skipped (the Schedule's overlap policy): wait for it.
      await eventually(runs, (n) => n >= 1, 'the first digest run completed', 300);
      const before = digests().length;
      await schedule.trigger();
      await eventually(runs, (n) => n >= 2, 'the second digest run completed', 300);
      expect(digests().length).toBe(before);
    } finally {
      await schedule.delete();
    }
  });
});

describe('a message by signed webhook', () => {
  it('is signed over its timestamp, key and body, and sent once', async () => {
    const bodies: { raw: string; headers: Record<string, string | string[] | undefined> }[] = [];
    const hook = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      req.on('end', () => {
        bodies.push({ raw, headers: req.headers });
        res.writeHead(204).end();
      });
    });
    hook.listen(0, '127.0.0.1');
    await new Promise((r) => hook.once('listening', r));
    try {
      const secret = 'a-webhook-secret-of-thirty-two-characters';
      const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/people`;
      const p = people({ channel: 'webhook', directory, publicUrl: 'https://so.example', webhook: { url, secret } }, base.store.people);
      const alert = overduePlan(`sentence-${uniqueId('HOOK')}/deadline-overdue/plan`, 'HOOK1');
      expect(await p.alert(alert)).toEqual({ sent: 1, held: 0 });
      expect(await p.alert(alert)).toEqual({ sent: 0, held: 0 });
      expect(bodies).toHaveLength(1);
      const [{ raw, headers }] = bodies as [(typeof bodies)[number]];
      const key = String(headers['idempotency-key']);
      expect(key).toBe(`${alert.idempotencyKey}/to/OM1`);
      const ts = String(headers['x-signature-timestamp']);
      expect(verify(secret, ts, key, raw, String(headers['x-signature']), Math.floor(Date.now() / 1000))).toBe(true);
      expect(verify(secret, ts, key, raw.replace('HOOK1', 'HOOK2'), String(headers['x-signature']), Math.floor(Date.now() / 1000))).toBe(
        false,
      );
      expect(JSON.parse(raw)).toEqual({
        key,
        staffId: 'OM1',
        kind: 'alert',
        personalisation: { case: 'HOOK1', what: alert.label, due: '2026-12-16', link: 'https://so.example/cases/HOOK1' },
      });
    } finally {
      await new Promise((r) => hook.close(r));
    }
  });
});
