// The audit trail's insert is retried when the store fails, and an event still not recorded is reported (counted for
// an alert), never silently dropped. Driven through a real HTTP server with the middleware, and a log that fails.
import express from 'express';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { AUDIT_RETRY_DELAYS_MS, auditTrail } from '../../api/audit.ts';
import type { AuditLog } from '../../store/index.ts';

type AuditEvent = Parameters<AuditLog['record']>[0];

/** A server with the audit trail and one route; `failures` inserts fail before one succeeds. */
async function serve(failures: number, retryDelaysMs: number[]) {
  const recorded: AuditEvent[] = [];
  let calls = 0;
  let lost = 0;
  const settled: (() => void)[] = [];
  const log = {
    record: async (e: AuditEvent) => {
      calls++;
      if (calls <= failures) throw new Error('the store is down');
      recorded.push(e);
      settled.forEach((f) => f());
    },
  };
  const app = express();
  app.use(
    (_req, res, next) => ((res.locals.principal = { id: 'OM1', kind: 'user', clientId: 'c', roles: ['practitioner'], areas: [] }), next()),
  );
  app.use(auditTrail(log, pino({ level: 'silent' }), { retryDelaysMs, onLost: () => (lost++, settled.forEach((f) => f())) }));
  app.get('/sentences/:id', (req, res) => ((res.locals.sentenceId = req.params.id), res.json({})));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const done = new Promise<void>((r) => settled.push(r));
  const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/sentences/S1`);
  await done; // recorded, or reported lost
  server.close();
  return { status: res.status, recorded, calls, lost: () => lost };
}

describe('the audit trail under a failing store', () => {
  it('retries after 0.25, 1 and 4 s in production (as the README says)', () => {
    expect(AUDIT_RETRY_DELAYS_MS).toEqual([250, 1000, 4000]);
  });

  it('retries a failed insert until it is recorded, once', async () => {
    const r = await serve(2, [1, 1, 1]);
    expect(r.status).toBe(200);
    expect(r.calls).toBe(3);
    expect(r.recorded.map((e) => [e.principal, e.route, e.sentenceId, e.status])).toEqual([['OM1', '/sentences/:id', 'S1', 200]]);
    expect(r.lost()).toBe(0);
  });

  it('reports an event it could not record after every retry', async () => {
    const r = await serve(10, [1, 1, 1]);
    expect(r.calls).toBe(4);
    expect(r.recorded).toEqual([]);
    expect(r.lost()).toBe(1);
  });
});
