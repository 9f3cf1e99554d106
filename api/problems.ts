// Every error the API answers is an RFC 9457 problem (application/problem+json): a stable `type` a client can act
// on, the HTTP status, a short title, the detail in words (also as `error`, the field clients read before problems),
// the route it came from, and, for a command the case refused, the refusal's own code (domain/refusals.ts).
// `GET /problems/:type` describes each type: the `type` URI resolves to its own documentation.
import type { Request, Response } from 'express';
import { isRefusalCode, REFUSAL_CODES, type RefusalCode } from '../domain/refusals.ts';

/** The problem types that are not refusals of a command, by what went wrong at the HTTP level. */
const HTTP_PROBLEMS = {
  'invalid-request': { status: 400, title: 'The request is not valid: each problem is listed' },
  unauthenticated: { status: 401, title: 'No valid credentials were given' },
  forbidden: { status: 403, title: 'The caller may not do this' },
  'not-found': { status: 404, title: 'No such sentence, or none the caller may see, or no such route' },
  'payload-too-large': { status: 413, title: 'The body is too large' },
  'unsupported-media-type': { status: 415, title: 'The body is not JSON in UTF-8, or its encoding is not supported' },
  conflict: { status: 409, title: 'The request conflicts with the sentence as it is' },
  'idempotency-key-reused': { status: 422, title: 'The Idempotency-Key was first used with a different body' },
  'unprocessable-content': { status: 422, title: 'The content could not be processed' },
  'too-many-requests': { status: 429, title: 'Too many requests: retry after the Retry-After seconds' },
  'internal-error': { status: 500, title: 'Something went wrong on the server' },
  unavailable: { status: 503, title: 'A service the API needs did not answer: retry after the Retry-After seconds' },
} as const;

/** A refused command is a 409 whose type is the refusal's code. */
const REFUSAL_TITLES: Record<RefusalCode, string> = {
  'sentence-closed': 'The sentence is closed: it takes no more commands',
  'unknown-command': 'The case does not know this command',
  'not-valid-in-phase': "The command is not valid in the case's phase: validIn lists where it is",
  'date-not-valid': 'A date is not a calendar date the system takes',
  'date-in-future': 'The date is in the future',
  'date-before-earliest': 'The date is before the event it follows',
  'warning-not-allowed': 'A warning is not allowed now (Sentencing Act 2020 Sch 10/16 para 6): refer the matter instead',
  'supervision-ended': 'The supervision period has ended: the command is work of the supervision period',
  'termination-route-not-lawful': 'An order ends early only by a route the law gives: the detail lists them',
  'command-refused': "The case's rules refuse the command: the detail says which",
};

export type ProblemType = keyof typeof HTTP_PROBLEMS | RefusalCode;

export const PROBLEM_TYPES: Record<ProblemType, { status: number; title: string }> = {
  ...HTTP_PROBLEMS,
  ...(Object.fromEntries(REFUSAL_CODES.map((c) => [c, { status: 409, title: REFUSAL_TITLES[c] }])) as Record<
    RefusalCode,
    { status: number; title: string }
  >),
};

const BY_STATUS: Record<number, ProblemType> = {
  400: 'invalid-request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  409: 'command-refused',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'unprocessable-content',
  429: 'too-many-requests',
  500: 'internal-error',
  503: 'unavailable',
};

export const problemTypeUri = (type: ProblemType) => `/problems/${type}`;

export const isProblemType = (v: unknown): v is ProblemType => typeof v === 'string' && v in PROBLEM_TYPES;

/** The route a request matched, as a client names it (`POST /sentences/:id/plan`), when it matched one. */
function routeOf(req: Request): string | undefined {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.method} ${req.baseUrl}${path}` : undefined;
}

/** Sends a problem: the type given, or the one for the status. */
export function sendProblem(
  req: Request,
  res: Response,
  status: number,
  detail: string,
  opts: { type?: ProblemType; extra?: Record<string, unknown> } = {},
): void {
  const type = opts.type ?? BY_STATUS[status] ?? (status >= 500 ? 'internal-error' : 'invalid-request');
  const route = routeOf(req);
  res
    .status(status)
    .type('application/problem+json')
    .json({
      type: problemTypeUri(type),
      title: PROBLEM_TYPES[type].title,
      status,
      detail,
      error: detail,
      ...(route && { route }),
      ...opts.extra,
    });
}

/** GET /problems and GET /problems/:type: what each problem type means. */
export function describeProblems(req: Request, res: Response): void {
  const all = Object.entries(PROBLEM_TYPES).map(([t, p]) => ({ type: problemTypeUri(t as ProblemType), ...p }));
  const one = req.params.type;
  if (one === undefined) {
    res.json({ problems: all });
    return;
  }
  if (!isProblemType(one)) return sendProblem(req, res, 404, `no problem type ${one}`);
  res.json({ type: problemTypeUri(one), ...PROBLEM_TYPES[one] });
}

/** The code a refusal carried from the workflow (its failure's first detail), or the general one. */
export const refusalCodeOf = (details: readonly unknown[] | null | undefined): RefusalCode =>
  isRefusalCode(details?.[0]) ? details[0] : 'command-refused';
