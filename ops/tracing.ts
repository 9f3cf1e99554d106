// Tracing with OpenTelemetry, one trace from the HTTP request to the agency's HTTP call: the API's request span
// (api/app.ts), the Temporal client's start/update spans (OpenTelemetryWorkflowClientInterceptor), the workflow's and
// the activity's spans (@temporalio/interceptors-opentelemetry: the workflow interceptors are in the workflow bundle,
// its spans leave the sandbox through the `exporter` sink), and the delivery's client span, whose W3C `traceparent`
// header goes to the agency (activities/http.ts). Spans are exported by OTLP over HTTP when the standard
// OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set, and dropped otherwise; the trace context
// is propagated either way. Span attributes carry route patterns, ids and outcomes, never personal data.
import { context, propagation, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  BatchSpanProcessor,
  NodeTracerProvider,
  NoopSpanProcessor,
  type ReadableSpan,
  type Span as SdkSpan,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { NextFunction, Request, Response } from 'express';
import { routePattern } from './route.ts';

export const TRACER_NAME = 'sentence-orchestrator';

export interface Tracing {
  resource: Resource;
  spanProcessor: SpanProcessor;
  /** Whether spans leave the process (an OTLP endpoint is configured). */
  exporting: boolean;
  /** Sends what is buffered and stops (on shutdown). */
  shutdown(): Promise<void>;
}

let installed: Tracing | undefined;

/**
 * The span attributes that may leave the process: ids, names, routes and outcomes. Everything else is dropped before
 * export, because the Temporal interceptors attach the whole workflow info (search attributes such as the RoSH level,
 * the memo) to activity spans, and a tracing backend is read more widely than Temporal itself.
 */
const EXPORTED_ATTRIBUTE =
  /^(http\.(request\.method|route|response\.status_code)|so\.(request_id|recipient|idempotency_key)|temporal(WorkflowId|ActivityId|UpdateId)|run_id|workflowId|runId|workflowType|taskQueue|namespace|attempt)$/;

/** A span processor that passes on only the allowed attributes (EXPORTED_ATTRIBUTE) of each finished span. */
export function allowListed(inner: SpanProcessor): SpanProcessor {
  return {
    onStart: (span: SdkSpan, parent) => inner.onStart(span, parent),
    onEnd(span: ReadableSpan) {
      const attributes = Object.fromEntries(Object.entries(span.attributes).filter(([k]) => EXPORTED_ATTRIBUTE.test(k)));
      // A view of the span with the allowed attributes only; its methods (spanContext) are the span's own.
      inner.onEnd(Object.create(span, { attributes: { value: attributes, enumerable: true } }) as ReadableSpan);
    },
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
  };
}

/**
 * The process's tracing, installed once (the first caller names the service): the global tracer provider, the
 * AsyncLocalStorage context manager and the W3C trace-context propagator.
 */
export function installTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): Tracing {
  if (installed) return installed;
  // The standard variables: a signal-specific endpoint is used as it is, the general one gets the traces path.
  const general = env.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, '');
  const url = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || (general && `${general}/v1/traces`);
  const exporting = Boolean(url);
  const resource = new Resource({ 'service.name': env.OTEL_SERVICE_NAME || serviceName, 'service.namespace': TRACER_NAME });
  const spanProcessor = url
    ? allowListed(new BatchSpanProcessor(new OTLPTraceExporter({ url }), { scheduledDelayMillis: 500 }))
    : new NoopSpanProcessor();
  // With nowhere to send spans none is recorded (each would be built, given its attributes and dropped): the trace
  // context still travels, from the caller's traceparent through the workflow to the agency's, marked not sampled.
  const provider = new NodeTracerProvider({
    resource,
    spanProcessors: [spanProcessor],
    ...(!exporting && { sampler: new AlwaysOffSampler() }),
  });
  provider.register();
  installed = { resource, spanProcessor, exporting, shutdown: () => provider.shutdown() };
  return installed;
}

/** The Temporal client interceptors that carry the current trace into workflow starts, updates, signals and queries. */
export function tracingClientInterceptors(): { workflow: OpenTelemetryWorkflowClientInterceptor[] } {
  return { workflow: [new OpenTelemetryWorkflowClientInterceptor()] };
}

function tracer() {
  return trace.getTracer(TRACER_NAME);
}

/**
 * Runs `fn` inside a span (a child of the current one, or of the remote parent in `carrier`'s traceparent). The span
 * ends when `fn` settles; a throw marks it as an error, named by the failure's type only (a message may quote an
 * agency's answer).
 */
export async function inSpan<T>(
  name: string,
  opts: { kind: SpanKind; attributes?: Attributes; carrier?: Record<string, unknown> },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = opts.carrier ? propagation.extract(context.active(), opts.carrier) : context.active();
  const span = tracer().startSpan(name, { kind: opts.kind, attributes: opts.attributes }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (e) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: (e as { type?: string }).type ?? (e instanceof Error ? e.name : 'error') });
    throw e;
  } finally {
    span.end();
  }
}

/**
 * Express middleware: a server span per request (a child of the caller's `traceparent` when it sends one), current
 * while the request is handled, so that the Temporal calls it makes join the trace. Named by route pattern
 * (`POST /sentences/:id/allocation`), never by the path; the trace is answered in `traceparent`.
 */
export function requestTracing() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const parent = propagation.extract(context.active(), req.headers);
    const span = tracer().startSpan(
      `${req.method} request`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method } },
      parent,
    );
    const active = trace.setSpan(parent, span);
    const answer: Record<string, string> = {};
    propagation.inject(active, answer);
    if (answer.traceparent) res.setHeader('traceparent', answer.traceparent);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      const route = routePattern(req);
      span.updateName(`${req.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': res.statusCode, 'so.request_id': String(req.id ?? '') });
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
    res.once('finish', end);
    res.once('close', end);
    context.with(active, next);
  };
}

/** The current trace context as W3C headers (`traceparent`, `tracestate`), for an outgoing request. */
export function traceHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(context.active(), headers);
  return headers;
}

export { SpanKind, SpanStatusCode, context as traceContext, trace };
