// The body each Idempotency-Key was first used with (migration 1796256000000_idempotency_keys.sql), so that a key
// reused with a different body is refused (422, as the IETF idempotency-key draft has it) instead of being answered
// with the outcome of another command. Keys are kept KEY_RETENTION_DAYS, longer than any client retries one.
import type pg from 'pg';

export const KEY_RETENTION_DAYS = 30;

export interface IdempotencyKeys {
  /**
   * Claims a key for a body: true when the key is new or was first used with the same body, false when it was first
   * used with another.
   */
  claim(k: { sentenceId: string; command: string; key: string; bodySha256: string }): Promise<boolean>;
  /** Forgets the keys first used more than KEY_RETENTION_DAYS ago; how many. */
  prune(): Promise<number>;
}

export function idempotencyKeys(pool: pg.Pool): IdempotencyKeys {
  return {
    async claim(k) {
      const res = await pool.query<{ body_sha256: string }>(
        `WITH claimed AS (
           INSERT INTO idempotency_keys (sentence_id, command, key, body_sha256) VALUES ($1, $2, $3, $4)
           ON CONFLICT DO NOTHING RETURNING body_sha256)
         SELECT body_sha256 FROM claimed
         UNION ALL
         SELECT body_sha256 FROM idempotency_keys WHERE sentence_id = $1 AND command = $2 AND key = $3
         LIMIT 1`,
        [k.sentenceId, k.command, k.key, k.bodySha256],
      );
      // A claim racing ours committed after this statement's snapshot: its row is visible to a new statement.
      const stored =
        res.rows[0]?.body_sha256 ??
        (
          await pool.query<{ body_sha256: string }>(
            'SELECT body_sha256 FROM idempotency_keys WHERE sentence_id = $1 AND command = $2 AND key = $3',
            [k.sentenceId, k.command, k.key],
          )
        ).rows[0]?.body_sha256;
      return stored === k.bodySha256;
    },
    async prune() {
      const res = await pool.query(`DELETE FROM idempotency_keys WHERE first_used < now() - make_interval(days => $1)`, [
        KEY_RETENTION_DAYS,
      ]);
      return res.rowCount ?? 0;
    },
  };
}

/** Prunes the keys now and then once a day, until the returned function is called; errors go to `onError`. */
export function pruneDaily(keys: Pick<IdempotencyKeys, 'prune'>, onError: (e: unknown) => void): () => void {
  const run = () => void keys.prune().catch(onError);
  run();
  const timer = setInterval(run, 24 * 3600 * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
