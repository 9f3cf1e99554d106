// Bounds at the API's edge: a request budget per client (the token's client, so one caller's burst never starves
// another; 429 with Retry-After beyond it) and CORS, closed unless origins are configured (a browser page elsewhere
// can neither read answers nor send credentialed requests). Request bodies are limited to 256 KiB (api/app.ts).
import type { NextFunction, Request, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { sendProblem } from './problems.ts';
import type { Principal } from '../auth/principal.ts';

export function perClientRateLimit(requestsPerMinute: number) {
  return rateLimit({
    windowMs: 60_000,
    limit: requestsPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // After authentication: every request has a principal. A person is counted as themselves, so that everyone
    // signed in through one front-end client does not share one budget.
    keyGenerator: (_req, res) => {
      const p = res.locals.principal as Principal;
      return p.kind === 'user' ? `user:${p.clientId}:${p.id}` : `client:${p.clientId}`;
    },
    handler: (req, res) => {
      sendProblem(req, res, 429, `more than ${requestsPerMinute} requests a minute from this client: retry after the Retry-After seconds`);
    },
  });
}

/**
 * A budget of commands (Updates and Signals) per case, whoever sends them: a flood at one case is refused here, 429 with
 * Retry-After, before it reaches Temporal, so it cannot grow the case's history or slow the worker that serves every
 * other case. Counted per API process (each replica keeps its own count).
 */
export function perCaseRateLimit(commandsPerMinute: number) {
  return rateLimit({
    windowMs: 60_000,
    limit: commandsPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // After the route has matched: every request here names its case.
    keyGenerator: (req) => `case:${String(req.params.id)}`,
    // A command answered 404 (no such case, or one the caller may not see: the workflow checks it, api/app.ts) is
    // given back, so that nobody uses up the budget of a case they cannot see.
    skipFailedRequests: true,
    requestWasSuccessful: (_req, res) => res.statusCode !== 404,
    handler: (req, res) => {
      sendProblem(req, res, 429, `more than ${commandsPerMinute} commands a minute to this case: retry after the Retry-After seconds`);
    },
  });
}

/** CORS for the listed origins only; preflights answered for them, nothing for anyone else. */
export function cors(origins: readonly string[]) {
  const allowed = new Set(origins);
  return (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.headers.origin;
    if (origin && allowed.has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Allow-Headers', 'authorization, content-type, x-namespace, idempotency-key, x-request-id, prefer');
      // What a browser client needs to read of an answer: where a start went, when to retry, the request's id.
      res.setHeader('Access-Control-Expose-Headers', 'location, retry-after, x-request-id, ratelimit, ratelimit-policy');
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      // The Temporal Web UI's codec requests may carry the codec cookie (api/codec-session.ts); nothing else may.
      if (req.path.startsWith('/codec/')) res.setHeader('Access-Control-Allow-Credentials', 'true');
      if (req.method === 'OPTIONS') {
        res.status(204).end();
        return;
      }
    }
    next();
  };
}
