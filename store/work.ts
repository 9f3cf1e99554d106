// The work items in the project store (migration 1796342400000_work_items.sql; the rule in domain/work.ts). Each case's
// published summary opens, reassigns and closes its items in the summary's own transaction (syncWork). The worklist,
// the caseload and the team view read them for a caller, within the caller's scope: provider, areas and a
// limited-access case's lists, the same rule as every other read (domain/visibility.ts).
import type pg from 'pg';
import type { IsoDate } from '../domain/dates.ts';
import { ALL_AREAS, type Viewer } from '../domain/visibility.ts';
import { workItemsOf, type WorkItem, type WorkSummary } from '../domain/work.ts';

/** Why an item is on a caller's list. */
export type Because = 'holds-the-case' | 'unallocated' | 'overdue-escalated';

export interface WorklistItem {
  sentenceId: string;
  key: string;
  kind: WorkItem['kind'];
  what: string;
  label: string;
  dueDate: IsoDate;
  overdue: boolean;
  /** Overdue by more than the escalation threshold: the area's managers have it too. */
  escalated: boolean;
  holder: string | null;
  areaCode: string;
  because: Because;
  openedAt: string;
}

/** Where a page of a list ends: the sort key of its last entry. */
export interface ItemCursor {
  dueDate: IsoDate;
  sentenceId: string;
  key: string;
}

export interface WorkQuery {
  viewer: Viewer;
  /** The areas whose managers' items the caller is given (a senior probation officer's own areas; `*` for all). */
  managerOf: string[];
  today: IsoDate;
  dueBefore?: IsoDate;
  dueAfter?: IsoDate;
  kind?: WorkItem['kind'];
  sentenceId?: string;
  after?: ItemCursor;
  limit: number;
}

export interface CaseloadEntry {
  sentenceId: string;
  orderType: string;
  phase: string;
  roshLevel: string | null;
  requirements: string[];
  /** What the case waits for next: its earliest open item. */
  next: { key: string; label: string; dueDate: IsoDate } | null;
  overdueDeadlines: number;
  overdueOutputs: number;
}

export interface TeamView {
  areaCode: string;
  /** Cases held per offender manager, with each case's risk and requirements (officers holding none are not known). */
  officers: { offenderManagerId: string; cases: { sentenceId: string; roshLevel: string | null; requirements: string[] }[] }[];
  unallocated: { sentenceId: string; orderType: string; sentenceDate: IsoDate; roshLevel: string | null; requirements: string[] }[];
}

export interface ItemEvent {
  itemKey: string;
  at: string;
  event: 'opened' | 'reassigned' | 'closed' | 'reopened';
  holder: string | null;
  areaCode: string;
}

/** An open item due by a date, for the daily digest: whose it is and whether the area's managers have it too. */
export interface DueItem {
  sentenceId: string;
  key: string;
  dueDate: IsoDate;
  overdue: boolean;
  holder: string | null;
  areaCode: string;
  /** Unallocated, or escalated by `on`: the area's managers have it. */
  forManagers: boolean;
}

export interface WorkStore {
  /** Every open item due on or before `until` (overdue ones included), as of `on`, by case and due date. */
  dueBy(q: { on: IsoDate; until: IsoDate }): Promise<DueItem[]>;
  worklist(q: WorkQuery): Promise<WorklistItem[]>;
  /** The cases the caller holds, ordered by what falls due first; `after` is the last sentence id of the page before. */
  caseload(q: { viewer: Viewer; after?: { sortDue: IsoDate; sentenceId: string }; limit: number }): Promise<CaseloadEntry[]>;
  team(q: { viewer: Viewer; areaCode: string; providerCode?: string }): Promise<TeamView>;
  /** A case's items' hands, oldest first. */
  history(sentenceId: string): Promise<ItemEvent[]>;
}

