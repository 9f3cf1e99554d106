// The route pattern of a request (`/sentences/:id/plan`), never its path with ids in it: what logs, metrics, traces
// and the audit trail name a request by. Express keeps `req.route` to the end of the request, refusals included.
import type { Request } from 'express';

export function routePattern(req: Request): string {
  return req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
}
