-- The Network lists at scale (docs/network.md, "Performance"): the read_model schema, the indexes the lists read, and
-- search planning. The read models themselves (their tables, functions and triggers) live in src/server/read-models/,
-- applied after the migrations (docs/architecture.md, "Derived data"); until migration 0014 this file defined them too.
CREATE SCHEMA IF NOT EXISTS read_model;
--> statement-breakpoint
-- one row: rebuild_pending is set when a source table is truncated (a restore); see src/server/read-models/rebuilding.sql
CREATE TABLE read_model.state (
  id integer PRIMARY KEY CHECK (id = 1),
  rebuild_pending boolean NOT NULL
);
--> statement-breakpoint
INSERT INTO read_model.state VALUES (1, false);
--> statement-breakpoint
-- the reader's restricted records at query time: restricted rows are rare, so these partial indexes are small
CREATE INDEX meeting_organisation_restricted_idx ON meeting_organisation (meeting_id) INCLUDE (organisation_id, starts_at) WHERE meeting_restricted;
--> statement-breakpoint
CREATE INDEX shared_item_open_concern_meeting_idx ON shared_item (meeting_id) INCLUDE (organisation_id, restricted, id) WHERE kind = 'concern' AND status = 'open';
--> statement-breakpoint
CREATE INDEX shared_item_restricted_org_idx ON shared_item (organisation_id) WHERE restricted;
--> statement-breakpoint
CREATE INDEX follow_up_open_meeting_idx ON follow_up (meeting_id) INCLUDE (organisation_id) WHERE status = 'open';
--> statement-breakpoint
CREATE INDEX person_pseudonym_idx ON person (id) WHERE pseudonym IS NOT NULL;
--> statement-breakpoint
-- Search: the trigram conditions (LIKE and <% per word and per swapped spelling) are cheap to run on the GIN indexes
-- but costly to PLAN when the planner estimates each against the column's statistics (it runs the operator over
-- every sampled value). Without statistics on these folded columns it uses fixed estimates and still picks the
-- trigram indexes: planning went from ~3-8 ms to well under 1 ms a query at 200,000 meetings.
ALTER TABLE meeting ALTER COLUMN title_norm SET STATISTICS 0;
--> statement-breakpoint
ALTER TABLE shared_item ALTER COLUMN body_norm SET STATISTICS 0;
--> statement-breakpoint
ALTER TABLE person_name ALTER COLUMN norm SET STATISTICS 0;
--> statement-breakpoint
ALTER TABLE organisation_name ALTER COLUMN norm SET STATISTICS 0;