/** Where the case stands now, kept beside its summary. */
async function holdCase(client: pg.PoolClient, s: WorkSummary): Promise<void> {
  const w = s.work;
  await client.query(
    `UPDATE ledger_summaries SET offender_manager_id = $2, rosh_level = $3, requirements = $4, restricted_to = $5, excluded = $6,
       has_work = true WHERE sentence_id = $1`,
    [s.sentenceId, w.offenderManagerId, w.roshLevel, w.requirements, w.restrictedTo ?? [], w.excluded ?? []],
  );
}

/**
 * Opens, updates, reassigns and closes a case's items to match its summary, inside the transaction that stored the
 * summary (so items follow summaries in seq order), recording each change of hands.
 */
export async function syncWork(client: pg.PoolClient, s: WorkSummary): Promise<void> {
  await holdCase(client, s);
  const items = workItemsOf(s);
  const holder = s.work.offenderManagerId;
  const existing = await client.query<{ item_key: string; holder: string | null; area_code: string; closed: boolean }>(
    'SELECT item_key, holder, area_code, closed_at IS NOT NULL AS closed FROM work_items WHERE sentence_id = $1',
    [s.sentenceId],
  );
  const before = new Map(existing.rows.map((r) => [r.item_key, r]));
  const events: { key: string; event: ItemEvent['event'] }[] = [];
  for (const it of items) {
    const old = before.get(it.key);
    if (!old) events.push({ key: it.key, event: 'opened' });
    else if (old.closed) events.push({ key: it.key, event: 'reopened' });
    else if (old.holder !== holder || old.area_code !== s.areaCode) events.push({ key: it.key, event: 'reassigned' });
  }
  const open = new Set(items.map((i) => i.key));
  const closing = existing.rows.filter((r) => !r.closed && !open.has(r.item_key)).map((r) => r.item_key);
  for (const key of closing) events.push({ key, event: 'closed' });
  if (items.length > 0) {
    await client.query(
      `INSERT INTO work_items (sentence_id, item_key, kind, what, label, due_date, overdue, escalates_on, holder, area_code, provider_code)
       SELECT $1, k, kd, wh, lb, dd, od, eo, $9, $10, $11
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::boolean[], $8::date[]) AS t(k, kd, wh, lb, dd, od, eo)
       ON CONFLICT (sentence_id, item_key) DO UPDATE SET kind = EXCLUDED.kind, what = EXCLUDED.what, label = EXCLUDED.label,
         due_date = EXCLUDED.due_date, overdue = EXCLUDED.overdue, escalates_on = EXCLUDED.escalates_on, holder = EXCLUDED.holder,
         area_code = EXCLUDED.area_code, provider_code = EXCLUDED.provider_code,
         opened_at = CASE WHEN work_items.closed_at IS NULL THEN work_items.opened_at ELSE now() END, closed_at = NULL`,
      [
        s.sentenceId,
        items.map((i) => i.key),
        items.map((i) => i.kind),
        items.map((i) => i.what),
        items.map((i) => i.label),
        items.map((i) => i.dueDate),
        items.map((i) => i.overdue),
        items.map((i) => i.escalatesOn),
        holder,
        s.areaCode,
        s.providerCode,
      ],
    );
  }
  if (closing.length > 0) {
    await client.query('UPDATE work_items SET closed_at = now() WHERE sentence_id = $1 AND item_key = ANY($2)', [s.sentenceId, closing]);
  }
  if (events.length > 0) {
    await client.query(
      `INSERT INTO work_item_events (sentence_id, item_key, event, holder, area_code)
       SELECT $1, k, e, $4, $5 FROM unnest($2::text[], $3::text[]) AS t(k, e)`,
      [s.sentenceId, events.map((e) => e.key), events.map((e) => e.event), holder, s.areaCode],
    );
  }
}

/**
 * The SQL that keeps rows to the caller's scope (`s` the case's summary): the provider, the areas and, for a person,
 * a limited-access case's lists. Parameters from `first`: provider, all areas, areas, id, is a person.
 */
