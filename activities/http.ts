// Delivery of system outputs over HTTP to each agency's endpoint, signed and idempotent.
//
// Request: POST <url>, JSON body (the OutputMessage), headers
//   Idempotency-Key:        the message's key (stable across retries, worker restarts and continue-as-new)
//   X-Signature-Timestamp:  Unix seconds when this attempt was signed
//   X-Signature:            v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>
// Outcome: 2xx delivered; 408, 429, 5xx or a network error: retried by Temporal's retry policy; any other 4xx: a
// permanent rejection (non-retryable ApplicationFailure "DeliveryRejected"), which the workflow turns into
// "not delivered: action needed" with an alert.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { OutputMessage, Recipient } from './messages.ts';
import type { Outbox } from './outbox.ts';
import type { DeliveryLog } from '../store/index.ts';
import { inSpan, SpanKind, traceHeaders } from '../ops/tracing.ts';

export interface Endpoint {
  url: string;
  secret: string;
}

export type Endpoints = Partial<Record<Recipient, Endpoint>>;

const RECIPIENT_ENV: Record<Recipient, string> = {
  'case-system': 'CASE_SYSTEM',
  csc: 'CSC',
  police: 'POLICE',
  immigration: 'IMMIGRATION',
  'partner-agencies': 'PARTNER_AGENCIES',
  nps: 'NPS',
};

/** Endpoints from the environment: AGENCY_<NAME>_URL and AGENCY_<NAME>_SECRET, e.g. AGENCY_CSC_URL. */
export function endpointsFromEnv(env: NodeJS.ProcessEnv = process.env): Endpoints {
  const endpoints: Endpoints = {};
  for (const [recipient, name] of Object.entries(RECIPIENT_ENV) as [Recipient, string][]) {
    const url = env[`AGENCY_${name}_URL`];
    const secret = env[`AGENCY_${name}_SECRET`];
    if (!url) continue;
    if (!secret) throw new Error(`AGENCY_${name}_URL is set but AGENCY_${name}_SECRET is not: deliveries must be signed`);
    endpoints[recipient] = { url, secret };
  }
  return endpoints;
}

export function sign(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** For receivers: checks the signature and that the timestamp is within `toleranceSeconds` of `nowSeconds`. */
export function verify(
  secret: string,
  timestamp: string,
  body: string,
  signature: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const ts = Number(timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowSeconds - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(sign(secret, ts, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Logs each notification once in the delivery log (store/), then sends it to its recipient's endpoint; where none is
 * configured it stays in the log, held for a person to act on (readable through GET /deliveries). A notification the
 * log shows as delivered is never sent again, whatever the retries.
 */
export function loggedDelivery(endpoints: Endpoints, log: DeliveryLog, timeoutMs = 15_000): Outbox<OutputMessage> {
  const send = httpSender(endpoints, timeoutMs);
  return {
    async deliver(message) {
      const endpoint = endpoints[message.recipient];
      const { record, created } = await log.open(message, endpoint ? 'http' : 'held');
      if (!endpoint) return created;
      if (record.status === 'delivered') return false;
      try {
        await send(message);
      } catch (e) {
        const rejected = e instanceof ApplicationFailure && e.nonRetryable;
        await log.settle(message.idempotencyKey, {
          status: rejected ? 'rejected' : 'pending',
          error: e instanceof Error ? e.message : String(e),
        });
        throw e;
      }
      await log.settle(message.idempotencyKey, { status: 'delivered' });
      return true;
    },
  };
}

/** One signed POST of a message to its recipient's endpoint; throws a retryable or a permanent ApplicationFailure. */
function httpSender(endpoints: Endpoints, timeoutMs: number) {
  return async (message: OutputMessage): Promise<void> => {
    const endpoint = endpoints[message.recipient]!;
    const body = JSON.stringify(message);
    const timestamp = Math.floor(Date.now() / 1000);
    const signals = [AbortSignal.timeout(timeoutMs)];
    try {
      signals.push(Context.current().cancellationSignal);
    } catch {
      // not inside an activity (direct use)
    }
    // A client span in the activity's trace; its traceparent goes with the request (ops/tracing.ts).
    const attributes = { 'http.request.method': 'POST', 'so.recipient': message.recipient, 'so.idempotency_key': message.idempotencyKey };
    await inSpan(`POST ${message.recipient}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
      let res: Response;
      try {
        res = await fetch(endpoint.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': message.idempotencyKey,
            'x-signature-timestamp': String(timestamp),
            'x-signature': sign(endpoint.secret, timestamp, body),
            ...traceHeaders(),
          },
          body,
          signal: AbortSignal.any(signals),
        });
      } catch (e) {
        throw ApplicationFailure.retryable(
          `${message.recipient} unreachable: ${e instanceof Error ? e.message : String(e)}`,
          'DeliveryFailed',
        );
      }
      span.setAttribute('http.response.status_code', res.status);
      const text = (await res.text().catch(() => '')).slice(0, 200);
      if (res.ok) return;
      if (res.status === 408 || res.status === 429 || res.status >= 500) {
        throw ApplicationFailure.retryable(`${message.recipient} answered ${res.status}: ${text}`, 'DeliveryFailed');
      }
      throw ApplicationFailure.nonRetryable(`${message.recipient} rejected the message with ${res.status}: ${text}`, 'DeliveryRejected');
    });
  };
}
