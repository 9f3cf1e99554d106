// The log of messages to people (migration 1796342500000_person_notifications.sql): one row per message key, so that
// a retried activity never sends a message twice once it was sent, and an operator sees what was held or refused.
import type pg from 'pg';

export type PersonChannel = 'notify' | 'webhook' | 'held';
export type PersonMessageStatus = 'pending' | 'sent' | 'held' | 'rejected';

export interface PersonNotificationRecord {
  key: string;
  staffId: string;
  kind: 'alert' | 'digest';
  channel: PersonChannel;
  status: PersonMessageStatus;
  attempts: number;
  lastError: string | null;
}

export interface PersonNotificationLog {
  /** Logs the message (once per key); the row as it now stands. */
  open(m: { key: string; staffId: string; kind: 'alert' | 'digest'; channel: PersonChannel }): Promise<PersonNotificationRecord>;
  settle(key: string, outcome: { status: PersonMessageStatus; error?: string }): Promise<void>;
  list(staffId: string): Promise<PersonNotificationRecord[]>;
}

const COLUMNS = `key, staff_id AS "staffId", kind, channel, status, attempts, last_error AS "lastError"`;

export function personNotificationLog(pool: pg.Pool): PersonNotificationLog {
  return {
    async open(m) {
      await pool.query(
        `INSERT INTO person_notifications (key, staff_id, kind, channel, status) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key) DO NOTHING`,
        [m.key, m.staffId, m.kind, m.channel, m.channel === 'held' ? 'held' : 'pending'],
      );
      const r = await pool.query<PersonNotificationRecord>(`SELECT ${COLUMNS} FROM person_notifications WHERE key = $1`, [m.key]);
      return r.rows[0]!;
    },
    async settle(key, { status, error }) {
      await pool.query(
        `UPDATE person_notifications SET status = $2, attempts = attempts + 1, last_error = $3,
           sent_at = CASE WHEN $2 = 'sent' THEN now() ELSE sent_at END
         WHERE key = $1 AND status <> 'sent'`,
        [key, status, error ?? null],
      );
    },
    async list(staffId) {
      const r = await pool.query<PersonNotificationRecord>(
        `SELECT ${COLUMNS} FROM person_notifications WHERE staff_id = $1 ORDER BY created_at, key`,
        [staffId],
      );
      return r.rows;
    },
  };
}
