// Authentication and authorisation at the API's edge: every route but health, readiness and the API description needs
// a bearer token (RFC 6750); the rights come from the one table (auth/policy.ts); a case outside the caller's scope
// answers 404 as if it did not exist.
import type { NextFunction, Request, Response } from 'express';
import { sendProblem } from './problems.ts';
import { ALL_AREAS, inScope, type Principal } from '../auth/principal.ts';
import { may, type Right } from '../auth/policy.ts';
import { TokenError } from '../auth/verify.ts';
import { routePattern } from '../ops/route.ts';
import { SA } from '../contracts/index.ts';

export interface ApiAuth {
  /** Verifies an access token and names its principal (auth/verify.ts); throws TokenError for a bad token. */
  verify: (token: string) => Promise<Principal>;
  /** The OpenID issuer whose tokens these are: named in the OpenAPI document (its discovery URL). */
  issuer?: string;
}

const REALM = 'sentence-orchestrator';

export class AuthError extends Error {
  constructor(
    readonly status: 401 | 403,
    message: string,
    readonly challenge?: string,
  ) {
    super(message);
  }
}

/** The principal of an authenticated request. */
export function principal(res: Response): Principal {
  const p = res.locals.principal as Principal | undefined;
  if (!p) throw new Error('no principal: the route is not behind authenticate()');
  return p;
}

/** 401 with a WWW-Authenticate challenge for a missing or bad token; the request's principal otherwise. */
export function authenticate(auth: ApiAuth) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.headers.authorization;
    if (!header) throw new AuthError(401, 'an access token is required (Authorization: Bearer ...)', `Bearer realm="${REALM}"`);
    const m = /^Bearer +([^\s]+)$/i.exec(header);
    if (!m) {
      throw new AuthError(401, 'the Authorization header must be "Bearer <token>"', `Bearer realm="${REALM}", error="invalid_request"`);
    }
    try {
      res.locals.principal = await auth.verify(m[1]!);
    } catch (e) {
      if (!(e instanceof TokenError)) throw e;
      throw new AuthError(401, e.message, `Bearer realm="${REALM}", error="${e.code}", error_description="${e.message}"`);
    }
    next();
  };
}

/**
 * 403 unless one of the caller's roles has the right. The first handler of every authenticated route, it also notes
 * the route pattern and the sentence id for the audit trail (api/audit.ts), which a refusal would otherwise lose.
 */
export function requireRight(right: Right) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.route?.path) res.locals.route = routePattern(req);
    if (typeof req.params.id === 'string') res.locals.sentenceId = req.params.id;
    if (!may(principal(res), right)) throw new AuthError(403, `your roles do not allow ${right}`);
    next();
  };
}

/** Whether a case held in this provider and area is visible to the caller. */
export function visible(res: Response, provider: string | undefined, area: string | undefined): boolean {
  return provider !== undefined && area !== undefined && inScope(principal(res), provider, area);
}

const CODE = /^[A-Za-z0-9_-]{1,32}$/;

/** The visibility-query clauses that keep a list to the caller's scope; undefined when the scope is empty. */
export function scopeClauses(p: Principal): string[] | undefined {
  const clauses: string[] = [];
  if (p.provider !== undefined) {
    if (!CODE.test(p.provider)) return undefined;
    clauses.push(`${SA.providerCode.name} = '${p.provider}'`);
  }
  if (!p.areas.includes(ALL_AREAS)) {
    const areas = p.areas.filter((a) => CODE.test(a));
    if (areas.length === 0) return undefined;
    clauses.push(`${SA.areaCode.name} IN (${areas.map((a) => `'${a}'`).join(', ')})`);
  }
  // A person never sees a limited-access case kept from them (auth/principal.ts allowedByAccess).
  if (p.kind === 'user') {
    if (!CODE.test(p.id)) return undefined;
    const [excluded, restricted] = [SA.excludedStaff.name, SA.restrictedTo.name];
    clauses.push(`(${excluded} IS NULL OR ${excluded} != '${p.id}')`, `(${restricted} IS NULL OR ${restricted} = '${p.id}')`);
  }
  return clauses;
}

export function sendAuthError(err: AuthError, req: Request, res: Response): void {
  if (err.challenge) res.setHeader('WWW-Authenticate', err.challenge);
  sendProblem(req, res, err.status, err.message);
}
