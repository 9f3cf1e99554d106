-- Up Migration
-- Who acknowledged an alert (issue 13): a staff id, beside when (acknowledged_at, from the initial schema).
ALTER TABLE alerts ADD COLUMN acknowledged_by text;
CREATE INDEX alerts_unacknowledged ON alerts (sentence_id) WHERE acknowledged_at IS NULL;

-- Down Migration
DROP INDEX alerts_unacknowledged;
ALTER TABLE alerts DROP COLUMN acknowledged_by;
