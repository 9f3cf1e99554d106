-- Up Migration
-- The web service's sessions (web/app.ts, connect-pg-simple's table shape): a signed cookie names the session; what it
-- holds (the person's access token and staff id) stays here, server-side, until it expires.
CREATE TABLE web_sessions (
  sid varchar NOT NULL PRIMARY KEY,
  sess json NOT NULL,
  expire timestamp(6) NOT NULL
);
CREATE INDEX web_sessions_expire ON web_sessions (expire);

-- Down Migration
DROP TABLE web_sessions;
