// The HTTP API: thin. zod validates at the edge, routes map to Temporal client calls, errors map to statuses.
import {
  isGrpcDeadlineError,
  ServiceError,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
  type Connection,
  type WorkflowHandle,
} from '@temporalio/client';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers.js';
import { ApplicationFailure, type QueryDefinition, type TypedSearchAttributes } from '@temporalio/common';
import { z } from 'zod';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { createLogger } from '../ops/log.ts';
import { requestLogging } from './request-log.ts';
import { createMetrics } from '../ops/metrics.ts';
import { requestTracing } from '../ops/tracing.ts';
import { CHECK_TIMEOUT_MS, checkOutcome } from '../ops/health.ts';
import { may, readsWithoutPersonalData } from '../auth/policy.ts';
import type { Principal } from '../auth/principal.ts';
import type { Actor } from '../domain/state.ts';
import { authenticate, AuthError, principal, requireRight, scopeClauses, sendAuthError, visible, type ApiAuth } from './auth.ts';
import {
  assertCaseVisible,
  caseScope,
  conformanceScope,
  NotFound,
  receivingScope,
  viewerOf,
  withoutFreeText,
  type TransferTarget,
  type WhereHeld,
} from './scope.ts';
import { createHash, randomUUID } from 'node:crypto';
import {
  COMMAND_REJECTED,
  anyCommandSignal,
  anyCommandUpdate,
  anyInScopeCommandUpdate,
  CASE_NOT_VISIBLE,
  IN_SCOPE_PREFIX,
  SIGNAL_COMMAND_TYPES,
  type SignalCommandType,
  initialSearchAttributes,
  newSentenceInput,
  SA,
  startAnswerUpdate,
  stateQuery,
  summaryQuery,
  TASK_QUEUE,
  isCommandAnswer,
  type CommandResult,
  workflowIdFor,
} from '../contracts/index.ts';
import { londonDate } from '../domain/dates.ts';
import { canSee } from '../domain/visibility.ts';
import {
  caseSummary,
  compliance,
  isOverdue,
  staticSummary,
  waitingFor,
  type CommandType,
  type SentenceState,
} from '../domain/lifecycle.ts';
import { overdueOutputs } from '../domain/outputs/ledger.ts';
import type { SentenceInput } from '../domain/sentence.ts';
import { orderLevel } from '../domain/outputs/applicability.ts';
import { earlyRevocationBlockers, requirementPositions } from '../domain/progress.ts';
import { conformance, matchesFilter } from '../domain/outputs/conformance.ts';
import { outputRow } from '../domain/outputs/catalogue.ts';
import type { AlertLog, AuditLog, DeliveryLog, IdempotencyKeys, LedgerStore, Store, StoreFigures, WorkStore } from '../store/index.ts';
import { AuditQuerySchema, auditTrail } from './audit.ts';
import helmet from 'helmet';
import { cors, perCaseRateLimit, perClientRateLimit } from './limits.ts';
import { bodyOrPathError, jsonBodiesOnly } from './body.ts';
import { codecHandler } from './codec.ts';
import { codecCookieBearer, codecSessionRoutes } from './codec-session.ts';
import { sentenceWorkflow } from '../workflows/index.ts';
import { openApiDocument } from './openapi.ts';
import { decodeCursor, encodeCursor, type Refuse } from './cursor.ts';
import { docsRoutes } from './docs.ts';
import { acknowledgeAlert, workRoutes } from './work.ts';
import { breachReport, warningLetter } from './letters.ts';
import { HTTP_COMMANDS, httpCommands, type HttpCommand } from './commands.ts';
import { describeProblems, refusalCodeOf, sendProblem, type ProblemType } from './problems.ts';
import {
  ConformanceQuerySchema,
  DeliveriesQuerySchema,
  IdempotencyKeySchema,
  ListQuerySchema,
  problemsOf,
  SentenceInputSchema,
  type Problem,
} from './schemas.ts';
import { deadlineId } from '../domain/deadlines.ts';

const isSignalCommand = (type: CommandType): type is SignalCommandType => (SIGNAL_COMMAND_TYPES as readonly string[]).includes(type);
/** RFC 7240: the client asks not to wait for the outcome. */
const wantsAsync = (req: Request) => /(^|[,;\s])respond-async([,;\s]|$)/i.test(req.get('Prefer') ?? '');
/** RFC 7240: the client asks for the whole case in the answer to a command, not only what changed. */
const wantsRepresentation = (req: Request) => /(^|[,;\s])return\s*=\s*"?representation"?([,;\s]|$)/i.test(req.get('Prefer') ?? '');

