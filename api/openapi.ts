// The OpenAPI document, generated from the same zod schemas that validate requests.
import { createRequire } from 'node:module';
import { z } from 'zod';
import { SIGNAL_COMMAND_TYPES } from '../contracts/index.ts';
import { httpCommands } from './commands.ts';
import {
  AcknowledgementSchema,
  AlertsQuerySchema,
  CaseloadQuerySchema,
  ConformanceQuerySchema,
  ListQuerySchema,
  SentenceInputSchema,
  TeamQuerySchema,
  WorklistQuerySchema,
} from './schemas.ts';

const json = (schema: z.ZodType) => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return rest;
};

/** One OpenAPI query parameter per property of a query schema. */
const queryParameters = (schema: z.ZodType) =>
  Object.entries((json(schema) as { properties: Record<string, unknown> }).properties).map(([name, s]) => ({
    name,
    in: 'query',
    required: false,
    schema: s,
  }));

/** The API's version is the release's (package.json). */
const PACKAGE_VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

const ID_PARAMETER = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const sentenceResponse = {
  description: 'The sentence: phase, deadlines with due dates and status, timeline',
  content: { 'application/json': { schema: { type: 'object' } } },
};

const commandAnswerResponse = {
  description:
    "What the command changed: the case in brief (as GET /sentences/{id}/summary) with `command` and `changes`, a JSON Patch (RFC 6902) of the case's state from before the command to after it (null when an older worker answered); `repeated: true` when the Idempotency-Key had been applied already (nothing changed). With `Prefer: return=representation`, the whole case instead, as GET /sentences/{id}",
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: ['sentenceId', 'phase', 'command', 'changes'],
        properties: {
          sentenceId: { type: 'string' },
          phase: { type: 'string' },
          waitingFor: { type: 'string' },
          command: { type: 'string' },
          repeated: { type: 'boolean' },
          changes: {
            type: ['array', 'null'],
            items: {
              type: 'object',
              required: ['op', 'path'],
              properties: { op: { enum: ['add', 'remove', 'replace'] }, path: { type: 'string' }, value: {} },
            },
          },
        },
      },
    },
  },
};

/** The work that reaches people (api/work.ts). */
function workPaths(): Record<string, unknown> {
  return {
    '/worklist': {
      get: {
        summary:
          'The caller\u2019s open work items, by due date: the cases they hold, and for an area\u2019s manager its unallocated ' +
          'cases\u2019 items and those overdue past the threshold; a page at a time (pass `next` back as `cursor`)',
        parameters: queryParameters(WorklistQuerySchema),
        responses: {
          200: { description: '{ items, next }' },
          400: errorResponse('Invalid filter or cursor'),
          403: errorResponse('No right'),
        },
      },
    },
    '/alerts': {
      get: {
        summary: 'The caller\u2019s alerts: those of the cases they hold, and for an area\u2019s managers its unallocated cases\u2019',
        parameters: queryParameters(AlertsQuerySchema),
        responses: { 200: { description: '{ alerts }' }, 400: errorResponse('Invalid query'), 403: errorResponse('No right') },
      },
    },
    '/sentences/{id}/alerts/acknowledgement': {
      post: {
        summary: 'Acknowledge one of the case\u2019s alerts, once (again: the same acknowledgement, with repeated)',
        parameters: [ID_PARAMETER],
        requestBody: { required: true, content: { 'application/json': { schema: json(AcknowledgementSchema) } } },
        responses: {
          200: { description: 'The alert, acknowledged' },
          400: errorResponse('No key'),
          404: errorResponse('No such case or alert'),
        },
      },
    },
    '/caseload': {
      get: {
        summary: 'The cases the caller holds: each with what it waits for next and how many deadlines and outputs are overdue',
        parameters: queryParameters(CaseloadQuerySchema),
        responses: { 200: { description: '{ cases, next }' }, 400: errorResponse('Invalid cursor'), 403: errorResponse('No right') },
      },
    },
    '/team': {
      get: {
        summary:
          'An area\u2019s allocation by workload, for its managers: cases held per officer with risk and requirements, and the unallocated cases',
        parameters: queryParameters(TeamQuerySchema),
        responses: { 200: { description: 'The team view' }, 403: errorResponse('No right, or not one of your areas') },
      },
    },
  };
}

