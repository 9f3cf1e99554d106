-- The project's own store (everything it keeps outside Temporal). Identifiers, codes, dates and statuses only: no
-- personal data (no names, no offender characteristics, no free text).

-- Up Migration

-- The conformance read model: one row per sentence, replaced only by a newer seq, and its outputs.
CREATE TABLE ledger_summaries (
  sentence_id text PRIMARY KEY,
  seq bigint NOT NULL,
  order_type text NOT NULL CHECK (order_type IN ('CO', 'SSO')),
  sentence_date date NOT NULL,
  area_code text NOT NULL,
  provider_code text NOT NULL,
  phase text NOT NULL,
  published_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ledger_summaries_area ON ledger_summaries (area_code);
CREATE INDEX ledger_summaries_provider ON ledger_summaries (provider_code);

CREATE TABLE ledger_outputs (
  sentence_id text NOT NULL REFERENCES ledger_summaries (sentence_id) ON DELETE CASCADE,
  output_row smallint NOT NULL CHECK (output_row BETWEEN 1 AND 36),
  applies boolean NOT NULL,
  status text NOT NULL,
  trigger_event text,
  open_since date,
  PRIMARY KEY (sentence_id, output_row)
);

-- The delivery log: one row per agency or case-system notification, whatever the retries (the key is unique).
CREATE TABLE deliveries (
  idempotency_key text PRIMARY KEY,
  sentence_id text NOT NULL,
  recipient text NOT NULL,
  output_row smallint NOT NULL,
  event text NOT NULL,
  message jsonb NOT NULL,
  -- http: sent to the recipient's configured endpoint; held: no endpoint configured, kept here for a person to act on
  channel text NOT NULL CHECK (channel IN ('http', 'held')),
  status text NOT NULL CHECK (status IN ('pending', 'delivered', 'held', 'rejected')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz
);
CREATE INDEX deliveries_sentence ON deliveries (sentence_id);

-- Alerts to the offender manager and the area: one row per alert key.
CREATE TABLE alerts (
  idempotency_key text PRIMARY KEY,
  sentence_id text NOT NULL,
  kind text NOT NULL,
  deadline_id text NOT NULL,
  label text NOT NULL,
  due_date date NOT NULL,
  overdue_since timestamptz NOT NULL,
  offender_manager_id text,
  area_code text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  acknowledged_at timestamptz
);
CREATE INDEX alerts_sentence ON alerts (sentence_id);

-- Down Migration
DROP TABLE alerts;
DROP TABLE deliveries;
DROP TABLE ledger_outputs;
DROP TABLE ledger_summaries;
