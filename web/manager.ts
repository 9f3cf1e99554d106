// The managers' pages (issue 13, section 2): a senior probation officer's team view, with allocation by workload
// (the cases each officer holds, with their risk and requirements, and the cases no one holds yet), and the
// conformance dashboard for managers and commissioners (per National Minimum output row: on time, late, overdue, not
// possible and open), filtered by area, order type and the period the sentences were passed in. Both read the API as
// the person, so its rights and scope decide what they see.
import type express from 'express';
import type { Request, Response } from 'express';
import type { ConformanceRow } from '../domain/outputs/conformance.ts';
import { api, type WebOptions } from './api-client.ts';

interface TeamCase {
  sentenceId: string;
  roshLevel: string | null;
  requirements: string[];
}
interface Team {
  areaCode: string;
  officers: { offenderManagerId: string; cases: TeamCase[] }[];
  unallocated: (TeamCase & { orderType: string; sentenceDate: string })[];
}
const HIGH = new Set(['high', 'very-high']);

/** Each officer's workload: how many cases, how many of high or very high risk, and their requirements by type. */
export function workloads(team: Team) {
  return team.officers
    .map((o) => {
      const requirements: Record<string, number> = {};
      for (const c of o.cases) for (const r of c.requirements) requirements[r] = (requirements[r] ?? 0) + 1;
      return {
        offenderManagerId: o.offenderManagerId,
        cases: o.cases,
        count: o.cases.length,
        highRisk: o.cases.filter((c) => c.roshLevel !== null && HIGH.has(c.roshLevel)).length,
        requirements: Object.entries(requirements)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([type, n]) => `${type.replace(/-/g, ' ')} ${n}`),
      };
    })
    .sort((a, b) => a.count - b.count || a.highRisk - b.highRisk || a.offenderManagerId.localeCompare(b.offenderManagerId));
}

/** The chart's bars: each status's share of the row's applied outputs, as widths out of 100 and their offsets. */
export function bars(r: Omit<ConformanceRow, 'type'>) {
  const parts = [
    { key: 'onTime', label: 'On time', n: r.onTime },
    { key: 'late', label: 'Late', n: r.late },
    { key: 'overdue', label: 'Overdue', n: r.overdue },
    { key: 'notPossible', label: 'Not possible', n: r.notPossible },
    { key: 'open', label: 'Open', n: r.open },
  ];
  let x = 0;
  return parts.map((p) => {
    const width = r.applied === 0 ? 0 : (100 * p.n) / r.applied;
    const bar = { ...p, x, width };
    x += width;
    return bar;
  });
}

/** The query string of the filters given (only those set, and only the API's names). */
function filters(q: Request['query'], names: readonly string[]): URLSearchParams {
  const out = new URLSearchParams();
  for (const n of names) if (typeof q[n] === 'string' && q[n]) out.set(n, q[n]);
  return out;
}

function refused(res: Response, status: number, detail: string | undefined) {
  if (status === 403) return res.status(403).render('error', { message: detail ?? 'Your roles do not include this page.' });
  return res.status(status).render('error', { message: detail ?? 'The page could not be read.' });
}

export function managerRoutes(app: express.Express, opts: WebOptions): void {
  app.get('/team', async (req, res) => {
    const areas = req.session.person?.areas ?? [];
    const area = typeof req.query.area === 'string' && req.query.area ? req.query.area : areas[0];
    const answer = await api<Team>(opts, req, `/team?${new URLSearchParams(area ? { area } : {})}`);
    if (answer.status !== 200) return refused(res, answer.status, answer.body.detail);
    const done = typeof req.query.done === 'string' && req.query.done === 'Case allocated' ? req.query.done : undefined;
    res.render('team', { team: answer.body, officers: workloads(answer.body), areas, done });
  });

  app.get('/dashboard', async (req, res) => {
    const query = filters(req.query, ['area', 'orderType', 'from', 'to']);
    const answer = await api<{ cases: number; rows: ConformanceRow[]; problems?: { path: string; message: string }[] }>(
      opts,
      req,
      `/reports/conformance?${query}`,
    );
    if (answer.status === 400) {
      const errors = (answer.body.problems ?? []).map((p) => ({ text: `${p.path}: ${p.message}`, href: `#${p.path}` }));
      return res.status(400).render('dashboard', { errors, q: Object.fromEntries(query), rows: [], cases: 0 });
    }
    if (answer.status !== 200) return refused(res, answer.status, answer.body.detail);
    const rows = answer.body.rows.filter((r) => r.applied > 0).map((r) => ({ ...r, bars: bars(r) }));
    const totals = answer.body.rows.reduce(
      (t, r) => ({
        applied: t.applied + r.applied,
        onTime: t.onTime + r.onTime,
        late: t.late + r.late,
        overdue: t.overdue + r.overdue,
        notPossible: t.notPossible + r.notPossible,
        open: t.open + r.open,
      }),
      { applied: 0, onTime: 0, late: 0, overdue: 0, notPossible: 0, open: 0 },
    );
    res.render('dashboard', {
      q: Object.fromEntries(query),
      cases: answer.body.cases,
      rows,
      totals: { ...totals, bars: bars({ row: 0, summary: 'All rows', ...totals }) },
      // An area to choose for those who have several; all areas ('*') are the default, with no choice to make.
      areas: (req.session.person?.areas ?? []).filter((a) => a !== '*'),
    });
  });
}
