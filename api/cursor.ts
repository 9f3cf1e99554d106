// A list's page end, handed back as `next` and taken as `cursor`: opaque to the client (base64url JSON), checked on
// the way back in. One encoding for every list (GET /worklist, /caseload, /sentences).

/** Refuses a request with its status and each field's problem (api/app.ts HttpError, without importing the app). */
export type Refuse = (status: number, message: string, problems?: { path: string; message: string }[]) => Error;

export const encodeCursor = (x: object): string => Buffer.from(JSON.stringify(x)).toString('base64url');

/** The cursor's value, undefined when none was given; a 400 when it is not one a page answered with. */
export function decodeCursor<T>(
  cursor: string | undefined,
  isValid: (x: unknown) => x is T,
  refuse: Refuse,
  why?: (x: T) => string | undefined,
): T | undefined {
  if (cursor === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const wrong = !isValid(value) ? 'cursor must be the next value a page answered with' : why?.(value);
  if (wrong) throw refuse(400, 'invalid cursor', [{ path: 'cursor', message: wrong }]);
  return value as T;
}
