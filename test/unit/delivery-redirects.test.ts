// Deliveries that cannot be redirected or replayed, against real HTTP receivers on 127.0.0.1 and the project's real
// delivery log (PostgreSQL): a 3xx is never followed (the redirect's target gets nothing) and is a permanent rejection;
// each request carries a v2 signature that the receiver-side verifier accepts once and refuses as a replay after.
import { ApplicationFailure } from '@temporalio/common';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createReceiverVerifier, loggedDelivery, type ReceiverVerdict } from '../../activities/http.ts';
import { outputMessage } from '../support/fixtures.ts';
import { fileStore } from '../support/store.ts';

const SECRET = 'redirect-test-secret-0123456789abcdef';

interface Seen {
  url: string;
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
}

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

async function receiver(handle: Handler): Promise<{ server: Server; base: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', method: req.method ?? '', headers: req.headers, body });
      handle(req, body, res);
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

let elsewhere: Awaited<ReturnType<typeof receiver>>;
let redirecting: Awaited<ReturnType<typeof receiver>>;
let verifying: Awaited<ReturnType<typeof receiver>>;
const verdicts: ReceiverVerdict[] = [];
let loseNextAnswer = false;

beforeAll(async () => {
  elsewhere = await receiver((_req, _body, res) => void res.writeHead(200).end('ok'));
  // /<status> answers that redirect to the other receiver, with a path and query that must not appear in any message
  redirecting = await receiver((req, _body, res) => {
    const status = Number(req.url!.split('/')[1]);
    res.writeHead(status, { location: `${elsewhere.base}/steal?token=secret-token` }).end('moved');
  });
  const check = createReceiverVerifier({ secret: SECRET });
  verifying = await receiver((req, body, res) => {
    const verdict = check.check({
      timestamp: String(req.headers['x-signature-timestamp']),
      idempotencyKey: String(req.headers['idempotency-key']),
      body,
      signature: String(req.headers['x-signature']),
    });
    verdicts.push(verdict);
    if (verdict === 'invalid') return void res.writeHead(401).end('bad signature');
    if (loseNextAnswer) {
      loseNextAnswer = false;
      return void res.writeHead(503).end('acted on it, but the answer is lost'); // the sender must retry
    }
    res.writeHead(200).end(verdict); // a replayed key: 2xx, without acting again
  });
});

afterAll(async () => {
  for (const r of [elsewhere, redirecting, verifying]) await new Promise((done) => r?.server.close(done));
});

/** The delivery's failure (it must throw). */
async function failure(p: Promise<unknown>): Promise<ApplicationFailure> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ApplicationFailure);
  return e as ApplicationFailure;
}

describe('a delivery answered with a redirect', () => {
  it.each([301, 302, 303, 307, 308])(
    'is not followed on %i: a permanent rejection, logged, and the target gets nothing',
    async (status) => {
      const { deliveries } = await fileStore();
      const sentenceId = `R${status}`;
      const msg = outputMessage(`${sentenceId}/output/2.csc`, sentenceId);
      const outbox = loggedDelivery({ csc: { url: `${redirecting.base}/${status}/in`, secret: SECRET } }, deliveries);
      const before = redirecting.seen.length;

      const e = await failure(outbox.deliver(msg));

      expect(e.nonRetryable).toBe(true);
      expect(e.type).toBe('DeliveryRejected');
      expect(e.message).toBe(
        `csc answered a redirect (${status} to ${elsewhere.base}); redirects are not followed: the message was not delivered`,
      );
      expect(e.message).not.toMatch(/steal|token/);
      expect(elsewhere.seen).toEqual([]); // not followed, neither as a GET nor as a re-POST of the signed body
      expect(redirecting.seen.length).toBe(before + 1); // one POST to the configured endpoint, and only that
      expect(redirecting.seen.at(-1)).toMatchObject({ method: 'POST', url: `/${status}/in` });
      const [row] = await deliveries.list(sentenceId);
      expect(row).toMatchObject({ status: 'rejected', lastError: e.message });
      expect(row!.deliveredAt).toBeNull();
    },
  );

  it('names only the endpoint origin for a relative Location, and nothing for none', async () => {
    const bare = await receiver((req, _body, res) => {
      if (req.url === '/relative') res.writeHead(302, { location: '/other/path?q=1' }).end();
      else res.writeHead(300).end();
    });
    try {
      const { deliveries } = await fileStore();
      const relative = loggedDelivery({ csc: { url: `${bare.base}/relative`, secret: SECRET } }, deliveries);
      const e1 = await failure(relative.deliver(outputMessage('RL/output/2.csc', 'RL')));
      expect(e1.message).toBe(`csc answered a redirect (302 to ${bare.base}); redirects are not followed: the message was not delivered`);
      const none = loggedDelivery({ csc: { url: `${bare.base}/none`, secret: SECRET } }, deliveries);
      const e2 = await failure(none.deliver(outputMessage('RN/output/2.csc', 'RN')));
      expect(e2).toMatchObject({ nonRetryable: true, type: 'DeliveryRejected' });
      expect(e2.message).toBe('csc answered a redirect (300); redirects are not followed: the message was not delivered');
      expect(bare.seen.map((s) => s.url)).toEqual(['/relative', '/none']);
    } finally {
      await new Promise((done) => bare.server.close(done));
    }
  });
});

