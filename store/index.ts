// The project's own store: one PostgreSQL database for everything kept outside Temporal: the conformance read model,
// the delivery log of agency and case-system notifications, and alerts. The schema is managed by the migrations in
// store/migrations (run on open, under node-pg-migrate's advisory lock, so several processes may start at once).
// Identifiers, codes, dates and statuses only: no personal data.
import { auditLog, type AuditLog } from './audit.ts';
import { idempotencyKeys, type IdempotencyKeys } from './idempotency.ts';
import { scopeParams, scopeSql, syncWork, workStore, type WorkStore } from './work.ts';
import { personNotificationLog, type PersonNotificationLog } from './people.ts';
import type { WorkSummary } from '../domain/work.ts';
import { ALL_AREAS, type Viewer } from '../domain/visibility.ts';
import { runner } from 'node-pg-migrate';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Alert } from '../domain/alerts.ts';
import { conformanceOf, type ConformanceFilter, type ConformanceReport, type LedgerSummary } from '../domain/outputs/conformance.ts';
import type { OutputMessage } from '../domain/outputs/delivery.ts';

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

// Calendar dates stay ISO strings (YYYY-MM-DD), as everywhere else in the project, rather than local-midnight Dates.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

/** The read model behind the conformance report: one summary per sentence, a newer seq replacing an older one. */
export interface LedgerStore {
  /**
   * Stores the summary unless the stored one has the same or a newer seq; true when it was stored. A summary with its
   * work (WorkSummary) keeps the case's work items too, in the same transaction (store/work.ts).
   */
  put(summary: LedgerSummary | WorkSummary): Promise<boolean>;
  conformance(filter: ConformanceFilter): Promise<ConformanceReport>;
}

export type DeliveryChannel = 'http' | 'held';
export type DeliveryStatus = 'pending' | 'delivered' | 'held' | 'rejected';

export interface DeliveryRecord {
  idempotencyKey: string;
  sentenceId: string;
  recipient: string;
  row: number;
  event: string;
  channel: DeliveryChannel;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  message: OutputMessage;
}

/** The delivery log: exactly one row per notification, whatever the retries. */
export interface DeliveryLog {
  /** Logs the notification (once per key); returns the row as it now stands, and whether this call created it. */
  open(message: OutputMessage, channel: DeliveryChannel): Promise<{ record: DeliveryRecord; created: boolean }>;
  /** An attempt's outcome. */
  settle(idempotencyKey: string, outcome: { status: DeliveryStatus; error?: string }): Promise<void>;
  list(sentenceId: string): Promise<DeliveryRecord[]>;
}

export interface AlertRecord extends Alert {
  createdAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy?: string | null;
}

export interface AlertLog {
  /** Records the alert; false when one with the same key was already recorded. */
  deliver(alert: Alert): Promise<boolean>;
  list(sentenceId: string): Promise<AlertRecord[]>;
  /**
   * The caller's alerts, newest first: those of the cases they hold, and for an area's managers those of its
   * unallocated cases; within the caller's scope (domain/visibility.ts); unacknowledged only unless `all`.
   */
  forPerson(q: { viewer: Viewer; managerOf: string[]; all: boolean; limit: number }): Promise<AlertRecord[]>;
  /** Acknowledges a case's alert once: the alert as it now stands and whether this call did it; undefined when none. */
  acknowledge(q: { sentenceId: string; key: string; by: string }): Promise<{ alert: AlertRecord; acknowledged: boolean } | undefined>;
}

/** The figures an operator alerts on, across every sentence in the store. */
export interface StoreFigures {
  sentencesByPhase: Record<string, number>;
  outputsOverdue: number;
  deliveriesByStatus: Record<string, number>;
  alertsUnacknowledged: number;
}

export type { AuditEvent, AuditLog, AuditRecord } from './audit.ts';
export type { IdempotencyKeys } from './idempotency.ts';
export type { PersonChannel, PersonNotificationLog, PersonNotificationRecord } from './people.ts';
export type { CaseloadEntry, DueItem, ItemCursor, TeamView, WorklistItem, WorkQuery, WorkStore } from './work.ts';

export interface Store {
  figures(): Promise<StoreFigures>;
  ledgers: LedgerStore;
  deliveries: DeliveryLog;
  alerts: AlertLog;
  audit: AuditLog;
  /** The body each command's Idempotency-Key was first used with. */
  idempotency: IdempotencyKeys;
  /** The work items each case asks of people, and the worklists, caseloads and team views read from them. */
  work: WorkStore;
  /** Messages to people (alerts, digests): one row per message. */
  people: PersonNotificationLog;
  /** Answers when the database does (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Brings the database's schema up to date (idempotent; safe from several processes at once). */
export async function migrate(databaseUrl: string): Promise<void> {
  await runner({
    databaseUrl,
    dir: MIGRATIONS,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    log: () => undefined,
    checkOrder: true,
    advisoryLockMode: 'wait',
  });
}

/** Opens the store at `databaseUrl`, migrating its schema first. */
export async function openStore(databaseUrl: string, opts: { max?: number } = {}): Promise<Store> {
  await migrate(databaseUrl);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: opts.max ?? 10 });
  pool.on('error', (e) => console.error('[store] idle client error', e.message));
  return {
    ledgers: ledgerStore(pool),
    deliveries: deliveryLog(pool),
    alerts: alertLog(pool),
    audit: auditLog(pool),
    idempotency: idempotencyKeys(pool),
    work: workStore(pool),
    people: personNotificationLog(pool),
    ping: async () => {
      await pool.query('SELECT 1');
    },
    figures: () => figures(pool),
    close: () => pool.end(),
  };
}

