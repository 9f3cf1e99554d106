// The audit log in the project store (migration 1796169600000_audit.sql): appended by the API for every read of case
// data and every command, accepted or refused; read by auditors (GET /audit) and, as "who has seen this case", by the
// case's holder and managers. Append-only: the table's triggers refuse UPDATE, DELETE and TRUNCATE.
import type pg from 'pg';

export interface AuditEvent {
  /** When the request arrived (ISO); the time of the insert when not given. Events are ordered by it. */
  at?: string;
  principal: string;
  principalKind: 'user' | 'client';
  roles: string[];
  clientId: string;
  method: string;
  route: string;
  command?: string;
  sentenceId?: string;
  status: number;
  requestId?: string;
}

export interface AuditRecord extends AuditEvent {
  id: string;
  at: string;
}

export interface AuditQuery {
  sentenceId?: string;
  principal?: string;
  from?: string;
  to?: string;
  limit: number;
}

export interface AuditLog {
  record(e: AuditEvent): Promise<void>;
  query(q: AuditQuery): Promise<AuditRecord[]>;
  /** Who has read or acted on a sentence: each principal once, with their last time. */
  seenBy(sentenceId: string): Promise<{ principal: string; roles: string[]; lastAt: string; times: number }[]>;
}

const COLUMNS = `id::text AS id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, principal,
  principal_kind AS "principalKind", roles, client_id AS "clientId", method, route, command, sentence_id AS "sentenceId",
  status, request_id AS "requestId"`;

export function auditLog(pool: pg.Pool): AuditLog {
  return {
    async record(e) {
      await pool.query(
        `INSERT INTO audit_events (at, principal, principal_kind, roles, client_id, method, route, command, sentence_id, status, request_id)
         VALUES (COALESCE($1::timestamptz, now()), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          e.at ?? null,
          e.principal,
          e.principalKind,
          e.roles,
          e.clientId,
          e.method,
          e.route,
          e.command ?? null,
          e.sentenceId ?? null,
          e.status,
          e.requestId ?? null,
        ],
      );
    },
    async query(q) {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (sql: string, v: unknown) => {
        params.push(v);
        where.push(sql.replace('?', `$${params.length}`));
      };
      if (q.sentenceId) add('sentence_id = ?', q.sentenceId);
      if (q.principal) add('principal = ?', q.principal);
      if (q.from) add('at >= ?', q.from);
      if (q.to) add('at < ?', q.to);
      params.push(q.limit);
      const r = await pool.query<AuditRecord>(
        `SELECT ${COLUMNS} FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at, id LIMIT $${params.length}`,
        params,
      );
      return r.rows.map((row) => ({ ...row, command: row.command ?? undefined, sentenceId: row.sentenceId ?? undefined }));
    },
    async seenBy(sentenceId) {
      const r = await pool.query<{ principal: string; roles: string[]; lastAt: string; times: number }>(
        `SELECT principal, (array_agg(to_jsonb(roles) ORDER BY id DESC))[1] AS roles,
           to_char(max(at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "lastAt", count(*)::int AS times
         FROM audit_events WHERE sentence_id = $1 AND status < 400 GROUP BY principal ORDER BY max(at) DESC`,
        [sentenceId],
      );
      return r.rows;
    },
  };
}