export interface AppOptions {
  client: Client;
  /** Bearer-token authentication (api/auth.ts): every route but health, readiness and /openapi.json needs it. */
  auth: ApiAuth;
  /** Requests per client per minute (429 beyond; default 1200) and the browser origins allowed (none by default). */
  limits?: { requestsPerMinute?: number; corsOrigins?: string[]; commandsPerCasePerMinute?: number };
  /** The audit log (store/audit.ts): every read of case data and every command leaves an event; GET /audit reads it. */
  audit?: Pick<AuditLog, 'record' | 'query' | 'seenBy'>;
  taskQueue?: string;
  /** The clock for "not in the future" checks at the edge; the workflow judges commands by its own clock. */
  now?: () => number;
  /** The conformance read model (published by the worker). Without it, reports read every workflow. */
  ledgers?: Pick<LedgerStore, 'conformance'>;
  /** The body each command's Idempotency-Key was first used with: a key reused with another body is refused (422). */
  idempotency?: Pick<IdempotencyKeys, 'claim'>;
  /** The work items each case asks of people (GET /worklist, /caseload, /team: api/work.ts). */
  work?: WorkStore;
  /** The alert log: the caller's alerts (GET /alerts) and their acknowledgement. */
  alerts?: Pick<AlertLog, 'forPerson' | 'acknowledge'>;
  /** The delivery log of agency and case-system notifications (GET /deliveries). */
  deliveries?: Pick<DeliveryLog, 'list'>;
  /** Named readiness checks (Temporal, PostgreSQL, the worker), each resolving when its part answers; Temporal alone
   * by default. */
  readiness?: Record<string, () => Promise<unknown>>;
  /** True once the process is stopping: readiness answers 503 from then on, before the drain. */
  draining?: () => boolean;
  /** Structured, redacted logs (ops/log.ts); one per request with its id. */
  logger?: Logger;
  /** The store's figures for GET /metrics (sentences by phase, overdue outputs, deliveries, alerts). */
  figures?: () => Promise<StoreFigures>;
  /**
   * How long a read or a command waits for the case's workflow to answer (a worker must run it) before the API gives
   * up with 503 and Retry-After; a start that reached Temporal answers 202 then. Default 10 s (ANSWER_TIMEOUT_MS).
   */
  answerTimeoutMs?: number;
}

/** A read or a command that the case's workflow did not answer in time (no worker running it, or all too busy). */
class NoAnswer extends Error {}

/** Seconds a client should wait before retrying after a 503 for want of an answer. */
const NO_ANSWER_RETRY_AFTER_S = 5;

/**
 * Temporal gave no answer: the deadline passed, or the server dropped an Update in flight because the workflow task
 * carrying it failed (FAILED_PRECONDITION; e.g. closed by the server when a flood of Signals overran it). Either way
 * the command may be sent again with the same Idempotency-Key.
 */
const noAnswer = (e: unknown) =>
  isGrpcDeadlineError(e) || e instanceof WorkflowUpdateRPCTimeoutOrCancelledError || updateDroppedByServer(e);

function updateDroppedByServer(e: unknown): boolean {
  const cause = e instanceof ServiceError ? (e.cause as { code?: unknown; details?: unknown } | undefined) : undefined;
  return cause?.code === 9 && typeof cause.details === 'string' && cause.details.includes('Unable to perform workflow execution update');
}

/**
 * The visibility query for a validated filter. Values are codes (letters, digits, - and _), enums or ISO dates, as
 * the schemas guarantee, so they are safe to quote.
 */
export function visibilityQuery(f: {
  phase?: string;
  offenderManager?: string;
  area?: string;
  provider?: string;
  orderType?: string;
  roshLevel?: string;
  overdue?: 'true' | 'false';
  nextDeadlineBefore?: string;
}): string {
  // One row per sentence: the runs a sentence continued as new from are history, not sentences.
  const clauses = [`WorkflowType = 'sentenceWorkflow'`, `ExecutionStatus != 'ContinuedAsNew'`];
  if (f.phase) clauses.push(`${SA.phase.name} = '${f.phase}'`);
  if (f.offenderManager) clauses.push(`${SA.offenderManagerId.name} = '${f.offenderManager}'`);
  if (f.area) clauses.push(`${SA.areaCode.name} = '${f.area}'`);
  if (f.provider) clauses.push(`${SA.providerCode.name} = '${f.provider}'`);
  if (f.orderType) clauses.push(`${SA.orderType.name} = '${f.orderType}'`);
  if (f.roshLevel) clauses.push(`${SA.roshLevel.name} = '${f.roshLevel}'`);
  if (f.overdue) clauses.push(`${SA.overdue.name} = ${f.overdue}`);
  if (f.nextDeadlineBefore) clauses.push(`${SA.nextDeadline.name} < '${f.nextDeadlineBefore}T00:00:00Z'`);
  return clauses.join(' AND ');
}

async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(lanes);
}

interface HttpErrorOptions {
  /** Each invalid field of a 400. */
  problems?: Problem[];
  /** Seconds to wait before trying again, sent as Retry-After. */
  retryAfterS?: number;
  /** The problem's type (api/problems.ts), when not the one for the status. */
  type?: ProblemType;
  /** More members of the problem (e.g. validIn). */
  extra?: Record<string, unknown>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly opts: HttpErrorOptions = {},
  ) {
    super(message);
  }
}

/** Seconds a sender should wait when the server takes no more Signals for a case's current run. */
const SIGNAL_LIMIT_RETRY_AFTER_S = 30;

/**
 * Whether Temporal refused a Signal because the case's current run has taken as many as the server allows
 * (history.maximumSignalsPerExecution, 10,000 by default): the case takes them again once it continues as new.
 */
function signalLimitReached(e: unknown): boolean {
  const details = e instanceof ServiceError ? ((e.cause as { details?: unknown } | undefined)?.details ?? e.message) : undefined;
  return typeof details === 'string' && details.includes('exceeded workflow execution limit for signal events');
}

/** Canonical JSON (sorted keys) of the validated sentence: the idempotency fingerprint of a start request. */
export function fingerprint(sentence: SentenceInput | object): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
          )
        : v;
  return createHash('sha256')
    .update(JSON.stringify(canonical(sentence)))
    .digest('hex');
}

