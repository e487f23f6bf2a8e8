-- The search change log: read_model.search_change and read_model.search_state (tables of migration 0010: their rows are
-- positions that running servers hold, not data a rebuild can make again, so the files do not own them).
--
-- The search box's word index is held in each server's memory (src/server/features/insights/search-index.ts; decision
-- record 005). The triggers below log every change to a text it indexes, so that each server process (there may be
-- several on one PostgreSQL) catches up before it searches: search_change holds (seq, table, row id) for each row
-- inserted, deleted, or updated in an indexed column.
--
-- Derived from: organisation_name.norm, person_name.norm, person.pseudonym, meeting.title_norm, shared_item.body_norm.
-- Kept by: deferred row triggers (below, not the statement triggers of registry.ts): the log is written at commit,
-- under one transaction-level advisory lock, so a transaction takes its sequence numbers only once the previous logging
-- transaction has committed; a reader that sees seq N has also seen every seq below N, and "changes after the last one
-- I applied" misses nothing. Entries a day old are pruned by the servers; a server that had not applied them
-- (pruned_upto beyond its position) rebuilds.
-- Rebuilt by: read_model.rebuild_search_changes(), which bumps search_state.generation (and logs an entry, so that the
-- log's sequence moves: servers look at it first): every server rebuilds its index from the tables before its next
-- search. A TRUNCATE of an indexed table (a restore) comes to it through read_model.rebuild() at commit.

CREATE OR REPLACE FUNCTION read_model.search_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- one logging transaction commits at a time, in the order of its sequence numbers (the key is arbitrary, fixed)
  PERFORM pg_advisory_xact_lock(727043101);
  INSERT INTO read_model.search_change (tbl, row_id) VALUES (TG_TABLE_NAME, CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END);
  RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION read_model.rebuild_search_changes() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  UPDATE read_model.search_state SET generation = generation + 1 WHERE id = 1;
  PERFORM pg_advisory_xact_lock(727043101);
  INSERT INTO read_model.search_change (tbl, row_id) VALUES ('rebuild', '00000000-0000-0000-0000-000000000000');
END;
$$;

-- Deferred to commit, row by row, with column lists and conditions. Deferred, they run after every statement's
-- triggers whatever their names; among themselves the order does not matter (each logs one row).
DROP TRIGGER IF EXISTS search_change ON organisation_name;
CREATE CONSTRAINT TRIGGER search_change AFTER INSERT OR DELETE OR UPDATE OF norm, organisation_id ON organisation_name
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION read_model.search_changed();

DROP TRIGGER IF EXISTS search_change ON person_name;
CREATE CONSTRAINT TRIGGER search_change AFTER INSERT OR DELETE OR UPDATE OF norm, person_id ON person_name
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION read_model.search_changed();

-- people: only the pseudonym is indexed from this table
DROP TRIGGER IF EXISTS search_change_ins ON person;
CREATE CONSTRAINT TRIGGER search_change_ins AFTER INSERT ON person
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.pseudonym IS NOT NULL) EXECUTE FUNCTION read_model.search_changed();

DROP TRIGGER IF EXISTS search_change_upd ON person;
CREATE CONSTRAINT TRIGGER search_change_upd AFTER UPDATE OF pseudonym ON person
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.pseudonym IS DISTINCT FROM NEW.pseudonym) EXECUTE FUNCTION read_model.search_changed();

DROP TRIGGER IF EXISTS search_change_del ON person;
CREATE CONSTRAINT TRIGGER search_change_del AFTER DELETE ON person
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.pseudonym IS NOT NULL) EXECUTE FUNCTION read_model.search_changed();

DROP TRIGGER IF EXISTS search_change ON meeting;
CREATE CONSTRAINT TRIGGER search_change AFTER INSERT OR DELETE OR UPDATE OF title_norm ON meeting
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION read_model.search_changed();

DROP TRIGGER IF EXISTS search_change ON shared_item;
CREATE CONSTRAINT TRIGGER search_change AFTER INSERT OR DELETE OR UPDATE OF body_norm ON shared_item
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION read_model.search_changed();
