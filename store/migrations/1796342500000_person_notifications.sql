-- Up Migration
-- Messages to people (issue 13; activities/people.ts): an alert to the officer or the area's managers, and each
-- person's daily digest. One row per message key, whatever the retries, so a message sent is never sent again. Staff
-- ids, codes and statuses only: never an email address or what the message said.
CREATE TABLE person_notifications (
  key text PRIMARY KEY,
  staff_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('alert', 'digest')),
  -- notify: GOV.UK Notify; webhook: a signed POST; held: no channel or no address for the person, kept for a person to act on
  channel text NOT NULL CHECK (channel IN ('notify', 'webhook', 'held')),
  status text NOT NULL CHECK (status IN ('pending', 'sent', 'held', 'rejected')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz
);
CREATE INDEX person_notifications_staff ON person_notifications (staff_id, created_at);

-- Down Migration
DROP TABLE person_notifications;
