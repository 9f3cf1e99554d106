// Delivery of system outputs over HTTP to each agency's endpoint, signed, idempotent, never redirected.
//
// Request: POST <url>, JSON body (the OutputMessage), headers
//   Idempotency-Key:        the message's key (stable across retries, worker restarts and continue-as-new)
//   X-Signature-Timestamp:  Unix seconds when this attempt was signed (a retry is signed afresh, same key)
//   X-Signature:            v2=<hex HMAC-SHA256(secret, "<timestamp>.<idempotencyKey>.<body>")>
//                           i.e. the timestamp header's decimal digits, ".", the Idempotency-Key header as sent, ".",
//                           the exact body bytes (UTF-8); hex in lower case
// Outcome: 2xx delivered; 408, 429, 5xx or a network error: retried by Temporal's retry policy; any 3xx (redirects are
// never followed: the signed body and headers go only to the configured URL) and any other 4xx: a permanent rejection
// (non-retryable ApplicationFailure "DeliveryRejected"), which the workflow turns into "not delivered: action needed"
// with an alert.
// Configuration (endpointsFromEnv): https:// required except on a loopback host (localhost, 127.0.0.1, [::1]); a secret
// of at least MIN_SECRET_LENGTH characters.
// Receivers: verify() checks one request's signature and timestamp; createReceiverVerifier() also refuses replays.
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

/** The shortest AGENCY_<NAME>_SECRET accepted (characters): a guessable HMAC key makes the signature worthless. */
export const MIN_SECRET_LENGTH = 32;

const RECIPIENT_ENV: Record<Recipient, string> = {
  'case-system': 'CASE_SYSTEM',
  csc: 'CSC',
  police: 'POLICE',
  immigration: 'IMMIGRATION',
  'partner-agencies': 'PARTNER_AGENCIES',
  nps: 'NPS',
};

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * Endpoints from the environment: AGENCY_<NAME>_URL and AGENCY_<NAME>_SECRET, e.g. AGENCY_CSC_URL. Refuses (throws,
 * naming the variable) a URL that does not parse, one that is not https:// (plain http:// only on a loopback host), and
 * a missing secret or one shorter than MIN_SECRET_LENGTH.
 */
export function endpointsFromEnv(env: NodeJS.ProcessEnv = process.env): Endpoints {
  const endpoints: Endpoints = {};
  for (const [recipient, name] of Object.entries(RECIPIENT_ENV) as [Recipient, string][]) {
    const url = env[`AGENCY_${name}_URL`];
    const secret = env[`AGENCY_${name}_SECRET`];
    if (!url) continue;
    checkUrl(`AGENCY_${name}_URL`, url);
    if (!secret) throw new Error(`AGENCY_${name}_URL is set but AGENCY_${name}_SECRET is not: deliveries must be signed`);
    if (secret.length < MIN_SECRET_LENGTH) {
      throw new Error(`AGENCY_${name}_SECRET is too short: it must be at least ${MIN_SECRET_LENGTH} characters (MIN_SECRET_LENGTH)`);
    }
    endpoints[recipient] = { url, secret };
  }
  return endpoints;
}

/** The variable's value is not echoed: a URL can carry credentials. */
export function checkUrl(variable: string, value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${variable} is not a valid URL`);
  }
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return;
  if (url.protocol === 'http:') {
    throw new Error(`${variable} must use https:// (plain http:// is accepted only for localhost, 127.0.0.1 or [::1])`);
  }
  throw new Error(`${variable} must be an https:// URL, not ${url.protocol}`);
}

