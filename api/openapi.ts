// The OpenAPI document, generated from the same zod schemas that validate requests (api/schemas.ts, api/commands.ts)
// and describe answers (api/responses.ts). Every route has its answers' schemas, a tag and an operationId, so a typed
// client can be generated from it; test/e2e/openapi.test.ts validates it and checks every route's answers against it.
import { createRequire } from 'node:module';
import { z } from 'zod';
import { SIGNAL_COMMAND_TYPES } from '../contracts/index.ts';
import { londonDate, periodEnd } from '../domain/dates.ts';
import { BREACH_RECOMMENDATION_CODES, BREACH_RECOMMENDATIONS } from '../domain/enforcement.ts';
import { httpCommands } from './commands.ts';
import { detailFields, evidenceTable, partIds } from './evidence.ts';
import { components } from './responses.ts';
import {
  AcknowledgementSchema,
  AlertsQuerySchema,
  CaseloadQuerySchema,
  ConformanceQuerySchema,
  DeliveriesQuerySchema,
  ListQuerySchema,
  TeamQuerySchema,
  WorklistQuerySchema,
} from './schemas.ts';
import { AuditQuerySchema } from './audit.ts';

/** zod's bounds of a plain integer (the safe integers) say nothing a client needs: left out. */
function tidy(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(tidy);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === '$schema' || k === '$id') continue;
    if ((k === 'minimum' && v === Number.MIN_SAFE_INTEGER) || (k === 'maximum' && v === Number.MAX_SAFE_INTEGER)) continue;
    out[k] = tidy(v);
  }
  return out;
}

const json = (schema: z.ZodType) => tidy(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })) as Record<string, unknown>;

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

const ID_PARAMETER = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description: 'The sentence id (the case system\u2019s)',
};

const PDF = (description: string) => ({
  description,
  content: { 'application/pdf': { schema: { type: 'string', format: 'binary', contentMediaType: 'application/pdf' } } },
});
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const ok = (description: string, schema: string) => ({ description, content: { 'application/json': { schema: ref(schema) } } });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });

/** What any authenticated route may answer besides its own answers. */
const AUTHENTICATED = {
  401: { $ref: '#/components/responses/Unauthenticated' },
  403: { $ref: '#/components/responses/Forbidden' },
  429: { $ref: '#/components/responses/TooManyRequests' },
  503: { $ref: '#/components/responses/Unavailable' },
  default: { $ref: '#/components/responses/Problem' },
};

/** An authenticated GET: its answer, its errors, its tag. */
function read(tag: string, operationId: string, summary: string, answer: object, more: object = {}, parameters: object[] = []) {
  return { get: { tags: [tag], operationId, summary, parameters, responses: { 200: answer, ...more, ...AUTHENTICATED } } };
}

/** The work that reaches people (api/work.ts). */
function workPaths(): Record<string, unknown> {
  return {
    '/worklist': read(
      'Work',
      'getWorklist',
      'The caller\u2019s open work items, by due date: the cases they hold, and for an area\u2019s manager its unallocated ' +
        'cases\u2019 items and those overdue past the threshold; a page at a time (pass `next` back as `cursor`)',
      ok('A page of work items', 'Worklist'),
      { 400: problem('Invalid filter or cursor') },
      queryParameters(WorklistQuerySchema),
    ),
    '/alerts': read(
      'Work',
      'getAlerts',
      'The caller\u2019s alerts: those of the cases they hold, and for an area\u2019s managers its unallocated cases\u2019',
      ok('The alerts, newest first', 'Alerts'),
      { 400: problem('Invalid query') },
      queryParameters(AlertsQuerySchema),
    ),
    '/sentences/{id}/alerts/acknowledgement': {
      post: {
        tags: ['Work'],
        operationId: 'acknowledgeAlert',
        summary: 'Acknowledge one of the case\u2019s alerts, once (again: the same acknowledgement, with repeated)',
        parameters: [ID_PARAMETER],
        requestBody: { required: true, content: { 'application/json': { schema: json(AcknowledgementSchema) } } },
        responses: {
          200: ok('The alert, acknowledged', 'AlertAcknowledged'),
          400: problem('No key'),
          404: problem('No such case or alert'),
          ...AUTHENTICATED,
        },
      },
    },
    '/caseload': read(
      'Work',
      'getCaseload',
      'The cases the caller holds: each with what it waits for next and how many deadlines and outputs are overdue',
      ok('A page of cases', 'Caseload'),
      { 400: problem('Invalid cursor') },
      queryParameters(CaseloadQuerySchema),
    ),
    '/team': read(
      'Work',
      'getTeam',
      'An area\u2019s allocation by workload, for its managers: cases held per officer with risk and requirements, and the unallocated cases',
      ok('The team view', 'Team'),
      { 400: problem('No area named') },
      queryParameters(TeamQuerySchema),
    ),
  };
}