export function view(state: SentenceState) {
  const today = londonDate(Date.now());
  return {
    sentenceId: state.sentence.sentenceId,
    workflowId: workflowIdFor(state.sentence.sentenceId),
    phase: state.phase,
    waitingFor: waitingFor(state),
    /** A deadline overdue, or (rules 2) an output: the counts say which. */
    overdue: isOverdue(state),
    overdueDeadlines: state.deadlines.filter((d) => d.status === 'overdue').length,
    overdueOutputs: overdueOutputs(state.outputs),
    offenderManagerId: state.offenderManagerId ?? null,
    policyVersion: state.policyVersion,
    dates: state.dates,
    milestones: state.milestones,
    termination: state.termination ?? null,
    deadlines: state.deadlines,
    compliance: compliance(state, today),
    /** The appointments booked, with their outcomes once recorded. */
    appointments: state.compliance.appointments,
    owner: { ...state.provider, offenderManagerId: state.offenderManagerId ?? null, courtCode: state.courtCode },
    ownership: state.ownership,
    risk: { roshLevel: state.offender.roshLevel, mappa: state.offender.mappa ?? null, ...state.risk },
    transfers: state.transfers,
    courtReports: state.courtReports.map((r) => ({
      ...r,
      status: state.deadlines.find((d) => d.id === deadlineId.courtReport(r.id))?.status ?? 'unknown',
    })),
    progress: {
      requirements: requirementPositions(state, today),
      objectivesMetOn: state.progress.objectivesMetOn ?? null,
      earlyRevocation: { ...state.progress.earlyRevocation, blockers: earlyRevocationBlockers(state, today) },
      endedByOfficer: state.progress.endedByOfficer ?? null,
    },
    law: state.law,
    timeline: state.timeline,
    /** How many earlier timeline entries are no longer kept on the case (domain/bounds.ts: its history has them). */
    timelineOmitted: state.timelineOmitted ?? 0,
    signalsRejected: state.signalsRejected ?? { count: 0, latest: [] },
    sentence: state.sentence,
  };
}

/** The outputs ledger joined with the catalogue: what a commissioner or auditor reads for one case. */
export function outputsView(state: SentenceState) {
  const counts: Record<string, number> = {};
  for (const e of state.outputs) counts[e.status] = (counts[e.status] ?? 0) + 1;
  return {
    sentenceId: state.sentence.sentenceId,
    level: orderLevel(state.sentence.requirements),
    counts,
    outputs: state.outputs.map((e) => {
      const row = outputRow(e.row);
      return { ...e, summary: row.summary, type: row.type, em: row.em, element: row.element, delivery: row.delivery, source: row.source };
    }),
  };
}

/** What every route needs: the Temporal client, the clock, the read model, and a sentence's workflow. */
interface Ctx {
  client: Client;
  taskQueue: string;
  now: () => number;
  opts: AppOptions;
  handle: (id: string) => WorkflowHandle<typeof sentenceWorkflow>;
  read: <T>(id: string, query: QueryDefinition<T, []>) => Promise<T>;
  readState: (id: string) => Promise<SentenceState>;
  whereHeld: WhereHeld;
  answered: <R>(fn: () => Promise<R>) => Promise<R>;
}

function context(opts: AppOptions): Ctx {
  const { client } = opts;
  const handle = (id: string) => client.workflow.getHandle<typeof sentenceWorkflow>(workflowIdFor(id));
  const timeoutMs = opts.answerTimeoutMs ?? 10_000;
  /** Runs a call that needs the workflow to answer, giving up after answerTimeoutMs (NoAnswer: 503). */
  async function answered<R>(fn: () => Promise<R>): Promise<R> {
    const deadline = Date.now() + timeoutMs;
    try {
      return await client.withDeadline(deadline, fn);
    } catch (e) {
      if (updateDroppedByServer(e)) throw new NoAnswer('the case could not answer: Temporal closed the task that carried the command');
      // Past its deadline a call can fail with another status than DEADLINE_EXCEEDED (seen under load: a query's
      // ServiceError 1.56 s into a 1.5 s deadline): it is still a call the case did not answer in time.
      const pastDeadline = e instanceof ServiceError && Date.now() >= deadline;
      if (noAnswer(e) || pastDeadline) throw new NoAnswer(`the case did not answer within ${timeoutMs / 1000} s (is a worker running?)`);
      throw e;
    }
  }
  /** A query of a sentence's workflow: 404 when there is none, 503 when it does not answer in time. */
  async function read<T>(id: string, query: QueryDefinition<T, []>): Promise<T> {
    try {
      return await answered(() => handle(id).query(query));
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) throw new HttpError(404, `no sentence ${id}`);
      throw e;
    }
  }
  const readState = (id: string) => read(id, stateQuery);
  /** Where a case is held now: its current search attributes (describe reads them from the workflow itself). */
  const whereHeld: WhereHeld = async (id) => {
    try {
      const described = await handle(id).describe();
      const sa = described.typedSearchAttributes;
      const startedBy = described.memo?.startedBy;
      return {
        status: described.status.name,
        ...(typeof startedBy === 'string' && { startedBy }),
        provider: sa.get(SA.providerCode),
        area: sa.get(SA.areaCode),
        ...(sa.get(SA.restrictedTo) && { restrictedTo: sa.get(SA.restrictedTo) }),
        ...(sa.get(SA.excludedStaff) && { excluded: sa.get(SA.excludedStaff) }),
      };
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) return undefined;
      throw e;
    }
  };
  return { client, taskQueue: opts.taskQueue ?? TASK_QUEUE, now: opts.now ?? Date.now, opts, handle, read, readState, whereHeld, answered };
}

/** The options the project store provides: the read model, the delivery log, the audit log and the figures. */
export function storeOptions(store: Pick<Store, 'ledgers' | 'deliveries' | 'audit' | 'idempotency' | 'figures' | 'work' | 'alerts'>) {
  const { ledgers, deliveries, audit, idempotency, work, alerts } = store;
  return { ledgers, deliveries, audit, idempotency, work, alerts, figures: () => store.figures() };
}

/** Where an approved transfer is going (the receiving side answers it: api/scope.ts receivingScope). */
function transferTargetOf(ctx: Ctx): TransferTarget {
  return async (id, transferId) => {
    const t = (await ctx.readState(id)).transfers.find((x) => x.id === transferId && x.status === 'approved');
    return t && { providerCode: t.to.providerCode, areaCode: t.to.areaCode };
  };
}

