// The audit trail (store/audit.ts): every authenticated request to a case, a list, a report or the audit log leaves one
// event, accepted or refused, once its answer is sent: who (principal, kind, roles, client), what (method, route
// pattern, command type, sentence id), the outcome (status) and the request id. Never a body, a query's values other
// than the sentence id, or anything personal. GET /metrics (no case data) is not audited.
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import type { AuditLog } from '../store/index.ts';

const NOT_AUDITED = new Set(['/metrics']);

export function auditTrail(log: Pick<AuditLog, 'record'>, logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    // Events are ordered by when their requests arrived (the insert happens once the answer is sent).
    const at = microsecondsIso();
    res.once('finish', () => {
      const p = res.locals.principal as Principal | undefined;
      if (!p) return;
      const route =
        typeof res.locals.route === 'string' ? res.locals.route : req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
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
      log.record(event).catch((e: unknown) => logger.error({ err: e, route, status: res.statusCode }, 'audit event not recorded'));
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
