-- Up Migration
-- The body each Idempotency-Key was first used with, per case and command (issue 11): a key reused with a different
-- body is refused (422) rather than answered with the first command's outcome. Identifiers and a SHA-256 only.
CREATE TABLE idempotency_keys (
  sentence_id text NOT NULL,
  command text NOT NULL,
  key text NOT NULL,
  body_sha256 text NOT NULL,
  first_used timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sentence_id, command, key)
);
CREATE INDEX idempotency_keys_first_used ON idempotency_keys (first_used);

-- Down Migration
DROP TABLE idempotency_keys;