export function scopeSql(first: number): string {
  const [provider, all, areas, id, person] = [first, first + 1, first + 2, first + 3, first + 4].map((n) => `$${n}`);
  return `(${provider}::text IS NULL OR s.provider_code = ${provider}) AND (${all} OR s.area_code = ANY(${areas}::text[]))
    AND (NOT ${person} OR (NOT (${id} = ANY(s.excluded)) AND (cardinality(s.restricted_to) = 0 OR ${id} = ANY(s.restricted_to))))`;
}

/** The parameters scopeSql takes, in its order. */
export function scopeParams(v: Viewer): unknown[] {
  return [v.provider ?? null, v.areas.includes(ALL_AREAS), v.areas, v.id, v.kind === 'user'];
}

const ITEM_COLUMNS = `w.sentence_id AS "sentenceId", w.item_key AS key, w.kind, w.what, w.label, w.due_date AS "dueDate", w.overdue,
  w.escalates_on <= $2::date AS escalated, w.holder, w.area_code AS "areaCode", w.opened_at AS "openedAt"`;

async function worklist(pool: pg.Pool, q: WorkQuery): Promise<WorklistItem[]> {
  const managerAll = q.managerOf.includes(ALL_AREAS);
  const params: unknown[] = [q.viewer.id, q.today, managerAll, q.managerOf, ...scopeParams(q.viewer)];
  const where = [
    'w.closed_at IS NULL',
    // Their own cases' items; and, for the area's managers, the items of its unallocated cases and those escalated.
    `(w.holder = $1 OR (($3 OR w.area_code = ANY($4::text[])) AND (w.holder IS NULL OR w.escalates_on <= $2::date)))`,
    scopeSql(5),
  ];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (q.dueBefore) add((n) => `w.due_date <= ${n}::date`, q.dueBefore);
  if (q.dueAfter) add((n) => `w.due_date >= ${n}::date`, q.dueAfter);
  if (q.kind) add((n) => `w.kind = ${n}`, q.kind);
  if (q.sentenceId) add((n) => `w.sentence_id = ${n}`, q.sentenceId);
  if (q.after) {
    params.push(q.after.dueDate, q.after.sentenceId, q.after.key);
    const n = params.length;
    where.push(`(w.due_date, w.sentence_id, w.item_key) > ($${n - 2}::date, $${n - 1}, $${n})`);
  }
  params.push(q.limit);
  const r = await pool.query<Omit<WorklistItem, 'because' | 'openedAt'> & { openedAt: Date }>(
    `SELECT ${ITEM_COLUMNS} FROM work_items w JOIN ledger_summaries s ON s.sentence_id = w.sentence_id
     WHERE ${where.join(' AND ')} ORDER BY w.due_date, w.sentence_id, w.item_key LIMIT $${params.length}`,
    params,
  );
  return r.rows.map((row) => ({
    ...row,
    openedAt: row.openedAt.toISOString(),
    because: row.holder === q.viewer.id ? 'holds-the-case' : row.holder === null ? 'unallocated' : 'overdue-escalated',
  }));
}

async function caseload(pool: pg.Pool, q: Parameters<WorkStore['caseload']>[0]): Promise<CaseloadEntry[]> {
  const params: unknown[] = [q.viewer.id, ...scopeParams(q.viewer), q.after?.sortDue ?? null, q.after?.sentenceId ?? '', q.limit];
  const r = await pool.query<
    Omit<CaseloadEntry, 'next'> & { nextKey: string | null; nextLabel: string | null; nextDue: IsoDate | null; sortDue: IsoDate }
  >(
    `SELECT * FROM (
       SELECT s.sentence_id AS "sentenceId", s.order_type AS "orderType", s.phase, s.rosh_level AS "roshLevel", s.requirements,
         (array_agg(w.item_key ORDER BY w.due_date, w.item_key) FILTER (WHERE w.item_key IS NOT NULL))[1] AS "nextKey",
         (array_agg(w.label ORDER BY w.due_date, w.item_key) FILTER (WHERE w.item_key IS NOT NULL))[1] AS "nextLabel",
         to_char(min(w.due_date), 'YYYY-MM-DD') AS "nextDue",
         to_char(coalesce(min(w.due_date), DATE '9999-12-31'), 'YYYY-MM-DD') AS "sortDue",
         count(*) FILTER (WHERE w.kind = 'deadline' AND w.overdue)::int AS "overdueDeadlines",
         count(*) FILTER (WHERE w.kind = 'output' AND w.overdue)::int AS "overdueOutputs"
       FROM ledger_summaries s LEFT JOIN work_items w ON w.sentence_id = s.sentence_id AND w.closed_at IS NULL
       WHERE s.offender_manager_id = $1 AND s.phase <> 'closed' AND ${scopeSql(2)}
       GROUP BY s.sentence_id) c
     WHERE ($7::date IS NULL OR (c."sortDue"::date, c."sentenceId") > ($7::date, $8))
     ORDER BY c."sortDue", c."sentenceId" LIMIT $9`,
    params,
  );
  return r.rows.map(({ nextKey, nextLabel, nextDue, sortDue: _, ...c }) => ({
    ...c,
    next: nextKey && nextLabel && nextDue ? { key: nextKey, label: nextLabel, dueDate: nextDue } : null,
  }));
}