/** Today's date in an example, so that an example sentence is not overdue the day it is read. */
const exampleSentence = () => {
  const today = londonDate(Date.now());
  const end = periodEnd(today, 12);
  return {
    sentenceId: 'X123456-1',
    caseReference: 'X123456',
    order: { type: 'CO', sentenceDate: today, endDate: end, courtCode: 'B01CN' },
    requirements: [
      { type: 'unpaid-work', hours: 120 },
      { type: 'rehabilitation-activity', maxDays: 20 },
    ],
    offender: {
      sex: 'male',
      communicationNeeds: { disability: false, learningDifficulty: false },
      livesWithOrHasSignificantContactWithChildren: false,
      childProtectionPlan: false,
      assessedRiskToChildren: false,
      registeredSexOffender: false,
      domesticAbusePerpetrator: false,
      subjectToDeportationOrder: false,
      vulnerableToVictimisation: false,
      roshLevel: 'medium',
      iom: false,
      ppo: false,
      marac: false,
    },
    provider: { providerCode: 'N07', areaCode: 'LDN' },
    responsibleOfficer: 'offender-manager',
  };
};

/** POST /sentences. */
function startOperation() {
  const sentence = (description: string) => ok(description, 'Sentence');
  return {
    tags: ['Sentences'],
    operationId: 'startSentence',
    summary: 'Start a sentence (idempotent: the same body again returns the existing sentence)',
    requestBody: {
      required: true,
      content: {
        'application/json': {
          schema: ref('SentenceInput'),
          examples: { communityOrder: { summary: 'A community order', value: exampleSentence() } },
        },
      },
    },
    responses: {
      201: sentence('Started: the sentence as it commenced'),
      200: sentence('The same sentence was already started'),
      202: ok('Started, but its workflow has not answered yet (no worker): GET it or send the same request again', 'StartPending'),
      400: problem('Invalid sentence: every problem is listed'),
      409: problem('A different sentence with this id already exists'),
      ...AUTHENTICATED,
    },
  };
}

/** The sentences themselves: start, list, read. */
function sentencePaths(): Record<string, unknown> {
  const sentence = (description: string) => ok(description, 'Sentence');
  return {
    '/sentences': {
      post: startOperation(),
      ...read(
        'Sentences',
        'listSentences',
        'List sentences by search attributes, a page at a time (pass `next` back as `cursor`, with the same filter)',
        ok('A page of sentences', 'SentenceList'),
        { 400: problem('Invalid filter or cursor') },
        queryParameters(ListQuerySchema),
      ),
    },
    '/sentences/{id}': read(
      'Sentences',
      'getSentence',
      'A sentence: state, phase, deadlines, timeline',
      sentence('The whole case'),
      { 404: problem('No such sentence') },
      [ID_PARAMETER],
    ),
    '/sentences/{id}/summary': read(
      'Sentences',
      'getSentenceSummary',
      'The case in brief: phase, what it waits for, the next deadline, how many deadlines and outputs are overdue',
      ok('The summary', 'CaseSummary'),
      { 404: problem('No such sentence') },
      [ID_PARAMETER],
    ),
    '/sentences/{id}/outputs': read(
      'Outputs',
      'getOutputs',
      'The National Minimum outputs ledger: every row, whether it applies and why, status, due date, evidence',
      ok('The ledger (without what the evidence says, for a reader without personal data)', 'OutputsLedger'),
      { 404: problem('No such sentence') },
      [ID_PARAMETER],
    ),
  };
}