/** What comes before authentication: headers, CORS, logs, traces, metrics, bodies, health, the API description. */
function openEdge(app: express.Express, ctx: Ctx, logger: Logger) {
  const { opts } = ctx;
  app.disable('x-powered-by');
  // Security headers; CORS closed unless origins are configured (api/limits.ts).
  app.use(helmet());
  app.use(cors(opts.limits?.corsOrigins ?? []));
  app.use(requestLogging(logger));
  app.use(requestTracing());
  const metrics = createMetrics(opts.figures);
  app.use(metrics.middleware);
  // One audit trail, for the codec sign-in here and for every authenticated route (api/audit.ts).
  const audit = opts.audit && auditTrail(opts.audit, logger, { onLost: metrics.auditEventLost });
  // The client's own payload codecs (ops/codec.ts) serve the Temporal Web UI as its codec server; an operator's
  // browser may sign in to it with a cookie (api/codec-session.ts). Its sign-in page takes a form, so it comes before
  // the JSON-only rule for bodies.
  const codecs = opts.client.options.loadedDataConverter.payloadCodecs;
  if (codecs.length > 0) codecSessionRoutes(app, opts.auth, audit);
  app.use(jsonBodiesOnly);
  app.use(express.json({ limit: '256kb' }));
  healthRoutes(app, ctx);
  app.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument({ issuer: opts.auth.issuer }));
  });
  docsRoutes(app);
  // What each problem type means: the `type` of every error answer resolves here (api/problems.ts).
  app.get('/problems', describeProblems);
  app.get('/problems/:type', describeProblems);
  if (codecs.length > 0) app.use(codecCookieBearer(opts.limits?.corsOrigins ?? []));
  return { metrics, codecs, audit };
}

export function createApp(opts: AppOptions): express.Express {
  const ctx = context(opts);
  const app = express();
  const logger = opts.logger ?? createLogger({ name: 'api' });
  const { metrics, codecs, audit } = openEdge(app, ctx, logger);
  // Everything below needs a bearer token, and the right for it (auth/policy.ts).
  app.use(authenticate(opts.auth));
  // Audited before the budget: a request refused with 429 leaves its event too.
  if (audit) app.use(audit);
  app.use(perClientRateLimit(opts.limits?.requestsPerMinute ?? 1200));
  app.get('/audit', requireRight('audit'), (req, res) => auditQuery(ctx, req, res));
  if (codecs.length > 0) {
    app.post('/codec/decode', requireRight('codec'), codecHandler(codecs, 'decode'));
    app.post('/codec/encode', requireRight('codec'), codecHandler(codecs, 'encode'));
  }
  app.get('/metrics', requireRight('metrics'), async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  const scope = caseScope(ctx.whereHeld);
  const caseBudget = perCaseRateLimit(opts.limits?.commandsPerCasePerMinute ?? 120);
  const receiving = receivingScope(ctx.whereHeld, transferTargetOf(ctx));
  app.post('/sentences', requireRight('start'), (req, res) => withRequestId(ctx, req, () => startSentence(ctx, req, res)));
  app.get('/sentences', requireRight('list'), (req, res) => listSentences(ctx, req, res));
  app.get('/reports/conformance', requireRight('conformance'), (req, res) => conformanceReport(ctx, req, res));
  app.get('/deliveries', requireRight('deliveries'), (req, res) => listDeliveries(ctx, req, res));
  const work = workOptions(ctx);
  workRoutes(app, work);
  app.get('/sentences/:id', requireRight('view'), scope, async (req, res) => {
    const id = String(req.params.id);
    const answer = view(await ctx.readState(id));
    // Who has seen this case: for the practitioners and managers who hold it (the seen-by right, auth/policy.ts).
    res.json(may(principal(res), 'seen-by') && opts.audit ? { ...answer, seenBy: await opts.audit.seenBy(id) } : answer);
  });
  // The case in brief, from the compact query: what it waits for and what is late, without its records.
  app.get('/sentences/:id/summary', requireRight('view'), scope, async (req, res) => {
    res.json(await ctx.read(String(req.params.id), summaryQuery));
  });
  app.post('/sentences/:id/alerts/acknowledgement', requireRight('alerts'), scope, acknowledgeAlert(work));
  // The warning letter (api/letters.ts), made from the case's record of the warning given for the failure.
  app.get('/sentences/:id/letters/warning/:failureId', requireRight('letters'), scope, warningLetter(ctx.readState, work.refuse));
  // The breach report to court (api/letters.ts), for a referred failure, with the officer's recommendation.
  app.get(
    '/sentences/:id/letters/breach-report/:failureId',
    requireRight('letters'),
    scope,
    breachReport(ctx.readState, work.refuse, ctx.now),
  );
  app.get('/sentences/:id/outputs', requireRight('outputs'), scope, async (req, res) => {
    const ledger = outputsView(await ctx.readState(String(req.params.id)));
    res.json(readsWithoutPersonalData(principal(res)) ? withoutFreeText(ledger) : ledger);
  });
  commandRoutes(app, ctx, { scope, receiving, caseBudget });
  app.use((req, res) => sendProblem(req, res, 404, 'no such route'));
  app.use(errorHandler(logger));
  return app;
}

/** POST /sentences/:id/<route>: every command (api/commands.ts), each checked where the case is held and budgeted per case. */
function commandRoutes(
  app: express.Express,
  ctx: Ctx,
  checks: { scope: ReturnType<typeof caseScope>; receiving: express.RequestHandler; caseBudget: express.RequestHandler },
): void {
  for (const [type, { route, schema }] of httpCommands) {
    const named = (_req: Request, res: Response, next: NextFunction) => ((res.locals.command = type), next());
    const scoped = type === 'respond-to-transfer' ? checks.receiving : commandScope(type, checks.scope);
    app.post(`/sentences/:id/${route}`, named, requireRight(type), scoped, checks.caseBudget, (req, res) =>
      withRequestId(ctx, req, () => sendCommand(ctx, type, schema, req, res)),
    );
  }
}

/** What the routes of people's work need (api/work.ts): the store's work items and alerts, the clock, the 4xx. */
function workOptions(ctx: Ctx) {
  const { opts } = ctx;
  return {
    ...(opts.work && { work: opts.work }),
    ...(opts.alerts && { alerts: opts.alerts }),
    now: ctx.now,
    refuse,
  };
}

/**
 * Temporal answers: a system-info call, given up before the check times out. Pass a connection made without the
 * client's retry interceptor (`interceptors: []`), so that no retry of a failed check outlives it.
 */
export function temporalReadiness(connection: Connection): () => Promise<unknown> {
  return () => connection.withDeadline(Date.now() + CHECK_TIMEOUT_MS - 250, () => connection.workflowService.getSystemInfo({}));
}

/**
 * Liveness (`/health`, `/health/live`: the process answers) and readiness (`/health/ready`: every check answers and
 * the process is not stopping; 503 with each check's outcome otherwise).
 */
function healthRoutes(app: express.Express, ctx: Ctx): void {
  const live = (_req: Request, res: Response) => {
    res.json({ status: 'ok' });
  };
  app.get('/health', live);
  app.get('/health/live', live);
  const checks = ctx.opts.readiness ?? { temporal: () => ctx.client.workflowService.getSystemInfo({}) };
  app.get('/health/ready', async (_req, res) => {
    const outcomes = await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await checkOutcome(check)] as const));
    const draining = ctx.opts.draining?.() ?? false;
    const ready = !draining && outcomes.every(([, o]) => o === 'ok');
    res.status(ready ? 200 : 503).json({ ready, draining, checks: Object.fromEntries(outcomes) });
  });
}

