// The managers' pages (issue 13, section 2): a senior probation officer's team view, with allocation by workload
// (the cases each officer holds, with their risk and requirements, and the cases no one holds yet), and the
// conformance dashboard for managers and commissioners (per National Minimum output row: on time, late, overdue, not
// possible and open), filtered by area, order type and the period the sentences were passed in. Both read the API as
// the person, so its rights and scope decide what they see.
import type express from 'express';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { TeamSchema } from '../api/responses.ts';
import type { ConformanceRow } from '../domain/outputs/conformance.ts';
import { ROSH_RANK } from '../domain/risk.ts';
import type { RoshLevel } from '../domain/sentence.ts';
import { ALL_AREAS } from '../domain/visibility.ts';
import { api, type WebOptions } from './api-client.ts';
import { FORMS } from './forms.ts';

type Team = z.infer<typeof TeamSchema>;

/** The statuses a row's outputs are counted in, as the report names them, with their words. */
const STATUSES = [
  { key: 'onTime', label: 'On time' },
  { key: 'late', label: 'Late' },
  { key: 'overdue', label: 'Overdue' },
  { key: 'notPossible', label: 'Not possible' },
  { key: 'open', label: 'Open' },
] as const;
type Counts = Pick<ConformanceRow, 'applied' | (typeof STATUSES)[number]['key']>;

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
        highRisk: o.cases.filter((c) => c.roshLevel !== null && ROSH_RANK[c.roshLevel as RoshLevel] >= ROSH_RANK.high).length,
        requirements: Object.entries(requirements)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([type, n]) => `${type.replace(/-/g, ' ')} ${n}`),
      };
    })
    .sort((a, b) => a.count - b.count || a.highRisk - b.highRisk || a.offenderManagerId.localeCompare(b.offenderManagerId));
}

/** The chart's bars: each status's share of the row's applied outputs, as widths out of 100 and their offsets. */
export function bars(r: Counts) {
  let x = 0;
  return STATUSES.map(({ key, label }) => ({ key, label, n: r[key] })).map((p) => {
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
    const done = req.query.done === FORMS.allocation!.done ? FORMS.allocation!.done : undefined;
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
    const sum = (key: keyof Counts) => answer.body.rows.reduce((n, r) => n + r[key], 0);
    const totals = Object.fromEntries((['applied', ...STATUSES.map((x) => x.key)] as const).map((k) => [k, sum(k)])) as Counts;
    res.render('dashboard', {
      q: Object.fromEntries(query),
      cases: answer.body.cases,
      rows,
      totals: { ...totals, bars: bars(totals) },
      // An area to choose for those who have several; all areas are the default, with no choice to make.
      areas: (req.session.person?.areas ?? []).filter((a) => a !== ALL_AREAS),
    });
  });
}
