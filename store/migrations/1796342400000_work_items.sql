-- Up Migration
-- The work each case asks of people (issue 13; domain/work.ts): one row per item, open until the work is done, and
-- the items' hands over time. Kept from each case's published summary (store/work.ts). Identifiers, codes, labels and
-- dates only: no personal data.

-- Who holds each case, and what the team view needs: RoSH level and requirement types (codes), the access lists.
ALTER TABLE ledger_summaries
  ADD COLUMN offender_manager_id text,
  ADD COLUMN rosh_level text,
  ADD COLUMN requirements text[] NOT NULL DEFAULT '{}',
  ADD COLUMN restricted_to text[] NOT NULL DEFAULT '{}',
  ADD COLUMN excluded text[] NOT NULL DEFAULT '{}',
  -- Whether the summary carried its work (summaries from workers before it do not, and keep no items).
  ADD COLUMN has_work boolean NOT NULL DEFAULT false;
CREATE INDEX ledger_summaries_holder ON ledger_summaries (offender_manager_id);

CREATE TABLE work_items (
  sentence_id text NOT NULL REFERENCES ledger_summaries (sentence_id) ON DELETE CASCADE,
  item_key text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('deadline', 'output')),
  what text NOT NULL,
  label text NOT NULL,
  due_date date NOT NULL,
  overdue boolean NOT NULL,
  escalates_on date NOT NULL,
  -- The offender manager holding the case when the item was last published; null while it is unallocated.
  holder text,
  area_code text NOT NULL,
  provider_code text NOT NULL,
  opened_at timestamptz NOT NULL DEFAULT now(),
  -- Set when the work is done (or can no longer be: the case closed); cleared if the item opens again.
  closed_at timestamptz,
  PRIMARY KEY (sentence_id, item_key)
);
CREATE INDEX work_items_open_holder ON work_items (holder, due_date) WHERE closed_at IS NULL;
CREATE INDEX work_items_open_area ON work_items (area_code, due_date) WHERE closed_at IS NULL;

-- Each item's hands: opened, reassigned (allocation, transfer), closed, reopened.
CREATE TABLE work_item_events (
  id bigserial PRIMARY KEY,
  sentence_id text NOT NULL,
  item_key text NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  event text NOT NULL CHECK (event IN ('opened', 'reassigned', 'closed', 'reopened')),
  holder text,
  area_code text NOT NULL
);
CREATE INDEX work_item_events_item ON work_item_events (sentence_id, item_key, id);

-- Down Migration
DROP TABLE work_item_events;
DROP TABLE work_items;
DROP INDEX ledger_summaries_holder;
ALTER TABLE ledger_summaries DROP COLUMN offender_manager_id, DROP COLUMN rosh_level, DROP COLUMN requirements,
  DROP COLUMN restricted_to, DROP COLUMN excluded, DROP COLUMN has_work;
