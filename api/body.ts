// What the API accepts as a request body, and the one answer for everything that reading a body or a path can raise.
// A body is JSON in UTF-8 (RFC 8259 section 8.1), identity or gzip/deflate/br encoded once: anything else is a 415 before
// it is read, so a browser's "simple" cross-site request (text/plain, a form) can never be taken for a command. A body
// that cannot be read (a corrupt compressed stream, malformed JSON, too large) and a path that cannot be decoded
// (malformed percent-encoding) get their 4xx with the reason, never a 500.
import type { NextFunction, Request, Response } from 'express';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

/**
 * 415 unless a request with a body (POST, PUT, PATCH) sends JSON in UTF-8. Every route mounted after it takes JSON (the
 * codec server's sign-in form is mounted before: api/app.ts).
 */
export function jsonBodiesOnly(req: Request, _res: Response, next: NextFunction): void {
  if (!['POST', 'PUT', 'PATCH'].includes(req.method)) return next();
  const [type = '', ...params] = (req.headers['content-type'] ?? '').split(';').map((p) => p.trim());
  if (!JSON_TYPE.test(type)) {
    throw new BodyError(415, 'send the body as JSON: Content-Type: application/json (an empty command is {})');
  }
  const charset = params
    .find((p) => /^charset=/i.test(p))
    ?.slice('charset='.length)
    .replace(/^"|"$/g, '');
  if (charset !== undefined && !/^utf-8$/i.test(charset)) {
    throw new BodyError(415, `the body must be UTF-8 (charset ${charset} is not accepted)`);
  }
  next();
}

/** A request refused for its body or its path. */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
    readonly problems?: { path: string; message: string }[],
  ) {
    super(message);
  }
}

/**
 * The answer for an error that body parsing (body-parser, through express.json) or routing (a path parameter that
 * cannot be decoded) raised; undefined for any other error.
 */
export function bodyOrPathError(err: unknown): BodyError | undefined {
  if (err instanceof BodyError) return err;
  const e = err as { type?: unknown; status?: unknown; message?: unknown; name?: unknown } | null;
  if (!e || typeof e !== 'object') return undefined;
  const message = typeof e.message === 'string' ? e.message : '';
  switch (e.type) {
    case 'charset.unsupported':
      return new BodyError(415, `the body must be UTF-8 (${message})`);
    case 'encoding.unsupported':
      return new BodyError(415, `Content-Encoding must be one of identity, gzip, deflate or br, applied once (${message})`);
    case 'entity.parse.failed':
      return new BodyError(400, 'malformed JSON body', [{ path: '(body)', message: message || 'unparseable' }]);
    case 'entity.too.large':
      return new BodyError(413, 'body too large (at most 256 KiB)');
    case 'request.aborted':
    case 'request.size.invalid':
      return new BodyError(400, 'the body ended before its stated length');
  }
  if (e.name === 'URIError' && e.status === 400) return new BodyError(400, 'the path has malformed percent-encoding');
  // A compressed body that does not decompress (zlib's error, passed on by body-parser as a 400).
  if (e.status === 400) return new BodyError(400, `the body could not be read: ${message.slice(0, 120)}`);
  return undefined;
}
