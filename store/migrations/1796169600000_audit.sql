-- Up Migration
-- The audit log (issue 10): one row per read of case data and per command, accepted or refused. Who (principal,
-- kind, roles, client), what (method, route pattern, command type, sentence id), outcome (HTTP status) and the
-- request id; never the personal data itself. Append-only: the database refuses to change or delete a row.
CREATE TABLE audit_events (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  principal text NOT NULL,
  principal_kind text NOT NULL CHECK (principal_kind IN ('user', 'client')),
  roles text[] NOT NULL,
  client_id text NOT NULL,
  method text NOT NULL,
  route text NOT NULL,
  command text,
  sentence_id text,
  status integer NOT NULL,
  request_id text
);
CREATE INDEX audit_events_sentence ON audit_events (sentence_id, at);
CREATE INDEX audit_events_principal ON audit_events (principal, at);
CREATE INDEX audit_events_at ON audit_events (at);

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only';
END;
$$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

-- Down Migration
DROP TABLE audit_events;
DROP FUNCTION audit_events_append_only();