/** The letters made from the case (api/letters.ts), as PDF. */
function letterPaths(): Record<string, unknown> {
  return {
    '/sentences/{id}/letters/warning/{failureId}': read(
      'Letters',
      'getWarningLetter',
      'The warning letter for a failure to comply, made from the case\u2019s record of the warning given (PDF)',
      PDF('The letter'),
      { 404: problem('No such sentence, or no warning was given for this failure') },
      [
        ID_PARAMETER,
        { name: 'failureId', in: 'path', required: true, schema: { type: 'string' }, description: 'The failure\u2019s appointment id' },
      ],
    ),
    '/sentences/{id}/letters/breach-report/{failureId}': read(
      'Letters',
      'getBreachReport',
      'The breach report to court for a referred failure, with the officer\u2019s recommendation (PDF)',
      PDF('The report'),
      {
        400: problem('No recommendation given or recorded, or not one of the court\u2019s powers for the order\u2019s type'),
        404: problem('No such sentence, or the failure was not referred to court'),
      },
      [
        ID_PARAMETER,
        {
          name: 'failureId',
          in: 'path',
          required: true,
          schema: { type: 'string' },
          description: 'The referred failure\u2019s appointment id',
        },
        {
          name: 'recommendation',
          in: 'query',
          required: false,
          description:
            `The officer\u2019s recommendation, one of the court\u2019s powers: for a CO ${Object.keys(BREACH_RECOMMENDATIONS.CO).join(', ')}; ` +
            `for an SSO ${Object.keys(BREACH_RECOMMENDATIONS.SSO).join(', ')}. Needed for a draft, before the breach action; the one ` +
            'recorded with the breach action (POST /sentences/{id}/enforcement/breach-action) is the report\u2019s once there is one',
          schema: { type: 'string', enum: BREACH_RECOMMENDATION_CODES },
        },
      ],
    ),
  };
}

/** Reports, logs and what operators read. */
function reportPaths(): Record<string, unknown> {
  return {
    '/reports/conformance': read(
      'Reports',
      'getConformance',
      'Per output row across cases: applied, done on time, done late, overdue, not possible, open',
      ok('The report', 'ConformanceReport'),
      { 400: problem('Invalid filter') },
      queryParameters(ConformanceQuerySchema),
    ),
    '/deliveries': read(
      'Reports',
      'getDeliveries',
      'The delivery log of one sentence\u2019s agency and case-system notifications (codes and statuses only)',
      ok('The deliveries', 'Deliveries'),
      { 400: problem('Invalid query'), 404: problem('No such sentence') },
      queryParameters(DeliveriesQuerySchema),
    ),
    '/audit': read(
      'Audit',
      'getAudit',
      'The audit log: who read or acted on what, when, and the outcome',
      ok('The events, oldest first', 'AuditTrail'),
      { 400: problem('Invalid query') },
      queryParameters(AuditQuerySchema),
    ),
    '/metrics': read('Operations', 'getMetrics', 'Prometheus metrics', {
      description: 'The metrics, in the Prometheus text format',
      content: { 'text/plain': { schema: { type: 'string' } } },
    }),
  };
}