/** Settings read by `read`, or exit 2 naming the bad one (an entry point checks them before it connects to anything). */
export function settingsOrExit<T>(label: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    process.stderr.write(`[${label}] ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  }
}

/** The endpoints, or exit 2 naming the bad setting. */
export function endpointsOrExit(label: string, env: NodeJS.ProcessEnv = process.env): Endpoints {
  return settingsOrExit(label, () => endpointsFromEnv(env));
}

/** The X-Signature header's value: v2=<hex HMAC-SHA256(secret, "<timestamp>.<idempotencyKey>.<body>")>. */
export function sign(secret: string, timestamp: number, idempotencyKey: string, body: string): string {
  return `v2=${createHmac('sha256', secret).update(`${timestamp}.${idempotencyKey}.${body}`).digest('hex')}`;
}

/**
 * For receivers: checks the signature (over the timestamp, the idempotency key and the body) and that the timestamp is
 * within `toleranceSeconds` of `nowSeconds`. Pure: an exact replay within the window passes; createReceiverVerifier()
 * refuses those too.
 */
export function verify(
  secret: string,
  timestamp: string,
  idempotencyKey: string,
  body: string,
  signature: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  if (!/^\d+$/.test(timestamp)) return false;
  const ts = Number(timestamp);
  if (!Number.isSafeInteger(ts) || Math.abs(nowSeconds - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(sign(secret, ts, idempotencyKey, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export interface SignedRequest {
  /** The X-Signature-Timestamp header. */
  timestamp: string;
  /** The Idempotency-Key header. */
  idempotencyKey: string;
  /** The exact body received. */
  body: string;
  /** The X-Signature header. */
  signature: string;
}

export type ReceiverVerdict = 'accepted' | 'replayed' | 'invalid';

export interface ReceiverVerifier {
  check(request: SignedRequest): ReceiverVerdict;
  /** How many idempotency keys are remembered now (pruned as they leave the window). */
  remembered(): number;
}

/**
 * For receivers: verify() plus replay refusal. check() answers
 * - 'invalid': a bad signature, or a timestamp outside ±toleranceSeconds of now: answer 401 and do nothing;
 * - 'replayed': a correctly signed request whose idempotency key was already accepted, whether the exact same request
 *   again or the same key re-signed with a newer timestamp. Answer it with 2xx WITHOUT acting again: our sender retries
 *   the same key with a fresh timestamp when an answer was lost (a timeout, a 5xx, a worker restart), and takes any 4xx
 *   as a permanent rejection ("not delivered: action needed");
 * - 'accepted': act on it; the key is remembered.
 * A key is remembered only while a request carrying it could still pass the timestamp check (its newest signed
 * timestamp + tolerance), then pruned: only correctly signed requests are remembered, so memory is bounded by the
 * sender's traffic in one window. This refuses replays of captured requests; a receiver that must also de-duplicate a
 * sender's retries arriving after the window (Temporal may retry long after it) keeps the keys it acted on in its own store.
 * `now` gives Unix milliseconds (Date.now by default).
 */
export function createReceiverVerifier(options: { secret: string; toleranceSeconds?: number; now?: () => number }): ReceiverVerifier {
  const { secret, toleranceSeconds = 300, now = Date.now } = options;
  const seen = new Map<string, number>(); // idempotency key -> newest accepted-or-replayed signed timestamp (s)
  let lastSweep = -Infinity;
  const sweep = (nowSeconds: number) => {
    if (nowSeconds - lastSweep < Math.max(1, toleranceSeconds / 10)) return;
    lastSweep = nowSeconds;
    for (const [key, ts] of seen) if (nowSeconds - ts > toleranceSeconds) seen.delete(key);
  };
  return {
    check({ timestamp, idempotencyKey, body, signature }) {
      const nowSeconds = Math.floor(now() / 1000);
      sweep(nowSeconds);
      if (!verify(secret, timestamp, idempotencyKey, body, signature, nowSeconds, toleranceSeconds)) return 'invalid';
      const ts = Number(timestamp);
      const previous = seen.get(idempotencyKey);
      // Kept until the newest request with this key has left the window, so none of them can be replayed later.
      seen.set(idempotencyKey, Math.max(ts, previous ?? ts));
      return previous === undefined || nowSeconds - previous > toleranceSeconds ? 'accepted' : 'replayed';
    },
    remembered: () => seen.size,
  };
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
    const signals = [AbortSignal.timeout(timeoutMs)];
    try {
      signals.push(Context.current().cancellationSignal);
    } catch {
      // not inside an activity (direct use)
    }
    // A client span in the activity's trace; its traceparent goes with the request (ops/tracing.ts).
    const attributes = { 'http.request.method': 'POST', 'so.recipient': message.recipient, 'so.idempotency_key': message.idempotencyKey };
    await inSpan(`POST ${message.recipient}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
      const res = await post(endpoint, message, AbortSignal.any(signals));
      span.setAttribute('http.response.status_code', res.status);
      await outcome(message.recipient, endpoint.url, res);
    });
  };
}

/** The request, signed over this attempt's timestamp; redirects are never followed (a 3xx comes back as it is). */
/**
 * One signed POST of a JSON body to an endpoint, never following a redirect (a 3xx comes back as it is): the signature
 * covers this attempt's timestamp, the idempotency key and the body. Throws what fetch throws when nothing answers.
 */
export function signedPost(
  endpoint: Endpoint,
  idempotencyKey: string,
  payload: unknown,
  signal: AbortSignal,
  headers: Record<string, string> = {},
): Promise<Response> {
  const body = JSON.stringify(payload);
  const timestamp = Math.floor(Date.now() / 1000);
  return fetch(endpoint.url, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': idempotencyKey,
      'x-signature-timestamp': String(timestamp),
      'x-signature': sign(endpoint.secret, timestamp, idempotencyKey, body),
      ...headers,
    },
    body,
    signal,
  });
}

/** Whether a failed answer may pass on a retry: 408, 429 and 5xx; any other is refused for good. */
export const retryableStatus = (status: number) => status === 408 || status === 429 || status >= 500;

async function post(endpoint: Endpoint, message: OutputMessage, signal: AbortSignal): Promise<Response> {
  try {
    return await signedPost(endpoint, message.idempotencyKey, message, signal, traceHeaders());
  } catch (e) {
    throw ApplicationFailure.retryable(`${message.recipient} unreachable: ${e instanceof Error ? e.message : String(e)}`, 'DeliveryFailed');
  }
}

/** Returns on 2xx; otherwise throws: retryable for 408, 429 and 5xx, permanent (DeliveryRejected) for 3xx and other 4xx. */
async function outcome(recipient: Recipient, url: string, res: Response): Promise<void> {
  if (res.status >= 300 && res.status < 400) {
    await res.body?.cancel().catch(() => undefined);
    const to = redirectOrigin(url, res.headers.get('location'));
    throw ApplicationFailure.nonRetryable(
      `${recipient} answered a redirect (${res.status}${to ? ` to ${to}` : ''}); redirects are not followed: the message was not delivered`,
      'DeliveryRejected',
    );
  }
  const text = (await res.text().catch(() => '')).slice(0, 200);
  if (res.ok) return;
  if (retryableStatus(res.status)) {
    throw ApplicationFailure.retryable(`${recipient} answered ${res.status}: ${text}`, 'DeliveryFailed');
  }
  throw ApplicationFailure.nonRetryable(`${recipient} rejected the message with ${res.status}: ${text}`, 'DeliveryRejected');
}

/** The Location's origin only (no path or query, which can carry tokens); undefined when absent or unparsable. */
function redirectOrigin(base: string, location: string | null): string | undefined {
  if (!location) return undefined;
  try {
    const origin = new URL(location, base).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}
