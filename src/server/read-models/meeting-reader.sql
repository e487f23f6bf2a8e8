-- read_model.meeting_reader: who, besides admins, may see each RESTRICTED meeting (network/visibility.ts, meetingVisible's
-- rule, as rows): its staff and the users granted it. A reader's few restricted meetings are then one index range
-- instead of a probe per meeting.
--
-- Derived from: meeting (restricted), meeting_staff, access_grant (grants of meetings).
-- Kept by: the statement triggers on those tables (registry.ts), through the functions named *_after_<table> below.
-- Rebuilt by: read_model.rebuild_meeting_reader().
--
-- Concurrency: a refresh first locks the meetings it recomputes (FOR NO KEY UPDATE, which does not block foreign-key
-- checks), in id order, and only then reads the source tables. Under READ COMMITTED each statement of a PL/pgSQL
-- function takes a new snapshot, so a transaction that waited for another sees that one's committed rows: the last to
-- commit recomputes from everything, and no concurrent write is lost.

CREATE TABLE IF NOT EXISTS read_model.meeting_reader (
  user_id text NOT NULL,
  meeting_id uuid NOT NULL,
  PRIMARY KEY (user_id, meeting_id)
);

CREATE INDEX IF NOT EXISTS meeting_reader_meeting_idx ON read_model.meeting_reader (meeting_id);

CREATE OR REPLACE FUNCTION read_model.refresh_meeting_readers(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF ids IS NULL OR cardinality(ids) = 0 OR read_model.pending() THEN RETURN; END IF;
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

CREATE OR REPLACE FUNCTION read_model.rebuild_meeting_reader() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM read_model.meeting_reader;
  INSERT INTO read_model.meeting_reader (user_id, meeting_id)
    SELECT s.user_id, s.meeting_id FROM meeting_staff s JOIN meeting m ON m.id = s.meeting_id WHERE m.restricted
    UNION
    SELECT g.user_id, g.record_id FROM access_grant g JOIN meeting m ON m.id = g.record_id WHERE m.restricted AND g.record_type = 'meeting';
END;
$$;

-- A meeting restricted or opened: its readers; a meeting deleted: its rows.
CREATE OR REPLACE FUNCTION read_model.meeting_reader_after_meeting(op text, olds meeting[], news meeting[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF op = 'DELETE' THEN
    DELETE FROM read_model.meeting_reader r USING unnest(olds) o WHERE r.meeting_id = o.id;
  ELSE
    PERFORM read_model.refresh_meeting_readers((SELECT array_agg(n.id ORDER BY n.id) FROM unnest(news) n JOIN unnest(olds) o ON o.id = n.id
      WHERE n.restricted IS DISTINCT FROM o.restricted));
  END IF;
END;
$$;

CREATE OR REPLACE FUNCTION read_model.meeting_reader_after_meeting_staff(op text, olds meeting_staff[], news meeting_staff[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM read_model.refresh_meeting_readers((SELECT array_agg(DISTINCT x.meeting_id) FROM (
    SELECT meeting_id FROM unnest(news) UNION SELECT meeting_id FROM unnest(olds)) x));
END;
$$;

CREATE OR REPLACE FUNCTION read_model.meeting_reader_after_access_grant(op text, olds access_grant[], news access_grant[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM read_model.refresh_meeting_readers((SELECT array_agg(DISTINCT x.record_id) FROM (
    SELECT record_id, record_type FROM unnest(news) UNION SELECT record_id, record_type FROM unnest(olds)) x WHERE x.record_type = 'meeting'));
END;
$$;
