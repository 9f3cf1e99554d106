// Every answer the API gives in the end-to-end tests is checked against the OpenAPI document (api/openapi.ts): the
// route template its path matches, the status (or `default`), the content type and, for JSON, the body against that
// answer's schema (ajv, JSON Schema 2020-12, as OpenAPI 3.1 uses). The harness (test/support/temporal.ts) wraps fetch
// for its API's origin, so a test's own fetch, httpClient and helpers are all checked; an answer that does not match
// fails the fetch and the test file.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { openApiDocument } from '../../api/openapi.ts';

type Json = Record<string, unknown>;
interface Operation {
  responses: Record<string, Json>;
}

const doc = openApiDocument({ issuer: 'http://127.0.0.1/issuer' }) as unknown as {
  paths: Record<string, Record<string, Operation>>;
  components: { responses: Record<string, Json> };
};

/** Paths outside the document: the Temporal Web UI's codec server (Temporal's own protocol), the reference page's files. */
const OUTSIDE = [/^\/codec\//, /^\/docs\/./];

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema(doc as unknown as Json, 'openapi');

const templates = Object.keys(doc.paths).map((t) => ({
  template: t,
  params: (t.match(/\{/g) ?? []).length,
  pattern: new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`),
}));

/** The document's template for a path (a literal segment wins over a parameter), or undefined. */
export function routeOf(path: string): string | undefined {
  const bare = path.split('?')[0]!;
  return templates.filter((t) => t.pattern.test(bare)).sort((a, b) => a.params - b.params)[0]?.template;
}

const validators = new Map<string, ValidateFunction>();
function validator(pointer: string): ValidateFunction {
  let v = validators.get(pointer);
  if (!v) {
    v = ajv.compile({ $ref: `openapi#${pointer}` });
    validators.set(pointer, v);
  }
  return v;
}

const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** Every `METHOD template` whose answer was checked in this file. */
export const checked = new Set<string>();

/** Why an answer does not match the document, or undefined when it does (or is outside it). */
export function mismatch(method: string, path: string, status: number, contentType: string | null, body: unknown): string | undefined {
  // A CORS preflight is the browser's, not an operation of the API.
  if (method.toUpperCase() === 'OPTIONS') return undefined;
  const route = routeOf(path);
  const what = `${method} ${path} ${status}`;
  if (!route) {
    if (status === 404 || OUTSIDE.some((p) => p.test(path))) return undefined;
    return `${what}: no route in the OpenAPI document matches`;
  }
  const op = doc.paths[route]?.[method.toLowerCase()];
  if (!op) return status === 404 || status === 405 ? undefined : `${what}: ${route} has no ${method} in the document`;
  checked.add(`${method.toUpperCase()} ${route}`);
  const key = String(status) in op.responses ? String(status) : 'default';
  let answer = op.responses[key];
  if (!answer) return `${what}: status not in the document for ${method} ${route}`;
  let pointer = `/paths/${escape(route)}/${method.toLowerCase()}/responses/${key}`;
  const shared = answer.$ref as string | undefined;
  if (shared) {
    pointer = shared.slice(1);
    answer = doc.components.responses[shared.split('/').at(-1)!]!;
  }
  const type = (contentType ?? '').split(';')[0]!.trim();
  const content = answer.content as Record<string, Json> | undefined;
  if (!content) return undefined;
  if (!(type in content)) return `${what}: content type ${type} is not one of ${Object.keys(content).join(', ')}`;
  if (!type.endsWith('json')) return undefined;
  const validate = validator(`${pointer}/content/${escape(type)}/schema`);
  if (validate(body)) return undefined;
  return `${what}: the body does not match its schema: ${ajv.errorsText(validate.errors, { separator: '; ' })}`;
}

/**
 * A fetch that checks every answer from `base()` against the document; what did not match is also kept in
 * `mismatches`, for a file to assert on (a mismatch inside a retried poll is not lost).
 */
export function checkingFetch(base: () => string, original: typeof fetch, mismatches: string[]): typeof fetch {
  return async (input, init) => {
    const res = await original(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const root = base();
    if (!root || !url.startsWith(root)) return res;
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const type = res.headers.get('content-type');
    const text = type && /json/.test(type) ? await res.clone().text() : undefined;
    let body: unknown = text;
    try {
      body = text === undefined ? undefined : JSON.parse(text);
    } catch {
      // not JSON after all: the schema check says so
    }
    const wrong = mismatch(method, url.slice(root.length), res.status, type, body);
    if (wrong) {
      mismatches.push(wrong);
      throw new Error(`the API's answer does not match the OpenAPI document: ${wrong}`);
    }
    return res;
  };
}
