-- Rebuilding: what every read model shares (docs/architecture.md, "Derived data").
--
-- Holds no rows of its own. read_model.state (a migration's table: one row) says whether a rebuild is pending: a
-- TRUNCATE of any table a read model follows (a restore truncates them all) sets it, the statement triggers then stand
-- aside (registry.ts generates them: they test read_model.following()), and the deferred trigger below rebuilds
-- everything once, at commit, instead of once per restored batch. read_model.rebuild() itself, which calls every read
-- model's rebuild in the registry's order, is generated from the registry too.

CREATE OR REPLACE FUNCTION read_model.pending() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT rebuild_pending FROM read_model.state WHERE id = 1
$$;

-- Whether the statement triggers follow writes now: not while this transaction rebuilds (read_model.rebuild() and
-- the rebuild after applying these files set read_model.rebuilding), nor while a rebuild is pending at commit.
CREATE OR REPLACE FUNCTION read_model.following() RETURNS boolean LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN coalesce(current_setting('read_model.rebuilding', true), '') <> 'on' AND NOT read_model.pending();
END;
$$;

CREATE OR REPLACE FUNCTION read_model.on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE read_model.state SET rebuild_pending = true WHERE id = 1 AND NOT rebuild_pending;
  RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION read_model.on_state() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF read_model.pending() THEN PERFORM read_model.rebuild(); END IF;
  RETURN NULL;
END;
$$;

DROP TRIGGER IF EXISTS read_model_rebuild ON read_model.state;
CREATE CONSTRAINT TRIGGER read_model_rebuild AFTER UPDATE ON read_model.state DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (NEW.rebuild_pending) EXECUTE FUNCTION read_model.on_state();