function ledgerStore(pool: pg.Pool): LedgerStore {
  return {
    put: (summary) => putSummary(pool, summary),
    conformance: (f) => conformanceOfStore(pool, f),
  };
}

/** Stores a sentence's summary and outputs in one transaction, unless the stored seq is the same or newer. */
async function putSummary(pool: pg.Pool, summary: LedgerSummary | WorkSummary): Promise<boolean> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Row-locks the sentence's summary: concurrent writers of one sentence go one at a time, and the newer seq wins.
    const stored = await client.query(
      `INSERT INTO ledger_summaries (sentence_id, seq, order_type, sentence_date, area_code, provider_code, phase)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (sentence_id) DO UPDATE SET seq = EXCLUDED.seq, order_type = EXCLUDED.order_type,
         sentence_date = EXCLUDED.sentence_date, area_code = EXCLUDED.area_code, provider_code = EXCLUDED.provider_code,
         phase = EXCLUDED.phase, published_at = now()
       WHERE ledger_summaries.seq < EXCLUDED.seq
       RETURNING sentence_id`,
      [summary.sentenceId, summary.seq, summary.orderType, summary.sentenceDate, summary.areaCode, summary.providerCode, summary.phase],
    );
    if (stored.rowCount === 0) {
      await client.query('ROLLBACK');
      return false;
    }
    await client.query('DELETE FROM ledger_outputs WHERE sentence_id = $1', [summary.sentenceId]);
    const o = summary.outputs;
    await client.query(
      `INSERT INTO ledger_outputs (sentence_id, output_row, applies, status, trigger_event, open_since)
       SELECT $1, * FROM unnest($2::smallint[], $3::boolean[], $4::text[], $5::text[], $6::date[])`,
      [
        summary.sentenceId,
        o.map((e) => e.row),
        o.map((e) => e.applies),
        o.map((e) => e.status),
        o.map((e) => e.trigger ?? null),
        o.map((e) => e.openSince ?? null),
      ],
    );
    if ('work' in summary) await syncWork(client, summary);
    await client.query('COMMIT');
    return true;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/** The conformance report in SQL: per output row and status, the counted outputs of the cases the filter selects. */
async function conformanceOfStore(pool: pg.Pool, f: ConformanceFilter): Promise<ConformanceReport> {
  const where = `($1::text IS NULL OR s.area_code = $1) AND ($2::text IS NULL OR s.provider_code = $2)
    AND ($3::text IS NULL OR s.order_type = $3) AND ($4::date IS NULL OR s.sentence_date >= $4)
    AND ($5::date IS NULL OR s.sentence_date <= $5)`;
  const params = [f.area ?? null, f.provider ?? null, f.orderType ?? null, f.from ?? null, f.to ?? null];
  // Counted outputs (domain/outputs/conformance.ts isCounted): it applies, and a contingent one has happened.
  const [cases, counts] = await Promise.all([
    pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_summaries s WHERE ${where}`, params),
    pool.query<{ row: number; status: string; n: number }>(
      `SELECT o.output_row AS row, o.status, count(*)::int AS n
       FROM ledger_outputs o JOIN ledger_summaries s ON s.sentence_id = o.sentence_id
       WHERE ${where} AND o.applies AND NOT (o.trigger_event IS NOT NULL AND o.status = 'pending' AND o.open_since IS NULL)
       GROUP BY o.output_row, o.status`,
      params,
    ),
  ]);
  return conformanceOf(cases.rows[0]!.n, counts.rows);
}

async function figures(pool: pg.Pool): Promise<StoreFigures> {
  const byKey = (rows: { k: string; n: number }[]) => Object.fromEntries(rows.map((r) => [r.k, r.n]));
  const [phases, overdue, deliveries, alerts] = await Promise.all([
    pool.query<{ k: string; n: number }>('SELECT phase AS k, count(*)::int AS n FROM ledger_summaries GROUP BY phase'),
    pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_outputs WHERE applies AND status IN ('overdue', 'action-needed')`),
    pool.query<{ k: string; n: number }>('SELECT status AS k, count(*)::int AS n FROM deliveries GROUP BY status'),
    pool.query<{ n: number }>('SELECT count(*)::int AS n FROM alerts WHERE acknowledged_at IS NULL'),
  ]);
  return {
    sentencesByPhase: byKey(phases.rows),
    outputsOverdue: overdue.rows[0]!.n,
    deliveriesByStatus: byKey(deliveries.rows),
    alertsUnacknowledged: alerts.rows[0]!.n,
  };
}