/** POST /sentences: the case system starts a sentence (idempotent on the same body; 409 on a different one). */
async function startSentence(ctx: Ctx, req: Request, res: Response): Promise<void> {
  const { client, taskQueue, now } = ctx;
  const parsed = SentenceInputSchema.safeParse(req.body);
  const problems = parsed.success ? [] : problemsOf(parsed.error);
  const today = londonDate(now());
  const sentenceDate = (req.body as { order?: { sentenceDate?: unknown } } | undefined)?.order?.sentenceDate;
  if (typeof sentenceDate === 'string' && sentenceDate > today) {
    problems.push({ path: 'order.sentenceDate', message: `the sentence date may not be in the future (today is ${today})` });
  }
  if (!parsed.success || problems.length > 0) throw new HttpError(400, 'invalid sentence', { problems });
  const sentence = parsed.data;
  res.locals.sentenceId = sentence.sentenceId; // for the audit trail
  if (!visible(res, sentence.provider.providerCode, sentence.provider.areaCode)) {
    throw new AuthError(403, `provider ${sentence.provider.providerCode}, area ${sentence.provider.areaCode} is outside your areas`);
  }
  const inputHash = fingerprint(sentence);
  const workflowId = workflowIdFor(sentence.sentenceId);
  const start = new WithStartWorkflowOperation(sentenceWorkflow, {
    workflowId,
    taskQueue,
    args: [newSentenceInput(sentence, inputHash)],
    // Who started it: a case system reads only the sentences it started (api/scope.ts).
    memo: { inputHash, startedBy: principal(res).clientId },
    typedSearchAttributes: initialSearchAttributes(sentence),
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    workflowIdConflictPolicy: 'FAIL',
    staticSummary: staticSummary(sentence),
    staticDetails: `Requirements: ${sentence.requirements.map((r) => r.type).join(', ') || 'none'}; responsible officer: ${sentence.responsibleOfficer}`,
  });
  try {
    // One round trip: the start and its Update, answered once the first workflow task has run.
    const state = await ctx.answered(() => client.workflow.executeUpdateWithStart(startAnswerUpdate, { startWorkflowOperation: start }));
    res.location(`/sentences/${sentence.sentenceId}`).status(201).json(view(state));
  } catch (e) {
    if (e instanceof NoAnswer && (await startedAnyway(ctx, sentence.sentenceId, inputHash)))
      return answerNotYet(res, sentence.sentenceId, e);
    if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
    await answerExisting(ctx, res, sentence.sentenceId, inputHash);
  }
}

/** Whether a start that got no answer in time reached Temporal anyway (the case then exists, with this body). */
async function startedAnyway(ctx: Ctx, sentenceId: string, inputHash: string): Promise<boolean> {
  try {
    return (await (await ctx.handle(sentenceId).describe()).memo)?.inputHash === inputHash;
  } catch (e) {
    if (e instanceof WorkflowNotFoundError) return false;
    throw e;
  }
}

/** The same start again: 200 with the case, to a caller who may read it; 409 for a different body or anyone else. */
async function answerExisting(ctx: Ctx, res: Response, sentenceId: string, inputHash: string): Promise<void> {
  const existing = await ctx.handle(sentenceId).describe();
  const existingHash = (await existing.memo)?.inputHash;
  if (existingHash !== inputHash)
    throw new HttpError(409, `sentence ${sentenceId} already exists with a different body`, { type: 'conflict' });
  // The same start again is answered with the case only to a caller who may read it where it is held now (it may
  // have moved, or been started by another client): anyone else learns only that the id is taken.
  try {
    await assertCaseVisible(ctx.whereHeld, res, sentenceId);
  } catch (notYours) {
    if (notYours instanceof NotFound) throw new HttpError(409, `sentence ${sentenceId} already exists`, { type: 'conflict' });
    throw notYours;
  }
  await answerStarted(ctx, res, sentenceId, 200);
}

