-- Read models for the Network lists at scale (docs/network.md, "Performance"). They hold nothing of their own:
-- every row is derived from the application tables by the triggers below, so they live in their own schema
-- (read_model), outside backups, and are never declared in the Drizzle schema.
--
--   read_model.meeting_reader         who, besides admins, may see each RESTRICTED meeting: its staff and the users
--                                     granted it (meetingVisible's rule, as rows). A reader's few restricted meetings
--                                     are then one index range instead of a probe per meeting.
--   read_model.organisation_activity  per organisation, member health's facts twice: over unrestricted records only
--                                     (what every reader sees; a reader's own restricted meetings and items are added
--                                     at query time) and over all records (what admins see). The last meeting and the
--                                     90-day count depend on the clock: each row says for which instants it holds
--                                     (as_of <= now < valid_until: until the next meeting starts or the oldest of the 90
--                                     days drops out); outside that, the query counts from meeting_organisation itself.
--   read_model.state                  one row: rebuild_pending is set when a source table is truncated (a restore);
--                                     row triggers then stand aside and a deferred trigger rebuilds everything once at
--                                     commit, instead of once per restored batch.
--
-- Concurrency: a refresh first locks the rows it recomputes (organisation_activity rows; meetings for readers), in id
-- order, and only then reads the source tables. Under READ COMMITTED each statement of a trigger function takes a new
-- snapshot, so a transaction that waited for another sees that one's committed rows: the last to commit recomputes
-- from everything, and no concurrent write is lost.
CREATE SCHEMA IF NOT EXISTS read_model;
--> statement-breakpoint
CREATE TABLE read_model.meeting_reader (
  user_id text NOT NULL,
  meeting_id uuid NOT NULL,
  PRIMARY KEY (user_id, meeting_id)
);
--> statement-breakpoint
CREATE INDEX meeting_reader_meeting_idx ON read_model.meeting_reader (meeting_id);
--> statement-breakpoint
CREATE TABLE read_model.organisation_activity (
  organisation_id uuid PRIMARY KEY,
  -- over unrestricted records: meetings not restricted; concerns not restricted in meetings not restricted;
  -- follow-ups without a meeting or with one not restricted
  last_at timestamptz,
  n90 integer NOT NULL DEFAULT 0,
  open_concerns integer NOT NULL DEFAULT 0,
  open_follow_ups integer NOT NULL DEFAULT 0,
  -- over every record (admins)
  last_at_all timestamptz,
  n90_all integer NOT NULL DEFAULT 0,
  open_concerns_all integer NOT NULL DEFAULT 0,
  open_follow_ups_all integer NOT NULL DEFAULT 0,
  -- last_at* and n90* are right for every instant in [as_of, valid_until)
  as_of timestamptz NOT NULL DEFAULT '-infinity',
  valid_until timestamptz NOT NULL DEFAULT '-infinity'
);
--> statement-breakpoint
CREATE INDEX organisation_activity_valid_until_idx ON read_model.organisation_activity (valid_until);
--> statement-breakpoint
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
--> statement-breakpoint
CREATE OR REPLACE FUNCTION read_model.pending() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT rebuild_pending FROM read_model.state WHERE id = 1
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION read_model.refresh_meeting_readers(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF ids IS NULL OR cardinality(ids) = 0 OR read_model.pending() THEN RETURN; END IF;
  -- serialise refreshes of the same meetings (NO KEY UPDATE does not block foreign-key checks)
  PERFORM 1 FROM meeting WHERE id = ANY (ids) ORDER BY id FOR NO KEY UPDATE;
  DELETE FROM read_model.meeting_reader WHERE meeting_id = ANY (ids);
  INSERT INTO read_model.meeting_reader (user_id, meeting_id)
    SELECT s.user_id, s.meeting_id FROM meeting_staff s JOIN meeting m ON m.id = s.meeting_id
      WHERE m.restricted AND s.meeting_id = ANY (ids)
    UNION
    SELECT g.user_id, g.record_id FROM access_grant g JOIN meeting m ON m.id = g.record_id
      WHERE m.restricted AND g.record_type = 'meeting' AND g.record_id = ANY (ids)
  ON CONFLICT DO NOTHING;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION read_model.refresh_organisations(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  t timestamptz := now();
  w interval := interval '2160 hours'; -- 90 days of 24 hours, as the application counts them
BEGIN
  IF ids IS NULL OR cardinality(ids) = 0 OR read_model.pending() THEN RETURN; END IF;
  INSERT INTO read_model.organisation_activity (organisation_id)
    SELECT o.id FROM organisation o WHERE o.id = ANY (ids) ON CONFLICT DO NOTHING;
  PERFORM 1 FROM read_model.organisation_activity WHERE organisation_id = ANY (ids) ORDER BY organisation_id FOR UPDATE;
  DELETE FROM read_model.organisation_activity a WHERE a.organisation_id = ANY (ids)
    AND NOT EXISTS (SELECT 1 FROM organisation o WHERE o.id = a.organisation_id);
  UPDATE read_model.organisation_activity a SET
      last_at = f.last_at, n90 = f.n90, open_concerns = f.concerns, open_follow_ups = f.follow_ups,
      last_at_all = f.last_at_all, n90_all = f.n90_all, open_concerns_all = f.concerns_all, open_follow_ups_all = f.follow_ups_all,
      as_of = t,
      valid_until = coalesce(least(f.next_at, f.next_at_all, f.oldest + w, f.oldest_all + w), 'infinity')
    FROM (
      SELECT x.id,
        met.last_at, met.n90, met.next_at, met.oldest, met.last_at_all, met.n90_all, met.next_at_all, met.oldest_all,
        coalesce(c.concerns, 0) AS concerns, coalesce(c.concerns_all, 0) AS concerns_all,
        coalesce(fu.follow_ups, 0) AS follow_ups, coalesce(fu.follow_ups_all, 0) AS follow_ups_all
      FROM unnest(ids) AS x(id)
      LEFT JOIN LATERAL (
        SELECT
          max(mo.starts_at) FILTER (WHERE NOT mo.meeting_restricted AND mo.starts_at <= t) AS last_at,
          count(*) FILTER (WHERE NOT mo.meeting_restricted AND mo.starts_at >= t - w AND mo.starts_at <= t)::int AS n90,
          min(mo.starts_at) FILTER (WHERE NOT mo.meeting_restricted AND mo.starts_at > t) AS next_at,
          min(mo.starts_at) FILTER (WHERE NOT mo.meeting_restricted AND mo.starts_at >= t - w AND mo.starts_at <= t) AS oldest,
          max(mo.starts_at) FILTER (WHERE mo.starts_at <= t) AS last_at_all,
          count(*) FILTER (WHERE mo.starts_at >= t - w AND mo.starts_at <= t)::int AS n90_all,
          min(mo.starts_at) FILTER (WHERE mo.starts_at > t) AS next_at_all,
          min(mo.starts_at) FILTER (WHERE mo.starts_at >= t - w AND mo.starts_at <= t) AS oldest_all
        FROM meeting_organisation mo WHERE mo.organisation_id = x.id
      ) met ON true
      LEFT JOIN LATERAL (
        SELECT count(*) FILTER (WHERE NOT s.restricted AND NOT m.restricted)::int AS concerns, count(*)::int AS concerns_all
        FROM shared_item s JOIN meeting m ON m.id = s.meeting_id
        WHERE s.organisation_id = x.id AND s.kind = 'concern' AND s.status = 'open'
      ) c ON true
      LEFT JOIN LATERAL (
        SELECT count(*) FILTER (WHERE m.id IS NULL OR NOT m.restricted)::int AS follow_ups, count(*)::int AS follow_ups_all
        FROM follow_up f LEFT JOIN meeting m ON m.id = f.meeting_id
        WHERE f.organisation_id = x.id AND f.status = 'open'
      ) fu ON true
    ) f
    WHERE a.organisation_id = f.id;
END;
$$;
--> statement-breakpoint
-- Everything from scratch: after a bulk load with triggers off (bench/generate-network.ts), at the end of a
-- restore, and here for the data already recorded.
CREATE OR REPLACE FUNCTION read_model.rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  UPDATE read_model.state SET rebuild_pending = false WHERE id = 1;
  DELETE FROM read_model.meeting_reader;
  DELETE FROM read_model.organisation_activity;
  INSERT INTO read_model.meeting_reader (user_id, meeting_id)
    SELECT s.user_id, s.meeting_id FROM meeting_staff s JOIN meeting m ON m.id = s.meeting_id WHERE m.restricted
    UNION
    SELECT g.user_id, g.record_id FROM access_grant g JOIN meeting m ON m.id = g.record_id WHERE m.restricted AND g.record_type = 'meeting';
  PERFORM read_model.refresh_organisations(coalesce((SELECT array_agg(id) FROM organisation), '{}'));
END;
$$;
--> statement-breakpoint
-- Rows whose clock-bound facts ran out (a meeting started, a day left the 90): recomputed a few at a time by
-- readers (member health calls this now and then), skipping rows another transaction is refreshing.
CREATE OR REPLACE FUNCTION read_model.refresh_due(max_rows integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  due uuid[];
BEGIN
  IF read_model.pending() THEN RETURN 0; END IF;
  SELECT array_agg(organisation_id ORDER BY organisation_id) INTO due FROM (
    SELECT organisation_id FROM read_model.organisation_activity
    WHERE valid_until <= now() OR as_of > now()
    ORDER BY organisation_id LIMIT max_rows FOR UPDATE SKIP LOCKED) d;
  PERFORM read_model.refresh_organisations(due);
  RETURN coalesce(cardinality(due), 0);
END;
$$;
--> statement-breakpoint
-- ---------------------------------------------------------------------------------------------- triggers
-- Statement-level, with transition tables: a meeting saved with twelve organisations, or a merge moving hundreds of
-- links, refreshes each organisation once.
CREATE OR REPLACE FUNCTION read_model.on_organisation_rows() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT organisation_id) INTO ids FROM new_rows WHERE organisation_id IS NOT NULL;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(DISTINCT organisation_id) INTO ids FROM old_rows WHERE organisation_id IS NOT NULL;
  ELSE
    SELECT array_agg(DISTINCT i) INTO ids FROM (
      SELECT organisation_id AS i FROM new_rows UNION SELECT organisation_id FROM old_rows) u WHERE i IS NOT NULL;
  END IF;
  PERFORM read_model.refresh_organisations(ids);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER read_model_ins AFTER INSERT ON meeting_organisation REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_organisation_rows();
--> statement-breakpoint
CREATE TRIGGER read_model_upd AFTER UPDATE ON meeting_organisation REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_organisation_rows();
--> statement-breakpoint
CREATE TRIGGER read_model_del AFTER DELETE ON meeting_organisation REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_organisation_rows();
--> statement-breakpoint
CREATE TRIGGER read_model_ins AFTER INSERT ON shared_item REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_organisation_rows();
--> statement-breakpoint
CREATE TRIGGER read_model_upd AFTER UPDATE ON shared_item REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_organisation_rows();
--> statement-breakpoint
CREATE TRIGGER read_model_del AFTER DELETE ON shared_item REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_organisation_rows();
--> statement-breakpoint
CREATE TRIGGER read_model_ins AFTER INSERT ON follow_up REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_organisation_rows();
--> statement-breakpoint
CREATE TRIGGER read_model_upd AFTER UPDATE ON follow_up REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_organisation_rows();
--> statement-breakpoint
CREATE TRIGGER read_model_del AFTER DELETE ON follow_up REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_organisation_rows();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION read_model.on_organisation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM read_model.refresh_organisations((SELECT array_agg(id) FROM new_rows));
  ELSE
    DELETE FROM read_model.organisation_activity a USING old_rows o WHERE a.organisation_id = o.id;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER read_model_ins AFTER INSERT ON organisation REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_organisation();
--> statement-breakpoint
CREATE TRIGGER read_model_del AFTER DELETE ON organisation REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_organisation();
--> statement-breakpoint
-- A meeting restricted or opened: its readers, and the organisations whose concerns and follow-ups it counts in
-- (its attendance follows through meeting_organisation.meeting_restricted, migration 0004, and the triggers above).
CREATE OR REPLACE FUNCTION read_model.on_meeting() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed uuid[];
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM read_model.meeting_reader r USING old_rows o WHERE r.meeting_id = o.id;
    RETURN NULL;
  END IF;
  SELECT array_agg(n.id ORDER BY n.id) INTO changed FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.restricted IS DISTINCT FROM o.restricted;
  IF changed IS NULL THEN RETURN NULL; END IF;
  PERFORM read_model.refresh_meeting_readers(changed);
  PERFORM read_model.refresh_organisations((SELECT array_agg(DISTINCT organisation_id) FROM (
    SELECT s.organisation_id FROM shared_item s WHERE s.meeting_id = ANY (changed)
    UNION SELECT f.organisation_id FROM follow_up f WHERE f.meeting_id = ANY (changed) AND f.organisation_id IS NOT NULL) x));
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER read_model_upd AFTER UPDATE ON meeting REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_meeting();
--> statement-breakpoint
CREATE TRIGGER read_model_del AFTER DELETE ON meeting REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_meeting();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION read_model.on_meeting_staff() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM read_model.refresh_meeting_readers((SELECT array_agg(DISTINCT meeting_id) FROM new_rows));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM read_model.refresh_meeting_readers((SELECT array_agg(DISTINCT meeting_id) FROM old_rows));
  ELSE
    PERFORM read_model.refresh_meeting_readers((SELECT array_agg(DISTINCT i) FROM (SELECT meeting_id AS i FROM new_rows UNION SELECT meeting_id FROM old_rows) u));
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER read_model_ins AFTER INSERT ON meeting_staff REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_meeting_staff();
--> statement-breakpoint
CREATE TRIGGER read_model_upd AFTER UPDATE ON meeting_staff REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_meeting_staff();
--> statement-breakpoint
CREATE TRIGGER read_model_del AFTER DELETE ON meeting_staff REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_meeting_staff();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION read_model.on_access_grant() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM read_model.refresh_meeting_readers((SELECT array_agg(DISTINCT record_id) FROM new_rows WHERE record_type = 'meeting'));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM read_model.refresh_meeting_readers((SELECT array_agg(DISTINCT record_id) FROM old_rows WHERE record_type = 'meeting'));
  ELSE
    PERFORM read_model.refresh_meeting_readers((SELECT array_agg(DISTINCT i) FROM (
      SELECT record_id AS i FROM new_rows WHERE record_type = 'meeting' UNION SELECT record_id FROM old_rows WHERE record_type = 'meeting') u));
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER read_model_ins AFTER INSERT ON access_grant REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_access_grant();
--> statement-breakpoint
CREATE TRIGGER read_model_upd AFTER UPDATE ON access_grant REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_access_grant();
--> statement-breakpoint
CREATE TRIGGER read_model_del AFTER DELETE ON access_grant REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_access_grant();
--> statement-breakpoint
-- A restore truncates every table, then inserts them back in batches: mark the read models for one rebuild at
-- commit (the deferred trigger below) and let the row triggers stand aside meanwhile.
CREATE OR REPLACE FUNCTION read_model.on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE read_model.state SET rebuild_pending = true WHERE id = 1 AND NOT rebuild_pending;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER read_model_truncate AFTER TRUNCATE ON meeting FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_truncate();
--> statement-breakpoint
CREATE TRIGGER read_model_truncate AFTER TRUNCATE ON meeting_organisation FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_truncate();
--> statement-breakpoint
CREATE TRIGGER read_model_truncate AFTER TRUNCATE ON meeting_staff FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_truncate();
--> statement-breakpoint
CREATE TRIGGER read_model_truncate AFTER TRUNCATE ON access_grant FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_truncate();
--> statement-breakpoint
CREATE TRIGGER read_model_truncate AFTER TRUNCATE ON shared_item FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_truncate();
--> statement-breakpoint
CREATE TRIGGER read_model_truncate AFTER TRUNCATE ON follow_up FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_truncate();
--> statement-breakpoint
CREATE TRIGGER read_model_truncate AFTER TRUNCATE ON organisation FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_truncate();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION read_model.on_state() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF read_model.pending() THEN PERFORM read_model.rebuild(); END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER read_model_rebuild AFTER UPDATE ON read_model.state DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (NEW.rebuild_pending) EXECUTE FUNCTION read_model.on_state();
--> statement-breakpoint
SELECT read_model.rebuild();