const deliveryColumns = `idempotency_key AS "idempotencyKey", sentence_id AS "sentenceId", recipient, output_row AS row, event,
  channel, status, attempts, last_error AS "lastError", created_at AS "createdAt", delivered_at AS "deliveredAt", message`;

function deliveryLog(pool: pg.Pool): DeliveryLog {
  return {
    async open(m, channel) {
      const inserted = await pool.query(
        `INSERT INTO deliveries (idempotency_key, sentence_id, recipient, output_row, event, message, channel, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (idempotency_key) DO NOTHING`,
        [m.idempotencyKey, m.sentenceId, m.recipient, m.row, m.event, JSON.stringify(m), channel, channel === 'held' ? 'held' : 'pending'],
      );
      const r = await pool.query<DeliveryRecord>(`SELECT ${deliveryColumns} FROM deliveries WHERE idempotency_key = $1`, [
        m.idempotencyKey,
      ]);
      return { record: r.rows[0]!, created: inserted.rowCount === 1 };
    },
    async settle(key, { status, error }) {
      await pool.query(
        `UPDATE deliveries SET status = $2, attempts = attempts + 1, last_error = $3,
           delivered_at = CASE WHEN $2 = 'delivered' THEN now() ELSE delivered_at END
         WHERE idempotency_key = $1 AND status <> 'delivered'`,
        [key, status, error ?? null],
      );
    },
    async list(sentenceId) {
      const r = await pool.query<DeliveryRecord>(
        `SELECT ${deliveryColumns} FROM deliveries WHERE sentence_id = $1 ORDER BY created_at, idempotency_key`,
        [sentenceId],
      );
      return r.rows;
    },
  };
}

const ALERT_COLUMNS = `a.idempotency_key AS "idempotencyKey", a.sentence_id AS "sentenceId", a.kind, a.deadline_id AS "deadlineId", a.label,
  to_char(a.due_date, 'YYYY-MM-DD') AS "dueDate",
  to_char(a.overdue_since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "overdueSince",
  a.offender_manager_id AS "offenderManagerId", a.area_code AS "areaCode", a.created_at AS "createdAt",
  a.acknowledged_at AS "acknowledgedAt", a.acknowledged_by AS "acknowledgedBy"`;

function alertLog(pool: pg.Pool): AlertLog {
  return {
    async deliver(a) {
      const r = await pool.query(
        `INSERT INTO alerts (idempotency_key, sentence_id, kind, deadline_id, label, due_date, overdue_since, offender_manager_id, area_code)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (idempotency_key) DO NOTHING`,
        [a.idempotencyKey, a.sentenceId, a.kind, a.deadlineId, a.label, a.dueDate, a.overdueSince, a.offenderManagerId ?? null, a.areaCode],
      );
      return r.rowCount === 1;
    },
    async list(sentenceId) {
      const r = await pool.query<AlertRecord>(
        `SELECT ${ALERT_COLUMNS} FROM alerts a WHERE a.sentence_id = $1 ORDER BY a.created_at, a.idempotency_key`,
        [sentenceId],
      );
      return r.rows;
    },
    async forPerson({ viewer: v, managerOf, all, limit }) {
      // Who holds the case now (the read model), not who held it when the alert was raised; within the caller's scope.
      const r = await pool.query<AlertRecord>(
        `SELECT ${ALERT_COLUMNS} FROM alerts a JOIN ledger_summaries s ON s.sentence_id = a.sentence_id
         WHERE ($1 OR a.acknowledged_at IS NULL)
           AND (s.offender_manager_id = $2 OR (s.offender_manager_id IS NULL AND ($3 OR s.area_code = ANY($4::text[]))))
           AND ${scopeSql(5)}
         ORDER BY a.created_at DESC, a.idempotency_key LIMIT $10`,
        [all, v.id, managerOf.includes(ALL_AREAS), managerOf, ...scopeParams(v), limit],
      );
      return r.rows;
    },
    async acknowledge({ sentenceId, key, by }) {
      const done = await pool.query(
        `UPDATE alerts SET acknowledged_at = now(), acknowledged_by = $3
         WHERE idempotency_key = $1 AND sentence_id = $2 AND acknowledged_at IS NULL`,
        [key, sentenceId, by],
      );
      const r = await pool.query<AlertRecord>(`SELECT ${ALERT_COLUMNS} FROM alerts a WHERE a.idempotency_key = $1 AND a.sentence_id = $2`, [
        key,
        sentenceId,
      ]);
      return r.rows[0] && { alert: r.rows[0], acknowledged: done.rowCount === 1 };
    },
  };
}