/**
 * The answer to a start already made: the sentence as it stands, or, when its workflow has not answered in time (no
 * worker yet), 202 with where it will be: it is started, and the same request again answers 200 once it has commenced.
 */
async function answerStarted(ctx: Ctx, res: Response, sentenceId: string, status: 200 | 201): Promise<void> {
  res.location(`/sentences/${sentenceId}`);
  try {
    res.status(status).json(view(await ctx.readState(sentenceId)));
  } catch (e) {
    if (!(e instanceof NoAnswer)) throw e;
    answerNotYet(res, sentenceId, e);
  }
}

function answerNotYet(res: Response, sentenceId: string, e: NoAnswer): void {
  res
    .location(`/sentences/${sentenceId}`)
    .status(202)
    .setHeader('Retry-After', String(NO_ANSWER_RETRY_AFTER_S))
    .json({ sentenceId, started: true, message: `started; ${e.message}: GET it or send the same request again later` });
}

/** GET /sentences: one item per sentence, from search attributes, a page at a time (Temporal's own page token). */
async function listSentences(ctx: Ctx, req: Request, res: Response): Promise<void> {
  const { client } = ctx;
  const parsed = ListQuerySchema.safeParse(req.query);
  if (!parsed.success) throw new HttpError(400, 'invalid filter', { problems: problemsOf(parsed.error) });
  const { cursor, limit, ...filter } = parsed.data;
  // Only the cases in the caller's provider and areas.
  const scoped = scopeClauses(principal(res));
  if (!scoped) {
    res.json({ query: null, count: 0, items: [], next: null });
    return;
  }
  const query = [visibilityQuery(filter), ...scoped].join(' AND ');
  const nextPageToken = cursor === undefined ? undefined : pageToken(cursor, query);
  const { namespace } = client.options;
  const page = await client.workflowService.listWorkflowExecutions({ namespace, query, pageSize: limit, nextPageToken });
  const items = await Promise.all(
    page.executions.map(async (raw) => {
      const wf = await executionInfoFromRaw(raw, client.options.loadedDataConverter, raw, namespace);
      return listItem(wf.workflowId, wf.status.name, wf.typedSearchAttributes);
    }),
  );
  const more = page.nextPageToken && page.nextPageToken.length > 0;
  res.json({ query, count: items.length, items, next: more ? listCursor(page.nextPageToken, query) : null });
}

function listItem(workflowId: string, status: string, sa: TypedSearchAttributes) {
  const next = sa.get(SA.nextDeadline);
  return {
    sentenceId: workflowId.replace(/^sentence-/, ''),
    workflowId,
    status,
    orderType: sa.get(SA.orderType) ?? null,
    phase: sa.get(SA.phase) ?? null,
    offenderManagerId: sa.get(SA.offenderManagerId) ?? null,
    areaCode: sa.get(SA.areaCode) ?? null,
    providerCode: sa.get(SA.providerCode) ?? null,
    roshLevel: sa.get(SA.roshLevel) ?? null,
    overdue: sa.get(SA.overdue) ?? false,
    nextDeadline: next ? next.toISOString().slice(0, 10) : null,
  };
}

/** A 4xx or 5xx with its problems, for the route modules that do not import the app (api/work.ts, api/letters.ts). */
const refuse: Refuse = (status, message, problems) => new HttpError(status, message, { problems });

/** A page's end for GET /sentences: Temporal's page token, with a digest of the query it belongs to (api/cursor.ts). */
const queryDigest = (query: string) => createHash('sha256').update(query).digest('base64url').slice(0, 16);
const listCursor = (token: Uint8Array, query: string) =>
  encodeCursor({ q: queryDigest(query), t: Buffer.from(token).toString('base64url') });
const isListCursor = (c: unknown): c is { q: string; t: string } =>
  typeof c === 'object' && c !== null && typeof (c as { q?: unknown }).q === 'string' && typeof (c as { t?: unknown }).t === 'string';

function pageToken(cursor: string, query: string): Buffer {
  const c = decodeCursor(cursor, isListCursor, refuse, (x) =>
    x.q === queryDigest(query) ? undefined : 'cursor belongs to a list with another filter: send the same filter with it',
  )!;
  return Buffer.from(c.t, 'base64url');
}

/** GET /reports/conformance: per output row across cases, from the read model or from every workflow. */
async function conformanceReport(ctx: Ctx, req: Request, res: Response): Promise<void> {
  const { client, opts } = ctx;
  const parsed = ConformanceQuerySchema.safeParse(req.query);
  if (!parsed.success) throw new HttpError(400, 'invalid filter', { problems: problemsOf(parsed.error) });
  const { source, ...filter } = conformanceScope(res, parsed.data);
  const started = performance.now();
  if (source === 'read-model') {
    if (!opts.ledgers) throw new HttpError(503, 'no read model is configured on this server: use source=workflows');
    const report = await opts.ledgers.conformance(filter);
    res.json({ filters: filter, source, readMs: Math.round(performance.now() - started), ...report });
    return;
  }
  // The authoritative path: list by visibility, then read each case's ledger from its workflow, 16 at a time.
  const query = visibilityQuery(filter);
  const ids: string[] = [];
  for await (const wf of client.workflow.list({ query, pageSize: 1000 })) ids.push(wf.workflowId);
  const ledgers: SentenceState['outputs'][] = [];
  let unreadable = 0;
  await forEachLimit(ids, 16, async (workflowId) => {
    try {
      const s = await client.workflow.getHandle(workflowId).query(stateQuery);
      if (matchesFilter({ ...s.provider, orderType: s.sentence.order.type, sentenceDate: s.dates.sentenceDate }, filter))
        ledgers.push(s.outputs);
    } catch {
      unreadable++; // e.g. a run that failed before commencement
    }
  });
  res.json({
    filters: filter,
    source,
    query,
    listed: ids.length,
    unreadable,
    readMs: Math.round(performance.now() - started),
    ...conformance(ledgers),
  });
}