async function team(pool: pg.Pool, q: Parameters<WorkStore['team']>[0]): Promise<TeamView> {
  const r = await pool.query<{
    sentenceId: string;
    orderType: string;
    sentenceDate: IsoDate;
    offenderManagerId: string | null;
    roshLevel: string | null;
    requirements: string[];
  }>(
    `SELECT s.sentence_id AS "sentenceId", s.order_type AS "orderType", s.sentence_date AS "sentenceDate",
       s.offender_manager_id AS "offenderManagerId", s.rosh_level AS "roshLevel", s.requirements
     FROM ledger_summaries s
     WHERE s.has_work AND s.phase <> 'closed' AND s.area_code = $6 AND ($7::text IS NULL OR s.provider_code = $7) AND ${scopeSql(1)}
     ORDER BY s.offender_manager_id NULLS FIRST, s.sentence_id`,
    [...scopeParams(q.viewer), q.areaCode, q.providerCode ?? null],
  );
  const officers = new Map<string, TeamView['officers'][number]>();
  const unallocated: TeamView['unallocated'] = [];
  for (const c of r.rows) {
    if (c.offenderManagerId === null) {
      unallocated.push({
        sentenceId: c.sentenceId,
        orderType: c.orderType,
        sentenceDate: c.sentenceDate,
        roshLevel: c.roshLevel,
        requirements: c.requirements,
      });
      continue;
    }
    const o = officers.get(c.offenderManagerId) ?? { offenderManagerId: c.offenderManagerId, cases: [] };
    o.cases.push({ sentenceId: c.sentenceId, roshLevel: c.roshLevel, requirements: c.requirements });
    officers.set(c.offenderManagerId, o);
  }
  return { areaCode: q.areaCode, officers: [...officers.values()], unallocated };
}

export function workStore(pool: pg.Pool): WorkStore {
  return {
    worklist: (q) => worklist(pool, q),
    caseload: (q) => caseload(pool, q),
    team: (q) => team(pool, q),
    async dueBy({ on, until }) {
      const r = await pool.query<DueItem>(
        `SELECT sentence_id AS "sentenceId", item_key AS key, to_char(due_date, 'YYYY-MM-DD') AS "dueDate", overdue, holder,
           area_code AS "areaCode", (holder IS NULL OR escalates_on <= $1::date) AS "forManagers"
         FROM work_items WHERE closed_at IS NULL AND due_date <= $2::date ORDER BY sentence_id, due_date, item_key`,
        [on, until],
      );
      return r.rows;
    },
    async history(sentenceId) {
      const r = await pool.query<Omit<ItemEvent, 'at'> & { at: Date }>(
        `SELECT item_key AS "itemKey", at, event, holder, area_code AS "areaCode" FROM work_item_events
         WHERE sentence_id = $1 ORDER BY id`,
        [sentenceId],
      );
      return r.rows.map((e) => ({ ...e, at: e.at.toISOString() }));
    },
  };
}
