// The work that reaches people (issue 13): GET /worklist (the caller's open work items, due or overdue, sorted by due
// date, filtered by date, kind and case, a page at a time), GET /caseload (the cases the caller holds, each with what
// it waits for next and what is overdue) and GET /team (an area's allocation by workload, for its managers). Read from
// the store's work items (store/work.ts), within the caller's scope (domain/visibility.ts).
import type express from 'express';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { londonDate } from '../domain/dates.ts';
import type { AlertLog, ItemCursor, WorkStore } from '../store/index.ts';
import { principal, requireRight } from './auth.ts';
import { conformanceScope, viewerOf } from './scope.ts';
import {
  AcknowledgementSchema,
  AlertsQuerySchema,
  CaseloadQuerySchema,
  problemsOf,
  TeamQuerySchema,
  WorklistQuerySchema,
} from './schemas.ts';
import type { Principal } from '../auth/principal.ts';
import { decodeCursor as decode, encodeCursor as encode, type Refuse } from './cursor.ts';

const isItemCursor = (x: unknown): x is ItemCursor =>
  typeof x === 'object' &&
  x !== null &&
  typeof (x as ItemCursor).dueDate === 'string' &&
  /^\d{4}-\d{2}-\d{2}$/.test((x as ItemCursor).dueDate) &&
  typeof (x as ItemCursor).sentenceId === 'string' &&
  typeof (x as ItemCursor).key === 'string';

const isCaseCursor = (x: unknown): x is { sortDue: string; sentenceId: string } =>
  typeof x === 'object' &&
  x !== null &&
  typeof (x as { sortDue: unknown }).sortDue === 'string' &&
  /^\d{4}-\d{2}-\d{2}$/.test((x as { sortDue: string }).sortDue) &&
  typeof (x as { sentenceId: unknown }).sentenceId === 'string';

function parse<S extends z.ZodType>(schema: S, req: Request, refuse: Refuse): z.infer<S> {
  const parsed = schema.safeParse(req.query);
  if (!parsed.success) throw refuse(400, 'invalid query', problemsOf(parsed.error));
  return parsed.data;
}

/** A senior probation officer also gets the area's work: its unallocated cases', and items overdue past the threshold. */
const managerOf = (p: Principal) => (p.roles.includes('senior-probation-officer') ? p.areas : []);

export interface WorkRouteOptions {
  work?: WorkStore;
  alerts?: Pick<AlertLog, 'forPerson' | 'acknowledge'>;
  now: () => number;
  refuse: Refuse;
}

/**
 * POST /sentences/:id/alerts/acknowledgement (after the case's own scope check): acknowledges one of the case's
 * alerts, once; again answers the acknowledgement as it was, with `repeated`.
 */
export function acknowledgeAlert(opts: WorkRouteOptions) {
  return async (req: Request, res: Response): Promise<void> => {
    const parsed = AcknowledgementSchema.safeParse(req.body);
    if (!parsed.success) throw opts.refuse(400, 'invalid acknowledgement', problemsOf(parsed.error));
    if (!opts.alerts) throw opts.refuse(503, 'no alert log is configured on this server');
    const sentenceId = String(req.params.id);
    const done = await opts.alerts.acknowledge({ sentenceId, key: parsed.data.key, by: principal(res).id });
    if (!done) throw opts.refuse(404, `no alert ${parsed.data.key} on sentence ${sentenceId}`);
    res.json({ ...done.alert, ...(!done.acknowledged && { repeated: true }) });
  };
}

export function workRoutes(app: express.Express, opts: WorkRouteOptions): void {
  const { refuse } = opts;
  const store = (): WorkStore => {
    if (!opts.work) throw refuse(503, 'no work store is configured on this server');
    return opts.work;
  };

  app.get('/worklist', requireRight('worklist'), async (req: Request, res: Response) => {
    const q = parse(WorklistQuerySchema, req, refuse);
    const p = principal(res);
    const after = decode(q.cursor, isItemCursor, refuse);
    const items = await store().worklist({
      viewer: viewerOf(p),
      managerOf: managerOf(p),
      today: londonDate(opts.now()),
      ...(q.dueBefore && { dueBefore: q.dueBefore }),
      ...(q.dueAfter && { dueAfter: q.dueAfter }),
      ...(q.kind && { kind: q.kind }),
      ...(q.sentenceId && { sentenceId: q.sentenceId }),
      ...(after && { after }),
      limit: q.limit + 1,
    });
    const page = items.slice(0, q.limit);
    const last = page.at(-1);
    const more = items.length > q.limit && last;
    res.json({ items: page, next: more ? encode({ dueDate: last.dueDate, sentenceId: last.sentenceId, key: last.key }) : null });
  });

  app.get('/caseload', requireRight('caseload'), async (req: Request, res: Response) => {
    const q = parse(CaseloadQuerySchema, req, refuse);
    const after = decode(q.cursor, isCaseCursor, refuse);
    const cases = await store().caseload({ viewer: viewerOf(principal(res)), ...(after && { after }), limit: q.limit + 1 });
    const page = cases.slice(0, q.limit);
    const last = page.at(-1);
    const more = cases.length > q.limit && last;
    res.json({ cases: page, next: more ? encode({ sortDue: last.next?.dueDate ?? '9999-12-31', sentenceId: last.sentenceId }) : null });
  });

  app.get('/alerts', requireRight('alerts'), async (req: Request, res: Response) => {
    const q = parse(AlertsQuerySchema, req, refuse);
    if (!opts.alerts) throw refuse(503, 'no alert log is configured on this server');
    const p = principal(res);
    res.json({
      alerts: await opts.alerts.forPerson({ viewer: viewerOf(p), managerOf: managerOf(p), all: q.all === 'true', limit: q.limit }),
    });
  });

  app.get('/team', requireRight('team'), async (req: Request, res: Response) => {
    const q = parse(TeamQuerySchema, req, refuse);
    const { area, provider } = conformanceScope(res, q);
    if (area === undefined) throw refuse(400, 'name an area (area=...)', [{ path: 'area', message: 'an area is needed' }]);
    res.json(await store().team({ viewer: viewerOf(principal(res)), areaCode: area, ...(provider && { providerCode: provider }) }));
  });
}