/** GET /deliveries?sentenceId=: the delivery log of one sentence's notifications (codes and statuses only). */
async function auditQuery(ctx: Ctx, req: Request, res: Response): Promise<void> {
  const parsed = AuditQuerySchema.safeParse(req.query);
  if (!parsed.success) throw new HttpError(400, 'invalid query', { problems: problemsOf(parsed.error) });
  if (!ctx.opts.audit) throw new HttpError(503, 'no audit log is configured on this server');
  const items = await ctx.opts.audit.query(parsed.data);
  res.json({ filters: parsed.data, count: items.length, items });
}

async function listDeliveries(ctx: Ctx, req: Request, res: Response): Promise<void> {
  const parsed = DeliveriesQuerySchema.safeParse(req.query);
  if (!parsed.success) throw new HttpError(400, 'invalid query', { problems: problemsOf(parsed.error) });
  if (!ctx.opts.deliveries) throw new HttpError(503, 'no delivery log is configured on this server');
  await assertCaseVisible(ctx.whereHeld, res, parsed.data.sentenceId);
  const items = await ctx.opts.deliveries.list(parsed.data.sentenceId);
  res.json({ sentenceId: parsed.data.sentenceId, count: items.length, items });
}

/** POST /sentences/:id/<route>: a command, as an Update (or, with Prefer: respond-async, a Signal where allowed). */
/** The principal as the workflow records it. */
const actorFrom = (p: Principal): Actor => ({ id: p.id, kind: p.kind, roles: [...p.roles], clientId: p.clientId });

/**
 * The command's actor (`by`) is the caller: a person's `by` defaults to their staff id, and a `by` naming anyone else is
 * refused (403). A machine client (a case system) names the member of staff it acts for.
 */
function actorOf(schema: HttpCommand['schema'], body: unknown, p: Principal): unknown {
  const given = (body ?? {}) as Record<string, unknown>;
  if (p.kind === 'client' || typeof given !== 'object' || Array.isArray(given)) return body ?? {};
  if (given.by !== undefined && given.by !== p.id) throw new AuthError(403, `by names someone other than you (${p.id})`);
  const takesBy = schema instanceof z.ZodObject && 'by' in schema.shape;
  return takesBy ? { ...given, by: p.id } : given;
}

/**
 * Where a command's caller is checked against where the case is held. A command sent as an Update is checked by the
 * workflow itself, in the step that judges it (the in-scope Updates, contracts/index.ts), with no read before it. Two
 * are checked here first: one sent as a Signal (which answers nothing back), and one with an Idempotency-Key, whose
 * claim (claimKey) is not made for a case the caller may not see.
 */
function commandScope(type: CommandType, scope: ReturnType<typeof caseScope>) {
  return (req: Request, res: Response, next: NextFunction) =>
    (wantsAsync(req) && isSignalCommand(type)) || req.get('Idempotency-Key') !== undefined ? scope(req, res, next) : next();
}

async function sendCommand(ctx: Ctx, type: CommandType, schema: HttpCommand['schema'], req: Request, res: Response): Promise<void> {
  const { handle } = ctx;
  const commandError = (id: string, e: unknown) => commandErrorOf(ctx, id, e, type, res);
  const id = String(req.params.id);
  const parsed = schema.safeParse(actorOf(schema, req.body, principal(res)));
  const key = IdempotencyKeySchema.safeParse(req.get('Idempotency-Key'));
  if (!parsed.success || !key.success) {
    const problems = [
      ...(parsed.success ? [] : problemsOf(parsed.error)),
      ...(key.success ? [] : problemsOf(key.error).map((p) => ({ ...p, path: 'Idempotency-Key' }))),
    ];
    throw new HttpError(400, `invalid ${type} command`, { problems });
  }
  if (key.data !== undefined) await claimKey(ctx, id, type, key.data, parsed.data);
  if (wantsAsync(req) && isSignalCommand(type)) {
    // Fire and forget (Prefer: respond-async): sent as a Signal; the case applies it, or records why not.
    // The same id space as the Update path (`<type>:<key>`): one key is one command, whichever way it comes.
    const commandId = `${type}:${key.data ?? randomUUID()}`;
    try {
      await handle(id).signal(anyCommandSignal(type), { ...parsed.data, commandId, actor: actorFrom(principal(res)) });
    } catch (e) {
      throw await commandError(id, e);
    }
    res.status(202).json({ accepted: true, sentenceId: id, command: type, commandId, via: 'signal' });
    return;
  }
  try {
    // The Idempotency-Key becomes the update id: a retry with the same key is answered, never applied twice.
    const updateId = key.data === undefined ? undefined : `${type}:${key.data}`;
    // Who sent it travels beside the arguments: the workflow records it on what the command adds (timeline, evidence).
    const meta = { actor: actorFrom(principal(res)) };
    const result = await ctx.answered(() => commandUpdate(ctx, type, id, parsed.data, meta, updateId, res));
    if (wantsRepresentation(req)) res.json(view(isCommandAnswer(result) ? await ctx.readState(id) : result));
    else res.json(commandAnswerView(type, result));
  } catch (e) {
    throw await commandError(id, e);
  }
}