/** The routes other than the commands. */
function fixedPaths(): Record<string, unknown> {
  return {
    ...workPaths(),
    '/sentences': {
      post: {
        summary: 'Start a sentence (idempotent: the same body again returns the existing sentence)',
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/SentenceInput' } } } },
        responses: {
          201: sentenceResponse,
          200: { ...sentenceResponse, description: 'The same sentence was already started' },
          400: errorResponse('Invalid sentence: every problem is listed'),
          409: errorResponse('A different sentence with this id already exists'),
        },
      },
      get: {
        summary: 'List sentences by search attributes',
        parameters: queryParameters(ListQuerySchema),
        responses: { 200: { description: 'Matching sentences' }, 400: errorResponse('Invalid filter') },
      },
    },
    '/sentences/{id}': {
      get: {
        summary: 'A sentence: state, phase, deadlines, timeline',
        parameters: [ID_PARAMETER],
        responses: { 200: sentenceResponse, 404: errorResponse('No such sentence') },
      },
    },
    '/reports/conformance': {
      get: {
        summary: 'Per output row across cases: applied, done on time, done late, overdue, not possible, open',
        parameters: queryParameters(ConformanceQuerySchema),
        responses: { 200: { description: 'The report' }, 400: errorResponse('Invalid filter') },
      },
    },
    '/sentences/{id}/summary': {
      get: {
        summary: 'The case in brief: phase, what it waits for, the next deadline, how many deadlines and outputs are overdue',
        parameters: [ID_PARAMETER],
        responses: { 200: { description: 'The summary' }, 404: errorResponse('No such sentence') },
      },
    },
    '/sentences/{id}/outputs': {
      get: {
        summary: 'The National Minimum outputs ledger: every row, whether it applies and why, status, due date, evidence',
        parameters: [ID_PARAMETER],
        responses: { 200: { description: 'The ledger' }, 404: errorResponse('No such sentence') },
      },
    },
  };
}

const signalled = (type: string) => (SIGNAL_COMMAND_TYPES as readonly string[]).includes(type);

/** One path per command, from its HTTP entry (api/commands.ts). */
function commandPaths(): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const [type, { route, schema }] of httpCommands) {
    paths[`/sentences/{id}/${route}`] = {
      post: {
        summary: `Command: ${type}`,
        operationId: type,
        parameters: [
          ID_PARAMETER,
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            schema: { type: 'string' },
            description: 'The same key again is a retry: answered, never applied twice',
          },
          {
            name: 'Prefer',
            in: 'header',
            required: false,
            schema: { type: 'string', enum: [...(signalled(type) ? ['respond-async'] : []), 'return=representation'] },
            description: [
              ...(signalled(type)
                ? [
                    'respond-async: sent as a Signal and answered 202 at once; a command the case cannot take is counted on the case (signalsRejected, with the latest few and their reasons)',
                  ]
                : []),
              'return=representation: answered with the whole case (GET /sentences/{id}) rather than what changed',
            ].join('. '),
          },
        ],
        requestBody: { required: true, content: { 'application/json': { schema: json(schema) } } },
        responses: {
          200: commandAnswerResponse,
          ...(signalled(type) ? { 202: { description: 'Accepted as a Signal (Prefer: respond-async)' } } : {}),
          400: errorResponse('Malformed command'),
          404: errorResponse('No such sentence'),
          409: errorResponse('Not valid in the current phase, or the sentence is closed (the reason is given)'),
        },
      },
    };
  }
  return paths;
}

export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'sentence-orchestrator',
      version: PACKAGE_VERSION,
      description: 'Manage the sentence for a Community Order or Suspended Sentence Order',
    },
    paths: { ...fixedPaths(), ...commandPaths() },
    components: {
      schemas: {
        SentenceInput: json(SentenceInputSchema),
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: { type: 'string' },
            problems: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
          },
        },
      },
    },
  };
}
