-- The search index is held in the server's memory (src/server/features/insights/search-index.ts). These triggers log
-- every change to a text it indexes, so that each server process (there may be several on one PostgreSQL) catches up
-- before it searches: read_model.search_change holds (seq, table, row id) for each row inserted, deleted, or updated
-- in an indexed column.
--
-- The log is written at commit (deferred constraint triggers), under one transaction-level advisory lock: a
-- transaction takes its sequence numbers only once the previous logging transaction has committed, so a reader that
-- sees seq N has also seen every seq below N, and "changes after the last one I applied" misses nothing.
--
-- A TRUNCATE (a restore) bumps read_model.search_state.generation (and logs an entry), and every process rebuilds its
-- index. A server first reads the log sequence's position: when it has not moved since the server had applied every
-- entry up to it, there is nothing to read. Entries a day
-- old are pruned by the servers; a process that had not applied them (pruned_upto beyond its position) rebuilds.
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
--> statement-breakpoint
CREATE OR REPLACE FUNCTION read_model.search_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- one logging transaction commits at a time, in the order of its sequence numbers (the key is arbitrary, fixed)
  PERFORM pg_advisory_xact_lock(727043101);
  INSERT INTO read_model.search_change (tbl, row_id) VALUES (TG_TABLE_NAME, CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION read_model.search_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE read_model.search_state SET generation = generation + 1 WHERE id = 1;
  -- an entry too, so that the log's sequence moves (servers look at it first) and every server then sees the generation
  PERFORM pg_advisory_xact_lock(727043101);
  INSERT INTO read_model.search_change (tbl, row_id) VALUES (TG_TABLE_NAME, '00000000-0000-0000-0000-000000000000');
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER search_change AFTER INSERT OR DELETE OR UPDATE OF norm, organisation_id ON organisation_name
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION read_model.search_changed();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER search_change AFTER INSERT OR DELETE OR UPDATE OF norm, person_id ON person_name
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION read_model.search_changed();
--> statement-breakpoint
-- people: only the pseudonym is indexed from this table
CREATE CONSTRAINT TRIGGER search_change_ins AFTER INSERT ON person
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.pseudonym IS NOT NULL) EXECUTE FUNCTION read_model.search_changed();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER search_change_upd AFTER UPDATE OF pseudonym ON person
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.pseudonym IS DISTINCT FROM NEW.pseudonym) EXECUTE FUNCTION read_model.search_changed();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER search_change_del AFTER DELETE ON person
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.pseudonym IS NOT NULL) EXECUTE FUNCTION read_model.search_changed();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER search_change AFTER INSERT OR DELETE OR UPDATE OF title_norm ON meeting
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION read_model.search_changed();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER search_change AFTER INSERT OR DELETE OR UPDATE OF body_norm ON shared_item
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION read_model.search_changed();
--> statement-breakpoint
CREATE TRIGGER search_truncate AFTER TRUNCATE ON organisation_name FOR EACH STATEMENT EXECUTE FUNCTION read_model.search_truncated();
--> statement-breakpoint
CREATE TRIGGER search_truncate AFTER TRUNCATE ON person_name FOR EACH STATEMENT EXECUTE FUNCTION read_model.search_truncated();
--> statement-breakpoint
CREATE TRIGGER search_truncate AFTER TRUNCATE ON person FOR EACH STATEMENT EXECUTE FUNCTION read_model.search_truncated();
--> statement-breakpoint
CREATE TRIGGER search_truncate AFTER TRUNCATE ON meeting FOR EACH STATEMENT EXECUTE FUNCTION read_model.search_truncated();
--> statement-breakpoint
CREATE TRIGGER search_truncate AFTER TRUNCATE ON shared_item FOR EACH STATEMENT EXECUTE FUNCTION read_model.search_truncated();
