-- The search change log (src/server/read-models/search-changes.sql holds its triggers, applied after the migrations;
-- until migration 0014 this file defined them). Its tables are the schema's: their rows are positions running servers
-- hold, not data a rebuild makes again.
--   read_model.search_change  (seq, table, row id) for each row inserted, deleted, or updated in an indexed column
--   read_model.search_state   the index's generation (a new one makes every server rebuild) and how far entries were pruned
CREATE SCHEMA IF NOT EXISTS read_model;
--> statement-breakpoint
CREATE TABLE read_model.search_change (
  seq bigserial PRIMARY KEY,
  tbl text NOT NULL,
  row_id uuid NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX search_change_at_idx ON read_model.search_change (at);
--> statement-breakpoint
CREATE TABLE read_model.search_state (
  id integer PRIMARY KEY CHECK (id = 1),
  generation bigint NOT NULL DEFAULT 1,
  pruned_upto bigint NOT NULL DEFAULT 0
);
--> statement-breakpoint
INSERT INTO read_model.search_state (id) VALUES (1);