/** What needs no token: health, the document itself, its reference page, the problem types. */
function openPaths(): Record<string, unknown> {
  const open = (tag: string, operationId: string, summary: string, responses: object, parameters: object[] = []) => ({
    get: { tags: [tag], operationId, summary, security: [], parameters, responses },
  });
  const live = () => ({ 200: ok('The process answers', 'Live') });
  return {
    '/health': open('Operations', 'getHealth', 'Liveness (as /health/live)', live()),
    '/health/live': open('Operations', 'getHealthLive', 'Liveness: the process answers', live()),
    '/health/ready': open('Operations', 'getHealthReady', 'Readiness: every check answers and the process is not stopping', {
      200: ok('Ready', 'Ready'),
      503: ok('Not ready: a check failed, or the process is stopping', 'Ready'),
    }),
    '/openapi.json': open('Reference', 'getOpenApi', 'This document', {
      200: { description: 'The OpenAPI document', content: { 'application/json': { schema: { type: 'object' } } } },
    }),
    '/docs': open('Reference', 'getDocs', 'This document as a browsable reference page (Swagger UI)', {
      200: { description: 'The page', content: { 'text/html': { schema: { type: 'string' } } } },
    }),
    '/problems': open('Reference', 'listProblemTypes', 'Every problem type an error may have', {
      200: ok('The problem types', 'ProblemTypes'),
    }),
    '/problems/{type}': open(
      'Reference',
      'getProblemType',
      'One problem type: what it means and its status',
      { 200: ok('The problem type', 'ProblemType'), 404: problem('No such problem type') },
      [{ name: 'type', in: 'path', required: true, schema: { type: 'string' } }],
    ),
  };
}

const signalled = (type: string) => (SIGNAL_COMMAND_TYPES as readonly string[]).includes(type);

/** The headers a command takes: the Idempotency-Key, and Prefer. */
function commandHeaders(type: string) {
  return [
    {
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,128}$' },
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
  ];
}

const EXAMPLE_REFUSAL = {
  type: '/problems/not-valid-in-phase',
  title: "The command is not valid in the case's phase: validIn lists where it is",
  status: 409,
  detail: 'POST /sentences/:id/plan is not valid in phase commenced (valid in: inducted)',
  error: 'POST /sentences/:id/plan is not valid in phase commenced (valid in: inducted)',
  route: 'POST /sentences/:id/plan',
  validIn: ['inducted'],
};

/** The record-output-evidence command's body: which details each row needs and the ids of row parts (api/evidence.ts). */
function evidenceBody(schema: Record<string, unknown>) {
  const props = schema.properties as Record<string, Record<string, unknown>>;
  const fields = Object.entries(detailFields()).map(([name, f]) => [
    name,
    f.mustBeTrue
      ? { const: true, description: `Rows ${f.rows.join(', ')}: must be true` }
      : { type: 'string', minLength: 1, description: `Rows ${f.rows.join(', ')}` },
  ]);
  return {
    ...schema,
    properties: {
      ...props,
      part: { ...props.part, enum: partIds(), description: 'The row\u2019s part, for the rows recorded per part (2 and 19)' },
      details: {
        ...props.details,
        properties: Object.fromEntries(fields),
        description: 'What the row\u2019s evidence needs (see the table above)',
      },
    },
  };
}

const EVIDENCE_DESCRIPTION = `Evidence for an output row. The rows below need \`details\` or a \`part\` (a detail marked \`= true\` must be true); the others take \`what\`, \`by\` and \`on\` alone. Evidence that lacks them is refused (409).\n\n${evidenceTable()}`;

