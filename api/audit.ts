// The audit trail (store/audit.ts): every authenticated request to a case, a list, a report or the audit log leaves one
// event, accepted or refused, once its answer is sent: who (principal, kind, roles, client), what (method, route
// pattern, command type, sentence id), the outcome (status) and the request id. Never a body, a query's values other
// than the sentence id, or anything personal. GET /metrics (no case data) is not audited. An insert that fails is retried
// (AUDIT_RETRY_DELAYS_MS); an event still not recorded is logged and counted (so_audit_events_lost_total), for an alert.
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import type { AuditLog } from '../store/index.ts';
import { routePattern } from '../ops/route.ts';

const NOT_AUDITED = new Set(['/metrics']);

/** How long to wait before each retry of an audit event's insert (a database restart or failover rides through). */
export const AUDIT_RETRY_DELAYS_MS = [250, 1000, 4000];

export interface AuditTrailOptions {
  retryDelaysMs?: readonly number[];
  /** Called once for an event that could not be recorded after every retry (counted in so_audit_events_lost_total). */
  onLost?: () => void;
}

/** Inserts one event, retrying on failure; logs (without the event's ids) and reports an event finally lost. */
async function recordWithRetry(
  log: Pick<AuditLog, 'record'>,
  event: Parameters<AuditLog['record']>[0],
  logger: Logger,
  opts: AuditTrailOptions,
): Promise<void> {
  const delays = opts.retryDelaysMs ?? AUDIT_RETRY_DELAYS_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      await log.record(event);
      return;
    } catch (e) {
      if (attempt >= delays.length) {
        logger.error({ err: e, route: event.route, status: event.status, attempts: attempt + 1 }, 'audit event not recorded');
        opts.onLost?.();
        return;
      }
      logger.warn({ err: e, route: event.route, attempt: attempt + 1 }, 'audit event insert failed; retrying');
      await new Promise((r) => setTimeout(r, delays[attempt]));
    }
  }
}

export function auditTrail(log: Pick<AuditLog, 'record'>, logger: Logger, opts: AuditTrailOptions = {}) {
  return (req: Request, res: Response, next: NextFunction): void => {
    // Events are ordered by when their requests arrived (the insert happens once the answer is sent).
    const at = microsecondsIso();
    res.once('finish', () => {
      const p = res.locals.principal as Principal | undefined;
      if (!p) return;
      const route = typeof res.locals.route === 'string' ? res.locals.route : routePattern(req);
      if (NOT_AUDITED.has(route)) return;
      const fromQuery = typeof req.query?.sentenceId === 'string' ? req.query.sentenceId : undefined;
      const sentenceId = typeof res.locals.sentenceId === 'string' ? res.locals.sentenceId : fromQuery;
      const command = typeof res.locals.command === 'string' ? res.locals.command : undefined;
      const event = {
        at,
        principal: p.id,
        principalKind: p.kind,
        roles: p.roles,
        clientId: p.clientId,
        method: req.method,
        route,
        ...(command && { command }),
        ...(sentenceId && { sentenceId: sentenceId.slice(0, 128) }),
        status: res.statusCode,
        ...(req.id !== undefined && { requestId: String(req.id) }),
      };
      void recordWithRetry(log, event, logger, opts);
    });
    next();
  };
}

/** Now, to the microsecond (PostgreSQL keeps microseconds): two requests a millisecond apart keep their order. */
function microsecondsIso(): string {
  const us = Math.round((performance.timeOrigin + performance.now()) * 1000);
  return `${new Date(Math.floor(us / 1000)).toISOString().slice(0, 23)}${String(us % 1000).padStart(3, '0')}Z`;
}

export const AuditQuerySchema = z.strictObject({
  sentenceId: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,128}$/, 'a sentence id')
    .optional(),
  principal: z
    .string()
    .regex(/^[A-Za-z0-9._@-]{1,128}$/, 'a staff or client id')
    .optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