describe('a delivery to a receiver that verifies it', () => {
  it('carries a v2 signature the receiver accepts once; the identical request again is replayed', async () => {
    const { deliveries } = await fileStore();
    const msg = outputMessage('V1/output/2.csc', 'V1');
    const outbox = loggedDelivery({ csc: { url: `${verifying.base}/in`, secret: SECRET } }, deliveries);
    verdicts.length = 0;

    expect(await outbox.deliver(msg)).toBe(true);

    const [req] = verifying.seen.slice(-1);
    expect(req!.headers['x-signature']).toMatch(/^v2=[0-9a-f]{64}$/);
    expect(req!.headers['idempotency-key']).toBe('V1/output/2.csc');
    expect(JSON.parse(req!.body)).toEqual(msg);
    expect(verdicts).toEqual(['accepted']);
    expect((await deliveries.list('V1'))[0]).toMatchObject({ status: 'delivered' });

    // the identical request sent again (as someone who captured it would): refused as a replay
    const again = await fetch(`${verifying.base}/in`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': String(req!.headers['idempotency-key']),
        'x-signature-timestamp': String(req!.headers['x-signature-timestamp']),
        'x-signature': String(req!.headers['x-signature']),
      },
      body: req!.body,
    });
    expect(await again.text()).toBe('replayed');
    expect(verdicts).toEqual(['accepted', 'replayed']);
    // the same request with the key changed no longer verifies: the key is signed
    const otherKey = await fetch(`${verifying.base}/in`, {
      method: 'POST',
      headers: {
        ...Object.fromEntries(Object.entries(req!.headers).map(([k, v]) => [k, String(v)])),
        'idempotency-key': 'V1/output/2.police',
      },
      body: req!.body,
    });
    expect(otherKey.status).toBe(401);
    expect(verdicts).toEqual(['accepted', 'replayed', 'invalid']);
  });

  it('re-signs a retry with the same key, which the receiver sees as replayed and answers 2xx: delivered once', async () => {
    const { deliveries } = await fileStore();
    const msg = outputMessage('V2/output/2.csc', 'V2');
    const outbox = loggedDelivery({ csc: { url: `${verifying.base}/in`, secret: SECRET } }, deliveries);
    verdicts.length = 0;
    loseNextAnswer = true;

    const e = await failure(outbox.deliver(msg)); // the receiver acted, but its answer was a 503
    expect(e).toMatchObject({ nonRetryable: false, type: 'DeliveryFailed' });
    expect((await deliveries.list('V2'))[0]).toMatchObject({ status: 'pending' });
    // The retry, as Temporal's retry policy would make it, five seconds later: signed afresh.
    const later = Date.now() + 5000;
    const clock = vi.spyOn(Date, 'now').mockReturnValue(later);
    try {
      expect(await outbox.deliver(msg)).toBe(true);
    } finally {
      clock.mockRestore();
    }

    expect(verdicts).toEqual(['accepted', 'replayed']);
    const [first, retry] = verifying.seen.slice(-2);
    expect(retry!.headers['idempotency-key']).toBe(first!.headers['idempotency-key']);
    expect(retry!.headers['x-signature-timestamp']).toBe(String(Math.floor(later / 1000)));
    expect(Number(retry!.headers['x-signature-timestamp'])).toBeGreaterThan(Number(first!.headers['x-signature-timestamp']));
    expect(retry!.headers['x-signature']).not.toBe(first!.headers['x-signature']);
    expect((await deliveries.list('V2'))[0]).toMatchObject({ status: 'delivered' });
    expect(await outbox.deliver(msg)).toBe(false); // delivered: never sent again
    expect(verifying.seen.slice(-2)).toEqual([first, retry]);
  });
});
