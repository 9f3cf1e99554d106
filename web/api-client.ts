// The web service's calls to the API, as the person signed in (their own access token): one place for the options,
// the answer's shape and the sign-in a missing or expired token asks for.
import type { Request } from 'express';
import type { ApiAuth } from '../api/auth.ts';

export interface WebOptions {
  /** The API's base URL (pages call it with the person's token). */
  apiBase: string;
  /** The identity provider: issuer, the web client's credentials, the API's audience (resource). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  audience: string;
  /** This service's own external URL (the redirect after login is `<baseUrl>/auth/callback`). */
  baseUrl: string;
  /** The key that signs the session cookie (at least 32 characters). */
  sessionSecret: string;
  /** The project's database (the sessions table, migration web_sessions). */
  databaseUrl: string;
  /** The API's verifier of access tokens: who the person is, in the project's terms. */
  auth: ApiAuth;
}

/** An API answer: its status and JSON body (an RFC 9457 problem when it refused). */
export interface ApiAnswer<T> {
  status: number;
  body: T & { detail?: string; title?: string };
}

export class SignInNeeded extends Error {}

/** A request to the API as the person; a missing or expired token (a 401) asks them to sign in again. */
export async function apiFetch(opts: WebOptions, req: Request, path: string, init: RequestInit = {}): Promise<globalThis.Response> {
  const token = req.tokens?.access;
  if (!token) throw new SignInNeeded();
  const res = await fetch(`${opts.apiBase}${path}`, { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } });
  if (res.status === 401) throw new SignInNeeded();
  return res;
}

/** Calls the API as the person for JSON (a command when a body is given). */
export async function api<T>(opts: WebOptions, req: Request, path: string, body?: object): Promise<ApiAnswer<T>> {
  const res = await apiFetch(opts, req, path, {
    method: body ? 'POST' : 'GET',
    headers: { accept: 'application/json', ...(body && { 'content-type': 'application/json' }) },
    ...(body && { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as ApiAnswer<T>['body'] };
}