/** One command's operation, from its HTTP entry (api/commands.ts). */
function commandOperation(type: string, schema: z.ZodType) {
  const body = type === 'record-output-evidence' ? evidenceBody(json(schema)) : json(schema);
  const examples =
    type === 'allocate'
      ? { examples: { allocate: { summary: 'Allocate to an offender manager', value: { offenderManagerId: 'OM1' } } } }
      : {};
  return {
    tags: [type.includes('output') ? 'Outputs' : 'Commands'],
    summary: `Command: ${type}`,
    ...(type === 'record-output-evidence' && { description: EVIDENCE_DESCRIPTION }),
    operationId: type,
    parameters: [ID_PARAMETER, ...commandHeaders(type)],
    requestBody: { required: true, content: { 'application/json': { schema: body, ...examples } } },
    responses: {
      200: {
        description: 'What the command changed; with `Prefer: return=representation`, the whole case (as GET /sentences/{id})',
        content: { 'application/json': { schema: { oneOf: [ref('CommandAnswer'), ref('Sentence')] } } },
      },
      ...(signalled(type) ? { 202: ok('Accepted as a Signal (Prefer: respond-async)', 'SignalAccepted') } : {}),
      400: problem('Malformed command'),
      404: problem('No such sentence'),
      409: {
        description: 'Not valid in the current phase, or the sentence is closed: the problem\u2019s type is the refusal\u2019s code',
        content: { 'application/problem+json': { schema: ref('Problem'), examples: { notValidInPhase: { value: EXAMPLE_REFUSAL } } } },
      },
      422: problem('The Idempotency-Key was first used with a different body'),
      ...AUTHENTICATED,
    },
  };
}

function commandPaths(): Record<string, unknown> {
  return Object.fromEntries(
    httpCommands.map(([type, { route, schema }]) => [`/sentences/{id}/${route}`, { post: commandOperation(type, schema) }]),
  );
}

const TAGS = [
  { name: 'Sentences', description: 'Start, list and read sentences' },
  { name: 'Commands', description: 'What happens on a case: each command is answered with what it changed' },
  { name: 'Outputs', description: 'The National Minimum outputs ledger and its evidence' },
  { name: 'Work', description: 'Work items, caseloads, the team view and alerts, for the caller' },
  { name: 'Letters', description: 'Letters made from the case, as PDF' },
  { name: 'Reports', description: 'Conformance and the delivery log' },
  { name: 'Audit', description: 'Who read or acted on what' },
  { name: 'Operations', description: 'Health, readiness and metrics' },
  { name: 'Reference', description: 'This document, its reference page and the problem types' },
];

/** The reusable answers and the ways to authenticate: a bearer JWT, from the OpenID provider when one is named. */
function reusable(issuer: string | undefined) {
  const responses = {
    Unauthenticated: problem('No valid bearer token (WWW-Authenticate says why)'),
    Forbidden: problem('The caller has no right to this, or the case is outside their areas'),
    TooManyRequests: problem('Too many requests: retry after the Retry-After seconds'),
    Unavailable: problem('A service the API needs did not answer: retry after the Retry-After seconds'),
    Problem: problem('Any other error, as a problem'),
  };
  const securitySchemes = {
    bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from the identity provider' },
    ...(issuer && {
      openId: { type: 'openIdConnect', openIdConnectUrl: `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration` },
    }),
  };
  return { responses, securitySchemes };
}

export interface DocumentOptions {
  /** The OpenID issuer whose tokens the API takes: its discovery document is named as a security scheme. */
  issuer?: string;
}

export function openApiDocument(opts: DocumentOptions = {}) {
  const { responses, securitySchemes } = reusable(opts.issuer);
  const { schemas } = z.toJSONSchema(components, { io: 'output', uri: (id) => `#/components/schemas/${id}`, unrepresentable: 'any' });
  return {
    openapi: '3.1.0',
    info: {
      title: 'sentence-orchestrator',
      version: PACKAGE_VERSION,
      description: 'Manage the sentence for a Community Order or Suspended Sentence Order',
    },
    tags: TAGS,
    security: [{ bearer: [] }, ...(opts.issuer ? [{ openId: [] }] : [])],
    paths: { ...sentencePaths(), ...letterPaths(), ...workPaths(), ...reportPaths(), ...openPaths(), ...commandPaths() },
    components: {
      schemas: tidy(schemas) as Record<string, unknown>,
      responses: {
        ...responses,
        Problem: {
          ...responses.Problem,
          content: { 'application/problem+json': { schema: ref('Problem'), examples: { refused: { value: EXAMPLE_REFUSAL } } } },
        },
      },
      securitySchemes,
    },
  };
}
