// One typed command sender for every test that talks to a sentence: as a Temporal Update to its workflow, or over
// HTTP to its route. The arguments are typed by the command (CommandArgs), so a test cannot send a body its command
// does not take unless it says so with `as never` (to test a rejection).
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { HTTP_COMMANDS } from '../../api/commands.ts';
import type { view } from '../../api/app.ts';
import { commandUpdates, stateQuery, type CommandArgs, type CommandMeta, type CommandType } from '../../contracts/index.ts';
import type { SentenceState } from '../../domain/lifecycle.ts';

/**
 * Sends commands to one sentence's workflow as Updates: `const cmd = commandsFor(h); await cmd('allocate', {...})`
 * answers with the case's state after the command (its Update answers with what changed: the state is queried).
 */
export function commandsFor(h: WorkflowHandle) {
  return async <T extends CommandType>(type: T, args: CommandArgs<T>, meta?: CommandMeta): Promise<SentenceState> => {
    await h.executeUpdate(commandUpdates[type], { args: [args, meta] });
    return h.query(stateQuery);
  };
}

/** The reason a command was refused (the validator's message); fails if it was not refused. */
export async function rejection(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof WorkflowUpdateFailedError)) throw new Error(`expected a rejected update, got ${String(e)}`);
  return e.cause?.message ?? '';
}

/** The Prefer header that asks a command to answer with the whole case rather than what changed (RFC 7240). */
export const WHOLE_CASE = 'return=representation';

/** The sentence view as the API serialises it (its dates are ISO strings already, so the JSON has the same shape). */
export type View = ReturnType<typeof view>;

export interface ErrorBody {
  error?: string;
  problems?: { path: string; message: string }[];
}

export interface Reply<T> {
  status: number;
  body: T & ErrorBody;
}

/**
 * An HTTP client of the API at `base()` (read when called: the harness sets it before the tests run), sending the
 * bearer token `token()` gives (the harness's all-roles test service by default) unless a request sets its own
 * Authorization header.
 */
export function httpClient(base: () => string, token?: () => Promise<string>) {
  async function send<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    raw?: string,
  ): Promise<Reply<T>> {
    const auth: Record<string, string> = token ? { authorization: `Bearer ${await token()}` } : {};
    const res = await fetch(`${base()}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...auth, ...headers },
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    return { status: res.status, body: (await res.json()) as T & ErrorBody };
  }
  return {
    send,
    get: <T = View>(path: string) => send<T>('GET', path),
    post: <T = View>(path: string, body: unknown, headers?: Record<string, string>) => send<T>('POST', path, body, headers),
    /**
     * A command to a sentence over HTTP, at its route (api/commands.ts), answered with the whole case (`Prefer:
     * return=representation`) for the test to read, unless the headers ask otherwise.
     */
    command: <T extends CommandType>(sentenceId: string, type: T, args: CommandArgs<T>, headers?: Record<string, string>) =>
      send<View>('POST', `/sentences/${sentenceId}/${HTTP_COMMANDS[type].route}`, args, { Prefer: WHOLE_CASE, ...headers }),
  };
}