/**
 * A command's Update: the in-scope one, which the workflow refuses for a caller who may not see the case; the
 * command's own Update for the answer to a transfer (whose receiving side api/scope.ts checked) and after an older
 * worker refused the in-scope one for want of its handler (during a deployment), once the case is checked here.
 */
async function commandUpdate(
  ctx: Ctx,
  type: CommandType,
  id: string,
  args: object,
  meta: { actor: Actor },
  updateId: string | undefined,
  res: Response,
): Promise<CommandResult> {
  const ids = updateId ? { updateId } : {};
  if (type !== 'respond-to-transfer') {
    try {
      const viewer = viewerOf(principal(res));
      return await ctx.handle(id).executeUpdate(anyInScopeCommandUpdate(type), { args: [args, { ...meta, viewer }], ...ids });
    } catch (e) {
      if (!noInScopeHandler(e)) throw e;
    }
    await assertCaseVisible(ctx.whereHeld, res, id);
  }
  return ctx.handle(id).executeUpdate(anyCommandUpdate(type), { args: [args, meta], ...ids });
}

/** A worker older than the in-scope Updates refuses them: it has no handler by that name (the SDK's own words). */
function noInScopeHandler(e: unknown): boolean {
  return (
    e instanceof WorkflowUpdateFailedError &&
    e.cause instanceof ApplicationFailure &&
    e.cause.message.startsWith(`No registered handler for update: ${IN_SCOPE_PREFIX}`)
  );
}

/**
 * A command's answer: the case in brief and what the command changed, as a JSON Patch of the case's state (null when
 * an older worker answered with the whole state, during a deployment).
 */
function commandAnswerView(command: CommandType, result: CommandResult) {
  if (!isCommandAnswer(result)) return { ...caseSummary(result), command, changes: null };
  return { ...result.summary, command, changes: result.changes, ...(result.repeated && { repeated: true }) };
}

/** 422 when the Idempotency-Key was first used with another body for this case and command (store/idempotency.ts). */
async function claimKey(ctx: Ctx, sentenceId: string, command: CommandType, key: string, body: object): Promise<void> {
  const keys = ctx.opts.idempotency;
  if (!keys) return;
  if (!(await keys.claim({ sentenceId, command, key, bodySha256: fingerprint(body) }))) {
    throw new HttpError(422, `Idempotency-Key ${key} was first used with a different ${command} body: a new command needs a new key`, {
      type: 'idempotency-key-reused',
    });
  }
}

async function commandErrorOf(ctx: Ctx, id: string, e: unknown, type: CommandType, res: Response): Promise<unknown> {
  if (signalLimitReached(e)) {
    return new HttpError(
      429,
      `case ${id} takes no more signals until its workflow continues as new: send it again later, with the same Idempotency-Key`,
      { retryAfterS: SIGNAL_LIMIT_RETRY_AFTER_S },
    );
  }
  if (e instanceof WorkflowUpdateFailedError && e.cause instanceof ApplicationFailure && e.cause.type === COMMAND_REJECTED) {
    // The refusal's code is the problem's type; the words name the route, as the client knows it, not the command.
    const [, validIn] = e.cause.details ?? [];
    const route = `POST /sentences/:id/${HTTP_COMMANDS[type].route}`;
    const detail = e.cause.message.startsWith(`${type} `) ? `${route}${e.cause.message.slice(type.length)}` : e.cause.message;
    return new HttpError(409, detail, { type: refusalCodeOf(e.cause.details), ...(Array.isArray(validIn) && { extra: { validIn } }) });
  }
  // The workflow's own refusal of a caller who may not see the case: as if there were none (domain/visibility.ts).
  if (e instanceof WorkflowUpdateFailedError && e.cause instanceof ApplicationFailure && e.cause.type === CASE_NOT_VISIBLE) {
    return new NotFound(`no sentence ${id}`);
  }
  if (e instanceof WorkflowNotFoundError || e instanceof WorkflowUpdateFailedError) {
    // Either no such sentence, or its workflow has completed (a closed sentence accepts no commands): said only to a
    // caller who may see it.
    const held = await ctx.whereHeld(id);
    if (!held || !canSee(viewerOf(principal(res)), held)) return new NotFound(`no sentence ${id}`);
    if (held.status !== undefined && held.status !== 'RUNNING')
      return new HttpError(409, `sentence ${id} is closed (workflow ${held.status.toLowerCase()})`, { type: 'sentence-closed' });
  }
  return e;
}

/** Runs Temporal calls with the request's id in their gRPC metadata (x-request-id), for tracing a command through. */
function withRequestId<T>(ctx: Ctx, req: Request, fn: () => Promise<T>): Promise<T> {
  return ctx.client.connection.withMetadata({ 'x-request-id': String(req.id) }, fn);
}

const errorHandler =
  (logger: Logger) =>
  (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    if (err instanceof AuthError) return sendAuthError(err, req, res);
    if (err instanceof NotFound) return sendProblem(req, res, 404, err.message);
    if (err instanceof HttpError) {
      const { problems, retryAfterS, type, extra } = err.opts;
      if (retryAfterS !== undefined) res.setHeader('Retry-After', String(retryAfterS));
      return sendProblem(req, res, err.status, err.message, { ...(type && { type }), extra: { ...(problems && { problems }), ...extra } });
    }
    if (err instanceof NoAnswer) {
      res.setHeader('Retry-After', String(NO_ANSWER_RETRY_AFTER_S));
      return sendProblem(req, res, 503, `${err.message}; try again (a command with the same Idempotency-Key is applied once)`);
    }
    const bad = bodyOrPathError(err);
    if (bad) return sendProblem(req, res, bad.status, bad.message, { extra: { ...(bad.problems && { problems: bad.problems }) } });
    logger.error({ err, reqId: req.id }, 'unexpected error');
    sendProblem(req, res, 500, 'internal error');
  };
