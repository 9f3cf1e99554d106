// Metrics in Prometheus format (GET /metrics on the API): request counts and durations by route pattern (never by
// sentence id), and the figures an operator alerts on, read from the project store at each scrape: sentences by
// phase, overdue outputs, deliveries by status (retrying, rejected, held), alerts not acknowledged. The Temporal SDK's
// own runtime metrics are exported by the worker (METRICS_PORT, telemetryOptions.metrics.prometheus).
import type { NextFunction, Request, Response } from 'express';
import client from 'prom-client';
import type { StoreFigures } from '../store/index.ts';
import { routePattern } from './route.ts';

export interface Metrics {
  registry: client.Registry;
  middleware: (req: Request, res: Response, next: NextFunction) => void;
  /** An audit event that could not be recorded after its retries (api/audit.ts): alert on any. */
  auditEventLost: () => void;
}

export function createMetrics(figures?: () => Promise<StoreFigures>): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'so_process_' });
  const requests = new client.Counter({
    name: 'so_http_requests_total',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new client.Histogram({
    name: 'so_http_request_duration_seconds',
    help: 'HTTP request duration by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const auditLost = new client.Counter({
    name: 'so_audit_events_lost_total',
    help: 'Audit events that could not be recorded after every retry',
    registers: [registry],
  });
  if (figures) registerStoreFigures(registry, figures);
  return {
    registry,
    auditEventLost: () => auditLost.inc(),
    middleware(req, res, next) {
      const end = duration.startTimer();
      res.on('finish', () => {
        const route = routePattern(req);
        requests.inc({ method: req.method, route, status: String(res.statusCode) });
        end({ method: req.method, route });
      });
      next();
    },
  };
}

/** Gauges of the store's figures, read from the store at each scrape. */
function registerStoreFigures(registry: client.Registry, figures: () => Promise<StoreFigures>): void {
  // The gauges are collected together at each scrape: they share one read of the store (fresh for a second).
  let read: { at: number; figures: Promise<StoreFigures | undefined> } | undefined;
  const current = () => {
    if (!read || Date.now() - read.at > 1000) read = { at: Date.now(), figures: figures().catch(() => undefined) };
    return read.figures;
  };
  new client.Gauge({
    name: 'so_store_figures_read',
    help: 'Whether the store answered this scrape (1) or not (0)',
    registers: [registry],
    async collect() {
      this.set((await current()) ? 1 : 0);
    },
  });
  const byLabel = (g: client.Gauge<string>, label: string, values: Record<string, number>) => {
    g.reset();
    for (const [k, n] of Object.entries(values)) g.set({ [label]: k }, n);
  };
  new client.Gauge({
    name: 'so_sentences',
    help: 'Sentences by phase (read model)',
    labelNames: ['phase'] as const,
    registers: [registry],
    async collect() {
      const f = await current();
      if (f) byLabel(this, 'phase', f.sentencesByPhase);
    },
  });
  new client.Gauge({
    name: 'so_outputs_overdue',
    help: 'National Minimum outputs overdue or needing action',
    registers: [registry],
    async collect() {
      const f = await current();
      if (f) this.set(f.outputsOverdue);
    },
  });
  new client.Gauge({
    name: 'so_deliveries',
    help: 'Notifications in the delivery log by status',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const f = await current();
      if (f) byLabel(this, 'status', f.deliveriesByStatus);
    },
  });
  new client.Gauge({
    name: 'so_alerts_unacknowledged',
    help: 'Alerts not yet acknowledged',
    registers: [registry],
    async collect() {
      const f = await current();
      if (f) this.set(f.alertsUnacknowledged);
    },
  });
}
